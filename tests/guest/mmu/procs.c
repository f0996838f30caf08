/*
 * procs.c - a tiny multi-process kernel: user address spaces under the
 * short-descriptor MMU, switched by ASID, with demand paging,
 * copy-on-write, permission changes, unmapping, self-modifying user code,
 * user-mode device access, protection checks and an ASID stress run.
 *
 * Why: the "native" engine runs guest user-mode accesses through host
 * mmap'd sandboxes, one per guest address space (ASID / TTBR0, a bounded
 * number of them, recycled least recently used), each page a shared
 * mapping of guest RAM with the permissions user mode has.  Everything
 * that must keep such a sandbox coherent with the guest is exercised here:
 * switching address spaces without TLB maintenance (ASIDs separate them),
 * filling pages on demand (shadow faults vs. guest aborts, retried
 * instructions, multi-word and unaligned accesses crossing pages), TLB
 * maintenance by MVA+ASID / ASID / all / MVA-all-ASIDs for an address
 * space that is or is not the current one, DACR changes (no TLB
 * maintenance needed: the sandbox permissions must follow), writes to
 * pages holding translated code (through the executing mapping, a write
 * alias and the kernel's physical alias), pages that are not RAM (a device
 * and a hole in the physical map), addresses at the top of the 4 GiB
 * space, more address spaces than sandboxes, and ASID reuse.
 *
 * The kernel runs in SVC mode; every process has its own first-level table
 * (TTBR0, TTBCR.N = 0) and ASID (CONTEXTIDR = id << 8 | ASID).  RAM is
 * mapped 1:1 in every table as global, privileged-only sections (domain 0).
 * User pages are nG small pages at the same virtual addresses in every
 * process, backed by different physical pages (domain 1: code, domain 2:
 * data, so that the data domain can be made "no access" while user code
 * still runs).  Exceptions from user mode save the user context and return
 * to the kernel's scheduler loop (k_run), except the data aborts the abort
 * handler resolves itself (demand paging, copy-on-write), which return with
 * SUBS pc, lr, #8 to retry the instruction.  No timers: deterministic.
 *
 * Scenarios (each check prints one line; "# n ..." heads each scenario):
 *  0 the same VAs in three processes hold three different programs, data
 *    and code pages.
 *  1 demand paging: unmapped pages (and a missing second-level table)
 *    filled with zeroed pages by the abort handler without TLB maintenance
 *    (an entry that faults is never held in a TLB), in three processes in
 *    turn, each with its own copies; a read first, STM / unaligned STR /
 *    LDRD running from a mapped page into an unmapped one (DFAR = the first
 *    byte in the unmapped page), STMDB over two unmapped pages (either may
 *    fault first: checked as a set), PLD to an unmapped page (no abort),
 *    and code paged in on a prefetch abort.
 *  2 copy-on-write: one read-only physical page shared by three processes,
 *    copied on the first write (permission fault, TLBIMVA with the writer's
 *    ASID); the others keep seeing the shared page, also after the kernel
 *    writes it; the last writer gets the page itself.  A COW fault taken by
 *    the kernel's STRT (put_user) in SVC mode.  Two VAs aliasing one page.
 *  3 permission changes: user RW -> RO -> RW, kernel-only (AP 001), no
 *    access (AP 000), XN on a page of code that has run, each change
 *    followed by TLBIMVA (made while the process is current, and while
 *    another one is), TLBIMVAA, TLBIASID or TLBIALL; the faulting
 *    instruction retried after the fix; exact DFSR/DFAR/IFSR/IFAR/PC.
 *  4 unmapping: TLBIMVA, TLBIASID, TLBIALL, a whole first-level entry, a
 *    code page; remapping to another physical page; a 1 MiB section and a
 *    64 KiB large page invalidated by TLBIMVA of another page inside them;
 *    a global page remapped with TLBIMVAA and with TLBIMVA of another ASID
 *    (a global entry matches every ASID).  A stale translation must never
 *    be used.
 *  5 self-modifying user code: a writable, executable page rewritten by the
 *    user (whole instructions, one byte, through an XN write alias) and by
 *    the kernel through the physical alias, with the maintenance ARMv7
 *    requires (the kernel does DCCMVAU/ICIMVAU or ICIALLU + ISB on an SVC);
 *    the three processes run different code at the same VA in turn.
 *  6 the PL011 UART (0x09000000) mapped into user processes as device
 *    memory: the user writes its data register (the lines starting with
 *    "uart:" come from there) and reads the flag register.
 *  7 protection: user access to kernel memory (data and execution), kernel
 *    LDRT to kernel memory, a section mapping PA 0x80000000 where there is
 *    no RAM (external abort, DFSR 0x008/0x808 as on QEMU), unmapped
 *    addresses at the top of the address space, unaligned words across the
 *    4 GiB end (UNPREDICTABLE in the ARM ARM; pinned to what QEMU and armvm
 *    do so that all engines agree), user-mode writes to TTBR0 and CPSR.M,
 *    DACR no access (a domain fault before the external abort) / manager
 *    (AP ignored) / client, and Linux's software PAN (user domains no
 *    access in the kernel, opened around each user access).
 *  8 ASID stress: 11 address spaces (more than the native engine's eight
 *    sandboxes) round-robin, 220 yields, each process incrementing a
 *    counter at the same VA and checking its own code and data, the kernel
 *    reading the counter with LDRT under software PAN at every switch;
 *    LDREX/STREX across address spaces; ASID reuse for a new address space
 *    after TLBIASID and after TLBIALL.
 *
 * armvm's soft TLB (interp, jit) has no ASID tags and is flushed when
 * CONTEXTIDR, TTBR0 or DACR is written, like QEMU's: a missing TLB
 * maintenance only shows there when no switch comes in between, hence the
 * cases where the changed process stays current.
 */
#include "mt.h"

void gt_unexpected(int idx, u32 lr, u32 spsr, u32 cpsr) __attribute__((noreturn));

/* ---- user virtual address space (the same in every process) ------------- */
#define UCODE_VA     0x00100000u   /* the user program, 2 pages, copied per process */
#define SMC_VA       0x00110000u   /* RW and executable: self-modifying code */
#define SMC_WVA      0x00111000u   /* the same physical page, RW, XN */
#define LAZY_VA      0x00120000u   /* code paged in on a prefetch abort */
#define DATA_VA      0x00200000u   /* 0 counter, 4 tag, 0x100 results, 0x800 text */
#define STACK_VA     0x00206000u   /* 2 pages */
#define STACK_TOP    0x00208000u
#define COW_VA       0x00210000u
#define PERM_VA      0x00220000u
#define UNMAP_VA     0x00230000u   /* 4 pages */
#define ALIAS_VA     0x00240000u   /* ALIAS_VA and ALIAS_VA + 0x1000: one page */
#define UART_VA      0x00250000u
#define GLOBAL_VA    0x00260000u   /* a global (not nG) page */
#define RO_VA        0x00270000u
#define LARGE_VA     0x00280000u   /* a 64 KiB large page */
#define DEMAND_VA    0x00300000u   /* no first-level entry at first */
#define EXTABT_VA    0x00700000u   /* section -> PA 0x80000000: no RAM there */
#define SECT_VA      0x00800000u   /* a 1 MiB section */
#define TOP_VA       0xfff00000u

#define UART_PA      0x09000000u
#define HOLE_PA      0x80000000u
#define POOL_PA      0x48000000u   /* physical pages for the processes (16 MiB) */
#define SECT_PA      0x49000000u   /* 2 MiB for the section */
#define LARGE_PA     0x49200000u   /* 64 KiB for the large page */

#define DOM_UCODE 1
#define DOM_UDATA 2
#define DACR_USER  ((1u << 0) | (1u << 2) | (1u << 4))  /* 0, 1, 2 client */
#define DACR_PAN   (1u << 0)                             /* user domains no access */
#define DACR_D2NA  ((1u << 0) | (1u << 2))               /* data domain no access */
#define DACR_D2MGR ((1u << 0) | (1u << 2) | (3u << 4))   /* data domain manager */

/* Second-level descriptors for user pages. */
#define U_PAGE(ap)   (P_SMALL | P_SMALL_NORMAL | P_AP(ap) | P_NG)
#define U_DATA(ap)   (U_PAGE(ap) | P_SMALL_XN)
#define U_DEVICE     (P_SMALL | P_B | P_AP(AP_RW) | P_NG | P_SMALL_XN)

/* DFSR values (short format): FS | domain << 4 | WnR */
#define FSR_W        0x800u
#define FS_L2XLAT(d) (0x007u | (u32)(d) << 4)
#define FS_PPERM(d)  (0x00fu | (u32)(d) << 4)
#define FS_PDOM(d)   (0x00bu | (u32)(d) << 4)
#define FS_SDOM(d)   (0x009u | (u32)(d) << 4)
#define FS_SPERM(d)  (0x00du | (u32)(d) << 4)
#define FS_L1XLAT    0x005u        /* domain UNKNOWN: compared with FSR_NODOMAIN */
#define FS_EXTABT    0x008u        /* domain UNKNOWN */

/* System calls (SVC immediate) and the other events k_run returns. */
#define SC_EXIT     0
#define SC_YIELD    1
#define SC_ICIMVAU  2             /* r0 = VA: DCCMVAU, ICIMVAU, BPIALL */
#define SC_ICIALLU  3
#define EV_DABT      0x100u
#define EV_PABT      0x101u
#define EV_UND       0x102u

/* ---- processes ------------------------------------------------------------ */
struct proc {
    u32 r[13], sp, lr, pc, cpsr;  /* user context (offsets known to the assembly) */
    u32 fsr, far;                 /* the abort delivered to the kernel loop */
    u32 id, asid, tag;
    u32 *l1, *l2code, *l2data, *l2dem, *l2top;
    u32 done, nyield;
    u32 ndemand, ncow, nodemand, cow;
    u32 nlog, log_fsr[16], log_far[16];   /* aborts resolved by the handler */
};
_Static_assert(__builtin_offsetof(struct proc, sp) == 52, "asm offsets");
_Static_assert(__builtin_offsetof(struct proc, pc) == 60, "asm offsets");
_Static_assert(__builtin_offsetof(struct proc, fsr) == 68, "asm offsets");

#define NPROC 14
static u32 l1tab[NPROC][4096] __attribute__((aligned(16384)));
static u32 k_l1[4096] __attribute__((aligned(16384)));
static u32 l2pool[40][256] __attribute__((aligned(1024)));
static struct proc procs[NPROC];
static u32 l2_next, pool_next;

struct proc *k_cur;           /* the process k_run runs (used by the assembly) */
u32 k_ksp;                    /* kernel SP saved by k_run */
u32 k_run(struct proc *p);    /* run p in user mode until an event; returns it */

static struct proc *k_mm;     /* the address space in TTBR0/CONTEXTIDR */
static u32 k_user_dacr = DACR_USER;
static int k_pan;             /* DACR_PAN while in the kernel (Linux SW PAN) */
static u32 cow_pa[2], cow_refs[2];   /* COW_VA, COW_VA + 0x1000 */
static volatile u32 kf_armed, kf_count, kf_fsr, kf_far, kf_pc;
static volatile u32 k_secret = 0x5ec7e700u;

