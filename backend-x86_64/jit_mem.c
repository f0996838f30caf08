/*
 * Guest loads and stores: the inline soft-TLB fast path, with the slow path (a call of
 * arm_mem_read/arm_mem_write through a helper) placed out of line after the block.
 *
 * Fast path, for an access of `size` bytes at the guest address in register A:
 *     rorx eax, A, 8 ; and eax, 0xff0                  entry offset (16-byte entries;
 *                                                      mov + shr without BMI2)
 *     andn ecx, edx, A                                 page, plus the misalignment:
 *                                                      A & (0xfffff000 | (size - 1)),
 *                                                      EDX = the inverted mask, loaded
 *                                                      once for a run of accesses
 *                                                      (mov + and without BMI1)
 *     cmp  ecx, [rbp + rax + tlb.tag] ; jne slow
 *     mov  rax, [rbp + rax + tlb.addend]
 *     mov  V, [rax + A]                                 the access itself
 * The slow path saves the caller-saved registers the block still uses, writes dirty
 * guest registers back (a copy: the fast path keeps them cached) so that a fault sees
 * exact state, calls the helper, and jumps back.
 *
 * Self-modifying code and devices: the TLB has no write tag for pages holding
 * translated code and no entries for devices, so such accesses always take the slow
 * path, which does not perform them but leaves with JIT_EXIT_RETRY before anything of
 * the instruction took effect (registers are only written after an instruction's
 * memory accesses, as for aborts). The engine then runs the instruction in the
 * interpreter, which invalidates translations and stops at the next instruction when a
 * device raised an interrupt. The fast path therefore needs no check after a store.
 *
 * The native fast path (JIT_OPT_NATIVE_MEM, user-mode blocks of the native engine) has
 * no probe: guest memory is the sandbox at cpu->native_base (native/), where the host
 * MMU enforces what guest user mode may do:
 *     mov  rax, [rbp + native_base]
 *     mov  V, [rax + A]
 * The same slow path is emitted out of line, but it is entered by the fault handler
 * (jit_native.c) when the host access faults and the engine cannot just map the page:
 * it runs with exactly the registers of the faulting instruction. Accesses that must be
 * aligned (LDRD, LDM, exclusives; all of them with SCTLR.A, JIT_OPT_NATIVE_ALIGN) test
 * the address first and take the slow path, which raises the alignment fault.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

uint64_t jit_slow_load(ArmCpu *cpu, uint64_t addr, uint64_t flags, uint64_t unused)
{
    (void)unused;
    uint32_t v = 0;
    if (!arm_mem_read(cpu, (uint32_t)addr, (unsigned)flags, &v))
        return 0;
    return v;
}

uint64_t jit_slow_store(ArmCpu *cpu, uint64_t addr, uint64_t value, uint64_t flags)
{
    arm_mem_write(cpu, (uint32_t)addr, (unsigned)flags, (uint32_t)value);
    return 0;
}

/* The translation is done once, in arm_mem_read/write: ARM_MEM_RAM_ONLY makes them
 * refuse (cpu->jit_retry) what must run in the interpreter. */
uint64_t jit_slow_load_checked(ArmCpu *cpu, uint64_t addr, uint64_t flags, uint64_t unused)
{
    return jit_slow_load(cpu, addr, flags | ARM_MEM_RAM_ONLY, unused);
}

uint64_t jit_slow_store_checked(ArmCpu *cpu, uint64_t addr, uint64_t value, uint64_t flags)
{
    return jit_slow_store(cpu, addr, value, flags | ARM_MEM_RAM_ONLY);
}

static const X86Reg volatile_alloc[] = { X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10, X86_R11 };

/* Registers in use (temporaries or cached guest registers) that a call would clobber. */
static unsigned live_volatile(const JitCtx *c, X86Reg *out)
{
    unsigned n = 0;
    for (unsigned k = 0; k < sizeof(volatile_alloc) / sizeof(volatile_alloc[0]); k++) {
        X86Reg h = volatile_alloc[k];
        if (c->temp_of[h] || c->guest_of[h] >= 0)
            out[n++] = h;
    }
    return n;
}

