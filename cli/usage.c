/*
 * usage.c: the texts of --help, --version and -M help. The option list is generated from
 * the option table (options.c), so it cannot miss an option.
 */
#include "cli/cli_internal.h"

void cli_print_machines(FILE *out)
{
    fprintf(out, "Supported machines are:\n");
    fprintf(out, "  virt    QEMU's ARM Virtual Machine board (also accepted as virt-X.Y)\n");
}

void cli_print_version(FILE *out)
{
    fprintf(out, "armvm %s\n", ARMVM_VERSION);
    fprintf(out, "engines:");
    for (int e = DBT_ENGINE_INTERP; e <= DBT_ENGINE_NATIVE; e++)
        fprintf(out, " %s%s", dbt_engine_name((DbtEngine)e),
                cli_engine_available((DbtEngine)e) ? "" : " (not available yet)");
    fprintf(out, "\n");
}

static void print_wrapped(FILE *out, const char *text, int indent, int width)
{
    int col = indent;
    const char *s = text;
    while (*s) {
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        int len = (int)(e - s);
        if (col > indent && col + 1 + len > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", len, s);
        col += len;
        s = *e ? e + 1 : e;
    }
    fputc('\n', out);
}

/* The table entries of one group: spellings, argument, then the help text wrapped. */
static void print_group(FILE *out, CliGroup g)
{
    for (size_t i = 0; i < cli_n_opt_defs; i++) {
        const CliOptDef *d = &cli_opt_defs[i];
        if (d->group != g || !d->help)
            continue;
        fprintf(out, " ");
        for (size_t j = 0; j < 3 && d->names[j]; j++)
            fprintf(out, "%s%s", j ? ", " : " ", d->names[j]);
        if (d->metavar)
            fprintf(out, " %s", d->metavar);
        fprintf(out, "\n      ");
        print_wrapped(out, d->help, 6, 88);
    }
}

void cli_print_usage(FILE *out)
{
    fprintf(out, "usage: armvm [run] [options]\n"
                 "       armvm profile [options]   host instructions per guest instruction of\n"
                 "                                 micro-benchmarks ('armvm profile --help')\n"
                 "       armvm bench [options]     primes, ping-pong and fractal on the bundled\n"
                 "                                 guest OS under each engine and QEMU, with\n"
                 "                                 instruction ratios ('armvm bench --help')\n"
                 "\n"
                 "armvm is an ARM (ARMv7-A) full-system emulator. It accepts the common\n"
                 "qemu-system-arm options, so a QEMU command line works with the program name\n"
                 "changed. Every option may be written with one dash or two (-m or --m), and\n"
                 "with two dashes its value may be attached: --m=256M.\n"
                 "\n"
                 "QEMU-compatible options:\n");
    print_group(out, CLI_GROUP_QEMU);
    fprintf(out, "  -s, -S, -gdb DEV\n      refused: the gdb stub is not supported yet\n");
    fprintf(out, "\nQEMU options accepted for compatibility:\n");
    print_group(out, CLI_GROUP_QEMU_IGNORED);
    fprintf(out, "\narmvm options:\n");
    print_group(out, CLI_GROUP_ARMVM);
    fprintf(out, "\n"
                 "A guest image is required: -kernel FILE or -device loader,file=F,addr=A.\n"
                 "armvm exits with the guest's exit status (semihosting SYS_EXIT or\n"
                 "SYS_EXIT_EXTENDED; 0 after PSCI SYSTEM_OFF), 2 for a bad command line, 1 if\n"
                 "the machine cannot be built or was stopped (Ctrl-A x).\n"
                 "\n"
                 "Examples:\n"
                 "  armvm --stats -M virt -cpu cortex-a15 -m 256M -nographic -semihosting \\\n"
                 "        -kernel program.elf\n"
                 "  armvm --engine jit -M virt -cpu cortex-a15 -m 256M -nographic \\\n"
                 "        -kernel vmlinuz -initrd initrd.img -append console=ttyAMA0\n");
}
