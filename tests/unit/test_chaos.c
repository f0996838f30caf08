/*
 * Random words, run under every engine: jit and native must end in exactly the state
 * the interpreter ends in, and nothing may crash the emulator.
 *
 * A program is 8 KiB of random 32-bit words: most of them fully random, some turned
 * into branches that stay inside the program, some into loads and stores. Every third
 * program is dense: long runs of unconditional data processing over r0-r12 with loads
 * and stores among them (which found a register allocation bug that the sparse ones
 * missed). It is entered in User mode (the native engine's fast path), in User mode
 * with the MMU on, or in Supervisor mode, with registers pointing into RAM. With the
 * MMU, RAM is mapped at its own address in 4 KiB pages, User read/write but for the
 * last 128 KiB (the vectors and the translation tables, privileged only): user code
 * takes permission and translation faults, and the native engine maps its pages
 * through the tables.
 *
 * Whatever the words do - UNDEFINED and UNPREDICTABLE encodings, aborts, SVC, BKPT,
 * mode changes, MSR to any PSR, CP15 accesses, stores into the program itself, Thumb,
 * WFI, WFE - fixed handlers keep it running: UNDEFINED and SVC return to the next
 * instruction, a data abort skips the access, a prefetch abort restarts the program at
 * a place that moves on each time (sp_abt counts). After a fixed number of instructions
 * the whole architectural state (every mode's registers, PSRs, flags, CP15, the
 * exclusive monitor, the exceptions taken) and all of RAM must equal the interpreter's.
 * jit and native also run in random slices of the budget, so every slice end is a
 * check that counting stays exact across aborts, code writes and chained blocks. All
 * engines translate through the same frontend and IR, so UNPREDICTABLE choices are the
 * same everywhere: any difference is a backend or engine bug.
 *
 * A random program can hang any ARM CPU: an exception whose handler's first instruction
 * takes the same exception again, forever, without completing an instruction (the
 * budget counts completed instructions, so dbt_run would not return). The privileged
 * programs have their MCRs to SCTLR (c1) and VBAR (c12) replaced by NOPs, so the
 * vectors stay in RAM with the MMU off, and the vectors sit at the far end of RAM,
 * away from the addresses the programs use; a store could still overwrite them. A
 * watchdog (SIGALRM, which sets exit_request) therefore ends a dbt_run call that takes
 * too long: for the interpreter that is the program's own hang, skipped (and counted
 * in the log); for jit and native, whose reference finished, a failure.
 *
 * CHAOS_PROGRAMS=N in the environment runs more programs (default 120 per mode).
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "a32_harness.h"
#include "test_rng.h"

#define VECTORS (A32_RAM_BASE + 0xf0000u)
#define L1_TABLE (A32_RAM_BASE + 0xe0000u) /* 16 KiB aligned */
#define L2_TABLE (A32_RAM_BASE + 0xe4000u)
#define USER_PAGES 0xe0u                   /* pages of RAM User may access */
#define CODE_BASE (A32_RAM_BASE + 0x1000u)
#define CODE_WORDS 2048u /* 8 KiB, two pages; the abort handler knows this size */
#define DATA_BASE (A32_RAM_BASE + 0x10000u)
#define RUN_INSNS 40000u

/* The vector table (VBAR) and the prefetch abort handler. */
static const uint32_t vectors[] = {
    0xea000006, /* 0x00 reset (not taken): b pabt */
    0xe1b0f00e, /* 0x04 undefined: movs pc, lr (the next instruction) */
    0xe1b0f00e, /* 0x08 svc: movs pc, lr */
    0xea000003, /* 0x0c prefetch abort: b pabt */
    0xe25ef004, /* 0x10 data abort: subs pc, lr, #4 (skip the access) */
    0xea000001, /* 0x14 (hyp trap, not taken): b pabt */
    0xe25ef004, /* 0x18 irq: subs pc, lr, #4 */
    0xe25ef004, /* 0x1c fiq: subs pc, lr, #4 */
    /* pabt: restart in the program at CODE_BASE + (sp_abt mod 8 KiB), sp_abt moving on,
     * in ARM state (Thumb is not implemented: every Thumb instruction is UNDEFINED) */
    0xe14fe000, /* mrs lr, spsr */
    0xe3cee020, /* bic lr, lr, #0x20 */
    0xe16ff00e, /* msr spsr_fsxc, lr */
    0xe28ddf71, /* add sp, sp, #0x1c4 */
    0xe1a0e98d, /* lsl lr, sp, #19 */
    0xe1a0e9ae, /* lsr lr, lr, #19 */
    0xe3cee003, /* bic lr, lr, #3 */
    0xe28ee101, /* add lr, lr, #0x40000000 */
    0xe28eea01, /* add lr, lr, #0x1000 */
    0xe1b0f00e, /* movs pc, lr */
};