/* ---- the user program: position independent, copied to UCODE_VA --------- */
__asm__(
"   .pushsection .text.ublob, \"ax\", %progbits\n"
"   .arm\n"
"   .balign 64\n"
"   .global ublob_start, ublob_end, u_exit, u_id, u_ldr, u_ldr_i, u_str, u_str_i\n"
"   .global u_call, u_call_ret, u_demand, u_demand_x, u_smc, u_count, u_uart\n"
"   .global u_und, u_und_i, u_priv, u_excl\n"
"ublob_start:\n"
"u_exit:\n"                            /* the return address of every call */
"   svc     #0\n"
"   b       u_exit\n"
"u_id:\n"                              /* patched per process: mov r0, #id */
"   mov     r0, #0\n"
"   bx      lr\n"
"u_ldr:\n"                             /* u32 u_ldr(va): [va], 0x5e5e5e5e if skipped */
"   mov     r2, r0\n"
"   movw    r0, #0x5e5e\n"
"   movt    r0, #0x5e5e\n"
"u_ldr_i:\n"
"   ldr     r0, [r2]\n"
"   bx      lr\n"
"u_str:\n"                             /* u_str(va, v) */
"   mov     r2, r0\n"
"   mov     r0, #0\n"
"u_str_i:\n"
"   str     r1, [r2]\n"
"   bx      lr\n"
"u_call:\n"                            /* u32 u_call(va): ((u32 (*)(void))va)() */
"   push    {r4, lr}\n"
"   blx     r0\n"
"u_call_ret:\n"
"   pop     {r4, pc}\n"
/* u32 u_demand(base, npages, seed): word i of page i = seed + i, yield,
 * then check them and that offset 0x800 of each page reads 0 */
"u_demand:\n"
"   push    {r4-r8, lr}\n"
"   mov     r4, r0\n"
"   mov     r5, r1\n"
"   mov     r6, r2\n"
"   mov     r7, #0\n"
"1: add     r3, r4, r7, lsl #12\n"
"   add     r0, r6, r7\n"
"   str     r0, [r3, r7, lsl #2]\n"
"   add     r7, r7, #1\n"
"   cmp     r7, r5\n"
"   blo     1b\n"
"   svc     #1\n"
"   mov     r7, #0\n"
"   mov     r8, #0\n"
"2: add     r3, r4, r7, lsl #12\n"
"   ldr     r0, [r3, r7, lsl #2]\n"
"   add     r1, r6, r7\n"
"   cmp     r0, r1\n"
"   addne   r8, r8, #1\n"
"   ldr     r0, [r3, #0x800]\n"
"   cmp     r0, #0\n"
"   addne   r8, r8, #1\n"
"   add     r7, r7, #1\n"
"   cmp     r7, r5\n"
"   blo     2b\n"
"   mov     r0, r8\n"
"   pop     {r4-r8, pc}\n"
/* u32 u_demand_x(base): accesses to fresh pages base + 0x0000..0x5fff */
"u_demand_x:\n"
"   push    {r4-r9, lr}\n"
"   mov     r4, r0\n"
"   mov     r9, #0\n"
"   ldr     r0, [r4, #0x10]\n"         /* read first: page 0, a zeroed page */
"   cmp     r0, #0\n"
"   addne   r9, r9, #1\n"
"   add     r0, r4, #0x7000\n"
"   pld     [r0]\n"                    /* a hint: never aborts */
"   add     r5, r4, #0xf00\n"
"   add     r5, r5, #0xf8\n"           /* base + 0xff8: 2 words in page 0, 2 in page 1 */
"   ldr     r0, =0x11111111\n"
"   ldr     r1, =0x22222222\n"
"   ldr     r2, =0x33333333\n"
"   ldr     r3, =0x44444444\n"
"   stmia   r5, {r0-r3}\n"
"   add     r6, r4, #0x1f00\n"
"   add     r6, r6, #0xfe\n"           /* base + 0x1ffe: unaligned, into page 2 */
"   ldr     r0, =0xa1b2c3d4\n"
"   str     r0, [r6]\n"
"   add     r7, r4, #0x2f00\n"
"   add     r7, r7, #0xfc\n"           /* base + 0x2ffc: LDRD into page 3 */
"   ldrd    r0, r1, [r7]\n"
"   orrs    r0, r0, r1\n"
"   addne   r9, r9, #1\n"
"   add     r7, r4, #0x5000\n"
"   add     r7, r7, #8\n"              /* base + 0x5008: STMDB into pages 4 and 5 */
"   ldr     r0, =0x55555555\n"
"   ldr     r1, =0x66666666\n"
"   ldr     r2, =0x77777777\n"
"   ldr     r3, =0x88888888\n"
"   stmdb   r7, {r0-r3}\n"
"   ldmia   r5, {r0-r3}\n"
"   ldr     r8, =0x11111111\n"
"   cmp     r0, r8\n"
"   addne   r9, r9, #1\n"
"   ldr     r8, =0x22222222\n"
"   cmp     r1, r8\n"
"   addne   r9, r9, #1\n"
"   ldr     r8, =0x33333333\n"
"   cmp     r2, r8\n"
"   addne   r9, r9, #1\n"
"   ldr     r8, =0x44444444\n"
"   cmp     r3, r8\n"
"   addne   r9, r9, #1\n"
"   ldr     r0, [r6]\n"
"   ldr     r8, =0xa1b2c3d4\n"
"   cmp     r0, r8\n"
"   addne   r9, r9, #1\n"
"   ldrb    r0, [r6, #2]\n"
"   cmp     r0, #0xb2\n"
"   addne   r9, r9, #1\n"
"   ldmdb   r7, {r0-r3}\n"
"   ldr     r8, =0x55555555\n"
"   cmp     r0, r8\n"
"   addne   r9, r9, #1\n"
"   ldr     r8, =0x88888888\n"
"   cmp     r3, r8\n"
"   addne   r9, r9, #1\n"
"   mov     r0, r9\n"
"   pop     {r4-r9, pc}\n"
/* u32 u_excl(va, v, yield): LDREX, [SVC yield,] STREX; the STREX status */
"u_excl:\n"
"   mov     r3, r0\n"
"   ldrex   r0, [r3]\n"
"   cmp     r2, #0\n"
"   svcne   #1\n"
"   strex   r0, r1, [r3]\n"
"   bx      lr\n"
/* u32 u_smc(n, base): n times write "mov r0, #base+i" into SMC_VA, have the
 * kernel synchronise the caches, call it; results at DATA_VA + 0x100 */
"u_smc:\n"
"   push    {r4-r10, lr}\n"
"   mov     r4, r0\n"
"   mov     r5, r1\n"
"   mov     r6, #0\n"
"   mov     r7, #0\n"
"   ldr     r8, =0x00110000\n"         /* SMC_VA */
"   ldr     r9, =0x00111000\n"         /* SMC_WVA */
"   ldr     r10, =0x00200100\n"        /* DATA_VA + 0x100 */
"1: add     r1, r5, r6\n"
"   orr     r2, r1, #0xe3000000\n"
"   orr     r2, r2, #0x00a00000\n"     /* mov r0, #(base + i) */
"   and     r3, r6, #3\n"
"   cmp     r3, #0\n"
"   bne     2f\n"
"   str     r2, [r8]\n"                /* 0: both words, executable VA, ICIMVAU */
"   ldr     r0, =0xe12fff1e\n"         /* bx lr */
"   str     r0, [r8, #4]\n"
"   mov     r0, r8\n"
"   svc     #2\n"
"   b       5f\n"
"2: cmp     r3, #1\n"
"   bne     3f\n"
"   strb    r1, [r8]\n"                /* 1: the immediate byte only, ICIALLU */
"   svc     #3\n"
"   b       5f\n"
"3: cmp     r3, #2\n"
"   bne     4f\n"
"   str     r2, [r9]\n"                /* 2: through the XN write alias, ICIMVAU */
"   mov     r0, r8\n"
"   svc     #2\n"
"   b       5f\n"
"4: str     r2, [r8]\n"                /* 3: write, let the others run, ICIALLU */
"   svc     #1\n"
"   svc     #3\n"
"5: blx     r8\n"
"   str     r0, [r10, r6, lsl #2]\n"
"   add     r1, r5, r6\n"
"   cmp     r0, r1\n"
"   addne   r7, r7, #1\n"
"   svc     #1\n"                      /* the others run their code at this VA */
"   add     r6, r6, #1\n"
"   cmp     r6, r4\n"
"   blo     1b\n"
"   mov     r0, r7\n"
"   pop     {r4-r10, pc}\n"
/* u32 u_count(n, tag, id): n times: check and increment the counter at
 * DATA_VA, check the tag at DATA_VA + 4 and the id the code page returns,
 * yield.  Returns the number of mismatches. */
"u_count:\n"
"   push    {r4-r9, lr}\n"
"   mov     r4, r0\n"
"   mov     r5, #0\n"
"   mov     r6, #0\n"
"   ldr     r7, =0x00200000\n"
"   mov     r8, r1\n"
"   mov     r9, r2\n"
"1: ldr     r0, [r7]\n"
"   cmp     r0, r5\n"
"   addne   r6, r6, #1\n"
"   add     r0, r0, #1\n"
"   str     r0, [r7]\n"
"   ldr     r0, [r7, #4]\n"
"   cmp     r0, r8\n"
"   addne   r6, r6, #1\n"
"   bl      u_id\n"
"   cmp     r0, r9\n"
"   addne   r6, r6, #1\n"
"   svc     #1\n"
"   add     r5, r5, #1\n"
"   cmp     r5, r4\n"
"   blo     1b\n"
"   mov     r0, r6\n"
"   pop     {r4-r9, pc}\n"
/* u32 u_uart(uart, text): send the string through UARTDR; returns
 * UARTFR before << 16 | UARTFR after */
"u_uart:\n"
"   push    {r4-r6, lr}\n"
"   mov     r4, r0\n"
"   mov     r5, r1\n"
"   ldr     r6, [r4, #0x18]\n"
"1: ldrb    r0, [r5], #1\n"
"   cmp     r0, #0\n"
"   beq     3f\n"
"2: ldr     r1, [r4, #0x18]\n"
"   tst     r1, #0x20\n"               /* TXFF */
"   bne     2b\n"
"   str     r0, [r4]\n"
"   b       1b\n"
"3: ldr     r0, [r4, #0x18]\n"
"   orr     r0, r0, r6, lsl #16\n"
"   pop     {r4-r6, pc}\n"
"u_und:\n"                             /* write TTBR0 from user mode */
"   mov     r0, #0\n"
"u_und_i:\n"
"   mcr     p15, 0, r0, c2, c0, 0\n"
"   bx      lr\n"
"u_priv:\n"                            /* try to enter SVC mode; return CPSR */
"   msr     cpsr_c, #0xd3\n"
"   mrs     r0, cpsr\n"
"   bx      lr\n"
"   .ltorg\n"
"ublob_end:\n"
"   .popsection\n");

extern char ublob_start[], ublob_end[], u_exit[], u_id[], u_ldr[], u_ldr_i[], u_str[],
    u_str_i[], u_call[], u_call_ret[], u_demand[], u_demand_x[], u_smc[], u_count[],
    u_uart[], u_und[], u_und_i[], u_priv[], u_excl[];
#define UVA(sym) (UCODE_VA + ((u32)(sym) - (u32)ublob_start))

/* ---- kernel entry and exit -------------------------------------------------
 * k_run(p): saves the kernel's callee-saved registers and SP, loads p's user
 * context and enters user mode.  Any exception from user mode that goes to
 * the kernel saves the user context into k_cur and returns from k_run:
 *   SVC #n -> n (pc = after the SVC); PABT -> EV_PABT, UND -> EV_UND (pc =
 *   the instruction; fsr/far = IFSR/IFAR for PABT); DABT -> EV_DABT when
 *   k_dabt_c says so (pc = the instruction, fsr/far = DFSR/DFAR).
 * k_dabt_c may instead resolve the abort (return 0: SUBS pc, lr, #8 retries
 * the instruction) or skip an expected kernel-mode abort (return 1). */
