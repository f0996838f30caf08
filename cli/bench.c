/*
 * bench.c: `armvm bench`, the classic workloads on a small guest OS.
 *
 * The guest OS of bench/os (a microkernel with user tasks in their own address spaces,
 * synchronous IPC, a pager and timer preemption) runs each workload, chosen by its
 * semihosting command line: primes (user-mode computation), pingpong (IPC round trips:
 * user/kernel transitions) and fractal (both). Every workload ends its output with
 * "RESULT <id> checksum=0x<hex>", which must be the same under every column.
 *
 * Columns: armvm engines (jit and native by default) and qemu-system-arm, the same
 * image with the same options. Two runs per workload and column:
 *  - the timed run, at the timing size (a few seconds under native): wall time from
 *    process start to exit, and for armvm the --stats counts (guest instructions in user
 *    and privileged modes, user/kernel transitions), hence MIPS;
 *  - the counted run, at the counting size (smaller: the counter, valgrind here, is slow,
 *    and QEMU under valgrind slower still): host instructions, counted as `armvm
 *    profile` counts them (hostrun.c), and armvm's guest instructions of that run;
 *  - the baseline run, counted the same way at the smallest size (the emulator's
 *    start-up and the guest OS's boot): subtracted from the counted run, so that the
 *    ratios are those of the workload itself, as `armvm profile` subtracts its two runs.
 * The instruction ratios are those of Kqemu-l4 on ARM, I_r = N_u / N_m (host
 * instructions of the unaccelerated system over the accelerated one): I_r(QEMU) = qemu
 * / armvm native, I_r(fast path) = armvm jit / armvm native.
 *
 * Timed runs go one at a time (wall time is sensitive to a busy machine); counted runs
 * go --jobs at a time (their counts do not depend on it).
 */
#include "cli/bench.h"
#include "cli/cli_internal.h"
#include "cli/hostrun.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


#define BENCH_MACHINE_ARGS "-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nographic"
#define BENCH_MAX_COLS 4
#define BENCH_MAX_JOBS 64

/* Kqemu-l4 on ARM (the 2009 ARM virtualization thesis, chapter 5): stock QEMU over QEMU
 * with native execution of guest user code. Default sizes: bench/os/README.md. */
const BenchWorkload bench_workloads[BENCH_N_WORKLOADS] = {
    {"primes", "primes below N by trial division (user-mode computation)", 20.33, "",
     "1000000", "2"},
    {"pingpong", "two tasks exchange M messages by IPC (user/kernel transitions)", 1.0, "",
     "20000", "1"},
    {"fractal", "fixed-point Mandelbrot rows sent by IPC to a display task (both)", 16.76, "",
     "200 150 1000", "1 1 1"},
};

typedef struct BenchOptions {
    bool help;
    DbtEngine engines[3];
    size_t n_engines;
    bool selected[BENCH_N_WORKLOADS];
    bool workloads_given;
    const char *timing_args[BENCH_N_WORKLOADS];
    const char *count_args[BENCH_N_WORKLOADS];
    const char *qemu;  /* path or name; NULL: "qemu-system-arm" if installed */
    bool no_qemu;
    HostCounter counter;
    bool no_count;
    const char *os;
    const char *csv, *json, *svg;
    unsigned jobs;
    unsigned repeat;   /* timed runs per workload and column (the best counts) */
} BenchOptions;

