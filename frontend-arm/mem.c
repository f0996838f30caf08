/*
 * Guest memory accesses as the CPU performs them: alignment checks (ARM ARM A3.2.1),
 * data endianness (CPSR.E, A3.3), address translation through the MMU (softmmu's walker
 * with the CP15 registers; ARM ARM B3), abort reporting in the current fault status
 * format, and the soft TLB that translated code probes inline.
 */
#include "frontend-arm/frontend-arm.h"

#include <string.h>

void arm_mmu_regs(const ArmCpu *cpu, MmuRegs *regs)
{
    const ArmCp15 *c = &cpu->cp15;
    regs->sctlr = c->sctlr;
    regs->ttbcr = c->ttbcr;
    regs->dacr = c->dacr;
    regs->ttbr0 = ((uint64_t)c->ttbr0_hi << 32) | c->ttbr0_lo;
    regs->ttbr1 = ((uint64_t)c->ttbr1_hi << 32) | c->ttbr1_lo;
    regs->prrr = c->prrr;
    regs->nmrr = c->nmrr;
}

uint32_t arm_mmu_asid(const ArmCpu *cpu)
{
    const ArmCp15 *c = &cpu->cp15;
    if (c->ttbcr & MMU_TTBCR_EAE)
        return (((c->ttbcr & MMU_TTBCR_A1) ? c->ttbr1_hi : c->ttbr0_hi) >> 16) & 0xffu;
    return c->contextidr & 0xffu;
}

/* ARM ARM B3.13.3: with TTBCR.EAE == 1 every abort is reported in the long format. */
uint32_t arm_fsr_current_format(const ArmCpu *cpu, uint32_t short_fsr)
{
    return (cpu->cp15.ttbcr & MMU_TTBCR_EAE) ? mmu_fsr_to_long(short_fsr) : short_fsr;
}

static void data_abort(ArmCpu *cpu, uint32_t va, uint32_t fsr, bool write)
{
    cpu->pending_exc = ARM_EXC_DATA_ABORT;
    cpu->pending_fsr = arm_fsr_current_format(cpu, fsr) | (write ? ARM_FSR_WNR : 0);
    cpu->pending_far = va;
}

static void prefetch_abort(ArmCpu *cpu, uint32_t va, uint32_t fsr)
{
    cpu->pending_exc = ARM_EXC_PREFETCH_ABORT;
    cpu->pending_fsr = arm_fsr_current_format(cpu, fsr);
    cpu->pending_far = va;
}

/* The privilege of a data access: PL0 for LDRT/STRT and in User mode (ARM ARM A8.8). */
static bool access_privileged(const ArmCpu *cpu, unsigned flags)
{
    return !(flags & ARM_MEM_USER) && arm_cpu_privileged(cpu);
}

static bool translate(ArmCpu *cpu, uint32_t va, MmuAccess access, bool privileged, MmuResult *res)
{
    MmuRegs regs;
    arm_mmu_regs(cpu, &regs);
    return mmu_translate(cpu->mem, &regs, va, access, privileged, res);
}

/* --- the TLBs --- */

static ArmItlbEntry *itlb_entry(ArmCpu *cpu, uint32_t va)
{
    return &cpu->cp15.itlb[(va >> PHYS_PAGE_BITS) & (ARM_ITLB_SIZE - 1)];
}

/* The mapping of va (1 << page_shift bytes) is now cached in 4 KiB pieces: widen the
 * range that an invalidation by MVA must search (ArmCp15.tlb_large_lo). */
static void note_large_mapping(ArmCpu *cpu, uint32_t va, unsigned page_shift)
{
    if (page_shift <= PHYS_PAGE_BITS)
        return;
    uint32_t size_m1 = (uint32_t)((1ull << page_shift) - 1);
    uint32_t lo = va & ~size_m1, hi = lo + size_m1;
    ArmCp15 *c = &cpu->cp15;
    if (c->tlb_large_lo > c->tlb_large_hi) {
        c->tlb_large_lo = lo;
        c->tlb_large_hi = hi;
    } else {
        c->tlb_large_lo = lo < c->tlb_large_lo ? lo : c->tlb_large_lo;
        c->tlb_large_hi = hi > c->tlb_large_hi ? hi : c->tlb_large_hi;
    }
}

