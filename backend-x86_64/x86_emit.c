/*
 * x86-64 machine-code emitter (see x86_emit.h).
 *
 * Every instruction is assembled into an Insn (at most 15 bytes, SDM Vol. 2A 2.3.11)
 * and then copied into the buffer as a whole. Two encoders do all the work:
 * emit() for the ModRM forms and emit_oreg() for the forms without ModRM (register in
 * the opcode, immediate-only, no operands). The instruction families are thin wrappers
 * that pick the opcode and the ModRM.reg /digit.
 */
#include "backend-x86_64/x86_emit.h"

#include <cpuid.h>
#include <string.h>

#define MAX_INSN 15

typedef struct Insn {
    uint8_t b[MAX_INSN];
    unsigned n;
} Insn;

/* Encoding flags. */
enum {
    F_W = 1u << 0,    /* REX.W: 64-bit operand size */
    F_66 = 1u << 1,   /* 66h: 16-bit operand size */
    F_F3 = 1u << 2,   /* mandatory F3h prefix (LZCNT) */
    F_BREG = 1u << 3, /* ModRM.reg names a byte register */
    F_BRM = 1u << 4,  /* ModRM.rm, when a register, names a byte register */
};

/* Allowed operand sizes, one bit each. */
enum { S8 = 1, S16 = 2, S32 = 4, S64 = 8, S_ALL = 15, S_WIDE = S16 | S32 | S64 };

/* The r/m operand: a register or memory. */
typedef struct Rm {
    bool mem;
    X86Reg reg;
    X86Mem m;
} Rm;

static Rm R(X86Reg r) { return (Rm){ .mem = false, .reg = r }; }
static Rm M(X86Mem m) { return (Rm){ .mem = true, .m = m }; }

static void put8(Insn *in, unsigned v) { in->b[in->n++] = (uint8_t)v; }

/* Little-endian immediate or displacement of `len` bytes. */
static void put_le(Insn *in, uint64_t v, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        put8(in, (unsigned)(v >> (8 * i)));
}

/* One- or two-byte opcode (0F xx is passed as 0x0fxx). */
static void put_opcode(Insn *in, unsigned opc)
{
    if (opc > 0xff)
        put8(in, opc >> 8);
    put8(in, opc & 0xff);
}

