/*
 * options.c: the armvm command line (see cli.h): the option handlers, the option table
 * and cli_parse().
 *
 * One table lists every option with its spellings, argument, handler and help line, so
 * the parser and `armvm --help` cannot disagree. QEMU options may be spelled -opt or --opt
 * (QEMU accepts both); with -- an argument may also be attached as --opt=VALUE. For
 * single-valued options the last occurrence wins (as in QEMU); -device loader and
 * -semihosting-config arg= accumulate.
 */
#include "cli/cli_internal.h"

#include <ctype.h>
#include <string.h>

/* ---- engines ------------------------------------------------------------------------ */

/* Which engines this build can run. */
bool cli_engine_available(DbtEngine e)
{
    switch (e) {
    case DBT_ENGINE_INTERP:
    case DBT_ENGINE_JIT:
    case DBT_ENGINE_NATIVE: return true;
    }
    return false;
}

/* ---- option handlers ---------------------------------------------------------------- */

static int h_help(CliParser *p, const char *arg)
{
    (void)arg;
    p->o->action = CLI_ACTION_HELP;
    return 1; /* stop parsing */
}

static int h_version(CliParser *p, const char *arg)
{
    (void)arg;
    p->o->action = CLI_ACTION_VERSION;
    return 1;
}

/* "virt" or a versioned alias "virt-7.2". */
static bool machine_is_virt(const char *name)
{
    if (!strcmp(name, "virt"))
        return true;
    if (strncmp(name, "virt-", 5))
        return false;
    const char *s = name + 5;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s++ != '.' || !isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* virt properties armvm accepts. values == NULL: any on/off boolean. Otherwise a
 * '|'-separated list of the accepted values; anything else is refused with `why`. */
typedef struct CliMachineProp {
    const char *name;
    const char *values;
    const char *why;
} CliMachineProp;

static const CliMachineProp virt_props[] = {
    {"gic-version", "2", "armvm models a GICv2"},
    {"secure", "off|no|false|n", "the Security Extensions are not modelled"},
    {"virtualization", "off|no|false|n", "the Virtualization Extensions are not modelled"},
    {"mte", "off|no|false|n", "MTE is an AArch64 feature"},
    {"ras", "off|no|false|n", "RAS is not modelled"},
    {"iommu", "none", "no IOMMU is modelled"},
    {"accel", "tcg", "armvm is its own accelerator (see --engine)"},
    {"highmem", NULL, NULL},
    {"compact-highmem", NULL, NULL},
    {"highmem-ecam", NULL, NULL},
    {"highmem-mmio", NULL, NULL},
    {"highmem-redists", NULL, NULL},
    {"its", NULL, NULL},
    {"acpi", "on|off|auto", "expected on, off or auto"},
    {"usb", NULL, NULL},
    {"graphics", NULL, NULL},
    {"dump-guest-core", NULL, NULL},
    {"mem-merge", NULL, NULL},
    {"suppress-vmdesc", NULL, NULL},
    {"default-bus-bypass-iommu", NULL, NULL},
    {"dtb-randomness", NULL, NULL},
    {"dtb-kaslr", NULL, NULL},
};

static bool value_in_list(const char *v, const char *list)
{
    size_t n = strlen(v);
    const char *s = list;
    for (;;) {
        const char *e = strchr(s, '|');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == n && !strncmp(s, v, n))
            return true;
        if (!e)
            return false;
        s = e + 1;
    }
}

