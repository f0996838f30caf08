/*
 * The Machine: configuration checks, assembly of board + CPU + semihosting + engine,
 * the run loop entry and the statistics block.
 */
#include "devices/machine_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void machine_config_defaults(MachineConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->machine = "virt";
    cfg->cpu = "cortex-a15";
    cfg->ram_size = 128ull << 20;
    cfg->engine = DBT_ENGINE_NATIVE;
    cfg->log_file = stderr;
    cfg->console_out = stdout;
    cfg->console_in = stdin;
    cfg->icount_sleep = true; /* QEMU's default for -icount */
}

static int check_config(const MachineConfig *c, char *err, size_t errlen)
{
    if (!c->machine || strcmp(c->machine, "virt") != 0) {
        snprintf(err, errlen, "unsupported machine type '%s' (armvm supports: virt)",
                 c->machine ? c->machine : "");
        return -1;
    }
    if (!c->cpu || strcmp(c->cpu, "cortex-a15") != 0) {
        snprintf(err, errlen, "unsupported CPU model '%s' for the virt board (armvm supports: "
                 "cortex-a15)", c->cpu ? c->cpu : "");
        return -1;
    }
    if (c->ram_size < VIRT_MIN_RAM) {
        snprintf(err, errlen, "RAM size %llu bytes is too small (at least %llu MiB)",
                 (unsigned long long)c->ram_size, VIRT_MIN_RAM >> 20);
        return -1;
    }
    if (c->ram_size > VIRT_MAX_RAM) {
        snprintf(err, errlen,
                 "RAM size %llu MiB is too large for the virt board without LPAE "
                 "(at most %llu MiB)",
                 (unsigned long long)(c->ram_size >> 20), VIRT_MAX_RAM >> 20);
        return -1;
    }
    if (c->ram_size & (PHYS_PAGE_SIZE - 1)) {
        snprintf(err, errlen, "RAM size %llu bytes is not a multiple of 4 KiB",
                 (unsigned long long)c->ram_size);
        return -1;
    }
    return 0;
}

/* QEMU's fallback for SYS_GET_CMDLINE without -semihosting-config arg=: the kernel file
 * name followed by the words of -append, joined by single spaces. */
static char *default_cmdline(const MachineConfig *c)
{
    const char *kernel = c->kernel ? c->kernel : "";
    const char *append = c->append ? c->append : "";
    size_t cap = strlen(kernel) + strlen(append) + 2;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t n = strlen(kernel);
    memcpy(s, kernel, n);
    for (const char *p = append; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p > w) {
            s[n++] = ' ';
            memcpy(s + n, w, (size_t)(p - w));
            n += (size_t)(p - w);
        }
    }
    s[n] = 0;
    return s;
}

Machine *machine_create(const MachineConfig *cfg, char *err, size_t errlen)
{
    if (check_config(cfg, err, errlen) != 0)
        return NULL;
    Machine *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    if (!m->cfg.console_out)
        m->cfg.console_out = stdout;
    if (!m->cfg.console_in)
        m->cfg.console_in = stdin;
    if (!m->cfg.log_file)
        m->cfg.log_file = stderr;

    if (virt_board_init(m, err, errlen) != 0)
        goto fail;

    arm_cpu_init(&m->cpu, &m->mem);
    arm_cpu_reset(&m->cpu);

    if (virt_board_load(m, err, errlen) != 0)
        goto fail;
    console_open(&m->console, m->cfg.console_in, &m->cpu, stderr);

    m->cpu.env.semihosting = m->cfg.semihosting;
    if (m->cfg.semihosting) {
        m->sh_cmdline = m->cfg.semihosting_cmdline ? strdup(m->cfg.semihosting_cmdline)
                                                   : default_cmdline(&m->cfg);
        if (!m->sh_cmdline)
            goto oom;
        m->sh = semihost_create(m->sh_cmdline, m->cfg.console_out, m->cfg.console_in);
        if (!m->sh)
            goto oom;
        /* SYS_HEAPINFO: the largest free part of RAM is shared by heap (growing up from its
         * base) and stack (growing down from its top), as QEMU does. A range ending at
         * 4 GiB (3 GiB of RAM) does not fit in 32 bits: stop one page short of it. */
        uint64_t lo, hi;
        load_map_largest_gap(&m->images, m->mem.ram_base, m->mem.ram_size, &lo, &hi);
        if (hi > 0xfffff000ull)
            hi = 0xfffff000ull;
        if (lo > hi)
            lo = hi;
        semihost_set_heapinfo(m->sh, (uint32_t)lo, (uint32_t)hi, (uint32_t)hi, (uint32_t)lo);
        semihost_attach(m->sh, &m->cpu);
    }

    m->dbt = dbt_create(&m->cpu, m->cfg.engine);
    if (!m->dbt) {
        snprintf(err, errlen, "execution engine '%s' is not available in this build",
                 dbt_engine_name(m->cfg.engine));
        goto fail;
    }
    dbt_set_log(m->dbt, m->cfg.log_mask, m->cfg.log_file);
    return m;

oom:
    snprintf(err, errlen, "out of memory");
fail:
    machine_destroy(m);
    return NULL;
}

void machine_destroy(Machine *m)
{
    if (!m)
        return;
    if (m->dbt)
        dbt_destroy(m->dbt);
    if (m->sh)
        semihost_destroy(m->sh);
    free(m->sh_cmdline);
    console_close(&m->console);
    if (m->uart)
        pl011_destroy(m->uart);
    if (m->gic)
        gic_destroy(m->gic);
    if (m->timer)
        gtimer_destroy(m->timer);
    if (m->rtc)
        pl031_destroy(m->rtc);
    if (m->mem_ready)
        physmem_destroy(&m->mem);
    if (m->cfg.console_out)
        fflush(m->cfg.console_out);
    free(m);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* PSCI SYSTEM_RESET (without -no-reboot): a warm restart, as QEMU's system reset: the
 * devices and the CPU back to their reset state, every translation dropped, the images
 * loaded again and the boot state set anew. RAM outside the images keeps its contents;
 * the instruction count and the statistics go on. */
static int machine_reset(Machine *m, char *err, size_t errlen)
{
    ArmCpu *cpu = &m->cpu;
    uint64_t icount = cpu->icount, fills = cpu->tlb_fills, flushes = cpu->tlb_flushes;
    uint64_t exceptions[ARM_EXC_COUNT];
    memcpy(exceptions, cpu->exceptions, sizeof exceptions);
    gic_reset(m->gic);
    gtimer_reset(m->timer);
    pl011_reset(m->uart);
    pl031_reset(m->rtc);
    psci_init(&m->psci);
    arm_cpu_reset(cpu);
    cpu->icount = icount;
    cpu->tlb_fills = fills;
    cpu->tlb_flushes = flushes;
    memcpy(cpu->exceptions, exceptions, sizeof exceptions);
    dbt_flush(m->dbt);
    m->images = (LoadMap){ 0 };
    m->resets++;
    return virt_board_load(m, err, errlen);
}

/* The run: slices of guest execution up to the next device deadline, with the devices
 * brought up to date between them, and waiting while the CPU is in WFI. */
int machine_run(Machine *m)
{
    double t0 = now_seconds();
    ArmCpu *cpu = &m->cpu;
    const uint64_t start = cpu->icount;
    DbtExit why;
    /* Real-time slices only bound how long the clock goes unread: they may end late. */
    dbt_set_soft_budget(m->dbt, !m->cfg.icount && !m->cfg.max_insns);
    for (;;) {
        machine_update_devices(m);
        uint64_t slice = machine_slice(m);
        if (m->cfg.max_insns) {
            uint64_t done = cpu->icount - start;
            if (done >= m->cfg.max_insns) {
                why = DBT_EXIT_MAX_INSNS;
                break;
            }
            if (slice > m->cfg.max_insns - done)
                slice = m->cfg.max_insns - done;
        }
        why = dbt_run(m->dbt, slice);
        if (why == DBT_EXIT_MAX_INSNS || why == DBT_EXIT_YIELD)
            continue; /* a slice ended, or a timer changed: update, go on */
        if (why == DBT_EXIT_WFI) {
            if (machine_wait(m))
                continue;
            why = DBT_EXIT_REQUEST;
        }
        if (why == DBT_EXIT_HALTED && m->psci.power == PSCI_ACTION_SYSTEM_RESET &&
            !m->cfg.no_reboot) {
            char err[256];
            if (machine_reset(m, err, sizeof err) == 0)
                continue;
            fprintf(stderr, "armvm: the machine cannot be reset: %s\n", err);
            cpu->exit_status = 1;
        }
        break;
    }
    m->run_seconds += now_seconds() - t0;
    fflush(m->cfg.console_out);
    switch (why) {
    case DBT_EXIT_HALTED:
        return cpu->exit_status;
    case DBT_EXIT_MAX_INSNS:
        fprintf(stderr, "armvm: stopped after %llu guest instructions (--max-insns)\n",
                (unsigned long long)cpu->icount);
        return 0;
    case DBT_EXIT_REQUEST:
    default:
        fprintf(stderr, "armvm: stopped on request after %llu guest instructions\n",
                (unsigned long long)cpu->icount);
        return 1;
    }
}

void machine_print_stats(Machine *m, FILE *out)
{
    const ArmCpu *cpu = &m->cpu;
    const DbtStats *st = dbt_stats(m->dbt);
    double mips = m->run_seconds > 0 ? (double)cpu->icount / m->run_seconds / 1e6 : 0.0;
    uint64_t exc_total = 0;
    for (int i = 1; i < ARM_EXC_COUNT; i++)
        exc_total += cpu->exceptions[i];

    fprintf(out, "armvm statistics (engine %s)\n", dbt_engine_name(m->cfg.engine));
    fprintf(out, "  guest instructions   %llu\n", (unsigned long long)cpu->icount);
    fprintf(out, "    in user mode       %llu\n", (unsigned long long)st->insns_user);
    fprintf(out, "    in privileged modes %llu\n",
            (unsigned long long)(cpu->icount - st->insns_user));
    fprintf(out, "  user/kernel switches %llu to user mode, %llu to privileged modes\n",
            (unsigned long long)st->user_entries, (unsigned long long)st->user_exits);
    fprintf(out, "  blocks translated    %llu\n", (unsigned long long)st->blocks_translated);
    if (m->cfg.engine == DBT_ENGINE_INTERP) {
        fprintf(out, "  blocks executed      %llu\n", (unsigned long long)st->blocks_executed);
    } else {
        fprintf(out, "  blocks chained       %llu\n", (unsigned long long)st->chains);
        fprintf(out, "  blocks interpreted   %llu (the backend could not compile them)\n",
                (unsigned long long)st->jit_fallbacks);
        fprintf(out, "  rerun by interpreter %llu (stores to code, device accesses)\n",
                (unsigned long long)st->retries);
        fprintf(out, "  chains undone        %llu all, %llu by address (the guest changed "
                     "address translation)\n",
                (unsigned long long)st->unchain_all, (unsigned long long)st->unchain_range);
    }
    if (m->cfg.engine == DBT_ENGINE_NATIVE) {
        fprintf(out, "  sandbox faults       %llu shadow (page mapped), %llu logical (guest "
                     "abort), %llu device, %llu code write\n",
                (unsigned long long)st->native_shadow_faults,
                (unsigned long long)st->native_logical_faults,
                (unsigned long long)st->native_device_accesses,
                (unsigned long long)st->native_code_writes);
        fprintf(out, "  sandbox pages        %llu mapped, %llu unmapped, %llu made read-only "
                     "(code)\n",
                (unsigned long long)st->sandbox_maps, (unsigned long long)st->sandbox_unmaps,
                (unsigned long long)st->sandbox_protects);
        fprintf(out, "  sandboxes            %llu flushes, %llu recycled\n",
                (unsigned long long)st->sandbox_flushes,
                (unsigned long long)st->sandbox_recycles);
    }
    fprintf(out, "  blocks invalidated   %llu\n", (unsigned long long)st->blocks_invalidated);
    fprintf(out, "  cache flushes        %llu\n", (unsigned long long)st->block_flushes);
    fprintf(out, "  IR ops translated    %llu\n", (unsigned long long)st->ir_insns_translated);
    fprintf(out, "  exceptions taken     %llu\n", (unsigned long long)exc_total);
    for (int i = 1; i < ARM_EXC_COUNT; i++)
        if (cpu->exceptions[i])
            fprintf(out, "    %-18s %llu\n", arm_exception_name((ArmException)i),
                    (unsigned long long)cpu->exceptions[i]);
    fprintf(out, "  TLB misses           %llu (soft-TLB fills), %llu flushes\n",
            (unsigned long long)cpu->tlb_fills, (unsigned long long)cpu->tlb_flushes);
    fprintf(out, "  interrupts taken     %llu IRQ, %llu FIQ\n",
            (unsigned long long)cpu->exceptions[ARM_EXC_IRQ],
            (unsigned long long)cpu->exceptions[ARM_EXC_FIQ]);
    fprintf(out, "  WFI waits            %llu\n", (unsigned long long)m->wfi_waits);
    if (m->resets)
        fprintf(out, "  machine resets       %llu\n", (unsigned long long)m->resets);
    fprintf(out, "  bus errors           %llu\n", (unsigned long long)m->mem.bus_errors);
    fprintf(out, "  host wall time       %.3f s\n", m->run_seconds);
    fprintf(out, "  guest MIPS           %.2f\n", mips);
    fflush(out);
}

ArmCpu *machine_cpu(Machine *m) { return &m->cpu; }
PhysMem *machine_mem(Machine *m) { return &m->mem; }
Dbt *machine_dbt(Machine *m) { return m->dbt; }
