/*
 * ARM semihosting: "Semihosting for AArch32 and AArch64", version 2.0 (ARM DUI 0863),
 * the AArch32 flavour (32-bit parameter words), with QEMU 7.2's choices where the
 * specification leaves room (semihosting/arm-compat-semi.c), so that guest output and
 * exit statuses match QEMU's:
 *
 *  - handles start at 1, the lowest free one is reused;
 *  - ":tt" opened with mode 0-3 is the console input, 4-7 the console output, 8-11 the
 *    error output (SH_EXT_STDOUT_STDERR). QEMU sends the error output to its stderr; armvm
 *    sends it to the console output too, so that armvm's stdout holds everything the
 *    guest printed, in order (the test scripts compare it with QEMU's merged output);
 *  - ":semihosting-features" is a read-only 5-byte file: "SHFB" + feature byte 0 =
 *    SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR;
 *  - SYS_WRITEC and SYS_WRITE0 return 0xdeadbeef (the result is "corrupted" per spec);
 *  - SYS_ISTTY on a console handle says whether the host stream is a terminal;
 *  - SYS_HEAPINFO: heap base/limit = the largest part of RAM no image occupies, stack
 *    base = heap limit, stack limit = heap base (QEMU's common_semi_find_bases);
 *  - SYS_EXIT: r1 is the reason itself; ADP_Stopped_ApplicationExit gives status 0,
 *    anything else 1. SYS_EXIT_EXTENDED: r1 -> {reason, subcode}; the status is subcode
 *    for ApplicationExit, else 1;
 *  - SYS_TICKFREQ is 1 GHz and SYS_ELAPSED counts nanoseconds since start-up.
 * Deliberate differences: SYS_SYSTEM never runs a host command (returns -1, errno
 * EPERM); SYS_CLOCK is wall-clock centiseconds since start-up (QEMU: host CPU time);
 * SYS_SEEK on a console handle fails with ESPIPE; an unknown operation returns -1 (errno
 * ENOSYS) instead of aborting.
 *
 * Every guest pointer and length is untrusted. Guest memory is reached page by page
 * (each 4 KiB page translated on its own with arm_virt_to_phys), lengths are bounded
 * (file names: SH_MAX_PATH), and data moves through a bounce buffer in chunks. A bad
 * pointer fails the call: -1 with SYS_ERRNO = EFAULT, or for SYS_READ/SYS_WRITE a result
 * that says no byte was transferred (and, as in QEMU, SYS_ERRNO unchanged). Parameter
 * words are little-endian.
 */
#include "devices/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITEC = 0x03,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_READC = 0x07,
    SYS_ISERROR = 0x08,
    SYS_ISTTY = 0x09,
    SYS_SEEK = 0x0a,
    SYS_FLEN = 0x0c,
    SYS_TMPNAM = 0x0d,
    SYS_REMOVE = 0x0e,
    SYS_RENAME = 0x0f,
    SYS_CLOCK = 0x10,
    SYS_TIME = 0x11,
    SYS_SYSTEM = 0x12,
    SYS_ERRNO = 0x13,
    SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
    SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

#define SH_PAGE 4096u
#define SH_MAX_PATH 4096u   /* longest file name accepted, without the NUL */
#define SH_CHUNK 65536u     /* bounce buffer size */
#define SH_MAX_FILES 1024   /* open handles per machine */
#define SH_DEAD_RESULT 0xdeadbeefu

/* Feature file contents (spec 2.1.1, "Semihosting extensions"). */
#define SH_EXT_EXIT_EXTENDED 0x01u
#define SH_EXT_STDOUT_STDERR 0x02u
static const uint8_t sh_features[5] = { 'S', 'H', 'F', 'B',
                                        SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR };

typedef enum SemiFileKind {
    SF_UNUSED = 0,
    SF_HOST,      /* a host file descriptor */
    SF_TT_IN,     /* ":tt" for reading */
    SF_TT_OUT,    /* ":tt" for writing */
    SF_TT_ERR,    /* ":tt" for appending (stderr) */
    SF_FEATURES,  /* ":semihosting-features" */
} SemiFileKind;

