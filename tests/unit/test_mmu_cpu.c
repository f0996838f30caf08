/*
 * The MMU as the CPU uses it (frontend-arm/mem.c, cp15.c): data accesses, fetches and
 * LDRT/STRT through the translation tables, the aborts they raise (DFSR/DFAR, IFSR/IFAR,
 * WnR, short and long formats), PAR after the ATS1C* operations, the soft TLB (what is
 * cached per privilege level, TLBIMVA dropping it, translated code seeing the old
 * mapping until the invalidate), the CP15 register masks, and the tlb_changed_fn hook.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "a32_harness.h"
#include "native/native.h"

#define L1 0x40010000u   /* short: first-level table (16 KiB) */
#define L2 0x40014000u   /* short: second-level table */
#define LL1 0x40018000u  /* LPAE tables */
#define LL2 0x40019000u
#define LL3 0x4001a000u
#define VECTORS (A32_RAM_BASE + 0x1000u)
#define NOP 0xe1a00000u
/* Virtual addresses of the short-descriptor layout. */
#define V_PRIV 0x10000000u   /* section -> RAM, AP 001 (PL1 only), domain 1 */
#define V_RW 0x10100000u     /* small page -> 0x40080000, AP 011, domain 2 */
#define V_URO 0x10101000u    /* -> 0x40081000, AP 010 (PL0 read-only) */
#define V_RO 0x10102000u     /* -> 0x40082000, AP 111 */
#define V_XN 0x10103000u     /* -> 0x40083000, AP 011, XN */
#define V_NONE 0x10104000u   /* translation fault */
#define V_NG 0x10105000u     /* -> 0x40085000, nG */
#define V_BUS 0x10106000u    /* -> 0x80000000: no memory there */

static A32Run run;
static ArmCpu *cpu;

static void w32(PhysAddr a, uint32_t v) { ck_assert_int_eq(physmem_copy_to_guest(&run.mem, a, &v, 4), 0); }
static void w64(PhysAddr a, uint64_t v) { ck_assert_int_eq(physmem_copy_to_guest(&run.mem, a, &v, 8), 0); }
static uint32_t r32(PhysAddr a)
{
    uint32_t v;
    ck_assert_int_eq(physmem_copy_from_guest(&run.mem, &v, a, 4), 0);
    return v;
}

static void mcr(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2, uint32_t v)
{
    ck_assert(arm_cp_access(cpu, 15, opc1, crn, crm, opc2, false, &v));
}
static uint32_t mrc(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2)
{
    uint32_t v = 0xdeadbeefu;
    ck_assert(arm_cp_access(cpu, 15, opc1, crn, crm, opc2, true, &v));
    return v;
}
static uint64_t mrrc(unsigned opc1, unsigned crm)
{
    uint64_t v = 0;
    ck_assert(arm_cp_access64(cpu, 15, opc1, crm, true, &v));
    return v;
}
static void mcrr(unsigned opc1, unsigned crm, uint64_t v)
{
    ck_assert(arm_cp_access64(cpu, 15, opc1, crm, false, &v));
}

static uint32_t small(uint32_t pa, unsigned ap)
{
    return (pa & ~0xfffu) | 2u | ((ap & 3u) << 4) | (((ap >> 2) & 1u) << 9) | 0xcu | (1u << 6);
}
static void l2_set(uint32_t va, uint32_t d) { w32(L2 + ((va >> 12) & 0xff) * 4, d); }

static void build_short_tables(void)
{
    w32(L1 + (A32_RAM_BASE >> 20) * 4, A32_RAM_BASE | 2u | (3u << 10) | 0xcu | (1u << 12)); /* RAM 1:1 */
    w32(L1 + (V_PRIV >> 20) * 4, A32_RAM_BASE | 2u | (1u << 10) | (1u << 5) | 0xcu | (1u << 12));
    w32(L1 + (V_RW >> 20) * 4, L2 | 1u | (2u << 5));
    l2_set(V_RW, small(0x40080000u, 3));
    l2_set(V_URO, small(0x40081000u, 2));
    l2_set(V_RO, small(0x40082000u, 7));
    l2_set(V_XN, small(0x40083000u, 3) | 1u);
    l2_set(V_NG, small(0x40085000u, 3) | (1u << 11));
    l2_set(V_BUS, small(0x80000000u, 3));
}

/* MMU on with the short-descriptor tables, domains 0-2 client. */
static void mmu_on_short(void)
{
    build_short_tables();
    mcr(2, 0, 0, 0, L1);
    mcr(3, 0, 0, 0, 0x15u);
    mcr(1, 0, 0, 0, mrc(1, 0, 0, 0) | SCTLR_M);
}

/* LPAE: 0x40000000-0x7fffffff 1:1 (1 GiB block, RW all); 0x10000000 -> LL3:
 * [0] 0x40080000 PL1 RO, [1] 0x80000000 (nothing) RW, [2] 0x40082000 RW all XN,
 * [3] 0x40083000 RW all, device (attr 0). */
