/*
 * The typed result accessors (db/result.c) and the statements' column
 * lists, without a server: results are built with libpq's own constructors
 * (PQmakeEmptyPGresult, PQsetResultAttrs, PQsetvalue).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "db.h"
#include "result.h"

/* A one-column (text) result of stmt (-1: unknown) with the given rows
 * (NULL for SQL NULL), named name. */
static db_result *column_of(int stmt, const char *name, int nrows, const char *const *rows)
{
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	cr_assert(res);
	PGresAttDesc att = { .name = (char *)name, .format = 0, .typid = 25, .typlen = -1,
	                     .atttypmod = -1 };
	cr_assert(PQsetResultAttrs(res, 1, &att));
	for (int i = 0; i < nrows; i++)
		cr_assert(PQsetvalue(res, i, 0, (char *)rows[i], rows[i] ? (int)strlen(rows[i]) : -1));
	db_result *r = NULL;
	cr_assert_eq(db_result_new(&r, res, stmt), 0);
	return r;
}

static db_result *value_of(const char *v)
{
	return column_of(-1, "v", 1, (const char *const[]){ v });
}

static int hours(const char *v, int32_t *out)
{
	db_result *r = value_of(v);
	int rc = db_result_hours(r, 0, 0, out);
	db_result_free(r);
	return rc;
}

static int integer(const char *v, long *out)
{
	db_result *r = value_of(v);
	int rc = db_result_int(r, 0, 0, out);
	db_result_free(r);
	return rc;
}

static void quiet(void)
{
	cr_redirect_stderr(); /* the refusals log; keep the test output readable */
}

Test(db_result, str_reads_text_and_refuses_null_leaving_out_untouched, .init = quiet)
{
	db_result *r = column_of(-1, "v", 2, (const char *const[]){ "李娜", NULL });
	const char *s = "untouched";
	cr_expect_eq(db_result_str(r, 0, 0, &s), 0);
	cr_expect_str_eq(s, "李娜");
	s = "untouched";
	cr_expect_eq(db_result_str(r, 1, 0, &s), DB_EVALUE);
	cr_expect_str_eq(s, "untouched");
	db_result_free(r);
}

Test(db_result, str_opt_gives_null_for_sql_null, .init = quiet)
{
	db_result *r = column_of(-1, "v", 2, (const char *const[]){ "", NULL });
	const char *s = "untouched";
	cr_expect_eq(db_result_str_opt(r, 1, 0, &s), 0);
	cr_expect_null(s);
	cr_expect_eq(db_result_str_opt(r, 0, 0, &s), 0);
	cr_expect_str_eq(s, "", "an empty string is a value, not NULL");
	s = "untouched";
	cr_expect_eq(db_result_str_opt(r, 2, 0, &s), DB_EVALUE, "row out of range");
	cr_expect_str_eq(s, "untouched");
	db_result_free(r);
}

Test(db_result, int_reads_base_10_integers_within_long)
{
	long x = 0;
	cr_expect_eq(integer("42", &x), 0);
	cr_expect_eq(x, 42);
	cr_expect_eq(integer("-7", &x), 0);
	cr_expect_eq(x, -7);
	cr_expect_eq(integer("0", &x), 0);
	cr_expect_eq(x, 0);
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", LONG_MAX);
	cr_expect_eq(integer(buf, &x), 0);
	cr_expect_eq(x, LONG_MAX);
	snprintf(buf, sizeof buf, "%ld", LONG_MIN);
	cr_expect_eq(integer(buf, &x), 0);
	cr_expect_eq(x, LONG_MIN);
}

