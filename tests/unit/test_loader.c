/*
 * Image loading and the virt Machine: ELF files generated here (valid ones, and every
 * kind of broken one), raw loads in and out of RAM, the boot state for ELF and raw
 * kernels, -dtb placement, configuration errors, and short end-to-end runs.
 */
#include <check.h>
#include <elf.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/devices.h"
#include "test_rng.h"

#define RAM VIRT_RAM_BASE
#define RAM_SIZE (16u << 20)
#define RAM_END (RAM + RAM_SIZE)

static char tmpdir[64];
static PhysMem mem;
static char err[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/armvm-ld-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    ck_assert_int_eq(physmem_init(&mem, RAM, RAM_SIZE, err, sizeof err), 0);
    err[0] = 0;
}

static void teardown(void)
{
    physmem_destroy(&mem);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *tmp_path(const char *name)
{
    static char paths[8][128];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* ---- ELF generation ---------------------------------------------------------------- */

typedef struct Seg {
    uint32_t type, paddr, vaddr, memsz;
    const void *data;
    uint32_t filesz;
} Seg;

typedef struct ElfSpec {
    uint8_t cls, data;
    uint16_t machine, type;
    uint32_t entry;
    Seg seg[4];
    int n_seg;
    size_t truncate; /* nonzero: write only this many bytes */
} ElfSpec;

static ElfSpec spec_default(void)
{
    ElfSpec s = { .cls = ELFCLASS32, .data = ELFDATA2LSB, .machine = EM_ARM, .type = ET_EXEC };
    return s;
}

/* Lay out header, program headers and segment data (each at a 16-byte aligned offset). */
static size_t build_elf(const ElfSpec *s, uint8_t *buf, size_t cap)
{
    memset(buf, 0, cap);
    Elf32_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = s->cls;
    eh.e_ident[EI_DATA] = s->data;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = s->type;
    eh.e_machine = s->machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = s->entry;
    eh.e_phoff = sizeof(Elf32_Ehdr);
    eh.e_ehsize = sizeof(Elf32_Ehdr);
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = (uint16_t)s->n_seg;
    size_t off = sizeof(Elf32_Ehdr) + s->n_seg * sizeof(Elf32_Phdr);
    for (int i = 0; i < s->n_seg; i++) {
        const Seg *g = &s->seg[i];
        off = (off + 15) & ~(size_t)15;
        Elf32_Phdr ph = { .p_type = g->type, .p_offset = (uint32_t)off, .p_vaddr = g->vaddr,
                          .p_paddr = g->paddr, .p_filesz = g->filesz, .p_memsz = g->memsz,
                          .p_flags = PF_R | PF_W | PF_X, .p_align = 4 };
        memcpy(buf + sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr), &ph, sizeof ph);
        ck_assert_uint_le(off + g->filesz, cap);
        if (g->data)
            memcpy(buf + off, g->data, g->filesz);
        off += g->filesz;
    }
    memcpy(buf, &eh, sizeof eh);
    return off;
}

static const char *make_elf(const char *name, const ElfSpec *s)
{
    static uint8_t buf[1 << 16];
    size_t n = build_elf(s, buf, sizeof buf);
    if (s->truncate)
        n = s->truncate;
    const char *path = tmp_path(name);
    write_file(path, buf, n);
    return path;
}

static const uint8_t code[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* A valid image: code at RAM + 0x100000 (linked at another virtual address) and a
 * data+bss segment. */
static ElfSpec spec_valid(void)
{
    ElfSpec s = spec_default();
    s.entry = RAM + 0x100000;
    s.seg[0] = (Seg){ PT_LOAD, RAM + 0x100000, 0x80000000u, sizeof code, code, sizeof code };
    s.seg[1] = (Seg){ PT_NOTE, 0, 0, 4, code, 4 };
    s.seg[2] = (Seg){ PT_LOAD, RAM + 0x200000, RAM + 0x200000, 0x100, code, 4 };
    s.n_seg = 3;
    return s;
}

static int try_load(const ElfSpec *s)
{
    uint32_t entry = 0;
    return load_elf(&mem, make_elf("t.elf", s), &entry, NULL, err, sizeof err);
}

static void expect_elf_error(const ElfSpec *s, const char *needle)
{
    err[0] = 0;
    ck_assert_int_eq(try_load(s), -1);
    if (!strstr(err, needle))
        ck_abort_msg("error message '%s' does not mention '%s'", err, needle);
}

START_TEST(test_elf_valid)
{
    ElfSpec s = spec_valid();
    memset(mem.ram + 0x200000, 0xaa, 0x200); /* bss must be cleared */
    LoadMap map = { 0 };
    uint32_t entry = 0;
    const char *path = make_elf("ok.elf", &s);
    ck_assert_int_eq(file_is_elf(path), 1);
    ck_assert_int_eq(load_elf(&mem, path, &entry, &map, err, sizeof err), 0);
    ck_assert_uint_eq(entry, RAM + 0x100000);
    ck_assert_int_eq(memcmp(mem.ram + 0x100000, code, sizeof code), 0); /* at p_paddr */
    ck_assert_int_eq(memcmp(mem.ram + 0x200000, code, 4), 0);
    for (int i = 4; i < 0x100; i++)
        ck_assert_uint_eq(mem.ram[0x200000 + i], 0);
    ck_assert_uint_eq(mem.ram[0x200100], 0xaa); /* past p_memsz: untouched */
    ck_assert_int_eq(map.n, 2);
    ck_assert_uint_eq(map.start[0], RAM + 0x100000);
    ck_assert_uint_eq(map.end[0], RAM + 0x100000 + sizeof code);
    ck_assert_uint_eq(map.end[1], RAM + 0x200100);
    /* a segment ending exactly at the end of RAM fits */
    s.seg[2].paddr = RAM_END - 0x100;
    ck_assert_int_eq(try_load(&s), 0);
}
END_TEST

START_TEST(test_elf_not_elf)
{
    const char *empty = tmp_path("empty");
    write_file(empty, "", 0);
    uint32_t entry;
    ck_assert_int_eq(file_is_elf(empty), 0);
    ck_assert_int_eq(load_elf(&mem, empty, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not an ELF file"));

    uint8_t junk[4096];
    srand(1);
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)rand();
    junk[0] = 0x12;
    const char *rnd = tmp_path("random");
    write_file(rnd, junk, sizeof junk);
    ck_assert_int_eq(file_is_elf(rnd), 0);
    ck_assert_int_eq(load_elf(&mem, rnd, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not an ELF file"));

    /* ELF magic, then garbage or nothing */
    memcpy(junk, ELFMAG, SELFMAG);
    const char *magic_only = tmp_path("magic");
    write_file(magic_only, junk, 8);
    ck_assert_int_eq(file_is_elf(magic_only), 1);
    ck_assert_int_eq(load_elf(&mem, magic_only, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));

    ck_assert_int_eq(file_is_elf(tmp_path("missing")), -1);
    ck_assert_int_eq(load_elf(&mem, tmp_path("missing"), &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    ck_assert_int_eq(load_elf(&mem, tmpdir, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(test_elf_wrong_kind)
{
    ElfSpec s = spec_valid();
    s.cls = ELFCLASS64;
    expect_elf_error(&s, "ELF64");
    s = spec_valid();
    s.data = ELFDATA2MSB;
    expect_elf_error(&s, "big-endian");
    s = spec_valid();
    s.machine = EM_X86_64;
    expect_elf_error(&s, "not ARM");
    s = spec_valid();
    s.machine = EM_AARCH64;
    expect_elf_error(&s, "AArch64");
    s = spec_valid();
    s.type = ET_DYN;
    expect_elf_error(&s, "ET_EXEC");
    s = spec_valid();
    s.cls = 7;
    expect_elf_error(&s, "corrupt ELF identification");
}
END_TEST

START_TEST(test_elf_bad_segments)
{
    ElfSpec s = spec_valid();
    s.n_seg = 0;
    expect_elf_error(&s, "no loadable segments");
    s = spec_valid();
    s.seg[0].type = PT_NOTE;
    s.seg[2].memsz = 0;
    s.seg[2].filesz = 0;
    expect_elf_error(&s, "no loadable segments");

    /* outside RAM: below it, across its end, wrapping around 4 GiB */
    s = spec_valid();
    s.seg[0].paddr = 0x8000;
    expect_elf_error(&s, "outside guest RAM");
    ck_assert_ptr_nonnull(strstr(err, "0x00008000"));
    ck_assert_ptr_nonnull(strstr(err, "0x40000000-0x40ffffff"));
    s = spec_valid();
    s.seg[2].paddr = RAM_END - 0x80; /* memsz 0x100 */
    expect_elf_error(&s, "outside guest RAM");
    s = spec_valid();
    s.seg[2].paddr = 0xffffff80u;
    expect_elf_error(&s, "outside guest RAM");
    s = spec_valid();
    s.seg[2].memsz = 0xffffffffu;
    expect_elf_error(&s, "outside guest RAM");

    /* nothing was written by the failed loads */
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(mem.ram[0x100000 + i], 0);

    /* file size larger than memory size */
    s = spec_valid();
    s.seg[0].memsz = 8;
    expect_elf_error(&s, "larger than its memory size");
}
END_TEST

START_TEST(test_elf_truncated)
{
    ElfSpec s = spec_valid();
    /* in the middle of the ELF header */
    s.truncate = 40;
    expect_elf_error(&s, "truncated");
    /* in the middle of the program headers */
    s.truncate = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr) + 10;
    expect_elf_error(&s, "truncated");
    ck_assert_ptr_nonnull(strstr(err, "program headers"));
    /* in the middle of a segment's data */
    static uint8_t buf[1 << 16];
    size_t full = build_elf(&s, buf, sizeof buf);
    s.truncate = full - 2;
    expect_elf_error(&s, "truncated");
    ck_assert_ptr_nonnull(strstr(err, "segment 2"));
    /* program headers pointing far beyond the file */
    s = spec_valid();
    size_t n = build_elf(&s, buf, sizeof buf);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
    eh->e_phoff = 0xfffffff0u;
    const char *path = tmp_path("phoff.elf");
    write_file(path, buf, n);
    uint32_t entry;
    ck_assert_int_eq(load_elf(&mem, path, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    /* segment data offset beyond the file */
    s = spec_valid();
    n = build_elf(&s, buf, sizeof buf);
    Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(Elf32_Ehdr));
    ph[0].p_offset = 0xfffffff0u;
    write_file(path, buf, n);
    ck_assert_int_eq(load_elf(&mem, path, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    /* a wrong program header entry size */
    s = spec_valid();
    n = build_elf(&s, buf, sizeof buf);
    eh->e_phentsize = 16;
    write_file(path, buf, n);
    ck_assert_int_eq(load_elf(&mem, path, &entry, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "program header size"));
}
END_TEST

/* Random corruption of a valid image: bytes of the headers (mostly) or anywhere
 * overwritten, sometimes a truncation. The loader must load it or refuse it with a
 * message, never crash (the suite also runs under ASan/UBSan) or write outside RAM. */
START_TEST(test_elf_mutations)
{
    static uint8_t buf[1 << 16], copy[1 << 16];
    ElfSpec s = spec_valid();
    size_t n = build_elf(&s, buf, sizeof buf);
    const char *path = tmp_path("mutant.elf");
    uint64_t r = 0x9e3779b97f4a7c15ull;
    unsigned loaded = 0, refused = 0;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(copy, buf, n);
        size_t len = n;
        int flips = 1 + (int)(r % 8);
        for (int k = 0; k < flips; k++) {
            uint64_t x = test_rng_next(&r);
            size_t at = x % 4 ? (x >> 8) % (sizeof(Elf32_Ehdr) + 3 * sizeof(Elf32_Phdr))
                              : (x >> 8) % n;
            copy[at] = x % 3 ? (uint8_t)(x >> 40) : (uint8_t)(x >> 40 & 1 ? 0xff : 0);
        }
        if (r % 16 == 0)
            len = (size_t)(r >> 20) % n;
        write_file(path, copy, len);
        err[0] = 0;
        uint32_t entry;
        if (load_elf(&mem, path, &entry, NULL, err, sizeof err) == 0) {
            loaded++;
        } else {
            refused++;
            ck_assert_msg(err[0] != 0, "refused without a message (mutation %d)", iter);
        }
    }
    /* Both outcomes must occur, or the mutations are not testing much. */
    ck_assert_uint_gt(loaded, 0);
    ck_assert_uint_gt(refused, 0);
}
END_TEST

START_TEST(test_raw_loads)
{
    uint8_t data[8192];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 3);
    const char *path = tmp_path("raw.bin");
    write_file(path, data, sizeof data);
    LoadMap map = { 0 };
    ck_assert_int_eq(load_raw(&mem, path, RAM + 0x1234, &map, err, sizeof err), (int64_t)sizeof data);
    ck_assert_int_eq(memcmp(mem.ram + 0x1234, data, sizeof data), 0);
    ck_assert_int_eq(map.n, 1);
    ck_assert_uint_eq(map.start[0], RAM + 0x1234);
    ck_assert_uint_eq(map.end[0], RAM + 0x1234 + sizeof data);
    /* exactly at the end of RAM */
    ck_assert_int_eq(load_raw(&mem, path, RAM_END - sizeof data, NULL, err, sizeof err),
                     (int64_t)sizeof data);
    /* one byte too far, below RAM, absurd addresses */
    ck_assert_int_eq(load_raw(&mem, path, RAM_END - sizeof data + 1, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "do not fit in guest RAM"));
    ck_assert_int_eq(load_raw(&mem, path, RAM - 16, NULL, err, sizeof err), -1);
    ck_assert_int_eq(load_raw(&mem, path, 0, NULL, err, sizeof err), -1);
    ck_assert_int_eq(load_raw(&mem, path, 0xfffffffffffff000ull, NULL, err, sizeof err), -1);
    ck_assert_int_eq(load_raw(&mem, path, RAM_END, NULL, err, sizeof err), -1);
    /* an empty file loads nothing, anywhere in RAM */
    const char *empty = tmp_path("empty.bin");
    write_file(empty, "", 0);
    ck_assert_int_eq(load_raw(&mem, empty, RAM_END, NULL, err, sizeof err), 0);
    /* larger than RAM */
    PhysMem small;
    ck_assert_int_eq(physmem_init(&small, RAM, 4096, err, sizeof err), 0);
    ck_assert_int_eq(load_raw(&small, path, RAM, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "larger than guest RAM"));
    physmem_destroy(&small);
    /* missing file */
    ck_assert_int_eq(load_raw(&mem, tmp_path("nope"), RAM, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

START_TEST(test_load_map_gap)
{
    LoadMap map = { 0 };
    uint64_t lo, hi;
    load_map_largest_gap(&map, RAM, RAM_SIZE, &lo, &hi);
    ck_assert_uint_eq(lo, RAM);
    ck_assert_uint_eq(hi, RAM_END);
    load_map_add(&map, RAM + 0x100000, RAM + 0x200000);
    load_map_add(&map, RAM + 0x180000, RAM + 0x300000); /* overlapping */
    load_map_add(&map, RAM + 0x10, RAM + 0x10);           /* empty: ignored */
    ck_assert_int_eq(map.n, 2);
    load_map_largest_gap(&map, RAM, RAM_SIZE, &lo, &hi);
    ck_assert_uint_eq(lo, RAM + 0x300000);
    ck_assert_uint_eq(hi, RAM_END);
    load_map_add(&map, RAM + 0x400000, RAM_END);
    load_map_largest_gap(&map, RAM, RAM_SIZE, &lo, &hi);
    ck_assert_uint_eq(lo, RAM);
    ck_assert_uint_eq(hi, RAM + 0x100000);
    /* a full map keeps growing its last range */
    LoadMap full = { 0 };
    for (int i = 0; i < LOAD_MAP_MAX + 5; i++)
        load_map_add(&full, RAM + 0x1000 * (uint64_t)i, RAM + 0x1000 * (uint64_t)i + 0x10);
    ck_assert_int_eq(full.n, LOAD_MAP_MAX);
    ck_assert_uint_eq(full.end[LOAD_MAP_MAX - 1], RAM + 0x1000 * (uint64_t)(LOAD_MAP_MAX + 4) + 0x10);
}
END_TEST

/* ---- the virt Machine -------------------------------------------------------------- */

static MachineConfig cfg;
static char *out_buf;
static size_t out_len;
static FILE *out;

static void machine_setup(void)
{
    setup();
    machine_config_defaults(&cfg);
    cfg.ram_size = RAM_SIZE;
    out = open_memstream(&out_buf, &out_len);
    cfg.console_out = out;
    cfg.console_in = NULL;
}

static void machine_teardown(void)
{
    fclose(out);
    free(out_buf);
    out_buf = NULL;
    teardown();
}

static Machine *create_ok(void)
{
    Machine *m = machine_create(&cfg, err, sizeof err);
    if (!m)
        ck_abort_msg("machine_create failed: %s", err);
    return m;
}

static void expect_create_error(const char *needle)
{
    err[0] = 0;
    Machine *m = machine_create(&cfg, err, sizeof err);
    ck_assert_ptr_null(m);
    if (!strstr(err, needle))
        ck_abort_msg("error message '%s' does not mention '%s'", err, needle);
}

/* A program of ARM words at RAM + off, as an ELF kernel. */
static const char *program_elf(const char *name, uint32_t off, const uint32_t *words, int n,
                               uint32_t entry_bit0)
{
    ElfSpec s = spec_default();
    s.entry = RAM + off + entry_bit0;
    s.seg[0] = (Seg){ PT_LOAD, RAM + off, RAM + off, (uint32_t)(n * 4), words, (uint32_t)(n * 4) };
    s.n_seg = 1;
    return make_elf(name, &s);
}

START_TEST(test_machine_config_errors)
{
    expect_create_error("no guest image (use -kernel FILE or -device loader,...)");
    uint32_t w = 0xeafffffe;
    cfg.kernel = program_elf("k.elf", 0x100000, &w, 1, 0);
    cfg.machine = "vexpress-a9";
    expect_create_error("unsupported machine type 'vexpress-a9'");
    cfg.machine = "virt";
    cfg.cpu = "cortex-a9";
    expect_create_error("cortex-a15");
    cfg.cpu = "max";
    expect_create_error("unsupported CPU model 'max'");
    cfg.cpu = "cortex-a15";
    cfg.ram_size = (1u << 20) - 4096;
    expect_create_error("too small");
    cfg.ram_size = (1u << 20) + 100;
    expect_create_error("multiple of 4 KiB");
    cfg.ram_size = VIRT_MAX_RAM + 4096;
    expect_create_error("too large");
    cfg.ram_size = 1u << 20; /* the image at RAM + 1 MiB is now outside RAM */
    expect_create_error("outside guest RAM");
    cfg.ram_size = RAM_SIZE;
    cfg.engine = (DbtEngine)99;
    expect_create_error("not available");
    cfg.engine = DBT_ENGINE_INTERP;
    Machine *m = create_ok();
    machine_destroy(m);
    /* a loader without a start address */
    cfg.kernel = NULL;
    cfg.raw[0] = (RawLoad){ tmp_path("k.elf"), RAM, false };
    cfg.n_raw = 1;
    expect_create_error("no start address");
    cfg.raw[0].addr = RAM_END - 4;
    cfg.raw[0].set_pc = true;
    expect_create_error("do not fit in guest RAM");
}
END_TEST

START_TEST(test_machine_elf_boot_state)
{
    uint32_t w = 0xeafffffe; /* b . */
    cfg.kernel = program_elf("k.elf", 0x100000, &w, 1, 0);
    Machine *m = create_ok();
    ArmCpu *cpu = machine_cpu(m);
    ck_assert_uint_eq(cpu->r[15], RAM + 0x100000);
    ck_assert_uint_eq(cpu->cpsr & CPSR_M, ARM_MODE_SVC);
    ck_assert_uint_eq(cpu->cpsr & CPSR_T, 0);
    ck_assert_uint_eq(cpu->cpsr & (CPSR_I | CPSR_F), CPSR_I | CPSR_F);
    ck_assert(!cpu->env.semihosting);
    ck_assert_uint_eq(machine_mem(m)->ram_base, RAM);
    machine_destroy(m);

    /* Thumb entry point */
    cfg.kernel = program_elf("t.elf", 0x100000, &w, 1, 1);
    m = create_ok();
    cpu = machine_cpu(m);
    ck_assert_uint_eq(cpu->r[15], RAM + 0x100000);
    ck_assert_uint_eq(cpu->cpsr & CPSR_T, CPSR_T);
    machine_destroy(m);
}
END_TEST

START_TEST(test_machine_raw_boot_state)
{
    uint32_t w[2] = { 0xeafffffe, 0 };
    const char *k = tmp_path("Image");
    write_file(k, w, sizeof w);
    cfg.kernel = k;
    Machine *m = create_ok();
    ArmCpu *cpu = machine_cpu(m);
    ck_assert_uint_eq(cpu->r[15], RAM + 0x10000);
    ck_assert_uint_eq(cpu->r[0], 0);
    ck_assert_uint_eq(cpu->r[1], 0xffffffffu);
    /* r2: the generated device tree, where the initrd would go (RAM + size/2) */
    ck_assert_uint_eq(cpu->r[2], RAM + RAM_SIZE / 2);
    ck_assert_int_eq(fdt_check_header(machine_mem(m)->ram + RAM_SIZE / 2), 0);
    ck_assert_int_ge(fdt_path_offset(machine_mem(m)->ram + RAM_SIZE / 2, "/intc@8000000"), 0);
    ck_assert_uint_eq(machine_mem(m)->ram[0x10000], 0xfe);
    machine_destroy(m);

    /* with an initrd and a DTB: initrd at RAM + size/2 (8 MiB here), DTB after it */
    void *fdt = malloc(4096);
    ck_assert_int_eq(fdt_create_empty_tree(fdt, 4096), 0);
    ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
    ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
    const char *dtb = tmp_path("board.dtb");
    write_file(dtb, fdt, fdt_totalsize(fdt));
    const char *initrd = tmp_path("initrd");
    write_file(initrd, "INITRD", 6);
    cfg.initrd = initrd;
    cfg.dtb = dtb;
    m = create_ok();
    cpu = machine_cpu(m);
    ck_assert_int_eq(memcmp(machine_mem(m)->ram + (RAM_SIZE / 2), "INITRD", 6), 0);
    ck_assert_uint_eq(cpu->r[2], RAM + RAM_SIZE / 2 + 4096);
    ck_assert_int_eq(fdt_check_header(machine_mem(m)->ram + RAM_SIZE / 2 + 4096), 0);
    machine_destroy(m);

    /* a loader with cpu-num=0 sets the start address */
    cfg.initrd = NULL;
    cfg.dtb = NULL;
    cfg.raw[0] = (RawLoad){ k, RAM + 0x800000, true };
    cfg.n_raw = 1;
    m = create_ok();
    ck_assert_uint_eq(machine_cpu(m)->r[15], RAM + 0x800000);
    machine_destroy(m);

    /* a DTB that is not one */
    cfg.n_raw = 0;
    cfg.dtb = initrd;
    expect_create_error("not a valid device tree blob");
    free(fdt);
}
END_TEST

START_TEST(test_machine_dtb_with_elf)
{
    void *fdt = malloc(8192);
    ck_assert_int_eq(fdt_create_empty_tree(fdt, 8192), 0);
    ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
    ck_assert_int_eq(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
    const char *dtb = tmp_path("board.dtb");
    write_file(dtb, fdt, fdt_totalsize(fdt));
    uint32_t w = 0xeafffffe;
    /* room below the image: the DTB goes to the base of RAM */
    cfg.kernel = program_elf("k.elf", 0x100000, &w, 1, 0);
    cfg.dtb = dtb;
    Machine *m = create_ok();
    ck_assert_int_eq(fdt_check_header(machine_mem(m)->ram), 0);
    /* patched as QEMU does: /memory describes the RAM */
    ck_assert_int_ge(fdt_path_offset(machine_mem(m)->ram, "/memory"), 0);
    machine_destroy(m);
    /* without -dtb: the generated tree */
    cfg.dtb = NULL;
    m = create_ok();
    ck_assert_int_ge(fdt_path_offset(machine_mem(m)->ram, "/pl011@9000000"), 0);
    machine_destroy(m);
    cfg.dtb = dtb;
    /* no room: not loaded (a note on stderr), the machine still starts */
    cfg.kernel = program_elf("k2.elf", 0x10, &w, 1, 0);
    m = create_ok();
    ck_assert_int_ne(fdt_check_header(machine_mem(m)->ram), 0);
    machine_destroy(m);
    free(fdt);
}
END_TEST

START_TEST(test_machine_run_exit_status)
{
    /* SYS_EXIT_EXTENDED {ApplicationExit, 42} after printing 'A' on the UART */
    static const uint32_t prog[] = {
        0xe3a00409, /* mov r0, #0x09000000 */
        0xe3a01041, /* mov r1, #'A' */
        0xe5801000, /* str r1, [r0] */
        0xe3a00020, /* mov r0, #0x20 */
        0xe28f1004, /* add r1, pc, #4  (-> the block below) */
        0xef123456, /* svc 0x123456 */
        0xeafffffe, /* b . */
        0x00020026, 42,
    };
    cfg.kernel = program_elf("exit.elf", 0x100000, prog, 9, 0);
    cfg.semihosting = true;
    Machine *m = create_ok();
    ck_assert(machine_cpu(m)->env.semihosting);
    ck_assert_int_eq(machine_run(m), 42);
    ck_assert_uint_eq(machine_cpu(m)->icount, 6);
    fflush(out);
    ck_assert_uint_eq(out_len, 1);
    ck_assert_int_eq(out_buf[0], 'A');

    char *stats = NULL;
    size_t stats_len = 0;
    FILE *sf = open_memstream(&stats, &stats_len);
    machine_print_stats(m, sf);
    fclose(sf);
    ck_assert_ptr_nonnull(strstr(stats, "guest instructions   6\n"));
    ck_assert_ptr_nonnull(strstr(stats, "guest MIPS"));
    free(stats);
    machine_destroy(m);
}
END_TEST

START_TEST(test_machine_max_insns_and_heapinfo)
{
    /* SYS_HEAPINFO, then loop forever */
    static const uint32_t prog[] = {
        0xe3a00016, /* mov r0, #0x16 */
        0xe28f1004, /* add r1, pc, #4  (-> the pointer word) */
        0xef123456, /* svc 0x123456 */
        0xeafffffe, /* b . */
        RAM + 0x100000 + 0x20, /* -> result block */
        0, 0, 0, 0, 0, 0, 0,
    };
    cfg.kernel = program_elf("loop.elf", 0x100000, prog, 12, 0);
    cfg.semihosting = true;
    cfg.max_insns = 1000;
    Machine *m = create_ok();
    ck_assert_int_eq(machine_run(m), 0);
    ck_assert_uint_eq(machine_cpu(m)->icount, 1000);
    ck_assert(!machine_cpu(m)->halted);
    /* heap: from the end of the image to the end of RAM (the largest free range) */
    uint8_t *blk = machine_mem(m)->ram + 0x100020;
    uint32_t v[4];
    memcpy(v, blk, sizeof v);
    ck_assert_uint_eq(v[0], RAM + 0x100000 + sizeof prog);
    ck_assert_uint_eq(v[1], RAM_END);
    ck_assert_uint_eq(v[2], RAM_END);
    ck_assert_uint_eq(v[3], RAM + 0x100000 + sizeof prog);
    machine_destroy(m);
}
END_TEST

START_TEST(test_machine_get_cmdline_default)
{
    static const uint32_t prog[] = { 0xeafffffe };
    cfg.kernel = program_elf("cmd.elf", 0x100000, prog, 1, 0);
    cfg.append = "  console=ttyAMA0   quiet ";
    cfg.semihosting = true;
    Machine *m = create_ok();
    ArmCpu *cpu = machine_cpu(m);
    PhysMem *pm = machine_mem(m);
    uint32_t blk[2] = { RAM + 0x2000, 256 };
    ck_assert_int_eq(physmem_copy_to_guest(pm, RAM + 0x1000, blk, sizeof blk), 0);
    cpu->r[0] = 0x15;
    cpu->r[1] = RAM + 0x1000;
    cpu->env.semihost_fn(cpu->env.semihost_opaque, cpu);
    ck_assert_uint_eq(cpu->r[0], 0);
    char want[256];
    snprintf(want, sizeof want, "%s console=ttyAMA0 quiet", cfg.kernel);
    ck_assert_str_eq((char *)pm->ram + 0x2000, want);
    machine_destroy(m);

    cfg.semihosting_cmdline = "prog x";
    m = create_ok();
    cpu = machine_cpu(m);
    pm = machine_mem(m);
    ck_assert_int_eq(physmem_copy_to_guest(pm, RAM + 0x1000, blk, sizeof blk), 0);
    cpu->r[0] = 0x15;
    cpu->r[1] = RAM + 0x1000;
    cpu->env.semihost_fn(cpu->env.semihost_opaque, cpu);
    ck_assert_str_eq((char *)pm->ram + 0x2000, "prog x");
    machine_destroy(m);
}
END_TEST

START_TEST(test_many_machines)
{
    static const uint32_t prog[] = { 0xe3a00018, 0xe59f1000, 0xef123456, 0x00020026 };
    cfg.kernel = program_elf("many.elf", 0x100000, prog, 4, 0);
    cfg.semihosting = true;
    Machine *ms[4];
    for (int i = 0; i < 4; i++)
        ms[i] = create_ok();
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(machine_run(ms[i]), 0);
        ck_assert(machine_cpu(ms[i])->halted);
    }
    for (int i = 0; i < 4; i++)
        machine_destroy(ms[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("loaders");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_elf_valid);
    tcase_add_test(tc, test_elf_not_elf);
    tcase_add_test(tc, test_elf_wrong_kind);
    tcase_add_test(tc, test_elf_bad_segments);
    tcase_add_test(tc, test_elf_truncated);
    tcase_add_test(tc, test_elf_mutations);
    tcase_add_test(tc, test_raw_loads);
    tcase_add_test(tc, test_load_map_gap);
    suite_add_tcase(s, tc);

    TCase *tm = tcase_create("machine");
    tcase_add_checked_fixture(tm, machine_setup, machine_teardown);
    tcase_add_test(tm, test_machine_config_errors);
    tcase_add_test(tm, test_machine_elf_boot_state);
    tcase_add_test(tm, test_machine_raw_boot_state);
    tcase_add_test(tm, test_machine_dtb_with_elf);
    tcase_add_test(tm, test_machine_run_exit_status);
    tcase_add_test(tm, test_machine_max_insns_and_heapinfo);
    tcase_add_test(tm, test_machine_get_cmdline_default);
    tcase_add_test(tm, test_many_machines);
    suite_add_tcase(s, tm);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