static void mmu_on_lpae(void)
{
    const uint64_t af = 1u << 10, user = 1u << 6, ro = 1u << 7, idx1 = 1u << 2;
    w64(LL1 + 1 * 8, 0x40000000ull | 1 | af | user | idx1);
    w64(LL1 + 0 * 8, LL2 | 3u);
    w64(LL2 + 0x80 * 8, LL3 | 3u);
    w64(LL3 + 0 * 8, 0x40080000ull | 3 | af | ro | idx1);
    w64(LL3 + 1 * 8, 0x80000000ull | 3 | af | user | idx1);
    w64(LL3 + 2 * 8, 0x40082000ull | 3 | af | user | idx1 | (1ull << 54));
    w64(LL3 + 3 * 8, 0x40083000ull | 3 | af | user);
    mcr(10, 0, 2, 0, 0x0000ff04u); /* MAIR0: attr0 Device, attr1 Normal WB */
    mcr(2, 0, 0, 2, 0x80000000u);  /* TTBCR.EAE */
    mcrr(0, 2, LL1 | (7ull << 48));
    mcr(1, 0, 0, 0, mrc(1, 0, 0, 0) | SCTLR_M);
}

static void setup(void)
{
    a32_run_init(&run);
    cpu = &run.cpu;
    cpu->cp15.vbar = VECTORS;
    for (unsigned k = 0; k < 8; k++)
        w32(VECTORS + 4 * k, NOP);
}
static void teardown(void) { a32_run_free(&run); }

static void expect_dabort(uint32_t fsr, uint32_t far)
{
    ck_assert_int_eq(cpu->pending_exc, ARM_EXC_DATA_ABORT);
    ck_assert_uint_eq(cpu->pending_fsr, fsr);
    ck_assert_uint_eq(cpu->pending_far, far);
    cpu->pending_exc = ARM_EXC_NONE;
}

static void expect_pabort(uint32_t fsr, uint32_t far)
{
    ck_assert_int_eq(cpu->pending_exc, ARM_EXC_PREFETCH_ABORT);
    ck_assert_uint_eq(cpu->pending_fsr, fsr);
    ck_assert_uint_eq(cpu->pending_far, far);
    cpu->pending_exc = ARM_EXC_NONE;
}

/* ---- data accesses, short descriptors ---- */

START_TEST(test_mmu_off_identity)
{
    uint32_t v;
    ck_assert(arm_mem_write(cpu, 0x40080010u, 4, 0xcafef00du));
    ck_assert(arm_mem_read(cpu, 0x40080010u, 4 | ARM_MEM_USER, &v));
    ck_assert_uint_eq(v, 0xcafef00du);
    PhysAddr pa;
    ck_assert(arm_virt_to_phys(cpu, 0x12345678u, &pa));
    ck_assert_uint_eq(pa, 0x12345678u);
    ck_assert(!arm_mem_read(cpu, 0x80000000u, 4, &v));
    expect_dabort(ARM_FSR_SYNC_EXTERNAL, 0x80000000u);
}
END_TEST

START_TEST(test_translate_read_write)
{
    mmu_on_short();
    uint32_t v;
    ck_assert(arm_mem_write(cpu, V_RW + 0x10, 4, 0x11223344u));
    ck_assert_uint_eq(r32(0x40080010u), 0x11223344u);
    ck_assert(arm_mem_read(cpu, V_RW + 0x10, 4, &v));
    ck_assert_uint_eq(v, 0x11223344u);
    ck_assert(arm_mem_read(cpu, V_PRIV + 0x80010, 2 | ARM_MEM_SIGNED, &v)); /* section alias */
    ck_assert_uint_eq(v, 0x3344u);
    ck_assert(arm_mem_write(cpu, V_RW + 0x13, 1, 0xaa));
    ck_assert_uint_eq(r32(0x40080010u), 0xaa223344u);
    /* unaligned, crossing from V_RW into V_URO (both writable at PL1) */
    ck_assert(arm_mem_write(cpu, V_RW + 0xffe, 4, 0x55667788u));
    ck_assert_uint_eq(r32(0x40080ffcu) >> 16, 0x7788u);
    ck_assert_uint_eq(r32(0x40081000u) & 0xffffu, 0x5566u);
    ck_assert(arm_mem_read(cpu, V_RW + 0xffe, 4, &v));
    ck_assert_uint_eq(v, 0x55667788u);
    PhysAddr pa;
    ck_assert(arm_virt_to_phys(cpu, V_URO + 4, &pa));
    ck_assert_uint_eq(pa, 0x40081004u);
    ck_assert(arm_virt_to_phys(cpu, V_PRIV, &pa)); /* permissions do not matter */
    ck_assert(!arm_virt_to_phys(cpu, V_NONE, &pa));
}
END_TEST

START_TEST(test_privilege)
{
    mmu_on_short();
    uint32_t v;
    /* PL1-only section: LDRT/STRT (ARM_MEM_USER) fault, with the domain (1) */
    ck_assert(arm_mem_read(cpu, V_PRIV + 0x100, 4, &v));
    ck_assert(!arm_mem_read(cpu, V_PRIV + 0x100, 4 | ARM_MEM_USER, &v));
    expect_dabort(0x01d, V_PRIV + 0x100);
    ck_assert(!arm_mem_write(cpu, V_PRIV + 0x104, 1 | ARM_MEM_USER, 1));
    expect_dabort(0x81d, V_PRIV + 0x104);
    /* PL0 read-only page */
    ck_assert(arm_mem_read(cpu, V_URO, 4 | ARM_MEM_USER, &v));
    ck_assert(arm_mem_write(cpu, V_URO, 4, 5));
    ck_assert(!arm_mem_write(cpu, V_URO + 8, 4 | ARM_MEM_USER, 5));
    expect_dabort(0x82f, V_URO + 8);
    /* read-only for everybody */
    ck_assert(!arm_mem_write(cpu, V_RO, 2, 5));
    expect_dabort(0x82f, V_RO);
    /* User mode: privilege from the mode */
    arm_switch_mode(cpu, ARM_MODE_USR);
    ck_assert(!arm_mem_read(cpu, V_PRIV, 4, &v));
    expect_dabort(0x01d, V_PRIV);
    ck_assert(arm_mem_read(cpu, V_URO, 4, &v));
    ck_assert_uint_eq(v, 5);
    ck_assert(!arm_mem_write(cpu, V_URO, 4, 6));
    expect_dabort(0x82f, V_URO);
}
END_TEST

