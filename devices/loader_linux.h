/*
 * The Linux boot protocol for the `virt` board (loader_linux.c), internal to devices/:
 * the kernel's Documentation/arm/booting.rst, with the placement QEMU 7.2 uses for a
 * non-ELF -kernel (hw/arm/boot.c arm_setup_direct_kernel_boot, arm_load_dtb):
 *
 *   kernel   a zImage (magic 0x016f2818 at 0x24) or any other file (an uncompressed
 *            Image, or a raw binary: QEMU treats every non-ELF, non-uImage file as a
 *            Linux kernel) at RAM base + 0x10000 (QEMU's KERNEL_LOAD_ADDR); a zImage
 *            whose header gives a non-zero start address is not relocatable and goes
 *            there;
 *   initrd   at RAM base + min(RAM size / 2, 128 MiB), or at the end of the kernel if
 *            that is higher, page aligned (QEMU >= 2.x: the old fixed INITRD_LOAD_ADDR
 *            0xd00000 is gone);
 *   DTB      after the initrd, aligned to 4 KiB ("some 32-bit kernels trash the 4K
 *            page the initrd ends in");
 *   CPU      r0 = 0, r1 = 0xffffffff (no machine type: DT boot), r2 = the DTB address,
 *            SVC mode, IRQ/FIQ/asynchronous aborts masked, MMU and data cache off,
 *            ARM state, PC = the kernel's first byte.
 *
 * Every size and offset read from an image is checked against the file and the RAM;
 * a bad image gets a clear error and nothing is started.
 */
#ifndef ARMVM_DEVICES_LOADER_LINUX_H
#define ARMVM_DEVICES_LOADER_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/devices.h"
#include "devices/fdt_virt.h"

/* zImage header words (arch/arm/boot/compressed/head.S, vmlinux.lds.S; little-endian). */
#define LINUX_ZIMAGE_MAGIC 0x016f2818u
#define LINUX_ZIMAGE_MAGIC_OFF 0x24u
#define LINUX_ZIMAGE_START_OFF 0x28u
#define LINUX_ZIMAGE_END_OFF 0x2cu
#define LINUX_ZIMAGE_ENDIAN_OFF 0x30u  /* 0x04030201: little-endian kernel */
#define LINUX_ZIMAGE_EXT_MAGIC_OFF 0x34u
#define LINUX_ZIMAGE_EXT_MAGIC 0x45454545u
#define LINUX_ZIMAGE_EXT_TABLE_OFF 0x38u
#define LINUX_ZIMAGE_TAG_KRNL_SIZE 0x5a534c4bu /* "KLSZ": decompressed size, bss */
/* QEMU's KERNEL_LOAD_ADDR (an offset from the RAM base). */
#define LINUX_KERNEL_LOAD_OFFSET 0x10000u
/* The kernel's TEXT_OFFSET when a zImage does not say (arch/arm/Makefile). */
#define LINUX_DEFAULT_TEXT_OFFSET 0x8000u
#define LINUX_INITRD_MAX_OFFSET (128ull << 20)
#define LINUX_DTB_ALIGN 4096u
/* r1: no ATAGS machine number (QEMU's board_id -1 for virt). */
#define LINUX_NO_MACHINE_TYPE 0xffffffffu

typedef enum LinuxKernelKind {
    LINUX_KERNEL_ZIMAGE,
    LINUX_KERNEL_IMAGE, /* anything without the zImage magic */
} LinuxKernelKind;

/* Where everything went and how the CPU starts. Ranges are [start, end). */
typedef struct LinuxBoot {
    LinuxKernelKind kind;
    uint64_t kernel_start, kernel_end;
    /* zImage with a KLSZ tag: where its decompressed kernel (text offset + size + bss
     * from the RAM base) ends; 0 when unknown. */
    uint64_t decompressed_end;
    uint64_t initrd_start, initrd_end; /* end == start: no initrd */
    uint64_t dtb_start, dtb_end;       /* set by linux_place_dtb */
    uint32_t entry;                    /* PC */
    uint32_t r0, r1, r2;
    uint32_t cpsr;                     /* SVC | A | I | F */
    /* Non-fatal: e.g. the kernel will decompress over the initrd or DTB (too little
     * RAM). Empty when all is well; the caller prints it. */
    char warning[256];
} LinuxBoot;

/* What linux_boot_setup needs. */
typedef struct LinuxBootConfig {
    const char *kernel;  /* required */
    const char *initrd;  /* NULL = none */
    const char *dtb;     /* -dtb file, patched by fdt_boot_patch; NULL = generate */
    const char *append;  /* kernel command line, NULL = none */
    /* The board for the generated DTB (its boot fields are filled in here). May be
     * NULL when dtb is given. */
    const FdtVirtConfig *board;
} LinuxBootConfig;

/* Step 1: load the kernel and the initrd (NULL = none) into RAM as above, recording
 * them in map (may be NULL). Fills lb (all but the DTB). Returns 0, or -1 with a clear
 * message in err. */
int linux_load_kernel(PhysMem *mem, const char *kernel, const char *initrd, LoadMap *map,
                      LinuxBoot *lb, char *err, size_t errlen);

/* Step 2: copy the finished DTB (size bytes) to its place after the initrd and set
 * lb->dtb_start/dtb_end and r2. Returns 0, or -1 with err (no room in RAM). */
int linux_place_dtb(PhysMem *mem, LinuxBoot *lb, const void *dtb, size_t size, LoadMap *map,
                    char *err, size_t errlen);

/* Steps 1 and 2 with the DTB in between: the -dtb file patched (fdt_boot_patch) or the
 * board's generated (fdt_virt_build), with the RAM, command line and initrd range.
 * Returns 0, or -1 with err. */
int linux_boot_setup(PhysMem *mem, const LinuxBootConfig *cfg, LoadMap *map, LinuxBoot *lb,
                     char *err, size_t errlen);

/* Put a CPU fresh from arm_cpu_reset into the boot state lb describes: r0-r2, PC,
 * CPSR (SVC, A/I/F masked, ARM state), SCTLR.M and SCTLR.C clear. */
void linux_boot_cpu(const LinuxBoot *lb, ArmCpu *cpu);

/* Read a whole file of at most max bytes into a malloc'd buffer (for -dtb). Returns
 * NULL with err on failure. */
void *linux_read_file(const char *path, uint64_t max, size_t *size, char *err, size_t errlen);

#endif
