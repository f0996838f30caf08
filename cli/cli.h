/*
 * cli: the `armvm` command.
 *
 * armvm accepts the common qemu-system-arm options (so a QEMU command line works by
 * changing the program name) plus its own long options (--engine, --stats, --max-insns).
 * cli_parse() turns a command line into CliOptions without side effects (no printing, no
 * exit, no files opened), so it can be unit tested; cli_main() does the rest: it opens the
 * -D log file, builds the Machine, runs it and returns the guest's exit status.
 *
 * Sub-commands: `armvm run ...` is the same as `armvm ...`; `armvm profile ...` runs
 * the micro-benchmarks of bench/profile/ and prints host instructions per guest
 * instruction (cli/profile.c, which parses its own options); `armvm bench ...` runs the
 * workloads of the guest OS in bench/os and prints instruction ratios (cli/bench.c).
 */
#ifndef ARMVM_CLI_H
#define ARMVM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dbt/dbt.h"
#include "devices/devices.h"

#ifndef ARMVM_VERSION
#define ARMVM_VERSION "0.1.0"
#endif

/* Exit statuses of armvm itself (otherwise it exits with the guest's status). */
#define CLI_EXIT_USAGE 2   /* bad command line */
#define CLI_EXIT_FAILURE 1 /* the machine could not be built, -D file not writable ... */

/* What the command line asks for. */
typedef enum CliAction {
    CLI_ACTION_RUN = 0,      /* build and run a machine (`armvm [run] ...`) */
    CLI_ACTION_HELP,         /* --help, -h: print the usage text */
    CLI_ACTION_VERSION,      /* --version */
    CLI_ACTION_LOG_HELP,     /* -d help: list the log items */
    CLI_ACTION_MACHINE_HELP, /* -M help: list the boards */
    CLI_ACTION_PROFILE,      /* `armvm profile ...`: cli_profile_main(profile_argc, ...) */
    CLI_ACTION_BENCH,        /* `armvm bench ...`: cli_bench_main(profile_argc, ...) */
} CliAction;

typedef struct CliOptions {
    CliAction action;
    MachineConfig cfg;        /* starts from machine_config_defaults() */
    bool stats;               /* --stats: machine_print_stats() to stderr at the end */
    const char *log_filename; /* -D FILE (cli_main opens it into cfg.log_file) */
    bool no_reboot;           /* -no-reboot (accepted; guest reset is not modelled yet) */
    bool icount;              /* -icount ... (accepted; no effect yet) */
    /* Strings built while parsing (unescaped suboption values, the joined semihosting
     * command line); cfg points into them. Freed by cli_options_free(). */
    char **owned;
    size_t n_owned, cap_owned;
    /* Internal: semihosting arg= values seen so far. */
    size_t n_semihosting_args;
    /* CLI_ACTION_PROFILE and CLI_ACTION_BENCH: the words from "profile" (or "bench") on
     * (profile_argv[0] is the sub-command); they point into the argv given to cli_parse(). */
    int profile_argc;
    char **profile_argv;
} CliOptions;

/* Parse argv[0..argc) (argv[0] is the program name). Returns 0 on success, or -1 with a
 * one-line message naming the offending option in err (no trailing newline). Pure: it
 * neither prints nor exits. *out is always initialised, even on failure, and must be
 * released with cli_options_free(). */
int cli_parse(int argc, char **argv, CliOptions *out, char *err, size_t errlen);
void cli_options_free(CliOptions *o);

/* Whether an execution engine is built and usable yet. cli_parse() refuses the others
 * with "engine 'jit' is not available yet". */
bool cli_engine_available(DbtEngine e);

/* Parse a QEMU size (-m): a number (decimal, may have a fraction, or 0x hex) with an
 * optional suffix B, K, M, G, T (case-insensitive, powers of 1024); a plain number is
 * in `default_unit` bytes. Returns 0, or -1 if malformed or out of range. */
int cli_parse_size(const char *s, uint64_t default_unit, uint64_t *out);
/* Parse an instruction count (--max-insns): decimal or 0x hex with an optional suffix
 * k, M, G (powers of 1000, case-insensitive). Returns 0, or -1. */
int cli_parse_count(const char *s, uint64_t *out);
/* Parse a -d list ("in_asm,exec", "all") into DBT_LOG_* bits. "help" is handled by
 * cli_parse(). Returns 0, or -1 with err naming the bad item. */
int cli_parse_log_items(const char *s, unsigned *mask, char *err, size_t errlen);

void cli_print_usage(FILE *out);
void cli_print_log_items(FILE *out);
void cli_print_machines(FILE *out);
void cli_print_version(FILE *out);

/* `armvm profile`: argv[0] is "profile", the rest its options (see `armvm profile
 * --help`). Runs the benchmarks in child processes and prints the table. Returns the exit
 * status: 0, CLI_EXIT_USAGE for bad options, CLI_EXIT_FAILURE if a run fails. */
int cli_profile_main(int argc, char **argv);
/* `armvm bench`: argv[0] is "bench", the rest its options (see `armvm bench --help`).
 * Returns the exit status. */
int cli_bench_main(int argc, char **argv);

/* The whole `armvm` command: parse, build the machine, run it. Returns the process exit
 * status (the guest's exit status, or CLI_EXIT_USAGE / CLI_EXIT_FAILURE). */
int cli_main(int argc, char **argv);

#endif
