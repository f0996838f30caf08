/*
 * test_options.c: the armvm command line (cli/cli.h): every option, QEMU's size and
 * option-list syntax, bad values, unknown options, repeated options, -d lists, and that
 * no command line makes the parser crash.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MAX_ARGS 64

static CliOptions opts;
static char err[512];

/* Parse "armvm" followed by the given arguments (NULL-terminated). */
static int parse_v(va_list ap)
{
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = "armvm";
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        ck_assert_int_lt(argc, MAX_ARGS);
        argv[argc++] = (char *)a;
    }
    argv[argc] = NULL;
    cli_options_free(&opts);
    memset(err, 0, sizeof err);
    return cli_parse(argc, argv, &opts, err, sizeof err);
}

/* parse(NULL, args..., NULL): `first` is only the anchor for va_start. */
static int parse(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    int r = parse_v(ap);
    va_end(ap);
    return r;
}

/* OK(args...): parses successfully. BAD(needle, args...): fails, err contains needle. */
#define OK(...) ck_assert_msg(parse(NULL, __VA_ARGS__, NULL) == 0, "parse failed: %s", err)
#define BAD(needle, ...)                                                                           \
    do {                                                                                           \
        ck_assert_msg(parse(NULL, __VA_ARGS__, NULL) == -1, "parse unexpectedly succeeded");       \
        ck_assert_msg(strstr(err, needle) != NULL, "error '%s' lacks '%s'", err, needle);          \
        ck_assert_msg(strchr(err, '\n') == NULL, "error has a newline: '%s'", err);                \
    } while (0)

static void setup(void)
{
    memset(&opts, 0, sizeof opts);
}

static void teardown(void)
{
    cli_options_free(&opts);
}

/* ---- basics ----------------------------------------------------------------------- */

START_TEST(test_defaults)
{
    MachineConfig def;
    machine_config_defaults(&def);
    OK("-kernel", "k.elf");
    ck_assert_int_eq(opts.action, CLI_ACTION_RUN);
    ck_assert_str_eq(opts.cfg.kernel, "k.elf");
    ck_assert_str_eq(opts.cfg.machine, def.machine);
    ck_assert_str_eq(opts.cfg.cpu, def.cpu);
    ck_assert_uint_eq(opts.cfg.ram_size, def.ram_size);
    ck_assert_int_eq(opts.cfg.engine, def.engine);
    ck_assert_uint_eq(opts.cfg.max_insns, 0);
    ck_assert_uint_eq(opts.cfg.log_mask, 0);
    ck_assert_int_eq(opts.cfg.n_raw, 0);
    ck_assert(!opts.cfg.semihosting);
    ck_assert_ptr_null(opts.cfg.semihosting_cmdline);
    ck_assert(!opts.stats);
    ck_assert_ptr_null(opts.log_filename);
    ck_assert_ptr_eq(opts.cfg.console_out, def.console_out);
}
END_TEST

START_TEST(test_typical_qemu_line)
{
    OK("-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nographic", "-semihosting", "-kernel",
       "/tmp/demo.elf");
    ck_assert_str_eq(opts.cfg.machine, "virt");
    ck_assert_str_eq(opts.cfg.cpu, "cortex-a15");
    ck_assert_uint_eq(opts.cfg.ram_size, 256ull << 20);
    ck_assert(opts.cfg.semihosting);
    ck_assert_str_eq(opts.cfg.kernel, "/tmp/demo.elf");
}
END_TEST

START_TEST(test_no_image)
{
    BAD("no guest image", "-m", "64");
    BAD("no guest image", "--stats");
    ck_assert_int_eq(parse(NULL, NULL), -1);
    ck_assert(strstr(err, "-kernel") != NULL);
}
END_TEST

START_TEST(test_double_dash_spellings)
{
    OK("--M", "virt", "--machine", "virt", "--cpu", "cortex-a15", "--m", "64", "--kernel", "k",
       "--semihosting", "--nographic");
    ck_assert_uint_eq(opts.cfg.ram_size, 64ull << 20);
    ck_assert(opts.cfg.semihosting);
    OK("-engine", "interp", "-stats", "-max-insns", "5", "-kernel", "k");
    ck_assert(opts.stats);
    ck_assert_uint_eq(opts.cfg.max_insns, 5);
    OK("--engine=interp", "--max-insns=7", "--m=32M", "--kernel=a=b.elf");
    ck_assert_uint_eq(opts.cfg.max_insns, 7);
    ck_assert_uint_eq(opts.cfg.ram_size, 32ull << 20);
    ck_assert_str_eq(opts.cfg.kernel, "a=b.elf");
    BAD("--stats: takes no argument", "--stats=1", "-kernel", "k");
    /* -opt=value is not an option spelling (QEMU does not accept it either). */
    BAD("unknown option '-m=64'", "-m=64", "-kernel", "k");
}
END_TEST

