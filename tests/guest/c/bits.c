/*
 * Bit manipulation: CLZ/CTZ/popcount/bswap/rotates through gcc builtins
 * (ARMv7: CLZ, RBIT, REV), manual equivalents, bit-fields, unions, signed
 * shifts and division/modulo by constants (multiply-high sequences).
 */
#include "guest.h"

static volatile u32 vals[] = { 0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0x00f00000u, 0x7fffffffu, 0x00000300u };

static int clz_manual(u32 x) { int n = 0; if (!x) return 32; while (!(x & 0x80000000u)) { x <<= 1; n++; } return n; }
static int ctz_manual(u32 x) { int n = 0; if (!x) return 32; while (!(x & 1)) { x >>= 1; n++; } return n; }
static int pop_manual(u32 x) { int n = 0; while (x) { x &= x - 1; n++; } return n; }
static u32 bswap_manual(u32 x) { return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24); }
static u32 rbit_manual(u32 x) { u32 r = 0; for (int i = 0; i < 32; i++) if (x & (1u << i)) r |= 1u << (31 - i); return r; }
static u32 rotl(u32 x, unsigned n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }

struct flags { unsigned a : 3; signed b : 5; unsigned c : 12; unsigned d : 1; signed e : 11; };
union pun { u32 w; u16 h[2]; u8 b[4]; struct flags f; };

int main(void)
{
    u32 ok = 1;
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        u32 v = vals[i];
        if (v && __builtin_clz(v) != clz_manual(v)) ok = 0;
        if (v && __builtin_ctz(v) != ctz_manual(v)) ok = 0;
        if (__builtin_popcount(v) != pop_manual(v)) ok = 0;
        if (__builtin_bswap32(v) != bswap_manual(v)) ok = 0;
        for (unsigned n = 0; n < 32; n += 5)
            if (rotl(v, n) != ((v << n) | (n ? v >> (32 - n) : 0))) ok = 0;
    }
    gt_check("builtins-match-manual", ok, 1);
    gt_check("clz-0x00f00000", (u32)__builtin_clz(vals[5]), 8);
    gt_check("ctz-0x00000300", (u32)__builtin_ctz(vals[7]), 8);
    gt_check("popcount-0x12345678", (u32)__builtin_popcount(vals[4]), 13);
    gt_check("bswap-0x12345678", __builtin_bswap32(vals[4]), 0x78563412);
    gt_check("rbit-0x12345678", rbit_manual(vals[4]), 0x1e6a2c48);
    gt_check("rotl-13", rotl(vals[4], 13), 0x8acf0246);
    gt_check("bswap16", __builtin_bswap16((u16)vals[4]), 0x7856);

    union pun u;
    u.w = 0;
    u.f.a = 5;
    u.f.b = -3;
    u.f.c = 0xabc;
    u.f.d = 1;
    u.f.e = -1000;
    gt_check("bitfield-word", u.w, 0x831abcedu);
    gt_check("bitfield-b", (u32)(s32)u.f.b, (u32)-3);
    gt_check("bitfield-e", (u32)(s32)u.f.e, (u32)-1000);
    u.w = 0x11223344;
    gt_check("union-h0", u.h[0], 0x3344);
    gt_check("union-b3", u.b[3], 0x11);

    volatile s32 sv = -12345;
    volatile u32 uv = 4000000000u;
    gt_check("asr", (u32)(sv >> 4), (u32)-772);
    gt_check("sdiv-by-7", (u32)(sv / 7), (u32)-1763);
    gt_check("smod-by-7", (u32)(sv % 7), (u32)-4);
    gt_check("udiv-by-10", uv / 10, 400000000);
    gt_check("udiv-by-3", uv / 3, 1333333333);
    gt_check("umod-by-1000", uv % 1000, 0);
    gt_check("sdiv-by-16", (u32)(sv / 16), (u32)-771);
    volatile s32 d = -3;
    gt_check("sdiv-var", (u32)(sv / d), 4115);
    gt_check("smod-var", (u32)(sv % d), 0);
    volatile u32 ud = 7;
    gt_check("udiv-var", uv / ud, 571428571);
    gt_check("umod-var", uv % ud, 3);
    return gt_finish();
}
