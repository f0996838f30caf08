/*
 * PSCI firmware for the `virt` board: ARM DEN 0022D "Arm Power State Coordination
 * Interface", with the return values QEMU 7.2 gives (target/arm/psci.c; checked by
 * running the calls under qemu-system-arm 7.2 -M virt -cpu cortex-a15):
 *
 *   PSCI_VERSION            1.1 (0x00010001)
 *   CPU_SUSPEND (0.1, 0.2)  power_state bits [31:17] set: INVALID_PARAMETERS; else 0,
 *                           and the CPU waits for an interrupt (QEMU: helper_wfi)
 *   CPU_OFF (0.1, 0.2)      the CPU powers off; it is the only one, so the machine
 *                           stops (QEMU: the CPU halts for good and QEMU idles)
 *   CPU_ON (0.1, 0.2)       MPIDR 0: ALREADY_ON; any other: INVALID_PARAMETERS
 *   AFFINITY_INFO           level 0: ON (0) for MPIDR 0, INVALID_PARAMETERS for others;
 *                           levels above 0: ON ("always on")
 *   MIGRATE (0.1, 0.2)      NOT_SUPPORTED
 *   MIGRATE_INFO_TYPE       2 (no Trusted OS: migration not required)
 *   SYSTEM_OFF              the machine stops, exit status 0
 *   SYSTEM_RESET            the machine resets (the caller decides: armvm may stop)
 *   PSCI_FEATURES           0 for every function above except MIGRATE and the SMC64
 *                           ones; NOT_SUPPORTED otherwise
 *   any SMC64 ID (bit 30)   NOT_SUPPORTED (an AArch32 caller)
 *   anything else           NOT_SUPPORTED
 */
#include "devices/psci.h"

#include <string.h>

void psci_init(Psci *p)
{
    memset(p, 0, sizeof(*p));
}

/* The one CPU's MPIDR affinity fields (MPIDR[23:0]; QEMU's mp_affinity for CPU 0 of
 * virt is 0). */
#define PSCI_CPU0_MPIDR 0u

/* PSCI_FEATURES (DEN 0022D 5.1.14): 0 for an implemented function (for CPU_SUSPEND bit 1
 * would announce the extended StateID format; QEMU gives 0, the original format). */
static uint32_t psci_features(uint32_t fn)
{
    switch (fn) {
    case PSCI_0_2_FN_PSCI_VERSION:
    case PSCI_0_2_FN_CPU_SUSPEND:
    case PSCI_0_2_FN_CPU_OFF:
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_0_2_FN_SYSTEM_RESET:
    case PSCI_1_0_FN_PSCI_FEATURES:
    case PSCI_0_1_FN_CPU_SUSPEND:
    case PSCI_0_1_FN_CPU_OFF:
    case PSCI_0_1_FN_CPU_ON:
        return PSCI_RET_SUCCESS;
    default:
        return PSCI_RET_NOT_SUPPORTED;
    }
}

/* The machine stops here: the calling CPU never sees the call return (DEN 0022D 5.1.3
 * CPU_OFF, 5.1.9 SYSTEM_OFF, 5.1.10 SYSTEM_RESET). */
static PsciAction psci_power(Psci *p, ArmCpu *cpu, PsciAction a)
{
    p->power = a;
    cpu->halted = true;
    cpu->exit_status = 0;
    cpu->exit_request = 1;
    return a;
}

/* One call, SMC32/HVC32 convention (SMCCC, ARM DEN 0028, 2.6): function ID in r0,
 * arguments in r1-r3, result in r0; the functions of DEN 0022D chapter 5, with the
 * results listed at the top of this file. */
PsciAction psci_call(Psci *p, ArmCpu *cpu)
{
    const uint32_t fn = cpu->r[0], a1 = cpu->r[1], a2 = cpu->r[2];
    uint32_t ret = PSCI_RET_NOT_SUPPORTED;
    PsciAction act = PSCI_ACTION_NONE;

    p->calls++;
    if (fn & PSCI_0_2_64BIT) {
        /* An SMC64 function ID from AArch32 (SMCCC: not supported). */
        ret = PSCI_RET_NOT_SUPPORTED;
    } else {
        switch (fn) {
        case PSCI_0_2_FN_PSCI_VERSION:
            ret = PSCI_VERSION_1_1;
            break;
        case PSCI_0_2_FN_CPU_SUSPEND:
        case PSCI_0_1_FN_CPU_SUSPEND:
            /* power_state: QEMU supports no power levels above 0 (bits [31:17]). */
            if (a1 & 0xfffe0000u) {
                ret = PSCI_RET_INVALID_PARAMETERS;
            } else {
                ret = PSCI_RET_SUCCESS;
                act = PSCI_ACTION_WFI;
            }
            break;
        case PSCI_0_2_FN_CPU_OFF:
        case PSCI_0_1_FN_CPU_OFF:
            p->last = psci_power(p, cpu, PSCI_ACTION_CPU_OFF);
            return p->last;
        case PSCI_0_2_FN_CPU_ON:
        case PSCI_0_1_FN_CPU_ON:
            ret = a1 == PSCI_CPU0_MPIDR ? PSCI_RET_ALREADY_ON : PSCI_RET_INVALID_PARAMETERS;
            break;
        case PSCI_0_2_FN_AFFINITY_INFO:
            if (a2 != 0)
                ret = 0; /* levels above 0 are always ON */
            else
                ret = a1 == PSCI_CPU0_MPIDR ? 0 /* ON */ : PSCI_RET_INVALID_PARAMETERS;
            break;
        case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
            ret = PSCI_TOS_MIGRATION_NOT_REQUIRED;
            break;
        case PSCI_0_2_FN_SYSTEM_OFF:
            p->last = psci_power(p, cpu, PSCI_ACTION_SYSTEM_OFF);
            return p->last;
        case PSCI_0_2_FN_SYSTEM_RESET:
            p->last = psci_power(p, cpu, PSCI_ACTION_SYSTEM_RESET);
            return p->last;
        case PSCI_1_0_FN_PSCI_FEATURES:
            ret = psci_features(a1);
            break;
        case PSCI_0_2_FN_MIGRATE:
        case PSCI_0_1_FN_MIGRATE:
        default:
            ret = PSCI_RET_NOT_SUPPORTED;
            break;
        }
    }
    cpu->r[0] = ret;
    p->last = act;
    return act;
}

void psci_handler(void *opaque, ArmCpu *cpu)
{
    /* CPU_SUSPEND: a power-down state is entered and left like WFI (DEN 0022D 5.4.2:
     * the call may return early; an interrupt wakes it). */
    if (psci_call(opaque, cpu) == PSCI_ACTION_WFI)
        cpu->wfi = 1;
}

const char *psci_action_name(PsciAction a)
{
    switch (a) {
    case PSCI_ACTION_NONE: return "none";
    case PSCI_ACTION_WFI: return "CPU_SUSPEND";
    case PSCI_ACTION_CPU_OFF: return "CPU_OFF";
    case PSCI_ACTION_SYSTEM_OFF: return "SYSTEM_OFF";
    case PSCI_ACTION_SYSTEM_RESET: return "SYSTEM_RESET";
    }
    return "?";
}