static int h_machine(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "type";
        const char *v = kv[i].value;
        if (!strcmp(key, "type")) {
            if (!strcmp(v, "help") || !strcmp(v, "?")) {
                p->o->action = CLI_ACTION_MACHINE_HELP;
                return 1;
            }
            if (!machine_is_virt(v))
                return cli_fail(
                    p, "%s %s: unknown machine '%s' (armvm supports only 'virt'; try '-M help')",
                    p->opt, arg, v);
            p->o->cfg.machine = "virt";
            continue;
        }
        const CliMachineProp *prop = NULL;
        for (size_t j = 0; j < sizeof virt_props / sizeof virt_props[0]; j++)
            if (!strcmp(virt_props[j].name, key))
                prop = &virt_props[j];
        if (!prop)
            return cli_fail(p, "%s %s: property '%s' of the virt board is not supported", p->opt,
                            arg, key);
        if (prop->values) {
            if (!value_in_list(v, prop->values))
                return cli_fail(p, "%s %s: %s=%s is not supported (%s)", p->opt, arg, key, v,
                                prop->why);
        } else {
            bool b;
            if (cli_parse_bool(v, &b))
                return cli_fail(p, "%s %s: %s=%s: expected on or off", p->opt, arg, key, v);
        }
    }
    return 0;
}

static int h_cpu(CliParser *p, const char *arg)
{
    if (!*arg)
        return cli_fail(p, "%s: empty CPU name", p->opt);
    p->o->cfg.cpu = arg;
    return 0;
}

/* -m [size=]SIZE[,slots=N,maxmem=SIZE]: QEMU's syntax, a plain number is MiB. QEMU rounds
 * the size up to 8 KiB; so do we. */
static int h_memory(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    bool have_size = false;
    uint64_t size = 0;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "size";
        uint64_t v;
        if (!strcmp(key, "size")) {
            if (cli_parse_size(kv[i].value, 1ull << 20, &v))
                return cli_fail(p, "%s %s: invalid size '%s' (examples: 256M, 1G, 512 = 512 MiB)",
                                p->opt, arg, kv[i].value);
            size = v;
            have_size = true;
        } else if (!strcmp(key, "maxmem")) {
            if (cli_parse_size(kv[i].value, 1ull << 20, &v))
                return cli_fail(p, "%s %s: invalid maxmem size '%s'", p->opt, arg, kv[i].value);
        } else if (!strcmp(key, "slots")) {
            if (cli_parse_count(kv[i].value, &v))
                return cli_fail(p, "%s %s: invalid slots '%s'", p->opt, arg, kv[i].value);
        } else {
            return cli_fail(p, "%s %s: unknown memory option '%s'", p->opt, arg, key);
        }
    }
    if (!have_size)
        return 0;
    if (size == 0)
        return cli_fail(p, "%s %s: RAM size must not be zero", p->opt, arg);
    if (size > UINT64_MAX - 8191)
        return cli_fail(p, "%s %s: RAM size too large", p->opt, arg);
    size = (size + 8191) & ~(uint64_t)8191;
    if (size < VIRT_MIN_RAM)
        return cli_fail(p, "%s %s: RAM size too small (at least %lluK)", p->opt, arg,
                        (unsigned long long)(VIRT_MIN_RAM >> 10));
    if (size > VIRT_MAX_RAM)
        return cli_fail(p,
                        "%s %s: RAM size too large for the virt board (at most %lluM without LPAE)",
                        p->opt, arg, (unsigned long long)(VIRT_MAX_RAM >> 20));
    p->o->cfg.ram_size = size;
    return 0;
}

/* -smp: only one CPU. */
static int h_smp(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    static const char *const keys[] = {"cpus",     "maxcpus", "sockets", "dies",
                                       "clusters", "cores",   "threads"};
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "cpus";
        bool known = false;
        for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
            known |= !strcmp(keys[j], key);
        if (!known)
            return cli_fail(p, "%s %s: unknown option '%s'", p->opt, arg, key);
        if (strcmp(kv[i].value, "1"))
            return cli_fail(p, "%s %s: only one CPU is supported (%s=1)", p->opt, arg, key);
    }
    return 0;
}

static int h_kernel(CliParser *p, const char *arg)
{
    if (!*arg)
        return cli_fail(p, "%s: empty file name", p->opt);
    p->o->cfg.kernel = arg;
    return 0;
}

static int h_append(CliParser *p, const char *arg)
{
    p->o->cfg.append = arg;
    return 0;
}

