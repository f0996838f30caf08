/*
 * fractal.c - the "fractal" workload: a W x H Mandelbrot image of the
 * region [-2.25, 0.75] x [-1.25, 1.25], at most ITER iterations per point,
 * in fixed-point integer arithmetic (Q4.28: 4 integer bits, 28 fraction
 * bits; products in 64 bits).
 *
 * A worker task computes the image row by row.  It writes each finished
 * row of iteration counts into the shared window and sends a display task
 * a message (row, FNV-1a of the row, sum of its counts, W) by SYS_CALL; the
 * display task reads the row, checks it against the message, folds it
 * into the image checksum, prints a line of the ASCII-art preview when the
 * row is one of the sampled ones, and replies, which lets the worker
 * overwrite the buffer with the next row.
 *
 * Checksum: FNV-1a over every iteration count, row by row
 * (bench/os/reference.py computes the same).
 */
#include "user.h"

#define FX_XMIN   (-0x24000000)         /* -2.25 in Q4.28 */
#define FX_WIDTH  0x30000000            /*  3.0  */
#define FX_YMIN   (-0x14000000)         /* -1.25 */
#define FX_HEIGHT 0x28000000            /*  2.5  */
#define FX_FOUR   ((s64)4 << 56)        /*  4.0 in Q8.56, the scale of a product */

#define PREVIEW_W 64
#define PREVIEW_H 24

/* Iterations of z = z^2 + c from z = 0 until |z| > 2 (at most maxit). */
static u32 mandel(s32 cx, s32 cy, u32 maxit)
{
    s32 x = 0, y = 0;
    u32 i;
    for (i = 0; i < maxit; i++) {
        s64 xx = (s64)x * x, yy = (s64)y * y;
        if (xx + yy > FX_FOUR)
            break;
        s64 xy = (s64)x * y;
        y = (s32)(xy >> 27) + cy;       /* 2xy: Q8.56 -> Q4.28, times 2 */
        x = (s32)((xx - yy) >> 28) + cx;
    }
    return i;
}

static int fractal_worker(u32 size, u32 maxit, u32 display)
{
    u32 w = size >> 16, h = size & 0xffff;
    s32 dx = FX_WIDTH / (s32)w, dy = FX_HEIGHT / (s32)h;
    volatile u32 *row = SHARED;
    for (u32 y = 0; y < h; y++) {
        s32 cy = FX_YMIN + (s32)y * dy;
        u32 hash = FNV_INIT, sum = 0;
        for (u32 x = 0; x < w; x++) {
            u32 it = mandel(FX_XMIN + (s32)x * dx, cy, maxit);
            row[x] = it;
            hash = fnv_step(hash, it);
            sum += it;
        }
        struct msg m = { { y, hash, sum, w } };
        if (call(display, &m) != 0)
            return 1;
    }
    return 0;
}

static char shade(u32 it, u32 maxit)
{
    static const char ramp[] = " .:-=+*%@";
    if (it >= maxit)
        return '#';                     /* inside the set */
    u32 level = 31 - __builtin_clz(it + 1);    /* log2 */
    return ramp[level < sizeof ramp - 2 ? level : sizeof ramp - 2];
}

static int fractal_display(u32 size, u32 maxit, u32 parent)
{
    u32 w = size >> 16, h = size & 0xffff;
    u32 pw = w < PREVIEW_W ? w : PREVIEW_W, ph = h < PREVIEW_H ? h : PREVIEW_H;
    u32 image = FNV_INIT, total = 0, bad = 0, next_preview = 0;
    volatile u32 *row = SHARED;
    for (u32 y = 0; y < h; y++) {
        struct msg m;
        int from = recv(TID_ANY, &m);
        if (from < 0)
            return 1;
        u32 hash = FNV_INIT, sum = 0;
        for (u32 x = 0; x < w; x++) {
            u32 it = row[x];
            hash = fnv_step(hash, it);
            image = fnv_step(image, it);
            sum += it;
        }
        total += sum;
        if (m.w[0] != y || m.w[1] != hash || m.w[2] != sum || m.w[3] != w)
            bad++;
        if (next_preview < ph && y == next_preview * h / ph) {
            char line[PREVIEW_W + 1];
            for (u32 i = 0; i < pw; i++)
                line[i] = shade(row[i * w / pw], maxit);
            line[pw] = 0;
            printf("|%s|\n", line);
            next_preview++;
        }
        reply(from, &m);
    }
    struct msg result = { { image, total, bad, 0 } };
    return send(parent, &result) == 0 ? 0 : 1;
}

int run_fractal(u32 w, u32 h, u32 maxit)
{
    int me = my_tid();
    u32 size = w << 16 | h;
    int display = spawn(fractal_display, size, maxit, me);
    int worker = display < 0 ? display : spawn(fractal_worker, size, maxit, display);
    if (worker < 0) {
        printf("FAIL: fractal: spawn: %d\n", worker);
        return 1;
    }
    struct msg m = { { 0, 0, 0, 0 } };
    u32 worker_status = 1, display_status = 1;
    int got = recv(display, &m);
    join(worker, &worker_status);
    join(display, &display_status);
    if (got != display || m.w[2] != 0 || worker_status != 0 || display_status != 0) {
        printf("FAIL: fractal: %u bad rows, worker status %d, display status %d\n", m.w[2],
               worker_status, display_status);
        return 1;
    }
    printf("fractal %ux%u, %u iterations at most: %u in all\n", w, h, maxit, m.w[1]);
    printf("RESULT fractal checksum=0x%08x\n", m.w[0]);
    return 0;
}
