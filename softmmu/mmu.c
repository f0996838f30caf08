/*
 * The MMU's common part: choosing the walk (MMU off, short or long descriptors), the
 * permission check of one access against a walk result, execute permission from XN/PXN
 * and SCTLR.WXN/UWXN, and the encodings of the fault status registers and of PAR.
 * The walks themselves are in mmu_short.c and mmu_lpae.c.
 */
#include "softmmu/softmmu.h"

/* ARM ARM B3.2 (VMSA address translation, the MMU disabled: a flat mapping) and B3.3
 * (translation tables: TTBCR.EAE selects the short or the long descriptor format). */
bool mmu_walk(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res)
{
    if (!(regs->sctlr & MMU_SCTLR_M)) {
        /* PAR.ATTR of a flat-mapped data access is Device (Strongly-ordered), as QEMU;
         * `device` stays false: the caller decides that by physical address. */
        *res = (MmuResult){ .pa = va, .page_shift = 12, .perms = MMU_PERM_ALL, .global = true };
        return true;
    }
    if (regs->ttbcr & MMU_TTBCR_EAE)
        return mmu_walk_lpae(pm, regs, va, res);
    return mmu_walk_short(pm, regs, va, res);
}

/* ARM ARM B3.7.2, execute-never restrictions: an instruction fetch needs read permission
 * and XN == 0 (PXN == 0 too for PL1). With the Virtualization Extensions (Cortex-A15),
 * SCTLR.WXN makes a region that a level may write XN for that level, and SCTLR.UWXN
 * makes a region that PL0 may write XN for PL1 (B4.1.130). The per-level reading of WXN
 * is QEMU's. */
uint8_t mmu_perms_exec(uint32_t sctlr, uint8_t rw, bool xn, bool pxn)
{
    bool wxn = (sctlr & MMU_SCTLR_WXN) != 0, uwxn = (sctlr & MMU_SCTLR_UWXN) != 0;
    bool priv_w = (rw & MMU_PERM_PRIV_W) != 0, user_w = (rw & MMU_PERM_USER_W) != 0;
    uint8_t p = rw & (MMU_PERM_PRIV_R | MMU_PERM_PRIV_W | MMU_PERM_USER_R | MMU_PERM_USER_W);
    if ((rw & MMU_PERM_PRIV_R) && !xn && !pxn && !(wxn && priv_w) && !(uwxn && user_w))
        p |= MMU_PERM_PRIV_X;
    if ((rw & MMU_PERM_USER_R) && !xn && !(wxn && user_w))
        p |= MMU_PERM_USER_X;
    return p;
}

static uint8_t needed_perm(MmuAccess access, bool privileged)
{
    switch (access) {
    case MMU_READ: return privileged ? MMU_PERM_PRIV_R : MMU_PERM_USER_R;
    case MMU_WRITE: return privileged ? MMU_PERM_PRIV_W : MMU_PERM_USER_W;
    default: return privileged ? MMU_PERM_PRIV_X : MMU_PERM_USER_X;
    }
}

/* ARM ARM B3.7.1 (access permissions) after the walk and the domain check: a permission
 * fault at the level of the descriptor that mapped va (B3.12, the fault-checking
 * sequence: alignment, translation, access flag, domain, permission). */
bool mmu_check_access(const MmuRegs *regs, MmuResult *res, MmuAccess access, bool privileged)
{
    if (res->perms & needed_perm(access, privileged))
        return true;
    if (regs->ttbcr & MMU_TTBCR_EAE)
        res->fsr = mmu_fsr_long(MMU_FAULT_PERMISSION, res->level);
    else
        res->fsr = mmu_fsr_short(MMU_FAULT_PERMISSION, res->level, res->domain);
    return false;
}

bool mmu_translate(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuAccess access,
                   bool privileged, MmuResult *res)
{
    return mmu_walk(pm, regs, va, res) && mmu_check_access(regs, res, access, privileged);
}

/* ARM ARM B3.13.3, Table B3-23: short-descriptor fault status, FS[4] in bit 10. Level 1
 * faults are the "section" codes, level 2 the "page" codes. */
uint32_t mmu_fsr_short(MmuFault f, unsigned level, unsigned domain)
{
    bool page = level >= 2;
    uint32_t fs;
    switch (f) {
    case MMU_FAULT_ALIGNMENT: fs = 0x01; domain = 0; break;
    case MMU_FAULT_DEBUG: fs = 0x02; domain = 0; break;
    case MMU_FAULT_TRANSLATION: fs = page ? 0x07 : 0x05; break;
    case MMU_FAULT_ACCESS_FLAG: fs = page ? 0x06 : 0x03; break;
    case MMU_FAULT_DOMAIN: fs = page ? 0x0b : 0x09; break;
    case MMU_FAULT_PERMISSION: fs = page ? 0x0f : 0x0d; break;
    case MMU_FAULT_EXTERNAL: fs = 0x08; domain = 0; break;
    default: fs = page ? 0x0e : 0x0c; break; /* external abort on the walk */
    }
    return (fs & 0xfu) | ((fs & 0x10u) << 6) | ((domain & 0xfu) << 4);
}

