#include "auth/hasher.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

/* OWASP's Argon2id minimum (m = 19 MiB, t = 2, p = 1): about 20 ms here. */
#define HASH_OPS 2
#define HASH_MEM (19u * 1024 * 1024)
#define QUEUE_MAX 256

typedef struct job {
	struct job *next;
	bool verify;
	bool ok;
	char *password;
	char hash[crypto_pwhash_STRBYTES];
	bool has_hash;
	api_hasher_cb cb;
	void *arg;
} job;

struct api_hasher {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	job *head, *tail;
	int queued;
	bool stop;
	int pipe_rd, pipe_wr;
	struct event *ev;
	char dummy[crypto_pwhash_STRBYTES]; /* burns time for unknown logins */
};

int api_password_hash(char out[128], const char *password)
{
	char buf[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(buf, password, strlen(password), HASH_OPS, HASH_MEM) != 0)
		return -1;
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

static void run_job(api_hasher *h, job *j)
{
	size_t n = strlen(j->password);
	if (j->verify) {
		const char *hash = j->has_hash ? j->hash : h->dummy;
		bool match = crypto_pwhash_str_verify(hash, j->password, n) == 0;
		j->ok = j->has_hash && match;
	} else {
		j->ok = crypto_pwhash_str(j->hash, j->password, n, HASH_OPS, HASH_MEM) == 0;
	}
	sodium_memzero(j->password, n);
}

static void *thread_main(void *arg)
{
	api_hasher *h = arg;
	for (;;) {
		pthread_mutex_lock(&h->mu);
		while (!h->head && !h->stop)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->stop) {
			pthread_mutex_unlock(&h->mu);
			return NULL;
		}
		job *j = h->head;
		h->head = j->next;
		if (!h->head)
			h->tail = NULL;
		pthread_mutex_unlock(&h->mu);
		run_job(h, j);
		ssize_t w;
		do {
			w = write(h->pipe_wr, &j, sizeof j);
		} while (w < 0 && errno == EINTR);
	}
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	api_hasher *h = arg;
	job *batch[64];
	ssize_t r;
	while ((r = read(fd, batch, sizeof batch)) > 0) {
		for (size_t i = 0; i < (size_t)r / sizeof(job *); i++) {
			job *j = batch[i];
			pthread_mutex_lock(&h->mu);
			h->queued--;
			pthread_mutex_unlock(&h->mu);
			j->cb(j->ok, j->verify ? NULL : j->hash, j->arg);
			free(j->password);
			free(j);
		}
	}
}

int api_hasher_new(api_hasher **out, struct event_base *base)
{
	*out = NULL;
	api_hasher *h = calloc(1, sizeof *h);
	int fds[2];
	if (!h)
		return -1;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		free(h);
		return -1;
	}
	h->pipe_rd = fds[0];
	h->pipe_wr = fds[1];
	fcntl(h->pipe_rd, F_SETFL, O_NONBLOCK);
	if (crypto_pwhash_str(h->dummy, "dummy password", 14, HASH_OPS, HASH_MEM) != 0)
		goto fail;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->ev = event_new(base, h->pipe_rd, EV_READ | EV_PERSIST, on_done, h);
	if (!h->ev || event_add(h->ev, NULL) != 0)
		goto fail;
	if (pthread_create(&h->thread, NULL, thread_main, h) != 0)
		goto fail;
	*out = h;
	return 0;
fail:
	if (h->ev)
		event_free(h->ev);
	close(h->pipe_rd);
	close(h->pipe_wr);
	free(h);
	return -1;
}

void api_hasher_free(api_hasher *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	for (job *j = h->head, *n; j; j = n) {
		n = j->next;
		free(j->password);
		free(j);
	}
	event_free(h->ev);
	close(h->pipe_rd);
	close(h->pipe_wr);
	free(h);
}

static int submit(api_hasher *h, bool verify, const char *hash, const char *password,
                  api_hasher_cb cb, void *arg)
{
	job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->verify = verify;
	j->password = strdup(password);
	if (!j->password) {
		free(j);
		return -1;
	}
	if (hash && strlen(hash) < sizeof j->hash) {
		memcpy(j->hash, hash, strlen(hash) + 1);
		j->has_hash = true;
	}
	j->cb = cb;
	j->arg = arg;
	pthread_mutex_lock(&h->mu);
	if (h->queued >= QUEUE_MAX) {
		pthread_mutex_unlock(&h->mu);
		free(j->password);
		free(j);
		return -1;
	}
	h->queued++;
	if (h->tail)
		h->tail->next = j;
	else
		h->head = j;
	h->tail = j;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

int api_hasher_verify(api_hasher *h, const char *hash, const char *password, api_hasher_cb cb,
                      void *arg)
{
	return submit(h, true, hash, password, cb, arg);
}

int api_hasher_hash(api_hasher *h, const char *password, api_hasher_cb cb, void *arg)
{
	return submit(h, false, NULL, password, cb, arg);
}
