/*
 * The x86-64 emitter: every emitter function over all 16 registers (REX, SPL..DIL,
 * RSP/R12 needing a SIB, RBP/R13 needing a displacement), all operand sizes and edge
 * immediates, checked against capstone's disassembly; bad operands and out-of-space;
 * and small emitted functions executed through SysV calls (arithmetic, a loop over
 * labels, memory operands, patching a chained jmp).
 *
 * Expected texts are built from the operands. Capstone prints the same immediate
 * value differently depending on the encoding it decoded ("-1", "0xffffffff",
 * "0xff"), so an immediate last operand is compared canonically: on both sides it is
 * the value modulo 2^size in hex.
 */
#include <capstone.h>
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-x86_64/backend-x86_64.h"

static CodeBuffer *cb;
static csh cs;

static void setup(void)
{
    cb = code_buffer_create(1 << 20);
    ck_assert_ptr_nonnull(cb);
    ck_assert_int_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
}

static void teardown(void)
{
    cs_close(&cs);
    code_buffer_destroy(cb);
}

/* ---- operand spreads ---- */

static const unsigned SIZES[] = { 8, 16, 32, 64 };
static const int64_t IMMS[] = {
    0, 1, -1, 2, 9, 10, 127, 128, -128, -129, 255, 256, 0x7fff, 0x8000, -0x8000, -0x8001,
    0xffff, 0x10000, 0x7fffffff, 0x80000000LL, -0x80000000LL, -0x80000001LL, 0xffffffffLL,
    0x100000000LL, 0x123456789abcdefLL, INT64_MIN, INT64_MAX,
};
static const int32_t DISPS[] = { 0, 1, -1, 9, 127, 128, -128, -129, 0x7fffffff, INT32_MIN };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const REG_NAMES[4][16] = {
    { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" },
    { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" },
    { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" },
    { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" },
};
static const char *const CC_NAMES[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                          "s", "ns", "p", "np", "l", "ge", "le", "g" };
static const char *const ALU_NAMES[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
static const char *const SHIFT_NAMES[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", NULL, "sar" };
static const X86ShiftOp SHIFTS[] = { X86_SH_ROL, X86_SH_ROR, X86_SH_RCL, X86_SH_RCR,
                                     X86_SH_SHL, X86_SH_SHR, X86_SH_SAR };

static unsigned size_index(unsigned size)
{
    return size == 8 ? 0 : size == 16 ? 1 : size == 32 ? 2 : 3;
}

static const char *rn(X86Reg r, unsigned size) { return REG_NAMES[size_index(size)][r]; }

/* A rotating set of scratch strings, so several can be used in one expression. */
static const char *fmt(const char *f, ...)
{
    static char bufs[8][160];
    static unsigned next;
    char *b = bufs[next++ % 8];
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, sizeof bufs[0], f, ap);
    va_end(ap);
    return b;
}

/* A number the way capstone prints addresses and displacements. */
static const char *num(uint64_t v)
{
    return fmt(v <= 9 ? "%llu" : "0x%llx", (unsigned long long)v);
}

static uint64_t mask(uint64_t v, unsigned size) { return size == 64 ? v : v & ((1ULL << size) - 1); }
static const char *imm_str(int64_t v, unsigned size)
{
    return fmt("0x%llx", (unsigned long long)mask((uint64_t)v, size));
}

static const char *addr_str(const void *p) { return imm_str((int64_t)(uintptr_t)p, 64); }

/* An absolute address (no base, no index) is the sign-extended disp32. Capstone 4
 * shows a negative one in hex truncated to the size of a destination register,
 * `shown` (64 when memory is the first operand). */
static const char *ea_str(X86Mem m, unsigned shown)
{
    char s[96] = "";
    bool any = m.base != X86_NOREG || m.index != X86_NOREG;
    if (m.base != X86_NOREG)
        strcat(s, rn(m.base, 64));
    if (m.index != X86_NOREG) {
        strcat(s, fmt("%s%s", m.base != X86_NOREG ? " + " : "", rn(m.index, 64)));
        if (m.scale > 1)
            strcat(s, fmt("*%u", m.scale));
    }
    if (!any)
        strcat(s, m.disp < 0 ? fmt("0x%llx", (unsigned long long)mask((uint64_t)(int64_t)m.disp, shown))
                             : num((uint64_t)m.disp));
    else if (m.disp > 0)
        strcat(s, fmt(" + %s", num((uint64_t)m.disp)));
    else if (m.disp < 0)
        strcat(s, fmt(" - %s", num((uint64_t)-(int64_t)m.disp)));
    return fmt("[%s]", s);
}

static const char *mem_str_as(X86Mem m, unsigned size, unsigned shown)
{
    static const char *const P[4] = { "byte", "word", "dword", "qword" };
    return fmt("%s ptr %s", P[size_index(size)], ea_str(m, shown));
}

/* memory as the first operand, and as the source of a `size`-bit register */
static const char *mem_str(X86Mem m, unsigned size) { return mem_str_as(m, size, 64); }
static const char *mem_src(X86Mem m, unsigned size) { return mem_str_as(m, size, size); }

/* Memory operands covering every base (incl. none) with every displacement class, and
 * every index with every scale. */
static X86Mem MEMS[17 * N(DISPS) + 15 * 4 + 1];
static unsigned n_mems;

static void init_mems(void)
{
    n_mems = 0;
    for (unsigned b = 0; b <= 16; b++)
        for (unsigned d = 0; d < N(DISPS); d++)
            MEMS[n_mems++] = x86_mem((X86Reg)b, DISPS[d]);
    for (unsigned i = 0; i < 16; i++)
        for (unsigned s = 0; s < 4 && i != X86_RSP; s++)
            MEMS[n_mems++] = x86_mem_idx((X86Reg)((i + 3 * s + 1) % 17), (X86Reg)i, 1u << s,
                                         DISPS[(i + s) % N(DISPS)]);
}

/* ---- checking one emitted instruction ---- */

static uint8_t *start;
static unsigned n_checked;

/* Start an instruction at the beginning of the (emptied) buffer. */
static void begin(void)
{
    code_buffer_reset(cb);
    start = cb->ptr;
}

static const char *hex(const uint8_t *p, size_t n)
{
    char *s = (char *)fmt("%s", "");
    for (size_t i = 0; i < n && i < 16; i++)
        sprintf(s + 3 * i, "%02x ", p[i]);
    return s;
}

/* Rewrite an immediate last operand ("-0x80", "9", "0xff") as 0x<value mod 2^size>. */
static void canon_last_imm(char *text, unsigned size)
{
    char *p = strrchr(text, ',');
    p = p ? p + 2 : strchr(text, ' ') + 1;
    bool neg = *p == '-';
    char *end;
    uint64_t v = strtoull(p + neg, &end, 0);
    if (end == p + neg || *end)
        return;
    strcpy(p, imm_str((int64_t)(neg ? -v : v), size));
}

/* The bytes since `start` must be exactly one instruction reading `want`. `imm_size`
 * (0 for none) canonicalises an immediate last operand. Returns the length. */
static size_t expect(unsigned imm_size, const char *want)
{
    size_t n = (size_t)(cb->ptr - start);
    if (!code_buffer_ok(cb))
        ck_abort_msg("emitter failed, expected '%s'", want);
    cs_insn *insn;
    size_t count = cs_disasm(cs, start, n, (uint64_t)(uintptr_t)start, 0, &insn);
    if (count != 1 || insn[0].size != n)
        ck_abort_msg("'%s': %zu insns from %s", want, count, hex(start, n));
    char got[192];
    snprintf(got, sizeof got, "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "", insn[0].op_str);
    cs_free(insn, count);
    if (imm_size)
        canon_last_imm(got, imm_size);
    if (strcmp(got, want) != 0)
        ck_abort_msg("got '%s' want '%s' from %s", got, want, hex(start, n));
    n_checked++;
    return n;
}

/* The emitter must refuse: error flag set, nothing written. */
static void expect_error(const char *what)
{
    if (!cb->error || cb->ptr != start)
        ck_abort_msg("%s: not refused", what);
}

/* Reference: does imm fit an operand of `size` bits (x86 imm32 sign-extended at 64)? */
static bool fits(int64_t imm, unsigned size)
{
    if (size == 64)
        return imm >= INT32_MIN && imm <= INT32_MAX;
    return imm >= -(1LL << (size - 1)) && imm < (1LL << size);
}

static bool fits_simm8(int64_t imm, unsigned size)
{
    int64_t s = size == 64 ? imm : (int64_t)(mask((uint64_t)imm, size) << (64 - size)) >> (64 - size);
    return s >= -128 && s <= 127;
}

#define EMIT(stmt) \
    do {           \
        begin();   \
        stmt;      \
    } while (0)

/* ---- code buffer ---- */

START_TEST(test_buffer_basics)
{
    CodeBuffer *b = code_buffer_create(100);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_ge(b->size, 100);
    ck_assert_uint_eq(code_buffer_remaining(b), b->size);
    ck_assert(code_buffer_ok(b));
    ck_assert_uint_eq(b->base[0], 0); /* untouched (fresh pages) */
    x86_ret(b);
    ck_assert_uint_eq(code_buffer_remaining(b), b->size - 1);
    code_buffer_reset(b);
    ck_assert_ptr_eq(b->ptr, b->base);
    ck_assert_uint_eq(b->base[0], 0xcc); /* what was emitted is poisoned with INT3 */
    code_buffer_destroy(b);
    ck_assert_ptr_null(code_buffer_create(0));
    ck_assert_ptr_null(code_buffer_create(CODE_BUFFER_MAX_SIZE + 1));
    code_buffer_destroy(NULL);
}
END_TEST

START_TEST(test_buffer_overflow)
{
    CodeBuffer *b = code_buffer_create(1);
    uint8_t *end = b->base + b->size;
    while (!b->overflow)
        x86_mov_ri(b, X86_R9, 0x123456789abcdefULL); /* 10 bytes */
    ck_assert(b->ptr <= end);
    ck_assert_uint_lt(code_buffer_remaining(b), 10);
    uint8_t *stop = b->ptr;
    x86_ret(b); /* still fits: overflow stays sticky though */
    ck_assert(b->overflow && !code_buffer_ok(b));
    for (uint8_t *p = stop + 1; p < end; p++)
        ck_assert_uint_eq(*p, 0); /* nothing written past the end */
    uint8_t *mark = b->base + 20;
    code_buffer_rewind(b, mark);
    ck_assert(code_buffer_ok(b));
    ck_assert_ptr_eq(b->ptr, mark);
    ck_assert_uint_eq(mark[0], 0xcc);
    ck_assert_uint_eq(b->base[0], 0x49); /* earlier code kept */
    code_buffer_destroy(b);
}
END_TEST

/* ---- moves ---- */

START_TEST(test_mov_rr)
{
    for (unsigned s = 0; s < 4; s++)
        for (unsigned d = 0; d < 16; d++)
            for (unsigned r = 0; r < 16; r++) {
                EMIT(x86_mov_rr(cb, d, r, SIZES[s]));
                expect(0, fmt("mov %s, %s", rn(d, SIZES[s]), rn(r, SIZES[s])));
            }
}
END_TEST

START_TEST(test_mov_ri)
{
    for (unsigned r = 0; r < 16; r++)
        for (unsigned i = 0; i < N(IMMS); i++) {
            int64_t v = IMMS[i];
            EMIT(x86_mov_ri(cb, r, (uint64_t)v));
            if ((uint64_t)v <= 0xffffffffu) /* mov r32, imm32 */
                ck_assert_uint_eq(expect(32, fmt("mov %s, %s", rn(r, 32), imm_str(v, 32))), 5 + (r >= 8));
            else if (fits(v, 64)) /* mov r64, simm32 */
                ck_assert_uint_eq(expect(64, fmt("mov %s, %s", rn(r, 64), imm_str(v, 64))), 7);
            else
                ck_assert_uint_eq(expect(64, fmt("movabs %s, %s", rn(r, 64), imm_str(v, 64))), 10);
        }
}
END_TEST

START_TEST(test_mov_mem)
{
    init_mems();
    for (unsigned s = 0; s < 4; s++)
        for (unsigned m = 0; m < n_mems; m++)
            for (unsigned r = 0; r < 16; r++) {
                unsigned size = SIZES[s];
                EMIT(x86_mov_rm(cb, r, MEMS[m], size));
                expect(0, fmt("mov %s, %s", rn(r, size), mem_src(MEMS[m], size)));
                EMIT(x86_mov_mr(cb, MEMS[m], r, size));
                expect(0, fmt("mov %s, %s", mem_str(MEMS[m], size), rn(r, size)));
            }
}
END_TEST

START_TEST(test_mov_mi)
{
    init_mems();
    for (unsigned s = 0; s < 4; s++)
        for (unsigned m = 0; m < n_mems; m += 3)
            for (unsigned i = 0; i < N(IMMS); i++) {
                unsigned size = SIZES[s];
                EMIT(x86_mov_mi(cb, MEMS[m], IMMS[i], size));
                if (fits(IMMS[i], size))
                    expect(size, fmt("mov %s, %s", mem_str(MEMS[m], size), imm_str(IMMS[i], size)));
                else
                    expect_error("mov_mi");
            }
}
END_TEST

/* The text of an extending move: movzx/movsx, movsxd, or mov r32 for 32 -> 64. */
static const char *ext_text(bool sign, X86Reg d, const char *src, unsigned ss, unsigned ds)
{
    if (ss == 32)
        return sign ? fmt("movsxd %s, %s", rn(d, 64), src) : fmt("mov %s, %s", rn(d, 32), src);
    return fmt("%s %s, %s", sign ? "movsx" : "movzx", rn(d, ds), src);
}

START_TEST(test_extend)
{
    static const unsigned PAIRS[][2] = {
        { 8, 16 }, { 8, 32 }, { 8, 64 }, { 16, 32 }, { 16, 64 }, { 32, 64 },
    };
    init_mems();
    for (unsigned p = 0; p < N(PAIRS); p++)
        for (int sign = 0; sign < 2; sign++)
            for (unsigned d = 0; d < 16; d++) {
                unsigned ss = PAIRS[p][0], ds = PAIRS[p][1];
                for (unsigned r = 0; r < 16; r++) {
                    EMIT((sign ? x86_movsx_rr : x86_movzx_rr)(cb, d, r, ss, ds));
                    expect(0, ext_text(sign, d, rn(r, ss), ss, ds));
                }
                for (unsigned m = d; m < n_mems; m += 7) {
                    EMIT((sign ? x86_movsx_rm : x86_movzx_rm)(cb, d, MEMS[m], ss, ds));
                    unsigned shown = ss < 32 ? ds : sign ? 64 : 32;
                    expect(0, ext_text(sign, d, mem_str_as(MEMS[m], ss, shown), ss, ds));
                }
            }
    EMIT(x86_movzx_rr(cb, X86_RAX, X86_RCX, 16, 16));
    expect_error("movzx 16->16");
    EMIT(x86_movsx_rr(cb, X86_RAX, X86_RCX, 8, 8));
    expect_error("movsx 8->8");
    EMIT(x86_movsx_rr(cb, X86_RAX, X86_RCX, 32, 32));
    expect_error("movsx 32->32");
}
END_TEST

START_TEST(test_lea_xchg_push_pop)
{
    init_mems();
    for (unsigned r = 0; r < 16; r++) {
        for (unsigned s = 1; s < 4; s++)
            for (unsigned m = 0; m < n_mems; m++) {
                EMIT(x86_lea(cb, r, MEMS[m], SIZES[s]));
                expect(0, fmt("lea %s, %s", rn(r, SIZES[s]), ea_str(MEMS[m], SIZES[s])));
            }
        for (unsigned s = 0; s < 4; s++)
            for (unsigned b = 0; b < 16; b++) {
                EMIT(x86_xchg_rr(cb, r, b, SIZES[s]));
                expect(0, fmt("xchg %s, %s", rn(r, SIZES[s]), rn(b, SIZES[s])));
            }
        EMIT(x86_push_r(cb, r));
        ck_assert_uint_eq(expect(0, fmt("push %s", rn(r, 64))), 1 + (r >= 8));
        EMIT(x86_pop_r(cb, r));
        ck_assert_uint_eq(expect(0, fmt("pop %s", rn(r, 64))), 1 + (r >= 8));
    }
    EMIT(x86_lea(cb, X86_RAX, x86_mem(X86_RAX, 0), 8));
    expect_error("lea 8");
}
END_TEST

/* ---- ALU ---- */

START_TEST(test_alu_rr_rm_mr)
{
    init_mems();
    for (unsigned op = 0; op < 8; op++)
        for (unsigned s = 0; s < 4; s++)
            for (unsigned d = 0; d < 16; d++) {
                unsigned size = SIZES[s];
                const char *name = ALU_NAMES[op];
                for (unsigned r = 0; r < 16; r++) {
                    EMIT(x86_alu_rr(cb, op, d, r, size));
                    expect(0, fmt("%s %s, %s", name, rn(d, size), rn(r, size)));
                }
                for (unsigned m = d; m < n_mems; m += 5) {
                    EMIT(x86_alu_rm(cb, op, d, MEMS[m], size));
                    expect(0, fmt("%s %s, %s", name, rn(d, size), mem_src(MEMS[m], size)));
                    EMIT(x86_alu_mr(cb, op, MEMS[m], d, size));
                    expect(0, fmt("%s %s, %s", name, mem_str(MEMS[m], size), rn(d, size)));
                }
            }
}
END_TEST

/* Shortest form: 83 /op ib when the immediate sign-extends from 8 bits, the RAX short
 * form (no ModRM) otherwise, else 81 /op iz. */
static size_t alu_ri_len(X86Reg r, int64_t imm, unsigned size)
{
    size_t pfx = (size == 16) + (size == 64 || r >= 8 || (size == 8 && r >= 4 && r < 8));
    size_t full = size == 8 ? 1 : size == 16 ? 2 : 4;
    if (size != 8 && fits_simm8(imm, size))
        return pfx + 3;
    return pfx + (r == X86_RAX ? 1 : 2) + full;
}

START_TEST(test_alu_ri_mi)
{
    init_mems();
    for (unsigned op = 0; op < 8; op++)
        for (unsigned s = 0; s < 4; s++)
            for (unsigned i = 0; i < N(IMMS); i++) {
                unsigned size = SIZES[s];
                int64_t imm = IMMS[i];
                for (unsigned r = 0; r < 16; r++) {
                    EMIT(x86_alu_ri(cb, op, r, imm, size));
                    if (!fits(imm, size)) {
                        expect_error("alu_ri");
                        continue;
                    }
                    const char *want = fmt("%s %s, %s", ALU_NAMES[op], rn(r, size), imm_str(imm, size));
                    ck_assert_uint_eq(expect(size, want), alu_ri_len(r, imm, size));
                }
                for (unsigned m = i % 7; m < n_mems; m += 7) {
                    EMIT(x86_alu_mi(cb, op, MEMS[m], imm, size));
                    const char *mem = mem_str(MEMS[m], size);
                    if (fits(imm, size))
                        expect(size, fmt("%s %s, %s", ALU_NAMES[op], mem, imm_str(imm, size)));
                    else
                        expect_error("alu_mi");
                }
            }
}
END_TEST

START_TEST(test_test)
{
    init_mems();
    for (unsigned s = 0; s < 4; s++)
        for (unsigned a = 0; a < 16; a++) {
            unsigned size = SIZES[s];
            for (unsigned b = 0; b < 16; b++) {
                EMIT(x86_test_rr(cb, a, b, size));
                expect(0, fmt("test %s, %s", rn(a, size), rn(b, size)));
            }
            for (unsigned i = 0; i < N(IMMS); i++) {
                EMIT(x86_test_ri(cb, a, IMMS[i], size));
                if (fits(IMMS[i], size))
                    expect(size, fmt("test %s, %s", rn(a, size), imm_str(IMMS[i], size)));
                else
                    expect_error("test_ri");
                X86Mem m = MEMS[(a * 31 + i * 7) % n_mems];
                EMIT(x86_test_mi(cb, m, IMMS[i], size));
                if (fits(IMMS[i], size))
                    expect(size, fmt("test %s, %s", mem_str(m, size), imm_str(IMMS[i], size)));
                else
                    expect_error("test_mi");
            }
        }
}
END_TEST

START_TEST(test_group3_imul)
{
    static void (*const FNS[])(CodeBuffer *, X86Reg, unsigned) = {
        x86_not_r, x86_neg_r, x86_mul_r, x86_imul_r, x86_div_r, x86_idiv_r,
    };
    static const char *const NAMES[] = { "not", "neg", "mul", "imul", "div", "idiv" };
    init_mems();
    for (unsigned s = 0; s < 4; s++)
        for (unsigned r = 0; r < 16; r++) {
            unsigned size = SIZES[s];
            for (unsigned f = 0; f < N(FNS); f++) {
                EMIT(FNS[f](cb, r, size));
                expect(0, fmt("%s %s", NAMES[f], rn(r, size)));
            }
            for (unsigned r2 = 0; r2 < 16; r2++) {
                EMIT(x86_imul_rr(cb, r, r2, size));
                if (size == 8) {
                    expect_error("imul_rr 8");
                    continue;
                }
                expect(0, fmt("imul %s, %s", rn(r, size), rn(r2, size)));
                for (unsigned i = (r + r2) % 3; i < N(IMMS); i += 3) {
                    EMIT(x86_imul_rri(cb, r, r2, IMMS[i], size));
                    if (!fits(IMMS[i], size)) {
                        expect_error("imul_rri");
                        continue;
                    }
                    const char *imm = imm_str(IMMS[i], size);
                    size_t n = expect(size, fmt("imul %s, %s, %s", rn(r, size), rn(r2, size), imm));
                    size_t pfx = (size == 16) + (size == 64 || r >= 8 || r2 >= 8);
                    size_t ilen = fits_simm8(IMMS[i], size) ? 1 : size == 16 ? 2 : 4;
                    ck_assert_uint_eq(n, pfx + 2 + ilen);
                }
            }
            for (unsigned m = r; m < n_mems && size > 8; m += 9) {
                EMIT(x86_imul_rm(cb, r, MEMS[m], size));
                expect(0, fmt("imul %s, %s", rn(r, size), mem_src(MEMS[m], size)));
            }
        }
}
END_TEST

START_TEST(test_shifts)
{
    static const unsigned COUNTS[] = { 0, 1, 2, 7, 8, 15, 16, 31, 32, 63 };
    for (unsigned o = 0; o < N(SHIFTS); o++)
        for (unsigned s = 0; s < 4; s++)
            for (unsigned r = 0; r < 16; r++) {
                unsigned size = SIZES[s];
                const char *name = SHIFT_NAMES[SHIFTS[o]];
                EMIT(x86_shift_rcl(cb, SHIFTS[o], r, size));
                expect(0, fmt("%s %s, cl", name, rn(r, size)));
                for (unsigned c = 0; c < N(COUNTS); c++) {
                    EMIT(x86_shift_ri(cb, SHIFTS[o], r, COUNTS[c], size));
                    if (COUNTS[c] > (size == 64 ? 63u : 31u))
                        expect_error("shift count");
                    else
                        expect(8, fmt("%s %s, %s", name, rn(r, size), imm_str(COUNTS[c], 8)));
                }
            }
    EMIT(x86_shift_ri(cb, (X86ShiftOp)6, X86_RAX, 1, 32));
    expect_error("shift /6");
    for (unsigned s = 1; s < 4; s++)
        for (unsigned r = 0; r < 16; r++)
            for (unsigned r2 = 0; r2 < 16; r2 += 5)
                for (unsigned c = 0; c < N(COUNTS); c++) {
                    unsigned size = SIZES[s];
                    EMIT(x86_shrd_rri(cb, r, r2, COUNTS[c], size));
                    if (COUNTS[c] > (size == 64 ? 63u : 31u))
                        expect_error("shrd count");
                    else
                        expect(8, fmt("shrd %s, %s, %s", rn(r, size), rn(r2, size),
                                      imm_str(COUNTS[c], 8)));
                }
}
END_TEST

START_TEST(test_bit_ops)
{
    static const unsigned BITS[] = { 0, 1, 7, 15, 16, 31, 32, 63, 64 };
    for (unsigned r = 0; r < 16; r++) {
        for (unsigned s = 0; s < 4; s++) {
            unsigned size = SIZES[s];
            EMIT(x86_bswap(cb, r, size));
            if (size < 32)
                expect_error("bswap");
            else
                expect(0, fmt("bswap %s", rn(r, size)));
            for (unsigned r2 = 0; r2 < 16; r2++) {
                EMIT(x86_lzcnt_rr(cb, r, r2, size));
                if (size == 8) {
                    expect_error("lzcnt 8");
                    continue;
                }
                expect(0, fmt("lzcnt %s, %s", rn(r, size), rn(r2, size)));
                EMIT(x86_bsr_rr(cb, r, r2, size));
                expect(0, fmt("bsr %s, %s", rn(r, size), rn(r2, size)));
                EMIT(x86_bt_rr(cb, r, r2, size));
                expect(0, fmt("bt %s, %s", rn(r, size), rn(r2, size)));
                for (unsigned r3 = 0; r3 < 16; r3 += 5) {
                    EMIT(x86_andn_rrr(cb, r, r3, r2, size));
                    if (size < 32)
                        expect_error("andn");
                    else
                        expect(0, fmt("andn %s, %s, %s", rn(r, size), rn(r3, size), rn(r2, size)));
                }
                for (unsigned b = 0; b < N(BITS); b++) {
                    EMIT(x86_rorx_rri(cb, r, r2, BITS[b], size));
                    if (size < 32 || BITS[b] >= size)
                        expect_error("rorx");
                    else
                        expect(8, fmt("rorx %s, %s, %s", rn(r, size), rn(r2, size),
                                      imm_str(BITS[b], 8)));
                }
            }
            for (unsigned b = 0; b < N(BITS) && size > 8; b++) {
                EMIT(x86_bt_ri(cb, r, BITS[b], size));
                if (BITS[b] >= size)
                    expect_error("bt_ri range");
                else
                    expect(8, fmt("bt %s, %s", rn(r, size), imm_str(BITS[b], 8)));
            }
        }
    }
}
END_TEST

START_TEST(test_setcc_cmov)
{
    init_mems();
    for (unsigned cc = 0; cc < 16; cc++)
        for (unsigned r = 0; r < 16; r++) {
            EMIT(x86_setcc_r(cb, cc, r));
            expect(0, fmt("set%s %s", CC_NAMES[cc], rn(r, 8)));
            X86Mem m = MEMS[(cc * 16 + r) % n_mems];
            EMIT(x86_setcc_m(cb, cc, m));
            expect(0, fmt("set%s %s", CC_NAMES[cc], mem_str(m, 8)));
            for (unsigned s = 1; s < 4; s++) {
                for (unsigned r2 = 0; r2 < 16; r2++) {
                    EMIT(x86_cmov_rr(cb, cc, r, r2, SIZES[s]));
                    expect(0, fmt("cmov%s %s, %s", CC_NAMES[cc], rn(r, SIZES[s]), rn(r2, SIZES[s])));
                }
                EMIT(x86_cmov_rm(cb, cc, r, m, SIZES[s]));
                expect(0, fmt("cmov%s %s, %s", CC_NAMES[cc], rn(r, SIZES[s]), mem_src(m, SIZES[s])));
            }
        }
    ck_assert_int_eq(x86_cc_invert(X86_CC_E), X86_CC_NE);
    ck_assert_int_eq(x86_cc_invert(X86_CC_LE), X86_CC_G);
}
END_TEST

START_TEST(test_one_byte_ops)
{
    static const struct {
        void (*fn)(CodeBuffer *);
        const char *text;
        size_t len;
    } OPS[] = {
        { x86_cdq, "cdq", 1 },   { x86_cqo, "cqo", 2 },     { x86_lahf, "lahf", 1 },
        { x86_sahf, "sahf", 1 }, { x86_pushf, "pushfq", 1 }, { x86_popf, "popfq", 1 },
        { x86_cmc, "cmc", 1 },   { x86_clc, "clc", 1 },     { x86_stc, "stc", 1 },
        { x86_int3, "int3", 1 }, { x86_ret, "ret", 1 },
    };
    for (unsigned i = 0; i < N(OPS); i++) {
        EMIT(OPS[i].fn(cb));
        ck_assert_uint_eq(expect(0, OPS[i].text), OPS[i].len);
    }
}
END_TEST

START_TEST(test_nop_align)
{
    for (unsigned n = 0; n <= 40; n++) {
        EMIT(x86_nop(cb, n));
        ck_assert_uint_eq((size_t)(cb->ptr - start), n);
        cs_insn *insn;
        size_t count = cs_disasm(cs, start, n, 0, 0, &insn), total = 0;
        for (size_t i = 0; i < count; i++) {
            ck_assert_str_eq(insn[i].mnemonic, "nop");
            total += insn[i].size;
        }
        ck_assert_uint_eq(total, n);
        ck_assert_uint_eq(count, (n + 8) / 9);
        if (count)
            cs_free(insn, count);
    }
    for (unsigned off = 0; off < 20; off++) {
        EMIT(x86_nop(cb, off); x86_align(cb, 16));
        ck_assert_uint_eq((uintptr_t)cb->ptr % 16, 0);
        ck_assert_uint_lt((size_t)(cb->ptr - start), off + 16);
    }
    EMIT(x86_align(cb, 12));
    expect_error("align 12");
}
END_TEST

/* ---- control transfer ---- */

START_TEST(test_jumps_calls)
{
    static const int64_t DIST[] = {
        0, 1, -2, 127, -128, 128, -129, 0x12345, -0x12345, 0x7fffff00, -0x7fffff00,
    };
    init_mems();
    for (unsigned d = 0; d < N(DIST); d++) {
        bool near = DIST[d] >= -128 && DIST[d] <= 127;
        /* relative to the end of a 2-byte short form at the base (where begin() emits) */
        const void *t = (const void *)((uintptr_t)cb->base + 2 + (uintptr_t)DIST[d]);
        EMIT(x86_jmp(cb, t));
        ck_assert_uint_eq(expect(64, fmt("jmp %s", addr_str(t))), near ? 2 : 5);
        for (unsigned cc = 0; cc < 16; cc++) {
            EMIT(x86_jcc(cb, cc, t));
            ck_assert_uint_eq(expect(64, fmt("j%s %s", CC_NAMES[cc], addr_str(t))), near ? 2 : 6);
            EMIT(x86_jcc_rel32(cb, cc, t));
            ck_assert_uint_eq(expect(64, fmt("j%s %s", CC_NAMES[cc], addr_str(t))), 6);
        }
        EMIT(ck_assert_ptr_eq(x86_jmp_rel32(cb, t), start));
        ck_assert_uint_eq(expect(64, fmt("jmp %s", addr_str(t))), 5);
        EMIT(ck_assert_ptr_eq(x86_call_rel32(cb, t), start));
        ck_assert_uint_eq(expect(64, fmt("call %s", addr_str(t))), 5);
    }
    for (unsigned r = 0; r < 16; r++) {
        EMIT(x86_jmp_r(cb, r));
        expect(0, fmt("jmp %s", rn(r, 64)));
        EMIT(x86_call_r(cb, r));
        expect(0, fmt("call %s", rn(r, 64)));
    }
    for (unsigned m = 0; m < n_mems; m++) {
        EMIT(x86_jmp_m(cb, MEMS[m]));
        expect(0, fmt("jmp %s", mem_str(MEMS[m], 64)));
        EMIT(x86_call_m(cb, MEMS[m]));
        expect(0, fmt("call %s", mem_str(MEMS[m], 64)));
    }
    /* out of rel32 range */
    const void *far = (const void *)((uintptr_t)cb->base + (1ULL << 32));
    EMIT(x86_jmp(cb, far));
    expect_error("jmp far");
    EMIT(x86_jcc_rel32(cb, X86_CC_E, far));
    expect_error("jcc far");
    EMIT(x86_call_rel32(cb, far));
    expect_error("call far");
    EMIT(x86_call_abs(cb, far, X86_R11));
    ck_assert(code_buffer_ok(cb));
    ck_assert_uint_eq((size_t)(cb->ptr - start), 13); /* movabs r11 (10) + call r11 (3) */
    EMIT(x86_call_abs(cb, cb->base + 0x1000, X86_R11));
    ck_assert_uint_eq(expect(64, fmt("call %s", addr_str(cb->base + 0x1000))), 5);
}
END_TEST

/* Disassemble the whole block from `start` and return the text of instruction `k`. */
static const char *insn_text(unsigned k)
{
    cs_insn *insn;
    size_t n = (size_t)(cb->ptr - start);
    size_t count = cs_disasm(cs, start, n, (uint64_t)(uintptr_t)start, 0, &insn);
    ck_assert_uint_gt(count, k);
    const char *t = fmt("%s %s", insn[k].mnemonic, insn[k].op_str);
    cs_free(insn, count);
    return t;
}

START_TEST(test_labels)
{
    X86Label fwd, back, sh;
    begin();
    x86_label_init(&fwd);
    x86_label_init(&back);
    x86_label_init(&sh);
    x86_label_bind(cb, &back);                    /* 0 */
    x86_jmp_label(cb, &fwd);                      /* 0: 5 bytes, pending */
    x86_jcc_label(cb, X86_CC_NE, &fwd);           /* 5: 6 bytes, pending */
    x86_jcc_label_short(cb, X86_CC_L, &sh);       /* 11: 2 bytes */
    x86_jmp_label_short(cb, &sh);                 /* 13: 2 bytes */
    ck_assert(x86_label_pending(&fwd) && x86_label_pending(&sh));
    ck_assert(!x86_label_pending(&back));
    x86_nop(cb, 100);                             /* 15 */
    x86_label_bind(cb, &sh);                      /* 115 */
    x86_jcc_label(cb, X86_CC_E, &back);           /* 115: backward, fits rel8 */
    x86_jmp_label(cb, &fwd);                      /* 117: pending */
    x86_label_bind(cb, &fwd);                     /* 122 */
    x86_jmp_label(cb, &fwd);                      /* 122: bound, short */
    ck_assert(code_buffer_ok(cb));
    ck_assert(!x86_label_pending(&fwd) && !x86_label_pending(&sh));
    ck_assert_int_eq(fwd.pos, 122);
    ck_assert_str_eq(insn_text(0), fmt("jmp %s", addr_str(start + 122)));
    ck_assert_str_eq(insn_text(1), fmt("jne %s", addr_str(start + 122)));
    ck_assert_str_eq(insn_text(2), fmt("jl %s", addr_str(start + 115)));
    ck_assert_str_eq(insn_text(3), fmt("jmp %s", addr_str(start + 115)));
    unsigned k = 4 + (100 + 8) / 9;
    ck_assert_str_eq(insn_text(k), fmt("je %s", addr_str(start)));
    ck_assert_str_eq(insn_text(k + 1), fmt("jmp %s", addr_str(start + 122)));
    ck_assert_str_eq(insn_text(k + 2), fmt("jmp %s", addr_str(start + 122)));
    ck_assert_uint_eq((size_t)(cb->ptr - start), 124);

    /* a backward label too far for rel8 gets rel32 */
    x86_nop(cb, 200);
    uint8_t *at = cb->ptr;
    x86_jmp_label(cb, &fwd);
    ck_assert_uint_eq((size_t)(cb->ptr - at), 5);

    /* a short forward use that ends up out of range is an error */
    X86Label far;
    begin();
    x86_label_init(&far);
    x86_jmp_label_short(cb, &far);
    x86_nop(cb, 128);
    x86_label_bind(cb, &far);
    ck_assert(cb->error);

    /* more short uses than slots fall back to rel32, binding twice is an error */
    begin();
    x86_label_init(&far);
    for (int i = 0; i < X86_LABEL_SHORT_MAX + 2; i++)
        x86_jmp_label_short(cb, &far);
    ck_assert_uint_eq((size_t)(cb->ptr - start), 2 * X86_LABEL_SHORT_MAX + 10);
    x86_label_bind(cb, &far);
    ck_assert(code_buffer_ok(cb));
    for (unsigned i = 0; i < X86_LABEL_SHORT_MAX + 2; i++)
        ck_assert_str_eq(insn_text(i), fmt("jmp %s", addr_str(cb->ptr)));
    x86_label_bind(cb, &far);
    ck_assert(cb->error);
}
END_TEST

START_TEST(test_patchable_jmp)
{
    for (unsigned off = 0; off < 8; off++) {
        EMIT(x86_nop(cb, off));
        uint8_t *t1 = cb->base + 0x1000, *t2 = cb->base + 0x40;
        uint8_t *site = x86_jmp_rel32_patchable(cb, t1);
        ck_assert_ptr_nonnull(site);
        ck_assert_uint_eq((size_t)(site - start), off); /* no padding */
        ck_assert_uint_eq((size_t)(cb->ptr - site), 5);
        start = site;
        expect(64, fmt("jmp %s", addr_str(t1)));
        ck_assert(x86_patch_jump(site, t2));
        expect(64, fmt("jmp %s", addr_str(t2)));
        ck_assert(!x86_patch_jump(site, (uint8_t *)(uintptr_t)site + (3ULL << 31)));
        expect(64, fmt("jmp %s", addr_str(t2)));
        ck_assert(!x86_patch_jump(site + 1, t1)); /* not a jump */
        ck_assert(!x86_patch_jump(NULL, t1));
    }
    for (unsigned cc = 0; cc < 16; cc++) {
        begin();
        uint8_t *t1 = cb->base + 0x2000, *t2 = cb->base + 0x80;
        uint8_t *site = x86_jcc_rel32_patchable(cb, (X86Cond)cc, t1);
        ck_assert_ptr_eq(site, start);
        ck_assert_uint_eq((size_t)(cb->ptr - site), 6);
        ck_assert(x86_patch_jump(site, t2));
        ck_assert_uint_eq(site[0], 0x0f);
        ck_assert_uint_eq(site[1], 0x80 + cc);
        int32_t rel;
        memcpy(&rel, site + 2, 4);
        ck_assert_ptr_eq(site + 6 + rel, t2);
        ck_assert(!x86_patch_jump(site + 1, t1));
    }
}
END_TEST

START_TEST(test_bad_operands)
{
    EMIT(x86_mov_rm(cb, X86_RAX, x86_mem_idx(X86_RAX, X86_RSP, 1, 0), 64));
    expect_error("rsp index");
    EMIT(x86_mov_rm(cb, X86_RAX, x86_mem_idx(X86_RAX, X86_RCX, 3, 0), 64));
    expect_error("scale 3");
    EMIT(x86_mov_rr(cb, X86_NOREG, X86_RAX, 64));
    expect_error("noreg dst");
    EMIT(x86_mov_ri(cb, X86_NOREG, 1));
    expect_error("noreg mov_ri");
    EMIT(x86_push_r(cb, X86_NOREG));
    expect_error("noreg push");
    EMIT(x86_mov_rr(cb, X86_RAX, X86_RCX, 24));
    expect_error("size 24");
    EMIT(x86_alu_rr(cb, (X86AluOp)8, X86_RAX, X86_RCX, 64));
    expect_error("alu op 8");
    EMIT(x86_setcc_r(cb, (X86Cond)16, X86_RAX));
    expect_error("cc 16");
    EMIT(x86_jcc(cb, (X86Cond)16, cb->base));
    expect_error("jcc 16");
    EMIT(x86_mov_mi(cb, x86_mem(X86_RAX, 0), 0, 7));
    expect_error("mov_mi size 7");
    /* the index R12 (unlike RSP) is fine, and so is an absolute address */
    EMIT(x86_mov_rm(cb, X86_RAX, x86_mem_idx(X86_NOREG, X86_R12, 8, -8), 64));
    expect(0, "mov rax, qword ptr [r12*8 - 8]");
}
END_TEST

/* ---- execution ---- */

typedef uint64_t (*Fn3)(uint64_t, uint64_t, uint64_t);

static Fn3 as_fn(const uint8_t *p)
{
    ck_assert(code_buffer_ok(cb));
    return (Fn3)(uintptr_t)p;
}

/* ((a + b) * c) << 3 >> 1 (logical), then + 5 */
START_TEST(test_exec_arith)
{
    begin();
    x86_mov_rr(cb, X86_RAX, X86_RDI, 64);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RSI, 64);
    x86_imul_rr(cb, X86_RAX, X86_RDX, 64);
    x86_shift_ri(cb, X86_SH_SHL, X86_RAX, 3, 64);
    x86_shift_ri(cb, X86_SH_SHR, X86_RAX, 1, 64);
    x86_alu_ri(cb, X86_ALU_ADD, X86_RAX, 5, 64);
    x86_ret(cb);
    Fn3 f = as_fn(start);
    ck_assert_uint_eq(f(2, 3, 4), ((2 + 3) * 4) * 4 + 5);
    ck_assert_uint_eq(f(-1ULL, 0, 7), ((-7ULL << 3) >> 1) + 5);

    /* 32-bit ops zero-extend; 8-bit ops merge; sign extension; division */
    begin();
    x86_mov_ri(cb, X86_RAX, 0xffffffffffffffffULL);
    x86_alu_ri(cb, X86_ALU_ADD, X86_RAX, 1, 32); /* rax = 0 */
    x86_mov_rr(cb, X86_R8, X86_RDI, 64);
    x86_mov_rr(cb, X86_RAX, X86_R8, 8);         /* al = low byte of a */
    x86_movsx_rr(cb, X86_RAX, X86_RAX, 8, 64);
    x86_cqo(cb);
    x86_idiv_r(cb, X86_RSI, 64);                 /* rax = (int8)a / b */
    x86_ret(cb);
    f = as_fn(start);
    ck_assert_uint_eq(f(0x1f0, 4, 0), (uint64_t)(-16 / 4));
    ck_assert_uint_eq(f(0x7f, 2, 0), 63);
}
END_TEST

/* Parallel moves (the back edge of a self-loop puts registers in place with them): a
 * rotation (a cycle, through the scratch register), a swap next to a chain, and moves
 * in any order. Each case returns rdi + 1000 * rsi + 1000000 * rdx afterwards. */
static void emit_weighted_sum(void)
{
    x86_imul_rri(cb, X86_RSI, X86_RSI, 1000, 64);
    x86_imul_rri(cb, X86_RDX, X86_RDX, 1000000, 64);
    x86_lea(cb, X86_RAX, x86_mem_idx(X86_RDI, X86_RSI, 1, 0), 64);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RDX, 64);
    x86_ret(cb);
}

START_TEST(test_exec_parallel_moves)
{
    /* rdi <- rsi, rsi <- rdx, rdx <- rdi */
    begin();
    X86Reg d1[] = { X86_RDI, X86_RSI, X86_RDX }, s1[] = { X86_RSI, X86_RDX, X86_RDI };
    x86_mov_parallel(cb, d1, s1, 3, X86_RAX, 64);
    emit_weighted_sum();
    ck_assert_uint_eq(as_fn(start)(1, 2, 3), 2 + 1000 * 3 + 1000000 * 1);
    /* swap rdi and rsi; rdx <- rcx <- r8 (a chain: rdx first) */
    begin();
    x86_mov_ri(cb, X86_RCX, 7);
    x86_mov_ri(cb, X86_R8, 9);
    X86Reg d2[] = { X86_RCX, X86_RDI, X86_RSI, X86_RDX }, s2[] = { X86_R8, X86_RSI, X86_RDI, X86_RCX };
    x86_mov_parallel(cb, d2, s2, 4, X86_RAX, 64);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RDI, X86_RCX, 64); /* rcx is 9 now */
    emit_weighted_sum();
    ck_assert_uint_eq(as_fn(start)(1, 2, 3), (2 + 9) + 1000 * 1 + 1000000 * 7);
    /* 32-bit moves zero-extend; a move of a register to itself is none */
    begin();
    X86Reg d3[] = { X86_RDX, X86_RSI }, s3[] = { X86_RDX, X86_RDI };
    x86_mov_parallel(cb, d3, s3, 2, X86_RAX, 32);
    emit_weighted_sum();
    ck_assert_uint_eq(as_fn(start)(0x100000005ull, 2, 3), 0x100000005ull + 1000 * 5 + 1000000 * 3);
}
END_TEST

/* sum of 1..n with a backward and a forward label */
START_TEST(test_exec_loop)
{
    X86Label top, done;
    x86_label_init(&top);
    x86_label_init(&done);
    begin();
    x86_alu_rr(cb, X86_ALU_XOR, X86_RAX, X86_RAX, 32);
    x86_label_bind(cb, &top);
    x86_test_rr(cb, X86_RDI, X86_RDI, 64);
    x86_jcc_label_short(cb, X86_CC_E, &done);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RDI, 64);
    x86_alu_ri(cb, X86_ALU_SUB, X86_RDI, 1, 64);
    x86_jmp_label(cb, &top);
    x86_label_bind(cb, &done);
    x86_ret(cb);
    Fn3 f = as_fn(start);
    ck_assert_uint_eq(f(0, 0, 0), 0);
    ck_assert_uint_eq(f(10, 0, 0), 55);
    ck_assert_uint_eq(f(1000, 0, 0), 500500);
}
END_TEST

/* signed max via cmp/cmov, a flag via setcc, memory forms through a pointer */
START_TEST(test_exec_cond_mem)
{
    begin();
    x86_mov_rr(cb, X86_RAX, X86_RDI, 64);
    x86_alu_rr(cb, X86_ALU_CMP, X86_RDI, X86_RSI, 64);
    x86_cmov_rr(cb, X86_CC_L, X86_RAX, X86_RSI, 64);
    x86_ret(cb);
    Fn3 max = as_fn(start);
    ck_assert_uint_eq(max(3, 5, 0), 5);
    ck_assert_uint_eq(max(-3ULL, -5ULL, 0), -3ULL);

    begin();
    x86_alu_rr(cb, X86_ALU_XOR, X86_RAX, X86_RAX, 32);
    x86_alu_rr(cb, X86_ALU_CMP, X86_RDI, X86_RSI, 64);
    x86_setcc_r(cb, X86_CC_B, X86_RAX);
    x86_ret(cb);
    Fn3 below = as_fn(start);
    ck_assert_uint_eq(below(1, 2, 0), 1);
    ck_assert_uint_eq(below(2, 1, 0), 0);

    /* f(p, i, v) on uint64_t p[]: p[i + 1] = bswap32(v); return the sign-extended low
     * half-word of p[i] plus the zero-extended byte 3 of p[i]; R13 base, R12 index */
    begin();
    x86_push_r(cb, X86_R12);
    x86_push_r(cb, X86_R13);
    x86_mov_rr(cb, X86_R13, X86_RDI, 64);
    x86_mov_rr(cb, X86_R12, X86_RSI, 64);
    x86_bswap(cb, X86_RDX, 32);
    x86_mov_mr(cb, x86_mem_idx(X86_R13, X86_R12, 8, 8), X86_RDX, 64);
    x86_movsx_rm(cb, X86_RAX, x86_mem_idx(X86_R13, X86_R12, 8, 0), 16, 64);
    x86_movzx_rm(cb, X86_RCX, x86_mem_idx(X86_R13, X86_R12, 8, 3), 8, 32);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RCX, 64);
    x86_pop_r(cb, X86_R13);
    x86_pop_r(cb, X86_R12);
    x86_ret(cb);
    Fn3 f = as_fn(start);
    uint64_t a[4] = { 0xaa000000ffff8001ULL, 0, 0, 0 };
    ck_assert_uint_eq(f((uintptr_t)a, 0, 0x11223344), (uint64_t)(int16_t)0x8001 + 0xff);
    ck_assert_uint_eq(a[1], 0x44332211);
}
END_TEST

static uint64_t helper_add3(uint64_t a, uint64_t b, uint64_t c) { return a + 10 * b + 100 * c; }

START_TEST(test_exec_calls_flags)
{
    /* call a C helper both ways: rel32 if reachable, through a register regardless */
    begin();
    x86_push_r(cb, X86_RBX); /* keeps the stack 16-byte aligned at the calls */
    x86_call_abs(cb, (const void *)helper_add3, X86_R11);
    x86_mov_rr(cb, X86_RBX, X86_RAX, 64);
    x86_mov_ri(cb, X86_RDI, 1);
    x86_mov_ri(cb, X86_RSI, 2);
    x86_mov_ri(cb, X86_RDX, 3);
    x86_mov_ri(cb, X86_R11, (uintptr_t)helper_add3);
    x86_call_r(cb, X86_R11);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RBX, 64);
    x86_pop_r(cb, X86_RBX);
    x86_ret(cb);
    Fn3 f = as_fn(start);
    ck_assert_uint_eq(f(4, 5, 6), 654 + 321);

    /* carry: stc; cmc; cmc -> CF=1; lahf; ah bit 0 */
    begin();
    x86_stc(cb);
    x86_cmc(cb);
    x86_cmc(cb);
    x86_lahf(cb); /* AH bit 0 = CF */
    x86_pushf(cb);
    x86_clc(cb);
    x86_popf(cb); /* CF = 1 again */
    x86_setcc_r(cb, X86_CC_C, X86_RCX);
    x86_movzx_rr(cb, X86_RCX, X86_RCX, 8, 32);
    x86_movzx_rr(cb, X86_RAX, X86_RAX, 16, 32);
    x86_shift_ri(cb, X86_SH_SHR, X86_RAX, 8, 32);
    x86_alu_ri(cb, X86_ALU_AND, X86_RAX, 1, 32);
    x86_alu_rr(cb, X86_ALU_ADD, X86_RAX, X86_RCX, 32);
    x86_ret(cb);
    ck_assert_uint_eq(as_fn(start)(0, 0, 0), 2);

    /* lzcnt when the host has it, else bsr; bt */
    begin();
    if (x86_host_has_lzcnt()) {
        x86_lzcnt_rr(cb, X86_RAX, X86_RDI, 32);
    } else {
        x86_bsr_rr(cb, X86_RAX, X86_RDI, 32);
        x86_alu_ri(cb, X86_ALU_XOR, X86_RAX, 31, 32);
    }
    x86_bt_ri(cb, X86_RSI, 5, 64);
    x86_alu_ri(cb, X86_ALU_ADC, X86_RAX, 0, 64);
    x86_ret(cb);
    f = as_fn(start);
    ck_assert_uint_eq(f(1, 0, 0), 31);
    ck_assert_uint_eq(f(0x80000000u, 32, 0), 1);
}
END_TEST