static uint32_t random_cond(uint64_t *s)
{
    /* AL half of the time, else any condition (0xf: the unconditional space) */
    uint32_t c = (uint32_t)(test_rng_next(s) % 32);
    return c < 16 ? c : 0xe;
}

/* An MCR to SCTLR or VBAR (ARM ARM A8.8.98): the privileged programs may not move the
 * vectors or turn the MMU on (see above). */
static bool writes_vectors_or_mmu(uint32_t w)
{
    bool mcr = (w & 0x0f100f10u) == 0x0e000f10u; /* coproc 15, L = 0, bit 4 = 1 */
    unsigned crn = (w >> 16) & 15;
    return mcr && (crn == 1 || crn == 12);
}

/* Base register r0-r12 in bits 19:16 and, unless `pc_ok`, no PC in bits 15:12. */
static uint32_t no_pc(uint32_t w, bool pc_ok)
{
    if (((w >> 16) & 15) > 12)
        w &= ~0x000f0000u;
    if (!pc_ok && ((w >> 12) & 15) == 15)
        w &= ~0x0000f000u;
    return w;
}

static uint32_t random_word(uint64_t *s, unsigned idx, bool privileged)
{
    uint32_t w = (uint32_t)test_rng_next(s);
    unsigned kind = (unsigned)(test_rng_next(s) % 32);
    bool pc_ok = test_rng_next(s) % 8 == 0; /* now and then a write to the PC */
    uint32_t cond = random_cond(s) << 28;
    if (kind < 5) {
        /* B/BL to within the program: offset from idx + 2 */
        int32_t target = (int32_t)(test_rng_next(s) % CODE_WORDS);
        int32_t off = target - (int32_t)idx - 2;
        w = cond | (0xau + (w >> 31)) << 24 | ((uint32_t)off & 0xffffff);
    } else if (kind < 12) {
        /* single load/store (immediate or register offset) */
        w = no_pc(cond | 0x04000000u | (w & 0x03ffffefu), pc_ok);
    } else if (kind < 14) {
        /* LDM/STM */
        w = no_pc(cond | 0x08000000u | (w & 0x01ffffffu), true);
        if (!pc_ok)
            w &= ~0x8000u;
    } else if (kind < 24) {
        /* data processing, multiplies, extra loads/stores, MRS/MSR, BX, CLZ ... */
        w = no_pc(cond | (w & 0x03ffffffu), pc_ok);
    } else if (kind < 27) {
        /* media instructions */
        w = no_pc(cond | 0x06000010u | (w & 0x01ffffefu), pc_ok);
    } else if (kind < 28) {
        /* hints: NOP, YIELD, WFE, WFI, SEV */
        w = cond | 0x0320f000u | (uint32_t)(test_rng_next(s) % 5);
    }
    /* else fully random */
    if (privileged && writes_vectors_or_mmu(w))
        w = 0xe320f000; /* nop */
    return w;
}

/* Every third program is dense: long unconditional runs of data processing over r0-r12
 * with loads and stores among them, which keep many guest registers live and dirty in
 * host registers when an access faults (what register allocation must get right). */
static uint32_t random_dense_word(uint64_t *s, unsigned idx)
{
    uint32_t w = (uint32_t)test_rng_next(s);
    unsigned kind = (unsigned)(test_rng_next(s) % 32);
    if (kind < 1) {
        int32_t target = (int32_t)(test_rng_next(s) % CODE_WORDS);
        w = 0xea000000u | ((uint32_t)(target - (int32_t)idx - 2) & 0xffffff);
    } else if (kind < 8) {
        /* LDR/STR (word or byte, immediate offset) */
        w = no_pc(0xe4000000u | (w & 0x01f0ffffu), false);
    } else if (kind < 31) {
        /* data processing, immediate or register operand; Rd, Rn, Rm in r0-r12 */
        w = no_pc(0xe0000000u | (w & 0x03ffffefu), false);
        if ((w & 0x0e000000u) == 0 && (w & 15) > 12)
            w &= ~15u;
    }
    return w;
}

