/*
 * devices: boards, device models, image loaders and semihosting.
 *
 * A Machine is a board (only `virt` so far) with its RAM, devices and one CPU, built from
 * a MachineConfig that the command line fills in. Everything mutable lives in the Machine
 * (no globals), so tests may build many machines in one process.
 *
 * The `virt` memory map follows QEMU's hw/arm/virt.c so the same images run on both:
 *   0x00000000 flash (not modelled yet)   0x08000000 GICv2 distributor, 0x08010000 CPU i/f
 *   0x09000000 PL011 UART (SPI 1)         0x09010000 PL031 RTC (SPI 2)
 *   0x40000000 RAM (size from -m)         generic timer: PPI 30 (physical), 27 (virtual)
 */
#ifndef ARMVM_DEVICES_H
#define ARMVM_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dbt/dbt.h"
#include "frontend-arm/frontend-arm.h"
#include "softmmu/softmmu.h"

#define VIRT_RAM_BASE 0x40000000u
#define VIRT_GIC_DIST_BASE 0x08000000u
#define VIRT_GIC_CPU_BASE 0x08010000u
#define VIRT_UART_BASE 0x09000000u
#define VIRT_UART_SIZE 0x1000u
#define VIRT_MIN_RAM (1ull << 20)
#define VIRT_MAX_RAM (3ull << 30) /* RAM may not run past 4 GiB without LPAE */

#define MACHINE_MAX_LOADERS 8

/* A raw file loaded at a guest physical address (`-device loader,file=F,addr=A`). */
typedef struct RawLoad {
    const char *file;
    uint64_t addr;
    bool set_pc; /* cpu-num=0 given: start execution at addr */
} RawLoad;

/* Filled in by the command line. The strings must outlive the Machine. */
typedef struct MachineConfig {
    const char *machine;  /* board name, "virt" */
    const char *cpu;      /* "cortex-a15" */
    uint64_t ram_size;    /* bytes: a multiple of 4 KiB, VIRT_MIN_RAM..VIRT_MAX_RAM */
    const char *kernel;   /* -kernel: ELF, or raw binary */
    const char *append;   /* -append: kernel command line (NULL = none) */
    const char *initrd;   /* raw kernels only, loaded where QEMU puts it */
    const char *dtb;      /* a DTB file (not generated yet) */
    RawLoad raw[MACHINE_MAX_LOADERS];
    int n_raw;
    bool semihosting;
    /* -semihosting-config arg=... values joined by single spaces. NULL when no arg= was
     * given: SYS_GET_CMDLINE then returns "<kernel> <append words>" as QEMU does. */
    const char *semihosting_cmdline;
    DbtEngine engine;
    uint64_t max_insns;   /* 0 = unlimited */
    /* -icount: virtual time (generic timer, RTC) advances by 2^icount_shift ns per guest
     * instruction, and jumps to the next timer deadline when the CPU waits (WFI), so a
     * run is repeatable. icount_sleep (QEMU's sleep=on): such waits also take real time.
     * Without -icount, time is the host's monotonic clock. */
    bool icount;
    unsigned icount_shift;
    bool icount_sleep;
    bool no_reboot;       /* -no-reboot: a guest reset (PSCI SYSTEM_RESET) ends the run */
    unsigned log_mask;    /* DBT_LOG_* */
    FILE *log_file;       /* where -d output goes (NULL = stderr) */
    FILE *console_out;    /* guest console output: UART and semihosting (NULL = stdout) */
    FILE *console_in;     /* guest console input (NULL = stdin) */
} MachineConfig;

/* Fill in QEMU's defaults: virt, cortex-a15, 128 MiB, interp engine, console on stdio. */
void machine_config_defaults(MachineConfig *cfg);

typedef struct Machine Machine;

/* Build the board and load the images. NULL with a message in err on failure (bad
 * image, bad size, unknown board/cpu...). */
Machine *machine_create(const MachineConfig *cfg, char *err, size_t errlen);
void machine_destroy(Machine *m);

/* Run the guest. Returns the exit status armvm should exit with: the guest's semihosting
 * exit status when it halted, 0 when the --max-insns budget ran out (a note goes to
 * stderr), 1 when the run was stopped from outside (cpu->exit_request). May be called
 * again to continue a run that stopped on its budget. */
int machine_run(Machine *m);

/* Print the statistics block (--stats). The line "guest instructions   N" is parsed by
 * the test scripts. */
void machine_print_stats(Machine *m, FILE *out);

ArmCpu *machine_cpu(Machine *m);
PhysMem *machine_mem(Machine *m);
Dbt *machine_dbt(Machine *m);

/* --- load maps: which parts of RAM the loaded images occupy (load_map.c) --- */
/* Used like QEMU's ROM list: SYS_HEAPINFO reports the largest gap, and the DTB goes where
 * it does not overlap an image. Ranges are [start, end). */
#define LOAD_MAP_MAX 32
typedef struct LoadMap {
    uint64_t start[LOAD_MAP_MAX];
    uint64_t end[LOAD_MAP_MAX];
    int n;
} LoadMap;
/* Record a range (empty ranges are ignored; when the map is full the last entry grows to
 * cover the new range, which only makes the gaps smaller). */