/* The fast path's shadow faults: a page is mapped into the sandbox with what user mode
 * may do there, or the abort user mode would get is reported. */
START_TEST(test_native_resolve)
{
    mmu_on_short();
    char err[200];
    NativeSpace ns;
    ck_assert_int_eq(native_init(&ns, &run.mem, 1, err, sizeof err), 0);
    Sandbox *sb = native_sandbox_for(&ns, 0);
    /* user read-write page: mapped writable, and it is guest RAM */
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_RW + 0x10, false, NULL), ARM_NATIVE_MAPPED);
    *(volatile uint32_t *)(sb->base + V_RW + 0x10) = 0x5a5a1234u;
    ck_assert_uint_eq(r32(0x40080010u), 0x5a5a1234u);
    /* user read-only page: readable; a write is the permission fault PL0 gets */
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_URO, false, NULL), ARM_NATIVE_MAPPED);
    w32(0x40081008u, 77);
    ck_assert_uint_eq(*(volatile uint32_t *)(sb->base + V_URO + 8), 77);
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_URO + 8, true, NULL), ARM_NATIVE_ABORT);
    expect_dabort(0x82f, V_URO + 8);
    /* kernel-only, unmapped, and not RAM */
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_PRIV + 4, false, NULL), ARM_NATIVE_ABORT);
    expect_dabort(0x01d, V_PRIV + 4);
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_NONE, false, NULL), ARM_NATIVE_ABORT);
    ck_assert_uint_eq(cpu->pending_fsr & 0x40fu, 0x007u); /* translation fault, page */
    cpu->pending_exc = ARM_EXC_NONE;
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_BUS, false, NULL), ARM_NATIVE_DEVICE);
    /* a page with translated code: readable, but a write goes back to the engine */
    physmem_mark_code_page(&run.mem, 0x40080000u);
    native_unmap_page(&ns, sb, V_RW);
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_RW, true, NULL), ARM_NATIVE_CODE_WRITE);
    ck_assert_int_eq(arm_native_resolve(cpu, &ns, sb, V_RW, false, NULL), ARM_NATIVE_MAPPED);
    ck_assert_uint_eq(*(volatile uint32_t *)(sb->base + V_RW + 0x10), 0x5a5a1234u);
    physmem_clear_code_page(&run.mem, 0x40080000u);
    native_destroy(&ns);
}
END_TEST

START_TEST(test_faults_short)
{
    mmu_on_short();
    uint32_t v = 0x77;
    ck_assert(!arm_mem_read(cpu, V_NONE + 4, 4, &v));
    expect_dabort(0x027, V_NONE + 4);
    ck_assert_uint_eq(v, 0x77);
    ck_assert(!arm_mem_write(cpu, V_NONE, 1, 1));
    expect_dabort(0x827, V_NONE);
    ck_assert(!arm_mem_read(cpu, 0x20000000u, 4, &v));
    expect_dabort(0x005, 0x20000000u);
    /* a mapping to nothing: synchronous external abort */
    ck_assert(!arm_mem_read(cpu, V_BUS, 4, &v));
    expect_dabort(ARM_FSR_SYNC_EXTERNAL, V_BUS);
    /* an unaligned write running into an unmapped page: the fault is reported at the first
     * byte of that page and nothing is written */
    w32(0x40083ffcu, 0);
    ck_assert(!arm_mem_write(cpu, V_NONE - 2, 4, 0xffffffffu));
    expect_dabort(0x827, V_NONE);
    ck_assert_uint_eq(r32(0x40083ffcu), 0);
    /* domain fault after DACR changes; alignment comes first */
    mcr(3, 0, 0, 0, 0x05u); /* domains 0, 1 client, 2 no access */
    ck_assert(!arm_mem_read(cpu, V_RW, 4, &v));
    expect_dabort(0x02b, V_RW);
    ck_assert(!arm_mem_read(cpu, V_RW + 1, 4 | ARM_MEM_ALIGN, &v));
    expect_dabort(ARM_FSR_ALIGNMENT, V_RW + 1);
    mcr(3, 0, 0, 0, 0x35u); /* domain 2 manager */
    ck_assert(arm_mem_write(cpu, V_RO, 4 | ARM_MEM_USER, 9));
    ck_assert_uint_eq(r32(0x40082000u), 9);
}
END_TEST

/* ---- instruction fetch ---- */