static void bench_usage(FILE *out)
{
    fprintf(out,
            "usage: armvm bench [--engine E[,E...]] [--workload W[,W...]] [--size W=ARGS]\n"
            "                   [--count-size W=ARGS] [--qemu PATH | --no-qemu]\n"
            "                   [--counter auto|perf|valgrind|none] [--os ELF]\n"
            "                   [--csv FILE|-] [--json FILE|-] [--svg FILE] [--jobs N]\n"
            "                   [--repeat N]\n"
            "\n"
            "Runs the classic workloads as user tasks of armvm's small guest OS (bench/os:\n"
            "a microkernel with address spaces, IPC, a pager and timer preemption) under\n"
            "armvm's engines and qemu-system-arm, and prints per workload and engine: guest\n"
            "instructions (user, kernel, total), user/kernel transitions, host instructions,\n"
            "host instructions per guest instruction, wall time and MIPS, and the\n"
            "instruction ratios I_r(QEMU) = host insns of qemu / of armvm native and\n"
            "I_r(fast path) = of armvm jit / of armvm native, next to the reference values\n"
            "of Kqemu-l4 on ARM (stock QEMU over QEMU with native user code).\n"
            "\n"
            "Workloads:\n");
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++)
        fprintf(out, "  %-9s %s; reference I_r %.2f\n", bench_workloads[w].id,
                bench_workloads[w].what, bench_workloads[w].reference_ir);
    fprintf(out,
            "\n"
            "  --engine E[,E...]    armvm engines (default: jit,native; interp is slow)\n"
            "  --workload W[,W...]  workloads (default: all three)\n"
            "  --size W=ARGS        size of W's timed runs, as W's arguments on the guest\n"
            "                       command line (default: the OS's default size, a few\n"
            "                       seconds under native), e.g. --size primes=400000\n"
            "  --count-size W=ARGS  size of W's counted runs (defaults: primes=%s,\n"
            "                       pingpong=%s, fractal='%s'); each is also counted at\n"
            "                       the smallest size (start-up and the OS's boot), which\n"
            "                       is subtracted: host instructions and ratios are net\n"
            "  --qemu PATH          qemu-system-arm to compare with (default: from PATH)\n"
            "  --no-qemu            no qemu column\n"
            "  --counter auto|perf|valgrind|none\n"
            "                       how host instructions are counted: perf (the CPU's\n"
            "                       counter), valgrind (callgrind, exact), auto (perf if\n"
            "                       usable, else valgrind), none (no counted runs)\n"
            "  --os ELF             the guest OS image (default: %s)\n"
            "  --csv FILE|-         also write the results as CSV ('-': to stdout instead of\n"
            "                       the table)\n"
            "  --json FILE|-        the same as JSON\n"
            "  --svg FILE           an SVG chart of the instruction ratios and MIPS\n"
            "  --jobs N             counted runs at a time (default: the number of CPUs)\n"
            "  --repeat N           timed runs per workload and column, the fastest counts\n"
            "                       (default 3: wall time on a shared machine is noisy)\n"
            "  -h, --help           print this help\n"
            "\n"
            "Every run must print the same RESULT checksum. Exit status: 0, 2 for bad\n"
            "options, 1 if a run fails or the checksums differ.\n",
            bench_workloads[0].count_args, bench_workloads[1].count_args,
            bench_workloads[2].count_args,
#ifdef ARMVM_BENCH_OS
            ARMVM_BENCH_OS
#else
            "bench/os/os.elf next to the armvm executable"
#endif
    );
}

static int bench_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bench_bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "armvm bench: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'armvm bench --help' for more information\n");
    return CLI_EXIT_USAGE;
}

static int bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bench_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "armvm bench: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_FAILURE;
}

/* ---- options ------------------------------------------------------------------------- */

static int workload_index(const char *id, size_t len)
{
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++)
        if (strlen(bench_workloads[w].id) == len && !strncmp(bench_workloads[w].id, id, len))
            return (int)w;
    return -1;
}

/* Comma-separated items of s, one at a time. */
static bool next_item(const char **s, const char **item, size_t *len)
{
    if (!**s)
        return false;
    const char *c = strchr(*s, ',');
    *item = *s;
    *len = c ? (size_t)(c - *s) : strlen(*s);
    *s = c ? c + 1 : *s + *len;
    return true;
}

static int parse_engines(BenchOptions *o, const char *arg)
{
    o->n_engines = 0;
    const char *item;
    size_t len;
    while (next_item(&arg, &item, &len)) {
        char name[16];
        if (len == 0 || len >= sizeof name)
            return bench_bad("--engine: unknown engine '%.*s' (interp, jit, native)", (int)len,
                             item);
        memcpy(name, item, len);
        name[len] = 0;
        int e = dbt_engine_parse(name);
        if (e < 0)
            return bench_bad("--engine %s: unknown engine (interp, jit, native)", name);
        for (size_t k = 0; k < o->n_engines; k++)
            if (o->engines[k] == (DbtEngine)e)
                return bench_bad("--engine: %s given twice", name);
        o->engines[o->n_engines++] = (DbtEngine)e;
    }
    if (!o->n_engines)
        return bench_bad("--engine: no engine given");
    return 0;
}