/* Architectural state: everything a guest can observe. */
static void compare_cpu(const ArmCpu *a, const ArmCpu *b, const char *what)
{
    for (int k = 0; k < 16; k++)
        ck_assert_msg(a->r[k] == b->r[k], "%s: r%d %08x, interp %08x", what, k, b->r[k], a->r[k]);
    ck_assert_msg(arm_cpsr_read(a) == arm_cpsr_read(b), "%s: cpsr %08x, interp %08x", what,
                  arm_cpsr_read(b), arm_cpsr_read(a));
    ck_assert_msg(a->icount == b->icount, "%s: icount %llu, interp %llu", what,
                  (unsigned long long)b->icount, (unsigned long long)a->icount);
    ck_assert_msg(!memcmp(a->bank_r13, b->bank_r13, sizeof a->bank_r13), "%s: banked sp", what);
    ck_assert_msg(!memcmp(a->bank_r14, b->bank_r14, sizeof a->bank_r14), "%s: banked lr", what);
    ck_assert_msg(!memcmp(a->bank_spsr, b->bank_spsr, sizeof a->bank_spsr), "%s: spsr", what);
    ck_assert_msg(!memcmp(a->usr_r8_12, b->usr_r8_12, sizeof a->usr_r8_12), "%s: usr r8-r12", what);
    ck_assert_msg(!memcmp(a->fiq_r8_12, b->fiq_r8_12, sizeof a->fiq_r8_12), "%s: fiq r8-r12", what);
    ck_assert_msg(!memcmp(&a->cp15, &b->cp15, offsetof(ArmCp15, tlb_large_lo)), "%s: cp15", what);
    ck_assert_msg(a->excl_valid == b->excl_valid && (!a->excl_valid || a->excl_addr == b->excl_addr),
                  "%s: exclusive monitor", what);
    ck_assert_msg(a->event_register == b->event_register, "%s: event register", what);
    for (int k = 0; k < ARM_EXC_COUNT; k++)
        ck_assert_msg(a->exceptions[k] == b->exceptions[k], "%s: %s taken %llu times, interp %llu",
                      what, arm_exception_name((ArmException)k),
                      (unsigned long long)b->exceptions[k], (unsigned long long)a->exceptions[k]);
}

typedef enum ChaosMode { CHAOS_USER, CHAOS_USER_MMU, CHAOS_PRIVILEGED } ChaosMode;

static const char *const mode_names[] = { "user", "user with MMU", "privileged" };

/* The MMU on (ARM ARM B3.5, short descriptors): RAM mapped flat through one L2 table,
 * domain 0 a client. Written through the CP15 access path, as an MCR would. */
static void enable_mmu(A32Run *r)
{
    uint32_t l1 = (L2_TABLE & ~0x3ffu) | 1u; /* page table, domain 0 */
    ck_assert_int_eq(physmem_copy_to_guest(&r->mem, L1_TABLE + (A32_RAM_BASE >> 20) * 4, &l1, 4), 0);
    for (uint32_t page = 0; page < A32_RAM_SIZE >> 12; page++) {
        uint32_t ap = page < USER_PAGES ? 3u : 1u; /* User RW, or privileged RW only */
        uint32_t d = (A32_RAM_BASE + (page << 12)) | 2u | (ap << 4) | 0xcu;
        ck_assert_int_eq(physmem_copy_to_guest(&r->mem, L2_TABLE + page * 4, &d, 4), 0);
    }
    uint32_t v = L1_TABLE;
    ck_assert(arm_cp_access(&r->cpu, 15, 0, 2, 0, 0, false, &v)); /* TTBR0 */
    v = 1;
    ck_assert(arm_cp_access(&r->cpu, 15, 0, 3, 0, 0, false, &v)); /* DACR */
    ck_assert(arm_cp_access(&r->cpu, 15, 0, 1, 0, 0, true, &v));  /* SCTLR */
    v |= SCTLR_M;
    ck_assert(arm_cp_access(&r->cpu, 15, 0, 1, 0, 0, false, &v));
}

