/*
 * The `virt` board: QEMU's hw/arm/virt.c memory map (RAM at 0x40000000, PL011 at
 * 0x09000000) and its boot conventions (hw/arm/boot.c, QEMU 7.2), minus the Linux boot
 * protocol and the generated device tree, which come later:
 *
 *  - ELF -kernel: segments at their physical addresses; the CPU starts at the entry
 *    point in its reset state (SVC mode, IRQ/FIQ masked, MMU off), Thumb if bit 0 is set.
 *  - Raw -kernel: loaded at RAM + 0x10000 (KERNEL_LOAD_ADDR); the CPU starts there with
 *    r0 = 0, r1 = 0xffffffff (no board id), r2 = the DTB address or 0. (QEMU runs a small
 *    boot stub at the base of RAM that sets the same registers; armvm sets them directly,
 *    so the guest instruction count differs from QEMU's by the stub's few instructions.)
 *    -initrd then goes to RAM + min(RAM size / 2, 128 MiB) and -dtb to the next 4 KiB
 *    boundary after the initrd, as QEMU places them.
 *  - -dtb with an ELF kernel: copied to the base of RAM if it fits below the lowest
 *    segment (QEMU's rule for non-Linux images); otherwise it is not loaded (QEMU skips
 *    it silently; armvm prints a note). With loaders only: copied to the base of RAM.
 *    The blob is checked with libfdt but not modified (no /memory, /chosen updates yet).
 *  - -device loader,file=F,addr=A: F copied to A; with cpu-num=0 the CPU starts at A
 *    (bit 0 selects Thumb, as QEMU's cpu_set_pc). Loaders are applied after -kernel and
 *    a loader's start address wins over the kernel's entry point.
 */
#include "devices/machine_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int virt_board_init(Machine *m, char *err, size_t errlen)
{
    if (physmem_init(&m->mem, VIRT_RAM_BASE, m->cfg.ram_size, err, errlen) != 0)
        return -1;
    m->mem_ready = true;
    m->uart = pl011_create(m->cfg.console_out, m->cfg.console_in);
    if (!m->uart) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (pl011_map(m->uart, &m->mem, VIRT_UART_BASE) != 0) {
        snprintf(err, errlen, "cannot map the PL011 UART at 0x%08x", VIRT_UART_BASE);
        return -1;
    }
    return 0;
}

