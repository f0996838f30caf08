/*
 * The Linux boot protocol (devices/loader_linux.c): zImage and Image placement, the
 * initrd and DTB addresses QEMU 7.2 uses (checked against its dumpdtb for the Debian
 * kernel: initrd at RAM + 128 MiB with 256 MiB of RAM, DTB on the next 4 KiB boundary),
 * the zImage header and extension table checks, images too big for RAM, the generated
 * and the patched -dtb, and the CPU's entry state.
 */
#include <check.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/devices.h"
#include "devices/loader_linux.h"

#define RAM VIRT_RAM_BASE
#define MIB (1u << 20)

static char tmpdir[64];
static PhysMem mem;
static bool mem_ready;
static char err[512];
static LoadMap map;
static LinuxBoot lb;

static void setup(void)
{
    strcpy(tmpdir, "/tmp/armvm-ll-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    memset(&map, 0, sizeof map);
    err[0] = 0;
    mem_ready = false;
}

static void teardown(void)
{
    if (mem_ready)
        physmem_destroy(&mem);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static void ram(uint64_t size)
{
    if (mem_ready)
        physmem_destroy(&mem);
    ck_assert_int_eq(physmem_init(&mem, RAM, size, err, sizeof err), 0);
    mem_ready = true;
}

static const char *tmp_path(const char *name)
{
    static char paths[8][128];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    return p;
}

static const char *write_file(const char *name, const void *data, size_t n)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    if (n)
        ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A zImage of n bytes (n >= 0x300): "b ." at 0, the header at 0x24 with start/end,
 * the endianness word, and with tag_words != 0 an extension table at 0x100 holding a
 * KLSZ tag of tag_words words (4: size pointer + bss, 5: + TEXT_OFFSET, 6: + malloc
 * size) whose size word sits at the unaligned offset 0x201. */
static uint8_t *zimage(size_t n, uint32_t start, uint32_t end, uint32_t tag_words,
                       uint32_t dec_size, uint32_t bss, uint32_t text)
{
    uint8_t *z = calloc(1, n);
    ck_assert_ptr_nonnull(z);
    put32(z, 0xeafffffeu);
    put32(z + 0x24, LINUX_ZIMAGE_MAGIC);
    put32(z + 0x28, start);
    put32(z + 0x2c, end);
    put32(z + 0x30, 0x04030201u);
    if (tag_words) {
        put32(z + 0x34, LINUX_ZIMAGE_EXT_MAGIC);
        put32(z + 0x38, 0x100);
        put32(z + 0x100, tag_words);
        put32(z + 0x104, LINUX_ZIMAGE_TAG_KRNL_SIZE);
        put32(z + 0x108, 0x201);
        put32(z + 0x10c, bss);
        if (tag_words >= 5)
            put32(z + 0x110, text);
        if (tag_words >= 6)
            put32(z + 0x114, 0x10000);
        put32(z + 0x100 + 4 * tag_words, 0); /* end of the table */
        put32(z + 0x201, dec_size);
    }
    return z;
}

static const char *zimage_file(const char *name, size_t n, uint32_t tag_words, uint32_t dec_size,
                               uint32_t bss, uint32_t text)
{
    uint8_t *z = zimage(n, 0, (uint32_t)n, tag_words, dec_size, bss, text);
    const char *p = write_file(name, z, n);
    free(z);
    return p;
}

static int load(const char *kernel, const char *initrd)
{
    err[0] = 0;
    return linux_load_kernel(&mem, kernel, initrd, &map, &lb, err, sizeof err);
}

static void expect_load_error(const char *kernel, const char *initrd, const char *msg)
{
    ck_assert_int_eq(load(kernel, initrd), -1);
    ck_assert_msg(strstr(err, msg) != NULL, "error '%s' lacks '%s'", err, msg);
}

START_TEST(test_zimage_placement)
{
    ram(16 * MIB);
    const char *k = zimage_file("zImage", 0x10000, 6, 0x200000, 0x10000, 0x8000);
    const char *i = write_file("initrd", "INITRD-DATA", 11);
    ck_assert_msg(load(k, i) == 0, "%s", err);
    ck_assert_int_eq(lb.kind, LINUX_KERNEL_ZIMAGE);
    ck_assert_uint_eq(lb.kernel_start, RAM + 0x10000);
    ck_assert_uint_eq(lb.kernel_end, RAM + 0x20000);
    ck_assert_uint_eq(mem.ram[0x10000], 0xfe); /* "b ." */
    /* below 256 MiB of RAM: halfway in */
    ck_assert_uint_eq(lb.initrd_start, RAM + 8 * MIB);
    ck_assert_uint_eq(lb.initrd_end, RAM + 8 * MIB + 11);
    ck_assert_int_eq(memcmp(mem.ram + 8 * MIB, "INITRD-DATA", 11), 0);
    /* decompressed: RAM + TEXT_OFFSET + size + bss */
    ck_assert_uint_eq(lb.decompressed_end, RAM + 0x8000 + 0x200000 + 0x10000);
    ck_assert_uint_eq(lb.entry, RAM + 0x10000);
    ck_assert_uint_eq(lb.r0, 0);
    ck_assert_uint_eq(lb.r1, 0xffffffffu);
    ck_assert_uint_eq(lb.cpsr, ARM_MODE_SVC | CPSR_A | CPSR_I | CPSR_F);
    ck_assert_int_eq(map.n, 2);

    uint8_t dtb[100];
    memset(dtb, 0xd7, sizeof dtb);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    ck_assert_uint_eq(lb.dtb_start, RAM + 8 * MIB + 4096);
    ck_assert_uint_eq(lb.dtb_end, RAM + 8 * MIB + 4096 + 100);
    ck_assert_uint_eq(lb.r2, RAM + 8 * MIB + 4096);
    ck_assert_uint_eq(mem.ram[8 * MIB + 4096 + 99], 0xd7);
    ck_assert_int_eq(map.n, 3);
    ck_assert_str_eq(lb.warning, "");
}
END_TEST

/* QEMU 7.2 with -m 256M and the Debian kernel: initrd at 0x48000000, DTB at the next
 * 4 KiB boundary after it. */
START_TEST(test_qemu_layout_256m)
{
    ram(256 * MIB);
    const char *k = zimage_file("zImage", 0x532200, 6, 0x13a10b4, 0x5e4d4, 0x208000);
    static uint8_t cpio[3072];
    const char *i = write_file("initrd.cpio", cpio, sizeof cpio);
    ck_assert_msg(load(k, i) == 0, "%s", err);
    ck_assert_uint_eq(lb.initrd_start, 0x48000000u);
    ck_assert_uint_eq(lb.initrd_end, 0x48000c00u);
    ck_assert_uint_eq(lb.decompressed_end, 0x40000000u + 0x208000 + 0x13a10b4 + 0x5e4d4);
    uint8_t dtb[64] = { 0 };
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    ck_assert_uint_eq(lb.r2, 0x48001000u);
    ck_assert_str_eq(lb.warning, "");
    /* more RAM does not move the initrd above 128 MiB */
    ram(1024 * MIB);
    ck_assert_int_eq(load(k, i), 0);
    ck_assert_uint_eq(lb.initrd_start, 0x48000000u);
}
END_TEST

START_TEST(test_initrd_after_big_kernel)
{
    ram(16 * MIB);
    size_t n = 9 * MIB + 123;
    uint8_t *img = calloc(1, n);
    const char *k = write_file("Image", img, n);
    free(img);
    const char *i = write_file("initrd", "I", 1);
    ck_assert_int_eq(load(k, i), 0);
    ck_assert_int_eq(lb.kind, LINUX_KERNEL_IMAGE);
    ck_assert_uint_eq(lb.kernel_end, RAM + 0x10000 + n);
    /* not over the kernel: at its end, page aligned */
    ck_assert_uint_eq(lb.initrd_start, (RAM + 0x10000 + n + 4095) & ~4095ull);
    ck_assert_uint_eq(lb.initrd_end, lb.initrd_start + 1);
    ck_assert_uint_eq(lb.decompressed_end, 0);
}
END_TEST

START_TEST(test_raw_image_and_no_initrd)
{
    ram(16 * MIB);
    uint32_t code[2] = { 0xe3a00001u, 0xeafffffeu };
    const char *k = write_file("Image", code, sizeof code); /* shorter than a zImage header */
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_int_eq(lb.kind, LINUX_KERNEL_IMAGE);
    ck_assert_uint_eq(lb.kernel_start, RAM + 0x10000);
    ck_assert_uint_eq(lb.entry, RAM + 0x10000);
    ck_assert_uint_eq(lb.initrd_start, RAM + 8 * MIB);
    ck_assert_uint_eq(lb.initrd_end, lb.initrd_start);
    ck_assert_int_eq(map.n, 1);
    uint8_t dtb[8] = { 0 };
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, NULL, err, sizeof err), 0);
    ck_assert_uint_eq(lb.r2, RAM + 8 * MIB);

    /* a larger file without the magic is an Image too */
    uint8_t big[0x400] = { 0 };
    put32(big + 0x24, 0x12345678u);
    k = write_file("Image2", big, sizeof big);
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_int_eq(lb.kind, LINUX_KERNEL_IMAGE);

    /* an empty initrd gives no initrd range (QEMU: initrd_size 0) */
    const char *i = write_file("empty", "", 0);
    ck_assert_int_eq(load(k, i), 0);
    ck_assert_uint_eq(lb.initrd_end, lb.initrd_start);
}
END_TEST