START_TEST(test_fetch)
{
    mmu_on_short();
    w32(0x40080000u, 0xe1a01002u);
    w32(0x40083000u, 0xe1a01003u);
    uint32_t insn;
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    ck_assert_uint_eq(insn, 0xe1a01002u);
    ck_assert(!arm_mem_fetch32(cpu, V_XN, &insn));
    expect_pabort(0x02f, V_XN);
    ck_assert(!arm_mem_fetch32(cpu, V_NONE, &insn));
    expect_pabort(0x027, V_NONE);
    ck_assert(!arm_mem_fetch32(cpu, V_BUS, &insn));
    expect_pabort(ARM_FSR_SYNC_EXTERNAL, V_BUS);
    PhysAddr pa = 0;
    bool global = false;
    ck_assert(arm_mem_translate_fetch(cpu, V_RW + 8, &pa, &global));
    ck_assert_uint_eq(pa, 0x40080008u);
    ck_assert(global);
    ck_assert(arm_mem_translate_fetch(cpu, V_NG, &pa, &global));
    ck_assert_uint_eq(pa, 0x40085000u);
    ck_assert(!global);
    ck_assert(!arm_mem_translate_fetch(cpu, V_XN, &pa, &global));
    expect_pabort(0x02f, V_XN);
    /* PL1-only code: User mode cannot fetch it */
    ck_assert(arm_mem_translate_fetch(cpu, V_PRIV, &pa, &global));
    arm_switch_mode(cpu, ARM_MODE_USR);
    ck_assert(!arm_mem_fetch32(cpu, V_PRIV, &insn));
    expect_pabort(0x01d, V_PRIV);
}
END_TEST

/* ---- long descriptors ---- */

START_TEST(test_long_format)
{
    mmu_on_lpae();
    uint32_t v;
    ck_assert(arm_mem_read(cpu, 0x10000000u, 4, &v));
    ck_assert(!arm_mem_read(cpu, 0x10000000u, 4 | ARM_MEM_USER, &v));
    expect_dabort(0x20f, 0x10000000u);
    ck_assert(!arm_mem_write(cpu, 0x10000004u, 4, 1));
    expect_dabort(0xa0f, 0x10000004u);
    ck_assert(!arm_mem_read(cpu, 0x10004000u, 4, &v));
    expect_dabort(0x207, 0x10004000u);
    ck_assert(!arm_mem_read(cpu, 0xc0000000u, 4, &v));
    expect_dabort(0x205, 0xc0000000u);
    /* alignment and external aborts in the long format too */
    ck_assert(!arm_mem_write(cpu, 0x40080002u, 4 | ARM_MEM_ALIGN, 1));
    expect_dabort(0xa21, 0x40080002u);
    ck_assert(!arm_mem_read(cpu, 0x10001000u, 4, &v));
    expect_dabort(0x210, 0x10001000u);
    uint32_t insn;
    ck_assert(!arm_mem_fetch32(cpu, 0x10002000u, &insn));
    expect_pabort(0x20f, 0x10002000u);
    ck_assert(!arm_mem_fetch32(cpu, 0x40000002u, &insn));
    expect_pabort(0x221, 0x40000002u);
    ck_assert_uint_eq(arm_fsr_current_format(cpu, ARM_FSR_DEBUG), 0x222);
    ck_assert_uint_eq(arm_mmu_asid(cpu), 7);
    /* a guest write works and lands where the tables say */
    ck_assert(arm_mem_write(cpu, 0x10003008u, 4, 0xabcdu));
    ck_assert_uint_eq(r32(0x40083008u), 0xabcdu);
}
END_TEST

/* ---- address translation operations ---- */

START_TEST(test_ats_par)
{
    mmu_on_short();
    cpu->cp15.dfsr = 0x1234;
    mcr(7, 0, 8, 0, V_URO + 0x123);   /* ATS1CPR */
    ck_assert_uint_eq(mrc(7, 0, 4, 0), 0x40081000u | 0x200u);
    mcr(7, 0, 8, 1, V_URO);           /* ATS1CPW */
    ck_assert_uint_eq(mrc(7, 0, 4, 0) & 1, 0);
    mcr(7, 0, 8, 2, V_URO);           /* ATS1CUR */
    ck_assert_uint_eq(mrc(7, 0, 4, 0), 0x40081000u | 0x200u);
    mcr(7, 0, 8, 3, V_URO);           /* ATS1CUW: permission fault, page (FS 0xF) */
    ck_assert_uint_eq(mrc(7, 0, 4, 0), (0xfu << 1) | 1u);
    mcr(7, 0, 8, 6, V_PRIV);          /* ATS12NSOUR: the same as ATS1CUR here */
    ck_assert_uint_eq(mrc(7, 0, 4, 0), (0xdu << 1) | 1u);
    mcr(7, 0, 8, 4, V_NONE);          /* ATS12NSOPR: translation fault, page */
    ck_assert_uint_eq(mrc(7, 0, 4, 0), (0x7u << 1) | 1u);
    ck_assert_uint_eq(mrrc(0, 7), (0x7u << 1) | 1u);
    /* no abort was taken */
    ck_assert_int_eq(cpu->pending_exc, ARM_EXC_NONE);
    ck_assert_uint_eq(cpu->cp15.dfsr, 0x1234);
    /* User mode cannot use them */
    arm_switch_mode(cpu, ARM_MODE_USR);
    uint32_t v = V_RW;
    ck_assert(!arm_cp_access(cpu, 15, 0, 7, 8, 0, false, &v));
    arm_switch_mode(cpu, ARM_MODE_SVC);
    /* long format: 64-bit PAR with ATTR and the LPAE bit */
    mmu_on_lpae();
    mcr(7, 0, 8, 0, 0x10003010u);
    ck_assert_uint_eq(mrrc(0, 7), (0x04ull << 56) | 0x40083000u | (2u << 7) | (1u << 9) | (1u << 11));
    mcr(7, 0, 8, 0, 0x40000010u);
    ck_assert_uint_eq(mrrc(0, 7), (0xffull << 56) | 0x40000000u | (1u << 9) | (1u << 11));
    mcr(7, 0, 8, 1, 0x10000000u);
    ck_assert_uint_eq(mrrc(0, 7), (0x0fu << 1) | (1u << 11) | 1u);
    ck_assert_uint_eq(mrc(7, 0, 4, 0), (0x0fu << 1) | (1u << 11) | 1u);
}
END_TEST

