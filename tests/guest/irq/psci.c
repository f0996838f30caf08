/*
 * PSCI through HVC #0 (QEMU's "virt" without EL2/EL3 uses the HVC conduit;
 * function ID in r0, arguments in r1-r3, result in r0): PSCI_VERSION,
 * PSCI_FEATURES, CPU_ON for the running CPU (ALREADY_ON) and for a CPU that
 * does not exist, AFFINITY_INFO, MIGRATE_INFO_TYPE, an unknown function
 * (NOT_SUPPORTED), HVC from user mode (UNDEFINED), and finally SYSTEM_OFF:
 * the emulator exits with status 0.  The summary line is printed before
 * SYSTEM_OFF; with failures the program exits with status 1 through
 * semihosting instead, and if SYSTEM_OFF returns it reports that.
 */
#include "it.h"

#define PSCI_VERSION          0x84000000u
#define PSCI_CPU_ON           0x84000003u
#define PSCI_AFFINITY_INFO    0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF       0x84000008u
#define PSCI_FEATURES         0x8400000au
#define PSCI_NOT_SUPPORTED    0xffffffffu   /* -1 */
#define PSCI_INVALID_PARAMS   0xfffffffeu   /* -2 */
#define PSCI_ALREADY_ON       0xfffffffcu   /* -4 */

static u32 hvc(u32 fn, u32 a1, u32 a2, u32 a3)
{
    register u32 r0 __asm__("r0") = fn;
    register u32 r1 __asm__("r1") = a1;
    register u32 r2 __asm__("r2") = a2;
    register u32 r3 __asm__("r3") = a3;
    __asm__ volatile(".arch_extension virt\n\thvc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory", "r12", "lr");
    return r0;
}

static void secondary_entry(void) { for (;;) ; }

/* user mode: HVC is UNDEFINED at PL0 */
extern char u_hvc_insn[];
u32 u_hvc(u32 a, u32 b);
__asm__(".pushsection .text.u_hvc, \"ax\", %progbits\n"
        ".arch_extension virt\n"
        ".balign 4\n.type u_hvc, %function\n"
        "u_hvc: ldr r0, =0x84000000\n"
        "u_hvc_insn: hvc #0\n"
        "bx lr\n.ltorg\n.size u_hvc, . - u_hvc\n"
        ".popsection\n");

int main(void)
{
    mt_install();
    gt_check("psci-version", hvc(PSCI_VERSION, 0, 0, 0), 0x00010001u);
    gt_check("psci-features-version", hvc(PSCI_FEATURES, PSCI_VERSION, 0, 0), 0);
    gt_check("psci-features-cpu-on", hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
    gt_check("psci-features-system-off", hvc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0), 0);
    gt_check("psci-features-unknown", hvc(PSCI_FEATURES, 0x8400ff00u, 0, 0), PSCI_NOT_SUPPORTED);
    gt_check("psci-cpu-on-self", hvc(PSCI_CPU_ON, 0, (u32)secondary_entry, 0), PSCI_ALREADY_ON);
    gt_check("psci-cpu-on-missing-cpu",
             hvc(PSCI_CPU_ON, 1, (u32)secondary_entry, 0), PSCI_INVALID_PARAMS);
    gt_check("psci-affinity-info-cpu0", hvc(PSCI_AFFINITY_INFO, 0, 0, 0), 0);
    gt_check("psci-migrate-info-type", hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    gt_check("psci-unknown-function", hvc(0x8400ff00u, 0, 0, 0), PSCI_NOT_SUPPORTED);
    mt_clear();
    mt_user_call(u_hvc, 0, 0);
    mt_expect_und("hvc-from-user-undefined", u_hvc_insn, M_USR);

    int status = gt_finish();
    if (status)
        return status;
    hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    gt_fail("psci-system-off", "SYSTEM_OFF returned");
    return 1;
}
