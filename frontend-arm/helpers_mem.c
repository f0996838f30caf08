/*
 * Helpers for the A32 loads and stores that translated code cannot express with plain
 * IR_LOAD/IR_STORE: the exclusive monitor and the User-mode register bank.
 */
#include "frontend-arm/helpers_mem.h"

/* An alignment fault that arm_mem_* cannot detect by itself (8-byte alignment for the
 * doubleword exclusives). Same FSR encoding as mem.c (short-descriptor format, ARM ARM
 * B3.13.3). Alignment faults take priority over MMU faults (B3.12), so this is checked
 * before any access. */
static void alignment_fault(ArmCpu *cpu, uint32_t va, bool write)
{
    cpu->pending_exc = ARM_EXC_DATA_ABORT;
    cpu->pending_fsr = ARM_FSR_ALIGNMENT | (write ? ARM_FSR_WNR : 0);
    cpu->pending_far = va;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1;
}

/* ARM ARM A3.4.1 and A8.8 LDREX, LDREXB, LDREXH:
 * SetExclusiveMonitors(address, size) followed by the load. The monitor is set only if
 * the load succeeds. */
MEM_HELPER(helper_ldrex)
{
    (void)c;
    uint32_t addr = (uint32_t)a;
    unsigned size = (unsigned)b;
    uint32_t v;
    if (!arm_mem_read(cpu, addr, size | ARM_MEM_ALIGN, &v))
        return 0;
    cpu->excl_valid = true;
    cpu->excl_addr = addr;
    cpu->excl_size = size;
    cpu->excl_value = v;
    return v;
}

/* ARM ARM A8.8 LDREXD: doubleword alignment, Rt from the lower address. */
MEM_HELPER(helper_ldrexd)
{
    (void)b;
    (void)c;
    uint32_t addr = (uint32_t)a;
    uint32_t lo, hi;
    if (addr & 7) {
        alignment_fault(cpu, addr, false);
        return 0;
    }
    if (!arm_mem_read(cpu, addr, 4 | ARM_MEM_ALIGN, &lo) ||
        !arm_mem_read(cpu, addr + 4, 4 | ARM_MEM_ALIGN, &hi))
        return 0;
    uint64_t v = ((uint64_t)hi << 32) | lo;
    cpu->excl_valid = true;
    cpu->excl_addr = addr;
    cpu->excl_size = 8;
    cpu->excl_value = v;
    return v;
}

/*
 * ExclusiveMonitorsPass(address, size) (ARM ARM A3.4.1 and A3.4.5; the pseudocode is in
 * B2.4, "Exclusive monitors operations").
 *
 * With a single CPU only the local monitor matters. Its state machine (A3.4.1, Table
 * A3-2) leaves it IMPLEMENTATION DEFINED whether an ordinary store to the marked address
 * clears it; we do what QEMU does (its cmpxchg-based STREX): the store-exclusive passes
 * if the monitor is set for this address and memory still holds the value the
 * load-exclusive read (compared at the store's size). The size of the load-exclusive
 * is not compared (QEMU does not either). A mismatched address fails without accessing
 * memory. The alignment check comes first, as in the pseudocode (QEMU omits it when the
 * address does not match; architecturally it always faults).
 *
 * Returns 0 = pass, 1 = fail, 2 = abort (pending exception set). The monitor is cleared
 * in every case.
 */
static int excl_check(ArmCpu *cpu, uint32_t addr, unsigned size)
{
    bool valid = cpu->excl_valid;
    cpu->excl_valid = false;
    if (addr & (size - 1)) {
        alignment_fault(cpu, addr, true);
        return 2;
    }
    if (!valid || addr != cpu->excl_addr)
        return 1;
    uint64_t cur;
    if (size == 8) {
        uint32_t lo, hi;
        if (!arm_mem_read(cpu, addr, 4 | ARM_MEM_ALIGN, &lo) ||
            !arm_mem_read(cpu, addr + 4, 4 | ARM_MEM_ALIGN, &hi))
            goto abort;
        cur = ((uint64_t)hi << 32) | lo;
    } else {
        uint32_t v;
        if (!arm_mem_read(cpu, addr, size | ARM_MEM_ALIGN, &v))
            goto abort;
        cur = v;
    }
    return cur == (cpu->excl_value & size_mask(size)) ? 0 : 1;
abort:
    /* The access is a store: report the fault as a write (WnR). */
    cpu->pending_fsr |= ARM_FSR_WNR;
    return 2;
}

/* ARM ARM A8.8 STREX, STREXB, STREXH. */
MEM_HELPER(helper_strex)
{
    uint32_t addr = (uint32_t)a;
    unsigned size = (unsigned)c;
    int r = excl_check(cpu, addr, size);
    if (r != 0)
        return r == 1 ? 1 : 0;
    if (!arm_mem_write(cpu, addr, size | ARM_MEM_ALIGN, (uint32_t)b))
        return 0;
    return 0;
}

/* ARM ARM A8.8 STREXD: Rt to the lower address, Rt2 to address + 4. Both words are
 * in the same naturally aligned doubleword, hence the same page, so the second store
 * cannot fault after the first succeeded (except on a device region). */
MEM_HELPER(helper_strexd)
{
    uint32_t addr = (uint32_t)a;
    int r = excl_check(cpu, addr, 8);
    if (r != 0)
        return r == 1 ? 1 : 0;
    if (!arm_mem_write(cpu, addr, 4 | ARM_MEM_ALIGN, (uint32_t)b) ||
        !arm_mem_write(cpu, addr + 4, 4 | ARM_MEM_ALIGN, (uint32_t)c))
        return 0;
    return 0;
}

/* ARM ARM B1.3.2 (banked registers); B9.3 LDM/STM (User registers). */
bool arm_user_reg_is_banked(uint32_t mode, unsigned r)
{
    if (r >= 8 && r <= 12)
        return mode == ARM_MODE_FIQ;
    if (r == 13 || r == 14)
        return arm_mode_bank(mode) != ARM_BANK_USR;
    return false;
}

MEM_HELPER(helper_get_user_reg)
{
    (void)b;
    (void)c;
    unsigned r = (unsigned)a;
    if (r >= 8 && r <= 12)
        return cpu->usr_r8_12[r - 8];
    if (r == 13)
        return cpu->bank_r13[ARM_BANK_USR];
    return cpu->bank_r14[ARM_BANK_USR];
}

MEM_HELPER(helper_set_user_reg)
{
    (void)c;
    unsigned r = (unsigned)a;
    uint32_t v = (uint32_t)b;
    if (r >= 8 && r <= 12)
        cpu->usr_r8_12[r - 8] = v;
    else if (r == 13)
        cpu->bank_r13[ARM_BANK_USR] = v;
    else
        cpu->bank_r14[ARM_BANK_USR] = v;
    return 0;
}
