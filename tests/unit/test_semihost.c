/*
 * Semihosting: each operation called directly on a hand-built CPU and guest RAM, with
 * parameter blocks in guest memory: console output and input, the special files, a host
 * file round trip in a temporary directory, exit statuses, the command line, heap
 * information, and bad pointers and lengths from the guest (which must fail cleanly).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "devices/devices.h"

#define RAM VIRT_RAM_BASE
#define RAM_SIZE (1u << 20)
#define RAM_END (RAM + RAM_SIZE)
#define BLOCK (RAM + 0x1000)  /* parameter block */
#define STR (RAM + 0x2000)    /* strings */
#define STR2 (RAM + 0x2800)
#define BUF (RAM + 0x3000)    /* data buffers */
#define BAD 0x10000000u       /* not RAM */

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
    SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0a,
    SYS_FLEN = 0x0c, SYS_TMPNAM = 0x0d, SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10,
    SYS_TIME = 0x11, SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
};
#define APP_EXIT 0x20026u
#define RUNTIME_ERROR 0x20023u
#define MINUS1 0xffffffffu

static PhysMem mem;
static ArmCpu cpu;
static Semihost *sh;
static char *out_buf;
static size_t out_len;
static FILE *out;
static FILE *in;
static char tmpdir[64];

static void setup_with(const char *cmdline, const char *input)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, RAM, RAM_SIZE, err, sizeof err), 0);
    arm_cpu_init(&cpu, &mem);
    out = open_memstream(&out_buf, &out_len);
    in = fmemopen((void *)input, strlen(input), "r");
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    sh = semihost_create(cmdline, out, in);
    ck_assert_ptr_nonnull(sh);
    semihost_attach(sh, &cpu);
    cpu.env.semihosting = true;
}

