/* The revoked jtis: open addressing over a power-of-two table, kept at most
 * half full; growing rebuilds it without the entries that have expired. */
#include "auth/revoked.h"

#include <stdlib.h>
#include <string.h>

#include "http/alloc.h"
#include "http/hash.h"

typedef struct slot {
	int64_t exp;                          /* 0: empty */
	char jti[API_REVOKED_JTI_MAX + 1];
} slot;

struct api_revoked {
	slot *slots;
	size_t cap, used;
};

#define REVOKED_CAP_MIN 64

api_revoked *api_revoked_new(void)
{
	api_revoked *s = api_xcalloc(1, sizeof *s);
	s->cap = REVOKED_CAP_MIN;
	s->slots = api_xcalloc(s->cap, sizeof *s->slots);
	return s;
}

void api_revoked_free(api_revoked *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

/* The slot of jti, or the empty slot where it would go. */
static slot *find(const api_revoked *s, const char *jti)
{
	size_t mask = s->cap - 1, i = (size_t)api_hash_str(jti) & mask;
	while (s->slots[i].exp != 0 && strcmp(s->slots[i].jti, jti) != 0)
		i = (i + 1) & mask;
	return &s->slots[i];
}

static void grow(api_revoked *s, int64_t now)
{
	slot *old = s->slots;
	size_t old_cap = s->cap, live = 0;
	for (size_t i = 0; i < old_cap; i++)
		live += old[i].exp > now;
	size_t cap = REVOKED_CAP_MIN;
	while (cap < 4 * (live + 1))
		cap *= 2;
	s->slots = api_xcalloc(cap, sizeof *s->slots);
	s->cap = cap;
	s->used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].exp <= now)
			continue;
		*find(s, old[i].jti) = old[i];
		s->used++;
	}
	free(old);
}

void api_revoked_add(api_revoked *s, const char *jti, int64_t exp, int64_t now)
{
	if (!jti || !*jti || strlen(jti) > API_REVOKED_JTI_MAX || exp <= 0)
		return;
	if (2 * (s->used + 1) > s->cap)
		grow(s, now);
	slot *e = find(s, jti);
	if (e->exp != 0)
		return;
	strcpy(e->jti, jti);
	e->exp = exp;
	s->used++;
}

bool api_revoked_has(const api_revoked *s, const char *jti)
{
	if (!jti || !*jti || strlen(jti) > API_REVOKED_JTI_MAX)
		return false;
	return find(s, jti)->exp != 0;
}

size_t api_revoked_count(const api_revoked *s)
{
	return s->used;
}
