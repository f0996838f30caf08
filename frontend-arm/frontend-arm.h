/*
 * frontend-arm: the guest CPU (ARMv7-A, Cortex-A15 identity).
 *
 * Architectural state (registers, modes and banking, PSRs, CP15), exception entry and
 * return, guest memory access as the CPU sees it (alignment, endianness, exclusive
 * monitor), and the A32 decoder that turns guest instructions into armvm IR.
 *
 * The ArmCpu struct is the shared vocabulary of armvm: translated code and helpers
 * address it directly, so its layout is kept simple (flat arrays, one byte per flag).
 */
#ifndef ARMVM_FRONTEND_ARM_H
#define ARMVM_FRONTEND_ARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbt/dbt.h"
#include "softmmu/softmmu.h"

/* Processor modes, CPSR.M (ARM ARM B1.3.1). */
typedef enum ArmMode {
    ARM_MODE_USR = 0x10,
    ARM_MODE_FIQ = 0x11,
    ARM_MODE_IRQ = 0x12,
    ARM_MODE_SVC = 0x13,
    ARM_MODE_MON = 0x16,
    ARM_MODE_ABT = 0x17,
    ARM_MODE_HYP = 0x1a,
    ARM_MODE_UND = 0x1b,
    ARM_MODE_SYS = 0x1f,
} ArmMode;

/* Register banks: index into the banked arrays. usr and sys share bank 0. */
typedef enum ArmBank {
    ARM_BANK_USR = 0,
    ARM_BANK_FIQ,
    ARM_BANK_IRQ,
    ARM_BANK_SVC,
    ARM_BANK_ABT,
    ARM_BANK_UND,
    ARM_BANK_MON,
    ARM_BANK_HYP,
    ARM_NUM_BANKS
} ArmBank;

/* CPSR bits (ARM ARM B1.3.3). */
#define CPSR_M 0x1fu
#define CPSR_T (1u << 5)
#define CPSR_F (1u << 6)
#define CPSR_I (1u << 7)
#define CPSR_A (1u << 8)
#define CPSR_E (1u << 9)
#define CPSR_IT_2_7 0xfc00u
#define CPSR_GE (0xfu << 16)
#define CPSR_J (1u << 24)
#define CPSR_IT_0_1 (3u << 25)
#define CPSR_Q (1u << 27)
#define CPSR_V (1u << 28)
#define CPSR_C (1u << 29)
#define CPSR_Z (1u << 30)
#define CPSR_N (1u << 31)
#define CPSR_NZCV (0xfu << 28)

/* Exceptions (ARM ARM B1.8). Order is the vector offset / 4 where one exists. */
typedef enum ArmException {
    ARM_EXC_NONE = 0,
    ARM_EXC_UNDEF,         /* vector 0x04 */
    ARM_EXC_SVC,           /* vector 0x08 */
    ARM_EXC_PREFETCH_ABORT,/* vector 0x0c */
    ARM_EXC_DATA_ABORT,    /* vector 0x10 */
    ARM_EXC_IRQ,           /* vector 0x18 */
    ARM_EXC_FIQ,           /* vector 0x1c */
    ARM_EXC_BKPT,          /* a prefetch abort with IFSR = debug event */
    ARM_EXC_COUNT
} ArmException;

/* Short-descriptor fault status values (ARM ARM B3.13.3, Table B3-23). With TTBCR.EAE
 * the CPU reports them in the long format (arm_fsr_current_format, mmu_fsr_to_long);
 * the MMU faults themselves come from softmmu (mmu_fsr_short/mmu_fsr_long). */
#define ARM_FSR_ALIGNMENT 0x01u
#define ARM_FSR_DEBUG 0x02u
#define ARM_FSR_SYNC_EXTERNAL 0x08u
#define ARM_FSR_LPAE (1u << 9) /* long-descriptor format */
#define ARM_FSR_WNR (1u << 11)
#define ARM_FSR_EXT (1u << 12)

/* The instruction-side TLB (mem.c): recent instruction fetch translations with the MMU
 * on, direct-mapped by virtual page. Code keeps running through the mapping it was
 * fetched with until TLB maintenance or a change that flushes it, as on hardware and in
 * QEMU: a TTBR write alone does not drop it (guests switch tables under running code).
 * Not architectural state. valid == 0 (as after a memset) is an empty entry. */