static bool fits_i8(int64_t v) { return v >= -128 && v <= 127; }
static bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* `v` read as a signed `bits`-bit number. */
static int64_t sext(uint64_t v, unsigned bits)
{
    return bits >= 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Immediates are at most 32 bits, sign-extended to 64-bit operands (SDM Vol. 2A
 * 2.2.1.5); smaller operands accept a signed or an unsigned reading. */
static bool imm_fits(int64_t imm, unsigned size)
{
    if (size == 64)
        return fits_i32(imm);
    return imm >= -((int64_t)1 << (size - 1)) && imm < ((int64_t)1 << size);
}

static unsigned imm_len(unsigned size) { return size == 8 ? 1 : size == 16 ? 2 : 4; }

static uint8_t *fail(CodeBuffer *cb)
{
    cb->error = true;
    return NULL;
}

static uint8_t *commit(CodeBuffer *cb, const Insn *in) { return code_buffer_put(cb, in->b, in->n); }

/* Operand size to prefix flags (SDM Vol. 2A 2.2.1.2, Table 2-4 REX.W; 66h for 16 bits;
 * byte forms have their own opcodes). False if the instruction lacks that size. */
static bool sized(unsigned size, unsigned allowed, unsigned *flags)
{
    static const unsigned f[] = { F_BREG | F_BRM, F_66, 0, F_W };
    unsigned i = size == 8 ? 0 : size == 16 ? 1 : size == 32 ? 2 : size == 64 ? 3 : 4;
    if (i > 3 || !(allowed >> i & 1))
        return false;
    *flags = f[i];
    return true;
}

static void put_prefixes(Insn *in, unsigned flags)
{
    if (flags & F_66)
        put8(in, 0x66);
    if (flags & F_F3)
        put8(in, 0xf3);
}

static bool is_byte_reg_needing_rex(unsigned r) { return r >= 4 && r < 8; } /* SPL..DIL */

/* REX = 0100WRXB (SDM Vol. 2A 2.2.1, Table 2-4). An empty REX (40h) is still needed
 * to name SPL/BPL/SIL/DIL instead of AH/CH/DH/BH (Vol. 2A 3.1.1.1, Table 3-1). */
static void put_rex(Insn *in, unsigned flags, unsigned r, unsigned x, unsigned b, bool force)
{
    unsigned rex = (flags & F_W ? 8 : 0) | (r & 8 ? 4 : 0) | (x & 8 ? 2 : 0) | (b & 8 ? 1 : 0);
    if (rex || force)
        put8(in, 0x40 | rex);
}

static unsigned sib(unsigned scale, unsigned index, unsigned base)
{
    unsigned ss = scale == 1 ? 0 : scale == 2 ? 1 : scale == 4 ? 2 : 3;
    return ss << 6 | (index & 7) << 3 | (base & 7);
}

static bool mem_ok(const X86Mem *m)
{
    unsigned s = m->scale;
    return m->base <= X86_NOREG && m->index <= X86_NOREG && m->index != X86_RSP &&
           (s == 1 || s == 2 || s == 4 || s == 8);
}

/* ModRM + SIB + displacement for a memory operand (SDM Vol. 2A 2.1.5, Tables 2-2 and
 * 2-3; 64-bit special cases in 2.2.1.2, Table 2-5): rm=100 means "SIB follows", so
 * RSP/R12 as a base need a SIB; mod=00 with base 101 means "disp32, no base", so
 * RBP/R13 as a base need mod=01 with a zero disp8; SIB index 100 means "no index". */
static void put_mem(Insn *in, unsigned reg, const X86Mem *m)
{
    unsigned r = (reg & 7) << 3, index = m->index == X86_NOREG ? 4 : m->index;
    if (m->base == X86_NOREG) { /* [index*scale + disp32]: SIB base 101 with mod 00 */
        put8(in, r | 4);
        put8(in, sib(m->scale, index, 5));
        put_le(in, (uint32_t)m->disp, 4);
        return;
    }
    unsigned mod = (m->disp == 0 && (m->base & 7) != 5) ? 0 : fits_i8(m->disp) ? 1 : 2;
    if (m->index != X86_NOREG || (m->base & 7) == 4) {
        put8(in, mod << 6 | r | 4);
        put8(in, sib(m->scale, index, m->base));
    } else {
        put8(in, mod << 6 | r | (m->base & 7));
    }
    put_le(in, (uint32_t)m->disp, mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

/* [prefixes] [REX] opcode ModRM [SIB] [disp] [imm]: the general form (SDM Vol. 2A 2.1,
 * Figure 2-1). `reg` is a register or a /digit (then without F_BREG). */
static uint8_t *emit(CodeBuffer *cb, unsigned flags, unsigned opc, unsigned reg, Rm rm,
                     uint64_t imm, unsigned ilen)
{
    Insn in = { .n = 0 };
    if (reg > 15 || (rm.mem ? !mem_ok(&rm.m) : rm.reg > 15))
        return fail(cb);
    bool force = ((flags & F_BREG) && is_byte_reg_needing_rex(reg)) ||
                 (!rm.mem && (flags & F_BRM) && is_byte_reg_needing_rex(rm.reg));
    put_prefixes(&in, flags);
    put_rex(&in, flags, reg, rm.mem ? rm.m.index : 0, rm.mem ? rm.m.base : rm.reg, force);
    put_opcode(&in, opc);
    if (rm.mem)
        put_mem(&in, reg, &rm.m);
    else
        put8(&in, 0xc0 | (reg & 7) << 3 | (rm.reg & 7));
    put_le(&in, imm, ilen);
    return commit(cb, &in);
}

/* [prefixes] [REX] opcode+reg [imm]: forms without ModRM, REX.B extending the register
 * in the opcode's low 3 bits (SDM Vol. 2A 2.2.1.1, Figure 2-7). reg 0 for none. */
static uint8_t *emit_oreg(CodeBuffer *cb, unsigned flags, unsigned opc, unsigned reg,
                          uint64_t imm, unsigned ilen)
{
    Insn in = { .n = 0 };
    if (reg > 15)
        return fail(cb);
    put_prefixes(&in, flags);
    put_rex(&in, flags, 0, 0, reg, false);
    put_opcode(&in, opc + (reg & 7));
    put_le(&in, imm, ilen);
    return commit(cb, &in);
}

/* A sized instruction with a register in ModRM.reg. The byte form of a one-byte
 * opcode clears its w bit (SDM Vol. 2A B.1.4.3, Table B-6). */
static uint8_t *op_reg(CodeBuffer *cb, unsigned size, unsigned allowed, unsigned opc,
                       X86Reg reg, Rm rm)
{
    unsigned f;
    if (!sized(size, allowed, &f))
        return fail(cb);
    return emit(cb, f, size == 8 ? opc & ~1u : opc, reg, rm, 0, 0);
}

/* A sized instruction with a /digit in ModRM.reg and an optional immediate. */
static uint8_t *op_digit(CodeBuffer *cb, unsigned size, unsigned allowed, unsigned opc,
                         unsigned digit, Rm rm, int64_t imm, unsigned ilen)
{
    unsigned f;
    if (!sized(size, allowed, &f))
        return fail(cb);
    return emit(cb, f & ~F_BREG, size == 8 ? opc & ~1u : opc, digit, rm, (uint64_t)imm, ilen);
}

/* ---- moves: MOV 88/89/8A/8B/C6/C7/B8 (SDM Vol. 2B 4.3, MOV) ---- */

void x86_mov_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size)
{
    op_reg(cb, size, S_ALL, 0x89, src, R(dst));
}

void x86_mov_parallel(CodeBuffer *cb, X86Reg *dst, X86Reg *src, unsigned n, X86Reg scratch,
                      unsigned size)
{
    while (n) {
        /* a move whose destination no other move still reads can go now */
        unsigned k = 0;
        for (; k < n; k++) {
            bool read = false;
            for (unsigned j = 0; j < n; j++)
                read |= j != k && src[j] == dst[k];
            if (!read)
                break;
        }
        if (k == n) {
            /* only cycles left: save move 0's destination, which another one reads */
            x86_mov_rr(cb, scratch, dst[0], size);
            for (unsigned j = 1; j < n; j++)
                if (src[j] == dst[0])
                    src[j] = scratch;
            k = 0;
        }
        if (dst[k] != src[k])
            x86_mov_rr(cb, dst[k], src[k], size);
        dst[k] = dst[n - 1];
        src[k] = src[n - 1];
        n--;
    }
}

void x86_mov_ri(CodeBuffer *cb, X86Reg reg, uint64_t imm)
{
    if (imm <= UINT32_MAX)
        emit_oreg(cb, 0, 0xb8, reg, imm, 4);
    else if (fits_i32((int64_t)imm))
        emit(cb, F_W, 0xc7, 0, R(reg), imm, 4);
    else
        emit_oreg(cb, F_W, 0xb8, reg, imm, 8);
}

void x86_mov_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size)
{
    op_reg(cb, size, S_ALL, 0x8b, dst, M(src));
}

void x86_mov_mr(CodeBuffer *cb, X86Mem dst, X86Reg src, unsigned size)
{
    op_reg(cb, size, S_ALL, 0x89, src, M(dst));
}

void x86_mov_mi(CodeBuffer *cb, X86Mem dst, int64_t imm, unsigned size)
{
    unsigned f;
    if (!sized(size, S_ALL, &f) || !imm_fits(imm, size))
        fail(cb);
    else
        op_digit(cb, size, S_ALL, 0xc7, 0, M(dst), imm, imm_len(size));
}

/* MOVZX 0F B6/B7, MOVSX 0F BE/BF, MOVSXD 63 (SDM Vol. 2B 4.3). A 32 -> 64 zero
 * extension is a plain 32-bit MOV. */
static void extend(CodeBuffer *cb, bool sign, X86Reg dst, Rm src, unsigned ss, unsigned ds)
{
    unsigned f;
    if (!sized(ds, S_WIDE, &f) || ds <= ss)
        fail(cb);
    else if (ss == 8 || ss == 16)
        emit(cb, f | (ss == 8 ? F_BRM : 0), (sign ? 0x0fbe : 0x0fb6) + (ss == 16), dst, src, 0, 0);
    else if (ss == 32)
        emit(cb, sign ? F_W : 0, sign ? 0x63 : 0x8b, dst, src, 0, 0);
    else
        fail(cb);
}

void x86_movzx_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned src_size, unsigned dst_size)
{
    extend(cb, false, dst, R(src), src_size, dst_size);
}

