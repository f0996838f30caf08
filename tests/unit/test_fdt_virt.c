/*
 * The virt board's device tree (devices/fdt_virt.c): the generated DTB parsed back with
 * libfdt, node by node and value by value against what qemu-system-arm 7.2 gives for
 * `-M virt -cpu cortex-a15` (dumpdtb), the device selection, the seeds, and
 * fdt_boot_patch on user DTBs: memory nodes replaced, /chosen created or updated, cell
 * sizes, and broken blobs (which must fail cleanly, never crash).
 */
#include <check.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "devices/fdt_virt.h"
#include "devices/psci.h"

#define RAM 0x40000000ull
#define RAM_SIZE (256ull << 20)

static char err[512];

static void *build(const FdtVirtConfig *c, size_t *size)
{
    err[0] = 0;
    void *fdt = fdt_virt_build(c, size, err, sizeof err);
    ck_assert_msg(fdt != NULL, "%s", err);
    ck_assert_int_eq(fdt_check_full(fdt, *size), 0);
    ck_assert_uint_eq(fdt_totalsize(fdt), *size);
    return fdt;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);
    ck_assert_msg(off >= 0, "no node %s", path);
    return off;
}

static void no_node(const void *fdt, const char *path)
{
    ck_assert_msg(fdt_path_offset(fdt, path) < 0, "unexpected node %s", path);
}

/* The property's bytes must be exactly want[0..len). */
static void prop_bytes(const void *fdt, const char *path, const char *name, const void *want,
                       int len)
{
    int got_len = -1;
    const void *p = fdt_getprop(fdt, node(fdt, path), name, &got_len);
    ck_assert_msg(p != NULL, "%s: no property %s", path, name);
    ck_assert_msg(got_len == len, "%s %s: %d bytes, want %d", path, name, got_len, len);
    if (len)
        ck_assert_msg(memcmp(p, want, (size_t)len) == 0, "%s %s: wrong value", path, name);
}

/* A string list literal (sizeof includes the last NUL). */
#define prop_strs(fdt, path, name, lit) prop_bytes(fdt, path, name, lit, (int)sizeof(lit))

static void prop_cells(const void *fdt, const char *path, const char *name, const uint32_t *c,
                       int n)
{
    fdt32_t be[16];
    ck_assert_int_le(n, 16);
    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(c[i]);
    prop_bytes(fdt, path, name, be, n * 4);
}

static void prop_u32(const void *fdt, const char *path, const char *name, uint32_t v)
{
    prop_cells(fdt, path, name, &v, 1);
}

static void no_prop(const void *fdt, const char *path, const char *name)
{
    ck_assert_msg(fdt_getprop(fdt, node(fdt, path), name, NULL) == NULL, "%s: unexpected %s",
                  path, name);
}

static int count_subnodes(const void *fdt, int parent)
{
    int n = 0, child;
    fdt_for_each_subnode(child, fdt, parent)
        n++;
    return n;
}

static FdtVirtConfig defaults(void)
{
    FdtVirtConfig c;
    fdt_virt_config_defaults(&c, RAM, RAM_SIZE);
    return c;
}

START_TEST(test_defaults)
{
    FdtVirtConfig c = defaults();
    ck_assert_uint_eq(c.boot.ram_base, RAM);
    ck_assert_uint_eq(c.boot.ram_size, RAM_SIZE);
    ck_assert_uint_eq(c.devices, FDT_VIRT_ALL);
    ck_assert_uint_eq(c.gic_dist_base, 0x08000000u);
    ck_assert_uint_eq(c.gic_cpu_base, 0x08010000u);
    ck_assert_uint_eq(c.uart_base, 0x09000000u);
    ck_assert_uint_eq(c.uart_spi + 32, 33);
    ck_assert_uint_eq(c.rtc_base, 0x09010000u);
    ck_assert_uint_eq(c.rtc_spi + 32, 34);
    ck_assert_uint_eq(c.apb_clock_hz, 24000000u);
    ck_assert_str_eq(c.cpu_compatible, "arm,cortex-a15");
    ck_assert(!c.has_seed);
    ck_assert_ptr_null(c.boot.bootargs);
}
END_TEST

/* Every node and property of QEMU 7.2's tree (minus unmodelled devices). */
START_TEST(test_full_tree)
{
    FdtVirtConfig c = defaults();
    c.boot.bootargs = "console=ttyAMA0 panic=-1";
    c.boot.initrd_start = 0x48000000u;
    c.boot.initrd_end = 0x48000c00u;
    size_t size;
    void *fdt = build(&c, &size);

    /* root */
    prop_strs(fdt, "/", "compatible", "linux,dummy-virt");
    prop_strs(fdt, "/", "model", "linux,dummy-virt");
    prop_u32(fdt, "/", "#address-cells", 2);
    prop_u32(fdt, "/", "#size-cells", 2);
    prop_u32(fdt, "/", "interrupt-parent", 0x8002);
    /* chosen, apb-pclk, timer, cpus, intc, pmu, pl011, pl031, psci, memory */
    ck_assert_int_eq(count_subnodes(fdt, 0), 10);

    /* /chosen */
    prop_strs(fdt, "/chosen", "bootargs", "console=ttyAMA0 panic=-1");
    prop_strs(fdt, "/chosen", "stdout-path", "/pl011@9000000");
    prop_u32(fdt, "/chosen", "linux,initrd-start", 0x48000000u);
    prop_u32(fdt, "/chosen", "linux,initrd-end", 0x48000c00u);
    no_prop(fdt, "/chosen", "rng-seed");
    no_prop(fdt, "/chosen", "kaslr-seed");

    /* /memory@40000000 */
    prop_strs(fdt, "/memory@40000000", "device_type", "memory");
    const uint32_t mem[4] = { 0, 0x40000000u, 0, 0x10000000u };
    prop_cells(fdt, "/memory@40000000", "reg", mem, 4);

    /* /apb-pclk */
    prop_strs(fdt, "/apb-pclk", "compatible", "fixed-clock");
    prop_u32(fdt, "/apb-pclk", "#clock-cells", 0);
    prop_u32(fdt, "/apb-pclk", "clock-frequency", 24000000u);
    prop_strs(fdt, "/apb-pclk", "clock-output-names", "clk24mhz");
    prop_u32(fdt, "/apb-pclk", "phandle", 0x8000);
    ck_assert_int_eq(fdt_node_offset_by_phandle(fdt, 0x8000), node(fdt, "/apb-pclk"));

    /* /cpus */
    prop_u32(fdt, "/cpus", "#address-cells", 1);
    prop_u32(fdt, "/cpus", "#size-cells", 0);
    ck_assert_int_eq(count_subnodes(fdt, node(fdt, "/cpus")), 2);
    prop_strs(fdt, "/cpus/cpu@0", "device_type", "cpu");
    prop_strs(fdt, "/cpus/cpu@0", "compatible", "arm,cortex-a15");
    prop_u32(fdt, "/cpus/cpu@0", "reg", 0);
    prop_u32(fdt, "/cpus/cpu@0", "phandle", 0x8001);
    no_prop(fdt, "/cpus/cpu@0", "enable-method"); /* one CPU: QEMU gives none */
    prop_u32(fdt, "/cpus/cpu-map/socket0/cluster0/core0", "cpu", 0x8001);

    /* /timer: secure, non-secure, virtual, hypervisor PPIs, level-high, CPU 0 */
    prop_strs(fdt, "/timer", "compatible", "arm,armv7-timer");
    prop_bytes(fdt, "/timer", "always-on", NULL, 0);
    const uint32_t timer[12] = { 1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104 };
    prop_cells(fdt, "/timer", "interrupts", timer, 12);

    /* /intc@8000000 */
    const char *gic = "/intc@8000000";
    prop_strs(fdt, gic, "compatible", "arm,cortex-a15-gic");
    prop_u32(fdt, gic, "#interrupt-cells", 3);
    prop_bytes(fdt, gic, "interrupt-controller", NULL, 0);
    prop_u32(fdt, gic, "#address-cells", 2);
    prop_u32(fdt, gic, "#size-cells", 2);
    prop_bytes(fdt, gic, "ranges", NULL, 0);
    const uint32_t gic_reg[8] = { 0, 0x08000000u, 0, 0x10000, 0, 0x08010000u, 0, 0x10000 };
    prop_cells(fdt, gic, "reg", gic_reg, 8);
    prop_u32(fdt, gic, "phandle", 0x8002);
    ck_assert_int_eq(count_subnodes(fdt, node(fdt, gic)), 0); /* no GICv2m */

    /* /pmu: empty for an ARMv7 CPU */
    int pmu = node(fdt, "/pmu");
    ck_assert_int_lt(fdt_first_property_offset(fdt, pmu), 0);

    /* /pl011@9000000 */
    const char *uart = "/pl011@9000000";
    prop_strs(fdt, uart, "compatible", "arm,pl011\0arm,primecell");
    const uint32_t uart_reg[4] = { 0, 0x09000000u, 0, 0x1000 };
    prop_cells(fdt, uart, "reg", uart_reg, 4);
    const uint32_t uart_irq[3] = { 0, 1, 4 };
    prop_cells(fdt, uart, "interrupts", uart_irq, 3);
    const uint32_t clocks[2] = { 0x8000, 0x8000 };
    prop_cells(fdt, uart, "clocks", clocks, 2);
    prop_strs(fdt, uart, "clock-names", "uartclk\0apb_pclk");

    /* /pl031@9010000 */
    const char *rtc = "/pl031@9010000";
    prop_strs(fdt, rtc, "compatible", "arm,pl031\0arm,primecell");
    const uint32_t rtc_reg[4] = { 0, 0x09010000u, 0, 0x1000 };
    prop_cells(fdt, rtc, "reg", rtc_reg, 4);
    const uint32_t rtc_irq[3] = { 0, 2, 4 };
    prop_cells(fdt, rtc, "interrupts", rtc_irq, 3);
    prop_u32(fdt, rtc, "clocks", 0x8000);
    prop_strs(fdt, rtc, "clock-names", "apb_pclk");

    /* /psci */
    prop_strs(fdt, "/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
    prop_strs(fdt, "/psci", "method", "hvc");
    prop_u32(fdt, "/psci", "cpu_suspend", PSCI_0_2_FN_CPU_SUSPEND);
    prop_u32(fdt, "/psci", "cpu_off", PSCI_0_2_FN_CPU_OFF);
    prop_u32(fdt, "/psci", "cpu_on", PSCI_0_2_FN_CPU_ON);
    prop_u32(fdt, "/psci", "migrate", PSCI_0_2_FN_MIGRATE);
    ck_assert_uint_eq(PSCI_0_2_FN_CPU_SUSPEND, 0x84000001u);
    ck_assert_uint_eq(PSCI_0_2_FN_MIGRATE, 0x84000005u);

    /* what Linux asks: the UART's interrupt parent is the GIC */
    ck_assert_int_eq(fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"), node(fdt, uart));
    ck_assert_int_eq(fdt_node_offset_by_phandle(fdt, 0x8002), node(fdt, gic));
    free(fdt);
}
END_TEST

START_TEST(test_no_bootargs_no_initrd)
{
    FdtVirtConfig c = defaults();
    size_t size;
    void *fdt = build(&c, &size);
    no_prop(fdt, "/chosen", "bootargs");
    no_prop(fdt, "/chosen", "linux,initrd-start");
    no_prop(fdt, "/chosen", "linux,initrd-end");
    free(fdt);
    c.boot.bootargs = ""; /* QEMU: an empty -append sets nothing */
    c.boot.initrd_start = c.boot.initrd_end = 0x48000000u; /* an empty initrd */
    fdt = build(&c, &size);
    no_prop(fdt, "/chosen", "bootargs");
    no_prop(fdt, "/chosen", "linux,initrd-start");
    free(fdt);
}
END_TEST

START_TEST(test_long_bootargs)
{
    FdtVirtConfig c = defaults();
    size_t n = 100000;
    char *args = malloc(n + 1);
    memset(args, 'x', n);
    args[n] = 0;
    c.boot.bootargs = args;
    size_t size;
    void *fdt = build(&c, &size);
    int len = 0;
    const char *p = fdt_getprop(fdt, node(fdt, "/chosen"), "bootargs", &len);
    ck_assert_int_eq(len, (int)n + 1);
    ck_assert_int_eq(memcmp(p, args, n + 1), 0);
    free(fdt);
    free(args);
}
END_TEST

START_TEST(test_device_selection)
{
    FdtVirtConfig c = defaults();
    c.devices = FDT_VIRT_GIC | FDT_VIRT_TIMER;
    size_t size;
    void *fdt = build(&c, &size);
    node(fdt, "/intc@8000000");
    node(fdt, "/timer");
    no_node(fdt, "/pl011@9000000");
    no_node(fdt, "/pl031@9010000");
    no_node(fdt, "/psci");
    no_prop(fdt, "/chosen", "stdout-path");
    free(fdt);

    c.devices = 0; /* CPU, memory, clock, PMU only */
    fdt = build(&c, &size);
    no_node(fdt, "/intc@8000000");
    no_node(fdt, "/timer");
    no_prop(fdt, "/", "interrupt-parent");
    node(fdt, "/cpus/cpu@0");
    node(fdt, "/memory@40000000");
    free(fdt);

    /* other addresses and interrupts end up in names, reg, interrupts, stdout-path */
    c = defaults();
    c.uart_base = 0x1c090000u;
    c.uart_spi = 5;
    c.gic_dist_base = 0x2c001000u;
    c.cpu_compatible = "arm,cortex-a7";
    fdt = build(&c, &size);
    prop_strs(fdt, "/chosen", "stdout-path", "/pl011@1c090000");
    const uint32_t irq[3] = { 0, 5, 4 };
    prop_cells(fdt, "/pl011@1c090000", "interrupts", irq, 3);
    node(fdt, "/intc@2c001000");
    prop_strs(fdt, "/cpus/cpu@0", "compatible", "arm,cortex-a7");
    free(fdt);
}
END_TEST

START_TEST(test_bad_config)
{
    size_t size;
    FdtVirtConfig c = defaults();
    c.devices = FDT_VIRT_UART;
    ck_assert_ptr_null(fdt_virt_build(&c, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "need the GIC"));
    c.devices = FDT_VIRT_ALL | 0x100;
    ck_assert_ptr_null(fdt_virt_build(&c, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown device"));
    c = defaults();
    c.boot.ram_size = 0;
    ck_assert_ptr_null(fdt_virt_build(&c, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "no RAM"));
    c = defaults();
    c.boot.initrd_start = 0x100000000ull;
    c.boot.initrd_end = 0x100001000ull;
    ck_assert_ptr_null(fdt_virt_build(&c, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "4 GiB"));
}
END_TEST

START_TEST(test_seed)
{
    FdtVirtConfig c = defaults();
    c.has_seed = true;
    for (int i = 0; i < 32; i++)
        c.rng_seed[i] = (uint8_t)(i * 7 + 1);
    c.kaslr_seed = 0x0123456789abcdefull;
    size_t size;
    void *fdt = build(&c, &size);
    prop_bytes(fdt, "/chosen", "rng-seed", c.rng_seed, 32);
    const uint32_t kaslr[2] = { 0x01234567u, 0x89abcdefu };
    prop_cells(fdt, "/chosen", "kaslr-seed", kaslr, 2);
    free(fdt);
}
END_TEST

/* ---- fdt_boot_patch ------------------------------------------------------------------ */

/* A user DTB: root cells as given (0 = property missing), memory nodes to be replaced,
 * others to be kept. */
static void *user_dtb(uint32_t acells, uint32_t scells, bool with_chosen, size_t *size)
{
    size_t cap = 8192;
    void *fdt = malloc(cap);
    ck_assert_int_eq(fdt_create_empty_tree(fdt, (int)cap), 0);
    if (acells)
        ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#address-cells", acells), 0);
    if (scells)
        ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#size-cells", scells), 0);
    ck_assert_int_ge(fdt_add_subnode(fdt, 0, "memory"), 0);
    ck_assert_int_ge(fdt_add_subnode(fdt, 0, "memory@80000000"), 0);
    int keep = fdt_add_subnode(fdt, 0, "memory-controller@1000");
    ck_assert_int_ge(keep, 0);
    ck_assert_int_ge(fdt_add_subnode(fdt, keep, "memory"), 0); /* not a root node: kept */
    int m = fdt_add_subnode(fdt, 0, "memory@0");
    ck_assert_int_ge(m, 0);
    ck_assert_int_eq(fdt_setprop_string(fdt, m, "device_type", "memory"), 0);
    if (with_chosen) {
        int ch = fdt_add_subnode(fdt, 0, "chosen");
        ck_assert_int_ge(ch, 0);
        ck_assert_int_eq(fdt_setprop_string(fdt, ch, "bootargs", "old args"), 0);
        ck_assert_int_eq(fdt_setprop_string(fdt, ch, "stdout-path", "serial0"), 0);
    }
    ck_assert_int_eq(fdt_pack(fdt), 0);
    *size = fdt_totalsize(fdt);
    return fdt;
}

static int root_memory_nodes(const void *fdt)
{
    int n = 0, child;
    fdt_for_each_subnode(child, fdt, 0) {
        const char *name = fdt_get_name(fdt, child, NULL);
        if (strcmp(name, "memory") == 0 || strncmp(name, "memory@", 7) == 0)
            n++;
    }
    return n;
}

START_TEST(test_patch_user_dtb)
{
    size_t in_size, size;
    void *in = user_dtb(2, 2, true, &in_size);
    FdtBootInfo b = { .ram_base = RAM, .ram_size = RAM_SIZE, .bootargs = "root=/dev/vda",
                      .initrd_start = 0x48000000u, .initrd_end = 0x48123456u };
    void *fdt = fdt_boot_patch(in, in_size, &b, &size, err, sizeof err);
    ck_assert_msg(fdt != NULL, "%s", err);
    ck_assert_int_eq(fdt_check_full(fdt, size), 0);
    ck_assert_int_eq(root_memory_nodes(fdt), 1);
    const uint32_t mem[4] = { 0, 0x40000000u, 0, 0x10000000u };
    prop_cells(fdt, "/memory@40000000", "reg", mem, 4);
    prop_strs(fdt, "/memory@40000000", "device_type", "memory");
    node(fdt, "/memory-controller@1000/memory");
    prop_strs(fdt, "/chosen", "bootargs", "root=/dev/vda");
    prop_strs(fdt, "/chosen", "stdout-path", "serial0"); /* left alone */
    prop_u32(fdt, "/chosen", "linux,initrd-start", 0x48000000u);
    prop_u32(fdt, "/chosen", "linux,initrd-end", 0x48123456u);
    free(fdt);

    /* no bootargs: the old ones stay; no initrd: no properties */
    b.bootargs = NULL;
    b.initrd_end = b.initrd_start;
    fdt = fdt_boot_patch(in, in_size, &b, &size, err, sizeof err);
    ck_assert_ptr_nonnull(fdt);
    prop_strs(fdt, "/chosen", "bootargs", "old args");
    no_prop(fdt, "/chosen", "linux,initrd-start");
    free(fdt);
    free(in);

    /* one address and one size cell, no /chosen: created */
    in = user_dtb(1, 1, false, &in_size);
    b.bootargs = "quiet";
    b.ram_size = 3ull << 30;
    fdt = fdt_boot_patch(in, in_size, &b, &size, err, sizeof err);
    ck_assert_msg(fdt != NULL, "%s", err);
    const uint32_t mem1[2] = { 0x40000000u, 0xc0000000u };
    prop_cells(fdt, "/memory@40000000", "reg", mem1, 2);
    prop_strs(fdt, "/chosen", "bootargs", "quiet");
    ck_assert_int_eq(root_memory_nodes(fdt), 1);
    free(fdt);

    /* patching the patched blob again gives the same result */
    fdt = fdt_boot_patch(in, in_size, &b, &size, err, sizeof err);
    size_t size2;
    void *again = fdt_boot_patch(fdt, size, &b, &size2, err, sizeof err);
    ck_assert_ptr_nonnull(again);
    ck_assert_int_eq(root_memory_nodes(again), 1);
    prop_cells(again, "/memory@40000000", "reg", mem1, 2);
    free(again);
    free(fdt);
    free(in);
}
END_TEST

START_TEST(test_patch_cell_errors)
{
    size_t in_size, size;
    FdtBootInfo b = { .ram_base = RAM, .ram_size = RAM_SIZE };
    void *in = user_dtb(0, 2, false, &in_size); /* no #address-cells */
    ck_assert_ptr_null(fdt_boot_patch(in, in_size, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "#address-cells"));
    free(in);
    in = user_dtb(2, 0, false, &in_size); /* no #size-cells */
    ck_assert_ptr_null(fdt_boot_patch(in, in_size, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "#size-cells"));
    free(in);
    in = user_dtb(3, 2, false, &in_size);
    ck_assert_ptr_null(fdt_boot_patch(in, in_size, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "1 or 2"));
    free(in);
    in = user_dtb(1, 1, false, &in_size);
    b.ram_size = 5ull << 30; /* does not fit in one size cell */
    ck_assert_ptr_null(fdt_boot_patch(in, in_size, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "does not fit"));
    b.ram_size = RAM_SIZE;
    b.ram_base = 0x100000000ull; /* nor in one address cell */
    ck_assert_ptr_null(fdt_boot_patch(in, in_size, &b, &size, err, sizeof err));
    free(in);
}
END_TEST

START_TEST(test_patch_bad_blobs)
{
    size_t size;
    FdtBootInfo b = { .ram_base = RAM, .ram_size = RAM_SIZE, .bootargs = "x" };
    uint8_t junk[256];
    memset(junk, 0xa5, sizeof junk);
    ck_assert_ptr_null(fdt_boot_patch(junk, sizeof junk, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "not a valid device tree"));
    ck_assert_ptr_null(fdt_boot_patch(junk, 8, &b, &size, err, sizeof err)); /* too short */

    size_t good_size;
    void *good = user_dtb(2, 2, true, &good_size);
    /* the header claims more than the buffer holds */
    ck_assert_ptr_null(fdt_boot_patch(good, good_size - 1, &b, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "more than the blob holds"));

    /* every single-byte corruption: an error or a valid result, never a crash (ASan) */
    uint8_t *copy = malloc(good_size);
    int rejected = 0;
    for (size_t i = 0; i < good_size; i++) {
        for (int v = 0; v < 3; v++) {
            static const uint8_t vals[3] = { 0x00, 0xff, 0x41 };
            memcpy(copy, good, good_size);
            if (copy[i] == vals[v])
                continue;
            copy[i] = vals[v];
            void *r = fdt_boot_patch(copy, good_size, &b, &size, err, sizeof err);
            if (r) {
                ck_assert_int_eq(fdt_check_full(r, size), 0);
                free(r);
            } else {
                rejected++;
            }
        }
    }
    ck_assert_int_gt(rejected, 0);
    free(copy);
    free(good);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fdt_virt");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_full_tree);
    tcase_add_test(tc, test_no_bootargs_no_initrd);
    tcase_add_test(tc, test_long_bootargs);
    tcase_add_test(tc, test_device_selection);
    tcase_add_test(tc, test_bad_config);
    tcase_add_test(tc, test_seed);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("patch");
    tcase_add_test(tp, test_patch_user_dtb);
    tcase_add_test(tp, test_patch_cell_errors);
    tcase_add_test(tp, test_patch_bad_blobs);
    suite_add_tcase(s, tp);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
