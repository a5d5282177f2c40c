#include "http/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int api_log_level = API_LOG_INFO;

static const char *const names[] = { "debug", "info", "warn", "error" };

int api_log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Appends s as a JSON string body (without quotes) to buf. */
static size_t put_escaped(char *buf, size_t pos, size_t cap, const char *s)
{
	for (; s && *s && pos + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf[pos++] = '\\';
			buf[pos++] = (char)c;
		} else if (c < 0x20) {
			pos += (size_t)snprintf(buf + pos, cap - pos, "\\u%04x", c);
		} else {
			buf[pos++] = (char)c;
		}
	}
	return pos;
}

static size_t put_head(char *buf, size_t cap, int level, const char *request_id)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	size_t pos = (size_t)snprintf(buf, cap,
		"{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\",\"pid\":%d",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long)(tv.tv_usec / 1000), names[level], (int)getpid());
	if (request_id) {
		pos += (size_t)snprintf(buf + pos, cap - pos, ",\"request_id\":\"");
		pos = put_escaped(buf, pos, cap, request_id);
		buf[pos++] = '"';
	}
	return pos;
}

/* One write() per line so that workers' lines never interleave. */
static void put_line(char *buf, size_t pos, size_t cap)
{
	if (pos + 3 > cap)
		pos = cap - 3;
	buf[pos++] = '}';
	buf[pos++] = '\n';
	ssize_t w = write(STDERR_FILENO, buf, pos);
	(void)w;
}

void api_log_write(int level, const char *request_id, const char *fmt, ...)
{
	char msg[1024], buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t pos = put_head(buf, sizeof buf, level, request_id);
	pos += (size_t)snprintf(buf + pos, sizeof buf - pos, ",\"msg\":\"");
	pos = put_escaped(buf, pos, sizeof buf, msg);
	buf[pos++] = '"';
	put_line(buf, pos, sizeof buf);
}

void api_log_request(const char *request_id, const char *method, const char *route, int status,
                     double duration_ms, const char *role, const char *sub)
{
	if (API_LOG_INFO < api_log_level)
		return;
	char buf[2048];
	size_t pos = put_head(buf, sizeof buf, API_LOG_INFO, request_id);
	pos += (size_t)snprintf(buf + pos, sizeof buf - pos, ",\"method\":\"%s\",\"route\":\"", method);
	pos = put_escaped(buf, pos, sizeof buf, route);
	pos += (size_t)snprintf(buf + pos, sizeof buf - pos, "\",\"status\":%d,\"duration_ms\":%.3f",
	                        status, duration_ms);
	if (role) {
		pos += (size_t)snprintf(buf + pos, sizeof buf - pos, ",\"role\":\"");
		pos = put_escaped(buf, pos, sizeof buf, role);
		buf[pos++] = '"';
	}
	if (sub) {
		pos += (size_t)snprintf(buf + pos, sizeof buf - pos, ",\"sub\":\"");
		pos = put_escaped(buf, pos, sizeof buf, sub);
		buf[pos++] = '"';
	}
	put_line(buf, pos, sizeof buf);
}
