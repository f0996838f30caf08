/*
 * ELF loader (-kernel with an ELF file), through libelf.
 *
 * Accepts what QEMU's arm boot code accepts for a bare-metal image: a 32-bit
 * little-endian ARM executable whose PT_LOAD segments are copied to their physical
 * addresses (p_paddr). The file is untrusted: every offset and size is checked against
 * the file and against guest RAM, in 64-bit arithmetic so nothing can wrap.
 */
#include "devices/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_is_elf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char magic[SELFMAG];
    ssize_t n;
    do
        n = read(fd, magic, sizeof(magic));
    while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return -1;
    }
    return n == SELFMAG && memcmp(magic, ELFMAG, SELFMAG) == 0;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_SPARC: return "SPARC";
    case EM_NONE: return "none";
    default: return "unknown";
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "ET_REL, a relocatable object file";
    case ET_DYN: return "ET_DYN, a shared object or position-independent executable";
    case ET_CORE: return "ET_CORE, a core dump";
    default: return "unknown";
    }
}

/* Check the identification bytes ourselves, so that the messages for the common
 * mistakes (not ELF, ELF64, big-endian) do not depend on how libelf reacts to them. */
static int check_ident(int fd, const char *path, char *err, size_t errlen)
{
    unsigned char id[EI_NIDENT];
    ssize_t n;
    do
        n = pread(fd, id, sizeof(id), 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0) {
        snprintf(err, errlen, "%s: not an ELF file", path);
        return -1;
    }
    if (n < EI_NIDENT) {
        snprintf(err, errlen, "%s: truncated ELF file (%zd bytes)", path, n);
        return -1;
    }
    if (id[EI_CLASS] == ELFCLASS64) {
        snprintf(err, errlen,
                 "%s: is a 64-bit ELF file (ELF64); armvm runs 32-bit ARM (ELF32) images", path);
        return -1;
    }
    if (id[EI_CLASS] != ELFCLASS32) {
        snprintf(err, errlen, "%s: corrupt ELF identification (class %u)", path, id[EI_CLASS]);
        return -1;
    }
    if (id[EI_DATA] == ELFDATA2MSB) {
        snprintf(err, errlen, "%s: is a big-endian ELF file; armvm loads little-endian images only",
                 path);
        return -1;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        snprintf(err, errlen, "%s: corrupt ELF identification (data encoding %u)", path,
                 id[EI_DATA]);
        return -1;
    }
    if (id[EI_VERSION] != EV_CURRENT) {
        snprintf(err, errlen, "%s: corrupt ELF identification (version %u)", path, id[EI_VERSION]);
        return -1;
    }
    return 0;
}

/* Program header i of the table libelf returned. That table may be the file image
 * itself, at whatever offset the file gave (e_phoff need not be a multiple of 4), so it
 * is copied out rather than read in place. */
static Elf32_Phdr phdr_at(const Elf32_Phdr *table, size_t i)
{
    Elf32_Phdr p;
    memcpy(&p, (const char *)table + i * sizeof(Elf32_Phdr), sizeof p);
    return p;
}

/* Check the program headers and load them. Separate from load_elf so that the libelf
 * handle and the file descriptor are released in one place. */
