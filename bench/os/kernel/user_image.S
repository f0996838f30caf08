/*
 * user_image.S - the user program (user.elf, built from user/) inside the
 * kernel image.  The pager maps its pages into each task on demand.
 */
    .section .rodata.user_elf, "a", %progbits
    .balign 4096
    .global user_elf, user_elf_end
user_elf:
    .incbin USER_ELF_PATH
user_elf_end:
