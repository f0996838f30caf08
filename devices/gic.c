/*
 * GICv2 distributor and CPU interface for one CPU, without the Security Extensions, as
 * QEMU 7.2's hw/intc/arm_gic.c models the `virt` board's GIC (revision 2, 288 IDs,
 * 8 priority bits). Spec: ARM Generic Interrupt Controller Architecture Specification
 * v2.0 (IHI 0048B); section numbers below refer to it.
 *
 * Values checked against qemu-system-arm 7.2 on the virt board: GICD_TYPER 0x8,
 * GICD_IIDR 0x43b, GICC_IIDR 0x2043b, GICC_CTLR write mask 0x21f, ITARGETSR RAZ/WI
 * (uniprocessor, 4.3.12), IGROUPR read/write (a GICv2 always has interrupt groups),
 * SGIs always enabled and edge-triggered, PPIs' ICFGR writable, the distributor's
 * registers in the first 4 KiB and the CPU interface's in the first 8 KiB of their
 * windows (beyond them an access is a bus error, as QEMU's unassigned memory).
 *
 * Where QEMU and the spec differ, the spec wins: writing zero bits to GICD_SPENDSGIR
 * does not make an SGI pending (QEMU marks it pending with no source and later asserts);
 * GICC_AIAR/AEOIR/AHPPIR are the Group 1 aliases of 4.4.8-4.4.10 (QEMU reads them as 0).
 */
#include "devices/gic.h"

#include <stdlib.h>
#include <string.h>

#define GIC_WORDS (GIC_NUM_IRQ / 32u)
#define GIC_NR_SGIS 16u
#define GIC_NR_APRS 4u             /* 128 preemption levels (BPR minimum 0) / 32 */
#define GIC_IDLE_PRIORITY 0x100u   /* running priority with nothing active */
#define GIC_DIST_REGS 0x1000u      /* implemented part of the distributor window */
#define GIC_CPU_REGS 0x2000u       /* implemented part of the CPU interface window */

/* GICD_CTLR and GICC_CTLR bits (4.3.1, 4.4.1). */
#define CTLR_EN_GRP0 (1u << 0)
#define CTLR_EN_GRP1 (1u << 1)
#define CCTLR_ACK_CTL (1u << 2)
#define CCTLR_FIQ_EN (1u << 3)
#define CCTLR_CBPR (1u << 4)
#define CCTLR_EOIMODE (1u << 9)
#define CCTLR_MASK 0x21fu          /* what QEMU stores (no bypass-disable bits) */

#define GICD_IIDR 0x0000043bu      /* ARM's JEP106 code; QEMU 7.2 (Debian) reports this */
#define GICC_IIDR 0x0002043bu      /* architecture version 2, ARM */