typedef struct SemiFile {
    SemiFileKind kind;
    int fd;       /* SF_HOST */
    uint32_t pos; /* SF_FEATURES */
} SemiFile;

struct Semihost {
    char *cmdline;
    FILE *out;
    FILE *in;
    SemiFile *files; /* indexed by guest handle; [0] is never used */
    unsigned n_files;
    uint32_t err;    /* SYS_ERRNO */
    struct timespec start;
    bool heap_set;
    uint32_t heapinfo[4];
    bool warned_unknown;
    uint8_t buf[SH_CHUNK];
};

/* ---- guest memory ---------------------------------------------------------------- */

/* Host pointer to the part of [va, va+len) that lies in va's page, or NULL if that page is
 * unmapped or not RAM. *n receives the length of that part. */
static uint8_t *sh_page_ptr(ArmCpu *cpu, uint32_t va, uint64_t len, uint32_t *n)
{
    uint32_t in_page = SH_PAGE - (va & (SH_PAGE - 1));
    *n = len < in_page ? (uint32_t)len : in_page;
    PhysAddr pa;
    if (!arm_virt_to_phys(cpu, va, &pa))
        return NULL;
    return physmem_ram_ptr(cpu->mem, pa, *n);
}

/* True if [va, va+len) is all mapped RAM (and does not wrap around 4 GiB). */
static bool sh_range_ok(ArmCpu *cpu, uint32_t va, uint64_t len)
{
    if ((uint64_t)va + len > (1ull << 32))
        return false;
    while (len) {
        uint32_t n;
        if (!sh_page_ptr(cpu, va, len, &n))
            return false;
        va += n;
        len -= n;
    }
    return true;
}

static bool sh_read(ArmCpu *cpu, uint32_t va, void *dst, uint64_t len)
{
    if ((uint64_t)va + len > (1ull << 32))
        return false;
    uint8_t *d = dst;
    while (len) {
        uint32_t n;
        uint8_t *p = sh_page_ptr(cpu, va, len, &n);
        if (!p)
            return false;
        memcpy(d, p, n);
        d += n;
        va += n;
        len -= n;
    }
    return true;
}

/* Writes go through physmem_copy_to_guest so that translated code in the pages is
 * invalidated. */
static bool sh_write(ArmCpu *cpu, uint32_t va, const void *src, uint64_t len)
{
    if (!sh_range_ok(cpu, va, len))
        return false;
    const uint8_t *s = src;
    while (len) {
        uint32_t n;
        PhysAddr pa;
        uint32_t in_page = SH_PAGE - (va & (SH_PAGE - 1));
        n = len < in_page ? (uint32_t)len : in_page;
        if (!arm_virt_to_phys(cpu, va, &pa) || physmem_copy_to_guest(cpu->mem, pa, s, n) != 0)
            return false;
        s += n;
        va += n;
        len -= n;
    }
    return true;
}

