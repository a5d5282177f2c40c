#include "http/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/log.h"

typedef enum { T_STR, T_INT, T_BOOL, T_LEVEL } param_type;

typedef struct param {
	const char *name;
	param_type type;
	size_t offset;
	const char *def;
	long min, max;
	const char *help;
} param;

#define F(field) offsetof(api_config, field)

static const param params[] = {
	{ "DATABASE_URL", T_STR, F(database_url), "", 0, 0,
	  "libpq connection string or URI (deploy/up points it at the private cluster)" },
	{ "JXJY_DB_USER", T_STR, F(db_user), "jxjy_app", 0, 0,
	  "database role the gateway logs in as (owns nothing, no BYPASSRLS)" },
	{ "JXJY_LISTEN", T_STR, F(listen), "127.0.0.1:8080", 0, 0, "address:port to listen on" },
	{ "JXJY_JWT_SECRET", T_STR, F(jwt_secret), "", 0, 0, "HS256 secret, at least 32 bytes" },
	{ "JXJY_JWT_SECRET_FILE", T_STR, F(jwt_secret_file), "var/jwt_secret", 0, 0,
	  "file holding the secret when JXJY_JWT_SECRET is unset" },
	{ "JXJY_WORKERS", T_INT, F(workers), "0", 0, 64, "worker processes (0: number of cores)" },
	{ "JXJY_DB_POOL", T_INT, F(db_pool), "8", 1, 256, "database connections per worker" },
	{ "JXJY_DB_WAIT_MS", T_INT, F(db_wait_ms), "2000", 10, 60000,
	  "how long a request waits for a pooled connection" },
	{ "JXJY_DB_PREPARED", T_BOOL, F(db_prepared), "on", 0, 0,
	  "named prepared statements (off behind PgBouncer in transaction mode)" },
	{ "JXJY_LOG_LEVEL", T_LEVEL, F(log_level), "info", 0, 0, "debug, info, warn or error" },
	{ "JXJY_TOKEN_TTL", T_INT, F(token_ttl), "3600", 60, 86400, "lifetime of issued tokens, seconds" },
	{ "JXJY_MAX_CONNECTIONS", T_INT, F(max_connections), "1024", 8, 100000,
	  "open client connections per worker" },
	{ "JXJY_IDLE_TIMEOUT", T_INT, F(idle_timeout), "30", 1, 3600,
	  "seconds of inactivity before a client connection is closed" },
	{ "JXJY_REQUEST_DEADLINE", T_INT, F(request_deadline), "15", 1, 300,
	  "seconds a client has to send a whole request" },
	{ "JXJY_DRAIN_S", T_INT, F(drain_s), "10", 0, 300,
	  "seconds a stopping gateway (SIGTERM) gives requests in flight to finish" },
	{ "JXJY_AUTH_MAX_FAILURES", T_INT, F(auth_max_failures), "5", 1, 100,
	  "failed logins of one login before its delays (1 s, 2 s, 4 s, ...) start" },
	{ "JXJY_AUTH_ADDR_FAILURES", T_INT, F(auth_addr_failures), "50", 1, 100000,
	  "failed logins from one client address before its delays start" },
	{ "JXJY_AUTH_LOCK_S", T_INT, F(auth_lock_s), "900", 1, 900,
	  "longest login delay, seconds (never more than 15 minutes)" },
	{ "JXJY_TRUSTED_PROXIES", T_STR, F(trusted_proxies), "", 0, 0,
	  "comma-separated proxy addresses whose X-Forwarded-For names the client" },
	{ "JXJY_JOB_THRESHOLD", T_INT, F(job_threshold), "100000", 0, 100000000,
	  "past-dated rule sets governing more person-years are re-decided in a job" },
	{ "JXJY_CONFLICTS_PER_DAY", T_INT, F(conflicts_per_day), "50", 0, 100000,
	  "refusals of an already registered national_id per account in 24 h before 429 on creates and imports of persons" },
};

static int read_secret_file(api_config *cfg, char *err, size_t n)
{
	FILE *f = fopen(cfg->jwt_secret_file, "r");
	if (!f) {
		snprintf(err, n, "could not read %s: %s (set JXJY_JWT_SECRET or JXJY_JWT_SECRET_FILE)",
		         cfg->jwt_secret_file, strerror(errno));
		return -1;
	}
	char buf[4096];
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	free(cfg->jwt_secret);
	cfg->jwt_secret = strdup(buf);
	return cfg->jwt_secret ? 0 : -1;
}

int api_config_load(api_config *cfg, bool need_secret, char *err, size_t n)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		const param *p = &params[i];
		const char *v = getenv(p->name);
		if (!v || !*v)
			v = p->def;
		void *field = (char *)cfg + p->offset;
		switch (p->type) {
		case T_STR:
			*(char **)field = strdup(v);
			if (!*(char **)field) {
				snprintf(err, n, "out of memory");
				return -1;
			}
			break;
		case T_INT: {
			char *end;
			errno = 0;
			long x = strtol(v, &end, 10);
			if (errno || *end || end == v || x < p->min || x > p->max) {
				snprintf(err, n, "%s must be an integer from %ld to %ld, not \"%s\"", p->name,
				         p->min, p->max, v);
				return -1;
			}
			*(int *)field = (int)x;
			break;
		}
		case T_BOOL:
			if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
				*(bool *)field = true;
			else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
				*(bool *)field = false;
			else {
				snprintf(err, n, "%s must be on or off, not \"%s\"", p->name, v);
				return -1;
			}
			break;
		case T_LEVEL: {
			int lv = api_log_level_parse(v);
			if (lv < 0) {
				snprintf(err, n, "%s must be debug, info, warn or error, not \"%s\"", p->name, v);
				return -1;
			}
			*(int *)field = lv;
			break;
		}
		}
	}
	if (cfg->workers == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		cfg->workers = cores > 0 ? (int)(cores > 64 ? 64 : cores) : 1;
	}
	if (need_secret) {
		if (!*cfg->jwt_secret && read_secret_file(cfg, err, n) < 0)
			return -1;
		cfg->jwt_secret_len = strlen(cfg->jwt_secret);
		/* libjwt skips verification with an empty key: never start weak */
		if (cfg->jwt_secret_len < 32) {
			snprintf(err, n, "the JWT secret must be at least 32 bytes (it has %zu)",
			         cfg->jwt_secret_len);
			return -1;
		}
	}
	return 0;
}

void api_config_dispose(api_config *cfg)
{
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
		if (params[i].type == T_STR) {
			char **field = (char **)((char *)cfg + params[i].offset);
			free(*field);
			*field = NULL;
		}
}

void api_config_usage(void *stream)
{
	FILE *f = stream;
	fprintf(f, "environment:\n");
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
		fprintf(f, "  %-24s %s (default: %s)\n", params[i].name, params[i].help,
		        *params[i].def ? params[i].def : "unset");
}
