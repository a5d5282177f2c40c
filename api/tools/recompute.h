/* jxjyctl recompute: re-decides stored person-years with core (see recompute.c). */
#ifndef JXJY_API_RECOMPUTE_H
#define JXJY_API_RECOMPUTE_H

#include "sync.h"

/* Runs `jxjyctl recompute [--year Y] [--industry C] [--batch N] [--restart]`
 * on s (the owner's connection).  session opens a transaction with the
 * operator's city claims.  Progress goes to stderr, the summary line to
 * stdout.  Returns the process exit status (0, 1 failure, 2 usage). */
int jxjyctl_recompute(db_sync *s, int (*session)(db_sync *s), int argc, char **argv);

#endif
