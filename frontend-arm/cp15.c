/*
 * Coprocessor registers: CP15 (system control, ARM ARM B4.1 and the Cortex-A15 TRM
 * chapter 4) and the few CP14 debug identification registers. Identification values are
 * those of QEMU's cortex-a15 model, so guests see the same CPU on both.
 * Anything not listed is UNDEFINED (caller raises the undefined-instruction exception).
 */
#include "frontend-arm/frontend-arm.h"

#include <stddef.h>

#define A15_MIDR 0x414fc0f0u /* r4p0 */

enum { RO = 1, RW = 2, USER_R = 4, USER_W = 8, WO = 16 };

typedef struct CpReg {
    uint8_t cp, opc1, crn, crm, opc2;
    uint8_t access;
    uint32_t value;         /* constant value for read-only registers without a field */
    size_t field;           /* offsetof into ArmCp15, or SIZE_MAX */
    uint32_t write_mask;    /* bits a write may change */
} CpReg;

#define F(name) offsetof(ArmCp15, name)
#define NOFIELD SIZE_MAX

static const CpReg cp_regs[] = {
    /* c0: identification (B4.1.105 MIDR ...). */
    { 15, 0, 0, 0, 0, RO, A15_MIDR, NOFIELD, 0 },
    { 15, 0, 0, 0, 1, RO, 0x8444c004u, NOFIELD, 0 },  /* CTR */
    { 15, 0, 0, 0, 2, RO, 0, NOFIELD, 0 },            /* TCMTR */
    { 15, 0, 0, 0, 3, RO, 0, NOFIELD, 0 },            /* TLBTR */
    { 15, 0, 0, 0, 4, RO, A15_MIDR, NOFIELD, 0 },     /* MIDR alias */
    { 15, 0, 0, 0, 5, RO, 0x80000000u, NOFIELD, 0 },  /* MPIDR: CPU 0, multiprocessor format */
    { 15, 0, 0, 0, 6, RO, 0, NOFIELD, 0 },            /* REVIDR */
    { 15, 0, 0, 0, 7, RO, A15_MIDR, NOFIELD, 0 },     /* MIDR alias */
    { 15, 0, 0, 1, 0, RO, 0x00001131u, NOFIELD, 0 },  /* ID_PFR0 */
    { 15, 0, 0, 1, 1, RO, 0x00010001u, NOFIELD, 0 },  /* ID_PFR1: no Security/Virtualization exposed */
    { 15, 0, 0, 1, 2, RO, 0x02010505u, NOFIELD, 0 },  /* ID_DFR0 */
    { 15, 0, 0, 1, 3, RO, 0, NOFIELD, 0 },            /* ID_AFR0 */
    { 15, 0, 0, 1, 4, RO, 0x10201105u, NOFIELD, 0 },  /* ID_MMFR0 */
    { 15, 0, 0, 1, 5, RO, 0x20000000u, NOFIELD, 0 },  /* ID_MMFR1 */
    { 15, 0, 0, 1, 6, RO, 0x01240000u, NOFIELD, 0 },  /* ID_MMFR2 */
    { 15, 0, 0, 1, 7, RO, 0x02102211u, NOFIELD, 0 },  /* ID_MMFR3 */
    { 15, 0, 0, 2, 0, RO, 0x02101110u, NOFIELD, 0 },  /* ID_ISAR0 */
    { 15, 0, 0, 2, 1, RO, 0x13112111u, NOFIELD, 0 },  /* ID_ISAR1 */
    { 15, 0, 0, 2, 2, RO, 0x21232041u, NOFIELD, 0 },  /* ID_ISAR2 */
    { 15, 0, 0, 2, 3, RO, 0x11112131u, NOFIELD, 0 },  /* ID_ISAR3 */
    { 15, 0, 0, 2, 4, RO, 0x10011142u, NOFIELD, 0 },  /* ID_ISAR4 */
    { 15, 0, 0, 2, 5, RO, 0, NOFIELD, 0 },            /* ID_ISAR5 */
    { 15, 1, 0, 0, 1, RO, 0x0a200023u, NOFIELD, 0 },  /* CLIDR */
    { 15, 1, 0, 0, 7, RO, 0, NOFIELD, 0 },            /* AIDR */
    { 15, 2, 0, 0, 0, RW, 0, F(csselr), 0xf },        /* CSSELR */
    /* c1: system control. */
    { 15, 0, 1, 0, 0, RW, 0, F(sctlr), 0xffffffffu }, /* SCTLR (B4.1.130) */
    { 15, 0, 1, 0, 1, RW, 0, F(actlr), 0xffffffffu }, /* ACTLR */
    { 15, 0, 1, 0, 2, RW, 0, F(cpacr), 0xc0f00000u }, /* CPACR: cp10/11 access, ASEDIS, D32DIS */
    /* c2, c3: translation table control. */
    { 15, 0, 2, 0, 0, RW, 0, F(ttbr0_lo), 0xffffffffu },
    { 15, 0, 2, 0, 1, RW, 0, F(ttbr1_lo), 0xffffffffu },
    { 15, 0, 2, 0, 2, RW, 0, F(ttbcr), 0x80000037u | 0x3f3f0000u },
    { 15, 0, 3, 0, 0, RW, 0, F(dacr), 0xffffffffu },
    /* c5, c6: fault status and address. */
    { 15, 0, 5, 0, 0, RW, 0, F(dfsr), 0xffffffffu },
    { 15, 0, 5, 0, 1, RW, 0, F(ifsr), 0xffffffffu },
    { 15, 0, 5, 1, 0, RW, 0, F(adfsr), 0xffffffffu },
    { 15, 0, 5, 1, 1, RW, 0, F(aifsr), 0xffffffffu },
    { 15, 0, 6, 0, 0, RW, 0, F(dfar), 0xffffffffu },
    { 15, 0, 6, 0, 2, RW, 0, F(ifar), 0xffffffffu },
    /* c7: PAR, cache maintenance (accepted; no caches are modelled), CP15 barriers. */
    { 15, 0, 7, 4, 0, RW, 0, F(par_lo), 0xffffffffu },
    { 15, 0, 7, 0, 4, WO, 0, NOFIELD, 0 },            /* CP15WFI: treated as a NOP here */
    { 15, 0, 7, 1, 0, WO, 0, NOFIELD, 0 },            /* ICIALLUIS */
    { 15, 0, 7, 1, 6, WO, 0, NOFIELD, 0 },            /* BPIALLIS */
    { 15, 0, 7, 5, 0, WO, 0, NOFIELD, 0 },            /* ICIALLU */
    { 15, 0, 7, 5, 1, WO, 0, NOFIELD, 0 },            /* ICIMVAU */
    { 15, 0, 7, 5, 4, WO | USER_W, 0, NOFIELD, 0 },   /* CP15ISB */
    { 15, 0, 7, 5, 6, WO, 0, NOFIELD, 0 },            /* BPIALL */
    { 15, 0, 7, 5, 7, WO, 0, NOFIELD, 0 },            /* BPIMVA */
    { 15, 0, 7, 6, 1, WO, 0, NOFIELD, 0 },            /* DCIMVAC */
    { 15, 0, 7, 6, 2, WO, 0, NOFIELD, 0 },            /* DCISW */
    { 15, 0, 7, 10, 1, WO, 0, NOFIELD, 0 },           /* DCCMVAC */
    { 15, 0, 7, 10, 2, WO, 0, NOFIELD, 0 },           /* DCCSW */
    { 15, 0, 7, 10, 4, WO | USER_W, 0, NOFIELD, 0 },  /* CP15DSB */
    { 15, 0, 7, 10, 5, WO | USER_W, 0, NOFIELD, 0 },  /* CP15DMB */
    { 15, 0, 7, 11, 1, WO, 0, NOFIELD, 0 },           /* DCCMVAU */
    { 15, 0, 7, 14, 1, WO, 0, NOFIELD, 0 },           /* DCCIMVAC */
    { 15, 0, 7, 14, 2, WO, 0, NOFIELD, 0 },           /* DCCISW */
    /* c8: TLB maintenance (no TLB yet: accepted). */
    { 15, 0, 8, 3, 0, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 3, 1, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 3, 2, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 3, 3, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 5, 0, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 5, 1, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 5, 2, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 6, 0, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 6, 1, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 6, 2, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 7, 0, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 7, 1, WO, 0, NOFIELD, 0 },
    { 15, 0, 8, 7, 2, WO, 0, NOFIELD, 0 }, { 15, 0, 8, 7, 3, WO, 0, NOFIELD, 0 },
    /* c10: memory attributes. */
    { 15, 0, 10, 2, 0, RW, 0, F(prrr), 0xffffffffu },
    { 15, 0, 10, 2, 1, RW, 0, F(nmrr), 0xffffffffu },
    /* c12: VBAR (B4.1.156), bits [4:0] are zero. */
    { 15, 0, 12, 0, 0, RW, 0, F(vbar), 0xffffffe0u },
    /* c13: process and thread IDs. FCSE is not implemented: RAZ/WI. */
    { 15, 0, 13, 0, 0, RW, 0, F(fcseidr), 0 },
    { 15, 0, 13, 0, 1, RW, 0, F(contextidr), 0xffffffffu },
    { 15, 0, 13, 0, 2, RW | USER_R | USER_W, 0, F(tpidrurw), 0xffffffffu },
    { 15, 0, 13, 0, 3, RW | USER_R, 0, F(tpidruro), 0xffffffffu },
    { 15, 0, 13, 0, 4, RW, 0, F(tpidrprw), 0xffffffffu },
    /* c14: generic timer frequency (the timer itself comes with the GIC work). */
    { 15, 0, 14, 0, 0, RW | USER_R, 0, F(cntfrq), 0xffffffffu },
    { 15, 0, 14, 1, 0, RW, 0, F(cntkctl), 0x3ffu },
    /* CP14 debug identification (ARM ARM C11.11). */
    { 14, 0, 0, 0, 0, RO | USER_R, 0x3515f021u, NOFIELD, 0 }, /* DBGDIDR */
    { 14, 0, 1, 0, 0, RO | USER_R, 0, NOFIELD, 0 },            /* DBGDRAR */
    { 14, 0, 2, 0, 0, RO | USER_R, 0, NOFIELD, 0 },            /* DBGDSAR */
    { 14, 0, 0, 1, 0, RO | USER_R, 0, NOFIELD, 0 },            /* DBGDSCRint */
    { 14, 0, 1, 1, 4, RO, 0x0000000au, NOFIELD, 0 },           /* DBGOSLSR: OS lock implemented, unlocked */
};

