/* map.c — string-keyed hash map with open addressing (linear probing).
 * Keys are borrowed: callers keep them alive (usually in an arena). No
 * deletion is needed by any user, which keeps probing simple. */
#include "base.h"

#include <string.h>

static uint32_t hash_str(const char *s, bool nocase)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (nocase && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        h = (h ^ c) * 16777619u;
    }
    return h ? h : 1;
}

void cv_map_init(cv_map *m, bool nocase)
{
    m->slots = NULL;
    m->cap = m->n = 0;
    m->nocase = nocase;
}

void cv_map_free(cv_map *m)
{
    cv_free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static bool key_eq(const cv_map *m, const char *a, const char *b)
{
    return m->nocase ? cv_streq_nocase(a, b) : strcmp(a, b) == 0;
}

static cv_map_slot *find(const cv_map *m, const char *key, uint32_t h)
{
    if (!m->cap) return NULL;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        cv_map_slot *s = &m->slots[i];
        if (!s->key) return s;
        if (s->hash == h && key_eq(m, s->key, key)) return s;
    }
}

static int grow(cv_map *m)
{
    uint32_t nc = m->cap ? m->cap * 2 : 16;
    cv_map_slot *ns = cv_calloc(nc, sizeof *ns);
    if (!ns) return CV_ENOMEM;
    cv_map_slot *old = m->slots;
    uint32_t oc = m->cap;
    m->slots = ns;
    m->cap = nc;
    for (uint32_t i = 0; i < oc; i++)
        if (old[i].key) *find(m, old[i].key, old[i].hash) = old[i];
    cv_free(old);
    return 0;
}

int cv_map_put(cv_map *m, const char *key, void *val)
{
    if ((m->n + 1) * 4 >= m->cap * 3) CV_TRY(grow(m));
    uint32_t h = hash_str(key, m->nocase);
    cv_map_slot *s = find(m, key, h);
    if (!s->key) {
        s->key = key;
        s->hash = h;
        s->order = m->n++;
    }
    s->val = val;
    return 0;
}

void *cv_map_get(const cv_map *m, const char *key)
{
    cv_map_slot *s = find(m, key, hash_str(key, m->nocase));
    return s && s->key ? s->val : NULL;
}

bool cv_map_has(const cv_map *m, const char *key)
{
    cv_map_slot *s = find(m, key, hash_str(key, m->nocase));
    return s && s->key;
}
