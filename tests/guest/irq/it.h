/*
 * it.h - helpers for the interrupt guest tests (irq/): GICv2 of the "virt"
 * board, an IRQ handler that acknowledges and records interrupts, the
 * generic timer's CP15 registers, PL011 registers.  Implemented by it.c
 * and itasm.S; uses mt.h (exception recording, user mode) as well.
 */
#ifndef IT_H
#define IT_H

#include "mt.h"

static inline u32 it_rd(u32 addr) { return *(volatile u32 *)addr; }
static inline void it_wr(u32 addr, u32 v) { *(volatile u32 *)addr = v; }
static inline void it_wrb(u32 addr, u8 v) { *(volatile u8 *)addr = v; }
static inline u8 it_rdb(u32 addr) { return *(volatile u8 *)addr; }

/* ---- GICv2 (virt: distributor 0x08000000, CPU interface 0x08010000) ---- */
#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICD_CTLR       (GICD + 0x000)
#define GICD_TYPER      (GICD + 0x004)
#define GICD_IIDR       (GICD + 0x008)
#define GICD_IGROUPR(n) (GICD + 0x080 + 4 * (n))
#define GICD_ISENABLER(n) (GICD + 0x100 + 4 * (n))
#define GICD_ICENABLER(n) (GICD + 0x180 + 4 * (n))
#define GICD_ISPENDR(n) (GICD + 0x200 + 4 * (n))
#define GICD_ICPENDR(n) (GICD + 0x280 + 4 * (n))
#define GICD_ISACTIVER(n) (GICD + 0x300 + 4 * (n))
#define GICD_ICACTIVER(n) (GICD + 0x380 + 4 * (n))
#define GICD_IPRIORITYR(id) (GICD + 0x400 + (id))     /* byte access */
#define GICD_ITARGETSR(id) (GICD + 0x800 + (id))      /* byte access */
#define GICD_ICFGR(n)   (GICD + 0xc00 + 4 * (n))
#define GICD_SGIR       (GICD + 0xf00)
#define GICD_CPENDSGIR(id) (GICD + 0xf10 + (id))
#define GICD_SPENDSGIR(id) (GICD + 0xf20 + (id))
#define GICC_CTLR       (GICC + 0x00)
#define GICC_PMR        (GICC + 0x04)
#define GICC_BPR        (GICC + 0x08)
#define GICC_IAR        (GICC + 0x0c)
#define GICC_EOIR       (GICC + 0x10)
#define GICC_RPR        (GICC + 0x14)
#define GICC_HPPIR      (GICC + 0x18)
#define GIC_SPURIOUS    1023u

#define PPI_VTIMER   27u     /* virtual timer */
#define PPI_PTIMER   30u     /* non-secure physical timer */
#define SPI_UART0    33u     /* PL011 (SPI 1) */

/* 1 when GICD_TYPER and GICC_PMR can be read without an abort; else
 * prints a FAIL line (the interrupt tests then stop early instead of
 * waiting for interrupts that cannot come). */
int it_gic_present(void);
/* GICD_CTLR = GICC_CTLR = 1, PMR = 0xff, BPR = 0, all interrupts disabled,
 * not pending, not active, priority 0xa0. */
void it_gic_init(void);
void it_gic_enable(u32 id);
void it_gic_disable(u32 id);
void it_gic_set_prio(u32 id, u32 prio);
int it_gic_pending(u32 id);       /* GICD_ISPENDR bit */
int it_gic_active(u32 id);        /* GICD_ISACTIVER bit */
void it_gic_sgi_self(u32 id);     /* GICD_SGIR, TargetListFilter = self */

/* ---- IRQ handler ----------------------------------------------------------
 * it_install() sets the IRQ vector.  Each IRQ: count++, LR_irq/SPSR/CPSR
 * recorded, IAR read and recorded (ids[] keeps the first IT_MAX_IDS),
 * it_hook(iar) called if set, then EOIR (unless the ID is 1020-1023). */