START_TEST(test_unknown_options)
{
    BAD("unknown option '-bogus'", "-kernel", "k", "-bogus");
    BAD("unknown option '--bogus'", "-kernel", "k", "--bogus");
    BAD("unknown option '--bogus'", "-kernel", "k", "--bogus=3");
    BAD("unknown option '--'", "-kernel", "k", "--");
    BAD("unexpected argument 'disk.img'", "-kernel", "k", "disk.img");
    BAD("unexpected argument '-'", "-kernel", "k", "-");
    BAD("unknown command 'disk.img'", "disk.img");
    BAD("unknown option '-hda'", "-hda", "disk.img");
    BAD("unknown option '-bios'", "-bios", "x");
    /* A very long option name. */
    char longopt[300];
    memset(longopt, 'x', sizeof longopt - 1);
    longopt[0] = '-';
    longopt[sizeof longopt - 1] = '\0';
    BAD("unknown option", longopt);
}
END_TEST

START_TEST(test_missing_arguments)
{
    static const char *const with_arg[] = {
        "-M",       "-machine",
        "-cpu",     "-m",
        "-smp",     "-kernel",
        "-append",  "-initrd",
        "-dtb",     "-device",
        "-serial",  "-monitor",
        "-display", "-semihosting-config",
        "-d",       "-D",
        "-accel",   "-icount",
        "--engine", "--max-insns",
        "-gdb",
    };
    for (size_t i = 0; i < sizeof with_arg / sizeof with_arg[0]; i++) {
        int r = parse(NULL, "-kernel", "k", with_arg[i], NULL);
        ck_assert_msg(r == -1, "%s without argument accepted", with_arg[i]);
        ck_assert_msg(strstr(err, with_arg[i]) && strstr(err, "missing argument"), "%s: error '%s'",
                      with_arg[i], err);
    }
}
END_TEST

START_TEST(test_help_version)
{
    OK("--help");
    ck_assert_int_eq(opts.action, CLI_ACTION_HELP);
    OK("-h");
    ck_assert_int_eq(opts.action, CLI_ACTION_HELP);
    OK("-help");
    ck_assert_int_eq(opts.action, CLI_ACTION_HELP);
    OK("-m", "64", "--help", "--bogus"); /* help stops parsing */
    ck_assert_int_eq(opts.action, CLI_ACTION_HELP);
    BAD("unknown option '--bogus'", "--bogus", "--help");
    OK("--version");
    ck_assert_int_eq(opts.action, CLI_ACTION_VERSION);
    OK("-version");
    ck_assert_int_eq(opts.action, CLI_ACTION_VERSION);
}
END_TEST

