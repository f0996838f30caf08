/*
 * The MMU's translation table walker (softmmu/mmu*.c), on page tables built in guest RAM:
 * every short-descriptor kind (sections, supersections, large and small pages), domains,
 * AP[2:0] with and without SCTLR.AFE, XN/PXN, WXN/UWXN, the memory type (TEX/C/B, TEX
 * remap), nG, the TTBCR.N split and PD0/PD1, big-endian tables (SCTLR.EE); the LPAE
 * levels, table attributes, AP[2:1], the access flag, MAIR, T0SZ/T1SZ, EPDn; every fault
 * and its status code in both formats; bad table addresses (external abort, never a
 * crash: a random-table run checks that under the sanitizers); the FSR conversion and
 * the PAR encodings.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/softmmu.h"

#define RAM 0x40000000u
#define RAM_SIZE (8u << 20)
#define L1 0x40000000u      /* short: TTBR0 first-level table (16 KiB) */
#define L1B 0x40008000u     /* short: TTBR1 first-level table */
#define L2A 0x40004000u     /* short: second-level tables, 1 KiB each */
#define L2B 0x40004400u
#define LL1 0x40010000u     /* LPAE tables, 4 KiB each */
#define LL2 0x40011000u
#define LL3 0x40012000u
#define LT1 0x40013000u     /* LPAE: TTBR1 tables */
#define LT2 0x40014000u
#define DEV 0x09000000u     /* an MMIO region */

static PhysMem pm;
static MmuRegs regs;
static MmuResult res;
static unsigned dev_reads;

static MemStatus dev_read(void *opaque, uint32_t offset, unsigned size, uint32_t *value)
{
    (void)opaque; (void)offset; (void)size;
    dev_reads++;
    *value = 0x00000c02u; /* would be a valid section if a walk used it */
    return MEM_OK;
}
static const MmioOps dev_ops = { dev_read, NULL };

static void w32(PhysAddr a, uint32_t v) { ck_assert_int_eq(physmem_copy_to_guest(&pm, a, &v, 4), 0); }
static void w64(PhysAddr a, uint64_t v) { ck_assert_int_eq(physmem_copy_to_guest(&pm, a, &v, 8), 0); }

/* Short-descriptor builders (ARM ARM B3.5.1). */
static uint32_t ap_bits_l1(unsigned ap) { return ((ap & 3u) << 10) | (((ap >> 2) & 1u) << 15); }
static uint32_t ap_bits_l2(unsigned ap) { return ((ap & 3u) << 4) | (((ap >> 2) & 1u) << 9); }
static uint32_t sect(uint32_t pa, unsigned ap, unsigned dom)
{
    return (pa & 0xfff00000u) | 2u | ap_bits_l1(ap) | (dom << 5) | (1u << 12) | 0xcu; /* normal WB */
}
static uint32_t ptab(uint32_t pa, unsigned dom) { return (pa & ~0x3ffu) | 1u | (dom << 5); }
static uint32_t small(uint32_t pa, unsigned ap) { return (pa & ~0xfffu) | 2u | ap_bits_l2(ap) | 0xcu | (1u << 6); }
static uint32_t large(uint32_t pa, unsigned ap) { return (pa & ~0xffffu) | 1u | ap_bits_l2(ap) | 0xcu | (1u << 12); }
static void l1_set(uint32_t table, uint32_t va, uint32_t d) { w32(table + (va >> 20) * 4, d); }
static void l2_set(uint32_t table, uint32_t va, uint32_t d) { w32(table + ((va >> 12) & 0xff) * 4, d); }

static bool walk(uint32_t va) { return mmu_walk(&pm, &regs, va, &res); }
static bool tr(uint32_t va, MmuAccess a, bool priv) { return mmu_translate(&pm, &regs, va, a, priv, &res); }

#define RW_PRIV (MMU_PERM_PRIV_R | MMU_PERM_PRIV_W)
#define RW_USER (MMU_PERM_USER_R | MMU_PERM_USER_W)

static void setup(void)
{
    char err[128];
    ck_assert_int_eq(physmem_init(&pm, RAM, RAM_SIZE, err, sizeof(err)), 0);
    ck_assert_int_eq(physmem_add_mmio(&pm, DEV, 0x1000, &dev_ops, NULL, "dev"), 0);
    dev_reads = 0;
    regs = (MmuRegs){ .sctlr = MMU_SCTLR_M, .dacr = 0x55555555u, .ttbr0 = L1, .ttbr1 = L1B };
}
static void teardown(void) { physmem_destroy(&pm); }

/* ---- MMU off ---- */

START_TEST(test_mmu_off)
{
    regs.sctlr = 0;
    ck_assert(tr(0x12345678u, MMU_WRITE, false));
    ck_assert_uint_eq(res.pa, 0x12345678u);
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    ck_assert_uint_eq(res.page_shift, 12);
    ck_assert(res.global);
    ck_assert(!res.device);
    /* the tables are not read */
    regs.ttbr0 = DEV;
    ck_assert(tr(0xfffffffcu, MMU_FETCH, false));
    ck_assert_uint_eq(dev_reads, 0);
}
END_TEST

/* ---- short descriptors ---- */

START_TEST(test_short_section)
{
    l1_set(L1, 0x10000000u, sect(0x40100000u, 3, 5));
    ck_assert(walk(0x100abcdeu));
    ck_assert_uint_eq(res.pa, 0x401abcdeu);
    ck_assert_uint_eq(res.page_shift, 20);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.domain, 5);
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    ck_assert(res.global);
    ck_assert(!res.device);
    /* the next megabyte is unmapped: section translation fault, domain 0 */
    ck_assert(!walk(0x10100000u));
    ck_assert_uint_eq(res.fsr, 0x005);
    ck_assert_uint_eq(res.level, 1);
}
END_TEST