/* Parameter word n of the block at args. */
static bool sh_arg(ArmCpu *cpu, uint32_t args, unsigned n, uint32_t *val)
{
    uint8_t b[4];
    if ((uint64_t)args + 4 * n > 0xffffffffull || !sh_read(cpu, args + 4 * n, b, 4))
        return false;
    *val = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool sh_set_arg(ArmCpu *cpu, uint32_t args, unsigned n, uint32_t val)
{
    uint8_t b[4] = { (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16), (uint8_t)(val >> 24) };
    return (uint64_t)args + 4 * n <= 0xffffffffull && sh_write(cpu, args + 4 * n, b, 4);
}

/* Length of the NUL-terminated guest string at va, looking at no more than max bytes.
 * Returns 0, -EFAULT if the string runs into unmapped memory, -ENAMETOOLONG if there is
 * no NUL within max bytes. */
static int sh_strlen(ArmCpu *cpu, uint32_t va, uint64_t max, uint64_t *len)
{
    uint64_t done = 0;
    while (done < max) {
        uint32_t n;
        uint8_t *p = sh_page_ptr(cpu, va, max - done, &n);
        if (!p)
            return -EFAULT;
        uint8_t *z = memchr(p, 0, n);
        if (z) {
            *len = done + (uint64_t)(z - p);
            return 0;
        }
        done += n;
        va += n;
        if (va == 0 && done < max)
            return -EFAULT; /* wrapped around the address space */
    }
    return -ENAMETOOLONG;
}

/* A file name argument: the string at va with its length (without the NUL) in len, as
 * SYS_OPEN/REMOVE/RENAME pass them. As QEMU, the byte at va+len must be the NUL.
 * Returns 0 with the name in out[SH_MAX_PATH + 1], or a negative errno. */
static int sh_get_path(ArmCpu *cpu, uint32_t va, uint32_t len, char *out)
{
    if (len > SH_MAX_PATH)
        return -ENAMETOOLONG;
    if (!sh_read(cpu, va, out, (uint64_t)len + 1))
        return -EFAULT;
    if (out[len] != 0)
        return -EINVAL;
    return 0;
}

/* ---- console --------------------------------------------------------------------- */

static void sh_console_write(Semihost *sh, const uint8_t *p, size_t n, size_t *written)
{
    size_t w = fwrite(p, 1, n, sh->out);
    if (w < n || memchr(p, '\n', n))
        fflush(sh->out);
    *written = w;
}

/* Read up to n bytes from the console input: what one read() returns (a line on a
 * terminal), or as much as a descriptor-less stream (tests) has. 0 = end of input. */
static ssize_t sh_console_read(Semihost *sh, uint8_t *p, size_t n)
{
    fflush(sh->out); /* a prompt must appear before the guest waits */
    if (!sh->in)
        return 0;
    int fd = fileno(sh->in);
    if (fd >= 0) {
        ssize_t r;
        do
            r = read(fd, p, n);
        while (r < 0 && errno == EINTR);
        return r;
    }
    size_t r = fread(p, 1, n, sh->in);
    if (r == 0 && ferror(sh->in)) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)r;
}

static FILE *sh_console_stream(Semihost *sh, SemiFileKind kind)
{
    return kind == SF_TT_IN ? sh->in : sh->out;
}

/* ---- handles --------------------------------------------------------------------- */

static SemiFile *sh_file(Semihost *sh, uint32_t h)
{
    if (h == 0 || h >= sh->n_files || sh->files[h].kind == SF_UNUSED)
        return NULL;
    return &sh->files[h];
}

/* Lowest free handle >= 1, growing the table; -1 if SH_MAX_FILES are open. */
static int sh_alloc_handle(Semihost *sh)
{
    for (unsigned i = 1; i < sh->n_files; i++)
        if (sh->files[i].kind == SF_UNUSED)
            return (int)i;
    if (sh->n_files >= SH_MAX_FILES)
        return -1;
    unsigned n = sh->n_files ? sh->n_files * 2 : 8;
    if (n > SH_MAX_FILES)
        n = SH_MAX_FILES;
    SemiFile *f = realloc(sh->files, n * sizeof(*f));
    if (!f)
        return -1;
    memset(f + sh->n_files, 0, (n - sh->n_files) * sizeof(*f));
    int h = sh->n_files ? (int)sh->n_files : 1;
    sh->files = f;
    sh->n_files = n;
    return h;
}

/* ---- the calls ------------------------------------------------------------------- */

static uint32_t sh_fail(Semihost *sh, int err)
{
    sh->err = (uint32_t)err;
    return 0xffffffffu;
}