/* Emit the out-of-line slow path for the access just compiled, then return to `back`. */
static void emit_slow_path(JitCtx *c, JitSlowPath *sp)
{
    CodeBuffer *cb = c->cb;
    x86_label_bind(cb, &sp->label);
    /* Native path: flags still lazy at the access are in EFLAGS here (the fault handler
     * sends the faulting instruction here with its EFLAGS): to memory before anything. */
    if (sp->lazy_fl)
        jit_flags_store(cb, sp->lazy_fl, sp->lazy_borrow);
    if (sp->remat_fl) {
        jit_flags_recompute(c, &sp->remat, sp->remat_host_of_guest);
        jit_flags_store(cb, sp->remat_fl, sp->remat.borrow);
    }
    for (unsigned k = 0; k < sp->n_dirty; k++)
        x86_mov_mr(cb, jit_guest_reg_mem(sp->dirty_guest[k]), sp->dirty_host[k], 32);
    for (unsigned k = 0; k < sp->n_saved; k++)
        x86_push_r(cb, sp->saved[k]);
    if (sp->n_saved & 1)
        x86_alu_ri(cb, X86_ALU_SUB, X86_RSP, 8, 64);
    /* Arguments: (cpu, addr, value, flags) for stores, (cpu, addr, flags) for loads.
     * The operands may sit in RSI/RDI: read them before those are overwritten. */
    if (sp->store) {
        if (sp->value_is_const)
            x86_mov_ri(cb, X86_RDX, sp->value_const);
        else
            x86_mov_rr(cb, X86_RDX, sp->value, 32);
        x86_mov_ri(cb, X86_RCX, sp->flags);
    } else {
        x86_mov_ri(cb, X86_RDX, sp->flags);
    }
    x86_mov_rr(cb, X86_RSI, sp->addr, 32);
    x86_mov_rr(cb, X86_RDI, X86_RBP, 64);
    x86_call_abs(cb, sp->store ? (const void *)jit_slow_store_checked
                                : (const void *)jit_slow_load_checked,
                 X86_RAX);
    if (sp->n_saved & 1)
        x86_alu_ri(cb, X86_ALU_ADD, X86_RSP, 8, 64);
    for (unsigned k = sp->n_saved; k-- > 0;)
        x86_pop_r(cb, sp->saved[k]);
    x86_alu_mi(cb, X86_ALU_CMP, jit_cpu_field(offsetof(ArmCpu, pending_exc)), 0, 32);
    x86_jcc_label(cb, X86_CC_NE, &sp->fault);
    x86_alu_mi(cb, X86_ALU_CMP, jit_cpu_field(offsetof(ArmCpu, jit_retry)), 0, 8);
    x86_jcc_label(cb, X86_CC_NE, &sp->retry);
    if (!sp->store)
        x86_mov_rr(cb, sp->dst, X86_RAX, 32);
    if (sp->lazy_fl) /* the fast path goes on with the flags in EFLAGS */
        jit_flags_load_eflags(cb, sp->lazy_borrow);
    if (sp->edx_valid) /* the fast path goes on expecting the TLB mask in EDX */
        x86_mov_ri(cb, X86_RDX, sp->edx_val);
    x86_jmp_label(cb, &sp->back);
}

void jit_emit_slow_paths(JitCtx *c)
{
    for (unsigned k = 0; k < c->n_slow; k++) {
        emit_slow_path(c, &c->slow[k]);
        x86_label_bind(c->cb, &c->slow[k].fault);
        jit_emit_leave(c, c->slow[k].exit);
        x86_label_bind(c->cb, &c->slow[k].retry);
        jit_emit_leave(c, c->slow[k].retry_exit);
    }
}