/* chaining: an entry jmp patched from one block to another between calls */
START_TEST(test_exec_patch)
{
    begin();
    uint8_t *one = cb->ptr;
    x86_mov_ri(cb, X86_RAX, 1);
    x86_ret(cb);
    uint8_t *two = cb->ptr;
    x86_mov_ri(cb, X86_RAX, 2);
    x86_ret(cb);
    x86_nop(cb, 1); /* any alignment will do */
    uint8_t *site = x86_jmp_rel32_patchable(cb, one);
    Fn3 entry = as_fn(site);
    ck_assert_uint_eq(entry(0, 0, 0), 1);
    ck_assert(x86_patch_jump(site, two));
    ck_assert_uint_eq(entry(0, 0, 0), 2);
    ck_assert(x86_patch_jump(site, one));
    ck_assert_uint_eq(entry(0, 0, 0), 1);
}
END_TEST

/* mov_ri round trip for every register (callee-saved ones preserved) */
START_TEST(test_exec_mov_ri)
{
    for (unsigned r = 0; r < 16; r++) {
        if (r == X86_RSP)
            continue;
        for (unsigned i = 0; i < N(IMMS); i++) {
            begin();
            x86_push_r(cb, r == X86_RAX ? X86_RCX : r);
            x86_mov_ri(cb, r, (uint64_t)IMMS[i]);
            x86_mov_rr(cb, X86_RAX, r, 64);
            x86_pop_r(cb, r == X86_RAX ? X86_RCX : r);
            x86_ret(cb);
            ck_assert_uint_eq(as_fn(start)(0, 0, 0), (uint64_t)IMMS[i]);
        }
    }
}
END_TEST