static uint32_t sh_open(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t name, mode, len;
    if (!sh_arg(cpu, args, 0, &name) || !sh_arg(cpu, args, 1, &mode) || !sh_arg(cpu, args, 2, &len))
        return sh_fail(sh, EFAULT);
    char path[SH_MAX_PATH + 1];
    uint64_t slen;
    int rc = sh_strlen(cpu, name, SH_MAX_PATH + 1, &slen);
    if (rc < 0)
        return sh_fail(sh, -rc);
    if (mode >= 12)
        return sh_fail(sh, EINVAL);
    if (!sh_read(cpu, name, path, slen + 1))
        return sh_fail(sh, EFAULT);

    SemiFileKind kind = SF_HOST;
    int fd = -1;
    if (strcmp(path, ":tt") == 0) {
        kind = mode < 4 ? SF_TT_IN : mode < 8 ? SF_TT_OUT : SF_TT_ERR;
    } else if (strcmp(path, ":semihosting-features") == 0) {
        if (mode != 0 && mode != 1)
            return sh_fail(sh, EACCES);
        kind = SF_FEATURES;
    } else {
        /* The fopen() mode table of the spec (SYS_OPEN): r, rb, r+, r+b, w, wb, w+, w+b,
         * a, ab, a+, a+b. */
        static const int flags[12] = {
            O_RDONLY, O_RDONLY, O_RDWR, O_RDWR,
            O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_TRUNC,
            O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
            O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND,
            O_RDWR | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND,
        };
        if (len + 1 != 0) { /* len == 0xffffffff: QEMU then takes the string as it is */
            rc = sh_get_path(cpu, name, len, path);
            if (rc < 0)
                return sh_fail(sh, -rc);
        }
        do
            fd = open(path, flags[mode] | O_CLOEXEC, 0644);
        while (fd < 0 && errno == EINTR);
        if (fd < 0)
            return sh_fail(sh, errno);
    }
    int h = sh_alloc_handle(sh);
    if (h < 0) {
        if (fd >= 0)
            close(fd);
        return sh_fail(sh, EMFILE);
    }
    sh->files[h] = (SemiFile){ .kind = kind, .fd = fd, .pos = 0 };
    return (uint32_t)h;
}

static uint32_t sh_close(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h;
    if (!sh_arg(cpu, args, 0, &h))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f)
        return sh_fail(sh, EBADF);
    int rc = 0;
    if (f->kind == SF_HOST)
        rc = close(f->fd);
    else if (f->kind != SF_TT_IN)
        fflush(sh->out);
    *f = (SemiFile){ 0 };
    return rc == 0 ? 0 : sh_fail(sh, errno);
}

/* SYS_WRITE: returns the number of bytes NOT written. As QEMU, a failure (bad handle,
 * bad buffer, host error) only shows in that count: SYS_ERRNO is left alone. */
static uint32_t sh_write_call(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h, buf, len;
    if (!sh_arg(cpu, args, 0, &h) || !sh_arg(cpu, args, 1, &buf) || !sh_arg(cpu, args, 2, &len))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f || f->kind == SF_TT_IN || f->kind == SF_FEATURES || !sh_range_ok(cpu, buf, len))
        return len;
    uint64_t done = 0;
    while (done < len) {
        uint32_t n = len - done > SH_CHUNK ? SH_CHUNK : (uint32_t)(len - done);
        if (!sh_read(cpu, buf + (uint32_t)done, sh->buf, n))
            break;
        size_t w = 0;
        if (f->kind == SF_HOST) {
            while (w < n) {
                ssize_t r = write(f->fd, sh->buf + w, n - w);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    break;
                w += (size_t)r;
            }
        } else {
            sh_console_write(sh, sh->buf, n, &w);
        }
        done += w;
        if (w < n)
            break;
    }
    return len - (uint32_t)done;
}

/* SYS_READ: returns the number of bytes NOT read (len at end of file). Failures as for
 * SYS_WRITE. The guest buffer is checked before anything is read, so that no input is
 * consumed and lost. */
static uint32_t sh_read_call(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h, buf, len;
    if (!sh_arg(cpu, args, 0, &h) || !sh_arg(cpu, args, 1, &buf) || !sh_arg(cpu, args, 2, &len))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f || f->kind == SF_TT_OUT || f->kind == SF_TT_ERR || !sh_range_ok(cpu, buf, len))
        return len;
    if (f->kind == SF_FEATURES) {
        uint32_t avail = f->pos < sizeof(sh_features) ? (uint32_t)sizeof(sh_features) - f->pos : 0;
        uint32_t n = len < avail ? len : avail;
        if (!sh_write(cpu, buf, sh_features + f->pos, n))
            return len;
        f->pos += n;
        return len - n;
    }
    uint64_t done = 0;
    while (done < len) {
        uint32_t want = len - done > SH_CHUNK ? SH_CHUNK : (uint32_t)(len - done);
        ssize_t r;
        if (f->kind == SF_HOST) {
            do
                r = read(f->fd, sh->buf, want);
            while (r < 0 && errno == EINTR);
        } else {
            r = sh_console_read(sh, sh->buf, want);
        }
        if (r <= 0 || !sh_write(cpu, buf + (uint32_t)done, sh->buf, (uint64_t)r))
            break;
        done += (uint64_t)r;
        /* The console gives what one read() returns (a line), like QEMU's read(0). */
        if (f->kind != SF_HOST)
            break;
    }
    return len - (uint32_t)done;
}