START_TEST(test_zimage_fixed_start)
{
    ram(16 * MIB);
    uint8_t *z = zimage(0x1000, RAM + 0x400000, RAM + 0x401000, 0, 0, 0, 0);
    const char *k = write_file("zImage", z, 0x1000);
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_uint_eq(lb.kernel_start, RAM + 0x400000);
    ck_assert_uint_eq(lb.entry, RAM + 0x400000);
    ck_assert_uint_eq(mem.ram[0x400000], 0xfe);
    free(z);
    /* linked for an address outside RAM */
    z = zimage(0x1000, 0x8000, 0x9000, 0, 0, 0, 0);
    k = write_file("zImage2", z, 0x1000);
    expect_load_error(k, NULL, "do not fit in RAM");
    free(z);
    /* at the very end of RAM: does not fit */
    z = zimage(0x1000, RAM + 16 * MIB - 0x800, RAM + 16 * MIB + 0x800, 0, 0, 0, 0);
    k = write_file("zImage3", z, 0x1000);
    expect_load_error(k, NULL, "do not fit in RAM");
    free(z);
}
END_TEST

START_TEST(test_zimage_header_errors)
{
    ram(16 * MIB);
    uint8_t *z = zimage(0x1000, 0, 0, 0, 0, 0, 0); /* end == start */
    expect_load_error(write_file("z1", z, 0x1000), NULL, "not above start");
    free(z);
    z = zimage(0x1000, 0x2000, 0x1000, 0, 0, 0, 0); /* end < start */
    expect_load_error(write_file("z2", z, 0x1000), NULL, "not above start");
    free(z);
    z = zimage(0x1000, 0, 0x20, 0, 0, 0, 0); /* smaller than its own header */
    expect_load_error(write_file("z3", z, 0x1000), NULL, "smaller than its header");
    free(z);
    z = zimage(0x1000, 0, 0x2000, 0, 0, 0, 0); /* truncated: the file is shorter */
    expect_load_error(write_file("z4", z, 0x1000), NULL, "truncated zImage");
    free(z);
    z = zimage(0x1000, 0, 0xffffffffu, 0, 0, 0, 0);
    expect_load_error(write_file("z5", z, 0x1000), NULL, "truncated zImage");
    free(z);
    /* a zImage with an appended DTB (file longer than end - start) is fine */
    z = zimage(0x1000, 0, 0x800, 0, 0, 0, 0);
    ck_assert_int_eq(load(write_file("z6", z, 0x1000), NULL), 0);
    ck_assert_uint_eq(lb.kernel_end, RAM + 0x10000 + 0x1000);
    free(z);
    /* exactly the header */
    uint8_t hdr[0x30];
    memset(hdr, 0, sizeof hdr);
    put32(hdr + 0x24, LINUX_ZIMAGE_MAGIC);
    put32(hdr + 0x2c, sizeof hdr);
    ck_assert_int_eq(load(write_file("z7", hdr, sizeof hdr), NULL), 0);
    ck_assert_int_eq(lb.kind, LINUX_KERNEL_ZIMAGE);
}
END_TEST