#define ARM_ITLB_SIZE 32
typedef struct ArmItlbEntry {
    uint32_t va_page;
    uint8_t valid;
    uint8_t perms;  /* MMU_PERM_* of the mapping */
    uint8_t global;
    uint8_t pad_;
    uint64_t pa_page;
} ArmItlbEntry;

/* CP15 system registers we model (ARM ARM B4.1). */
typedef struct ArmCp15 {
    uint32_t sctlr, actlr, cpacr;
    uint32_t ttbr0_lo, ttbr0_hi, ttbr1_lo, ttbr1_hi, ttbcr, dacr;
    uint32_t dfsr, ifsr, dfar, ifar, adfsr, aifsr;
    uint32_t par_lo, par_hi;
    uint32_t prrr, nmrr; /* = MAIR0/MAIR1 with LPAE */
    uint32_t vbar, contextidr;
    uint32_t tpidrurw, tpidruro, tpidrprw;
    uint32_t csselr;
    uint32_t fcseidr;
    uint32_t cntkctl, cntfrq;
    uint32_t teecr, teehbr;    /* ThumbEE configuration and handler base */
    /* Not architectural: soft-TLB bookkeeping for TLBIMVA (mem.c). The soft TLB caches
     * 4 KiB pieces of larger mappings; [tlb_large_lo, tlb_large_hi] bounds the virtual
     * addresses of every such mapping cached since the last full flush (empty: lo > hi),
     * so that an invalidation by MVA inside it drops all the pieces. */
    uint32_t tlb_large_lo, tlb_large_hi;
    uint16_t cp_cache[64]; /* not architectural: cp15.c's lookup cache (index + 1) */
    ArmItlbEntry itlb[ARM_ITLB_SIZE];
} ArmCp15;

/* The soft TLB (one per privilege level): the fast path of translated loads and stores.
 * An entry maps one guest virtual page of RAM to host memory: host = va + addend. The
 * tags are the page address; they are compared with va & (page mask | (size - 1)), so
 * unaligned accesses miss and take the slow path, which handles them. A write tag is
 * only set for pages without translated code, so stores to code always take the slow
 * path (which invalidates the translations). ARM_TLB_INVALID never matches. */
#define ARM_TLB_BITS 8
#define ARM_TLB_SIZE (1u << ARM_TLB_BITS)
#define ARM_TLB_INVALID 0xffffffffu
typedef struct ArmTlbEntry {
    uint32_t read_tag;
    uint32_t write_tag;
    uint64_t addend;
} ArmTlbEntry;
enum { ARM_TLB_PRIV = 0, ARM_TLB_USER = 1 };

/* SCTLR bits (ARM ARM B4.1.130; Cortex-A15: with the Virtualization Extensions' WXN and
 * UWXN, no hardware access flag, no FI/VE/RR/NMFI control). */
#define SCTLR_M (1u << 0)
#define SCTLR_A (1u << 1)
#define SCTLR_C (1u << 2)
#define SCTLR_CP15BEN (1u << 5)
#define SCTLR_SW (1u << 10)
#define SCTLR_Z (1u << 11)
#define SCTLR_I (1u << 12)
#define SCTLR_V (1u << 13)
#define SCTLR_WXN (1u << 19)
#define SCTLR_UWXN (1u << 20)
#define SCTLR_EE (1u << 25)
#define SCTLR_TRE (1u << 28)
#define SCTLR_AFE (1u << 29)
#define SCTLR_TE (1u << 30)
/* The bits a guest write may change; the others keep their reset value (RAO/RAZ). */
#define SCTLR_WRITABLE (SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_CP15BEN | SCTLR_SW | SCTLR_Z | \
                        SCTLR_I | SCTLR_V | SCTLR_WXN | SCTLR_UWXN | SCTLR_EE | SCTLR_TRE | \
                        SCTLR_AFE | SCTLR_TE)
/* The bits that change address translation: a write that changes one flushes the TLB. */
#define SCTLR_TRANSLATION (SCTLR_M | SCTLR_WXN | SCTLR_UWXN | SCTLR_EE | SCTLR_TRE | SCTLR_AFE)

struct ArmCpu;
/* Semihosting call handler (devices/): performs the call whose operation is in r0 and
 * parameter in r1, puts the result in r0. */
typedef void (*ArmSemihostFn)(void *opaque, struct ArmCpu *cpu);