/* GICD_PIDR4..7, PIDR0..3, CIDR0..3 at 0xfd0..0xffc (4.3.16), QEMU's values. */
static const uint8_t gic_dist_id[12] = { 0x04, 0x00, 0x00, 0x00, 0x90, 0xb4,
                                         0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct Gic {
    /* Distributor state, one bit per interrupt ID. `pending` is the latched pending
     * state; a level-sensitive interrupt is also pending while its input is high. */
    uint32_t enabled[GIC_WORDS];
    uint32_t pending[GIC_WORDS];
    uint32_t active[GIC_WORDS];
    uint32_t level[GIC_WORDS];     /* input line levels (PPIs and SPIs) */
    uint32_t edge[GIC_WORDS];      /* ICFGR: 1 = edge-triggered */
    uint32_t group[GIC_WORDS];     /* IGROUPR: 1 = Group 1 */
    uint8_t priority[GIC_NUM_IRQ];
    uint8_t sgi_source[GIC_NR_SGIS]; /* pending SGIs by source CPU (GICD_SPENDSGIR) */
    uint32_t dist_ctlr;

    /* CPU interface state. */
    uint32_t cpu_ctlr, pmr, bpr, abpr;
    uint32_t apr[GIC_NR_APRS];     /* active priorities, Group 0 */
    uint32_t nsapr[GIC_NR_APRS];   /* active priorities, Group 1 */
    unsigned running_priority;
    unsigned current_pending;      /* highest-priority pending interrupt above PMR */

    bool irq_out, fiq_out;
    GicOutputFn out_fn;
    void *out_opaque;
};

static bool bit_test(const uint32_t *map, unsigned irq)
{
    return (map[irq / 32] >> (irq % 32)) & 1u;
}

static void bit_set(uint32_t *map, unsigned irq)
{
    map[irq / 32] |= 1u << (irq % 32);
}

static void bit_clear(uint32_t *map, unsigned irq)
{
    map[irq / 32] &= ~(1u << (irq % 32));
}

/* The 8 bits for interrupts irq..irq+7 (irq a multiple of 8). */
static uint8_t byte_get(const uint32_t *map, unsigned irq)
{
    return (uint8_t)(map[irq / 32] >> (irq % 32));
}

static void byte_put(uint32_t *map, unsigned irq, uint8_t v)
{
    unsigned sh = irq % 32;
    map[irq / 32] = (map[irq / 32] & ~(0xffu << sh)) | ((uint32_t)v << sh);
}

static bool irq_is_pending(const Gic *g, unsigned irq)
{
    return bit_test(g->pending, irq) || (!bit_test(g->edge, irq) && bit_test(g->level, irq));
}

static void set_lines(Gic *g, bool irq, bool fiq)
{
    if (irq == g->irq_out && fiq == g->fiq_out)
        return;
    g->irq_out = irq;
    g->fiq_out = fiq;
    if (g->out_fn)
        g->out_fn(g->out_opaque, irq, fiq);
}

/* Recompute the highest-priority pending interrupt and the IRQ/FIQ lines (3.2.4:
 * an interrupt is signalled when it is enabled, pending and not active, its priority is
 * higher than the priority mask and the running priority, and its group is enabled in
 * both GICD_CTLR and GICC_CTLR). Ties go to the lowest ID. */
static void gic_update(Gic *g)
{
    bool irq_line = false, fiq_line = false;
    g->current_pending = GIC_SPURIOUS;
    if ((g->dist_ctlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) &&
        (g->cpu_ctlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1))) {
        unsigned best = GIC_SPURIOUS, best_prio = GIC_IDLE_PRIORITY;
        for (unsigned w = 0; w < GIC_WORDS; w++) {
            uint32_t cand = g->enabled[w] & (g->pending[w] | (g->level[w] & ~g->edge[w])) &
                            ~g->active[w];
            while (cand) {
                unsigned irq = w * 32 + (unsigned)__builtin_ctz(cand);
                cand &= cand - 1;
                if (g->priority[irq] < best_prio) {
                    best_prio = g->priority[irq];
                    best = irq;
                }
            }
        }
        if (best != GIC_SPURIOUS && best_prio < g->pmr) {
            g->current_pending = best;
            unsigned grp = bit_test(g->group, best);
            if (best_prio < g->running_priority && (g->dist_ctlr & (1u << grp)) &&
                (g->cpu_ctlr & (1u << grp))) {
                if (grp == 0 && (g->cpu_ctlr & CCTLR_FIQ_EN))
                    fiq_line = true;
                else
                    irq_line = true;
            }
        }
    }
    set_lines(g, irq_line, fiq_line);
}

/* GICC_HPPIR (4.4.8) or, for alias, GICC_AHPPIR: the pending interrupt as this view
 * sees it. A Group 1 interrupt reads as 1022 through GICC_HPPIR/IAR unless AckCtl is
 * set; the Group 1 alias hides Group 0 interrupts (1023). */
static unsigned hppi_view(const Gic *g, bool alias)
{
    unsigned irq = g->current_pending;
    if (irq >= GIC_NUM_IRQ)
        return irq;
    bool grp1 = bit_test(g->group, irq);
    if (alias)
        return grp1 ? irq : GIC_SPURIOUS;
    if (grp1 && !(g->cpu_ctlr & CCTLR_ACK_CTL))
        return 1022;
    return irq;
}

