/*
 * GICv2: register reset values and write masks (checked against qemu-system-arm 7.2 on
 * the virt board), priority, masking, acknowledge/EOI ordering, preemption, SGIs, level
 * vs edge inputs, enable/disable while pending, spurious 1023, EOImode, groups and FIQ,
 * and the output callback.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/gic.h"

#define D 0x08000000u
#define C 0x08010000u
enum {
    CTLR = 0x000, TYPER = 0x004, IIDR = 0x008, IGROUPR = 0x080, ISENABLER = 0x100,
    ICENABLER = 0x180, ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300,
    ICACTIVER = 0x380, IPRIORITYR = 0x400, ITARGETSR = 0x800, ICFGR = 0xc00, SGIR = 0xf00,
    CPENDSGIR = 0xf10, SPENDSGIR = 0xf20,
};
enum {
    C_CTLR = 0x00, PMR = 0x04, BPR = 0x08, IAR = 0x0c, EOIR = 0x10, RPR = 0x14, HPPIR = 0x18,
    ABPR = 0x1c, AIAR = 0x20, AEOIR = 0x24, AHPPIR = 0x28, APR0 = 0xd0, NSAPR0 = 0xe0,
    C_IIDR = 0xfc, DIR = 0x1000,
};

static PhysMem mem;
static Gic *gic;
static int out_calls;
static bool out_irq, out_fiq;

static void on_output(void *opaque, bool irq, bool fiq)
{
    ck_assert_ptr_eq(opaque, &mem);
    out_calls++;
    out_irq = irq;
    out_fiq = fiq;
}

static void setup(void)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, 0x40000000u, 1u << 20, err, sizeof err), 0);
    gic = gic_create();
    ck_assert_ptr_nonnull(gic);
    ck_assert_int_eq(gic_map(gic, &mem, D, C), 0);
    out_calls = 0;
    gic_set_output(gic, on_output, &mem);
    ck_assert_int_eq(out_calls, 1); /* reports the current levels at once */
    ck_assert(!out_irq && !out_fiq);
    out_calls = 0;
}

static void teardown(void)
{
    gic_destroy(gic);
    gic = NULL;
    physmem_destroy(&mem);
}

static uint32_t rd_sz(uint32_t addr, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    ck_assert_int_eq(physmem_read(&mem, addr, size, &v), MEM_OK);
    return (uint32_t)v;
}
static uint32_t rd(uint32_t addr) { return rd_sz(addr, 4); }
static void wr_sz(uint32_t addr, unsigned size, uint32_t v)
{
    ck_assert_int_eq(physmem_write(&mem, addr, size, v), MEM_OK);
}
static void wr(uint32_t addr, uint32_t v) { wr_sz(addr, 4, v); }

/* Distributor and CPU interface on, priority mask open, binary point 0. */
static void enable_all(void)
{
    wr(D + CTLR, 1);
    wr(C + C_CTLR, 1);
    wr(C + PMR, 0xff);
}