START_TEST(test_usage_text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    cli_print_usage(f);
    fclose(f);
    static const char *const must[] = {
        "-M, -machine", "-cpu",          "-m ",         "-smp",           "-kernel",
        "-append",      "-initrd",       "-dtb",        "-device loader", "-nographic",
        "-serial",      "-monitor",      "-display",    "-semihosting",   "-semihosting-config",
        "-d ",          "-D ",           "-no-reboot",  "-s, -S",         "-accel",
        "-icount",      "--engine",      "--stats",     "--max-insns",    "--help",
        "-version",     "armvm profile", "armvm bench",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        ck_assert_msg(strstr(buf, must[i]) != NULL, "usage lacks '%s'", must[i]);
    free(buf);

    buf = NULL;
    f = open_memstream(&buf, &len);
    cli_print_log_items(f);
    fclose(f);
    static const char *const items[] = {"in_asm", "op", "exec", "int", "cpu", "guest_errors"};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        ck_assert_msg(strstr(buf, items[i]) != NULL, "-d help lacks '%s'", items[i]);
    free(buf);
}
END_TEST

START_TEST(test_subcommands)
{
    OK("run", "-kernel", "k", "-m", "32");
    ck_assert_int_eq(opts.action, CLI_ACTION_RUN);
    ck_assert_uint_eq(opts.cfg.ram_size, 32ull << 20);
    OK("profile", "whatever");
    ck_assert_int_eq(opts.action, CLI_ACTION_PROFILE);
    OK("bench");
    ck_assert_int_eq(opts.action, CLI_ACTION_BENCH);
    BAD("unexpected argument 'run'", "-kernel", "k", "run");
    BAD("no guest image", "run");
}
END_TEST

START_TEST(test_cli_main_status)
{
    /* Usage errors and reserved sub-commands exit with 2 before any machine is built. */
    char *bad[] = {"armvm", "--bogus", NULL};
    ck_assert_int_eq(cli_main(2, bad), CLI_EXIT_USAGE);
    char *nokernel[] = {"armvm", "-m", "64", NULL};
    ck_assert_int_eq(cli_main(3, nokernel), CLI_EXIT_USAGE);
    /* (never a bare `armvm profile` here: it would run the benchmarks, re-executing
     * this test binary as /proc/self/exe) */
    char *profile[] = {"armvm", "profile", "--no-such-option", NULL};
    ck_assert_int_eq(cli_main(3, profile), CLI_EXIT_USAGE);
    char *bench[] = {"armvm", "bench", "--no-such-option", NULL};
    ck_assert_int_eq(cli_main(3, bench), CLI_EXIT_USAGE);
    if (!cli_engine_available(DBT_ENGINE_JIT)) {
        char *jit[] = {"armvm", "--engine", "jit", "-kernel", "k", NULL};
        ck_assert_int_eq(cli_main(5, jit), CLI_EXIT_USAGE);
    }
}
END_TEST

/* ---- -M / -cpu / -smp ------------------------------------------------------------- */

START_TEST(test_machine)
{
    OK("-M", "virt", "-kernel", "k");
    ck_assert_str_eq(opts.cfg.machine, "virt");
    OK("-machine", "virt-7.2", "-kernel", "k");
    ck_assert_str_eq(opts.cfg.machine, "virt");
    OK("-M", "type=virt,gic-version=2", "-kernel", "k");
    OK("-M",
       "virt,gic-version=2,highmem=off,its=on,acpi=off,secure=off,virtualization=no,"
       "usb=off,graphics=off,mem-merge=on,dump-guest-core=off,highmem-ecam=off,accel=tcg",
       "-kernel", "k");
    OK("-M", "gic-version=2", "-kernel", "k"); /* properties only: the board stays virt */
    OK("-M", "virt,highmem", "-kernel", "k");  /* bare key = on */
    OK("-M", "help");
    ck_assert_int_eq(opts.action, CLI_ACTION_MACHINE_HELP);

    BAD("unknown machine 'vexpress-a15'", "-M", "vexpress-a15", "-kernel", "k");
    BAD("unknown machine 'virt-'", "-M", "virt-", "-kernel", "k");
    BAD("unknown machine 'virt-7'", "-M", "virt-7", "-kernel", "k");
    BAD("gic-version=3 is not supported", "-M", "virt,gic-version=3", "-kernel", "k");
    BAD("gic-version=host is not supported", "-M", "virt,gic-version=host", "-kernel", "k");
    BAD("secure=on is not supported", "-M", "virt,secure=on", "-kernel", "k");
    BAD("virtualization=on is not supported", "-M", "virt,virtualization=on", "-kernel", "k");
    BAD("property 'memory-backend'", "-M", "virt,memory-backend=m0", "-kernel", "k");
    BAD("highmem=maybe: expected on or off", "-M", "virt,highmem=maybe", "-kernel", "k");
    BAD("accel=kvm is not supported", "-M", "virt,accel=kvm", "-kernel", "k");
    BAD("trailing comma", "-M", "virt,", "-kernel", "k");
    BAD("-machine", "-machine", "virt,foo=1", "-kernel", "k");
    BAD("empty argument", "-M", "", "-kernel", "k");
}
END_TEST

START_TEST(test_cpu_smp)
{
    OK("-cpu", "cortex-a15", "-kernel", "k");
    ck_assert_str_eq(opts.cfg.cpu, "cortex-a15");
    OK("-cpu", "cortex-a9", "-kernel", "k"); /* the board checks the model */
    ck_assert_str_eq(opts.cfg.cpu, "cortex-a9");
    BAD("-cpu: empty CPU name", "-cpu", "", "-kernel", "k");
    OK("-smp", "1", "-kernel", "k");
    OK("-smp", "cpus=1,sockets=1,cores=1,threads=1,maxcpus=1", "-kernel", "k");
    BAD("only one CPU", "-smp", "2", "-kernel", "k");
    BAD("only one CPU", "-smp", "1,cores=2", "-kernel", "k");
    BAD("unknown option 'bogus'", "-smp", "1,bogus=1", "-kernel", "k");
}
END_TEST

/* ---- -m and QEMU sizes ------------------------------------------------------------ */

START_TEST(test_size_syntax)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"0", 0},
        {"1", 1ull << 20},
        {"256", 256ull << 20},
        {"256M", 256ull << 20},
        {"256m", 256ull << 20},
        {"1G", 1ull << 30},
        {"1g", 1ull << 30},
        {"1.5G", 3ull << 29},
        {"0.5M", 1ull << 19},
        {"4096K", 4ull << 20},
        {"4096k", 4ull << 20},
        {"1T", 1ull << 40},
        {"65536B", 65536},
        {"0x100M", 256ull << 20},
        {"0x10", 16ull << 20},
        {"16777216b", 16ull << 20},
        {"16383T", 16383ull << 40},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t v = 12345;
        ck_assert_msg(cli_parse_size(good[i].s, 1ull << 20, &v) == 0, "'%s' rejected", good[i].s);
        ck_assert_msg(v == good[i].v, "'%s' = %llu, expected %llu", good[i].s,
                      (unsigned long long)v, (unsigned long long)good[i].v);
    }
    static const char *const bad[] = {
        "",          "M",    "-1",    "+1", " 1",  "1 ",     "12X", "1MB",
        "1.M",       ".5M",  "1..5M", "0x", "0xG", "0x1.5M", "1e3", "99999999999999999999",
        "16777216T", "1,5G", "1P",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        ck_assert_msg(cli_parse_size(bad[i], 1ull << 20, &v) == -1, "'%s' accepted", bad[i]);
    }
}
END_TEST

