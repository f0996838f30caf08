/*
 * Short-descriptor second-level (coarse) tables (ARM ARM B3.5.1): 4 KiB
 * small pages and 64 KiB large pages next to sections, code executed from
 * a small page, remapping followed by TLBIMVA (for a large page, any VA
 * inside it invalidates the whole page), TLBIMVAA and TLBIALL, and
 * ASID-tagged non-global (nG) mappings: two address spaces (TTBR0 +
 * CONTEXTIDR.ASID) map the same VA to different PAs and are switched
 * without TLB maintenance; TLBIASID and TLBIMVA with an ASID invalidate an
 * address space that is not the current one.
 *
 * Scratch physical pages: 0x48000000-0x480fffff.
 */
#include "mt.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l1b[4096] __attribute__((aligned(16384)));
static u32 l2a[256] __attribute__((aligned(1024)));
static u32 l2b[256] __attribute__((aligned(1024)));
static u32 l2p[256] __attribute__((aligned(1024)));   /* ASID 1 (in l1) */
static u32 l2q[256] __attribute__((aligned(1024)));   /* ASID 2 (in l1b) */

#define SMALL (P_SMALL_NORMAL | P_AP(AP_RW))
#define LARGE (P_LARGE_NORMAL | P_AP(AP_RW))
#define NG_VA 0x80300000u

/* Switch address space: ASID first (no nG access in between), then TTBR0. */
static void switch_as(u32 asid, u32 *table)
{
    mt_set_contextidr(asid);
    mt_isb();
    mt_set_ttbr0((u32)table);
    mt_isb();
}

static void asids(void)
{
    mt_l1_init(l1b);
    mt_map_table(l1, NG_VA, l2p, S_DOM(0));
    mt_map_table(l1b, NG_VA, l2q, S_DOM(0));
    mt_map_small(l2p, NG_VA, 0x48060000u, SMALL | P_NG);
    mt_map_small(l2q, NG_VA, 0x48061000u, SMALL | P_NG);
    /* a global page mapped the same way in both */
    mt_map_small(l2p, NG_VA + 0x1000, 0x48062000u, SMALL);
    mt_map_small(l2q, NG_VA + 0x1000, 0x48062000u, SMALL);
    mt_tlb_flush();

    switch_as(1, l1);
    gt_check("contextidr-readback", mt_contextidr(), 1);
    mt_check_map("asid1-ng-page", NG_VA, 0x48060000u);
    mt_check_map("asid1-global-page", NG_VA + 0x1000, 0x48062000u);
    switch_as(2, l1b);
    mt_check_map("asid2-ng-page", NG_VA, 0x48061000u);
    mt_check_map("asid2-global-page", NG_VA + 0x1000, 0x48062000u);
    switch_as(1, l1);
    mt_check_map("asid1-again-ng-page", NG_VA + 0x10, 0x48060010u);
    switch_as(2, l1b);
    mt_check_map("asid2-again-ng-page", NG_VA + 0x20, 0x48061020u);

    /* while ASID 2 runs, remap ASID 1's page and TLBIASID(1) */
    mt_map_small(l2p, NG_VA, 0x48063000u, SMALL | P_NG);
    mt_dsb();
    mt_tlbiasid(1);
    mt_dsb();
    mt_isb();
    mt_check_map("asid2-after-tlbiasid1", NG_VA, 0x48061000u);
    switch_as(1, l1);
    mt_check_map("asid1-after-tlbiasid1", NG_VA, 0x48063000u);

    /* TLBIMVA with ASID 1 while ASID 1 runs; with ASID 2 for the other one */
    mt_map_small(l2p, NG_VA, 0x48064000u, SMALL | P_NG);
    mt_map_small(l2q, NG_VA, 0x48065000u, SMALL | P_NG);
    mt_dsb();
    mt_tlbimva(NG_VA | 1);
    mt_tlbimva(NG_VA | 2);
    mt_dsb();
    mt_isb();
    mt_check_map("asid1-after-tlbimva", NG_VA, 0x48064000u);
    switch_as(2, l1b);
    mt_check_map("asid2-after-tlbimva", NG_VA, 0x48065000u);

    /* back to ASID 0 and the first table */
    switch_as(0, l1);
    mt_tlb_flush();
    mt_check_map("asid0-ng-page-walks-l1", NG_VA, 0x48064000u);
}

