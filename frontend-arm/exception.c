/*
 * Exception entry and return. ARM ARM B1.8 (exception handling), without the Security
 * and Virtualization Extensions' routing (no Monitor or Hyp mode exists here).
 */
#include "frontend-arm/frontend-arm.h"

static const char *const exc_names[ARM_EXC_COUNT] = {
    [ARM_EXC_NONE] = "none",
    [ARM_EXC_UNDEF] = "undefined instruction",
    [ARM_EXC_SVC] = "supervisor call",
    [ARM_EXC_PREFETCH_ABORT] = "prefetch abort",
    [ARM_EXC_DATA_ABORT] = "data abort",
    [ARM_EXC_IRQ] = "IRQ",
    [ARM_EXC_FIQ] = "FIQ",
    [ARM_EXC_BKPT] = "breakpoint (prefetch abort)",
};

const char *arm_exception_name(ArmException exc)
{
    return (unsigned)exc < ARM_EXC_COUNT ? exc_names[exc] : "?";
}

/* ARM ARM B1.8.3, "Exception entry": target mode, return address offset (Table B1-7),
 * vector offset (Table B1-3), and which of A/I/F get masked. */
void arm_take_exception(ArmCpu *cpu, ArmException exc, uint32_t insn_pc)
{
    uint32_t mode, vector, lr;
    bool thumb = (cpu->cpsr & CPSR_T) != 0;
    bool mask_a = true, mask_f = false;
    if ((unsigned)exc >= ARM_EXC_COUNT || exc == ARM_EXC_NONE)
        return;
    cpu->exceptions[exc]++;
    switch (exc) {
    case ARM_EXC_UNDEF:
        mode = ARM_MODE_UND; vector = 0x04; lr = insn_pc + (thumb ? 2 : 4); mask_a = false;
        break;
    case ARM_EXC_SVC:
        mode = ARM_MODE_SVC; vector = 0x08; lr = insn_pc + (thumb ? 2 : 4); mask_a = false;
        break;
    case ARM_EXC_BKPT:
        cpu->cp15.ifsr = arm_fsr_current_format(cpu, ARM_FSR_DEBUG);
        mode = ARM_MODE_ABT; vector = 0x0c; lr = insn_pc + 4;
        break;
    case ARM_EXC_PREFETCH_ABORT:
        cpu->cp15.ifsr = arm_fsr_current_format(cpu, cpu->pending_fsr);
        cpu->cp15.ifar = cpu->pending_far;
        mode = ARM_MODE_ABT; vector = 0x0c; lr = insn_pc + 4;
        break;
    case ARM_EXC_DATA_ABORT:
        /* Helpers report some aborts (alignment) in the short format: every abort is
         * reported in the format TTBCR.EAE selects (ARM ARM B3.13.3). */
        cpu->cp15.dfsr = arm_fsr_current_format(cpu, cpu->pending_fsr & ~ARM_FSR_WNR) |
                         (cpu->pending_fsr & ARM_FSR_WNR);
        cpu->cp15.dfar = cpu->pending_far;
        mode = ARM_MODE_ABT; vector = 0x10; lr = insn_pc + 8;
        break;
    case ARM_EXC_IRQ:
        mode = ARM_MODE_IRQ; vector = 0x18; lr = insn_pc + 4;
        break;
    case ARM_EXC_FIQ:
        mode = ARM_MODE_FIQ; vector = 0x1c; lr = insn_pc + 4; mask_f = true;
        break;
    default:
        return;
    }
    uint32_t spsr = arm_cpsr_read(cpu);
    arm_switch_mode(cpu, mode);
    cpu->bank_spsr[arm_mode_bank(mode)] = spsr;
    cpu->r[14] = lr;
    uint32_t c = cpu->cpsr & ~(CPSR_T | CPSR_E | CPSR_IT_0_1 | CPSR_IT_2_7 | CPSR_J);
    c |= CPSR_I;
    if (mask_a)
        c |= CPSR_A;
    if (mask_f)
        c |= CPSR_F;
    if (cpu->cp15.sctlr & SCTLR_TE)
        c |= CPSR_T;
    if (cpu->cp15.sctlr & SCTLR_EE)
        c |= CPSR_E;
    cpu->cpsr = c;
    /* A taken exception clears the local monitor (ARM ARM A3.4.5 recommends it; QEMU
     * does it on exception return, which has the same effect for well-formed code). */
    cpu->excl_valid = false;
    uint32_t base = (cpu->cp15.sctlr & SCTLR_V) ? 0xffff0000u : (cpu->cp15.vbar & ~0x1fu);
    cpu->r[15] = base + vector;
}

/* ARM ARM B1.8.10 and the pseudocode of SUBS PC, LR (B9.3.20): CPSR <- SPSR, then a
 * branch that honours the new instruction set state. In User and System mode there is no
 * SPSR: UNPREDICTABLE, and (like QEMU) only the branch happens. */
void arm_exception_return(ArmCpu *cpu, uint32_t new_pc)
{
    uint32_t mode = arm_cpu_mode(cpu);
    if (arm_mode_has_spsr(mode)) {
        uint32_t spsr = cpu->bank_spsr[arm_mode_bank(mode)];
        arm_cpsr_write(cpu, spsr, 0xffffffffu, ARM_CPSR_WRITE_EXC_RETURN);
    }
    cpu->excl_valid = false;
    if (cpu->cpsr & CPSR_T)
        cpu->r[15] = new_pc & ~1u;
    else
        cpu->r[15] = new_pc & ~3u;
}
