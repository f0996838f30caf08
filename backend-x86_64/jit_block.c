/*
 * The block driver: the enter/leave trampolines, compiling a whole IrBlock (budget
 * check, body, exit stubs), and chaining.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_SIZE (8 + 8 * JIT_SLOTS) /* keeps RSP 16-byte aligned after 6 pushes */
static const X86Reg saved_regs[] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };
#define N_SAVED (sizeof(saved_regs) / sizeof(saved_regs[0]))

/* enter(cpu, entry): save the callee-saved registers, set up the frame, RBP = cpu and
 * the budget register = cpu->budget, jump to the block. epilogue: store the budget back,
 * undo the rest and return RAX (the exit record). */
static void emit_trampolines(Jit *j)
{
    CodeBuffer *cb = j->cb;
    j->enter = code_buffer_ptr(cb);
    for (unsigned k = 0; k < N_SAVED; k++)
        x86_push_r(cb, saved_regs[k]);
    x86_alu_ri(cb, X86_ALU_SUB, X86_RSP, FRAME_SIZE, 64);
    x86_mov_rr(cb, X86_RBP, X86_RDI, 64);
    x86_mov_rm(cb, JIT_BUDGET_REG, jit_cpu_field(offsetof(ArmCpu, budget)), 64);
    x86_jmp_r(cb, X86_RSI);
    x86_align(cb, 16);
    j->epilogue = code_buffer_ptr(cb);
    x86_mov_mr(cb, jit_cpu_field(offsetof(ArmCpu, budget)), JIT_BUDGET_REG, 64);
    x86_alu_ri(cb, X86_ALU_ADD, X86_RSP, FRAME_SIZE, 64);
    for (unsigned k = N_SAVED; k-- > 0;)
        x86_pop_r(cb, saved_regs[k]);
    x86_ret(cb);
    x86_align(cb, 16);

    /* dispatch: all guest state is in ArmCpu, no temporaries live. */
    j->dispatch = code_buffer_ptr(cb);
    X86Label leave;
    x86_label_init(&leave);
    x86_alu_mi(cb, X86_ALU_CMP, jit_cpu_field(offsetof(ArmCpu, irq_line)), 0, 8);
    x86_jcc_label(cb, X86_CC_NE, &leave);
    x86_alu_mi(cb, X86_ALU_CMP, jit_cpu_field(offsetof(ArmCpu, fiq_line)), 0, 8);
    x86_jcc_label(cb, X86_CC_NE, &leave);
    x86_alu_mi(cb, X86_ALU_CMP, jit_cpu_field(offsetof(ArmCpu, exit_request)), 0, 32);
    x86_jcc_label(cb, X86_CC_NE, &leave);
    x86_mov_rm(cb, X86_RDX, jit_guest_reg_mem(15), 32);
    /* The key (arm_mode_key): CPSR.M|T|E | key_extra[CPSR.M & 15]. */
    x86_mov_rm(cb, X86_RCX, jit_cpu_field(offsetof(ArmCpu, cpsr)), 32);
    x86_mov_rr(cb, X86_RSI, X86_RCX, 32);
    x86_alu_ri(cb, X86_ALU_AND, X86_RSI, 15, 32);
    x86_alu_ri(cb, X86_ALU_AND, X86_RCX, (int32_t)(CPSR_M | CPSR_T | CPSR_E), 32);
    x86_alu_rm(cb, X86_ALU_OR, X86_RCX,
               x86_mem_idx(X86_RBP, X86_RSI, 4, (int32_t)offsetof(ArmCpu, key_extra)), 32);
    /* The entry offset, jit_jc_index(pc, key) * 16 (16-byte entries). */
    x86_mov_rr(cb, X86_RAX, X86_RDX, 32);
    x86_shift_ri(cb, X86_SH_SHL, X86_RAX, 2, 32);
    x86_alu_rm(cb, X86_ALU_XOR, X86_RAX,
               x86_mem_idx(X86_RBP, X86_RSI, 4, (int32_t)offsetof(ArmCpu, jc_salt)), 32);
    x86_alu_ri(cb, X86_ALU_AND, X86_RAX, ((1u << JIT_JC_BITS) - 1) << 4, 32);
    x86_mov_ri(cb, X86_RSI, (uint64_t)(uintptr_t)j->jc);
    x86_alu_rm(cb, X86_ALU_CMP, X86_RDX, x86_mem_idx(X86_RSI, X86_RAX, 1, 0), 32);
    x86_jcc_label(cb, X86_CC_NE, &leave);
    x86_alu_rm(cb, X86_ALU_CMP, X86_RCX, x86_mem_idx(X86_RSI, X86_RAX, 1, 4), 32);
    x86_jcc_label(cb, X86_CC_NE, &leave);
    x86_jmp_m(cb, x86_mem_idx(X86_RSI, X86_RAX, 1, 8));
    x86_label_bind(cb, &leave);
    x86_mov_ri(cb, X86_RAX, (uint64_t)(uintptr_t)&j->dispatch_exit);
    x86_jmp(cb, j->epilogue);
    x86_align(cb, 16);
}

