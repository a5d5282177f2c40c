/*
 * Configuration: one declarative table (config.c) read from the environment
 * into one struct that is passed explicitly.  The same names serve
 * deploy/up, the gateway and jxjyctl.
 */
#ifndef JXJY_API_CONFIG_H
#define JXJY_API_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct api_config {
	char *database_url;     /* DATABASE_URL */
	char *db_user;          /* JXJY_DB_USER: role the gateway logs in as */
	char *listen;           /* JXJY_LISTEN host:port */
	char *jwt_secret;       /* JXJY_JWT_SECRET, or read from jwt_secret_file */
	char *jwt_secret_file;  /* JXJY_JWT_SECRET_FILE */
	size_t jwt_secret_len;
	int workers;            /* JXJY_WORKERS */
	int db_pool;            /* JXJY_DB_POOL */
	int db_wait_ms;         /* JXJY_DB_WAIT_MS */
	bool db_prepared;       /* JXJY_DB_PREPARED: off behind PgBouncer */
	int log_level;          /* JXJY_LOG_LEVEL */
	int token_ttl;          /* JXJY_TOKEN_TTL seconds */
	int max_connections;    /* JXJY_MAX_CONNECTIONS per worker */
	int idle_timeout;       /* JXJY_IDLE_TIMEOUT seconds of inactivity */
	int request_deadline;   /* JXJY_REQUEST_DEADLINE seconds to receive a request */
	int drain_s;            /* JXJY_DRAIN_S: seconds a SIGTERM leaves requests in flight */
	int auth_max_failures;  /* JXJY_AUTH_MAX_FAILURES of a login before its delays */
	int auth_addr_failures; /* JXJY_AUTH_ADDR_FAILURES of an address before its delays */
	int auth_lock_s;        /* JXJY_AUTH_LOCK_S: the longest delay (≤ 900 s) */
	char *trusted_proxies;  /* JXJY_TRUSTED_PROXIES: "addr,addr" */
	int job_threshold;      /* JXJY_JOB_THRESHOLD: governed person-years re-decided in the request */
	int conflicts_per_day;  /* JXJY_CONFLICTS_PER_DAY: "already registered" refusals of an account
	                           in 24 h before its creates and imports of persons are 429 */
} api_config;

/* Fills cfg from the environment.  Returns 0, or -1 with a one-line message
 * in err (unknown values, out of bounds, unreadable or short secret when
 * need_secret). */
int api_config_load(api_config *cfg, bool need_secret, char *err, size_t errlen);
void api_config_dispose(api_config *cfg);

/* Prints the table: name, default, meaning (for --help). */
void api_config_usage(void *stream);
#endif