/* ARM ARM B3.13.3, Table B3-24: long-descriptor fault status STATUS[5:0], bit 9 set;
 * the translation-related codes carry the lookup level in bits [1:0]. */
uint32_t mmu_fsr_long(MmuFault f, unsigned level)
{
    uint32_t st, ll = level & 3;
    switch (f) {
    case MMU_FAULT_ALIGNMENT: st = 0x21; break;
    case MMU_FAULT_DEBUG: st = 0x22; break;
    case MMU_FAULT_TRANSLATION: st = 0x04 | ll; break;
    case MMU_FAULT_ACCESS_FLAG: st = 0x08 | ll; break;
    case MMU_FAULT_DOMAIN: /* no domains in this format */
    case MMU_FAULT_PERMISSION: st = 0x0c | ll; break;
    case MMU_FAULT_EXTERNAL: st = 0x10; break;
    default: st = 0x14 | ll; break; /* external abort on the walk */
    }
    return MMU_FSR_LPAE | st;
}

/* The same fault reported in the long format (TTBCR.EAE == 1: every abort uses the
 * current format, ARM ARM B3.13.3). */
uint32_t mmu_fsr_to_long(uint32_t short_fsr)
{
    if (short_fsr & MMU_FSR_LPAE)
        return short_fsr;
    uint32_t keep = short_fsr & ((1u << 11) | (1u << 12) | (1u << 13)); /* WnR, ExT, CM */
    uint32_t fs = (short_fsr & 0xfu) | ((short_fsr >> 6) & 0x10u);
    uint32_t st;
    switch (fs) {
    case 0x01: st = 0x21; break;
    case 0x02: st = 0x22; break;
    case 0x03: st = 0x09; break;
    case 0x06: st = 0x0a; break;
    case 0x05: st = 0x05; break;
    case 0x07: st = 0x06; break;
    case 0x09: case 0x0d: st = 0x0d; break;
    case 0x0b: case 0x0f: st = 0x0e; break;
    case 0x0c: st = 0x15; break;
    case 0x0e: st = 0x16; break;
    case 0x16: st = 0x11; break; /* asynchronous external abort */
    default: st = 0x10; break;   /* synchronous external abort */
    }
    return keep | MMU_FSR_LPAE | st;
}

/* ARM ARM B4.1.112 (PAR) as written by the ATS1C* operations (B4.2.6).
 * 32-bit format: PA[31:12] (a supersection: SS = 1, PA[31:24] and PA[39:32] in bits
 * 23:16), or F = 1 with FS[5:0] = DFSR bits {12, 10, 3:0} in bits 6:1.
 * 64-bit format (LPAE bit 11): ATTR in bits 63:56, PA[39:12], SH in bits 8:7, or F = 1
 * with the long STATUS in bits 6:1. NS (bit 9) is set as QEMU does for a CPU without
 * the Security Extensions; the other IMPLEMENTATION DEFINED attribute bits are 0. */
uint64_t mmu_par_encode(const MmuRegs *regs, bool ok, const MmuResult *res)
{
    bool lpae = (regs->ttbcr & MMU_TTBCR_EAE) != 0;
    if (lpae) {
        uint64_t par = 1u << 11;
        if (!ok)
            return par | ((uint64_t)(res->fsr & 0x3f) << 1) | 1;
        bool mmu_on = (regs->sctlr & MMU_SCTLR_M) != 0;
        uint8_t attr = mmu_on ? res->attr : 0x00;
        /* Device and Normal Non-cacheable memory is reported Outer Shareable (QEMU). */
        unsigned sh = (!mmu_on || (attr & 0xf0) == 0 || attr == 0x44) ? 2 : (res->sh & 3);
        return par | ((uint64_t)attr << 56) | (res->pa & 0xfffffff000ull) | ((uint64_t)sh << 7) |
               (1u << 9);
    }
    if (!ok) {
        uint32_t f = res->fsr;
        return ((f & 0xfu) << 1) | (((f >> 10) & 1u) << 5) | (((f >> 12) & 1u) << 6) | 1;
    }
    uint64_t par;
    if (res->page_shift == 24)
        par = (res->pa & 0xff000000u) | (((res->pa >> 32) & 0xffu) << 16) | (1u << 1);
    else
        par = res->pa & 0xfffff000u;
    return par | (1u << 9);
}