static int h_initrd(CliParser *p, const char *arg)
{
    if (!*arg)
        return cli_fail(p, "%s: empty file name", p->opt);
    p->o->cfg.initrd = arg;
    return 0;
}

static int h_dtb(CliParser *p, const char *arg)
{
    if (!*arg)
        return cli_fail(p, "%s: empty file name", p->opt);
    p->o->cfg.dtb = arg;
    return 0;
}

/* -device loader,file=F,addr=A[,cpu-num=0][,force-raw=on]: QEMU's generic loader, raw
 * images only. */
static int h_device(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    const char *driver = kv[0].key ? NULL : kv[0].value;
    if (!driver) {
        for (int i = 0; i < n; i++)
            if (!strcmp(kv[i].key, "driver"))
                driver = kv[i].value;
    }
    if (!driver)
        return cli_fail(p, "%s %s: no device name given", p->opt, arg);
    if (strcmp(driver, "loader"))
        return cli_fail(
            p, "%s %s: device '%s' is not supported (only -device loader,file=FILE,addr=ADDR)",
            p->opt, arg, driver);
    const char *file = NULL;
    bool have_addr = false, set_pc = false;
    uint64_t addr = 0;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key, *v = kv[i].value;
        if (!key || !strcmp(key, "driver"))
            continue;
        if (!strcmp(key, "file")) {
            if (!*v)
                return cli_fail(p, "%s %s: empty file name", p->opt, arg);
            file = v;
        } else if (!strcmp(key, "addr")) {
            const char *e;
            bool hex;
            if (cli_parse_u64(v, &addr, &e, &hex) || *e)
                return cli_fail(p, "%s %s: invalid address '%s'", p->opt, arg, v);
            have_addr = true;
        } else if (!strcmp(key, "cpu-num")) {
            if (strcmp(v, "0"))
                return cli_fail(p, "%s %s: cpu-num=%s: the machine has one CPU (cpu-num=0)", p->opt,
                                arg, v);
            set_pc = true;
        } else if (!strcmp(key, "force-raw")) {
            bool b;
            if (cli_parse_bool(v, &b))
                return cli_fail(p, "%s %s: force-raw=%s: expected on or off", p->opt, arg, v);
        } else if (!strcmp(key, "data") || !strcmp(key, "data-len") || !strcmp(key, "data-be")) {
            return cli_fail(p, "%s %s: loader option '%s' is not supported (only file= and addr=)",
                            p->opt, arg, key);
        } else {
            return cli_fail(p, "%s %s: unknown loader option '%s'", p->opt, arg, key);
        }
    }
    if (!file)
        return cli_fail(p, "%s %s: file= is required", p->opt, arg);
    if (!have_addr)
        return cli_fail(
            p, "%s %s: addr= is required (the loader loads raw images only; use -kernel for ELF)",
            p->opt, arg);
    MachineConfig *c = &p->o->cfg;
    if (c->n_raw >= MACHINE_MAX_LOADERS)
        return cli_fail(p, "%s %s: too many loaders (at most %d)", p->opt, arg,
                        MACHINE_MAX_LOADERS);
    c->raw[c->n_raw].file = file;
    c->raw[c->n_raw].addr = addr;
    c->raw[c->n_raw].set_pc = set_pc;
    c->n_raw++;
    return 0;
}

static int h_nographic(CliParser *p, const char *arg)
{
    (void)p;
    (void)arg;
    return 0; /* armvm has no display: the console is always on stdio */
}

static int h_serial(CliParser *p, const char *arg)
{
    if (strcmp(arg, "stdio") && strcmp(arg, "mon:stdio"))
        return cli_fail(p, "%s %s: not supported (only 'stdio' and 'mon:stdio')", p->opt, arg);
    return 0;
}

static int h_monitor(CliParser *p, const char *arg)
{
    if (strcmp(arg, "none"))
        return cli_fail(p, "%s %s: not supported (armvm has no monitor; only 'none')", p->opt, arg);
    return 0;
}