int main(void)
{
    mt_install();
    mt_l1_init(l1);
    mt_map_table(l1, 0x80000000u, l2a, S_DOM(0));
    mt_map_section(l1, 0x80100000u, 0x48000000u, S_NORMAL | S_AP(AP_RW));
    mt_map_table(l1, 0x80200000u, l2b, S_DOM(0));
    mt_map_small(l2a, 0x80000000u, 0x48010000u, SMALL);
    mt_map_small(l2a, 0x80001000u, 0x48011000u, SMALL);
    mt_map_small(l2a, 0x80002000u, 0x48011000u, SMALL);        /* alias */
    mt_map_small(l2a, 0x800ff000u, 0x48012000u, SMALL);        /* last entry */
    mt_map_large(l2a, 0x80010000u, 0x48020000u, LARGE);
    mt_map_large(l2a, 0x800e0000u, 0x48040000u, LARGE);
    mt_map_small(l2b, 0x80234000u, 0x48013000u, SMALL);
    mt_mmu_on(l1);

    mt_check_map("small-80000000", 0x80000000u, 0x48010000u);
    mt_check_map("small-80000ffc", 0x80000ffcu, 0x48010ffcu);
    mt_check_map("small-80001000", 0x80001000u, 0x48011000u);
    mt_check_map("small-alias-80002abc", 0x80002abcu, 0x48011abcu);
    mt_check_map("small-last-800ff800", 0x800ff800u, 0x48012800u);
    mt_check_map("small-other-table", 0x80234560u, 0x48013560u);
    mt_check_map("section-next-to-tables", 0x80100010u, 0x48000010u);
    mt_check_map("large-80010000", 0x80010000u, 0x48020000u);
    mt_check_map("large-80015004", 0x80015004u, 0x48025004u);
    mt_check_map("large-8001fffc", 0x8001fffcu, 0x4802fffcu);
    mt_check_map("large-800e8000", 0x800e8000u, 0x48048000u);
    mt_check_map("large-800efff0", 0x800efff0u, 0x4804fff0u);
    /* alias write/read */
    mt_p_str(0x80001100u, 0xcafe0001u);
    gt_check("small-alias-write-read", mt_p_ldr(0x80002100u), 0xcafe0001u);

    /* unmapped second-level entry: translation fault, level 2 (domain 0) */
    mt_clear();
    u32 v = mt_p_ldr(0x80003000u);
    mt_expect_dabt("small-unmapped-fault", mt_p_ldr_i, M_SVC, 0x007, FSR_ALL, 0x80003000u);
    gt_check("small-unmapped-rt-kept", v, MT_SENT);

    /* execute from a small page */
    u32 *code = (u32 *)0x48014000u;
    code[0] = mt_stub_ret42[0];
    code[1] = mt_stub_ret42[1];
    mt_dsb();
    mt_map_small(l2a, 0x80004000u, 0x48014000u, SMALL);
    mt_tlb_flush();
    mt_clear();
    gt_check("exec-small-page", mt_call(0x80004000u), 42);
    mt_expect_none("exec-small-page-no-abort");

    /* remap a small page: TLBIMVA */
    mt_p_ldr(0x80001000u);                         /* (make sure it is in a TLB) */
    mt_map_small(l2a, 0x80001000u, 0x48015000u, SMALL);
    mt_dsb();
    mt_tlbimva(0x80001000u);
    mt_dsb();
    mt_isb();
    mt_check_map("remap-small-tlbimva", 0x80001000u, 0x48015000u);
    mt_check_map("remap-small-alias-unchanged", 0x80002000u, 0x48011000u);

    /* remap a large page; TLBIMVA for an address inside it invalidates it all */
    mt_p_ldr(0x80010000u);
    mt_p_ldr(0x8001f000u);
    mt_map_large(l2a, 0x80010000u, 0x48030000u, LARGE);
    mt_dsb();
    mt_tlbimva(0x80015000u);
    mt_dsb();
    mt_isb();
    mt_check_map("remap-large-80010000", 0x80010000u, 0x48030000u);
    mt_check_map("remap-large-80015000", 0x80015000u, 0x48035000u);
    mt_check_map("remap-large-8001f000", 0x8001f000u, 0x4803f000u);

    /* small page replaced by a large one and back; TLBIMVAA; TLBIALL */
    mt_p_ldr(0x800e4000u);
    mt_map_small(l2a, 0x800e4000u, 0x48016000u, SMALL);
    mt_tlb_flush_va(0x800e4000u);
    mt_check_map("large-to-small-tlbimvaa", 0x800e4000u, 0x48016000u);
    mt_check_map("large-rest-unchanged", 0x800e5000u, 0x48045000u);
    mt_map_small(l2a, 0x80000000u, 0x48017000u, SMALL);
    mt_map_small(l2a, 0x800ff000u, 0x48018000u, SMALL);
    mt_map_small(l2b, 0x80234000u, 0x48019000u, SMALL);
    mt_map_section(l1, 0x80100000u, 0x48100000u, S_NORMAL | S_AP(AP_RW));
    mt_tlb_flush();
    mt_check_map("tlbiall-small-80000000", 0x80000000u, 0x48017000u);
    mt_check_map("tlbiall-small-800ff000", 0x800ff000u, 0x48018000u);
    mt_check_map("tlbiall-small-80234000", 0x80234000u, 0x48019000u);
    mt_check_map("tlbiall-section-80100000", 0x80100000u, 0x48100000u);

    /* a whole second-level table replaced through its first-level entry */
    mt_map_table(l1, 0x80200000u, l2a, S_DOM(0));
    mt_tlb_flush();
    mt_check_map("l1-entry-retargeted", 0x80200000u, 0x48017000u);

    asids();
    mt_mmu_off();
    return gt_finish();
}
