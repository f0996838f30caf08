/*
 * mt.c - page-table builders and checks for the system-architecture guest
 * tests (see mt.h).
 */
#include "mt.h"

void mt_tlb_flush(void)
{
    mt_dsb();
    mt_tlbiall();
    mt_dsb();
    mt_isb();
}

void mt_tlb_flush_va(u32 va)
{
    mt_dsb();
    mt_tlbimvaa(va & ~0xfffu);
    mt_dsb();
    mt_isb();
}

/* ---- short descriptors --------------------------------------------------- */
void mt_l1_init(u32 *l1)
{
    for (u32 i = 0; i < 4096; i++)
        l1[i] = 0;
    for (u32 mb = 0x400; mb < 0x500; mb++)
        l1[mb] = (mb << 20) | S_SECT | S_NORMAL | S_AP(AP_RW) | S_DOM(0);
    mt_dsb();
}

void mt_l1_set(u32 *l1, u32 va, u32 desc)
{
    l1[va >> 20] = desc;
    mt_dsb();
}

void mt_map_section(u32 *l1, u32 va, u32 pa, u32 attrs)
{
    mt_l1_set(l1, va, (pa & 0xfff00000u) | S_SECT | attrs);
}

void mt_map_supersection(u32 *l1, u32 va, u64 pa, u32 attrs)
{
    u32 d = ((u32)pa & 0xff000000u) | (((u32)(pa >> 32) & 0xf) << 20)
            | (((u32)(pa >> 36) & 0xf) << 5) | S_SUPER | S_SECT | attrs;
    for (u32 i = 0; i < 16; i++)
        l1[((va & 0xff000000u) >> 20) + i] = d;
    mt_dsb();
}

void mt_map_table(u32 *l1, u32 va, u32 *l2, u32 attrs)
{
    mt_l1_set(l1, va, ((u32)l2 & 0xfffffc00u) | S_TABLE | attrs);
}

void mt_map_small(u32 *l2, u32 va, u32 pa, u32 attrs)
{
    l2[(va >> 12) & 0xff] = (pa & 0xfffff000u) | P_SMALL | attrs;
    mt_dsb();
}

void mt_map_large(u32 *l2, u32 va, u32 pa, u32 attrs)
{
    u32 first = (va >> 12) & 0xf0;
    for (u32 i = 0; i < 16; i++)
        l2[first + i] = (pa & 0xffff0000u) | P_LARGE | attrs;
    mt_dsb();
}

void mt_mmu_on(u32 *l1)
{
    mt_set_ttbcr(0);
    mt_set_ttbr0((u32)l1);
    mt_set_ttbr1(0);
    mt_set_dacr(0x55555555u);
    mt_set_contextidr(0);
    mt_isb();
    mt_tlb_flush();
    mt_set_sctlr(mt_sctlr() | SCTLR_M);
    mt_tlb_flush();
}

void mt_mmu_off(void)
{
    mt_set_sctlr(mt_sctlr() & ~(SCTLR_M | SCTLR_A | SCTLR_AFE));
    mt_set_ttbcr(0);
    mt_isb();
    mt_tlb_flush();
}

/* ---- long descriptors ---------------------------------------------------- */
void mt_lpae_init(u64 *l1, u64 *l2)
{
    for (u32 i = 0; i < 512; i++) {
        l1[i] = L_INVALID;
        l2[i] = L_INVALID;
    }
    l1[1] = mt_ltable(l2);
    /* 0x40000000 + n * 2 MiB, n < 128: RAM */
    for (u32 n = 0; n < 128; n++)
        l2[n] = (0x40000000ull + ((u64)n << 21)) | L_BLOCK | L_NORMAL | L_AP_USER;
    mt_dsb();
}

void mt_lpae_on(u64 ttbr0, u32 ttbcr_extra)
{
    mt_set_mair0(MAIR0_VALUE);
    mt_set_mair1(MAIR1_VALUE);
    mt_set_ttbcr(0x80000000u | ttbcr_extra);
    mt_isb();
    mt_set_ttbr0_64(ttbr0);
    mt_set_contextidr(0);
    mt_isb();
    mt_tlb_flush();
    mt_set_sctlr(mt_sctlr() | SCTLR_M);
    mt_tlb_flush();
}

/* ---- checks -------------------------------------------------------------- */
static const char *const vec_names[5] = { "none", "und", "svc", "pabt", "dabt" };

static const char *vname(u32 v) { return v < 5 ? vec_names[v] : "?"; }

static int pass(const char *name, const char *what)
{
    gt_checks++;
    gt_printf("%s: ok %s\n", name, what);
    return 1;
}

static int failed(const char *name, const char *what)
{
    gt_checks++;
    gt_failures++;
    gt_printf("%s: FAIL %s\n", name, what);
    return 0;
}