void x86_movsx_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned src_size, unsigned dst_size)
{
    extend(cb, true, dst, R(src), src_size, dst_size);
}

void x86_movzx_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned src_size, unsigned dst_size)
{
    extend(cb, false, dst, M(src), src_size, dst_size);
}

void x86_movsx_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned src_size, unsigned dst_size)
{
    extend(cb, true, dst, M(src), src_size, dst_size);
}

/* LEA 8D /r (SDM Vol. 2A 3.3). */
void x86_lea(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size)
{
    op_reg(cb, size, S_WIDE, 0x8d, dst, M(src));
}

/* XCHG 86/87 /r (SDM Vol. 2C, XCHG); the 90+r short form is avoided because 90 is NOP. */
void x86_xchg_rr(CodeBuffer *cb, X86Reg a, X86Reg b, unsigned size)
{
    op_reg(cb, size, S_ALL, 0x87, b, R(a));
}

/* PUSH 50+r, POP 58+r: 64-bit by default in 64-bit mode (SDM Vol. 2B 4.3). */
void x86_push_r(CodeBuffer *cb, X86Reg reg) { emit_oreg(cb, 0, 0x50, reg, 0, 0); }
void x86_pop_r(CodeBuffer *cb, X86Reg reg) { emit_oreg(cb, 0, 0x58, reg, 0, 0); }