static void enable_irq(unsigned irq, uint8_t prio)
{
    wr_sz(D + IPRIORITYR + irq, 1, prio);
    wr(D + ISENABLER + irq / 32 * 4, 1u << (irq % 32));
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(rd(D + CTLR), 0);
    ck_assert_uint_eq(rd(D + TYPER), 8); /* 288 IDs, one CPU, no Security Extensions */
    ck_assert_uint_eq(rd(D + IIDR), 0x43b);
    ck_assert_uint_eq(rd(D + 0x0c), 0);
    ck_assert_uint_eq(rd(D + IGROUPR), 0);
    ck_assert_uint_eq(rd(D + ISENABLER), 0xffff); /* SGIs */
    ck_assert_uint_eq(rd(D + ISENABLER + 4), 0);
    ck_assert_uint_eq(rd(D + ISPENDR), 0);
    ck_assert_uint_eq(rd(D + ISACTIVER), 0);
    ck_assert_uint_eq(rd(D + IPRIORITYR), 0);
    ck_assert_uint_eq(rd(D + ITARGETSR), 0);
    ck_assert_uint_eq(rd(D + ICFGR), 0xaaaaaaaa);
    ck_assert_uint_eq(rd(D + ICFGR + 4), 0);
    ck_assert_uint_eq(rd(D + ICFGR + 8), 0);
    static const uint32_t ids[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 12; i++)
        ck_assert_uint_eq(rd(D + 0xfd0 + 4 * i), ids[i]);
    ck_assert_uint_eq(rd(C + C_CTLR), 0);
    ck_assert_uint_eq(rd(C + PMR), 0);
    ck_assert_uint_eq(rd(C + BPR), 0);
    ck_assert_uint_eq(rd(C + RPR), 0xff);
    ck_assert_uint_eq(rd(C + HPPIR), 1023);
    ck_assert_uint_eq(rd(C + ABPR), 1);
    ck_assert_uint_eq(rd(C + APR0), 0);
    ck_assert_uint_eq(rd(C + NSAPR0), 0);
    ck_assert_uint_eq(rd(C + C_IIDR), 0x0002043b);
    ck_assert_uint_eq(rd(C + DIR), 0);
    ck_assert(!gic_irq_line(gic) && !gic_fiq_line(gic));
}
END_TEST

START_TEST(test_window_limits)
{
    uint64_t v;
    /* registers occupy 4 KiB (distributor) and 8 KiB (CPU interface) of 64 KiB windows */
    ck_assert_int_eq(physmem_read(&mem, D + 0x1000, 4, &v), MEM_BUS_ERROR);
    ck_assert_int_eq(physmem_read(&mem, D + 0xfff0, 4, &v), MEM_BUS_ERROR);
    ck_assert_int_eq(physmem_write(&mem, D + 0x1000, 4, 1), MEM_BUS_ERROR);
    ck_assert_int_eq(physmem_read(&mem, C + 0x1ffc, 4, &v), MEM_OK);
    ck_assert_int_eq(physmem_read(&mem, C + 0x2000, 4, &v), MEM_BUS_ERROR);
    ck_assert_int_eq(physmem_write(&mem, C + 0x2000, 4, 1), MEM_BUS_ERROR);
    /* the windows are reserved: nothing else can be mapped there */
    ck_assert_int_ne(physmem_add_mmio(&mem, D + 0x8000, 0x1000, NULL, NULL, "x"), 0);
    /* registers past the implemented interrupts and reserved offsets: RAZ/WI */
    wr(D + ISENABLER + 9 * 4, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISENABLER + 9 * 4), 0);
    wr(D + IPRIORITYR + 288, 0xffffffff);
    ck_assert_uint_eq(rd(D + IPRIORITYR + 288), 0);
    wr(D + 0x40, 0xffffffff);
    ck_assert_uint_eq(rd(D + 0x40), 0);
    wr(D + TYPER, 0);
    ck_assert_uint_eq(rd(D + TYPER), 8);
    wr(C + 0x40, 0xffffffff);
    ck_assert_uint_eq(rd(C + 0x40), 0);
    ck_assert_uint_eq(rd_sz(C + 0x2, 2), 0); /* unaligned: not a register */
    /* inputs outside 16..287 are ignored */
    gic_set_irq(gic, 0, true);
    gic_set_irq(gic, 15, true);
    gic_set_irq(gic, 288, true);
    gic_set_irq(gic, 5000, true);
    ck_assert_uint_eq(rd(D + ISPENDR), 0);
}
END_TEST

