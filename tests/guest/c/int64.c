/*
 * 64-bit arithmetic: add/sub with carry, multiply (incl. 32x32->64),
 * signed and unsigned division and modulo through libgcc's
 * __aeabi_ldivmod / __aeabi_uldivmod, variable shifts, comparisons and
 * conversions.  Inputs go through volatile variables so gcc cannot fold.
 */
#include "guest.h"

static volatile u64 va = 0x123456789abcdef0ull, vb = 0x0fedcba987654321ull;
static volatile s64 vs = -0x123456789abcdefll;
static volatile u32 v32a = 0xfffffffbu, v32b = 0x87654321u;
static volatile int sh[] = { 0, 1, 31, 32, 33, 63 };

int main(void)
{
    u64 a = va, b = vb;
    s64 s = vs;
    gt_check64("add", a + b, 0x2222222222222211ull);
    gt_check64("sub", a - b, 0x02468acf13579bcfull);
    gt_check64("mul", a * b, 0x2236d88fe5618cf0ull);
    gt_check64("umull32", (u64)v32a * v32b, 0x8765431e5b05b05bull);
    gt_check64("smull32", (u64)((s64)(s32)v32a * (s32)v32b), 0x000000025b05b05bull);
    gt_check64("udiv", a / 12345, 0x000060a45f5207dbull);
    gt_check64("udiv-known", 0xffffffffffffffffull / (u64)v32a, 0x0000000100000005ull);
    gt_check64("umod-known", 0xffffffffffffffffull % (u64)v32a, 0x0000000000000018ull);
    gt_check64("sdiv-known", (u64)(s / 1000), (u64)-81985529216486ll);
    gt_check64("smod-known", (u64)(s % 1000), (u64)-895ll);
    gt_check64("udiv-big", a / b, 1);
    gt_check64("umod-big", a % b, 0x02468acf13579bcfull);
    gt_check64("sdiv-neg-neg", (u64)((s64)-100 / (s64)(s32)v32a), 20);
    gt_check64("div-by-one", a / (u64)(v32a - 0xfffffffau), a);
    for (int i = 0; i < 6; i++) {
        char name[32];
        int n = sh[i];
        gt_snprintf(name, sizeof name, "lsl-%d", n);
        gt_check64(name, a << n, n == 0 ? 0x123456789abcdef0ull : n == 1 ? 0x2468acf13579bde0ull :
                   n == 31 ? 0x4d5e6f7800000000ull : n == 32 ? 0x9abcdef000000000ull :
                   n == 33 ? 0x3579bde000000000ull : 0);
        gt_snprintf(name, sizeof name, "lsr-%d", n);
        gt_check64(name, a >> n, n == 0 ? 0x123456789abcdef0ull : n == 1 ? 0x091a2b3c4d5e6f78ull :
                   n == 31 ? 0x2468acf1ull : n == 32 ? 0x12345678ull : n == 33 ? 0x091a2b3cull : 0);
        gt_snprintf(name, sizeof name, "asr-%d", n);
        gt_check64(name, (u64)(s >> n), n == 0 ? (u64)s : n == 1 ? 0xff6e5d4c3b2a1908ull :
                   n == 31 ? 0xfffffffffdb97530ull : n == 32 ? 0xfffffffffedcba98ull :
                   n == 33 ? 0xffffffffff6e5d4cull : 0xffffffffffffffffull);
    }
    gt_check("cmp-signed", (s > 0) * 2 + (s < -1), 1);
    gt_check("cmp-unsigned", ((u64)s > a) * 2 + (b < a), 3);
    gt_check("trunc", (u32)a, 0x9abcdef0);
    gt_check64("sext", (u64)(s64)(s32)v32b, 0xffffffff87654321ull);
    gt_check64("zext", (u64)v32b, 0x0000000087654321ull);
    gt_check64("neg", (u64)-s, 0x0123456789abcdefull);
    gt_check64("mul-overflow", 0xffffffffffffffffull * (u64)v32a, 0xffffffff00000005ull);
    gt_check64("fma-chain", a * 3 + b * 5 - (a ^ b), 0x68685fe857574ea4ull);
    return gt_finish();
}
