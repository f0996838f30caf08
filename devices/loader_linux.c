/*
 * Linux boot protocol for the `virt` board: zImage/Image, initrd and DTB placement and
 * the CPU's entry state. See loader_linux.h for the rules (Documentation/arm/
 * booting.rst, QEMU 7.2 hw/arm/boot.c).
 */
#include "devices/loader_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Size of a regular file, and up to n bytes of its start in buf (*got = bytes read). */
static int file_head(const char *path, uint8_t *buf, size_t n, uint64_t *size, size_t *got,
                     char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    size_t done = 0;
    while (done < n && done < *size) {
        ssize_t r = pread(fd, buf + done, n - done, (off_t)done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        done += (size_t)r;
    }
    close(fd);
    *got = done;
    return 0;
}

/* The zImage header (arch/arm/boot/compressed/head.S: magic at 0x24, start and end at
 * 0x28/0x2c). Returns 1 for a zImage with a sound header (*start, *img_size set),
 * 0 for no zImage, -1 with err for a zImage whose header does not match the file. */
static int zimage_header(const char *path, const uint8_t *head, size_t got, uint64_t fsize,
                         uint32_t *start, uint32_t *img_size, char *err, size_t errlen)
{
    if (got < LINUX_ZIMAGE_END_OFF + 4 || le32(head + LINUX_ZIMAGE_MAGIC_OFF) != LINUX_ZIMAGE_MAGIC)
        return 0;
    uint32_t s = le32(head + LINUX_ZIMAGE_START_OFF), e = le32(head + LINUX_ZIMAGE_END_OFF);
    if (e <= s) {
        snprintf(err, errlen, "%s: bad zImage header: end address 0x%08x is not above start 0x%08x",
                 path, e, s);
        return -1;
    }
    if (e - s < LINUX_ZIMAGE_END_OFF + 4) {
        snprintf(err, errlen, "%s: bad zImage header: image of %u bytes is smaller than its header",
                 path, e - s);
        return -1;
    }
    if (e - s > fsize) {
        snprintf(err, errlen,
                 "%s: truncated zImage: the header says %u bytes (0x%08x-0x%08x), the file has "
                 "%llu",
                 path, e - s, s, e, (unsigned long long)fsize);
        return -1;
    }
    *start = s;
    *img_size = e - s;
    return 1;
}

/* The zImage extension table (arch/arm/boot/compressed/vmlinux.lds.S, present when the
 * word at 0x34 is 0x45454545): tags of [size in words incl. this header, tag, data...],
 * ended by a size of 0. The KLSZ tag gives the offset of the little-endian word that
 * holds the decompressed kernel's size, the bss size and (kernels >= 4.x) TEXT_OFFSET.
 * img points at the loaded image (n bytes). Sets *dec_end (0 if there is no KLSZ tag).
 * Returns 0, or -1 with err when the table runs outside the image. */
static int zimage_ext_table(const char *path, const uint8_t *img, uint32_t n, uint64_t ram_base,
                            uint64_t *dec_end, char *err, size_t errlen)
{
    *dec_end = 0;
    if (n < LINUX_ZIMAGE_EXT_TABLE_OFF + 4 ||
        le32(img + LINUX_ZIMAGE_EXT_MAGIC_OFF) != LINUX_ZIMAGE_EXT_MAGIC)
        return 0;
    uint32_t off = le32(img + LINUX_ZIMAGE_EXT_TABLE_OFF);
    for (int guard = 0; guard < 1024; guard++) {
        if (off % 4 || off > n - 4) {
            snprintf(err, errlen,
                     "%s: bad zImage extension table: offset 0x%x outside the %u-byte image", path,
                     off, n);
            return -1;
        }
        uint32_t words = le32(img + off);
        if (words == 0)
            return 0;
        if (words < 2 || words > (n - off) / 4) {
            snprintf(err, errlen,
                     "%s: bad zImage extension table: tag at 0x%x of %u words runs past the "
                     "image",
                     path, off, words);
            return -1;
        }
        if (le32(img + off + 4) == LINUX_ZIMAGE_TAG_KRNL_SIZE && words >= 4) {
            uint32_t size_at = le32(img + off + 8), bss = le32(img + off + 12);
            uint32_t text = words >= 5 ? le32(img + off + 16) : LINUX_DEFAULT_TEXT_OFFSET;
            if (size_at > n - 4) {
                snprintf(err, errlen,
                         "%s: bad zImage size tag: size word at 0x%x outside the %u-byte image",
                         path, size_at, n);
                return -1;
            }
            *dec_end = ram_base + text + le32(img + size_at) + bss;
        }
        off += words * 4;
    }
    snprintf(err, errlen, "%s: bad zImage extension table: too many tags", path);
    return -1;
}

int linux_load_kernel(PhysMem *mem, const char *kernel, const char *initrd, LoadMap *map,
                      LinuxBoot *lb, char *err, size_t errlen)
{
    memset(lb, 0, sizeof(*lb));
    const uint64_t ram_base = mem->ram_base, ram_end = mem->ram_base + mem->ram_size;
    uint8_t head[64];
    uint64_t fsize;
    size_t got;
    if (file_head(kernel, head, sizeof head, &fsize, &got, err, errlen) != 0)
        return -1;
    if (fsize == 0) {
        snprintf(err, errlen, "%s: empty kernel image", kernel);
        return -1;
    }
    if (fsize > mem->ram_size) {
        snprintf(err, errlen,
                 "kernel %s is too large to fit in RAM (kernel size %llu, RAM size %llu)", kernel,
                 (unsigned long long)fsize, (unsigned long long)mem->ram_size);
        return -1;
    }

    uint32_t zstart = 0, zsize = 0;
    int z = zimage_header(kernel, head, got, fsize, &zstart, &zsize, err, errlen);
    if (z < 0)
        return -1;
    uint64_t addr = ram_base + LINUX_KERNEL_LOAD_OFFSET;
    if (z && zstart != 0) {
        /* Linked for a fixed address (CONFIG_ZBOOT_ROM_TEXT): it must run there. */
        if (zstart < ram_base || zstart > ram_end || fsize > ram_end - zstart) {
            snprintf(err, errlen,
                     "%s: zImage linked to run at 0x%08x: %llu bytes there do not fit in RAM "
                     "(0x%08llx-0x%08llx)",
                     kernel, zstart, (unsigned long long)fsize, (unsigned long long)ram_base,
                     (unsigned long long)(ram_end - 1));
            return -1;
        }
        addr = zstart;
    }
    int64_t n = load_raw(mem, kernel, addr, map, err, errlen);
    if (n < 0)
        return -1;
    lb->kind = z ? LINUX_KERNEL_ZIMAGE : LINUX_KERNEL_IMAGE;
    lb->kernel_start = addr;
    lb->kernel_end = addr + (uint64_t)n;
    if (z && (uint64_t)n < zsize) {
        snprintf(err, errlen, "%s: the file shrank while it was loaded", kernel);
        return -1;
    }
    if (z) {
        const uint8_t *img = physmem_ram_ptr(mem, addr, zsize);
        if (!img || zimage_ext_table(kernel, img, zsize, ram_base, &lb->decompressed_end, err,
                                     errlen) != 0) {
            if (!img)
                snprintf(err, errlen, "%s: cannot read the loaded zImage", kernel);
            return -1;
        }
    }

    /* hw/arm/boot.c: the initrd goes far enough in for the kernel to decompress below
     * it, but not out of low memory: halfway into RAM below 256 MiB, else at 128 MiB;
     * never over the loaded image. */
    uint64_t half = mem->ram_size / 2;
    uint64_t istart = ram_base + (half < LINUX_INITRD_MAX_OFFSET ? half : LINUX_INITRD_MAX_OFFSET);
    if (lb->kernel_end > istart)
        istart = lb->kernel_end;
    istart = align_up(istart, PHYS_PAGE_SIZE);
    lb->initrd_start = lb->initrd_end = istart;
    if (initrd) {
        if (istart >= ram_end) {
            snprintf(err, errlen, "not enough space after the kernel to load the initrd %s",
                     initrd);
            return -1;
        }
        uint8_t ihead[1];
        uint64_t isize;
        size_t igot;
        if (file_head(initrd, ihead, 0, &isize, &igot, err, errlen) != 0)
            return -1;
        if (isize > ram_end - istart) {
            snprintf(err, errlen,
                     "could not load initrd %s: %llu bytes at 0x%08llx are too big to fit into RAM "
                     "after the kernel (%llu bytes free)",
                     initrd, (unsigned long long)isize, (unsigned long long)istart,
                     (unsigned long long)(ram_end - istart));
            return -1;
        }
        int64_t in = load_raw(mem, initrd, istart, map, err, errlen);
        if (in < 0)
            return -1;
        lb->initrd_end = istart + (uint64_t)in;
    }

    lb->dtb_start = lb->dtb_end = align_up(lb->initrd_end, LINUX_DTB_ALIGN);
    lb->entry = (uint32_t)addr;
    lb->r0 = 0;
    lb->r1 = LINUX_NO_MACHINE_TYPE;
    lb->r2 = 0;
    lb->cpsr = ARM_MODE_SVC | CPSR_A | CPSR_I | CPSR_F;
    return 0;
}

/* The decompressed kernel must not land on the initrd or the DTB (booting.rst: "the
 * kernel will decompress itself to ... the start of RAM + TEXT_OFFSET"). QEMU does not
 * check; armvm warns. */
static void check_overlap(LinuxBoot *lb)
{
    uint64_t dec = lb->decompressed_end;
    uint64_t first = lb->initrd_end > lb->initrd_start ? lb->initrd_start : lb->dtb_start;
    if (dec && dec > first)
        snprintf(lb->warning, sizeof lb->warning,
                 "the kernel decompresses up to 0x%08llx, over the %s at 0x%08llx: it will "
                 "probably not boot (give it more RAM with -m)",
                 (unsigned long long)dec, lb->initrd_end > lb->initrd_start ? "initrd" : "DTB",
                 (unsigned long long)first);
}

int linux_place_dtb(PhysMem *mem, LinuxBoot *lb, const void *dtb, size_t size, LoadMap *map,
                    char *err, size_t errlen)
{
    const uint64_t ram_end = mem->ram_base + mem->ram_size;
    uint64_t addr = align_up(lb->initrd_end, LINUX_DTB_ALIGN);
    if (addr >= ram_end || size > ram_end - addr) {
        snprintf(err, errlen,
                 "not enough space for the %zu-byte DTB after the kernel/initrd (at 0x%08llx, RAM "
                 "ends at 0x%08llx)",
                 size, (unsigned long long)addr, (unsigned long long)(ram_end - 1));
        return -1;
    }
    if (physmem_copy_to_guest(mem, addr, dtb, size) != 0) {
        snprintf(err, errlen, "cannot write the DTB to guest RAM at 0x%08llx",
                 (unsigned long long)addr);
        return -1;
    }
    load_map_add(map, addr, addr + size);
    lb->dtb_start = addr;
    lb->dtb_end = addr + size;
    lb->r2 = (uint32_t)addr;
    check_overlap(lb);
    return 0;
}

void *linux_read_file(const char *path, uint64_t max, size_t *size, char *err, size_t errlen)
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
        snprintf(err, errlen, "%s: %lld bytes is larger than guest RAM", path,
                 (long long)st.st_size);
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size, done = 0;
    uint8_t *buf = malloc(n ? n : 1);
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
        if (buf)
            snprintf(err, errlen, "%s: read error", path);
        else
            snprintf(err, errlen, "out of memory");
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

int linux_boot_setup(PhysMem *mem, const LinuxBootConfig *cfg, LoadMap *map, LinuxBoot *lb,
                     char *err, size_t errlen)
{
    if (!cfg->kernel) {
        snprintf(err, errlen, "no kernel image");
        return -1;
    }
    if (!cfg->dtb && !cfg->board) {
        snprintf(err, errlen, "no device tree: neither a -dtb file nor a board to describe");
        return -1;
    }
    if (linux_load_kernel(mem, cfg->kernel, cfg->initrd, map, lb, err, errlen) != 0)
        return -1;
    FdtBootInfo boot = {
        .ram_base = mem->ram_base,
        .ram_size = mem->ram_size,
        .bootargs = cfg->append,
        .initrd_start = lb->initrd_start,
        .initrd_end = lb->initrd_end,
    };
    size_t size = 0;
    void *dtb;
    if (cfg->dtb) {
        size_t fsize = 0;
        void *file = linux_read_file(cfg->dtb, mem->ram_size, &fsize, err, errlen);
        if (!file)
            return -1;
        char why[256];
        dtb = fdt_boot_patch(file, fsize, &boot, &size, why, sizeof why);
        free(file);
        if (!dtb) {
            snprintf(err, errlen, "-dtb %s: %s", cfg->dtb, why);
            return -1;
        }
    } else {
        FdtVirtConfig board = *cfg->board;
        board.boot = boot;
        dtb = fdt_virt_build(&board, &size, err, errlen);
        if (!dtb)
            return -1;
    }
    int rc = linux_place_dtb(mem, lb, dtb, size, map, err, errlen);
    free(dtb);
    return rc;
}

void linux_boot_cpu(const LinuxBoot *lb, ArmCpu *cpu)
{
    arm_cpsr_write(cpu, lb->cpsr, 0xffffffffu, ARM_CPSR_WRITE_RAW);
    if (cpu->cp15.sctlr & (SCTLR_M | SCTLR_C)) {
        cpu->cp15.sctlr &= ~(SCTLR_M | SCTLR_C);
        arm_tlb_flush(cpu);
    }
    cpu->r[0] = lb->r0;
    cpu->r[1] = lb->r1;
    cpu->r[2] = lb->r2;
    cpu->r[15] = lb->entry;
}
