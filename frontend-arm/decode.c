/*
 * The A32 decoder: the groups' pattern tables, merged and sorted so that a pattern with
 * more fixed bits is tried before a more general one. The encoding space overlaps by
 * design (ARM ARM A5.1: e.g. multiplies and extra loads/stores live inside the data
 * processing space), and "most specific first" is exactly the rule the ARM ARM tables
 * express. Lookup is bucketed by bits [27:20] and [7:4], the bits A5.1 decodes on first.
 */
#include "frontend-arm/decode.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct DecodeEntry {
    uint32_t mask, value;
    unsigned fixed;
    const A32Pattern *pattern;
} DecodeEntry;

/* Buckets: 256 values of bits[27:20] x 16 values of bits[7:4] x conditional/unconditional. */
#define N_BUCKETS (2 * 256 * 16)

typedef struct DecodeTables {
    DecodeEntry *entries;
    unsigned n;
    /* For each bucket, a list of indices into entries (sorted, most specific first). */
    uint16_t *bucket_items;
    uint32_t bucket_start[N_BUCKETS + 1];
} DecodeTables;

/* Built once per process and then only read: immutable after initialisation, so it is
 * not "mutable global state" in the sense of DESIGN.md. */
static DecodeTables tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static const A32Pattern *const *group_tables(void)
{
    static const A32Pattern *const groups[] = {
        a32_dp_patterns, a32_mul_patterns, a32_media_patterns, a32_mem_patterns,
        a32_branch_patterns, a32_system_patterns, NULL,
    };
    return groups;
}

static void compile_pattern(const A32Pattern *p, DecodeEntry *e)
{
    size_t len = strlen(p->bits);
    if (len != 32)
        abort(); /* a malformed table is a programming error; the unit tests catch it */
    e->mask = e->value = 0;
    e->fixed = 0;
    for (unsigned k = 0; k < 32; k++) {
        uint32_t bitv = 1u << (31 - k);
        if (p->bits[k] == '0' || p->bits[k] == '1') {
            e->mask |= bitv;
            e->fixed++;
            if (p->bits[k] == '1')
                e->value |= bitv;
        }
    }
    e->pattern = p;
}

static int by_specificity(const void *a, const void *b)
{
    const DecodeEntry *x = a, *y = b;
    if (x->fixed != y->fixed)
        return x->fixed > y->fixed ? -1 : 1;
    return x < y ? -1 : (x > y);
}

static unsigned bucket_of(uint32_t insn)
{
    unsigned uncond = (insn >> 28) == 0xf;
    return (uncond << 12) | (((insn >> 20) & 0xff) << 4) | ((insn >> 4) & 0xf);
}

/* The bucket-key bits (see bucket_of) of an instruction word, or of a pattern's mask. */
static unsigned key_bits(uint32_t w)
{
    return (((w >> 20) & 0xff) << 4) | ((w >> 4) & 0xf);
}

/* For every bucket entry `index` can match an instruction of (its fixed key bits as they
 * are, every combination of its free ones, its condition field's kind): count it in
 * sizes[bucket + 1] or, with `items`, append it at items[next[bucket]++]. */
static void visit_buckets(unsigned index, uint32_t *sizes, uint32_t *next, uint16_t *items)
{
    const DecodeEntry *e = &tables.entries[index];
    bool uncond = (e->mask & 0xf0000000u) == 0xf0000000u && (e->value >> 28) == 0xf;
    unsigned fixed = key_bits(e->mask), value = key_bits(e->value) & fixed;
    unsigned free_bits = ~fixed & 0xfffu, sub = 0;
    do {
        unsigned bucket = (uncond ? 1u << 12 : 0) | value | sub;
        if (items)
            items[next[bucket]++] = (uint16_t)index;
        else
            sizes[bucket + 1]++;
        sub = (sub - free_bits) & free_bits; /* the next subset of the free bits */
    } while (sub != 0);
}

