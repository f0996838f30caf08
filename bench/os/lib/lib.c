/*
 * lib.c - memory/string functions and the printf-style formatter shared by
 * the kernel and the user programs (see lib.h).
 */
#include "lib.h"

/* memset and memcpy use whole words when everything is word aligned. */
void *memset(void *d, int c, unsigned n)
{
    if ((((u32)d | n) & 3) == 0) {
        u32 w = (u8)c * 0x01010101u, *p = d;
        for (; n; n -= 4)
            *p++ = w;
        return d;
    }
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, unsigned n)
{
    if ((((u32)d | (u32)s | n) & 3) == 0) {
        u32 *p = d;
        const u32 *q = s;
        for (; n; n -= 4)
            *p++ = *q++;
        return d;
    }
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, unsigned n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

unsigned strlen(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (u8)*a - (u8)*b;
}

/* ---- formatter ---------------------------------------------------------------- */
struct field {
    int left;       /* '-': pad on the right */
    char pad;       /* ' ' or '0' */
    int width;
};

static int emit(fmt_out out, void *ctx, const struct field *f, const char *s, int n)
{
    int count = 0;
    int fill = f->width > n ? f->width - n : 0;
    if (!f->left)
        for (; fill > 0; fill--, count++)
            out(ctx, f->pad);
    for (int i = 0; i < n; i++, count++)
        out(ctx, s[i]);
    for (; fill > 0; fill--, count++)
        out(ctx, ' ');
    return count;
}

/* Digits of v in base 10 or 16 into the end of buf[24]; returns the start. */
static char *digits(char *end, u64 v, unsigned base, int upper)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    *--end = 0;
    do {
        *--end = dig[v % base];
        v /= base;
    } while (v);
    return end;
}

int vformat(fmt_out out, void *ctx, const char *fmt, va_list ap)
{
    int count = 0;
    char buf[24];
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(ctx, *fmt);
            count++;
            continue;
        }
        struct field f = { 0, ' ', 0 };
        int longlong;
        for (fmt++;; fmt++) {
            if (*fmt == '-')
                f.left = 1;
            else if (*fmt == '0')
                f.pad = '0';
            else
                break;
        }
        if (*fmt == '*') {
            f.width = va_arg(ap, int);
            fmt++;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            f.width = f.width * 10 + (*fmt - '0');
        int ells = 0;
        for (; *fmt == 'l'; fmt++)
            ells++;
        longlong = ells >= 2;
        char *s;
        u64 v;
        switch (*fmt) {
        case 'd':
        case 'i': {
            s64 x = longlong ? va_arg(ap, s64) : va_arg(ap, s32);
            s = digits(buf + sizeof buf, x < 0 ? -(u64)x : (u64)x, 10, 0);
            if (x < 0)
                *--s = '-';
            count += emit(out, ctx, &f, s, strlen(s));
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            v = longlong ? va_arg(ap, u64) : va_arg(ap, u32);
            s = digits(buf + sizeof buf, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            count += emit(out, ctx, &f, s, strlen(s));
            break;
        case 'p':
            s = digits(buf + sizeof buf, (u32)va_arg(ap, void *), 16, 0);
            count += emit(out, ctx, &f, s, strlen(s));
            break;
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            count += emit(out, ctx, &f, buf, 1);
            break;
        case 's':
            s = va_arg(ap, char *);
            if (!s)
                s = "(null)";
            count += emit(out, ctx, &f, s, strlen(s));
            break;
        case '%':
            out(ctx, '%');
            count++;
            break;
        case 0:
            return count;
        default:                    /* unknown: print it as it is */
            out(ctx, '%');
            out(ctx, *fmt);
            count += 2;
        }
    }
    return count;
}

struct sbuf {
    char *buf;
    unsigned size, len;
};

static void sbuf_out(void *ctx, char c)
{
    struct sbuf *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int vsnformat(char *buf, unsigned size, const char *fmt, va_list ap)
{
    struct sbuf b = { buf, size, 0 };
    vformat(sbuf_out, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = 0;
    return b.len;
}

int snformat(char *buf, unsigned size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
