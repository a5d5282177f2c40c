/* Blocking database access for the operator tool only (see sync.c). */
#ifndef JXJY_DB_SYNC_H
#define JXJY_DB_SYNC_H

#include "db.h"

typedef struct db_sync db_sync;

DB_MUSTCHECK int db_sync_open(db_sync **out, const char *conninfo, char *err, size_t errlen);
void db_sync_close(db_sync *s);
/* Runs one registered statement; *out (if out is not NULL) is owned by the
 * caller and freed with db_result_free. */
DB_MUSTCHECK int db_sync_run(db_sync *s, db_stmt_id id, const char *const *values,
                             db_result **out, db_error *err);
void db_result_free(db_result *r);
#endif
