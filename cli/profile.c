/*
 * profile.c: `armvm profile`, host instructions per guest instruction.
 *
 * It runs the micro-benchmarks of bench/profile/ (one bare-metal ELF per measured
 * instruction) under each chosen engine, and optionally under another emulator given as a
 * command template, and prints a table of host instructions per guest instruction.
 *
 * Method. Every benchmark loops N times over a body that repeats the measured
 * instruction K times, closed by `subs r0, r0, #1` + `bne`; N comes from the semihosting
 * command line, so the same ELF runs twice, with N1 and N2 iterations. The host
 * instructions of a whole run are counted (hardware counter, or valgrind's callgrind),
 * and the difference of the two runs cancels start-up, loading and translation:
 *     iter(row)  = (count(N2) - count(N1)) / (N2 - N1)      host instructions / iteration
 * Each benchmark also exists with half the body (<row>-half.elf, K/2 units), whose
 * difference cancels the loop around the body, however that is translated:
 *     value(row) = (iter(row) - iter(row, half body)) / (K / 2)   for every row but the loop
 *     value(empty loop) = iter(empty loop)
 * The "guest insns/iter" column comes from armvm's exact guest instruction counter (the
 * same two runs with --stats) and must be K * (instructions per unit) + 2.
 *
 * Counting. With --counter perf (the default where the CPU has a usable counter),
 * perf_event_open counts user-space instructions of the child and all its threads (it
 * cannot tell the guest thread apart, see below); each run is repeated three times and
 * the smallest count kept. With --counter valgrind, the
 * child runs under `valgrind --tool=callgrind --smc-check=all --separate-threads=yes`
 * (native engine: also --vex-iropt-register-updates=allregs-at-mem-access, so that the
 * signal context has the faulting instruction's exact address), which is exact and
 * repeatable. A multi-threaded emulator is counted by the thread that
 * runs the guest: QEMU has, besides its vCPU thread, a main-loop thread and an RCU thread
 * whose polling depends on wall-clock time (under valgrind it varied by up to 1M
 * instructions between two identical runs, more than some rows' whole signal). The guest
 * thread is the one that executed the most instructions in code outside any mapped file
 * (callgrind's object "???": code generated at run time); if no thread did, all threads
 * are counted.
 */
#include "cli/cli_internal.h"
#include "cli/hostrun.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>


/* ---- the benchmarks ------------------------------------------------------------------ */

/* One row of the table: bench/profile/<id>.S built into <id>.elf. */
typedef struct ProfileRow {
    const char *id;          /* --only name and file name */
    const char *label;       /* shown in the table */
    unsigned k;              /* measured units per loop iteration (0: the empty loop) */
    unsigned insns_per_unit; /* guest instructions per unit */
} ProfileRow;

/* clang-format off */
static const ProfileRow profile_rows[] = {
    {"add",           "ADD",                  32, 1},
    {"mov",           "MOV",                  32, 1},
    {"mul",           "MUL",                  32, 1},
    {"subs",          "SUBS (flags live)",    32, 1},
    {"ldrb",          "LDRB",                 32, 1},
    {"strb",          "STRB",                 32, 1},
    {"ldr",           "LDR",                  32, 1},
    {"str",           "STR",                  32, 1},
    {"b",             "B",                    32, 1},
    {"bne-taken",     "BNE taken",            32, 1},
    {"bne-not-taken", "BNE not taken",        32, 1},
    {"bl-bx",         "BL+BX LR pair",        32, 2},
    {"indirect",      "indirect branch",      12, 1},
    {"svc",           "SVC round trip",       32, 2},
    {"loop",          "empty loop iteration",  0, 0},
};
/* clang-format on */
#define PROFILE_N_ROWS (sizeof profile_rows / sizeof profile_rows[0])
#define PROFILE_LOOP_ROW (PROFILE_N_ROWS - 1)

/* How armvm runs a benchmark (the machine QEMU runs it on, too). */
#define PROFILE_MACHINE_ARGS "-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nographic"

#define PROFILE_DEFAULT_N1 2000
#define PROFILE_DEFAULT_N2 4000
#define PROFILE_MAX_N 999999999ull /* the guest parses at most 9 digits */
#define PROFILE_PERF_REPEAT 3
#define PROFILE_MAX_JOBS 64

/* ---- options --------------------------------------------------------------------------- */


typedef struct ProfileColumn {
    char *name;
    bool is_engine;
    DbtEngine engine;
    char **words; /* --compare command, split into words (placeholders not yet replaced) */
    size_t n_words;
} ProfileColumn;

typedef struct ProfileOptions {
    bool help;
    DbtEngine engines[3];
    size_t n_engines;
    const char *compare, *compare_name;
    uint64_t n[2];
    bool only[PROFILE_N_ROWS];
    bool only_given;
    const char *csv;
    const char *programs;
    HostCounter counter;
    unsigned jobs;
} ProfileOptions;

