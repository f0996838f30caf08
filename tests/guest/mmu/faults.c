/*
 * MMU faults with short descriptors (ARM ARM B3.12, B4.1.52 DFSR, B4.1.96
 * IFSR): translation faults (section, page), external aborts on the
 * second-level table walk (data and instruction), domain faults (DACR no
 * access), Manager domains bypassing AP and XN, permission faults for every
 * AP[2:0] encoding and privileged / unprivileged (LDRT/STRT) / user-mode
 * accesses, XN and PXN prefetch aborts (section, small and large pages,
 * PXN in the first-level table descriptor), access flag faults with
 * SCTLR.AFE = 1 and its simplified permission model, alignment faults with
 * SCTLR.A = 1 (taking priority over translation faults).
 *
 * Each abort is checked exactly: DFSR (FS, WnR bit 11, domain bits 7:4 -
 * which are UNKNOWN, and so masked, only for first-level translation
 * faults and alignment faults), DFAR, LR_abt (data abort: insn + 8,
 * prefetch abort: insn + 4), the SPSR's mode, the handler's mode and masks,
 * and that the aborted instruction had no effect (destination and base
 * registers, memory).  IFSR bits 8:4 are UNK/SBZP and masked.
 *
 * DACR: domain 0 client (RAM 1:1), 1 client, 2 manager, 3 no access,
 * 4 client.  Scratch physical memory: 0x48000000-0x48ffffff.
 */
#include "mt.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 t4[256] __attribute__((aligned(1024)));   /* 0x73000000, domain 4 */
static u32 t3[256] __attribute__((aligned(1024)));   /* 0x73100000, domain 3 */
static u32 t5[256] __attribute__((aligned(1024)));   /* 0x73200000, domain 4, PXN */
static u32 t2[256] __attribute__((aligned(1024)));   /* 0x73300000, domain 2 */

#define DACR ((1u << 0) | (1u << 2) | (3u << 4) | (0u << 6) | (1u << 8))
#define CODE_PA 0x48b00000u       /* "mov r0, #42; bx lr" */