/* Group priority: the priority bits above the binary point (3.3.3). Group 1 uses
 * GICC_ABPR - 1 unless CBPR is set. */
static unsigned group_priority(const Gic *g, unsigned irq)
{
    unsigned bpr = g->bpr;
    if (!(g->cpu_ctlr & CCTLR_CBPR) && bit_test(g->group, irq))
        bpr = g->abpr - 1;
    return g->priority[irq] & (0xffu << ((bpr & 7) + 1)) & 0xffu;
}

/* Running priority from the active priority registers (4.4.14): the lowest set bit. */
static unsigned prio_from_apr(const Gic *g)
{
    for (unsigned i = 0; i < GIC_NR_APRS; i++) {
        uint32_t a = g->apr[i] | g->nsapr[i];
        if (a)
            return (i * 32 + (unsigned)__builtin_ctz(a)) << 1;
    }
    return GIC_IDLE_PRIORITY;
}

/* Acknowledge (GICC_IAR, 4.4.4; GICC_AIAR for alias): activate the highest-priority
 * pending interrupt if it may preempt, clear its pending state (one source CPU at a
 * time for an SGI), raise the running priority. Returns the ID (with the source CPU
 * in bits [12:10] for an SGI), 1022 or 1023. */
static uint32_t gic_acknowledge(Gic *g, bool alias)
{
    unsigned irq = hppi_view(g, alias);
    if (irq >= GIC_NUM_IRQ)
        return irq;
    if (g->priority[irq] >= g->running_priority)
        return GIC_SPURIOUS;
    unsigned prio = group_priority(g, irq);
    unsigned level = prio >> 1;
    uint32_t *apr = bit_test(g->group, irq) ? g->nsapr : g->apr;
    apr[level / 32] |= 1u << (level % 32);
    g->running_priority = prio;
    bit_set(g->active, irq);
    uint32_t ret = irq;
    if (irq < GIC_NR_SGIS) {
        unsigned src = g->sgi_source[irq] ? (unsigned)__builtin_ctz(g->sgi_source[irq]) : 0;
        g->sgi_source[irq] &= (uint8_t)~(1u << src);
        if (!g->sgi_source[irq])
            bit_clear(g->pending, irq);
        ret |= (src & 7u) << 10;
    } else {
        bit_clear(g->pending, irq);
    }
    gic_update(g);
    return ret;
}

/* End of interrupt (GICC_EOIR, 4.4.5; GICC_AEOIR for alias): drop the running priority
 * and, unless GICC_CTLR.EOImode splits the two, deactivate. As in QEMU, the priority
 * drop clears the highest active priority of the interrupt's group; IDs that do not
 * exist (1023 among them) are ignored. */
static void gic_complete(Gic *g, unsigned irq, bool alias)
{
    if (irq >= GIC_NUM_IRQ || g->running_priority == GIC_IDLE_PRIORITY)
        return;
    bool grp1 = bit_test(g->group, irq);
    if (alias && !grp1)
        return;
    uint32_t *apr = grp1 ? g->nsapr : g->apr;
    for (unsigned i = 0; i < GIC_NR_APRS; i++) {
        if (apr[i]) {
            apr[i] &= apr[i] - 1;
            break;
        }
    }
    g->running_priority = prio_from_apr(g);
    if (!(g->cpu_ctlr & CCTLR_EOIMODE))
        bit_clear(g->active, irq);
    gic_update(g);
}

/* GICC_DIR (4.4.15): deactivate; only with EOImode set, otherwise ignored (QEMU). */
static void gic_deactivate(Gic *g, unsigned irq)
{
    if (irq >= GIC_NUM_IRQ || !(g->cpu_ctlr & CCTLR_EOIMODE))
        return;
    bit_clear(g->active, irq);
    gic_update(g);
}

