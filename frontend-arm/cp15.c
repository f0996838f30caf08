/*
 * Coprocessor registers: CP15 (system control, ARM ARM B4.1 and the Cortex-A15 TRM
 * chapter 4) and the few CP14 debug identification registers. Identification values are
 * those of QEMU's cortex-a15 model, so guests see the same CPU on both.
 * Anything not listed is UNDEFINED (caller raises the undefined-instruction exception).
 * The MMU's registers have side effects (the op column): writes that change translation
 * and the TLB maintenance operations flush the soft TLB and tell the translator
 * (arm_tlb_changed); the address translation operations walk the tables into PAR.
 */
#include "frontend-arm/frontend-arm.h"

#include <stddef.h>

#define A15_MIDR 0x414fc0f0u /* r4p0 */

enum { RO = 1, RW = 2, USER_R = 4, USER_W = 8, WO = 16 };

/* What a write does besides storing the field. */
typedef enum CpOp {
    OP_NONE,
    OP_REGIME,    /* changes the translation regime: flush the TLB if the value changed */
    OP_SCTLR,     /* the same, if a bit in SCTLR_TRANSLATION changed */
    OP_TTBR,      /* TTBR0/1 (32-bit form): flush the data soft TLB only, see ttbr_changed */
    OP_CONTEXTIDR,/* CONTEXTIDR: a new ASID (short format) is a context switch */
    OP_TTBCR,     /* write mask by format (EAE), then as OP_REGIME */
    OP_ATS,       /* address translation operation: opc2 selects PL1/PL0, read/write */
    OP_TLBI_ALL,  /* TLB maintenance (B4.2.3): TLBIALL(IS), ITLBIALL, DTLBIALL */
    OP_TLBI_MVA,  /* TLBIMVA(IS), ITLBIMVA, DTLBIMVA: MVA[31:12], ASID[7:0] */
    OP_TLBI_ASID, /* TLBIASID(IS), ITLBIASID, DTLBIASID: ASID[7:0] */
    OP_TLBI_MVAA, /* TLBIMVAA(IS): MVA[31:12], all ASIDs */
} CpOp;

typedef struct CpReg {
    uint8_t cp, opc1, crn, crm, opc2;
    uint8_t access;
    uint32_t value;         /* constant value for read-only registers without a field */
    size_t field;           /* offsetof into ArmCp15, or SIZE_MAX */
    uint32_t write_mask;    /* bits a write may change */
    uint8_t op;             /* CpOp */
} CpReg;

#define F(name) offsetof(ArmCp15, name)
#define NOFIELD SIZE_MAX