static void profile_usage(FILE *out)
{
    fprintf(out,
            "usage: armvm profile [--engine E[,E...]] [--compare CMD] [--compare-name NAME]\n"
            "                     [--iterations N1,N2] [--only ROW[,ROW...]] [--csv FILE|-]\n"
            "                     [--programs DIR] [--counter auto|perf|valgrind] [--jobs N]\n"
            "\n"
            "Runs built-in micro-benchmarks (bare-metal ARM programs, one per measured\n"
            "instruction) under each engine and prints host instructions per guest instruction.\n"
            "\n"
            "  --engine E[,E...]    engines to measure (default: every available one:");
    for (int e = DBT_ENGINE_INTERP; e <= DBT_ENGINE_NATIVE; e++)
        if (cli_engine_available((DbtEngine)e))
            fprintf(out, " %s", dbt_engine_name((DbtEngine)e));
    fprintf(out,
            ")\n"
            "  --compare CMD        also measure another emulator: CMD is a command line in\n"
            "                       which {elf} stands for the benchmark ELF and {arg} for the\n"
            "                       iteration count (9 digits, zero-padded), e.g.\n"
            "                       'qemu-system-arm -M virt -cpu cortex-a15 -m 256M -nographic\n"
            "                        -semihosting-config enable=on,arg={arg} -kernel {elf}'\n"
            "                       (split into words as a shell would; no shell runs it)\n"
            "  --compare-name NAME  its column title (default: the program name)\n"
            "  --iterations N1,N2   loop iterations of the two runs of every benchmark\n"
            "                       (default %d,%d; 0 < N1 < N2 <= %llu; suffixes k, M)\n"
            "  --only ROW[,ROW...]  only these rows (names below, any case)\n"
            "  --csv FILE|-         also write the results as CSV to FILE; '-' writes the CSV\n"
            "                       to stdout instead of the table\n"
            "  --programs DIR       where the benchmark ELFs are (default: %s)\n"
            "  --counter auto|perf|valgrind\n"
            "                       perf: the CPU's instruction counter (perf_event_open, user\n"
            "                       space, the child and its threads; best of %d runs);\n"
            "                       valgrind: callgrind (exact); auto (default): perf if the\n"
            "                       CPU has a usable counter, else valgrind\n"
            "  --jobs N             run N benchmarks at a time (default: the number of CPUs;\n"
            "                       the counts do not depend on it)\n"
            "  -h, --help           print this help\n"
            "\n"
            "Rows (K = measured units per loop iteration):\n",
            PROFILE_DEFAULT_N1, PROFILE_DEFAULT_N2, PROFILE_MAX_N,
#ifdef ARMVM_PROFILE_DIR
            ARMVM_PROFILE_DIR,
#else
            "bench/profile next to the armvm executable",
#endif
            PROFILE_PERF_REPEAT);
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        const ProfileRow *row = &profile_rows[r];
        if (row->k)
            fprintf(out, "  %-14s %-21s K=%u\n", row->id, row->label, row->k);
        else
            fprintf(out, "  %-14s %-21s (subs + taken bne)\n", row->id, row->label);
    }
    fprintf(out,
            "\n"
            "Each benchmark runs twice, with N1 and N2 iterations, and the difference of the\n"
            "two host instruction counts cancels start-up and translation:\n"
            "  iter(row)  = (count(N2) - count(N1)) / (N2 - N1)    host insns per iteration\n"
            "  value(row) = (iter(row) - iter(row with half the body)) / (K / 2)\n"
            "                                                      (per guest instruction,\n"
            "                                                       per pair, per round trip)\n"
            "  value(loop) = iter(loop)                            (per loop iteration)\n"
            "'guest insns/iter' is armvm's exact guest instruction count per iteration.\n"
            "A multi-threaded emulator is counted by its guest thread under valgrind (the\n"
            "thread that ran the most generated code). Exit status: 0, 2 for bad options,\n"
            "1 if a run fails.\n");
}

/* Print a usage error (two lines, as the rest of armvm does) and return 2. */
static int profile_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int profile_bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "armvm profile: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\ntry 'armvm profile --help' for more information\n");
    va_end(ap);
    return CLI_EXIT_USAGE;
}

static int profile_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int profile_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "armvm profile: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return CLI_EXIT_FAILURE;
}

/* Next comma-separated item of *s into buf; false at the end. Empty items are kept. */
static bool next_item(const char **s, char *buf, size_t len)
{
    if (!*s)
        return false;
    const char *c = strchr(*s, ',');
    size_t n = c ? (size_t)(c - *s) : strlen(*s);
    if (n >= len)
        n = len - 1;
    memcpy(buf, *s, n);
    buf[n] = '\0';
    *s = c ? c + 1 : NULL;
    return true;
}

static int parse_engines(ProfileOptions *o, const char *arg)
{
    char item[32];
    o->n_engines = 0;
    while (next_item(&arg, item, sizeof item)) {
        int e = dbt_engine_parse(item);
        if (e < 0)
            return profile_bad("--engine %s: unknown engine (interp, jit, native)", item);
        if (!cli_engine_available((DbtEngine)e))
            return profile_bad("--engine %s: engine '%s' is not available yet", item, item);
        for (size_t i = 0; i < o->n_engines; i++)
            if (o->engines[i] == (DbtEngine)e)
                return profile_bad("--engine: '%s' given twice", item);
        o->engines[o->n_engines++] = (DbtEngine)e;
    }
    return 0;
}

