/*
 * Internal to devices: the Machine object shared by machine.c and the board files.
 */
#ifndef ARMVM_DEVICES_MACHINE_INTERNAL_H
#define ARMVM_DEVICES_MACHINE_INTERNAL_H

#include "devices/devices.h"

struct Machine {
    MachineConfig cfg;     /* a copy; console/log streams resolved (never NULL) */
    PhysMem mem;
    bool mem_ready;
    ArmCpu cpu;
    Pl011 *uart;
    Semihost *sh;
    char *sh_cmdline;      /* what SYS_GET_CMDLINE returns */
    Dbt *dbt;
    LoadMap images;        /* RAM occupied by the loaded images */
    double run_seconds;    /* host wall time spent in machine_run */
};

/* board_virt.c: build the virt board's memory map and devices. */
int virt_board_init(Machine *m, char *err, size_t errlen);
/* board_virt.c: load -kernel / -device loader / -initrd / -dtb and set the boot state of
 * the (already reset) CPU. */
int virt_board_load(Machine *m, char *err, size_t errlen);

#endif