/* ---- the soft TLB ---- */

static ArmTlbEntry *tlb_entry(unsigned level, uint32_t va)
{
    return &cpu->tlb[level][(va >> PHYS_PAGE_BITS) & (ARM_TLB_SIZE - 1)];
}

static void expect_tlb(unsigned level, uint32_t va, bool r, bool w, PhysAddr pa)
{
    ArmTlbEntry *e = tlb_entry(level, va);
    uint32_t page = va & ~0xfffu;
    ck_assert_uint_eq(e->read_tag, r ? page : ARM_TLB_INVALID);
    ck_assert_uint_eq(e->write_tag, w ? page : ARM_TLB_INVALID);
    if (r)
        ck_assert_ptr_eq((void *)(uintptr_t)(e->addend + page),
                         physmem_ram_ptr(&run.mem, pa & ~0xfffull, 1));
}

START_TEST(test_tlb_fill)
{
    mmu_on_short();
    uint32_t v;
    /* one walk fills both levels with what each may do */
    ck_assert(arm_mem_read(cpu, V_URO + 4, 4, &v));
    expect_tlb(ARM_TLB_PRIV, V_URO, true, true, 0x40081000u);
    expect_tlb(ARM_TLB_USER, V_URO, true, false, 0x40081000u);
    ck_assert(arm_mem_read(cpu, V_PRIV + 0x3000, 4, &v));
    expect_tlb(ARM_TLB_PRIV, V_PRIV + 0x3000, true, true, 0x40003000u);
    expect_tlb(ARM_TLB_USER, V_PRIV + 0x3000, false, false, 0);
    ck_assert(arm_mem_write(cpu, V_RW, 4 | ARM_MEM_USER, 1));
    expect_tlb(ARM_TLB_USER, V_RW, true, true, 0x40080000u);
    /* no write tag on a page holding translated code */
    physmem_mark_code_page(&run.mem, 0x40082000u);
    ck_assert(arm_mem_read(cpu, V_RO, 4, &v));
    mcr(3, 0, 0, 0, 0x3du); /* domain 2 manager */
    ck_assert(arm_mem_read(cpu, V_RO, 4, &v));
    expect_tlb(ARM_TLB_PRIV, V_RO, true, false, 0x40082000u);
    /* nothing cached for a device or a faulting access */
    ck_assert(!arm_mem_read(cpu, V_BUS, 4, &v));
    cpu->pending_exc = ARM_EXC_NONE;
    expect_tlb(ARM_TLB_PRIV, V_BUS, false, false, 0);
}
END_TEST

START_TEST(test_tlbimva)
{
    mmu_on_short();
    uint32_t v;
    ck_assert(arm_mem_read(cpu, V_RW, 4, &v));
    ck_assert(arm_mem_read(cpu, V_URO, 4, &v));
    /* remap V_RW: the cached entry still points at the old page until the invalidate */
    l2_set(V_RW, small(0x40084000u, 3));
    expect_tlb(ARM_TLB_PRIV, V_RW, true, true, 0x40080000u);
    mcr(8, 0, 7, 1, V_RW | 0x42); /* TLBIMVA, ASID 0x42 */
    expect_tlb(ARM_TLB_PRIV, V_RW, false, false, 0);
    expect_tlb(ARM_TLB_USER, V_RW, false, false, 0);
    expect_tlb(ARM_TLB_PRIV, V_URO, true, true, 0x40081000u);
    ck_assert(arm_mem_read(cpu, V_RW, 4, &v));
    expect_tlb(ARM_TLB_PRIV, V_RW, true, true, 0x40084000u);
    /* pieces of a section: invalidating one address of the section drops them all,
     * pages outside it stay */
    ck_assert(arm_mem_read(cpu, V_PRIV + 0x5000, 4, &v));
    ck_assert(arm_mem_read(cpu, V_PRIV + 0x7000, 4, &v));
    mcr(8, 0, 7, 3, V_PRIV + 0xff000); /* TLBIMVAA */
    expect_tlb(ARM_TLB_PRIV, V_PRIV + 0x5000, false, false, 0);
    expect_tlb(ARM_TLB_PRIV, V_PRIV + 0x7000, false, false, 0);
    expect_tlb(ARM_TLB_PRIV, V_URO, true, true, 0x40081000u);
    /* TLBIALL drops everything */
    mcr(8, 0, 7, 0, 0);
    expect_tlb(ARM_TLB_PRIV, V_URO, false, false, 0);
}
END_TEST

/* The instruction-side TLB: code keeps running through its cached translation after a
 * TTBR write (as on hardware and QEMU), until TLB maintenance or a change of the
 * translation controls; data accesses see the new tables at once. */
