/*
 * Long-descriptor translation (LPAE, TTBCR.EAE = 1; ARM ARM B3.6): 1 GiB
 * level-1 blocks, 2 MiB level-2 blocks, 4 KiB level-3 pages, MAIR0/MAIR1
 * and AttrIndx (checked through ATS1CPR's PAR.ATTR), the access flag, the
 * AP[2:1] permissions for privileged, unprivileged (LDRT/STRT) and user
 * mode accesses, XN/PXN, the hierarchical APTable/XNTable/PXNTable bits,
 * translation faults at each level, a block above 4 GiB (external abort), a
 * table walk into nothing (external abort on the walk),
 * alignment faults, the long-format DFSR/IFSR (STATUS with the level, bit 9
 * set, WnR), the T0SZ/T1SZ split between TTBR0 and TTBR1 (and which bits
 * index TTBR1's first table), 64-bit TTBR0 written with MCRR including the
 * ASID, and ASID-tagged nG mappings with TLBIASID.
 *
 * Scratch physical memory: 0x48000000-0x493fffff.
 */
#include "mt.h"

static u64 l1[512] __attribute__((aligned(4096)));     /* TTBR0, ASID 1 */
static u64 l1b[512] __attribute__((aligned(4096)));    /* TTBR0, ASID 2 */
static u64 l2ram[512] __attribute__((aligned(4096)));  /* 0x40000000: RAM 1:1 */
static u64 l2lo[512] __attribute__((aligned(4096)));   /* 0x00000000 (l1) */
static u64 l2lob[512] __attribute__((aligned(4096)));  /* 0x00000000 (l1b) */
static u64 l3[512] __attribute__((aligned(4096)));     /* 0x20200000 */
static u64 l3t[512] __attribute__((aligned(4096)));    /* 0x22000000, under table attrs */
static u64 l2t[512] __attribute__((aligned(4096)));    /* tables with APTable etc. */
static u64 t1[512] __attribute__((aligned(4096)));     /* TTBR1 first level */
static u64 t1a[512] __attribute__((aligned(4096)));
static u64 t1b[512] __attribute__((aligned(4096)));
static u64 t1c[512] __attribute__((aligned(4096)));

#define PG(pa)   ((u64)(pa) | L_PAGE | L_NORMAL)
#define BLK(pa)  ((u64)(pa) | L_BLOCK | L_NORMAL)
#define CODE_PA  0x48b00000u
#define LFSR(status) (0x200u | (status))
#define XLAT(l)  LFSR(0x04 | (l))
#define AFF(l)   LFSR(0x08 | (l))
#define PERM(l)  LFSR(0x0c | (l))

static u32 l3va(u32 i) { return 0x20200000u + (i << 12); }

