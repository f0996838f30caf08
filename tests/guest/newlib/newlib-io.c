/*
 * A newlib program (--specs=rdimon.specs, ARM-state default multilib):
 * argc/argv from semihosting SYS_GET_CMDLINE (the runner passes
 * -semihosting-config enable=on,arg=...), printf/snprintf, malloc/free/
 * realloc, qsort/strtol, and host file I/O through semihosting: create a
 * file in the current directory, write text and binary data, close, reopen,
 * read back and compare, seek/tell, append, remove, and fail to reopen.
 * Everything goes to stdout (stderr would interleave differently).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

static void check(const char *name, long got, long want)
{
    checks++;
    if (got == want) {
        printf("%s: ok 0x%08lx\n", name, (unsigned long)got);
    } else {
        failures++;
        printf("%s: FAIL got 0x%08lx want 0x%08lx\n", name, (unsigned long)got, (unsigned long)want);
    }
}

static void check_str(const char *name, const char *got, const char *want)
{
    checks++;
    if (got && strcmp(got, want) == 0) {
        printf("%s: ok \"%s\"\n", name, got);
    } else {
        failures++;
        printf("%s: FAIL got \"%s\" want \"%s\"\n", name, got ? got : "(null)", want);
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=\"%s\"\n", i, argv[i]);
    check("argc", argc, 4);
    check_str("argv0", argc > 0 ? argv[0] : NULL, "newlib-io");
    check_str("argv1", argc > 1 ? argv[1] : NULL, "alpha");
    check_str("argv2", argc > 2 ? argv[2] : NULL, "-x");
    check_str("argv3", argc > 3 ? argv[3] : NULL, "42");
    check("strtol-argv3", argc > 3 ? strtol(argv[3], NULL, 0) : -1, 42);

    /* malloc / free / realloc */
    char *blocks[64];
    unsigned long sum = 0;
    for (int i = 0; i < 64; i++) {
        size_t n = 16 + (size_t)i * 37;
        blocks[i] = malloc(n);
        if (!blocks[i]) break;
        memset(blocks[i], i, n);
        sum += n;
    }
    int intact = 1;
    for (int i = 0; i < 64; i++) {
        size_t n = 16 + (size_t)i * 37;
        for (size_t j = 0; j < n; j++)
            if (blocks[i][j] != (char)i) intact = 0;
        if ((unsigned long)blocks[i] & 7) intact = 0;      /* 8-byte aligned */
    }
    check("malloc-intact-aligned", intact, 1);
    for (int i = 0; i < 64; i += 2) free(blocks[i]);
    char *big = malloc(256 * 1024);
    check("malloc-256k", big != NULL, 1);
    if (big) {
        memset(big, 0x5a, 256 * 1024);
        big = realloc(big, 512 * 1024);
        check("realloc-keeps", big && big[256 * 1024 - 1] == 0x5a, 1);
        free(big);
    }
    for (int i = 1; i < 64; i += 2) free(blocks[i]);
    printf("allocated %lu bytes in 64 blocks\n", sum);

    int arr[10] = { 5, -3, 99, 0, 12, -100, 7, 7, 42, 1 };
    qsort(arr, 10, sizeof arr[0], cmp_int);
    char line[128];
    int pos = 0;
    for (int i = 0; i < 10; i++)
        pos += snprintf(line + pos, sizeof line - pos, "%d%s", arr[i], i < 9 ? "," : "");
    check_str("qsort-snprintf", line, "-100,-3,0,1,5,7,7,12,42,99");

    /* host file I/O */
    const char *fname = "newlib-io.tmp";
    FILE *f = fopen(fname, "w");
    check("fopen-write", f != NULL, 1);
    if (f) {
        fprintf(f, "line one\nline %d\n", 2);
        fclose(f);
    }
    f = fopen(fname, "r");
    check("fopen-read", f != NULL, 1);
    if (f) {
        char a[32] = "", b[32] = "";
        char *ra = fgets(a, sizeof a, f);
        char *rb = fgets(b, sizeof b, f);
        check("read-line1-newline", ra && a[strlen(a) - 1] == '\n', 1);
        a[strcspn(a, "\n")] = 0;
        b[strcspn(b, "\n")] = 0;
        check_str("read-line1", ra ? a : NULL, "line one");
        check_str("read-line2", rb ? b : NULL, "line 2");
        check("read-eof", fgetc(f), EOF);
        fclose(f);
    }
    /* binary: write 1000 bytes, seek around, read back */
    unsigned char data[1000], back[1000];
    for (int i = 0; i < 1000; i++) data[i] = (unsigned char)(i * 13 + 7);
    f = fopen(fname, "wb");
    if (f) {
        check("fwrite", (long)fwrite(data, 1, sizeof data, f), 1000);
        fclose(f);
    }
    f = fopen(fname, "rb");
    if (f) {
        check("fseek-end", fseek(f, 0, SEEK_END), 0);
        check("ftell-size", ftell(f), 1000);
        fseek(f, 500, SEEK_SET);
        check("fgetc-500", fgetc(f), data[500]);
        rewind(f);
        check("fread", (long)fread(back, 1, sizeof back, f), 1000);
        check("fread-same", memcmp(data, back, sizeof data), 0);
        fclose(f);
    }
    f = fopen(fname, "a");
    if (f) {
        fputs("tail", f);
        fclose(f);
    }
    f = fopen(fname, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        check("append-size", ftell(f), 1004);
        fclose(f);
    }
    check("remove", remove(fname), 0);
    f = fopen(fname, "r");
    check("reopen-after-remove-fails", f == NULL, 1);
    if (f) fclose(f);

    printf("done: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