START_TEST(test_short_supersection)
{
    /* PA[31:24] = 0x23, PA[35:32] = 0x1 (bits 23:20), PA[39:36] = 0x4 (bits 8:5):
     * the domain field holds PA bits, the domain is 0. */
    uint32_t d = 0x23000000u | (1u << 20) | (4u << 5) | (1u << 18) | 2u | ap_bits_l1(3);
    for (unsigned k = 0; k < 16; k++)
        l1_set(L1, 0x20000000u + (k << 20), d);
    regs.dacr = 0x55555551u & ~(3u << 8); /* domain 4 no access: not used */
    ck_assert(walk(0x20fedcbau));
    ck_assert_uint_eq(res.pa, 0x4123fedcbaull);
    ck_assert_uint_eq(res.page_shift, 24);
    ck_assert_uint_eq(res.domain, 0);
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    /* domain 0 no access: supersection domain fault with domain 0 */
    regs.dacr = 0x55555554u;
    ck_assert(!walk(0x20000000u));
    ck_assert_uint_eq(res.fsr, 0x009);
}
END_TEST

START_TEST(test_short_pages)
{
    l1_set(L1, 0x30000000u, ptab(L2A, 7));
    l2_set(L2A, 0x30001000u, small(0x40201000u, 3));
    for (unsigned k = 0; k < 16; k++)
        l2_set(L2A, 0x30010000u + (k << 12), large(0x40310000u, 2));
    ck_assert(walk(0x30001234u));
    ck_assert_uint_eq(res.pa, 0x40201234u);
    ck_assert_uint_eq(res.page_shift, 12);
    ck_assert_uint_eq(res.level, 2);
    ck_assert_uint_eq(res.domain, 7);
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    ck_assert(walk(0x3001abcdu));
    ck_assert_uint_eq(res.pa, 0x4031abcdu);
    ck_assert_uint_eq(res.page_shift, 16);
    ck_assert_uint_eq(res.perms, RW_PRIV | MMU_PERM_PRIV_X | MMU_PERM_USER_R | MMU_PERM_USER_X);
    /* an invalid second-level descriptor: page translation fault with the domain */
    ck_assert(!walk(0x30002000u));
    ck_assert_uint_eq(res.fsr, 0x077);
    ck_assert_uint_eq(res.level, 2);
}
END_TEST

/* Table B3-8, SCTLR.AFE = 0: AP[2:0] -> rights (bits R, W of PL1 and PL0). */
static const uint8_t ap_expect[8] = {
    0, RW_PRIV, RW_PRIV | MMU_PERM_USER_R, RW_PRIV | RW_USER, 0, MMU_PERM_PRIV_R,
    MMU_PERM_PRIV_R | MMU_PERM_USER_R, MMU_PERM_PRIV_R | MMU_PERM_USER_R,
};

static uint8_t with_exec(uint8_t rw)
{
    return rw | ((rw & MMU_PERM_PRIV_R) ? MMU_PERM_PRIV_X : 0) |
           ((rw & MMU_PERM_USER_R) ? MMU_PERM_USER_X : 0);
}

START_TEST(test_short_ap)
{
    l1_set(L1, 0x50000000u, ptab(L2A, 1));
    for (unsigned ap = 0; ap < 8; ap++) {
        l1_set(L1, 0x60000000u + (ap << 20), sect(0x40000000u, ap, 2));
        l2_set(L2A, 0x50000000u + (ap << 12), small(0x40000000u, ap));
    }
    for (unsigned ap = 0; ap < 8; ap++) {
        for (int page = 0; page < 2; page++) {
            uint32_t va = page ? 0x50000000u + (ap << 12) : 0x60000000u + (ap << 20);
            ck_assert(walk(va));
            ck_assert_msg(res.perms == with_exec(ap_expect[ap]), "ap %u page %d: perms %02x", ap,
                          page, res.perms);
            static const MmuAccess acc[3] = { MMU_READ, MMU_WRITE, MMU_FETCH };
            static const uint8_t need[2][3] = {
                { MMU_PERM_USER_R, MMU_PERM_USER_W, MMU_PERM_USER_X },
                { MMU_PERM_PRIV_R, MMU_PERM_PRIV_W, MMU_PERM_PRIV_X },
            };
            for (int priv = 0; priv < 2; priv++)
                for (int a = 0; a < 3; a++) {
                    bool ok = tr(va, acc[a], priv);
                    ck_assert_int_eq(ok, (with_exec(ap_expect[ap]) & need[priv][a]) != 0);
                    if (!ok) /* permission fault: section 0xD / page 0xF, with the domain */
                        ck_assert_uint_eq(res.fsr, page ? 0x01fu : 0x02du);
                }
        }
    }
}
END_TEST

START_TEST(test_short_domains)
{
    l1_set(L1, 0x10000000u, sect(0x40000000u, 0, 3)); /* AP 000: no access for clients */
    l1_set(L1, 0x10100000u, sect(0x40000000u, 3, 3) | (1u << 4)); /* XN */
    l1_set(L1, 0x10200000u, ptab(L2A, 3));
    l2_set(L2A, 0x10200000u, small(0x40000000u, 0));
    /* client: AP applies */
    regs.dacr = 1u << 6;
    ck_assert(walk(0x10000000u));
    ck_assert_uint_eq(res.perms, 0);
    /* no access (00) and the reserved value (10): domain fault, section 0x9 / page 0xB */
    for (unsigned v = 0; v <= 2; v += 2) {
        regs.dacr = v << 6;
        ck_assert(!tr(0x10000000u, MMU_READ, true));
        ck_assert_uint_eq(res.fsr, 0x039);
        ck_assert(!tr(0x10200000u, MMU_READ, true));
        ck_assert_uint_eq(res.fsr, 0x03b);
        ck_assert_uint_eq(res.domain, 3);
    }
    /* manager: no permission checks, XN ignored (ARM ARM B3.7.2) */
    regs.dacr = 3u << 6;
    ck_assert(tr(0x10000000u, MMU_WRITE, false));
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    ck_assert(tr(0x10100000u, MMU_FETCH, false));
    ck_assert(tr(0x10200000u, MMU_WRITE, false));
}
END_TEST

