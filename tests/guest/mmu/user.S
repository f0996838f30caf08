/*
 * User mode under the MMU, with the tiny SVC kernel of user/kernel.inc:
 * SVC and UDF from user mode (SPSR, LR), user loads/stores to a
 * kernel-only page, a user read-only page and an unmapped address (data
 * aborts with DFSR/DFAR/LR_abt/SPSR checked, the destination register kept,
 * the user program continuing), and the exclusive monitor across
 * exceptions: like Linux, every exception handler here executes CLREX, so
 * a STREX after the return to user mode fails (status 1, memory unchanged)
 * - after an SVC, a data abort and an undefined instruction - while an
 * LDREX/STREX pair without an exception in between succeeds.
 *
 * Pages (sections): 0x60000000 kernel only (AP 001), 0x60100000 user
 * read-only (AP 010), 0x60200000 user read/write, 0x61000000 unmapped.
 */
#include "test.inc"
#include "kernel.inc"

#define KPAGE 0x60000000
#define ROPAGE 0x60100000
#define RWPAGE 0x60200000
#define NOPAGE 0x61000000
#define SECT_NORMAL 0x100c          /* TEX 001, C, B (mt.h S_NORMAL) */
#define SECT_AP(ap) ((((ap) & 3) << 10) | ((((ap) >> 2) & 1) << 15))

    .text
    @ every exception clears the local monitor, as Linux does on return
svc_entry:
    clrex
    b       kernel_svc