static uint32_t sh_istty(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h;
    if (!sh_arg(cpu, args, 0, &h))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f)
        return sh_fail(sh, EBADF);
    int fd;
    switch (f->kind) {
    case SF_HOST: fd = f->fd; break;
    case SF_FEATURES: return 0;
    default: {
        FILE *s = sh_console_stream(sh, f->kind);
        fd = s ? fileno(s) : -1;
        if (fd < 0)
            return 0;
        break;
    }
    }
    if (isatty(fd))
        return 1;
    if (errno == ENOTTY || errno == EINVAL)
        return 0;
    return sh_fail(sh, errno);
}

static uint32_t sh_seek(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h, pos;
    if (!sh_arg(cpu, args, 0, &h) || !sh_arg(cpu, args, 1, &pos))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f)
        return sh_fail(sh, EBADF);
    switch (f->kind) {
    case SF_HOST:
        if (lseek(f->fd, (off_t)pos, SEEK_SET) < 0)
            return sh_fail(sh, errno);
        return 0;
    case SF_FEATURES:
        if (pos > sizeof(sh_features))
            return sh_fail(sh, EINVAL);
        f->pos = pos;
        return 0;
    default:
        return sh_fail(sh, ESPIPE);
    }
}

static uint32_t sh_flen(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t h;
    if (!sh_arg(cpu, args, 0, &h))
        return sh_fail(sh, EFAULT);
    SemiFile *f = sh_file(sh, h);
    if (!f)
        return sh_fail(sh, EBADF);
    if (f->kind == SF_FEATURES)
        return sizeof(sh_features);
    int fd = f->fd;
    if (f->kind != SF_HOST) {
        FILE *s = sh_console_stream(sh, f->kind);
        fd = s ? fileno(s) : -1;
        if (fd < 0)
            return 0;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        return sh_fail(sh, errno);
    return (uint32_t)st.st_size;
}

static uint32_t sh_tmpnam(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t buf, id, size;
    if (!sh_arg(cpu, args, 0, &buf) || !sh_arg(cpu, args, 1, &id) || !sh_arg(cpu, args, 2, &size))
        return sh_fail(sh, EFAULT);
    char name[64];
    int n = snprintf(name, sizeof(name), "/tmp/armvm-%x%02x", (unsigned)getpid(), id & 0xff);
    if (n < 0 || (uint32_t)n + 1 > size)
        return 0xffffffffu;
    if (!sh_write(cpu, buf, name, (uint64_t)n + 1))
        return sh_fail(sh, EFAULT);
    return 0;
}

static uint32_t sh_remove(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t name, len;
    if (!sh_arg(cpu, args, 0, &name) || !sh_arg(cpu, args, 1, &len))
        return sh_fail(sh, EFAULT);
    char path[SH_MAX_PATH + 1];
    int rc = sh_get_path(cpu, name, len, path);
    if (rc < 0)
        return sh_fail(sh, -rc);
    if (unlink(path) != 0)
        return sh_fail(sh, errno);
    return 0;
}

static uint32_t sh_rename(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t a, alen, b, blen;
    if (!sh_arg(cpu, args, 0, &a) || !sh_arg(cpu, args, 1, &alen) || !sh_arg(cpu, args, 2, &b) ||
        !sh_arg(cpu, args, 3, &blen))
        return sh_fail(sh, EFAULT);
    char from[SH_MAX_PATH + 1], to[SH_MAX_PATH + 1];
    int rc = sh_get_path(cpu, a, alen, from);
    if (rc == 0)
        rc = sh_get_path(cpu, b, blen, to);
    if (rc < 0)
        return sh_fail(sh, -rc);
    if (rename(from, to) != 0)
        return sh_fail(sh, errno);
    return 0;
}

static uint64_t sh_elapsed_ns(const Semihost *sh)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - sh->start.tv_sec) * 1000000000ull +
           (uint64_t)(now.tv_nsec - sh->start.tv_nsec);
}