static int h_display(CliParser *p, const char *arg)
{
    if (strcmp(arg, "none"))
        return cli_fail(p, "%s %s: not supported (armvm has no display; only 'none')", p->opt, arg);
    return 0;
}

static int h_semihosting(CliParser *p, const char *arg)
{
    (void)arg;
    p->o->cfg.semihosting = true;
    return 0;
}

/* Append one semihosting argument to the command line (arguments joined by spaces). */
static int add_semihosting_arg(CliParser *p, const char *a)
{
    CliOptions *o = p->o;
    const char *old = o->n_semihosting_args ? o->cfg.semihosting_cmdline : NULL;
    size_t lo = old ? strlen(old) : 0, la = strlen(a);
    char *s = cli_alloc(p, lo + la + 1);
    if (!s)
        return cli_fail(p, "out of memory");
    if (old) {
        memcpy(s, old, lo);
        s[lo] = ' ';
        memcpy(s + lo + 1, a, la + 1);
    } else {
        memcpy(s, a, la + 1);
    }
    o->cfg.semihosting_cmdline = s;
    o->n_semihosting_args++;
    return 0;
}

/* -semihosting-config [enable=]on|off[,target=native|auto][,arg=STR]...: as in QEMU, giving
 * it at all enables semihosting unless enable=off. */
static int h_semihosting_config(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    bool enable = true;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "enable";
        const char *v = kv[i].value;
        if (!strcmp(key, "enable")) {
            if (cli_parse_bool(v, &enable))
                return cli_fail(p, "%s %s: enable=%s: expected on or off", p->opt, arg, v);
        } else if (!strcmp(key, "target")) {
            if (strcmp(v, "native") && strcmp(v, "auto"))
                return cli_fail(
                    p, "%s %s: target=%s is not supported (only native; there is no gdb stub)",
                    p->opt, arg, v);
        } else if (!strcmp(key, "arg")) {
            if (add_semihosting_arg(p, v))
                return -1;
        } else if (!strcmp(key, "chardev")) {
            return cli_fail(p,
                            "%s %s: chardev= is not supported (semihosting output goes to stdout)",
                            p->opt, arg);
        } else {
            return cli_fail(p, "%s %s: unknown semihosting option '%s'", p->opt, arg, key);
        }
    }
    p->o->cfg.semihosting = enable;
    return 0;
}

static int h_log(CliParser *p, const char *arg)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        p->o->action = CLI_ACTION_LOG_HELP;
        return 1;
    }
    unsigned mask;
    if (cli_parse_log_items(arg, &mask, p->err, p->errlen))
        return -1;
    p->o->cfg.log_mask = mask;
    return 0;
}

static int h_logfile(CliParser *p, const char *arg)
{
    if (!*arg)
        return cli_fail(p, "%s: empty file name", p->opt);
    p->o->log_filename = arg;
    return 0;
}

static int h_no_reboot(CliParser *p, const char *arg)
{
    (void)arg;
    p->o->no_reboot = true;
    p->o->cfg.no_reboot = true;
    return 0;
}

static int h_gdb(CliParser *p, const char *arg)
{
    (void)arg;
    return cli_fail(p, "%s: gdb stub not supported yet", p->opt);
}

/* -accel tcg[,thread=...,tb-size=...,split-wx=...]: harmless tuning knobs of QEMU's TCG. */
static int h_accel(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "accel";
        const char *v = kv[i].value;
        if (!strcmp(key, "accel")) {
            if (strcmp(v, "tcg"))
                return cli_fail(p,
                                "%s %s: accelerator '%s' is not supported (armvm is its own "
                                "accelerator; see --engine)",
                                p->opt, arg, v);
        } else if (!strcmp(key, "thread")) {
            if (strcmp(v, "single") && strcmp(v, "multi"))
                return cli_fail(p, "%s %s: thread=%s: expected single or multi", p->opt, arg, v);
        } else if (!strcmp(key, "tb-size")) {
            uint64_t x;
            if (cli_parse_count(v, &x))
                return cli_fail(p, "%s %s: invalid tb-size '%s'", p->opt, arg, v);
        } else if (!strcmp(key, "split-wx")) {
            bool b;
            if (cli_parse_bool(v, &b))
                return cli_fail(p, "%s %s: split-wx=%s: expected on or off", p->opt, arg, v);
        } else {
            return cli_fail(p, "%s %s: unknown accelerator option '%s'", p->opt, arg, key);
        }
    }
    return 0;
}

