/*
 * runtime.S: start-up, vector table and exit path shared by the `armvm profile`
 * micro-benchmarks (see README.md in this folder).
 *
 * The CPU starts in SVC mode, ARM state, MMU off (QEMU "virt" board and armvm alike).
 * _start gives the UND, SYS/USR and SVC modes a stack, fills the scratch buffer with a
 * pattern, points VBAR at the vector table below (ARM ARM B1.8.1, exception vectors),
 * reads the iteration count N from the semihosting command line (SYS_GET_CMDLINE: one
 * decimal number, e.g. `-semihosting-config enable=on,arg=2000`), sets r1-r12 to fixed
 * odd values and enters the benchmark's bench_main in User mode with r0 = N.
 *
 * bench_main (bench.inc) runs its loop N times and ends with the exit instruction
 * (UDF #0xbe1), which lands in und_handler: that prints one line
 *     <name>: n=<N> r1=<r1> ... r12=<r12> mem=<sum of the scratch buffer's 64 words>
 * (hex) and exits through semihosting SYS_EXIT with ADP_Stopped_ApplicationExit
 * (status 0). A bad command line or an unexpected exception prints a message and exits
 * with SYS_EXIT_EXTENDED status 3.
 */
#include "bench.inc"

    .equ SYS_WRITE0, 0x04
    .equ SYS_GET_CMDLINE, 0x15
    .equ SYS_EXIT, 0x18
    .equ SYS_EXIT_EXTENDED, 0x20
    .equ ADP_STOPPED_APPLICATION_EXIT, 0x20026
    .equ SCRATCH_WORDS, 64

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    msr     cpsr_c, #0xdb               @ UND, IRQ/FIQ masked
    ldr     sp, =__stack_und
    msr     cpsr_c, #0xdf               @ SYS (shares SP/LR with USR)
    ldr     sp, =__stack_usr
    mov     lr, #0
    msr     cpsr_c, #0xd3               @ back to SVC
    ldr     sp, =__stack_svc

    @ scratch[i] = (i + 1) * 0x9e3779b9, the rest of the buffer zero (bss is not loaded)
    ldr     r0, =bench_scratch
    ldr     r1, =0x9e3779b9
    mov     r2, r1
    mov     r3, #SCRATCH_WORDS
1:  str     r2, [r0], #4
    add     r2, r2, r1
    subs    r3, r3, #1
    bne     1b
    mov     r2, #0
    ldr     r3, =bench_scratch_end
2:  cmp     r0, r3
    strlo   r2, [r0], #4
    blo     2b

    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb

    @ N from the semihosting command line
    mov     r0, #SYS_GET_CMDLINE
    ldr     r1, =cmdline_block
    svc     #SEMIHOSTING_SVC
    cmp     r0, #0
    bne     bad_cmdline
    ldr     r1, =cmdline_buf
3:  ldrb    r2, [r1]                    @ skip leading spaces
    cmp     r2, #' '
    addeq   r1, r1, #1
    beq     3b
    mov     r0, #0                      @ N
    mov     r3, #0                      @ digits
    mov     r12, #10
4:  ldrb    r2, [r1], #1
    sub     r2, r2, #'0'
    cmp     r2, #9
    bhi     5f
    mla     r0, r0, r12, r2
    add     r3, r3, #1
    cmp     r3, #9                      @ at most 9 digits: no overflow
    bls     4b
    b       bad_cmdline
5:  cmp     r3, #0
    cmpne   r0, #0
    beq     bad_cmdline                 @ no digits, or N = 0
    cmn     r2, #'0'                    @ ended by NUL ...
    cmpne   r2, #(' ' - '0')            @ ... or a space
    bne     bad_cmdline
    ldr     r1, =bench_n
    str     r0, [r1]

    @ User-mode registers: r1-r12 odd, positive, large (the SUBS chains never reach 0)
    .irp    r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    mov     r\r, #((0x40 + \r) << 24)
    orr     r\r, r\r, #(2 * \r + 1)
    .endr
    ldr     lr, =bench_main
    msr     spsr_cxsf, #0x1d0           @ User mode, IRQ/FIQ/async aborts masked
    movs    pc, lr
    .size _start, . - _start

bad_cmdline:
    ldr     r1, =msg_bad_cmdline
    b       fail

    .ltorg

/*
 * Vector table (VBAR, SCTLR.V = 0). The SVC entry is the whole measured handler of the
 * "SVC round trip" benchmark: it returns to the instruction after the SVC and restores
 * CPSR (User mode) from SPSR_svc.
 */
    .text
    .balign 32
vectors:
    b       unexpected_reset
    b       und_handler
    movs    pc, lr                      @ SVC
    b       unexpected_pabt
    b       unexpected_dabt
    b       unexpected_hyp
    b       unexpected_irq
    b       unexpected_fiq

    .macro UNEXPECTED name
