/*
 * The engine object and the execution loop.
 *
 * Guest instruction counting is exact: the interpreter counts at each instruction
 * boundary, takes the budget into account before starting an instruction, and uncounts
 * an instruction that a memory fault aborted.
 */
#include "dbt/dbt_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const engine_names[] = { "interp", "jit", "native" };

const char *dbt_engine_name(DbtEngine e)
{
    return (unsigned)e < 3 ? engine_names[e] : "?";
}

int dbt_engine_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, engine_names[i]) == 0)
            return i;
    return -1;
}

/* A guest store (or a loader, or semihosting) is about to change a page that holds
 * translated code: drop those blocks, and make a running block stop at the next
 * instruction boundary so the new code is translated before it runs. */
static void on_code_write(void *opaque, PhysAddr page)
{
    Dbt *d = opaque;
    d->cpu->code_written = 1;
    tb_invalidate_page(d, page);
}

Dbt *dbt_create(ArmCpu *cpu, DbtEngine engine)
{
    return dbt_create_sized(cpu, engine, DBT_JIT_CODE_SIZE);
}

static void fetch_cache_flush(Dbt *d)
{
    for (unsigned k = 0; k < DBT_FETCH_CACHE; k++)
        d->fetch[k].tag = DBT_FETCH_INVALID;
}

static uint32_t regime_sig(const ArmCpu *cpu)
{
    return (cpu->cp15.sctlr & SCTLR_M) | (cpu->cp15.ttbcr & MMU_TTBCR_EAE);
}

/* The guest changed address translation (ARM ARM B3.10). Blocks are found by virtual
 * PC but checked against the physical page on every lookup by the loop; what bypasses
 * that check are the cached fetch translations, chained jumps and the indirect-branch
 * cache. They behave like TLB entries: TLB maintenance drops them (conservatively: all
 * of them), a new ASID drops those of non-global pages, turning the MMU on or off or
 * changing the descriptor format drops everything; a write to TTBR0/1, TTBCR.N, DACR or
 * the memory attributes keeps them, as a TLB keeps its entries until they are
 * invalidated (software must do so; QEMU behaves the same). */
static void on_tlb_changed(void *opaque, unsigned kind, uint32_t va, uint32_t asid)
{
    Dbt *d = opaque;
    ArmCpu *cpu = d->cpu;
    if (d->native)
        dbt_native_tlb_changed(d, kind, va, asid);
    uint32_t sig = regime_sig(cpu), new_asid = arm_mmu_asid(cpu);
    if (!(sig & SCTLR_M) && !(d->regime_sig & SCTLR_M)) {
        d->regime_sig = sig;
        d->regime_asid = new_asid;
        return; /* flat mapping before and after */
    }
    if (kind == ARM_TLBCH_MVA && sig == d->regime_sig) {
        /* One mapping: the blocks of every page it covers (a section's TLB entry goes
         * with any address in it, ARM ARM B3.10.1). Its size is taken from the tables
         * as they are now; if va is unmapped now, a section's worth. */
        MmuRegs regs;
        MmuResult res;
        arm_mmu_regs(cpu, &regs);
        unsigned shift = mmu_walk(cpu->mem, &regs, va, &res) ? res.page_shift
                         : (cpu->cp15.ttbcr & MMU_TTBCR_EAE) ? 21 : 20;
        fetch_cache_flush(d);
        if (shift < PHYS_PAGE_BITS || shift > 24) {
            tb_unchain_all(d); /* a 1 GiB block: not worth a page-by-page search */
        } else {
            uint32_t size = 1u << shift;
            tb_unchain_range(d, va & ~(size - 1), size);
        }
        d->last_exit = NULL;
        d->last_indirect = false;
        return;
    }
    if ((kind == ARM_TLBCH_REGIME || kind == ARM_TLBCH_CONTEXT) && sig == d->regime_sig) {
        if (new_asid == d->regime_asid)
            return;
        if (d->fetch_ng)
            for (unsigned k = 0; k < DBT_FETCH_CACHE; k++)
                if (!d->fetch[k].global)
                    d->fetch[k].tag = DBT_FETCH_INVALID;
        d->fetch_ng = false;
        d->regime_asid = new_asid;
        d->last_exit = NULL;
        d->last_indirect = false;
        /* A context switch: user blocks carry their ASID in the key (arm_mode_key), so
         * their chains and jump-cache entries only ever lead to blocks of the same ASID,
         * and privileged code is normally global. Only privileged blocks from non-global
         * pages would make the links stale. */
        if (!d->priv_ng_blocks)
            return;
    } else {
        fetch_cache_flush(d);
    }
    d->regime_sig = sig;
    d->regime_asid = new_asid;
    tb_unchain_all(d);
    d->last_exit = NULL;
    d->last_indirect = false;
}

