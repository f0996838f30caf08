/*
 * init.c - the /init of the armvm Linux boot test (tests/linux/boot-linux.sh).
 *
 * A static ARM-state program with no C library: it talks to the kernel through raw
 * EABI system calls (start.S). It prints the marker line the test waits for, mounts
 * /proc, copies /proc/cpuinfo and /proc/interrupts to the console, and powers the
 * machine off with reboot(LINUX_REBOOT_CMD_POWER_OFF) (reboot(2)), which on the virt
 * board ends in a PSCI SYSTEM_OFF call.
 */

/* EABI system call numbers (arch/arm/tools/syscall.tbl). */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_CLOSE 6
#define NR_MKDIR 39
#define NR_MOUNT 21
#define NR_SYNC 36
#define NR_REBOOT 88

#define O_RDONLY 0
#define EEXIST 17

/* reboot(2) */
#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

long sys_call6(long nr, long a, long b, long c, long d, long e);
void init_main(void) __attribute__((noreturn));

static long sys3(long nr, long a, long b, long c) { return sys_call6(nr, a, b, c, 0, 0); }

static unsigned long str_len(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static void write_all(int fd, const char *p, unsigned long n)
{
    while (n > 0) {
        long w = sys3(NR_WRITE, fd, (long)p, (long)n);
        if (w <= 0)
            return;
        p += w;
        n -= (unsigned long)w;
    }
}

static void put(const char *s) { write_all(1, s, str_len(s)); }

/* "-123" for negative results (the kernel returns -errno). */
static void put_long(long v)
{
    char buf[16];
    int i = sizeof buf;
    unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
    buf[--i] = 0;
    do
        buf[--i] = (char)('0' + u % 10);
    while ((u /= 10) && i > 1);
    if (v < 0)
        buf[--i] = '-';
    put(buf + i);
}

/* Copy a file to the console, framed by begin/end lines the test can find. */
static void cat(const char *path)
{
    static char buf[4096];
    put("ARMVM-LINUX: begin ");
    put(path);
    put("\n");
    long fd = sys3(NR_OPEN, (long)path, O_RDONLY, 0);
    if (fd < 0) {
        put("ARMVM-LINUX: cannot open ");
        put(path);
        put(": error ");
        put_long(fd);
        put("\n");
        return;
    }
    for (;;) {
        long n = sys3(NR_READ, fd, (long)buf, sizeof buf);
        if (n <= 0)
            break;
        write_all(1, buf, (unsigned long)n);
    }
    sys3(NR_CLOSE, fd, 0, 0);
    put("ARMVM-LINUX: end ");
    put(path);
    put("\n");
}

void init_main(void)
{
    put("ARMVM-LINUX-MARKER: init running\n");

    long rc = sys3(NR_MKDIR, (long)"/proc", 0555, 0);
    if (rc < 0 && rc != -EEXIST) {
        put("ARMVM-LINUX: mkdir /proc failed: error ");
        put_long(rc);
        put("\n");
    }
    rc = sys_call6(NR_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
    if (rc < 0) {
        put("ARMVM-LINUX: mount /proc failed: error ");
        put_long(rc);
        put("\n");
    } else {
        cat("/proc/cpuinfo");
        cat("/proc/interrupts");
    }

    put("ARMVM-LINUX: powering off\n");
    sys3(NR_SYNC, 0, 0, 0);
    rc = sys_call6(NR_REBOOT, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2,
                   (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
    /* Only reached if the power-off failed: /init must not exit (that panics). */
    put("ARMVM-LINUX: reboot(POWER_OFF) failed: error ");
    put_long(rc);
    put("\n");
    for (;;)
        sys3(NR_EXIT, 1, 0, 0);
}
