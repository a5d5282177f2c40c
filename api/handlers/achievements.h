/* achievements: handler declarations (rows in achievements.routes) */
#ifndef JXJY_HANDLERS_ACHIEVEMENTS_H
#define JXJY_HANDLERS_ACHIEVEMENTS_H

#include "../request.h"

#endif
