/*
 * jxjy-gateway: binds the listening socket, forks JXJY_WORKERS workers that
 * share it (one event loop each, no locks on the request path) and
 * supervises them: a worker that dies is restarted; SIGTERM or SIGINT stops
 * them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "http/alloc.h"
#include "http/config.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/worker.h"

static int listen_on(const char *spec)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || strlen(colon + 1) == 0 || (size_t)(colon - spec) >= sizeof host)
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	if (getaddrinfo(*h ? h : NULL, colon + 1, &hints, &ai) != 0)
		return -1;
	int fd = -1;
	for (struct addrinfo *p = ai; p; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, p->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, p->ai_addr, p->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static pid_t start_worker(int index, int fd, const api_config *cfg, api_metrics *m)
{
	pid_t pid = fork();
	if (pid == 0) {
		/* a worker never outlives its supervisor, even one killed by SIGKILL */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(0);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(api_worker_run(index, fd, cfg, m));
	}
	return pid;
}

/* Starts the workers and restarts any that dies (a crash, or an abort out
 * of memory) until SIGTERM or SIGINT; then stops them.  Returns 0 when every
 * worker stopped cleanly. */
static int supervise(int fd, const api_config *cfg, api_metrics *metrics)
{
	/* the supervisor takes its signals synchronously */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, &old);

	pid_t *pids = api_xcalloc((size_t)cfg->workers, sizeof *pids);
	for (int i = 0; i < cfg->workers; i++)
		pids[i] = start_worker(i, fd, cfg, metrics);
	api_log_write(API_LOG_INFO, NULL, "listening on %s with %d workers", cfg->listen, cfg->workers);

	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < cfg->workers; i++) {
				if (pids[i] != pid)
					continue;
				api_log_write(API_LOG_ERROR, NULL, "worker %d (pid %d) exited with status %d; restarting",
				              i, (int)pid, status);
				sleep(1); /* no tight crash loop */
				pids[i] = start_worker(i, fd, cfg, metrics);
			}
		}
	}
	api_log_write(API_LOG_INFO, NULL, "stopping");
	int rc = 0;
	for (int i = 0; i < cfg->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < cfg->workers; i++) {
		int status;
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			rc = 1;
	}
	free(pids);
	return rc;
}

int main(int argc, char **argv)
{
	api_alloc_install();
	if (argc > 1) {
		FILE *out = strcmp(argv[1], "--help") == 0 ? stdout : stderr;
		fprintf(out, "usage: jxjy-gateway\n\nConfigured by the environment only.\n");
		api_config_usage(out);
		return out == stdout ? 0 : 2;
	}
	api_config cfg;
	char err[512];
	if (api_config_load(&cfg, true, err, sizeof err) != 0) {
		api_log_write(API_LOG_ERROR, NULL, "configuration: %s", err);
		return 2;
	}
	api_log_level = cfg.log_level;
	if (!*cfg.database_url) {
		api_log_write(API_LOG_ERROR, NULL, "configuration: DATABASE_URL is not set");
		return 2;
	}
	if (sodium_init() < 0) {
		api_log_write(API_LOG_ERROR, NULL, "could not initialise libsodium");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	int fd = listen_on(cfg.listen);
	if (fd < 0) {
		api_log_write(API_LOG_ERROR, NULL, "could not listen on %s: %s", cfg.listen, strerror(errno));
		return 1;
	}
	api_metrics *metrics = api_metrics_new(cfg.workers, api_routes, api_routes_count);
	if (!metrics) {
		api_log_write(API_LOG_ERROR, NULL, "could not map shared metrics");
		return 1;
	}
	int rc = supervise(fd, &cfg, metrics);
	close(fd);
	api_metrics_free(metrics);
	api_config_dispose(&cfg);
	return rc;
}
