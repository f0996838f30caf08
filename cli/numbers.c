/*
 * numbers.c: the number syntaxes of the command line: QEMU sizes (-m), instruction
 * counts (--max-insns), addresses (-device loader,addr=).
 */
#include "cli/cli_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

static bool mul_overflows(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b;
}

int cli_parse_u64(const char *s, uint64_t *out, const char **end, bool *hex)
{
    int base = 10;

    /* strtoull would accept leading blanks and a sign; we do not. */
    if (!isdigit((unsigned char)*s))
        return -1;
    *hex = false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (!isxdigit((unsigned char)s[2]))
            return -1;
        base = 16;
        *hex = true;
    }
    errno = 0;
    char *e;
    unsigned long long v = strtoull(s, &e, base);
    if (errno == ERANGE)
        return -1;
    *out = v;
    *end = e;
    return 0;
}

/* QEMU's qemu_strtosz_MiB() (util/cutils.c): "256M", "1.5G", "512" (MiB), "0x1000K". */
int cli_parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
    uint64_t whole, frac_num = 0, frac_den = 1;
    const char *e;
    bool hex;

    if (cli_parse_u64(s, &whole, &e, &hex))
        return -1;
    if (*e == '.' && !hex) {
        e++;
        if (!isdigit((unsigned char)*e))
            return -1;
        for (; isdigit((unsigned char)*e); e++) {
            if (frac_den < 1000000000000ull) { /* digits beyond 10^-12 do not matter */
                frac_num = frac_num * 10 + (uint64_t)(*e - '0');
                frac_den *= 10;
            }
        }
    }
    uint64_t unit = default_unit;
    if (*e) {
        switch (toupper((unsigned char)*e)) {
        case 'B': unit = 1; break;
        case 'K': unit = 1ull << 10; break;
        case 'M': unit = 1ull << 20; break;
        case 'G': unit = 1ull << 30; break;
        case 'T': unit = 1ull << 40; break;
        default: return -1;
        }
        if (e[1])
            return -1;
    }
    if (mul_overflows(whole, unit))
        return -1;
    uint64_t v = whole * unit;
    if (frac_num) {
        /* The fraction of a unit, rounded down to whole bytes. */
        uint64_t f = (uint64_t)((unsigned __int128)unit * frac_num / frac_den);
        if (v > UINT64_MAX - f)
            return -1;
        v += f;
    }
    *out = v;
    return 0;
}

int cli_parse_count(const char *s, uint64_t *out)
{
    uint64_t v, mul = 1;
    const char *e;
    bool hex;

    if (cli_parse_u64(s, &v, &e, &hex))
        return -1;
    if (*e) {
        switch (toupper((unsigned char)*e)) {
        case 'K': mul = 1000ull; break;
        case 'M': mul = 1000000ull; break;
        case 'G': mul = 1000000000ull; break;
        default: return -1;
        }
        if (e[1])
            return -1;
    }
    if (mul_overflows(v, mul))
        return -1;
    *out = v * mul;
    return 0;
}
