/*
 * The `virt` board's device tree, as QEMU 7.2 builds it (hw/arm/virt.c create_fdt,
 * fdt_add_timer_nodes, fdt_add_cpu_nodes, fdt_add_gic_node, fdt_add_pmu_nodes,
 * create_uart, create_rtc, fdt_add_psci_node) and patches it for a Linux boot
 * (hw/arm/boot.c arm_load_dtb). Checked against `qemu-system-arm -M virt,dumpdtb=F
 * -cpu cortex-a15`: the same nodes, properties, values and phandles (0x8000 clock,
 * 0x8001 CPU, 0x8002 GIC), minus the devices armvm does not model. Bindings: the
 * Devicetree Specification v0.4 (root, /chosen, /memory, /cpus) and the kernel's
 * Documentation/devicetree/bindings (arm/gic.yaml, timer/arm,arch_timer.yaml,
 * arm/psci.yaml, serial/pl011.yaml, rtc/arm,pl031.yaml, clock/fixed-clock.yaml).
 *
 * The tree is built with libfdt's read-write functions, which insert a new node before
 * its parent's other children: creating the nodes in QEMU's order gives QEMU's layout.
 */
#include "devices/fdt_virt.h"

#include <libfdt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/psci.h"

/* Interrupt specifier cells of the GIC binding (arm,gic.yaml): type, number, flags. */
#define GIC_FDT_IRQ_TYPE_SPI 0u
#define GIC_FDT_IRQ_TYPE_PPI 1u
#define GIC_FDT_IRQ_FLAGS_LEVEL_HI 4u
#define GIC_FDT_IRQ_PPI_CPU_SHIFT 8 /* PPI flags [15:8]: the CPUs it goes to */
/* Generic timer PPIs (QEMU's ARCH_TIMER_*_IRQ, as PPI numbers = interrupt ID - 16). */
#define TIMER_PPI_SECURE 13u
#define TIMER_PPI_NONSECURE 14u
#define TIMER_PPI_VIRT 11u
#define TIMER_PPI_HYP 10u
/* QEMU's phandles: qemu_fdt_alloc_phandle starts at 0x8000. */
#define PHANDLE_CLOCK 0x8000u
#define PHANDLE_CPU0 0x8001u
#define PHANDLE_GIC 0x8002u

/* Room for the generated nodes (about 2 KiB) with plenty to spare; the command line
 * comes on top. */
#define FDT_BUILD_ROOM 16384u
/* Added to a user DTB for the memory node, /chosen and its properties. */
#define FDT_PATCH_ROOM 4096u
/* The largest DTB accepted (libfdt sizes are ints). */
#define FDT_MAX_SIZE (64u << 20)

void fdt_virt_config_defaults(FdtVirtConfig *cfg, uint64_t ram_base, uint64_t ram_size)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->boot.ram_base = ram_base;
    cfg->boot.ram_size = ram_size;
    cfg->devices = FDT_VIRT_ALL;
    cfg->gic_dist_base = FDT_VIRT_GIC_DIST_BASE;
    cfg->gic_dist_size = FDT_VIRT_GIC_REGION_SIZE;
    cfg->gic_cpu_base = FDT_VIRT_GIC_CPU_BASE;
    cfg->gic_cpu_size = FDT_VIRT_GIC_REGION_SIZE;
    cfg->uart_base = FDT_VIRT_UART_BASE;
    cfg->uart_size = FDT_VIRT_DEVICE_SIZE;
    cfg->uart_spi = FDT_VIRT_UART_SPI;
    cfg->rtc_base = FDT_VIRT_RTC_BASE;
    cfg->rtc_size = FDT_VIRT_DEVICE_SIZE;
    cfg->rtc_spi = FDT_VIRT_RTC_SPI;
    cfg->apb_clock_hz = FDT_VIRT_APB_CLOCK_HZ;
    cfg->cpu_compatible = "arm,cortex-a15";
}

/* ---- a small error-collecting layer over libfdt ----------------------------------- */

/* The first libfdt error wins; later calls do nothing. */
typedef struct FdtW {
    void *fdt;
    int rc;
    const char *what; /* the node or property that failed */
} FdtW;

static void w_check(FdtW *w, int rc, const char *what)
{
    if (rc < 0 && w->rc == 0) {
        w->rc = rc;
        w->what = what;
    }
}

static int w_node(FdtW *w, int parent, const char *name)
{
    if (w->rc)
        return -1;
    int off = fdt_add_subnode(w->fdt, parent, name);
    w_check(w, off, name);
    return off;
}

