/*
 * entry.S - start-up code and the case runner of the random differential
 * test programs (see README.md).
 *
 * Register use while a case body runs:
 *   r0-r12  the state under test (loaded from the case record),
 *   sp      the address of rt_scratch (the base of the scratch buffer; the
 *           generated code uses it to compute addresses, never changes it),
 *   lr      not used,
 *   pc      the case body only branches forward inside itself and ends with
 *           "b rt_case_end".
 * rt_case_end saves r0-r12 and the CPSR right below the scratch buffer
 * (rt_save) without touching any other memory, then returns to C.
 *
 * Built with -DRT_USER=1 (the user-mode variant, gen_random.py --user), the
 * harness stays in SVC mode but enters each case body in User mode with an
 * exception return (SPSR_svc = User mode with the case's flags, A/I/F
 * masked, little-endian; "movs pc, lr"), with sp_usr = the scratch buffer.
 * rt_case_end, reached in User mode, is an "svc #RT_END_SVC"; the SVC
 * handler checks that the SVC came from there in User mode (anything else
 * is a TRAP), saves r0-r12 (not banked in SVC mode) and SPSR_svc (the
 * user CPSR at the end of the case) to rt_save and returns to C.
 */
#include "rt_config.h"
    .syntax unified
    .arch armv7-a
    .cpu cortex-a15
    .arm

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    msr     cpsr_c, #0xd7           @ ABT
    ldr     sp, =__stack_exc
    msr     cpsr_c, #0xdb           @ UND
    ldr     sp, =__stack_exc
    msr     cpsr_c, #0xd3           @ SVC
    ldr     sp, =__stack_svc
    ldr     r0, =__bss_start__
    ldr     r1, =__bss_end__
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b
    ldr     r0, =rt_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb
    bl      rt_main
0:  b       0b
    .ltorg

/* Any exception is a generator bug (or an emulator bug): report and stop. */
    .balign 32
rt_vectors:
    b       rt_vec0
    b       rt_vec1
#if RT_USER
    b       rt_svc                  @ the end of a user-mode case, or a TRAP
#else
    b       rt_vec2
#endif
    b       rt_vec3
    b       rt_vec4
    b       rt_vec5
    b       rt_vec6
    b       rt_vec7
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7
rt_vec\n:
    mov     r0, #\n
    b       rt_trap
    .endr
rt_trap:
    mov     r1, lr
    mrs     r2, spsr
    setend  le
    bic     sp, sp, #7
    bl      rt_trap_report          @ does not return
0:  b       0b

/* void rt_run_case(const CaseRec *rec): run one case body. */
    .text
    .global rt_run_case
    .type rt_run_case, %function
rt_run_case:
    push    {r4-r11, lr}
    ldr     r1, =rt_host_sp
    str     sp, [r1]
#if RT_USER
    msr     cpsr_c, #0xdf           @ SYS: sp_usr = the scratch buffer
    ldr     sp, =rt_scratch
    msr     cpsr_c, #0xd3           @ back to SVC (sp_svc = the C stack)
    clrex
    ldr     r1, [r0, #52]           @ NZCVQ and GE
    orr     r1, r1, #RT_USER_PSR    @ User mode, A/I/F masked, ARM, LE
    msr     spsr_fsxc, r1
    ldr     lr, [r0, #56]           @ the case body
    ldm     r0, {r0-r12}
    movs    pc, lr                  @ exception return to User mode

/* Reached in User mode by the "b rt_case_end" that ends every case body. */
    .global rt_case_end
rt_case_end:
    svc     #RT_END_SVC
rt_case_end_ret:
    b       rt_case_end_ret         @ never resumed

/* SVC vector: r0-r12 are the user's; lr_svc, SPSR_svc say where from. */
rt_svc:
    push    {r0}
    ldr     r0, =rt_case_end_ret
    cmp     lr, r0
    mrseq   r0, spsr
    andeq   r0, r0, #0x1f
    cmpeq   r0, #0x10               @ from User mode
    pop     {r0}
    movne   r0, #2
    bne     rt_trap
    ldr     sp, =rt_scratch         @ sp_svc is reloaded from rt_host_sp
    stmdb   sp, {r0-r12}            @ rt_save + 12 .. rt_save + 63
    mrs     r0, spsr                @ the user CPSR at the end of the case
    str     r0, [sp, #-56]          @ rt_save + 8
    ldr     r1, =rt_host_sp
    ldr     sp, [r1]
    pop     {r4-r11, pc}            @ SVC mode, E = SCTLR.EE = 0
#else
    ldr     sp, =rt_scratch
    clrex
    ldr     r1, [r0, #52]           @ NZCVQ and GE
    msr     APSR_nzcvqg, r1
    ldr     lr, [r0, #56]           @ the case body
    ldm     r0, {r0-r12}
    bx      lr

    .global rt_case_end
rt_case_end:
    setend  le
    cpsid   a                       @ MSR CPSR_x may have cleared A
    stmdb   sp, {r0-r12}            @ rt_save + 12 .. rt_save + 63
    mrs     r0, APSR
    str     r0, [sp, #-56]          @ rt_save + 8
    ldr     r1, =rt_host_sp
    ldr     sp, [r1]
    pop     {r4-r11, pc}
#endif
    .ltorg

    /* The scratch buffer straddles a 4 KiB page boundary (at its middle), so
     * that unaligned accesses and LDM/STM may cross pages. */
    .bss
    .balign 4096
    .space  4096 - 64 - RT_BUF_BYTES / 2
    .global rt_save
rt_save:
    .space  64
    .global rt_scratch
rt_scratch:
    .space  RT_BUF_BYTES
    .balign 8
rt_host_sp:
    .space  8
