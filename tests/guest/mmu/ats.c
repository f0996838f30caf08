/*
 * Address translation operations (ARM ARM B4.2.6, B4.1.112 PAR): ATS1CPR,
 * ATS1CPW, ATS1CUR and ATS1CUW with the MMU off (PA = VA), with short
 * descriptors (32-bit PAR: PA[31:12] or F = 1 with FS in bits 6:1) and
 * with long descriptors (64-bit PAR: PA[39:12], LPAE bit 11, ATTR, or
 * F = 1 with the long-format status in bits 6:1).  A translation that
 * fails sets PAR only: no abort is taken, DFSR and DFAR keep their values.
 *
 * Only the architecturally defined PAR fields are compared: successful
 * short-format results are masked to PA[31:12], LPAE, SS and F (the memory
 * attribute bits 10:2 are IMPLEMENTATION DEFINED; for a supersection, SS = 1
 * and PAR[31:24] holds PA[31:24]; PAR[23:16], PA[39:32], is not tested:
 * QEMU 7.2 leaves it 0), long-format ones to
 * ATTR, PA, LPAE and F (SH and NS not checked); failures to LPAE, the
 * fault status and F (short) or bits 11:0 (long).
 */
#include "mt.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 t2[256] __attribute__((aligned(1024)));
static u64 ll1[512] __attribute__((aligned(4096)));
static u64 ll2ram[512] __attribute__((aligned(4096)));
static u64 ll2[512] __attribute__((aligned(4096)));
static u64 ll3[512] __attribute__((aligned(4096)));

enum { PR, PW, UR, UW };
static const char *const op_names[4] = { "ats1cpr", "ats1cpw", "ats1cur", "ats1cuw" };

static void ats(int op, u32 va)
{
    switch (op) {
    case PR: mt_ats1cpr(va); break;
    case PW: mt_ats1cpw(va); break;
    case UR: mt_ats1cur(va); break;
    default: mt_ats1cuw(va); break;
    }
    mt_isb();
}

/* Short-format PAR: a success gives PA[31:12] (F = 0); a fault gives
 * F = 1 and FS (DFSR bits 12, 10, 3:0) in bits 6:1. */
#define PAR_OK_MASK 0xfffff803u
/* supersection (SS = 1): PAR[31:24] = PA[31:24], PAR[23:16] = PA[39:32] */
#define PAR_SS_MASK 0xffff0803u
#define PAR_FAULT_MASK 0x87fu          /* LPAE, FS, F */
#define SFAULT(fs) ((((fs) & 0x1f) << 1) | 1)

static void short_case(const char *what, int op, u32 va, u32 want)
{
    char name[64];
    gt_snprintf(name, sizeof name, "%s-%s", what, op_names[op]);
    mt_set_par(0x12345000u);
    ats(op, va);
    u32 par = mt_par();
    if (!(par & 1))
        par &= (par & 2) ? PAR_SS_MASK : PAR_OK_MASK;
    else
        par &= PAR_FAULT_MASK;
    gt_check(name, par, want);
}

/* The fault registers survive failed translations, and nothing traps. */
static void fault_regs_kept(const char *name)
{
    gt_check(name, mt_dfsr() == 0x123 && mt_dfar() == 0xdfa0dfa0u && mt_trap.count == 0, 1);
}