/* -icount [shift=]N|auto[,align=on|off][,sleep=on|off]: virtual time from the
 * instruction count (MachineConfig.icount). auto (QEMU: adaptive) uses shift 3. */
static int h_icount(CliParser *p, const char *arg)
{
    CliKv kv[CLI_MAX_KV];
    int n;
    if (cli_split_kv(p, arg, true, kv, &n))
        return -1;
    for (int i = 0; i < n; i++) {
        const char *key = kv[i].key ? kv[i].key : "shift";
        const char *v = kv[i].value;
        if (!strcmp(key, "shift")) {
            uint64_t x;
            const char *e;
            bool hex;
            if (strcmp(v, "auto") && (cli_parse_u64(v, &x, &e, &hex) || *e || x > 10))
                return cli_fail(p, "%s %s: shift=%s: expected 0..10 or auto", p->opt, arg, v);
            p->o->cfg.icount_shift = strcmp(v, "auto") ? (unsigned)x : 3;
        } else if (!strcmp(key, "align") || !strcmp(key, "sleep")) {
            bool b;
            if (cli_parse_bool(v, &b))
                return cli_fail(p, "%s %s: %s=%s: expected on or off", p->opt, arg, key, v);
            if (!strcmp(key, "sleep"))
                p->o->cfg.icount_sleep = b;
        } else if (!strcmp(key, "rr") || !strcmp(key, "rrfile") || !strcmp(key, "rrsnapshot")) {
            return cli_fail(p, "%s %s: record/replay is not supported", p->opt, arg);
        } else {
            return cli_fail(p, "%s %s: unknown icount option '%s'", p->opt, arg, key);
        }
    }
    p->o->icount = true;
    p->o->cfg.icount = true;
    return 0;
}

static int h_engine(CliParser *p, const char *arg)
{
    int e = dbt_engine_parse(arg);
    if (e < 0)
        return cli_fail(p, "%s %s: unknown engine (choose interp, jit or native)", p->opt, arg);
    if (!cli_engine_available((DbtEngine)e))
        return cli_fail(p, "%s %s: engine '%s' is not available yet", p->opt, arg, arg);
    p->o->cfg.engine = (DbtEngine)e;
    return 0;
}

static int h_stats(CliParser *p, const char *arg)
{
    (void)arg;
    p->o->stats = true;
    return 0;
}

static int h_max_insns(CliParser *p, const char *arg)
{
    uint64_t v;
    if (cli_parse_count(arg, &v))
        return cli_fail(
            p, "%s %s: invalid instruction count (examples: 1000000, 0x100000, 500k, 2M, 1G)",
            p->opt, arg);
    p->o->cfg.max_insns = v;
    return 0;
}

/* ---- the option table --------------------------------------------------------------- */

