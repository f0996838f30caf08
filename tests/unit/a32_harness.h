/*
 * Test harness for executing A32 code snippets (with the IR interpreter, or another
 * engine with a32_run_init_engine): 1 MiB of RAM at
 * 0x40000000, the CPU reset in SVC mode, code copied to the start of RAM, and exactly n
 * guest instructions executed. Header-only so every unit test can include it.
 */
#ifndef ARMVM_TESTS_A32_HARNESS_H
#define ARMVM_TESTS_A32_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

#include "dbt/dbt.h"
#include "frontend-arm/frontend-arm.h"
#include "softmmu/softmmu.h"

#define A32_RAM_BASE 0x40000000u
#define A32_RAM_SIZE (1u << 20)

typedef struct A32Run {
    PhysMem mem;
    ArmCpu cpu;
    Dbt *dbt;
} A32Run;

static inline void a32_run_init_engine(A32Run *r, DbtEngine engine)
{
    char err[256];
    if (physmem_init(&r->mem, A32_RAM_BASE, A32_RAM_SIZE, err, sizeof(err)) != 0) {
        fprintf(stderr, "a32_run_init: %s\n", err);
        abort();
    }
    arm_cpu_init(&r->cpu, &r->mem);
    r->cpu.r[15] = A32_RAM_BASE;
    r->dbt = dbt_create(&r->cpu, engine);
    if (!r->dbt)
        abort();
}

static inline void a32_run_init(A32Run *r)
{
    a32_run_init_engine(r, DBT_ENGINE_INTERP);
}

/* Copy n_words of code to the start of RAM, point the PC there and run exactly n_insns
 * instructions. */
static inline DbtExit a32_run_code_ex(A32Run *r, const uint32_t *code, unsigned n_words, unsigned n_insns)
{
    if (physmem_copy_to_guest(&r->mem, A32_RAM_BASE, code, (uint64_t)n_words * 4) != 0)
        abort();
    r->cpu.r[15] = A32_RAM_BASE;
    return dbt_run(r->dbt, n_insns);
}

/* Straight-line code: copy n instructions and run them all. */
static inline DbtExit a32_run_code(A32Run *r, const uint32_t *code, unsigned n)
{
    return a32_run_code_ex(r, code, n, n);
}

static inline void a32_run_free(A32Run *r)
{
    dbt_destroy(r->dbt);
    physmem_destroy(&r->mem);
}

#endif
