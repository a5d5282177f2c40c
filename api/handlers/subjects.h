/* subjects: handler declarations (rows in subjects.routes) */
#ifndef JXJY_HANDLERS_SUBJECTS_H
#define JXJY_HANDLERS_SUBJECTS_H

#include "http/request.h"

/* Reads a subject's code (letters, digits, ._-, up to 32), title (up to 200
 * bytes) and hours (> 0, one decimal) from obj and refuses other fields;
 * every failure is appended to errors under prefix + field name (e.g.
 * "subjects[2].hours").  True when all three are valid.  Shared by public
 * subjects and guides' subjects. */
bool api_subject_fields(json_t *obj, const char *prefix, const char **code, const char **title,
                        int32_t *hours, json_t *errors);

extern const api_op op_plans_create;
extern const api_op op_plans_get;
extern const api_op op_plans_list;
extern const api_op op_public_subjects_create;
extern const api_op op_public_subjects_get;
extern const api_op op_public_subjects_list;
#endif