/* Read and check a device tree blob (at most max bytes). Returns a malloc'd buffer. */
static uint8_t *read_dtb(const char *path, uint64_t max, size_t *size, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errlen, "%s: device tree of %lld bytes is larger than guest RAM", path,
                 (long long)st.st_size);
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    size_t done = 0;
    while (buf && done < n) {
        ssize_t r = read(fd, buf + done, n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        done += (size_t)r;
    }
    close(fd);
    if (!buf || done != n) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        return NULL;
    }
    int rc = n >= sizeof(struct fdt_header) ? fdt_check_header(buf) : -FDT_ERR_TRUNCATED;
    if (rc == 0 && fdt_totalsize(buf) > n)
        rc = -FDT_ERR_TRUNCATED;
    if (rc != 0) {
        snprintf(err, errlen, "%s: not a valid device tree blob (%s)", path, fdt_strerror(rc));
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

static int place_blob(Machine *m, const char *what, const char *path, const uint8_t *data,
                      size_t size, uint64_t addr, char *err, size_t errlen)
{
    PhysMem *mem = &m->mem;
    uint64_t end = mem->ram_base + mem->ram_size;
    if (addr < mem->ram_base || addr > end || size > end - addr ||
        physmem_copy_to_guest(mem, addr, data, size) != 0) {
        snprintf(err, errlen, "%s %s: %zu bytes at 0x%08llx do not fit in guest RAM (0x%08llx-0x%08llx)",
                 what, path, size, (unsigned long long)addr, (unsigned long long)mem->ram_base,
                 (unsigned long long)(end - 1));
        return -1;
    }
    load_map_add(&m->images, addr, addr + size);
    return 0;
}

/* Start the CPU at addr (bit 0: Thumb), as QEMU's arm_cpu_set_pc. */
static void set_start(ArmCpu *cpu, uint32_t addr)
{
    cpu->r[15] = addr & ~1u;
    if (addr & 1)
        cpu->cpsr |= CPSR_T;
    else
        cpu->cpsr &= ~CPSR_T;
}

int virt_board_load(Machine *m, char *err, size_t errlen)
{
    const MachineConfig *c = &m->cfg;
    PhysMem *mem = &m->mem;
    ArmCpu *cpu = &m->cpu;

    if (!c->kernel && c->n_raw == 0) {
        snprintf(err, errlen, "no guest image (use -kernel FILE or -device loader,...)");
        return -1;
    }
    if (c->n_raw < 0 || c->n_raw > MACHINE_MAX_LOADERS) {
        snprintf(err, errlen, "too many -device loader options (at most %d)", MACHINE_MAX_LOADERS);
        return -1;
    }

    bool have_entry = false, raw_kernel = false;
    uint32_t entry = 0, dtb_addr = 0;
    uint64_t image_low = UINT64_MAX;

    if (c->kernel) {
        int is_elf = file_is_elf(c->kernel);
        if (is_elf < 0) {
            snprintf(err, errlen, "cannot read %s: %s", c->kernel, strerror(errno));
            return -1;
        }
        if (is_elf) {
            if (load_elf(mem, c->kernel, &entry, &m->images, err, errlen) != 0)
                return -1;
            for (int i = 0; i < m->images.n; i++)
                if (m->images.start[i] < image_low)
                    image_low = m->images.start[i];
        } else {
            uint64_t addr = mem->ram_base + VIRT_KERNEL_LOAD_OFFSET;
            if (load_raw(mem, c->kernel, addr, &m->images, err, errlen) < 0)
                return -1;
            entry = (uint32_t)addr;
            raw_kernel = true;
        }
        have_entry = true;
    }

    uint64_t initrd_start = mem->ram_base + (mem->ram_size / 2 < (128ull << 20)
                                                 ? mem->ram_size / 2 : (128ull << 20));
    int64_t initrd_size = 0;
    if (c->initrd) {
        if (raw_kernel) {
            initrd_size = load_raw(mem, c->initrd, initrd_start, &m->images, err, errlen);
            if (initrd_size < 0)
                return -1;
        } else {
            fprintf(stderr, "armvm: note: -initrd is only used with a raw (Linux) -kernel; ignored\n");
        }
    }

    if (c->dtb) {
        size_t size = 0;
        uint8_t *dtb = read_dtb(c->dtb, mem->ram_size, &size, err, errlen);
        if (!dtb)
            return -1;
        int rc = 0;
        if (raw_kernel) {
            uint64_t addr = (initrd_start + (uint64_t)initrd_size + 4095) & ~4095ull;
            rc = place_blob(m, "-dtb", c->dtb, dtb, size, addr, err, errlen);
            dtb_addr = (uint32_t)addr;
        } else if (!c->kernel || (image_low > mem->ram_base && size <= image_low - mem->ram_base)) {
            rc = place_blob(m, "-dtb", c->dtb, dtb, size, mem->ram_base, err, errlen);
        } else {
            fprintf(stderr,
                    "armvm: note: -dtb: no room for the %zu-byte device tree between the base of "
                    "RAM (0x%08llx) and the image (0x%08llx); not loaded\n",
                    size, (unsigned long long)mem->ram_base, (unsigned long long)image_low);
        }
        free(dtb);
        if (rc != 0)
            return -1;
    }

    for (int i = 0; i < c->n_raw; i++) {
        const RawLoad *l = &c->raw[i];
        if (!l->file) {
            snprintf(err, errlen, "-device loader: no file= given");
            return -1;
        }
        if (load_raw(mem, l->file, l->addr, &m->images, err, errlen) < 0)
            return -1;
        if (l->set_pc) {
            entry = (uint32_t)l->addr;
            have_entry = true;
        }
    }
    if (!have_entry) {
        snprintf(err, errlen,
                 "no start address: use -kernel FILE, or add cpu-num=0 to a -device loader");
        return -1;
    }

    set_start(cpu, entry);
    if (raw_kernel) {
        cpu->r[0] = 0;
        cpu->r[1] = VIRT_BOARD_ID;
        cpu->r[2] = dtb_addr;
    }
    return 0;
}