static void short_format(void)
{
    mt_l1_init(l1);
    mt_map_section(l1, 0x80000000u, 0x48100000u, S_NORMAL | S_AP(AP_RW));
    mt_map_section(l1, 0x80100000u, 0x48200000u, S_NORMAL | S_AP(AP_PRW));
    mt_map_section(l1, 0x80200000u, 0x48300000u, S_NORMAL | S_AP(AP_PRW_UR));
    mt_map_section(l1, 0x80300000u, 0x48400000u, S_NORMAL | S_AP(AP_PR));
    mt_map_section(l1, 0x80400000u, 0x48500000u, S_NORMAL | S_AP(AP_RO));
    mt_map_section(l1, 0x80500000u, 0x48600000u, S_NORMAL | S_AP(AP_RW) | S_DOM(3));
    mt_map_section(l1, 0x80600000u, 0x48700000u, S_NORMAL | S_AP(2) | S_DOM(1)); /* AFE: AF = 0 */
    mt_map_section(l1, 0x80700000u, 0x48700000u, S_DEVICE | S_AP(AP_RW) | S_XN);
    mt_map_supersection(l1, 0xa0000000u, 0x49000000ull, S_NORMAL | S_AP(AP_RW));
    mt_map_table(l1, 0x80800000u, t2, S_DOM(1));
    mt_map_small(t2, 0x80801000u, 0x48801000u, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_small(t2, 0x80802000u, 0x48802000u, P_SMALL_NORMAL | P_AP(AP_PRW_UR));
    mt_map_large(t2, 0x80810000u, 0x48820000u, P_LARGE_NORMAL | P_AP(AP_RW));

    /* MMU off: flat */
    short_case("mmu-off", PR, 0x80012345u, 0x80012000u);
    short_case("mmu-off", UW, 0x12345678u, 0x12345000u);

    mt_mmu_on(l1);
    mt_set_dacr(0x55555555u & ~(3u << 6));               /* domain 3: no access */
    mt_isb();
    /* the DFSR/DFAR values that must survive */
    MT_MCR(0, c5, c0, 0, 0x123);
    MT_MCR(0, c6, c0, 0, 0xdfa0dfa0u);
    mt_clear();
    short_case("identity", PR, 0x48000123u, 0x48000000u);
    short_case("section", PR, 0x80012345u, 0x48112000u);
    short_case("section", UW, 0x800fffffu, 0x481ff000u);
    short_case("small-page", PR, 0x80801abcu, 0x48801000u);
    short_case("large-page", UR, 0x8081f004u, 0x4882f000u);
    short_case("supersection", PR, 0xa0123456u, 0x49000002u);
    short_case("device-section", PW, 0x80700010u, 0x48700000u);
    /* permissions: AP 001 privileged only */
    short_case("ap-priv-rw", PR, 0x80100000u, 0x48200000u);
    short_case("ap-priv-rw", PW, 0x80100000u, 0x48200000u);
    short_case("ap-priv-rw", UR, 0x80100000u, SFAULT(0x0d));
    short_case("ap-priv-rw", UW, 0x80100000u, SFAULT(0x0d));
    /* AP 010: user read-only */
    short_case("ap-user-ro", UR, 0x80200000u, 0x48300000u);
    short_case("ap-user-ro", UW, 0x80200000u, SFAULT(0x0d));
    /* AP 101: privileged read-only */
    short_case("ap-priv-ro", PR, 0x80300000u, 0x48400000u);
    short_case("ap-priv-ro", PW, 0x80300000u, SFAULT(0x0d));
    short_case("ap-priv-ro", UR, 0x80300000u, SFAULT(0x0d));
    /* AP 111: read-only */
    short_case("ap-ro", UR, 0x80400000u, 0x48500000u);
    short_case("ap-ro", PW, 0x80400000u, SFAULT(0x0d));
    /* page permission: FS 0b01111 */
    short_case("page-ap-user-ro", UW, 0x80802000u, SFAULT(0x0f));
    short_case("page-ap-user-ro", UR, 0x80802000u, 0x48802000u);
    /* translation faults: section, page */
    short_case("xlat-section", PR, 0x90000000u, SFAULT(0x05));
    short_case("xlat-section", UW, 0x90000000u, SFAULT(0x05));
    short_case("xlat-page", PR, 0x80803000u, SFAULT(0x07));
    /* domain fault (domain 3: no access) */
    short_case("domain-section", PR, 0x80500000u, SFAULT(0x09));
    /* access flag fault with SCTLR.AFE */
    mt_set_sctlr(mt_sctlr() | SCTLR_AFE);
    mt_tlb_flush();
    short_case("afe-access-flag", PR, 0x80600000u, SFAULT(0x03));
    short_case("afe-ok", UW, 0x80000000u, 0x48100000u);
    mt_set_sctlr(mt_sctlr() & ~SCTLR_AFE);
    mt_tlb_flush();
    fault_regs_kept("short-faults-no-abort-dfsr-dfar-kept");
    /* TLB maintenance is seen by ATS too */
    mt_map_section(l1, 0x80000000u, 0x48900000u, S_NORMAL | S_AP(AP_RW));
    mt_tlb_flush_va(0x80000000u);
    short_case("after-remap", PR, 0x80000040u, 0x48900000u);
    /* PAR is read/write */
    mt_set_par(0x48abc000u);
    gt_check("par-write-read", mt_par() & PAR_OK_MASK, 0x48abc000u);
    mt_mmu_off();
}

/* Long-format PAR: success ATTR[63:56] | PA[39:12] | LPAE (bit 11);
 * fault: LPAE | FST << 1 | F. */
#define LPAR_OK_MASK 0xff0000fffffff801ull
#define LFAULT(fst) (0x800ull | ((u64)(fst) << 1) | 1)

static void long_case(const char *what, int op, u32 va, u64 want)
{
    char name[64];
    gt_snprintf(name, sizeof name, "lpae-%s-%s", what, op_names[op]);
    ats(op, va);
    u64 par = mt_par64();
    if (!(par & 1))
        par &= LPAR_OK_MASK;
    else
        par &= 0xfffull;
    gt_check64(name, par, want);
}

#define LOK(attr, pa) (((u64)(attr) << 56) | ((u64)(pa) & 0xfffffff000ull) | 0x800)

static void long_format(void)
{
    mt_lpae_init(ll1, ll2ram);
    for (u32 i = 0; i < 512; i++)
        ll2[i] = ll3[i] = 0;
    ll1[0] = mt_ltable(ll2);
    ll1[2] = (u64)0x40000000u | L_BLOCK | L_NORMAL;               /* 1 GiB, PL1 only */
    ll2[0x100] = (u64)0x48200000u | L_BLOCK | L_NORMAL | L_AP_USER | L_AP_RO;
    ll2[0x101] = mt_ltable(ll3);
    ll2[0x102] = (u64)0x48400000u | L_BLOCK | L_NORMAL | L_AP_USER | L_XN;
    ll2[0x103] = ((u64)0x48600000u | L_BLOCK | L_NORMAL) & ~L_AF;
    ll2[0x104] = (u64)0x100000000ull | L_BLOCK | L_NORMAL;        /* PA above 4 GiB */
    ll3[0] = (u64)0x48800000u | L_PAGE | L_NORMAL | L_AP_USER;
    ll3[1] = (u64)0x48801000u | L_PAGE | L_NORMAL;                /* PL1 RW */
    ll3[2] = (u64)0x48802000u | L_PAGE | L_NORMAL | L_AP_RO;      /* PL1 RO */
    ll3[3] = (u64)0x48803000u | L_PAGE | L_ATTR(L_IDX_DEV) | L_AF | L_AP_USER;
    ll3[4] = (u64)0x48804000u | L_PAGE | L_ATTR(L_IDX_NC) | L_AF;
    mt_dsb();
    mt_lpae_on((u32)ll1, 0);
    MT_MCR(0, c5, c0, 0, 0x123);
    MT_MCR(0, c6, c0, 0, 0xdfa0dfa0u);
    mt_clear();
    long_case("identity", PR, 0x48000123u, LOK(0xff, 0x48000000u));
    long_case("l1-block", PR, 0x8abcdef0u, LOK(0xff, 0x4abcd000u));
    long_case("l1-block-pl1-only", UR, 0x8abcdef0u, LFAULT(0x0d));
    long_case("l2-block-ro", UR, 0x20123456u, LOK(0xff, 0x48323000u));
    long_case("l2-block-ro", PW, 0x20123456u, LFAULT(0x0e));
    long_case("l2-block-ro", UW, 0x20123456u, LFAULT(0x0e));
    long_case("l2-block-xn-data-ok", UW, 0x20400000u, LOK(0xff, 0x48400000u));
    long_case("l2-block-af", PR, 0x20600000u, LFAULT(0x0a));
    long_case("l2-block-above-4g", PR, 0x20812345u, LOK(0xff, 0x100012000ull));
    long_case("l3-page", UW, 0x20200ffcu, LOK(0xff, 0x48800000u));
    long_case("l3-page-pl1-rw", PW, 0x20201000u, LOK(0xff, 0x48801000u));
    long_case("l3-page-pl1-rw", UR, 0x20201000u, LFAULT(0x0f));
    long_case("l3-page-pl1-ro", PR, 0x20202000u, LOK(0xff, 0x48802000u));
    long_case("l3-page-pl1-ro", PW, 0x20202000u, LFAULT(0x0f));
    long_case("l3-page-device", UR, 0x20203000u, LOK(0x04, 0x48803000u));
    long_case("l3-page-nc", PR, 0x20204000u, LOK(0x44, 0x48804000u));
    long_case("xlat-level1", PR, 0xc0000000u, LFAULT(0x05));
    long_case("xlat-level2", UR, 0x30000000u, LFAULT(0x06));
    long_case("xlat-level3", PW, 0x20205000u, LFAULT(0x07));
    fault_regs_kept("lpae-faults-no-abort-dfsr-dfar-kept");
    mt_mmu_off();
}

int main(void)
{
    mt_install();
    short_format();
    long_format();
    return gt_finish();
}