#define IT_MAX_IDS 32
struct it_state {
    volatile u32 count;
    volatile u32 lr, spsr, cpsr;  /* of the last IRQ: raw LR_irq, SPSR, CPSR */
    volatile u32 nids;
    volatile u32 ids[IT_MAX_IDS];
    void (*volatile hook)(u32 iar);
};
extern struct it_state it;
void it_install(void);
void it_reset(void);              /* count = nids = 0, hook = 0 */
static inline void it_irq_on(void) { __asm__ volatile("cpsie i\n\tisb" ::: "memory"); }
static inline void it_irq_off(void) { __asm__ volatile("cpsid i\n\tisb" ::: "memory"); }
static inline void it_wfi(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }
/* Spin until it.count >= n or max iterations; returns it.count. */
u32 it_wait_count(u32 n, u32 max);
/* The IRQ vector entry (in itasm.S). */
void it_irq_entry(void);
/* WFI at the label it_wfi_insn (for LR checks): dsb; wfi; bx lr */
void it_wfi_at_label(void);
extern char it_wfi_insn[];

/* ---- generic timer (CP15) ------------------------------------------------ */
#define it_cntfrq()         MT_MRC(0, c14, c0, 0)
#define it_cntpct()         MT_MRRC(0, c14)
#define it_cntvct()         MT_MRRC(1, c14)
#define it_cntkctl()        MT_MRC(0, c14, c1, 0)
#define it_set_cntkctl(v)   MT_MCR(0, c14, c1, 0, v)
#define it_cntp_tval()      MT_MRC(0, c14, c2, 0)
#define it_set_cntp_tval(v) MT_MCR(0, c14, c2, 0, v)
#define it_cntp_ctl()       MT_MRC(0, c14, c2, 1)
#define it_set_cntp_ctl(v)  MT_MCR(0, c14, c2, 1, v)
#define it_cntv_tval()      MT_MRC(0, c14, c3, 0)
#define it_set_cntv_tval(v) MT_MCR(0, c14, c3, 0, v)
#define it_cntv_ctl()       MT_MRC(0, c14, c3, 1)
#define it_set_cntv_ctl(v)  MT_MCR(0, c14, c3, 1, v)
#define it_cntp_cval()      MT_MRRC(2, c14)
#define it_set_cntp_cval(v) MT_MCRR(2, c14, v)
#define it_cntv_cval()      MT_MRRC(3, c14)
#define it_set_cntv_cval(v) MT_MCRR(3, c14, v)
#define CNT_ENABLE  1u
#define CNT_IMASK   2u
#define CNT_ISTATUS 4u

/* ---- PL011 (virt: 0x09000000) ------------------------------------------- */
#define UART0 0x09000000u
#define UART_DR    (UART0 + 0x000)
#define UART_FR    (UART0 + 0x018)
#define UART_IBRD  (UART0 + 0x024)
#define UART_FBRD  (UART0 + 0x028)
#define UART_LCR_H (UART0 + 0x02c)
#define UART_CR    (UART0 + 0x030)
#define UART_IFLS  (UART0 + 0x034)
#define UART_IMSC  (UART0 + 0x038)
#define UART_RIS   (UART0 + 0x03c)
#define UART_MIS   (UART0 + 0x040)
#define UART_ICR   (UART0 + 0x044)
#define UART_PERIPHID(n) (UART0 + 0xfe0 + 4 * (n))
#define UART_CELLID(n)   (UART0 + 0xff0 + 4 * (n))
#define UART_INT_RX (1u << 4)
#define UART_INT_TX (1u << 5)
#define UART_INT_RT (1u << 6)

/* ---- checks ---------------------------------------------------------------- */
/* One check line "name: ok" when cond holds, else "name: FAIL what". */
int it_check_true(const char *name, int cond, const char *what);

#endif
