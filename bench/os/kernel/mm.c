/*
 * mm.c - physical pages, translation tables, address spaces and the pager.
 *
 * Translation: the short-descriptor format (ARM ARM B3.5), TTBCR.N = 0, so
 * TTBR0 alone translates all 4 GiB.  Every task has its own first-level
 * table (16 KiB, l1_tables[slot]) and ASID (slot + 1).  All tables share
 * the kernel part, copied from kernel_l1 when the address space is made:
 *   0x08000000  1 MiB  GIC            device, privileged only, XN, global
 *   0x09000000  1 MiB  PL011 UART     device, privileged only, XN, global
 *   0x40000000  256 MiB RAM, 1:1      normal write-back, privileged only, global
 * Below USER_TOP (0x40000000, see os.h) are the task's own pages: small
 * pages, non-global (nG: tagged with the ASID), so switching tasks only
 * rewrites TTBR0 and CONTEXTIDR, without TLB maintenance.  Everything is
 * in domain 0, a client domain: the access permissions are checked.
 *
 * The pager maps user pages on demand: a translation fault on an address
 * in one of the task's regions maps a page there and the faulting
 * instruction runs again.  The page is a fresh zeroed one (heap, stack), a
 * private copy of the program's ELF image (its writable data), or a page
 * all tasks share: the read-only part of the image (code, constants),
 * filled on the first fault in any task, and the shared window.  A fault
 * anywhere else, or a permission fault, kills the task (exceptions.c).
 */
#include "kernel.h"

/* ---- descriptor bits ------------------------------------------------------------- */
#define L1_TABLE        0x1u            /* pointer to a second-level table */
#define L1_SECTION      0x2u            /* 1 MiB section */
#define L1_XN           (1u << 4)
#define L1_AP_PRIV      (1u << 10)      /* AP = 0b001: privileged RW, user none */
#define L1_NORMAL       ((1u << 12) | (1u << 3) | (1u << 2))  /* TEX=1 C B: write-back */
#define L1_DEVICE       (1u << 2)       /* B: shareable device */
#define L2_SMALL        0x2u            /* 4 KiB page */
#define L2_XN           0x1u
#define L2_NORMAL       ((1u << 6) | (1u << 3) | (1u << 2))
#define L2_AP_USER_RW   (3u << 4)       /* AP = 0b011: full access */
#define L2_AP_USER_RO   (2u << 4)       /* AP = 0b010: privileged RW, user read-only */
#define L2_NG           (1u << 11)      /* non-global: belongs to one ASID */
#define TTBR_WALK_WB    0x48u           /* table walks inner and outer write-back */

#define SCTLR_M         (1u << 0)       /* MMU */
#define SCTLR_A         (1u << 1)       /* alignment checks */
#define SCTLR_C         (1u << 2)       /* data cache */
#define SCTLR_Z         (1u << 11)      /* branch prediction */
#define SCTLR_I         (1u << 12)      /* instruction cache */
#define SCTLR_V         (1u << 13)      /* high vectors */
#define SCTLR_TRE       (1u << 28)      /* TEX remap */
#define SCTLR_AFE       (1u << 29)      /* access flag */

#define SET_TTBR0(v)        MCR(0, c2, c0, 0, v)
#define SET_TTBCR(v)        MCR(0, c2, c0, 2, v)
#define SET_DACR(v)         MCR(0, c3, c0, 0, v)
#define SET_CONTEXTIDR(v)   MCR(0, c13, c0, 1, v)
#define TLBIALL()           MCR(0, c8, c7, 0, 0)
#define TLBIMVA(va_asid)    MCR(0, c8, c7, 1, va_asid)
#define TLBIASID(asid)      MCR(0, c8, c7, 2, asid)
#define ICIALLU()           MCR(0, c7, c5, 0, 0)
#define DCCMVAU(va)         MCR(0, c7, c11, 1, va)

static u32 kernel_l1[4096] __attribute__((aligned(16384)));
static u32 l1_tables[MAX_TASKS][4096] __attribute__((aligned(16384)));

/* ---- physical pages ------------------------------------------------------------- *
 * Every page from the end of the kernel image to the end of RAM.  Freed pages
 * go on a list threaded through their first word; pages never handed out yet
 * are taken from next_fresh upwards. */
extern char __kernel_end[];
static u32 free_list, next_fresh, free_count;