static int parse_workloads(BenchOptions *o, const char *arg)
{
    memset(o->selected, 0, sizeof o->selected);
    o->workloads_given = true;
    const char *item;
    size_t len;
    bool any = false;
    while (next_item(&arg, &item, &len)) {
        int w = workload_index(item, len);
        if (w < 0)
            return bench_bad("--workload: unknown workload '%.*s' (primes, pingpong, fractal)",
                             (int)len, item);
        o->selected[w] = true;
        any = true;
    }
    if (!any)
        return bench_bad("--workload: no workload given");
    return 0;
}

/* W=ARGS: the guest's arguments, words of digits and letters (they become semihosting
 * arg= values, where a comma would need escaping). */
static int parse_size(const char *opt, const char *arg, const char **table)
{
    const char *eq = strchr(arg, '=');
    int w = eq ? workload_index(arg, (size_t)(eq - arg)) : -1;
    if (w < 0)
        return bench_bad("%s %s: expected W=ARGS with W one of primes, pingpong, fractal", opt,
                         arg);
    const char *v = eq + 1;
    bool word = false;
    for (const char *p = v; *p; p++) {
        if (*p == ' ')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return bench_bad("%s %s: the arguments are words of letters and digits", opt, arg);
        word = true;
    }
    if (!word)
        return bench_bad("%s %s: no arguments after '='", opt, arg);
    table[w] = v;
    return 0;
}

static int bench_parse(int argc, char **argv, BenchOptions *o)
{
    memset(o, 0, sizeof *o);
    o->engines[0] = DBT_ENGINE_JIT;
    o->engines[1] = DBT_ENGINE_NATIVE;
    o->n_engines = 2;
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        o->selected[w] = true;
        o->timing_args[w] = bench_workloads[w].timing_args;
        o->count_args[w] = bench_workloads[w].count_args;
    }
    o->counter = HOST_COUNTER_AUTO;
    o->repeat = 3;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = ncpu > 0 ? (unsigned)(ncpu < BENCH_MAX_JOBS ? ncpu : BENCH_MAX_JOBS) : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "-help")) {
            o->help = true;
            return 0;
        }
        if (!strcmp(a, "--no-qemu")) {
            o->no_qemu = true;
            continue;
        }
        /* Options with a value: "--opt VALUE" or "--opt=VALUE". */
        static const char *const with_value[] = {
            "--engine", "--workload", "--size", "--count-size", "--qemu", "--counter",
            "--os",     "--csv",      "--json", "--svg",        "--jobs", "--repeat"};
        const char *name = NULL, *val = NULL;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
            size_t n = strlen(with_value[k]);
            if (!strncmp(a, with_value[k], n) && (a[n] == 0 || a[n] == '=')) {
                name = with_value[k];
                if (a[n] == '=')
                    val = a + n + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return bench_bad("%s: missing argument", name);
                break;
            }
        }
        if (!name)
            return bench_bad("unknown option '%s'", a);
        int rc = 0;
        if (!strcmp(name, "--engine"))
            rc = parse_engines(o, val);
        else if (!strcmp(name, "--workload"))
            rc = parse_workloads(o, val);
        else if (!strcmp(name, "--size"))
            rc = parse_size(name, val, o->timing_args);
        else if (!strcmp(name, "--count-size"))
            rc = parse_size(name, val, o->count_args);
        else if (!strcmp(name, "--qemu"))
            o->qemu = val;
        else if (!strcmp(name, "--os"))
            o->os = val;
        else if (!strcmp(name, "--csv"))
            o->csv = val;
        else if (!strcmp(name, "--json"))
            o->json = val;
        else if (!strcmp(name, "--svg"))
            o->svg = val;
        else if (!strcmp(name, "--counter")) {
            if (!host_counter_parse(val, true, &o->counter))
                rc = bench_bad("--counter %s: expected auto, perf, valgrind or none", val);
            o->no_count = o->counter == HOST_COUNTER_NONE;
        } else {
            unsigned long n, hi = !strcmp(name, "--repeat") ? 100 : BENCH_MAX_JOBS;
            if (!cli_parse_range(val, 1, hi, &n))
                rc = bench_bad("%s %s: expected a number from 1 to %lu", name, val, hi);
            else if (!strcmp(name, "--repeat"))
                o->repeat = (unsigned)n;
            else
                o->jobs = (unsigned)n;
        }
        if (rc)
            return rc;
    }
    if (o->qemu && o->no_qemu)
        return bench_bad("--qemu and --no-qemu contradict each other");
    if (o->csv && o->json && !strcmp(o->csv, "-") && !strcmp(o->json, "-"))
        return bench_bad("--csv - and --json - cannot both write to stdout");
    return 0;
}