/* SYS_GET_CMDLINE: r1 -> {buffer, size}; on success size becomes the string length. */
static uint32_t sh_get_cmdline(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t buf, size;
    if (!sh_arg(cpu, args, 0, &buf) || !sh_arg(cpu, args, 1, &size))
        return sh_fail(sh, EFAULT);
    uint64_t need = strlen(sh->cmdline) + 1;
    if (need > size)
        return sh_fail(sh, E2BIG);
    if (!sh_set_arg(cpu, args, 1, (uint32_t)(need - 1)) || !sh_write(cpu, buf, sh->cmdline, need))
        return sh_fail(sh, EFAULT);
    return 0;
}

/* SYS_HEAPINFO: r1 -> a pointer to a 4-word block {heap base, heap limit, stack base,
 * stack limit}. */
static uint32_t sh_heapinfo(Semihost *sh, ArmCpu *cpu, uint32_t args)
{
    uint32_t block;
    if (!sh_arg(cpu, args, 0, &block))
        return sh_fail(sh, EFAULT);
    uint32_t v[4];
    if (sh->heap_set) {
        memcpy(v, sh->heapinfo, sizeof(v));
    } else {
        uint64_t lo = cpu->mem->ram_base, hi = lo + cpu->mem->ram_size;
        if (hi > 0xfffff000ull)
            hi = 0xfffff000ull;
        v[0] = (uint32_t)lo;
        v[1] = (uint32_t)hi;
        v[2] = (uint32_t)hi;
        v[3] = (uint32_t)lo;
    }
    for (unsigned i = 0; i < 4; i++)
        if (!sh_set_arg(cpu, block, i, v[i]))
            return sh_fail(sh, EFAULT);
    return 0;
}

static void sh_exit(Semihost *sh, ArmCpu *cpu, int status)
{
    fflush(sh->out);
    cpu->halted = true;
    cpu->exit_status = status;
    cpu->exit_request = 1;
}