START_TEST(test_zimage_ext_table)
{
    ram(16 * MIB);
    /* a 4-word KLSZ tag (older kernels): TEXT_OFFSET defaults to 0x8000 */
    const char *k = zimage_file("z4w", 0x1000, 4, 0x100000, 0x2000, 0);
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_uint_eq(lb.decompressed_end, RAM + 0x8000 + 0x100000 + 0x2000);
    /* no table magic: unknown */
    k = zimage_file("z0", 0x1000, 0, 0, 0, 0);
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_uint_eq(lb.decompressed_end, 0);

    uint8_t *z = zimage(0x1000, 0, 0x1000, 6, 1, 1, 0x8000);
    put32(z + 0x38, 0x1000); /* table offset at the end of the image */
    expect_load_error(write_file("e1", z, 0x1000), NULL, "extension table");
    put32(z + 0x38, 0x102); /* misaligned */
    expect_load_error(write_file("e2", z, 0x1000), NULL, "extension table");
    put32(z + 0x38, 0xfffffffcu);
    expect_load_error(write_file("e3", z, 0x1000), NULL, "extension table");
    put32(z + 0x38, 0x100);
    put32(z + 0x100, 0x3ff); /* tag longer than the image */
    expect_load_error(write_file("e4", z, 0x1000), NULL, "runs past the image");
    put32(z + 0x100, 1); /* shorter than a tag header */
    expect_load_error(write_file("e5", z, 0x1000), NULL, "runs past the image");
    put32(z + 0x100, 6);
    put32(z + 0x108, 0xffe); /* the size word is outside the image */
    expect_load_error(write_file("e6", z, 0x1000), NULL, "size word");
    free(z);

    /* an endless chain of 2-word tags */
    z = zimage(0x4000, 0, 0x4000, 0, 0, 0, 0);
    put32(z + 0x34, LINUX_ZIMAGE_EXT_MAGIC);
    put32(z + 0x38, 0x100);
    for (uint32_t off = 0x100; off + 8 <= 0x4000; off += 8) {
        put32(z + off, 2);
        put32(z + off + 4, 0x41414141u);
    }
    expect_load_error(write_file("e7", z, 0x4000), NULL, "extension table");
    free(z);

    /* a table that ends at the very end of the image */
    z = zimage(0x200, 0, 0x200, 0, 0, 0, 0);
    put32(z + 0x34, LINUX_ZIMAGE_EXT_MAGIC);
    put32(z + 0x38, 0x1fc);
    ck_assert_int_eq(load(write_file("e8", z, 0x200), NULL), 0); /* just the 0 word */
    free(z);
}
END_TEST