Jit *jit_create(size_t code_size)
{
    Jit *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    j->cb = code_buffer_create(code_size);
    if (!j->cb) {
        free(j);
        return NULL;
    }
    j->has_lzcnt = x86_host_has_lzcnt();
    j->has_bmi2 = x86_host_has_bmi2();
    j->has_bmi1 = x86_host_has_bmi1();
    j->dispatch_exit.kind = JIT_EXIT_INDIRECT;
    memset(j->jc, 0xff, sizeof(j->jc));
    emit_trampolines(j);
    return j;
}

void jit_destroy(Jit *j)
{
    if (!j)
        return;
    code_buffer_destroy(j->cb);
    free(j->sites);
    free(j);
}

static JitJumpEntry *jc_slot(Jit *j, uint32_t pc, uint32_t key)
{
    return &j->jc[jit_jc_index(pc, key)];
}

void jit_jc_set(Jit *j, uint32_t pc, uint32_t key, void *entry)
{
    JitJumpEntry *e = jc_slot(j, pc, key);
    e->pc = pc;
    e->key = key;
    e->entry = entry;
}

void jit_jc_remove(Jit *j, uint32_t pc, uint32_t key, void *entry)
{
    JitJumpEntry *e = jc_slot(j, pc, key);
    if (e->entry == entry)
        memset(e, 0xff, sizeof(*e)); /* pc 0xffffffff never matches an ARM PC */
}

void jit_jc_flush(Jit *j)
{
    memset(j->jc, 0xff, sizeof(j->jc));
}

void jit_reset(Jit *j)
{
    memset(j->jc, 0xff, sizeof(j->jc));
    jit_native_sites_clear(j);
    code_buffer_reset(j->cb);
    emit_trampolines(j);
}

JitExit *jit_enter(Jit *j, ArmCpu *cpu, void *entry)
{
    JitExit *(*fn)(ArmCpu *, void *) = (JitExit * (*)(ArmCpu *, void *))(void *) j->enter;
    return fn(cpu, entry);
}

void jit_chain(JitExit *e, void *entry)
{
    x86_patch_jump(e->jmp_site, entry);
}

void jit_unchain(JitExit *e)
{
    x86_patch_jump(e->jmp_site, e->stub);
}

void jit_block_free(JitBlock *jb)
{
    free(jb->exits);
    memset(jb, 0, sizeof(*jb));
}

static bool ctx_init(JitCtx *c, Jit *j, const IrBlock *b)
{
    memset(c, 0, sizeof(*c));
    c->jit = j;
    c->cb = j->cb;
    c->b = b;
    size_t n = b->n_temps ? b->n_temps : 1;
    c->reg_of = malloc(n);
    c->slot_of = malloc(n);
    c->mem_of = malloc(n);
    c->is_const = calloc(n, sizeof(bool));
    c->const_val = calloc(n, sizeof(uint64_t));
    c->last_use = calloc(n, sizeof(uint32_t));
    c->temp_src_reg = malloc(n);
    c->temp_src_ver = calloc(n, sizeof(uint16_t));
    c->live_in = malloc(b->n ? b->n : 1);
    if (!c->reg_of || !c->slot_of || !c->mem_of || !c->is_const || !c->const_val || !c->last_use ||
        !c->temp_src_reg || !c->temp_src_ver || !c->live_in || !ir_flags_live_in(b, c->live_in))
        return false;
    memset(c->temp_src_reg, -1, n);
    x86_label_init(&c->top);
    x86_label_init(&c->loop_back);
    memset(c->reg_of, -1, n);
    memset(c->slot_of, -1, n);
    memset(c->mem_of, -1, n);
    memset(c->guest_of, -1, sizeof(c->guest_of));
    memset(c->host_of_guest, -1, sizeof(c->host_of_guest));
    for (unsigned k = 0; k < JIT_MAX_LABELS; k++)
        x86_label_init(&c->labels[k]);
    for (uint32_t ip = 0; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        if (i->a) c->last_use[i->a] = ip;
        if (i->b) c->last_use[i->b] = ip;
        if (i->c) c->last_use[i->c] = ip;
    }
    c->insn_pc = UINT32_MAX;
    return b->n_labels <= JIT_MAX_LABELS;
}

static void ctx_free(JitCtx *c)
{
    free(c->reg_of);
    free(c->slot_of);
    free(c->mem_of);
    free(c->is_const);
    free(c->const_val);
    free(c->last_use);
    free(c->temp_src_reg);
    free(c->temp_src_ver);
    free(c->live_in);
    free(c->faults);
    free(c->slow);
}

/* Pure operations whose result nobody uses need no code (e.g. a shifter carry whose
 * flag write the dead-flag pass removed). */
static bool is_dead_pure(const JitCtx *c, const IrInsn *i)
{
    /* Flag-writing arithmetic still has to run for its flags (ir_is_pure). */
    return i->dst && c->last_use[i->dst] == 0 && ir_is_pure(i);
}