static int parse_iterations(ProfileOptions *o, const char *arg)
{
    char a[32], b[32];
    const char *s = arg;
    uint64_t n1, n2;
    if (!next_item(&s, a, sizeof a) || !next_item(&s, b, sizeof b) || s ||
        cli_parse_count(a, &n1) || cli_parse_count(b, &n2) || n1 == 0 || n1 >= n2 ||
        n2 > PROFILE_MAX_N)
        return profile_bad("--iterations %s: expected N1,N2 with 0 < N1 < N2 <= %llu", arg,
                           PROFILE_MAX_N);
    o->n[0] = n1;
    o->n[1] = n2;
    return 0;
}

static int parse_only(ProfileOptions *o, const char *arg)
{
    char item[64];
    memset(o->only, 0, sizeof o->only);
    o->only_given = true;
    while (next_item(&arg, item, sizeof item)) {
        size_t r;
        for (r = 0; r < PROFILE_N_ROWS; r++)
            if (!strcasecmp(item, profile_rows[r].id))
                break;
        if (r == PROFILE_N_ROWS) {
            char names[512] = "";
            for (size_t i = 0; i < PROFILE_N_ROWS; i++) {
                strcat(names, i ? ", " : "");
                strcat(names, profile_rows[i].id);
            }
            return profile_bad("--only %s: unknown row (rows: %s)", item, names);
        }
        o->only[r] = true;
    }
    return 0;
}

/* Parse the options after `profile`. Returns 0, or the exit status (2) after printing the
 * error. */
static int profile_parse(int argc, char **argv, ProfileOptions *o)
{
    memset(o, 0, sizeof *o);
    o->n[0] = PROFILE_DEFAULT_N1;
    o->n[1] = PROFILE_DEFAULT_N2;
    o->counter = HOST_COUNTER_AUTO;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (unsigned)ncpu;
    for (int e = DBT_ENGINE_INTERP; e <= DBT_ENGINE_NATIVE; e++)
        if (cli_engine_available((DbtEngine)e))
            o->engines[o->n_engines++] = (DbtEngine)e;

    static const char *const with_arg[] = {"engine",     "compare", "compare-name",
                                           "iterations", "only",    "csv",
                                           "programs",   "counter", "jobs"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            return profile_bad("unexpected argument '%s'", a);
        const char *name = a + (a[1] == '-' ? 2 : 1);
        char namebuf[32];
        const char *eq = a[1] == '-' ? strchr(name, '=') : NULL;
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        if (len == 0 || len >= sizeof namebuf)
            return profile_bad("unknown option '%s'", a);
        memcpy(namebuf, name, len);
        namebuf[len] = '\0';
        if (!strcmp(namebuf, "h") || !strcmp(namebuf, "help")) {
            if (eq)
                return profile_bad("--%s: takes no argument", namebuf);
            o->help = true;
            return 0;
        }
        bool known = false;
        for (size_t j = 0; j < sizeof with_arg / sizeof with_arg[0]; j++)
            known |= !strcmp(namebuf, with_arg[j]);
        if (!known)
            return profile_bad("unknown option '%s'", eq ? namebuf : a);
        const char *v;
        if (eq) {
            v = eq + 1;
        } else {
            if (i + 1 >= argc)
                return profile_bad("--%s: missing argument", namebuf);
            v = argv[++i];
        }
        int rc = 0;
        if (!strcmp(namebuf, "engine")) {
            rc = parse_engines(o, v);
            if (!rc && o->n_engines == 0)
                rc = profile_bad("--engine: no engine given");
        } else if (!strcmp(namebuf, "compare")) {
            o->compare = v;
        } else if (!strcmp(namebuf, "compare-name")) {
            if (!*v)
                rc = profile_bad("--compare-name: empty name");
            o->compare_name = v;
        } else if (!strcmp(namebuf, "iterations")) {
            rc = parse_iterations(o, v);
        } else if (!strcmp(namebuf, "only")) {
            rc = parse_only(o, v);
        } else if (!strcmp(namebuf, "csv")) {
            if (!*v)
                rc = profile_bad("--csv: empty file name");
            o->csv = v;
        } else if (!strcmp(namebuf, "programs")) {
            if (!*v)
                rc = profile_bad("--programs: empty directory name");
            o->programs = v;
        } else if (!strcmp(namebuf, "counter")) {
            if (!host_counter_parse(v, false, &o->counter))
                rc = profile_bad("--counter %s: expected auto, perf or valgrind", v);
        } else if (!strcmp(namebuf, "jobs")) {
            char *end;
            errno = 0;
            unsigned long j = strtoul(v, &end, 10);
            if (errno || end == v || *end || j < 1 || j > PROFILE_MAX_JOBS || v[0] == '-')
                rc = profile_bad("--jobs %s: expected a number from 1 to %d", v,
                                 PROFILE_MAX_JOBS);
            o->jobs = (unsigned)j;
        }
        if (rc)
            return rc;
    }
    if (o->compare_name && !o->compare)
        return profile_bad("--compare-name needs --compare");
    return 0;
}

