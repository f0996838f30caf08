/*
 * Short-descriptor translation with sections (ARM ARM B3.5): a first-level
 * table mapping RAM 1:1, MMU on (SCTLR.M), sections at other VAs, two VAs
 * aliasing one PA, remapping with TLBIMVA / TLBIMVAA / TLBIALL (a global
 * entry is invalidated by TLBIMVA whatever ASID it names), 16 MiB
 * supersections (also one above 4 GiB: external abort), TTBCR.N splitting
 * the address space between TTBR0 and TTBR1, and an external abort on the
 * first-level table walk.  (TTBCR.PD0/PD1 belong to
 * the Security Extensions, which this CPU configuration lacks: not tested.)
 *
 * Scratch physical memory: 0x48000000-0x48ffffff (sections), 0x49000000
 * (a supersection), all inside the 1:1-mapped RAM so the expected contents
 * can be written and checked through the identity map.
 */
#include "mt.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l1b[4096] __attribute__((aligned(16384)));

#define RW (S_NORMAL | S_AP(AP_RW))

static void check_sctlr_m(const char *name, u32 want)
{
    gt_check(name, mt_sctlr() & SCTLR_M, want);
}

/* TTBCR.N split: the VA selects TTBR0 (VA[31:32-N] == 0) or TTBR1. */
static void ttbcr_split(void)
{
    /* l1b: the same 1:1 RAM map, its own test mappings. */
    mt_l1_init(l1b);
    mt_map_section(l1, 0x80000000u, 0x48400000u, RW);   /* TTBR0 view */
    mt_map_section(l1b, 0x80000000u, 0x48500000u, RW);  /* TTBR1 view */
    mt_map_section(l1, 0x20000000u, 0x48600000u, RW);
    mt_map_section(l1b, 0x20000000u, 0x48700000u, RW);
    mt_map_section(l1, 0x01f00000u, 0x48800000u, RW);
    mt_map_section(l1b, 0x01f00000u, 0x48900000u, RW);
    mt_map_section(l1, 0x02000000u, 0x48a00000u, RW);
    mt_map_section(l1b, 0x02000000u, 0x48b00000u, RW);
    mt_set_ttbr1((u32)l1b);
    mt_isb();
    gt_check("ttbr1-readback", mt_ttbr1(), (u32)l1b);

    mt_set_ttbcr(0);                    /* N = 0: TTBR0 for everything */
    mt_tlb_flush();
    mt_check_map("n0-80000000-ttbr0", 0x80000000u, 0x48400000u);
    mt_check_map("n0-20000000-ttbr0", 0x20000000u, 0x48600000u);

    mt_set_ttbcr(1);                    /* N = 1: TTBR1 from 0x80000000 */
    mt_tlb_flush();
    gt_check("ttbcr-n1-readback", mt_ttbcr(), 1);
    mt_check_map("n1-80000000-ttbr1", 0x80000000u, 0x48500000u);
    mt_check_map("n1-20000000-ttbr0", 0x20000000u, 0x48600000u);

    mt_set_ttbcr(2);                    /* N = 2: TTBR1 from 0x40000000 (this code too) */
    mt_tlb_flush();
    mt_check_map("n2-80000000-ttbr1", 0x80000000u, 0x48500000u);
    mt_check_map("n2-20000000-ttbr0", 0x20000000u, 0x48600000u);
    mt_check_map("n2-code-runs-via-ttbr1", 0x48000000u, 0x48000000u);

    mt_set_ttbcr(7);                    /* N = 7: TTBR1 from 0x02000000 */
    mt_tlb_flush();
    mt_check_map("n7-01f00000-ttbr0", 0x01f00000u, 0x48800000u);
    mt_check_map("n7-02000000-ttbr1", 0x02000000u, 0x48b00000u);
    mt_check_map("n7-20000000-ttbr1", 0x20000000u, 0x48700000u);

    /* TTBR1 pointing past the end of RAM: external abort on the first-level
     * walk (FS 0b01100, domain UNKNOWN) */
    mt_set_ttbr1(0x50000000u);
    mt_set_ttbcr(1);
    mt_tlb_flush();
    mt_clear();
    u32 v = mt_p_ldr(0x80000020u);
    mt_expect_dabt_noeffect("ttbr1-walk-external-abort", mt_p_ldr_i, M_SVC, 0x00c, FSR_NODOMAIN,
                            0x80000020u, v == MT_SENT);
    mt_set_ttbr1((u32)l1b);

    mt_set_ttbcr(0);
    mt_tlb_flush();
    mt_check_map("n0-again-80000000-ttbr0", 0x80000000u, 0x48400000u);
}