static Suite *x86_emit_suite(void)
{
    Suite *s = suite_create("x86_emit");
    TCase *enc = tcase_create("encodings");
    tcase_add_checked_fixture(enc, setup, teardown);
    tcase_set_timeout(enc, 120);
    tcase_add_test(enc, test_buffer_basics);
    tcase_add_test(enc, test_buffer_overflow);
    tcase_add_test(enc, test_mov_rr);
    tcase_add_test(enc, test_mov_ri);
    tcase_add_test(enc, test_mov_mem);
    tcase_add_test(enc, test_mov_mi);
    tcase_add_test(enc, test_extend);
    tcase_add_test(enc, test_lea_xchg_push_pop);
    tcase_add_test(enc, test_alu_rr_rm_mr);
    tcase_add_test(enc, test_alu_ri_mi);
    tcase_add_test(enc, test_test);
    tcase_add_test(enc, test_group3_imul);
    tcase_add_test(enc, test_shifts);
    tcase_add_test(enc, test_bit_ops);
    tcase_add_test(enc, test_setcc_cmov);
    tcase_add_test(enc, test_one_byte_ops);
    tcase_add_test(enc, test_nop_align);
    tcase_add_test(enc, test_jumps_calls);
    tcase_add_test(enc, test_labels);
    tcase_add_test(enc, test_patchable_jmp);
    tcase_add_test(enc, test_bad_operands);
    suite_add_tcase(s, enc);
    TCase *ex = tcase_create("execution");
    tcase_add_checked_fixture(ex, setup, teardown);
    tcase_add_test(ex, test_exec_arith);
    tcase_add_test(ex, test_exec_loop);
    tcase_add_test(ex, test_exec_parallel_moves);
    tcase_add_test(ex, test_exec_cond_mem);
    tcase_add_test(ex, test_exec_calls_flags);
    tcase_add_test(ex, test_exec_patch);
    tcase_add_test(ex, test_exec_mov_ri);
    suite_add_tcase(s, ex);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(x86_emit_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