/* ---- runs ---------------------------------------------------------------------------- */

/* s with every {elf} and {arg} replaced. */
static char *substitute(const char *s, const char *elf, const char *arg)
{
    size_t len = 0;
    for (const char *p = s; *p;) {
        if (!strncmp(p, "{elf}", 5)) {
            len += strlen(elf);
            p += 5;
        } else if (!strncmp(p, "{arg}", 5)) {
            len += strlen(arg);
            p += 5;
        } else {
            len++;
            p++;
        }
    }
    char *out = cli_xcalloc(len + 1, 1), *o = out;
    for (const char *p = s; *p;) {
        if (!strncmp(p, "{elf}", 5)) {
            o = stpcpy(o, elf);
            p += 5;
        } else if (!strncmp(p, "{arg}", 5)) {
            o = stpcpy(o, arg);
            p += 5;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

typedef struct ProfileCtx {
    ProfileOptions *o;
    ProfileColumn *cols;
    size_t n_cols;
    HostCounter counter;
    char *self;     /* this executable */
    char *valgrind; /* valgrind, with the valgrind counter */
    char *programs; /* directory of the ELFs */
    char *tmpdir;
    char **child_env; /* environ + HOST_CHILD_ENV=1 */
    HostCounting hc;  /* the above, for host_spawn */
} ProfileCtx;

/* One process: a benchmark (row) under a column with N = o->n[which]. */
typedef struct ProfileRun {
    size_t col, row;
    int which, rep;
    size_t index;
    HostProc proc;
} ProfileRun;

/* Results per (column, row, which). */
typedef struct ProfileResult {
    int reps_done;
    uint64_t count; /* smallest over the repetitions */
    bool have_guest_insns;
    uint64_t guest_insns;
    char *guest_line; /* the benchmark's output line */
} ProfileResult;

/* which: 0 and 1 are the runs with N1 and N2, 2 and 3 the same with the half body. */
#define PROFILE_WHICH 4
static ProfileResult *result_at(ProfileResult *res, size_t col, size_t row, int which)
{
    return &res[(col * PROFILE_N_ROWS + row) * PROFILE_WHICH + (size_t)which];
}

static char *row_elf(const ProfileCtx *c, size_t row, bool half)
{
    return cli_xasprintf("%s/%s%s.elf", c->programs, profile_rows[row].id, half ? "-half" : "");
}

/* The command of a run, without the counter: NULL-terminated, strings owned. */
static char **run_command(const ProfileCtx *c, const ProfileRun *r, size_t *argc)
{
    const ProfileColumn *col = &c->cols[r->col];
    char *elf = row_elf(c, r->row, r->which >= 2);
    /* Always 9 digits, so that the guest's parsing costs the same in both runs. */
    char arg[32];
    snprintf(arg, sizeof arg, "%09llu", (unsigned long long)c->o->n[r->which & 1]);
    char **argv;
    size_t n = 0;
    if (col->is_engine) {
        const char *fixed[] = {"--engine", dbt_engine_name(col->engine), "--stats",
                               PROFILE_MACHINE_ARGS};
        size_t nf = sizeof fixed / sizeof fixed[0];
        argv = cli_xcalloc(nf + 6, sizeof *argv);
        argv[n++] = cli_xstrdup(c->self);
        for (size_t i = 0; i < nf; i++)
            argv[n++] = cli_xstrdup(fixed[i]);
        argv[n++] = cli_xstrdup("-semihosting-config");
        argv[n++] = cli_xasprintf("enable=on,arg=%s", arg);
        argv[n++] = cli_xstrdup("-kernel");
        argv[n++] = cli_xstrdup(elf);
    } else {
        argv = cli_xcalloc(col->n_words + 1, sizeof *argv);
        for (size_t i = 0; i < col->n_words; i++)
            argv[n++] = substitute(col->words[i], elf, arg);
    }
    argv[n] = NULL;
    free(elf);
    *argc = n;
    return argv;
}

/* Start a run. Returns 0, or -1 with a message printed. */
static int run_start(ProfileCtx *c, ProfileRun *r)
{
    size_t n_cmd;
    char **cmd = run_command(c, r, &n_cmd);
    const ProfileColumn *col = &c->cols[r->col];
    char why[256];
    int rc = host_spawn(&c->hc, r->index, cmd, col->is_engine && col->engine == DBT_ENGINE_NATIVE,
                        &r->proc, why, sizeof why);
    host_free_argv(cmd);
    if (rc != 0)
        profile_fail("%s", why);
    return rc;
}

/* Collect a finished run. Returns 0, or -1 after explaining the failure. */
static int run_finish(ProfileCtx *c, ProfileRun *r, int status, ProfileResult *res)
{
    const ProfileRow *row = &profile_rows[r->row];
    uint64_t n = c->o->n[r->which & 1];
    char what[256];
    snprintf(what, sizeof what, "%s %s%s (n=%llu)", c->cols[r->col].name, row->id,
             r->which >= 2 ? " (half body)" : "", (unsigned long long)n);
    char why[512] = "";
    uint64_t count = 0;
    bool ok = host_collect(&c->hc, &r->proc, status, &count, why, sizeof why);

    /* The benchmark prints "<id>: n=<N in hex> r1=..." at the start of a line, on stdout
     * (armvm) or stderr (QEMU's semihosting console); anything else is a failure. */
    char *out = cli_read_file(r->proc.out_path);
    char *err = cli_read_file(r->proc.err_path);
    char expect[96];
    snprintf(expect, sizeof expect, "%s: n=%08llx ", row->id, (unsigned long long)n);
    char *line = cli_find_line(out, expect);
    if (!line)
        line = cli_find_line(err, expect);
    if (ok && !line) {
        snprintf(why, sizeof why, "the benchmark did not report '%s...'", expect);
        ok = false;
    }
    ProfileResult *pr = result_at(res, r->col, r->row, r->which);
    if (ok && c->cols[r->col].is_engine) {
        const char *g = strstr(err, "guest instructions");
        if (g) {
            pr->guest_insns = strtoull(g + strlen("guest instructions"), NULL, 10);
            pr->have_guest_insns = true;
        }
    }
    if (!ok) {
        fprintf(stderr, "armvm profile: %s failed: %s\n", what, why);
        char **cmd;
        size_t n_cmd;
        cmd = run_command(c, r, &n_cmd);
        fprintf(stderr, "command:");
        for (size_t i = 0; i < n_cmd; i++)
            fprintf(stderr, " %s", cmd[i]);
        fprintf(stderr, "%s\n", c->counter == HOST_COUNTER_VALGRIND ? " (run under valgrind)" : "");
        host_free_argv(cmd);
        cli_show_output("its stdout", r->proc.out_path);
        cli_show_output("its stderr", r->proc.err_path);
    } else {
        if (pr->reps_done == 0 || count < pr->count)
            pr->count = count;
        if (!pr->guest_line) {
            char *e = strchr(line, '\n');
            pr->guest_line = e ? strndup(line, (size_t)(e - line)) : cli_xstrdup(line);
        }
        pr->reps_done++;
    }
    free(out);
    free(err);
    host_proc_release(&r->proc);
    return ok ? 0 : -1;
}

/* ---- output -------------------------------------------------------------------------- */

/* Host instructions per iteration, from the two runs (of the half body if `half`). */
static double per_iter(const ProfileCtx *c, ProfileResult *res, size_t col, size_t row,
                       bool half)
{
    int w = half ? 2 : 0;
    const ProfileResult *a = result_at(res, col, row, w), *b = result_at(res, col, row, w + 1);
    return ((double)b->count - (double)a->count) / (double)(c->o->n[1] - c->o->n[0]);
}

static double row_value(const ProfileCtx *c, ProfileResult *res, size_t col, size_t row)
{
    double it = per_iter(c, res, col, row, false);
    if (row == PROFILE_LOOP_ROW)
        return it;
    return (it - per_iter(c, res, col, row, true)) / (profile_rows[row].k / 2.0);
}

/* Guest instructions per iteration from the first engine column; false without one. */
static bool guest_per_iter(const ProfileCtx *c, ProfileResult *res, size_t row, double *out)
{
    for (size_t col = 0; col < c->n_cols; col++) {
        const ProfileResult *a = result_at(res, col, row, 0), *b = result_at(res, col, row, 1);
        if (a->have_guest_insns && b->have_guest_insns) {
            *out = ((double)b->guest_insns - (double)a->guest_insns) /
                   (double)(c->o->n[1] - c->o->n[0]);
            return true;
        }
    }
    return false;
}

static void fmt_value(char *buf, size_t len, double v)
{
    double a = v < 0 ? -v : v;
    if (a < 0.005)
        v = 0.0; /* no "-0.00" */
    if (a >= 1000)
        snprintf(buf, len, "%.0f", v);
    else if (a >= 100)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "%.2f", v);
}

static void fmt_guest(char *buf, size_t len, bool have, double v)
{
    if (!have)
        snprintf(buf, len, "-");
    else if (v == (double)(long long)v)
        snprintf(buf, len, "%lld", (long long)v);
    else
        snprintf(buf, len, "%.2f", v);
}

static void print_table(FILE *out, const ProfileCtx *c, ProfileResult *res, const bool *shown,
                        const char *counter_desc)
{
    enum { W = 32 };
    size_t ncell = 3 + c->n_cols;
    const char *head[3] = {"benchmark", "K", "guest insns/iter"};
    size_t width[3 + 8] = {0};
    char cell[PROFILE_N_ROWS][3 + 8][W];
    for (size_t i = 0; i < ncell; i++)
        width[i] = strlen(i < 3 ? head[i] : c->cols[i - 3].name);
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        if (!shown[r])
            continue;
        double g;
        bool have = guest_per_iter(c, res, r, &g);
        snprintf(cell[r][0], W, "%s", profile_rows[r].label);
        if (profile_rows[r].k)
            snprintf(cell[r][1], W, "%u", profile_rows[r].k);
        else
            snprintf(cell[r][1], W, "-");
        fmt_guest(cell[r][2], W, have, g);
        for (size_t col = 0; col < c->n_cols; col++)
            fmt_value(cell[r][3 + col], W, row_value(c, res, col, r));
        for (size_t i = 0; i < ncell; i++)
            if (strlen(cell[r][i]) > width[i])
                width[i] = strlen(cell[r][i]);
    }
    fprintf(out, "host instructions per guest instruction (%s; n = %llu and %llu iterations)\n",
            counter_desc, (unsigned long long)c->o->n[0], (unsigned long long)c->o->n[1]);
    for (size_t i = 0; i < ncell; i++)
        fprintf(out, i == 0 ? "%-*s" : "  %*s", (int)width[i],
                i < 3 ? head[i] : c->cols[i - 3].name);
    fputc('\n', out);
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        if (!shown[r])
            continue;
        for (size_t i = 0; i < ncell; i++)
            fprintf(out, i == 0 ? "%-*s" : "  %*s", (int)width[i], cell[r][i]);
        fputc('\n', out);
    }
    fprintf(out, "value = (host insns per iteration - those with half the body) / (K/2); the "
                 "empty loop row is per iteration (subs + taken bne)\n");
}

