#include "http/ready.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* A slot is one word, so that a reader never sees one worker's pid with
 * another's state: pid * 2 + up; 0 no worker, STARTING forked, not yet
 * registered.  Each slot has one writer at a time: the supervisor while
 * no worker runs in it, else that worker. */
#define STARTING ((int64_t)-2)

struct api_ready {
	int workers;
	int draining;
	int64_t slots[API_READY_WORKERS];
};

api_ready *api_ready_new(int workers)
{
	void *p = mmap(NULL, sizeof(api_ready), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	               -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	api_ready *s = p;
	memset(s, 0, sizeof *s);
	s->workers = workers > API_READY_WORKERS ? API_READY_WORKERS : workers;
	return s;
}

void api_ready_free(api_ready *s)
{
	if (s)
		munmap(s, sizeof *s);
}

static void slot_store(api_ready *s, int worker, int64_t v)
{
	if (s && worker >= 0 && worker < s->workers)
		__atomic_store_n(&s->slots[worker], v, __ATOMIC_SEQ_CST);
}

void api_ready_starting(api_ready *s, int worker)
{
	slot_store(s, worker, STARTING);
}

void api_ready_gone(api_ready *s, int worker)
{
	slot_store(s, worker, 0);
}

void api_ready_register(api_ready *s, int worker, long pid)
{
	slot_store(s, worker, (int64_t)pid * 2);
}

void api_ready_set_db(api_ready *s, int worker, long pid, bool up)
{
	slot_store(s, worker, (int64_t)pid * 2 + (up ? 1 : 0));
}

void api_ready_drain(api_ready *s)
{
	__atomic_store_n(&s->draining, 1, __ATOMIC_SEQ_CST);
}

bool api_ready_draining(const api_ready *s)
{
	return __atomic_load_n(&s->draining, __ATOMIC_SEQ_CST) != 0;
}

int api_ready_worker_down(const api_ready *s)
{
	for (int i = 0; i < s->workers; i++) {
		int64_t v = __atomic_load_n(&s->slots[i], __ATOMIC_SEQ_CST);
		if (v == 0 || (v > 0 && (v & 1)))
			continue;
		if (v == STARTING)
			return i;
		/* down: unless the process died and the supervisor has not
		 * reaped it yet (it clears the slot when it does) */
		if (kill((pid_t)(v / 2), 0) != 0 && errno == ESRCH)
			continue;
		return i;
	}
	return -1;
}
