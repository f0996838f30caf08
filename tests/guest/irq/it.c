/*
 * it.c - GIC helpers, IRQ bookkeeping and checks for the interrupt guest
 * tests (see it.h).
 */
#include "it.h"

struct it_state it;

void it_gic_init(void)
{
    it_wr(GICD_CTLR, 0);
    it_wr(GICC_CTLR, 0);
    for (u32 n = 0; n < 3; n++) {               /* IDs 0-95 are enough here */
        it_wr(GICD_ICENABLER(n), 0xffffffffu);
        it_wr(GICD_ICPENDR(n), 0xffffffffu);
        it_wr(GICD_ICACTIVER(n), 0xffffffffu);
    }
    for (u32 id = 0; id < 96; id++)
        it_wrb(GICD_IPRIORITYR(id), 0xa0);
    for (u32 id = 32; id < 96; id++)
        it_wrb(GICD_ITARGETSR(id), 0x01);
    it_wr(GICC_PMR, 0xff);
    it_wr(GICC_BPR, 0);
    it_wr(GICD_CTLR, 1);
    it_wr(GICC_CTLR, 1);
    mt_dsb();
}

int it_gic_present(void)
{
    mt_clear();
    mt_p_ldr(GICD_TYPER);
    mt_p_ldr(GICC_PMR);
    if (mt_trap.count == 0)
        return 1;
    gt_fail("gic-present", "reading GICD_TYPER/GICC_PMR aborted: no GIC, stopping");
    return 0;
}

void it_gic_enable(u32 id) { it_wr(GICD_ISENABLER(id / 32), 1u << (id % 32)); mt_dsb(); }
void it_gic_disable(u32 id) { it_wr(GICD_ICENABLER(id / 32), 1u << (id % 32)); mt_dsb(); }
void it_gic_set_prio(u32 id, u32 prio) { it_wrb(GICD_IPRIORITYR(id), (u8)prio); mt_dsb(); }
int it_gic_pending(u32 id) { return (it_rd(GICD_ISPENDR(id / 32)) >> (id % 32)) & 1; }
int it_gic_active(u32 id) { return (it_rd(GICD_ISACTIVER(id / 32)) >> (id % 32)) & 1; }
void it_gic_sgi_self(u32 id) { mt_dsb(); it_wr(GICD_SGIR, (2u << 24) | (id & 15)); mt_dsb(); }

void it_reset(void)
{
    it.count = 0;
    it.nids = 0;
    it.hook = 0;
    it.lr = it.spsr = it.cpsr = 0;
}

void it_install(void)
{
    it_reset();
    gt_vector_handlers[VEC_IRQ] = it_irq_entry;
}

void it_irq_c(u32 lr, u32 spsr, u32 cpsr)
{
    u32 iar = it_rd(GICC_IAR);
    it.count++;
    it.lr = lr;
    it.spsr = spsr;
    it.cpsr = cpsr;
    if (it.nids < IT_MAX_IDS)
        it.ids[it.nids++] = iar;
    if (it.hook)
        it.hook(iar);
    if ((iar & 0x3ff) < 1020)
        it_wr(GICC_EOIR, iar);
    mt_dsb();
}

u32 it_wait_count(u32 n, u32 max)
{
    for (u32 i = 0; i < max && it.count < n; i++)
        __asm__ volatile("" ::: "memory");
    return it.count;
}

int it_check_true(const char *name, int cond, const char *what)
{
    gt_checks++;
    if (cond) {
        gt_printf("%s: ok\n", name);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL %s\n", name, what);
    return 0;
}