typedef struct ChaosResult {
    A32Run run;
    unsigned wfi_stops;
    bool hung; /* the watchdog ended it */
} ChaosResult;

#define WATCHDOG_SECONDS 10

static ArmCpu *volatile watched;

static void on_alarm(int sig)
{
    (void)sig;
    if (watched)
        watched->exit_request = 1;
}

static void watchdog(ArmCpu *cpu)
{
    struct itimerval t = { .it_value = { .tv_sec = cpu ? WATCHDOG_SECONDS : 0 } };
    watched = cpu;
    setitimer(ITIMER_REAL, &t, NULL);
}

/* Build program `seed` in a fresh machine for `engine` and run RUN_INSNS instructions,
 * in one go (slice_seed 0) or in random slices. A WFI stops dbt_run; the test counts it
 * and goes on as if an interrupt had woken the CPU. */
static void run_program(ChaosResult *res, DbtEngine engine, uint64_t seed, ChaosMode mode,
                        uint64_t slice_seed)
{
    bool privileged = mode == CHAOS_PRIVILEGED;
    A32Run *r = &res->run;
    a32_run_init_engine(r, engine);
    res->wfi_stops = 0;
    res->hung = false;
    uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
    static uint32_t code[CODE_WORDS];
    bool dense = seed % 3 == 2;
    for (unsigned k = 0; k < CODE_WORDS; k++)
        code[k] = dense ? random_dense_word(&s, k) : random_word(&s, k, privileged);
    if (dense && privileged)
        for (unsigned k = 0; k < CODE_WORDS; k++)
            if (writes_vectors_or_mmu(code[k]))
                code[k] = 0xe320f000; /* nop */
    ck_assert_int_eq(physmem_copy_to_guest(&r->mem, VECTORS, vectors, sizeof vectors), 0);
    ck_assert_int_eq(physmem_copy_to_guest(&r->mem, CODE_BASE, code, sizeof code), 0);
    ArmCpu *cpu = &r->cpu;
    cpu->cp15.vbar = VECTORS;
    if (mode == CHAOS_USER_MMU)
        enable_mmu(r);
    /* A, I, F masked; User mode or Supervisor mode */
    arm_cpsr_write(cpu, 0x1c0u | (privileged ? ARM_MODE_SVC : ARM_MODE_USR), 0xffffffffu,
                   ARM_CPSR_WRITE_RAW);
    for (unsigned k = 0; k < 15; k++)
        cpu->r[k] = DATA_BASE + (uint32_t)(test_rng_next(&s) % 0x10000u);
    cpu->r[15] = CODE_BASE + 4u * (uint32_t)(test_rng_next(&s) % CODE_WORDS);
    uint64_t left = RUN_INSNS;
    while (left) {
        uint64_t slice = slice_seed ? 1 + test_rng_next(&slice_seed) % 3000 : left;
        if (slice > left)
            slice = left;
        uint64_t before = cpu->icount;
        watchdog(cpu);
        DbtExit ex = dbt_run(r->dbt, slice);
        watchdog(NULL);
        if (ex == DBT_EXIT_REQUEST) {
            res->hung = true;
            return;
        }
        ck_assert_uint_le(cpu->icount - before, slice);
        left -= cpu->icount - before;
        if (ex == DBT_EXIT_WFI) {
            res->wfi_stops++;
            cpu->wfi = 0;
        } else {
            ck_assert_int_eq(ex, DBT_EXIT_MAX_INSNS);
            ck_assert_uint_eq(cpu->icount - before, slice);
        }
    }
}

static unsigned n_programs(void)
{
    const char *e = getenv("CHAOS_PROGRAMS");
    unsigned n = e ? (unsigned)strtoul(e, NULL, 0) : 0;
    return n ? n : 120;
}