static JitSlowPath *new_slow_path(JitCtx *c)
{
    if (c->n_slow == c->cap_slow) {
        unsigned cap = c->cap_slow ? 2 * c->cap_slow : 8;
        JitSlowPath *p = realloc(c->slow, cap * sizeof(*p));
        if (!p)
            abort();
        c->slow = p;
        c->cap_slow = cap;
    }
    JitSlowPath *sp = &c->slow[c->n_slow++];
    *sp = (JitSlowPath){ 0 };
    x86_label_init(&sp->label);
    x86_label_init(&sp->back);
    x86_label_init(&sp->fault);
    x86_label_init(&sp->retry);
    JitExit *e = jit_new_exit(c, JIT_EXIT_PENDING, c->insn_pc, c->charged - c->insn_index);
    sp->exit = (unsigned)(e - c->exits);
    JitExit *re = jit_new_exit(c, JIT_EXIT_RETRY, c->insn_pc, c->charged - c->insn_index);
    sp->retry_exit = (unsigned)(re - c->exits);
    for (unsigned h = 0; h < 16; h++)
        if (c->guest_of[h] >= 0 && c->dirty[h]) {
            sp->dirty_guest[sp->n_dirty] = (uint8_t)c->guest_of[h];
            sp->dirty_host[sp->n_dirty] = (X86Reg)h;
            sp->n_dirty++;
        }
    sp->remat_fl = c->remat_fl;
    sp->remat = c->remat;
    memcpy(sp->remat_host_of_guest, c->host_of_guest, sizeof(sp->remat_host_of_guest));
    return sp;
}

/* The fast path's TLB probe; leaves the host address base in RAX. */
static void emit_probe(JitCtx *c, X86Reg addr, unsigned size, bool user, bool store, X86Label *miss)
{
    CodeBuffer *cb = c->cb;
    size_t tlb = offsetof(ArmCpu, tlb) + (user ? sizeof(ArmTlbEntry) * ARM_TLB_SIZE : 0);
    size_t tag = tlb + (store ? offsetof(ArmTlbEntry, write_tag) : offsetof(ArmTlbEntry, read_tag));
    if (c->jit->has_bmi2) {
        x86_rorx_rri(cb, X86_RAX, addr, PHYS_PAGE_BITS - 4, 32);
    } else {
        x86_mov_rr(cb, X86_RAX, addr, 32);
        x86_shift_ri(cb, X86_SH_SHR, X86_RAX, PHYS_PAGE_BITS - 4, 32);
    }
    x86_alu_ri(cb, X86_ALU_AND, X86_RAX, (ARM_TLB_SIZE - 1) << 4, 32);
    uint32_t keep = ~(PHYS_PAGE_SIZE - 1) | (size - 1);
    if (c->jit->has_bmi1) {
        if (!c->edx_valid || c->edx_val != ~keep) {
            x86_mov_ri(cb, X86_RDX, ~keep);
            c->edx_valid = true;
            c->edx_val = ~keep;
        }
        x86_andn_rrr(cb, X86_RCX, X86_RDX, addr, 32);
    } else {
        x86_mov_rr(cb, X86_RCX, addr, 32);
        x86_alu_ri(cb, X86_ALU_AND, X86_RCX, (int32_t)keep, 32);
    }
    x86_alu_rm(cb, X86_ALU_CMP, X86_RCX, x86_mem_idx(X86_RBP, X86_RAX, 1, (int32_t)tag), 32);
    x86_jcc_label(cb, X86_CC_NE, miss);
    x86_mov_rm(cb, X86_RAX, x86_mem_idx(X86_RBP, X86_RAX, 1, (int32_t)(tlb + offsetof(ArmTlbEntry, addend))), 64);
}

static bool native(const JitCtx *c)
{
    return (c->opts & JIT_OPT_NATIVE_MEM) != 0;
}

static bool needs_align_check(const JitCtx *c, unsigned flags)
{
    unsigned size = flags & IR_MEM_SIZE_MASK;
    return size > 1 && ((flags & IR_MEM_ALIGN) || (c->opts & JIT_OPT_NATIVE_ALIGN));
}

bool jit_mem_keeps_eflags(const JitCtx *c, const IrInsn *i)
{
    return native(c) && !(c->key & CPSR_E) && !needs_align_check(c, (unsigned)i->imm);
}