/* clang-format off */
const CliOptDef cli_opt_defs[] = {
    {{"-M", "-machine"}, "NAME[,PROP=VALUE...]", h_machine, CLI_GROUP_QEMU,
     "board: only 'virt' (or virt-X.Y); accepted properties: gic-version=2, highmem, its, "
     "acpi, secure=off, virtualization=off, ... ('-M help' lists the boards)"},
    {{"-cpu"}, "NAME", h_cpu, CLI_GROUP_QEMU, "CPU model (default cortex-a15)"},
    {{"-m"}, "[size=]SIZE", h_memory, CLI_GROUP_QEMU,
     "RAM size; a plain number is MiB, suffixes B, K, M, G, T (default 128M; 1M to 3G)"},
    {{"-smp"}, "1", h_smp, CLI_GROUP_QEMU, "number of CPUs: only 1"},
    {{"-kernel"}, "FILE", h_kernel, CLI_GROUP_QEMU, "guest image: an ELF file, or a Linux zImage/Image"},
    {{"-append"}, "CMDLINE", h_append, CLI_GROUP_QEMU, "kernel command line"},
    {{"-initrd"}, "FILE", h_initrd, CLI_GROUP_QEMU, "initial ramdisk"},
    {{"-dtb"}, "FILE", h_dtb, CLI_GROUP_QEMU, "device tree blob for the guest"},
    {{"-device"}, "loader,file=F,addr=A[,cpu-num=0]", h_device, CLI_GROUP_QEMU,
     "load raw file F at guest physical address A; cpu-num=0 also starts the CPU at A "
     "(repeatable, up to 8; no other devices)"},
    {{"-semihosting"}, NULL, h_semihosting, CLI_GROUP_QEMU, "enable ARM semihosting (SVC 0x123456)"},
    {{"-semihosting-config"}, "[enable=]on|off[,target=native][,arg=STR]...", h_semihosting_config,
     CLI_GROUP_QEMU,
     "configure semihosting (giving it enables semihosting unless enable=off); the arg= values "
     "(repeatable, ',,' for a comma) joined by spaces form the guest command line (without "
     "arg=, QEMU's default: the -kernel file name followed by the -append words)"},
    {{"-d"}, "ITEM[,ITEM...]", h_log, CLI_GROUP_QEMU,
     "debug log: in_asm, op, out_asm, exec, int, cpu, guest_errors, all ('-d help' lists "
     "them)"},
    {{"-D"}, "FILE", h_logfile, CLI_GROUP_QEMU, "write the -d log to FILE instead of stderr"},
    {{"-s"}, NULL, h_gdb, CLI_GROUP_QEMU, NULL},
    {{"-S"}, NULL, h_gdb, CLI_GROUP_QEMU, NULL},
    {{"-gdb"}, "DEV", h_gdb, CLI_GROUP_QEMU, NULL},
    {{"-h", "--help"}, NULL, h_help, CLI_GROUP_QEMU, "print this help and exit"},
    {{"--version"}, NULL, h_version, CLI_GROUP_QEMU, "print the version and exit"},

    {{"-nographic"}, NULL, h_nographic, CLI_GROUP_QEMU_IGNORED,
     "accepted (there is no display; the console is always on stdio, a terminal in raw "
     "mode: Ctrl-A x exits, Ctrl-A h lists the keys)"},
    {{"-serial"}, "stdio|mon:stdio", h_serial, CLI_GROUP_QEMU_IGNORED,
     "accepted (the UART is always on stdio)"},
    {{"-monitor"}, "none", h_monitor, CLI_GROUP_QEMU_IGNORED, "accepted (there is no monitor)"},
    {{"-display"}, "none", h_display, CLI_GROUP_QEMU_IGNORED, "accepted (there is no display)"},
    {{"-no-reboot"}, NULL, h_no_reboot, CLI_GROUP_QEMU, "exit when the guest resets the machine"},
    {{"-accel"}, "tcg[,thread=..,tb-size=..,split-wx=..]", h_accel, CLI_GROUP_QEMU_IGNORED,
     "accepted and ignored (armvm uses its own engine, see --engine)"},
    {{"-icount"}, "[shift=]N|auto[,align=..,sleep=..]", h_icount, CLI_GROUP_QEMU,
     "virtual time from the instruction count (2^shift ns each): repeatable runs"},

    {{"--engine"}, "interp|jit|native", h_engine, CLI_GROUP_ARMVM,
     "execution engine: native (the default: compiled to x86-64, guest user-mode memory "
     "accesses straight through the host MMU), jit (compiled, every access through the "
     "soft MMU) or interp (the reference interpreter)"},
    {{"--stats"}, NULL, h_stats, CLI_GROUP_ARMVM,
     "print statistics (guest instructions executed, blocks translated ...) to stderr at exit"},
    {{"--max-insns"}, "N", h_max_insns, CLI_GROUP_ARMVM,
     "stop after N guest instructions (decimal or 0x hex; suffixes k, M, G = 10^3, 10^6, "
     "10^9; 0 = no limit); armvm then exits with status 0"},
};
/* clang-format on */
const size_t cli_n_opt_defs = sizeof cli_opt_defs / sizeof cli_opt_defs[0];