/* An instruction fetch's translation (ARM ARM B3.7.2: read and execute permission at
 * the current privilege), through the instruction-side TLB while the MMU is on. */
static bool translate_fetch(ArmCpu *cpu, uint32_t va, MmuResult *res)
{
    bool privileged = arm_cpu_privileged(cpu);
    uint32_t page = va & ~(PHYS_PAGE_SIZE - 1);
    bool mmu_on = (cpu->cp15.sctlr & SCTLR_M) != 0;
    ArmItlbEntry *e = itlb_entry(cpu, va);
    if (mmu_on && e->valid && e->va_page == page &&
        (e->perms & (privileged ? MMU_PERM_PRIV_X : MMU_PERM_USER_X))) {
        res->pa = e->pa_page | (va & (PHYS_PAGE_SIZE - 1));
        res->global = e->global;
        return true;
    }
    if (!translate(cpu, va, MMU_FETCH, privileged, res))
        return false;
    if (mmu_on) {
        *e = (ArmItlbEntry){ .va_page = page, .valid = 1, .perms = res->perms,
                             .global = res->global,
                             .pa_page = res->pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1) };
        if (!res->global)
            cpu->itlb_ng = true;
        note_large_mapping(cpu, va, res->page_shift);
    }
    return true;
}

bool arm_virt_to_phys(ArmCpu *cpu, uint32_t va, PhysAddr *pa)
{
    ArmItlbEntry *e = itlb_entry(cpu, va);
    if ((cpu->cp15.sctlr & SCTLR_M) && e->valid && e->va_page == (va & ~(PHYS_PAGE_SIZE - 1))) {
        *pa = e->pa_page | (va & (PHYS_PAGE_SIZE - 1));
        return true;
    }
    MmuRegs regs;
    MmuResult res;
    arm_mmu_regs(cpu, &regs);
    if (!mmu_walk(cpu->mem, &regs, va, &res))
        return false;
    *pa = res.pa;
    return true;
}

bool arm_mem_translate_fetch(ArmCpu *cpu, uint32_t va, PhysAddr *pa, bool *global)
{
    MmuResult res;
    if (!translate_fetch(cpu, va, &res)) {
        prefetch_abort(cpu, va, res.fsr);
        return false;
    }
    *pa = res.pa;
    *global = res.global;
    return true;
}

void arm_tlb_flush_data(ArmCpu *cpu)
{
    cpu->tlb_flushes++;
    cpu->tlb_ng = false;
    for (unsigned m = 0; m < 2; m++)
        for (unsigned k = 0; k < ARM_TLB_SIZE; k++) {
            cpu->tlb[m][k].read_tag = ARM_TLB_INVALID;
            cpu->tlb[m][k].write_tag = ARM_TLB_INVALID;
        }
}

void arm_tlb_flush(ArmCpu *cpu)
{
    arm_tlb_flush_data(cpu);
    for (unsigned k = 0; k < ARM_ITLB_SIZE; k++)
        cpu->cp15.itlb[k].valid = 0;
    cpu->cp15.tlb_large_lo = 0xffffffffu;
    cpu->cp15.tlb_large_hi = 0;
}

static void tlb_drop(ArmTlbEntry *e)
{
    e->read_tag = ARM_TLB_INVALID;
    e->write_tag = ARM_TLB_INVALID;
}

/* An entry's virtual page, or ARM_TLB_INVALID (a write tag implies the read tag, but a
 * code page's entry may have only the read tag). */
static uint32_t tlb_entry_page(const ArmTlbEntry *e)
{
    return e->read_tag != ARM_TLB_INVALID ? e->read_tag : e->write_tag;
}

/* ARM ARM B3.10 and B4.2.3, TLBIMVA: a real TLB entry for a section covers the whole
 * section, so invalidating any address in it removes it; the soft TLB holds such a
 * mapping as separate 4 KiB pieces, dropped here together. */