/* ---- group 1 ALU (SDM Vol. 2A A.3 Table A-2 rows 0-3, A.4 Table A-6 group 1):
 * op*8 + {1: Ev,Gv; 3: Gv,Ev; 5: rAX,Iz}, 81 /op Iz, 83 /op Ib (sign-extended). ---- */

void x86_alu_rr(CodeBuffer *cb, X86AluOp op, X86Reg dst, X86Reg src, unsigned size)
{
    if (op > 7)
        fail(cb);
    else
        op_reg(cb, size, S_ALL, op * 8 + 1, src, R(dst));
}

void x86_alu_rm(CodeBuffer *cb, X86AluOp op, X86Reg dst, X86Mem src, unsigned size)
{
    if (op > 7)
        fail(cb);
    else
        op_reg(cb, size, S_ALL, op * 8 + 3, dst, M(src));
}

void x86_alu_mr(CodeBuffer *cb, X86AluOp op, X86Mem dst, X86Reg src, unsigned size)
{
    if (op > 7)
        fail(cb);
    else
        op_reg(cb, size, S_ALL, op * 8 + 1, src, M(dst));
}

static void alu_imm(CodeBuffer *cb, X86AluOp op, Rm dst, int64_t imm, unsigned size)
{
    unsigned f;
    if (op > 7 || !sized(size, S_ALL, &f) || !imm_fits(imm, size))
        fail(cb);
    else if (size != 8 && fits_i8(sext((uint64_t)imm, size)))
        op_digit(cb, size, S_ALL, 0x83, op, dst, imm, 1);
    else if (!dst.mem && dst.reg == X86_RAX)
        emit_oreg(cb, f & (F_66 | F_W), op * 8 + (size == 8 ? 4 : 5), 0, (uint64_t)imm,
                  imm_len(size));
    else
        op_digit(cb, size, S_ALL, 0x81, op, dst, imm, imm_len(size));
}

void x86_alu_ri(CodeBuffer *cb, X86AluOp op, X86Reg dst, int64_t imm, unsigned size)
{
    alu_imm(cb, op, R(dst), imm, size);
}

void x86_alu_mi(CodeBuffer *cb, X86AluOp op, X86Mem dst, int64_t imm, unsigned size)
{
    alu_imm(cb, op, M(dst), imm, size);
}

/* ---- TEST 85 /r, A9 Iz, F7 /0 Iz (SDM Vol. 2B 4.3, TEST) ---- */

void x86_test_rr(CodeBuffer *cb, X86Reg a, X86Reg b, unsigned size)
{
    op_reg(cb, size, S_ALL, 0x85, b, R(a));
}

static void test_imm(CodeBuffer *cb, Rm rm, int64_t imm, unsigned size)
{
    unsigned f;
    if (!sized(size, S_ALL, &f) || !imm_fits(imm, size))
        fail(cb);
    else if (!rm.mem && rm.reg == X86_RAX)
        emit_oreg(cb, f & (F_66 | F_W), size == 8 ? 0xa8 : 0xa9, 0, (uint64_t)imm, imm_len(size));
    else
        op_digit(cb, size, S_ALL, 0xf7, 0, rm, imm, imm_len(size));
}

void x86_test_ri(CodeBuffer *cb, X86Reg reg, int64_t imm, unsigned size)
{
    test_imm(cb, R(reg), imm, size);
}

void x86_test_mi(CodeBuffer *cb, X86Mem mem, int64_t imm, unsigned size)
{
    test_imm(cb, M(mem), imm, size);
}

/* ---- group 3, F6/F7 /digit (SDM Vol. 2A A.4 Table A-6) ---- */

static void group3(CodeBuffer *cb, unsigned digit, X86Reg reg, unsigned size)
{
    op_digit(cb, size, S_ALL, 0xf7, digit, R(reg), 0, 0);
}

