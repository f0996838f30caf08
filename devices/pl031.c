/*
 * ARM PrimeCell Real Time Clock (PL031), register map and behaviour from the PL031 TRM
 * (DDI 0224), chapter 3, and QEMU 7.2's hw/rtc/pl031.c (checked on the virt board):
 * RTCCR reads 1 (the RTC is always enabled, writes ignored), RTCLR reads back the last
 * value written, RTCIMSC has one bit, RTCICR clears the bits written as 1, reserved
 * offsets read as zero, and the match interrupt is one-shot: it is armed when RTCMR or
 * RTCLR is written and fires once the counter reaches RTCMR (at once if it already
 * equals it).
 *
 * Registers are 32 bits wide; a narrower read returns the addressed bytes of the
 * register, a narrower write is ignored (the TRM allows only word accesses).
 */
#include "devices/pl031.h"

#include <stdlib.h>

/* Register offsets (TRM table 3-1). */
enum {
    RTCDR = 0x00,
    RTCMR = 0x04,
    RTCLR = 0x08,
    RTCCR = 0x0c,
    RTCIMSC = 0x10,
    RTCRIS = 0x14,
    RTCMIS = 0x18,
    RTCICR = 0x1c,
    RTCPERIPHID0 = 0xfe0, /* ...RTCPCELLID3 at 0xffc */
};

/* RTCPeriphID0-3, RTCPCellID0-3 (TRM 3.3.9-3.3.16). */
static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct Pl031 {
    Pl031ClockFn clock;
    void *clock_opaque;
    uint32_t tick_offset;  /* RTCDR = clock + tick_offset (mod 2^32) */
    uint32_t mr, lr, im, is;
    bool alarm_armed;
    uint64_t alarm_at;     /* clock value at which the match fires */
    bool irq_level;
    IrqLineFn irq_fn;
    void *irq_opaque;
};

static uint64_t clock_now(const Pl031 *s)
{
    return s->clock ? s->clock(s->clock_opaque) : 0;
}

static uint32_t rtc_count(const Pl031 *s, uint64_t now)
{
    return (uint32_t)now + s->tick_offset;
}

/* RTCINTR = RTCMIS (TRM 3.3.7). */
static void pl031_update(Pl031 *s)
{
    bool level = (s->is & s->im) != 0;
    if (level == s->irq_level)
        return;
    s->irq_level = level;
    if (s->irq_fn)
        s->irq_fn(s->irq_opaque, level);
}

/* Arm the match for the next time the counter equals RTCMR; the subtraction wraps as
 * the counter does (QEMU's pl031_set_alarm). */
static void set_alarm(Pl031 *s, uint64_t now)
{
    uint32_t ticks = s->mr - rtc_count(s, now);
    if (ticks == 0) {
        s->alarm_armed = false;
        s->is = 1;
        pl031_update(s);
        return;
    }
    s->alarm_armed = true;
    s->alarm_at = now > UINT64_MAX - ticks ? UINT64_MAX : now + ticks;
}

static void poll_at(Pl031 *s, uint64_t now)
{
    if (s->alarm_armed && now >= s->alarm_at) {
        s->alarm_armed = false;
        s->is = 1;
        pl031_update(s);
    }
}

void pl031_poll(Pl031 *s)
{
    poll_at(s, clock_now(s));
}

uint64_t pl031_next_alarm(const Pl031 *s)
{
    return s->alarm_armed ? s->alarm_at : UINT64_MAX;
}

static uint32_t pl031_reg_read(Pl031 *s, uint32_t reg)
{
    uint64_t now = clock_now(s);
    poll_at(s, now);
    switch (reg) {
    case RTCDR: return rtc_count(s, now);
    case RTCMR: return s->mr;
    case RTCLR: return s->lr;
    case RTCCR: return 1;
    case RTCIMSC: return s->im;
    case RTCRIS: return s->is;
    case RTCMIS: return s->is & s->im;
    default:
        if (reg >= RTCPERIPHID0 && reg <= 0xffc)
            return pl031_id[(reg - RTCPERIPHID0) >> 2];
        return 0; /* RTCICR is write-only; reserved offsets read as zero */
    }
}

static void pl031_reg_write(Pl031 *s, uint32_t reg, uint32_t value)
{
    uint64_t now = clock_now(s);
    poll_at(s, now);
    switch (reg) {
    case RTCLR:
        /* Loading the counter (TRM 3.3.3): from now on RTCDR counts up from value. */
        s->lr = value;
        s->tick_offset += value - rtc_count(s, now);
        set_alarm(s, now);
        break;
    case RTCMR:
        s->mr = value;
        set_alarm(s, now);
        break;
    case RTCIMSC:
        s->im = value & 1;
        pl031_update(s);
        break;
    case RTCICR:
        s->is &= ~value;
        pl031_update(s);
        break;
    default: break; /* RTCCR (always enabled), read-only and reserved registers */
    }
}

static MemStatus pl031_mmio_read(void *opaque, uint32_t offset, unsigned size, uint32_t *value)
{
    Pl031 *s = opaque;
    uint32_t v = pl031_reg_read(s, offset & ~3u) >> ((offset & 3u) * 8);
    if (size < 4)
        v &= (1u << (size * 8)) - 1;
    *value = v;
    return MEM_OK;
}

static MemStatus pl031_mmio_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
    Pl031 *s = opaque;
    if (size == 4 && !(offset & 3u))
        pl031_reg_write(s, offset, value);
    return MEM_OK;
}

static const MmioOps pl031_ops = {
    .read = pl031_mmio_read,
    .write = pl031_mmio_write,
};

void pl031_reset(Pl031 *s)
{
    s->mr = s->lr = s->im = s->is = 0;
    s->alarm_armed = false;
    pl031_update(s);
}

Pl031 *pl031_create(Pl031ClockFn clock, void *clock_opaque)
{
    Pl031 *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->clock = clock;
    s->clock_opaque = clock_opaque;
    pl031_reset(s);
    return s;
}

void pl031_destroy(Pl031 *s)
{
    free(s);
}

int pl031_map(Pl031 *s, PhysMem *mem, PhysAddr base)
{
    return physmem_add_mmio(mem, base, VIRT_RTC_SIZE, &pl031_ops, s, "pl031");
}

void pl031_set_irq(Pl031 *s, IrqLineFn fn, void *opaque)
{
    s->irq_fn = fn;
    s->irq_opaque = opaque;
    if (fn)
        fn(opaque, s->irq_level);
}

bool pl031_irq_level(const Pl031 *s)
{
    return s->irq_level;
}