void arm_tlb_flush_page(ArmCpu *cpu, uint32_t va)
{
    uint32_t page = va & ~(PHYS_PAGE_SIZE - 1);
    uint32_t lo = cpu->cp15.tlb_large_lo, hi = cpu->cp15.tlb_large_hi;
    if (lo <= hi && va >= lo && va <= hi) {
        for (unsigned m = 0; m < 2; m++)
            for (unsigned k = 0; k < ARM_TLB_SIZE; k++) {
                uint32_t p = tlb_entry_page(&cpu->tlb[m][k]);
                if (p != ARM_TLB_INVALID && p >= lo && p <= hi)
                    tlb_drop(&cpu->tlb[m][k]);
            }
        for (unsigned k = 0; k < ARM_ITLB_SIZE; k++) {
            ArmItlbEntry *e = &cpu->cp15.itlb[k];
            if (e->va_page >= lo && e->va_page <= hi)
                e->valid = 0;
        }
    }
    unsigned idx = (va >> PHYS_PAGE_BITS) & (ARM_TLB_SIZE - 1);
    for (unsigned m = 0; m < 2; m++)
        if (tlb_entry_page(&cpu->tlb[m][idx]) == page)
            tlb_drop(&cpu->tlb[m][idx]);
    ArmItlbEntry *e = itlb_entry(cpu, va);
    if (e->va_page == page)
        e->valid = 0;
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

/* A new ASID: only entries of non-global mappings become wrong (ARM ARM B3.9.3). The
 * data soft TLB has no ASID tags but knows whether it holds any; the instruction-side
 * TLB drops exactly those. */
static void tlb_context_switch(ArmCpu *cpu)
{
    if (cpu->tlb_ng)
        arm_tlb_flush_data(cpu);
    if (cpu->itlb_ng)
        for (unsigned k = 0; k < ARM_ITLB_SIZE; k++)
            if (!cpu->cp15.itlb[k].global)
                cpu->cp15.itlb[k].valid = 0;
    cpu->itlb_ng = false;
}

void arm_tlb_changed(ArmCpu *cpu, unsigned kind, uint32_t va, uint32_t asid)
{
    if (kind == ARM_TLBCH_MVA) {
        va &= ~(PHYS_PAGE_SIZE - 1);
        arm_tlb_flush_page(cpu, va);
    } else if (kind == ARM_TLBCH_CONTEXT) {
        tlb_context_switch(cpu);
    } else {
        /* The soft TLB has no ASID tags: a TLBIASID drops everything. */
        arm_tlb_flush(cpu);
    }
    cpu->key_extra[ARM_MODE_USR & 15] = arm_mmu_asid(cpu) << 16;
    cpu->jc_salt[ARM_MODE_USR & 15] = arm_mmu_asid(cpu) << 8; /* = key_extra >> 8 */
    if (cpu->env.tlb_changed_fn)
        cpu->env.tlb_changed_fn(cpu->env.tlb_changed_opaque, kind, va, asid);
}

/* After a successful access to RAM: cache the 4 KiB page of va for the translated fast
 * path, in each privilege level's table for what that level may do (the walk result
 * covers both). Pages holding translated code get no write tag. */
static void tlb_fill(ArmCpu *cpu, uint32_t va, const MmuResult *res)
{
    static const uint8_t can_read[2] = { MMU_PERM_PRIV_R, MMU_PERM_USER_R };
    static const uint8_t can_write[2] = { MMU_PERM_PRIV_W, MMU_PERM_USER_W };
    uint32_t page = va & ~(PHYS_PAGE_SIZE - 1);
    PhysAddr ppage = res->pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1);
    uint8_t *host = physmem_ram_ptr(cpu->mem, ppage, PHYS_PAGE_SIZE);
    if (!host)
        return;
    bool code = physmem_is_code_page(cpu->mem, ppage);
    unsigned idx = (va >> PHYS_PAGE_BITS) & (ARM_TLB_SIZE - 1);
    for (unsigned m = 0; m < 2; m++) {
        bool r = (res->perms & can_read[m]) != 0, w = (res->perms & can_write[m]) != 0;
        if (!r && !w)
            continue;
        ArmTlbEntry *e = &cpu->tlb[m][idx];
        /* A miss is a fill that changes the entry (the interpreter and the slow paths
         * come here on every access, also when the entry is already there). */
        if (e->read_tag != (r ? page : ARM_TLB_INVALID) ||
            e->write_tag != (w && !code ? page : ARM_TLB_INVALID))
            cpu->tlb_fills++;
        e->read_tag = r ? page : ARM_TLB_INVALID;
        e->write_tag = w && !code ? page : ARM_TLB_INVALID;
        e->addend = (uint64_t)(uintptr_t)host - page;
        if (!res->global)
            cpu->tlb_ng = true;
    }
    note_large_mapping(cpu, va, res->page_shift);
}