bool jit_compile(Jit *j, const IrBlock *b, uint32_t key, unsigned opts, JitBlock *out,
                 bool *buffer_full)
{
    JitCtx c;
    CodeBuffer *cb = j->cb;
    uint8_t *start = code_buffer_ptr(cb);
    *buffer_full = false;
    memset(out, 0, sizeof(*out));
    if (!ctx_init(&c, j, b)) {
        ctx_free(&c);
        return false;
    }
    c.key = key;
    c.opts = opts;
    x86_align(cb, 16);
    uint8_t *entry = code_buffer_ptr(cb);

    /* Budget check (the exact instruction count, see backend-x86_64.h): the whole
     * block on entry, so that nothing in it clobbers EFLAGS for the count. */
    X86Label no_budget;
    x86_label_init(&no_budget);
    c.charged = b->guest_insns;
    x86_alu_ri(cb, X86_ALU_SUB, JIT_BUDGET_REG, (int32_t)c.charged, 64);
    x86_jcc_label(cb, X86_CC_L, &no_budget);
    c.loop_ok = jit_loop_eligible(&c);
    jit_loop_preload(&c);
    x86_label_bind(cb, &c.top);

    for (uint32_t ip = 0; ip < b->n && !c.failed; ip++) {
        const IrInsn *i = &b->insns[ip];
        c.ip = ip;
        if (is_dead_pure(&c, i))
            continue;
        /* EDX (the TLB mask, see jit_mem.c) survives everything but a join of paths and
         * the few operations that use RDX; calls clear edx_valid themselves, and memory
         * accesses restore EDX on their slow path. */
        switch ((IrOp)i->op) {
        case IR_LABEL: case IR_UDIV: case IR_SDIV: case IR_UREM: case IR_CLZ:
            c.edx_valid = false;
            break;
        case IR_LSL: case IR_LSR: case IR_ASR: case IR_ROR:
            if (!c.is_const[i->b])
                c.edx_valid = false;
            break;
        default:
            break;
        }
        jit_keep_rdx(&c, i);
        if (ip + 3 < b->n && jit_fused_cond_exit(&c, i, ip)) {
            ip += 2; /* the COND, the branch and the exit; the label comes next */
            jit_release_dead(&c, &b->insns[ip], ip);
            continue;
        }
        if (ip + 1 < b->n && jit_fused_cond_branch(&c, i, &b->insns[ip + 1], ip)) {
            ip++;
            jit_release_dead(&c, &b->insns[ip], ip);
            continue;
        }
        jit_flags_before(&c, i);
        jit_compile_insn(&c, i, ip);
        jit_loop_note_insn(&c, i);
        jit_release_dead(&c, i, ip);
    }

    /* Out-of-line code: a self-loop's back edge, the budget exit, fault exits, and the
     * stubs of direct exits. */
    jit_loop_emit_tail(&c);
    jit_flags_emit_stubs(&c);
    x86_label_bind(cb, &no_budget);
    x86_alu_ri(cb, X86_ALU_ADD, JIT_BUDGET_REG, (int32_t)c.charged, 64);
    x86_mov_mi(cb, jit_guest_reg_mem(15), (int32_t)b->guest_pc, 32);
    JitExit *be = jit_new_exit(&c, JIT_EXIT_BUDGET, b->guest_pc, 0); /* the stub gave it back */
    jit_emit_leave(&c, (unsigned)(be - c.exits));
    jit_emit_fault_stubs(&c);
    jit_emit_div_zero_stubs(&c);
    jit_emit_slow_paths(&c);
    jit_flags_emit_exits(&c);
    for (unsigned k = 0; k < c.n_exits; k++) {
        JitExit *e = &c.exits[k];
        if (e->kind != JIT_EXIT_DIRECT)
            continue;
        e->stub = code_buffer_ptr(cb);
        x86_mov_mi(cb, jit_guest_reg_mem(15), (int32_t)e->pc, 32);
        jit_emit_leave(&c, k);
    }

    if (!code_buffer_ok(cb) || c.failed) {
        *buffer_full = cb->overflow;
        code_buffer_rewind(cb, start);
        free(c.exits);
        ctx_free(&c);
        return false;
    }
    for (unsigned k = 0; k < c.n_exits; k++)
        if (c.exits[k].kind == JIT_EXIT_DIRECT)
            x86_patch_jump(c.exits[k].jmp_site, c.exits[k].stub);
    for (unsigned k = 0; k < c.n_fixups; k++) {
        uint64_t addr = (uint64_t)(uintptr_t)&c.exits[c.fixups[k].exit];
        memcpy(c.fixups[k].at, &addr, 8);
    }
    jit_native_sites_add(&c);
    out->entry = entry;
    out->exits = c.exits;
    out->n_exits = c.n_exits;
    out->code_size = (size_t)(code_buffer_ptr(cb) - start);
    ctx_free(&c);
    return true;
}