static void setup(void)
{
    setup_with("prog a b", "xyz\nrest");
    strcpy(tmpdir, "/tmp/armvm-sh-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    semihost_destroy(sh);
    physmem_destroy(&mem);
    fclose(out);
    fclose(in);
    free(out_buf);
    out_buf = NULL;
    if (tmpdir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        ck_assert_int_eq(system(cmd), 0);
        tmpdir[0] = 0;
    }
}

static void put(uint32_t addr, const void *p, size_t n)
{
    ck_assert_int_eq(physmem_copy_to_guest(&mem, addr, p, n), 0);
}

static void put_str(uint32_t addr, const char *s) { put(addr, s, strlen(s) + 1); }

static uint32_t get32(uint32_t addr)
{
    uint64_t v;
    ck_assert_int_eq(physmem_read(&mem, addr, 4, &v), MEM_OK);
    return (uint32_t)v;
}

static void put_block(const uint32_t *w, int n)
{
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(physmem_write(&mem, BLOCK + 4 * i, 4, w[i]), MEM_OK);
}

static uint32_t call(uint32_t op, uint32_t r1)
{
    cpu.r[0] = op;
    cpu.r[1] = r1;
    cpu.env.semihost_fn(cpu.env.semihost_opaque, &cpu);
    return cpu.r[0];
}

static uint32_t call_block(uint32_t op, const uint32_t *w, int n)
{
    put_block(w, n);
    return call(op, BLOCK);
}

static uint32_t sh_errno(void) { return call(SYS_ERRNO, 0); }

static uint32_t open_file(const char *name, uint32_t mode)
{
    put_str(STR, name);
    uint32_t w[3] = { STR, mode, (uint32_t)strlen(name) };
    return call_block(SYS_OPEN, w, 3);
}

static uint32_t write_h(uint32_t h, uint32_t buf, uint32_t len)
{
    uint32_t w[3] = { h, buf, len };
    return call_block(SYS_WRITE, w, 3);
}

static uint32_t read_h(uint32_t h, uint32_t buf, uint32_t len)
{
    uint32_t w[3] = { h, buf, len };
    return call_block(SYS_READ, w, 3);
}

static uint32_t one_arg(uint32_t op, uint32_t a)
{
    uint32_t w[1] = { a };
    return call_block(op, w, 1);
}

static void check_out(const char *want)
{
    fflush(out);
    ck_assert_uint_eq(out_len, strlen(want));
    ck_assert_int_eq(memcmp(out_buf, want, out_len), 0);
}

START_TEST(test_console_output)
{
    put(BUF, "A", 1);
    ck_assert_uint_eq(call(SYS_WRITEC, BUF), 0xdeadbeefu);
    put_str(STR, "hello\n");
    ck_assert_uint_eq(call(SYS_WRITE0, STR), 0xdeadbeefu);
    check_out("Ahello\n");
    /* bad pointers print nothing and do not crash */
    call(SYS_WRITEC, BAD);
    call(SYS_WRITE0, BAD);
    call(SYS_WRITE0, 0xffffffffu);
    /* a string running off the end of RAM is not printed at all */
    uint8_t fill[64];
    memset(fill, 'z', sizeof fill);
    put(RAM_END - sizeof fill, fill, sizeof fill);
    call(SYS_WRITE0, RAM_END - sizeof fill);
    check_out("Ahello\n");
    /* a string crossing a page boundary */
    put_str(RAM + 0x4ffc, "page-cross");
    call(SYS_WRITE0, RAM + 0x4ffc);
    check_out("Ahello\npage-cross");
}
END_TEST

START_TEST(test_tt_handles)
{
    uint32_t hin = open_file(":tt", 0), hout = open_file(":tt", 4), herr = open_file(":tt", 8);
    ck_assert_uint_eq(hin, 1); /* handles start at 1 */
    ck_assert_uint_eq(hout, 2);
    ck_assert_uint_eq(herr, 3);
    put(BUF, "out!err!", 8);
    ck_assert_uint_eq(write_h(hout, BUF, 4), 0);
    ck_assert_uint_eq(write_h(herr, BUF + 4, 4), 0);
    check_out("out!err!"); /* the error stream goes to the console output too */
    /* memory streams are not terminals */
    ck_assert_uint_eq(one_arg(SYS_ISTTY, hout), 0);
    ck_assert_uint_eq(one_arg(SYS_ISTTY, hin), 0);
    /* console input: SYS_READ returns what is available, SYS_READC one byte */
    ck_assert_uint_eq(read_h(hin, BUF, 3), 0);
    ck_assert_int_eq(memcmp(mem.ram + 0x3000, "xyz", 3), 0);
    ck_assert_uint_eq(call(SYS_READC, 0), '\n');
    ck_assert_uint_eq(read_h(hin, BUF, 100), 100 - 4); /* "rest" */
    ck_assert_int_eq(memcmp(mem.ram + 0x3000, "rest", 4), 0);
    ck_assert_uint_eq(read_h(hin, BUF, 10), 10); /* end of input */
    ck_assert_uint_eq(call(SYS_READC, 0), MINUS1);
    /* wrong directions: nothing transferred */
    ck_assert_uint_eq(write_h(hin, BUF, 4), 4);
    ck_assert_uint_eq(read_h(hout, BUF, 4), 4);
    /* seeking the console fails */
    uint32_t w[2] = { hout, 0 };
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), MINUS1);
    ck_assert_uint_eq(sh_errno(), ESPIPE);
    /* close, then the lowest handle is reused */
    ck_assert_uint_eq(one_arg(SYS_CLOSE, hout), 0);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, hout), MINUS1);
    ck_assert_uint_eq(sh_errno(), EBADF);
    ck_assert_uint_eq(open_file(":tt", 5), 2);
}
END_TEST

START_TEST(test_features_file)
{
    ck_assert_uint_eq(open_file(":semihosting-features", 4), MINUS1);
    ck_assert_uint_eq(sh_errno(), EACCES);
    uint32_t h = open_file(":semihosting-features", 1);
    ck_assert_uint_ne(h, MINUS1);
    ck_assert_uint_eq(one_arg(SYS_FLEN, h), 5);
    ck_assert_uint_eq(read_h(h, BUF, 16), 16 - 5);
    ck_assert_int_eq(memcmp(mem.ram + 0x3000, "SHFB\x03", 5), 0);
    ck_assert_uint_eq(read_h(h, BUF, 16), 16); /* at the end */
    uint32_t w[2] = { h, 4 };
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), 0);
    ck_assert_uint_eq(read_h(h, BUF, 1), 0);
    ck_assert_uint_eq(mem.ram[0x3000], 0x03);
    w[1] = 6;
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), MINUS1);
    ck_assert_uint_eq(write_h(h, BUF, 1), 1);
    ck_assert_uint_eq(one_arg(SYS_ISTTY, h), 0);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);
}
END_TEST