void x86_not_r(CodeBuffer *cb, X86Reg reg, unsigned size) { group3(cb, 2, reg, size); }
void x86_neg_r(CodeBuffer *cb, X86Reg reg, unsigned size) { group3(cb, 3, reg, size); }
void x86_mul_r(CodeBuffer *cb, X86Reg src, unsigned size) { group3(cb, 4, src, size); }
void x86_imul_r(CodeBuffer *cb, X86Reg src, unsigned size) { group3(cb, 5, src, size); }
void x86_div_r(CodeBuffer *cb, X86Reg src, unsigned size) { group3(cb, 6, src, size); }
void x86_idiv_r(CodeBuffer *cb, X86Reg src, unsigned size) { group3(cb, 7, src, size); }

/* IMUL 0F AF /r, 6B /r Ib, 69 /r Iz (SDM Vol. 2A 3.3, IMUL). */
void x86_imul_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size)
{
    op_reg(cb, size, S_WIDE, 0x0faf, dst, R(src));
}

void x86_imul_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size)
{
    op_reg(cb, size, S_WIDE, 0x0faf, dst, M(src));
}

void x86_imul_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, int64_t imm, unsigned size)
{
    unsigned f;
    if (!sized(size, S_WIDE, &f) || !imm_fits(imm, size))
        fail(cb);
    else if (fits_i8(sext((uint64_t)imm, size)))
        emit(cb, f, 0x6b, dst, R(src), (uint64_t)imm, 1);
    else
        emit(cb, f, 0x69, dst, R(src), (uint64_t)imm, imm_len(size));
}

/* ---- group 2 shifts: D1 /digit (by 1), C1 /digit Ib, D3 /digit (by CL)
 * (SDM Vol. 2A A.4 Table A-6; Vol. 2B 4.3, SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR) ---- */

void x86_shift_ri(CodeBuffer *cb, X86ShiftOp op, X86Reg reg, unsigned count, unsigned size)
{
    if (op > 7 || op == 6 || count > (size == 64 ? 63u : 31u))
        fail(cb);
    else if (count == 1)
        op_digit(cb, size, S_ALL, 0xd1, op, R(reg), 0, 0);
    else
        op_digit(cb, size, S_ALL, 0xc1, op, R(reg), count, 1);
}

/* SHRD r/m, r, imm8: 0F AC /r ib (SDM Vol. 2B 4.3, SHRD). */
void x86_shrd_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned count, unsigned size)
{
    unsigned f;
    if (!sized(size, S_WIDE, &f) || count > (size == 64 ? 63u : 31u))
        fail(cb);
    else
        emit(cb, f, 0x0fac, src, R(dst), count, 1);
}

void x86_shift_rcl(CodeBuffer *cb, X86ShiftOp op, X86Reg reg, unsigned size)
{
    if (op > 7 || op == 6)
        fail(cb);
    else
        op_digit(cb, size, S_ALL, 0xd3, op, R(reg), 0, 0);
}

/* ---- bit operations ---- */

/* BSWAP 0F C8+rd (SDM Vol. 2A 3.3); undefined for 16 bits, so not offered. */
void x86_bswap(CodeBuffer *cb, X86Reg reg, unsigned size)
{
    unsigned f;
    if (!sized(size, S32 | S64, &f))
        fail(cb);
    else
        emit_oreg(cb, f, 0x0fc8, reg, 0, 0);
}

/* LZCNT F3 0F BD /r and BSR 0F BD /r (SDM Vol. 2A 3.3): the same opcode, so a CPU
 * without LZCNT silently runs BSR. */
void x86_lzcnt_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size)
{
    unsigned f;
    if (!sized(size, S_WIDE, &f))
        fail(cb);
    else
        emit(cb, f | F_F3, 0x0fbd, dst, R(src), 0, 0);
}

void x86_bsr_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size)
{
    op_reg(cb, size, S_WIDE, 0x0fbd, dst, R(src));
}

/* RORX VEX.LZ.F2.0F3A.W0/W1 F0 /r ib (SDM Vol. 2B 4.3, RORX; 2.3.5 the VEX prefix):
 * rotate right without touching the flags, into a separate destination. */
void x86_rorx_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned imm, unsigned size)
{
    if ((size != 32 && size != 64) || dst > 15 || src > 15 || imm >= size) {
        fail(cb);
        return;
    }
    uint8_t b[6];
    b[0] = 0xc4;
    /* R X B are inverted; map 0F3A is m-mmmm = 3. */
    b[1] = (uint8_t)((dst < 8 ? 0x80 : 0) | 0x40 | (src < 8 ? 0x20 : 0) | 0x03);
    /* W, vvvv = 1111 (unused), L = 0, pp = 3 (F2). */
    b[2] = (uint8_t)((size == 64 ? 0x80 : 0) | 0x78 | 0x03);
    b[3] = 0xf0;
    b[4] = (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7));
    b[5] = (uint8_t)imm;
    code_buffer_put(cb, b, sizeof b);
}