START_TEST(test_itlb)
{
    const uint32_t empty = 0x40020000u; /* a zeroed first-level table: all faults */
    mmu_on_short();
    w32(0x40080000u, 0xe1a01002u);
    uint32_t insn, v;
    PhysAddr pa;
    bool global;
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcr(2, 0, 0, 0, empty);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    ck_assert_uint_eq(insn, 0xe1a01002u);
    ck_assert(arm_mem_translate_fetch(cpu, V_RW + 4, &pa, &global));
    ck_assert_uint_eq(pa, 0x40080004u);
    ck_assert(arm_virt_to_phys(cpu, V_RW + 8, &pa));
    ck_assert_uint_eq(pa, 0x40080008u);
    ck_assert(!arm_mem_read(cpu, V_RW, 4, &v));
    expect_dabort(0x005, V_RW);
    ck_assert(!arm_mem_fetch32(cpu, V_URO, &insn)); /* not cached: walks the new table */
    expect_pabort(0x005, V_URO);
    mcr(8, 0, 5, 1, V_RW); /* ITLBIMVA */
    ck_assert(!arm_mem_fetch32(cpu, V_RW, &insn));
    expect_pabort(0x005, V_RW);
    /* the cached permissions still apply: User mode cannot run PL1-only code */
    mcr(2, 0, 0, 0, L1);
    ck_assert(arm_mem_fetch32(cpu, V_PRIV, &insn));
    arm_switch_mode(cpu, ARM_MODE_USR);
    ck_assert(!arm_mem_fetch32(cpu, V_PRIV, &insn));
    expect_pabort(0x01d, V_PRIV);
    arm_switch_mode(cpu, ARM_MODE_SVC);
    /* changes of the translation controls drop it */
    static const struct { unsigned crn, crm, opc2; uint32_t value; } controls[] = {
        { 2, 0, 2, 1 }, { 3, 0, 0, 0x17u }, { 10, 2, 0, 1 },
    };
    for (unsigned k = 0; k < sizeof(controls) / sizeof(controls[0]); k++) {
        uint32_t old = mrc(controls[k].crn, 0, controls[k].crm, controls[k].opc2);
        mcr(2, 0, 0, 0, L1);
        ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
        mcr(2, 0, 0, 0, empty);
        mcr(controls[k].crn, 0, controls[k].crm, controls[k].opc2, controls[k].value);
        ck_assert_msg(!arm_mem_fetch32(cpu, V_RW, &insn), "control %u", k);
        cpu->pending_exc = ARM_EXC_NONE;
        mcr(controls[k].crn, 0, controls[k].crm, controls[k].opc2, old);
    }
    /* a new ASID drops only non-global entries (ARM ARM B3.9.3): V_RW is global */
    mcr(2, 0, 0, 0, L1);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcr(2, 0, 0, 0, empty);
    mcr(13, 0, 0, 1, 0x42u);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcr(13, 0, 0, 1, 0);
    /* a 64-bit TTBR write: kept with the same ASID, dropped with a new one */
    mcr(2, 0, 0, 0, L1);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcrr(0, 2, empty);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcrr(0, 2, empty | (3ull << 48));
    ck_assert(!arm_mem_fetch32(cpu, V_RW, &insn));
    cpu->pending_exc = ARM_EXC_NONE;
    /* TLBIALL */
    mcrr(0, 2, L1);
    ck_assert(arm_mem_fetch32(cpu, V_RW, &insn));
    mcr(2, 0, 0, 0, empty);
    mcr(8, 0, 7, 0, 0);
    ck_assert(!arm_mem_fetch32(cpu, V_RW, &insn));
    cpu->pending_exc = ARM_EXC_NONE;
}
END_TEST

/* Every engine loads through the soft TLB (translated code inline, the interpreter in
 * arm_mem_read): after a remap it sees the old page until TLBIMVA, as a TLB may (ARM
 * ARM B3.10.1), and the new page afterwards. */