/* What the CPU is attached to: board options and the callbacks of devices and engine.
 * Not architectural state, so arm_cpu_reset keeps it. */
typedef struct ArmCpuEnv {
    /* Virtualization Extensions exposed to the guest (banked MRS/MSR, Hyp mode). Off on
     * `virt` by default, as in QEMU (virtualization=off). */
    bool has_virtualization;
    bool semihosting;
    ArmSemihostFn semihost_fn;
    void *semihost_opaque;
    /* HVC from PL1 (PSCI over HVC, as QEMU's virt without EL2): called with the function
     * in r0. NULL: HVC is UNDEFINED (no Virtualization Extensions). */
    ArmSemihostFn hvc_fn;
    void *hvc_opaque;
    /* CP15 c14, the generic timer registers (ARM ARM B8.2), belong to the board's timer
     * (devices/): MRC/MCR (is64 false: opc1, crm, opc2) and MRRC/MCRR (is64: opc1).
     * Returns false when the access is UNDEFINED. NULL: c14 is UNDEFINED. */
    bool (*gtimer_fn)(void *opaque, struct ArmCpu *cpu, unsigned opc1, unsigned crm,
                      unsigned opc2, bool is64, bool read, uint64_t *value);
    void *gtimer_opaque;
    /* Called (when set) after the guest changed address translation: a TLB maintenance
     * operation or a write to a register that changes the translation regime. kind is an
     * ARM_TLBCH_* value (mem.c section below); va is a page address (ARM_TLBCH_MVA), asid
     * an ASID or ARM_TLBCH_ANY_ASID. The TLBs are already flushed when it is called (for
     * a TTBR write that keeps the ASID only the data soft TLB: see ArmItlbEntry). */
    void (*tlb_changed_fn)(void *opaque, unsigned kind, uint32_t va, uint32_t asid);
    void *tlb_changed_opaque;
    /* Called (when set) whenever the CPU enters user mode from a privileged mode
     * (entered true) or leaves it (false), after the switch: the native engine selects
     * the sandbox of the address space here, and counts instructions per privilege. */
    void (*user_mode_fn)(void *opaque, struct ArmCpu *cpu, bool entered);
    void *user_mode_opaque;
} ArmCpuEnv;

typedef struct ArmCpu {
    /* --- hot state, addressed by translated code --- */
    uint32_t r[16];     /* current-mode view of R0-R15; r[15] is the address of the next
                           instruction at block boundaries */
    uint8_t nf, zf, cf, vf; /* N, Z, C, V flags, each 0 or 1 */
    uint8_t qf;         /* sticky saturation flag */
    uint8_t ge;         /* GE[3:0] */
    uint8_t pad_[2];
    uint32_t cpsr;      /* the other CPSR bits: M, T, F, I, A, E, IT, J */
    uint64_t icount;    /* guest instructions executed (retired) */
    int64_t budget;     /* jit: instructions translated code may still start; each block
                           subtracts its length on entry and leaves when it would go
                           negative (the loop turns what was used into icount) */
    volatile int32_t exit_request; /* nonzero: leave translated code at the next boundary */
    uint8_t code_written; /* a store hit a page holding translated code: the running
                             block stops at the next instruction boundary */
    /* Interrupt inputs: the levels of the IRQ and FIQ lines from the interrupt
     * controller. When a line rises while an instruction runs, code_written is set too,
     * so that every engine stops at the next instruction boundary and takes it. */
    volatile uint8_t irq_line, fiq_line;
    uint8_t wfi;         /* WFI executed: the CPU waits for an interrupt (ARM ARM B1.8.13) */
    uint8_t jit_retry;   /* jit slow path: the access must be done by the interpreter */
    uint8_t yield_request; /* leave the execution loop at the next instruction boundary
                              (e.g. a timer was reprogrammed: deadlines change) */
    int64_t jit_slice;   /* the budget translated code started with (0 outside it) */
    /* What the mode key adds to CPSR.M|T|E, per mode (indexed by CPSR.M & 15): user-mode
     * blocks are keyed by the current ASID (<< 16), so that their chains and jump-cache
     * entries need not be undone when the ASID changes (see arm_mode_key). */
    uint32_t key_extra[16];
    /* key_extra[m] >> (JIT_JC_KEY_SHIFT - 4): what the key adds to a jump-cache entry's
     * offset (the dispatcher reads it instead of computing it). */
    uint32_t jc_salt[16];

    /* --- exception reporting from helpers and memory accesses --- */
    ArmException pending_exc;  /* set by a helper or memory access that faults */
    uint32_t pending_fsr, pending_far;

    /* --- banked state (ARM ARM B1.3.2) --- */
    uint32_t bank_r13[ARM_NUM_BANKS];
    uint32_t bank_r14[ARM_NUM_BANKS];
    uint32_t bank_spsr[ARM_NUM_BANKS];
    uint32_t usr_r8_12[5];  /* R8-R12 of every mode but FIQ, while in FIQ mode */
    uint32_t fiq_r8_12[5];  /* FIQ's R8-R12, while not in FIQ mode */
    uint32_t elr_hyp;

    /* --- system --- */
    ArmTlbEntry tlb[2][ARM_TLB_SIZE]; /* [ARM_TLB_PRIV / ARM_TLB_USER] */
    ArmCp15 cp15;
    /* local exclusive monitor (ARM ARM A3.4.1) */
    bool excl_valid;
    uint32_t excl_addr;
    uint32_t excl_size;
    uint64_t excl_value;
    bool event_register; /* for WFE/SEV */
    bool halted;         /* guest asked to stop (semihosting exit) */
    int exit_status;

    /* --- environment --- */
    PhysMem *mem;
    ArmCpuEnv env;       /* kept across a reset (arm_cpu_reset) */
    /* Host address of guest virtual address 0 in the sandbox of the current address space
     * (native engine, user mode): translated user-mode code accesses guest memory at
     * native_base + va. Set by env.user_mode_fn on every entry to user mode. */
    uint8_t *native_base;

    /* statistics */
    uint64_t exceptions[ARM_EXC_COUNT];
    bool tlb_ng;            /* the data soft TLB holds an entry of a non-global mapping */
    bool itlb_ng;           /* the instruction-side TLB may hold one */
    uint64_t tlb_fills;     /* soft-TLB entries filled by a table walk (TLB misses) */
    uint64_t tlb_flushes;   /* whole soft-TLB flushes */
} ArmCpu;

