/*
 * PSCI, the Power State Coordination Interface (ARM DEN 0022D), as the firmware of the
 * `virt` board provides it to the guest (psci.c), internal to devices/.
 *
 * QEMU 7.2 (target/arm/psci.c) implements PSCI itself, as a "fake EL2/EL3" reached with
 * HVC #0 on `virt` when the guest has neither EL2 nor EL3 (the DTB says method = "hvc").
 * armvm does the same, with QEMU's return values for every call, for its one CPU
 * (MPIDR affinity 0). The function ID is in r0, arguments in r1-r3, the result goes to
 * r0 (SMC Calling Convention, ARM DEN 0028, AArch32 SMC32/HVC32).
 */
#ifndef ARMVM_DEVICES_PSCI_H
#define ARMVM_DEVICES_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-arm/frontend-arm.h"

/* Function IDs (DEN 0022D, 5.1 "Function prototypes"; SMC32 unless FN64). */
#define PSCI_0_2_FN_BASE 0x84000000u
#define PSCI_0_2_FN_PSCI_VERSION 0x84000000u
#define PSCI_0_2_FN_CPU_SUSPEND 0x84000001u
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN_CPU_ON 0x84000003u
#define PSCI_0_2_FN_AFFINITY_INFO 0x84000004u
#define PSCI_0_2_FN_MIGRATE 0x84000005u
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_0_2_FN_MIGRATE_INFO_UP_CPU 0x84000007u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000au
#define PSCI_0_2_64BIT 0x40000000u /* bit 30 of an ID: the SMC64 calling convention */
#define PSCI_0_2_FN64_CPU_SUSPEND 0xc4000001u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004u
/* PSCI 0.1 had no fixed IDs: the DT's /psci node named them. QEMU still accepts the ones
 * it used to advertise (QEMU_PSCI_0_1_FN_BASE), though its 7.2 DT gives the 0.2 IDs in
 * the old binding's properties (cpu_suspend, cpu_off, cpu_on, migrate). */
#define PSCI_0_1_FN_BASE 0x95c1ba5eu
#define PSCI_0_1_FN_CPU_SUSPEND (PSCI_0_1_FN_BASE + 0)
#define PSCI_0_1_FN_CPU_OFF (PSCI_0_1_FN_BASE + 1)
#define PSCI_0_1_FN_CPU_ON (PSCI_0_1_FN_BASE + 2)
#define PSCI_0_1_FN_MIGRATE (PSCI_0_1_FN_BASE + 3)

/* Return codes (DEN 0022D, 5.2.2 "Return error codes"), as r0 values. */
#define PSCI_RET_SUCCESS 0u
#define PSCI_RET_NOT_SUPPORTED 0xffffffffu      /* -1 */
#define PSCI_RET_INVALID_PARAMETERS 0xfffffffeu /* -2 */
#define PSCI_RET_DENIED 0xfffffffdu             /* -3 */
#define PSCI_RET_ALREADY_ON 0xfffffffcu         /* -4 */

/* PSCI_VERSION: major in [31:16], minor in [15:0]. QEMU 7.2 reports 1.1. */
#define PSCI_VERSION_1_1 0x00010001u
/* MIGRATE_INFO_TYPE 2: no Trusted OS, migration not required. */
#define PSCI_TOS_MIGRATION_NOT_REQUIRED 2u

/* What a call asks of the machine, beyond its result in r0. */
typedef enum PsciAction {
    PSCI_ACTION_NONE = 0,
    PSCI_ACTION_WFI,          /* CPU_SUSPEND: wait for an interrupt, like WFI */
    PSCI_ACTION_CPU_OFF,      /* CPU_OFF of the only CPU: the machine stops */
    PSCI_ACTION_SYSTEM_OFF,   /* SYSTEM_OFF: the machine stops (exit status 0) */
    PSCI_ACTION_SYSTEM_RESET, /* SYSTEM_RESET: the machine resets (or stops) */
} PsciAction;

typedef struct Psci {
    PsciAction last;  /* the action of the latest call */
    PsciAction power; /* CPU_OFF/SYSTEM_OFF/SYSTEM_RESET once requested, else NONE */
    uint64_t calls;   /* statistics */
} Psci;

/* A fresh PSCI firmware state (no allocation: it lives in the Machine). */
void psci_init(Psci *p);

/* Perform the call the CPU makes with HVC #0 (function ID in r0, arguments r1-r3;
 * result in r0; the PC is the caller's business). Returns the action, also kept in
 * p->last. CPU_OFF, SYSTEM_OFF and SYSTEM_RESET never return to the guest: they set
 * cpu->halted, cpu->exit_status = 0 and cpu->exit_request, and p->power says which, so
 * that the machine can exit or reset. CPU_SUSPEND returns PSCI_ACTION_WFI with r0 = 0:
 * the caller then waits as for WFI. */
PsciAction psci_call(Psci *p, ArmCpu *cpu);

/* The same as a handler of the ArmSemihostFn shape (opaque = the Psci), for a CPU
 * hook that calls back into devices/. */
void psci_handler(void *opaque, ArmCpu *cpu);

/* "SYSTEM_OFF" ... (for messages). */
const char *psci_action_name(PsciAction a);

#endif