static void zero_page(u32 *p)
{
    for (u32 i = 0; i < PAGE_SIZE / 4; i += 4) {
        p[i] = 0;
        p[i + 1] = 0;
        p[i + 2] = 0;
        p[i + 3] = 0;
    }
}

u32 frame_alloc(void)
{
    u32 pa;
    if (free_list) {
        pa = free_list;
        free_list = *(u32 *)pa;
    } else if (next_fresh < RAM_END) {
        pa = next_fresh;
        next_fresh += PAGE_SIZE;
    } else {
        return 0;
    }
    free_count--;
    zero_page((u32 *)pa);
    return pa;
}

void frame_free(u32 pa)
{
    *(u32 *)pa = free_list;
    free_list = pa;
    free_count++;
}

u32 frames_free(void) { return free_count; }

/* ---- the kernel's own mappings and the MMU ---------------------------------------- */
void mm_init(void)
{
    next_fresh = ((u32)__kernel_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    free_count = (RAM_END - next_fresh) / PAGE_SIZE;

    for (u32 mb = RAM_BASE >> 20; mb < RAM_END >> 20; mb++)
        kernel_l1[mb] = mb << 20 | L1_SECTION | L1_AP_PRIV | L1_NORMAL;
    kernel_l1[GICD_BASE >> 20] = GICD_BASE | L1_SECTION | L1_AP_PRIV | L1_DEVICE | L1_XN;
    kernel_l1[UART0_BASE >> 20] = UART0_BASE | L1_SECTION | L1_AP_PRIV | L1_DEVICE | L1_XN;
    dsb();

    SET_TTBCR(0);
    SET_DACR(1);                        /* domain 0: client */
    SET_CONTEXTIDR(0);
    SET_TTBR0((u32)kernel_l1 | TTBR_WALK_WB);
    isb();
    TLBIALL();
    ICIALLU();
    dsb();
    isb();
    u32 sctlr = MRC(0, c1, c0, 0) & ~(SCTLR_A | SCTLR_V | SCTLR_TRE | SCTLR_AFE);
    MCR(0, c1, c0, 0, sctlr | SCTLR_M | SCTLR_C | SCTLR_Z | SCTLR_I);
    isb();
}

/* ---- address spaces ---------------------------------------------------------------- */
#define IMAGE_MAX (1u << 20)            /* the program image fits in 1 MiB */
static u32 shared_pages[USER_SHARED_SIZE / PAGE_SIZE];     /* physical, 0 = none yet */
static u32 image_pages[IMAGE_MAX / PAGE_SIZE];             /* read-only image pages */
static struct task *active;                                /* whose TTBR0 is loaded */

/* Pages all tasks map: the shared window and the read-only program pages. */
static int page_is_shared(u32 va, u32 pte)
{
    return (va >= USER_SHARED_BASE && va < USER_SHARED_BASE + USER_SHARED_SIZE) ||
           (va >= USER_IMAGE_BASE && va < USER_IMAGE_BASE + IMAGE_MAX &&
            (pte & L2_AP_USER_RW) == L2_AP_USER_RO);
}

void as_init(struct task *t, u32 slot)
{
    t->l1 = l1_tables[slot];
    t->asid = slot + 1;
    memcpy(t->l1, kernel_l1, sizeof kernel_l1);
    t->pages = 0;
    t->faults = 0;
    dsb();
}

/* Frees the task's pages and second-level tables and drops its ASID's TLB
 * entries, so that the slot's next task can reuse the ASID. */
void as_destroy(struct task *t)
{
    for (u32 mb = 0; mb < USER_TOP >> 20; mb += 4) {
        if ((t->l1[mb] & 3) != L1_TABLE)
            continue;
        u32 *l2 = (u32 *)(t->l1[mb] & ~0x3ffu);    /* four tables: 4 MiB */
        for (u32 i = 0; i < 1024; i++) {
            u32 va = mb << 20 | i << 12;
            if ((l2[i] & 2) && !page_is_shared(va, l2[i]))
                frame_free(l2[i] & ~0xfffu);
        }
        frame_free((u32)l2);
        for (u32 k = 0; k < 4; k++)
            t->l1[mb + k] = 0;
    }
    t->pages = 0;
    dsb();
    TLBIASID(t->asid);
    dsb();
    isb();
}

/* Makes t's address space the current one.  The kernel's mappings are
 * global and the same in every table, so it keeps running undisturbed; the
 * ASID goes through the reserved value 0 so that no translation of the new
 * table is ever tagged with the old ASID (ARM ARM B3.10.4). */
void as_activate(struct task *t)
{
    if (active == t)
        return;
    SET_CONTEXTIDR(0);
    isb();
    SET_TTBR0((u32)t->l1 | TTBR_WALK_WB);
    isb();
    SET_CONTEXTIDR((u32)t->tid << 8 | t->asid);     /* PROCID, ASID */
    isb();
    active = t;
}

/* The task ended: its tables must be loaded again even if its slot's next
 * task gets the same struct. */
void as_forget(struct task *t)
{
    if (active == t)
        active = NULL;
}

/* ---- the program image: the user ELF linked into the kernel (user_image.S) ---- */
struct elf32_ehdr {
    u8 ident[16];
    u16 type, machine;
    u32 version, entry, phoff, shoff, flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr {
    u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
#define PT_LOAD 1
#define PF_X    1
#define PF_W    2

extern const u8 user_elf[], user_elf_end[];
static struct segment {
    u32 vaddr, memsz, offset, filesz, flags;
} segments[4];
static u32 nsegments, image_entry;

void user_image_init(void)
{
    const struct elf32_ehdr *eh = (const void *)user_elf;
    u32 size = user_elf_end - user_elf;
    if (size < sizeof *eh || memcmp(eh->ident, "\177ELF\1\1", 6) != 0 || eh->machine != 40 ||
        eh->phentsize != sizeof(struct elf32_phdr) ||
        eh->phoff + eh->phnum * sizeof(struct elf32_phdr) > size)
        panic("user image: not a 32-bit little-endian ARM ELF file");
    const struct elf32_phdr *ph = (const void *)(user_elf + eh->phoff);
    for (u32 i = 0; i < eh->phnum; i++, ph++) {
        if (ph->type != PT_LOAD || ph->memsz == 0)
            continue;
        if (nsegments == ARRAY_SIZE(segments) || ph->vaddr < USER_IMAGE_BASE ||
            ph->vaddr + ph->memsz > USER_IMAGE_BASE + IMAGE_MAX || ph->vaddr + ph->memsz < ph->vaddr ||
            ph->filesz > ph->memsz || ph->offset + ph->filesz > size)
            panic("user image: bad segment %u", i);
        segments[nsegments++] = (struct segment){ ph->vaddr, ph->memsz, ph->offset,
                                                  ph->filesz, ph->flags };
    }
    image_entry = eh->entry;
}

u32 user_image_entry(void) { return image_entry; }

/* ---- regions: where a task may have pages ------------------------------------------ */
enum region { R_NONE, R_IMAGE, R_HEAP, R_SHARED, R_STACK };
#define MAY_WRITE 1u
#define MAY_EXEC  2u

static enum region region_of(u32 page, u32 *perm)
{
    *perm = MAY_WRITE;
    if (page >= USER_HEAP_BASE && page < USER_HEAP_BASE + USER_HEAP_SIZE)
        return R_HEAP;
    if (page >= USER_SHARED_BASE && page < USER_SHARED_BASE + USER_SHARED_SIZE)
        return R_SHARED;
    if (page >= USER_STACK_TOP - USER_STACK_SIZE && page < USER_STACK_TOP)
        return R_STACK;
    enum region r = R_NONE;
    *perm = 0;
    for (u32 i = 0; i < nsegments; i++) {
        const struct segment *s = &segments[i];
        if (page + PAGE_SIZE > s->vaddr && page < s->vaddr + s->memsz) {
            r = R_IMAGE;
            *perm |= (s->flags & PF_W ? MAY_WRITE : 0) | (s->flags & PF_X ? MAY_EXEC : 0);
        }
    }
    return r;
}

/* Copies the parts of the ELF file that belong to the page at va into the
 * (zeroed) physical page pa; the rest of the page stays zero (.bss). */
static void fill_from_image(u32 pa, u32 va)
{
    for (u32 i = 0; i < nsegments; i++) {
        const struct segment *s = &segments[i];
        u32 lo = s->vaddr > va ? s->vaddr : va;
        u32 hi = s->vaddr + s->filesz < va + PAGE_SIZE ? s->vaddr + s->filesz : va + PAGE_SIZE;
        if (lo < hi)
            memcpy((void *)(pa + (lo - va)), user_elf + s->offset + (lo - s->vaddr), hi - lo);
    }
}

/* Code written through the kernel's alias must reach the instruction side:
 * clean the data cache to the point of unification, invalidate the
 * instruction cache (ARM ARM B2.2.9). */
static void sync_icache(u32 pa)
{
    for (u32 a = pa; a < pa + PAGE_SIZE; a += 32)
        DCCMVAU(a);
    dsb();
    ICIALLU();
    dsb();
    isb();
}

/* The second-level descriptor for va, allocating the table if needed
 * (one 4 KiB page holds the four 1 KiB tables of an aligned 4 MiB). */
static u32 *l2_entry(struct task *t, u32 va, int alloc)
{
    u32 mb = va >> 20;
    if ((t->l1[mb] & 3) != L1_TABLE) {
        if (!alloc)
            return NULL;
        u32 pa = frame_alloc();
        if (!pa)
            return NULL;
        for (u32 k = 0; k < 4; k++)
            t->l1[(mb & ~3u) + k] = (pa + 1024 * k) | L1_TABLE;    /* domain 0 */
    }
    u32 *l2 = (u32 *)(t->l1[mb] & ~0x3ffu);
    return &l2[(va >> 12) & 0xff];
}

/* Maps the page at va in t's address space (it must be unmapped and in a
 * region); returns 0 or E_NOMEM. */
static int map_page(struct task *t, u32 va, enum region r, u32 perm)
{
    u32 *pte = l2_entry(t, va, 1);
    if (!pte)
        return E_NOMEM;
    u32 pa;
    if (r == R_SHARED) {
        u32 *shared = &shared_pages[(va - USER_SHARED_BASE) / PAGE_SIZE];
        if (!*shared)
            *shared = frame_alloc();
        pa = *shared;
    } else if (r == R_IMAGE && !(perm & MAY_WRITE)) {
        u32 *shared = &image_pages[(va - USER_IMAGE_BASE) / PAGE_SIZE];
        if (!*shared && (*shared = frame_alloc()) != 0) {
            fill_from_image(*shared, va);
            if (perm & MAY_EXEC)
                sync_icache(*shared);
        }
        pa = *shared;
    } else {
        pa = frame_alloc();
        if (pa && r == R_IMAGE) {
            fill_from_image(pa, va);
            if (perm & MAY_EXEC)
                sync_icache(pa);
        }
    }
    if (!pa)
        return E_NOMEM;
    *pte = pa | L2_SMALL | L2_NORMAL | L2_NG |
           (perm & MAY_WRITE ? L2_AP_USER_RW : L2_AP_USER_RO) | (perm & MAY_EXEC ? 0 : L2_XN);
    t->pages++;
    /* Make the descriptor visible to the table walk.  An entry that faulted
     * is never held in a TLB, so the TLBIMVA is belt and braces. */
    dsb();
    TLBIMVA(va | t->asid);
    dsb();
    isb();
    return 0;
}

/* A translation fault at va in user mode (write: a store; exec: an
 * instruction fetch).  Returns 0 when the page is now mapped (the
 * instruction is to be retried), E_FAULT if the task may not have a page
 * there, E_NOMEM when memory ran out. */
int pager_fault(struct task *t, u32 va, int write, int exec)
{
    u32 perm;
    u32 page = va & ~(PAGE_SIZE - 1);
    enum region r = va < USER_TOP ? region_of(page, &perm) : R_NONE;
    if (r == R_NONE || (write && !(perm & MAY_WRITE)) || (exec && !(perm & MAY_EXEC)))
        return E_FAULT;
    int err = map_page(t, page, r, perm);
    if (!err)
        t->faults++;
    return err;
}

/* For system calls that read (or write) a user buffer: 1 when the whole
 * buffer lies in t's regions (writable ones for write), after mapping
 * whatever was not mapped yet; the kernel then accesses it directly, with
 * t's address space active. */
int user_buffer_ok(struct task *t, u32 va, u32 len, int write)
{
    if (len == 0)
        return 1;
    if (va >= USER_TOP || len > USER_TOP - va)
        return 0;
    for (u32 page = va & ~(PAGE_SIZE - 1); page < va + len; page += PAGE_SIZE) {
        u32 perm;
        enum region r = region_of(page, &perm);
        if (r == R_NONE || (write && !(perm & MAY_WRITE)))
            return 0;
        u32 *pte = l2_entry(t, page, 0);
        if ((!pte || !(*pte & 2)) && map_page(t, page, r, perm) != 0)
            return 0;
    }
    return 1;
}