/* The native fast path's address base in RAX, and the alignment check; the access
 * instruction that follows is the fault site (sp->site). */
static void emit_native_base(JitCtx *c, X86Reg addr, unsigned size, unsigned flags,
                             JitSlowPath *sp)
{
    CodeBuffer *cb = c->cb;
    x86_mov_rm(cb, X86_RAX, jit_cpu_field(offsetof(ArmCpu, native_base)), 64);
    sp->lazy_fl = c->lazy_fl;
    sp->lazy_borrow = c->lazy_borrow;
    if (needs_align_check(c, flags)) {
        x86_test_ri(cb, addr, size - 1, 32);
        x86_jcc_label(cb, X86_CC_NE, &sp->label);
    }
    sp->site = code_buffer_ptr(cb);
}

static bool user_access(const JitCtx *c, unsigned flags)
{
    return (flags & IR_MEM_USER) || (c->key & CPSR_M) == ARM_MODE_USR;
}

void jit_load(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    (void)ip;
    unsigned flags = (unsigned)i->imm, size = flags & IR_MEM_SIZE_MASK;
    X86Reg addr = jit_use(c, i->a, 0);
    X86Reg dst = i->dst ? jit_dest_new(c, i->dst, 1u << addr) : X86_RAX;
    JitSlowPath *sp = new_slow_path(c); /* after the allocations, which may evict */
    sp->store = false;
    sp->addr = addr;
    sp->dst = dst;
    sp->flags = flags;
    sp->n_saved = live_volatile(c, sp->saved);
    /* The destination is overwritten anyway: it need not survive the call. */
    for (unsigned k = 0; k < sp->n_saved; k++)
        if (sp->saved[k] == dst) {
            sp->saved[k] = sp->saved[--sp->n_saved];
            break;
        }
    if (native(c))
        emit_native_base(c, addr, size, flags, sp);
    else
        emit_probe(c, addr, size, user_access(c, flags), false, &sp->label);
    sp->edx_valid = c->edx_valid;
    sp->edx_val = c->edx_val;
    X86Mem m = x86_mem_idx(X86_RAX, addr, 1, 0);
    if (size == 4)
        x86_mov_rm(c->cb, dst, m, 32);
    else if (flags & IR_MEM_SIGNED)
        x86_movsx_rm(c->cb, dst, m, size * 8, 32);
    else
        x86_movzx_rm(c->cb, dst, m, size * 8, 32);
    x86_label_bind(c->cb, &sp->back);
}

void jit_store(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    (void)ip;
    unsigned flags = (unsigned)i->imm, size = flags & IR_MEM_SIZE_MASK;
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg addr = jit_use(c, i->a, lock);
    bool value_const = c->is_const[i->b] && c->reg_of[i->b] < 0;
    X86Reg value = value_const ? X86_NOREG : jit_use(c, i->b, lock | (1u << addr));
    JitSlowPath *sp = new_slow_path(c); /* after the allocations, which may evict */
    sp->store = true;
    sp->addr = addr;
    sp->flags = flags;
    sp->value = value;
    sp->value_is_const = value_const;
    sp->value_const = (uint32_t)c->const_val[i->b];
    sp->n_saved = live_volatile(c, sp->saved);
    if (native(c))
        emit_native_base(c, addr, size, flags, sp);
    else
        emit_probe(c, addr, size, user_access(c, flags), true, &sp->label);
    sp->edx_valid = c->edx_valid;
    sp->edx_val = c->edx_val;
    X86Mem m = x86_mem_idx(X86_RAX, addr, 1, 0);
    if (value_const)
        x86_mov_mi(c->cb, m,
                   size == 4 ? (int64_t)(int32_t)sp->value_const
                             : (int64_t)(sp->value_const & ((1u << (8 * size)) - 1)),
                   size * 8);
    else
        x86_mov_mr(c->cb, m, value, size * 8);
    x86_label_bind(c->cb, &sp->back);
}
