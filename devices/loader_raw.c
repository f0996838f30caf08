/*
 * Raw image loader: a whole file copied to a guest physical address (-kernel with a
 * non-ELF file, -device loader,file=F,addr=A, -initrd, -dtb).
 */
#include "devices/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int64_t load_raw(PhysMem *mem, const char *path, uint64_t addr, LoadMap *map, char *err,
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
    const uint64_t size = (uint64_t)st.st_size;
    const uint64_t ram_lo = mem->ram_base, ram_hi = mem->ram_base + mem->ram_size;
    if (size > mem->ram_size) {
        snprintf(err, errlen, "%s: image of %llu bytes is larger than guest RAM (%llu MiB)", path,
                 (unsigned long long)size, (unsigned long long)(mem->ram_size >> 20));
        close(fd);
        return -1;
    }
    /* size <= ram_size < 2^40, so addr + size cannot wrap unless addr is absurd. */
    if (addr < ram_lo || addr > ram_hi || size > ram_hi - addr) {
        snprintf(err, errlen,
                 "%s: %llu bytes at 0x%08llx do not fit in guest RAM (0x%08llx-0x%08llx, "
                 "%llu MiB)",
                 path, (unsigned long long)size, (unsigned long long)addr,
                 (unsigned long long)ram_lo, (unsigned long long)(ram_hi - 1),
                 (unsigned long long)(mem->ram_size >> 20));
        close(fd);
        return -1;
    }
    uint8_t *dst = physmem_ram_ptr(mem, addr, size);
    if (!dst) {
        snprintf(err, errlen, "%s: cannot write guest RAM at 0x%08llx", path,
                 (unsigned long long)addr);
        close(fd);
        return -1;
    }
    uint64_t done = 0;
    while (done < size) {
        size_t chunk = size - done > (1u << 30) ? (1u << 30) : (size_t)(size - done);
        ssize_t n = read(fd, dst + done, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "%s: read error after %llu of %llu bytes: %s", path,
                     (unsigned long long)done, (unsigned long long)size,
                     n < 0 ? strerror(errno) : "file shrank");
            close(fd);
            return -1;
        }
        done += (uint64_t)n;
    }
    close(fd);
    load_map_add(map, addr, addr + size);
    return (int64_t)size;
}
