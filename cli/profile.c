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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A sanitizer build cannot run under valgrind. */
#if defined(__SANITIZE_ADDRESS__)
#define PROFILE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROFILE_ASAN 1
#endif
#endif

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

typedef enum ProfileCounter { COUNTER_AUTO, COUNTER_PERF, COUNTER_VALGRIND } ProfileCounter;

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
    ProfileCounter counter;
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
    o->counter = COUNTER_AUTO;
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
            if (!strcmp(v, "auto"))
                o->counter = COUNTER_AUTO;
            else if (!strcmp(v, "perf"))
                o->counter = COUNTER_PERF;
            else if (!strcmp(v, "valgrind"))
                o->counter = COUNTER_VALGRIND;
            else
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

/* ---- small helpers ------------------------------------------------------------------ */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "armvm profile: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        fprintf(stderr, "armvm profile: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return p;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fprintf(stderr, "armvm profile: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return s;
}

/* The full path of an executable: `prog` itself if it contains a slash, else the first
 * match in $PATH. NULL if there is none. */
static char *find_program(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0 ? xstrdup(prog) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *c = strchr(path, ':');
        size_t n = c ? (size_t)(c - path) : strlen(path);
        char *cand = n ? xasprintf("%.*s/%s", (int)n, path, prog) : xasprintf("./%s", prog);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        if (!c)
            break;
        path = c + 1;
    }
    return NULL;
}

/* Split a command line into words as a POSIX shell would for plain words: blanks
 * separate, '...' is literal, "..." allows \" \\ \$ \`, a backslash outside quotes quotes
 * the next character. Returns the number of words, or -1 with *err set. */
static int split_command(const char *s, char ***words_out, const char **err)
{
    size_t cap = 8, n = 0;
    char **words = xcalloc(cap, sizeof *words);
    char *buf = xcalloc(strlen(s) + 1, 1);
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        if (!*s)
            break;
        size_t len = 0;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
            if (*s == '\'') {
                const char *e = strchr(s + 1, '\'');
                if (!e) {
                    *err = "unterminated ' quote";
                    goto fail;
                }
                memcpy(buf + len, s + 1, (size_t)(e - s - 1));
                len += (size_t)(e - s - 1);
                s = e + 1;
            } else if (*s == '"') {
                s++;
                while (*s && *s != '"') {
                    if (*s == '\\' && s[1] && strchr("\"\\$`", s[1]))
                        s++;
                    buf[len++] = *s++;
                }
                if (*s != '"') {
                    *err = "unterminated \" quote";
                    goto fail;
                }
                s++;
            } else if (*s == '\\' && s[1]) {
                buf[len++] = s[1];
                s += 2;
            } else {
                buf[len++] = *s++;
            }
        }
        buf[len] = '\0';
        if (n + 1 >= cap) {
            cap *= 2;
            char **w = realloc(words, cap * sizeof *words);
            if (!w) {
                *err = "out of memory";
                goto fail;
            }
            words = w;
        }
        words[n++] = xstrdup(buf);
    }
    free(buf);
    words[n] = NULL;
    *words_out = words;
    return (int)n;
fail:
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
    free(buf);
    return -1;
}

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
    char *out = xcalloc(len + 1, 1), *o = out;
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

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return xstrdup("");
    size_t cap = 4096, len = 0;
    char *buf = xcalloc(cap, 1);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* ---- counting ------------------------------------------------------------------------ */

static long perf_open(pid_t pid, bool on_exec)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_HARDWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = on_exec;
    a.enable_on_exec = on_exec;
    a.inherit = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Whether this process can count its own user-space instructions; if not, why. */
static bool perf_usable(const char **why)
{
    long fd = perf_open(0, false);
    if (fd < 0) {
        *why = errno == ENOENT || errno == EOPNOTSUPP || errno == ENODEV
                   ? "the CPU has no usable instruction counter"
                   : strerror(errno);
        return false;
    }
    uint64_t v = 0;
    ssize_t got = read((int)fd, &v, sizeof v);
    close((int)fd);
    if (got != (ssize_t)sizeof v || v == 0) {
        *why = "the instruction counter does not count";
        return false;
    }
    return true;
}

/* Growable table of callgrind name ids (ob=(id) ...) that denote the unknown object. */
typedef struct CgIds {
    bool *unknown;
    size_t cap;
} CgIds;