/* --- data accesses --- */

static uint32_t swap_size(uint32_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32(v);
    default: return v;
    }
}

/* Translate every byte of an unaligned access (it may span two pages), each page once.
 * An MMU fault reports the first byte of the page that faults (as QEMU). */
static bool translate_bytes(ArmCpu *cpu, uint32_t va, unsigned size, MmuAccess access,
                            bool privileged, PhysAddr *pa)
{
    MmuResult res;
    uint32_t base = 0;
    for (unsigned k = 0; k < size; k++) {
        uint32_t a = va + k;
        if (k == 0 || (a & (PHYS_PAGE_SIZE - 1)) == 0) {
            if (!translate(cpu, a, access, privileged, &res)) {
                data_abort(cpu, a, res.fsr, access == MMU_WRITE);
                return false;
            }
            base = a;
        }
        pa[k] = res.pa + (a - base);
    }
    return true;
}

/* An unaligned access is performed byte by byte (it may span two pages or a device);
 * all bytes are checked before any is written so a fault leaves memory unchanged. */
/* ARM_MEM_RAM_ONLY: the caller cannot let a device see the access, nor a store reach a
 * page holding translated code; then set cpu->jit_retry and access nothing. */
static bool ram_only_refuses(ArmCpu *cpu, unsigned flags, PhysAddr pa, bool write)
{
    if (!(flags & ARM_MEM_RAM_ONLY) ||
        (physmem_ram_ptr(cpu->mem, pa, 1) && !(write && physmem_is_code_page(cpu->mem, pa))))
        return false;
    cpu->jit_retry = 1;
    return true;
}

static bool read_bytes(ArmCpu *cpu, uint32_t va, unsigned size, unsigned flags, bool privileged,
                       uint32_t *le_value)
{
    PhysAddr pa[4];
    if (!translate_bytes(cpu, va, size, MMU_READ, privileged, pa))
        return false;
    for (unsigned k = 0; k < size; k++)
        if (ram_only_refuses(cpu, flags, pa[k], false))
            return false;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t byte;
        if (physmem_read(cpu->mem, pa[k], 1, &byte) != MEM_OK) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, false);
            return false;
        }
        v |= (uint32_t)byte << (8 * k);
    }
    *le_value = v;
    return true;
}

