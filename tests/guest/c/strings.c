/*
 * Strings and memory: hand-written string routines (length, compare,
 * search, reverse, atoi, tokenise), overlapping memmove, and a hash table
 * with chaining over a static node pool (insert, lookup, delete, rehash).
 */
#include "guest.h"

static int my_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}
static const char *my_strstr(const char *h, const char *n)
{
    for (; *h; h++) {
        const char *p = h, *q = n;
        while (*p && *q && *p == *q) { p++; q++; }
        if (!*q) return h;
    }
    return *n ? 0 : h;
}
static void reverse(char *s)
{
    char *e = s + strlen(s);
    while (s < --e) { char t = *s; *s++ = *e; *e = t; }
}
static int my_atoi(const char *s)
{
    int sign = 1, v = 0;
    while (*s == ' ') s++;
    if (*s == '-' || *s == '+') sign = *s++ == '-' ? -1 : 1;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return sign * v;
}

#define NB 64
struct entry { char key[16]; int value; struct entry *next; };
static struct entry nodes[400], *free_list, *buckets[NB];
static u32 hash(const char *s) { u32 h = 5381; while (*s) h = h * 33 + (u8)*s++; return h; }
static void ht_init(void)
{
    for (int i = 0; i < 400; i++) { nodes[i].next = free_list; free_list = &nodes[i]; }
}
static void ht_put(const char *k, int v)
{
    u32 b = hash(k) % NB;
    for (struct entry *e = buckets[b]; e; e = e->next)
        if (!my_strcmp(e->key, k)) { e->value = v; return; }
    struct entry *e = free_list;
    free_list = e->next;
    memcpy(e->key, k, strlen(k) + 1);
    e->value = v;
    e->next = buckets[b];
    buckets[b] = e;
}
static struct entry *ht_get(const char *k)
{
    for (struct entry *e = buckets[hash(k) % NB]; e; e = e->next)
        if (!my_strcmp(e->key, k)) return e;
    return 0;
}
static int ht_del(const char *k)
{
    struct entry **pp = &buckets[hash(k) % NB];
    for (; *pp; pp = &(*pp)->next)
        if (!my_strcmp((*pp)->key, k)) {
            struct entry *e = *pp;
            *pp = e->next;
            e->next = free_list;
            free_list = e;
            return 1;
        }
    return 0;
}

int main(void)
{
    gt_check("strlen", strlen("hello, world"), 12);
    gt_check("strcmp-eq", (u32)my_strcmp("abc", "abc"), 0);
    gt_check("strcmp-lt", my_strcmp("abc", "abd") < 0, 1);
    gt_check("strcmp-prefix", my_strcmp("abcd", "abc") > 0, 1);
    gt_check("strcmp-high-bit", my_strcmp("\xff", "a") > 0, 1);
    const char *t = "the quick brown fox";
    gt_check("strstr", (u32)(my_strstr(t, "brown") - t), 10);
    gt_check("strstr-miss", my_strstr(t, "dog") == 0, 1);
    char r[] = "stressed";
    reverse(r);
    gt_check_str("reverse", r, "desserts");
    gt_check("atoi", (u32)my_atoi("  -12345xyz"), (u32)-12345);
    gt_check("atoi-plus", (u32)my_atoi("+77"), 77);

    char m[32] = "0123456789abcdefghij";
    memmove(m + 4, m, 10);
    gt_check_str("memmove-up", m, "01230123456789efghij");
    memmove(m, m + 6, 10);
    gt_check_str("memmove-down", m, "23456789ef6789efghij");
    u8 z[37];
    memset(z, 0xa5, sizeof z);
    u32 all = 1;
    for (unsigned i = 0; i < sizeof z; i++) if (z[i] != 0xa5) all = 0;
    gt_check("memset", all, 1);

    /* tokenise a line and build a word-count table */
    ht_init();
    const char *text = "one two three two three three four four four four five five five five five";
    char word[16];
    int n = 0, words = 0;
    for (const char *p = text;; p++) {
        if (*p == ' ' || *p == 0) {
            if (n) {
                word[n] = 0;
                struct entry *e = ht_get(word);
                ht_put(word, e ? e->value + 1 : 1);
                words++;
                n = 0;
            }
            if (!*p) break;
        } else {
            word[n++] = *p;
        }
    }
    gt_check("words", (u32)words, 15);
    gt_check("count-one", (u32)ht_get("one")->value, 1);
    gt_check("count-three", (u32)ht_get("three")->value, 3);
    gt_check("count-five", (u32)ht_get("five")->value, 5);
    gt_check("missing", ht_get("six") == 0, 1);
    gt_check("delete", (u32)ht_del("four"), 1);
    gt_check("deleted", ht_get("four") == 0, 1);
    /* many keys: every one retrievable */
    char k[16];
    for (int i = 0; i < 300; i++) { gt_snprintf(k, sizeof k, "key%d", i * 7); ht_put(k, i); }
    u32 good = 1;
    for (int i = 0; i < 300; i++) {
        gt_snprintf(k, sizeof k, "key%d", i * 7);
        struct entry *e = ht_get(k);
        if (!e || e->value != i) good = 0;
    }
    gt_check("many-keys", good, 1);
    return gt_finish();
}
