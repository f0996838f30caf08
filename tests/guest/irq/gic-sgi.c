/*
 * GICv2 (distributor 0x08000000, CPU interface 0x08010000 on "virt"):
 * identification, software-generated interrupts (GICD_SGIR with each
 * target list filter), pending/active state in the distributor registers,
 * the acknowledge / end-of-interrupt protocol (IAR, EOIR, HPPIR, RPR) with
 * IRQs masked, priority order, running priority and PMR masking, spurious
 * ID 1023, an SGI pending again while active, GICD_CPENDSGIR, the
 * distributor enable, and then interrupts actually taken (CPSR.I clear):
 * the IRQ handler's mode and SPSR, masking by PMR, by CPSR.I and by the
 * enable bit (an SPI set pending while disabled is taken once enabled).
 *
 * Interrupts are taken a little after they become pending; the program
 * waits for them in bounded loops and never prints how long it waited.
 */
#include "it.h"

#define WAIT 100000

static u32 iar(void) { return it_rd(GICC_IAR); }
static void eoi(u32 v) { it_wr(GICC_EOIR, v); mt_dsb(); }

static void polled(void)
{
    u32 v;
    gt_check("iar-idle-spurious", iar(), GIC_SPURIOUS);
    gt_check("rpr-idle", it_rd(GICC_RPR), 0xff);
    gt_check("hppir-idle", it_rd(GICC_HPPIR) & 0x3ff, GIC_SPURIOUS);

    /* SGI 3 to self (TargetListFilter 0b10) */
    it_gic_set_prio(3, 0x80);
    gt_check("sgi-prio-readback", it_rdb(GICD_IPRIORITYR(3)), 0x80);
    it_gic_enable(3);
    it_gic_sgi_self(3);
    gt_check("sgi3-pending", it_gic_pending(3), 1);
    gt_check("sgi3-spendsgir-source-cpu0", it_rdb(GICD_SPENDSGIR(3)), 0x01);
    gt_check("sgi3-hppir", it_rd(GICC_HPPIR), 3);
    v = iar();
    gt_check("sgi3-iar", v, 3);                 /* source CPU 0 in bits 12:10 */
    gt_check("sgi3-active", it_gic_active(3), 1);
    gt_check("sgi3-not-pending", it_gic_pending(3), 0);
    gt_check("sgi3-rpr", it_rd(GICC_RPR), 0x80);
    gt_check("sgi3-iar-again-spurious", iar(), GIC_SPURIOUS);
    eoi(v);
    gt_check("sgi3-eoi-inactive", it_gic_active(3), 0);
    gt_check("sgi3-eoi-rpr-idle", it_rd(GICC_RPR), 0xff);

    /* target list filter 0b00 with CPU 0 in the list; 0b01 = all but self */
    it_gic_enable(4);
    it_wr(GICD_SGIR, (0u << 24) | (1u << 16) | 4);
    mt_dsb();
    gt_check("sgir-targetlist-cpu0", it_gic_pending(4), 1);
    v = iar();
    gt_check("sgir-targetlist-cpu0-iar", v, 4);
    eoi(v);
    it_wr(GICD_SGIR, (1u << 24) | 4);
    mt_dsb();
    gt_check("sgir-others-not-self", it_gic_pending(4), 0);
    gt_check("sgir-others-iar", iar(), GIC_SPURIOUS);

    /* priority order; a lower-priority interrupt waits for the running one */
    it_gic_set_prio(1, 0xc0);
    it_gic_set_prio(2, 0x40);
    it_gic_enable(1);
    it_gic_enable(2);
    it_gic_sgi_self(1);
    it_gic_sgi_self(2);
    gt_check("prio-hppir", it_rd(GICC_HPPIR), 2);
    v = iar();
    gt_check("prio-first-iar", v, 2);
    gt_check("prio-rpr", it_rd(GICC_RPR), 0x40);
    gt_check("prio-lower-waits", iar(), GIC_SPURIOUS);
    gt_check("prio-lower-still-pending", it_gic_pending(1), 1);
    eoi(v);
    v = iar();
    gt_check("prio-second-iar", v, 1);
    gt_check("prio-second-rpr", it_rd(GICC_RPR), 0xc0);
    eoi(v);

    /* PMR: only priorities numerically below PMR are signalled */
    it_gic_set_prio(5, 0x80);
    it_gic_enable(5);
    it_wr(GICC_PMR, 0x80);
    mt_dsb();
    gt_check("pmr-readback", it_rd(GICC_PMR), 0x80);
    it_gic_sgi_self(5);
    gt_check("pmr-equal-masked", iar(), GIC_SPURIOUS);
    gt_check("pmr-masked-still-pending", it_gic_pending(5), 1);
    it_wr(GICC_PMR, 0x90);
    mt_dsb();
    v = iar();
    gt_check("pmr-raised-iar", v, 5);
    eoi(v);
    it_wr(GICC_PMR, 0xff);

    /* pending again while active: active and pending, then taken again */
    it_gic_enable(6);
    it_gic_sgi_self(6);
    v = iar();
    gt_check("repend-iar", v, 6);
    it_gic_sgi_self(6);
    gt_check("repend-active-and-pending",
             (u32)it_gic_active(6) << 1 | (u32)it_gic_pending(6), 3);
    gt_check("repend-not-while-active", iar(), GIC_SPURIOUS);
    eoi(v);
    v = iar();
    gt_check("repend-iar-again", v, 6);
    eoi(v);

    /* GICD_CPENDSGIR clears a pending SGI */
    it_gic_sgi_self(6);
    it_wrb(GICD_CPENDSGIR(6), 0x01);
    mt_dsb();
    gt_check("cpendsgir-cleared", it_gic_pending(6), 0);
    gt_check("cpendsgir-iar", iar(), GIC_SPURIOUS);

    /* distributor disabled: a pending interrupt is not forwarded; enabled
     * again: delivered */
    it_gic_sgi_self(6);
    it_wr(GICD_CTLR, 0);
    mt_dsb();
    gt_check("gicd-disabled-iar", iar(), GIC_SPURIOUS);
    gt_check("gicd-disabled-still-pending", it_gic_pending(6), 1);
    it_wr(GICD_CTLR, 1);
    mt_dsb();
    v = iar();
    gt_check("gicd-enabled-iar", v, 6);
    eoi(v);
    gt_check("all-done-iar", iar(), GIC_SPURIOUS);
}

