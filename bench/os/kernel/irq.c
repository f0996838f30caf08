/*
 * irq.c - the GICv2 and the generic timer: a periodic tick from the
 * virtual timer (CNTV_*, PPI 27) drives preemptive round-robin scheduling.
 */
#include "kernel.h"

#define GICD_CTLR           (GICD_BASE + 0x000)
#define GICD_ISENABLER(n)   (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n)   (GICD_BASE + 0x180 + 4 * (n))
#define GICD_ICPENDR(n)     (GICD_BASE + 0x280 + 4 * (n))
#define GICD_IPRIORITYR(id) (GICD_BASE + 0x400 + (id))     /* one byte each */
#define GICC_CTLR           (GICC_BASE + 0x00)
#define GICC_PMR            (GICC_BASE + 0x04)
#define GICC_BPR            (GICC_BASE + 0x08)
#define GICC_IAR            (GICC_BASE + 0x0c)
#define GICC_EOIR           (GICC_BASE + 0x10)
#define GIC_SPURIOUS        1023u

#define CNTFRQ()            MRC(0, c14, c0, 0)
#define SET_CNTV_TVAL(v)    MCR(0, c14, c3, 0, v)
#define SET_CNTV_CTL(v)     MCR(0, c14, c3, 1, v)
#define CNT_ENABLE          1u

u32 ticks;
static u32 tick_period;                 /* counter ticks per scheduler tick */

void irq_init(void)
{
    mmio_write(GICD_CTLR, 0);
    for (u32 n = 0; n < 8; n++) {       /* everything off and not pending */
        mmio_write(GICD_ICENABLER(n), ~0u);
        mmio_write(GICD_ICPENDR(n), ~0u);
    }
    mmio_write8(GICD_IPRIORITYR(PPI_VTIMER), 0xa0);
    mmio_write(GICD_ISENABLER(PPI_VTIMER / 32), 1u << (PPI_VTIMER % 32));
    mmio_write(GICD_CTLR, 1);
    mmio_write(GICC_PMR, 0xff);         /* let every priority through */
    mmio_write(GICC_BPR, 0);
    mmio_write(GICC_CTLR, 1);

    tick_period = CNTFRQ() / TICK_HZ;   /* 62.5 MHz on "virt": 62500 */
    SET_CNTV_TVAL(tick_period);
    SET_CNTV_CTL(CNT_ENABLE);
    isb();
}

void irq_handler(void)
{
    u32 iar = mmio_read(GICC_IAR);
    u32 id = iar & 0x3ff;
    if (id == GIC_SPURIOUS)
        return;
    if (id == PPI_VTIMER) {
        /* Re-arm first: that drops the timer's level-sensitive output. */
        SET_CNTV_TVAL(tick_period);
        isb();
        ticks++;
        preempt();
    }
    mmio_write(GICC_EOIR, iar);
}
