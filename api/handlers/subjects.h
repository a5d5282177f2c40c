/* subjects: handler declarations (rows in subjects.routes) */
#ifndef JXJY_HANDLERS_SUBJECTS_H
#define JXJY_HANDLERS_SUBJECTS_H

#include "../request.h"

#endif