static void cg_set(CgIds *t, unsigned long id, bool unknown)
{
    if (id >= 1u << 24)
        return;
    if (id >= t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap <= id)
            cap *= 2;
        bool *u = realloc(t->unknown, cap * sizeof *u);
        if (!u)
            return;
        memset(u + t->cap, 0, (cap - t->cap) * sizeof *u);
        t->unknown = u;
        t->cap = cap;
    }
    t->unknown[id] = unknown;
}

/* An "ob=" or "cob=" value: "(id) name", "(id)" or "name". Defines the id when a name is
 * given; returns whether the object is the unknown one ("???"). */
static bool cg_object(CgIds *t, const char *v)
{
    if (*v == '(') {
        char *end;
        unsigned long id = strtoul(v + 1, &end, 10);
        if (*end != ')')
            return false;
        if (end[1] == ' ') {
            bool unknown = !strcmp(end + 2, "???");
            cg_set(t, id, unknown);
            return unknown;
        }
        return id < t->cap && t->unknown[id];
    }
    return !strcmp(v, "???");
}

/* Read one callgrind output file (one thread): its total instruction count, and the
 * instructions executed in the unknown object (generated code). False if unreadable. */
static bool cg_read_thread(const char *path, uint64_t *total, uint64_t *generated)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    CgIds ids = {0};
    char line[4096];
    bool in_unknown = false, skip_next = false, have_total = false;
    *total = 0;
    *generated = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!strncmp(line, "totals:", 7) || (!have_total && !strncmp(line, "summary:", 8))) {
            *total = strtoull(strchr(line, ':') + 1, NULL, 10);
            have_total = true;
        } else if (!strncmp(line, "ob=", 3)) {
            in_unknown = cg_object(&ids, line + 3);
        } else if (!strncmp(line, "cob=", 4)) {
            cg_object(&ids, line + 4);
        } else if (!strncmp(line, "calls=", 6)) {
            skip_next = true; /* the next cost line is the call's inclusive cost */
        } else if ((line[0] >= '0' && line[0] <= '9') || line[0] == '+' || line[0] == '-' ||
                   line[0] == '*') {
            if (skip_next) {
                skip_next = false;
                continue;
            }
            const char *sp = strchr(line, ' ');
            if (in_unknown && sp)
                *generated += strtoull(sp + 1, NULL, 10);
        }
    }
    fclose(f);
    free(ids.unknown);
    return have_total;
}

/* The count of a valgrind run whose callgrind files are <dir>/<prefix>*: the guest
 * thread's (see the top of this file). Deletes the files. False if there are none. */
static bool cg_count(const char *dir, const char *prefix, uint64_t *count, char *why,
                     size_t whylen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "%s: %s", dir, strerror(errno));
        return false;
    }
    size_t plen = strlen(prefix), n_threads = 0;
    uint64_t sum = 0, best_generated = 0, best_total = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, plen))
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        uint64_t total, generated;
        /* With --separate-threads=yes the file without a thread suffix stays empty. */
        if (cg_read_thread(path, &total, &generated)) {
            n_threads++;
            sum += total;
            if (generated > best_generated) {
                best_generated = generated;
                best_total = total;
            }
        }
        unlink(path);
        free(path);
    }
    closedir(d);
    if (n_threads == 0) {
        snprintf(why, whylen, "no callgrind output (was the program run under valgrind?)");
        return false;
    }
    *count = best_generated ? best_total : sum;
    return true;
}

/* ---- runs ---------------------------------------------------------------------------- */

/* Set in the environment of every child: `armvm profile` refuses to run when it is set, so
 * that it can never start itself recursively (for instance when cli_main() is called from
 * another program, whose /proc/self/exe is not armvm). */
#define PROFILE_CHILD_ENV "ARMVM_PROFILE_CHILD"

extern char **environ;

static char **make_child_env(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], PROFILE_CHILD_ENV "=", strlen(PROFILE_CHILD_ENV) + 1))
            env[k++] = environ[i];
    env[k++] = PROFILE_CHILD_ENV "=1";
    env[k] = NULL;
    return env;
}

/* Whether `exe --version` says it is armvm: the benchmarks re-run this executable, which
 * must therefore be the armvm command (not a test program that called cli_main()). */
