/*
 * jxjyctl — the operator tool: migrations, tokens, accounts, demo data.
 * It may block (it is no server), so it uses db/'s synchronous helpers.
 *
 *   jxjyctl migrate
 *   jxjyctl token --role ROLE [--district C | --industry C | --unit ID | --base ID | --person ID]
 *                 [--sub S] [--ttl SECONDS]
 *   jxjyctl revoke JTI
 *   jxjyctl account add --login L --role ROLE [jurisdiction] [--kind user|client]
 *                 [--display-name N]      (password read from stdin, one line)
 *   jxjyctl demo-data [--force]
 *   jxjyctl audit verify
 *   jxjyctl prune          (expired revocations, idempotency keys, login attempts, refusals counted)
 *   jxjyctl recompute [--year Y] [--industry C] [--batch N] [--restart]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth/auth.h"
#include "auth/hasher.h"
#include "http/alloc.h"
#include "http/config.h"
#include "migrate.h"
#include "tools/recompute.h"
#include "sync.h"

static api_config cfg;

static int usage(void)
{
	fprintf(stderr,
		"usage:\n"
		"  jxjyctl migrate\n"
		"  jxjyctl token --role ROLE [--district C|--industry C|--unit ID|--base ID|--person ID]\n"
		"                [--sub SUBJECT] [--ttl SECONDS]\n"
		"  jxjyctl revoke JTI\n"
		"  jxjyctl account add --login LOGIN --role ROLE [jurisdiction] [--kind user|client]\n"
		"                [--display-name NAME]   (the password is read from standard input)\n"
		"  jxjyctl demo-data [--force]\n"
		"  jxjyctl audit verify\n"
		"  jxjyctl prune   (removes expired revocations, idempotency keys, login attempts and counted refusals)\n"
		"  jxjyctl recompute [--year Y] [--industry C] [--batch N] [--restart]\n"
		"                (re-decides with core every person-year that has records)\n\n");
	api_config_usage(stderr);
	return 2;
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static bool flag(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

static int need_db(void)
{
	if (!*cfg.database_url) {
		fprintf(stderr, "jxjyctl: DATABASE_URL is not set\n");
		return -1;
	}
	return 0;
}

/* A synchronous connection as the owner (DATABASE_URL); NULL after saying
 * why. */
static db_sync *open_db(void)
{
	if (need_db() < 0)
		return NULL;
	char err[1024];
	db_sync *s = NULL;
	if (db_sync_open(&s, cfg.database_url, err, sizeof err) != DB_OK) {
		fprintf(stderr, "jxjyctl: %s\n", err);
		return NULL;
	}
	return s;
}

static int cmd_migrate(void)
{
	char err[1024];
	if (need_db() < 0)
		return 1;
	/* the gateway's role (JXJY_DB_USER) is the one granted what it reads */
	int n = db_migrate_run_for(cfg.database_url, *cfg.db_user ? cfg.db_user : NULL, stdout, err,
	                           sizeof err);
	if (n < 0) {
		fprintf(stderr, "jxjyctl: %s\n", err);
		return 1;
	}
	printf("schema at version %d (%d applied now)\n", db_migrate_latest(), n);
	return 0;
}

/* The jurisdiction option of a role, checked. */
static const char *jurisdiction(int argc, char **argv, api_role role)
{
	const char *claim = api_role_claim(role);
	if (!claim)
		return "";
	char name[32];
	snprintf(name, sizeof name, "--%s", claim);
	const char *v = opt(argc, argv, name);
	if (!v || !api_role_jur_valid(role, v)) {
		fprintf(stderr, "jxjyctl: role %s needs a valid %s\n", api_role_name(role), name);
		return NULL;
	}
	return v;
}