static void w_prop(FdtW *w, int node, const char *name, const void *val, size_t len)
{
    if (!w->rc)
        w_check(w, fdt_setprop(w->fdt, node, name, val, (int)len), name);
}

static void w_u32(FdtW *w, int node, const char *name, uint32_t val)
{
    if (!w->rc)
        w_check(w, fdt_setprop_u32(w->fdt, node, name, val), name);
}

static void w_str(FdtW *w, int node, const char *name, const char *val)
{
    if (!w->rc)
        w_check(w, fdt_setprop_string(w->fdt, node, name, val), name);
}

/* A string list: the strings with their NULs, as a C literal with embedded "\0" gives
 * them (sizeof includes the final NUL). */
#define w_strlist(w, node, name, lit) w_prop(w, node, name, lit, sizeof(lit))

static void w_cells(FdtW *w, int node, const char *name, const uint32_t *cells, size_t n)
{
    fdt32_t be[16];
    for (size_t i = 0; i < n && i < 16; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    w_prop(w, node, name, be, (n < 16 ? n : 16) * sizeof(fdt32_t));
}

/* reg = <base size> with two address and two size cells (the root's). */
static void w_reg2(FdtW *w, int node, uint64_t base, uint64_t size)
{
    const uint32_t c[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                            (uint32_t)size };
    w_cells(w, node, "reg", c, 4);
}

/* ---- the board's nodes -------------------------------------------------------------- */

/* /timer (fdt_add_timer_nodes): "arm,armv7-timer" for a CPU without ARMv8, the secure,
 * non-secure, virtual and hypervisor PPIs, level-high, routed to every CPU (one). */
static void add_timer(FdtW *w)
{
    const uint32_t flags = GIC_FDT_IRQ_FLAGS_LEVEL_HI | (1u << GIC_FDT_IRQ_PPI_CPU_SHIFT);
    const uint32_t irqs[12] = {
        GIC_FDT_IRQ_TYPE_PPI, TIMER_PPI_SECURE, flags,
        GIC_FDT_IRQ_TYPE_PPI, TIMER_PPI_NONSECURE, flags,
        GIC_FDT_IRQ_TYPE_PPI, TIMER_PPI_VIRT, flags,
        GIC_FDT_IRQ_TYPE_PPI, TIMER_PPI_HYP, flags,
    };
    int n = w_node(w, 0, "timer");
    w_strlist(w, n, "compatible", "arm,armv7-timer");
    w_prop(w, n, "always-on", NULL, 0);
    w_cells(w, n, "interrupts", irqs, 12);
}

/* /cpus (fdt_add_cpu_nodes): one CPU, MPIDR affinity 0. With a single CPU QEMU gives no
 * enable-method; it does give the cpu-map topology (socket0/cluster0/core0). */
static void add_cpus(FdtW *w, const FdtVirtConfig *cfg)
{
    int cpus = w_node(w, 0, "cpus");
    w_u32(w, cpus, "#address-cells", 1);
    w_u32(w, cpus, "#size-cells", 0);
    int cpu = w_node(w, cpus, "cpu@0");
    w_str(w, cpu, "device_type", "cpu");
    w_str(w, cpu, "compatible", cfg->cpu_compatible ? cfg->cpu_compatible : "arm,cortex-a15");
    w_u32(w, cpu, "reg", 0);
    w_u32(w, cpu, "phandle", PHANDLE_CPU0);
    int map = w_node(w, cpus, "cpu-map");
    int socket = w_node(w, map, "socket0");
    int cluster = w_node(w, socket, "cluster0");
    int core = w_node(w, cluster, "core0");
    w_u32(w, core, "cpu", PHANDLE_CPU0);
}

/* /intc@<dist> (fdt_add_gic_node): GICv2 ("arm,cortex-a15-gic"), distributor and CPU
 * interface, three interrupt cells; QEMU always adds the cells and ranges its GICv2m
 * child would need. The root's interrupt-parent points here. */
static void add_gic(FdtW *w, const FdtVirtConfig *cfg)
{
    char name[40];
    snprintf(name, sizeof name, "intc@%llx", (unsigned long long)cfg->gic_dist_base);
    int n = w_node(w, 0, name);
    w_u32(w, n, "#interrupt-cells", 3);
    w_prop(w, n, "interrupt-controller", NULL, 0);
    w_u32(w, n, "#address-cells", 2);
    w_u32(w, n, "#size-cells", 2);
    w_prop(w, n, "ranges", NULL, 0);
    w_strlist(w, n, "compatible", "arm,cortex-a15-gic");
    const uint64_t r[4] = { cfg->gic_dist_base, cfg->gic_dist_size, cfg->gic_cpu_base,
                            cfg->gic_cpu_size };
    uint32_t c[8];
    for (int i = 0; i < 4; i++) {
        c[2 * i] = (uint32_t)(r[i] >> 32);
        c[2 * i + 1] = (uint32_t)r[i];
    }
    w_cells(w, n, "reg", c, 8);
    w_u32(w, n, "phandle", PHANDLE_GIC);
    w_u32(w, 0, "interrupt-parent", PHANDLE_GIC);
}

/* A PrimeCell with one level-high SPI (create_uart, create_rtc); compat is a string
 * list of compat_len bytes. */
static int add_primecell(FdtW *w, const char *kind, const char *compat, size_t compat_len,
                         uint64_t base, uint64_t size, uint32_t spi)
{
    char name[40];
    snprintf(name, sizeof name, "%s@%llx", kind, (unsigned long long)base);
    int n = w_node(w, 0, name);
    w_prop(w, n, "compatible", compat, compat_len);
    w_reg2(w, n, base, size);
    const uint32_t irq[3] = { GIC_FDT_IRQ_TYPE_SPI, spi, GIC_FDT_IRQ_FLAGS_LEVEL_HI };
    w_cells(w, n, "interrupts", irq, 3);
    return n;
}

/* /pl011@<base> and /chosen stdout-path. The PL011 binding wants two clocks (UARTCLK
 * and the bus clock); both are the fixed 24 MHz apb-pclk. */
static void add_uart(FdtW *w, const FdtVirtConfig *cfg)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    int n = add_primecell(w, "pl011", compat, sizeof compat, cfg->uart_base, cfg->uart_size,
                          cfg->uart_spi);
    const uint32_t clocks[2] = { PHANDLE_CLOCK, PHANDLE_CLOCK };
    w_cells(w, n, "clocks", clocks, 2);
    w_strlist(w, n, "clock-names", "uartclk\0apb_pclk");
    char path[48];
    snprintf(path, sizeof path, "/pl011@%llx", (unsigned long long)cfg->uart_base);
    /* Adding nodes moved /chosen: find it again. */
    int chosen = w->rc ? -1 : fdt_path_offset(w->fdt, "/chosen");
    w_check(w, chosen, "chosen");
    w_str(w, chosen, "stdout-path", path);
}