static void taken(void)
{
    /* an SGI taken as an IRQ */
    it_gic_set_prio(7, 0xa0);
    it_gic_enable(7);
    it_reset();
    it_irq_on();
    it_gic_sgi_self(7);
    it_wait_count(1, WAIT);
    it_irq_off();
    gt_check("irq-sgi7-count", it.count, 1);
    gt_check("irq-sgi7-id", it.ids[0], 7);
    gt_check("irq-handler-cpsr", it.cpsr & 0x1ff, 0x1d2);      /* IRQ mode, A I F */
    gt_check("irq-spsr", it.spsr & 0x1ff, 0x153);               /* SVC, I clear */
    gt_check("irq-sgi7-inactive", it_gic_active(7), 0);

    /* several SGIs at once: taken in priority order */
    it_gic_set_prio(8, 0xb0);
    it_gic_set_prio(9, 0x30);
    it_gic_set_prio(10, 0x70);
    it_gic_enable(8);
    it_gic_enable(9);
    it_gic_enable(10);
    it_reset();
    it_gic_sgi_self(8);
    it_gic_sgi_self(9);
    it_gic_sgi_self(10);
    it_irq_on();
    it_wait_count(3, WAIT);
    it_irq_off();
    gt_check("irq-three-count", it.count, 3);
    gt_check("irq-three-order", it.ids[0] << 16 | it.ids[1] << 8 | it.ids[2], 0x090a08);

    /* masked by PMR until PMR is raised */
    it_reset();
    it_wr(GICC_PMR, 0x80);
    mt_dsb();
    it_irq_on();
    it_gic_sgi_self(8);                        /* priority 0xb0 */
    it_wait_count(1, WAIT / 10);
    gt_check("irq-pmr-masked", it.count, 0);
    it_wr(GICC_PMR, 0xff);
    mt_dsb();
    it_wait_count(1, WAIT);
    it_irq_off();
    gt_check("irq-pmr-unmasked", it.count << 16 | it.ids[0], 0x10008);

    /* masked by CPSR.I until CPSIE */
    it_reset();
    it_gic_sgi_self(10);
    it_wait_count(1, WAIT / 10);
    gt_check("irq-cpsr-i-masked", it.count, 0);
    gt_check("irq-cpsr-i-masked-pending", it_gic_pending(10), 1);
    it_irq_on();
    it_wait_count(1, WAIT);
    it_irq_off();
    gt_check("irq-cpsr-i-unmasked", it.count << 16 | it.ids[0], 0x1000a);

    /* an SPI set pending while disabled, taken once enabled */
    it_reset();
    it_gic_disable(40);
    it_gic_set_prio(40, 0x90);
    it_wr(GICD_ISPENDR(1), 1u << (40 - 32));
    mt_dsb();
    it_irq_on();
    it_wait_count(1, WAIT / 10);
    gt_check("irq-spi-disabled-not-taken", it.count, 0);
    gt_check("irq-spi-disabled-pending", it_gic_pending(40), 1);
    it_gic_enable(40);
    it_wait_count(1, WAIT);
    it_irq_off();
    gt_check("irq-spi-enabled-taken", it.count << 16 | it.ids[0], 0x10028);
    gt_check("irq-spi-not-pending", it_gic_pending(40), 0);
    it_gic_disable(40);

    /* nothing left */
    gt_check("irq-final-iar-spurious", iar(), GIC_SPURIOUS);
}

int main(void)
{
    mt_install();
    it_install();
    if (!it_gic_present())
        return gt_finish();
    /* 288 interrupt IDs (ITLinesNumber 8), one CPU, no Security Extensions */
    gt_check("gicd-typer", it_rd(GICD_TYPER) & 0x4ff, 0x008);
    gt_check("gicd-icfgr0-sgi-edge", it_rd(GICD_ICFGR(0)), 0xaaaaaaaau);
    it_gic_init();
    gt_check("gicd-ctlr", it_rd(GICD_CTLR), 1);
    gt_check("gicc-ctlr", it_rd(GICC_CTLR) & 1, 1);
    polled();
    taken();
    return gt_finish();
}
