/*
 * main.c - the first task: reads the command line and runs the workload
 * it names.  Its exit status ends the run (the kernel passes it to the
 * emulator through semihosting).
 *
 *   primes [N]             primes below N by trial division (2 worker tasks)
 *   pingpong [M]           M IPC round trips (call / reply_wait) between two tasks
 *   fractal [W H ITER]     a W x H Mandelbrot image, ITER iterations at most,
 *                          a worker task sending rows to a display task
 *   test                   the OS self-tests
 *   all                    primes, pingpong and fractal at small sizes
 */
#include "user.h"

/* Default sizes: a few seconds each under armvm's native engine. */
#define PRIMES_DEFAULT      8000000u
#define PINGPONG_DEFAULT    1000000u
#define FRACTAL_DEFAULT_W   800u
#define FRACTAL_DEFAULT_H   600u
#define FRACTAL_DEFAULT_IT  2000u

static int usage(const char *why)
{
    if (*why)
        printf("%s\n", why);
    printf("usage: primes [N] | pingpong [M] | fractal [W H ITER] | test | all\n");
    return 2;
}

/* argv[first..argc-1] as numbers into v[], defaults where missing. */
static int numbers(int argc, char **argv, int first, u32 *v, int n)
{
    if (argc - first > n)
        return 0;
    for (int i = 0; first + i < argc; i++)
        if (!parse_u32(argv[first + i], &v[i]))
            return 0;
    return 1;
}

/* The image file name QEMU puts first when no arg= is given, or an
 * explicit argv[0]. */
static int is_program_name(const char *w)
{
    unsigned n = strlen(w);
    for (const char *p = w; *p; p++)
        if (*p == '/')
            return 1;
    return n >= 4 && strcmp(w + n - 4, ".elf") == 0;
}

int main(void)
{
    static char line[256];
    char *argv[16];
    int argc = 0;
    if (sys_cmdline(line, sizeof line) < 0)
        return usage("command line too long");
    for (char *p = line; *p;) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p)
            break;
        if (argc == (int)ARRAY_SIZE(argv))
            return usage("too many arguments");
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    int first = 0;
    if (argc > 0 && is_program_name(argv[0]))
        first = 1;
    if (first == argc) {
        printf("no workload given: running 'test'\n");
        return run_selftest();
    }
    const char *name = argv[first++];
    if (strcmp(name, "primes") == 0) {
        u32 v[1] = { PRIMES_DEFAULT };
        if (!numbers(argc, argv, first, v, 1) || v[0] > 0x7fffffffu)
            return usage("primes: bad N");
        return run_primes(v[0]);
    }
    if (strcmp(name, "pingpong") == 0) {
        u32 v[1] = { PINGPONG_DEFAULT };
        if (!numbers(argc, argv, first, v, 1))
            return usage("pingpong: bad M");
        return run_pingpong(v[0]);
    }
    if (strcmp(name, "fractal") == 0) {
        u32 v[3] = { FRACTAL_DEFAULT_W, FRACTAL_DEFAULT_H, FRACTAL_DEFAULT_IT };
        if (!numbers(argc, argv, first, v, 3) || v[0] == 0 || v[0] > 4096 || v[1] == 0 ||
            v[1] > 4096 || v[2] == 0)
            return usage("fractal: bad W H ITER (W and H 1..4096, ITER > 0)");
        return run_fractal(v[0], v[1], v[2]);
    }
    if (strcmp(name, "test") == 0 && first == argc)
        return run_selftest();
    if (strcmp(name, "all") == 0 && first == argc) {
        int status = run_primes(300000);
        status |= run_pingpong(5000);
        status |= run_fractal(160, 120, 256);
        return status;
    }
    printf("unknown workload '%s'\n", name);
    return usage("");
}