/* Guest instructions executed so far, exact also inside a helper called from translated
 * code (which keeps cpu->budget up to date before every call). */
static inline uint64_t arm_cpu_insns_now(const struct ArmCpu *cpu);

/* --- cpu.c: state, modes, PSRs --- */
/* Set the level of the IRQ or FIQ input (ARM ARM B1.8.10): a rising line makes the
 * running code stop at the next instruction boundary. */
void arm_cpu_set_irq(ArmCpu *cpu, bool irq, bool fiq);
/* The interrupt that would be taken now (IRQ or FIQ, not masked by CPSR.I/F), or
 * ARM_EXC_NONE. */
ArmException arm_cpu_pending_interrupt(const ArmCpu *cpu);
void arm_cpu_init(ArmCpu *cpu, PhysMem *mem);
void arm_cpu_reset(ArmCpu *cpu);
uint32_t arm_cpsr_read(const ArmCpu *cpu);

/* How a CPSR write was requested; decides which bits may change (ARM ARM B1.3.3). */
typedef enum ArmCpsrWriteKind {
    ARM_CPSR_WRITE_MSR,       /* MSR CPSR_<fields>: privileged-only bits ignored in usr */
    ARM_CPSR_WRITE_EXC_RETURN,/* SPSR copied to CPSR on exception return */
    ARM_CPSR_WRITE_RAW,       /* emulator-internal: all bits */
} ArmCpsrWriteKind;
void arm_cpsr_write(ArmCpu *cpu, uint32_t value, uint32_t mask, ArmCpsrWriteKind kind);

/* Switch the current mode, swapping banked registers. `mode` must be valid. */
void arm_switch_mode(ArmCpu *cpu, uint32_t mode);
bool arm_mode_is_valid(uint32_t mode);
ArmBank arm_mode_bank(uint32_t mode);
static inline uint32_t arm_cpu_mode(const ArmCpu *cpu) { return cpu->cpsr & CPSR_M; }
static inline bool arm_cpu_privileged(const ArmCpu *cpu) { return arm_cpu_mode(cpu) != ARM_MODE_USR; }
bool arm_mode_has_spsr(uint32_t mode);
const char *arm_mode_name(uint32_t mode);