static void run_stale_tlb(DbtEngine engine)
{
    a32_run_free(&run);
    a32_run_init_engine(&run, engine);
    cpu = &run.cpu;
    cpu->cp15.vbar = VECTORS;
    mmu_on_short();
    w32(0x40080000u, 0x1111u);
    w32(0x40084000u, 0x2222u);
    /* Each snippet ends its block with "b ." and runs exactly to it, so the jit runs the
     * translated block (a budget ending inside a block is interpreted instead). */
    static const uint32_t ld1[] = { 0xe5921000u, 0xeafffffeu };  /* ldr r1, [r2]; b . */
    static const uint32_t ld3[] = { 0xe5923000u, 0xeafffffeu };  /* ldr r3, [r2]; b . */
    static const uint32_t inv[] = { 0xee082f37u, 0xe5924000u, 0xeafffffeu }; /* tlbimva r2; ldr r4 */
    cpu->r[2] = V_RW;
    ck_assert_int_eq(a32_run_code(&run, ld1, 2), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(cpu->r[1], 0x1111u);
    ck_assert_int_eq(a32_run_code(&run, ld1, 2), DBT_EXIT_MAX_INSNS); /* TLB hit (jit) */
    ck_assert_uint_eq(cpu->r[1], 0x1111u);
    l2_set(V_RW, small(0x40084000u, 3));
    ck_assert_int_eq(a32_run_code(&run, ld3, 2), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(cpu->r[3], 0x1111u);
    ck_assert_int_eq(a32_run_code(&run, inv, 3), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(cpu->r[4], 0x2222u);
}

START_TEST(test_stale_tlb_until_tlbimva) { run_stale_tlb((DbtEngine)_i); }
END_TEST

/* LDRT/STRT in guest code: a data abort with DFSR/DFAR, under both engines. */
START_TEST(test_guest_ldrt_strt)
{
    DbtEngine engine = (DbtEngine)_i;
    a32_run_free(&run);
    a32_run_init_engine(&run, engine);
    cpu = &run.cpu;
    cpu->cp15.vbar = VECTORS;
    for (unsigned k = 0; k < 8; k++)
        w32(VECTORS + 4 * k, NOP);
    mmu_on_short();
    static const uint32_t ldrt[] = { 0xe4b21000u }; /* ldrt r1, [r2], #0 */
    static const uint32_t strt[] = { 0xe4a21000u }; /* strt r1, [r2], #0 */
    cpu->r[1] = 0x99;
    cpu->r[2] = V_URO + 0x20;
    ck_assert_int_eq(a32_run_code(&run, strt, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(arm_cpu_mode(cpu), ARM_MODE_ABT);
    ck_assert_uint_eq(cpu->cp15.dfsr, 0x82f);
    ck_assert_uint_eq(cpu->cp15.dfar, V_URO + 0x20);
    ck_assert_uint_eq(cpu->r[14], A32_RAM_BASE + 8);
    arm_switch_mode(cpu, ARM_MODE_SVC);
    w32(0x40081020u, 0x5a5a);
    ck_assert_int_eq(a32_run_code(&run, ldrt, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(arm_cpu_mode(cpu), ARM_MODE_SVC);
    ck_assert_uint_eq(cpu->r[1], 0x5a5a);
    cpu->r[2] = V_PRIV + 0x40;
    ck_assert_int_eq(a32_run_code(&run, ldrt, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(arm_cpu_mode(cpu), ARM_MODE_ABT);
    ck_assert_uint_eq(cpu->cp15.dfsr, 0x01d);
    ck_assert_uint_eq(cpu->cp15.dfar, V_PRIV + 0x40);
}
END_TEST

/* ---- CP15 registers and the tlb_changed_fn hook ---- */

typedef struct Change { unsigned kind; uint32_t va, asid; } Change;
static Change changes[16];
static unsigned n_changes;

static void record_change(void *opaque, unsigned kind, uint32_t va, uint32_t asid)
{
    ck_assert_ptr_eq(opaque, &run);
    ck_assert_uint_lt(n_changes, 16);
    changes[n_changes++] = (Change){ kind, va, asid };
}

static void expect_change(unsigned kind, uint32_t va, uint32_t asid)
{
    ck_assert_uint_eq(n_changes, 1);
    ck_assert_uint_eq(changes[0].kind, kind);
    ck_assert_uint_eq(changes[0].va, va);
    ck_assert_uint_eq(changes[0].asid, asid);
    n_changes = 0;
}

START_TEST(test_tlb_changed_hook)
{
    cpu->env.tlb_changed_fn = record_change;
    cpu->env.tlb_changed_opaque = &run;
    n_changes = 0;
    /* TLB maintenance: every form and its kind */
    static const struct { unsigned crm, opc2, kind; uint32_t value, va, asid; } ops[] = {
        { 7, 0, ARM_TLBCH_ALL, 0, 0, ARM_TLBCH_ANY_ASID },
        { 3, 0, ARM_TLBCH_ALL, 0, 0, ARM_TLBCH_ANY_ASID },
        { 5, 0, ARM_TLBCH_ALL, 0, 0, ARM_TLBCH_ANY_ASID },
        { 6, 0, ARM_TLBCH_ALL, 0, 0, ARM_TLBCH_ANY_ASID },
        { 7, 1, ARM_TLBCH_MVA, 0x12345678u, 0x12345000u, 0x78 },
        { 3, 1, ARM_TLBCH_MVA, 0x12345abcu, 0x12345000u, 0xbc },
        { 5, 1, ARM_TLBCH_MVA, 0x00001001u, 0x00001000u, 0x01 },
        { 6, 1, ARM_TLBCH_MVA, 0xfffff0ffu, 0xfffff000u, 0xff },
        { 7, 2, ARM_TLBCH_ASID, 0x105u, 0, 0x05 },
        { 3, 2, ARM_TLBCH_ASID, 0x7u, 0, 0x07 },
        { 5, 2, ARM_TLBCH_ASID, 0x8u, 0, 0x08 },
        { 6, 2, ARM_TLBCH_ASID, 0x9u, 0, 0x09 },
        { 7, 3, ARM_TLBCH_MVA, 0x40000fffu, 0x40000000u, ARM_TLBCH_ANY_ASID },
        { 3, 3, ARM_TLBCH_MVA, 0x80001000u, 0x80001000u, ARM_TLBCH_ANY_ASID },
    };
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        mcr(8, 0, ops[k].crm, ops[k].opc2, ops[k].value);
        expect_change(ops[k].kind, ops[k].va, ops[k].asid);
    }
    /* registers that change translation: a call when the value changes, none otherwise */
    static const struct { unsigned crn, crm, opc2; uint32_t value; } regs[] = {
        { 2, 0, 0, 0x40010000u }, { 2, 0, 1, 0x40020000u }, { 2, 0, 2, 2 }, { 3, 0, 0, 0x5 },
        { 10, 2, 0, 0xff44u }, { 10, 2, 1, 0x1234u },
    };
    for (unsigned k = 0; k < sizeof(regs) / sizeof(regs[0]); k++) {
        mcr(regs[k].crn, 0, regs[k].crm, regs[k].opc2, regs[k].value);
        expect_change(ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
        mcr(regs[k].crn, 0, regs[k].crm, regs[k].opc2, regs[k].value);
        ck_assert_uint_eq(n_changes, 0);
    }
    /* CONTEXTIDR: a new ASID is a context switch; PROCID alone changes nothing */
    mcr(13, 0, 0, 1, 0x105u);
    expect_change(ARM_TLBCH_CONTEXT, 0, ARM_TLBCH_ANY_ASID);
    mcr(13, 0, 0, 1, 0x205u);
    ck_assert_uint_eq(n_changes, 0);
    uint32_t sctlr = mrc(1, 0, 0, 0);
    mcr(1, 0, 0, 0, sctlr | SCTLR_A | SCTLR_I);  /* no effect on translation */
    ck_assert_uint_eq(n_changes, 0);
    static const uint32_t bits[] = { SCTLR_M, SCTLR_TRE, SCTLR_AFE, SCTLR_EE, SCTLR_WXN, SCTLR_UWXN };
    for (unsigned k = 0; k < sizeof(bits) / sizeof(bits[0]); k++) {
        mcr(1, 0, 0, 0, sctlr ^ bits[k]);
        expect_change(ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
        mcr(1, 0, 0, 0, sctlr);
        expect_change(ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
    }
    mcrr(0, 2, 0x0012000040010000ull); /* TTBR0, 64-bit, new ASID */
    expect_change(ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
    mcrr(1, 2, 0x40020000ull);         /* TTBR1 unchanged */
    ck_assert_uint_eq(n_changes, 0);
    mcr(7, 0, 8, 0, 0x1000);           /* ATS: no change */
    mcrr(0, 7, 0);                     /* PAR */
    ck_assert_uint_eq(n_changes, 0);
    /* and the soft TLB is flushed on a regime change */
    uint32_t v;
    ck_assert(arm_mem_read(cpu, A32_RAM_BASE + 0x100, 4, &v));
    ck_assert_uint_eq(tlb_entry(ARM_TLB_PRIV, A32_RAM_BASE)->read_tag, A32_RAM_BASE);
    mcr(3, 0, 0, 0, 0x55555555u);
    ck_assert_uint_eq(tlb_entry(ARM_TLB_PRIV, A32_RAM_BASE)->read_tag, ARM_TLB_INVALID);
}
END_TEST

START_TEST(test_cp15_masks)
{
    /* SCTLR: only the writable bits change; RAO bits stay */
    uint32_t sctlr = mrc(1, 0, 0, 0);
    ck_assert_uint_eq(sctlr, 0x00c50078u);
    mcr(1, 0, 0, 0, 0);
    ck_assert_uint_eq(mrc(1, 0, 0, 0), 0x00c50078u & ~(SCTLR_WRITABLE));
    mcr(1, 0, 0, 0, 0xffffffffu & ~SCTLR_M);
    ck_assert_uint_eq(mrc(1, 0, 0, 0), (0x00c50078u | SCTLR_WRITABLE) & ~SCTLR_M);
    mcr(1, 0, 0, 0, sctlr);
    /* TTBCR: short format N, PD0, PD1; long format fields; EAE */
    mcr(2, 0, 0, 2, 0xffffffffu & ~(1u << 31));
    ck_assert_uint_eq(mrc(2, 0, 0, 2), 0x37u);
    mcr(2, 0, 0, 2, 0xffffffffu);
    ck_assert_uint_eq(mrc(2, 0, 0, 2), 0xffc73f87u);
    mcr(2, 0, 0, 2, 5);
    ck_assert_uint_eq(mrc(2, 0, 0, 2), 5);
    /* TTBR0: 32-bit writes keep bits [63:32]; 64-bit forms */
    mcrr(0, 2, 0xffffffffffffffffull);
    ck_assert_uint_eq(mrrc(0, 2), 0x00ff00ffffffffffull);
    mcr(2, 0, 0, 0, 0x40004059u);
    ck_assert_uint_eq(mrrc(0, 2), 0x00ff00ff40004059ull);
    ck_assert_uint_eq(mrc(2, 0, 0, 0), 0x40004059u);
    /* PAR 64-bit: ATTR and PA[39:32] */
    mcrr(0, 7, 0xffffffffffffffffull);
    ck_assert_uint_eq(mrrc(0, 7), 0xff0000ffffffffffull);
    /* DFSR/IFSR keep every bit written (as QEMU) */
    mcr(5, 0, 0, 0, 0x123u);
    ck_assert_uint_eq(mrc(5, 0, 0, 0), 0x123u);
    mcr(5, 0, 0, 1, 0xffffffffu);
    ck_assert_uint_eq(mrc(5, 0, 0, 1), 0xffffffffu);
    /* reset values */
    ArmCp15 c;
    memset(&c, 0, sizeof(c));
    arm_cp15_reset(&c);
    ck_assert_uint_eq(c.sctlr, 0x00c50078u);
    ck_assert_uint_eq(c.prrr, 0x00098aa4u);
    ck_assert_uint_eq(c.nmrr, 0x44e048e0u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmu-cpu");
    TCase *tc = tcase_create("mem");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mmu_off_identity);
    tcase_add_test(tc, test_translate_read_write);
    tcase_add_test(tc, test_privilege);
    tcase_add_test(tc, test_native_resolve);
    tcase_add_test(tc, test_faults_short);
    tcase_add_test(tc, test_fetch);
    tcase_add_test(tc, test_long_format);
    tcase_add_test(tc, test_ats_par);
    tcase_add_test(tc, test_tlb_fill);
    tcase_add_test(tc, test_tlbimva);
    tcase_add_test(tc, test_itlb);
    tcase_add_loop_test(tc, test_stale_tlb_until_tlbimva, DBT_ENGINE_INTERP, DBT_ENGINE_JIT + 1);
    tcase_add_loop_test(tc, test_guest_ldrt_strt, DBT_ENGINE_INTERP, DBT_ENGINE_JIT + 1);
    tcase_add_test(tc, test_tlb_changed_hook);
    tcase_add_test(tc, test_cp15_masks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