/* ANDN VEX.LZ.0F38.W0/W1 F2 /r (SDM Vol. 2A 3.3, ANDN): dst = ~src1 & src2, in one
 * instruction and without a separate copy. */
void x86_andn_rrr(CodeBuffer *cb, X86Reg dst, X86Reg src1, X86Reg src2, unsigned size)
{
    if ((size != 32 && size != 64) || dst > 15 || src1 > 15 || src2 > 15) {
        fail(cb);
        return;
    }
    uint8_t b[5];
    b[0] = 0xc4;
    /* R X B inverted; map 0F38 is m-mmmm = 2. */
    b[1] = (uint8_t)((dst < 8 ? 0x80 : 0) | 0x40 | (src2 < 8 ? 0x20 : 0) | 0x02);
    /* W, vvvv = ~src1, L = 0, pp = 0. */
    b[2] = (uint8_t)((size == 64 ? 0x80 : 0) | ((~(unsigned)src1 & 15) << 3));
    b[3] = 0xf2;
    b[4] = (uint8_t)(0xc0 | (dst & 7) << 3 | (src2 & 7));
    code_buffer_put(cb, b, sizeof b);
}

/* CPUID.(EAX=07H, ECX=0):EBX.BMI1[bit 3] (SDM Vol. 2A 3.3, CPUID). */
bool x86_host_has_bmi1(void)
{
    unsigned a, b, c, d;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 3 & 1);
}

/* CPUID.(EAX=07H, ECX=0):EBX.BMI2[bit 8] (SDM Vol. 2A 3.3, CPUID). */
bool x86_host_has_bmi2(void)
{
    unsigned a, b, c, d;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 8 & 1);
}

/* CPUID.80000001H:ECX.LZCNT[bit 5] (SDM Vol. 2A 3.3, LZCNT and CPUID). */
bool x86_host_has_lzcnt(void)
{
    unsigned a, b, c, d;
    return __get_cpuid(0x80000001u, &a, &b, &c, &d) && (c >> 5 & 1);
}

/* BT 0F BA /4 Ib, 0F A3 /r (SDM Vol. 2A 3.3, BT). */
void x86_bt_ri(CodeBuffer *cb, X86Reg reg, unsigned bit, unsigned size)
{
    if (bit >= size)
        fail(cb);
    else
        op_digit(cb, size, S_WIDE, 0x0fba, 4, R(reg), bit, 1);
}

void x86_bt_rr(CodeBuffer *cb, X86Reg reg, X86Reg bit, unsigned size)
{
    op_reg(cb, size, S_WIDE, 0x0fa3, bit, R(reg));
}

/* ---- condition codes: SETcc 0F 90+cc /0, CMOVcc 0F 40+cc /r (SDM Vol. 2A B.1.4.7,
 * Table B-10; Vol. 2B 4.3 SETcc, Vol. 2A 3.3 CMOVcc) ---- */

void x86_setcc_r(CodeBuffer *cb, X86Cond cc, X86Reg dst)
{
    if (cc > 15)
        fail(cb);
    else
        emit(cb, F_BRM, 0x0f90 + cc, 0, R(dst), 0, 0);
}

void x86_setcc_m(CodeBuffer *cb, X86Cond cc, X86Mem dst)
{
    if (cc > 15)
        fail(cb);
    else
        emit(cb, 0, 0x0f90 + cc, 0, M(dst), 0, 0);
}

void x86_cmov_rr(CodeBuffer *cb, X86Cond cc, X86Reg dst, X86Reg src, unsigned size)
{
    if (cc > 15)
        fail(cb);
    else
        op_reg(cb, size, S_WIDE, 0x0f40 + cc, dst, R(src));
}

void x86_cmov_rm(CodeBuffer *cb, X86Cond cc, X86Reg dst, X86Mem src, unsigned size)
{
    if (cc > 15)
        fail(cb);
    else
        op_reg(cb, size, S_WIDE, 0x0f40 + cc, dst, M(src));
}

/* ---- operand-less instructions (SDM Vol. 2A A.3, Table A-2) ---- */

static void op_byte(CodeBuffer *cb, unsigned flags, unsigned opc)
{
    emit_oreg(cb, flags, opc, 0, 0, 0);
}

