/*
 * The device tree of the `virt` board (fdt_virt.c), internal to devices/.
 *
 * Two jobs, split as QEMU 7.2 splits them:
 *  - fdt_virt_build: the board's own DTB, node for node what hw/arm/virt.c gives Linux
 *    for `-M virt -cpu cortex-a15` with one CPU, no EL2/EL3 (virtualization=off,
 *    secure=off), GICv2, and only the devices armvm models (no flash, PCIe, GICv2m,
 *    virtio-mmio, fw-cfg, GPIO);
 *  - fdt_boot_patch: what hw/arm/boot.c arm_load_dtb does to every DTB, generated or
 *    given with -dtb: replace the root /memory nodes with one for the RAM and fill in
 *    /chosen (bootargs, linux,initrd-start/-end).
 * fdt_virt_build ends with fdt_boot_patch, so a generated DTB is complete. Both return
 * a packed blob in a malloc'd buffer (the caller frees it), or NULL with a message.
 */
#ifndef ARMVM_DEVICES_FDT_VIRT_H
#define ARMVM_DEVICES_FDT_VIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What boot.c writes into any DTB (QEMU's arm_boot_info, the parts Linux sees). */
typedef struct FdtBootInfo {
    uint64_t ram_base, ram_size;
    const char *bootargs;              /* -append; NULL or "" = bootargs left alone */
    uint64_t initrd_start, initrd_end; /* end > start: linux,initrd-start/-end */
} FdtBootInfo;

/* Devices that get a node (FdtVirtConfig.devices). The timer, UART and RTC nodes
 * route their interrupts through the GIC, so they need FDT_VIRT_GIC. */
#define FDT_VIRT_GIC (1u << 0)   /* /intc@8000000 + interrupt-parent on the root */
#define FDT_VIRT_TIMER (1u << 1) /* /timer: the generic timer's four PPIs */
#define FDT_VIRT_UART (1u << 2)  /* /pl011@9000000 + /chosen stdout-path */
#define FDT_VIRT_RTC (1u << 3)   /* /pl031@9010000 */
#define FDT_VIRT_PSCI (1u << 4)  /* /psci, conduit HVC */
#define FDT_VIRT_ALL 0x1fu

/* The board. fdt_virt_config_defaults fills in QEMU's memory map (hw/arm/virt.c
 * base_memmap[] and a15irqmap[]); the caller sets the RAM and the boot fields. */
typedef struct FdtVirtConfig {
    FdtBootInfo boot;
    unsigned devices;            /* FDT_VIRT_* */
    uint64_t gic_dist_base, gic_dist_size;
    uint64_t gic_cpu_base, gic_cpu_size;
    uint64_t uart_base, uart_size;
    uint32_t uart_spi;           /* SPI number (interrupt ID - 32) */
    uint64_t rtc_base, rtc_size;
    uint32_t rtc_spi;
    uint32_t apb_clock_hz;       /* the fixed "apb-pclk" clock of the PrimeCells */
    const char *cpu_compatible;  /* "arm,cortex-a15" */
    /* QEMU 7.2 (dtb-randomness=on) puts 32 bytes of rng-seed and 8 of kaslr-seed in
     * /chosen. armvm only does when the caller gives the bytes (so a run can be made
     * repeatable): has_seed. */
    bool has_seed;
    uint8_t rng_seed[32];
    uint64_t kaslr_seed;
} FdtVirtConfig;

/* The fixed parts of the virt memory map and interrupt map (QEMU 7.2 hw/arm/virt.c). */
#define FDT_VIRT_GIC_DIST_BASE 0x08000000u
#define FDT_VIRT_GIC_CPU_BASE 0x08010000u
#define FDT_VIRT_GIC_REGION_SIZE 0x10000u
#define FDT_VIRT_UART_BASE 0x09000000u
#define FDT_VIRT_RTC_BASE 0x09010000u
#define FDT_VIRT_DEVICE_SIZE 0x1000u
#define FDT_VIRT_UART_SPI 1u /* interrupt ID 33 */
#define FDT_VIRT_RTC_SPI 2u  /* interrupt ID 34 */
#define FDT_VIRT_APB_CLOCK_HZ 24000000u

/* Every device, QEMU's addresses and interrupts, RAM at ram_base, no bootargs, no
 * initrd, no seed. */
void fdt_virt_config_defaults(FdtVirtConfig *cfg, uint64_t ram_base, uint64_t ram_size);

/* Build the board's DTB (see above). Returns the blob (*size bytes, packed), or NULL
 * with a message in err (a device that needs the GIC without it, a RAM range that
 * does not fit in two cells, out of memory). */
void *fdt_virt_build(const FdtVirtConfig *cfg, size_t *size, char *err, size_t errlen);

/* QEMU 7.2 hw/arm/boot.c arm_load_dtb on a copy of blob (blob_size bytes available):
 * checks it (header, size, structure), reads the root's #address-cells/#size-cells
 * (each must be 1 or 2 and hold the values written), turns every root node named
 * "memory" or "memory@..." into a NOP, adds /memory@<base> (device_type "memory",
 * reg <base size>), creates /chosen if missing, sets bootargs when boot->bootargs is
 * non-empty and linux,initrd-start/-end (one 32-bit cell each, as QEMU 7.2 writes
 * them) when there is an initrd. Returns the new packed blob, or NULL with a message
 * in err. */
void *fdt_boot_patch(const void *blob, size_t blob_size, const FdtBootInfo *boot,
                     size_t *size, char *err, size_t errlen);

#endif