START_TEST(test_write_masks)
{
    wr(D + CTLR, 0xffffffff);
    ck_assert_uint_eq(rd(D + CTLR), 3);
    wr(D + CTLR, 0);
    wr(C + C_CTLR, 0xffffffff);
    ck_assert_uint_eq(rd(C + C_CTLR), 0x21f);
    wr(C + C_CTLR, 0);
    wr(C + PMR, 0xffffffff);
    ck_assert_uint_eq(rd(C + PMR), 0xff);
    wr(C + BPR, 0xffffffff);
    ck_assert_uint_eq(rd(C + BPR), 7);
    wr(C + BPR, 0);
    ck_assert_uint_eq(rd(C + BPR), 0);
    wr(C + ABPR, 0);
    ck_assert_uint_eq(rd(C + ABPR), 1);
    wr(C + ABPR, 0xff);
    ck_assert_uint_eq(rd(C + ABPR), 7);
    /* priorities: 8 bits, byte accessible */
    wr(D + IPRIORITYR, 0xffffffff);
    ck_assert_uint_eq(rd(D + IPRIORITYR), 0xffffffff);
    wr_sz(D + IPRIORITYR + 0x21, 1, 0x5a);
    ck_assert_uint_eq(rd(D + IPRIORITYR + 0x20), 0x5a00);
    ck_assert_uint_eq(rd_sz(D + IPRIORITYR + 0x21, 1), 0x5a);
    wr_sz(D + IPRIORITYR + 0x22, 2, 0x1234);
    ck_assert_uint_eq(rd(D + IPRIORITYR + 0x20), 0x12345a00);
    /* ITARGETSR: RAZ/WI on a uniprocessor GIC */
    wr(D + ITARGETSR + 0x20, 0xffffffff);
    ck_assert_uint_eq(rd(D + ITARGETSR + 0x20), 0);
    /* ICFGR: SGIs always edge, PPIs and SPIs programmable, bit 0 of each field RAZ */
    wr(D + ICFGR, 0);
    ck_assert_uint_eq(rd(D + ICFGR), 0xaaaaaaaa);
    wr(D + ICFGR + 4, 0xffffffff);
    ck_assert_uint_eq(rd(D + ICFGR + 4), 0xaaaaaaaa);
    wr(D + ICFGR + 8, 0x0000000a);
    ck_assert_uint_eq(rd(D + ICFGR + 8), 0x0000000a);
    /* IGROUPR read/write (GICv2 has groups) */
    wr(D + IGROUPR, 0xffffffff);
    ck_assert_uint_eq(rd(D + IGROUPR), 0xffffffff);
    wr(D + IGROUPR, 0);
    /* SGIs cannot be disabled, nor set/cleared pending through ISPENDR/ICPENDR */
    wr(D + ICENABLER, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISENABLER), 0xffff);
    wr(D + ISPENDR, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISPENDR), 0xffff0000);
    wr(D + ICPENDR, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISPENDR), 0);
    /* set/clear enable and active */
    wr(D + ISENABLER + 4, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISENABLER + 4), 0xffffffff);
    ck_assert_uint_eq(rd(D + ICENABLER + 4), 0xffffffff);
    wr(D + ICENABLER + 4, 0x0000ffff);
    ck_assert_uint_eq(rd(D + ISENABLER + 4), 0xffff0000);
    wr(D + ISACTIVER, 0x00010002);
    ck_assert_uint_eq(rd(D + ISACTIVER), 0x00010002);
    ck_assert_uint_eq(rd(D + ICACTIVER), 0x00010002);
    wr(D + ICACTIVER, 0xffffffff);
    ck_assert_uint_eq(rd(D + ISACTIVER), 0);
    /* APR writes set the running priority (GICC_APR: lowest set bit) */
    wr(C + APR0, 0xffffffff);
    ck_assert_uint_eq(rd(C + RPR), 0);
    wr(C + APR0, 0x8);
    ck_assert_uint_eq(rd(C + RPR), 6);
    wr(C + APR0, 0);
    ck_assert_uint_eq(rd(C + RPR), 0xff);
    /* a byte write to the SGIR address does nothing */
    wr_sz(D + SGIR, 1, 5);
    ck_assert_uint_eq(rd(D + ISPENDR), 0);
    /* reset restores everything */
    gic_reset(gic);
    ck_assert_uint_eq(rd(D + IPRIORITYR), 0);
    ck_assert_uint_eq(rd(D + ICFGR + 4), 0);
    ck_assert_uint_eq(rd(D + ISENABLER + 4), 0);
    ck_assert_uint_eq(rd(C + PMR), 0);
}
END_TEST