static void setup(void)
{
    mt_lpae_init(l1, l2ram);
    for (u32 i = 0; i < 512; i++) {
        l2lo[i] = l2lob[i] = l3[i] = l3t[i] = l2t[i] = 0;
        t1[i] = t1a[i] = t1b[i] = t1c[i] = 0;
        l1b[i] = l1[i];
    }
    l1[0] = mt_ltable(l2lo);
    l1b[0] = mt_ltable(l2lob);
    l1[2] = BLK(0x40000000u) | L_AP_USER;             /* 1 GiB block */
    /* level 2 under 0x00000000 */
    l2lo[0x100] = BLK(0x48200000u) | L_AP_USER;       /* 0x20000000 */
    l2lo[0x101] = mt_ltable(l3);                       /* 0x20200000 */
    l2lo[0x102] = BLK(0x48400000u) & ~L_AF;           /* 0x20400000: AF = 0 */
    l2lo[0x103] = BLK(0x100000000ull);                 /* 0x20600000: above 4 GiB */
    l2lo[0x104] = BLK(0x48600000u) | L_AP_RO;         /* 0x20800000: PL1 RO */
    l2lo[0x105] = BLK(CODE_PA & ~0x1fffffu) | L_XN;   /* 0x20a00000: XN block */
    l2lo[0x106] = (u64)0x48e00000u | L_BLOCK;         /* 0x20c00000: attr 0 (device) */
    l2lo[0x110] = mt_ltable(l3t) | L_APTABLE(1);      /* 0x22000000: no PL0 below */
    l2lo[0x111] = mt_ltable(l3t) | L_APTABLE(2);      /* 0x22200000: no writes below */
    l2lo[0x112] = mt_ltable(l3t) | L_XNTABLE;         /* 0x22400000 */
    l2lo[0x113] = mt_ltable(l3t) | L_PXNTABLE;        /* 0x22600000 */
    l2lo[0x120] = BLK(0x48c00000u) | L_AP_USER | L_NG; /* 0x24000000: nG, ASID 1 */
    l2lob[0x120] = BLK(0x48e00000u) | L_AP_USER | L_NG; /* ... ASID 2 */
    l2lob[0x100] = l2lo[0x100];                        /* global, the same in both */
    /* level 3 pages under 0x20200000 */
    l3[0] = PG(0x48400000u) | L_AP_USER;                      /* RW all */
    l3[1] = PG(0x48401000u);                                  /* PL1 RW */
    l3[2] = PG(0x48402000u) | L_AP_RO;                        /* PL1 RO */
    l3[3] = PG(0x48403000u) | L_AP_RO | L_AP_USER;            /* RO all */
    l3[4] = PG(0x48404000u) & ~L_AF;                          /* AF = 0 */
    l3[5] = ((u64)0x48405000u | L_PAGE | L_ATTR(L_IDX_DEV) | L_AF);   /* device */
    l3[6] = ((u64)0x48406000u | L_PAGE | L_ATTR(L_IDX_NC) | L_AF);    /* normal NC */
    l3[7] = ((u64)0x48407000u | L_PAGE | L_ATTR(6) | L_AF | L_SH(2)); /* MAIR1 byte 2 */
    l3[8] = PG(CODE_PA) | L_AP_USER;                          /* code */
    l3[9] = PG(CODE_PA) | L_AP_USER | L_XN;
    l3[10] = PG(CODE_PA) | L_AP_USER | L_PXN;
    l3[11] = PG(CODE_PA);                                     /* code, PL1 only */
    l3[12] = (u64)0x48408000u | 0x1;                          /* 0b01 at level 3: invalid */
    l3[13] = PG(0x48409000u) | L_AP_USER;
    /* level 3 under the table attributes (0x22000000 + 0x200000 * n) */
    l3t[0] = PG(0x48410000u) | L_AP_USER;
    l3t[1] = PG(CODE_PA) | L_AP_USER;
    /* TTBR1 tables */
    t1[0] = mt_ltable(t1a);
    t1[2] = mt_ltable(t1b);
    t1a[0] = BLK(0x48800000u);
    t1b[0] = BLK(0x48a00000u);
    t1c[0] = BLK(0x48600000u) & ~L_AP_RO;
    u32 *code = (u32 *)CODE_PA;
    code[0] = mt_stub_ret42[0];
    code[1] = mt_stub_ret42[1];
    mt_dsb();
}

enum { P_RD, P_WR, T_RD, T_WR, U_RD, U_WR };
static const char *const kind_names[6] = { "ldr", "str", "ldrt", "strt", "usr-ldr", "usr-str" };

