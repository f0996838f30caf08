/*
 * hostrun.c: running other programs and counting their host instructions, for the
 * commands that measure (`armvm profile`, `armvm bench`): small allocation and text
 * helpers, command-line splitting, the hardware instruction counter (perf_event_open)
 * and valgrind's callgrind output, children with their output in files.
 *
 * Counting. With the hardware counter, perf_event_open counts user-space instructions
 * of the child and all its threads. With valgrind, the child runs under `valgrind
 * --tool=callgrind --smc-check=all --separate-threads=yes` (exact and repeatable), and a
 * multi-threaded emulator is counted by the thread that runs the guest: QEMU has,
 * besides its vCPU thread, a main-loop thread and an RCU thread whose polling depends
 * on wall-clock time (under valgrind it varied by up to 1M instructions between two
 * identical runs). The guest thread is the one that executed the most instructions in
 * code outside any mapped file (callgrind's object "???": code generated at run time);
 * if no thread did, all threads are counted.
 */
#include "cli/hostrun.h"

#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A sanitizer build cannot run under valgrind. */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN 1
#endif
#endif

void *cli_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "armvm: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return p;
}

char *cli_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        fprintf(stderr, "armvm: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return p;
}

char *cli_xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fprintf(stderr, "armvm: out of memory\n");
        exit(CLI_EXIT_FAILURE);
    }
    return s;
}

/* The full path of an executable: `prog` itself if it contains a slash, else the first
 * match in $PATH. NULL if there is none. */
char *cli_find_program(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0 ? cli_xstrdup(prog) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *c = strchr(path, ':');
        size_t n = c ? (size_t)(c - path) : strlen(path);
        char *cand = n ? cli_xasprintf("%.*s/%s", (int)n, path, prog) : cli_xasprintf("./%s", prog);
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
int cli_split_command(const char *s, char ***words_out, const char **err)
{
    size_t cap = 8, n = 0;
    char **words = cli_xcalloc(cap, sizeof *words);
    char *buf = cli_xcalloc(strlen(s) + 1, 1);
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
        words[n++] = cli_xstrdup(buf);
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

char *cli_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return cli_xstrdup("");
    size_t cap = 4096, len = 0;
    char *buf = cli_xcalloc(cap, 1);
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


long host_perf_open(pid_t pid, bool on_exec)
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
bool host_perf_usable(const char **why)
{
    long fd = host_perf_open(0, false);
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
bool host_cg_count(const char *dir, const char *prefix, uint64_t *count, char *why,
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
        char *path = cli_xasprintf("%s/%s", dir, de->d_name);
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


/* Set in the environment of every child: `armvm profile` and `armvm bench` refuse to run when it is set, so
 * that it can never start itself recursively (for instance when cli_main() is called from
 * another program, whose /proc/self/exe is not armvm). */

extern char **environ;

char **host_child_env(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = cli_xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], HOST_CHILD_ENV "=", strlen(HOST_CHILD_ENV) + 1))
            env[k++] = environ[i];
    env[k++] = HOST_CHILD_ENV "=1";
    env[k] = NULL;
    return env;
}

/* Whether `exe --version` says it is armvm: the benchmarks re-run this executable, which
 * must therefore be the armvm command (not a test program that called cli_main()). */
bool host_is_armvm(const char *exe, char **env)
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

/* The first line of text that starts with prefix, or NULL. */
char *cli_find_line(char *text, const char *prefix)
{
    for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, prefix, strlen(prefix)))
            return p;
    return NULL;
}

/* Show the contents of a file on stderr under a title (the output of a failed run). */
void cli_show_output(const char *what, const char *path)
{
    char *s = cli_read_file(path);
    if (*s) {
        fprintf(stderr, "---- %s ----\n%s", what, s);
        if (s[strlen(s) - 1] != '\n')
            fputc('\n', stderr);
    }
    free(s);
}

/* ---- processes under a counter ---------------------------------------------------------- */

