/*
 * core.h — umbrella header of the jxjy rules library (libjxjy_core).
 *
 * The core decides every rule of DOMAIN.md (R-n) in pure C17: no I/O, no
 * clock, no allocation, libc only. See docs/RULES.md for the rule -> function
 * map. Hours are int32_t tenths; dates are core_date; fallible functions
 * return 0 or a negative CORE_E* code and write results to `out`.
 */
#ifndef CORE_H
#define CORE_H

#include "core_common.h"
#include "core_enum.h"
#include "core_reason.h"
#include "core_date.h"
#include "core_hours.h"
#include "core_history.h"
#include "core_rules.h"
#include "core_year.h"
#include "core_achieve.h"
#include "core_cycle.h"
#include "core_eligibility.h"
#include "core_base.h"
#include "core_record.h"
#include "core_state.h"
#include "core_ident.h"
#include "core_stats.h"

#endif /* CORE_H */
