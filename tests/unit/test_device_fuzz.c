/*
 * Device models under random register traffic: random reads and writes of every size
 * (1, 2, 4, 8 bytes; aligned or not) at random offsets of the virt board's devices
 * (GIC distributor and CPU interface, PL011, PL031), of the gaps between them and of
 * the edges of RAM, with values biased towards the ones that matter (all ones, single
 * bits, small numbers). A guest controls every one of these, so none may crash the
 * emulator (the suite also runs under ASan/UBSan), and the models must be deterministic:
 * two machines given the same traffic return the same status and value for every
 * access (which uninitialised state or a stray pointer would break). Time is virtual
 * (-icount), so the RTC reads the same in both.
 *
 * DEVICE_FUZZ_ROUNDS=N in the environment runs more rounds (default 40).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/devices.h"
#include "test_rng.h"

#define RAM VIRT_RAM_BASE
#define RAM_SIZE (16u << 20)
#define ACCESSES 5000u

static char tmpdir[64];
static char kernel_path[128];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/armvm-fuzz-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(kernel_path, sizeof kernel_path, "%s/kernel.bin", tmpdir);
    FILE *f = fopen(kernel_path, "wb");
    ck_assert_ptr_nonnull(f);
    static const uint32_t spin[] = { 0xeafffffe }; /* b . */
    ck_assert_uint_eq(fwrite(spin, sizeof spin, 1, f), 1);
    fclose(f);
}

static void teardown(void)
{
    unlink(kernel_path);
    rmdir(tmpdir);
}

static uint64_t random_value(uint64_t *s)
{
    uint64_t r = test_rng_next(s);
    switch (r % 8) {
    case 0: return ~0ull;
    case 1: return 1ull << (test_rng_next(s) % 32);
    case 2: return test_rng_next(s) % 16;
    case 3: return test_rng_next(s) % 1024;
    case 4: return 0;
    default: return test_rng_next(s);
    }
}

/* Where an access goes: mostly inside a device, sometimes around them. */
static uint64_t random_address(uint64_t *s)
{
    static const struct {
        uint64_t base, size;
    } regions[] = {
        { VIRT_GIC_DIST_BASE, 0x1000 }, { VIRT_GIC_CPU_BASE, 0x2000 },
        { VIRT_UART_BASE, VIRT_UART_SIZE }, { 0x09010000, 0x1000 },
        { 0x08000000, 0x02000000 },          /* the device window with its gaps */
        { RAM - 0x1000, 0x2000 },            /* below RAM and its first page */
        { RAM + RAM_SIZE - 0x1000, 0x2000 }, /* the last page of RAM and past it */
        { 0, 0x100000000ull },               /* anywhere */
    };
    static const unsigned weight[] = { 30, 20, 15, 10, 10, 5, 5, 5 };
    unsigned pick = (unsigned)(test_rng_next(s) % 100), k = 0;
    while (pick >= weight[k]) {
        pick -= weight[k];
        k++;
    }
    uint64_t off = test_rng_next(s) % regions[k].size;
    if (test_rng_next(s) % 8)
        off &= ~3ull; /* registers are words: mostly aligned */
    return regions[k].base + off;
}

static Machine *create(FILE *sink, FILE *input)
{
    MachineConfig cfg;
    machine_config_defaults(&cfg);
    cfg.ram_size = RAM_SIZE;
    cfg.kernel = kernel_path;
    cfg.icount = true;
    cfg.icount_shift = 0;
    cfg.console_out = sink;
    cfg.console_in = input;
    char err[256];
    Machine *m = machine_create(&cfg, err, sizeof err);
    if (!m)
        ck_abort_msg("machine_create: %s", err);
    return m;
}

static unsigned rounds(void)
{
    const char *e = getenv("DEVICE_FUZZ_ROUNDS");
    unsigned n = e ? (unsigned)strtoul(e, NULL, 0) : 0;
    return n ? n : 40;
}

START_TEST(test_random_register_traffic)
{
    static const unsigned sizes[] = { 4, 4, 4, 1, 2, 8 };
    FILE *sink = fopen("/dev/null", "w"), *input = fopen("/dev/null", "r");
    ck_assert(sink && input);
    unsigned n = rounds();
    uint64_t counts[4] = { 0 }; /* MemStatus seen, for the log */
    for (unsigned round = 0; round < n; round++) {
        Machine *a = create(sink, input), *b = create(sink, input);
        PhysMem *ma = machine_mem(a), *mb = machine_mem(b);
        uint64_t s = 0x243f6a8885a308d3ull + round;
        for (unsigned k = 0; k < ACCESSES; k++) {
            uint64_t pa = random_address(&s);
            unsigned size = sizes[test_rng_next(&s) % 6];
            /* physmem's contract: an access does not cross a page (callers split) */
            if ((pa & 0xfff) + size > 0x1000)
                pa &= ~(uint64_t)(size - 1);
            bool write = test_rng_next(&s) % 2;
            MemStatus sa, sb;
            uint64_t va = 0, vb = 0;
            if (write) {
                uint64_t v = random_value(&s);
                sa = physmem_write(ma, pa, size, v);
                sb = physmem_write(mb, pa, size, v);
            } else {
                sa = physmem_read(ma, pa, size, &va);
                sb = physmem_read(mb, pa, size, &vb);
            }
            ck_assert_msg(sa == sb && va == vb,
                          "round %u access %u: %s of %u bytes at %llx: status %d/%d, value "
                          "%llx/%llx",
                          round, k, write ? "write" : "read", size, (unsigned long long)pa, sa, sb,
                          (unsigned long long)va, (unsigned long long)vb);
            if ((unsigned)sa < 4)
                counts[sa]++;
        }
        /* The interrupt outputs too. */
        ck_assert_int_eq(machine_cpu(a)->irq_line, machine_cpu(b)->irq_line);
        ck_assert_int_eq(machine_cpu(a)->fiq_line, machine_cpu(b)->fiq_line);
        machine_destroy(a);
        machine_destroy(b);
    }
    printf("device fuzz: %u rounds of %u accesses; status counts %llu %llu %llu %llu\n", n,
           ACCESSES, (unsigned long long)counts[0], (unsigned long long)counts[1],
           (unsigned long long)counts[2], (unsigned long long)counts[3]);
    fclose(sink);
    fclose(input);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device fuzz");
    TCase *tc = tcase_create("mmio");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_random_register_traffic);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
