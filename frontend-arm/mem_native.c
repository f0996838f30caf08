/*
 * Shadow page faults of the user-mode fast path (DESIGN.md, "Data flow" step 5): a user
 * access through a sandbox faulted at guest virtual address va. Walk the guest's tables
 * with user privilege (ARM ARM B3.7, access permissions for PL0) and either map the page
 * into the sandbox with exactly the permissions user mode has, or say why not.
 */
#include "frontend-arm/frontend-arm.h"
#include "native/native.h"

ArmNativeFault arm_native_resolve(ArmCpu *cpu, NativeSpace *ns, Sandbox *sb, uint32_t va,
                                  bool write, ArmNativeMapping *m)
{
    MmuRegs regs;
    MmuResult res;
    arm_mmu_regs(cpu, &regs);
    if (!mmu_translate(cpu->mem, &regs, va, write ? MMU_WRITE : MMU_READ, false, &res)) {
        cpu->pending_exc = ARM_EXC_DATA_ABORT;
        cpu->pending_fsr = arm_fsr_current_format(cpu, res.fsr) | (write ? ARM_FSR_WNR : 0);
        cpu->pending_far = va;
        return ARM_NATIVE_ABORT;
    }
    PhysAddr page = res.pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1);
    if (!physmem_ram_ptr(cpu->mem, page, PHYS_PAGE_SIZE))
        return ARM_NATIVE_DEVICE; /* never mapped into a sandbox: emulated */
    bool code = physmem_is_code_page(cpu->mem, page);
    if (write && code)
        return ARM_NATIVE_CODE_WRITE;
    /* Writable only if user mode may write and no translated code must see the write:
     * a later store to a code page faults and is handled as above. */
    bool writable = (res.perms & MMU_PERM_USER_W) && !code;
    unsigned flags = (writable ? NATIVE_MAP_WRITE : 0) | (res.global ? NATIVE_MAP_GLOBAL : 0);
    /* Refused (a second writable alias of the page): every access there is emulated. */
    if (!native_map_page(ns, sb, va & ~(PHYS_PAGE_SIZE - 1), page, flags))
        return ARM_NATIVE_DEVICE;
    if (m) {
        m->domain = res.domain;
        m->page_shift = res.page_shift;
    }
    return ARM_NATIVE_MAPPED;
}