/* Look an option up by its name without dashes (any spelling may take one or two). */
static const CliOptDef *find_opt(const char *name)
{
    for (size_t i = 0; i < cli_n_opt_defs; i++) {
        for (size_t j = 0; j < 3 && cli_opt_defs[i].names[j]; j++) {
            const char *n = cli_opt_defs[i].names[j];
            while (*n == '-')
                n++;
            if (!strcmp(n, name))
                return &cli_opt_defs[i];
        }
    }
    return NULL;
}

/* ---- the parser --------------------------------------------------------------------- */

static void options_init(CliOptions *o)
{
    memset(o, 0, sizeof *o);
    machine_config_defaults(&o->cfg);
    o->action = CLI_ACTION_RUN;
}

int cli_parse(int argc, char **argv, CliOptions *out, char *err, size_t errlen)
{
    CliParser p = {.o = out, .err = err, .errlen = errlen, .opt = ""};
    options_init(out);
    if (errlen)
        err[0] = '\0';

    int i = 1;
    if (i < argc && argv[i] && argv[i][0] != '-') {
        if (!strcmp(argv[i], "run")) {
            i++;
        } else if (!strcmp(argv[i], "profile")) {
            out->action = CLI_ACTION_PROFILE; /* its options are parsed by profile.c */
            out->profile_argc = argc - i;
            out->profile_argv = argv + i;
            return 0;
        } else if (!strcmp(argv[i], "bench")) {
            out->action = CLI_ACTION_BENCH; /* its options are parsed by bench.c */
            out->profile_argc = argc - i;
            out->profile_argv = argv + i;
            return 0;
        } else {
            return cli_fail(&p,
                            "unknown command '%s' (commands: run, profile, bench; the "
                            "guest image is given with -kernel FILE)",
                            argv[i]);
        }
    }

    char optbuf[80];
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!a)
            break;
        if (a[0] != '-' || a[1] == '\0')
            return cli_fail(&p,
                            "unexpected argument '%s' (the guest image is given with "
                            "-kernel FILE)",
                            a);
        bool dashdash = a[1] == '-';
        const char *name = a + (dashdash ? 2 : 1);
        const char *attached = NULL;
        /* --opt=VALUE */
        const char *eq = dashdash ? strchr(name, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        if (name_len == 0 || name_len >= 64)
            return cli_fail(&p, "unknown option '%s'", a);
        char namebuf[64];
        memcpy(namebuf, name, name_len);
        namebuf[name_len] = '\0';
        snprintf(optbuf, sizeof optbuf, "%s%s", dashdash ? "--" : "-", namebuf);
        p.opt = optbuf;
        if (eq)
            attached = eq + 1;

        const CliOptDef *d = find_opt(namebuf);
        if (!d)
            return cli_fail(&p, "unknown option '%s'", optbuf);
        const char *arg = NULL;
        if (d->metavar) {
            if (attached) {
                arg = attached;
            } else {
                if (i + 1 >= argc || !argv[i + 1])
                    return cli_fail(&p, "%s: missing argument (%s)", optbuf, d->metavar);
                arg = argv[++i];
            }
        } else if (attached) {
            return cli_fail(&p, "%s: takes no argument", optbuf);
        }
        int r = d->handler(&p, arg);
        if (r < 0)
            return -1;
        if (r > 0)
            return 0; /* --help, --version, -d help, -M help */
    }

    if (!out->cfg.kernel && out->cfg.n_raw == 0)
        return cli_fail(&p,
                        "no guest image: give -kernel FILE or -device loader,file=FILE,addr=ADDR");
    return 0;
}
