/*
 * lib.h - the few C library pieces both the kernel and the user programs
 * use (lib/lib.c): fixed-size types, memory and string functions, and a
 * printf-style formatter writing through a callback.
 */
#ifndef LIB_H
#define LIB_H

#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;

#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *memset(void *d, int c, unsigned n);
void *memcpy(void *d, const void *s, unsigned n);
int memcmp(const void *a, const void *b, unsigned n);
unsigned strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Formats like printf, giving each output character to out(ctx, c).
 * Conversions: %d %i %u %x %X %c %s %p %%, the 'll' length for 64-bit
 * d/u/x, flags '-' and '0', a field width (number or '*').
 * Returns the number of characters produced. */
typedef void (*fmt_out)(void *ctx, char c);
int vformat(fmt_out out, void *ctx, const char *fmt, va_list ap);
/* vformat into buf (always NUL-terminated when size > 0); returns the
 * length the full output would have. */
int vsnformat(char *buf, unsigned size, const char *fmt, va_list ap);
int snformat(char *buf, unsigned size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* FNV-1a over 32-bit words, the checksum of every workload. */
#define FNV_INIT 0x811c9dc5u
static inline u32 fnv_step(u32 h, u32 word) { return (h ^ word) * 0x01000193u; }

#endif