START_TEST(test_level_spi)
{
    enable_all();
    enable_irq(40, 0x80);
    ck_assert_int_eq(out_calls, 0);
    gic_set_irq(gic, 40, true);
    ck_assert_int_eq(out_calls, 1);
    ck_assert(out_irq && !out_fiq);
    ck_assert(gic_irq_line(gic));
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 8);
    ck_assert_uint_eq(rd(C + HPPIR), 40);
    ck_assert_uint_eq(rd(C + IAR), 40);
    /* active: the line drops, the input still holds it pending */
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 8);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 8);
    ck_assert_uint_eq(rd(C + RPR), 0x80);
    ck_assert_uint_eq(rd(C + APR0), 0);
    ck_assert_uint_eq(rd(C + APR0 + 8), 1); /* preemption level 0x80 >> 1 -> APR2 bit 0 */
    ck_assert_uint_eq(rd(C + HPPIR), 1023);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    /* EOI with the input still high: pending again at once */
    wr(C + EOIR, 40);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 0);
    ck_assert_uint_eq(rd(C + RPR), 0xff);
    ck_assert(out_irq);
    /* the device lowers its line: no longer pending */
    gic_set_irq(gic, 40, false);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 0);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    /* a latched pending state (ISPENDR) on a level interrupt stays until acknowledged */
    wr(D + ISPENDR + 4, 1u << 8);
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(C + IAR), 40);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 0);
    wr(C + EOIR, 40);
    ck_assert(!out_irq);
    /* repeated identical input levels are not edges */
    int calls = out_calls;
    gic_set_irq(gic, 40, false);
    ck_assert_int_eq(out_calls, calls);
}
END_TEST

START_TEST(test_edge_spi)
{
    enable_all();
    wr(D + ICFGR + 40 / 16 * 4, 2u << (2 * (40 % 16))); /* SPI 40 edge-triggered */
    enable_irq(40, 0x80);
    gic_set_irq(gic, 40, true);
    gic_set_irq(gic, 40, false); /* the edge is latched */
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 8);
    ck_assert_uint_eq(rd(C + IAR), 40);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 0);
    /* a second edge while active: pending and active */
    gic_set_irq(gic, 40, true);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 8);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 8);
    ck_assert(!out_irq);
    /* holding the line high is not another edge */
    wr(C + EOIR, 40);
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(C + IAR), 40);
    wr(C + EOIR, 40);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    /* ICPENDR clears a latched edge */
    gic_set_irq(gic, 40, false);
    gic_set_irq(gic, 40, true);
    ck_assert(out_irq);
    wr(D + ICPENDR + 4, 1u << 8);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 0);
}
END_TEST

START_TEST(test_ppi_level)
{
    enable_all();
    enable_irq(30, 0x10); /* the physical timer's PPI */
    enable_irq(27, 0x10);
    gic_set_irq(gic, 27, true);
    gic_set_irq(gic, 30, true);
    ck_assert_uint_eq(rd(D + ISPENDR), (1u << 30) | (1u << 27));
    /* same priority: the lower ID wins */
    ck_assert_uint_eq(rd(C + IAR), 27);
    ck_assert_uint_eq(rd(C + IAR), 1023); /* 30 has the same priority: no preemption */
    wr(C + EOIR, 27);
    ck_assert_uint_eq(rd(C + IAR), 27); /* its input is still high: pending again */
    gic_set_irq(gic, 27, false);
    wr(C + EOIR, 27);
    ck_assert_uint_eq(rd(C + IAR), 30);
    gic_set_irq(gic, 30, false);
    wr(C + EOIR, 30);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + IAR), 1023);
}
END_TEST

