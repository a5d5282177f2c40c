/* messages.c — the catalogue of the API's texts (messages.def), Chinese by
 * English key, looked up by binary search in a table sorted once. */
#include "messages.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	const char *en, *zh;
} entry;

static entry table[] = {
#define M(en, zh) { en, zh },
#define L(code, zh)
#define H(column, zh)
#include "messages.def"
#undef H
#undef L
#undef M
};

/* the Chinese labels of the codes a quoted part may hold (a status, an
 * action, a kind of resource): "verified" → 已验证 */
static entry labels[] = {
#define M(en, zh)
#define L(code, zh) { code, zh },
#define H(column, zh)
#include "messages.def"
#undef H
#undef L
#undef M
};

/* the Chinese headers of CSV columns: "national_id" → 身份证号 */
static entry headers[] = {
#define M(en, zh)
#define L(code, zh)
#define H(column, zh) { column, zh },
#include "messages.def"
#undef H
#undef L
#undef M
};

#define TABLE_N (sizeof table / sizeof table[0])
#define LABELS_N (sizeof labels / sizeof labels[0])
#define HEADERS_N (sizeof headers / sizeof headers[0])

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->en, ((const entry *)b)->en);
}

static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static void sort_table(void)
{
	qsort(table, TABLE_N, sizeof table[0], entry_cmp);
	qsort(labels, LABELS_N, sizeof labels[0], entry_cmp);
	qsort(headers, HEADERS_N, sizeof headers[0], entry_cmp);
}

static const entry *find_in(entry *t, size_t n, const char *key)
{
	pthread_once(&sorted_once, sort_table);
	entry want = { key, NULL };
	return bsearch(&want, t, n, sizeof t[0], entry_cmp);
}

const char *api_msg_label(const char *code)
{
	const entry *e = code ? find_in(labels, LABELS_N, code) : NULL;
	return e ? e->zh : NULL;
}

const char *api_msg_header(const char *column)
{
	const entry *e = column ? find_in(headers, HEADERS_N, column) : NULL;
	return e ? e->zh : NULL;
}


/* A number starting at s: digits with inner dots (4.5, 2021); its length. */
static size_t number_at(const char *s, const char *end)
{
	size_t i = 0;
	while (s + i < end && (isdigit((unsigned char)s[i]) ||
	                       (i > 0 && s[i] == '.' && s + i + 1 < end && isdigit((unsigned char)s[i + 1]))))
		i++;
	return i;
}

#define PARTS_MAX 8

typedef struct keyed {
	char key[API_MSG_MAX];
	size_t k;
	int n; /* parts seen (more than PARTS_MAX: no fill) */
	const char *s[PARTS_MAX];
	size_t len[PARTS_MAX];
	bool ok;
} keyed;

static void put(keyed *q, const char *text, size_t len)
{
	if (q->k + len >= sizeof q->key) {
		q->ok = false;
		return;
	}
	memcpy(q->key + q->k, text, len);
	q->k += len;
	q->key[q->k] = '\0';
}

static void part(keyed *q, const char *s, size_t len)
{
	if (q->n < PARTS_MAX) {
		q->s[q->n] = s;
		q->len[q->n] = len;
	}
	q->n++;
}

/* Appends the key of [s, end) to q: numbers and double-quoted texts become
 * "{}" (the quotes kept), their texts parts. */
static void key_of(keyed *q, const char *s, const char *end)
{
	for (const char *p = s; p < end && q->ok;) {
		size_t len;
		const char *close = *p == '"' ? memchr(p + 1, '"', (size_t)(end - p - 1)) : NULL;
		if (close) {
			put(q, "\"{}\"", 4);
			part(q, p + 1, (size_t)(close - p - 1));
			p = close + 1;
		} else if (*p == '-' && (p == s || p[-1] == ' ') && (len = number_at(p + 1, end)) > 0) {
			/* a negative number: "got -5" */
			put(q, "{}", 2);
			part(q, p, len + 1);
			p += len + 1;
		} else if ((p == s || !isalnum((unsigned char)p[-1]) || p[-1] == '-') &&
		           (len = number_at(p, end)) > 0) {
			put(q, "{}", 2);
			part(q, p, len);
			p += len;
		} else {
			put(q, p, 1);
			p++;
		}
	}
}