static bool is_armvm(const char *exe, char **env)
{
    int fd[2];
    if (pipe2(fd, O_CLOEXEC))
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return false;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDWR);
        if (in < 0)
            _exit(127);
        dup2(in, 0);
        dup2(fd[1], 1);
        dup2(in, 2);
        char *argv[] = {(char *)exe, "--version", NULL};
        execve(exe, argv, env);
        _exit(127);
    }
    close(fd[1]);
    char buf[64] = "";
    size_t len = 0;
    ssize_t got;
    char sink[4096];
    while ((got = read(fd[0], len < sizeof buf - 1 ? buf + len : sink,
                       len < sizeof buf - 1 ? sizeof buf - 1 - len : sizeof sink)) > 0 ||
           (got < 0 && errno == EINTR))
        if (got > 0 && len < sizeof buf - 1)
            len += (size_t)got;
    close(fd[0]);
    buf[len] = '\0';
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strncmp(buf, "armvm ", 6);
}

typedef struct ProfileCtx {
    ProfileOptions *o;
    ProfileColumn *cols;
    size_t n_cols;
    ProfileCounter counter;
    char *self;     /* this executable */
    char *valgrind; /* valgrind, with the valgrind counter */
    char *programs; /* directory of the ELFs */
    char *tmpdir;
    char **child_env; /* environ + PROFILE_CHILD_ENV=1 */
} ProfileCtx;

/* One process: a benchmark (row) under a column with N = o->n[which]. */
typedef struct ProfileRun {
    size_t col, row;
    int which, rep;
    size_t index;
    pid_t pid;
    int perf_fd;
    char *out_path, *err_path;
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
    return xasprintf("%s/%s%s.elf", c->programs, profile_rows[row].id, half ? "-half" : "");
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
        argv = xcalloc(nf + 6, sizeof *argv);
        argv[n++] = xstrdup(c->self);
        for (size_t i = 0; i < nf; i++)
            argv[n++] = xstrdup(fixed[i]);
        argv[n++] = xstrdup("-semihosting-config");
        argv[n++] = xasprintf("enable=on,arg=%s", arg);
        argv[n++] = xstrdup("-kernel");
        argv[n++] = xstrdup(elf);
    } else {
        argv = xcalloc(col->n_words + 1, sizeof *argv);
        for (size_t i = 0; i < col->n_words; i++)
            argv[n++] = substitute(col->words[i], elf, arg);
    }
    argv[n] = NULL;
    free(elf);
    *argc = n;
    return argv;
}