static void add_rtc(FdtW *w, const FdtVirtConfig *cfg)
{
    static const char compat[] = "arm,pl031\0arm,primecell";
    int n = add_primecell(w, "pl031", compat, sizeof compat, cfg->rtc_base, cfg->rtc_size,
                          cfg->rtc_spi);
    w_u32(w, n, "clocks", PHANDLE_CLOCK);
    w_strlist(w, n, "clock-names", "apb_pclk");
}

/* /psci (fdt_add_psci_node) for a PSCI 1.x firmware reached with HVC: the compatible
 * list of every version it implements, and the old (0.1) binding's function-ID
 * properties filled with the 0.2 SMC32 IDs, as QEMU does. */
static void add_psci(FdtW *w)
{
    int n = w_node(w, 0, "psci");
    w_strlist(w, n, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
    w_str(w, n, "method", "hvc");
    w_u32(w, n, "cpu_suspend", PSCI_0_2_FN_CPU_SUSPEND);
    w_u32(w, n, "cpu_off", PSCI_0_2_FN_CPU_OFF);
    w_u32(w, n, "cpu_on", PSCI_0_2_FN_CPU_ON);
    w_u32(w, n, "migrate", PSCI_0_2_FN_MIGRATE);
}

static bool config_ok(const FdtVirtConfig *cfg, char *err, size_t errlen)
{
    const unsigned need_gic = FDT_VIRT_TIMER | FDT_VIRT_UART | FDT_VIRT_RTC;
    if (cfg->devices & ~FDT_VIRT_ALL) {
        snprintf(err, errlen, "device tree: unknown device bits 0x%x",
                 cfg->devices & ~FDT_VIRT_ALL);
        return false;
    }
    if ((cfg->devices & need_gic) && !(cfg->devices & FDT_VIRT_GIC)) {
        snprintf(err, errlen, "device tree: the timer, UART and RTC need the GIC node");
        return false;
    }
    if (cfg->boot.ram_size == 0) {
        snprintf(err, errlen, "device tree: no RAM");
        return false;
    }
    return true;
}

void *fdt_virt_build(const FdtVirtConfig *cfg, size_t *size, char *err, size_t errlen)
{
    if (!config_ok(cfg, err, errlen))
        return NULL;
    size_t args = cfg->boot.bootargs ? strlen(cfg->boot.bootargs) : 0;
    if (args > FDT_MAX_SIZE) {
        snprintf(err, errlen, "device tree: kernel command line of %zu bytes is too long", args);
        return NULL;
    }
    size_t cap = FDT_BUILD_ROOM + args;
    void *fdt = malloc(cap);
    if (!fdt) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    FdtW w = { .fdt = fdt };
    w_check(&w, fdt_create_empty_tree(fdt, (int)cap), "/");

    /* create_fdt: the root, /chosen (with its seeds), the PrimeCells' clock. */
    w_strlist(&w, 0, "compatible", "linux,dummy-virt");
    w_u32(&w, 0, "#address-cells", 2);
    w_u32(&w, 0, "#size-cells", 2);
    w_str(&w, 0, "model", "linux,dummy-virt");
    int chosen = w_node(&w, 0, "chosen");
    if (cfg->has_seed) { /* create_randomness */
        if (!w.rc)
            w_check(&w, fdt_setprop_u64(fdt, chosen, "kaslr-seed", cfg->kaslr_seed), "kaslr-seed");
        w_prop(&w, chosen, "rng-seed", cfg->rng_seed, sizeof cfg->rng_seed);
    }
    int clk = w_node(&w, 0, "apb-pclk");
    w_strlist(&w, clk, "compatible", "fixed-clock");
    w_u32(&w, clk, "#clock-cells", 0);
    w_u32(&w, clk, "clock-frequency", cfg->apb_clock_hz);
    w_strlist(&w, clk, "clock-output-names", "clk24mhz");
    w_u32(&w, clk, "phandle", PHANDLE_CLOCK);

    /* machvirt_init's order: timer, CPUs, GIC, PMU, UART, RTC; PSCI last. */
    if (cfg->devices & FDT_VIRT_TIMER)
        add_timer(&w);
    add_cpus(&w, cfg);
    if (cfg->devices & FDT_VIRT_GIC)
        add_gic(&w, cfg);
    /* QEMU's /pmu for an ARMv7 CPU: an empty node (the ARMv8 PMU binding only). */
    w_node(&w, 0, "pmu");
    if (cfg->devices & FDT_VIRT_UART)
        add_uart(&w, cfg);
    if (cfg->devices & FDT_VIRT_RTC)
        add_rtc(&w, cfg);
    if (cfg->devices & FDT_VIRT_PSCI)
        add_psci(&w);

    if (w.rc) {
        snprintf(err, errlen, "device tree: cannot add %s: %s", w.what, fdt_strerror(w.rc));
        free(fdt);
        return NULL;
    }
    /* arm_load_dtb: /memory and /chosen. */
    void *out = fdt_boot_patch(fdt, fdt_totalsize(fdt), &cfg->boot, size, err, errlen);
    free(fdt);
    return out;
}

/* ---- arm_load_dtb ------------------------------------------------------------------- */

/* The root's #address-cells or #size-cells: required, 1 or 2 (QEMU writes the memory
 * and initrd values with qemu_fdt_setprop_sized_cells, which knows no other sizes). */
static int root_cells(const void *fdt, const char *name, char *err, size_t errlen)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, 0, name, &len);
    if (!p || len != 4) {
        snprintf(err, errlen, "device tree: the root node has no valid %s property", name);
        return -1;
    }
    uint32_t v = fdt32_to_cpu(*p);
    if (v != 1 && v != 2) {
        snprintf(err, errlen, "device tree: root %s = %u (armvm supports 1 or 2)", name, v);
        return -1;
    }
    return (int)v;
}