START_TEST(test_file_round_trip)
{
    char path[128], path2[128];
    snprintf(path, sizeof path, "%s/data.bin", tmpdir);
    snprintf(path2, sizeof path2, "%s/moved.bin", tmpdir);

    uint32_t h = open_file(path, 4); /* "w" */
    ck_assert_uint_ne(h, MINUS1);
    put(BUF, "hello, world", 12);
    ck_assert_uint_eq(write_h(h, BUF, 12), 0);
    ck_assert_uint_eq(one_arg(SYS_ISTTY, h), 0);
    ck_assert_uint_eq(one_arg(SYS_FLEN, h), 12);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);

    h = open_file(path, 8); /* "a" */
    ck_assert_uint_ne(h, MINUS1);
    put(BUF, "!", 1);
    ck_assert_uint_eq(write_h(h, BUF, 1), 0);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);

    h = open_file(path, 1); /* "rb" */
    ck_assert_uint_ne(h, MINUS1);
    ck_assert_uint_eq(one_arg(SYS_FLEN, h), 13);
    uint32_t w[2] = { h, 7 };
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), 0);
    memset(mem.ram + 0x3000, 0, 32);
    ck_assert_uint_eq(read_h(h, BUF, 32), 32 - 6);
    ck_assert_int_eq(memcmp(mem.ram + 0x3000, "world!", 6), 0);
    ck_assert_uint_eq(read_h(h, BUF, 32), 32); /* end of file */
    ck_assert_uint_eq(read_h(h, BUF, 0), 0);
    /* a read-only file cannot be written: nothing written */
    ck_assert_uint_eq(write_h(h, BUF, 3), 3);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);

    /* a large transfer (several bounce-buffer chunks), read back across pages */
    h = open_file(path, 6); /* "w+" */
    for (uint32_t i = 0; i < 0x30000; i++)
        mem.ram[0x10000 + i] = (uint8_t)(i * 7);
    ck_assert_uint_eq(write_h(h, RAM + 0x10000, 0x30000), 0);
    w[1] = 0;
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), 0);
    ck_assert_uint_eq(read_h(h, RAM + 0x50000, 0x30000), 0);
    ck_assert_int_eq(memcmp(mem.ram + 0x10000, mem.ram + 0x50000, 0x30000), 0);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);

    /* rename and remove */
    put_str(STR, path);
    put_str(STR2, path2);
    uint32_t r[4] = { STR, (uint32_t)strlen(path), STR2, (uint32_t)strlen(path2) };
    ck_assert_uint_eq(call_block(SYS_RENAME, r, 4), 0);
    struct stat st;
    ck_assert_int_eq(stat(path2, &st), 0);
    ck_assert_int_eq(st.st_size, 0x30000);
    ck_assert_uint_eq(open_file(path, 0), MINUS1);
    ck_assert_uint_eq(sh_errno(), ENOENT);
    uint32_t rm[2] = { STR2, (uint32_t)strlen(path2) };
    ck_assert_uint_eq(call_block(SYS_REMOVE, rm, 2), 0);
    ck_assert_int_ne(stat(path2, &st), 0);
    ck_assert_uint_eq(call_block(SYS_REMOVE, rm, 2), MINUS1);
    ck_assert_uint_eq(sh_errno(), ENOENT);
}
END_TEST