/* One access; allowed, or a data abort with long-format DFSR fsr (+ WnR). */
static void access_case(const char *what, u32 va, u32 pa, int kind, int allowed, u32 fsr)
{
    char name[64];
    volatile u32 *p = (volatile u32 *)pa;
    u32 tag = mt_tag(pa), v = MT_SENT;
    const void *insn = 0;
    u32 mode = M_SVC;
    int write = kind & 1;
    gt_snprintf(name, sizeof name, "%s-%s", what, kind_names[kind]);
    *p = tag;
    mt_dsb();
    mt_clear();
    switch (kind) {
    case P_RD: v = mt_p_ldr(va); insn = mt_p_ldr_i; break;
    case P_WR: mt_p_str(va, ~tag); insn = mt_p_str_i; break;
    case T_RD: v = mt_p_ldrt(va); insn = mt_p_ldrt_i; break;
    case T_WR: mt_p_strt(va, ~tag); insn = mt_p_strt_i; break;
    case U_RD: v = mt_user_call(mt_u_ldr, va, 0); insn = mt_u_ldr_i; mode = M_USR; break;
    case U_WR: mt_user_call(mt_u_str, va, ~tag); insn = mt_u_str_i; mode = M_USR; break;
    }
    mt_dsb();
    u32 mem = *p;
    *p = tag;
    if (allowed) {
        if (mt_expect_none(name) && (write ? mem != ~tag : v != tag)) {
            gt_checks++;
            gt_failures++;
            gt_printf("%s: FAIL allowed access read 0x%08x / left 0x%08x in memory\n", name, v,
                      mem);
        }
        return;
    }
    mt_expect_dabt_noeffect(name, insn, mode, fsr | (write ? 0x800 : 0), FSR_ALL, va,
                            write ? mem == tag : v == MT_SENT);
}

static void all_kinds(const char *what, u32 va, u32 pa, const char *allowed, u32 fsr)
{
    for (int k = P_RD; k <= U_WR; k++)
        access_case(what, va, pa, k, allowed[k] == 'y', fsr);
}

static void exec_case(const char *name, u32 va, int user, int allowed, u32 ifsr)
{
    mt_clear();
    u32 r = user ? mt_user_call_addr(va, 0, 0) : mt_call(va);
    if (allowed) {
        if (mt_expect_none(name) && r != 42) {
            gt_checks++;
            gt_failures++;
            gt_printf("%s: FAIL returned 0x%08x, want 42\n", name, r);
        }
        return;
    }
    if (r != MT_ABORTED) {
        gt_checks++;
        gt_failures++;
        gt_printf("%s: FAIL code ran (returned 0x%08x)\n", name, r);
        return;
    }
    mt_expect_pabt(name, va, user ? M_USR : M_SVC, ifsr, FSR_ALL);
}

/* PAR after ATS1CPR: PA, F, LPAE bit and ATTR (SH, NS are not checked). */
static void par_attr(const char *name, u32 va, u64 pa, u32 attr)
{
    mt_ats1cpr(va);
    mt_isb();
    u64 par = mt_par64() & 0xff0000fffffff801ull;
    gt_check64(name, par, ((u64)attr << 56) | (pa & 0xfffffff000ull) | 0x800);
}

static void mappings(void)
{
    mt_check_map("l2-block-ram-48000000", 0x48000000u, 0x48000000u);
    mt_check_map("l1-block-88000000", 0x88000000u, 0x48000000u);
    mt_check_map("l1-block-8fffff00", 0x8fffff00u, 0x4fffff00u);
    mt_check_map("l2-block-20000000", 0x20000000u, 0x48200000u);
    mt_check_map("l2-block-201ffffc", 0x201ffffcu, 0x483ffffcu);
    mt_check_map("l3-page-20200000", 0x20200000u, 0x48400000u);
    mt_check_map("l3-page-20200ffc", 0x20200ffcu, 0x48400ffcu);
    mt_check_map("l3-page-2020d123", 0x2020d120u, 0x48409120u);
    /* MAIR and AttrIndx */
    gt_check("mair0", mt_prrr(), MAIR0_VALUE);
    gt_check("mair1", mt_nmrr(), MAIR1_VALUE);
    mt_check_map("attr-device-page-aligned", 0x20205000u, 0x48405000u);
    mt_check_map("attr-nc-page", 0x20206000u, 0x48406000u);
    par_attr("par-attr-idx1-normal-wb", 0x20200000u, 0x48400000u, 0xff);
    par_attr("par-attr-idx0-device", 0x20205000u, 0x48405000u, 0x04);
    par_attr("par-attr-idx2-normal-nc", 0x20206000u, 0x48406000u, 0x44);
    par_attr("par-attr-idx6-mair1", 0x20207000u, 0x48407000u, 0xaa);
    mt_set_mair0(0x004400ffu);                          /* index 0 becomes normal WB */
    mt_tlb_flush();
    par_attr("par-attr-mair0-changed", 0x20205000u, 0x48405000u, 0xff);
    mt_set_mair0(MAIR0_VALUE);
    mt_tlb_flush();
    /* block above 4 GiB: synchronous external abort */
    mt_clear();
    u32 v = mt_p_ldr(0x20600010u);
    mt_expect_dabt_noeffect("block-above-4g-external-abort", mt_p_ldr_i, M_SVC, LFSR(0x10),
                            FSR_ALL, 0x20600010u, v == MT_SENT);
    par_attr("par-block-above-4g", 0x20600010u, 0x100000000ull, 0xff);
}