static int cmd_token(int argc, char **argv)
{
	const char *role_s = opt(argc, argv, "--role");
	int role = role_s ? api_role_parse(role_s) : -1;
	if (role < 0) {
		fprintf(stderr, "jxjyctl: --role must be one of city_bureau, district_bureau, "
		                "industry_authority, unit, base, person\n");
		return 2;
	}
	const char *jur = jurisdiction(argc, argv, (api_role)role);
	if (!jur)
		return 2;
	const char *ttl_s = opt(argc, argv, "--ttl");
	long ttl = ttl_s ? strtol(ttl_s, NULL, 10) : cfg.token_ttl;
	if (ttl < 1 || ttl > 31L * 86400) {
		fprintf(stderr, "jxjyctl: --ttl must be 1 to 2678400 seconds\n");
		return 2;
	}
	/* one subject per (role, jurisdiction) (issue 11): idempotency keys are
	 * scoped by sub, and the audit's actor is the sub */
	const char *sub = opt(argc, argv, "--sub");
	char subbuf[160];
	if (!sub) {
		snprintf(subbuf, sizeof subbuf, "jxjyctl:%s%s%s", api_role_name((api_role)role),
		         jur[0] ? ":" : "", jur);
		sub = subbuf;
	}
	char jti[64];
	char *tok = api_auth_mint(cfg.jwt_secret, cfg.jwt_secret_len, (api_role)role, sub, jur,
	                          (int)ttl, time(NULL), jti);
	if (!tok) {
		fprintf(stderr, "jxjyctl: could not sign the token\n");
		return 1;
	}
	printf("%s\n", tok);
	free(tok);
	return 0;
}

static int run(db_sync *s, db_stmt_id id, const char *const *v, db_result **out)
{
	db_error e;
	if (db_sync_run(s, id, v, out, &e) != DB_OK) {
		fprintf(stderr, "jxjyctl: %s%s%s\n", e.message, e.sqlstate[0] ? " SQLSTATE " : "",
		        e.sqlstate);
		return -1;
	}
	return 0;
}

static int operator_session(db_sync *s)
{
	static const char *const claims[] = { "{\"role\":\"city_bureau\",\"sub\":\"jxjyctl\","
	                                      "\"jti\":\"jxjyctl\",\"request_id\":\"jxjyctl\"}" };
	if (run(s, DB_STMT_BEGIN, NULL, NULL) < 0 || run(s, DB_STMT_SET_CLAIMS, claims, NULL) < 0)
		return -1;
	return 0;
}

/* Creates or resets an account; prints nothing.  Returns 0 or -1. */
static int account_upsert(db_sync *s, const char *login, const char *kind, api_role role,
                          const char *jur, const char *name, const char *password)
{
	char hash[128];
	if (api_password_hash(hash, password) != 0) {
		fprintf(stderr, "jxjyctl: could not hash the password\n");
		return -1;
	}
	const char *v[10] = { login, kind, hash, api_role_name(role), name ? name : login };
	if (role != API_ROLE_CITY)
		v[5 + (role - API_ROLE_DISTRICT)] = jur;
	db_result *res = NULL;
	if (run(s, DB_STMT_ADMIN_ACCOUNT_UPSERT, v, &res) < 0)
		return -1;
	db_result_free(res);
	return 0;
}

static int cmd_account_add(int argc, char **argv)
{
	const char *login = opt(argc, argv, "--login");
	const char *role_s = opt(argc, argv, "--role");
	const char *kind = opt(argc, argv, "--kind");
	int role = role_s ? api_role_parse(role_s) : -1;
	if (!login || role < 0 || (kind && strcmp(kind, "user") && strcmp(kind, "client")))
		return usage();
	const char *jur = jurisdiction(argc, argv, (api_role)role);
	if (!jur || need_db() < 0)
		return 2;
	char pw[512];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "jxjyctl: give the password on standard input\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (strlen(pw) < 12) {
		fprintf(stderr, "jxjyctl: the password needs at least 12 characters\n");
		return 2;
	}
	db_sync *s = open_db();
	if (!s)
		return 1;
	int rc = 1;
	if (operator_session(s) == 0 &&
	    account_upsert(s, login, kind ? kind : "user", (api_role)role, jur,
	                   opt(argc, argv, "--display-name"), pw) == 0 &&
	    run(s, DB_STMT_COMMIT, NULL, NULL) == 0) {
		printf("account %s (%s) ready\n", login, api_role_name((api_role)role));
		rc = 0;
	}
	sodium_memzero(pw, sizeof pw);
	db_sync_close(s);
	return rc;
}

static int cmd_revoke(int argc, char **argv)
{
	if (argc < 1 || need_db() < 0)
		return usage();
	db_sync *s = open_db();
	if (!s)
		return 1;
	const char *v[2] = { argv[0], NULL };
	int rc = (operator_session(s) == 0 && run(s, DB_STMT_ADMIN_REVOKE_JTI, v, NULL) == 0 &&
	          run(s, DB_STMT_COMMIT, NULL, NULL) == 0) ? 0 : 1;
	if (rc == 0)
		printf("revoked %s\n", argv[0]);
	db_sync_close(s);
	return rc;
}