void x86_cdq(CodeBuffer *cb) { op_byte(cb, 0, 0x99); }
void x86_cqo(CodeBuffer *cb) { op_byte(cb, F_W, 0x99); }
void x86_lahf(CodeBuffer *cb) { op_byte(cb, 0, 0x9f); }
void x86_sahf(CodeBuffer *cb) { op_byte(cb, 0, 0x9e); }
void x86_pushf(CodeBuffer *cb) { op_byte(cb, 0, 0x9c); }
void x86_popf(CodeBuffer *cb) { op_byte(cb, 0, 0x9d); }
void x86_cmc(CodeBuffer *cb) { op_byte(cb, 0, 0xf5); }
void x86_clc(CodeBuffer *cb) { op_byte(cb, 0, 0xf8); }
void x86_stc(CodeBuffer *cb) { op_byte(cb, 0, 0xf9); }
void x86_popfq(CodeBuffer *cb) { op_byte(cb, 0, 0x9d); }
void x86_int3(CodeBuffer *cb) { op_byte(cb, 0, 0xcc); }
void x86_ret(CodeBuffer *cb) { op_byte(cb, 0, 0xc3); }

/* The recommended multi-byte NOPs, 1 to 9 bytes (SDM Vol. 2B 4.3, NOP). */
static const uint8_t NOPS[9][9] = {
    { 0x90 },
    { 0x66, 0x90 },
    { 0x0f, 0x1f, 0x00 },
    { 0x0f, 0x1f, 0x40, 0x00 },
    { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void x86_nop(CodeBuffer *cb, unsigned n)
{
    while (n > 0) {
        unsigned k = n > 9 ? 9 : n;
        if (!code_buffer_put(cb, NOPS[k - 1], k))
            return;
        n -= k;
    }
}

void x86_align(CodeBuffer *cb, unsigned align)
{
    if (align == 0 || (align & (align - 1)) || align > 4096)
        fail(cb);
    else
        x86_nop(cb, (unsigned)(-(uintptr_t)cb->ptr & (align - 1)));
}

/* ---- control transfer: JMP EB cb / E9 cd, Jcc 70+cc cb / 0F 80+cc cd, CALL E8 cd,
 * FF /2 (call) and FF /4 (jmp) through r/m64 (SDM Vol. 2A 3.3 CALL, Jcc, JMP) ---- */

/* target - end, as a plain integer (the two need not be in one C object). */
static int64_t distance(const void *target, const uint8_t *end)
{
    return (int64_t)((uintptr_t)target - (uintptr_t)end);
}

/* cc < 0: JMP; else Jcc. rel8 when allowed and in range, else rel32. */
static uint8_t *jump(CodeBuffer *cb, int cc, const void *target, bool allow_short)
{
    if (cc > 15)
        return fail(cb);
    int64_t d = distance(target, cb->ptr + 2);
    if (allow_short && fits_i8(d))
        return emit_oreg(cb, 0, cc < 0 ? 0xeb : 0x70u + (unsigned)cc, 0, (uint64_t)d, 1);
    d = distance(target, cb->ptr + (cc < 0 ? 5 : 6));
    if (!fits_i32(d))
        return fail(cb);
    return emit_oreg(cb, 0, cc < 0 ? 0xe9 : 0x0f80u + (unsigned)cc, 0, (uint64_t)d, 4);
}

void x86_jmp(CodeBuffer *cb, const void *target) { jump(cb, -1, target, true); }
uint8_t *x86_jmp_rel32(CodeBuffer *cb, const void *target) { return jump(cb, -1, target, false); }
void x86_jcc(CodeBuffer *cb, X86Cond cc, const void *target) { jump(cb, (int)cc, target, true); }

uint8_t *x86_jcc_rel32(CodeBuffer *cb, X86Cond cc, const void *target)
{
    return jump(cb, (int)cc, target, false);
}

void x86_jmp_r(CodeBuffer *cb, X86Reg reg) { emit(cb, 0, 0xff, 4, R(reg), 0, 0); }
void x86_jmp_m(CodeBuffer *cb, X86Mem mem) { emit(cb, 0, 0xff, 4, M(mem), 0, 0); }
void x86_call_r(CodeBuffer *cb, X86Reg reg) { emit(cb, 0, 0xff, 2, R(reg), 0, 0); }
void x86_call_m(CodeBuffer *cb, X86Mem mem) { emit(cb, 0, 0xff, 2, M(mem), 0, 0); }

uint8_t *x86_call_rel32(CodeBuffer *cb, const void *target)
{
    int64_t d = distance(target, cb->ptr + 5);
    if (!fits_i32(d))
        return fail(cb);
    return emit_oreg(cb, 0, 0xe8, 0, (uint64_t)d, 4);
}

void x86_call_abs(CodeBuffer *cb, const void *target, X86Reg scratch)
{
    if (fits_i32(distance(target, cb->ptr + 5))) {
        x86_call_rel32(cb, target);
    } else {
        x86_mov_ri(cb, scratch, (uintptr_t)target);
        x86_call_r(cb, scratch);
    }
}

/* ---- chaining. Translated code runs only on the thread that patches it, and is
 * never being executed by that thread while a patch is written (the engine patches
 * between runs, or from a helper called by translated code, whose jumps are not in
 * flight), so the rel32 field needs no alignment and a plain store will do; the next
 * jump to the patched code makes the change visible to instruction fetch (SDM Vol. 3A
 * 8.1.3, self-modifying code). ---- */

uint8_t *x86_jmp_rel32_patchable(CodeBuffer *cb, const void *target)
{
    return x86_jmp_rel32(cb, target);
}

uint8_t *x86_jcc_rel32_patchable(CodeBuffer *cb, X86Cond cc, const void *target)
{
    return x86_jcc_rel32(cb, cc, target);
}

bool x86_patch_jump(uint8_t *site, const void *target)
{
    unsigned len;
    if (!site)
        return false;
    if (site[0] == 0xe9)
        len = 5;
    else if (site[0] == 0x0f && (site[1] & 0xf0) == 0x80)
        len = 6;
    else
        return false;
    int64_t d = distance(target, site + len);
    if (!fits_i32(d))
        return false;
    int32_t rel = (int32_t)d;
    memcpy(site + len - 4, &rel, 4);
    return true;
}

/* ---- labels ---- */

void x86_label_init(X86Label *l) { *l = (X86Label){ .pos = -1, .chain = -1, .nshort = 0 }; }

bool x86_label_pending(const X86Label *l) { return l->pos < 0 && (l->chain >= 0 || l->nshort); }

/* A jump to a label. Unbound: the new rel32 field holds the previous chain head. */
static void label_use(CodeBuffer *cb, int cc, X86Label *l, bool want_short)
{
    if (l->pos >= 0) {
        jump(cb, cc, cb->base + l->pos, true);
        return;
    }
    if (cc > 15) {
        fail(cb);
        return;
    }
    bool s = want_short && l->nshort < X86_LABEL_SHORT_MAX;
    unsigned opc = cc < 0 ? (s ? 0xeb : 0xe9) : (s ? 0x70u : 0x0f80u) + (unsigned)cc;
    if (!emit_oreg(cb, 0, opc, 0, s ? 0 : (uint32_t)l->chain, s ? 1 : 4))
        return;
    int32_t field = (int32_t)(cb->ptr - cb->base) - (s ? 1 : 4);
    if (s)
        l->shorts[l->nshort++] = field;
    else
        l->chain = field;
}

void x86_jmp_label(CodeBuffer *cb, X86Label *l) { label_use(cb, -1, l, false); }
void x86_jcc_label(CodeBuffer *cb, X86Cond cc, X86Label *l) { label_use(cb, (int)cc, l, false); }
void x86_jmp_label_short(CodeBuffer *cb, X86Label *l) { label_use(cb, -1, l, true); }

void x86_jcc_label_short(CodeBuffer *cb, X86Cond cc, X86Label *l)
{
    label_use(cb, (int)cc, l, true);
}

/* Bind to the current position and resolve the pending uses. A link that does not
 * point backwards (the buffer was reset since the use) stops the walk with an error. */
void x86_label_bind(CodeBuffer *cb, X86Label *l)
{
    int32_t pos = (int32_t)(cb->ptr - cb->base);
    if (l->pos >= 0) {
        fail(cb);
        return;
    }
    for (int32_t f = l->chain, limit = pos - 4; f >= 0;) {
        if (f > limit) {
            fail(cb);
            break;
        }
        int32_t next, rel = pos - (f + 4);
        memcpy(&next, cb->base + f, 4);
        memcpy(cb->base + f, &rel, 4);
        limit = f - 4;
        f = next;
    }
    for (unsigned i = 0; i < l->nshort; i++) {
        int32_t f = l->shorts[i], rel = pos - (f + 1);
        if (f < 0 || rel > 127 || rel < 0)
            fail(cb);
        else
            cb->base[f] = (uint8_t)rel;
    }
    *l = (X86Label){ .pos = pos, .chain = -1, .nshort = 0 };
}