__asm__(
"   .pushsection .text.kasm, \"ax\", %progbits\n"
"   .arm\n"
"   .balign 4\n"
"   .global k_run\n"
"   .type k_run, %function\n"
"k_run:\n"
"   push    {r4-r11, lr}\n"
"   ldr     r1, =k_ksp\n"
"   str     sp, [r1]\n"
"   ldr     r1, =k_cur\n"
"   str     r0, [r1]\n"
"   ldr     r1, [r0, #64]\n"
"   msr     spsr_fsxc, r1\n"
"   ldr     lr, [r0, #60]\n"
"   add     r1, r0, #52\n"
"   ldmia   r1, {sp, lr}^\n"
"   ldmia   r0, {r0-r12}\n"
"   movs    pc, lr\n"
"   .size k_run, . - k_run\n"
/* (SVC mode) r0 = event: back to k_run's caller */
"k_to_kernel:\n"
"   ldr     sp, =k_ksp\n"
"   ldr     sp, [sp]\n"
"   pop     {r4-r11, pc}\n"
/* SAVE_USER off: r12 pushed; saves r0-r12, SP/LR_usr, PC = LR - off, SPSR */
"   .macro SAVE_USER off\n"
"   ldr     r12, =k_cur\n"
"   ldr     r12, [r12]\n"
"   stmia   r12, {r0-r11}\n"
"   pop     {r0}\n"
"   str     r0, [r12, #48]\n"
"   add     r0, r12, #52\n"
"   stmia   r0, {sp, lr}^\n"
"   sub     r0, lr, #\\off\n"
"   str     r0, [r12, #60]\n"
"   mrs     r0, spsr\n"
"   str     r0, [r12, #64]\n"
"   .endm\n"
"   .global k_svc_entry, k_pabt_entry, k_und_entry, k_dabt_entry\n"
"k_svc_entry:\n"
"   push    {r12}\n"
"   mrs     r12, spsr\n"
"   tst     r12, #0xf\n"
"   bne     1f\n"
"   SAVE_USER 0\n"
"   ldr     r0, [lr, #-4]\n"
"   bic     r0, r0, #0xff000000\n"
"   b       k_to_kernel\n"
"1: pop     {r12}\n"
"   mov     r0, #2\n"
"   b       k_unexpected\n"
"k_pabt_entry:\n"
"   push    {r12}\n"
"   mrs     r12, spsr\n"
"   tst     r12, #0xf\n"
"   bne     1f\n"
"   SAVE_USER 4\n"
"   mrc     p15, 0, r0, c5, c0, 1\n"
"   str     r0, [r12, #68]\n"
"   mrc     p15, 0, r0, c6, c0, 2\n"
"   str     r0, [r12, #72]\n"
"   ldr     r0, =0x101\n"
"   cps     #0x13\n"
"   b       k_to_kernel\n"
"1: pop     {r12}\n"
"   mov     r0, #3\n"
"   b       k_unexpected\n"
"k_und_entry:\n"
"   push    {r12}\n"
"   mrs     r12, spsr\n"
"   tst     r12, #0xf\n"
"   bne     1f\n"
"   SAVE_USER 4\n"
"   ldr     r0, =0x102\n"
"   cps     #0x13\n"
"   b       k_to_kernel\n"
"1: pop     {r12}\n"
"   mov     r0, #1\n"
"   b       k_unexpected\n"
"k_dabt_entry:\n"
"   push    {r0-r12, lr}\n"
"   mov     r0, sp\n"
"   mrs     r1, spsr\n"
"   mrc     p15, 0, r2, c5, c0, 0\n"
"   mrc     p15, 0, r3, c6, c0, 0\n"
"   bl      k_dabt_c\n"
"   cmp     r0, #1\n"
"   beq     1f\n"
"   bhi     2f\n"
"   pop     {r0-r12, lr}\n"
"   subs    pc, lr, #8\n"              /* resolved: retry the instruction */
"1: pop     {r0-r12, lr}\n"
"   subs    pc, lr, #4\n"              /* expected kernel-mode abort: skip */
"2: ldr     r12, =k_cur\n"             /* to the kernel loop */
"   ldr     r12, [r12]\n"
"   pop     {r0-r11}\n"
"   stmia   r12, {r0-r11}\n"
"   pop     {r0, r1}\n"
"   str     r0, [r12, #48]\n"
"   sub     r1, r1, #8\n"
"   str     r1, [r12, #60]\n"
"   add     r0, r12, #52\n"
"   stmia   r0, {sp, lr}^\n"
"   mrs     r0, spsr\n"
"   str     r0, [r12, #64]\n"
"   ldr     r0, =0x100\n"
"   cps     #0x13\n"
"   b       k_to_kernel\n"
"k_unexpected:\n"
"   mov     r1, lr\n"
"   mrs     r2, spsr\n"
"   mrs     r3, cpsr\n"
"   bic     sp, sp, #7\n"
"   bl      gt_unexpected\n"
"   .ltorg\n"
"   .popsection\n");

void k_svc_entry(void), k_pabt_entry(void), k_und_entry(void), k_dabt_entry(void);
u32 k_dabt_c(u32 *frame, u32 spsr, u32 dfsr, u32 dfar);

/* ---- physical pages, tables, mappings ---------------------------------- */
static u32 page_alloc(void)
{
    u32 pa = POOL_PA + (pool_next++ << 12);
    memset((void *)pa, 0, 4096);
    return pa;
}

static u32 *l2_alloc(void)
{
    u32 *t = l2pool[l2_next++];
    memset(t, 0, 1024);
    return t;
}

static inline volatile u32 *phys(u32 pa) { return (volatile u32 *)pa; }

/* The second-level entry for va, or 0 when the first-level one is no table. */
static u32 *pte(struct proc *p, u32 va)
{
    u32 d = p->l1[va >> 20];
    if ((d & 3) != 1)
        return 0;
    return (u32 *)(d & 0xfffffc00u) + ((va >> 12) & 0xff);
}

static void set_pte(struct proc *p, u32 va, u32 desc)
{
    *pte(p, va) = desc;
    mt_dsb();
}

static void map_page(struct proc *p, u32 va, u32 pa, u32 attrs)
{
    set_pte(p, va, (pa & 0xfffff000u) | attrs);
}

/* Physical address of va in p (software walk), 0xffffffff if unmapped. */
static u32 k_pa(struct proc *p, u32 va)
{
    u32 d = p->l1[va >> 20];
    if ((d & 3) == 2)
        return (d & 0xfff00000u) | (va & 0xfffffu);
    u32 *e = pte(p, va);
    if (!e || (*e & 2) == 0)
        return 0xffffffffu;
    return (*e & 0xfffff000u) | (va & 0xfffu);
}

static void tlbi_va(u32 va, u32 asid)
{
    mt_dsb();
    mt_tlbimva((va & 0xfffff000u) | asid);
    mt_dsb();
    mt_isb();
}

static void tlbi_vaa(u32 va)
{
    mt_dsb();
    mt_tlbimvaa(va & 0xfffff000u);
    mt_dsb();
    mt_isb();
}

static void tlbi_asid(u32 asid)
{
    mt_dsb();
    mt_tlbiasid(asid);
    mt_dsb();
    mt_isb();
}

static void ic_sync(void)
{
    mt_dsb();
    MT_MCR(0, c7, c5, 0, 0);       /* ICIALLU */
    MT_MCR(0, c7, c5, 6, 0);       /* BPIALL */
    mt_dsb();
    mt_isb();
}

/* Cache maintenance for code the user wrote at va (the cacheflush system
 * call): with user access enabled in DACR, like Linux's uaccess. */
static void ic_sync_va(u32 va)
{
    u32 dacr = mt_dacr();
    mt_set_dacr(DACR_USER);
    mt_isb();
    mt_dsb();
    MT_MCR(0, c7, c11, 1, va & ~31u);  /* DCCMVAU */
    mt_dsb();
    MT_MCR(0, c7, c5, 1, va & ~31u);   /* ICIMVAU */
    MT_MCR(0, c7, c5, 6, 0);           /* BPIALL */
    mt_dsb();
    mt_set_dacr(dacr);
    mt_isb();
}

static void put_code(u32 pa, u32 imm)
{
    phys(pa)[0] = 0xe3a00000u | imm;   /* mov r0, #imm */
    phys(pa)[1] = 0xe12fff1eu;         /* bx lr */
}

static void kernel_l1_init(u32 *l1)
{
    for (u32 i = 0; i < 4096; i++)
        l1[i] = 0;
    for (u32 mb = 0x400; mb < 0x500; mb++)
        l1[mb] = (mb << 20) | S_SECT | S_NORMAL | S_AP(AP_PRW) | S_DOM(0);
    mt_dsb();
}

#define TAG(id) (0x7a900000u | (id))

static void proc_init(struct proc *p, u32 id, u32 asid)
{
    memset(p, 0, sizeof *p);
    p->id = id;
    p->asid = asid;
    p->tag = TAG(id);
    p->l1 = l1tab[id];
    kernel_l1_init(p->l1);
    p->l2code = l2_alloc();
    p->l2data = l2_alloc();
    mt_map_table(p->l1, UCODE_VA, p->l2code, S_DOM(DOM_UCODE));
    mt_map_table(p->l1, DATA_VA, p->l2data, S_DOM(DOM_UDATA));
    u32 size = (u32)ublob_end - (u32)ublob_start;
    for (u32 off = 0; off < 0x2000; off += 0x1000) {
        u32 pa = page_alloc();
        if (off < size)
            memcpy((void *)pa, ublob_start + off, size - off < 0x1000 ? size - off : 0x1000);
        map_page(p, UCODE_VA + off, pa, U_PAGE(AP_PRW_UR));
    }
    phys(k_pa(p, UVA(u_id)))[0] = 0xe3a00000u | id;       /* mov r0, #id */
    u32 smc = page_alloc();
    put_code(smc, 0xe0 + id);
    map_page(p, SMC_VA, smc, U_PAGE(AP_RW));
    map_page(p, SMC_WVA, smc, U_DATA(AP_RW));
    u32 data = page_alloc();
    phys(data)[1] = p->tag;
    map_page(p, DATA_VA, data, U_DATA(AP_RW));
    map_page(p, STACK_VA, page_alloc(), U_DATA(AP_RW));
    map_page(p, STACK_VA + 0x1000, page_alloc(), U_DATA(AP_RW));
    ic_sync();
    p->cpsr = M_USR;
}

/* Address-space switch: ASID first, then TTBR0 (the kernel only uses
 * global mappings in between), no TLB maintenance. */
static void switch_mm(struct proc *p)
{
    if (k_mm == p)
        return;
    mt_set_contextidr((p->id << 8) | p->asid);
    mt_isb();
    mt_set_ttbr0((u32)p->l1);
    mt_isb();
    k_mm = p;
}

/* ---- the data abort handler (ABT mode) ---------------------------------- */
static void demand_map(struct proc *p, u32 va)
{
    u32 *e1 = &p->l1[va >> 20];
    if ((*e1 & 3) == 0) {
        if (!p->l2dem)
            p->l2dem = l2_alloc();
        mt_map_table(p->l1, va, p->l2dem, S_DOM(DOM_UDATA));
    }
    u32 *e = pte(p, va);
    if ((*e & 3) == 0)
        *e = page_alloc() | U_DATA(AP_RW);
    /* Only a DSB, no TLB maintenance: an entry that gives a Translation
     * fault is never held in a TLB, and the exception return is a context
     * synchronisation event (Linux does the same). */
    mt_dsb();
}