START_TEST(test_open_errors)
{
    char path[128];
    snprintf(path, sizeof path, "%s/f", tmpdir);
    put_str(STR, path);
    /* mode out of range */
    uint32_t w[3] = { STR, 12, (uint32_t)strlen(path) };
    ck_assert_uint_eq(call_block(SYS_OPEN, w, 3), MINUS1);
    ck_assert_uint_eq(sh_errno(), EINVAL);
    /* the length must point at the NUL */
    w[1] = 4;
    w[2] = (uint32_t)strlen(path) - 1;
    ck_assert_uint_eq(call_block(SYS_OPEN, w, 3), MINUS1);
    ck_assert_uint_eq(sh_errno(), EINVAL);
    /* name pointer outside RAM */
    w[0] = BAD;
    w[2] = 3;
    ck_assert_uint_eq(call_block(SYS_OPEN, w, 3), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    /* parameter block outside RAM, or running off its end */
    ck_assert_uint_eq(call(SYS_OPEN, BAD), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    ck_assert_uint_eq(call(SYS_OPEN, RAM_END - 8), MINUS1);
    ck_assert_uint_eq(call(SYS_OPEN, 0xfffffffcu), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    /* names longer than 4096 bytes */
    static char longname[5000];
    memset(longname, 'n', sizeof longname - 1);
    put_str(STR2, longname);
    w[0] = STR2;
    w[2] = (uint32_t)strlen(longname);
    ck_assert_uint_eq(call_block(SYS_OPEN, w, 3), MINUS1);
    ck_assert_uint_eq(sh_errno(), ENAMETOOLONG);
    /* a name whose length runs off the end of RAM */
    w[0] = RAM_END - 4;
    w[2] = 100;
    put(RAM_END - 4, "abc", 4);
    ck_assert_uint_eq(call_block(SYS_OPEN, w, 3), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    /* bad handles */
    ck_assert_uint_eq(one_arg(SYS_CLOSE, 0), MINUS1);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, 12345), MINUS1);
    ck_assert_uint_eq(sh_errno(), EBADF);
    ck_assert_uint_eq(one_arg(SYS_FLEN, 77), MINUS1);
    ck_assert_uint_eq(one_arg(SYS_ISTTY, 77), MINUS1);
    ck_assert_uint_eq(write_h(77, BUF, 5), 5);
    ck_assert_uint_eq(read_h(77, BUF, 5), 5);
}
END_TEST

START_TEST(test_bad_buffers)
{
    char path[128];
    snprintf(path, sizeof path, "%s/g", tmpdir);
    uint32_t h = open_file(path, 6); /* "w+" */
    ck_assert_uint_ne(h, MINUS1);
    put(BUF, "0123456789", 10);
    ck_assert_uint_eq(write_h(h, BUF, 10), 0);
    /* writes from outside RAM or across its end transfer nothing */
    ck_assert_uint_eq(write_h(h, BAD, 10), 10);
    ck_assert_uint_eq(write_h(h, RAM_END - 4, 10), 10);
    ck_assert_uint_eq(write_h(h, 0xfffffff0u, 0x20), 0x20);
    ck_assert_uint_eq(write_h(h, BUF, 0xffffffffu), 0xffffffffu);
    uint32_t w[2] = { h, 0 };
    ck_assert_uint_eq(call_block(SYS_SEEK, w, 2), 0);
    /* a read into a bad buffer consumes nothing */
    ck_assert_uint_eq(read_h(h, RAM_END - 4, 10), 10);
    ck_assert_uint_eq(read_h(h, BAD, 10), 10);
    ck_assert_uint_eq(read_h(h, BUF + 0x100, 4), 0);
    ck_assert_int_eq(memcmp(mem.ram + 0x3100, "0123", 4), 0);
    ck_assert_uint_eq(one_arg(SYS_FLEN, h), 10);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, h), 0);
}
END_TEST

START_TEST(test_exit)
{
    call(SYS_EXIT, APP_EXIT);
    ck_assert(cpu.halted);
    ck_assert_int_eq(cpu.exit_status, 0);
    ck_assert_int_ne(cpu.exit_request, 0);

    cpu.halted = false;
    cpu.exit_request = 0;
    call(SYS_EXIT, RUNTIME_ERROR);
    ck_assert(cpu.halted);
    ck_assert_int_eq(cpu.exit_status, 1);

    cpu.halted = false;
    uint32_t w[2] = { APP_EXIT, 42 };
    call_block(SYS_EXIT_EXTENDED, w, 2);
    ck_assert(cpu.halted);
    ck_assert_int_eq(cpu.exit_status, 42);

    cpu.halted = false;
    w[0] = RUNTIME_ERROR;
    call_block(SYS_EXIT_EXTENDED, w, 2);
    ck_assert(cpu.halted);
    ck_assert_int_eq(cpu.exit_status, 1);

    /* a bad block pointer fails the call and does not exit */
    cpu.halted = false;
    cpu.exit_request = 0;
    ck_assert_uint_eq(call(SYS_EXIT_EXTENDED, BAD), MINUS1);
    ck_assert(!cpu.halted);
    ck_assert_int_eq(cpu.exit_request, 0);
    ck_assert_uint_eq(sh_errno(), EFAULT);
}
END_TEST

