/*
 * guest.c - semihosting output, formatting and check helpers shared by the
 * non-newlib guest test programs.  Compiled for ARM state only.
 */
#include <stdarg.h>
#include "guest.h"

u32 gt_checks, gt_failures;

int gt_semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

void gt_putc(char c) { gt_semihost(SYS_WRITEC, &c); }
void gt_puts(const char *s) { if (*s) gt_semihost(SYS_WRITE0, s); }

void gt_exit(int status)
{
    static u32 block[2];
    block[0] = ADP_Stopped_ApplicationExit;
    block[1] = (u32)status;
    for (;;)
        gt_semihost(SYS_EXIT_EXTENDED, block);
}

/* Minimal C library pieces gcc may call on its own. */
void *memset(void *d, int c, unsigned n)
{
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, unsigned n)
{
    unsigned char *p = d; const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}
void *memmove(void *d, const void *s, unsigned n)
{
    unsigned char *p = d; const unsigned char *q = s;
    if (p < q) { while (n--) *p++ = *q++; }
    else { p += n; q += n; while (n--) *--p = *--q; }
    return d;
}
int memcmp(const void *a, const void *b, unsigned n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return *p - *q;
    return 0;
}
unsigned strlen(const char *s) { unsigned n = 0; while (s[n]) n++; return n; }
int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}

/* ---- formatting -------------------------------------------------------- */
struct out { char *buf; u32 size, len; };

static void out_c(struct out *o, char c)
{
    if (o->len + 1 < o->size) o->buf[o->len] = c;
    o->len++;
}

static void out_u64(struct out *o, u64 v, unsigned base, int width, char pad, int upper)
{
    char tmp[24];
    int n = 0;
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        /* base is 10 or 16; avoid __aeabi_uldivmod for base 16 */
        if (base == 16) { tmp[n++] = dig[v & 15]; v >>= 4; }
        else { tmp[n++] = dig[v % 10]; v /= 10; }
    } while (v);
    while (n < width) { tmp[n++] = pad; }
    while (n) out_c(o, tmp[--n]);
}

static void vfmt(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') { out_c(o, *fmt); continue; }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0;
        if (*fmt == '0') { pad = '0'; fmt++; }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') { longs++; fmt++; }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int l = (int)strlen(s);
            while (l++ < width) out_c(o, ' ');
            while (*s) out_c(o, *s++);
            break;
        }
        case 'c': out_c(o, (char)va_arg(ap, int)); break;
        case 'd': {
            s64 v = longs >= 2 ? va_arg(ap, s64) : va_arg(ap, int);
            u64 m = (u64)v;
            if (v < 0) { m = -(u64)v; out_c(o, '-'); if (width) width--; }
            out_u64(o, m, 10, width, pad, 0);
            break; }
        case 'u': out_u64(o, longs >= 2 ? va_arg(ap, u64) : va_arg(ap, u32), 10, width, pad, 0); break;
        case 'x': case 'X':
            out_u64(o, longs >= 2 ? va_arg(ap, u64) : va_arg(ap, u32), 16, width, pad, *fmt == 'X');
            break;
        case 'p': out_c(o, '0'); out_c(o, 'x'); out_u64(o, (u32)va_arg(ap, void *), 16, 8, '0', 0); break;
        case '%': out_c(o, '%'); break;
        case 0: fmt--; break;
        default: out_c(o, '%'); out_c(o, *fmt); break;
        }
    }
}

int gt_snprintf(char *buf, u32 size, const char *fmt, ...)
{
    struct out o = { buf, size, 0 };
    va_list ap;
    va_start(ap, fmt);
    vfmt(&o, fmt, ap);
    va_end(ap);
    if (size) buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

void gt_printf(const char *fmt, ...)
{
    char buf[256];
    struct out o = { buf, sizeof buf, 0 };
    va_list ap;
    va_start(ap, fmt);
    vfmt(&o, fmt, ap);
    va_end(ap);
    buf[o.len < sizeof buf ? o.len : sizeof buf - 1] = 0;
    gt_puts(buf);
}

void gt_print_hex(u32 v) { gt_printf("0x%08x", v); }

/* ---- checks ------------------------------------------------------------ */
int gt_check(const char *name, u32 got, u32 want)
{
    gt_checks++;
    if (got == want) {
        gt_printf("%s: ok 0x%08x\n", name, got);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got 0x%08x want 0x%08x\n", name, got, want);
    return 0;
}

int gt_check64(const char *name, u64 got, u64 want)
{
    gt_checks++;
    if (got == want) {
        gt_printf("%s: ok 0x%016llx\n", name, got);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got 0x%016llx want 0x%016llx\n", name, got, want);
    return 0;
}

int gt_check_str(const char *name, const char *got, const char *want)
{
    gt_checks++;
    if (strcmp(got, want) == 0) {
        gt_printf("%s: ok \"%s\"\n", name, got);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got \"%s\" want \"%s\"\n", name, got, want);
    return 0;
}

void gt_fail(const char *name, const char *why)
{
    gt_checks++;
    gt_failures++;
    gt_printf("%s: FAIL %s\n", name, why);
}

/* Used by the assembly CHECKRF macro: e = {name, want result, want flags}. */
struct rf_entry { const char *name; u32 want_r, want_f; };
#define FLAG_MASK 0xf80f0000u   /* N Z C V Q and GE[3:0] */

int gt_check_rf(u32 got, u32 cpsr, const struct rf_entry *e)
{
    u32 f = cpsr & FLAG_MASK;
    gt_checks++;
    if (got == e->want_r && f == e->want_f) {
        gt_printf("%s: ok r=0x%08x f=0x%08x\n", e->name, got, f);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got r=0x%08x f=0x%08x want r=0x%08x f=0x%08x\n",
              e->name, got, f, e->want_r, e->want_f);
    return 0;
}

/* Used by CHECK64F: e = {name, want lo, want hi, want flags}. */
struct rrf_entry { const char *name; u32 want_lo, want_hi, want_f; };
int gt_check_rrf(u32 lo, u32 hi, u32 cpsr, const struct rrf_entry *e)
{
    u32 f = cpsr & FLAG_MASK;
    gt_checks++;
    if (lo == e->want_lo && hi == e->want_hi && f == e->want_f) {
        gt_printf("%s: ok r=0x%08x:%08x f=0x%08x\n", e->name, hi, lo, f);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got r=0x%08x:%08x f=0x%08x want r=0x%08x:%08x f=0x%08x\n",
              e->name, hi, lo, f, e->want_hi, e->want_lo, e->want_f);
    return 0;
}

int gt_finish(void)
{
    gt_printf("done: %u checks, %u failures\n", gt_checks, gt_failures);
    return gt_failures ? 1 : 0;
}

static const char *const exc_names[8] = {
    "reset", "undefined", "svc", "prefetch-abort", "data-abort", "hyp", "irq", "fiq"
};

void gt_unexpected(int idx, u32 lr, u32 spsr, u32 cpsr)
{
    u32 dfsr, dfar, ifsr;
    __asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(dfsr));
    __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
    __asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(ifsr));
    gt_printf("FAIL: unexpected %s exception lr=0x%08x spsr=0x%08x cpsr=0x%08x "
              "dfsr=0x%08x dfar=0x%08x ifsr=0x%08x\n",
              exc_names[idx & 7], lr, spsr, cpsr, dfsr, dfar, ifsr);
    gt_exit(100 + idx);
}
