/*
 * Internal to devices: the Machine object shared by machine.c and the board files.
 */
#ifndef ARMVM_DEVICES_MACHINE_INTERNAL_H
#define ARMVM_DEVICES_MACHINE_INTERNAL_H

#include "devices/console.h"
#include "devices/devices.h"
#include "devices/gic.h"
#include "devices/gtimer.h"
#include "devices/pl031.h"
#include "devices/psci.h"

struct Machine {
    MachineConfig cfg;     /* a copy; console/log streams resolved (never NULL) */
    PhysMem mem;
    bool mem_ready;
    ArmCpu cpu;
    Pl011 *uart;
    Gic *gic;
    GenericTimer *timer;
    Pl031 *rtc;
    Psci psci;
    Console console;       /* the host terminal, in raw mode while the machine exists */
    Semihost *sh;
    char *sh_cmdline;      /* what SYS_GET_CMDLINE returns */
    Dbt *dbt;
    LoadMap images;        /* RAM occupied by the loaded images */
    double run_seconds;    /* host wall time spent in machine_run */
    /* time (machine_time.c) */
    uint64_t host_t0_ns;   /* the host's monotonic clock when the machine was made */
    uint64_t warp_ns;      /* -icount: virtual time skipped while the CPU waited */
    int64_t rtc_epoch;     /* UNIX time of the RTC's zero of virtual time */
    uint64_t wfi_waits;    /* statistics: WFI waits */
    uint64_t resets;       /* PSCI SYSTEM_RESETs carried out */
};

/* machine_time.c: virtual time, the devices that depend on it, and waiting. */
void machine_time_init(Machine *m);
uint64_t machine_time_ns(Machine *m);
/* Bring the timer, RTC and UART input up to date (their interrupt lines follow). */
void machine_update_devices(Machine *m);
/* How many guest instructions may run before the next device deadline. */
uint64_t machine_slice(Machine *m);
/* The CPU executed WFI and no interrupt is pending: let time pass until one can be.
 * Returns false when nothing can ever wake it (message printed). */
bool machine_wait(Machine *m);
/* The CP15 c14 (generic timer) access hook installed in the CPU. */
bool machine_gtimer_access(void *opaque, ArmCpu *cpu, unsigned opc1, unsigned crm, unsigned opc2,
                           bool is64, bool read, uint64_t *value);

/* board_virt.c: build the virt board's memory map and devices. */
int virt_board_init(Machine *m, char *err, size_t errlen);
/* board_virt.c: load -kernel / -device loader / -initrd / -dtb and set the boot state of
 * the (already reset) CPU. */
int virt_board_load(Machine *m, char *err, size_t errlen);

#endif