Dbt *dbt_create_sized(ArmCpu *cpu, DbtEngine engine, size_t jit_code_bytes)
{
    if ((unsigned)engine > DBT_ENGINE_NATIVE)
        return NULL;
    Dbt *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    if (engine != DBT_ENGINE_INTERP) {
        d->jit = jit_create(jit_code_bytes);
        if (!d->jit) {
            free(d);
            return NULL;
        }
    }
    d->cpu = cpu;
    d->engine = engine;
    d->log = stderr;
    physmem_set_code_write_fn(cpu->mem, on_code_write, d);
    fetch_cache_flush(d);
    d->regime_sig = regime_sig(cpu);
    d->regime_asid = arm_mmu_asid(cpu);
    cpu->env.tlb_changed_fn = on_tlb_changed;
    cpu->env.tlb_changed_opaque = d;
    dbt_user_mode_attach(d);
    if (engine == DBT_ENGINE_NATIVE) {
        char err[256];
        if (!dbt_native_init(d, err, sizeof err)) {
            fprintf(stderr, "armvm: %s\n", err);
            dbt_destroy(d);
            return NULL;
        }
    }
    return d;
}

void dbt_destroy(Dbt *d)
{
    if (!d)
        return;
    tb_flush_all(d);
    tb_free_dead(d);
    physmem_set_code_write_fn(d->cpu->mem, NULL, NULL);
    if (d->cpu->env.tlb_changed_opaque == d)
        d->cpu->env.tlb_changed_fn = NULL;
    if (d->cpu->env.user_mode_opaque == d)
        d->cpu->env.user_mode_fn = NULL;
    dbt_native_destroy(d);
    jit_destroy(d->jit);
    free(d->temps);
    free(d);
}

void dbt_set_log(Dbt *d, unsigned log_mask, FILE *out)
{
    d->log_mask = log_mask;
    d->log = out ? out : stderr;
}

void dbt_set_soft_budget(Dbt *d, bool soft)
{
    d->soft_budget = soft;
}

void dbt_flush(Dbt *d)
{
    tb_flush_all(d);
    /* The CPU may have been reset behind our back: forget cached translations too. */
    fetch_cache_flush(d);
    d->regime_sig = regime_sig(d->cpu);
    d->regime_asid = arm_mmu_asid(d->cpu);
    d->last_exit = NULL;
    d->last_indirect = false;
    d->interp_next = false;
    dbt_native_flush(d);
}

const DbtStats *dbt_stats(Dbt *d)
{
    d->stats_snapshot = d->stats;
    dbt_native_stats(d, &d->stats_snapshot);
    return &d->stats_snapshot;
}

void dbt_exec_ir(Dbt *d, const IrBlock *b)
{
    Tb tb = { .pc = d->cpu->r[15], .ir = *b };
    if (!tb_resolve_labels(&tb))
        abort();
    interp_exec_block(d, &tb);
    free(tb.label_pos);
}

/* The instruction fetch itself faulted: prefetch abort, nothing counted. */
static void take_prefetch_abort(Dbt *d, uint32_t pc)
{
    ArmCpu *cpu = d->cpu;
    ArmException exc = cpu->pending_exc;
    cpu->pending_exc = ARM_EXC_NONE;
    arm_take_exception(cpu, exc, pc);
    if (d->log_mask & DBT_LOG_INT)
        fprintf(d->log, "exception: %s at %08x (fetch), mode %s, vector %08x, icount=%llu\n",
                arm_exception_name(exc), pc, arm_mode_name(arm_cpu_mode(cpu)), cpu->r[15],
                (unsigned long long)cpu->icount);
}