/* The key of en read one way (mode): 0 as it is; 1 and 2 with what follows
 * its first or last ": " as one part; 3 with its first word as one part.
 * False when the mode does not apply to en or the key does not fit. */
static bool key_mode(const char *en, int mode, keyed *q)
{
	memset(q, 0, sizeof *q);
	q->ok = true;
	const char *end = en + strlen(en), *cut;
	switch (mode) {
	case 0:
		key_of(q, en, end);
		break;
	case 1:
	case 2:
		cut = strstr(en, ": ");
		if (mode == 2)
			for (const char *c = cut; c; c = strstr(c + 1, ": "))
				cut = c;
		if (!cut || (mode == 2 && cut == strstr(en, ": ")) || !cut[2])
			return false;
		key_of(q, en, cut);
		put(q, ": {}", 4);
		part(q, cut + 2, (size_t)(end - cut - 2));
		break;
	default:
		cut = strchr(en, ' ');
		if (!cut || cut == en)
			return false;
		put(q, "{}", 2);
		part(q, en, (size_t)(cut - en));
		key_of(q, cut, end);
		break;
	}
	return q->ok;
}

bool api_msg_key(const char *en, char *key, size_t n)
{
	keyed q;
	if (!en || n == 0 || !key_mode(en, 0, &q) || q.k >= n)
		return false;
	memcpy(key, q.key, q.k + 1);
	return true;
}

static void copy_as_is(const char *en, char *buf, size_t n)
{
	size_t len = strlen(en);
	if (len >= n)
		len = n - 1;
	memcpy(buf, en, len);
	buf[len] = '\0';
}

/* The label of a code (the part [s, s + len)), or NULL. */
static const char *label_of(const char *s, size_t len)
{
	char code[64];
	if (len == 0 || len >= sizeof code)
		return NULL;
	memcpy(code, s, len);
	code[len] = '\0';
	return api_msg_label(code);
}

/* zh with the parts put in for its "{}" (and "{L}": a code shown as its
 * label), in order; false when it does not
 * fit or the counts differ */
static bool fill(const char *zh, const keyed *q, char *buf, size_t n)
{
	if (q->n > PARTS_MAX)
		return false;
	size_t k = 0;
	int used = 0;
	for (const char *z = zh; *z;) {
		bool labelled = z[0] == '{' && z[1] == 'L' && z[2] == '}';
		if ((z[0] == '{' && z[1] == '}') || labelled) {
			if (used >= q->n)
				return false;
			const char *text = q->s[used];
			size_t len = q->len[used];
			const char *label = labelled ? label_of(text, len) : NULL;
			if (label) {
				text = label;
				len = strlen(label);
			}
			if (k + len >= n)
				return false;
			memcpy(buf + k, text, len);
			k += len;
			used++;
			z += labelled ? 3 : 2;
		} else {
			if (k + 1 >= n)
				return false;
			buf[k++] = *z++;
		}
	}
	buf[k] = '\0';
	return used == q->n;
}

static const entry *find(const char *key)
{
	return find_in(table, TABLE_N, key);
}

bool api_msg_translate(api_lang lang, const char *en, char *buf, size_t n, char *key, size_t keyn)
{
	if (!en || n == 0)
		return false;
	if (key && keyn > 0 && !api_msg_key(en, key, keyn))
		key[0] = '\0';
	if (lang == API_LANG_EN) {
		copy_as_is(en, buf, n);
		return true;
	}
	keyed q;
	for (int mode = 0; mode < 4; mode++) {
		const entry *e;
		if (key_mode(en, mode, &q) && (e = find(q.key)) && fill(e->zh, &q, buf, n))
			return true;
	}
	copy_as_is(en, buf, n);
	return false;
}

bool api_msg_entry(size_t i, const char **en_key, const char **zh)
{
	if (i >= TABLE_N)
		return false;
	pthread_once(&sorted_once, sort_table);
	*en_key = table[i].en;
	*zh = table[i].zh;
	return true;
}