START_TEST(test_priority_and_preemption)
{
    enable_all();
    enable_irq(40, 0x80);
    enable_irq(41, 0x40);
    enable_irq(42, 0x20);
    gic_set_irq(gic, 40, true);
    gic_set_irq(gic, 41, true);
    ck_assert_uint_eq(rd(C + HPPIR), 41);
    ck_assert_uint_eq(rd(C + IAR), 41);
    ck_assert_uint_eq(rd(C + RPR), 0x40);
    /* 40 (0x80) cannot preempt 41 (0x40): no IRQ, IAR spurious, HPPIR still shows it */
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + HPPIR), 40);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    /* 42 (0x20) preempts */
    gic_set_irq(gic, 42, true);
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(C + IAR), 42);
    ck_assert_uint_eq(rd(C + RPR), 0x20);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), (1u << 9) | (1u << 10));
    /* EOI in nesting order: the running priority steps back */
    gic_set_irq(gic, 42, false);
    wr(C + EOIR, 42);
    ck_assert_uint_eq(rd(C + RPR), 0x40);
    ck_assert(!out_irq);
    gic_set_irq(gic, 41, false);
    wr(C + EOIR, 41);
    ck_assert_uint_eq(rd(C + RPR), 0xff);
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(C + IAR), 40);
    gic_set_irq(gic, 40, false);
    wr(C + EOIR, 40);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 0);
    /* EOI with nothing active, and of the spurious ID, are ignored */
    wr(C + EOIR, 1023);
    wr(C + EOIR, 40);
    ck_assert_uint_eq(rd(C + RPR), 0xff);
}
END_TEST

START_TEST(test_binary_point)
{
    enable_all();
    enable_irq(40, 0x80);
    enable_irq(41, 0x40);
    wr(C + BPR, 7); /* no group priority bits: nothing preempts */
    gic_set_irq(gic, 40, true);
    ck_assert_uint_eq(rd(C + IAR), 40);
    ck_assert_uint_eq(rd(C + RPR), 0);
    gic_set_irq(gic, 41, true);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    gic_set_irq(gic, 40, false);
    wr(C + EOIR, 40);
    ck_assert_uint_eq(rd(C + IAR), 41);
    wr(C + EOIR, 41);
    /* BPR 3: group priority bits [7:4] */
    wr(C + BPR, 3);
    enable_irq(42, 0x4f);
    gic_set_irq(gic, 41, false);
    gic_set_irq(gic, 42, true);
    ck_assert_uint_eq(rd(C + IAR), 42);
    ck_assert_uint_eq(rd(C + RPR), 0x40);
}
END_TEST

START_TEST(test_priority_mask)
{
    enable_all();
    wr(C + PMR, 0x80);
    enable_irq(40, 0x80);
    gic_set_irq(gic, 40, true);
    ck_assert(!out_irq); /* priority must be higher (lower value) than the mask */
    ck_assert_uint_eq(rd(C + HPPIR), 1023);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    wr(C + PMR, 0x81);
    ck_assert(out_irq);
    wr(C + PMR, 0);
    ck_assert(!out_irq);
    /* and with the distributor or the CPU interface disabled, nothing is signalled */
    wr(C + PMR, 0xff);
    ck_assert(out_irq);
    wr(D + CTLR, 0);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    wr(D + CTLR, 1);
    wr(C + C_CTLR, 0);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    wr(C + C_CTLR, 1);
    ck_assert(out_irq);
}
END_TEST

START_TEST(test_enable_while_pending)
{
    enable_all();
    wr_sz(D + IPRIORITYR + 50, 1, 0x10);
    gic_set_irq(gic, 50, true);
    ck_assert(!out_irq); /* disabled: pending but not signalled */
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 18);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    wr(D + ISENABLER + 4, 1u << 18);
    ck_assert(out_irq);
    wr(D + ICENABLER + 4, 1u << 18);
    ck_assert(!out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR + 4), 1u << 18);
    wr(D + ISENABLER + 4, 1u << 18);
    ck_assert(out_irq);
    /* disabling an active interrupt does not end it */
    ck_assert_uint_eq(rd(C + IAR), 50);
    wr(D + ICENABLER + 4, 1u << 18);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 18);
    wr(C + EOIR, 50);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 0);
    ck_assert(!out_irq);
}
END_TEST