static void log_in_asm(Dbt *d, const Tb *tb)
{
    ArmCpu *cpu = d->cpu;
    fprintf(d->log, "IN: block %08x, %u instructions\n", tb->pc, tb->ir.guest_insns);
    for (uint32_t a = tb->ir.guest_pc; a != tb->ir.guest_end; a += 4) {
        uint32_t insn = 0;
        char text[96];
        if (!arm_mem_fetch32(cpu, a, &insn))
            cpu->pending_exc = ARM_EXC_NONE;
        arm_disas(a, insn, text, sizeof(text));
        fprintf(d->log, "0x%08x:  %08x  %s\n", a, insn, text);
    }
}

static void log_cpu(Dbt *d, uint32_t pc)
{
    ArmCpu *cpu = d->cpu;
    fprintf(d->log, "CPU: pc=%08x cpsr=%08x icount=%llu\n", pc, arm_cpsr_read(cpu),
            (unsigned long long)cpu->icount);
    for (int r = 0; r < 16; r += 4)
        fprintf(d->log, "  r%-2d=%08x r%-2d=%08x r%-2d=%08x r%-2d=%08x\n", r, cpu->r[r], r + 1,
                cpu->r[r + 1], r + 2, cpu->r[r + 2], r + 3, cpu->r[r + 3]);
}

/* Run a block; with -d int, report the exception it took (a block takes at most one). */
static void exec_logged(Dbt *d, Tb *tb)
{
    ArmCpu *cpu = d->cpu;
    cpu->code_written = 0;
    if (!(d->log_mask & DBT_LOG_INT)) {
        interp_exec_block(d, tb);
        return;
    }
    uint64_t before[ARM_EXC_COUNT];
    memcpy(before, cpu->exceptions, sizeof(before));
    interp_exec_block(d, tb);
    for (int k = 1; k < ARM_EXC_COUNT; k++)
        if (cpu->exceptions[k] != before[k])
            fprintf(d->log, "exception: %s, mode %s, lr=%08x, vector %08x, icount=%llu\n",
                    arm_exception_name((ArmException)k), arm_mode_name(arm_cpu_mode(cpu)), cpu->r[14],
                    cpu->r[15], (unsigned long long)cpu->icount);
}

/* Run translated code starting with tb until it returns, then settle what it returned:
 * the instruction count, and exceptions raised inside. Returns the exit for chaining. */
static JitExit *exec_jit(Dbt *d, Tb *tb, uint64_t remaining)
{
    ArmCpu *cpu = d->cpu;
    int64_t slice = DBT_JIT_SLICE;
    if (remaining && remaining < (uint64_t)slice)
        slice = (int64_t)remaining;
    cpu->budget = slice;
    cpu->jit_slice = slice;
    cpu->code_written = 0;
    JitExit *e = jit_enter(d->jit, cpu, tb->jb.entry);
    cpu->budget += e->uncount;
    d->last_indirect = e->kind == JIT_EXIT_INDIRECT;
    switch (e->kind) {
    case JIT_EXIT_RETRY:
        cpu->jit_retry = 0;
        cpu->r[15] = e->pc;
        d->interp_next = true;
        break;
    case JIT_EXIT_RAISE:
        arm_take_exception(cpu, (ArmException)e->exc, e->pc);
        break;
    case JIT_EXIT_PENDING: {
        ArmException exc = cpu->pending_exc;
        cpu->pending_exc = ARM_EXC_NONE;
        /* Aborts do not count the instruction; exceptions an instruction raises itself
         * (an UNDEFINED coprocessor access, say) do. */
        if (exc != ARM_EXC_DATA_ABORT && exc != ARM_EXC_PREFETCH_ABORT)
            cpu->budget -= 1;
        arm_take_exception(cpu, exc, e->pc);
        break;
    }
    default:
        break;
    }
    cpu->icount += (uint64_t)(slice - cpu->budget);
    cpu->budget = 0;
    cpu->jit_slice = 0;
    return e->kind == JIT_EXIT_DIRECT ? e : NULL;
}