Test(db_result, int_refuses_junk_partial_values_and_overflow, .init = quiet)
{
	const char *bad[] = { "", "12a", "1.0", " 1", "1 ", "+1", "0x10", "-", "--1",
	                      "99999999999999999999", "-99999999999999999999", NULL };
	for (int i = 0; bad[i]; i++) {
		long x = 12345;
		cr_expect_eq(integer(bad[i], &x), DB_EVALUE, "\"%s\" refused", bad[i]);
		cr_expect_eq(x, 12345, "\"%s\" leaves out untouched", bad[i]);
	}
	db_result *r = value_of(NULL);
	long x = 12345;
	cr_expect_eq(db_result_int(r, 0, 0, &x), DB_EVALUE, "NULL refused");
	cr_expect_eq(x, 12345);
	db_result_free(r);
}

Test(db_result, bool_reads_postgresqls_t_and_f_only, .init = quiet)
{
	const char *good[] = { "t", "f" };
	for (int i = 0; i < 2; i++) {
		db_result *r = value_of(good[i]);
		bool b = i == 0 ? false : true;
		cr_expect_eq(db_result_bool(r, 0, 0, &b), 0);
		cr_expect_eq(b, i == 0, "%s", good[i]);
		db_result_free(r);
	}
	const char *bad[] = { "true", "false", "1", "0", "T", "", "tt", NULL };
	for (int i = 0; bad[i]; i++) {
		db_result *r = value_of(bad[i]);
		bool b = true;
		cr_expect_eq(db_result_bool(r, 0, 0, &b), DB_EVALUE, "\"%s\" refused", bad[i]);
		cr_expect(b, "\"%s\" leaves out untouched", bad[i]);
		db_result_free(r);
	}
}

Test(db_result, hours_read_what_postgresql_prints_as_tenths)
{
	struct { const char *v; int32_t tenths; } good[] = {
		{ "12", 120 }, { "12.5", 125 }, { "12.50", 125 }, { "12.500", 125 }, { "0.0", 0 },
		{ "0", 0 }, { "0.1", 1 }, { "072.0", 720 }, { "-4.0", -40 }, { "99999.9", 999999 },
		{ "1234567.8", 12345678 }, { "214748364.7", INT32_MAX },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int32_t t = -1;
		cr_expect_eq(hours(good[i].v, &t), 0, "\"%s\" accepted", good[i].v);
		cr_expect_eq(t, good[i].tenths, "\"%s\" is %d tenths, got %d", good[i].v,
		             good[i].tenths, t);
	}
}

Test(db_result, hours_refuse_more_precision_junk_and_overflow, .init = quiet)
{
	const char *bad[] = { "12.55", "12.05", "0.01", "12.501", "12.", ".5", "1e3", "NaN", "",
	                      " 1", "1 ", "12.5x", "-", "+1", "1,5", "214748364.8",
	                      "99999999999", "-214748364.8", NULL };
	for (int i = 0; bad[i]; i++) {
		int32_t t = 777;
		cr_expect_eq(hours(bad[i], &t), DB_EVALUE, "\"%s\" refused", bad[i]);
		cr_expect_eq(t, 777, "\"%s\" leaves out untouched", bad[i]);
	}
}

Test(db_result, out_of_range_rows_and_columns_and_no_result_are_refused, .init = quiet)
{
	db_result *r = value_of("1");
	long x = 5;
	cr_expect_eq(db_result_int(r, 1, 0, &x), DB_EVALUE, "row past the end");
	cr_expect_eq(db_result_int(r, -1, 0, &x), DB_EVALUE, "negative row");
	cr_expect_eq(db_result_int(r, 0, 1, &x), DB_EVALUE, "column past the end");
	cr_expect_eq(db_result_int(r, 0, -1, &x), DB_EVALUE, "negative column");
	cr_expect_eq(db_result_int(NULL, 0, 0, &x), DB_EVALUE, "no result");
	cr_expect_eq(x, 5);
	cr_expect_eq(db_result_int(r, 0, 0, &x), 0, "the cell itself is fine");
	cr_expect_eq(x, 1);
	db_result_free(r);
}

