/*
 * hostrun.h: internal to cli/ (see hostrun.c): helpers of the measuring commands.
 */
#ifndef ARMVM_CLI_HOSTRUN_H
#define ARMVM_CLI_HOSTRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Allocation that cannot fail (out of memory ends armvm with a message). */
void *cli_xcalloc(size_t n, size_t size);
char *cli_xstrdup(const char *s);
char *cli_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The full path of an executable: `prog` itself if it contains a slash, else the first
 * match in $PATH. NULL if there is none. */
char *cli_find_program(const char *prog);
/* Split a command line into words as a POSIX shell would for plain words. Returns the
 * number of words, or -1 with *err set. */
int cli_split_command(const char *s, char ***words_out, const char **err);
/* A file's contents ("" if unreadable), to free. */
char *cli_read_file(const char *path);
/* The first line of text that starts with prefix, or NULL. */
char *cli_find_line(char *text, const char *prefix);
/* A file's contents on stderr under a title, if not empty. */
void cli_show_output(const char *what, const char *path);

/* ---- counting host instructions ---- */
/* NONE: children run without a counter (host_collect counts 0). */
typedef enum HostCounter {
    HOST_COUNTER_AUTO,
    HOST_COUNTER_PERF,
    HOST_COUNTER_VALGRIND,
    HOST_COUNTER_NONE,
} HostCounter;

/* A --counter value: auto, perf, valgrind (and none if allowed). False if unknown. */
bool host_counter_parse(const char *s, bool allow_none, HostCounter *out);
/* A decimal number from lo to hi (no sign, no suffix). False if not. */
bool cli_parse_range(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

long host_perf_open(pid_t pid, bool on_exec);
/* Whether this process can count its own user-space instructions; if not, why. */
bool host_perf_usable(const char **why);
/* The count of a valgrind run whose callgrind files are <dir>/<prefix>*: the guest
 * thread's. Deletes the files. False (why says) if there are none. */
bool host_cg_count(const char *dir, const char *prefix, uint64_t *count, char *why,
                   size_t whylen);

/* Set in the environment of every child: the measuring commands refuse to run when it
 * is set, so that they never start themselves recursively. */
#define HOST_CHILD_ENV "ARMVM_PROFILE_CHILD"
/* environ + HOST_CHILD_ENV=1 (the strings are environ's). */
char **host_child_env(void);
/* Whether `exe --version` says it is armvm. */
bool host_is_armvm(const char *exe, char **env);

/* The set-up the measuring commands share (`tool`: "profile" or "bench", for messages).
 * This executable by its real path (valgrind must not see /proc/self/exe), if it is the
 * armvm command, which they re-run; else NULL with why set. */
char *host_self(const char *tool, char **env, char *why, size_t whylen);
/* Make *counter concrete: auto becomes perf if this CPU can count, else valgrind; perf
 * must be usable; valgrind must be installed (*valgrind: its path) and this a build it can
 * run (not a sanitizer build). `none_hint`: how to do without (appended to the advice).
 * False with why set. */
bool host_counter_choose(HostCounter *counter, char **valgrind, const char *none_hint,
                         char *why, size_t whylen);
/* A fresh directory $TMPDIR/armvm-<tool>.XXXXXX, or NULL with why set. */
char *host_tmpdir(const char *tool, char *why, size_t whylen);

/* How children are counted. */
typedef struct HostCounting {
    HostCounter counter;    /* HOST_COUNTER_PERF or HOST_COUNTER_VALGRIND */
    const char *valgrind;   /* the valgrind executable, with HOST_COUNTER_VALGRIND */
    const char *tmpdir;     /* where outputs and callgrind files go */
    char **child_env;
} HostCounting;

/* A child: its stdout and stderr go to files. */
typedef struct HostProc {
    size_t index;           /* unique per run (names its files) */
    pid_t pid;              /* 0 once waited for */
    int perf_fd;
    char *out_path, *err_path;
} HostProc;

/* Start cmd (NULL-terminated, not consumed) under the counter; exact_pc: the child
 * reads faulting instruction addresses from signal contexts (armvm's native engine;
 * valgrind must keep them exact). 0, or -1 with why set. */
int host_spawn(const HostCounting *hc, size_t index, char **cmd, bool exact_pc, HostProc *p,
               char *why, size_t whylen);
/* After waitpid gave `status`: the host instructions it executed. False (why set) if it
 * failed or could not be counted. */
bool host_collect(const HostCounting *hc, HostProc *p, int status, uint64_t *count, char *why,
                  size_t whylen);
/* Delete its output files and free what it holds. */
void host_proc_release(HostProc *p);
void host_free_argv(char **argv);
/* Remove a temporary directory and the files in it. NULL: nothing. */
void host_remove_tmpdir(const char *dir);

#endif
