/*
 * cli_internal.h: shared by the files of cli/ only (other folders use cli/cli.h).
 */
#ifndef ARMVM_CLI_INTERNAL_H
#define ARMVM_CLI_INTERNAL_H

#include "cli/cli.h"

/* State of one cli_parse() call. */
typedef struct CliParser {
    CliOptions *o;
    char *err;
    size_t errlen;
    const char *opt; /* the option as typed, without any "=VALUE" (for messages) */
} CliParser;

/* Format the error message into p->err; returns -1. */
int cli_fail(CliParser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of s[0..n) that lives as long as the options (NULL if out of memory). */
char *cli_keep(CliParser *p, const char *s, size_t n);
/* A zeroed buffer of n + 1 bytes that lives as long as the options. */
char *cli_alloc(CliParser *p, size_t n);

/* One element of a QEMU option list. */
#define CLI_MAX_KV 64
typedef struct CliKv {
    const char *key;   /* NULL for an implied first element */
    const char *value; /* "on" for a bare key */
} CliKv;
int cli_split_kv(CliParser *p, const char *arg, bool implied, CliKv *kv, int *n);
/* QEMU booleans: on/off, yes/no, true/false, y/n. 0, or -1 if none of them. */
int cli_parse_bool(const char *v, bool *out);
/* An unsigned 64-bit integer, decimal or 0x hex, no sign; *end receives the first
 * character after it, *hex whether it was hex. 0, or -1 if malformed or too large. */
int cli_parse_u64(const char *s, uint64_t *out, const char **end, bool *hex);

/* The option table (options.c), also read by the usage text (usage.c). */
typedef int (*CliHandler)(CliParser *p, const char *arg);
typedef enum CliGroup { CLI_GROUP_QEMU, CLI_GROUP_QEMU_IGNORED, CLI_GROUP_ARMVM } CliGroup;
typedef struct CliOptDef {
    const char *names[3]; /* spellings as shown by --help; either dash count is accepted */
    const char *metavar;  /* NULL: no argument */
    CliHandler handler;   /* <0 error, 0 continue, >0 stop parsing (help, version) */
    CliGroup group;
    const char *help; /* NULL: described elsewhere in the usage text */
} CliOptDef;
extern const CliOptDef cli_opt_defs[];
extern const size_t cli_n_opt_defs;

#endif