/* ---- runs ---------------------------------------------------------------------------- */

typedef struct BenchCtx {
    BenchOptions *o;
    BenchReport rep;
    BenchColumn cols[BENCH_MAX_COLS];
    char *self, *qemu, *os, *tmpdir, *valgrind;
    char **child_env;
    HostCounting timed_hc, count_hc;
} BenchCtx;

typedef enum BenchRunKind { RUN_TIMED, RUN_COUNTED, RUN_BASE } BenchRunKind;
static const char *const run_kind_names[] = {"timed", "counted", "baseline"};

typedef struct BenchRun {
    size_t w, col;
    BenchRunKind kind;
    HostProc proc;
    struct timespec start;
} BenchRun;

/* The command of a run: NULL-terminated, strings owned. */
static char **run_command(const BenchCtx *c, const BenchRun *r)
{
    const BenchColumn *col = &c->cols[r->col];
    const char *args = r->kind == RUN_TIMED     ? c->o->timing_args[r->w]
                       : r->kind == RUN_COUNTED ? c->o->count_args[r->w]
                                                : bench_workloads[r->w].base_args;
    char **argv = cli_xcalloc(32 + strlen(args), sizeof *argv);
    size_t n = 0;
    const char *machine[] = {BENCH_MACHINE_ARGS};
    if (col->is_engine) {
        argv[n++] = cli_xstrdup(c->self);
        argv[n++] = cli_xstrdup("--engine");
        argv[n++] = cli_xstrdup(dbt_engine_name(col->engine));
        argv[n++] = cli_xstrdup("--stats");
    } else {
        argv[n++] = cli_xstrdup(c->qemu);
    }
    for (size_t k = 0; k < sizeof machine / sizeof machine[0]; k++)
        argv[n++] = cli_xstrdup(machine[k]);
    /* The guest command line: the workload, then its arguments, one arg= per word. */
    char *semi = cli_xasprintf("enable=on,arg=%s", bench_workloads[r->w].id);
    for (const char *p = args; *p;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (len) {
            char *s = cli_xasprintf("%s,arg=%.*s", semi, (int)len, p);
            free(semi);
            semi = s;
        }
        p += len;
    }
    argv[n++] = cli_xstrdup("-semihosting-config");
    argv[n++] = semi;
    argv[n++] = cli_xstrdup("-kernel");
    argv[n++] = cli_xstrdup(c->os);
    argv[n] = NULL;
    return argv;
}

static int run_start(BenchCtx *c, BenchRun *r, size_t index)
{
    char **cmd = run_command(c, r);
    const BenchColumn *col = &c->cols[r->col];
    char why[256];
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    int rc = host_spawn(r->kind == RUN_TIMED ? &c->timed_hc : &c->count_hc, index, cmd,
                        col->is_engine && col->engine == DBT_ENGINE_NATIVE, &r->proc, why,
                        sizeof why);
    host_free_argv(cmd);
    if (rc != 0)
        bench_fail("%s", why);
    return rc;
}

static uint64_t stat_after(const char *text, const char *label)
{
    const char *p = strstr(text, label);
    return p ? strtoull(p + strlen(label), NULL, 10) : 0;
}

/* "RESULT <id> checksum=0x..." of the workload into out; false if missing. */
static bool find_result(char *text, const char *id, char *out, size_t len)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "RESULT %s checksum=", id);
    char *line = cli_find_line(text, prefix);
    if (!line)
        return false;
    line += strlen(prefix);
    size_t n = strcspn(line, " \r\n");
    if (n == 0 || n >= len)
        return false;
    memcpy(out, line, n);
    out[n] = 0;
    return true;
}