static uint32_t *field_ptr(ArmCpu *cpu, const CpReg *r)
{
    return (uint32_t *)((char *)&cpu->cp15 + r->field);
}

/* CCSIDR depends on CSSELR (Cortex-A15: 32 KiB L1 I and D, 2 MiB L2, QEMU's values). */
static uint32_t read_ccsidr(const ArmCpu *cpu)
{
    switch (cpu->cp15.csselr & 0xf) {
    case 0: return 0x701fe00au;
    case 1: return 0x201fe00au;
    case 2: return 0x711fe07au;
    default: return 0;
    }
}

bool arm_cp_access(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crn, unsigned crm,
                   unsigned opc2, bool read, uint32_t *value)
{
    bool user = !arm_cpu_privileged(cpu);
    if (cp == 15 && opc1 == 1 && crn == 0 && crm == 0 && opc2 == 0) {
        if (!read || user)
            return false;
        *value = read_ccsidr(cpu);
        return true;
    }
    for (size_t k = 0; k < sizeof(cp_regs) / sizeof(cp_regs[0]); k++) {
        const CpReg *r = &cp_regs[k];
        if (r->cp != cp || r->opc1 != opc1 || r->crn != crn || r->crm != crm || r->opc2 != opc2)
            continue;
        if (read) {
            if ((r->access & WO) || (user && !(r->access & USER_R)))
                return false;
            *value = r->field == NOFIELD ? r->value : *field_ptr(cpu, r);
        } else {
            if ((r->access & RO) || (user && !(r->access & USER_W)))
                return false;
            if (r->field != NOFIELD) {
                uint32_t *p = field_ptr(cpu, r);
                *p = (*p & ~r->write_mask) | (*value & r->write_mask);
            }
        }
        return true;
    }
    return false;
}