START_TEST(test_memory_option)
{
    OK("-m", "512", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 512ull << 20);
    OK("-m", "size=1G", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 1ull << 30);
    OK("-m", "128M,slots=2,maxmem=1G", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 128ull << 20);
    OK("-m", "3G", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 3ull << 30);
    /* QEMU rounds the RAM size up to 8 KiB. */
    OK("-m", "1025K", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 129 * 8192);
    OK("-m", "1048577B", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, (1 << 20) + 8192);
    OK("-m", "1", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 1 << 20);
    /* The last -m wins. */
    OK("-m", "64", "-m", "128", "-kernel", "k");
    ck_assert_uint_eq(opts.cfg.ram_size, 128ull << 20);

    BAD("-m 0: RAM size must not be zero", "-m", "0", "-kernel", "k");
    BAD("-m 1000K: RAM size too small", "-m", "1000K", "-kernel", "k");
    BAD("-m 12X: invalid size '12X'", "-m", "12X", "-kernel", "k");
    BAD("too large for the virt board", "-m", "4G", "-kernel", "k");
    BAD("too large for the virt board", "-m", "3073M", "-kernel", "k");
    BAD("invalid size", "-m", "99999999999999999999", "-kernel", "k");
    BAD("RAM size too large", "-m", "18446744073709551615B", "-kernel", "k");
    BAD("unknown memory option 'bogus'", "-m", "64,bogus=1", "-kernel", "k");
    BAD("invalid maxmem", "-m", "64,maxmem=lots", "-kernel", "k");
    BAD("-m: empty argument", "-m", "", "-kernel", "k");
}
END_TEST

/* ---- images --------------------------------------------------------------------- */

START_TEST(test_images)
{
    OK("-kernel", "zImage", "-append", "console=ttyAMA0 root=/dev/ram", "-initrd", "initrd.gz",
       "-dtb", "virt.dtb");
    ck_assert_str_eq(opts.cfg.kernel, "zImage");
    ck_assert_str_eq(opts.cfg.append, "console=ttyAMA0 root=/dev/ram");
    ck_assert_str_eq(opts.cfg.initrd, "initrd.gz");
    ck_assert_str_eq(opts.cfg.dtb, "virt.dtb");
    OK("-kernel", "a", "-kernel", "b");
    ck_assert_str_eq(opts.cfg.kernel, "b");
    OK("-kernel", "k", "-append", "");
    ck_assert_str_eq(opts.cfg.append, "");
    BAD("-kernel: empty file name", "-kernel", "");
    BAD("-initrd: empty file name", "-kernel", "k", "-initrd", "");
    BAD("-dtb: empty file name", "-kernel", "k", "-dtb", "");
}
END_TEST

