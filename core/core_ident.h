/*
 * core_ident.h — identifier checks: resident ID (GB 11643) and unified
 * social credit code (GB 32100).
 *
 * The first six digits of a resident ID are not checked against today's
 * division list: IDs carry codes retired long ago. A credit code failing its
 * check may still be legal (early codes); only a bureau may register one,
 * with an audited checksum_override — that decision is the API's, the core
 * only says CORE_ECHECKSUM.
 */
#ifndef CORE_IDENT_H
#define CORE_IDENT_H

#include "core_common.h"
#include "core_date.h"

#define CORE_IDENT_LEN 18
#define CORE_IDENT_BUFSZ 19

/* Resident ID: 17 digits and a check character (0-9 or X; lower-case x is
 * accepted and normalised to upper case), ISO 7064 MOD 11-2, with a real
 * birth date (digits 7-14, YYYYMMDD) not after `today`. `out_normalised`
 * (may be NULL) receives the normalised ID on success. 0; CORE_EINVAL bad
 * length or characters; CORE_ECHECKSUM wrong check character; CORE_EDATE
 * birth date not a real date; CORE_EFUTURE birth date after today. Checks
 * run in that order. */
CORE_MUSTCHECK int core_ident_resident_id_check(char out_normalised[CORE_IDENT_BUFSZ],
                                                const char *s, core_date today);

/* ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17 digits
 * of `s`. 0, CORE_EINVAL when they are not 17 digits. */
CORE_MUSTCHECK int core_ident_resident_id_check_char(char *out, const char *s17);

/* The birth date encoded in a resident ID (not validated beyond syntax; use
 * core_date_valid). 0 or CORE_EINVAL when `s` has fewer than 14 digits. */
CORE_MUSTCHECK int core_ident_resident_id_birth(core_date *out, const char *s);

/* Mask for responses (SECURITY: first 6 and last 4 characters kept, '*'
 * between): "360426********0071". `s` must be 18 characters, else
 * CORE_EINVAL. */
CORE_MUSTCHECK int core_ident_resident_id_mask(char out[CORE_IDENT_BUFSZ],
                                               const char *s);

/* Unified social credit code: 18 characters over the 31-character alphabet
 * 0-9 A-H J-N P-R T-U W-Y (no I, O, S, V, Z; upper case only), the last one
 * the GB 32100 check character: weights 1 3 9 27 19 26 16 17 20 29 25 13 8
 * 24 10 30 28, check = 31 - (sum mod 31), 31 -> 0. 0; CORE_EINVAL bad length
 * or character; CORE_ECHECKSUM wrong check character. */
CORE_MUSTCHECK int core_ident_credit_code_check(const char *s);

/* GB 32100 check character of the first 17 characters of `s`. 0,
 * CORE_EINVAL when they are not 17 characters of the alphabet. */
CORE_MUSTCHECK int core_ident_credit_code_check_char(char *out, const char *s17);

#endif /* CORE_IDENT_H */
