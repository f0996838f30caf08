/*
 * Text formatting without newlib: the runtime's snprintf (%d %u %x %X %s
 * %c %p %ll* with widths and zero padding, truncation), plus a local
 * integer-to-string converter for bases 2..36 checked against it.
 */
#include "guest.h"

static char *utoa_base(u64 v, unsigned base, char *out)
{
    char tmp[72];
    int n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    char *p = out;
    while (n) *p++ = tmp[--n];
    *p = 0;
    return out;
}

static char buf[128];
#define F(name, want, ...) do { gt_snprintf(buf, sizeof buf, __VA_ARGS__); gt_check_str(name, buf, want); } while (0)

int main(void)
{
    F("dec", "12345", "%d", 12345);
    F("dec-neg", "-42", "%d", -42);
    F("dec-min", "-2147483648", "%d", (int)0x80000000);
    F("unsigned-max", "4294967295", "%u", 0xffffffffu);
    F("hex", "deadbeef", "%x", 0xdeadbeef);
    F("hex-upper", "DEADBEEF", "%X", 0xdeadbeef);
    F("hex-pad", "0x0000002a", "0x%08x", 42);
    F("width-space", "[   7]", "[%4d]", 7);
    F("width-zero-neg", "[-007]", "[%04d]", -7);
    F("string", "<hello>", "<%s>", "hello");
    F("string-width", "[   ab]", "[%5s]", "ab");
    F("char", "x=A", "x=%c", 'A');
    F("percent", "100%", "%d%%", 100);
    F("ll-dec", "-9223372036854775808", "%lld", (s64)0x8000000000000000ull);
    F("ll-udec", "18446744073709551615", "%llu", 0xffffffffffffffffull);
    F("ll-hex", "123456789abcdef0", "%llx", 0x123456789abcdef0ull);
    F("pointer", "0x40000000", "%p", (void *)0x40000000);
    F("multi", "a=1 b=ff c=z d=-1", "a=%d b=%x c=%s d=%d", 1, 255, "z", -1);
    /* truncation: returns the full length, output cut and terminated */
    char small[6];
    int n = gt_snprintf(small, sizeof small, "%s", "truncated");
    gt_check("trunc-len", (u32)n, 9);
    gt_check_str("trunc-text", small, "trunc");

    char a[72], b[72];
    const u64 vals[] = { 0, 1, 9, 10, 255, 256, 65535, 0x80000000u, 0xffffffffu,
                         1000000007ull, 0x8000000000000000ull, 0xffffffffffffffffull };
    u32 ok = 1;
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        gt_snprintf(b, sizeof b, "%llu", vals[i]);
        if (strcmp(utoa_base(vals[i], 10, a), b) != 0) ok = 0;
        gt_snprintf(b, sizeof b, "%llx", vals[i]);
        if (strcmp(utoa_base(vals[i], 16, a), b) != 0) ok = 0;
    }
    gt_check("utoa-matches-snprintf", ok, 1);
    gt_check_str("base2", utoa_base(0xa5, 2, a), "10100101");
    gt_check_str("base36", utoa_base(1295, 36, a), "zz");
    gt_check_str("base7", utoa_base(0xffffffffu, 7, a), "211301422353");
    gt_check_str("base2-64", utoa_base(0x8000000000000001ull, 2, a),
                 "1000000000000000000000000000000000000000000000000000000000000001");
    return gt_finish();
}