START_TEST(test_device_loader)
{
    OK("-device", "loader,file=prog.bin,addr=0x40000000,cpu-num=0");
    ck_assert_int_eq(opts.cfg.n_raw, 1);
    ck_assert_str_eq(opts.cfg.raw[0].file, "prog.bin");
    ck_assert_uint_eq(opts.cfg.raw[0].addr, 0x40000000u);
    ck_assert(opts.cfg.raw[0].set_pc);
    ck_assert_ptr_null(opts.cfg.kernel);

    OK("-device", "loader,addr=1073741824,file=a.bin", "--device",
       "driver=loader,file=b,,c.bin,addr=0x40100000,force-raw=on", "-kernel", "k");
    ck_assert_int_eq(opts.cfg.n_raw, 2);
    ck_assert_str_eq(opts.cfg.raw[0].file, "a.bin");
    ck_assert_uint_eq(opts.cfg.raw[0].addr, 0x40000000u);
    ck_assert(!opts.cfg.raw[0].set_pc);
    ck_assert_str_eq(opts.cfg.raw[1].file, "b,c.bin"); /* ",," is a comma */
    ck_assert_uint_eq(opts.cfg.raw[1].addr, 0x40100000u);

    /* Up to MACHINE_MAX_LOADERS. */
    char *argv[2 * MACHINE_MAX_LOADERS + 4];
    int argc = 0;
    argv[argc++] = "armvm";
    for (int i = 0; i <= MACHINE_MAX_LOADERS; i++) {
        argv[argc++] = "-device";
        argv[argc++] = "loader,file=x,addr=0x40000000";
    }
    cli_options_free(&opts);
    ck_assert_int_eq(cli_parse(argc - 2, argv, &opts, err, sizeof err), 0);
    ck_assert_int_eq(opts.cfg.n_raw, MACHINE_MAX_LOADERS);
    cli_options_free(&opts);
    ck_assert_int_eq(cli_parse(argc, argv, &opts, err, sizeof err), -1);
    ck_assert(strstr(err, "too many loaders") != NULL);

    BAD("device 'virtio-blk-device' is not supported", "-device", "virtio-blk-device,drive=d0",
        "-kernel", "k");
    BAD("device 'help' is not supported", "-device", "help", "-kernel", "k");
    BAD("file= is required", "-device", "loader,addr=0x40000000,cpu-num=0", "-kernel", "k");
    BAD("addr= is required", "-device", "loader,file=x.elf", "-kernel", "k");
    BAD("invalid address 'zz'", "-device", "loader,file=x,addr=zz");
    BAD("invalid address '0x'", "-device", "loader,file=x,addr=0x");
    BAD("invalid address '-1'", "-device", "loader,file=x,addr=-1");
    BAD("invalid address", "-device", "loader,file=x,addr=0x10000000000000000");
    BAD("cpu-num=1", "-device", "loader,file=x,addr=0,cpu-num=1");
    BAD("'data' is not supported", "-device", "loader,addr=0x40000000,data=1,data-len=4");
    BAD("unknown loader option 'bogus'", "-device", "loader,file=x,addr=0,bogus=1");
    BAD("empty file name", "-device", "loader,file=,addr=0");
    BAD("force-raw=maybe", "-device", "loader,file=x,addr=0,force-raw=maybe");
    BAD("no device name", "-device", "file=x,addr=0");
}
END_TEST

/* ---- console, display, monitor, harmless QEMU options ----------------------------- */

START_TEST(test_console_options)
{
    OK("-kernel", "k", "-nographic", "-serial", "stdio", "-monitor", "none", "-display", "none");
    OK("-kernel", "k", "-serial", "mon:stdio");
    BAD("-serial vc: not supported", "-kernel", "k", "-serial", "vc");
    BAD("-serial null: not supported", "-kernel", "k", "-serial", "null");
    BAD("-serial tcp::4444,server: not supported", "-kernel", "k", "-serial", "tcp::4444,server");
    BAD("-monitor stdio: not supported", "-kernel", "k", "-monitor", "stdio");
    BAD("-display gtk: not supported", "-kernel", "k", "-display", "gtk");
    BAD("-nographic: takes no argument", "-kernel", "k", "--nographic=1");
}
END_TEST

START_TEST(test_harmless_options)
{
    OK("-kernel", "k", "-no-reboot");
    ck_assert(opts.no_reboot);
    OK("-kernel", "k", "-accel", "tcg");
    OK("-kernel", "k", "-accel", "tcg,thread=single,tb-size=64,split-wx=off");
    OK("-kernel", "k", "-icount", "shift=auto");
    ck_assert(opts.icount);
    OK("-kernel", "k", "-icount", "0,align=off,sleep=off");
    OK("-kernel", "k", "-icount", "7");
    BAD("accelerator 'kvm' is not supported", "-kernel", "k", "-accel", "kvm");
    BAD("thread=many", "-kernel", "k", "-accel", "tcg,thread=many");
    BAD("unknown accelerator option 'bogus'", "-kernel", "k", "-accel", "tcg,bogus=1");
    BAD("record/replay is not supported", "-kernel", "k", "-icount", "shift=1,rr=record");
    BAD("shift=11", "-kernel", "k", "-icount", "11");
    BAD("shift=x", "-kernel", "k", "-icount", "x");
    BAD("unknown icount option 'bogus'", "-kernel", "k", "-icount", "1,bogus=1");
}
END_TEST