void load_map_add(LoadMap *map, uint64_t start, uint64_t end);
/* The largest part of [base, base+size) that no range covers (QEMU's
 * rom_find_largest_gap_between). Ties go to the lowest address. */
void load_map_largest_gap(const LoadMap *map, uint64_t base, uint64_t size, uint64_t *gap_start,
                          uint64_t *gap_end);

/* --- loaders (loader_elf.c, loader_raw.c) --- */
/* Load an ELF32 little-endian ARM executable (ET_EXEC) into guest RAM: every PT_LOAD
 * segment goes to its physical address p_paddr (as QEMU does), p_memsz > p_filesz is
 * zero-filled. *entry receives e_entry (bit 0 set = Thumb). Each segment is recorded in
 * map (may be NULL). Returns 0, or -1 with a clear message in err (not ELF, ELF64,
 * big-endian, not ARM, not an executable, no loadable segments, segment outside RAM,
 * truncated file...). Nothing is written to RAM unless every segment is valid. */
int load_elf(PhysMem *mem, const char *path, uint32_t *entry, LoadMap *map, char *err,
             size_t errlen);
/* 1 if the file starts with the ELF magic, 0 if not, -1 if it cannot be read. */
int file_is_elf(const char *path);
/* Load a whole file at a guest physical address; it must lie entirely in RAM. Records the
 * range in map (may be NULL). Returns the size, or -1 with err. */
int64_t load_raw(PhysMem *mem, const char *path, uint64_t addr, LoadMap *map, char *err,
                 size_t errlen);

/* --- PL011 UART (pl011.c), ARM PrimeCell UART (PL011) TRM, r1p5 --- */
/* QEMU virt wires UARTINTR to SPI 1. */
#define VIRT_UART_INTID 33u
typedef struct Pl011 Pl011;
#ifndef ARMVM_IRQ_LINE_FN
#define ARMVM_IRQ_LINE_FN
/* An interrupt output (here UARTINTR, the combined line): called when its level
 * changes. (Also declared by the other device headers, under the same guard.) */
typedef void (*IrqLineFn)(void *opaque, bool level);
#endif
/* Bytes the guest writes to UARTDR go to out (flushed at once); received bytes come from
 * in without blocking (NULL = no input). */
Pl011 *pl011_create(FILE *out, FILE *in);
void pl011_destroy(Pl011 *s);
void pl011_reset(Pl011 *s);
/* Map the 4 KiB register block at base. Returns 0, or -1 (overlap, table full). */
int pl011_map(Pl011 *s, PhysMem *mem, PhysAddr base);
/* The interrupt output; the callback is called at once with the current level. */
void pl011_set_irq(Pl011 *s, IrqLineFn fn, void *opaque);
bool pl011_irq_level(const Pl011 *s);
/* Move the input that is available now into the RX FIFO without blocking (poll + read
 * on the input's file descriptor), as far as the FIFO has room, and apply the receive
 * timeout. For the run loop to call regularly; guest reads of UARTDR/FR/RIS/MIS poll
 * too. Returns the number of characters received. */
int pl011_poll_input(Pl011 *s);
/* Every byte read from the host input goes through fn first: it returns the byte to
 * receive, or -1 to drop it (the console's escape key, console.c). */
typedef int (*Pl011InputFilter)(void *opaque, uint8_t c);
void pl011_set_input_filter(Pl011 *s, Pl011InputFilter fn, void *opaque);
/* The file descriptor to wait on for input (e.g. in WFI), or -1 when there is nothing
 * to wait for: no input stream, one without a descriptor, its end reached, loopback
 * mode, or the RX FIFO full (the guest must read first). */
int pl011_input_fd(const Pl011 *s);

/* --- semihosting (semihost.c), ARM "Semihosting for AArch32 and AArch64" v2 --- */
typedef struct Semihost Semihost;
/* cmdline: what SYS_GET_CMDLINE returns (NULL = ""). Console output (SYS_WRITEC,
 * SYS_WRITE0, and ":tt" opened for writing or appending) goes to console_out, console
 * input comes from console_in (NULL: stdout / stdin). */
Semihost *semihost_create(const char *cmdline, FILE *console_out, FILE *console_in);
void semihost_destroy(Semihost *sh);
/* Install as the cpu's semihosting handler (sets cpu->env.semihost_fn/opaque only). */
void semihost_attach(Semihost *sh, ArmCpu *cpu);
/* What SYS_HEAPINFO returns. Without this call: heap = all of the cpu's RAM. */
void semihost_set_heapinfo(Semihost *sh, uint32_t heap_base, uint32_t heap_limit,
                           uint32_t stack_base, uint32_t stack_limit);
/* Perform one call (operation in r0, parameter in r1; result in r0). SYS_EXIT and
 * SYS_EXIT_EXTENDED set cpu->halted, cpu->exit_status and cpu->exit_request. */
void semihost_call(void *sh, ArmCpu *cpu);

#endif
