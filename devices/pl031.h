/*
 * PL031 real-time clock (pl031.c): ARM PrimeCell Real Time Clock (PL031) Technical
 * Reference Manual (DDI 0224), as QEMU 7.2's hw/rtc/pl031.c models it. On QEMU's virt
 * board it sits at 0x09010000 with its interrupt on SPI 2 (GIC ID 34).
 *
 * Time comes from a callback returning seconds (UNIX time from the host clock, or a
 * virtual clock; tests use a fixed value), so the device is deterministic on request.
 * The counter RTCDR is that time plus an offset the guest sets through RTCLR, modulo
 * 2^32. The match interrupt fires when the counter reaches RTCMR: the device notices
 * when it is polled (pl031_poll, and any register read); pl031_next_alarm tells the run
 * loop when to poll.
 */
#ifndef ARMVM_DEVICES_PL031_H
#define ARMVM_DEVICES_PL031_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/softmmu.h"

#define VIRT_RTC_BASE 0x09010000u
#define VIRT_RTC_SIZE 0x1000u
#define VIRT_RTC_INTID 34u /* SPI 2 */

#ifndef ARMVM_IRQ_LINE_FN
#define ARMVM_IRQ_LINE_FN
/* An interrupt output: called when its level changes (also declared in devices.h). */
typedef void (*IrqLineFn)(void *opaque, bool level);
#endif

/* The time source: seconds. */
typedef uint64_t (*Pl031ClockFn)(void *opaque);

typedef struct Pl031 Pl031;

Pl031 *pl031_create(Pl031ClockFn clock, void *clock_opaque);
void pl031_destroy(Pl031 *s);
/* Reset the match, load and interrupt registers; the time keeps running (the RTC is
 * battery-backed; QEMU has no reset for it either). */
void pl031_reset(Pl031 *s);
/* Map the 4 KiB register block at base. Returns 0, or -1 (overlap, table full). */
int pl031_map(Pl031 *s, PhysMem *mem, PhysAddr base);
/* The interrupt output (RTCINTR); the callback is called at once with the level. */
void pl031_set_irq(Pl031 *s, IrqLineFn fn, void *opaque);
bool pl031_irq_level(const Pl031 *s);
/* Read the clock and raise the match interrupt if its time has come. */
void pl031_poll(Pl031 *s);
/* The clock value (seconds) at which the match interrupt fires, UINT64_MAX if none. */
uint64_t pl031_next_alarm(const Pl031 *s);

#endif