/* A write to copy-on-write page i of p (bit i of p->cow): copy it unless p
 * is its last user, map it writable, TLBIMVA with p's ASID.  1 if it was. */
static int cow_fault(struct proc *p, u32 dfsr, u32 dfar)
{
    u32 fs = (dfsr & 0xf) | ((dfsr >> 6) & 0x10);
    u32 i = (dfar - COW_VA) >> 12;
    if (fs != 0xf || !(dfsr & FSR_W) || i > 1 || !(p->cow & (1u << i)))
        return 0;
    u32 va = COW_VA + (i << 12), pa = cow_pa[i];
    if (cow_refs[i] > 1) {
        pa = page_alloc();
        memcpy((void *)pa, (void *)cow_pa[i], 4096);
    }
    cow_refs[i]--;
    map_page(p, va, pa, U_DATA(AP_RW));
    tlbi_va(va, p->asid);
    p->cow &= ~(1u << i);
    p->ncow++;
    return 1;
}

static void log_fault(struct proc *p, u32 dfsr, u32 dfar)
{
    if (p->nlog < 16) {
        p->log_fsr[p->nlog] = dfsr;
        p->log_far[p->nlog] = dfar;
    }
    p->nlog++;
}

u32 k_dabt_c(u32 *frame, u32 spsr, u32 dfsr, u32 dfar)
{
    u32 mode = spsr & 0x1f;
    if (mode != M_USR) {
        /* the kernel's STRT to a user copy-on-write page (put_user) */
        if (mode == M_SVC && kf_armed && cow_fault(k_mm, dfsr, dfar)) {
            log_fault(k_mm, dfsr, dfar);
            return 0;
        }
        if (mode == M_SVC && kf_armed) {
            kf_count++;
            kf_fsr = dfsr;
            kf_far = dfar;
            kf_pc = frame[13] - 8;
            return 1;
        }
        u32 cpsr;
        __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
        gt_unexpected(4, frame[13], spsr, cpsr);
    }
    struct proc *p = k_cur;
    u32 fs = (dfsr & 0xf) | ((dfsr >> 6) & 0x10);
    int fixed = 0;
    if (!p->nodemand && dfar - DEMAND_VA < 0x100000u && (fs == 5 || fs == 7)) {
        demand_map(p, dfar);
        p->ndemand++;
        fixed = 1;
    } else if (cow_fault(p, dfsr, dfar)) {
        fixed = 1;
    }
    if (fixed) {
        log_fault(p, dfsr, dfar);
        return 0;
    }
    p->fsr = dfsr;
    p->far = dfar;
    return 2;
}

/* ---- running processes ---------------------------------------------------- */
static u32 k_enter_user(struct proc *p)
{
    switch_mm(p);
    if (k_pan || mt_dacr() != k_user_dacr) {
        mt_set_dacr(k_user_dacr);
        mt_isb();
    }
    p->fsr = p->far = 0;
    u32 ev = k_run(p);
    if (k_pan) {
        mt_set_dacr(DACR_PAN);
        mt_isb();
    }
    return ev;
}

static void k_start(struct proc *p, const char *fn, u32 a0, u32 a1, u32 a2)
{
    for (u32 i = 0; i < 13; i++)
        p->r[i] = 0;
    p->r[0] = a0;
    p->r[1] = a1;
    p->r[2] = a2;
    p->sp = STACK_TOP;
    p->lr = UVA(u_exit);
    p->pc = UVA(fn);
    p->cpsr = M_USR;
    p->done = 0;
    p->nyield = 0;
}

/* Run p until it exits or raises an abort / undefined instruction. */
static u32 k_go(struct proc *p)
{
    for (;;) {
        u32 ev = k_enter_user(p);
        if (ev == SC_YIELD)
            p->nyield++;
        else if (ev == SC_ICIMVAU)
            ic_sync_va(p->r[0]);
        else if (ev == SC_ICIALLU)
            ic_sync();
        else
            return ev;
    }
}

static const char *ev_name(u32 ev)
{
    switch (ev) {
    case SC_EXIT: return "exit";
    case EV_DABT: return "dabt";
    case EV_PABT: return "pabt";
    case EV_UND: return "und";
    default: return "svc";
    }
}

static void bad_event(const char *name, struct proc *p, u32 ev)
{
    gt_checks++;
    gt_failures++;
    gt_printf("%s: FAIL unexpected %s (%u) in process %u: pc=0x%08x fsr=0x%08x far=0x%08x "
              "cpsr=0x%08x\n", name, ev_name(ev), ev, p->id, p->pc, p->fsr, p->far, p->cpsr);
}

/* fn(a0, a1, a2) in p; its result, MT_ABORTED after an unexpected event. */
static u32 ucall3(const char *name, struct proc *p, const char *fn, u32 a0, u32 a1, u32 a2)
{
    k_start(p, fn, a0, a1, a2);
    u32 ev = k_go(p);
    if (ev != SC_EXIT) {
        bad_event(name, p, ev);
        return MT_ABORTED;
    }
    return p->r[0];
}

static u32 ucall(const char *name, struct proc *p, const char *fn, u32 a0, u32 a1)
{
    return ucall3(name, p, fn, a0, a1, 0);
}

/* Check the event that stopped p: kind, PC, FSR & mask, FAR. */
static int expect_ev(const char *name, struct proc *p, u32 ev, u32 want_ev, u32 pc, u32 fsr,
                     u32 mask, u32 far)
{
    u32 f = p->fsr & mask;
    gt_checks++;
    if (ev == want_ev && p->pc == pc && (p->cpsr & 0x1f) == M_USR && f == fsr && p->far == far) {
        if (ev == EV_UND)
            gt_printf("%s: ok und pc=0x%08x\n", name, p->pc);
        else
            gt_printf("%s: ok %s fsr=0x%08x far=0x%08x pc=0x%08x\n", name, ev_name(ev), f,
                      p->far, p->pc);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL got %s (%u) fsr=0x%08x far=0x%08x pc=0x%08x cpsr=0x%08x, want %s "
              "fsr=0x%08x far=0x%08x pc=0x%08x\n", name, ev_name(ev), ev, f, p->far, p->pc,
              p->cpsr, ev_name(want_ev), fsr, far, pc);
    return 0;
}

/* fn(a0, a1) in p must stop with want_ev at pc; then it continues after the
 * faulting instruction (a prefetch abort in u_call returns MT_SENT from the
 * call).  Returns fn's result. */
static u32 ucall_fault(const char *name, struct proc *p, const char *fn, u32 a0, u32 a1,
                       u32 want_ev, u32 pc, u32 fsr, u32 mask, u32 far)
{
    k_start(p, fn, a0, a1, 0);
    u32 ev = k_go(p);
    expect_ev(name, p, ev, want_ev, pc, fsr, mask, far);
    if (ev == EV_DABT || ev == EV_UND) {
        p->pc += 4;
    } else if (ev == EV_PABT) {
        p->pc = p->lr;
        p->r[0] = MT_SENT;
    } else {
        return ev == SC_EXIT ? p->r[0] : MT_ABORTED;
    }
    ev = k_go(p);
    if (ev != SC_EXIT) {
        bad_event(name, p, ev);
        return MT_ABORTED;
    }
    return p->r[0];
}

/* Round-robin: every process in ps has been k_start'ed; a yield moves on to
 * the next one, hook (if any) running in between. */
static u32 k_sched(struct proc **ps, u32 n, void (*hook)(struct proc *))
{
    u32 left = n, i = 0, yields = 0;
    for (u32 j = 0; j < n; j++)
        ps[j]->done = 0;
    while (left) {
        struct proc *p = ps[i];
        if (!p->done) {
            u32 ev = k_enter_user(p);
            if (ev == SC_ICIMVAU) {
                ic_sync_va(p->r[0]);
                continue;
            }
            if (ev == SC_ICIALLU) {
                ic_sync();
                continue;
            }
            if (ev == SC_YIELD) {
                yields++;
                p->nyield++;
                if (hook)
                    hook(p);
            } else {
                p->done = 1;
                left--;
                if (ev != SC_EXIT) {
                    bad_event("sched", p, ev);
                    p->r[0] = MT_ABORTED;
                }
            }
        }
        if (++i == n)
            i = 0;
    }
    return yields;
}

/* ---- kernel-mode probes (faults recorded and skipped) --------------------- */
static u32 kprobe(u32 (*fn)(u32), u32 va)
{
    kf_count = 0;
    kf_armed = 1;
    u32 v = fn(va);
    kf_armed = 0;
    return v;
}

static int kexpect_none(const char *name, u32 got, u32 want)
{
    if (kf_count) {
        gt_checks++;
        gt_failures++;
        gt_printf("%s: FAIL kernel abort fsr=0x%08x far=0x%08x pc=0x%08x\n", name, kf_fsr,
                  kf_far, kf_pc);
        return 0;
    }
    return gt_check(name, got, want);
}

static int kexpect_abort(const char *name, u32 got, const void *insn, u32 fsr, u32 mask,
                         u32 far)
{
    gt_checks++;
    if (kf_count == 1 && kf_pc == (u32)insn && (kf_fsr & mask) == fsr && kf_far == far
        && got == MT_SENT) {
        gt_printf("%s: ok kernel dabt fsr=0x%08x far=0x%08x\n", name, kf_fsr & mask, kf_far);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL %u kernel abort(s) fsr=0x%08x far=0x%08x pc=0x%08x value 0x%08x, want "
              "fsr=0x%08x far=0x%08x\n", name, kf_count, kf_fsr, kf_far, kf_pc, got, fsr, far);
    return 0;
}

static int check_fault(const char *name, u32 fsr, u32 far, u32 want_fsr, u32 mask, u32 want_far)
{
    gt_checks++;
    if ((fsr & mask) == want_fsr && far == want_far) {
        gt_printf("%s: ok fsr=0x%08x far=0x%08x\n", name, fsr & mask, far);
        return 1;
    }
    gt_failures++;
    gt_printf("%s: FAIL fsr=0x%08x far=0x%08x, want fsr=0x%08x far=0x%08x\n", name, fsr & mask,
              far, want_fsr, want_far);
    return 0;
}

static char nbuf[96];
static const char *nm(const char *fmt, u32 a)
{
    gt_snprintf(nbuf, sizeof nbuf, fmt, a);
    return nbuf;
}

static struct proc *A, *B, *C;
static struct proc *abc[3];
static char pname(struct proc *p) { return (char)('A' + p->id - 1); }

/* ---- 0: three processes, one VA, three contents -------------------------- */
static void identity(void)
{
    gt_printf("# 0 three address spaces, the same VAs\n");
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        gt_check(nm("ident-%c-code", pname(p)), ucall("ident", p, u_id, 0, 0), p->id);
        gt_check(nm("ident-%c-data", pname(p)), ucall("ident", p, u_ldr, DATA_VA + 4, 0), p->tag);
        gt_check(nm("ident-%c-smc-page", pname(p)), ucall("ident", p, u_call, SMC_VA, 0),
                 0xe0 + p->id);
    }
}

/* ---- 1: demand paging ------------------------------------------------------ */
#define SEED(p) ((p)->id << 20)