/* A CSV field, quoted when needed (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void print_csv(FILE *f, const ProfileCtx *c, ProfileResult *res, const bool *shown)
{
    fputs("benchmark,label,k,guest_insns_per_iter", f);
    for (size_t col = 0; col < c->n_cols; col++) {
        fputc(',', f);
        csv_field(f, c->cols[col].name);
    }
    for (size_t col = 0; col < c->n_cols; col++) {
        char *h = cli_xasprintf("%s host_insns_per_iter", c->cols[col].name);
        fputc(',', f);
        csv_field(f, h);
        free(h);
    }
    fputc('\n', f);
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        if (!shown[r])
            continue;
        double g;
        bool have = guest_per_iter(c, res, r, &g);
        fprintf(f, "%s,", profile_rows[r].id);
        csv_field(f, profile_rows[r].label);
        fprintf(f, ",%u,", profile_rows[r].k);
        if (have)
            fprintf(f, "%.2f", g);
        for (size_t col = 0; col < c->n_cols; col++)
            fprintf(f, ",%.4f", row_value(c, res, col, r));
        for (size_t col = 0; col < c->n_cols; col++)
            fprintf(f, ",%.4f", per_iter(c, res, col, r, false));
        fputc('\n', f);
    }
}

/* ---- the sub-command ----------------------------------------------------------------- */