static void random_password(char out[21])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[20] = '\0';
}

int jxjyctl_demo_accounts(db_sync *s);

/* Walks the audit log's hash chain (each row's hash covers its content and
 * the previous row's hash) and reports the first broken link.  Exit 0 when
 * the whole chain verifies, 1 when it is broken. */
static int cmd_audit_verify(void)
{
	db_sync *s = open_db();
	if (!s)
		return 1;
	db_result *res = NULL;
	int rc = 1;
	if (operator_session(s) == 0 && run(s, DB_STMT_ADMIN_AUDIT_VERIFY, NULL, &res) == 0) {
		const char *broken = NULL, *rows = NULL;
		if (db_result_str_opt(res, 0, ADMIN_AUDIT_VERIFY_COL_FIRST_BROKEN, &broken) != 0 ||
		    db_result_str(res, 0, ADMIN_AUDIT_VERIFY_COL_ROWS, &rows) != 0) {
			fprintf(stderr, "jxjyctl: the audit check answered something unexpected\n");
		} else if (broken) {
			printf("audit chain BROKEN: first bad link at id %s (of %s rows)\n", broken, rows);
		} else {
			printf("audit chain verified: %s rows\n", rows);
			rc = 0;
		}
	}
	db_result_free(res);
	db_sync_close(s);
	return rc;
}

/* Removes what has expired (jxjy.prune_expired: revocations past their
 * token's expiry, idempotency keys older than 24 h, login attempts older
 * than a day) and prints one "pruned <kind>: <n>" line per kind.  Run daily
 * by deploy/jxjy-prune.timer. */
static int cmd_prune(void)
{
	db_sync *s = open_db();
	if (!s)
		return 1;
	db_result *res = NULL;
	int rc = 1;
	if (operator_session(s) == 0 && run(s, DB_STMT_ADMIN_PRUNE, NULL, &res) == 0 &&
	    run(s, DB_STMT_COMMIT, NULL, NULL) == 0) {
		rc = 0;
		for (int i = 0; i < db_result_rows(res); i++) {
			const char *kind = NULL, *n = NULL;
			if (db_result_str(res, i, ADMIN_PRUNE_COL_KIND, &kind) != 0 ||
			    db_result_str(res, i, ADMIN_PRUNE_COL_PRUNED, &n) != 0) {
				fprintf(stderr, "jxjyctl: the prune answered something unexpected\n");
				rc = 1;
				break;
			}
			printf("pruned %s: %s\n", kind, n);
		}
	}
	db_result_free(res);
	db_sync_close(s);
	return rc;
}

static int cmd_demo_data(int argc, char **argv)
{
	db_sync *s = open_db();
	if (!s)
		return 1;
	db_result *res = NULL;
	int rc = 1;
	if (run(s, DB_STMT_ADMIN_DEMO_LOADED, NULL, &res) < 0)
		goto done;
	bool loaded = false;
	int vrc = db_result_bool(res, 0, ADMIN_DEMO_LOADED_COL_LOADED, &loaded);
	db_result_free(res);
	res = NULL;
	if (vrc != 0)
		goto done;
	if (loaded && !flag(argc, argv, "--force")) {
		fprintf(stderr, "jxjyctl: demo data is already loaded (units exist); nothing to do\n");
		rc = 0;
		goto done;
	}
	time_t t0 = time(NULL);
	char err[1024];
	if (db_sql_file_run(cfg.database_url, "demo_data.sql", err, sizeof err) != 0) {
		fprintf(stderr, "jxjyctl: %s\n", err);
		goto done;
	}
	fprintf(stderr, "demo data loaded in %ld s\n", (long)(time(NULL) - t0));
	rc = jxjyctl_demo_accounts(s) == 0 ? 0 : 1;
done:
	db_sync_close(s);
	return rc;
}