/* ---- distributor (4.3): every register is byte-addressed as in QEMU, so byte,
 * halfword and word accesses all work; only GICD_SGIR needs a word write. ---- */

static uint8_t dist_read_byte(const Gic *g, uint32_t off)
{
    if (off < 0x100) {
        switch (off) {
        case 0x000: return (uint8_t)g->dist_ctlr;
        case 0x004: return (uint8_t)(GIC_NUM_IRQ / 32 - 1); /* ITLinesNumber, one CPU */
        case 0x008: return (uint8_t)GICD_IIDR;
        case 0x009: return (uint8_t)(GICD_IIDR >> 8);
        default: break;
        }
        if (off >= 0x80 && (off - 0x80) * 8 < GIC_NUM_IRQ)
            return byte_get(g->group, (off - 0x80) * 8);
        return 0;
    }
    if (off < 0x400) {
        /* ISENABLER/ICENABLER, ISPENDR/ICPENDR, ISACTIVER/ICACTIVER: set and clear
         * views read the same state. */
        unsigned irq = (off & 0x7f) * 8;
        if (irq >= GIC_NUM_IRQ)
            return 0;
        if (off < 0x200)
            return byte_get(g->enabled, irq);
        if (off < 0x300) {
            uint8_t v = 0;
            for (unsigned i = 0; i < 8; i++)
                v |= (uint8_t)(irq_is_pending(g, irq + i) << i);
            return v;
        }
        return byte_get(g->active, irq);
    }
    if (off < 0x800)
        return off - 0x400 < GIC_NUM_IRQ ? g->priority[off - 0x400] : 0;
    if (off < 0xc00)
        return 0; /* ITARGETSR: RAZ/WI on a uniprocessor GIC (4.3.12) */
    if (off < 0xf00) {
        unsigned irq = (off - 0xc00) * 4;
        uint8_t v = 0;
        for (unsigned i = 0; i < 4 && irq + i < GIC_NUM_IRQ; i++)
            if (bit_test(g->edge, irq + i))
                v |= (uint8_t)(2u << (2 * i));
        return v;
    }
    if (off >= 0xf10 && off < 0xf30)
        return g->sgi_source[(off - 0xf10) & 0xf]; /* GICD_CPENDSGIR/SPENDSGIR */
    if (off >= 0xfd0 && !(off & 3))
        return gic_dist_id[(off - 0xfd0) >> 2];
    return 0;
}

/* GICD_SGIR (4.3.15): TargetListFilter 0 = the listed CPUs, 1 = all but self, 2 = self,
 * 3 = reserved (QEMU: all). The only CPU is 0, so it is both source and target. */
static void dist_write_sgir(Gic *g, uint32_t v)
{
    unsigned irq = v & 0xf;
    unsigned filter = (v >> 24) & 3;
    bool hit = filter == 0 ? ((v >> 16) & 1) : filter != 1;
    if (hit) {
        g->sgi_source[irq] |= 1;
        bit_set(g->pending, irq);
    }
}