static int run_finish(BenchCtx *c, BenchRun *r, int status)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    const BenchColumn *col = &c->cols[r->col];
    const char *id = bench_workloads[r->w].id;
    BenchCell *cell = bench_cell(&c->rep, r->w, r->col);
    char why[512] = "";
    uint64_t count = 0;
    bool ok = host_collect(r->kind == RUN_TIMED ? &c->timed_hc : &c->count_hc, &r->proc, status,
                           &count, why, sizeof why);
    char *out = cli_read_file(r->proc.out_path);
    char *err = cli_read_file(r->proc.err_path);
    char sum[32];
    /* QEMU's semihosting and UART output may land on either stream. */
    if (ok && !find_result(out, id, sum, sizeof sum) && !find_result(err, id, sum, sizeof sum)) {
        snprintf(why, sizeof why, "no 'RESULT %s checksum=...' line in its output", id);
        ok = false;
    }
    if (ok && col->is_engine && !strstr(err, "guest instructions")) {
        snprintf(why, sizeof why, "no --stats in its output");
        ok = false;
    }
    if (!ok) {
        bench_fail("%s %s (%s run) failed: %s", col->name, id, run_kind_names[r->kind], why);
        char **cmd = run_command(c, r);
        fprintf(stderr, "command:");
        for (size_t i = 0; cmd[i]; i++)
            fprintf(stderr, " %s", cmd[i]);
        fprintf(stderr, "%s\n", r->kind != RUN_TIMED && c->count_hc.counter == HOST_COUNTER_VALGRIND
                                    ? " (run under valgrind)"
                                    : "");
        host_free_argv(cmd);
        cli_show_output("its stdout", r->proc.out_path);
        cli_show_output("its stderr", r->proc.err_path);
    } else if (r->kind == RUN_BASE) {
        cell->based = true;
        cell->base_host = count;
        if (col->is_engine)
            cell->base_guest = stat_after(err, "guest instructions");
        fprintf(stderr, "armvm bench: %-8s %-8s baseline: %llu host instructions\n", id,
                col->name, (unsigned long long)count);
    } else if (r->kind == RUN_COUNTED) {
        cell->counted = true;
        cell->host = count;
        snprintf(cell->count_checksum, sizeof cell->count_checksum, "%s", sum);
        if (col->is_engine)
            cell->count_guest = stat_after(err, "guest instructions");
        fprintf(stderr, "armvm bench: %-8s %-8s counted: %llu host instructions\n", id,
                col->name, (unsigned long long)count);
    } else {
        /* The best of the repetitions: the machine's other work only ever adds time. */
        double wall = (double)(end.tv_sec - r->start.tv_sec) +
                      (double)(end.tv_nsec - r->start.tv_nsec) / 1e9;
        bool first = !cell->timed;
        if (first || wall < cell->wall)
            cell->wall = wall;
        cell->timed = true;
        if (!first && strcmp(cell->checksum, sum)) {
            bench_fail("%s %s: checksum %s, %s in an earlier run", col->name, id, sum,
                       cell->checksum);
            ok = false;
        }
        snprintf(cell->checksum, sizeof cell->checksum, "%s", sum);
        if (first && col->is_engine) {
            cell->have_stats = true;
            cell->guest = stat_after(err, "guest instructions");
            cell->guest_user = stat_after(err, "in user mode");
            cell->to_user = stat_after(err, "user/kernel switches");
            const char *p = strstr(err, "to user mode,");
            cell->to_kernel = p ? strtoull(p + strlen("to user mode,"), NULL, 10) : 0;
        }
        fprintf(stderr, "armvm bench: %-8s %-8s timed: %.2f s, checksum %s\n", id, col->name,
                wall, sum);
    }
    free(out);
    free(err);
    host_proc_release(&r->proc);
    return ok ? 0 : -1;
}

static volatile sig_atomic_t bench_interrupted;

static void on_interrupt(int sig)
{
    bench_interrupted = sig;
}

/* Run the runs, at most `jobs` at a time. 0, or -1 after the first failure. */
static int run_all(BenchCtx *c, BenchRun *runs, size_t n, unsigned jobs, size_t index0)
{
    size_t next = 0, running = 0;
    int rc = 0;
    while (next < n || running > 0) {
        while (rc == 0 && next < n && running < jobs) {
            if (run_start(c, &runs[next], index0 + next) != 0) {
                rc = -1;
                break;
            }
            running++;
            next++;
        }
        if (running == 0)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR && bench_interrupted && rc == 0) {
                bench_fail("interrupted by signal %d: stopping the runs", (int)bench_interrupted);
                rc = -1;
                for (size_t i = 0; i < next; i++)
                    if (runs[i].proc.pid > 0)
                        kill(runs[i].proc.pid, SIGKILL);
                continue;
            }
            if (errno == EINTR)
                continue;
            return bench_fail("waitpid: %s", strerror(errno)), -1;
        }
        BenchRun *r = NULL;
        for (size_t i = 0; i < next; i++)
            if (runs[i].proc.pid == pid)
                r = &runs[i];
        if (!r)
            continue;
        running--;
        r->proc.pid = 0;
        if (rc != 0) {
            host_proc_release(&r->proc);
            continue;
        }
        if (run_finish(c, r, status) != 0) {
            rc = -1;
            for (size_t i = 0; i < next; i++)
                if (runs[i].proc.pid > 0)
                    kill(runs[i].proc.pid, SIGKILL);
        }
    }
    return rc;
}