static void demand(void)
{
    gt_printf("# 1 demand paging\n");
    for (u32 i = 0; i < 3; i++)
        k_start(abc[i], u_demand, DEMAND_VA, 8, SEED(abc[i]));
    u32 y = k_sched(abc, 3, 0);
    gt_check("demand-yields", y, 3);
    u32 pas[3][8];
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        char c = pname(p);
        gt_check(nm("demand-%c-user-check", c), p->r[0], 0);
        gt_check(nm("demand-%c-faults", c), p->ndemand, 8);
        gt_check(nm("demand-%c-logged", c), p->nlog, 8);
        for (u32 k = 0; k < 8 && k < p->nlog; k++) {
            char n[48];
            gt_snprintf(n, sizeof n, "demand-%c-fault%u", c, k);
            if (k == 0)   /* no second-level table yet */
                check_fault(n, p->log_fsr[k], p->log_far[k], FSR_W | FS_L1XLAT, FSR_NODOMAIN,
                            DEMAND_VA);
            else
                check_fault(n, p->log_fsr[k], p->log_far[k], FSR_W | FS_L2XLAT(DOM_UDATA),
                            FSR_ALL, DEMAND_VA + (k << 12) + 4 * k);
        }
        u32 bad = 0;
        for (u32 k = 0; k < 8; k++) {
            u32 va = DEMAND_VA + (k << 12);
            pas[i][k] = k_pa(p, va) & ~0xfffu;
            if (phys(pas[i][k])[k] != SEED(p) + k || phys(pas[i][k])[0x200] != 0)
                bad++;
            for (u32 j = 0; j < i; j++)
                for (u32 m = 0; m < 8; m++)
                    if (pas[j][m] == pas[i][k])
                        bad++;
        }
        gt_check(nm("demand-%c-own-physical-pages", c), bad, 0);
    }

    /* one process: a read first, STM / unaligned STR / LDRD into unmapped pages */
    A->nlog = A->ndemand = 0;
    u32 base = DEMAND_VA + 0x80000;
    gt_check("demand-x-A-user-check", ucall("demand-x", A, u_demand_x, base, 0), 0);
    gt_check("demand-x-A-faults", A->ndemand, 6);
    static const u32 xf[4] = { FS_L2XLAT(DOM_UDATA), FSR_W | FS_L2XLAT(DOM_UDATA),
                               FSR_W | FS_L2XLAT(DOM_UDATA), FS_L2XLAT(DOM_UDATA) };
    static const u32 xa[4] = { 0x10, 0x1000, 0x2000, 0x3000 };
    static const char *const xn[4] = { "demand-x-ldr-read-first", "demand-x-stm-into-page1",
                                       "demand-x-unaligned-str-into-page2",
                                       "demand-x-ldrd-into-page3" };
    for (u32 k = 0; k < 4 && k < A->nlog; k++)
        check_fault(xn[k], A->log_fsr[k], A->log_far[k], xf[k], FSR_ALL, base + xa[k]);
    /* STMDB over two unmapped pages: the architecture does not order the
     * accesses of a multi-word access to Normal memory: either page first */
    if (A->nlog >= 6) {
        u32 lo = A->log_far[4] < A->log_far[5] ? 4 : 5;
        check_fault("demand-x-stmdb-two-pages-lower", A->log_fsr[lo], A->log_far[lo],
                    FSR_W | FS_L2XLAT(DOM_UDATA), FSR_ALL, base + 0x4ff8);
        check_fault("demand-x-stmdb-two-pages-upper", A->log_fsr[9 - lo], A->log_far[9 - lo],
                    FSR_W | FS_L2XLAT(DOM_UDATA), FSR_ALL, base + 0x5000);
    }
    gt_check("demand-x-pld-no-page", k_pa(A, base + 0x7000), 0xffffffffu);
    gt_check("demand-x-B-untouched", k_pa(B, base), 0xffffffffu);

    /* code paged in on a prefetch abort */
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        char c = pname(p);
        k_start(p, u_call, LAZY_VA, 0, 0);
        u32 ev = k_go(p);
        expect_ev(nm("lazy-code-%c-pabt", c), p, ev, EV_PABT, LAZY_VA, 0x007, IFSR_MASK,
                  LAZY_VA);
        u32 pa = page_alloc();
        put_code(pa, 0x70 + p->id);
        ic_sync();
        map_page(p, LAZY_VA, pa, U_PAGE(AP_PRW_UR));
        ev = k_go(p);
        if (ev != SC_EXIT)
            bad_event("lazy-code", p, ev);
        else
            gt_check(nm("lazy-code-%c-runs", c), p->r[0], 0x70 + p->id);
    }
}

/* ---- 2: copy-on-write -------------------------------------------------------- */
static void cow(void)
{
    gt_printf("# 2 copy-on-write\n");
    cow_pa[0] = page_alloc();
    for (u32 i = 0; i < 1024; i++)
        phys(cow_pa[0])[i] = 0xc0de0000u + i;
    for (u32 i = 0; i < 3; i++) {
        map_page(abc[i], COW_VA, cow_pa[0], U_DATA(AP_PRW_UR));
        abc[i]->cow = 1;
        abc[i]->ncow = abc[i]->nlog = 0;
    }
    cow_refs[0] = 3;
    for (u32 i = 0; i < 3; i++)
        gt_check(nm("cow-%c-reads-shared", pname(abc[i])),
                 ucall("cow", abc[i], u_ldr, COW_VA + 0x40, 0), 0xc0de0010u);
    ucall("cow", A, u_str, COW_VA + 0x40, 0xaaaa0001u);
    gt_check("cow-A-faults", A->ncow, 1);
    if (A->nlog)
        check_fault("cow-A-fault", A->log_fsr[0], A->log_far[0], FSR_W | FS_PPERM(DOM_UDATA),
                    FSR_ALL, COW_VA + 0x40);
    gt_check("cow-A-sees-its-write", ucall("cow", A, u_ldr, COW_VA + 0x40, 0), 0xaaaa0001u);
    gt_check("cow-A-copy-has-the-rest", ucall("cow", A, u_ldr, COW_VA + 0x44, 0), 0xc0de0011u);
    gt_check("cow-B-still-shared", ucall("cow", B, u_ldr, COW_VA + 0x40, 0), 0xc0de0010u);
    gt_check("cow-C-still-shared", ucall("cow", C, u_ldr, COW_VA + 0x40, 0), 0xc0de0010u);
    gt_check("cow-shared-page-unchanged", phys(cow_pa[0])[0x10], 0xc0de0010u);
    /* the kernel writes the shared page: B and C see it, A has its copy */
    phys(cow_pa[0])[0x12] = 0x5eed0001u;
    gt_check("cow-B-sees-kernel-write", ucall("cow", B, u_ldr, COW_VA + 0x48, 0), 0x5eed0001u);
    gt_check("cow-C-sees-kernel-write", ucall("cow", C, u_ldr, COW_VA + 0x48, 0), 0x5eed0001u);
    gt_check("cow-A-copy-unaffected", ucall("cow", A, u_ldr, COW_VA + 0x48, 0), 0xc0de0012u);
    ucall("cow", B, u_str, COW_VA + 0x40, 0xbbbb0002u);
    gt_check("cow-B-faults", B->ncow, 1);
    gt_check("cow-C-after-B-still-shared", ucall("cow", C, u_ldr, COW_VA + 0x40, 0), 0xc0de0010u);
    ucall("cow", C, u_str, COW_VA + 0x40, 0xcccc0003u);
    gt_check("cow-C-faults", C->ncow, 1);
    gt_check("cow-C-got-the-shared-page", k_pa(C, COW_VA), cow_pa[0]);
    ucall("cow", A, u_str, COW_VA + 0x4c, 0xaaaa0004u);
    gt_check("cow-A-no-second-fault", A->ncow, 1);
    u32 want[3] = { 0xaaaa0001u, 0xbbbb0002u, 0xcccc0003u };
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        gt_check(nm("cow-%c-final", pname(p)), ucall("cow", p, u_ldr, COW_VA + 0x40, 0), want[i]);
        gt_check(nm("cow-%c-final-physical", pname(p)), phys(k_pa(p, COW_VA + 0x40))[0],
                 want[i]);
    }
    gt_check("cow-three-pages", k_pa(A, COW_VA) != k_pa(B, COW_VA)
             && k_pa(A, COW_VA) != cow_pa[0] && k_pa(B, COW_VA) != cow_pa[0], 1);

    /* the kernel's STRT (put_user) to a copy-on-write page: a permission
     * fault in SVC mode, resolved by the handler, the STRT retried */
    cow_pa[1] = page_alloc();
    phys(cow_pa[1])[4] = 0xc1de0004u;
    map_page(A, COW_VA + 0x1000, cow_pa[1], U_DATA(AP_PRW_UR));
    map_page(B, COW_VA + 0x1000, cow_pa[1], U_DATA(AP_PRW_UR));
    A->cow |= 2;
    B->cow |= 2;
    cow_refs[1] = 2;
    A->nlog = 0;
    gt_check("cow-put-user-B-reads-shared", ucall("cow", B, u_ldr, COW_VA + 0x1010, 0),
             0xc1de0004u);
    gt_check("cow-put-user-A-reads-shared", ucall("cow", A, u_ldr, COW_VA + 0x1010, 0),
             0xc1de0004u);
    kf_count = 0;
    kf_armed = 1;
    mt_p_strt(COW_VA + 0x1010, 0xfeed0001u);         /* A is current */
    kf_armed = 0;
    gt_check("cow-put-user-no-kernel-fault-left", kf_count, 0);
    gt_check("cow-put-user-A-faults", A->ncow, 2);
    if (A->nlog)
        check_fault("cow-put-user-fault", A->log_fsr[0], A->log_far[0],
                    FSR_W | FS_PPERM(DOM_UDATA), FSR_ALL, COW_VA + 0x1010);
    gt_check("cow-put-user-A-sees-it", ucall("cow", A, u_ldr, COW_VA + 0x1010, 0), 0xfeed0001u);
    gt_check("cow-put-user-B-still-shared", ucall("cow", B, u_ldr, COW_VA + 0x1010, 0),
             0xc1de0004u);
    gt_check("cow-put-user-shared-page-unchanged", phys(cow_pa[1])[4], 0xc1de0004u);

    /* two VAs, one physical page, in one process */
    u32 pa = page_alloc();
    map_page(A, ALIAS_VA, pa, U_DATA(AP_RW));
    map_page(A, ALIAS_VA + 0x1000, pa, U_DATA(AP_RW));
    gt_check("alias-first-read", ucall("alias", A, u_ldr, ALIAS_VA + 0x1f0, 0), 0);
    ucall("alias", A, u_str, ALIAS_VA + 0x1f0, 0xa11a5001u);
    gt_check("alias-read-other-va", ucall("alias", A, u_ldr, ALIAS_VA + 0x11f0, 0), 0xa11a5001u);
    ucall("alias", A, u_str, ALIAS_VA + 0x11f0, 0xa11a5002u);
    gt_check("alias-read-first-va", ucall("alias", A, u_ldr, ALIAS_VA + 0x1f0, 0), 0xa11a5002u);
}