/* Where the benchmark ELFs are when --programs is not given. */
static char *default_programs(const char *self)
{
#ifdef ARMVM_PROFILE_DIR
    (void)self;
    return cli_xstrdup(ARMVM_PROFILE_DIR);
#else
    const char *slash = strrchr(self, '/');
    return cli_xasprintf("%.*s/bench/profile", slash ? (int)(slash - self) : 1,
                     slash ? self : ".");
#endif
}


/* SIGINT, SIGTERM, SIGHUP while the runs go on: stop them and clean up. */
static volatile sig_atomic_t profile_interrupted;

static void on_interrupt(int sig)
{
    profile_interrupted = sig;
}

/* Run every run, at most `jobs` at a time. Returns 0, or -1 after the first failure
 * (the other running children are killed). */
static int run_all(ProfileCtx *c, ProfileRun *runs, size_t n_runs, ProfileResult *res)
{
    size_t next = 0, running = 0, done_pairs = 0, total_pairs = 0;
    int reps = c->counter == HOST_COUNTER_PERF ? PROFILE_PERF_REPEAT : 1;
    for (size_t i = 0; i < n_runs; i++)
        if ((runs[i].which & 1) && runs[i].rep == 0)
            total_pairs++;
    int rc = 0;
    while (next < n_runs || running > 0) {
        while (rc == 0 && next < n_runs && running < c->o->jobs) {
            if (run_start(c, &runs[next]) != 0) {
                rc = -1;
                for (size_t i = 0; i < next; i++)
                    if (runs[i].proc.pid > 0)
                        kill(runs[i].proc.pid, SIGKILL);
                break;
            }
            running++;
            next++;
        }
        if (running == 0)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR && profile_interrupted && rc == 0) {
            profile_fail("interrupted by signal %d: stopping the runs",
                         (int)profile_interrupted);
            rc = -1;
            for (size_t i = 0; i < next; i++)
                if (runs[i].proc.pid > 0)
                    kill(runs[i].proc.pid, SIGKILL);
            continue;
        }
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            profile_fail("waitpid: %s", strerror(errno));
            return -1;
        }
        ProfileRun *r = NULL;
        for (size_t i = 0; i < next; i++)
            if (runs[i].proc.pid == pid)
                r = &runs[i];
        if (!r)
            continue; /* not ours */
        running--;
        r->proc.pid = 0;
        if (rc != 0) { /* killed after another run failed */
            host_proc_release(&r->proc);
            continue;
        }
        if (run_finish(c, r, status, res) != 0) {
            rc = -1;
            for (size_t i = 0; i < next; i++)
                if (runs[i].proc.pid > 0)
                    kill(runs[i].proc.pid, SIGKILL);
            continue;
        }
        bool half = r->which >= 2;
        const ProfileResult *a = result_at(res, r->col, r->row, half ? 2 : 0);
        const ProfileResult *b = result_at(res, r->col, r->row, half ? 3 : 1);
        if (a->reps_done == reps && b->reps_done == reps) { /* the pair is complete */
            done_pairs++;
            fprintf(stderr,
                    "armvm profile: [%zu/%zu] %s %s%s: %llu and %llu host instructions, "
                    "%.1f per iteration\n",
                    done_pairs, total_pairs, c->cols[r->col].name, profile_rows[r->row].id,
                    half ? " (half body)" : "", (unsigned long long)a->count,
                    (unsigned long long)b->count, per_iter(c, res, r->col, r->row, half));
        }
    }
    return rc;
}