/* Every column must give the same checksum per workload (and size). */
static int check_checksums(const BenchCtx *c)
{
    int bad = 0;
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        if (!c->o->selected[w])
            continue;
        const BenchCell *ref = NULL, *cref = NULL;
        for (size_t col = 0; col < c->rep.n_cols; col++) {
            const BenchCell *cell = bench_cell(&c->rep, w, col);
            if (cell->timed) {
                if (!ref)
                    ref = cell;
                else if (strcmp(ref->checksum, cell->checksum)) {
                    bench_fail("%s: checksum %s under %s, %s under %s", bench_workloads[w].id,
                               cell->checksum, c->cols[col].name, ref->checksum,
                               c->cols[ref - bench_cell(&c->rep, w, 0)].name);
                    bad++;
                }
            }
            if (cell->counted) {
                if (!cref)
                    cref = cell;
                else if (strcmp(cref->count_checksum, cell->count_checksum)) {
                    bench_fail("%s (counting size): checksum %s under %s, %s under %s",
                               bench_workloads[w].id, cell->count_checksum, c->cols[col].name,
                               cref->count_checksum,
                               c->cols[cref - bench_cell(&c->rep, w, 0)].name);
                    bad++;
                }
            }
        }
    }
    return bad;
}

static char *default_os(const char *self)
{
#ifdef ARMVM_BENCH_OS
    (void)self;
    return cli_xstrdup(ARMVM_BENCH_OS);
#else
    const char *slash = strrchr(self, '/');
    return cli_xasprintf("%.*s/bench/os/os.elf", slash ? (int)(slash - self) : 1,
                         slash ? self : ".");
#endif
}