START_TEST(test_short_xn_pxn)
{
    l1_set(L1, 0x10000000u, sect(0x40000000u, 3, 0) | (1u << 4));   /* XN */
    l1_set(L1, 0x10100000u, sect(0x40000000u, 3, 0) | 1u);          /* PXN (0b11) */
    l1_set(L1, 0x10200000u, ptab(L2A, 0) | (1u << 2));              /* table PXN */
    l1_set(L1, 0x10300000u, ptab(L2B, 0));
    l2_set(L2A, 0x10200000u, small(0x40000000u, 3));
    l2_set(L2B, 0x10300000u, small(0x40000000u, 3) | 1u);           /* small XN */
    for (unsigned k = 0; k < 16; k++)
        l2_set(L2B, 0x10310000u + (k << 12), large(0x40000000u, 3) | (1u << 15)); /* large XN */
    uint8_t rw = RW_PRIV | RW_USER;
    ck_assert(walk(0x10000000u));
    ck_assert_uint_eq(res.perms, rw);
    ck_assert(walk(0x10100000u));
    ck_assert_uint_eq(res.perms, rw | MMU_PERM_USER_X);
    ck_assert_uint_eq(res.pa, 0x40000000u);
    ck_assert(walk(0x10200000u));
    ck_assert_uint_eq(res.perms, rw | MMU_PERM_USER_X);
    ck_assert(walk(0x10300000u));
    ck_assert_uint_eq(res.perms, rw);
    ck_assert(walk(0x10314000u));
    ck_assert_uint_eq(res.perms, rw);
    ck_assert(!tr(0x10314000u, MMU_FETCH, true));
    ck_assert_uint_eq(res.fsr, 0x00f);
    ck_assert(!tr(0x10100000u, MMU_FETCH, true));
    ck_assert_uint_eq(res.fsr, 0x00d);
    ck_assert(tr(0x10100000u, MMU_FETCH, false));
}
END_TEST