static void faults(void)
{
    /* translation faults at each level */
    mt_clear();
    u32 v = mt_p_ldr(0xc0000000u);
    mt_expect_dabt_noeffect("xlat-level1", mt_p_ldr_i, M_SVC, XLAT(1), FSR_ALL, 0xc0000000u,
                            v == MT_SENT);
    mt_clear();
    mt_p_str(0x30000004u, 0);
    mt_expect_dabt("xlat-level2", mt_p_str_i, M_SVC, XLAT(2) | 0x800, FSR_ALL, 0x30000004u);
    mt_clear();
    v = mt_p_ldrb(0x2021f001u);
    mt_expect_dabt("xlat-level3", mt_p_ldrb_i, M_SVC, XLAT(3), FSR_ALL, 0x2021f001u);
    mt_clear();
    v = mt_p_ldr(l3va(12));
    mt_expect_dabt("xlat-level3-reserved-0b01", mt_p_ldr_i, M_SVC, XLAT(3), FSR_ALL, l3va(12));
    mt_clear();
    v = mt_user_call(mt_u_ldr, 0xc0000100u, 0);
    mt_expect_dabt("xlat-level1-usr", mt_u_ldr_i, M_USR, XLAT(1), FSR_ALL, 0xc0000100u);

    /* access flag */
    all_kinds("af-level2-block", 0x20400000u, 0x48400000u, "nnnnnn", AFF(2));
    all_kinds("af-level3-page", l3va(4), 0x48404000u, "nnnnnn", AFF(3));
    l3[4] |= L_AF;
    mt_tlb_flush_va(l3va(4));
    access_case("af-level3-set", l3va(4), 0x48404000u, P_RD, 1, 0);

    /* AP[2:1]                       ldr str ldrt strt usr-ldr usr-str */
    all_kinds("ap-rw-all", l3va(0) + 0x40, 0x48400040u, "yyyyyy", 0);
    all_kinds("ap-pl1-rw", l3va(1) + 0x40, 0x48401040u, "yynnnn", PERM(3));
    all_kinds("ap-pl1-ro", l3va(2) + 0x40, 0x48402040u, "ynnnnn", PERM(3));
    all_kinds("ap-ro-all", l3va(3) + 0x40, 0x48403040u, "ynynyn", PERM(3));
    all_kinds("ap-block-pl1-ro", 0x20800040u, 0x48600040u, "ynnnnn", PERM(2));

    /* execute */
    exec_case("exec-page", l3va(8), 0, 1, 0);
    exec_case("exec-page-usr", l3va(8), 1, 1, 0);
    exec_case("exec-page-xn", l3va(9), 0, 0, PERM(3));
    exec_case("exec-page-xn-usr", l3va(9), 1, 0, PERM(3));
    exec_case("exec-page-pxn", l3va(10), 0, 0, PERM(3));
    exec_case("exec-page-pxn-usr", l3va(10), 1, 1, 0);
    exec_case("exec-page-pl1-only", l3va(11), 0, 1, 0);
    exec_case("exec-page-pl1-only-usr", l3va(11), 1, 0, PERM(3));
    exec_case("exec-block-xn", 0x20a00000u + (CODE_PA & 0x1fffffu), 0, 0, PERM(2));
    exec_case("exec-xlat-level3", l3va(14), 0, 0, XLAT(3));
    exec_case("exec-xlat-level1-usr", 0xc0000000u, 1, 0, XLAT(1));

    /* hierarchical attributes in table descriptors (same level-3 table) */
    all_kinds("aptable-no-pl0", 0x22000040u, 0x48410040u, "yynnnn", PERM(3));
    all_kinds("aptable-ro", 0x22200040u, 0x48410040u, "ynynyn", PERM(3));
    all_kinds("xntable-data-ok", 0x22400040u, 0x48410040u, "yyyyyy", 0);
    exec_case("aptable-no-pl0-exec", 0x22001000u, 0, 1, 0);
    exec_case("aptable-no-pl0-exec-usr", 0x22001000u, 1, 0, PERM(3));
    exec_case("xntable-exec", 0x22401000u, 0, 0, PERM(3));
    exec_case("xntable-exec-usr", 0x22401000u, 1, 0, PERM(3));
    exec_case("pxntable-exec", 0x22601000u, 0, 0, PERM(3));
    exec_case("pxntable-exec-usr", 0x22601000u, 1, 1, 0);

    /* alignment (SCTLR.A): checked before translation */
    mt_set_sctlr(mt_sctlr() | SCTLR_A);
    mt_clear();
    v = mt_p_ldr(0x20200002u);
    mt_expect_dabt("align-ldr", mt_p_ldr_i, M_SVC, LFSR(0x21), FSR_ALL, 0x20200002u);
    mt_clear();
    mt_p_strh(0xc0000001u, 0);
    mt_expect_dabt("align-before-translation", mt_p_strh_i, M_SVC, LFSR(0x21) | 0x800, FSR_ALL,
                   0xc0000001u);
    mt_set_sctlr(mt_sctlr() & ~SCTLR_A);
}