/* ---- 3: permission changes ------------------------------------------------- */
static void perms(void)
{
    gt_printf("# 3 permission changes\n");
    u32 pa = page_alloc(), pb = page_alloc();
    map_page(A, PERM_VA, pa, U_DATA(AP_RW));
    map_page(B, PERM_VA, pb, U_DATA(AP_RW));
    ucall("perm", A, u_str, PERM_VA + 8, 0x11111111u);
    ucall("perm", B, u_str, PERM_VA + 8, 0x22222222u);
    gt_check("perm-writes-landed", phys(pa)[2] == 0x11111111u && phys(pb)[2] == 0x22222222u, 1);

    /* RW -> RO, TLBIMVA(va | ASID A) while B is the current address space */
    map_page(A, PERM_VA, pa, U_DATA(AP_PRW_UR));
    tlbi_va(PERM_VA, A->asid);
    gt_check("perm-ro-A-read", ucall("perm", A, u_ldr, PERM_VA + 8, 0), 0x11111111u);
    k_start(A, u_str, PERM_VA + 8, 0x33333333u, 0);
    u32 ev = k_go(A);
    expect_ev("perm-ro-A-write-aborts", A, ev, EV_DABT, UVA(u_str_i), FSR_W | FS_PPERM(DOM_UDATA),
              FSR_ALL, PERM_VA + 8);
    gt_check("perm-ro-A-memory-unchanged", phys(pa)[2], 0x11111111u);
    /* back to RW, and the same instruction is retried */
    map_page(A, PERM_VA, pa, U_DATA(AP_RW));
    tlbi_va(PERM_VA, A->asid);
    ev = k_go(A);
    gt_check("perm-rw-again-A-retry-exits", ev, SC_EXIT);
    gt_check("perm-rw-again-A-write-landed", phys(pa)[2], 0x33333333u);
    /* RW -> RO again, now while A is the current address space (its RW
     * translation was just used: a TLB that kept it would let this write in) */
    map_page(A, PERM_VA, pa, U_DATA(AP_PRW_UR));
    tlbi_va(PERM_VA, A->asid);
    ucall_fault("perm-ro-current-A-write", A, u_str, PERM_VA + 8, 0x3333aaaau, EV_DABT,
                UVA(u_str_i), FSR_W | FS_PPERM(DOM_UDATA), FSR_ALL, PERM_VA + 8);
    gt_check("perm-ro-current-A-memory-unchanged", phys(pa)[2], 0x33333333u);
    map_page(A, PERM_VA, pa, U_DATA(AP_RW));
    tlbi_va(PERM_VA, A->asid);
    ucall("perm", B, u_str, PERM_VA + 8, 0x44444444u);
    gt_check("perm-B-unaffected", phys(pb)[2], 0x44444444u);

    /* RW -> kernel only (AP 001), TLBIMVAA, A current */
    gt_check("perm-rw-A-read", ucall("perm", A, u_ldr, PERM_VA + 8, 0), 0x33333333u);
    map_page(A, PERM_VA, pa, U_DATA(AP_PRW));
    tlbi_vaa(PERM_VA);
    gt_check("perm-kernel-only-A-read-value",
             ucall_fault("perm-kernel-only-A-read", A, u_ldr, PERM_VA + 8, 0, EV_DABT,
                         UVA(u_ldr_i), FS_PPERM(DOM_UDATA), FSR_ALL, PERM_VA + 8), MT_SENT);
    u32 v = kprobe(mt_p_ldr, PERM_VA + 8);           /* A is current: privileged access */
    kexpect_none("perm-kernel-only-kernel-ldr", v, 0x33333333u);
    v = kprobe(mt_p_ldrt, PERM_VA + 8);
    kexpect_abort("perm-kernel-only-kernel-ldrt", v, mt_p_ldrt_i, FS_PPERM(DOM_UDATA), FSR_ALL,
                  PERM_VA + 8);
    gt_check("perm-kernel-only-B-read", ucall("perm", B, u_ldr, PERM_VA + 8, 0), 0x44444444u);
    /* back to RW, TLBIASID */
    map_page(A, PERM_VA, pa, U_DATA(AP_RW));
    tlbi_asid(A->asid);
    gt_check("perm-rw-after-tlbiasid-A-read", ucall("perm", A, u_ldr, PERM_VA + 8, 0),
             0x33333333u);
    /* no access (AP 000), TLBIALL */
    map_page(A, PERM_VA, pa, U_DATA(AP_NONE));
    mt_tlb_flush();
    ucall_fault("perm-none-A-write", A, u_str, PERM_VA + 8, 0x55555555u, EV_DABT, UVA(u_str_i),
                FSR_W | FS_PPERM(DOM_UDATA), FSR_ALL, PERM_VA + 8);
    v = kprobe(mt_p_ldr, PERM_VA + 8);
    kexpect_abort("perm-none-kernel-ldr", v, mt_p_ldr_i, FS_PPERM(DOM_UDATA), FSR_ALL,
                  PERM_VA + 8);
    map_page(A, PERM_VA, pa, U_DATA(AP_RW));
    tlbi_va(PERM_VA, A->asid);
    gt_check("perm-rw-after-none-A-read", ucall("perm", A, u_ldr, PERM_VA + 8, 0), 0x33333333u);

    /* XN on a page of code that has just run, then executable again */
    gt_check("perm-x-A-call", ucall("perm", A, u_call, LAZY_VA, 0), 0x71);
    u32 lazy = k_pa(A, LAZY_VA);
    map_page(A, LAZY_VA, lazy, U_PAGE(AP_PRW_UR) | P_SMALL_XN);
    tlbi_va(LAZY_VA, A->asid);
    gt_check("perm-xn-A-call-value",
             ucall_fault("perm-xn-A-call", A, u_call, LAZY_VA, 0, EV_PABT, LAZY_VA, 0x00f,
                         IFSR_MASK, LAZY_VA), MT_SENT);
    gt_check("perm-xn-B-call", ucall("perm", B, u_call, LAZY_VA, 0), 0x72);
    map_page(A, LAZY_VA, lazy, U_PAGE(AP_PRW_UR));
    tlbi_va(LAZY_VA, A->asid);
    gt_check("perm-x-again-A-call", ucall("perm", A, u_call, LAZY_VA, 0), 0x71);
}

/* ---- 4: unmapping ------------------------------------------------------------- */
static void unmap(void)
{
    gt_printf("# 4 unmapping\n");
    struct proc *ab[2] = { A, B };
    for (u32 i = 0; i < 2; i++)
        for (u32 k = 0; k < 4; k++) {
            map_page(ab[i], UNMAP_VA + (k << 12), page_alloc(), U_DATA(AP_RW));
            ucall("unmap", ab[i], u_str, UNMAP_VA + (k << 12) + 0x20, (ab[i]->id << 24) | k);
        }
    u32 ok = 1;
    for (u32 i = 0; i < 2; i++)
        for (u32 k = 0; k < 4; k++)
            if (ucall("unmap", ab[i], u_ldr, UNMAP_VA + (k << 12) + 0x20, 0)
                != ((ab[i]->id << 24) | k))
                ok = 0;
    gt_check("unmap-pages-in-use", ok, 1);

    /* one page, TLBIMVA(va | ASID A) while B is current */
    set_pte(A, UNMAP_VA, 0);
    tlbi_va(UNMAP_VA, A->asid);
    gt_check("unmap-tlbimva-A-value",
             ucall_fault("unmap-tlbimva-A-read", A, u_ldr, UNMAP_VA + 0x20, 0, EV_DABT,
                         UVA(u_ldr_i), FS_L2XLAT(DOM_UDATA), FSR_ALL, UNMAP_VA + 0x20), MT_SENT);
    gt_check("unmap-tlbimva-B-read", ucall("unmap", B, u_ldr, UNMAP_VA + 0x20, 0), 0x02000000u);
    /* mapped again to another page: no TLB maintenance after a fault entry */
    u32 np = page_alloc();
    phys(np)[8] = 0x4e570000u;
    map_page(A, UNMAP_VA, np, U_DATA(AP_RW));
    gt_check("remap-A-sees-new-page", ucall("unmap", A, u_ldr, UNMAP_VA + 0x20, 0), 0x4e570000u);
    /* and to a third page while A is current, TLBIMVA */
    u32 np2 = page_alloc();
    phys(np2)[8] = 0x4e570002u;
    map_page(A, UNMAP_VA, np2, U_DATA(AP_RW));
    tlbi_va(UNMAP_VA, A->asid);
    gt_check("remap-current-A-sees-third-page", ucall("unmap", A, u_ldr, UNMAP_VA + 0x20, 0),
             0x4e570002u);

    /* three pages, TLBIASID(A), A current (the pages were just used) */
    ok = 1;
    for (u32 k = 1; k < 4; k++)
        if (ucall("unmap", A, u_ldr, UNMAP_VA + (k << 12) + 0x20, 0) != (0x01000000u | k))
            ok = 0;
    gt_check("unmap-tlbiasid-A-pages-used", ok, 1);
    for (u32 k = 1; k < 4; k++)
        set_pte(A, UNMAP_VA + (k << 12), 0);
    tlbi_asid(A->asid);
    for (u32 k = 1; k < 4; k++) {
        u32 va = UNMAP_VA + (k << 12) + 0x20;
        ucall_fault(nm("unmap-tlbiasid-A-read-page%u", k), A, u_ldr, va, 0, EV_DABT,
                    UVA(u_ldr_i), FS_L2XLAT(DOM_UDATA), FSR_ALL, va);
        gt_check(nm("unmap-tlbiasid-B-read-page%u", k), ucall("unmap", B, u_ldr, va, 0),
                 0x02000000u | k);
    }
    /* TLBIALL, B current */
    gt_check("unmap-tlbiall-B-page-used", ucall("unmap", B, u_ldr, UNMAP_VA + 0x1020, 0),
             0x02000001u);
    set_pte(B, UNMAP_VA + 0x1000, 0);
    mt_tlb_flush();
    ucall_fault("unmap-tlbiall-B-read", B, u_ldr, UNMAP_VA + 0x1020, 0, EV_DABT, UVA(u_ldr_i),
                FS_L2XLAT(DOM_UDATA), FSR_ALL, UNMAP_VA + 0x1020);
    gt_check("unmap-tlbiall-B-other-page", ucall("unmap", B, u_ldr, UNMAP_VA + 0x2020, 0),
             0x02000002u);

    /* a whole first-level entry (the demand-paged MiB), TLBIASID, A current */
    gt_check("unmap-l1-entry-A-page-used", ucall("unmap", A, u_ldr, DEMAND_VA + 0x3000 + 12, 0),
             SEED(A) + 3);
    u32 l1e = A->l1[DEMAND_VA >> 20];
    A->nodemand = 1;
    A->l1[DEMAND_VA >> 20] = 0;
    tlbi_asid(A->asid);
    ucall_fault("unmap-l1-entry-A-read", A, u_ldr, DEMAND_VA + 0x3000 + 12, 0, EV_DABT,
                UVA(u_ldr_i), FS_L1XLAT, FSR_NODOMAIN, DEMAND_VA + 0x3000 + 12);
    gt_check("unmap-l1-entry-B-read", ucall("unmap", B, u_ldr, DEMAND_VA + 0x3000 + 12, 0),
             SEED(B) + 3);
    A->l1[DEMAND_VA >> 20] = l1e;
    mt_dsb();
    A->nodemand = 0;
    gt_check("unmap-l1-entry-back-A-read", ucall("unmap", A, u_ldr, DEMAND_VA + 0x3000 + 12, 0),
             SEED(A) + 3);

    /* a 1 MiB section and a 64 KiB large page, each invalidated by TLBIMVA
     * of another 4 KiB page inside it (the entry covers the whole block) */
    A->l1[SECT_VA >> 20] = SECT_PA | S_SECT | S_NORMAL | S_AP(AP_RW) | S_DOM(DOM_UDATA) | S_NG
                           | S_XN;
    mt_dsb();
    phys(SECT_PA + 0x12340)[0] = 0x5ec70001u;
    phys(SECT_PA + 0x100000 + 0x12340)[0] = 0x5ec70002u;
    phys(SECT_PA + 0x100000 + 0xff000)[0] = 0x5ec7f002u;
    gt_check("sect-A-read", ucall("sect", A, u_ldr, SECT_VA + 0x12340, 0), 0x5ec70001u);
    ucall("sect", A, u_str, SECT_VA + 0xff000, 0x5ec7f001u);
    gt_check("sect-A-write", phys(SECT_PA + 0xff000)[0], 0x5ec7f001u);
    A->l1[SECT_VA >> 20] = (SECT_PA + 0x100000) | S_SECT | S_NORMAL | S_AP(AP_RW)
                           | S_DOM(DOM_UDATA) | S_NG | S_XN;
    tlbi_va(SECT_VA + 0x55000, A->asid);
    gt_check("sect-remap-A-read-other-page", ucall("sect", A, u_ldr, SECT_VA + 0x12340, 0),
             0x5ec70002u);
    gt_check("sect-remap-A-read-last-page", ucall("sect", A, u_ldr, SECT_VA + 0xff000, 0),
             0x5ec7f002u);
    A->l1[SECT_VA >> 20] = 0;
    tlbi_va(SECT_VA + 0x77000, A->asid);
    ucall_fault("sect-unmapped-A-read", A, u_ldr, SECT_VA + 0xff000, 0, EV_DABT, UVA(u_ldr_i),
                FS_L1XLAT, FSR_NODOMAIN, SECT_VA + 0xff000);
    mt_map_large(A->l2data, LARGE_VA, LARGE_PA,
                 P_LARGE_NORMAL | P_AP(AP_RW) | P_NG | P_LARGE_XN);
    phys(LARGE_PA + 0x1230)[0] = 0x1a560001u;
    gt_check("large-A-read", ucall("large", A, u_ldr, LARGE_VA + 0x1230, 0), 0x1a560001u);
    ucall("large", A, u_str, LARGE_VA + 0xf000, 0x1a56f001u);
    gt_check("large-A-write", phys(LARGE_PA + 0xf000)[0], 0x1a56f001u);
    for (u32 k = 0; k < 16; k++)
        set_pte(A, LARGE_VA + (k << 12), 0);
    tlbi_va(LARGE_VA + 0x7000, A->asid);
    ucall_fault("large-unmapped-A-read", A, u_ldr, LARGE_VA + 0x1230, 0, EV_DABT, UVA(u_ldr_i),
                FS_L2XLAT(DOM_UDATA), FSR_ALL, LARGE_VA + 0x1230);
    ucall_fault("large-unmapped-A-write", A, u_str, LARGE_VA + 0xf000, 0, EV_DABT, UVA(u_str_i),
                FSR_W | FS_L2XLAT(DOM_UDATA), FSR_ALL, LARGE_VA + 0xf000);

    /* a page of code that has just run */
    gt_check("unmap-code-A-runs", ucall("unmap", A, u_call, LAZY_VA, 0), 0x71);
    set_pte(A, LAZY_VA, 0);
    tlbi_va(LAZY_VA, A->asid);
    k_start(A, u_call, LAZY_VA, 0, 0);
    u32 ev = k_go(A);
    expect_ev("unmap-code-A-pabt", A, ev, EV_PABT, LAZY_VA, 0x007, IFSR_MASK, LAZY_VA);
    u32 cp = page_alloc();
    put_code(cp, 0x99);
    ic_sync();
    map_page(A, LAZY_VA, cp, U_PAGE(AP_PRW_UR));
    ev = k_go(A);
    gt_check("unmap-code-A-new-code", ev == SC_EXIT ? A->r[0] : ev, 0x99);
    gt_check("unmap-code-B-own-code", ucall("unmap", B, u_call, LAZY_VA, 0), 0x72);

    /* a global page in every process, remapped: TLBIMVAA, then TLBIMVA with
     * A's ASID (matches the global entry whatever the ASID) */
    u32 g1 = page_alloc(), g2 = page_alloc();
    phys(g1)[0] = 0x61000001u;
    phys(g2)[0] = 0x61000002u;
    for (u32 i = 0; i < 3; i++)
        map_page(abc[i], GLOBAL_VA, g1, (U_DATA(AP_PRW_UR) & ~P_NG));
    for (u32 i = 0; i < 3; i++)
        gt_check(nm("global-%c-read-g1", pname(abc[i])),
                 ucall("global", abc[i], u_ldr, GLOBAL_VA, 0), 0x61000001u);
    for (u32 i = 0; i < 3; i++)
        map_page(abc[i], GLOBAL_VA, g2, (U_DATA(AP_PRW_UR) & ~P_NG));
    tlbi_vaa(GLOBAL_VA);
    for (u32 i = 0; i < 3; i++)
        gt_check(nm("global-%c-read-g2-after-tlbimvaa", pname(abc[i])),
                 ucall("global", abc[i], u_ldr, GLOBAL_VA, 0), 0x61000002u);
    for (u32 i = 0; i < 3; i++)
        map_page(abc[i], GLOBAL_VA, g1, (U_DATA(AP_PRW_UR) & ~P_NG));
    tlbi_va(GLOBAL_VA, A->asid);
    for (u32 i = 3; i-- > 0;)
        gt_check(nm("global-%c-read-g1-after-tlbimva-asid-A", pname(abc[i])),
                 ucall("global", abc[i], u_ldr, GLOBAL_VA, 0), 0x61000001u);
}