int mt_expect_none(const char *name)
{
    char buf[160];
    if (mt_trap.count == 0)
        return pass(name, "no exception");
    gt_snprintf(buf, sizeof buf, "got %u exception(s), last %s lr=0x%08x dfsr=0x%08x dfar=0x%08x "
                "ifsr=0x%08x ifar=0x%08x", mt_trap.count, vname(mt_trap.vector), mt_trap.lr,
                mt_trap.dfsr, mt_trap.dfar, mt_trap.ifsr, mt_trap.ifar);
    return failed(name, buf);
}

/* Common part: count, vector, LR offset, SPSR mode, handler mode/masks. */
static int expect_exc(const char *name, u32 vector, u32 ret, u32 mode, u32 hmode,
                      u32 fsr, u32 far, const char *fsrname, const char *farname)
{
    char buf[200];
    /* aborts set CPSR.A, UND leaves it; F is masked throughout the tests */
    u32 cpsr_want = hmode | PSR_I_BIT | PSR_F_BIT | (hmode == 0x17 ? PSR_A_BIT : 0);
    u32 cpsr_mask = hmode == 0x17 ? 0x1df : 0x0df;
    if (mt_trap.count == 1 && mt_trap.vector == vector && mt_trap.lr == ret
        && (mt_trap.spsr & 0x1f) == mode && (mt_trap.cpsr & cpsr_mask) == cpsr_want) {
        if (fsrname)
            gt_snprintf(buf, sizeof buf, "%s %s=0x%08x %s=0x%08x", vname(vector), fsrname, fsr,
                        farname, far);
        else
            gt_snprintf(buf, sizeof buf, "%s", vname(vector));
        return pass(name, buf);
    }
    gt_snprintf(buf, sizeof buf, "got %u exception(s), %s lr=0x%08x spsr=0x%08x cpsr=0x%08x; "
                "want 1 %s lr=0x%08x spsr mode 0x%02x cpsr 0x%03x", mt_trap.count,
                vname(mt_trap.vector), mt_trap.lr, mt_trap.spsr, mt_trap.cpsr, vname(vector),
                ret, mode, cpsr_want);
    return failed(name, buf);
}

int mt_expect_dabt(const char *name, const void *insn, u32 mode, u32 dfsr, u32 mask, u32 dfar)
{
    char buf[160];
    u32 got = mt_trap.dfsr & mask;
    if (got != dfsr || mt_trap.dfar != dfar) {
        gt_snprintf(buf, sizeof buf, "dabt dfsr=0x%08x dfar=0x%08x (count %u, %s), want "
                    "dfsr=0x%08x dfar=0x%08x", got, mt_trap.dfar, mt_trap.count,
                    vname(mt_trap.vector), dfsr, dfar);
        return failed(name, buf);
    }
    return expect_exc(name, 4, (u32)insn + 8, mode, 0x17, got, mt_trap.dfar, "dfsr", "dfar");
}

int mt_expect_dabt_noeffect(const char *name, const void *insn, u32 mode, u32 dfsr, u32 mask,
                            u32 dfar, int effect_ok)
{
    if (!effect_ok)
        return failed(name, "the aborted access had an effect (register or memory changed)");
    return mt_expect_dabt(name, insn, mode, dfsr, mask, dfar);
}

int mt_expect_pabt(const char *name, u32 ifar, u32 mode, u32 ifsr, u32 mask)
{
    char buf[160];
    u32 got = mt_trap.ifsr & mask;
    if (got != ifsr || mt_trap.ifar != ifar) {
        gt_snprintf(buf, sizeof buf, "pabt ifsr=0x%08x ifar=0x%08x (count %u, %s), want "
                    "ifsr=0x%08x ifar=0x%08x", got, mt_trap.ifar, mt_trap.count,
                    vname(mt_trap.vector), ifsr, ifar);
        return failed(name, buf);
    }
    return expect_exc(name, 3, ifar + 4, mode, 0x17, got, mt_trap.ifar, "ifsr", "ifar");
}

int mt_expect_und(const char *name, const void *insn, u32 mode)
{
    return expect_exc(name, 1, (u32)insn + 4, mode, 0x1b, 0, 0, 0, 0);
}

int mt_check_map(const char *name, u32 va, u32 pa)
{
    char buf[160];
    volatile u32 *pp = (volatile u32 *)pa;
    u32 t = mt_tag(pa), w = ~t;
    *pp = t;
    mt_dsb();
    u32 before = mt_trap.count;
    u32 got = mt_p_ldr(va);
    mt_p_str(va, w);
    mt_dsb();
    u32 back = *pp;
    *pp = t;
    mt_dsb();
    if (mt_trap.count == before && got == t && back == w) {
        gt_snprintf(buf, sizeof buf, "va 0x%08x -> pa 0x%08x", va, pa);
        return pass(name, buf);
    }
    gt_snprintf(buf, sizeof buf, "va 0x%08x read 0x%08x (want tag 0x%08x), write seen at pa as "
                "0x%08x (want 0x%08x), %u exception(s) dfsr=0x%08x", va, got, t, back, w,
                mt_trap.count - before, mt_trap.dfsr);
    return failed(name, buf);
}