static void build_tables(void)
{
    unsigned n = 0;
    for (const A32Pattern *const *g = group_tables(); *g; g++)
        for (const A32Pattern *p = *g; p->bits; p++)
            n++;
    tables.entries = calloc(n, sizeof(DecodeEntry));
    if (!tables.entries)
        abort();
    unsigned k = 0;
    for (const A32Pattern *const *g = group_tables(); *g; g++)
        for (const A32Pattern *p = *g; p->bits; p++)
            compile_pattern(p, &tables.entries[k++]);
    tables.n = n;
    qsort(tables.entries, n, sizeof(DecodeEntry), by_specificity);

    /* A counting sort: the size of every bucket, then each entry appended to its
     * buckets in specificity order (each pattern visits only its own buckets). */
    for (unsigned i = 0; i < n; i++)
        visit_buckets(i, tables.bucket_start, NULL, NULL);
    for (unsigned bkt = 0; bkt < N_BUCKETS; bkt++)
        tables.bucket_start[bkt + 1] += tables.bucket_start[bkt];
    uint32_t total = tables.bucket_start[N_BUCKETS];
    uint32_t *next = malloc(N_BUCKETS * sizeof(uint32_t));
    tables.bucket_items = malloc((total ? total : 1) * sizeof(uint16_t));
    if (!next || !tables.bucket_items)
        abort();
    memcpy(next, tables.bucket_start, N_BUCKETS * sizeof(uint32_t));
    for (unsigned i = 0; i < n; i++)
        visit_buckets(i, NULL, next, tables.bucket_items);
    free(next);
}

const A32Pattern *a32_decode(uint32_t insn)
{
    pthread_once(&tables_once, build_tables);
    unsigned bkt = bucket_of(insn);
    for (uint32_t k = tables.bucket_start[bkt]; k < tables.bucket_start[bkt + 1]; k++) {
        const DecodeEntry *e = &tables.entries[tables.bucket_items[k]];
        if ((insn & e->mask) == e->value)
            return e->pattern;
    }
    return NULL;
}

const char *arm_decode_name(uint32_t insn)
{
    const A32Pattern *p = a32_decode(insn);
    return p ? p->name : NULL;
}

const char *arm_decode_name_linear(uint32_t insn)
{
    pthread_once(&tables_once, build_tables);
    bool uncond = (insn >> 28) == 0xf;
    for (unsigned i = 0; i < tables.n; i++) {
        const DecodeEntry *e = &tables.entries[i];
        bool pat_uncond = (e->mask & 0xf0000000u) == 0xf0000000u && (e->value >> 28) == 0xf;
        if ((insn & e->mask) == e->value && uncond == pat_uncond)
            return e->pattern->name;
    }
    return NULL;
}

/* Two patterns with the same number of fixed bits that can match one encoding make the
 * decoder's choice depend on table order: report every such pair. */
int arm_decode_selfcheck(char *report, size_t len)
{
    pthread_once(&tables_once, build_tables);
    int bad = 0;
    size_t pos = 0;
    if (len)
        report[0] = 0;
    for (unsigned i = 0; i < tables.n; i++) {
        for (unsigned j = i + 1; j < tables.n && tables.entries[j].fixed == tables.entries[i].fixed; j++) {
            const DecodeEntry *x = &tables.entries[i], *y = &tables.entries[j];
            bool x_uncond = (x->value >> 28) == 0xf && (x->mask >> 28) == 0xf;
            bool y_uncond = (y->value >> 28) == 0xf && (y->mask >> 28) == 0xf;
            if (x_uncond != y_uncond || (x->mask & y->mask & (x->value ^ y->value)) != 0)
                continue;
            bad++;
            if (pos < len)
                pos += (size_t)snprintf(report + pos, len - pos, "%s/%s ", x->pattern->name, y->pattern->name);
        }
    }
    return bad;
}
