/*
 * Run-time helpers for system instructions: PSR access, mode changes, coprocessor
 * access, SRS/RFE and semihosting. They operate on the cpu state directly.
 */
#include "frontend-arm/helpers.h"

#include "frontend-arm/translate.h"

HELPER(helper_enter_thumb)
{
    (void)a; (void)b; (void)c;
    cpu->cpsr |= CPSR_T;
    return 0;
}

HELPER(helper_exception_return)
{
    (void)b; (void)c;
    arm_exception_return(cpu, (uint32_t)a);
    return cpu->r[15];
}

HELPER(helper_mrs_cpsr)
{
    (void)a; (void)b; (void)c;
    /* ARM ARM B9.3.8: the execution state bits read as zero. */
    return arm_cpsr_read(cpu) & ~(CPSR_T | CPSR_IT_0_1 | CPSR_IT_2_7 | CPSR_J);
}

HELPER(helper_mrs_spsr)
{
    (void)a; (void)b; (void)c;
    return cpu->bank_spsr[arm_mode_bank(arm_cpu_mode(cpu))];
}

HELPER(helper_msr_cpsr)
{
    (void)c;
    arm_cpsr_write(cpu, (uint32_t)a, (uint32_t)b, ARM_CPSR_WRITE_MSR);
    return 0;
}

HELPER(helper_msr_spsr)
{
    (void)c;
    uint32_t *spsr = &cpu->bank_spsr[arm_mode_bank(arm_cpu_mode(cpu))];
    *spsr = (*spsr & ~(uint32_t)b) | ((uint32_t)a & (uint32_t)b);
    return 0;
}

/* Banked register access (MRS/MSR banked, ARM ARM B9.2.3, Table B9-2). The index is
 * SYSm = R:M:m1 (6 bits). Returns a pointer to the register, or NULL when the access is
 * UNPREDICTABLE (target is the current mode, or Hyp/Monitor which do not exist). */
static uint32_t *banked_reg(ArmCpu *cpu, unsigned sysm)
{
    unsigned r = sysm >> 5, m = (sysm >> 4) & 1, m1 = sysm & 0xf;
    uint32_t mode = arm_cpu_mode(cpu);
    if (r) {
        static const uint8_t spsr_mode[2][16] = {
            [0][14] = ARM_MODE_FIQ,
            [1][0] = ARM_MODE_IRQ, [1][2] = ARM_MODE_SVC, [1][4] = ARM_MODE_ABT, [1][6] = ARM_MODE_UND,
        };
        uint32_t tgt = spsr_mode[m][m1];
        if (!tgt || tgt == mode)
            return NULL;
        return &cpu->bank_spsr[arm_mode_bank(tgt)];
    }
    if (!m) {
        if (m1 <= 6) { /* R8_usr .. R14_usr */
            if (mode == ARM_MODE_USR || mode == ARM_MODE_SYS)
                return NULL;
            if (m1 <= 4)
                return mode == ARM_MODE_FIQ ? &cpu->usr_r8_12[m1] : &cpu->r[8 + m1];
            return m1 == 5 ? &cpu->bank_r13[ARM_BANK_USR] : &cpu->bank_r14[ARM_BANK_USR];
        }
        if (m1 >= 8 && m1 <= 14) { /* R8_fiq .. R14_fiq */
            if (mode == ARM_MODE_FIQ)
                return NULL;
            if (m1 <= 12)
                return &cpu->fiq_r8_12[m1 - 8];
            return m1 == 13 ? &cpu->bank_r13[ARM_BANK_FIQ] : &cpu->bank_r14[ARM_BANK_FIQ];
        }
        return NULL;
    }
    static const uint8_t lr_sp_mode[8] = { ARM_MODE_IRQ, ARM_MODE_IRQ, ARM_MODE_SVC, ARM_MODE_SVC,
                                           ARM_MODE_ABT, ARM_MODE_ABT, ARM_MODE_UND, ARM_MODE_UND };
    if (m1 >= 8)
        return NULL; /* Monitor and Hyp registers */
    uint32_t tgt = lr_sp_mode[m1];
    if (tgt == mode)
        return NULL;
    ArmBank bank = arm_mode_bank(tgt);
    return (m1 & 1) ? &cpu->bank_r13[bank] : &cpu->bank_r14[bank];
}

HELPER(helper_mrs_banked)
{
    (void)b; (void)c;
    uint32_t *p = banked_reg(cpu, (unsigned)a);
    if (!p) {
        cpu->pending_exc = ARM_EXC_UNDEF;
        return 0;
    }
    return *p;
}

HELPER(helper_msr_banked)
{
    (void)c;
    uint32_t *p = banked_reg(cpu, (unsigned)a);
    if (!p) {
        cpu->pending_exc = ARM_EXC_UNDEF;
        return 0;
    }
    *p = (uint32_t)b;
    return 0;
}

/* CPS (B9.3.2): change A/I/F masks and optionally the mode. */
HELPER(helper_cps)
{
    uint32_t v = (arm_cpsr_read(cpu) | (uint32_t)a) & ~(uint32_t)b;
    uint32_t mask = (uint32_t)(a | b);
    if (c & 0x100) {
        v = (v & ~CPSR_M) | (c & CPSR_M);
        mask |= CPSR_M;
    }
    arm_cpsr_write(cpu, v, mask, ARM_CPSR_WRITE_MSR);
    return 0;
}

HELPER(helper_setend)
{
    (void)b; (void)c;
    if (a)
        cpu->cpsr |= CPSR_E;
    else
        cpu->cpsr &= ~CPSR_E;
    return 0;
}

