/*
 * Helpers for the A32 multiply and media instructions: SIMD-within-a-register
 * arithmetic, saturation and the Q-setting DSP multiply-accumulates. Called from
 * translated code through IR_CALL (see helpers_media.h for the contract of each).
 */
#include "frontend-arm/helpers_media.h"

/* --- Parallel add/subtract (ARM ARM A5.4.1) --- */

typedef enum ParKind { PAR_S, PAR_Q, PAR_SH, PAR_U, PAR_UQ, PAR_UH } ParKind;
typedef enum ParOp { PAR_ADD16, PAR_ASX, PAR_SAX, PAR_SUB16, PAR_ADD8, PAR_SUB8 } ParOp;

/* One parallel operation on lanes of 16 or 8 bits. Lane i of the result combines lane i
 * of a with lane i of b (ADD/SUB) or lane 1-i of b (ASX: low = a.lo - b.hi, high =
 * a.hi + b.lo; SAX: low = a.lo + b.hi, high = a.hi - b.lo), in exact integer arithmetic
 * on the signed or unsigned lane values, then:
 *   S, U   - the low lane bits; GE set per lane (S: result >= 0; U: carry out of an
 *            addition, no borrow in a subtraction), two GE bits per 16-bit lane;
 *   Q, UQ  - saturated to the signed / unsigned lane range (Q flag untouched);
 *   SH, UH - halved (result<16:1> / <8:1>, i.e. an arithmetic shift right by one).
 * kind and op are constants at every call, so each wrapper below compiles to
 * straight-line code. */
static inline uint32_t par_op(ArmCpu *cpu, uint32_t a, uint32_t b, ParKind kind, ParOp op)
{
    const bool sgn = kind == PAR_S || kind == PAR_Q || kind == PAR_SH;
    const unsigned lanes = (op == PAR_ADD8 || op == PAR_SUB8) ? 4 : 2;
    const unsigned w = 32 / lanes;
    const uint32_t lmask = (1u << w) - 1;
    const int32_t smax = (int32_t)(lmask >> 1), smin = -smax - 1;
    uint32_t res = 0;
    unsigned ge = 0;

    for (unsigned i = 0; i < lanes; i++) {
        unsigned j = i;
        bool sub;
        switch (op) {
        case PAR_ADD16: case PAR_ADD8: sub = false; break;
        case PAR_SUB16: case PAR_SUB8: sub = true; break;
        case PAR_ASX: j = 1 - i; sub = i == 0; break;
        default: /* PAR_SAX */ j = 1 - i; sub = i == 1; break;
        }
        uint32_t ua = (a >> (i * w)) & lmask, ub = (b >> (j * w)) & lmask;
        int32_t x, y;
        if (sgn) {
            x = (int32_t)(ua << (32 - w)) >> (32 - w);
            y = (int32_t)(ub << (32 - w)) >> (32 - w);
        } else {
            x = (int32_t)ua;
            y = (int32_t)ub;
        }
        int32_t r = sub ? x - y : x + y;
        bool g = false;
        switch (kind) {
        case PAR_S: g = r >= 0; break;
        case PAR_U: g = sub ? r >= 0 : r > (int32_t)lmask; break;
        case PAR_Q: r = r > smax ? smax : r < smin ? smin : r; break;
        case PAR_UQ: r = r > (int32_t)lmask ? (int32_t)lmask : r < 0 ? 0 : r; break;
        case PAR_SH: case PAR_UH: r >>= 1; break; /* gcc/clang: arithmetic shift */
        }
        res |= ((uint32_t)r & lmask) << (i * w);
        if (g)
            ge |= (lanes == 2 ? 3u : 1u) << (i * (4 / lanes));
    }
    if (kind == PAR_S || kind == PAR_U)
        cpu->ge = (uint8_t)ge;
    return res;
}