/* Write one of the machine-readable outputs to a file or stdout. */
static int write_output(const char *path, void (*fn)(FILE *, const BenchReport *),
                        const BenchReport *rep, const char *what)
{
    if (!strcmp(path, "-")) {
        fn(stdout, rep);
        fflush(stdout);
        return 0;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return bench_fail("--%s %s: %s", what, path, strerror(errno));
    fn(f, rep);
    if (fclose(f) != 0)
        return bench_fail("--%s %s: %s", what, path, strerror(errno));
    fprintf(stderr, "armvm bench: wrote %s\n", path);
    return 0;
}

int cli_bench_main(int argc, char **argv)
{
    BenchOptions o;
    int status = bench_parse(argc, argv, &o);
    if (status)
        return status;
    if (o.help) {
        bench_usage(stdout);
        return 0;
    }
    if (getenv(HOST_CHILD_ENV))
        return bench_fail("refusing to run inside a measured run (%s is set)", HOST_CHILD_ENV);

    BenchCtx c;
    memset(&c, 0, sizeof c);
    c.o = &o;
    BenchRun *runs = NULL;
    BenchCell *cells = NULL;
    char why[512];
    c.child_env = host_child_env();
    c.self = host_self("bench", c.child_env, why, sizeof why);
    if (!c.self) {
        status = bench_fail("%s", why);
        goto out;
    }
    c.os = o.os ? cli_xstrdup(o.os) : default_os(c.self);
    struct stat st;
    if (stat(c.os, &st) != 0 || !S_ISREG(st.st_mode)) {
        status = bench_fail("the guest OS image %s is missing (build it with the armvm build: "
                            "target os-guest; or give --os ELF)",
                            c.os);
        goto out;
    }

    /* Columns: the engines, then qemu. */
    for (size_t k = 0; k < o.n_engines; k++)
        c.cols[c.rep.n_cols++] = (BenchColumn){.name = dbt_engine_name(o.engines[k]),
                                               .is_engine = true,
                                               .engine = o.engines[k]};
    if (o.no_qemu) {
        c.rep.qemu_missing = "not measured (--no-qemu)";
    } else {
        c.qemu = cli_find_program(o.qemu ? o.qemu : "qemu-system-arm");
        if (!c.qemu && o.qemu) {
            status = bench_fail("--qemu %s: not found or not executable", o.qemu);
            goto out;
        }
        if (c.qemu)
            c.cols[c.rep.n_cols++] = (BenchColumn){.name = "qemu", .is_engine = false};
        else
            c.rep.qemu_missing = "qemu-system-arm is not installed (apt-get install "
                                 "qemu-system-arm)";
    }

    /* The counter. */
    c.count_hc.counter = o.counter;
    if (!o.no_count && !host_counter_choose(&c.count_hc.counter, &c.valgrind,
                                            ", --counter perf or --counter none", why,
                                            sizeof why)) {
        status = bench_fail("%s", why);
        goto out;
    }
    c.rep.counter_desc = o.no_count ? NULL
                         : c.count_hc.counter == HOST_COUNTER_PERF
                             ? "the hardware instruction counter"
                             : "valgrind --tool=callgrind";

    c.tmpdir = host_tmpdir("bench", why, sizeof why);
    if (!c.tmpdir) {
        status = bench_fail("%s", why);
        goto out;
    }
    c.timed_hc = (HostCounting){.counter = HOST_COUNTER_NONE, .tmpdir = c.tmpdir,
                                .child_env = c.child_env};
    c.count_hc.valgrind = c.valgrind;
    c.count_hc.tmpdir = c.tmpdir;
    c.count_hc.child_env = c.child_env;

    cells = cli_xcalloc(BENCH_N_WORKLOADS * c.rep.n_cols, sizeof *cells);
    c.rep.cells = cells;
    c.rep.cols = c.cols;
    c.rep.selected = o.selected;
    c.rep.timing_args = o.timing_args;
    c.rep.count_args = o.count_args;
    c.rep.os_elf = c.os;

    size_t n_timed = 0, n_counted = 0;
    runs = cli_xcalloc((2 + o.repeat) * BENCH_N_WORKLOADS * c.rep.n_cols, sizeof *runs);
    for (unsigned rep = 0; rep < o.repeat; rep++)
        for (size_t w = 0; w < BENCH_N_WORKLOADS; w++)
            for (size_t col = 0; o.selected[w] && col < c.rep.n_cols; col++)
                runs[n_timed++] = (BenchRun){.w = w, .col = col, .kind = RUN_TIMED};
    /* The longest first (QEMU's counted runs), so that --jobs keeps the CPUs busy. */
    for (size_t col = c.rep.n_cols; !o.no_count && col-- > 0;)
        for (size_t w = 0; w < BENCH_N_WORKLOADS; w++)
            if (o.selected[w]) {
                runs[n_timed + n_counted++] = (BenchRun){.w = w, .col = col, .kind = RUN_COUNTED};
                runs[n_timed + n_counted++] = (BenchRun){.w = w, .col = col, .kind = RUN_BASE};
            }
    fprintf(stderr,
            "armvm bench: %zu timed runs (one at a time)%s%zu counted runs (%u at a time, %s); "
            "guest OS %s\n",
            n_timed, n_counted ? " then " : ", ", n_counted, o.jobs,
            c.rep.counter_desc ? c.rep.counter_desc : "no counter", c.os);

    struct sigaction sa, old_sa[3];
    const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt; /* no SA_RESTART: waitpid returns EINTR */
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old_sa[i]);
    int rc = run_all(&c, runs, n_timed, 1, 0);
    if (rc == 0 && n_counted)
        rc = run_all(&c, runs + n_timed, n_counted, o.jobs, n_timed);
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &old_sa[i], NULL);
    if (rc != 0) {
        status = CLI_EXIT_FAILURE;
        goto out;
    }
    int bad = check_checksums(&c);

    bool table = !(o.csv && !strcmp(o.csv, "-")) && !(o.json && !strcmp(o.json, "-"));
    if (table)
        bench_print_table(stdout, &c.rep);
    status = 0;
    if (o.csv && write_output(o.csv, bench_print_csv, &c.rep, "csv"))
        status = CLI_EXIT_FAILURE;
    if (o.json && write_output(o.json, bench_print_json, &c.rep, "json"))
        status = CLI_EXIT_FAILURE;
    if (o.svg && write_output(o.svg, bench_print_svg, &c.rep, "svg"))
        status = CLI_EXIT_FAILURE;
    if (bad)
        status = CLI_EXIT_FAILURE;

out:
    host_remove_tmpdir(c.tmpdir);
    free(c.tmpdir);
    free(runs);
    free(cells);
    free(c.self);
    free(c.child_env);
    free(c.qemu);
    free(c.os);
    free(c.valgrind);
    return status;
}