START_TEST(test_gdb_refused)
{
    BAD("-s: gdb stub not supported yet", "-kernel", "k", "-s");
    BAD("-S: gdb stub not supported yet", "-kernel", "k", "-S");
    BAD("--S: gdb stub not supported yet", "-kernel", "k", "--S");
    BAD("-gdb: gdb stub not supported yet", "-kernel", "k", "-gdb", "tcp::1234");
}
END_TEST

/* ---- semihosting ------------------------------------------------------------------ */

START_TEST(test_semihosting)
{
    OK("-kernel", "k", "-semihosting");
    ck_assert(opts.cfg.semihosting);
    /* Without arg= the command line stays NULL: the machine then uses QEMU's fallback
     * (the kernel file name and the -append words). */
    ck_assert_ptr_null(opts.cfg.semihosting_cmdline);

    OK("-kernel", "k", "-semihosting-config", "enable=on,target=native,arg=prog,arg=a b,arg=c,,d");
    ck_assert(opts.cfg.semihosting);
    ck_assert_str_eq(opts.cfg.semihosting_cmdline, "prog a b c,d");
    /* arg= accumulates over repeated -semihosting-config. */
    OK("-kernel", "k", "-semihosting-config", "arg=x", "-semihosting-config", "arg=y,arg=z");
    ck_assert(opts.cfg.semihosting); /* giving it enables semihosting */
    ck_assert_str_eq(opts.cfg.semihosting_cmdline, "x y z");
    OK("-kernel", "k", "-semihosting-config", "on");
    ck_assert(opts.cfg.semihosting);
    OK("-kernel", "k", "-semihosting-config", "target=auto,arg=");
    ck_assert_str_eq(opts.cfg.semihosting_cmdline, "");
    OK("-kernel", "k", "-semihosting", "-semihosting-config", "enable=off");
    ck_assert(!opts.cfg.semihosting);
    OK("-kernel", "k", "-semihosting-config", "enable=off", "-semihosting");
    ck_assert(opts.cfg.semihosting);
    OK("-kernel", "k");
    ck_assert(!opts.cfg.semihosting);
    ck_assert_ptr_null(opts.cfg.semihosting_cmdline);

    BAD("target=gdb is not supported", "-kernel", "k", "-semihosting-config", "target=gdb");
    BAD("enable=maybe", "-kernel", "k", "-semihosting-config", "enable=maybe");
    BAD("chardev= is not supported", "-kernel", "k", "-semihosting-config", "chardev=c0");
    BAD("unknown semihosting option 'bogus'", "-kernel", "k", "-semihosting-config", "bogus=1");
    BAD("empty option name", "-kernel", "k", "-semihosting-config", "on,=x");
    BAD("empty element", "-kernel", "k", "-semihosting-config", "on,bare,,x");
}
END_TEST

START_TEST(test_semihosting_many_args)
{
    /* Many arg= across many options: no fixed-size limit on the command line. */
    char *argv[MAX_ARGS];
    int argc = 0;
    argv[argc++] = "armvm";
    argv[argc++] = "-kernel";
    argv[argc++] = "k";
    for (int i = 0; i < 20; i++) {
        argv[argc++] = "-semihosting-config";
        argv[argc++] = "arg=0123456789012345678901234567890123456789";
    }
    cli_options_free(&opts);
    ck_assert_int_eq(cli_parse(argc, argv, &opts, err, sizeof err), 0);
    ck_assert_uint_eq(strlen(opts.cfg.semihosting_cmdline), 20 * 40 + 19);
}
END_TEST

/* ---- -d, -D ----------------------------------------------------------------------- */

