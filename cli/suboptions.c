/*
 * suboptions.c: the parser's error reporting and string storage, and QEMU's option-list
 * syntax ("virt,gic-version=2", "loader,file=F,addr=A").
 */
#include "cli/cli_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(CliParser *p, const char *fmt, ...)
{
    if (p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

char *cli_alloc(CliParser *p, size_t n)
{
    CliOptions *o = p->o;
    if (o->n_owned == o->cap_owned) {
        size_t cap = o->cap_owned ? o->cap_owned * 2 : 16;
        char **v = realloc(o->owned, cap * sizeof *v);
        if (!v)
            return NULL;
        o->owned = v;
        o->cap_owned = cap;
    }
    char *c = calloc(1, n + 1);
    if (!c)
        return NULL;
    o->owned[o->n_owned++] = c;
    return c;
}

char *cli_keep(CliParser *p, const char *s, size_t n)
{
    char *c = cli_alloc(p, n);
    if (c)
        memcpy(c, s, n);
    return c;
}

void cli_options_free(CliOptions *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n_owned; i++)
        free(o->owned[i]);
    free(o->owned);
    o->owned = NULL;
    o->n_owned = o->cap_owned = 0;
}

/*
 * Split a QEMU option list the way QEMU's QemuOpts parser does (util/qemu-option.c):
 * elements are separated by ',', and a comma inside a value is written ",,". If implied is
 * true and the first element has no '=', it is the value of the option's implied key
 * (returned with key NULL), e.g. the driver of -device or the board of -M. Any other
 * element without '=' is a bare key meaning key=on.
 */
int cli_split_kv(CliParser *p, const char *arg, bool implied, CliKv *kv, int *n)
{
    const char *s = arg;
    bool first = true;

    *n = 0;
    if (!*s)
        return cli_fail(p, "%s: empty argument", p->opt);
    for (;;) {
        if (*n == CLI_MAX_KV)
            return cli_fail(p, "%s %s: too many comma-separated options", p->opt, arg);
        /* The key runs up to '=' or ',' (keys cannot contain commas). */
        const char *k = s;
        while (*s && *s != '=' && *s != ',')
            s++;
        const char *key = NULL;
        const char *value;
        if (*s == '=') {
            if (s == k)
                return cli_fail(p, "%s %s: empty option name before '='", p->opt, arg);
            key = cli_keep(p, k, (size_t)(s - k));
            if (!key)
                return cli_fail(p, "out of memory");
            s++;
        } else if (first && implied) {
            s = k; /* the implied value is the whole element */
        } else {
            if (s == k)
                return cli_fail(p, "%s %s: empty element in the list", p->opt, arg);
            key = cli_keep(p, k, (size_t)(s - k));
            if (!key)
                return cli_fail(p, "out of memory");
            value = "on";
            goto next;
        }
        /* The value, with ",," standing for ','. */
        {
            char *v = cli_alloc(p, strlen(s));
            size_t len = 0;
            if (!v)
                return cli_fail(p, "out of memory");
            while (*s) {
                if (*s == ',') {
                    if (s[1] != ',')
                        break;
                    s++;
                }
                v[len++] = *s++;
            }
            value = v;
        }
    next:
        kv[*n].key = key;
        kv[*n].value = value;
        (*n)++;
        first = false;
        if (!*s)
            return 0;
        s++; /* the ',' */
        if (!*s)
            return cli_fail(p, "%s %s: trailing comma", p->opt, arg);
    }
}

int cli_parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!strcmp(v, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcmp(v, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}