static const CpReg cp_regs[] = {
    /* c0: identification (B4.1.105 MIDR ...). */
    { 15, 0, 0, 0, 0, RO, A15_MIDR, NOFIELD, 0, OP_NONE },
    { 15, 0, 0, 0, 1, RO, 0x8444c004u, NOFIELD, 0, OP_NONE },  /* CTR */
    { 15, 0, 0, 0, 2, RO, 0, NOFIELD, 0, OP_NONE },            /* TCMTR */
    { 15, 0, 0, 0, 3, RO, 0, NOFIELD, 0, OP_NONE },            /* TLBTR */
    { 15, 0, 0, 0, 4, RO, A15_MIDR, NOFIELD, 0, OP_NONE },     /* MIDR alias */
    { 15, 0, 0, 0, 5, RO, 0x80000000u, NOFIELD, 0, OP_NONE },  /* MPIDR: CPU 0, multiprocessor format */
    { 15, 0, 0, 0, 6, RO, 0, NOFIELD, 0, OP_NONE },            /* REVIDR */
    { 15, 0, 0, 0, 7, RO, A15_MIDR, NOFIELD, 0, OP_NONE },     /* MIDR alias */
    { 15, 0, 0, 1, 0, RO, 0x00001131u, NOFIELD, 0, OP_NONE },  /* ID_PFR0 */
    { 15, 0, 0, 1, 1, RO, 0x00010001u, NOFIELD, 0, OP_NONE },  /* ID_PFR1: no Security/Virtualization exposed */
    { 15, 0, 0, 1, 2, RO, 0x02010505u, NOFIELD, 0, OP_NONE },  /* ID_DFR0 */
    { 15, 0, 0, 1, 3, RO, 0, NOFIELD, 0, OP_NONE },            /* ID_AFR0 */
    { 15, 0, 0, 1, 4, RO, 0x10201105u, NOFIELD, 0, OP_NONE },  /* ID_MMFR0 */
    { 15, 0, 0, 1, 5, RO, 0x20000000u, NOFIELD, 0, OP_NONE },  /* ID_MMFR1 */
    { 15, 0, 0, 1, 6, RO, 0x01240000u, NOFIELD, 0, OP_NONE },  /* ID_MMFR2 */
    { 15, 0, 0, 1, 7, RO, 0x02102211u, NOFIELD, 0, OP_NONE },  /* ID_MMFR3 */
    { 15, 0, 0, 2, 0, RO, 0x02101110u, NOFIELD, 0, OP_NONE },  /* ID_ISAR0 */
    { 15, 0, 0, 2, 1, RO, 0x13112111u, NOFIELD, 0, OP_NONE },  /* ID_ISAR1 */
    { 15, 0, 0, 2, 2, RO, 0x21232041u, NOFIELD, 0, OP_NONE },  /* ID_ISAR2 */
    { 15, 0, 0, 2, 3, RO, 0x11112131u, NOFIELD, 0, OP_NONE },  /* ID_ISAR3 */
    { 15, 0, 0, 2, 4, RO, 0x10011142u, NOFIELD, 0, OP_NONE },  /* ID_ISAR4 */
    { 15, 0, 0, 2, 5, RO, 0, NOFIELD, 0, OP_NONE },            /* ID_ISAR5 */
    { 15, 1, 0, 0, 1, RO, 0x0a200023u, NOFIELD, 0, OP_NONE },  /* CLIDR */
    { 15, 1, 0, 0, 7, RO, 0, NOFIELD, 0, OP_NONE },            /* AIDR */
    { 15, 2, 0, 0, 0, RW, 0, F(csselr), 0xf, OP_NONE },        /* CSSELR */
    /* c1: system control. */
    { 15, 0, 1, 0, 0, RW, 0, F(sctlr), SCTLR_WRITABLE, OP_SCTLR }, /* SCTLR (B4.1.130) */
    { 15, 0, 1, 0, 1, RW, 0, F(actlr), 0xffffffffu, OP_NONE }, /* ACTLR */
    { 15, 0, 1, 0, 2, RW, 0, F(cpacr), 0xc0f00000u, OP_NONE }, /* CPACR: cp10/11 access, ASEDIS, D32DIS */
    /* c2, c3: translation table control (B4.1.154 TTBR0, B4.1.155 TTBR1, B4.1.153 TTBCR,
     * B4.1.43 DACR). The 32-bit TTBR forms leave bits [63:32] alone. */
    { 15, 0, 2, 0, 0, RW, 0, F(ttbr0_lo), 0xffffffffu, OP_TTBR },
    { 15, 0, 2, 0, 1, RW, 0, F(ttbr1_lo), 0xffffffffu, OP_TTBR },
    { 15, 0, 2, 0, 2, RW, 0, F(ttbcr), 0, OP_TTBCR },
    { 15, 0, 3, 0, 0, RW, 0, F(dacr), 0xffffffffu, OP_REGIME },
    /* c5, c6: fault status (B4.1.52 DFSR, B4.1.96 IFSR) and address. The UNK/SBZP bits of
     * DFSR/IFSR keep what is written, as in QEMU (guests compare both). */
    { 15, 0, 5, 0, 0, RW, 0, F(dfsr), 0xffffffffu, OP_NONE },
    { 15, 0, 5, 0, 1, RW, 0, F(ifsr), 0xffffffffu, OP_NONE },
    { 15, 0, 5, 1, 0, RW, 0, F(adfsr), 0xffffffffu, OP_NONE },
    { 15, 0, 5, 1, 1, RW, 0, F(aifsr), 0xffffffffu, OP_NONE },
    { 15, 0, 6, 0, 0, RW, 0, F(dfar), 0xffffffffu, OP_NONE },
    { 15, 0, 6, 0, 2, RW, 0, F(ifar), 0xffffffffu, OP_NONE },
    /* c7: PAR (B4.1.112), address translation (B4.2.6: ATS1CPR/CPW/CUR/CUW, and the
     * ATS12NSO* forms, the same here without Security and Virtualization Extensions),
     * cache maintenance (accepted; no caches are modelled), CP15 barriers. */
    { 15, 0, 7, 4, 0, RW, 0, F(par_lo), 0xffffffffu, OP_NONE },
    { 15, 0, 7, 8, 0, WO, 0, NOFIELD, 0, OP_ATS }, { 15, 0, 7, 8, 1, WO, 0, NOFIELD, 0, OP_ATS },
    { 15, 0, 7, 8, 2, WO, 0, NOFIELD, 0, OP_ATS }, { 15, 0, 7, 8, 3, WO, 0, NOFIELD, 0, OP_ATS },
    { 15, 0, 7, 8, 4, WO, 0, NOFIELD, 0, OP_ATS }, { 15, 0, 7, 8, 5, WO, 0, NOFIELD, 0, OP_ATS },
    { 15, 0, 7, 8, 6, WO, 0, NOFIELD, 0, OP_ATS }, { 15, 0, 7, 8, 7, WO, 0, NOFIELD, 0, OP_ATS },
    { 15, 0, 7, 0, 4, WO, 0, NOFIELD, 0, OP_NONE },            /* CP15WFI: treated as a NOP here */
    { 15, 0, 7, 1, 0, WO, 0, NOFIELD, 0, OP_NONE },            /* ICIALLUIS */
    { 15, 0, 7, 1, 6, WO, 0, NOFIELD, 0, OP_NONE },            /* BPIALLIS */
    { 15, 0, 7, 5, 0, WO, 0, NOFIELD, 0, OP_NONE },            /* ICIALLU */
    { 15, 0, 7, 5, 1, WO, 0, NOFIELD, 0, OP_NONE },            /* ICIMVAU */
    { 15, 0, 7, 5, 4, WO | USER_W, 0, NOFIELD, 0, OP_NONE },   /* CP15ISB */
    { 15, 0, 7, 5, 6, WO, 0, NOFIELD, 0, OP_NONE },            /* BPIALL */
    { 15, 0, 7, 5, 7, WO, 0, NOFIELD, 0, OP_NONE },            /* BPIMVA */
    { 15, 0, 7, 6, 1, WO, 0, NOFIELD, 0, OP_NONE },            /* DCIMVAC */
    { 15, 0, 7, 6, 2, WO, 0, NOFIELD, 0, OP_NONE },            /* DCISW */
    { 15, 0, 7, 10, 1, WO, 0, NOFIELD, 0, OP_NONE },           /* DCCMVAC */
    { 15, 0, 7, 10, 2, WO, 0, NOFIELD, 0, OP_NONE },           /* DCCSW */
    { 15, 0, 7, 10, 4, WO | USER_W, 0, NOFIELD, 0, OP_NONE },  /* CP15DSB */
    { 15, 0, 7, 10, 5, WO | USER_W, 0, NOFIELD, 0, OP_NONE },  /* CP15DMB */
    { 15, 0, 7, 11, 1, WO, 0, NOFIELD, 0, OP_NONE },           /* DCCMVAU */
    { 15, 0, 7, 14, 1, WO, 0, NOFIELD, 0, OP_NONE },           /* DCCIMVAC */
    { 15, 0, 7, 14, 2, WO, 0, NOFIELD, 0, OP_NONE },           /* DCCISW */
    /* c8: TLB maintenance (B4.2.3): c3 inner shareable, c5 instruction, c6 data, c7 unified;
     * opc2 0 all, 1 by MVA, 2 by ASID, 3 by MVA for all ASIDs. */
    { 15, 0, 8, 3, 0, WO, 0, NOFIELD, 0, OP_TLBI_ALL },  /* TLBIALLIS */
    { 15, 0, 8, 3, 1, WO, 0, NOFIELD, 0, OP_TLBI_MVA },  /* TLBIMVAIS */
    { 15, 0, 8, 3, 2, WO, 0, NOFIELD, 0, OP_TLBI_ASID }, /* TLBIASIDIS */
    { 15, 0, 8, 3, 3, WO, 0, NOFIELD, 0, OP_TLBI_MVAA }, /* TLBIMVAAIS */
    { 15, 0, 8, 5, 0, WO, 0, NOFIELD, 0, OP_TLBI_ALL },  /* ITLBIALL */
    { 15, 0, 8, 5, 1, WO, 0, NOFIELD, 0, OP_TLBI_MVA },  /* ITLBIMVA */
    { 15, 0, 8, 5, 2, WO, 0, NOFIELD, 0, OP_TLBI_ASID }, /* ITLBIASID */
    { 15, 0, 8, 6, 0, WO, 0, NOFIELD, 0, OP_TLBI_ALL },  /* DTLBIALL */
    { 15, 0, 8, 6, 1, WO, 0, NOFIELD, 0, OP_TLBI_MVA },  /* DTLBIMVA */
    { 15, 0, 8, 6, 2, WO, 0, NOFIELD, 0, OP_TLBI_ASID }, /* DTLBIASID */
    { 15, 0, 8, 7, 0, WO, 0, NOFIELD, 0, OP_TLBI_ALL },  /* TLBIALL */
    { 15, 0, 8, 7, 1, WO, 0, NOFIELD, 0, OP_TLBI_MVA },  /* TLBIMVA */
    { 15, 0, 8, 7, 2, WO, 0, NOFIELD, 0, OP_TLBI_ASID }, /* TLBIASID */
    { 15, 0, 8, 7, 3, WO, 0, NOFIELD, 0, OP_TLBI_MVAA }, /* TLBIMVAA */
    /* c10: memory attributes: PRRR/NMRR (B4.1.127, B4.1.111), MAIR0/MAIR1 with TTBCR.EAE
     * (B4.1.104). */
    { 15, 0, 10, 2, 0, RW, 0, F(prrr), 0xffffffffu, OP_REGIME },
    { 15, 0, 10, 2, 1, RW, 0, F(nmrr), 0xffffffffu, OP_REGIME },
    /* c12: VBAR (B4.1.156), bits [4:0] are zero. */
    { 15, 0, 12, 0, 0, RW, 0, F(vbar), 0xffffffe0u, OP_NONE },
    /* c13: process and thread IDs. FCSE is not implemented: RAZ/WI. */
    { 15, 0, 13, 0, 0, RW, 0, F(fcseidr), 0, OP_NONE },
    { 15, 0, 13, 0, 1, RW, 0, F(contextidr), 0xffffffffu, OP_CONTEXTIDR }, /* CONTEXTIDR: ASID */
    { 15, 0, 13, 0, 2, RW | USER_R | USER_W, 0, F(tpidrurw), 0xffffffffu, OP_NONE },
    { 15, 0, 13, 0, 3, RW | USER_R, 0, F(tpidruro), 0xffffffffu, OP_NONE },
    { 15, 0, 13, 0, 4, RW, 0, F(tpidrprw), 0xffffffffu, OP_NONE },
    /* c14: generic timer frequency (the timer itself comes with the GIC work). */
    { 15, 0, 14, 0, 0, RW | USER_R, 0, F(cntfrq), 0xffffffffu, OP_NONE },
    { 15, 0, 14, 1, 0, RW, 0, F(cntkctl), 0x3ffu, OP_NONE },
    /* CP14 debug identification (ARM ARM C11.11). */
    /* ThumbEE (ARM ARM A2.11, B4.1.162/163): ID_PFR0 says it is there, and Linux saves
     * TEEHBR on every context switch. The handler base is user-accessible unless
     * TEECR.XED (not enforced here: XED is a deprecated trap, QEMU 7.2 checks it). */
    { 14, 6, 0, 0, 0, RW, 0, F(teecr), 0x1u, OP_NONE },                 /* TEECR */
    { 14, 6, 1, 0, 0, RW | USER_R | USER_W, 0, F(teehbr), 0xfffffffcu, OP_NONE }, /* TEEHBR */
    { 14, 0, 0, 0, 0, RO | USER_R, 0x3515f021u, NOFIELD, 0, OP_NONE }, /* DBGDIDR */
    { 14, 0, 1, 0, 0, RO | USER_R, 0, NOFIELD, 0, OP_NONE },            /* DBGDRAR */
    { 14, 0, 2, 0, 0, RO | USER_R, 0, NOFIELD, 0, OP_NONE },            /* DBGDSAR */
    { 14, 0, 0, 1, 0, RO | USER_R, 0, NOFIELD, 0, OP_NONE },            /* DBGDSCRint */
    { 14, 0, 1, 1, 4, RO, 0x0000000au, NOFIELD, 0, OP_NONE },           /* DBGOSLSR: OS lock implemented, unlocked */
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

/* Reset values: Cortex-A15 TRM (SCTLR as QEMU's cortex-a15; PRRR/NMRR are the TRM's
 * IMPLEMENTATION DEFINED values; everything else resets to 0). */
void arm_cp15_reset(ArmCp15 *c)
{
    c->sctlr = 0x00c50078u;
    c->prrr = 0x00098aa4u;
    c->nmrr = 0x44e048e0u;
    c->cntfrq = 62500000; /* QEMU's generic timer frequency */
    c->tlb_large_lo = 0xffffffffu;
    c->tlb_large_hi = 0;
}

/* ARM ARM B4.1.153, TTBCR: the writable fields depend on the format the value selects.
 * Short: EAE, PD1, PD0, N. Long: EAE, bit 30 (IMPLEMENTATION DEFINED), SH1, ORGN1,
 * IRGN1, EPD1, A1, T1SZ, SH0, ORGN0, IRGN0, EPD0, T0SZ; bits 21:19, 15:14 and 6:3 are
 * UNK/SBZP (as QEMU). */
static uint32_t ttbcr_write_mask(uint32_t value)
{
    if (value & MMU_TTBCR_EAE)
        return 0xffc73f87u;
    return MMU_TTBCR_EAE | MMU_TTBCR_PD1 | MMU_TTBCR_PD0 | MMU_TTBCR_N;
}

static void regime_changed(ArmCpu *cpu)
{
    arm_tlb_changed(cpu, ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
}

/* A TTBR write that keeps the ASID: TLB entries stay valid until TLB maintenance (ARM
 * ARM B3.10.1), and guests rely on that to switch tables under running code (QEMU keeps
 * its TLB too). The data soft TLB drops its entries of non-global mappings all the same
 * (they are refilled on demand; the global ones, the kernel's, are the same in every
 * table); the instruction-side TLB is kept. A changed ASID (TTBRn[55:48]) is a full
 * change. */
static void ttbr_changed(ArmCpu *cpu, bool asid_changed)
{
    if (asid_changed) {
        regime_changed(cpu);
        return;
    }
    if (cpu->tlb_ng)
        arm_tlb_flush_data(cpu);
    if (cpu->env.tlb_changed_fn)
        cpu->env.tlb_changed_fn(cpu->env.tlb_changed_opaque, ARM_TLBCH_REGIME, 0, ARM_TLBCH_ANY_ASID);
}

/* ARM ARM B4.2.6, the ATS1C* operations (and ATS12NSO*, opc2 4-7, which are the same
 * stage 1 translation without the Virtualization Extensions): translate va as a PL1
 * (opc2 bit 1 clear) or PL0 read (bit 0 clear) or write, and put the result or the
 * fault in PAR, in the format of TTBCR.EAE. No abort is taken. */
static void address_translate(ArmCpu *cpu, unsigned opc2, uint32_t va)
{
    MmuRegs regs;
    MmuResult res;
    arm_mmu_regs(cpu, &regs);
    bool user = (opc2 & 2) != 0, write = (opc2 & 1) != 0;
    bool ok = mmu_translate(cpu->mem, &regs, va, write ? MMU_WRITE : MMU_READ, !user, &res);
    uint64_t par = mmu_par_encode(&regs, ok, &res);
    cpu->cp15.par_lo = (uint32_t)par;
    cpu->cp15.par_hi = (uint32_t)(par >> 32);
}

/* A write: the field under its mask, then what the register's op says. */
static void cp_write(ArmCpu *cpu, const CpReg *r, uint32_t value)
{
    switch (r->op) {
    case OP_ATS: address_translate(cpu, r->opc2, value); return;
    case OP_TLBI_ALL: arm_tlb_changed(cpu, ARM_TLBCH_ALL, 0, ARM_TLBCH_ANY_ASID); return;
    case OP_TLBI_MVA: arm_tlb_changed(cpu, ARM_TLBCH_MVA, value & ~0xfffu, value & 0xffu); return;
    case OP_TLBI_ASID: arm_tlb_changed(cpu, ARM_TLBCH_ASID, 0, value & 0xffu); return;
    case OP_TLBI_MVAA:
        arm_tlb_changed(cpu, ARM_TLBCH_MVA, value & ~0xfffu, ARM_TLBCH_ANY_ASID);
        return;
    default: break;
    }
    if (r->field == NOFIELD)
        return;
    uint32_t *p = field_ptr(cpu, r);
    uint32_t old = *p;
    if (r->op == OP_TTBCR) /* the fields of the other format read as 0 */
        *p = value & ttbcr_write_mask(value);
    else
        *p = (old & ~r->write_mask) | (value & r->write_mask);
    bool changed = r->op == OP_SCTLR ? ((old ^ *p) & SCTLR_TRANSLATION) != 0 : old != *p;
    if (changed && r->op == OP_TTBR)
        ttbr_changed(cpu, false);
    else if (r->op == OP_CONTEXTIDR) {
        /* ARM ARM B4.1.36: only the ASID field (short format) matters to translation;
         * the entries of global mappings stay valid (B3.9.3). */
        if (((old ^ *p) & 0xffu) && !(cpu->cp15.ttbcr & MMU_TTBCR_EAE))
            arm_tlb_changed(cpu, ARM_TLBCH_CONTEXT, 0, ARM_TLBCH_ANY_ASID);
    } else if (changed && r->op != OP_NONE)
        regime_changed(cpu);
}

bool arm_cp_access(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crn, unsigned crm,
                   unsigned opc2, bool read, uint32_t *value)
{
    bool user = !arm_cpu_privileged(cpu);
    if (cp == 15 && crn == 14 && cpu->env.gtimer_fn) { /* the generic timer (ARM ARM B8.2) */
        uint64_t v = *value;
        if (!cpu->env.gtimer_fn(cpu->env.gtimer_opaque, cpu, opc1, crm, opc2, false, read, &v))
            return false;
        if (read)
            *value = (uint32_t)v;
        return true;
    }
    if (cp == 15 && opc1 == 1 && crn == 0 && crm == 0 && opc2 == 0) {
        if (!read || user)
            return false;
        *value = read_ccsidr(cpu);
        return true;
    }
    /* The table is searched linearly; a direct-mapped cache of (encoding -> entry) makes
     * the registers a guest uses over and over (a context switch's TTBR0, CONTEXTIDR,
     * TLB maintenance) cost a few compares. */
    size_t n_regs = sizeof(cp_regs) / sizeof(cp_regs[0]);
    unsigned slot = (crn * 8u + crm * 5u + opc2 * 3u + opc1 * 11u + cp) & 63u;
    size_t hint = cpu->cp15.cp_cache[slot] ? cpu->cp15.cp_cache[slot] - 1u : 0;
    if (hint >= n_regs)
        hint = 0;
    for (size_t j = 0; j < n_regs; j++) {
        size_t k = j == 0 ? hint : (j <= hint ? j - 1 : j);
        const CpReg *r = &cp_regs[k];
        if (r->cp != cp || r->opc1 != opc1 || r->crn != crn || r->crm != crm || r->opc2 != opc2)
            continue;
        cpu->cp15.cp_cache[slot] = (uint16_t)(k + 1);
        if (read) {
            if ((r->access & WO) || (user && !(r->access & USER_R)))
                return false;
            *value = r->field == NOFIELD ? r->value : *field_ptr(cpu, r);
        } else {
            if ((r->access & RO) || (user && !(r->access & USER_W)))
                return false;
            cp_write(cpu, r, *value);
        }
        return true;
    }
    return false;
}

/* 64-bit registers (MCRR/MRRC, ARM ARM B4.1): TTBR0/1 in their LPAE form (B4.1.154:
 * ASID in bits 55:48, BADDR up to bit 39), PAR (B4.1.112: ATTR in bits 63:56, PA up to
 * bit 39), and the generic timer counters. The counters advance with the guest
 * instruction count, which keeps runs deterministic until the real timer arrives. */
bool arm_cp_access64(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crm, bool read,
                     uint64_t *value)
{
    bool user = !arm_cpu_privileged(cpu);
    if (cp != 15)
        return false;
    ArmCp15 *c = &cpu->cp15;
    if (crm == 14 && cpu->env.gtimer_fn) /* the generic timer's counters and CVALs */
        return cpu->env.gtimer_fn(cpu->env.gtimer_opaque, cpu, opc1, crm, 0, true, read, value);
    if (crm == 14 && (opc1 == 0 || opc1 == 1)) { /* CNTPCT, CNTVCT without a timer */
        if (!read)
            return false;
        if (user && !(c->cntkctl & (opc1 == 0 ? 1u : 2u)))
            return false;
        *value = cpu->icount;
        return true;
    }
    if (user)
        return false;
    uint32_t *lo, *hi, hi_mask = 0x00ff00ffu; /* TTBRn: ASID[55:48], BADDR[39:32] */
    bool ttbr = true;
    if (crm == 2 && opc1 == 0) {
        lo = &c->ttbr0_lo; hi = &c->ttbr0_hi;
    } else if (crm == 2 && opc1 == 1) {
        lo = &c->ttbr1_lo; hi = &c->ttbr1_hi;
    } else if (crm == 7 && opc1 == 0) {
        lo = &c->par_lo; hi = &c->par_hi;
        hi_mask = 0xff0000ffu; /* ATTR, PA[39:32] */
        ttbr = false;
    } else {
        return false;
    }
    if (read) {
        *value = ((uint64_t)*hi << 32) | *lo;
        return true;
    }
    uint32_t old_lo = *lo, old_hi = *hi;
    *lo = (uint32_t)*value;
    *hi = (uint32_t)(*value >> 32) & hi_mask;
    if (ttbr && (*lo != old_lo || *hi != old_hi))
        ttbr_changed(cpu, ((*hi ^ old_hi) & 0x00ff0000u) != 0);
    return true;
}
