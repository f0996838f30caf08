/*
 * The long-descriptor (LPAE) translation table walk (ARM ARM B3.6): TTBR0/TTBR1 selected
 * by TTBCR.T0SZ/T1SZ, 1 GiB blocks at level 1, 2 MiB blocks at level 2, 4 KiB pages at
 * level 3, the hierarchical APTable/XNTable/PXNTable attributes, AP[2:1], the access
 * flag, XN/PXN, nG, and the memory type from AttrIndx and MAIR0/MAIR1.
 */
#include "softmmu/softmmu.h"

#define OA_MASK 0xfffffff000ull /* output address bits [39:12] */

/* Read one 64-bit descriptor: little-endian, or big-endian with SCTLR.EE. Only RAM holds
 * translation tables here; anything else is an external abort on the walk. */
static bool read_desc(PhysMem *pm, const MmuRegs *regs, PhysAddr pa, uint64_t *desc)
{
    uint64_t v;
    if (!physmem_ram_ptr(pm, pa, 8) || physmem_read(pm, pa, 8, &v) != MEM_OK)
        return false;
    *desc = (regs->sctlr & MMU_SCTLR_EE) ? __builtin_bswap64(v) : v;
    return true;
}

static bool fault(MmuResult *res, MmuFault f, unsigned level)
{
    res->level = (uint8_t)level;
    res->fsr = mmu_fsr_long(f, level);
    return false;
}

/* ARM ARM B3.6.4, selecting TTBR0 or TTBR1 by TTBCR.T0SZ and T1SZ: TTBR1
 * maps the top 2^(32-T1SZ) bytes when T1SZ > 0, TTBR0 the bottom 2^(32-T0SZ) bytes;
 * with T0SZ == 0 TTBR0 takes everything below TTBR1's region, with T1SZ == 0 TTBR1
 * everything above TTBR0's. An address in neither region has no TTBR: false. */
static bool select_ttbr(const MmuRegs *regs, uint32_t va, uint64_t *ttbr, unsigned *tsz,
                        bool *disabled)
{
    unsigned t0sz = regs->ttbcr & MMU_TTBCR_T0SZ;
    unsigned t1sz = (regs->ttbcr >> MMU_TTBCR_T1SZ_SHIFT) & 7;
    bool one;
    if (t1sz > 0 && (va >> (32 - t1sz)) == (1u << t1sz) - 1)
        one = true;
    else if (t0sz == 0 || (va >> (32 - t0sz)) == 0)
        one = false;
    else if (t1sz == 0)
        one = true;
    else
        return false;
    *ttbr = one ? regs->ttbr1 : regs->ttbr0;
    *tsz = one ? t1sz : t0sz;
    *disabled = (regs->ttbcr & (one ? MMU_TTBCR_EPD1 : MMU_TTBCR_EPD0)) != 0;
    return true;
}

/* ARM ARM B3.6.6 (the walk: the lookup starts at level 1 when TnSZ is 0 or 1, with the
 * table at TTBRn[39:5-TnSZ], else at level 2, table at TTBRn[39:14-TnSZ]), B3.6.1 (the
 * descriptors, Figures B3-15 to B3-17), B3.6.2 (AttrIndx and MAIRn) and B3.7.1 (AP[2:1],
 * APTable, Table B3-9). Order: translation fault (no TTBR, EPDn, an invalid descriptor,
 * 0b01 at level 3), external abort on the walk, access flag fault. */
bool mmu_walk_lpae(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res)
{
    *res = (MmuResult){ 0 };
    uint64_t ttbr;
    unsigned tsz;
    bool disabled;
    if (!select_ttbr(regs, va, &ttbr, &tsz, &disabled) || disabled)
        return fault(res, MMU_FAULT_TRANSLATION, 1);
    unsigned start = tsz <= 1 ? 1 : 2;
    unsigned low = start == 1 ? 5 - tsz : 14 - tsz;
    PhysAddr table = ttbr & 0xffffffffffull & ~((1ull << low) - 1);
    bool no_user = false, read_only = false, xn_table = false, pxn_table = false;
    unsigned level = start, shift;
    uint64_t desc;
    for (;;) {
        shift = 39 - 9 * level; /* 30, 21, 12 */
        unsigned bits = level == start ? 32 - tsz - shift : 9;
        uint32_t index = (va >> shift) & ((1u << bits) - 1);
        if (!read_desc(pm, regs, table + (PhysAddr)index * 8, &desc))
            return fault(res, MMU_FAULT_EXTERNAL_WALK, level);
        if (!(desc & 1) || (level == 3 && !(desc & 2)))
            return fault(res, MMU_FAULT_TRANSLATION, level);
        if (level == 3 || !(desc & 2))
            break; /* a block (levels 1, 2) or a page (level 3) */
        pxn_table |= (desc >> 59) & 1;
        xn_table |= (desc >> 60) & 1;
        no_user |= (desc >> 61) & 1;
        read_only |= (desc >> 62) & 1;
        table = desc & OA_MASK;
        level++;
    }
    if (!(desc & (1u << 10)))
        return fault(res, MMU_FAULT_ACCESS_FLAG, level);

    unsigned idx = (desc >> 2) & 7;
    uint32_t mair = idx < 4 ? regs->prrr : regs->nmrr;
    res->attr = (uint8_t)(mair >> (8 * (idx & 3)));
    res->device = (res->attr & 0xf0) == 0;
    res->sh = (desc >> 8) & 3;
    res->global = !((desc >> 11) & 1);
    res->level = (uint8_t)level;
    res->page_shift = shift;
    res->pa = (desc & OA_MASK & ~((1ull << shift) - 1)) | (va & ((1u << shift) - 1));
    bool user = ((desc >> 6) & 1) && !no_user;
    bool ro = ((desc >> 7) & 1) || read_only;
    uint8_t rw = MMU_PERM_PRIV_R | (ro ? 0 : MMU_PERM_PRIV_W);
    if (user)
        rw |= MMU_PERM_USER_R | (ro ? 0 : MMU_PERM_USER_W);
    bool xn = ((desc >> 54) & 1) || xn_table, pxn = ((desc >> 53) & 1) || pxn_table;
    res->perms = mmu_perms_exec(regs->sctlr, rw, xn, pxn);
    return true;
}