START_TEST(test_get_cmdline)
{
    uint32_t w[2] = { BUF, 64 };
    ck_assert_uint_eq(call_block(SYS_GET_CMDLINE, w, 2), 0);
    ck_assert_str_eq((char *)mem.ram + 0x3000, "prog a b");
    ck_assert_uint_eq(get32(BLOCK + 4), 8);
    /* exactly enough room for the NUL */
    memset(mem.ram + 0x3000, 0x55, 16);
    w[1] = 9;
    ck_assert_uint_eq(call_block(SYS_GET_CMDLINE, w, 2), 0);
    ck_assert_str_eq((char *)mem.ram + 0x3000, "prog a b");
    /* too small: -1, E2BIG, block untouched */
    w[1] = 8;
    ck_assert_uint_eq(call_block(SYS_GET_CMDLINE, w, 2), MINUS1);
    ck_assert_uint_eq(sh_errno(), E2BIG);
    ck_assert_uint_eq(get32(BLOCK + 4), 8);
    w[1] = 0;
    ck_assert_uint_eq(call_block(SYS_GET_CMDLINE, w, 2), MINUS1);
    /* buffer outside RAM */
    w[0] = BAD;
    w[1] = 64;
    ck_assert_uint_eq(call_block(SYS_GET_CMDLINE, w, 2), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    ck_assert_uint_eq(call(SYS_GET_CMDLINE, BAD), MINUS1);
}
END_TEST

START_TEST(test_heapinfo)
{
    /* r1 points at a word holding the address of the 4-word result block */
    ck_assert_uint_eq(one_arg(SYS_HEAPINFO, BUF), 0);
    ck_assert_uint_eq(get32(BUF), RAM);
    ck_assert_uint_eq(get32(BUF + 4), RAM_END);
    ck_assert_uint_eq(get32(BUF + 8), RAM_END);
    ck_assert_uint_eq(get32(BUF + 12), RAM);
    semihost_set_heapinfo(sh, RAM + 0x8000, RAM + 0x80000, RAM + 0x80000, RAM + 0x8000);
    ck_assert_uint_eq(one_arg(SYS_HEAPINFO, BUF), 0);
    ck_assert_uint_eq(get32(BUF), RAM + 0x8000);
    ck_assert_uint_eq(get32(BUF + 4), RAM + 0x80000);
    ck_assert_uint_eq(get32(BUF + 8), RAM + 0x80000);
    ck_assert_uint_eq(get32(BUF + 12), RAM + 0x8000);
    ck_assert_uint_eq(one_arg(SYS_HEAPINFO, BAD), MINUS1);
    ck_assert_uint_eq(sh_errno(), EFAULT);
    ck_assert_uint_eq(one_arg(SYS_HEAPINFO, RAM_END - 8), MINUS1);
    ck_assert_uint_eq(call(SYS_HEAPINFO, BAD), MINUS1);
}
END_TEST

START_TEST(test_misc_calls)
{
    ck_assert_uint_eq(one_arg(SYS_ISERROR, MINUS1), 1);
    ck_assert_uint_eq(one_arg(SYS_ISERROR, 0x80000000u), 1);
    ck_assert_uint_eq(one_arg(SYS_ISERROR, 0), 0);
    ck_assert_uint_eq(one_arg(SYS_ISERROR, 5), 0);
    ck_assert_uint_eq(call(SYS_ISERROR, BAD), MINUS1);

    ck_assert_uint_lt(call(SYS_CLOCK, 0), 100); /* centiseconds since start-up */
    uint32_t t = call(SYS_TIME, 0);
    ck_assert_uint_gt(t, 1600000000u);
    ck_assert_uint_le(t, (uint32_t)time(NULL));
    ck_assert_uint_eq(call(SYS_TICKFREQ, 0), 1000000000u);
    uint32_t e[2] = { 0, 0 };
    ck_assert_uint_eq(call_block(SYS_ELAPSED, e, 2), 0);
    uint64_t ns = get32(BLOCK) | (uint64_t)get32(BLOCK + 4) << 32;
    ck_assert_uint_gt(ns, 0);
    ck_assert_uint_lt(ns, 60ull * 1000000000ull);
    ck_assert_uint_eq(call(SYS_ELAPSED, BAD), MINUS1);

    /* SYS_SYSTEM never runs anything */
    char marker[128];
    snprintf(marker, sizeof marker, "touch %s/ran", tmpdir);
    put_str(STR, marker);
    uint32_t s[2] = { STR, (uint32_t)strlen(marker) };
    ck_assert_uint_eq(call_block(SYS_SYSTEM, s, 2), MINUS1);
    ck_assert_uint_eq(sh_errno(), EPERM);
    char ran[128];
    snprintf(ran, sizeof ran, "%s/ran", tmpdir);
    ck_assert_int_ne(access(ran, F_OK), 0);

    /* SYS_TMPNAM */
    uint32_t tn[3] = { BUF, 7, 64 };
    ck_assert_uint_eq(call_block(SYS_TMPNAM, tn, 3), 0);
    ck_assert_int_eq(strncmp((char *)mem.ram + 0x3000, "/tmp/armvm-", 11), 0);
    ck_assert_int_eq(strcmp((char *)mem.ram + 0x3000 + strlen((char *)mem.ram + 0x3000) - 2, "07"), 0);
    tn[2] = 4;
    ck_assert_uint_eq(call_block(SYS_TMPNAM, tn, 3), MINUS1);
    tn[0] = BAD;
    tn[2] = 64;
    ck_assert_uint_eq(call_block(SYS_TMPNAM, tn, 3), MINUS1);

    /* unknown operations fail without stopping the guest */
    ck_assert_uint_eq(call(0x99, 0), MINUS1);
    ck_assert_uint_eq(sh_errno(), ENOSYS);
    ck_assert(!cpu.halted);
}
END_TEST

START_TEST(test_block_across_pages)
{
    /* a parameter block that straddles a page boundary */
    uint32_t blk = RAM + 0x5ff8;
    put(BUF, "split", 5);
    uint32_t w[3] = { 2, BUF, 5 };
    uint32_t h = open_file(":tt", 4);
    ck_assert_uint_eq(h, 1);
    w[0] = h;
    put(blk, w, sizeof w);
    ck_assert_uint_eq(call(SYS_WRITE, blk), 0);
    check_out("split");
}
END_TEST

START_TEST(test_handle_table)
{
    uint32_t first = open_file(":tt", 4);
    ck_assert_uint_eq(first, 1);
    uint32_t last = first;
    for (int i = 0; i < 40; i++)
        last = open_file(":tt", 4);
    ck_assert_uint_eq(last, 41);
    ck_assert_uint_eq(one_arg(SYS_CLOSE, 17), 0);
    ck_assert_uint_eq(open_file(":tt", 4), 17);
    /* the table is bounded */
    uint32_t h = 0;
    for (int i = 0; i < 2000 && h != MINUS1; i++)
        h = open_file(":tt", 4);
    ck_assert_uint_eq(h, MINUS1);
    ck_assert_uint_eq(sh_errno(), EMFILE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("semihost");
    TCase *tc = tcase_create("calls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_console_output);
    tcase_add_test(tc, test_tt_handles);
    tcase_add_test(tc, test_features_file);
    tcase_add_test(tc, test_file_round_trip);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_bad_buffers);
    tcase_add_test(tc, test_exit);
    tcase_add_test(tc, test_get_cmdline);
    tcase_add_test(tc, test_heapinfo);
    tcase_add_test(tc, test_misc_calls);
    tcase_add_test(tc, test_block_across_pages);
    tcase_add_test(tc, test_handle_table);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