int host_spawn(const HostCounting *hc, size_t index, char **cmd, bool exact_pc, HostProc *p,
               char *why, size_t whylen)
{
    size_t n_cmd = 0;
    while (cmd[n_cmd])
        n_cmd++;
    char **argv;
    if (hc->counter == HOST_COUNTER_VALGRIND) {
        argv = cli_xcalloc(n_cmd + 8, sizeof *argv);
        size_t n = 0;
        argv[n++] = cli_xstrdup(hc->valgrind);
        argv[n++] = cli_xstrdup("-q");
        argv[n++] = cli_xstrdup("--tool=callgrind");
        argv[n++] = cli_xstrdup("--smc-check=all");
        argv[n++] = cli_xstrdup("--separate-threads=yes");
        if (exact_pc)
            /* armvm's native engine reads the faulting host instruction's address from
             * the signal context: valgrind must keep it exact at every memory access (the
             * count of instructions is the same). */
            argv[n++] = cli_xstrdup("--vex-iropt-register-updates=allregs-at-mem-access");
        argv[n++] = cli_xasprintf("--callgrind-out-file=%s/cg.%zu.%%p", hc->tmpdir, index);
        for (size_t i = 0; i < n_cmd; i++)
            argv[n++] = cli_xstrdup(cmd[i]);
        argv[n] = NULL;
    } else {
        argv = cli_xcalloc(n_cmd + 1, sizeof *argv);
        for (size_t i = 0; i < n_cmd; i++)
            argv[i] = cli_xstrdup(cmd[i]);
    }
    *p = (HostProc){ .index = index, .perf_fd = -1 };
    p->out_path = cli_xasprintf("%s/out.%zu", hc->tmpdir, index);
    p->err_path = cli_xasprintf("%s/err.%zu", hc->tmpdir, index);

    int go[2] = {-1, -1};
    if (hc->counter == HOST_COUNTER_PERF && pipe2(go, O_CLOEXEC)) {
        snprintf(why, whylen, "pipe: %s", strerror(errno));
        host_free_argv(argv);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "fork: %s", strerror(errno));
        host_free_argv(argv);
        if (go[0] >= 0) {
            close(go[0]);
            close(go[1]);
        }
        return -1;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(p->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(p->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
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
        execve(argv[0], argv, hc->child_env);
        fprintf(stderr, "armvm: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    host_free_argv(argv);
    p->pid = pid;
    if (go[0] >= 0) {
        close(go[0]);
        long fd = host_perf_open(pid, true);
        if (fd < 0) {
            snprintf(why, whylen, "perf_event_open: %s", strerror(errno));
            close(go[1]);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            p->pid = 0;
            return -1;
        }
        p->perf_fd = (int)fd;
        if (write(go[1], "g", 1) != 1) {
            snprintf(why, whylen, "cannot start the child: %s", strerror(errno));
            close(go[1]);
            return -1;
        }
        close(go[1]);
    }
    return 0;
}

bool host_collect(const HostCounting *hc, HostProc *p, int status, uint64_t *count, char *why,
                  size_t whylen)
{
    bool ok = true;
    *count = 0;
    if (WIFSIGNALED(status)) {
        snprintf(why, whylen, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
        ok = false;
    } else if (WEXITSTATUS(status) != 0) {
        snprintf(why, whylen, "exit status %d", WEXITSTATUS(status));
        ok = false;
    }
    if (ok && hc->counter == HOST_COUNTER_PERF) {
        if (read(p->perf_fd, count, sizeof *count) != (ssize_t)sizeof *count) {
            snprintf(why, whylen, "cannot read the instruction counter");
            ok = false;
        }
    }
    if (p->perf_fd >= 0)
        close(p->perf_fd);
    p->perf_fd = -1;
    if (hc->counter == HOST_COUNTER_VALGRIND) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "cg.%zu.", p->index);
        char cgwhy[256];
        if (!host_cg_count(hc->tmpdir, prefix, count, cgwhy, sizeof cgwhy) && ok) {
            snprintf(why, whylen, "%s", cgwhy);
            ok = false;
        }
    }
    return ok;
}

void host_proc_release(HostProc *p)
{
    if (p->perf_fd >= 0)
        close(p->perf_fd);
    p->perf_fd = -1;
    if (p->out_path)
        unlink(p->out_path);
    if (p->err_path)
        unlink(p->err_path);
    free(p->out_path);
    free(p->err_path);
    p->out_path = p->err_path = NULL;
}

void host_free_argv(char **argv)
{
    if (!argv)
        return;
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

void host_remove_tmpdir(const char *dir)
{
    if (!dir)
        return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char *p = cli_xasprintf("%s/%s", dir, de->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

bool host_counter_parse(const char *s, bool allow_none, HostCounter *out)
{
    static const struct { const char *name; HostCounter c; } names[] = {
        {"auto", HOST_COUNTER_AUTO}, {"perf", HOST_COUNTER_PERF},
        {"valgrind", HOST_COUNTER_VALGRIND}, {"none", HOST_COUNTER_NONE},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strcmp(s, names[k].name) && (allow_none || names[k].c != HOST_COUNTER_NONE)) {
            *out = names[k].c;
            return true;
        }
    return false;
}

bool cli_parse_range(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!*s || s[0] == '-' || s[0] == '+')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

char *host_self(const char *tool, char **env, char *why, size_t whylen)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(why, whylen, "cannot find the armvm executable: %s", strerror(errno));
        return NULL;
    }
    self[n] = 0;
    if (!host_is_armvm(self, env)) {
        snprintf(why, whylen,
                 "%s is not the armvm command ('%s --version' does not say armvm): armvm %s "
                 "re-runs the executable it is part of",
                 self, self, tool);
        return NULL;
    }
    return cli_xstrdup(self);
}

bool host_counter_choose(HostCounter *counter, char **valgrind, const char *none_hint,
                         char *why, size_t whylen)
{
    const char *perf_why = NULL;
    if (*counter != HOST_COUNTER_VALGRIND) {
        bool usable = host_perf_usable(&perf_why);
        if (*counter == HOST_COUNTER_PERF && !usable) {
            snprintf(why, whylen, "--counter perf: %s", perf_why);
            return false;
        }
        *counter = usable ? HOST_COUNTER_PERF : HOST_COUNTER_VALGRIND;
    }
    if (*counter != HOST_COUNTER_VALGRIND)
        return true;
#ifdef HOST_ASAN
    snprintf(why, whylen,
             "this armvm is a sanitizer (AddressSanitizer) build, which valgrind cannot run%s%s"
             ": use a normal build%s",
             perf_why ? ", and --counter perf is not possible: " : "", perf_why ? perf_why : "",
             none_hint);
    return false;
#endif
    *valgrind = cli_find_program("valgrind");
    if (!*valgrind) {
        snprintf(why, whylen,
                 "valgrind not found in PATH (needed to count host instructions%s%s; apt-get "
                 "install valgrind%s)",
                 perf_why ? ": " : "", perf_why ? perf_why : "", none_hint);
        return false;
    }
    return true;
}

char *host_tmpdir(const char *tool, char *why, size_t whylen)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = cli_xasprintf("%s/armvm-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tool);
    if (!mkdtemp(dir)) {
        snprintf(why, whylen, "cannot create a temporary directory %s: %s", dir,
                 strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}