/* T0SZ / T1SZ: which TTBR translates a VA, and which VA bits index TTBR1's
 * first-level table. */
static void split(void)
{
    mt_set_ttbr1_64((u32)t1);
    mt_isb();
    gt_check64("ttbr1-64-readback", mt_ttbr1_64(), (u32)t1);

    mt_check_map("t0sz0-t1sz0-ttbr0", 0x80000100u, 0x40000100u);
    /* T0SZ = 1, T1SZ = 0: TTBR1 from 0x80000000, indexed by VA[31:30] */
    mt_set_ttbcr(0x80000000u | 1);
    mt_tlb_flush();
    gt_check("ttbcr-t0sz1", mt_ttbcr(), 0x80000001u);
    mt_check_map("t0sz1-t1sz0-ttbr1-index2", 0x80000100u, 0x48a00100u);
    mt_check_map("t0sz1-t1sz0-ttbr0-below", 0x20000100u, 0x48200100u);
    /* T0SZ = 1, T1SZ = 1: TTBR1 indexed by VA[30] */
    mt_set_ttbcr(0x80000000u | (1u << 16) | 1);
    mt_tlb_flush();
    mt_check_map("t0sz1-t1sz1-ttbr1-index0", 0x80000100u, 0x48800100u);
    /* T0SZ = 0, T1SZ = 2: TTBR1 covers 0xc0000000 up and starts at level 2 */
    mt_set_ttbr1_64((u32)t1c);
    mt_set_ttbcr(0x80000000u | (2u << 16));
    mt_tlb_flush();
    mt_check_map("t0sz0-t1sz2-ttbr1-level2", 0xc0000100u, 0x48600100u);
    mt_check_map("t0sz0-t1sz2-ttbr0-below", 0x80000100u, 0x40000100u);
    /* T0SZ = 1, T1SZ = 2: 0x80000000-0xbfffffff is in neither range */
    mt_set_ttbcr(0x80000000u | (2u << 16) | 1);
    mt_tlb_flush();
    mt_clear();
    u32 v = mt_p_ldr(0x80000100u);
    mt_expect_dabt_noeffect("gap-translation-fault", mt_p_ldr_i, M_SVC, XLAT(1), FSR_ALL,
                            0x80000100u, v == MT_SENT);
    mt_check_map("gap-t1sz2-ttbr1", 0xc0000100u, 0x48600100u);
    /* TTBR1 past the end of RAM: external abort on the level-2 walk */
    mt_set_ttbr1_64(0x50000000u);
    mt_set_ttbcr(0x80000000u | (2u << 16));
    mt_tlb_flush();
    mt_clear();
    v = mt_p_ldr(0xc0000200u);
    mt_expect_dabt_noeffect("walk-external-abort-level2", mt_p_ldr_i, M_SVC, LFSR(0x14 | 2),
                            FSR_ALL, 0xc0000200u, v == MT_SENT);
    mt_set_ttbr1_64((u32)t1c);
    /* EPD1: no walks through TTBR1: translation fault, level 1 */
    mt_set_ttbcr(0x80000000u | (2u << 16) | (1u << 23));
    mt_tlb_flush();
    mt_clear();
    v = mt_p_ldr(0xc0000100u);
    mt_expect_dabt_noeffect("epd1-translation-fault", mt_p_ldr_i, M_SVC, XLAT(1), FSR_ALL,
                            0xc0000100u, v == MT_SENT);
    mt_set_ttbcr(0x80000000u);
    mt_tlb_flush();
    mt_check_map("t0sz0-t1sz0-again", 0x80000100u, 0x40000100u);
}