DbtExit dbt_run(Dbt *d, uint64_t max_insns)
{
    ArmCpu *cpu = d->cpu;
    const uint64_t start = cpu->icount;
    /* The state may have been changed since the last run: nothing to link to. */
    d->last_exit = NULL;
    if (d->native)
        dbt_native_activate(d); /* this thread's sandbox faults are ours */
    d->last_indirect = false;
    for (;;) {
        tb_free_dead(d);
        if (cpu->halted)
            return DBT_EXIT_HALTED;
        if (cpu->exit_request) {
            cpu->exit_request = 0;
            if (cpu->halted)
                return DBT_EXIT_HALTED;
            return DBT_EXIT_REQUEST;
        }
        if (cpu->yield_request) {
            cpu->yield_request = 0;
            return DBT_EXIT_YIELD;
        }
        if (cpu->wfi) {
            /* WFI waits for any interrupt, even a masked one (ARM ARM B1.8.13). */
            if (!cpu->irq_line && !cpu->fiq_line)
                return DBT_EXIT_WFI;
            cpu->wfi = 0;
        }
        ArmException irq = arm_cpu_pending_interrupt(cpu);
        if (irq != ARM_EXC_NONE) {
            /* Interrupts are taken between blocks (ARM ARM B1.8.10); the exception
             * entry runs no instruction. */
            arm_take_exception(cpu, irq, cpu->r[15]);
            if (d->log_mask & DBT_LOG_INT)
                fprintf(d->log, "exception: %s, mode %s, lr=%08x, vector %08x, icount=%llu\n",
                        arm_exception_name(irq), arm_mode_name(arm_cpu_mode(cpu)), cpu->r[14],
                        cpu->r[15], (unsigned long long)cpu->icount);
            d->last_exit = NULL;
            d->last_indirect = false;
        }
        uint64_t done = cpu->icount - start;
        if (max_insns && done >= max_insns)
            return DBT_EXIT_MAX_INSNS;

        if (d->native)
            dbt_native_check_align(d); /* after a SYNC exit: an MCR may have changed it */

        /* How translated code left last time (only good for the block it leads to). */
        JitExit *prev_exit = d->last_exit;
        bool prev_indirect = d->last_indirect;
        d->last_exit = NULL;
        d->last_indirect = false;

        uint32_t pc = cpu->r[15];
        uint32_t key = arm_mode_key(cpu);
        PhysAddr phys;
        if (!tb_fetch_phys(d, pc, &phys, NULL)) {
            take_prefetch_abort(d, pc);
            continue;
        }
        if (d->interp_next) {
            /* Translated code stopped before an instruction that writes translated
             * code: run just that instruction, uncached, in the interpreter. */
            d->interp_next = false;
            Tb *one = tb_translate(d, pc, key, 1, false);
            if (!one) {
                take_prefetch_abort(d, pc);
                continue;
            }
            exec_logged(d, one);
            tb_free(one);
            d->stats.retries++;
            continue;
        }
        Tb *tb = tb_lookup(d, pc, key, phys & ~(PhysAddr)(PHYS_PAGE_SIZE - 1));
        if (!tb) {
            uint64_t flushes = d->stats.block_flushes;
            tb = tb_translate(d, pc, key, TB_MAX_INSNS, true);
            if (d->stats.block_flushes != flushes)
                prev_exit = NULL; /* the code buffer was started over */
            if (!tb) {
                take_prefetch_abort(d, pc);
                continue;
            }
            if (d->log_mask & DBT_LOG_IN_ASM)
                log_in_asm(d, tb);
        }
        if (d->log_mask & DBT_LOG_CPU)
            log_cpu(d, pc);
        uint64_t remaining = max_insns ? max_insns - done : 0;
        if (remaining && tb->ir.guest_insns > remaining && d->soft_budget)
            remaining = tb->ir.guest_insns; /* run the whole block, then stop */
        if (remaining && tb->ir.guest_insns > remaining) {
            /* The budget ends inside this block: run a shorter, uncached copy so that
             * the budget falls on a block boundary (flag liveness assumes it does). */
            Tb *part = tb_translate(d, pc, key, (unsigned)remaining, false);
            if (!part) {
                take_prefetch_abort(d, pc);
                continue;
            }
            exec_logged(d, part);
            tb_free(part);
            continue;
        }
        if (tb->jb.entry && !(d->log_mask & (DBT_LOG_EXEC | DBT_LOG_INT))) {
            /* Link the way we came here, so that next time translated code comes
             * straight here: a patched jump, or the indirect-branch cache. */
            if (prev_exit)
                tb_chain(d, prev_exit, tb);
            else if (prev_indirect) {
                jit_jc_set(d->jit, tb->pc, tb->key, tb->jb.entry);
                tb_note_linked(d, tb);
            }
            d->last_exit = exec_jit(d, tb, remaining);
        } else {
            exec_logged(d, tb);
        }
    }
}
