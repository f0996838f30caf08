/*
 * User mode: entered with MOVS pc, lr (SPSR = usr); in user mode CPS and
 * CPSID/CPSIE are no-ops, MSR CPSR_c cannot change the mode or the masks
 * (MSR CPSR_f still writes the flags), SETEND works, SVC calls back into
 * the kernel (LR, SPSR checked), privileged CP15 accesses (SCTLR,
 * TPIDRPRW, writes to TPIDRURO) are undefined while TPIDRURW is writable
 * and TPIDRURO readable, UDF / BKPT / an aborting load are handled by the
 * kernel and return to user mode, and "svc 0x123456" from user mode is an
 * ordinary SVC (QEMU 7.2 only honours semihosting from privileged modes
 * by default).
 */
#include "test.inc"
#include "kernel.inc"

    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    SET_VECTOR VEC_SVC, kernel_svc
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 2      @ TPIDRURW
    ldr     r0, =0x0ace0ace
    mcr     p15, 0, r0, c13, c0, 3      @ TPIDRURO
    ldr     r0, =user_main
    bl      enter_user
    @ back in SVC mode
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK   "kernel-back-in-svc", MODE_SVC
    mrc     p15, 0, r0, c13, c0, 2
    CHECK   "tpidrurw-written-by-user", 0x5eed
    bl      gt_finish
    pop     {r4-r11, pc}

    @ ------------------------------------------------------------ user code
user_main:
    mrs     r4, cpsr
    ldr     r5, =0x1ff
    and     r4, r4, r5
    UCHECK  "usr-cpsr", r4, 0x010
    cps     #MODE_SVC                   @ no-op in user mode
    mrs     r4, cpsr
    and     r4, r4, #0x1f
    UCHECK  "usr-cps-nop", r4, MODE_USR
    cpsid   aif                         @ no-op in user mode
    mrs     r4, cpsr
    and     r4, r4, #0x1c0
    UCHECK  "usr-cpsid-nop", r4, 0
    msr     cpsr_c, #0xd3               @ mode/mask bits ignored
    mrs     r4, cpsr
    and     r4, r4, #0xff
    UCHECK  "usr-msr-c-ignored", r4, 0x10
    ldr     r5, =0xf80f01df
    msr     cpsr_fsxc, r5               @ only NZCVQ and GE change
    mrs     r4, cpsr
    msr     cpsr_f, #0
    msr     APSR_g, #0
    ldr     r5, =0xf80f01ff
    and     r4, r4, r5
    UCHECK  "usr-msr-fsxc-flags-only", r4, 0xf80f0010
    setend  be
    mrs     r4, cpsr
    setend  le
    and     r4, r4, #PSR_E
    UCHECK  "usr-setend", r4, PSR_E

    @ SVC from user mode
    msr     cpsr_f, #(PSR_N | PSR_V)
1:  svc     #0x42
    mov     r4, r0
    UCHECK  "usr-svc-result", r4, 0x42
    ldr     r6, =svc_last
    ldr     r4, [r6, #4]
    UCHECK  "usr-svc-spsr", r4, 0x90000010
    ldr     r4, [r6, #8]
    ldr     r5, =1b + 4
    sub     r4, r4, r5
    UCHECK  "usr-svc-lr", r4, 0
    svc     0x123456                    @ not semihosting from user mode
    mov     r4, r0
    UCHECK  "usr-svc-123456-is-svc", r4, 0x123456

    @ coprocessor accesses
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]                    @ (user mode can write kernel data:
    ldr     r5, =0x5eed                 @  the MMU is off)
    mcr     p15, 0, r5, c13, c0, 2      @ TPIDRURW: allowed
    mrc     p15, 0, r4, c13, c0, 2
    UCHECK  "usr-tpidrurw", r4, 0x5eed
    mrc     p15, 0, r4, c13, c0, 3      @ TPIDRURO: readable
    UCHECK  "usr-tpidruro-read", r4, 0x0ace0ace
    ldr     r4, [r8]
    UCHECK  "usr-allowed-no-trap", r4, 0
    mov     r4, #0x77
    mcr     p15, 0, r4, c13, c0, 3      @ TPIDRURO write: UND
    mrc     p15, 0, r4, c13, c0, 4      @ TPIDRPRW: UND
    mrc     p15, 0, r4, c1, c0, 0       @ SCTLR: UND
    mcr     p15, 0, r4, c1, c0, 0       @ SCTLR write: UND
    mov     r5, r4
    UCHECK  "usr-privileged-cp15-rt-kept", r5, 0x77
    ldr     r4, [r8]
    UCHECK  "usr-privileged-cp15-und", r4, 4
    ldr     r4, [r8, #12]
    and     r4, r4, #0x1f
    UCHECK  "usr-und-spsr-mode", r4, MODE_USR

    @ UDF, BKPT and a data abort from user mode return to user mode
    mov     r0, #0
    str     r0, [r8]
    udf     #3
    bkpt    #4
    ldr     r5, =0x50000000
    ldr     r4, [r5]
    ldr     r4, [r8]
    UCHECK  "usr-exceptions", r4, 3
    ldr     r4, [r8, #20]
    UCHECK  "usr-dabt-dfsr", r4, 0x008
    mrs     r4, cpsr
    and     r4, r4, #0x1f
    UCHECK  "usr-still-user", r4, MODE_USR
    svc     #3
    b       .
    .ltorg