START_TEST(test_sizes)
{
    ram(1 * MIB);
    size_t n = 1 * MIB + 1;
    uint8_t *big = calloc(1, n);
    expect_load_error(write_file("huge", big, n), NULL, "too large to fit in RAM");
    /* fits in RAM but not at RAM + 0x10000 */
    expect_load_error(write_file("almost", big, 1 * MIB - 4096), NULL, "do not fit");
    /* a zImage whose header is fine but which is bigger than RAM */
    uint8_t *z = zimage(n, 0, (uint32_t)n, 0, 0, 0, 0);
    expect_load_error(write_file("zhuge", z, n), NULL, "too large to fit in RAM");
    free(z);
    expect_load_error(write_file("empty", "", 0), NULL, "empty kernel");
    expect_load_error(tmp_path("missing"), NULL, "cannot open");
    expect_load_error(tmpdir, NULL, "not a regular file");

    /* kernel up to the last page: no room left for the initrd */
    const char *k = write_file("k", big, 1 * MIB - 0x10000);
    const char *i = write_file("i", "x", 1);
    expect_load_error(k, i, "not enough space after the kernel");
    /* ... but booting without an initrd works; the DTB then has no room */
    ck_assert_int_eq(load(k, NULL), 0);
    uint8_t dtb[16] = { 0 };
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not enough space for the"));

    /* initrd larger than what is left after the kernel */
    k = write_file("k2", big, 0x1000);
    i = write_file("i2", big, 512 * 1024 + 1);
    expect_load_error(k, i, "too big to fit into RAM after the kernel");
    expect_load_error(k, tmp_path("no-initrd"), "cannot open");
    /* initrd that fills RAM exactly: loads, the DTB does not fit */
    i = write_file("i3", big, 512 * 1024);
    ck_assert_int_eq(load(k, i), 0);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), -1);
    /* a DTB that fits up to the last byte */
    i = write_file("i4", big, 512 * 1024 - 4096);
    ck_assert_int_eq(load(k, i), 0);
    uint8_t *page = calloc(1, 4096);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, page, 4096, &map, err, sizeof err), 0);
    ck_assert_uint_eq(lb.dtb_end, RAM + 1 * MIB);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, page, 4097, &map, err, sizeof err), -1);
    free(page);
    free(big);
}
END_TEST

