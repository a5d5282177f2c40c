/*
 * Processes from /proc (no ps: a minimal Debian root has no procps), for the
 * suites that watch the gateway's workers or PostgreSQL's backends; no
 * Criterion, so that tests/fault can use it too.
 */
#ifndef JXJY_PROCS_H
#define JXJY_PROCS_H

#include <stdbool.h>

/* The pids whose parent is parent, ascending, at most cap into out; returns
 * how many. */
int t_proc_children(long parent, long *out, int cap);
/* True while pid runs: false once it is gone or a zombie (an orphan that
 * nobody reaps stays a zombie). */
bool t_proc_alive(long pid);
#endif