static void dist_write_byte(Gic *g, uint32_t off, uint8_t v)
{
    if (off < 0x100) {
        if (off == 0)
            g->dist_ctlr = v & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
        else if (off >= 0x80 && (off - 0x80) * 8 < GIC_NUM_IRQ)
            byte_put(g->group, (off - 0x80) * 8, v);
        return; /* TYPER, IIDR: read-only; reserved: ignored */
    }
    if (off < 0x400) {
        unsigned irq = (off & 0x7f) * 8;
        if (irq >= GIC_NUM_IRQ)
            return;
        uint32_t *map = off < 0x200 ? g->enabled : off < 0x300 ? g->pending : g->active;
        bool set = (off & 0x80) == 0;
        /* SGIs are always enabled, and their pending state is set and cleared only
         * through SGIR/SPENDSGIR/CPENDSGIR (4.3.5-4.3.8, QEMU). */
        if (irq < GIC_NR_SGIS && off < 0x300)
            return;
        uint8_t old = byte_get(map, irq);
        byte_put(map, irq, set ? (uint8_t)(old | v) : (uint8_t)(old & ~v));
        return;
    }
    if (off < 0x800) {
        if (off - 0x400 < GIC_NUM_IRQ)
            g->priority[off - 0x400] = v; /* 8 priority bits implemented */
        return;
    }
    if (off < 0xc00)
        return; /* ITARGETSR: RAZ/WI */
    if (off < 0xf00) {
        /* ICFGR (4.3.13): bit 2i+1 = edge-triggered; SGIs are always edge. */
        unsigned irq = (off - 0xc00) * 4;
        if (irq < GIC_NR_SGIS)
            v |= 0xaa;
        for (unsigned i = 0; i < 4 && irq + i < GIC_NUM_IRQ; i++) {
            if (v & (2u << (2 * i)))
                bit_set(g->edge, irq + i);
            else
                bit_clear(g->edge, irq + i);
        }
        return;
    }
    if (off >= 0xf10 && off < 0xf20) {
        unsigned irq = off - 0xf10;
        g->sgi_source[irq] &= (uint8_t)~v;
        if (!g->sgi_source[irq])
            bit_clear(g->pending, irq);
    } else if (off >= 0xf20 && off < 0xf30) {
        unsigned irq = off - 0xf20;
        g->sgi_source[irq] |= v;
        if (g->sgi_source[irq])
            bit_set(g->pending, irq);
    }
}

static MemStatus gic_dist_read(void *opaque, uint32_t offset, unsigned size, uint32_t *value)
{
    const Gic *g = opaque;
    if (offset >= GIC_DIST_REGS || size > GIC_DIST_REGS - offset)
        return MEM_BUS_ERROR;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)dist_read_byte(g, offset + i) << (8 * i);
    *value = v;
    return MEM_OK;
}

static MemStatus gic_dist_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
    Gic *g = opaque;
    if (offset >= GIC_DIST_REGS || size > GIC_DIST_REGS - offset)
        return MEM_BUS_ERROR;
    if (offset == 0xf00 && size == 4)
        dist_write_sgir(g, value);
    else
        for (unsigned i = 0; i < size; i++)
            dist_write_byte(g, offset + i, (uint8_t)(value >> (8 * i)));
    gic_update(g);
    return MEM_OK;
}

/* ---- CPU interface (4.4): word registers; a narrower access at a register's address
 * reads its low bytes or writes a zero-extended value (QEMU); other offsets read as 0
 * and ignore writes. ---- */

static uint32_t cpu_read_reg(Gic *g, uint32_t off)
{
    switch (off) {
    case 0x00: return g->cpu_ctlr;
    case 0x04: return g->pmr;
    case 0x08: return g->bpr;
    case 0x0c: return gic_acknowledge(g, false);
    case 0x14: return g->running_priority > 0xff ? 0xff : g->running_priority;
    case 0x18: return hppi_view(g, false);
    case 0x1c: return g->abpr;
    case 0x20: return gic_acknowledge(g, true);
    case 0x28: return hppi_view(g, true);
    case 0xd0: case 0xd4: case 0xd8: case 0xdc: return g->apr[(off - 0xd0) / 4];
    case 0xe0: case 0xe4: case 0xe8: case 0xec: return g->nsapr[(off - 0xe0) / 4];
    case 0xfc: return GICC_IIDR;
    default: return 0; /* EOIR, AEOIR, DIR are write-only; reserved */
    }
}

