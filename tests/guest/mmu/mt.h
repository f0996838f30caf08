/*
 * mt.h - helpers for the system-architecture guest tests (mmu/, irq/):
 * CP15 accessors, short- and long-descriptor page-table builders, a
 * "record and skip" exception handler set that also resumes after prefetch
 * aborts, probe functions whose faulting instruction is at a known address,
 * and a way to run a function in user mode.
 *
 * Implemented by mt.c (C) and mtasm.S (handlers, probes, user mode).
 */
#ifndef MT_H
#define MT_H

#include "guest.h"

/* ---- CP15 ---------------------------------------------------------------- */
#define MT_MRC(op1, crn, crm, op2) ({ u32 v_; \
    __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define MT_MCR(op1, crn, crm, op2, v) \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"((u32)(v)) : "memory")
#define MT_MRRC(op1, crm) ({ u32 lo_, hi_; \
    __asm__ volatile("mrrc p15, " #op1 ", %0, %1, " #crm : "=r"(lo_), "=r"(hi_)); \
    ((u64)hi_ << 32) | lo_; })
#define MT_MCRR(op1, crm, v) do { u64 v_ = (v); \
    __asm__ volatile("mcrr p15, " #op1 ", %0, %1, " #crm \
                     :: "r"((u32)v_), "r"((u32)(v_ >> 32)) : "memory"); } while (0)

static inline void mt_isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void mt_dsb(void) { __asm__ volatile("dsb" ::: "memory"); }

#define mt_sctlr()        MT_MRC(0, c1, c0, 0)
#define mt_set_sctlr(v)   do { MT_MCR(0, c1, c0, 0, v); mt_isb(); } while (0)
#define mt_ttbr0()        MT_MRC(0, c2, c0, 0)
#define mt_set_ttbr0(v)   MT_MCR(0, c2, c0, 0, v)
#define mt_ttbr1()        MT_MRC(0, c2, c0, 1)
#define mt_set_ttbr1(v)   MT_MCR(0, c2, c0, 1, v)
#define mt_ttbcr()        MT_MRC(0, c2, c0, 2)
#define mt_set_ttbcr(v)   MT_MCR(0, c2, c0, 2, v)
#define mt_ttbr0_64()     MT_MRRC(0, c2)
#define mt_set_ttbr0_64(v) MT_MCRR(0, c2, v)
#define mt_ttbr1_64()     MT_MRRC(1, c2)
#define mt_set_ttbr1_64(v) MT_MCRR(1, c2, v)
#define mt_dacr()         MT_MRC(0, c3, c0, 0)
#define mt_set_dacr(v)    MT_MCR(0, c3, c0, 0, v)
#define mt_dfsr()         MT_MRC(0, c5, c0, 0)
#define mt_ifsr()         MT_MRC(0, c5, c0, 1)
#define mt_dfar()         MT_MRC(0, c6, c0, 0)
#define mt_ifar()         MT_MRC(0, c6, c0, 2)
#define mt_par()          MT_MRC(0, c7, c4, 0)
#define mt_par64()        MT_MRRC(0, c7)
#define mt_set_par(v)     MT_MCR(0, c7, c4, 0, v)
#define mt_ats1cpr(va)    MT_MCR(0, c7, c8, 0, va)
#define mt_ats1cpw(va)    MT_MCR(0, c7, c8, 1, va)
#define mt_ats1cur(va)    MT_MCR(0, c7, c8, 2, va)
#define mt_ats1cuw(va)    MT_MCR(0, c7, c8, 3, va)
#define mt_tlbiall()      MT_MCR(0, c8, c7, 0, 0)
#define mt_tlbimva(v)     MT_MCR(0, c8, c7, 1, v)    /* VA[31:12] | ASID */
#define mt_tlbiasid(a)    MT_MCR(0, c8, c7, 2, a)
#define mt_tlbimvaa(v)    MT_MCR(0, c8, c7, 3, v)
#define mt_prrr()         MT_MRC(0, c10, c2, 0)      /* MAIR0 with EAE */
#define mt_set_mair0(v)   MT_MCR(0, c10, c2, 0, v)
#define mt_nmrr()         MT_MRC(0, c10, c2, 1)      /* MAIR1 with EAE */
#define mt_set_mair1(v)   MT_MCR(0, c10, c2, 1, v)
#define mt_contextidr()   MT_MRC(0, c13, c0, 1)
#define mt_set_contextidr(v) MT_MCR(0, c13, c0, 1, v)

