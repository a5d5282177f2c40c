/* Open addressing over a power-of-two table, kept at most half full;
 * growing rebuilds it without the entries the caller no longer needs. */
#include "auth/keytab.h"

#include <stdlib.h>
#include <string.h>

#include "http/alloc.h"
#include "http/hash.h"

typedef struct slot {
	int64_t value; /* 0: empty */
	char key[API_KEYTAB_KEY_MAX + 1];
} slot;

struct api_keytab {
	slot *slots;
	size_t cap, used;
};

#define KEYTAB_CAP_MIN 64

api_keytab *api_keytab_new(void)
{
	api_keytab *t = api_xcalloc(1, sizeof *t);
	t->cap = KEYTAB_CAP_MIN;
	t->slots = api_xcalloc(t->cap, sizeof *t->slots);
	return t;
}

void api_keytab_free(api_keytab *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

/* The slot of key, or the empty slot where it would go. */
static slot *find(const api_keytab *t, const char *key)
{
	size_t mask = t->cap - 1, i = (size_t)api_hash_str(key) & mask;
	while (t->slots[i].value != 0 && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return &t->slots[i];
}

static void grow(api_keytab *t, int64_t drop_below)
{
	slot *old = t->slots;
	size_t old_cap = t->cap, live = 0;
	for (size_t i = 0; i < old_cap; i++)
		live += old[i].value != 0 && old[i].value >= drop_below;
	size_t cap = KEYTAB_CAP_MIN;
	while (cap < 4 * (live + 1))
		cap *= 2;
	t->slots = api_xcalloc(cap, sizeof *t->slots);
	t->cap = cap;
	t->used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].value == 0 || old[i].value < drop_below)
			continue;
		*find(t, old[i].key) = old[i];
		t->used++;
	}
	free(old);
}

static bool key_ok(const char *key)
{
	return key && *key && strlen(key) <= API_KEYTAB_KEY_MAX;
}

void api_keytab_put(api_keytab *t, const char *key, int64_t value, bool keep, int64_t drop_below)
{
	if (!key_ok(key) || value == 0)
		return;
	if (2 * (t->used + 1) > t->cap)
		grow(t, drop_below);
	slot *e = find(t, key);
	if (e->value != 0) {
		if (!keep)
			e->value = value;
		return;
	}
	strcpy(e->key, key);
	e->value = value;
	t->used++;
}

int64_t api_keytab_get(const api_keytab *t, const char *key)
{
	return key_ok(key) ? find(t, key)->value : 0;
}

size_t api_keytab_count(const api_keytab *t)
{
	return t->used;
}