START_TEST(test_short_wxn)
{
    l1_set(L1, 0x10000000u, sect(0x40000000u, 3, 0));  /* RW everywhere */
    l1_set(L1, 0x10100000u, sect(0x40000000u, 2, 0));  /* PL1 RW, PL0 RO */
    l1_set(L1, 0x10200000u, sect(0x40000000u, 7, 0));  /* RO everywhere */
    regs.sctlr |= MMU_SCTLR_WXN;
    ck_assert(walk(0x10000000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER);
    ck_assert(walk(0x10100000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | MMU_PERM_USER_R | MMU_PERM_USER_X);
    ck_assert(walk(0x10200000u));
    ck_assert_uint_eq(res.perms, with_exec(MMU_PERM_PRIV_R | MMU_PERM_USER_R));
    regs.sctlr = (regs.sctlr & ~MMU_SCTLR_WXN) | MMU_SCTLR_UWXN;
    ck_assert(walk(0x10000000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER | MMU_PERM_USER_X);
    ck_assert(walk(0x10100000u));
    ck_assert_uint_eq(res.perms, with_exec(RW_PRIV | MMU_PERM_USER_R));
}
END_TEST

START_TEST(test_short_afe)
{
    regs.sctlr |= MMU_SCTLR_AFE;
    l1_set(L1, 0x10000000u, sect(0x40000000u, 2, 1));  /* AP[0] = 0: access flag 0 */
    l1_set(L1, 0x10100000u, sect(0x40000000u, 1, 1));  /* AP[2:1] = 00: PL1 RW */
    l1_set(L1, 0x10200000u, sect(0x40000000u, 3, 1));  /* 01: RW all */
    l1_set(L1, 0x10300000u, sect(0x40000000u, 5, 1));  /* 10: PL1 RO */
    l1_set(L1, 0x10400000u, sect(0x40000000u, 7, 1));  /* 11: RO all */
    l1_set(L1, 0x10500000u, ptab(L2A, 6));
    l2_set(L2A, 0x10500000u, small(0x40000000u, 6));   /* AF = 0 */
    ck_assert(!walk(0x10000000u));
    ck_assert_uint_eq(res.fsr, 0x013);
    ck_assert(!walk(0x10500000u));
    ck_assert_uint_eq(res.fsr, 0x066);
    /* the access flag fault comes before the domain check */
    regs.dacr = 0;
    ck_assert(!walk(0x10000000u));
    ck_assert_uint_eq(res.fsr, 0x013);
    regs.dacr = 0x55555555u;
    ck_assert(walk(0x10100000u));
    ck_assert_uint_eq(res.perms, with_exec(RW_PRIV));
    ck_assert(walk(0x10200000u));
    ck_assert_uint_eq(res.perms, MMU_PERM_ALL);
    ck_assert(walk(0x10300000u));
    ck_assert_uint_eq(res.perms, with_exec(MMU_PERM_PRIV_R));
    ck_assert(walk(0x10400000u));
    ck_assert_uint_eq(res.perms, with_exec(MMU_PERM_PRIV_R | MMU_PERM_USER_R));
}
END_TEST

START_TEST(test_short_memory_type)
{
    /* TEX remap off (Table B3-10): TEX 000 CB 00 SO, 01 Device; TEX 010 CB 00 Device */
    static const struct { unsigned tex, c, b; bool device; } t[] = {
        { 0, 0, 0, true }, { 0, 0, 1, true }, { 0, 1, 0, false }, { 0, 1, 1, false },
        { 1, 0, 0, false }, { 1, 1, 1, false }, { 2, 0, 0, true }, { 5, 0, 1, false },
    };
    for (unsigned k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        uint32_t d = 0x40000000u | 2u | ap_bits_l1(3) | (t[k].tex << 12) | (t[k].c << 3) | (t[k].b << 2);
        l1_set(L1, 0x10000000u, d);
        ck_assert(walk(0x10000000u));
        ck_assert_msg(res.device == t[k].device, "tex %u c %u b %u", t[k].tex, t[k].c, t[k].b);
        /* the same attributes in a small page */
        l1_set(L1, 0x20000000u, ptab(L2A, 0));
        l2_set(L2A, 0x20000000u, 0x40000000u | 2u | ap_bits_l2(3) | (t[k].tex << 6) | (t[k].c << 3) |
                                     (t[k].b << 2));
        ck_assert(walk(0x20000000u));
        ck_assert_int_eq(res.device, t[k].device);
    }
    /* TEX remap: n = TEX[0]:C:B selects PRRR.TRn (00 SO, 01 Device, 10 Normal) */
    regs.sctlr |= MMU_SCTLR_TRE;
    regs.prrr = 0xaaaa0000u | (2u << 0) | (1u << 2) | (0u << 4) | (2u << 6) | (2u << 8) |
                (1u << 10) | (2u << 12) | (2u << 14);
    for (unsigned n = 0; n < 8; n++) {
        uint32_t d = 0x40000000u | 2u | ap_bits_l1(3) | (((n >> 2) & 1) << 12) |
                     (((n >> 1) & 1) << 3) | ((n & 1) << 2) | (6u << 12) /* TEX[2:1] ignored */;
        l1_set(L1, 0x10000000u, d);
        ck_assert(walk(0x10000000u));
        ck_assert_msg(res.device == (n == 1 || n == 2 || n == 5), "n %u", n);
    }
}
END_TEST

START_TEST(test_short_ng)
{
    l1_set(L1, 0x10000000u, sect(0x40000000u, 3, 0) | (1u << 17));
    l1_set(L1, 0x10100000u, ptab(L2A, 0));
    l2_set(L2A, 0x10100000u, small(0x40000000u, 3) | (1u << 11));
    l2_set(L2A, 0x10101000u, small(0x40000000u, 3));
    ck_assert(walk(0x10000000u));
    ck_assert(!res.global);
    ck_assert(walk(0x10100000u));
    ck_assert(!res.global);
    ck_assert(walk(0x10101000u));
    ck_assert(res.global);
}
END_TEST

START_TEST(test_short_ttbcr_split)
{
    /* N = 2: TTBR0 maps 0-1 GiB with a 4 KiB table at TTBR0[31:12], TTBR1 the rest */
    uint32_t t0 = 0x40020000u;
    regs.ttbcr = 2;
    regs.ttbr0 = t0 | 0x5bu; /* attribute bits below the base are ignored */
    regs.ttbr1 = L1B | 0x1au;
    w32(t0 + (0x3ff00000u >> 20) * 4, sect(0x40100000u, 3, 0));
    l1_set(L1B, 0x3ff00000u, sect(0x40200000u, 3, 0)); /* not used */
    l1_set(L1B, 0x40000000u, sect(0x40300000u, 3, 0));
    l1_set(L1B, 0xfff00000u, sect(0x40400000u, 3, 0));
    ck_assert(walk(0x3ff00010u));
    ck_assert_uint_eq(res.pa, 0x40100010u);
    ck_assert(walk(0x40000020u));
    ck_assert_uint_eq(res.pa, 0x40300020u);
    ck_assert(walk(0xfff00030u));
    ck_assert_uint_eq(res.pa, 0x40400030u);
    /* N = 0: TTBR0 for everything */
    regs.ttbcr = 0;
    regs.ttbr0 = L1;
    l1_set(L1, 0xfff00000u, sect(0x40500000u, 3, 0));
    ck_assert(walk(0xfff00000u));
    ck_assert_uint_eq(res.pa, 0x40500000u);
    /* PD0 / PD1: walks disabled, section translation fault */
    regs.ttbcr = 2 | MMU_TTBCR_PD0;
    regs.ttbr0 = t0;
    ck_assert(!walk(0x3ff00010u));
    ck_assert_uint_eq(res.fsr, 0x005);
    ck_assert(walk(0x40000020u));
    regs.ttbcr = 2 | MMU_TTBCR_PD1;
    ck_assert(walk(0x3ff00010u));
    ck_assert(!walk(0x40000020u));
    ck_assert_uint_eq(res.fsr, 0x005);
    /* PD0 with N = 0 disables everything */
    regs.ttbcr = MMU_TTBCR_PD0;
    ck_assert(!walk(0xfff00000u));
}
END_TEST

START_TEST(test_short_big_endian)
{
    regs.sctlr |= MMU_SCTLR_EE;
    l1_set(L1, 0x10000000u, __builtin_bswap32(sect(0x40700000u, 3, 0)));
    l1_set(L1, 0x10100000u, __builtin_bswap32(ptab(L2A, 2)));
    l2_set(L2A, 0x10101000u, __builtin_bswap32(small(0x40123000u, 3)));
    ck_assert(walk(0x10000044u));
    ck_assert_uint_eq(res.pa, 0x40700044u);
    ck_assert(walk(0x10101044u));
    ck_assert_uint_eq(res.pa, 0x40123044u);
    ck_assert_uint_eq(res.domain, 2);
}
END_TEST

START_TEST(test_short_external_abort)
{
    /* first-level table outside RAM: external abort on the walk, level 1 (0xC) */
    regs.ttbr0 = 0x80000000u;
    ck_assert(!walk(0x10000000u));
    ck_assert_uint_eq(res.fsr, 0x00c);
    /* in a device region: also an abort, and the device is never read */
    regs.ttbr0 = DEV;
    ck_assert(!walk(0x00000000u));
    ck_assert_uint_eq(res.fsr, 0x00c);
    ck_assert_uint_eq(dev_reads, 0);
    /* a second-level table outside RAM: 0xE with the domain */
    regs.ttbr0 = L1;
    l1_set(L1, 0x10000000u, ptab(0xfffffc00u, 9));
    ck_assert(!walk(0x100ff000u));
    ck_assert_uint_eq(res.fsr, 0x09e);
    ck_assert_uint_eq(res.level, 2);
    /* the last word of RAM is a table; one past it is not */
    l1_set(L1, 0x10100000u, ptab(RAM + RAM_SIZE - 0x400, 0));
    l2_set(RAM + RAM_SIZE - 0x400, 0x101ff000u, small(0x40000000u, 3));
    ck_assert(walk(0x101ff000u));
    /* a mapping of a physical address beyond RAM is fine for the walker */
    l1_set(L1, 0x10200000u, sect(0xfff00000u, 3, 0));
    ck_assert(walk(0x10200000u));
    ck_assert_uint_eq(res.pa, 0xfff00000u);
}
END_TEST

/* ---- long descriptors (LPAE) ---- */

#define L_TABLE 3ull
#define L_BLOCK 1ull
#define L_PAGE 3ull
#define L_AF (1ull << 10)
#define L_USER (1ull << 6)
#define L_RO (1ull << 7)
#define L_NG (1ull << 11)
#define L_SH(x) ((uint64_t)(x) << 8)
#define L_IDX(i) ((uint64_t)(i) << 2)
#define L_PXN (1ull << 53)
#define L_XN (1ull << 54)
#define L_PXNT (1ull << 59)
#define L_XNT (1ull << 60)
#define L_APT(x) ((uint64_t)(x) << 61)

static void lpae_setup(void)
{
    regs.ttbcr = MMU_TTBCR_EAE;
    regs.ttbr0 = LL1;
    regs.prrr = 0x0044ff04u;  /* MAIR0: attr0 Device, attr1 Normal WB, attr2 Normal NC */
    regs.nmrr = 0x00aa0000u;  /* MAIR1: attr6 Normal WT */
    w64(LL1 + 0 * 8, LL2 | L_TABLE);
    w64(LL1 + 1 * 8, 0x80000000ull | L_BLOCK | L_AF | L_IDX(1) | L_USER); /* 0x40000000: 1 GiB */
    w64(LL2 + 0x100 * 8, 0x48200000ull | L_BLOCK | L_AF | L_IDX(1));       /* 0x20000000: 2 MiB */
    w64(LL2 + 0x101 * 8, LL3 | L_TABLE);                                   /* 0x20200000 */
    w64(LL3 + 0 * 8, 0x48400000ull | L_PAGE | L_AF | L_IDX(1) | L_USER);   /* 0x20200000 */
}

static bool lw(uint32_t va) { return walk(va); }

START_TEST(test_lpae_levels)
{
    lpae_setup();
    ck_assert(lw(0x40000123u));
    ck_assert_uint_eq(res.pa, 0x80000123u);
    ck_assert_uint_eq(res.page_shift, 30);
    ck_assert_uint_eq(res.level, 1);
    ck_assert(lw(0x7fffffffu));
    ck_assert_uint_eq(res.pa, 0xbfffffffu);
    ck_assert(lw(0x201fff00u));
    ck_assert_uint_eq(res.pa, 0x483fff00u);
    ck_assert_uint_eq(res.page_shift, 21);
    ck_assert_uint_eq(res.level, 2);
    ck_assert(lw(0x20200abcu));
    ck_assert_uint_eq(res.pa, 0x48400abcu);
    ck_assert_uint_eq(res.page_shift, 12);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(res.domain, 0);
    /* translation faults, levels 1-3 (STATUS 0b0001LL, bit 9) */
    ck_assert(!lw(0xc0000000u));
    ck_assert_uint_eq(res.fsr, 0x205);
    ck_assert(!lw(0x20400000u));
    ck_assert_uint_eq(res.fsr, 0x206);
    ck_assert(!lw(0x20201000u));
    ck_assert_uint_eq(res.fsr, 0x207);
    /* 0b01 at level 3 is reserved: translation fault; 0b10 is invalid at every level */
    w64(LL3 + 1 * 8, 0x48401000ull | 1 | L_AF);
    ck_assert(!lw(0x20201000u));
    ck_assert_uint_eq(res.fsr, 0x207);
    w64(LL2 + 0x102 * 8, 0x48600000ull | 2 | L_AF);
    ck_assert(!lw(0x20400000u));
    ck_assert_uint_eq(res.fsr, 0x206);
    /* an output address above 4 GiB (bits up to 39) */
    w64(LL2 + 0x103 * 8, 0xab00200000ull | L_BLOCK | L_AF);
    ck_assert(lw(0x20612345u));
    ck_assert_uint_eq(res.pa, 0xab00212345ull);
}
END_TEST

START_TEST(test_lpae_access_flag)
{
    lpae_setup();
    w64(LL1 + 1 * 8, 0x80000000ull | L_BLOCK);
    w64(LL2 + 0x100 * 8, 0x48200000ull | L_BLOCK);
    w64(LL3 + 0 * 8, 0x48400000ull | L_PAGE);
    ck_assert(!lw(0x40000000u));
    ck_assert_uint_eq(res.fsr, 0x209);
    ck_assert(!lw(0x20000000u));
    ck_assert_uint_eq(res.fsr, 0x20a);
    ck_assert(!lw(0x20200000u));
    ck_assert_uint_eq(res.fsr, 0x20b);
}
END_TEST

START_TEST(test_lpae_permissions)
{
    lpae_setup();
    /* AP[2:1]: 00 PL1 RW, 01 RW all, 10 PL1 RO, 11 RO all */
    static const uint64_t ap[4] = { 0, L_USER, L_RO, L_RO | L_USER };
    static const uint8_t want[4] = { RW_PRIV, RW_PRIV | RW_USER, MMU_PERM_PRIV_R,
                                     MMU_PERM_PRIV_R | MMU_PERM_USER_R };
    for (unsigned k = 0; k < 4; k++)
        w64(LL3 + (8 + k) * 8, (0x48408000ull + (k << 12)) | L_PAGE | L_AF | ap[k]);
    for (unsigned k = 0; k < 4; k++) {
        ck_assert(lw(0x20208000u + (k << 12)));
        ck_assert_uint_eq(res.perms, with_exec(want[k]));
    }
    /* a permission fault reports the level of the final descriptor */
    ck_assert(!tr(0x2020a000u, MMU_WRITE, true));
    ck_assert_uint_eq(res.fsr, 0x20f);
    ck_assert(!tr(0x20000000u, MMU_READ, false));
    ck_assert_uint_eq(res.fsr, 0x20e);
    ck_assert(!tr(0x20208000u, MMU_FETCH, false));
    ck_assert_uint_eq(res.fsr, 0x20f);
    /* XN, PXN */
    w64(LL3 + 12 * 8, 0x4840c000ull | L_PAGE | L_AF | L_USER | L_XN);
    w64(LL3 + 13 * 8, 0x4840d000ull | L_PAGE | L_AF | L_USER | L_PXN);
    ck_assert(lw(0x2020c000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER);
    ck_assert(lw(0x2020d000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER | MMU_PERM_USER_X);
    /* WXN */
    regs.sctlr |= MMU_SCTLR_WXN;
    ck_assert(lw(0x2020b000u));
    ck_assert_uint_eq(res.perms, with_exec(MMU_PERM_PRIV_R | MMU_PERM_USER_R));
    ck_assert(lw(0x20209000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER);
}
END_TEST

START_TEST(test_lpae_table_attributes)
{
    lpae_setup();
    uint64_t page = 0x48500000ull | L_PAGE | L_AF | L_USER;
    uint32_t l3b = LL3 + 0x1000;
    w64(l3b, page);
    w64(LL2 + 0x110 * 8, l3b | L_TABLE | L_APT(1)); /* 0x22000000: no PL0 access */
    w64(LL2 + 0x111 * 8, l3b | L_TABLE | L_APT(2)); /* 0x22200000: read-only */
    w64(LL2 + 0x112 * 8, l3b | L_TABLE | L_XNT);    /* 0x22400000 */
    w64(LL2 + 0x113 * 8, l3b | L_TABLE | L_PXNT);   /* 0x22600000 */
    ck_assert(lw(0x22000000u));
    ck_assert_uint_eq(res.perms, with_exec(RW_PRIV));
    ck_assert(lw(0x22200000u));
    ck_assert_uint_eq(res.perms, with_exec(MMU_PERM_PRIV_R | MMU_PERM_USER_R));
    ck_assert(lw(0x22400000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER);
    ck_assert(lw(0x22600000u));
    ck_assert_uint_eq(res.perms, RW_PRIV | RW_USER | MMU_PERM_USER_X);
    /* attributes accumulate over levels: APTable at level 1 and XNTable at level 2 */
    w64(LL1 + 0 * 8, LL2 | L_TABLE | L_APT(2));
    ck_assert(lw(0x22400000u));
    ck_assert_uint_eq(res.perms, MMU_PERM_PRIV_R | MMU_PERM_USER_R);
}
END_TEST

START_TEST(test_lpae_attributes)
{
    lpae_setup();
    static const struct { unsigned idx; uint8_t attr; bool device; } t[] = {
        { 0, 0x04, true }, { 1, 0xff, false }, { 2, 0x44, false }, { 3, 0x00, true },
        { 6, 0xaa, false }, { 7, 0x00, true },
    };
    for (unsigned k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        w64(LL3 + 5 * 8, 0x48405000ull | L_PAGE | L_AF | L_IDX(t[k].idx) | L_SH(3));
        ck_assert(lw(0x20205000u));
        ck_assert_uint_eq(res.attr, t[k].attr);
        ck_assert_int_eq(res.device, t[k].device);
        ck_assert_uint_eq(res.sh, 3);
    }
    w64(LL3 + 6 * 8, 0x48406000ull | L_PAGE | L_AF | L_NG);
    ck_assert(lw(0x20206000u));
    ck_assert(!res.global);
    ck_assert(lw(0x20200000u));
    ck_assert(res.global);
}
END_TEST

START_TEST(test_lpae_split)
{
    lpae_setup();
    w64(LT1 + 0 * 8, 0x100000000ull | L_BLOCK | L_AF);  /* TTBR1 index 0 */
    w64(LT1 + 2 * 8, 0x140000000ull | L_BLOCK | L_AF);  /* TTBR1 index 2 */
    w64(LT2 + 0 * 8, 0x43000000ull | L_BLOCK | L_AF);   /* level-2 table for TTBR1 */
    regs.ttbr1 = LT1 | (5ull << 48);                     /* the ASID is not an address */
    /* T0SZ = T1SZ = 0: TTBR0 for everything */
    ck_assert(lw(0x40000000u));
    ck_assert_uint_eq(res.pa, 0x80000000u);
    /* T0SZ = 1, T1SZ = 0: TTBR1 above 2 GiB, indexed by VA[31:30] */
    regs.ttbcr = MMU_TTBCR_EAE | 1;
    ck_assert(lw(0x80000100u));
    ck_assert_uint_eq(res.pa, 0x140000100ull);
    ck_assert(lw(0x20000000u));
    ck_assert_uint_eq(res.pa, 0x48200000u);
    /* T0SZ = 1, T1SZ = 1: TTBR1 indexed by VA[30] (a 2-entry table) */
    regs.ttbcr = MMU_TTBCR_EAE | (1u << 16) | 1;
    ck_assert(lw(0x80000100u));
    ck_assert_uint_eq(res.pa, 0x100000100ull);
    /* T0SZ = 0, T1SZ = 2: TTBR1 maps the top GiB starting at level 2 */
    regs.ttbr1 = LT2;
    regs.ttbcr = MMU_TTBCR_EAE | (2u << 16);
    ck_assert(lw(0xc0000100u));
    ck_assert_uint_eq(res.pa, 0x43000100u);
    ck_assert_uint_eq(res.level, 2);
    ck_assert(lw(0x40000000u)); /* TTBR0 below */
    /* T0SZ = 1, T1SZ = 2: 2-3 GiB is in neither region: translation fault, level 1 */
    regs.ttbcr = MMU_TTBCR_EAE | (2u << 16) | 1;
    ck_assert(!lw(0x80000000u));
    ck_assert_uint_eq(res.fsr, 0x205);
    /* T0SZ = 2: TTBR0 starts at level 2 with the table at TTBR0[39:12] */
    regs.ttbcr = MMU_TTBCR_EAE | 2;
    regs.ttbr0 = LL2;
    ck_assert(lw(0x20000010u));
    ck_assert_uint_eq(res.pa, 0x48200010u);
    ck_assert(lw(0x20200010u));
    ck_assert_uint_eq(res.pa, 0x48400010u);
    /* EPD0 / EPD1 */
    regs.ttbcr = MMU_TTBCR_EAE | 2 | MMU_TTBCR_EPD0 | (2u << 16);
    ck_assert(!lw(0x20000010u));
    ck_assert_uint_eq(res.fsr, 0x205);
    ck_assert(lw(0xc0000000u));
    regs.ttbcr = MMU_TTBCR_EAE | 2 | MMU_TTBCR_EPD1 | (2u << 16);
    ck_assert(lw(0x20000010u));
    ck_assert(!lw(0xc0000000u));
    ck_assert_uint_eq(res.fsr, 0x205);
}
END_TEST

START_TEST(test_lpae_external_abort)
{
    lpae_setup();
    regs.ttbr0 = 0x1000000000ull; /* BADDR bit 36: not RAM */
    ck_assert(!lw(0x20000000u));
    ck_assert_uint_eq(res.fsr, 0x215);
    regs.ttbr0 = LL1;
    w64(LL1 + 3 * 8, 0xfffff000ull | L_TABLE);
    ck_assert(!lw(0xc0000000u));
    ck_assert_uint_eq(res.fsr, 0x216);
    w64(LL2 + 0x1ff * 8, (uint64_t)DEV | L_TABLE);
    ck_assert(!lw(0x3fe00000u));
    ck_assert_uint_eq(res.fsr, 0x217);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(dev_reads, 0);
    /* big-endian tables */
    regs.sctlr |= MMU_SCTLR_EE;
    w64(LT1, __builtin_bswap64(0x40000000ull | L_BLOCK | L_AF));
    regs.ttbr0 = LT1;
    ck_assert(lw(0x00000040u));
    ck_assert_uint_eq(res.pa, 0x40000040u);
}
END_TEST

/* Random tables, registers and addresses: every walk ends in a result or a fault with a
 * status in the right format, and nothing outside RAM is touched (the sanitizer build
 * checks the latter). */
static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

START_TEST(test_random_tables)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint32_t *ram = (uint32_t *)physmem_ram_ptr(&pm, RAM, RAM_SIZE);
    for (unsigned k = 0; k < RAM_SIZE / 4; k++) {
        uint32_t r = (uint32_t)xorshift(&x), sel = (uint32_t)xorshift(&x) % 4;
        /* many words point into RAM, with random low (attribute/type) bits, and many high
         * words of LPAE descriptors keep only attribute bits, so that walks go deep */
        if (k % 2 == 0)
            ram[k] = sel < 3 ? (RAM + (r & (RAM_SIZE - 1) & ~0xfffu)) | (r & 0xfffu) : r;
        else
            ram[k] = sel < 2 ? (r & 0x7ff00000u) : r;
    }
    for (unsigned it = 0; it < 200000; it++) {
        MmuRegs g;
        g.sctlr = MMU_SCTLR_M | ((uint32_t)xorshift(&x) & (MMU_SCTLR_AFE | MMU_SCTLR_TRE |
                                                          MMU_SCTLR_WXN | MMU_SCTLR_UWXN |
                                                          MMU_SCTLR_EE));
        g.ttbcr = (uint32_t)xorshift(&x) & (MMU_TTBCR_EAE | 0x00ff00ffu);
        g.dacr = (uint32_t)xorshift(&x);
        g.ttbr0 = (it & 1) ? RAM + (xorshift(&x) & (RAM_SIZE - 1)) : xorshift(&x);
        g.ttbr1 = (it & 2) ? RAM + (xorshift(&x) & (RAM_SIZE - 1)) : xorshift(&x);
        g.prrr = (uint32_t)xorshift(&x);
        g.nmrr = (uint32_t)xorshift(&x);
        uint32_t va = (uint32_t)xorshift(&x);
        MmuAccess a = (MmuAccess)(xorshift(&x) % 3);
        bool priv = xorshift(&x) & 1;
        if (mmu_translate(&pm, &g, va, a, priv, &res)) {
            ck_assert(res.page_shift == 12 || res.page_shift == 16 || res.page_shift == 20 ||
                      res.page_shift == 21 || res.page_shift == 24 || res.page_shift == 30);
            ck_assert(res.pa < (1ull << 40));
            ck_assert_uint_eq(res.pa & ((1u << res.page_shift) - 1), va & ((1u << res.page_shift) - 1));
        } else {
            ck_assert_int_eq((res.fsr & MMU_FSR_LPAE) != 0, (g.ttbcr & MMU_TTBCR_EAE) != 0);
            ck_assert(res.level >= 1 && res.level <= 3);
        }
    }
    ck_assert_uint_eq(dev_reads, 0);
}
END_TEST

/* ---- fault status and PAR encodings ---- */

START_TEST(test_fsr_encodings)
{
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_ALIGNMENT, 0, 3), 0x001);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_DEBUG, 0, 0), 0x002);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_TRANSLATION, 1, 2), 0x025);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_TRANSLATION, 2, 2), 0x027);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_ACCESS_FLAG, 1, 1), 0x013);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_ACCESS_FLAG, 2, 1), 0x016);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_DOMAIN, 1, 15), 0x0f9);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_DOMAIN, 2, 15), 0x0fb);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_PERMISSION, 1, 4), 0x04d);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_PERMISSION, 2, 4), 0x04f);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_EXTERNAL, 0, 4), 0x008);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_EXTERNAL_WALK, 1, 0), 0x00c);
    ck_assert_uint_eq(mmu_fsr_short(MMU_FAULT_EXTERNAL_WALK, 2, 6), 0x06e);
    for (unsigned l = 1; l <= 3; l++) {
        ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_TRANSLATION, l), 0x204 | l);
        ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_ACCESS_FLAG, l), 0x208 | l);
        ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_PERMISSION, l), 0x20c | l);
        ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_EXTERNAL_WALK, l), 0x214 | l);
    }
    ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_ALIGNMENT, 0), 0x221);
    ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_DEBUG, 0), 0x222);
    ck_assert_uint_eq(mmu_fsr_long(MMU_FAULT_EXTERNAL, 0), 0x210);
    /* conversion: alignment, debug, external abort; WnR and ExT kept; idempotent */
    ck_assert_uint_eq(mmu_fsr_to_long(0x001), 0x221);
    ck_assert_uint_eq(mmu_fsr_to_long(0x801), 0xa21);
    ck_assert_uint_eq(mmu_fsr_to_long(0x002), 0x222);
    ck_assert_uint_eq(mmu_fsr_to_long(0x008), 0x210);
    ck_assert_uint_eq(mmu_fsr_to_long(0x1808), 0x1a10);
    ck_assert_uint_eq(mmu_fsr_to_long(0x00c), 0x215);
    ck_assert_uint_eq(mmu_fsr_to_long(0x4e), 0x216);
    ck_assert_uint_eq(mmu_fsr_to_long(0x207), 0x207);
    ck_assert_uint_eq(mmu_fsr_to_long(0xa21), 0xa21);
}
END_TEST