/* Cross-checks after all runs: the guest instruction counts per iteration against the
 * design of each benchmark, and the guest results between columns. Returns the number of
 * mismatching results (warnings do not count). */
static int check_results(const ProfileCtx *c, ProfileResult *res, const bool *needed)
{
    int bad = 0;
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        if (!needed[r])
            continue;
        const ProfileRow *row = &profile_rows[r];
        double want = row->k * row->insns_per_unit + 2.0, g;
        if (guest_per_iter(c, res, r, &g) && (g < want - 1e-9 || g > want + 1e-9))
            fprintf(stderr,
                    "armvm profile: warning: %s: %.2f guest instructions per iteration, "
                    "expected %.0f\n",
                    row->id, g, want);
        for (int w = 0; w < 2; w++) {
            const ProfileResult *ref = result_at(res, 0, r, w);
            for (size_t col = 1; col < c->n_cols; col++) {
                const ProfileResult *p = result_at(res, col, r, w);
                if (ref->guest_line && p->guest_line && strcmp(ref->guest_line, p->guest_line)) {
                    fprintf(stderr,
                            "armvm profile: %s (n=%llu): the guest results differ:\n"
                            "  %-16s %s\n  %-16s %s\n",
                            row->id, (unsigned long long)c->o->n[w], c->cols[0].name,
                            ref->guest_line, c->cols[col].name, p->guest_line);
                    bad++;
                }
                if (c->cols[col].is_engine && c->cols[0].is_engine && ref->have_guest_insns &&
                    p->have_guest_insns && ref->guest_insns != p->guest_insns)
                    fprintf(stderr,
                            "armvm profile: warning: %s (n=%llu): %s counts %llu guest "
                            "instructions, %s %llu\n",
                            row->id, (unsigned long long)c->o->n[w], c->cols[0].name,
                            (unsigned long long)ref->guest_insns, c->cols[col].name,
                            (unsigned long long)p->guest_insns);
            }
        }
    }
    return bad;
}