dabt_handler:
    clrex
    push    {r0-r1}
    ldr     r0, =rec
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    str     lr, [r0, #4]
    mrs     r1, spsr
    str     r1, [r0, #8]
    mrc     p15, 0, r1, c5, c0, 0
    str     r1, [r0, #12]
    mrc     p15, 0, r1, c6, c0, 0
    str     r1, [r0, #16]
    mov     r1, #4
    str     r1, [r0, #20]
    pop     {r0-r1}
    subs    pc, lr, #4
und_handler:
    clrex
    push    {r0-r1}
    ldr     r0, =rec
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    str     lr, [r0, #4]
    mrs     r1, spsr
    str     r1, [r0, #8]
    mov     r1, #1
    str     r1, [r0, #20]
    pop     {r0-r1}
    movs    pc, lr
    .ltorg

    .macro MAP va, pa, ap
    ldr     r0, =l1
    ldr     r1, =\va
    ldr     r2, =\pa
    ldr     r3, =(SECT_NORMAL | SECT_AP(\ap))
    bl      mt_map_section
    .endm

    .global main
main:
    push    {r4-r11, lr}
    bl      mt_install                  @ (PABT: record; resumes unused here)
    SET_VECTOR VEC_SVC, svc_entry
    SET_VECTOR VEC_DABT, dabt_handler
    SET_VECTOR VEC_UND, und_handler
    ldr     r0, =l1
    bl      mt_l1_init
    MAP     KPAGE, 0x48000000, 1
    MAP     ROPAGE, 0x48100000, 2
    MAP     RWPAGE, 0x48200000, 3
    ldr     r0, =0x600d600d
    ldr     r1, =0x48000000
    str     r0, [r1]                    @ kernel data
    ldr     r0, =0x0a0a0a0a
    ldr     r1, =0x48100000
    str     r0, [r1]                    @ read-only data for the user
    mov     r0, #0
    ldr     r1, =0x48200000
    str     r0, [r1]
    ldr     r0, =l1
    bl      mt_mmu_on
    ldr     r0, =user_main
    bl      enter_user
    @ back in SVC mode
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK   "kernel-back-in-svc", MODE_SVC
    ldr     r1, =0x48100000
    ldr     r0, [r1]
    CHECK   "kernel-ro-page-unchanged", 0x0a0a0a0a
    ldr     r1, =0x48200000
    ldr     r0, [r1]
    CHECK   "kernel-rw-page-final", 3
    ldr     r0, =mt_trap
    ldr     r0, [r0]
    CHECK   "no-prefetch-aborts", 0
    bl      mt_mmu_off
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg

    @ RECCHECK name, vector, lr_label, lr_off, dfsr_mask, dfsr, dfar:
    @ (user mode) one exception recorded since rec was cleared
    .macro RECCHECK name, vec, lrlab, lroff, dmask=0, dfsr=0, dfar=0
    ldr     r8, =rec
    ldr     r4, [r8]
    UCHECK  "\name-count", r4, 1
    ldr     r4, [r8, #20]
    UCHECK  "\name-vector", r4, \vec
    ldr     r4, [r8, #4]
    ldr     r5, =\lrlab + \lroff
    sub     r4, r4, r5
    UCHECK  "\name-lr", r4, 0
    ldr     r4, [r8, #8]
    and     r4, r4, #0x1f
    UCHECK  "\name-spsr-mode", r4, MODE_USR
    .if \vec == 4
    ldr     r4, [r8, #12]
    ldr     r5, =\dmask
    and     r4, r4, r5
    UCHECK  "\name-dfsr", r4, \dfsr
    ldr     r4, [r8, #16]
    UCHECK  "\name-dfar", r4, \dfar
    .endif
    mov     r4, #0
    str     r4, [r8]
    .endm

    @ ------------------------------------------------------------ user code
user_main:
    ldr     r0, =hello
    svc     #1
    mrs     r4, cpsr
    and     r4, r4, #0x1f
    UCHECK  "usr-mode", r4, MODE_USR
    @ SVC
    msr     cpsr_f, #(PSR_Z | PSR_C)
1:  svc     #0x42
    mov     r4, r0
    UCHECK  "usr-svc-result", r4, 0x42
    ldr     r6, =svc_last
    ldr     r4, [r6, #4]
    UCHECK  "usr-svc-spsr", r4, 0x60000010
    ldr     r4, [r6, #8]
    ldr     r5, =1b + 4
    sub     r4, r4, r5
    UCHECK  "usr-svc-lr", r4, 0
    @ UDF
    ldr     r8, =rec
    mov     r4, #0
    str     r4, [r8]
2:  udf     #0x77
    RECCHECK "usr-udf", 1, 2b, 4
    @ kernel-only page: read and write abort (permission, section, domain 0)
    ldr     r7, =KPAGE
    ldr     r6, =0x5e5e5e5e
3:  ldr     r6, [r7]
    mov     r9, r6
    RECCHECK "usr-ldr-kernel-page", 4, 3b, 8, 0xffffffff, 0x00d, KPAGE
    UCHECK  "usr-ldr-kernel-page-rt-kept", r9, 0x5e5e5e5e
4:  str     r6, [r7, #4]!
    mov     r9, r7
    RECCHECK "usr-str-kernel-page", 4, 4b, 8, 0xffffffff, 0x80d, KPAGE + 4
    UCHECK  "usr-str-kernel-page-no-writeback", r9, KPAGE
    @ read-only page: reads work, writes abort
    ldr     r7, =ROPAGE
    ldr     r4, [r7]
    UCHECK  "usr-ldr-ro-page", r4, 0x0a0a0a0a
5:  strb    r7, [r7, #3]
    RECCHECK "usr-strb-ro-page", 4, 5b, 8, 0xffffffff, 0x80d, ROPAGE + 3
    @ unmapped: translation fault, first level (domain UNKNOWN: masked)
    ldr     r7, =NOPAGE
6:  ldrh    r6, [r7, #2]
    RECCHECK "usr-ldrh-unmapped", 4, 6b, 8, 0xffffff0f, 0x005, NOPAGE + 2
    @ the kernel page is still out of reach via LDRT-style user accesses too
    ldr     r7, =KPAGE
7:  ldrt    r6, [r7]
    RECCHECK "usr-ldrt-kernel-page", 4, 7b, 8, 0xffffffff, 0x00d, KPAGE

    @ exclusives on the read/write page
    ldr     r7, =RWPAGE
    ldrex   r4, [r7]                    @ no exception: STREX succeeds
    add     r4, r4, #1
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-plain", r5, 0
    ldrex   r4, [r7]                    @ SVC in between: fails
    add     r4, r4, #0x10
    svc     #0x11
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-after-svc", r5, 1
    ldr     r8, =rec
    mov     r4, #0
    str     r4, [r8]
    ldr     r9, =KPAGE
    ldrex   r4, [r7]                    @ data abort in between: fails
    add     r4, r4, #0x10
    ldr     r6, [r9]
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-after-dabt", r5, 1
    ldr     r4, [r8]
    UCHECK  "usr-strex-after-dabt-count", r4, 1
    ldrex   r4, [r7]                    @ undefined instruction in between: fails
    add     r4, r4, #0x10
    udf     #1
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-after-udf", r5, 1
    ldrex   r4, [r7]                    @ CLREX in user mode: fails
    add     r4, r4, #0x10
    clrex
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-after-clrex", r5, 1
    strex   r5, r4, [r7]                @ no LDREX: fails
    UCHECK  "usr-strex-without-ldrex", r5, 1
    ldr     r4, [r7]
    UCHECK  "usr-failed-strex-memory-unchanged", r4, 1
    ldrex   r4, [r7]                    @ and it works again
    add     r4, r4, #1
    strex   r5, r4, [r7]
    UCHECK  "usr-strex-again", r5, 0
    ldrexb  r4, [r7]
    add     r4, r4, #1
    strexb  r5, r4, [r7]
    UCHECK  "usr-strexb", r5, 0
    ldr     r4, [r7]
    UCHECK  "usr-rw-page-value", r4, 3
    svc     #3
    b       .
    .ltorg

    .section .rodata
hello: .asciz "user: hello from user mode with the MMU on\n"

    .bss
    .balign 16384
l1: .space 16384
    .balign 4
rec: .space 24
