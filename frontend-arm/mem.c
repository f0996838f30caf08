/*
 * Guest memory accesses as the CPU performs them: alignment checks (ARM ARM A3.2.1),
 * data endianness (CPSR.E, A3.3), address translation (identity while the MMU is off:
 * the MMU arrives with the system-architecture work) and abort reporting.
 */
#include "frontend-arm/frontend-arm.h"

#include <string.h>

static void data_abort(ArmCpu *cpu, uint32_t va, uint32_t fsr, bool write)
{
    cpu->pending_exc = ARM_EXC_DATA_ABORT;
    cpu->pending_fsr = fsr | (write ? ARM_FSR_WNR : 0);
    cpu->pending_far = va;
}

bool arm_virt_to_phys(ArmCpu *cpu, uint32_t va, PhysAddr *pa)
{
    (void)cpu;
    *pa = va;
    return true;
}

void arm_tlb_flush(ArmCpu *cpu)
{
    for (unsigned m = 0; m < 2; m++)
        for (unsigned k = 0; k < ARM_TLB_SIZE; k++) {
            cpu->tlb[m][k].read_tag = ARM_TLB_INVALID;
            cpu->tlb[m][k].write_tag = ARM_TLB_INVALID;
        }
}

void arm_tlb_protect_code(ArmCpu *cpu, const uint8_t *host_page)
{
    for (unsigned m = 0; m < 2; m++)
        for (unsigned k = 0; k < ARM_TLB_SIZE; k++) {
            ArmTlbEntry *e = &cpu->tlb[m][k];
            if (e->write_tag != ARM_TLB_INVALID &&
                (uintptr_t)(e->write_tag + e->addend) == (uintptr_t)host_page)
                e->write_tag = ARM_TLB_INVALID;
        }
}

/* After a successful access to RAM: remember the page for the translated fast path. */
static void tlb_fill(ArmCpu *cpu, uint32_t va, PhysAddr pa, unsigned flags)
{
    uint32_t page = va & ~(PHYS_PAGE_SIZE - 1);
    PhysAddr ppage = pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1);
    uint8_t *host = physmem_ram_ptr(cpu->mem, ppage, PHYS_PAGE_SIZE);
    if (!host)
        return;
    unsigned idx = (flags & ARM_MEM_USER) || !arm_cpu_privileged(cpu) ? ARM_TLB_USER : ARM_TLB_PRIV;
    ArmTlbEntry *e = &cpu->tlb[idx][(va >> PHYS_PAGE_BITS) & (ARM_TLB_SIZE - 1)];
    e->read_tag = page;
    e->write_tag = physmem_is_code_page(cpu->mem, ppage) ? ARM_TLB_INVALID : page;
    e->addend = (uint64_t)(uintptr_t)host - page;
}

static uint32_t swap_size(uint32_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32(v);
    default: return v;
    }
}

/* An unaligned access is performed byte by byte (it may span two pages or a device);
 * all bytes are checked before any is written so a fault leaves memory unchanged. */
static bool read_bytes(ArmCpu *cpu, uint32_t va, unsigned size, uint32_t *le_value)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        PhysAddr pa;
        uint64_t byte;
        if (!arm_virt_to_phys(cpu, va + k, &pa) || physmem_read(cpu->mem, pa, 1, &byte) != MEM_OK) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, false);
            return false;
        }
        v |= (uint32_t)byte << (8 * k);
    }
    *le_value = v;
    return true;
}

static bool write_bytes(ArmCpu *cpu, uint32_t va, unsigned size, uint32_t le_value)
{
    PhysAddr pa[4];
    for (unsigned k = 0; k < size; k++) {
        if (!arm_virt_to_phys(cpu, va + k, &pa[k]) ||
            (!physmem_ram_ptr(cpu->mem, pa[k], 1) && !physmem_find_mmio(cpu->mem, pa[k]))) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, true);
            return false;
        }
    }
    for (unsigned k = 0; k < size; k++) {
        if (physmem_write(cpu->mem, pa[k], 1, (le_value >> (8 * k)) & 0xff) != MEM_OK) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, true);
            return false;
        }
    }
    return true;
}

static bool check_alignment(ArmCpu *cpu, uint32_t va, unsigned flags, unsigned size, bool *unaligned)
{
    *unaligned = (va & (size - 1)) != 0;
    if (*unaligned && ((flags & ARM_MEM_ALIGN) || (cpu->cp15.sctlr & SCTLR_A))) {
        data_abort(cpu, va, ARM_FSR_ALIGNMENT, (flags & ARM_MEM_WRITE) != 0);
        return false;
    }
    return true;
}

bool arm_mem_read(ArmCpu *cpu, uint32_t va, unsigned flags, uint32_t *value)
{
    unsigned size = flags & ARM_MEM_SIZE_MASK;
    bool unaligned;
    if (size != 1 && size != 2 && size != 4)
        size = 4;
    if (!check_alignment(cpu, va, flags, size, &unaligned))
        return false;
    uint32_t v;
    if (unaligned) {
        if (!read_bytes(cpu, va, size, &v))
            return false;
    } else {
        PhysAddr pa;
        uint64_t v64;
        if (!arm_virt_to_phys(cpu, va, &pa) || physmem_read(cpu->mem, pa, size, &v64) != MEM_OK) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, false);
            return false;
        }
        v = (uint32_t)v64;
        tlb_fill(cpu, va, pa, flags);
    }
    if (cpu->cpsr & CPSR_E)
        v = swap_size(v, size);
    if (flags & ARM_MEM_SIGNED) {
        if (size == 1)
            v = (uint32_t)(int32_t)(int8_t)v;
        else if (size == 2)
            v = (uint32_t)(int32_t)(int16_t)v;
    }
    *value = v;
    return true;
}

bool arm_mem_write(ArmCpu *cpu, uint32_t va, unsigned flags, uint32_t value)
{
    unsigned size = flags & ARM_MEM_SIZE_MASK;
    bool unaligned;
    if (size != 1 && size != 2 && size != 4)
        size = 4;
    if (!check_alignment(cpu, va, flags | ARM_MEM_WRITE, size, &unaligned))
        return false;
    if (size < 4)
        value &= (1u << (8 * size)) - 1;
    if (cpu->cpsr & CPSR_E)
        value = swap_size(value, size);
    if (unaligned)
        return write_bytes(cpu, va, size, value);
    PhysAddr pa;
    if (!arm_virt_to_phys(cpu, va, &pa) || physmem_write(cpu->mem, pa, size, value) != MEM_OK) {
        data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, true);
        return false;
    }
    tlb_fill(cpu, va, pa, flags);
    return true;
}

/* Instruction fetch (always little-endian in ARMv7, A3.3.1). */
bool arm_mem_fetch32(ArmCpu *cpu, uint32_t va, uint32_t *insn)
{
    PhysAddr pa;
    uint64_t v;
    if (va & 3) {
        /* An ARM-state PC with bit 1 set (BX to such an address is UNPREDICTABLE):
         * a PC alignment fault, as QEMU does. */
        cpu->pending_exc = ARM_EXC_PREFETCH_ABORT;
        cpu->pending_fsr = ARM_FSR_ALIGNMENT;
        cpu->pending_far = va;
        return false;
    }
    if (!arm_virt_to_phys(cpu, va, &pa) || physmem_read(cpu->mem, pa, 4, &v) != MEM_OK) {
        cpu->pending_exc = ARM_EXC_PREFETCH_ABORT;
        cpu->pending_fsr = ARM_FSR_SYNC_EXTERNAL;
        cpu->pending_far = va;
        return false;
    }
    *insn = (uint32_t)v;
    return true;
}