/* 64-bit registers (MCRR/MRRC, ARM ARM B4.1): TTBR0/1 in their LPAE form, PAR, and the
 * generic timer counters. The counters advance with the guest instruction count, which
 * keeps runs deterministic until the real timer arrives. */
bool arm_cp_access64(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crm, bool read,
                     uint64_t *value)
{
    bool user = !arm_cpu_privileged(cpu);
    if (cp != 15)
        return false;
    ArmCp15 *c = &cpu->cp15;
    if (crm == 14 && (opc1 == 0 || opc1 == 1)) { /* CNTPCT, CNTVCT */
        if (!read)
            return false;
        if (user && !(c->cntkctl & (opc1 == 0 ? 1u : 2u)))
            return false;
        *value = cpu->icount;
        return true;
    }
    if (user)
        return false;
    uint32_t *lo, *hi;
    if (crm == 2 && opc1 == 0) {
        lo = &c->ttbr0_lo; hi = &c->ttbr0_hi;
    } else if (crm == 2 && opc1 == 1) {
        lo = &c->ttbr1_lo; hi = &c->ttbr1_hi;
    } else if (crm == 7 && opc1 == 0) {
        lo = &c->par_lo; hi = &c->par_hi;
    } else {
        return false;
    }
    if (read) {
        *value = ((uint64_t)*hi << 32) | *lo;
    } else {
        *lo = (uint32_t)*value;
        *hi = (uint32_t)(*value >> 32) & 0x00ff00ffu; /* ASID[55:48], BADDR[39:32] */
    }
    return true;
}
