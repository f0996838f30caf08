/*
 * run.c: cli_main(), the whole `armvm` command: parse the command line, open the -D log,
 * build the machine, run it, print --stats, and return the guest's exit status.
 */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

static void print_usage_error(const char *msg)
{
    fprintf(stderr, "armvm: %s\n", msg);
    fprintf(stderr, "try 'armvm --help' for more information\n");
}

int cli_main(int argc, char **argv)
{
    CliOptions o;
    char err[512];
    int status;

    if (cli_parse(argc, argv, &o, err, sizeof err) != 0) {
        print_usage_error(err);
        cli_options_free(&o);
        return CLI_EXIT_USAGE;
    }

    switch (o.action) {
    case CLI_ACTION_RUN: break;
    case CLI_ACTION_HELP:
        cli_print_usage(stdout);
        cli_options_free(&o);
        return 0;
    case CLI_ACTION_VERSION:
        cli_print_version(stdout);
        cli_options_free(&o);
        return 0;
    case CLI_ACTION_LOG_HELP:
        cli_print_log_items(stdout);
        cli_options_free(&o);
        return 0;
    case CLI_ACTION_MACHINE_HELP:
        cli_print_machines(stdout);
        cli_options_free(&o);
        return 0;
    case CLI_ACTION_PROFILE:
        status = cli_profile_main(o.profile_argc, o.profile_argv);
        cli_options_free(&o);
        return status;
    case CLI_ACTION_BENCH:
        status = cli_bench_main(o.profile_argc, o.profile_argv);
        cli_options_free(&o);
        return status;
    }

    FILE *log = NULL;
    if (o.log_filename) {
        log = fopen(o.log_filename, "w");
        if (!log) {
            fprintf(stderr, "armvm: -D %s: %s\n", o.log_filename, strerror(errno));
            cli_options_free(&o);
            return CLI_EXIT_FAILURE;
        }
        o.cfg.log_file = log;
    }

    err[0] = '\0';
    Machine *m = machine_create(&o.cfg, err, sizeof err);
    if (!m) {
        fprintf(stderr, "armvm: %s\n", err[0] ? err : "cannot create the machine");
        if (log)
            fclose(log);
        cli_options_free(&o);
        return CLI_EXIT_FAILURE;
    }

    status = machine_run(m);
    fflush(stdout);
    if (o.stats)
        machine_print_stats(m, stderr);
    machine_destroy(m);
    if (log)
        fclose(log);
    cli_options_free(&o);
    return status;
}