static void setup(void)
{
    mt_l1_init(l1);
    for (u32 ap = 0; ap < 8; ap++) {
        if (ap == 4)
            continue;
        mt_map_section(l1, 0x71000000u + (ap << 20), 0x48000000u + (ap << 20),
                       S_NORMAL | S_DOM(1) | S_AP(ap));
        mt_map_small(t4, 0x73010000u + (ap << 12), 0x48c00000u + (ap << 12),
                     P_SMALL_NORMAL | P_AP(ap));
    }
    mt_map_section(l1, 0x72000000u, 0x48800000u, S_NORMAL | S_DOM(3) | S_AP(AP_RW));
    mt_map_section(l1, 0x72100000u, 0x48900000u, S_NORMAL | S_DOM(2) | S_AP(AP_NONE));
    mt_map_section(l1, 0x72200000u, 0x48a00000u, S_NORMAL | S_DOM(2) | S_AP(AP_RO));
    mt_map_section(l1, 0x72300000u, CODE_PA, S_NORMAL | S_DOM(2) | S_AP(AP_RW) | S_XN);
    mt_map_section(l1, 0x72400000u, CODE_PA, S_NORMAL | S_DOM(1) | S_AP(AP_RW) | S_XN);
    mt_map_section(l1, 0x72500000u, CODE_PA, S_NORMAL | S_DOM(1) | S_AP(AP_RW) | S_PXN);
    mt_map_section(l1, 0x72600000u, CODE_PA, S_NORMAL | S_DOM(1) | S_AP(AP_PRW));
    mt_map_section(l1, 0x72700000u, CODE_PA, S_NORMAL | S_DOM(3) | S_AP(AP_RW));
    mt_map_section(l1, 0x72900000u, CODE_PA, S_NORMAL | S_DOM(1) | S_AP(AP_RW));
    mt_map_table(l1, 0x73000000u, t4, S_DOM(4));
    mt_map_table(l1, 0x73100000u, t3, S_DOM(3));
    mt_map_table(l1, 0x73200000u, t5, S_DOM(4) | S_TABLE_PXN);
    mt_map_table(l1, 0x73300000u, t2, S_DOM(2));
    mt_map_small(t4, 0x73020000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_RW) | P_SMALL_XN);
    mt_map_small(t4, 0x73021000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_PRW));
    mt_map_small(t4, 0x73022000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_large(t4, 0x73030000u, CODE_PA, P_LARGE_NORMAL | P_AP(AP_RW) | P_LARGE_XN);
    mt_map_small(t4, 0x73050000u, 0x48e00000u, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_small(t3, 0x73100000u, 0x48d00000u, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_small(t3, 0x73101000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_small(t5, 0x73200000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_map_small(t2, 0x73300000u, 0x48d01000u, P_SMALL_NORMAL | P_AP(AP_NONE));
    mt_map_small(t2, 0x73301000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_NONE) | P_SMALL_XN);
    u32 *code = (u32 *)CODE_PA;
    code[0] = mt_stub_ret42[0];
    code[1] = mt_stub_ret42[1];
    mt_dsb();
}

static void exec_case(const char *name, u32 va, int user, int allowed, u32 ifsr);

/* ---- data accesses ------------------------------------------------------- */
enum { P_RD, P_WR, T_RD, T_WR, U_RD, U_WR };
static const char *const kind_names[6] = { "ldr", "str", "ldrt", "strt", "usr-ldr", "usr-str" };

/* One access of the given kind to va (1:1 alias pa); allowed, or a data
 * abort with DFSR fsr (WnR added for writes). */
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
        if (!mt_expect_none(name))
            return;
        if (write ? mem != ~tag : v != tag) {
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

/* AP[2:0] -> allowed accesses (SCTLR.AFE = 0): bit per kind. */
static int ap_allows(u32 ap, int kind)
{
    switch (kind) {
    case P_RD: return ap != 0;
    case P_WR: return ap >= 1 && ap <= 3;
    case T_RD: case U_RD: return ap == 2 || ap == 3 || ap == 6 || ap == 7;
    default: return ap == 3;
    }
}

static void permissions(void)
{
    char what[32];
    for (u32 ap = 0; ap < 8; ap++) {
        if (ap == 4)
            continue;
        for (int k = P_RD; k <= U_WR; k++) {
            gt_snprintf(what, sizeof what, "sect-ap%u", ap);
            access_case(what, 0x71000000u + (ap << 20) + 0x40, 0x48000000u + (ap << 20) + 0x40,
                        k, ap_allows(ap, k), 0x00d | (1 << 4));
            gt_snprintf(what, sizeof what, "page-ap%u", ap);
            access_case(what, 0x73010000u + (ap << 12) + 0x80, 0x48c00000u + (ap << 12) + 0x80,
                        k, ap_allows(ap, k), 0x00f | (4 << 4));
        }
    }
}

static void translation_and_domains(void)
{
    /* translation faults: first level (domain UNKNOWN), second level */
    mt_clear();
    u32 v = mt_p_ldr(0x70000004u);
    mt_expect_dabt_noeffect("xlat-l1-ldr", mt_p_ldr_i, M_SVC, 0x005, FSR_NODOMAIN, 0x70000004u,
                            v == MT_SENT);
    mt_clear();
    mt_p_strb(0x70abcdefu, 1);
    mt_expect_dabt("xlat-l1-strb", mt_p_strb_i, M_SVC, 0x805, FSR_NODOMAIN, 0x70abcdefu);
    mt_clear();
    v = mt_p_ldrh(0x73000ffeu);
    mt_expect_dabt_noeffect("xlat-l2-ldrh", mt_p_ldrh_i, M_SVC, 0x047, FSR_ALL, 0x73000ffeu,
                            v == MT_SENT);
    mt_clear();
    mt_p_str(0x73000100u, 1);
    mt_expect_dabt("xlat-l2-str", mt_p_str_i, M_SVC, 0x847, FSR_ALL, 0x73000100u);
    mt_clear();
    v = mt_p_ldrt(0x70000000u);
    mt_expect_dabt_noeffect("xlat-l1-ldrt", mt_p_ldrt_i, M_SVC, 0x005, FSR_NODOMAIN,
                            0x70000000u, v == MT_SENT);
    mt_clear();
    v = mt_user_call(mt_u_ldr, 0x73000200u, 0);
    mt_expect_dabt_noeffect("xlat-l2-usr-ldr", mt_u_ldr_i, M_USR, 0x047, FSR_ALL, 0x73000200u,
                            v == MT_SENT);

    /* external abort on the walk: a second-level table past the end of RAM
     * (domain valid: the first-level descriptor was read) */
    mt_l1_set(l1, 0x75000000u, 0x50000000u | S_TABLE | S_DOM(4));
    mt_tlb_flush();
    mt_clear();
    v = mt_p_ldr(0x75000010u);
    mt_expect_dabt_noeffect("walk-l2-external-abort", mt_p_ldr_i, M_SVC, 0x00e | (4 << 4), FSR_ALL,
                            0x75000010u, v == MT_SENT);
    exec_case("exec-walk-l2-external-abort", 0x75001000u, 0, 0, 0x00e);

    /* domain faults: DACR "no access" (domain 3) */
    access_case("sect-dom-noaccess", 0x72000010u, 0x48800010u, P_RD, 0, 0x009 | (3 << 4));
    access_case("sect-dom-noaccess", 0x72000010u, 0x48800010u, P_WR, 0, 0x009 | (3 << 4));
    access_case("sect-dom-noaccess", 0x72000010u, 0x48800010u, U_RD, 0, 0x009 | (3 << 4));
    access_case("page-dom-noaccess", 0x73100010u, 0x48d00010u, P_RD, 0, 0x00b | (3 << 4));
    access_case("page-dom-noaccess", 0x73100010u, 0x48d00010u, T_WR, 0, 0x00b | (3 << 4));
    /* Manager (domain 2): AP not checked */
    for (int k = P_RD; k <= U_WR; k++) {
        access_case("sect-manager-ap0", 0x72100020u, 0x48900020u, k, 1, 0);
        access_case("sect-manager-ro", 0x72200020u, 0x48a00020u, k, 1, 0);
        access_case("page-manager-ap0", 0x73300020u, 0x48d01020u, k, 1, 0);
    }
    /* changing DACR changes the outcome (no TLB maintenance needed) */
    mt_set_dacr((DACR & ~(3u << 2)) | (0u << 2));      /* domain 1: no access */
    mt_isb();
    access_case("sect-dacr-now-noaccess", 0x71300040u, 0x48300040u, P_RD, 0, 0x009 | (1 << 4));
    mt_set_dacr(DACR | (3u << 2));                      /* domain 1: manager */
    mt_isb();
    access_case("sect-dacr-now-manager", 0x71000040u, 0x48000040u, P_WR, 1, 0);
    mt_set_dacr(DACR);
    mt_isb();
    access_case("sect-dacr-client-again", 0x71000040u, 0x48000040u, P_RD, 0, 0x00d | (1 << 4));
}

/* ---- the aborted instruction has no effect ------------------------------- */
static void no_effect(void)
{
    volatile u32 *mem = (volatile u32 *)0x48e00ff8u;   /* last words of the 0x73050000 page */
    mem[0] = 0x11111111u;
    mem[1] = 0x22222222u;
    mt_clear();
    u32 b = mt_p_ldr_post_wb(0x73000010u);
    mt_expect_dabt_noeffect("ldr-post-wb-base-kept", mt_p_ldr_post_wb_i, M_SVC, 0x047, FSR_ALL,
                            0x73000010u, b == 0x73000010u);
    mt_clear();
    b = mt_p_ldr_pre_wb(0x73000020u);
    mt_expect_dabt_noeffect("ldr-pre-wb-base-kept", mt_p_ldr_pre_wb_i, M_SVC, 0x047, FSR_ALL,
                            0x73000020u, b == 0x73000020u - 4);
    mt_clear();
    b = mt_p_str_pre_wb(0x71500030u, 0x99u);            /* AP 101: privileged RO */
    mt_expect_dabt_noeffect("str-pre-wb-base-kept", mt_p_str_pre_wb_i, M_SVC, 0x81d, FSR_ALL,
                            0x71500030u, b == 0x71500030u + 8);
    mt_clear();
    b = mt_p_ldm_wb(0x70000040u);
    mt_expect_dabt_noeffect("ldm-wb-base-kept", mt_p_ldm_wb_i, M_SVC, 0x005, FSR_NODOMAIN,
                            0x70000040u, b == 0x70000040u);
    volatile u32 *ro = (volatile u32 *)0x48500050u;
    ro[0] = 0x33333333u;
    ro[1] = 0x44444444u;
    mt_clear();
    b = mt_p_stm_wb(0x71500050u);
    mt_dsb();
    mt_expect_dabt_noeffect("stm-wb-base-and-memory-kept", mt_p_stm_wb_i, M_SVC, 0x81d, FSR_ALL,
                            0x71500050u,
                            b == 0x71500050u && ro[0] == 0x33333333u && ro[1] == 0x44444444u);
    mt_clear();
    u32 x = mt_p_ldrd(0x73000008u);
    mt_expect_dabt_noeffect("ldrd-dest-kept", mt_p_ldrd_i, M_SVC, 0x047, FSR_ALL, 0x73000008u,
                            x == 0);
    mt_clear();
    x = mt_p_ldrex(0x72000000u);
    mt_expect_dabt_noeffect("ldrex-domain-fault", mt_p_ldrex_i, M_SVC, 0x039, FSR_ALL,
                            0x72000000u, x == MT_SENT);
    /* LDM crossing from a mapped page into an unmapped one: the second word
     * faults (DFAR = its address), no base writeback */
    mt_clear();
    b = mt_p_ldm_wb(0x73050ffcu);
    mt_expect_dabt_noeffect("ldm-cross-page-base-kept", mt_p_ldm_wb_i, M_SVC, 0x047, FSR_ALL,
                            0x73051000u, b == 0x73050ffcu);
    /* the same LDM inside the mapped page works */
    mt_clear();
    b = mt_p_ldm_wb(0x73050ff8u);
    mt_expect_none("ldm-in-page-ok");
    gt_check("ldm-in-page-writeback", b, 0x73051000u);
}

/* ---- instruction fetch --------------------------------------------------- */
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
    mt_expect_pabt(name, va, user ? M_USR : M_SVC, ifsr, IFSR_MASK);
}

static void execute(void)
{
    exec_case("exec-sect-ok", 0x72900000u, 0, 1, 0);
    exec_case("exec-sect-ok-usr", 0x72900000u, 1, 1, 0);
    exec_case("exec-page-ok", 0x73022000u, 0, 1, 0);
    exec_case("exec-xlat-l1", 0x72800000u, 0, 0, 0x005);
    exec_case("exec-xlat-l2", 0x73000000u, 0, 0, 0x007);
    exec_case("exec-xlat-l2-usr", 0x73004000u, 1, 0, 0x007);
    exec_case("exec-sect-xn", 0x72400000u, 0, 0, 0x00d);
    exec_case("exec-sect-xn-usr", 0x72400000u, 1, 0, 0x00d);
    exec_case("exec-sect-xn-manager", 0x72300000u, 0, 1, 0);
    exec_case("exec-sect-pxn", 0x72500000u, 0, 0, 0x00d);
    exec_case("exec-sect-pxn-usr-ok", 0x72500000u, 1, 1, 0);
    exec_case("exec-sect-privonly", 0x72600000u, 0, 1, 0);
    exec_case("exec-sect-privonly-usr", 0x72600000u, 1, 0, 0x00d);
    exec_case("exec-sect-dom-noaccess", 0x72700000u, 0, 0, 0x009);
    exec_case("exec-small-xn", 0x73020000u, 0, 0, 0x00f);
    exec_case("exec-small-privonly", 0x73021000u, 0, 1, 0);
    exec_case("exec-small-privonly-usr", 0x73021000u, 1, 0, 0x00f);
    exec_case("exec-large-xn", 0x73030000u, 0, 0, 0x00f);
    exec_case("exec-large-xn-2nd-page", 0x73034000u, 0, 0, 0x00f);
    exec_case("exec-page-dom-noaccess", 0x73101000u, 0, 0, 0x00b);
    exec_case("exec-table-pxn", 0x73200000u, 0, 0, 0x00f);
    exec_case("exec-table-pxn-usr-ok", 0x73200000u, 1, 1, 0);
    exec_case("exec-page-xn-manager", 0x73301000u, 0, 1, 0);
    /* a fetch that runs off the end of a mapped page into an unmapped one */
    u32 *code = (u32 *)(CODE_PA + 0xff8);
    code[0] = 0xe3a0002a;                               /* mov r0, #42 */
    code[1] = 0xe1a00000;                               /* nop */
    mt_dsb();
    mt_map_small(t4, 0x73060000u, CODE_PA, P_SMALL_NORMAL | P_AP(AP_RW));
    mt_tlb_flush();
    mt_clear();
    u32 r = mt_call(0x73060ff8u);
    gt_check("exec-run-off-page-aborted", r, MT_ABORTED);
    mt_expect_pabt("exec-run-off-page", 0x73061000u, M_SVC, 0x047 & 0xf, IFSR_MASK);
}

/* ---- access flag (SCTLR.AFE = 1) ------------------------------------------ */
static void access_flag(void)
{
    /* simplified model: AP[2:1] = permissions, AP[0] = access flag */
    mt_map_section(l1, 0x74000000u, 0x48f00000u, S_NORMAL | S_DOM(1) | S_AP(2));   /* AF = 0, RW */
    mt_map_section(l1, 0x74100000u, 0x48f00000u, S_NORMAL | S_DOM(1) | S_AP(7));   /* RO all */
    mt_map_section(l1, 0x74200000u, 0x48f00000u, S_NORMAL | S_DOM(1) | S_AP(1));   /* priv RW */
    mt_map_small(t4, 0x73040000u, 0x48e01000u, P_SMALL_NORMAL | P_AP(2));          /* AF = 0 */
    mt_set_sctlr(mt_sctlr() | SCTLR_AFE);
    mt_tlb_flush();
    gt_check("sctlr-afe-set", mt_sctlr() & SCTLR_AFE, SCTLR_AFE);
    access_case("af-sect", 0x74000000u, 0x48f00000u, P_RD, 0, 0x003 | (1 << 4));
    access_case("af-sect", 0x74000000u, 0x48f00000u, T_WR, 0, 0x003 | (1 << 4));
    access_case("af-page", 0x73040004u, 0x48e01004u, P_WR, 0, 0x006 | (4 << 4));
    access_case("af-page", 0x73040004u, 0x48e01004u, U_RD, 0, 0x006 | (4 << 4));
    access_case("afe-identity-still-ok", 0x48f00100u, 0x48f00100u, U_WR, 1, 0);
    access_case("afe-ap111-ro", 0x74100010u, 0x48f00010u, P_WR, 0, 0x00d | (1 << 4));
    access_case("afe-ap111-ro", 0x74100010u, 0x48f00010u, U_RD, 1, 0);
    access_case("afe-ap001-priv", 0x74200010u, 0x48f00010u, P_WR, 1, 0);
    access_case("afe-ap001-priv", 0x74200010u, 0x48f00010u, T_RD, 0, 0x00d | (1 << 4));
    /* software sets the access flag, invalidates, retries */
    mt_map_section(l1, 0x74000000u, 0x48f00000u, S_NORMAL | S_DOM(1) | S_AP(3));
    mt_map_small(t4, 0x73040000u, 0x48e01000u, P_SMALL_NORMAL | P_AP(3));
    mt_tlb_flush_va(0x74000000u);
    mt_tlb_flush_va(0x73040000u);
    access_case("af-sect-set", 0x74000000u, 0x48f00000u, P_RD, 1, 0);
    access_case("af-page-set", 0x73040004u, 0x48e01004u, U_WR, 1, 0);
    mt_set_sctlr(mt_sctlr() & ~SCTLR_AFE);
    mt_tlb_flush();
}

/* ---- alignment (SCTLR.A = 1) ------------------------------------------------ */
static void alignment(void)
{
    mt_set_sctlr(mt_sctlr() | SCTLR_A);
    mt_clear();
    u32 v = mt_p_ldr(0x48e00102u);
    mt_expect_dabt_noeffect("align-ldr", mt_p_ldr_i, M_SVC, 0x001, FSR_NODOMAIN, 0x48e00102u,
                            v == MT_SENT);
    mt_clear();
    mt_p_strh(0x73050101u, 0);
    mt_expect_dabt("align-strh-page", mt_p_strh_i, M_SVC, 0x801, FSR_NODOMAIN, 0x73050101u);
    mt_clear();
    v = mt_p_ldrt(0x71300003u);
    mt_expect_dabt("align-ldrt", mt_p_ldrt_i, M_SVC, 0x001, FSR_NODOMAIN, 0x71300003u);
    /* alignment is checked before translation */
    mt_clear();
    v = mt_p_ldr(0x70000001u);
    mt_expect_dabt("align-before-translation", mt_p_ldr_i, M_SVC, 0x001, FSR_NODOMAIN,
                   0x70000001u);
    mt_clear();
    mt_p_str(0x72000002u, 0);
    mt_expect_dabt("align-before-domain", mt_p_str_i, M_SVC, 0x801, FSR_NODOMAIN, 0x72000002u);
    mt_clear();
    v = mt_user_call(mt_u_ldr, 0x71000001u, 0);
    mt_expect_dabt("align-before-permission-usr", mt_u_ldr_i, M_USR, 0x001, FSR_NODOMAIN,
                   0x71000001u);
    mt_clear();
    v = mt_p_ldrb(0x48e00103u);
    mt_expect_none("align-ldrb-any-address");
    mt_set_sctlr(mt_sctlr() & ~SCTLR_A);
    mt_clear();
    v = mt_p_ldr(0x48e00102u);
    mt_expect_none("unaligned-ldr-with-a0");
}

int main(void)
{
    mt_install();
    setup();
    mt_mmu_on(l1);
    mt_set_dacr(DACR);
    mt_isb();
    gt_check("dacr", mt_dacr(), DACR);
    translation_and_domains();
    permissions();
    no_effect();
    execute();
    access_flag();
    alignment();
    mt_mmu_off();
    return gt_finish();
}
