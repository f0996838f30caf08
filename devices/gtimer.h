/*
 * ARM Generic Timer (gtimer.c): the state and logic behind the CP15 registers CNTFRQ,
 * CNTPCT, CNTVCT, CNTKCTL, CNTVOFF, CNTP_CTL/CVAL/TVAL and CNTV_CTL/CVAL/TVAL of one
 * ARMv7 CPU without the Security and Virtualization Extensions (QEMU's virt board:
 * cortex-a15 with has_el2/has_el3 off). Spec: ARM Architecture Reference Manual
 * ARMv7-A/R (DDI 0406C), chapter B8 and the register descriptions in B4.1.
 *
 * The device keeps no clock of its own: every call takes `now`, the physical count
 * (CNTPCT). The caller decides how it advances (host clock scaled to the frequency,
 * or the instruction count) and asks gtimer_next_deadline where the next output change
 * is, so that it can stop there and call gtimer_update.
 *
 * Outputs (QEMU virt wiring, hw/arm/virt.c): the physical timer drives PPI 30
 * (non-secure EL1 physical timer), the virtual timer PPI 27. QEMU also wires PPI 29
 * (secure physical timer) and PPI 26 (hypervisor timer); without the Security and
 * Virtualization Extensions those timers do not exist and the lines stay low, so
 * they are not modelled.
 */
#ifndef ARMVM_DEVICES_GTIMER_H
#define ARMVM_DEVICES_GTIMER_H

#include <stdbool.h>
#include <stdint.h>

#define GTIMER_QEMU_FREQ_HZ 62500000u /* QEMU's CNTFRQ: 1 GHz / 16 */
#define GTIMER_PPI_HYP 26u            /* not driven (no Virtualization Extensions) */
#define GTIMER_PPI_VIRT 27u
#define GTIMER_PPI_SEC_PHYS 29u       /* not driven (no Security Extensions) */
#define GTIMER_PPI_PHYS 30u

/* CNTP_CTL / CNTV_CTL bits (B4.1.27, B4.1.31). */
#define GTIMER_CTL_ENABLE (1u << 0)
#define GTIMER_CTL_IMASK (1u << 1)
#define GTIMER_CTL_ISTATUS (1u << 2)  /* read-only, computed */

/* CNTKCTL bits (B4.1.26). */
#define GTIMER_KCTL_PL0PCTEN (1u << 0)
#define GTIMER_KCTL_PL0VCTEN (1u << 1)
#define GTIMER_KCTL_EVNTEN (1u << 2)
#define GTIMER_KCTL_PL0VTEN (1u << 8)
#define GTIMER_KCTL_PL0PTEN (1u << 9)

typedef enum GtimerReg {
    GTIMER_CNTFRQ,     /* 32 bits, RW at PL1 (QEMU lets PL1 write it) */
    GTIMER_CNTPCT,     /* 64 bits, read-only: now */
    GTIMER_CNTVCT,     /* 64 bits, read-only: now - CNTVOFF */
    GTIMER_CNTKCTL,    /* 32 bits */
    GTIMER_CNTVOFF,    /* 64 bits; PL2 only: the CP15 layer UNDEFs it on this CPU, as QEMU */
    GTIMER_CNTP_CTL,   /* 32 bits: ENABLE, IMASK writable; ISTATUS computed */
    GTIMER_CNTP_CVAL,  /* 64 bits */
    GTIMER_CNTP_TVAL,  /* 32 bits: signed view of CVAL - count */
    GTIMER_CNTV_CTL,
    GTIMER_CNTV_CVAL,
    GTIMER_CNTV_TVAL,
    GTIMER_NUM_REGS
} GtimerReg;

typedef enum GtimerId {
    GTIMER_PHYS = 0,   /* non-secure PL1 physical timer -> PPI 30 */
    GTIMER_VIRT = 1,   /* virtual timer -> PPI 27 */
    GTIMER_NUM_TIMERS
} GtimerId;

typedef struct GenericTimer GenericTimer;

/* Called when a timer's output changes; intid is its PPI (GTIMER_PPI_PHYS/VIRT), so
 * the callback can forward to gic_set_irq directly. */
typedef void (*GtimerOutputFn)(void *opaque, unsigned intid, bool level);

/* freq_hz: the CNTFRQ reset value (GTIMER_QEMU_FREQ_HZ as QEMU). */
GenericTimer *gtimer_create(uint32_t freq_hz);
void gtimer_destroy(GenericTimer *t);
/* Reset values: CNTFRQ = freq_hz, CNTKCTL 0, CNTVOFF 0, timers disabled, CVALs 0.
 * Outputs that were high are lowered through the callback. */
void gtimer_reset(GenericTimer *t);
/* Install the output callback; it is called at once for both timers with their levels. */
void gtimer_set_output(GenericTimer *t, GtimerOutputFn fn, void *opaque);

/* Register access at PL1. Returns false for a register that cannot be accessed that
 * way (a write to CNTPCT/CNTVCT, an unknown reg): the caller makes it UNDEFINED.
 * 32-bit registers return / take the low 32 bits. Writes update the outputs at once. */
bool gtimer_read(const GenericTimer *t, GtimerReg reg, uint64_t now, uint64_t *value);
bool gtimer_write(GenericTimer *t, GtimerReg reg, uint64_t now, uint64_t value);
/* Whether PL0 (user mode) may make this access, from CNTKCTL (B8.1.2, B4.1.26). If not,
 * the access is UNDEFINED. */
bool gtimer_user_access_ok(const GenericTimer *t, GtimerReg reg, bool is_write);

/* Recompute both outputs for counter value now, calling the callback on changes. */
void gtimer_update(GenericTimer *t, uint64_t now);
/* The counter value at which the next output change happens: now itself if an output
 * is stale (gtimer_update has not seen a condition that is already met), the time a
 * pending compare fires, or UINT64_MAX if no output will change without a register
 * write. */
uint64_t gtimer_next_deadline(const GenericTimer *t, uint64_t now);
/* The output level as last computed. */
bool gtimer_output(const GenericTimer *t, GtimerId which);

#endif
