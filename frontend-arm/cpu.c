/*
 * Guest CPU state: reset, PSRs, modes and register banking.
 * ARM ARM B1.3 (processor modes and the core registers).
 */
#include "frontend-arm/frontend-arm.h"

#include <string.h>

#define A15_SCTLR_RESET 0x00c50078u

void arm_cpu_init(ArmCpu *cpu, PhysMem *mem)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->mem = mem;
    arm_cpu_reset(cpu);
}

/* Reset state (ARM ARM B1.8.2): Supervisor mode, ARM state, IRQ, FIQ and asynchronous
 * aborts masked, MMU and caches off. The loader sets the PC. */
void arm_cpu_reset(ArmCpu *cpu)
{
    PhysMem *mem = cpu->mem;
    ArmCpuEnv env = cpu->env;
    uint8_t irq = cpu->irq_line, fiq = cpu->fiq_line; /* inputs: not the CPU's state */
    memset(cpu, 0, sizeof(*cpu));
    cpu->mem = mem;
    cpu->env = env;
    cpu->irq_line = irq;
    cpu->fiq_line = fiq;
    cpu->cpsr = ARM_MODE_SVC | CPSR_A | CPSR_I | CPSR_F;
    cpu->cp15.sctlr = A15_SCTLR_RESET;
    cpu->cp15.cntfrq = 62500000; /* QEMU's generic timer frequency */
    arm_tlb_flush(cpu);
}

void arm_cpu_set_irq(ArmCpu *cpu, bool irq, bool fiq)
{
    if ((irq && !cpu->irq_line) || (fiq && !cpu->fiq_line))
        cpu->code_written = 1; /* stop at the next instruction boundary */
    cpu->irq_line = irq;
    cpu->fiq_line = fiq;
}

/* FIQ has priority over IRQ (ARM ARM B1.8.2, exception priorities). */
ArmException arm_cpu_pending_interrupt(const ArmCpu *cpu)
{
    if (cpu->fiq_line && !(cpu->cpsr & CPSR_F))
        return ARM_EXC_FIQ;
    if (cpu->irq_line && !(cpu->cpsr & CPSR_I))
        return ARM_EXC_IRQ;
    return ARM_EXC_NONE;
}

uint32_t arm_cpsr_read(const ArmCpu *cpu)
{
    return cpu->cpsr | ((uint32_t)cpu->nf << 31) | ((uint32_t)cpu->zf << 30) |
           ((uint32_t)cpu->cf << 29) | ((uint32_t)cpu->vf << 28) | ((uint32_t)cpu->qf << 27) |
           ((uint32_t)(cpu->ge & 0xf) << 16);
}

bool arm_mode_is_valid(uint32_t mode)
{
    /* No Virtualization or Security Extensions exposed (as QEMU's virt by default), so
     * Hyp and Monitor modes do not exist. */
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_FIQ: case ARM_MODE_IRQ: case ARM_MODE_SVC:
    case ARM_MODE_ABT: case ARM_MODE_UND: case ARM_MODE_SYS:
        return true;
    default:
        return false;
    }
}

ArmBank arm_mode_bank(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_FIQ: return ARM_BANK_FIQ;
    case ARM_MODE_IRQ: return ARM_BANK_IRQ;
    case ARM_MODE_SVC: return ARM_BANK_SVC;
    case ARM_MODE_ABT: return ARM_BANK_ABT;
    case ARM_MODE_UND: return ARM_BANK_UND;
    case ARM_MODE_MON: return ARM_BANK_MON;
    case ARM_MODE_HYP: return ARM_BANK_HYP;
    default: return ARM_BANK_USR;
    }
}

bool arm_mode_has_spsr(uint32_t mode)
{
    return mode != ARM_MODE_USR && mode != ARM_MODE_SYS;
}

const char *arm_mode_name(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_USR: return "usr";
    case ARM_MODE_FIQ: return "fiq";
    case ARM_MODE_IRQ: return "irq";
    case ARM_MODE_SVC: return "svc";
    case ARM_MODE_MON: return "mon";
    case ARM_MODE_ABT: return "abt";
    case ARM_MODE_HYP: return "hyp";
    case ARM_MODE_UND: return "und";
    case ARM_MODE_SYS: return "sys";
    default: return "???";
    }
}

/* ARM ARM B1.3.2: R13/R14 are banked per mode (usr and sys share), FIQ banks R8-R12 too. */
void arm_switch_mode(ArmCpu *cpu, uint32_t mode)
{
    uint32_t old = cpu->cpsr & CPSR_M;
    if (old == mode)
        return;
    ArmBank ob = arm_mode_bank(old), nb = arm_mode_bank(mode);
    if (ob != nb) {
        cpu->bank_r13[ob] = cpu->r[13];
        cpu->bank_r14[ob] = cpu->r[14];
        cpu->r[13] = cpu->bank_r13[nb];
        cpu->r[14] = cpu->bank_r14[nb];
    }
    if (old == ARM_MODE_FIQ && mode != ARM_MODE_FIQ) {
        memcpy(cpu->fiq_r8_12, &cpu->r[8], sizeof(cpu->fiq_r8_12));
        memcpy(&cpu->r[8], cpu->usr_r8_12, sizeof(cpu->usr_r8_12));
    } else if (old != ARM_MODE_FIQ && mode == ARM_MODE_FIQ) {
        memcpy(cpu->usr_r8_12, &cpu->r[8], sizeof(cpu->usr_r8_12));
        memcpy(&cpu->r[8], cpu->fiq_r8_12, sizeof(cpu->fiq_r8_12));
    }
    cpu->cpsr = (cpu->cpsr & ~CPSR_M) | mode;
    if ((old == ARM_MODE_USR || mode == ARM_MODE_USR) && cpu->env.user_mode_fn)
        cpu->env.user_mode_fn(cpu->env.user_mode_opaque, cpu, mode == ARM_MODE_USR);
}

/* ARM ARM B1.3.3 and the CPSRWriteByInstr() pseudocode (B1.3.3): which bits an MSR may
 * change depends on the mode; an exception return writes everything. An attempt to enter
 * a mode that does not exist leaves the mode unchanged (what QEMU does). */
void arm_cpsr_write(ArmCpu *cpu, uint32_t value, uint32_t mask, ArmCpsrWriteKind kind)
{
    if (kind == ARM_CPSR_WRITE_MSR) {
        /* The execution state bits are never written by MSR. */
        mask &= ~(CPSR_T | CPSR_IT_0_1 | CPSR_IT_2_7 | CPSR_J);
        if (!arm_cpu_privileged(cpu))
            mask &= CPSR_NZCV | CPSR_Q | CPSR_GE | CPSR_E;
    }
    if (mask & CPSR_M) {
        uint32_t mode = value & CPSR_M;
        if (!arm_mode_is_valid(mode))
            mask &= ~CPSR_M;
    }
    if (mask & CPSR_N) cpu->nf = (value >> 31) & 1;
    if (mask & CPSR_Z) cpu->zf = (value >> 30) & 1;
    if (mask & CPSR_C) cpu->cf = (value >> 29) & 1;
    if (mask & CPSR_V) cpu->vf = (value >> 28) & 1;
    if (mask & CPSR_Q) cpu->qf = (value >> 27) & 1;
    if (mask & CPSR_GE)
        cpu->ge = (uint8_t)((cpu->ge & ~(mask >> 16)) | ((value & mask) >> 16)) & 0xf;
    if (mask & CPSR_M)
        arm_switch_mode(cpu, value & CPSR_M);
    /* The remaining writable bits; 23:20 are reserved (RAZ/SBZP) and stay zero. */
    uint32_t other = mask & (CPSR_T | CPSR_F | CPSR_I | CPSR_A | CPSR_E | CPSR_IT_0_1 | CPSR_IT_2_7 | CPSR_J);
    cpu->cpsr = (cpu->cpsr & ~other) | (value & other);
}