int main(void)
{
    mt_install();
    mt_l1_init(l1);
    mt_map_section(l1, 0x80000000u, 0x48000000u, RW);
    mt_map_section(l1, 0x80100000u, 0x48000000u, RW);   /* alias */
    mt_map_section(l1, 0x80200000u, 0x48100000u, RW);
    mt_map_section(l1, 0xfff00000u, 0x48200000u, RW);   /* top of the VA space */

    check_sctlr_m("sctlr-m-off-at-start", 0);
    mt_mmu_on(l1);
    check_sctlr_m("sctlr-m-on", SCTLR_M);
    gt_check("ttbr0-readback", mt_ttbr0(), (u32)l1);
    gt_check("dacr-readback", mt_dacr(), 0x55555555u);

    mt_check_map("identity-48000000", 0x48000000u, 0x48000000u);
    mt_check_map("identity-4ffffffc", 0x4ffffffcu, 0x4ffffffcu);
    mt_check_map("sect-80000000", 0x80000000u, 0x48000000u);
    mt_check_map("sect-800ffffc", 0x800ffffcu, 0x480ffffcu);
    mt_check_map("sect-80012344", 0x80012344u, 0x48012344u);
    mt_check_map("sect-alias-80100000", 0x80100000u, 0x48000000u);
    mt_check_map("sect-alias-801abcd0", 0x801abcd0u, 0x480abcd0u);
    mt_check_map("sect-80200000", 0x80200000u, 0x48100000u);
    mt_check_map("sect-fff00000", 0xfff00000u, 0x48200000u);
    mt_check_map("sect-fffffffc", 0xfffffffcu, 0x482ffffcu);

    /* write through one alias, read through the other */
    mt_p_str(0x80000040u, 0x11223344u);
    gt_check("alias-word", mt_p_ldr(0x80100040u), 0x11223344u);
    mt_p_strb(0x80100041u, 0xaa);
    gt_check("alias-byte", mt_p_ldr(0x80000040u), 0x1122aa44u);
    mt_p_strh(0x80000042u, 0xbeef);
    gt_check("alias-half", mt_p_ldrh(0x80100042u), 0xbeefu);
    gt_check("alias-identity", mt_p_ldr(0x48000040u), 0xbeefaa44u);
    gt_check("alias-byte-read", mt_p_ldrb(0x80100043u), 0xbeu);

    /* remap a section: TLBIMVA (VA | ASID; the entry is global, so any ASID
     * matches), TLBIMVAA, TLBIALL */
    mt_map_section(l1, 0x80200000u, 0x48300000u, RW);
    mt_dsb();
    mt_tlbimva(0x80200000u | 0x5);
    mt_dsb();
    mt_isb();
    mt_check_map("remap-tlbimva-global", 0x80200000u, 0x48300000u);
    mt_map_section(l1, 0x80200000u, 0x48100000u, RW);
    mt_tlb_flush_va(0x80200000u);
    mt_check_map("remap-tlbimvaa", 0x80200000u, 0x48100000u);
    mt_map_section(l1, 0x80000000u, 0x48300000u, RW);
    mt_map_section(l1, 0x80100000u, 0x48300000u, RW);
    mt_map_section(l1, 0x80200000u, 0x48300000u, RW);
    mt_tlb_flush();
    mt_check_map("remap-tlbiall-80000000", 0x80000000u, 0x48300000u);
    mt_check_map("remap-tlbiall-80100000", 0x80100000u, 0x48300000u);
    mt_check_map("remap-tlbiall-80200000", 0x80200000u, 0x48300000u);
    /* unmapping: translation fault (level 1) after TLBIMVAA */
    mt_l1_set(l1, 0x80200000u, 0);
    mt_tlb_flush_va(0x80200000u);
    mt_clear();
    u32 v = mt_p_ldr(0x80200008u);
    mt_expect_dabt("unmapped-section-fault", mt_p_ldr_i, M_SVC, 0x005, FSR_NODOMAIN, 0x80200008u);
    gt_check("unmapped-section-rt-kept", v, MT_SENT);

    /* supersections: 16 MiB, VA[23:0] is the offset */
    mt_map_supersection(l1, 0xa0000000u, 0x49000000ull, RW);
    mt_tlb_flush();
    mt_check_map("super-a0000000", 0xa0000000u, 0x49000000u);
    mt_check_map("super-a0f00ffc", 0xa0f00ffcu, 0x49f00ffcu);
    mt_check_map("super-a07654c0", 0xa07654c0u, 0x497654c0u);
    mt_check_map("super-a0ffeff0", 0xa0ffeff0u, 0x49ffeff0u);
    /* PA 0x1_0000_0000 (above 4 GiB, nothing there on virt): external abort */
    mt_map_supersection(l1, 0xb0000000u, 0x100000000ull, RW);
    mt_tlb_flush();
    mt_clear();
    v = mt_p_ldr(0xb0000100u);
    mt_expect_dabt("super-above-4g-external-abort", mt_p_ldr_i, M_SVC, 0x008, FSR_NODOMAIN,
                   0xb0000100u);
    gt_check("super-above-4g-rt-kept", v, MT_SENT);

    ttbcr_split();

    mt_mmu_off();
    check_sctlr_m("sctlr-m-off-again", 0);
    mt_check_map("mmu-off-flat", 0x48000000u, 0x48000000u);
    return gt_finish();
}