/* SRS (B9.3.16): store LR and SPSR of the current mode to the stack of another mode. */
HELPER(helper_srs)
{
    (void)b; (void)c;
    uint32_t insn = (uint32_t)a;
    unsigned p = bit(insn, 24), u = bit(insn, 23), w = bit(insn, 21);
    uint32_t tgt = insn & CPSR_M;
    if (!arm_mode_is_valid(tgt) || tgt == ARM_MODE_USR) {
        cpu->pending_exc = ARM_EXC_UNDEF;
        return 0;
    }
    ArmBank bank = arm_mode_bank(tgt);
    bool current = arm_mode_bank(arm_cpu_mode(cpu)) == bank;
    uint32_t base = current ? cpu->r[13] : cpu->bank_r13[bank];
    uint32_t addr = u ? base : base - 8;
    if (p == u)
        addr += 4;
    uint32_t spsr = cpu->bank_spsr[arm_mode_bank(arm_cpu_mode(cpu))];
    if (!arm_mem_write(cpu, addr, 4 | ARM_MEM_ALIGN, cpu->r[14]) ||
        !arm_mem_write(cpu, addr + 4, 4 | ARM_MEM_ALIGN, spsr))
        return 0;
    if (w) {
        uint32_t nb = u ? base + 8 : base - 8;
        if (current)
            cpu->r[13] = nb;
        else
            cpu->bank_r13[bank] = nb;
    }
    return 0;
}

/* RFE (B9.3.13): load PC and CPSR from memory, optionally writing back Rn. */
HELPER(helper_rfe)
{
    (void)b; (void)c;
    uint32_t insn = (uint32_t)a;
    unsigned p = bit(insn, 24), u = bit(insn, 23), w = bit(insn, 21), rn = bits(insn, 19, 16);
    uint32_t base = cpu->r[rn];
    uint32_t addr = u ? base : base - 8;
    if (p == u)
        addr += 4;
    uint32_t new_pc, new_cpsr;
    if (!arm_mem_read(cpu, addr, 4 | ARM_MEM_ALIGN, &new_pc) ||
        !arm_mem_read(cpu, addr + 4, 4 | ARM_MEM_ALIGN, &new_cpsr))
        return 0;
    if (w)
        cpu->r[rn] = u ? base + 8 : base - 8;
    arm_cpsr_write(cpu, new_cpsr, 0xffffffffu, ARM_CPSR_WRITE_EXC_RETURN);
    cpu->excl_valid = false;
    cpu->r[15] = (cpu->cpsr & CPSR_T) ? new_pc & ~1u : new_pc & ~3u;
    return cpu->r[15];
}

/* MRC/MCR fields (A8.8.108): opc1 [23:21], CRn [19:16], coproc [11:8], opc2 [7:5], CRm [3:0]. */
HELPER(helper_cp_read)
{
    (void)b; (void)c;
    uint32_t insn = (uint32_t)a, v = 0;
    if (!arm_cp_access(cpu, bits(insn, 11, 8), bits(insn, 23, 21), bits(insn, 19, 16), bits(insn, 3, 0),
                       bits(insn, 7, 5), true, &v))
        cpu->pending_exc = ARM_EXC_UNDEF;
    return v;
}

HELPER(helper_cp_write)
{
    (void)c;
    uint32_t insn = (uint32_t)a, v = (uint32_t)b;
    if (!arm_cp_access(cpu, bits(insn, 11, 8), bits(insn, 23, 21), bits(insn, 19, 16), bits(insn, 3, 0),
                       bits(insn, 7, 5), false, &v))
        cpu->pending_exc = ARM_EXC_UNDEF;
    return 0;
}

/* MRRC/MCRR fields (A8.8.109): opc1 [7:4], coproc [11:8], CRm [3:0]. */
HELPER(helper_cp_read64)
{
    (void)b; (void)c;
    uint32_t insn = (uint32_t)a;
    uint64_t v = 0;
    if (!arm_cp_access64(cpu, bits(insn, 11, 8), bits(insn, 7, 4), bits(insn, 3, 0), true, &v))
        cpu->pending_exc = ARM_EXC_UNDEF;
    return v;
}

HELPER(helper_cp_write64)
{
    (void)c;
    uint32_t insn = (uint32_t)a;
    uint64_t v = b;
    if (!arm_cp_access64(cpu, bits(insn, 11, 8), bits(insn, 7, 4), bits(insn, 3, 0), false, &v))
        cpu->pending_exc = ARM_EXC_UNDEF;
    return 0;
}

HELPER(helper_semihost)
{
    (void)a; (void)b; (void)c;
    if (cpu->env.semihost_fn)
        cpu->env.semihost_fn(cpu->env.semihost_opaque, cpu);
    return 0;
}

HELPER(helper_hvc)
{
    (void)a; (void)b; (void)c;
    if (cpu->env.hvc_fn)
        cpu->env.hvc_fn(cpu->env.hvc_opaque, cpu);
    return 0;
}

HELPER(helper_wfi)
{
    (void)a; (void)b; (void)c;
    cpu->wfi = 1;
    return 0;
}

HELPER(helper_clrex)
{
    (void)a; (void)b; (void)c;
    cpu->excl_valid = false;
    return 0;
}

HELPER(helper_sev)
{
    (void)a; (void)b; (void)c;
    cpu->event_register = true;
    return 0;
}

HELPER(helper_wfe)
{
    (void)a; (void)b; (void)c;
    cpu->event_register = false;
    return 0;
}