#define PSR_F_BIT 0x40u
#define PSR_I_BIT 0x80u
#define PSR_A_BIT 0x100u
#define M_USR 0x10u
#define M_IRQ 0x12u
#define M_SVC 0x13u
#define M_ABT 0x17u
#define M_UND 0x1bu

#define SCTLR_M   (1u << 0)
#define SCTLR_A   (1u << 1)
#define SCTLR_TRE (1u << 28)
#define SCTLR_AFE (1u << 29)

/* TLB maintenance after page-table writes: DSB, TLBIALL, DSB, ISB. */
void mt_tlb_flush(void);
/* The same for one VA (TLBIMVAA: all ASIDs). */
void mt_tlb_flush_va(u32 va);

/* ---- short-descriptor format (ARM ARM B3.5) ------------------------------ */
/* First level: section (1 MiB). */
#define S_SECT          0x2u
#define S_PXN           0x1u          /* section/supersection: bits[1:0] = 0b11 */
#define S_B             (1u << 2)
#define S_C             (1u << 3)
#define S_XN            (1u << 4)
#define S_DOM(d)        ((u32)(d) << 5)
#define S_AP(ap)        ((((u32)(ap) & 3) << 10) | ((((u32)(ap) >> 2) & 1) << 15))
#define S_TEX(t)        ((u32)(t) << 12)
#define S_S             (1u << 16)
#define S_NG            (1u << 17)
#define S_SUPER         (1u << 18)
#define S_NORMAL        (S_TEX(1) | S_C | S_B)   /* outer and inner write-back */
#define S_DEVICE        (S_B)                    /* shareable device */
/* First level: pointer to a second-level (coarse) table. */
#define S_TABLE         0x1u
#define S_TABLE_PXN     (1u << 2)
/* Second level: small page (4 KiB) and large page (64 KiB). */
#define P_SMALL         0x2u
#define P_SMALL_XN      0x1u
#define P_LARGE         0x1u
#define P_LARGE_XN      (1u << 15)
#define P_B             (1u << 2)
#define P_C             (1u << 3)
#define P_AP(ap)        ((((u32)(ap) & 3) << 4) | ((((u32)(ap) >> 2) & 1) << 9))
#define P_SMALL_TEX(t)  ((u32)(t) << 6)
#define P_LARGE_TEX(t)  ((u32)(t) << 12)
#define P_S             (1u << 10)
#define P_NG            (1u << 11)
#define P_SMALL_NORMAL  (P_SMALL_TEX(1) | P_C | P_B)
#define P_LARGE_NORMAL  (P_LARGE_TEX(1) | P_C | P_B)

/* AP[2:0] values (SCTLR.AFE = 0). */
#define AP_NONE   0    /* no access */
#define AP_PRW    1    /* privileged RW, user none */
#define AP_PRW_UR 2    /* privileged RW, user RO */
#define AP_RW     3    /* full access */
#define AP_PR     5    /* privileged RO, user none */
#define AP_RO_DEP 6    /* RO for both (deprecated encoding) */
#define AP_RO     7    /* RO for both */

/* Fill l1 (16 KiB aligned) with faults, then map RAM 0x40000000-0x4fffffff
 * 1:1 as normal memory, full access, domain 0 (what every test needs to
 * keep running: code, data, stacks, vectors, semihosting buffers). */
void mt_l1_init(u32 *l1);
/* Set the first-level entry for va (any bits: descriptor as given). */
void mt_l1_set(u32 *l1, u32 va, u32 desc);
/* Map the 1 MiB section va -> pa with the given attribute bits. */
void mt_map_section(u32 *l1, u32 va, u32 pa, u32 attrs);
/* Map the 16 MiB supersection va -> pa (pa may be above 4 GiB). */
void mt_map_supersection(u32 *l1, u32 va, u64 pa, u32 attrs);
/* Point the 1 MiB at va to the coarse table l2 (1 KiB aligned, zeroed). */
void mt_map_table(u32 *l1, u32 va, u32 *l2, u32 attrs);
/* Map one 4 KiB page / one 64 KiB page in a coarse table. */
void mt_map_small(u32 *l2, u32 va, u32 pa, u32 attrs);
void mt_map_large(u32 *l2, u32 va, u32 pa, u32 attrs);