static int load_elf_image(Elf *e, PhysMem *mem, const char *path, uint32_t *entry, LoadMap *map,
                          char *err, size_t errlen)
{
    size_t rawsize = 0;
    const char *raw = elf_rawfile(e, &rawsize);
    if (!raw) {
        snprintf(err, errlen, "%s: cannot read the file: %s", path, elf_errmsg(-1));
        return -1;
    }
    if (rawsize < sizeof(Elf32_Ehdr)) {
        snprintf(err, errlen, "%s: truncated ELF file (%zu bytes)", path, rawsize);
        return -1;
    }
    Elf32_Ehdr *eh = elf32_getehdr(e);
    if (!eh) {
        snprintf(err, errlen, "%s: bad ELF header: %s", path, elf_errmsg(-1));
        return -1;
    }
    if (eh->e_machine != EM_ARM) {
        snprintf(err, errlen, "%s: ELF machine %u (%s) is not ARM (EM_ARM, %u)", path,
                 eh->e_machine, machine_name(eh->e_machine), EM_ARM);
        return -1;
    }
    if (eh->e_type != ET_EXEC) {
        snprintf(err, errlen, "%s: ELF type %u (%s) is not an executable (ET_EXEC)", path,
                 eh->e_type, type_name(eh->e_type));
        return -1;
    }
    /* e_phnum itself: libelf's elf_getphdrnum() quietly clamps the count to what the file
     * holds, which would hide a truncated table. PN_XNUM means the count is elsewhere. */
    size_t phnum = eh->e_phnum;
    if (phnum == PN_XNUM && elf_getphdrnum(e, &phnum) != 0) {
        snprintf(err, errlen, "%s: bad program header count: %s", path, elf_errmsg(-1));
        return -1;
    }
    if (phnum == 0) {
        snprintf(err, errlen, "%s: no loadable segments (the ELF file has no program headers)",
                 path);
        return -1;
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr)) {
        snprintf(err, errlen, "%s: bad program header size %u (expected %zu)", path,
                 eh->e_phentsize, sizeof(Elf32_Phdr));
        return -1;
    }
    uint64_t ph_end = (uint64_t)eh->e_phoff + (uint64_t)phnum * sizeof(Elf32_Phdr);
    if (ph_end > rawsize) {
        snprintf(err, errlen,
                 "%s: truncated ELF file: %zu program headers at offset 0x%x end at 0x%llx, "
                 "beyond the end of the file (%zu bytes)",
                 path, phnum, eh->e_phoff, (unsigned long long)ph_end, rawsize);
        return -1;
    }
    Elf32_Phdr *ph = elf32_getphdr(e);
    if (!ph) {
        snprintf(err, errlen, "%s: cannot read the program headers: %s", path, elf_errmsg(-1));
        return -1;
    }

    const uint64_t ram_lo = mem->ram_base, ram_hi = mem->ram_base + mem->ram_size;
    int loadable = 0;
    for (size_t i = 0; i < phnum; i++) {
        const Elf32_Phdr phdr = phdr_at(ph, i), *p = &phdr;
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (p->p_filesz > p->p_memsz) {
            snprintf(err, errlen,
                     "%s: segment %zu: file size 0x%x is larger than its memory size 0x%x", path,
                     i, p->p_filesz, p->p_memsz);
            return -1;
        }
        if ((uint64_t)p->p_offset + p->p_filesz > rawsize) {
            snprintf(err, errlen,
                     "%s: truncated ELF file: segment %zu (file offset 0x%x, 0x%x bytes) runs past "
                     "the end of the file (%zu bytes)",
                     path, i, p->p_offset, p->p_filesz, rawsize);
            return -1;
        }
        uint64_t lo = p->p_paddr, hi = (uint64_t)p->p_paddr + p->p_memsz;
        if (lo < ram_lo || hi > ram_hi) {
            snprintf(err, errlen,
                     "%s: segment %zu (0x%08llx-0x%08llx) lies outside guest RAM "
                     "(0x%08llx-0x%08llx, %llu MiB; use -m to change its size)",
                     path, i, (unsigned long long)lo, (unsigned long long)(hi - 1),
                     (unsigned long long)ram_lo, (unsigned long long)(ram_hi - 1),
                     (unsigned long long)(mem->ram_size >> 20));
            return -1;
        }
        loadable++;
    }
    if (loadable == 0) {
        snprintf(err, errlen, "%s: no loadable segments (no PT_LOAD with a non-zero size)", path);
        return -1;
    }

    for (size_t i = 0; i < phnum; i++) {
        const Elf32_Phdr phdr = phdr_at(ph, i), *p = &phdr;
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (physmem_copy_to_guest(mem, p->p_paddr, raw + p->p_offset, p->p_filesz) != 0) {
            snprintf(err, errlen, "%s: segment %zu: cannot write guest RAM", path, i);
            return -1;
        }
        uint8_t *bss = physmem_ram_ptr(mem, (uint64_t)p->p_paddr + p->p_filesz,
                                       p->p_memsz - p->p_filesz);
        if (!bss) {
            snprintf(err, errlen, "%s: segment %zu: cannot write guest RAM", path, i);
            return -1;
        }
        memset(bss, 0, p->p_memsz - p->p_filesz);
        load_map_add(map, p->p_paddr, (uint64_t)p->p_paddr + p->p_memsz);
    }
    *entry = eh->e_entry;
    return 0;
}

int load_elf(PhysMem *mem, const char *path, uint32_t *entry, LoadMap *map, char *err,
             size_t errlen)
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
    if (check_ident(fd, path, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size < sizeof(Elf32_Ehdr)) {
        snprintf(err, errlen, "%s: truncated ELF file (%lld bytes, the ELF header needs %zu)", path,
                 (long long)st.st_size, sizeof(Elf32_Ehdr));
        close(fd);
        return -1;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf initialisation failed: %s", elf_errmsg(-1));
        close(fd);
        return -1;
    }
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    int rc = -1;
    if (!e || elf_kind(e) != ELF_K_ELF) {
        snprintf(err, errlen, "%s: not a valid ELF file: %s", path, elf_errmsg(-1));
    } else {
        rc = load_elf_image(e, mem, path, entry, map, err, errlen);
    }
    if (e)
        elf_end(e);
    close(fd);
    return rc;
}
