/* Prints the SQL text of a registered statement (tests/bench/run uses it to
 * replay the gateway's statements with pgbench): stmt_sql jx_NAME */
#include <stdio.h>
#include <string.h>

#include "statements.h"

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	for (int i = 0; i < DB_STMT__COUNT; i++) {
		const db_stmt_def *d = db_stmt_get((db_stmt_id)i);
		if (strcmp(d->name, argv[1]) == 0) {
			puts(d->sql);
			return 0;
		}
	}
	return 1;
}