/* --- exception.c --- */
/* Take exception `exc` for the instruction at `insn_pc` (for IRQ/FIQ: the address of the
 * next instruction to execute). Uses cpu->pending_fsr/pending_far for aborts.
 * ARM ARM B1.8.3 (exception entry) and B1.8.1 (vectors, VBAR). */
void arm_take_exception(ArmCpu *cpu, ArmException exc, uint32_t insn_pc);
/* Exception return: CPSR <- SPSR of the current mode, PC <- new_pc (ARM ARM B1.8.10). */
void arm_exception_return(ArmCpu *cpu, uint32_t new_pc);
const char *arm_exception_name(ArmException exc);

/* --- mem.c: memory access as the CPU sees it --- */
/* Flags for guest data accesses. */
#define ARM_MEM_SIZE_MASK 0x0fu /* 1, 2, 4 or 8 bytes */
#define ARM_MEM_SIGNED 0x10u
#define ARM_MEM_USER 0x20u      /* unprivileged (LDRT/STRT, or user mode) */
#define ARM_MEM_ALIGN 0x40u     /* alignment required regardless of SCTLR.A */
#define ARM_MEM_WRITE 0x80u     /* (internal) this is a write */
#define ARM_MEM_RAM_ONLY 0x100u /* translated code: a device access, or a store to a page
                                   holding translated code, is not done but returns false
                                   with cpu->jit_retry set (no abort pending) */
/* Read/write guest virtual memory with the CPU's rules (alignment, endianness). On a fault
 * returns false with cpu->pending_exc/fsr/far set (a data abort). */
bool arm_mem_read(ArmCpu *cpu, uint32_t va, unsigned flags, uint32_t *value);
bool arm_mem_write(ArmCpu *cpu, uint32_t va, unsigned flags, uint32_t value);
/* Instruction fetch: false with pending prefetch abort on failure. */
bool arm_mem_fetch32(ArmCpu *cpu, uint32_t va, uint32_t *insn);
/* Translate the address of an instruction fetch in the current mode (the execution loop
 * keys translation blocks by physical address). False with a pending prefetch abort
 * (IFSR/IFAR values in cpu->pending_fsr/far) if the MMU refuses it; *global is false for
 * a mapping that belongs to the current ASID only (nG). */
bool arm_mem_translate_fetch(ArmCpu *cpu, uint32_t va, PhysAddr *pa, bool *global);
/* Soft TLB maintenance: drop everything (the data soft TLB and the instruction-side
 * TLB), or the write permission of every entry that maps host page `host_page` (it now
 * holds translated code). */
void arm_tlb_flush(ArmCpu *cpu);
void arm_tlb_protect_code(ArmCpu *cpu, const uint8_t *host_page);
/* Drop the data soft TLB only (a TTBR write: see ArmItlbEntry). */
void arm_tlb_flush_data(ArmCpu *cpu);
/* Drop the entries of both TLBs for the page holding va (and every cached piece of a
 * larger mapping if va may lie inside one). */
void arm_tlb_flush_page(ArmCpu *cpu, uint32_t va);
/* What changed, for ArmCpu.tlb_changed_fn. */
enum {
    ARM_TLBCH_ALL = 0, /* TLBIALL and its variants: every entry */
    ARM_TLBCH_MVA,     /* TLBIMVA(A): the page at va, for asid or ARM_TLBCH_ANY_ASID */
    ARM_TLBCH_ASID,    /* TLBIASID: every non-global entry of asid */
    ARM_TLBCH_REGIME,  /* SCTLR (M, TRE, AFE, EE, WXN, UWXN), TTBR0/1, TTBCR, DACR, PRRR
                          or NMRR changed value */
    ARM_TLBCH_CONTEXT, /* only the current ASID changed (CONTEXTIDR.ASID, short format):
                          entries of global mappings stay valid */
};
#define ARM_TLBCH_ANY_ASID 0xffffffffu
/* Flush the soft TLB as `kind` says and call cpu->env.tlb_changed_fn. */
void arm_tlb_changed(ArmCpu *cpu, unsigned kind, uint32_t va, uint32_t asid);
/* The MMU registers of the current state, for softmmu's walker. */
void arm_mmu_regs(const ArmCpu *cpu, MmuRegs *regs);
/* The current ASID: CONTEXTIDR[7:0], or with TTBCR.EAE the ASID of TTBR0 or TTBR1
 * (TTBCR.A1), ARM ARM B4.1.36 (CONTEXTIDR) and B4.1.154 (TTBR0). */