static void cpu_write_reg(Gic *g, uint32_t off, uint32_t v)
{
    switch (off) {
    case 0x00: g->cpu_ctlr = v & CCTLR_MASK; break;
    case 0x04: g->pmr = v & 0xff; break;
    case 0x08: g->bpr = v & 7; break;                    /* minimum 0 */
    case 0x10: gic_complete(g, v & 0x3ff, false); return;
    case 0x1c: g->abpr = (v & 7) ? (v & 7) : 1; break;   /* minimum 1 */
    case 0x24: gic_complete(g, v & 0x3ff, true); return;
    case 0xd0: case 0xd4: case 0xd8: case 0xdc:
        g->apr[(off - 0xd0) / 4] = v;
        g->running_priority = prio_from_apr(g);
        break;
    case 0xe0: case 0xe4: case 0xe8: case 0xec:
        g->nsapr[(off - 0xe0) / 4] = v;
        g->running_priority = prio_from_apr(g);
        break;
    case 0x1000: gic_deactivate(g, v & 0x3ff); return;
    default: return; /* read-only or reserved: ignored */
    }
    gic_update(g);
}

static MemStatus gic_cpu_read(void *opaque, uint32_t offset, unsigned size, uint32_t *value)
{
    Gic *g = opaque;
    if (offset >= GIC_CPU_REGS || size > GIC_CPU_REGS - offset)
        return MEM_BUS_ERROR;
    uint32_t v = (offset & 3) ? 0 : cpu_read_reg(g, offset);
    if (size < 4)
        v &= (1u << (8 * size)) - 1;
    *value = v;
    return MEM_OK;
}

static MemStatus gic_cpu_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
    Gic *g = opaque;
    if (offset >= GIC_CPU_REGS || size > GIC_CPU_REGS - offset)
        return MEM_BUS_ERROR;
    if (size < 4)
        value &= (1u << (8 * size)) - 1;
    if (!(offset & 3))
        cpu_write_reg(g, offset, value);
    return MEM_OK;
}

static const MmioOps gic_dist_ops = { .read = gic_dist_read, .write = gic_dist_write };
static const MmioOps gic_cpu_ops = { .read = gic_cpu_read, .write = gic_cpu_write };

void gic_reset(Gic *g)
{
    uint32_t level[GIC_WORDS];
    memcpy(level, g->level, sizeof(level)); /* input lines belong to the devices */
    GicOutputFn fn = g->out_fn;
    void *opaque = g->out_opaque;
    bool irq = g->irq_out, fiq = g->fiq_out;
    memset(g, 0, sizeof(*g));
    memcpy(g->level, level, sizeof(level));
    g->out_fn = fn;
    g->out_opaque = opaque;
    g->irq_out = irq;
    g->fiq_out = fiq;
    g->enabled[0] = 0xffff; /* SGIs */
    g->edge[0] = 0xffff;
    g->abpr = 1;
    g->running_priority = GIC_IDLE_PRIORITY;
    g->current_pending = GIC_SPURIOUS;
    gic_update(g);
}

Gic *gic_create(void)
{
    Gic *g = calloc(1, sizeof(*g));
    if (g)
        gic_reset(g);
    return g;
}

void gic_destroy(Gic *g)
{
    free(g);
}

int gic_map(Gic *g, PhysMem *mem, PhysAddr dist_base, PhysAddr cpu_base)
{
    if (physmem_add_mmio(mem, dist_base, GIC_DIST_SIZE, &gic_dist_ops, g, "gic-dist") != 0)
        return -1;
    return physmem_add_mmio(mem, cpu_base, GIC_CPU_SIZE, &gic_cpu_ops, g, "gic-cpu");
}

void gic_set_irq(Gic *g, unsigned intid, bool level)
{
    if (intid < GIC_FIRST_PPI || intid >= GIC_NUM_IRQ || bit_test(g->level, intid) == level)
        return;
    if (level) {
        bit_set(g->level, intid);
        if (bit_test(g->edge, intid))
            bit_set(g->pending, intid); /* rising edge */
    } else {
        bit_clear(g->level, intid);
    }
    gic_update(g);
}

void gic_set_output(Gic *g, GicOutputFn fn, void *opaque)
{
    g->out_fn = fn;
    g->out_opaque = opaque;
    if (fn)
        fn(opaque, g->irq_out, g->fiq_out);
}

bool gic_irq_line(const Gic *g)
{
    return g->irq_out;
}

bool gic_fiq_line(const Gic *g)
{
    return g->fiq_out;
}