START_TEST(test_par_encodings)
{
    /* short format */
    MmuResult r = { .pa = 0x48123456u, .page_shift = 12 };
    ck_assert_uint_eq(mmu_par_encode(&regs, true, &r), 0x48123000u | 0x200u);
    r.page_shift = 20;
    ck_assert_uint_eq(mmu_par_encode(&regs, true, &r), 0x48123000u | 0x200u);
    r = (MmuResult){ .pa = 0x4123fedcbaull, .page_shift = 24 };
    ck_assert_uint_eq(mmu_par_encode(&regs, true, &r), 0x23410000u | 0x200u | 0x2u);
    r.fsr = 0x04f;
    ck_assert_uint_eq(mmu_par_encode(&regs, false, &r), (0xfu << 1) | 1u);
    r.fsr = 0x00c | (1u << 10) | (1u << 12); /* FS[4], ExT */
    ck_assert_uint_eq(mmu_par_encode(&regs, false, &r), (0xcu << 1) | (1u << 5) | (1u << 6) | 1u);
    /* long format */
    regs.ttbcr = MMU_TTBCR_EAE;
    r = (MmuResult){ .pa = 0xab12345678ull, .page_shift = 12, .attr = 0xff, .sh = 3 };
    ck_assert_uint_eq(mmu_par_encode(&regs, true, &r),
                      (0xffull << 56) | 0xab12345000ull | (3u << 7) | (1u << 9) | (1u << 11));
    r.attr = 0x04; /* Device: reported Outer Shareable */
    ck_assert_uint_eq(mmu_par_encode(&regs, true, &r),
                      (0x04ull << 56) | 0xab12345000ull | (2u << 7) | (1u << 9) | (1u << 11));
    r.fsr = 0x20b;
    ck_assert_uint_eq(mmu_par_encode(&regs, false, &r), (0x0bu << 1) | (1u << 11) | 1u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmu-walk");
    TCase *tc = tcase_create("short");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mmu_off);
    tcase_add_test(tc, test_short_section);
    tcase_add_test(tc, test_short_supersection);
    tcase_add_test(tc, test_short_pages);
    tcase_add_test(tc, test_short_ap);
    tcase_add_test(tc, test_short_domains);
    tcase_add_test(tc, test_short_xn_pxn);
    tcase_add_test(tc, test_short_wxn);
    tcase_add_test(tc, test_short_afe);
    tcase_add_test(tc, test_short_memory_type);
    tcase_add_test(tc, test_short_ng);
    tcase_add_test(tc, test_short_ttbcr_split);
    tcase_add_test(tc, test_short_big_endian);
    tcase_add_test(tc, test_short_external_abort);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("lpae");
    tcase_add_checked_fixture(tl, setup, teardown);
    tcase_add_test(tl, test_lpae_levels);
    tcase_add_test(tl, test_lpae_access_flag);
    tcase_add_test(tl, test_lpae_permissions);
    tcase_add_test(tl, test_lpae_table_attributes);
    tcase_add_test(tl, test_lpae_attributes);
    tcase_add_test(tl, test_lpae_split);
    tcase_add_test(tl, test_lpae_external_abort);
    suite_add_tcase(s, tl);
    TCase *tr_ = tcase_create("robustness");
    tcase_add_checked_fixture(tr_, setup, teardown);
    tcase_set_timeout(tr_, 120);
    tcase_add_test(tr_, test_random_tables);
    suite_add_tcase(s, tr_);
    TCase *te = tcase_create("encodings");
    tcase_add_checked_fixture(te, setup, teardown);
    tcase_add_test(te, test_fsr_encodings);
    tcase_add_test(te, test_par_encodings);
    suite_add_tcase(s, te);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