unexpected_\name:
    ldr     r1, =msg_\name
    b       fail
    .endm
    UNEXPECTED reset
    UNEXPECTED pabt
    UNEXPECTED dabt
    UNEXPECTED hyp
    UNEXPECTED irq
    UNEXPECTED fiq

/* Undefined instruction: the benchmark's exit (UDF #BENCH_EXIT_IMM) or a real one. */
und_handler:
    push    {r0-r12}
    ldr     r0, [lr, #-4]
    ldr     r1, =BENCH_EXIT_INSN
    cmp     r0, r1
    ldrne   r1, =msg_und
    bne     fail
    msr     cpsr_c, #0xd3               @ SVC mode (semihosting from a privileged mode)
    ldr     r4, =out_buf
    ldr     r0, =bench_name
    bl      put_str
    ldr     r0, =str_n
    bl      put_str
    ldr     r0, =bench_n
    ldr     r0, [r0]
    bl      put_hex
    ldr     r6, =__stack_und - 12 * 4   @ saved r1 ... r12
    mov     r5, #1
6:  mov     r0, #' '
    strb    r0, [r4], #1
    mov     r0, #'r'
    strb    r0, [r4], #1
    cmp     r5, #10
    movhs   r0, #'1'
    strbhs  r0, [r4], #1
    subhs   r0, r5, #10
    movlo   r0, r5
    add     r0, r0, #'0'
    strb    r0, [r4], #1
    mov     r0, #'='
    strb    r0, [r4], #1
    ldr     r0, [r6], #4
    bl      put_hex
    add     r5, r5, #1
    cmp     r5, #12
    bls     6b
    ldr     r0, =str_mem
    bl      put_str
    ldr     r1, =bench_scratch
    mov     r2, #SCRATCH_WORDS
    mov     r0, #0
7:  ldr     r3, [r1], #4
    add     r0, r0, r3
    subs    r2, r2, #1
    bne     7b
    bl      put_hex
    mov     r0, #'\n'
    strb    r0, [r4], #1
    mov     r0, #0
    strb    r0, [r4]
    ldr     r1, =out_buf
    mov     r0, #SYS_WRITE0
    svc     #SEMIHOSTING_SVC
    mov     r0, #SYS_EXIT
    ldr     r1, =ADP_STOPPED_APPLICATION_EXIT
    svc     #SEMIHOSTING_SVC
8:  b       8b

/* fail: print the string at r1 and exit with status 3 (from any privileged mode). */
fail:
    msr     cpsr_c, #0xd3
    ldr     sp, =__stack_svc
    mov     r0, #SYS_WRITE0
    svc     #SEMIHOSTING_SVC
    mov     r0, #SYS_EXIT_EXTENDED
    ldr     r1, =exit_fail_block
    svc     #SEMIHOSTING_SVC
9:  b       9b

/* put_str: append the NUL-terminated string at r0 to the buffer at r4 (advanced). */
put_str:
    ldrb    r1, [r0], #1
    cmp     r1, #0
    strbne  r1, [r4], #1
    bne     put_str
    bx      lr

/* put_hex: append r0 as 8 hex digits to the buffer at r4 (advanced). */
put_hex:
    mov     r2, #28
10: lsr     r1, r0, r2
    and     r1, r1, #0xf
    cmp     r1, #10
    addlo   r1, r1, #'0'
    addhs   r1, r1, #('a' - 10)
    strb    r1, [r4], #1
    subs    r2, r2, #4
    bpl     10b
    bx      lr
    .ltorg

    .section .rodata.runtime, "a", %progbits
msg_bad_cmdline:
    .asciz  "profile benchmark: the semihosting command line must be the iteration count N >= 1 (e.g. -semihosting-config enable=on,arg=2000)\n"
msg_reset: .asciz "profile benchmark: unexpected reset exception\n"
msg_pabt:  .asciz "profile benchmark: unexpected prefetch abort\n"
msg_dabt:  .asciz "profile benchmark: unexpected data abort\n"
msg_hyp:   .asciz "profile benchmark: unexpected exception at vector 0x14\n"
msg_irq:   .asciz "profile benchmark: unexpected IRQ\n"
msg_fiq:   .asciz "profile benchmark: unexpected FIQ\n"
msg_und:   .asciz "profile benchmark: unexpected undefined instruction\n"
str_n:     .asciz ": n="
str_mem:   .asciz " mem="

    .data
    .balign 4
cmdline_block:
    .word   cmdline_buf, 256
exit_fail_block:
    .word   ADP_STOPPED_APPLICATION_EXIT, 3

    .bss
    .balign 4
    .global bench_n
bench_n:
    .space  4
cmdline_buf:
    .space  256
out_buf:
    .space  256
    @ the scratch buffer of the memory benchmarks, on pages of its own
    .balign 4096
    .global bench_scratch
bench_scratch:
    .space  4096
bench_scratch_end:
