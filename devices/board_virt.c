/*
 * The `virt` board: QEMU's hw/arm/virt.c memory map (GICv2 at 0x08000000/0x08010000,
 * PL011 at 0x09000000 on SPI 1, PL031 at 0x09010000 on SPI 2, RAM at 0x40000000, the
 * generic timer on PPIs 30 and 27, PSCI over HVC) and its boot conventions
 * (hw/arm/boot.c, QEMU 7.2):
 *
 *  - ELF -kernel: segments at their physical addresses; the CPU starts at the entry
 *    point in its reset state (SVC mode, IRQ/FIQ masked, MMU off), Thumb if bit 0 is set.
 *    The device tree (generated, or -dtb patched) goes to the base of RAM if it fits
 *    below the lowest segment, as QEMU does for non-Linux images; otherwise it is not
 *    loaded (QEMU skips it silently; armvm says so for a -dtb).
 *  - Any other -kernel is a Linux zImage or Image (loader_linux.c): placed with its
 *    -initrd and the device tree as QEMU places them, and the CPU starts with r0 = 0,
 *    r1 = 0xffffffff, r2 = the DTB. (QEMU runs a small boot stub at the base of RAM that
 *    sets the same registers; armvm sets them directly, so the guest instruction count
 *    differs from QEMU's by the stub's few instructions.)
 *  - -device loader,file=F,addr=A: F copied to A; with cpu-num=0 the CPU starts at A
 *    (bit 0 selects Thumb, as QEMU's cpu_set_pc). Loaders are applied after -kernel and
 *    a loader's start address wins over the kernel's entry point.
 */
#include "devices/machine_internal.h"

#include "devices/fdt_virt.h"
#include "devices/loader_linux.h"

#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void gic_to_cpu(void *opaque, bool irq, bool fiq) { arm_cpu_set_irq(opaque, irq, fiq); }
static void timer_to_gic(void *opaque, unsigned intid, bool level) { gic_set_irq(opaque, intid, level); }
static void uart_to_gic(void *opaque, bool level) { gic_set_irq(((Machine *)opaque)->gic, VIRT_UART_INTID, level); }
static void rtc_to_gic(void *opaque, bool level) { gic_set_irq(((Machine *)opaque)->gic, VIRT_RTC_INTID, level); }

/* The RTC counts seconds of UNIX time; with -icount it starts at the host time of
 * machine creation and advances with virtual time (repeatable only in its rate). */
static uint64_t rtc_clock(void *opaque)
{
    Machine *m = opaque;
    return (uint64_t)m->rtc_epoch + machine_time_ns(m) / 1000000000u;
}