START_TEST(test_decompress_warning)
{
    ram(16 * MIB);
    /* decompresses to 12 MiB: over the initrd at 8 MiB */
    const char *k = zimage_file("zImage", 0x1000, 6, 12 * MIB, 0, 0x8000);
    const char *i = write_file("initrd", "x", 1);
    ck_assert_int_eq(load(k, i), 0);
    uint8_t dtb[16] = { 0 };
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(lb.warning, "over the initrd"));
    /* no initrd: over the DTB */
    ck_assert_int_eq(load(k, NULL), 0);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(lb.warning, "over the DTB"));
    /* enough RAM: no warning */
    ram(64 * MIB);
    ck_assert_int_eq(load(k, i), 0);
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    ck_assert_str_eq(lb.warning, "");
}
END_TEST

START_TEST(test_boot_setup_generated_dtb)
{
    ram(256 * MIB);
    FdtVirtConfig board;
    fdt_virt_config_defaults(&board, 0, 0); /* RAM and boot fields come from the setup */
    const char *k = zimage_file("zImage", 0x8000, 0, 0, 0, 0);
    const char *i = write_file("initrd", "0123456789", 10);
    LinuxBootConfig c = { .kernel = k, .initrd = i, .append = "console=ttyAMA0", .board = &board };
    ck_assert_msg(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(lb.r2, 0x48001000u);
    const void *fdt = mem.ram + (lb.dtb_start - RAM);
    ck_assert_int_eq(fdt_check_full(fdt, lb.dtb_end - lb.dtb_start), 0);
    int chosen = fdt_path_offset(fdt, "/chosen");
    ck_assert_int_ge(chosen, 0);
    ck_assert_str_eq(fdt_getprop(fdt, chosen, "bootargs", NULL), "console=ttyAMA0");
    const fdt32_t *p = fdt_getprop(fdt, chosen, "linux,initrd-start", NULL);
    ck_assert_uint_eq(fdt32_to_cpu(*p), 0x48000000u);
    p = fdt_getprop(fdt, chosen, "linux,initrd-end", NULL);
    ck_assert_uint_eq(fdt32_to_cpu(*p), 0x4800000au);
    int memn = fdt_path_offset(fdt, "/memory@40000000");
    ck_assert_int_ge(memn, 0);
    p = fdt_getprop(fdt, memn, "reg", NULL);
    ck_assert_uint_eq(fdt32_to_cpu(p[1]), RAM);
    ck_assert_uint_eq(fdt32_to_cpu(p[3]), 256 * MIB);
    ck_assert_int_ge(fdt_path_offset(fdt, "/psci"), 0);
    ck_assert_int_eq(map.n, 3);

    /* no board and no -dtb */
    c.board = NULL;
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no device tree"));
    c.board = &board;
    c.kernel = NULL;
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no kernel"));
    /* a board the DTB cannot describe */
    c.kernel = k;
    board.devices = FDT_VIRT_UART;
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "GIC"));
}
END_TEST

START_TEST(test_boot_setup_user_dtb)
{
    ram(16 * MIB);
    uint8_t buf[4096];
    ck_assert_int_eq(fdt_create_empty_tree(buf, sizeof buf), 0);
    ck_assert_int_eq(fdt_setprop_u32(buf, 0, "#address-cells", 1), 0);
    ck_assert_int_eq(fdt_setprop_u32(buf, 0, "#size-cells", 1), 0);
    ck_assert_int_ge(fdt_add_subnode(buf, 0, "memory@0"), 0);
    ck_assert_int_eq(fdt_pack(buf), 0);
    const char *dtb = write_file("user.dtb", buf, fdt_totalsize(buf));
    const char *k = zimage_file("zImage", 0x1000, 0, 0, 0, 0);
    LinuxBootConfig c = { .kernel = k, .dtb = dtb, .append = "quiet" };
    ck_assert_msg(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(lb.r2, RAM + 8 * MIB);
    const void *fdt = mem.ram + 8 * MIB;
    ck_assert_int_eq(fdt_check_full(fdt, lb.dtb_end - lb.dtb_start), 0);
    ck_assert_int_lt(fdt_path_offset(fdt, "/memory@0"), 0);
    int memn = fdt_path_offset(fdt, "/memory@40000000");
    ck_assert_int_ge(memn, 0);
    int len;
    const fdt32_t *p = fdt_getprop(fdt, memn, "reg", &len);
    ck_assert_int_eq(len, 8);
    ck_assert_uint_eq(fdt32_to_cpu(p[0]), RAM);
    ck_assert_uint_eq(fdt32_to_cpu(p[1]), 16 * MIB);
    ck_assert_str_eq(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL), "quiet");

    /* a -dtb that is not one, a missing one, a folder */
    c.dtb = k;
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "-dtb"));
    ck_assert_ptr_nonnull(strstr(err, "not a valid device tree"));
    c.dtb = tmp_path("none.dtb");
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    c.dtb = tmpdir;
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
    /* a truncated one */
    c.dtb = write_file("short.dtb", buf, fdt_totalsize(buf) - 8);
    ck_assert_int_eq(linux_boot_setup(&mem, &c, &map, &lb, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "-dtb"));
}
END_TEST