static void chaos(ChaosMode mode)
{
    static const DbtEngine others[] = { DBT_ENGINE_JIT, DBT_ENGINE_NATIVE };
    unsigned n = n_programs();
    uint64_t taken[ARM_EXC_COUNT] = { 0 }, user = 0, wfi = 0, hung = 0, fills = 0;
    signal(SIGALRM, on_alarm);
    uint8_t *ram_ref = malloc(A32_RAM_SIZE), *ram = malloc(A32_RAM_SIZE);
    ck_assert(ram_ref && ram);
    for (unsigned p = 0; p < n; p++) {
        static const uint64_t seed_base[] = { 0, 200000, 100000 };
        uint64_t seed = p + seed_base[mode];
        ChaosResult ref;
        run_program(&ref, DBT_ENGINE_INTERP, seed, mode, 0);
        if (ref.hung) {
            hung++;
            a32_run_free(&ref.run);
            continue;
        }
        ck_assert_int_eq(physmem_copy_from_guest(&ref.run.mem, ram_ref, A32_RAM_BASE, A32_RAM_SIZE), 0);
        if (mode == CHAOS_USER_MMU) /* still translating (User code cannot turn it off) */
            ck_assert(ref.run.cpu.cp15.sctlr & SCTLR_M);
        fills += ref.run.cpu.tlb_fills;
        for (int k = 0; k < ARM_EXC_COUNT; k++)
            taken[k] += ref.run.cpu.exceptions[k];
        user += dbt_stats(ref.run.dbt)->insns_user;
        wfi += ref.wfi_stops;
        for (unsigned e = 0; e < 2; e++) {
            for (unsigned sliced = 0; sliced < 2; sliced++) {
                char what[96];
                snprintf(what, sizeof what, "%s program %llu, %s%s",
                         mode_names[mode], (unsigned long long)seed,
                         e ? "native" : "jit", sliced ? " in slices" : "");
                ChaosResult res;
                run_program(&res, others[e], seed, mode, sliced ? seed + 7 : 0);
                ck_assert_msg(!res.hung, "%s: did not finish in %d s (interp did)", what,
                              WATCHDOG_SECONDS);
                compare_cpu(&ref.run.cpu, &res.run.cpu, what);
                ck_assert_msg(res.wfi_stops == ref.wfi_stops, "%s: %u WFI stops, interp %u", what,
                              res.wfi_stops, ref.wfi_stops);
                ck_assert_int_eq(physmem_copy_from_guest(&res.run.mem, ram, A32_RAM_BASE, A32_RAM_SIZE), 0);
                if (memcmp(ram, ram_ref, A32_RAM_SIZE) != 0) {
                    uint32_t off = 0;
                    while (!memcmp(ram + off, ram_ref + off, 4))
                        off += 4;
                    uint32_t got, want;
                    memcpy(&got, ram + off, 4);
                    memcpy(&want, ram_ref + off, 4);
                    ck_abort_msg("%s: RAM at %08x: %08x, interp %08x", what, A32_RAM_BASE + off,
                                 got, want);
                }
                a32_run_free(&res.run);
            }
        }
        a32_run_free(&ref.run);
    }
    free(ram_ref);
    free(ram);
    /* What the programs did (the interpreter's runs): a summary for the log. */
    printf("chaos %s: %u programs of %u instructions (%llu skipped: hung in an exception "
           "loop), %llu in User mode, %llu WFI, %llu soft-TLB fills;",
           mode_names[mode], n, RUN_INSNS, (unsigned long long)hung,
           (unsigned long long)user, (unsigned long long)wfi, (unsigned long long)fills);
    for (int k = 0; k < ARM_EXC_COUNT; k++)
        if (taken[k])
            printf(" %s %llu", arm_exception_name((ArmException)k), (unsigned long long)taken[k]);
    printf("\n");
}

START_TEST(test_chaos_user)
{
    chaos(CHAOS_USER);
}
END_TEST

START_TEST(test_chaos_user_mmu)
{
    chaos(CHAOS_USER_MMU);
}
END_TEST

START_TEST(test_chaos_privileged)
{
    chaos(CHAOS_PRIVILEGED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("chaos");
    TCase *tc = tcase_create("random words");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_chaos_user);
    tcase_add_test(tc, test_chaos_user_mmu);
    tcase_add_test(tc, test_chaos_privileged);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
