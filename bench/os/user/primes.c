/*
 * primes.c - the "primes" workload: count the primes below N by trial
 * division.  CPU-bound: two worker tasks share the range (in interleaved
 * chunks) and run side by side, switched by the timer tick; each sends
 * its partial result to the first task in one message at the end.
 *
 * Checksum: FNV-1a over the words (count, sum of the primes as 64 bits low
 * word first, XOR of p * 0x9e3779b1 over the primes p): independent of how
 * the range is split.  bench/os/reference.py computes the same.
 */
#include "user.h"

#define WORKERS 2
#define CHUNK   4096u

static int is_prime(u32 n)
{
    if (n < 2)
        return 0;
    if (n % 2 == 0)
        return n == 2;
    for (u32 d = 3; d * d <= n; d += 2)
        if (n % d == 0)
            return 0;
    return 1;
}

/* Worker `index` of WORKERS: the chunks index, index + WORKERS, ... */
static int primes_worker(u32 index, u32 n, u32 parent)
{
    u32 count = 0, mix = 0;
    u64 sum = 0;
    for (u32 base = index * CHUNK; base < n; base += WORKERS * CHUNK) {
        u32 end = n - base < CHUNK ? n : base + CHUNK;
        for (u32 k = base; k < end; k++) {
            if (is_prime(k)) {
                count++;
                sum += k;
                mix ^= k * 0x9e3779b1u;
            }
        }
    }
    struct msg m = { { count, (u32)sum, (u32)(sum >> 32), mix } };
    return send(parent, &m) == 0 ? 0 : 1;
}

int run_primes(u32 n)
{
    int me = my_tid();
    int tid[WORKERS];
    for (u32 i = 0; i < WORKERS; i++) {
        tid[i] = spawn(primes_worker, i, n, me);
        if (tid[i] < 0) {
            printf("FAIL: primes: spawn: %d\n", tid[i]);
            return 1;
        }
    }
    u32 count = 0, mix = 0, bad = 0;
    u64 sum = 0;
    for (u32 i = 0; i < WORKERS; i++) {
        struct msg m;
        if (recv(tid[i], &m) != tid[i]) {
            bad++;
            continue;
        }
        count += m.w[0];
        sum += (u64)m.w[2] << 32 | m.w[1];
        mix ^= m.w[3];
    }
    for (u32 i = 0; i < WORKERS; i++) {
        u32 status = 1;
        if (join(tid[i], &status) != 0 || status != 0)
            bad++;
    }
    if (bad) {
        printf("FAIL: primes: %u worker(s) failed\n", bad);
        return 1;
    }
    u32 h = FNV_INIT;
    h = fnv_step(h, count);
    h = fnv_step(h, (u32)sum);
    h = fnv_step(h, (u32)(sum >> 32));
    h = fnv_step(h, mix);
    printf("primes below %u: %u, their sum %llu\n", n, count, sum);
    printf("RESULT primes checksum=0x%08x\n", h);
    return 0;
}