START_TEST(test_sgis)
{
    enable_all();
    wr_sz(D + IPRIORITYR + 5, 1, 0x40);
    wr(D + SGIR, (2u << 24) | 5); /* to self */
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(D + ISPENDR), 1u << 5);
    ck_assert_uint_eq(rd(D + SPENDSGIR + 4), 0x100); /* SGI 5 from CPU 0 */
    ck_assert_uint_eq(rd(C + HPPIR), 5);
    ck_assert_uint_eq(rd(C + IAR), 5); /* source CPU 0 in bits [12:10] */
    ck_assert_uint_eq(rd(D + ISPENDR), 0);
    ck_assert_uint_eq(rd(D + SPENDSGIR + 4), 0);
    ck_assert_uint_eq(rd(D + ISACTIVER), 1u << 5);
    wr(C + EOIR, 5);
    ck_assert_uint_eq(rd(D + ISACTIVER), 0);
    /* target list with CPU 0 */
    wr(D + SGIR, (0u << 24) | (1u << 16) | 3);
    ck_assert_uint_eq(rd(D + ISPENDR), 1u << 3);
    /* all but self: nothing; target list without CPU 0: nothing */
    wr(D + SGIR, (1u << 24) | 4);
    wr(D + SGIR, (0u << 24) | (2u << 16) | 7);
    ck_assert_uint_eq(rd(D + ISPENDR), 1u << 3);
    /* reserved filter 3: all CPUs, as QEMU */
    wr(D + SGIR, (3u << 24) | 6);
    ck_assert_uint_eq(rd(D + ISPENDR), (1u << 3) | (1u << 6));
    /* SPENDSGIR/CPENDSGIR: zero bits change nothing */
    wr(D + SPENDSGIR, 0x01);
    ck_assert_uint_eq(rd(D + ISPENDR), (1u << 0) | (1u << 3) | (1u << 6));
    ck_assert_uint_eq(rd(D + CPENDSGIR), 0x01000001);
    wr(D + CPENDSGIR, 0xff);
    ck_assert_uint_eq(rd(D + ISPENDR), (1u << 3) | (1u << 6));
    wr_sz(D + CPENDSGIR + 6, 1, 0x01);
    ck_assert_uint_eq(rd(D + ISPENDR), 1u << 3);
    /* SGIs are edge-triggered: acknowledging clears the pending state */
    ck_assert_uint_eq(rd(C + IAR), 3);
    ck_assert_uint_eq(rd(C + IAR), 1023);
    wr(C + EOIR, 3);
    ck_assert(!out_irq);
}
END_TEST

START_TEST(test_eoimode_split)
{
    enable_all();
    wr(C + C_CTLR, 1 | (1u << 9)); /* EOImodeS */
    enable_irq(40, 0x80);
    enable_irq(41, 0x40);
    gic_set_irq(gic, 40, true);
    ck_assert_uint_eq(rd(C + IAR), 40);
    wr(C + EOIR, 40); /* priority drop only */
    ck_assert_uint_eq(rd(C + RPR), 0xff);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 8);
    ck_assert(!out_irq); /* still active: not signalled again */
    gic_set_irq(gic, 41, true); /* other interrupts can now be taken */
    ck_assert(out_irq);
    ck_assert_uint_eq(rd(C + IAR), 41);
    wr(C + EOIR, 41);
    wr(C + DIR, 41);
    wr(C + DIR, 40);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 0);
    ck_assert(out_irq); /* 40 and 41 inputs still high */
    /* without EOImode, DIR is ignored */
    wr(C + C_CTLR, 1);
    ck_assert_uint_eq(rd(C + IAR), 41);
    wr(C + DIR, 41);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 9);
}
END_TEST