#define PAR_HELPER(pfx, kind, opname, op) \
    MEDIA_HELPER(media_##pfx##opname) \
    { \
        (void)c; \
        return par_op(cpu, (uint32_t)a, (uint32_t)b, kind, op); \
    }
#define PAR_HELPERS(pfx, kind) \
    PAR_HELPER(pfx, kind, add16, PAR_ADD16) \
    PAR_HELPER(pfx, kind, asx, PAR_ASX) \
    PAR_HELPER(pfx, kind, sax, PAR_SAX) \
    PAR_HELPER(pfx, kind, sub16, PAR_SUB16) \
    PAR_HELPER(pfx, kind, add8, PAR_ADD8) \
    PAR_HELPER(pfx, kind, sub8, PAR_SUB8)

PAR_HELPERS(s, PAR_S)
PAR_HELPERS(q, PAR_Q)
PAR_HELPERS(sh, PAR_SH)
PAR_HELPERS(u, PAR_U)
PAR_HELPERS(uq, PAR_UQ)
PAR_HELPERS(uh, PAR_UH)

/* --- Byte select, sum of differences, bit reverse, dual extend --- */

MEDIA_HELPER(media_sel)
{
    (void)c;
    uint32_t r = 0;
    for (unsigned i = 0; i < 4; i++) {
        uint32_t lane = 0xffu << (8 * i);
        r |= ((cpu->ge >> i) & 1 ? (uint32_t)a : (uint32_t)b) & lane;
    }
    return r;
}

MEDIA_HELPER(media_usad8)
{
    (void)cpu;
    uint32_t sum = (uint32_t)c;
    for (unsigned i = 0; i < 4; i++) {
        int32_t x = (int32_t)((a >> (8 * i)) & 0xff), y = (int32_t)((b >> (8 * i)) & 0xff);
        sum += (uint32_t)(x > y ? x - y : y - x);
    }
    return sum;
}

MEDIA_HELPER(media_rbit)
{
    (void)cpu, (void)b, (void)c;
    uint32_t x = (uint32_t)a;
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(x);
}

MEDIA_HELPER(media_sxtab16)
{
    (void)cpu, (void)c;
    uint32_t lo = ((uint32_t)a + (uint32_t)(int32_t)(int8_t)b) & 0xffff;
    uint32_t hi = ((uint32_t)(a >> 16) + (uint32_t)(int32_t)(int8_t)(b >> 16)) & 0xffff;
    return lo | (hi << 16);
}

MEDIA_HELPER(media_uxtab16)
{
    (void)cpu, (void)c;
    uint32_t lo = ((uint32_t)a + (uint32_t)(b & 0xff)) & 0xffff;
    uint32_t hi = ((uint32_t)(a >> 16) + (uint32_t)((b >> 16) & 0xff)) & 0xffff;
    return lo | (hi << 16);
}

/* --- Saturation (ARM ARM A2.2.1 SignedSatQ / UnsignedSatQ) --- */

/* x saturated to a signed n-bit integer, 1 <= n <= 32; *sat set on saturation. */
static inline int64_t signed_sat(int64_t x, unsigned n, bool *sat)
{
    int64_t max = ((int64_t)1 << (n - 1)) - 1, min = -max - 1;
    if (x > max) {
        *sat = true;
        return max;
    }
    if (x < min) {
        *sat = true;
        return min;
    }
    return x;
}

/* x saturated to an unsigned n-bit integer, 0 <= n <= 31. */
static inline int64_t unsigned_sat(int64_t x, unsigned n, bool *sat)
{
    int64_t max = ((int64_t)1 << n) - 1;
    if (x > max) {
        *sat = true;
        return max;
    }
    if (x < 0) {
        *sat = true;
        return 0;
    }
    return x;
}

static inline void set_q(ArmCpu *cpu, bool sat)
{
    if (sat)
        cpu->qf = 1;
}

MEDIA_HELPER(media_ssat)
{
    (void)c;
    bool sat = false;
    uint32_t r = (uint32_t)signed_sat((int32_t)a, (unsigned)b, &sat);
    set_q(cpu, sat);
    return r;
}

MEDIA_HELPER(media_usat)
{
    (void)c;
    bool sat = false;
    uint32_t r = (uint32_t)unsigned_sat((int32_t)a, (unsigned)b, &sat);
    set_q(cpu, sat);
    return r;
}

MEDIA_HELPER(media_ssat16)
{
    (void)c;
    bool sat = false;
    uint32_t lo = (uint32_t)signed_sat((int16_t)a, (unsigned)b, &sat) & 0xffff;
    uint32_t hi = (uint32_t)signed_sat((int16_t)(a >> 16), (unsigned)b, &sat) & 0xffff;
    set_q(cpu, sat);
    return lo | (hi << 16);
}

MEDIA_HELPER(media_usat16)
{
    (void)c;
    bool sat = false;
    uint32_t lo = (uint32_t)unsigned_sat((int16_t)a, (unsigned)b, &sat);
    uint32_t hi = (uint32_t)unsigned_sat((int16_t)(a >> 16), (unsigned)b, &sat);
    set_q(cpu, sat);
    return lo | (hi << 16);
}

MEDIA_HELPER(media_qadd)
{
    (void)c;
    bool sat = false;
    uint32_t r = (uint32_t)signed_sat((int64_t)(int32_t)a + (int32_t)b, 32, &sat);
    set_q(cpu, sat);
    return r;
}

MEDIA_HELPER(media_qsub)
{
    (void)c;
    bool sat = false;
    uint32_t r = (uint32_t)signed_sat((int64_t)(int32_t)a - (int32_t)b, 32, &sat);
    set_q(cpu, sat);
    return r;
}

MEDIA_HELPER(media_qdadd)
{
    (void)c;
    bool sat = false;
    int64_t d = signed_sat(2 * (int64_t)(int32_t)b, 32, &sat);
    uint32_t r = (uint32_t)signed_sat((int64_t)(int32_t)a + d, 32, &sat);
    set_q(cpu, sat);
    return r;
}

MEDIA_HELPER(media_qdsub)
{
    (void)c;
    bool sat = false;
    int64_t d = signed_sat(2 * (int64_t)(int32_t)b, 32, &sat);
    uint32_t r = (uint32_t)signed_sat((int64_t)(int32_t)a - d, 32, &sat);
    set_q(cpu, sat);
    return r;
}

/* --- Q-setting multiply-accumulate --- */

MEDIA_HELPER(media_add_setq)
{
    (void)c;
    int64_t r = (int64_t)(int32_t)a + (int32_t)b;
    set_q(cpu, r != (int32_t)r);
    return (uint32_t)r;
}

/* Products of the low and the high signed halfwords of a and b. */
static inline void dual_products(uint64_t a, uint64_t b, int64_t *p0, int64_t *p1)
{
    *p0 = (int64_t)(int16_t)a * (int16_t)b;
    *p1 = (int64_t)(int16_t)(a >> 16) * (int16_t)(b >> 16);
}

MEDIA_HELPER(media_smlad)
{
    int64_t p0, p1;
    dual_products(a, b, &p0, &p1);
    int64_t r = p0 + p1 + (int32_t)c;
    set_q(cpu, r != (int32_t)r);
    return (uint32_t)r;
}

MEDIA_HELPER(media_smlsd)
{
    int64_t p0, p1;
    dual_products(a, b, &p0, &p1);
    int64_t r = p0 - p1 + (int32_t)c;
    set_q(cpu, r != (int32_t)r);
    return (uint32_t)r;
}