uint32_t arm_mmu_asid(const ArmCpu *cpu);
/* A short-format fault status converted to the format the CPU reports now (long with
 * TTBCR.EAE, ARM ARM B3.13.3); long-format values pass unchanged. */
uint32_t arm_fsr_current_format(const ArmCpu *cpu, uint32_t short_fsr);
/* Translate a virtual address for the debugger/semihosting and the translator: the
 * cached instruction-side translation of va if there is one (what the CPU executes
 * from), else the mapping the tables give, whatever the permissions (identity while the
 * MMU is off). Returns false if unmapped. */
bool arm_virt_to_phys(ArmCpu *cpu, uint32_t va, PhysAddr *pa);

/* --- mem_native.c: shadow page faults of the user-mode fast path (native/) --- */
struct NativeSpace;
struct Sandbox;
typedef enum ArmNativeFault {
    ARM_NATIVE_MAPPED,     /* the page is mapped now, as user mode may use it: retry */
    ARM_NATIVE_CODE_WRITE, /* a user write to a RAM page holding translated code: the caller
                              invalidates those translations, then asks again */
    ARM_NATIVE_DEVICE,     /* not RAM: the access is emulated through the soft-MMU path */
    ARM_NATIVE_ABORT,      /* user mode may not: the data abort is pending in cpu */
} ArmNativeFault;
/* What a page mapped into a sandbox came from. */
typedef struct ArmNativeMapping {
    unsigned domain;     /* short-descriptor format: its domain */
    unsigned page_shift; /* the size of the guest's mapping (section, page, ...) */
} ArmNativeMapping;
/* A user-mode access (write or read) to guest virtual address va faulted in sandbox sb.
 * Mapped pages are tagged NATIVE_MAP_GLOBAL when not tied to an ASID; *m (if not NULL)
 * describes a page mapped now. */
ArmNativeFault arm_native_resolve(ArmCpu *cpu, struct NativeSpace *ns, struct Sandbox *sb,
                                  uint32_t va, bool write, ArmNativeMapping *m);

/* --- cp15.c --- */
/* Coprocessor access from MRC/MCR (ARM ARM B4.1; B3.17 for the encoding of CP15). Returns
 * false if the access is UNDEFINED. `read` selects MRC, value in/out. */
bool arm_cp_access(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crn, unsigned crm,
                   unsigned opc2, bool read, uint32_t *value);
bool arm_cp_access64(ArmCpu *cpu, unsigned cp, unsigned opc1, unsigned crm, bool read,
                     uint64_t *value);
/* Reset values of the CP15 registers that are not 0 (SCTLR, PRRR/NMRR, CNTFRQ) and an
 * empty soft-TLB bookkeeping range; call after clearing cpu->cp15. */
void arm_cp15_reset(ArmCp15 *c);

/* --- translate.c: A32 frontend --- */
/* The mode key of the current state: everything the IR of a block depends on (CPSR.M,
 * T, E), and in user mode the current ASID (ArmCpu.key_extra). */
uint32_t arm_mode_key(const ArmCpu *cpu);
/* Decode guest instructions starting at `pc` into `b` (which must be empty), stopping at a
 * block end, at a page end, or after max_insns. On a prefetch abort of the first
 * instruction the block holds only that exception. */
void arm_translate_block(ArmCpu *cpu, IrBlock *b, uint32_t pc, unsigned max_insns);
/* Disassemble one A32 instruction into buf (for -d in_asm, uses capstone). */
void arm_disas(uint32_t pc, uint32_t insn, char *buf, size_t len);
/* Name of the decoder pattern that matches insn (unit tests, -d). NULL = undefined. */
const char *arm_decode_name(uint32_t insn);
/* Check the decode tables: returns the number of pattern pairs that are ambiguous (equal
 * specificity, overlapping encodings) and lists them in report. */
int arm_decode_selfcheck(char *report, size_t len);
/* The name arm_decode_name gives, found without the bucket index: the first pattern in
 * specificity order that matches (what the index must agree with; for the tests). */
const char *arm_decode_name_linear(uint32_t insn);

static inline uint64_t arm_cpu_insns_now(const ArmCpu *cpu)
{
    return cpu->icount + (uint64_t)(cpu->jit_slice - cpu->budget);
}

#endif