START_TEST(test_groups_and_fiq)
{
    enable_all();
    wr(D + CTLR, 3);
    wr(C + C_CTLR, 3 | (1u << 3)); /* both groups, FIQEn */
    enable_irq(40, 0x80);
    gic_set_irq(gic, 40, true);
    ck_assert(out_fiq && !out_irq); /* Group 0 with FIQEn: FIQ */
    ck_assert(gic_fiq_line(gic));
    wr(D + IGROUPR + 4, 1u << 8); /* Group 1: IRQ */
    ck_assert(!out_fiq && out_irq);
    /* Group 1 through GICC_IAR without AckCtl: 1022 */
    ck_assert_uint_eq(rd(C + HPPIR), 1022);
    ck_assert_uint_eq(rd(C + IAR), 1022);
    ck_assert_uint_eq(rd(C + AHPPIR), 40);
    ck_assert_uint_eq(rd(C + AIAR), 40);
    ck_assert_uint_eq(rd(C + NSAPR0 + 8), 1); /* Group 1 active priority */
    wr(C + AEOIR, 40);
    ck_assert_uint_eq(rd(C + NSAPR0 + 8), 0);
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 0);
    /* with AckCtl, GICC_IAR acknowledges Group 1 too */
    wr(C + C_CTLR, 3 | (1u << 2));
    ck_assert_uint_eq(rd(C + IAR), 40);
    wr(C + EOIR, 40);
    /* the aliases hide Group 0; Group 1 disabled in the distributor: no signal */
    wr(D + IGROUPR + 4, 0);
    ck_assert_uint_eq(rd(C + AHPPIR), 1023);
    ck_assert_uint_eq(rd(C + AIAR), 1023);
    ck_assert_uint_eq(rd(C + IAR), 40);
    wr(C + AEOIR, 40); /* a Group 0 interrupt through AEOIR: ignored */
    ck_assert_uint_eq(rd(D + ISACTIVER + 4), 1u << 8);
    wr(C + EOIR, 40);
    wr(D + IGROUPR + 4, 1u << 8);
    wr(D + CTLR, 1);
    ck_assert(!out_irq && !out_fiq);
    /* Group 1 uses ABPR - 1 as its binary point (CBPR clear) */
    wr(D + CTLR, 3);
    wr(C + ABPR, 4); /* group priority bits [7:4] */
    wr_sz(D + IPRIORITYR + 40, 1, 0x8f);
    ck_assert_uint_eq(rd(C + IAR), 40);
    ck_assert_uint_eq(rd(C + RPR), 0x80);
}
END_TEST

START_TEST(test_output_callback_and_reset)
{
    enable_all();
    enable_irq(40, 0x80);
    gic_set_irq(gic, 40, true);
    ck_assert_int_eq(out_calls, 1);
    wr(D + ISENABLER + 4, 1u << 8); /* no change: no call */
    ck_assert_int_eq(out_calls, 1);
    gic_reset(gic); /* everything disabled: the line drops */
    ck_assert_int_eq(out_calls, 2);
    ck_assert(!out_irq);
    /* the input level survives the reset (it belongs to the device) */
    enable_all();
    enable_irq(40, 0x80);
    ck_assert(out_irq);
    gic_set_output(gic, NULL, NULL);
    gic_set_irq(gic, 40, false);
    ck_assert(!gic_irq_line(gic));
    ck_assert_int_eq(out_calls, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gic");
    TCase *tc = tcase_create("gicv2");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_window_limits);
    tcase_add_test(tc, test_write_masks);
    tcase_add_test(tc, test_level_spi);
    tcase_add_test(tc, test_edge_spi);
    tcase_add_test(tc, test_ppi_level);
    tcase_add_test(tc, test_priority_and_preemption);
    tcase_add_test(tc, test_binary_point);
    tcase_add_test(tc, test_priority_mask);
    tcase_add_test(tc, test_enable_while_pending);
    tcase_add_test(tc, test_sgis);
    tcase_add_test(tc, test_eoimode_split);
    tcase_add_test(tc, test_groups_and_fiq);
    tcase_add_test(tc, test_output_callback_and_reset);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
