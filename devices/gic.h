/*
 * GICv2 interrupt controller (gic.c): distributor + one CPU interface, no Security
 * Extensions, no virtualization extensions, as QEMU 7.2's `virt` board has it
 * (hw/intc/arm_gic.c, revision 2, one CPU, 288 interrupt IDs).
 *
 * Spec: ARM Generic Interrupt Controller Architecture Specification v2.0 (IHI 0048B).
 *
 * Interrupt IDs: 0..15 SGIs (raised by the guest through GICD_SGIR), 16..31 PPIs and
 * 32..GIC_NUM_IRQ-1 SPIs (raised by devices through gic_set_irq). The CPU sees two lines,
 * IRQ and FIQ (FIQ only for a Group 0 interrupt with GICC_CTLR.FIQEn set, as in QEMU).
 */
#ifndef ARMVM_DEVICES_GIC_H
#define ARMVM_DEVICES_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/softmmu.h"

#define GIC_NUM_IRQ 288u          /* QEMU virt: 256 SPIs + 32 private; GICD_TYPER = 8 */
#define GIC_SPURIOUS 1023u
#define GIC_FIRST_PPI 16u
#define GIC_FIRST_SPI 32u
#define GIC_DIST_SIZE 0x10000u    /* the virt board's windows; the registers occupy */
#define GIC_CPU_SIZE 0x10000u     /* 4 KiB and 8 KiB of them, the rest is a bus error */

typedef struct Gic Gic;

/* Called whenever the IRQ or the FIQ line to the CPU changes level. */
typedef void (*GicOutputFn)(void *opaque, bool irq, bool fiq);

Gic *gic_create(void);
void gic_destroy(Gic *g);
/* Reset values as QEMU: everything disabled and Group 0, priorities 0, SGIs enabled and
 * edge-triggered, all other interrupts level-sensitive. Reports the (low) lines. */
void gic_reset(Gic *g);
/* Map the distributor and the CPU interface (GIC_DIST_SIZE / GIC_CPU_SIZE windows).
 * Returns 0, or -1 (overlap, table full). */
int gic_map(Gic *g, PhysMem *mem, PhysAddr dist_base, PhysAddr cpu_base);
/* Drive interrupt input intid (16..31 PPIs, 32..GIC_NUM_IRQ-1 SPIs) to level. An
 * edge-triggered interrupt becomes pending on a rising edge; a level-sensitive one is
 * pending while its input is high. Other IDs are ignored. */
void gic_set_irq(Gic *g, unsigned intid, bool level);
/* Install the output callback; it is called at once with the current levels. */
void gic_set_output(Gic *g, GicOutputFn fn, void *opaque);
bool gic_irq_line(const Gic *g);
bool gic_fiq_line(const Gic *g);

#endif
