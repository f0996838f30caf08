/*
 * log_items.c: the -d log items (QEMU's names) and their DBT_LOG_* bits.
 */
#include "cli/cli_internal.h"

#include <string.h>

typedef struct CliLogItem {
    const char *name;
    unsigned mask;
    const char *help;
} CliLogItem;

static const CliLogItem log_items[] = {
    {"in_asm", DBT_LOG_IN_ASM, "show the guest instructions of each translated block"},
    {"out_asm", DBT_LOG_OUT_ASM, "show the host code of each block the jit compiles"},
    {"op", DBT_LOG_IR, "show the IR of each translated block"},
    {"exec", DBT_LOG_EXEC, "show each executed block"},
    {"int", DBT_LOG_INT, "show interrupts and exceptions"},
    {"cpu", DBT_LOG_CPU, "show the CPU state before each executed block"},
    {"guest_errors", DBT_LOG_GUEST_ERRORS, "report invalid guest operations (nothing yet)"},
};
#define N_LOG_ITEMS (sizeof log_items / sizeof log_items[0])

/* QEMU items armvm does not implement: a clearer message than "unknown". */
static const char *const log_items_qemu_only[] = {
    "op_opt",  "op_ind", "unimp",  "mmu", "pcall", "cpu_reset",
    "page",    "nochain", "plugin", "strace", "tid", "vpu",   "invalid_mem",
};

int cli_parse_log_items(const char *s, unsigned *mask, char *err, size_t errlen)
{
    unsigned m = 0;
    const char *p = s;
    if (!*s) {
        snprintf(err, errlen, "-d: empty list of log items (try '-d help')");
        return -1;
    }
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool found = false;
        if (n == 3 && !strncmp(p, "all", 3)) {
            for (size_t i = 0; i < N_LOG_ITEMS; i++)
                m |= log_items[i].mask;
            found = true;
        }
        for (size_t i = 0; i < N_LOG_ITEMS && !found; i++) {
            if (strlen(log_items[i].name) == n && !strncmp(p, log_items[i].name, n)) {
                m |= log_items[i].mask;
                found = true;
            }
        }
        if (!found) {
            bool qemu_only = false;
            for (size_t i = 0; i < sizeof log_items_qemu_only / sizeof log_items_qemu_only[0]; i++)
                if (strlen(log_items_qemu_only[i]) == n && !strncmp(p, log_items_qemu_only[i], n))
                    qemu_only = true;
            if (n == 0)
                snprintf(err, errlen, "-d %s: empty log item (try '-d help')", s);
            else if (qemu_only)
                snprintf(err, errlen,
                         "-d %s: log item '%.*s' is not supported by armvm (try '-d help')", s,
                         (int)n, p);
            else
                snprintf(err, errlen, "-d %s: unknown log item '%.*s' (try '-d help')", s, (int)n,
                         p);
            return -1;
        }
        if (!e)
            break;
        p = e + 1;
    }
    *mask = m;
    return 0;
}

void cli_print_log_items(FILE *out)
{
    fprintf(out, "Log items for -d (comma separated):\n");
    for (size_t i = 0; i < N_LOG_ITEMS; i++)
        fprintf(out, "  %-13s %s\n", log_items[i].name, log_items[i].help);
    fprintf(out, "  %-13s %s\n", "all", "all of the above");
    fprintf(out, "Output goes to stderr, or to the file given with -D.\n");
}