static int cmd_recompute(int argc, char **argv)
{
	db_sync *s = open_db();
	if (!s)
		return 1;
	int rc = jxjyctl_recompute(s, operator_session, argc, argv);
	db_sync_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	api_alloc_install();
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	bool needs_secret = strcmp(cmd, "token") == 0;
	char err[512];
	if (api_config_load(&cfg, needs_secret, err, sizeof err) != 0) {
		fprintf(stderr, "jxjyctl: %s\n", err);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	int rc;
	if (strcmp(cmd, "migrate") == 0)
		rc = cmd_migrate();
	else if (strcmp(cmd, "token") == 0)
		rc = cmd_token(argc - 2, argv + 2);
	else if (strcmp(cmd, "revoke") == 0)
		rc = cmd_revoke(argc - 2, argv + 2);
	else if (strcmp(cmd, "account") == 0 && argc > 2 && strcmp(argv[2], "add") == 0)
		rc = cmd_account_add(argc - 3, argv + 3);
	else if (strcmp(cmd, "demo-data") == 0)
		rc = cmd_demo_data(argc - 2, argv + 2);
	else if (strcmp(cmd, "audit") == 0 && argc > 2 && strcmp(argv[2], "verify") == 0)
		rc = cmd_audit_verify();
	else if (strcmp(cmd, "prune") == 0)
		rc = cmd_prune();
	else if (strcmp(cmd, "recompute") == 0)
		rc = cmd_recompute(argc - 2, argv + 2);
	else
		rc = usage();
	api_config_dispose(&cfg);
	return rc;
}

/* One demo account per role (and an HR-system client for the unit), with
 * fresh random passwords printed once as "login password role". */
int jxjyctl_demo_accounts(db_sync *s)
{
	db_result *res = NULL;
	if (run(s, DB_STMT_ADMIN_DEMO_PICKS, NULL, &res) < 0)
		return -1;
	if (db_result_rows(res) == 0) {
		fprintf(stderr, "jxjyctl: the demo data has no unit with staff in 320508\n");
		db_result_free(res);
		return -1;
	}
	struct {
		const char *login, *kind;
		api_role role;
		int col;
		const char *name;
	} demo[] = {
		{ "demo-city", "user", API_ROLE_CITY, -1, "苏州市人社局 (demo)" },
		{ "demo-district", "user", API_ROLE_DISTRICT, ADMIN_DEMO_PICKS_COL_DISTRICT, "姑苏区人社局 (demo)" },
		{ "demo-industry", "user", API_ROLE_INDUSTRY, ADMIN_DEMO_PICKS_COL_INDUSTRY, "行业主管部门 (demo)" },
		{ "demo-unit", "user", API_ROLE_UNIT, ADMIN_DEMO_PICKS_COL_UNIT, "单位人事 (demo)" },
		{ "demo-unit-hr", "client", API_ROLE_UNIT, ADMIN_DEMO_PICKS_COL_UNIT, "单位 HR 系统 (demo)" },
		{ "demo-base", "user", API_ROLE_BASE, ADMIN_DEMO_PICKS_COL_BASE, "继续教育基地 (demo)" },
		{ "demo-person", "user", API_ROLE_PERSON, ADMIN_DEMO_PICKS_COL_PERSON, "专业技术人员 (demo)" },
	};
	char jur[ADMIN_DEMO_PICKS_COL__COUNT][64];
	for (int c = 0; c < ADMIN_DEMO_PICKS_COL__COUNT; c++) {
		const char *v = NULL;
		if (db_result_str_opt(res, 0, c, &v) != 0) {
			db_result_free(res);
			return -1;
		}
		snprintf(jur[c], sizeof jur[c], "%s", v ? v : "");
	}
	db_result_free(res);
	char pw[sizeof demo / sizeof demo[0]][21];
	if (operator_session(s) < 0)
		return -1;
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		random_password(pw[i]);
		const char *j = demo[i].col >= 0 ? jur[demo[i].col] : "";
		if (demo[i].col >= 0 && !*j) {
			fprintf(stderr, "jxjyctl: no demo jurisdiction for %s\n", demo[i].login);
			return -1;
		}
		if (account_upsert(s, demo[i].login, demo[i].kind, demo[i].role, j, demo[i].name, pw[i]) < 0)
			return -1;
	}
	if (run(s, DB_STMT_COMMIT, NULL, NULL) < 0)
		return -1;
	printf("# demo accounts: login password role jurisdiction\n");
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++)
		printf("%-14s %s %-18s %s\n", demo[i].login, pw[i], api_role_name(demo[i].role),
		       demo[i].col >= 0 ? jur[demo[i].col] : "-");
	return 0;
}
