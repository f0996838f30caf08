/*
 * Sorting: insertion sort, recursive quicksort, heapsort, merge sort and a
 * generic (void *, comparator function pointer) sort over pseudo-random
 * data; all must agree, be sorted and be a permutation of the input.
 */
#include "guest.h"

#define N 600
static u32 rng_state = 0x12345678;
static u32 xorshift32(void)
{
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static s32 input[N], a1[N], a2[N], a3[N], a4[N], a5[N], tmp[N];

static void insertion_sort(s32 *a, int n)
{
    for (int i = 1; i < n; i++) {
        s32 v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quicksort(s32 *a, int lo, int hi)
{
    if (lo >= hi) return;
    s32 p = a[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
        while (a[i] < p) i++;
        while (a[j] > p) j--;
        if (i <= j) { s32 t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    quicksort(a, lo, j);
    quicksort(a, i, hi);
}

static void sift(s32 *a, int start, int end)
{
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, sw = root;
        if (a[sw] < a[child]) sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1]) sw = child + 1;
        if (sw == root) return;
        s32 t = a[root]; a[root] = a[sw]; a[sw] = t;
        root = sw;
    }
}

static void heapsort(s32 *a, int n)
{
    for (int s = (n - 2) / 2; s >= 0; s--) sift(a, s, n - 1);
    for (int e = n - 1; e > 0; e--) {
        s32 t = a[e]; a[e] = a[0]; a[0] = t;
        sift(a, 0, e - 1);
    }
}

static void merge_sort(s32 *a, int lo, int hi)
{
    if (hi - lo < 2) return;
    int mid = (lo + hi) / 2;
    merge_sort(a, lo, mid);
    merge_sort(a, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = (a[j] < a[i]) ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    for (k = lo; k < hi; k++) a[k] = tmp[k];
}

static int cmp_s32(const void *x, const void *y)
{
    s32 a = *(const s32 *)x, b = *(const s32 *)y;
    return (a > b) - (a < b);
}

static void generic_sort(void *base, int n, int size, int (*cmp)(const void *, const void *))
{
    char *b = base;
    char t[16];
    for (int gap = n / 2; gap > 0; gap /= 2)          /* shell sort */
        for (int i = gap; i < n; i++)
            for (int j = i - gap; j >= 0 && cmp(b + j * size, b + (j + gap) * size) > 0; j -= gap) {
                memcpy(t, b + j * size, size);
                memcpy(b + j * size, b + (j + gap) * size, size);
                memcpy(b + (j + gap) * size, t, size);
            }
}

static int sorted(const s32 *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i]) return 0;
    return 1;
}

static u32 checksum(const s32 *a, int n)
{
    u32 h = 2166136261u;
    for (int i = 0; i < n; i++) { h ^= (u32)a[i]; h *= 16777619u; }
    return h;
}

int main(void)
{
    u32 sum = 0, xr = 0;
    for (int i = 0; i < N; i++) {
        input[i] = (s32)xorshift32() >> (i % 7);      /* mixed signs and sizes */
        if (i % 50 == 0) input[i] = input[i / 2];      /* duplicates */
        sum += (u32)input[i];
        xr ^= (u32)input[i];
    }
    memcpy(a1, input, sizeof input);
    memcpy(a2, input, sizeof input);
    memcpy(a3, input, sizeof input);
    memcpy(a4, input, sizeof input);
    memcpy(a5, input, sizeof input);
    insertion_sort(a1, N);
    quicksort(a2, 0, N - 1);
    heapsort(a3, N);
    merge_sort(a4, 0, N);
    generic_sort(a5, N, sizeof(s32), cmp_s32);
    gt_check("insertion-sorted", sorted(a1, N), 1);
    gt_check("quicksort-sorted", sorted(a2, N), 1);
    gt_check("heapsort-sorted", sorted(a3, N), 1);
    gt_check("mergesort-sorted", sorted(a4, N), 1);
    gt_check("generic-sorted", sorted(a5, N), 1);
    u32 c = checksum(a1, N);
    gt_check("quicksort-same", checksum(a2, N), c);
    gt_check("heapsort-same", checksum(a3, N), c);
    gt_check("mergesort-same", checksum(a4, N), c);
    gt_check("generic-same", checksum(a5, N), c);
    u32 s2 = 0, x2 = 0;
    for (int i = 0; i < N; i++) { s2 += (u32)a1[i]; x2 ^= (u32)a1[i]; }
    gt_check("permutation-sum", s2, sum);
    gt_check("permutation-xor", x2, xr);
    gt_printf("min=%d max=%d median=%d checksum=0x%08x\n", a1[0], a1[N - 1], a1[N / 2], c);
    gt_check("rng-final-state", rng_state, 0xf3820d19);
    return gt_finish();
}