Test(db_result, a_refusal_logs_one_line_naming_statement_row_column_and_why, .init = quiet)
{
	db_result *r = column_of(DB_STMT_RECORDS_LOCK, "status", 2,
	                         (const char *const[]){ "registered", NULL });
	const char *s = NULL;
	cr_assert_eq(db_result_str(r, 1, RECORDS_LOCK_COL_STATUS, &s), DB_EVALUE);
	db_result_free(r);
	fflush(stderr);
	cr_expect_stderr_eq_str("db: statement RECORDS_LOCK row 1 column 0 (STATUS):"
	                        " null where a value is required\n");
}

Test(db_result, without_a_statement_the_log_names_the_servers_column, .init = quiet)
{
	db_result *r = value_of("12.55");
	int32_t t;
	cr_assert_eq(db_result_hours(r, 0, 0, &t), DB_EVALUE);
	db_result_free(r);
	fflush(stderr);
	cr_expect_stderr_eq_str("db: statement (unknown) row 0 column 0 (v):"
	                        " hours more precise than a tenth\n");
}

Test(db_result, a_result_narrower_than_its_column_list_is_refused, .init = quiet)
{
	/* RECORDS_LOCK names six columns; one arrives */
	db_result *r = value_of("x");
	char msg[256] = "";
	cr_expect_eq(db_result_check_width(r->res, DB_STMT_RECORDS_LOCK, msg, sizeof msg),
	             DB_EINVAL);
	cr_expect(strstr(msg, "RECORDS_LOCK") && strstr(msg, "1 columns") && strstr(msg, "names 6"),
	          "%s", msg);
	msg[0] = '\0';
	cr_expect_eq(db_result_check_width(r->res, DB_STMT_SCHEMA_VERSION, msg, sizeof msg), 0,
	             "SCHEMA_VERSION answers one column: %s", msg);
	cr_expect_eq(db_result_check_width(r->res, -1, msg, sizeof msg), 0, "unknown: no check");
	db_result_free(r);
	/* a command answers no rows: nothing to compare */
	PGresult *cmd = PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
	cr_expect_eq(db_result_check_width(cmd, DB_STMT_RECORDS_LOCK, msg, sizeof msg), 0);
	PQclear(cmd);
}

Test(statements, column_numbers_follow_the_lists_in_order)
{
	const db_stmt_def *d = db_stmt_get(DB_STMT_RECORDS_LOCK);
	const char *want[] = { "STATUS", "VERSION", "PERSON", "YEAR", "CUR_DISTRICT", "RECORD" };
	cr_assert_eq(d->ncols, 6);
	cr_expect_eq(RECORDS_LOCK_COL__COUNT, 6);
	int nums[] = { RECORDS_LOCK_COL_STATUS, RECORDS_LOCK_COL_VERSION, RECORDS_LOCK_COL_PERSON,
	               RECORDS_LOCK_COL_YEAR, RECORDS_LOCK_COL_CUR_DISTRICT, RECORDS_LOCK_COL_RECORD };
	for (int i = 0; i < 6; i++) {
		cr_expect_eq(nums[i], i, "%s", want[i]);
		cr_expect_str_eq(d->cols[i], want[i]);
	}
	cr_expect_null(d->cols[6]);
	cr_expect_eq(db_stmt_get(DB_STMT_BEGIN)->ncols, 0, "() names no column");
	cr_expect_eq(BEGIN_COL__COUNT, 0);
	cr_expect_null(db_stmt_get(DB_STMT_BEGIN)->cols[0]);
}

Test(statements, every_column_list_is_terminated_and_names_each_column)
{
	for (int i = 0; i < DB_STMT__COUNT; i++) {
		const db_stmt_def *d = db_stmt_get((db_stmt_id)i);
		cr_assert(d->ncols >= 0 && d->ncols <= 32, "%s: %d columns", d->name, d->ncols);
		for (int k = 0; k < d->ncols; k++)
			cr_expect(d->cols[k] && d->cols[k][0], "%s column %d has a name", d->name, k);
		cr_expect_null(d->cols[d->ncols], "%s: the names end after %d", d->name, d->ncols);
	}
}
