/* projects: handler declarations (rows in projects.routes) */
#ifndef JXJY_HANDLERS_PROJECTS_H
#define JXJY_HANDLERS_PROJECTS_H

#include "../request.h"

#endif
