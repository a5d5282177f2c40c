/* jobs: GET /v1/jobs/{id} (rows in jobs.routes), the re-decision of the
 * person-years a new rule set governs, and the worker's job runner */
#ifndef JXJY_HANDLERS_JOBS_H
#define JXJY_HANDLERS_JOBS_H

#include <stddef.h>

#include "http/request.h"

extern const api_op op_jobs_get;

/* Person-years a rule set's creation re-decides in its own transaction;
 * above this it leaves a job (JXJY_JOB_THRESHOLD, default 100 000). */
long api_jobs_threshold(api_req *r);

/* ---- re-deciding the rows of RULE_SETS_REDECIDE_READ -------------- */

enum { API_REDECIDE_PERSON, API_REDECIDE_YEAR, API_REDECIDE_RULE_SET, API_REDECIDE_RPUB,
       API_REDECIDE_RPRO, API_REDECIDE_COMPLIANT, API_REDECIDE__COLS };

typedef struct api_redecide {
	/* PostgreSQL array literals, one per column of RULE_SETS_REDECIDE_SAVE */
	char *col[API_REDECIDE__COLS];
	size_t len[API_REDECIDE__COLS], cap[API_REDECIDE__COLS];
	long examined, governed, changed; /* rows read, governed by the set, compliant flipped */
	char last_person[40], last_year[12]; /* the cursor: the last row read ("" when none) */
} api_redecide;

/* Core decides each row of rows (a RULE_SETS_REDECIDE_READ result) with the
 * rule set R-6 selects among sets for the row's judged industry and year;
 * the rows that rule_set governs go to d's arrays (with the verdict's
 * rule set, required hours and compliance).  d is reset first.  Returns 0,
 * or -1 when a value is malformed or core refuses (logged). */
int api_redecide_rows(api_redecide *d, const db_result *rows, const core_rule_set *sets, size_t n,
                      const char *rule_set);
void api_redecide_free(api_redecide *d);

/* ---- the runner (http/worker.c) ------------------------------------------ */

/* The worker's tick (http/worker.c, every second): unless a batch is under
 * way, takes the oldest unfinished job no other worker holds and does one
 * batch of it in one transaction; while the job has more, the next batch
 * follows at once. */
void api_jobs_tick(api_worker *w);
#endif