/* Short-descriptor MMU on: TTBCR = 0, TTBR0 = l1, DACR = all client,
 * CONTEXTIDR = 0, TLBIALL, SCTLR.M = 1.  mt_mmu_off clears SCTLR.M (and
 * TTBCR.EAE, SCTLR.AFE/A) and flushes the TLB. */
void mt_mmu_on(u32 *l1);
void mt_mmu_off(void);

/* ---- long-descriptor format (LPAE, ARM ARM B3.6) ------------------------- */
#define L_INVALID       0ull
#define L_BLOCK         0x1ull        /* level 1 (1 GiB) or level 2 (2 MiB) */
#define L_TABLE         0x3ull        /* level 1 or 2 */
#define L_PAGE          0x3ull        /* level 3 (4 KiB) */
#define L_ATTR(i)       ((u64)(i) << 2)
#define L_NS            (1ull << 5)
#define L_AP_USER       (1ull << 6)   /* AP[1]: PL0 access */
#define L_AP_RO         (1ull << 7)   /* AP[2]: read-only */
#define L_SH(s)         ((u64)(s) << 8)
#define L_AF            (1ull << 10)
#define L_NG            (1ull << 11)
#define L_PXN           (1ull << 53)
#define L_XN            (1ull << 54)
#define L_PXNTABLE      (1ull << 59)
#define L_XNTABLE       (1ull << 60)
#define L_APTABLE(a)    ((u64)(a) << 61)
/* MAIR indices used by the tests (mt_lpae_on sets MAIR0/MAIR1). */
#define MAIR0_VALUE     0x0044ff04u   /* 0: Device, 1: Normal WB, 2: Normal NC, 3: Strongly-ordered */
#define MAIR1_VALUE     0xbbaa0000u   /* 4, 5: Strongly-ordered, 6: Normal WT RA, 7: Normal WT RA/WA */
#define L_IDX_DEV       0
#define L_IDX_NORMAL    1
#define L_IDX_NC        2
#define L_NORMAL        (L_ATTR(L_IDX_NORMAL) | L_SH(3) | L_AF)

/* Level 1 table for T0SZ = 0: 4 entries (32-byte aligned; 4 KiB used).
 * mt_lpae_init fills l1 with faults and maps RAM 1:1 through l2 (a level 2
 * table for 0x40000000-0x7fffffff, 4 KiB aligned) with 2 MiB blocks,
 * normal memory, AF set, user RW. */
void mt_lpae_init(u64 *l1, u64 *l2);
/* A table descriptor pointing to the next-level table at next. */
static inline u64 mt_ltable(void *next) { return (u32)next | L_TABLE; }
/* Long-descriptor MMU on: MAIRs, TTBCR = EAE | ttbcr_extra, TTBR0 =
 * ttbr0 (64-bit: table | ASID << 48), TLBIALL, SCTLR.M. */
void mt_lpae_on(u64 ttbr0, u32 ttbcr_extra);

/* ---- exception recording ------------------------------------------------- */
struct mt_trap_info {
    u32 count, vector, lr, spsr, dfsr, dfar, ifsr, ifar;
    u32 resume;   /* prefetch abort: continue here (then cleared) */
    u32 cpsr;     /* CPSR inside the handler */
};
extern volatile struct mt_trap_info mt_trap;
/* Install handlers for UND, SVC, PABT, DABT that record into mt_trap and
 * return past the instruction (UND, SVC: LR; DABT: LR - 4; PABT: LR, or
 * mt_trap.resume when set).  "svc #0xfff" ends mt_user_call. */
void mt_install(void);
void mt_clear(void);          /* count = 0, everything else zeroed */

/* Call code at addr (privileged, blx); 0xfa17fa17 when it took a prefetch
 * abort (mt_trap tells the details). */
u32 mt_call(u32 addr);
#define MT_ABORTED 0xfa17fa17u
/* Run fn(a0, a1) in user mode (IRQ/FIQ masked) on the user stack and return
 * its r0; fn returns with "bx lr" (to mt_user_exit, "svc #0xfff").  A
 * prefetch abort in user mode ends the call with MT_ABORTED.  Returns in the
 * caller's mode with the caller's CPSR control bits. */
u32 mt_user_call(u32 (*fn)(u32, u32), u32 a0, u32 a1);
u32 mt_user_call_addr(u32 fn, u32 a0, u32 a1);