/* ---- 5: self-modifying user code -------------------------------------- */
static void smc(void)
{
    gt_printf("# 5 self-modifying user code\n");
    for (u32 i = 0; i < 3; i++) {
        k_start(abc[i], u_smc, 12, 0x20 * abc[i]->id, 0);
    }
    u32 y = k_sched(abc, 3, 0);
    gt_check("smc-yields", y, 3 * 15);
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        char c = pname(p);
        gt_check(nm("smc-%c-mismatches", c), p->r[0], 0);
        u32 bad = 0;
        volatile u32 *res = phys(k_pa(p, DATA_VA + 0x100));
        for (u32 k = 0; k < 12; k++)
            if (res[k] != 0x20 * p->id + k)
                bad++;
        gt_check(nm("smc-%c-results", c), bad, 0);
        gt_check(nm("smc-%c-last", c), res[11], 0x20 * p->id + 11);
    }
    /* the kernel rewrites A's code through the physical alias */
    for (u32 n = 0; n < 3; n++) {
        put_code(k_pa(A, SMC_VA), 0x5a + n);
        ic_sync();
        gt_check(nm("smc-kernel-write-A-%u", n), ucall("smc", A, u_call, SMC_VA, 0), 0x5a + n);
    }
    gt_check("smc-B-unaffected", ucall("smc", B, u_call, SMC_VA, 0), 0x40 + 11);
}

/* ---- 6: UART from user mode ------------------------------------------------ */
static void uart(void)
{
    gt_printf("# 6 PL011 from user mode\n");
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        map_page(p, UART_VA, UART_PA, U_DEVICE);
        char *t = (char *)(k_pa(p, DATA_VA) + 0x800);
        gt_snprintf(t, 128, "uart: process %c (ASID 0x%02x) writes UARTDR from user mode\n",
                    pname(p), p->asid);
    }
    for (u32 i = 0; i < 3; i++) {
        struct proc *p = abc[i];
        u32 r = ucall("uart", p, u_uart, UART_VA, DATA_VA + 0x800);
        gt_check(nm("uart-%c-fr-before-after", pname(p)), r & 0x00b800b8u, 0x00900090u);
    }
}