int virt_board_init(Machine *m, char *err, size_t errlen)
{
    if (physmem_init(&m->mem, VIRT_RAM_BASE, m->cfg.ram_size, err, errlen) != 0)
        return -1;
    m->mem_ready = true;
    machine_time_init(m);
    m->rtc_epoch = time(NULL);
    m->uart = pl011_create(m->cfg.console_out, m->cfg.console_in);
    m->gic = gic_create();
    m->timer = gtimer_create(GTIMER_QEMU_FREQ_HZ);
    m->rtc = pl031_create(rtc_clock, m);
    if (!m->uart || !m->gic || !m->timer || !m->rtc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (gic_map(m->gic, &m->mem, VIRT_GIC_DIST_BASE, VIRT_GIC_CPU_BASE) != 0 ||
        pl011_map(m->uart, &m->mem, VIRT_UART_BASE) != 0 ||
        pl031_map(m->rtc, &m->mem, VIRT_RTC_BASE) != 0) {
        snprintf(err, errlen, "cannot map the virt board's devices");
        return -1;
    }
    psci_init(&m->psci);
    return 0;
}

/* Connect the devices to each other and to the (reset) CPU. */
static void connect_cpu(Machine *m)
{
    ArmCpu *cpu = &m->cpu;
    gic_set_output(m->gic, gic_to_cpu, cpu);
    gtimer_set_output(m->timer, timer_to_gic, m->gic);
    pl011_set_irq(m->uart, uart_to_gic, m);
    pl031_set_irq(m->rtc, rtc_to_gic, m);
    cpu->env.hvc_fn = psci_handler;
    cpu->env.hvc_opaque = &m->psci;
    cpu->env.gtimer_fn = machine_gtimer_access;
    cpu->env.gtimer_opaque = m;
    pl011_set_input_filter(m->uart, console_filter, &m->console);
}

/* Read and check a device tree blob (at most max bytes). Returns a malloc'd buffer. */
static uint8_t *read_dtb(const char *path, uint64_t max, size_t *size, char *err, size_t errlen)
{
    size_t n = 0;
    uint8_t *buf = linux_read_file(path, max, &n, err, errlen);
    if (!buf)
        return NULL;
    int rc = n >= sizeof(struct fdt_header) ? fdt_check_header(buf) : -FDT_ERR_TRUNCATED;
    if (rc == 0 && fdt_totalsize(buf) > n)
        rc = -FDT_ERR_TRUNCATED;
    if (rc != 0) {
        snprintf(err, errlen, "%s: not a valid device tree blob (%s)", path, fdt_strerror(rc));
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

static int place_blob(Machine *m, const char *what, const char *path, const uint8_t *data,
                      size_t size, uint64_t addr, char *err, size_t errlen)
{
    PhysMem *mem = &m->mem;
    uint64_t end = mem->ram_base + mem->ram_size;
    if (addr < mem->ram_base || addr > end || size > end - addr ||
        physmem_copy_to_guest(mem, addr, data, size) != 0) {
        snprintf(err, errlen, "%s %s: %zu bytes at 0x%08llx do not fit in guest RAM (0x%08llx-0x%08llx)",
                 what, path, size, (unsigned long long)addr, (unsigned long long)mem->ram_base,
                 (unsigned long long)(end - 1));
        return -1;
    }
    load_map_add(&m->images, addr, addr + size);
    return 0;
}

/* Start the CPU at addr (bit 0: Thumb), as QEMU's arm_cpu_set_pc. */
static void set_start(ArmCpu *cpu, uint32_t addr)
{
    cpu->r[15] = addr & ~1u;
    if (addr & 1)
        cpu->cpsr |= CPSR_T;
    else
        cpu->cpsr &= ~CPSR_T;
}

/* The device tree for a non-Linux image: the -dtb file patched like QEMU's
 * arm_load_dtb (/memory, /chosen bootargs), or the generated one. At the base of RAM if
 * it fits below the image (QEMU's rule for ELF kernels); with loaders only, always. */
static int place_plain_dtb(Machine *m, FdtVirtConfig *board, uint64_t image_low, char *err,
                           size_t errlen)
{
    const MachineConfig *c = &m->cfg;
    PhysMem *mem = &m->mem;
    size_t size = 0;
    uint8_t *dtb;
    char why[200];
    if (c->dtb) {
        size_t fsize = 0;
        uint8_t *file = read_dtb(c->dtb, mem->ram_size, &fsize, err, errlen);
        if (!file)
            return -1;
        dtb = fdt_boot_patch(file, fsize, &board->boot, &size, why, sizeof why);
        free(file);
        if (!dtb) {
            snprintf(err, errlen, "-dtb %s: %s", c->dtb, why);
            return -1;
        }
    } else {
        dtb = fdt_virt_build(board, &size, why, sizeof why);
        if (!dtb) {
            snprintf(err, errlen, "cannot build the device tree: %s", why);
            return -1;
        }
    }
    int rc = 0;
    if (!c->kernel || (image_low > mem->ram_base && size <= image_low - mem->ram_base))
        rc = place_blob(m, "device tree", c->dtb ? c->dtb : "(generated)", dtb, size,
                        mem->ram_base, err, errlen);
    else if (c->dtb)
        fprintf(stderr,
                "armvm: note: -dtb: no room for the %zu-byte device tree between the base of "
                "RAM (0x%08llx) and the image (0x%08llx); not loaded\n",
                size, (unsigned long long)mem->ram_base, (unsigned long long)image_low);
    free(dtb);
    return rc;
}

int virt_board_load(Machine *m, char *err, size_t errlen)
{
    const MachineConfig *c = &m->cfg;
    PhysMem *mem = &m->mem;
    ArmCpu *cpu = &m->cpu;

    if (!c->kernel && c->n_raw == 0) {
        snprintf(err, errlen, "no guest image (use -kernel FILE or -device loader,...)");
        return -1;
    }
    if (c->n_raw < 0 || c->n_raw > MACHINE_MAX_LOADERS) {
        snprintf(err, errlen, "too many -device loader options (at most %d)", MACHINE_MAX_LOADERS);
        return -1;
    }
    connect_cpu(m);

    FdtVirtConfig board;
    fdt_virt_config_defaults(&board, mem->ram_base, mem->ram_size);
    board.boot.bootargs = c->append;

    bool have_entry = false, linux_kernel = false;
    uint32_t entry = 0;
    uint64_t image_low = UINT64_MAX;
    LinuxBoot lb;

    if (c->kernel) {
        int is_elf = file_is_elf(c->kernel);
        if (is_elf < 0) {
            snprintf(err, errlen, "cannot read %s: %s", c->kernel, strerror(errno));
            return -1;
        }
        if (is_elf) {
            if (load_elf(mem, c->kernel, &entry, &m->images, err, errlen) != 0)
                return -1;
            for (int i = 0; i < m->images.n; i++)
                if (m->images.start[i] < image_low)
                    image_low = m->images.start[i];
        } else {
            LinuxBootConfig lc = { c->kernel, c->initrd, c->dtb, c->append, &board };
            if (linux_boot_setup(mem, &lc, &m->images, &lb, err, errlen) != 0)
                return -1;
            if (lb.warning[0])
                fprintf(stderr, "armvm: warning: %s\n", lb.warning);
            linux_kernel = true;
        }
        have_entry = true;
    }
    if (c->initrd && !linux_kernel)
        fprintf(stderr, "armvm: note: -initrd is only used with a Linux (non-ELF) -kernel; ignored\n");
    if (!linux_kernel && place_plain_dtb(m, &board, image_low, err, errlen) != 0)
        return -1;

    bool loader_pc = false;
    for (int i = 0; i < c->n_raw; i++) {
        const RawLoad *l = &c->raw[i];
        if (!l->file) {
            snprintf(err, errlen, "-device loader: no file= given");
            return -1;
        }
        if (load_raw(mem, l->file, l->addr, &m->images, err, errlen) < 0)
            return -1;
        if (l->set_pc) {
            entry = (uint32_t)l->addr;
            have_entry = loader_pc = true;
        }
    }
    if (!have_entry) {
        snprintf(err, errlen,
                 "no start address: use -kernel FILE, or add cpu-num=0 to a -device loader");
        return -1;
    }

    if (linux_kernel)
        linux_boot_cpu(&lb, cpu);
    if (!linux_kernel || loader_pc)
        set_start(cpu, entry); /* a loader's start address wins, as in QEMU */
    return 0;
}