/* Probes: one load/store each, at the global label <name>_i.  Loads return
 * the value or MT_SENT if the access aborted (destination unchanged); the
 * "_wb" forms return the base register after the access instead:
 *   ldr_post_wb  ldr r1, [r0], #4     base addr,     addr + 4 when done
 *   ldr_pre_wb   ldr r1, [r0, #4]!    base addr - 4, addr when done
 *   str_pre_wb   str r1, [r0, #-8]!   base addr + 8, addr when done
 *   ldm_wb/stm_wb ldmia/stmia r0!, {r2, r3}: base addr, addr + 8 when done
 * mt_p_ldrd returns lo ^ hi (0 when aborted). */
#define MT_SENT 0x5e5e5e5eu
u32 mt_p_ldr(u32 addr);           extern char mt_p_ldr_i[];
u32 mt_p_str(u32 addr, u32 v);    extern char mt_p_str_i[];
u32 mt_p_ldrb(u32 addr);          extern char mt_p_ldrb_i[];
u32 mt_p_strb(u32 addr, u32 v);   extern char mt_p_strb_i[];
u32 mt_p_ldrh(u32 addr);          extern char mt_p_ldrh_i[];
u32 mt_p_strh(u32 addr, u32 v);   extern char mt_p_strh_i[];
u32 mt_p_ldrt(u32 addr);          extern char mt_p_ldrt_i[];
u32 mt_p_strt(u32 addr, u32 v);   extern char mt_p_strt_i[];
u32 mt_p_ldr_post_wb(u32 addr);   extern char mt_p_ldr_post_wb_i[];
u32 mt_p_ldr_pre_wb(u32 addr);    extern char mt_p_ldr_pre_wb_i[];
u32 mt_p_str_pre_wb(u32 addr, u32 v); extern char mt_p_str_pre_wb_i[];
u32 mt_p_ldm_wb(u32 addr);        extern char mt_p_ldm_wb_i[];
u32 mt_p_stm_wb(u32 addr);        extern char mt_p_stm_wb_i[];
u32 mt_p_ldrd(u32 addr);          extern char mt_p_ldrd_i[];
u32 mt_p_ldrex(u32 addr);         extern char mt_p_ldrex_i[];
/* The same loads/stores for user mode (run through mt_user_call). */
u32 mt_u_ldr(u32 addr, u32 unused);  extern char mt_u_ldr_i[];
u32 mt_u_str(u32 addr, u32 v);       extern char mt_u_str_i[];
/* A tiny code stub "mov r0, #42; bx lr" (8 bytes) to copy into pages. */
extern u32 mt_stub_ret42[2];

/* ---- checks --------------------------------------------------------------- */
/* Each prints one line and counts one check. */
/* No exception since the last mt_clear(). */
int mt_expect_none(const char *name);
/* Exactly one data abort, from the instruction at insn taken in mode (SPSR
 * mode field), DFSR & mask == dfsr, DFAR == dfar, LR_abt == insn + 8, and
 * the handler ran in ABT mode with IRQs and aborts masked. */
int mt_expect_dabt(const char *name, const void *insn, u32 mode, u32 dfsr, u32 mask, u32 dfar);
/* mt_expect_dabt that also fails (with "the aborted access had an effect")
 * when effect_ok is 0: the caller's check that the destination register,
 * the base register or the memory is unchanged. */
int mt_expect_dabt_noeffect(const char *name, const void *insn, u32 mode, u32 dfsr, u32 mask,
                            u32 dfar, int effect_ok);
/* Exactly one prefetch abort for the instruction at ifar, taken in mode,
 * IFSR & mask == ifsr, IFAR == ifar, LR_abt == ifar + 4. */
int mt_expect_pabt(const char *name, u32 ifar, u32 mode, u32 ifsr, u32 mask);
/* Exactly one undefined-instruction exception with LR_und == insn + 4. */
int mt_expect_und(const char *name, const void *insn, u32 mode);

/* Short-descriptor DFSR masks: the domain field (bits 7:4) is UNKNOWN for
 * first-level translation faults, alignment and external aborts; IFSR
 * bits 8:4 are UNK/SBZP. */
#define FSR_ALL      0xffffffffu
#define FSR_NODOMAIN 0xffffff0fu
#define IFSR_MASK    0xfffffe0fu

/* Tag for physical address pa: what the tests store at pa to recognise it. */
static inline u32 mt_tag(u32 pa) { return pa ^ 0xa5000000u; }
/* Check that va maps to pa: the tag written at pa reads back through va,
 * and a value written through va reads back at pa (both 1:1).  One check. */
int mt_check_map(const char *name, u32 va, u32 pa);

#endif