int cli_profile_main(int argc, char **argv)
{
    ProfileOptions o;
    int rc = profile_parse(argc, argv, &o);
    if (rc)
        return rc;
    if (o.help) {
        profile_usage(stdout);
        return 0;
    }
    if (getenv(HOST_CHILD_ENV))
        return profile_fail("refusing to run inside a run of armvm profile (%s is set)",
                            HOST_CHILD_ENV);

    ProfileCtx c = {.o = &o};
    ProfileColumn cols[4];
    memset(cols, 0, sizeof cols);
    c.cols = cols;
    for (size_t i = 0; i < o.n_engines; i++) {
        cols[c.n_cols].name = cli_xstrdup(dbt_engine_name(o.engines[i]));
        cols[c.n_cols].is_engine = true;
        cols[c.n_cols].engine = o.engines[i];
        c.n_cols++;
    }
    int status = CLI_EXIT_FAILURE;
    ProfileRun *runs = NULL;
    ProfileResult *res = NULL;
    FILE *csv = NULL;
    size_t n_runs = 0;

    if (o.compare) {
        ProfileColumn *col = &cols[c.n_cols];
        const char *err = NULL;
        int n = cli_split_command(o.compare, &col->words, &err);
        if (n < 0) {
            status = profile_bad("--compare: %s", err);
            goto out;
        }
        col->n_words = (size_t)n;
        c.n_cols++;
        if (n == 0) {
            status = profile_bad("--compare: empty command");
            goto out;
        }
        if (!strstr(o.compare, "{elf}") || !strstr(o.compare, "{arg}")) {
            status = profile_bad("--compare: the command must contain {elf} (the benchmark "
                                 "ELF) and {arg} (the iteration count)");
            goto out;
        }
        char *prog = cli_find_program(col->words[0]);
        if (!prog) {
            status = profile_fail("--compare: program '%s' not found%s", col->words[0],
                                  strchr(col->words[0], '/') ? "" : " in PATH");
            goto out;
        }
        free(col->words[0]);
        col->words[0] = prog;
        if (o.compare_name) {
            col->name = cli_xstrdup(o.compare_name);
        } else {
            const char *s = strrchr(prog, '/');
            col->name = cli_xstrdup(s ? s + 1 : prog);
        }
    }

    char why[512];
    c.child_env = host_child_env();
    c.self = host_self("profile", c.child_env, why, sizeof why);
    if (!c.self) {
        status = profile_fail("%s", why);
        goto out;
    }
    c.programs = o.programs ? cli_xstrdup(o.programs) : default_programs(c.self);

    /* The counter. */
    const char *counter_desc;
    c.counter = o.counter;
    if (!host_counter_choose(&c.counter, &c.valgrind, " or --counter perf", why, sizeof why)) {
        status = profile_fail("%s", why);
        goto out;
    }
    if (c.counter == HOST_COUNTER_VALGRIND) {
        counter_desc = "counted by valgrind --tool=callgrind";
    } else {
        counter_desc = "counted by the CPU's instruction counter, best of 3";
    }

    bool shown[PROFILE_N_ROWS], needed[PROFILE_N_ROWS];
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        shown[r] = !o.only_given || o.only[r];
        needed[r] = shown[r];
    }
    for (size_t r = 0; r < PROFILE_N_ROWS; r++) {
        for (int half = 0; needed[r] && half < (r == PROFILE_LOOP_ROW ? 1 : 2); half++) {
            char *elf = row_elf(&c, r, half);
            if (access(elf, R_OK) != 0) {
                status = profile_fail("benchmark program %s: %s (build the profile-programs "
                                      "target, or give --programs DIR)",
                                      elf, strerror(errno));
                free(elf);
                goto out;
            }
            free(elf);
        }
    }

    /* The CSV file is opened (and created) before the runs, so that a bad name fails at
     * once; it is removed again if they fail. */
    if (o.csv && strcmp(o.csv, "-")) {
        csv = fopen(o.csv, "we");
        if (!csv) {
            status = profile_fail("--csv %s: %s", o.csv, strerror(errno));
            goto out;
        }
    }

    c.tmpdir = host_tmpdir("profile", why, sizeof why);
    if (!c.tmpdir) {
        status = profile_fail("%s", why);
        goto out;
    }
    c.hc = (HostCounting){ .counter = c.counter, .valgrind = c.valgrind, .tmpdir = c.tmpdir,
                           .child_env = c.child_env };

    int reps = c.counter == HOST_COUNTER_PERF ? PROFILE_PERF_REPEAT : 1;
    size_t n_needed = 0;
    for (size_t r = 0; r < PROFILE_N_ROWS; r++)
        n_needed += needed[r];
    runs = cli_xcalloc(c.n_cols * n_needed * PROFILE_WHICH * (size_t)reps, sizeof *runs);
    res = cli_xcalloc(c.n_cols * PROFILE_N_ROWS * PROFILE_WHICH, sizeof *res);
    for (size_t col = 0; col < c.n_cols; col++)
        for (size_t r = 0; r < PROFILE_N_ROWS; r++)
            for (int w = 0; needed[r] && w < (r == PROFILE_LOOP_ROW ? 2 : PROFILE_WHICH); w++)
                for (int rep = 0; rep < reps; rep++) {
                    ProfileRun *run = &runs[n_runs];
                    run->col = col;
                    run->row = r;
                    run->which = w;
                    run->rep = rep;
                    run->index = n_runs++;
                    run->proc.perf_fd = -1;
                }
    fprintf(stderr,
            "armvm profile: %zu benchmarks x %zu columns, n = %llu and %llu, counter: %s, "
            "jobs: %u\n",
            n_needed, c.n_cols, (unsigned long long)o.n[0], (unsigned long long)o.n[1],
            c.counter == HOST_COUNTER_PERF ? "hardware instruction counter" : "valgrind callgrind",
            o.jobs);

    struct sigaction sa, old_sa[3];
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt; /* no SA_RESTART: waitpid returns EINTR */
    sigemptyset(&sa.sa_mask);
    profile_interrupted = 0;
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old_sa[i]);
    int run_rc = run_all(&c, runs, n_runs, res);
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &old_sa[i], NULL);
    if (run_rc != 0)
        goto out;
    int mismatches = check_results(&c, res, needed);

    if (csv) {
        print_csv(csv, &c, res, shown);
        int e = fclose(csv) ? errno : 0;
        csv = NULL;
        if (e) {
            status = profile_fail("--csv %s: %s", o.csv, strerror(e));
            goto out;
        }
    } else if (o.csv) {
        print_csv(stdout, &c, res, shown);
    }
    if (!o.csv || strcmp(o.csv, "-"))
        print_table(stdout, &c, res, shown, counter_desc);
    fflush(stdout);
    status = mismatches ? CLI_EXIT_FAILURE : 0;

out:
    if (csv) {
        fclose(csv);
        unlink(o.csv);
    }
    if (c.tmpdir) {
        host_remove_tmpdir(c.tmpdir);
        free(c.tmpdir);
    }
    if (res)
        for (size_t i = 0; i < c.n_cols * PROFILE_N_ROWS * 2; i++)
            free(res[i].guest_line);
    free(res);
    free(runs);
    for (size_t i = 0; i < c.n_cols; i++) {
        free(cols[i].name);
        for (size_t w = 0; w < cols[i].n_words; w++)
            free(cols[i].words[w]);
        free(cols[i].words);
    }
    free(c.self);
    free(c.child_env);
    free(c.valgrind);
    free(c.programs);
    return status;
}