START_TEST(test_read_file_limits)
{
    size_t size;
    const char *f = write_file("f", "abc", 3);
    void *p = linux_read_file(f, 3, &size, err, sizeof err);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(size, 3);
    ck_assert_int_eq(memcmp(p, "abc", 3), 0);
    free(p);
    ck_assert_ptr_null(linux_read_file(f, 2, &size, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "larger than guest RAM"));
    p = linux_read_file(write_file("e", "", 0), 10, &size, err, sizeof err);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(size, 0);
    free(p);
}
END_TEST

START_TEST(test_boot_cpu_state)
{
    ram(16 * MIB);
    ArmCpu cpu;
    arm_cpu_init(&cpu, &mem);
    arm_cpu_reset(&cpu);
    /* mess the state up: SYS mode, Thumb, interrupts on, MMU and caches on */
    arm_cpsr_write(&cpu, ARM_MODE_SYS | CPSR_T, 0xffffffffu, ARM_CPSR_WRITE_RAW);
    cpu.cp15.sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
    for (int r = 0; r < 16; r++)
        cpu.r[r] = 0x1000u + (uint32_t)r;
    const char *k = zimage_file("zImage", 0x1000, 0, 0, 0, 0);
    ck_assert_int_eq(load(k, NULL), 0);
    uint8_t dtb[16] = { 0 };
    ck_assert_int_eq(linux_place_dtb(&mem, &lb, dtb, sizeof dtb, &map, err, sizeof err), 0);
    linux_boot_cpu(&lb, &cpu);
    ck_assert_uint_eq(cpu.r[0], 0);
    ck_assert_uint_eq(cpu.r[1], 0xffffffffu);
    ck_assert_uint_eq(cpu.r[2], RAM + 8 * MIB);
    ck_assert_uint_eq(cpu.r[15], RAM + 0x10000);
    ck_assert_uint_eq(arm_cpu_mode(&cpu), ARM_MODE_SVC);
    uint32_t cpsr = arm_cpsr_read(&cpu);
    ck_assert_uint_eq(cpsr & (CPSR_A | CPSR_I | CPSR_F), CPSR_A | CPSR_I | CPSR_F);
    ck_assert_uint_eq(cpsr & (CPSR_T | CPSR_E | CPSR_J), 0);
    ck_assert_uint_eq(cpu.cp15.sctlr & (SCTLR_M | SCTLR_C), 0);
    ck_assert_uint_eq(cpu.cp15.sctlr & SCTLR_I, SCTLR_I); /* the I-cache may stay on */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader_linux");
    TCase *tc = tcase_create("linux");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_zimage_placement);
    tcase_add_test(tc, test_qemu_layout_256m);
    tcase_add_test(tc, test_initrd_after_big_kernel);
    tcase_add_test(tc, test_raw_image_and_no_initrd);
    tcase_add_test(tc, test_zimage_fixed_start);
    tcase_add_test(tc, test_zimage_header_errors);
    tcase_add_test(tc, test_zimage_ext_table);
    tcase_add_test(tc, test_sizes);
    tcase_add_test(tc, test_decompress_warning);
    tcase_add_test(tc, test_boot_setup_generated_dtb);
    tcase_add_test(tc, test_boot_setup_user_dtb);
    tcase_add_test(tc, test_read_file_limits);
    tcase_add_test(tc, test_boot_cpu_state);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