/* Append a value in `cells` cells (1 or 2) to c; false if it does not fit. */
static bool put_cells(uint32_t *c, int *n, int cells, uint64_t v)
{
    if (cells == 1) {
        if (v > UINT32_MAX)
            return false;
        c[(*n)++] = (uint32_t)v;
    } else {
        c[(*n)++] = (uint32_t)(v >> 32);
        c[(*n)++] = (uint32_t)v;
    }
    return true;
}

/* A root node named "memory" or "memory@<unit>" (what QEMU removes). */
static bool is_memory_node(const void *fdt, int node)
{
    int len = 0;
    const char *name = fdt_get_name(fdt, node, &len);
    return name && len >= 6 && strncmp(name, "memory", 6) == 0 && (len == 6 || name[6] == '@');
}

/* Turn the root's memory nodes into NOPs, one at a time from the start (a NOP'd node
 * drops out of the walk), at most as many as there are root children. */
static int nop_memory_nodes(void *fdt)
{
    for (int guard = 0; guard < 100000; guard++) {
        int node, found = -1;
        fdt_for_each_subnode(node, fdt, 0) {
            if (is_memory_node(fdt, node)) {
                found = node;
                break;
            }
        }
        if (found < 0)
            return node == -FDT_ERR_NOTFOUND ? 0 : node;
        int rc = fdt_nop_node(fdt, found);
        if (rc < 0)
            return rc;
    }
    return -FDT_ERR_BADSTRUCTURE;
}

void *fdt_boot_patch(const void *blob, size_t blob_size, const FdtBootInfo *boot,
                     size_t *size, char *err, size_t errlen)
{
    if (blob_size < sizeof(struct fdt_header) || fdt_check_header(blob) != 0) {
        snprintf(err, errlen, "device tree: not a valid device tree blob (bad header)");
        return NULL;
    }
    size_t total = fdt_totalsize(blob);
    if (total > blob_size || total > FDT_MAX_SIZE) {
        snprintf(err, errlen, "device tree: header says %zu bytes, %s", total,
                 total > blob_size ? "more than the blob holds" : "too large");
        return NULL;
    }
    int rc = fdt_check_full(blob, total);
    if (rc != 0) {
        snprintf(err, errlen, "device tree: not a valid device tree blob (%s)", fdt_strerror(rc));
        return NULL;
    }
    int acells = root_cells(blob, "#address-cells", err, errlen);
    int scells = acells < 0 ? -1 : root_cells(blob, "#size-cells", err, errlen);
    if (acells < 0 || scells < 0)
        return NULL;
    const uint64_t ram_end = boot->ram_base + boot->ram_size;
    const bool initrd = boot->initrd_end > boot->initrd_start;
    uint32_t mem_reg[4];
    int n_mem = 0;
    if (!put_cells(mem_reg, &n_mem, acells, boot->ram_base) ||
        !put_cells(mem_reg, &n_mem, scells, boot->ram_size)) {
        snprintf(err, errlen,
                 "device tree: RAM 0x%llx-0x%llx does not fit in #address-cells = %d, "
                 "#size-cells = %d",
                 (unsigned long long)boot->ram_base, (unsigned long long)(ram_end - 1), acells,
                 scells);
        return NULL;
    }
    /* QEMU 7.2 writes the initrd range as single cells (qemu_fdt_setprop_cell), whatever
     * #address-cells says; Linux reads either size. */
    if (initrd && boot->initrd_end > UINT32_MAX) {
        snprintf(err, errlen, "device tree: initrd 0x%llx-0x%llx is not below 4 GiB",
                 (unsigned long long)boot->initrd_start, (unsigned long long)boot->initrd_end);
        return NULL;
    }

    const char *args = boot->bootargs && *boot->bootargs ? boot->bootargs : NULL;
    size_t cap = total + FDT_PATCH_ROOM + (args ? strlen(args) + 1 : 0);
    if (cap > INT_MAX) {
        snprintf(err, errlen, "device tree: too large");
        return NULL;
    }
    void *fdt = malloc(cap);
    if (!fdt) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    FdtW w = { .fdt = fdt };
    w_check(&w, fdt_open_into(blob, fdt, (int)cap), "/");
    if (!w.rc)
        w_check(&w, nop_memory_nodes(fdt), "memory");
    char name[40];
    snprintf(name, sizeof name, "memory@%llx", (unsigned long long)boot->ram_base);
    int mem = w_node(&w, 0, name);
    w_str(&w, mem, "device_type", "memory");
    w_cells(&w, mem, "reg", mem_reg, (size_t)n_mem);
    int chosen = w.rc ? -1 : fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        chosen = w_node(&w, 0, "chosen");
    if (args)
        w_str(&w, chosen, "bootargs", args);
    if (initrd) {
        w_u32(&w, chosen, "linux,initrd-start", (uint32_t)boot->initrd_start);
        w_u32(&w, chosen, "linux,initrd-end", (uint32_t)boot->initrd_end);
    }
    if (!w.rc)
        w_check(&w, fdt_pack(fdt), "/");
    if (w.rc) {
        snprintf(err, errlen, "device tree: cannot set %s: %s", w.what, fdt_strerror(w.rc));
        free(fdt);
        return NULL;
    }
    *size = fdt_totalsize(fdt);
    void *shrunk = realloc(fdt, *size);
    return shrunk ? shrunk : fdt;
}
