/*
 * Logs: one JSON object per line on stderr.  The macros skip evaluating
 * their arguments when the level is off.  Never log tokens, passwords or
 * unmasked national ids.
 */
#ifndef JXJY_API_LOG_H
#define JXJY_API_LOG_H

enum { API_LOG_DEBUG, API_LOG_INFO, API_LOG_WARN, API_LOG_ERROR };

extern int api_log_level;

int api_log_level_parse(const char *s);

/* request_id may be NULL; msg is printf-style. */
void api_log_write(int level, const char *request_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A request line: the fields are the API.md list. */
void api_log_request(const char *request_id, const char *method, const char *route, int status,
                     double duration_ms, const char *role, const char *sub);

#define API_LOG(level, rid, ...)                             \
	do {                                                    \
		if ((level) >= api_log_level)                   \
			api_log_write((level), (rid), __VA_ARGS__); \
	} while (0)
#define log_debug(rid, ...) API_LOG(API_LOG_DEBUG, rid, __VA_ARGS__)
#define log_info(rid, ...) API_LOG(API_LOG_INFO, rid, __VA_ARGS__)
#define log_warn(rid, ...) API_LOG(API_LOG_WARN, rid, __VA_ARGS__)
#define log_error(rid, ...) API_LOG(API_LOG_ERROR, rid, __VA_ARGS__)
#endif