static bool write_bytes(ArmCpu *cpu, uint32_t va, unsigned size, unsigned flags, bool privileged,
                        uint32_t le_value)
{
    PhysAddr pa[4];
    if (!translate_bytes(cpu, va, size, MMU_WRITE, privileged, pa))
        return false;
    for (unsigned k = 0; k < size; k++)
        if (ram_only_refuses(cpu, flags, pa[k], true))
            return false;
    for (unsigned k = 0; k < size; k++) {
        if (!physmem_ram_ptr(cpu->mem, pa[k], 1) && !physmem_find_mmio(cpu->mem, pa[k])) {
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

/* Alignment faults come before any MMU fault (ARM ARM B3.12, the fault-checking
 * sequence). */
static bool check_alignment(ArmCpu *cpu, uint32_t va, unsigned flags, unsigned size, bool *unaligned)
{
    *unaligned = (va & (size - 1)) != 0;
    if (*unaligned && ((flags & ARM_MEM_ALIGN) || (cpu->cp15.sctlr & SCTLR_A))) {
        data_abort(cpu, va, ARM_FSR_ALIGNMENT, (flags & ARM_MEM_WRITE) != 0);
        return false;
    }
    return true;
}

/* The soft TLB's host address for an aligned access at va (as translated code probes
 * it), or NULL: what the walk would find is cached there for this privilege, and a
 * write tag is never given to a page holding translated code nor to a device. */
static uint8_t *tlb_hit(const ArmCpu *cpu, uint32_t va, bool privileged, bool write)
{
    const ArmTlbEntry *e = &cpu->tlb[privileged ? ARM_TLB_PRIV : ARM_TLB_USER]
                                    [(va >> PHYS_PAGE_BITS) & (ARM_TLB_SIZE - 1)];
    uint32_t page = va & ~(PHYS_PAGE_SIZE - 1);
    if ((write ? e->write_tag : e->read_tag) != page)
        return NULL;
    return (uint8_t *)(uintptr_t)(e->addend + va);
}

bool arm_mem_read(ArmCpu *cpu, uint32_t va, unsigned flags, uint32_t *value)
{
    unsigned size = flags & ARM_MEM_SIZE_MASK;
    bool unaligned, privileged = access_privileged(cpu, flags);
    if (size != 1 && size != 2 && size != 4)
        size = 4;
    if (!check_alignment(cpu, va, flags, size, &unaligned))
        return false;
    uint32_t v = 0;
    uint8_t *host = unaligned ? NULL : tlb_hit(cpu, va, privileged, false);
    if (host) {
        memcpy(&v, host, size); /* little-endian host, as guest RAM */
    } else if (unaligned) {
        if (!read_bytes(cpu, va, size, flags, privileged, &v))
            return false;
    } else {
        MmuResult res;
        uint64_t v64;
        if (!translate(cpu, va, MMU_READ, privileged, &res)) {
            data_abort(cpu, va, res.fsr, false);
            return false;
        }
        if (ram_only_refuses(cpu, flags, res.pa, false))
            return false;
        if (physmem_read(cpu->mem, res.pa, size, &v64) != MEM_OK) {
            data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, false);
            return false;
        }
        v = (uint32_t)v64;
        tlb_fill(cpu, va, &res);
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
    bool unaligned, privileged = access_privileged(cpu, flags);
    if (size != 1 && size != 2 && size != 4)
        size = 4;
    if (!check_alignment(cpu, va, flags | ARM_MEM_WRITE, size, &unaligned))
        return false;
    if (size < 4)
        value &= (1u << (8 * size)) - 1;
    if (cpu->cpsr & CPSR_E)
        value = swap_size(value, size);
    if (unaligned)
        return write_bytes(cpu, va, size, flags, privileged, value);
    uint8_t *host = tlb_hit(cpu, va, privileged, true);
    if (host) {
        memcpy(host, &value, size);
        return true;
    }
    MmuResult res;
    if (!translate(cpu, va, MMU_WRITE, privileged, &res)) {
        data_abort(cpu, va, res.fsr, true);
        return false;
    }
    if (ram_only_refuses(cpu, flags, res.pa, true))
        return false;
    if (physmem_write(cpu->mem, res.pa, size, value) != MEM_OK) {
        data_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL, true);
        return false;
    }
    tlb_fill(cpu, va, &res);
    return true;
}

/* Instruction fetch (always little-endian in ARMv7, A3.3.1), with the current mode's
 * privilege. */
bool arm_mem_fetch32(ArmCpu *cpu, uint32_t va, uint32_t *insn)
{
    if (va & 3) {
        /* An ARM-state PC with bit 1 set (BX to such an address is UNPREDICTABLE):
         * a PC alignment fault, as QEMU does. */
        prefetch_abort(cpu, va, ARM_FSR_ALIGNMENT);
        return false;
    }
    MmuResult res;
    uint64_t v;
    if (!translate_fetch(cpu, va, &res)) {
        prefetch_abort(cpu, va, res.fsr);
        return false;
    }
    if (physmem_read(cpu->mem, res.pa, 4, &v) != MEM_OK) {
        prefetch_abort(cpu, va, ARM_FSR_SYNC_EXTERNAL);
        return false;
    }
    *insn = (uint32_t)v;
    return true;
}