/* ---- 7: protection -------------------------------------------------------- */
static void protection(void)
{
    gt_printf("# 7 protection\n");
    u32 ks = (u32)&k_secret;
    gt_check("usr-ldr-kernel-value",
             ucall_fault("usr-ldr-kernel", A, u_ldr, ks, 0, EV_DABT, UVA(u_ldr_i),
                         FS_SPERM(0), FSR_ALL, ks), MT_SENT);
    ucall_fault("usr-str-kernel", A, u_str, ks, 0xbad, EV_DABT, UVA(u_str_i),
                FSR_W | FS_SPERM(0), FSR_ALL, ks);
    gt_check("usr-str-kernel-unchanged", k_secret, 0x5ec7e700u);
    u32 kf = (u32)&kernel_l1_init;
    gt_check("usr-exec-kernel-value",
             ucall_fault("usr-exec-kernel", A, u_call, kf, 0, EV_PABT, kf, 0x00d, IFSR_MASK, kf),
             MT_SENT);
    u32 v = kprobe(mt_p_ldrt, ks);
    kexpect_abort("kernel-ldrt-kernel", v, mt_p_ldrt_i, FS_SPERM(0), FSR_ALL, ks);
    gt_check("usr-und-ttbr0-value",
             ucall_fault("usr-und-ttbr0-write", A, u_und, 0, 0, EV_UND, UVA(u_und_i), 0, 0, 0),
             0);
    gt_check("usr-und-ttbr0-unchanged", mt_ttbr0(), (u32)A->l1);
    gt_check("usr-msr-cpsr-mode-ignored", ucall("priv", A, u_priv, 0, 0) & 0xdf, M_USR);

    /* a section at a physical address with no RAM (256 MiB at 0x40000000) */
    A->l1[EXTABT_VA >> 20] = HOLE_PA | S_SECT | S_NORMAL | S_AP(AP_RW) | S_DOM(DOM_UDATA)
                             | S_NG | S_XN;
    mt_dsb();
    gt_check("usr-ldr-no-ram-value",
             ucall_fault("usr-ldr-no-ram", A, u_ldr, EXTABT_VA + 0x10, 0, EV_DABT, UVA(u_ldr_i),
                         FS_EXTABT, FSR_NODOMAIN, EXTABT_VA + 0x10), MT_SENT);
    ucall_fault("usr-str-no-ram", A, u_str, EXTABT_VA + 0x14, 1, EV_DABT, UVA(u_str_i),
                FSR_W | FS_EXTABT, FSR_NODOMAIN, EXTABT_VA + 0x14);

    /* the top of the address space */
    ucall_fault("usr-ldr-top-unmapped", A, u_ldr, TOP_VA, 0, EV_DABT, UVA(u_ldr_i), FS_L1XLAT,
                FSR_NODOMAIN, TOP_VA);
    ucall_fault("usr-ldr-last-word-unaligned", A, u_ldr, 0xfffffffdu, 0, EV_DABT, UVA(u_ldr_i),
                FS_L1XLAT, FSR_NODOMAIN, 0xfffffffdu);
    ucall_fault("usr-str-last-byte-unaligned-word", A, u_str, 0xffffffffu, 0, EV_DABT,
                UVA(u_str_i), FSR_W | FS_L1XLAT, FSR_NODOMAIN, 0xffffffffu);
    A->l2top = l2_alloc();
    mt_map_table(A->l1, TOP_VA, A->l2top, S_DOM(DOM_UDATA));
    u32 tp = page_alloc();
    phys(tp)[1023] = 0x70b70b00u;
    map_page(A, 0xfffff000u, tp, U_DATA(AP_RW));
    gt_check("usr-ldr-last-word", ucall("top", A, u_ldr, 0xfffffffcu, 0), 0x70b70b00u);
    ucall("top", A, u_str, 0xfffffffcu, 0x70b70b01u);
    gt_check("usr-str-last-word", phys(tp)[1023], 0x70b70b01u);
    ucall_fault("usr-ldr-top-page-below-unmapped", A, u_ldr, 0xffffeffcu, 0, EV_DABT,
                UVA(u_ldr_i), FS_L2XLAT(DOM_UDATA), FSR_ALL, 0xffffeffcu);
    /* Unaligned words across the 4 GiB end with the top page mapped: the ARM
     * ARM (A3.2.1) makes an access to both 0xffffffff and 0x00000000
     * UNPREDICTABLE (so are the two accesses above); QEMU and armvm wrap
     * around to VA 0 (a translation fault there: DFAR 0; or the bytes of
     * both pages).  Pinned so that every engine does the same, in
     * particular one that accesses memory at sandbox base + VA. */
    ucall_fault("usr-ldr-wrap-to-unmapped-va0", A, u_ldr, 0xfffffffeu, 0, EV_DABT, UVA(u_ldr_i),
                FS_L1XLAT, FSR_NODOMAIN, 0);
    ucall_fault("usr-str-wrap-to-unmapped-va0", A, u_str, 0xfffffffeu, 0x11223344u, EV_DABT,
                UVA(u_str_i), FSR_W | FS_L1XLAT, FSR_NODOMAIN, 0);
    gt_check("usr-str-wrap-no-effect", phys(tp)[1023], 0x70b70b01u);
    u32 z = page_alloc();
    phys(z)[0] = 0x00c0ffeeu;
    mt_map_table(A->l1, 0, l2_alloc(), S_DOM(DOM_UDATA));
    map_page(A, 0, z, U_DATA(AP_RW));
    gt_check("usr-ldr-wrap-to-va0", ucall("top", A, u_ldr, 0xfffffffeu, 0), 0xffee70b7u);
    ucall("top", A, u_str, 0xfffffffeu, 0xa1b2c3d4u);
    gt_check("usr-str-wrap-to-va0", phys(tp)[1023] == 0xc3d40b01u && phys(z)[0] == 0x00c0a1b2u,
             1);
    A->l1[0] = 0;
    tlbi_asid(A->asid);

    /* DACR: the data domain no access (code still runs), manager, client */
    k_user_dacr = DACR_D2NA;
    k_start(A, u_ldr, DATA_VA + 4, 0, 0);
    u32 ev = k_go(A);
    expect_ev("dacr-noaccess-usr-ldr", A, ev, EV_DABT, UVA(u_ldr_i), FS_PDOM(DOM_UDATA), FSR_ALL,
              DATA_VA + 4);
    k_user_dacr = DACR_USER;                         /* and the load is retried */
    ev = k_go(A);
    gt_check("dacr-client-again-retry", ev == SC_EXIT ? A->r[0] : ev, A->tag);
    k_user_dacr = DACR_D2NA;
    ucall_fault("dacr-noaccess-before-external-abort", A, u_ldr, EXTABT_VA, 0, EV_DABT,
                UVA(u_ldr_i), FS_SDOM(DOM_UDATA), FSR_ALL, EXTABT_VA);
    u32 ro = page_alloc();
    phys(ro)[0] = 0x0e0e0e0eu;
    map_page(A, RO_VA, ro, U_DATA(AP_PRW_UR));
    k_user_dacr = DACR_USER;
    gt_check("dacr-client-ro-read", ucall("dacr", A, u_ldr, RO_VA, 0), 0x0e0e0e0eu);
    ucall_fault("dacr-client-ro-write", A, u_str, RO_VA, 0x3e3e3e3eu, EV_DABT, UVA(u_str_i),
                FSR_W | FS_PPERM(DOM_UDATA), FSR_ALL, RO_VA);
    k_user_dacr = DACR_D2MGR;
    ucall("dacr", A, u_str, RO_VA, 0x3e3e3e3eu);
    gt_check("dacr-manager-ro-write", phys(ro)[0], 0x3e3e3e3eu);
    gt_check("dacr-manager-ro-read", ucall("dacr", A, u_ldr, RO_VA, 0), 0x3e3e3e3eu);
    k_user_dacr = DACR_USER;
    ucall_fault("dacr-client-again-ro-write", A, u_str, RO_VA, 0x4e4e4e4eu, EV_DABT,
                UVA(u_str_i), FSR_W | FS_PPERM(DOM_UDATA), FSR_ALL, RO_VA);
    gt_check("dacr-client-again-ro-unchanged", phys(ro)[0], 0x3e3e3e3eu);

    /* software PAN: user domains no access in the kernel, opened around
     * each user access */
    mt_set_dacr(DACR_PAN);
    mt_isb();
    v = kprobe(mt_p_ldr, DATA_VA + 4);
    kexpect_abort("pan-kernel-ldr", v, mt_p_ldr_i, FS_PDOM(DOM_UDATA), FSR_ALL, DATA_VA + 4);
    v = kprobe(mt_p_ldrt, DATA_VA + 4);
    kexpect_abort("pan-kernel-ldrt", v, mt_p_ldrt_i, FS_PDOM(DOM_UDATA), FSR_ALL, DATA_VA + 4);
    mt_set_dacr(DACR_USER);
    mt_isb();
    v = kprobe(mt_p_ldrt, DATA_VA + 4);
    kexpect_none("pan-open-kernel-ldrt", v, A->tag);
    mt_set_dacr(DACR_PAN);
    mt_isb();
    k_pan = 1;
    phys(k_pa(A, DATA_VA))[0] = 0;
    gt_check("pan-user-runs", ucall3("pan", A, u_count, 6, A->tag, A->id), 0);
    gt_check("pan-user-yields", A->nyield, 6);
    gt_check("pan-dacr-in-kernel", mt_dacr(), DACR_PAN);
    k_pan = 0;
    mt_set_dacr(DACR_USER);
    mt_isb();
}

/* ---- 8: ASID stress, ASID reuse ------------------------------------------ */
static u32 pan_bad;
static void pan_hook(struct proc *p)
{
    /* copy_from_user of the counter: user access opened for one LDRT */
    mt_set_dacr(DACR_USER);
    mt_isb();
    u32 v = kprobe(mt_p_ldrt, DATA_VA);
    mt_set_dacr(DACR_PAN);
    mt_isb();
    if (kf_count || v != p->nyield)
        pan_bad++;
}

#define NSTRESS 11
static u32 stress_n(u32 i) { return 10 + 2 * i; }

static void reuse(const char *name, struct proc *old, u32 id)
{
    struct proc *p = &procs[id];
    proc_init(p, id, old->asid);
    phys(k_pa(p, DATA_VA))[0] = 0;
    char n[48];
    gt_snprintf(n, sizeof n, "%s-id", name);
    gt_check(n, ucall(name, p, u_id, 0, 0), id);
    gt_snprintf(n, sizeof n, "%s-data", name);
    gt_check(n, ucall(name, p, u_ldr, DATA_VA + 4, 0), p->tag);
    gt_snprintf(n, sizeof n, "%s-count", name);
    gt_check(n, ucall3(name, p, u_count, 5, p->tag, id), 0);
    gt_snprintf(n, sizeof n, "%s-counter", name);
    gt_check(n, phys(k_pa(p, DATA_VA))[0], 5);
}

static void stress(void)
{
    gt_printf("# 8 ASID stress\n");
    struct proc *ps[NSTRESS];
    for (u32 i = 0; i < NSTRESS; i++) {
        ps[i] = &procs[i + 1];
        if (i >= 3)
            proc_init(ps[i], i + 1, (0x11 * (i + 1)) & 0xff);
        phys(k_pa(ps[i], DATA_VA))[0] = 0;
        k_start(ps[i], u_count, stress_n(i), ps[i]->tag, ps[i]->id);
    }
    k_pan = 1;
    pan_bad = 0;
    mt_set_dacr(DACR_PAN);
    mt_isb();
    u32 y = k_sched(ps, NSTRESS, pan_hook);
    k_pan = 0;
    mt_set_dacr(DACR_USER);
    mt_isb();
    gt_check("stress-yields", y, 220);
    gt_check("stress-kernel-uaccess-mismatches", pan_bad, 0);
    u32 bad = 0, badk = 0;
    for (u32 i = 0; i < NSTRESS; i++) {
        struct proc *p = ps[i];
        if (p->r[0] != 0 || p->nyield != stress_n(i) || phys(k_pa(p, DATA_VA))[0] != stress_n(i))
            bad++;
        switch_mm(p);
        u32 v1 = kprobe(mt_p_ldr, DATA_VA), v2 = kprobe(mt_p_ldrt, DATA_VA + 4);
        if (kf_count || v1 != stress_n(i) || v2 != p->tag)
            badk++;
    }
    gt_check("stress-counters", bad, 0);
    gt_check("stress-kernel-reads-each-space", badk, 0);
    for (u32 i = 0; i < 3; i++)
        gt_check(nm("stress-%c-counter", pname(ps[i])), ucall("stress", ps[i], u_ldr, DATA_VA, 0),
                 stress_n(i));

    /* exclusives: A's LDREX, then B's LDREX/STREX at the same VA (another
     * PA): B's STREX leaves the local monitor open, so A's STREX fails */
    phys(k_pa(A, DATA_VA))[2] = 0xa0;
    phys(k_pa(B, DATA_VA))[2] = 0xb0;
    k_start(A, u_excl, DATA_VA + 8, 0xa1, 1);
    gt_check("excl-A-ldrex-then-yield", k_enter_user(A), SC_YIELD);
    gt_check("excl-B-pair-succeeds", ucall3("excl", B, u_excl, DATA_VA + 8, 0xb1, 0), 0);
    u32 ev = k_go(A);
    gt_check("excl-A-strex-fails", ev == SC_EXIT ? A->r[0] : ev, 1);
    gt_check("excl-memory", (phys(k_pa(A, DATA_VA))[2] << 8) | phys(k_pa(B, DATA_VA))[2],
             0xa0b1);
    gt_check("excl-A-pair-succeeds", ucall3("excl", A, u_excl, DATA_VA + 8, 0xa2, 0), 0);
    gt_check("excl-A-memory", phys(k_pa(A, DATA_VA))[2], 0xa2);

    /* ASID reuse: the last process's ASID for a new address space, after
     * TLBIASID; its old translations were just used */
    struct proc *old = ps[NSTRESS - 1];
    gt_check("reuse-old-counter", ucall("reuse", old, u_ldr, DATA_VA, 0), stress_n(NSTRESS - 1));
    tlbi_asid(old->asid);
    reuse("reuse-tlbiasid", old, 12);
    struct proc *old2 = &procs[12];
    gt_check("reuse2-old-counter", ucall("reuse", old2, u_ldr, DATA_VA, 0), 5);
    mt_tlb_flush();
    reuse("reuse-tlbiall", old2, 13);
}

int main(void)
{
    gt_vector_handlers[VEC_UND] = k_und_entry;
    gt_vector_handlers[VEC_SVC] = k_svc_entry;
    gt_vector_handlers[VEC_PABT] = k_pabt_entry;
    gt_vector_handlers[VEC_DABT] = k_dabt_entry;
    mt_dsb();
    *phys(UART_PA + 0x30) = 0x301;                   /* UARTCR: UARTEN, TXE, RXE */
    kernel_l1_init(k_l1);
    mt_mmu_on(k_l1);
    mt_set_dacr(DACR_USER);
    mt_isb();
    if ((u32)ublob_end - (u32)ublob_start > 0x2000)
        gt_fail("user-program-size", "more than 8 KiB");
    A = &procs[1];
    B = &procs[2];
    C = &procs[3];
    proc_init(A, 1, 0x01);
    proc_init(B, 2, 0x80);
    proc_init(C, 3, 0xff);
    abc[0] = A;
    abc[1] = B;
    abc[2] = C;
    identity();
    demand();
    cow();
    perms();
    unmap();
    smc();
    uart();
    protection();
    stress();
    switch_mm(A);
    gt_check("final-contextidr", mt_contextidr(), (1u << 8) | 0x01);
    mt_mmu_off();
    return gt_finish();
}
