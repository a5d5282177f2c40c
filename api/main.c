/*
 * jxjy-gateway: binds the listening socket, forks JXJY_WORKERS workers that
 * share it (one event loop each, no locks on the request path) and
 * supervises them: a worker that dies is restarted; SIGTERM drains them
 * all (JXJY_DRAIN_S), SIGINT stops them at once.
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
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "http/alloc.h"
#include "http/config.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/ready.h"
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

static pid_t start_worker(int index, int fd, const api_config *cfg, api_metrics *m, api_ready *ready)
{
	api_ready_starting(ready, index); /* not ready until it has a connection */
	pid_t pid = fork();
	if (pid == 0) {
		/* a worker never outlives its supervisor, even one killed by SIGKILL
		 * (then it drains: SIGTERM) */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(0);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(api_worker_run(index, fd, cfg, m, ready));
	}
	if (pid < 0) {
		api_log_write(API_LOG_ERROR, NULL, "could not start worker %d: %s", index, strerror(errno));
		api_ready_gone(ready, index);
	}
	return pid;
}

/* Reaps the workers that have exited (their slots count no more) and,
 * when restart, starts each again; *failed is set when one of them did
 * not exit 0. */
static void reap(pid_t *pids, int n, api_ready *ready, bool restart, int fd, const api_config *cfg,
                 api_metrics *metrics, bool *failed)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = -1;
			api_ready_gone(ready, i);
			bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
			if (!clean)
				*failed = true;
			if (!restart)
				break;
			api_log_write(API_LOG_ERROR, NULL, "worker %d (pid %d) exited with status %d; restarting",
			              i, (int)pid, status);
			sleep(1); /* no tight crash loop */
			pids[i] = start_worker(i, fd, cfg, metrics, ready);
		}
	}
}

static int alive(const pid_t *pids, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += pids[i] > 0;
	return k;
}

static void signal_all(const pid_t *pids, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], sig);
}

/* Stops the workers after SIGTERM (a drain: /readyz 503 at once, no new
 * connections, requests in flight finish within JXJY_DRAIN_S) or SIGINT
 * (at once); a worker that exits meanwhile is not restarted, one still
 * there a second after its drain should have ended is killed.  A SIGINT
 * during a drain cuts it short.  Returns 0 when every worker stopped
 * cleanly. */
static int stop_workers(pid_t *pids, int n, int fd, int sig, const sigset_t *set,
                        const api_config *cfg, api_ready *ready)
{
	int budget = sig == SIGTERM ? cfg->drain_s : 0;
	if (sig == SIGTERM)
		api_ready_drain(ready);
	api_log_write(API_LOG_INFO, NULL, "stopping: %d s for the requests in flight", budget);
	/* the port refuses new connections once every worker has closed its copy too */
	close(fd);
	signal_all(pids, n, sig);
	bool failed = false;
	struct timespec now, end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += budget + 1;
	for (;;) {
		reap(pids, n, ready, false, -1, cfg, NULL, &failed);
		if (alive(pids, n) == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left_ms = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left_ms <= 0) {
			api_log_write(API_LOG_ERROR, NULL, "%d workers still running after the drain; killing them",
			              alive(pids, n));
			signal_all(pids, n, SIGKILL);
			failed = true;
			for (int i = 0; i < n; i++)
				if (pids[i] > 0 && waitpid(pids[i], NULL, 0) > 0) {
					pids[i] = -1;
					api_ready_gone(ready, i);
				}
			break;
		}
		struct timespec wait = { left_ms / 1000, (left_ms % 1000) * 1000000 };
		int got = sigtimedwait(set, NULL, &wait);
		if (got == SIGINT && sig == SIGTERM) {
			sig = SIGINT;
			signal_all(pids, n, SIGINT); /* cut the drain now */
		}
	}
	return failed ? 1 : 0;
}

/* Starts the workers and restarts any that dies (a crash, or an abort out
 * of memory) until SIGTERM or SIGINT; then stops them (stop_workers).
 * Closes fd.  Returns 0 when every worker stopped cleanly. */
static int supervise(int fd, const api_config *cfg, api_metrics *metrics, api_ready *ready)
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
		pids[i] = start_worker(i, fd, cfg, metrics, ready);
	api_log_write(API_LOG_INFO, NULL, "listening on %s with %d workers", cfg->listen, cfg->workers);

	int sig = 0;
	bool crashed = false; /* restarted: the exit status is the stop's alone */
	while (sig != SIGTERM && sig != SIGINT) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGCHLD)
			reap(pids, cfg->workers, ready, true, fd, cfg, metrics, &crashed);
	}
	int rc = stop_workers(pids, cfg->workers, fd, sig, &set, cfg, ready);
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
	api_ready *ready = api_ready_new(cfg.workers);
	if (!ready) {
		api_log_write(API_LOG_ERROR, NULL, "could not map shared readiness");
		return 1;
	}
	int rc = supervise(fd, &cfg, metrics, ready); /* closes fd */
	api_ready_free(ready);
	api_metrics_free(metrics);
	api_config_dispose(&cfg);
	return rc;
}