START_TEST(test_log_items)
{
    unsigned m = 0;
    char e[256];
    ck_assert_int_eq(cli_parse_log_items("in_asm", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_IN_ASM);
    ck_assert_int_eq(cli_parse_log_items("op", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_IR);
    ck_assert_int_eq(cli_parse_log_items("exec", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_EXEC);
    ck_assert_int_eq(cli_parse_log_items("int", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_INT);
    ck_assert_int_eq(cli_parse_log_items("cpu", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_CPU);
    ck_assert_int_eq(cli_parse_log_items("guest_errors", &m, e, sizeof e), 0);
    ck_assert_uint_ne(m, 0);
    unsigned ge = m;
    ck_assert_uint_eq(ge & (DBT_LOG_IN_ASM | DBT_LOG_IR | DBT_LOG_EXEC | DBT_LOG_INT | DBT_LOG_CPU),
                      0);
    ck_assert_int_eq(cli_parse_log_items("in_asm,op,exec,int,cpu", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_IN_ASM | DBT_LOG_IR | DBT_LOG_EXEC | DBT_LOG_INT | DBT_LOG_CPU);
    ck_assert_int_eq(cli_parse_log_items("cpu,cpu", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_CPU);
    ck_assert_int_eq(cli_parse_log_items("all", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m,
                      DBT_LOG_IN_ASM | DBT_LOG_IR | DBT_LOG_EXEC | DBT_LOG_INT | DBT_LOG_CPU | ge |
                          DBT_LOG_OUT_ASM);

    m = 77;
    ck_assert_int_eq(cli_parse_log_items("in_asm,bogus", &m, e, sizeof e), -1);
    ck_assert(strstr(e, "unknown log item 'bogus'") != NULL);
    ck_assert_uint_eq(m, 77); /* untouched on error */
    ck_assert_int_eq(cli_parse_log_items("out_asm", &m, e, sizeof e), 0);
    ck_assert_uint_eq(m, DBT_LOG_OUT_ASM);
    ck_assert_int_eq(cli_parse_log_items("op_opt", &m, e, sizeof e), -1);
    ck_assert(strstr(e, "'op_opt' is not supported") != NULL);
    ck_assert_int_eq(cli_parse_log_items("", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items("in_asm,", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items(",in_asm", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items("in_asm,,op", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items("IN_ASM", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items("in_as", &m, e, sizeof e), -1);
    ck_assert_int_eq(cli_parse_log_items("in_asmx", &m, e, sizeof e), -1);
}
END_TEST

START_TEST(test_log_options)
{
    OK("-kernel", "k", "-d", "in_asm,op", "-D", "/tmp/armvm.log");
    ck_assert_uint_eq(opts.cfg.log_mask, DBT_LOG_IN_ASM | DBT_LOG_IR);
    ck_assert_str_eq(opts.log_filename, "/tmp/armvm.log");
    /* The last -d wins, as in QEMU. */
    OK("-kernel", "k", "-d", "in_asm", "-d", "exec");
    ck_assert_uint_eq(opts.cfg.log_mask, DBT_LOG_EXEC);
    OK("-d", "help");
    ck_assert_int_eq(opts.action, CLI_ACTION_LOG_HELP);
    OK("-kernel", "k", "--d=int");
    ck_assert_uint_eq(opts.cfg.log_mask, DBT_LOG_INT);
    BAD("-d in_asm,nochain: log item 'nochain' is not supported", "-kernel", "k", "-d",
        "in_asm,nochain");
    BAD("unknown log item 'foo'", "-kernel", "k", "-d", "foo");
    BAD("-D: empty file name", "-kernel", "k", "-D", "");
}
END_TEST

/* ---- armvm's own options ---------------------------------------------------------- */

START_TEST(test_engine)
{
    ck_assert(cli_engine_available(DBT_ENGINE_INTERP));
    OK("-kernel", "k", "--engine", "interp");
    ck_assert_int_eq(opts.cfg.engine, DBT_ENGINE_INTERP);
    static const DbtEngine others[] = {DBT_ENGINE_JIT, DBT_ENGINE_NATIVE};
    for (size_t i = 0; i < 2; i++) {
        const char *name = dbt_engine_name(others[i]);
        int r = parse(NULL, "-kernel", "k", "--engine", name, NULL);
        char want[64];
        snprintf(want, sizeof want, "engine '%s' is not available yet", name);
        if (cli_engine_available(others[i])) {
            ck_assert_int_eq(r, 0);
            ck_assert_int_eq(opts.cfg.engine, others[i]);
        } else {
            ck_assert_int_eq(r, -1);
            ck_assert_msg(strstr(err, want) != NULL, "error '%s'", err);
        }
    }
    BAD("--engine turbo: unknown engine", "-kernel", "k", "--engine", "turbo");
    BAD("--engine: missing argument", "-kernel", "k", "--engine");
}
END_TEST

START_TEST(test_count_syntax)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"0", 0},
        {"1", 1},
        {"1000000", 1000000},
        {"0x10", 16},
        {"0XfF", 255},
        {"5k", 5000},
        {"5K", 5000},
        {"2M", 2000000},
        {"2m", 2000000},
        {"3G", 3000000000ull},
        {"0x10k", 16000},
        {"18446744073709551615", UINT64_MAX},
        {"18446744073G", 18446744073000000000ull},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t v = 12345;
        ck_assert_msg(cli_parse_count(good[i].s, &v) == 0, "'%s' rejected", good[i].s);
        ck_assert_msg(v == good[i].v, "'%s' = %llu", good[i].s, (unsigned long long)v);
    }
    static const char *const bad[] = {
        "",
        "k",
        "-1",
        "+5",
        " 5",
        "5 ",
        "5x",
        "5kk",
        "1.5M",
        "0x",
        "0xg",
        "1e6",
        "18446744073709551616",
        "18446744074G",
        "5T",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        ck_assert_msg(cli_parse_count(bad[i], &v) == -1, "'%s' accepted", bad[i]);
    }
}
END_TEST

START_TEST(test_own_options)
{
    OK("-kernel", "k", "--stats", "--max-insns", "0x1000");
    ck_assert(opts.stats);
    ck_assert_uint_eq(opts.cfg.max_insns, 0x1000);
    OK("-kernel", "k", "--max-insns", "10M", "--max-insns", "0");
    ck_assert_uint_eq(opts.cfg.max_insns, 0);
    BAD("--max-insns 10Q: invalid instruction count", "-kernel", "k", "--max-insns", "10Q");
    BAD("--max-insns -5: invalid", "-kernel", "k", "--max-insns", "-5");
    BAD("invalid instruction count", "-kernel", "k", "--max-insns=");
}
END_TEST

/* ---- robustness ------------------------------------------------------------------- */

/* Random command lines from a vocabulary of options and values: the parser must either
 * succeed or fail with a message, and never crash (the sanitizer build checks memory). */
START_TEST(test_random_command_lines)
{
    static const char *const vocab[] = {
        "-M",
        "virt",
        "-m",
        "256M",
        "-kernel",
        "k",
        "-device",
        "loader,file=x,addr=0x40000000",
        "-d",
        "in_asm,op",
        "-semihosting-config",
        "arg=a,arg=b,,c",
        "--engine",
        "interp",
        "--max-insns",
        "1k",
        ",",
        ",,",
        "=",
        "",
        "-",
        "--",
        "--m=",
        "-D",
        "help",
        "virt,,",
        "loader,",
        "-semihosting",
        "--stats",
        "-smp",
        "1",
        "-accel",
        "tcg,",
        "-icount",
        "auto",
        "-serial",
        "stdio",
        "x=y=z",
        "-append",
        "a b",
        "run",
        "bench",
        "-cpu",
        "--help",
        "-M",
        "virt,gic-version",
        "-m",
        "size=",
        "loader,file=,,,addr=1",
    };
    const size_t nv = sizeof vocab / sizeof vocab[0];
    unsigned seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        char *argv[16];
        int argc = 0;
        argv[argc++] = "armvm";
        seed = seed * 1103515245u + 12345u;
        int n = (int)((seed >> 16) % 14);
        for (int j = 0; j < n; j++) {
            seed = seed * 1103515245u + 12345u;
            argv[argc++] = (char *)vocab[(seed >> 16) % nv];
        }
        argv[argc] = NULL;
        cli_options_free(&opts);
        err[0] = 'X';
        err[1] = '\0';
        int r = cli_parse(argc, argv, &opts, err, sizeof err);
        ck_assert(r == 0 || r == -1);
        if (r == -1)
            ck_assert(err[0] != '\0' && strcmp(err, "X") != 0);
    }
}
END_TEST

START_TEST(test_tiny_error_buffer)
{
    char *argv[] = {"armvm", "-m", "lots", NULL};
    char small[8];
    ck_assert_int_eq(cli_parse(3, argv, &opts, small, sizeof small), -1);
    ck_assert_uint_lt(strlen(small), sizeof small);
    cli_options_free(&opts);
    ck_assert_int_eq(cli_parse(3, argv, &opts, NULL, 0), -1);
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_typical_qemu_line);
    tcase_add_test(tc, test_no_image);
    tcase_add_test(tc, test_double_dash_spellings);
    tcase_add_test(tc, test_unknown_options);
    tcase_add_test(tc, test_missing_arguments);
    tcase_add_test(tc, test_help_version);
    tcase_add_test(tc, test_usage_text);
    tcase_add_test(tc, test_subcommands);
    tcase_add_test(tc, test_cli_main_status);
    tcase_add_test(tc, test_machine);
    tcase_add_test(tc, test_cpu_smp);
    tcase_add_test(tc, test_size_syntax);
    tcase_add_test(tc, test_memory_option);
    tcase_add_test(tc, test_images);
    tcase_add_test(tc, test_device_loader);
    tcase_add_test(tc, test_console_options);
    tcase_add_test(tc, test_harmless_options);
    tcase_add_test(tc, test_gdb_refused);
    tcase_add_test(tc, test_semihosting);
    tcase_add_test(tc, test_semihosting_many_args);
    tcase_add_test(tc, test_log_items);
    tcase_add_test(tc, test_log_options);
    tcase_add_test(tc, test_engine);
    tcase_add_test(tc, test_count_syntax);
    tcase_add_test(tc, test_own_options);
    tcase_add_test(tc, test_random_command_lines);
    tcase_add_test(tc, test_tiny_error_buffer);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(options_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