static void asids(void)
{
    u64 t0a = (u32)l1 | (1ull << 48), t0b = (u32)l1b | (2ull << 48);
    mt_set_ttbr0_64(t0a);
    mt_isb();
    gt_check64("ttbr0-64-asid-readback", mt_ttbr0_64(), t0a);
    mt_check_map("asid1-ng-block", 0x24000000u, 0x48c00000u);
    mt_set_ttbr0_64(t0b);
    mt_isb();
    mt_check_map("asid2-ng-block", 0x24000000u, 0x48e00000u);
    mt_check_map("asid2-global", 0x20000000u, 0x48200000u);
    mt_set_ttbr0_64(t0a);
    mt_isb();
    mt_check_map("asid1-again-ng-block", 0x24000040u, 0x48c00040u);
    /* remap ASID 1's block while ASID 2 runs, TLBIASID(1), switch back */
    mt_set_ttbr0_64(t0b);
    mt_isb();
    l2lo[0x120] = BLK(0x49000000u) | L_AP_USER | L_NG;
    mt_dsb();
    mt_tlbiasid(1);
    mt_dsb();
    mt_isb();
    mt_check_map("asid2-after-tlbiasid1", 0x24000000u, 0x48e00000u);
    mt_set_ttbr0_64(t0a);
    mt_isb();
    mt_check_map("asid1-after-tlbiasid1", 0x24000000u, 0x49000000u);
    /* TLBIMVA with the other ASID */
    l2lob[0x120] = BLK(0x49200000u) | L_AP_USER | L_NG;
    mt_dsb();
    mt_tlbimva(0x24000000u | 2);
    mt_dsb();
    mt_isb();
    mt_set_ttbr0_64(t0b);
    mt_isb();
    mt_check_map("asid2-after-tlbimva", 0x24000000u, 0x49200000u);
    mt_set_ttbr0_64((u32)l1);
    mt_tlb_flush();
}

int main(void)
{
    mt_install();
    setup();
    mt_lpae_on((u32)l1, 0);
    gt_check("ttbcr-eae", mt_ttbcr(), 0x80000000u);
    gt_check("sctlr-m", mt_sctlr() & SCTLR_M, SCTLR_M);
    mappings();
    faults();
    split();
    asids();
    mt_mmu_off();
    gt_check("ttbcr-eae-off", mt_ttbcr(), 0);
    return gt_finish();
}