static void free_argv(char **argv)
{
    if (!argv)
        return;
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* Start a run. Returns 0, or -1 with a message printed. */
static int run_start(ProfileCtx *c, ProfileRun *r)
{
    size_t n_cmd;
    char **cmd = run_command(c, r, &n_cmd);
    char **argv;
    if (c->counter == COUNTER_VALGRIND) {
        argv = xcalloc(n_cmd + 8, sizeof *argv);
        size_t n = 0;
        argv[n++] = xstrdup(c->valgrind);
        argv[n++] = xstrdup("-q");
        argv[n++] = xstrdup("--tool=callgrind");
        argv[n++] = xstrdup("--smc-check=all");
        argv[n++] = xstrdup("--separate-threads=yes");
        const ProfileColumn *col = &c->cols[r->col];
        if (col->is_engine && col->engine == DBT_ENGINE_NATIVE)
            /* The native engine's fault handler reads the faulting host instruction's
             * address from the signal context: valgrind must keep it exact at every
             * memory access (the count of instructions is the same). */
            argv[n++] = xstrdup("--vex-iropt-register-updates=allregs-at-mem-access");
        argv[n++] = xasprintf("--callgrind-out-file=%s/cg.%zu.%%p", c->tmpdir, r->index);
        for (size_t i = 0; i < n_cmd; i++) {
            argv[n++] = cmd[i];
            cmd[i] = NULL;
        }
        argv[n] = NULL;
        free(cmd);
    } else {
        argv = cmd;
    }
    r->out_path = xasprintf("%s/out.%zu", c->tmpdir, r->index);
    r->err_path = xasprintf("%s/err.%zu", c->tmpdir, r->index);
    r->perf_fd = -1;

    int go[2] = {-1, -1};
    if (c->counter == COUNTER_PERF && pipe2(go, O_CLOEXEC)) {
        free_argv(argv);
        return profile_fail("pipe: %s", strerror(errno)), -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        free_argv(argv);
        if (go[0] >= 0) {
            close(go[0]);
            close(go[1]);
        }
        return profile_fail("fork: %s", strerror(e)), -1;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(r->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(r->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (go[0] >= 0) {
            char b;
            close(go[1]);
            if (read(go[0], &b, 1) != 1) /* the counter is attached */
                _exit(127);
        }
        execve(argv[0], argv, c->child_env);
        fprintf(stderr, "armvm profile: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free_argv(argv);
    r->pid = pid;
    if (go[0] >= 0) {
        close(go[0]);
        long fd = perf_open(pid, true);
        if (fd < 0) {
            int e = errno;
            close(go[1]);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            r->pid = 0;
            return profile_fail("perf_event_open: %s", strerror(e)), -1;
        }
        r->perf_fd = (int)fd;
        if (write(go[1], "g", 1) != 1) {
            close(go[1]);
            return profile_fail("cannot start the child: %s", strerror(errno)), -1;
        }
        close(go[1]);
    }
    return 0;
}

/* Show the output of a failed run on stderr. */
static void show_output(const char *what, const char *path)
{
    char *s = read_file(path);
    if (*s) {
        fprintf(stderr, "---- %s ----\n%s", what, s);
        if (s[strlen(s) - 1] != '\n')
            fputc('\n', stderr);
    }
    free(s);
}

/* The first line of text that starts with prefix, or NULL. */
static char *find_line(char *text, const char *prefix)
{
    for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, prefix, strlen(prefix)))
            return p;
    return NULL;
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
    bool ok = true;

    if (WIFSIGNALED(status)) {
        snprintf(why, sizeof why, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
        ok = false;
    } else if (WEXITSTATUS(status) != 0) {
        snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
        ok = false;
    }
    if (ok && c->counter == COUNTER_PERF) {
        if (read(r->perf_fd, &count, sizeof count) != (ssize_t)sizeof count) {
            snprintf(why, sizeof why, "cannot read the instruction counter");
            ok = false;
        }
    }
    if (r->perf_fd >= 0)
        close(r->perf_fd);
    if (c->counter == COUNTER_VALGRIND) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "cg.%zu.", r->index);
        char cgwhy[256];
        if (!cg_count(c->tmpdir, prefix, &count, cgwhy, sizeof cgwhy) && ok) {
            snprintf(why, sizeof why, "%s", cgwhy);
            ok = false;
        }
    }

    /* The benchmark prints "<id>: n=<N in hex> r1=..." at the start of a line, on stdout
     * (armvm) or stderr (QEMU's semihosting console); anything else is a failure. */
    char *out = read_file(r->out_path);
    char *err = read_file(r->err_path);
    char expect[96];
    snprintf(expect, sizeof expect, "%s: n=%08llx ", row->id, (unsigned long long)n);
    char *line = find_line(out, expect);
    if (!line)
        line = find_line(err, expect);
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
        fprintf(stderr, "%s\n", c->counter == COUNTER_VALGRIND ? " (run under valgrind)" : "");
        free_argv(cmd);
        show_output("its stdout", r->out_path);
        show_output("its stderr", r->err_path);
    } else {
        if (pr->reps_done == 0 || count < pr->count)
            pr->count = count;
        if (!pr->guest_line) {
            char *e = strchr(line, '\n');
            pr->guest_line = e ? strndup(line, (size_t)(e - line)) : xstrdup(line);
        }
        pr->reps_done++;
    }
    free(out);
    free(err);
    unlink(r->out_path);
    unlink(r->err_path);
    free(r->out_path);
    free(r->err_path);
    r->out_path = r->err_path = NULL;
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
        char *h = xasprintf("%s host_insns_per_iter", c->cols[col].name);
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
    return xstrdup(ARMVM_PROFILE_DIR);
#else
    const char *slash = strrchr(self, '/');
    return xasprintf("%.*s/bench/profile", slash ? (int)(slash - self) : 1,
                     slash ? self : ".");
#endif
}

static void remove_tmpdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char *p = xasprintf("%s/%s", dir, de->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
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
    int reps = c->counter == COUNTER_PERF ? PROFILE_PERF_REPEAT : 1;
    for (size_t i = 0; i < n_runs; i++)
        if ((runs[i].which & 1) && runs[i].rep == 0)
            total_pairs++;
    int rc = 0;
    while (next < n_runs || running > 0) {
        while (rc == 0 && next < n_runs && running < c->o->jobs) {
            if (run_start(c, &runs[next]) != 0) {
                rc = -1;
                for (size_t i = 0; i < next; i++)
                    if (runs[i].pid > 0)
                        kill(runs[i].pid, SIGKILL);
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
                if (runs[i].pid > 0)
                    kill(runs[i].pid, SIGKILL);
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
            if (runs[i].pid == pid)
                r = &runs[i];
        if (!r)
            continue; /* not ours */
        running--;
        r->pid = 0;
        if (rc != 0) { /* killed after another run failed */
            if (r->perf_fd >= 0)
                close(r->perf_fd);
            free(r->out_path);
            free(r->err_path);
            r->out_path = r->err_path = NULL;
            continue;
        }
        if (run_finish(c, r, status, res) != 0) {
            rc = -1;
            for (size_t i = 0; i < next; i++)
                if (runs[i].pid > 0)
                    kill(runs[i].pid, SIGKILL);
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
    if (getenv(PROFILE_CHILD_ENV))
        return profile_fail("refusing to run inside a run of armvm profile (%s is set)",
                            PROFILE_CHILD_ENV);

    ProfileCtx c = {.o = &o};
    ProfileColumn cols[4];
    memset(cols, 0, sizeof cols);
    c.cols = cols;
    for (size_t i = 0; i < o.n_engines; i++) {
        cols[c.n_cols].name = xstrdup(dbt_engine_name(o.engines[i]));
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
        int n = split_command(o.compare, &col->words, &err);
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
        char *prog = find_program(col->words[0]);
        if (!prog) {
            status = profile_fail("--compare: program '%s' not found%s", col->words[0],
                                  strchr(col->words[0], '/') ? "" : " in PATH");
            goto out;
        }
        free(col->words[0]);
        col->words[0] = prog;
        if (o.compare_name) {
            col->name = xstrdup(o.compare_name);
        } else {
            const char *s = strrchr(prog, '/');
            col->name = xstrdup(s ? s + 1 : prog);
        }
    }

    /* This executable, by its real path (valgrind must not see /proc/self/exe). */
    char self[PATH_MAX];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        status = profile_fail("cannot find the armvm executable: %s", strerror(errno));
        goto out;
    }
    self[sl] = '\0';
    c.self = xstrdup(self);
    c.child_env = make_child_env();
    if (!is_armvm(c.self, c.child_env)) {
        status = profile_fail("%s is not the armvm command ('%s --version' does not say "
                              "armvm): armvm profile re-runs the executable it is part of",
                              c.self, c.self);
        goto out;
    }
    c.programs = o.programs ? xstrdup(o.programs) : default_programs(c.self);

    /* The counter. */
    const char *why = NULL;
    const char *counter_desc;
    c.counter = o.counter;
    if (c.counter != COUNTER_VALGRIND) {
        bool usable = perf_usable(&why);
        if (c.counter == COUNTER_PERF && !usable) {
            status = profile_fail("--counter perf: %s", why);
            goto out;
        }
        c.counter = usable ? COUNTER_PERF : COUNTER_VALGRIND;
    }
    if (c.counter == COUNTER_VALGRIND) {
#ifdef PROFILE_ASAN
        if (why)
            status = profile_fail("this armvm is a sanitizer (AddressSanitizer) build, which "
                                  "valgrind cannot run, and --counter perf is not possible "
                                  "(%s): use a normal build",
                                  why);
        else
            status = profile_fail("this armvm is a sanitizer (AddressSanitizer) build, which "
                                  "valgrind cannot run: use a normal build or --counter perf");
        goto out;
#endif
        c.valgrind = find_program("valgrind");
        if (!c.valgrind) {
            status = profile_fail("valgrind not found in PATH (needed to count host "
                                  "instructions%s%s; apt-get install valgrind)",
                                  why ? ": " : "", why ? why : "");
            goto out;
        }
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

    const char *tmp = getenv("TMPDIR");
    c.tmpdir = xasprintf("%s/armvm-profile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c.tmpdir)) {
        status = profile_fail("cannot create a temporary directory %s: %s", c.tmpdir,
                              strerror(errno));
        free(c.tmpdir);
        c.tmpdir = NULL;
        goto out;
    }

    int reps = c.counter == COUNTER_PERF ? PROFILE_PERF_REPEAT : 1;
    size_t n_needed = 0;
    for (size_t r = 0; r < PROFILE_N_ROWS; r++)
        n_needed += needed[r];
    runs = xcalloc(c.n_cols * n_needed * PROFILE_WHICH * (size_t)reps, sizeof *runs);
    res = xcalloc(c.n_cols * PROFILE_N_ROWS * PROFILE_WHICH, sizeof *res);
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
                    run->perf_fd = -1;
                }
    fprintf(stderr,
            "armvm profile: %zu benchmarks x %zu columns, n = %llu and %llu, counter: %s, "
            "jobs: %u\n",
            n_needed, c.n_cols, (unsigned long long)o.n[0], (unsigned long long)o.n[1],
            c.counter == COUNTER_PERF ? "hardware instruction counter" : "valgrind callgrind",
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
        remove_tmpdir(c.tmpdir);
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
