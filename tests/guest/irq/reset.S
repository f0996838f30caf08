/*
 * PSCI SYSTEM_RESET (through HVC #0, as on QEMU's virt): the machine restarts from the
 * image's entry point with the image loaded again, while RAM outside the image keeps
 * what the first boot wrote there (QEMU's system reset does not clear RAM).
 *
 * First boot: no marker at MARKER -> write it, print "first boot", reset.
 * Second boot: the marker is there -> clear it, print "second boot", exit 0.
 * An image variable (`boots`, in .data) must be back to its initial value 0 on the
 * second boot, since the image is loaded again.
 */
    .syntax unified
    .arch armv7-a
    .arch_extension virt             @ for HVC (QEMU's PSCI conduit on virt)
    .arm
    .equ MARKER, 0x4f000000          @ in RAM (256 MiB from 0x40000000), outside the image
    .equ MAGIC, 0x52455354           @ "REST"
    .equ PSCI_SYSTEM_RESET, 0x84000009

    .section .text.start, "ax", %progbits
    .global _start
_start:
    ldr     r4, =MARKER
    ldr     r5, =MAGIC
    ldr     r6, =boots
    ldr     r7, [r6]                 @ 0 on every boot: the image was loaded again
    add     r8, r7, #1
    str     r8, [r6]
    cmp     r7, #0
    bne     fail
    ldr     r1, [r4]
    cmp     r1, r5
    beq     second
    str     r5, [r4]
    adr     r1, msg_first
    mov     r0, #4                   @ SYS_WRITE0
    svc     0x123456
    ldr     r0, =PSCI_SYSTEM_RESET
    hvc     #0
    b       fail                     @ not reached

second:
    mov     r1, #0
    str     r1, [r4]
    adr     r1, msg_second
    mov     r0, #4
    svc     0x123456
    adr     r1, exit_ok
    mov     r0, #0x20                @ SYS_EXIT_EXTENDED
    svc     0x123456

fail:
    adr     r1, msg_fail
    mov     r0, #4
    svc     0x123456
    adr     r1, exit_fail
    mov     r0, #0x20
    svc     0x123456

    .align  2
exit_ok:    .word 0x20026, 0
exit_fail:  .word 0x20026, 1
msg_first:  .asciz "first boot\n"
msg_second: .asciz "second boot\n"
msg_fail:   .asciz "FAIL: reset did not restart the image as expected\n"
    .ltorg

    .data
    .align  2
boots:      .word 0
