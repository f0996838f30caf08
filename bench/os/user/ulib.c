/*
 * ulib.c - user-side helpers: printf through SYS_WRITE, number parsing, a
 * bump allocator over the heap window.
 */
#include "user.h"

struct outbuf {
    char buf[128];
    u32 len;
};

static void out_flush(struct outbuf *o)
{
    if (o->len)
        sys_write(o->buf, o->len);
    o->len = 0;
}

static void out_char(void *ctx, char c)
{
    struct outbuf *o = ctx;
    o->buf[o->len++] = c;
    if (o->len == sizeof o->buf)
        out_flush(o);
}

void printf(const char *fmt, ...)
{
    struct outbuf o;
    o.len = 0;
    va_list ap;
    va_start(ap, fmt);
    vformat(out_char, &o, fmt, ap);
    va_end(ap);
    out_flush(&o);
}

int parse_u32(const char *s, u32 *v)
{
    u32 base = 10, x = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return 0;
    for (; *s; s++) {
        u32 d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return 0;
        if (x > (0xffffffffu - d) / base)
            return 0;                   /* overflow */
        x = x * base + d;
    }
    *v = x;
    return 1;
}

static u32 heap_next = USER_HEAP_BASE;

void *heap_alloc(u32 size)
{
    size = (size + 7) & ~7u;
    if (size > USER_HEAP_BASE + USER_HEAP_SIZE - heap_next)
        return NULL;
    void *p = (void *)heap_next;
    heap_next += size;
    return p;
}
