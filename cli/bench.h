/*
 * bench.h: internal to cli/: `armvm bench` (bench.c runs the workloads, bench_report.c
 * prints what they measured).
 */
#ifndef ARMVM_CLI_BENCH_H
#define ARMVM_CLI_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dbt/dbt.h"

/* The workloads of the guest OS (bench/os): its first command-line word. */
typedef struct BenchWorkload {
    const char *id;
    const char *what;
    double reference_ir;      /* Kqemu-l4 on ARM: stock QEMU / QEMU with native user code */
    const char *timing_args;  /* default size of the timed runs ("" = the OS default) */
    const char *count_args;   /* default size of the counted runs */
    const char *base_args;    /* the smallest size: the baseline run (start-up, boot) */
} BenchWorkload;

#define BENCH_N_WORKLOADS 3
extern const BenchWorkload bench_workloads[BENCH_N_WORKLOADS];

/* A column: an armvm engine, or qemu-system-arm. */
typedef struct BenchColumn {
    const char *name;
    bool is_engine;
    DbtEngine engine;
} BenchColumn;

/* What one workload gave under one column. */
typedef struct BenchCell {
    bool timed, counted;        /* the timed / counted run succeeded */
    double wall;                /* seconds, timed run (process start to exit) */
    bool have_stats;            /* armvm --stats of the timed run */
    uint64_t guest, guest_user; /* guest instructions, timed run */
    uint64_t to_user, to_kernel;/* user/kernel transitions, timed run */
    char checksum[32];          /* RESULT line of the timed run */
    uint64_t host;              /* host instructions, counted run */
    uint64_t count_guest;       /* guest instructions of the counted run (armvm) */
    char count_checksum[32];
    bool based;                 /* the baseline run succeeded */
    uint64_t base_host, base_guest; /* the same at the baseline size */
} BenchCell;

typedef struct BenchReport {
    const BenchColumn *cols;
    size_t n_cols;
    const bool *selected;       /* per workload */
    const char *const *timing_args, *const *count_args; /* per workload */
    BenchCell *cells;           /* [workload * n_cols + col] */
    const char *counter_desc;   /* how host instructions were counted, or NULL: not */
    const char *os_elf;
    const char *qemu_missing;   /* why there is no qemu column, or NULL */
} BenchReport;

static inline BenchCell *bench_cell(const BenchReport *r, size_t w, size_t col)
{
    return &r->cells[w * r->n_cols + col];
}

/* bench_report.c */
void bench_print_table(FILE *out, const BenchReport *r);
void bench_print_csv(FILE *out, const BenchReport *r);
void bench_print_json(FILE *out, const BenchReport *r);
void bench_print_svg(FILE *out, const BenchReport *r);
/* Instruction ratio of column `slow` over column `fast` for workload w (host instructions
 * of the counted runs); false if either is missing. */
bool bench_ratio(const BenchReport *r, size_t w, size_t slow, size_t fast, double *out);
/* The column of an engine or of qemu (-1 if absent). */
int bench_find_engine(const BenchReport *r, DbtEngine e);
int bench_find_qemu(const BenchReport *r);

#endif