void semihost_call(void *opaque, ArmCpu *cpu)
{
    Semihost *sh = opaque;
    const uint32_t op = cpu->r[0], args = cpu->r[1];
    uint32_t ret = 0;

    switch (op) {
    case SYS_OPEN: ret = sh_open(sh, cpu, args); break;
    case SYS_CLOSE: ret = sh_close(sh, cpu, args); break;
    case SYS_WRITEC: {
        uint8_t c;
        if (sh_read(cpu, args, &c, 1)) {
            size_t w;
            sh_console_write(sh, &c, 1, &w);
        }
        ret = SH_DEAD_RESULT;
        break;
    }
    case SYS_WRITE0: {
        /* As QEMU: find the whole string first; print nothing if it runs into a fault. */
        uint64_t len;
        if (sh_strlen(cpu, args, 1ull << 32, &len) == 0) {
            uint64_t done = 0;
            while (done < len) {
                uint32_t n = len - done > SH_CHUNK ? SH_CHUNK : (uint32_t)(len - done);
                size_t w;
                if (!sh_read(cpu, args + (uint32_t)done, sh->buf, n))
                    break;
                sh_console_write(sh, sh->buf, n, &w);
                done += n;
            }
        }
        ret = SH_DEAD_RESULT;
        break;
    }
    case SYS_WRITE: ret = sh_write_call(sh, cpu, args); break;
    case SYS_READ: ret = sh_read_call(sh, cpu, args); break;
    case SYS_READC: {
        uint8_t c;
        ssize_t r = sh_console_read(sh, &c, 1);
        ret = r == 1 ? c : sh_fail(sh, r < 0 ? errno : EIO);
        break;
    }
    case SYS_ISERROR: {
        uint32_t v;
        ret = sh_arg(cpu, args, 0, &v) ? (uint32_t)((int32_t)v < 0) : sh_fail(sh, EFAULT);
        break;
    }
    case SYS_ISTTY: ret = sh_istty(sh, cpu, args); break;
    case SYS_SEEK: ret = sh_seek(sh, cpu, args); break;
    case SYS_FLEN: ret = sh_flen(sh, cpu, args); break;
    case SYS_TMPNAM: ret = sh_tmpnam(sh, cpu, args); break;
    case SYS_REMOVE: ret = sh_remove(sh, cpu, args); break;
    case SYS_RENAME: ret = sh_rename(sh, cpu, args); break;
    case SYS_CLOCK: ret = (uint32_t)(sh_elapsed_ns(sh) / 10000000ull); break;
    case SYS_TIME: ret = (uint32_t)time(NULL); break;
    case SYS_SYSTEM: {
        uint32_t cmd, len;
        if (!sh_arg(cpu, args, 0, &cmd) || !sh_arg(cpu, args, 1, &len))
            ret = sh_fail(sh, EFAULT);
        else
            ret = sh_fail(sh, EPERM); /* never run host commands for the guest */
        break;
    }
    case SYS_ERRNO: ret = sh->err; break;
    case SYS_GET_CMDLINE: ret = sh_get_cmdline(sh, cpu, args); break;
    case SYS_HEAPINFO: ret = sh_heapinfo(sh, cpu, args); break;
    case SYS_EXIT:
        /* AArch32: r1 is the reason code itself, not a pointer. */
        sh_exit(sh, cpu, args == ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return;
    case SYS_EXIT_EXTENDED: {
        uint32_t reason, subcode;
        if (!sh_arg(cpu, args, 0, &reason) || !sh_arg(cpu, args, 1, &subcode)) {
            ret = sh_fail(sh, EFAULT);
            break;
        }
        sh_exit(sh, cpu, reason == ADP_STOPPED_APPLICATION_EXIT ? (int)subcode : 1);
        return;
    }
    case SYS_ELAPSED: {
        uint64_t t = sh_elapsed_ns(sh);
        if (!sh_set_arg(cpu, args, 0, (uint32_t)t) || !sh_set_arg(cpu, args, 1, (uint32_t)(t >> 32)))
            ret = sh_fail(sh, EFAULT);
        else
            ret = 0;
        break;
    }
    case SYS_TICKFREQ: ret = 1000000000u; break;
    default:
        if (!sh->warned_unknown) {
            fflush(sh->out);
            fprintf(stderr, "armvm: unsupported semihosting operation 0x%02x (r1=0x%08x) at pc 0x%08x\n",
                    op, args, cpu->r[15]);
            sh->warned_unknown = true;
        }
        ret = sh_fail(sh, ENOSYS);
        break;
    }
    cpu->r[0] = ret;
}

Semihost *semihost_create(const char *cmdline, FILE *console_out, FILE *console_in)
{
    Semihost *sh = calloc(1, sizeof(*sh));
    if (!sh)
        return NULL;
    sh->cmdline = strdup(cmdline ? cmdline : "");
    if (!sh->cmdline) {
        free(sh);
        return NULL;
    }
    sh->out = console_out ? console_out : stdout;
    sh->in = console_in ? console_in : stdin;
    clock_gettime(CLOCK_MONOTONIC, &sh->start);
    return sh;
}

void semihost_destroy(Semihost *sh)
{
    if (!sh)
        return;
    for (unsigned i = 1; i < sh->n_files; i++)
        if (sh->files[i].kind == SF_HOST)
            close(sh->files[i].fd);
    fflush(sh->out);
    free(sh->files);
    free(sh->cmdline);
    free(sh);
}

void semihost_attach(Semihost *sh, ArmCpu *cpu)
{
    cpu->env.semihost_fn = semihost_call;
    cpu->env.semihost_opaque = sh;
}

void semihost_set_heapinfo(Semihost *sh, uint32_t heap_base, uint32_t heap_limit,
                           uint32_t stack_base, uint32_t stack_limit)
{
    sh->heapinfo[0] = heap_base;
    sh->heapinfo[1] = heap_limit;
    sh->heapinfo[2] = stack_base;
    sh->heapinfo[3] = stack_limit;
    sh->heap_set = true;
}
