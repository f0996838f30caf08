/*
 * harness.c - the C side of the random differential test programs
 * (see README.md): for each generated case, reset the scratch buffer to a
 * fixed pseudo-random pattern, run the case body (rt_run_case, entry.S) and
 * print one line through semihosting:
 *
 *   <case> <r0> ... <r12> | <cpsr & 0xf80f0000> | <off>=<word> ...
 *
 * all in hex except the decimal case number; the part after the second bar
 * lists the scratch-buffer words that differ from the initial pattern
 * (byte offset from the start of the buffer), so a wrong store shows where
 * it went.  The last line is "done <n>".
 *
 * Built with -DRT_USER=1, the case bodies run in User mode (entry.S) and the
 * CPSR field also shows bits 9:0 (E, A, I, F, T, M) of the user CPSR at the
 * end of the case (RT_PSR_MASK).
 */
#include <stdint.h>
#include "rt_config.h"

typedef struct {
    uint32_t r[13];
    uint32_t psr;         /* NZCVQ (31:27) and GE (19:16) */
    uint32_t code;        /* address of the case body */
    uint32_t id;          /* case number, as in the listing */
} CaseRec;

extern const CaseRec rt_cases[];
extern const uint32_t rt_num_cases;
extern const uint32_t rt_mem_seed;
extern const uint32_t rt_gen_buf_bytes;
extern const uint32_t rt_gen_user;
extern uint32_t rt_save[16];      /* [2] = CPSR, [3..15] = r0..r12 */
extern uint32_t rt_scratch[RT_BUF_BYTES / 4];

void rt_run_case(const CaseRec *rec);
void rt_main(void);
void rt_trap_report(uint32_t vector, uint32_t lr, uint32_t spsr);

#define PSR_MASK RT_PSR_MASK
#define WORDS (RT_BUF_BYTES / 4)

static uint32_t pristine[WORDS];
static uint32_t current_case = 0xffffffffu;
static char line[16 + 15 * 9 + WORDS * 13 + 8];

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void rt_exit(uint32_t status)
{
    static uint32_t block[2];
    block[0] = 0x20026;            /* ADP_Stopped_ApplicationExit */
    block[1] = status;
    if (status == 0)
        semihost(0x18, (const void *)0x20026);
    semihost(0x20, block);         /* SYS_EXIT_EXTENDED */
    for (;;)
        ;
}

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_hex(char *p, uint32_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--)
        *p++ = "0123456789abcdef"[(v >> (4 * i)) & 15];
    return p;
}

/* Decimal without division (the harness avoids the instructions under
 * test where it easily can). */
static char *put_dec(char *p, uint32_t v)
{
    static const uint32_t pow10[] = { 1000000000u, 100000000u, 10000000u, 1000000u,
                                      100000u, 10000u, 1000u, 100u, 10u, 1u };
    int started = 0;
    for (int i = 0; i < 10; i++) {
        char d = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d != '0' || started || i == 9) {
            *p++ = d;
            started = 1;
        }
    }
    return p;
}

static void print(const char *s)
{
    semihost(0x04, s);             /* SYS_WRITE0 */
}

void rt_trap_report(uint32_t vector, uint32_t lr, uint32_t spsr)
{
    char *p = line;
    p = put_str(p, "TRAP vector ");
    p = put_dec(p, vector);
    p = put_str(p, " in case ");
    p = put_dec(p, current_case);
    p = put_str(p, " lr ");
    p = put_hex(p, lr, 8);
    p = put_str(p, " spsr ");
    p = put_hex(p, spsr, 8);
    p = put_str(p, "\n");
    *p = 0;
    print(line);
    rt_exit(3);
}

void rt_main(void)
{
    if (rt_gen_buf_bytes != RT_BUF_BYTES) {
        print("FAIL: generator and harness disagree on the buffer size\n");
        rt_exit(2);
    }
    if (rt_gen_user != RT_USER) {
        print("FAIL: generator and harness disagree on user mode (gen_random.py --user"
              " needs a harness built with -DRT_USER=1)\n");
        rt_exit(2);
    }
    /* xorshift32, with a few edge values sprinkled in */
    uint32_t x = rt_mem_seed | 1;
    static const uint32_t edge[] = { 0, 0xffffffffu, 0x80000000u, 0x7fffffffu,
                                     1, 0x00008000u, 0xffff7fffu, 0x80808080u };
    for (unsigned i = 0; i < WORDS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pristine[i] = ((x >> 27) < 3) ? edge[(x >> 8) & 7] : x;
    }

    for (uint32_t c = 0; c < rt_num_cases; c++) {
        const CaseRec *rec = &rt_cases[c];
        volatile uint32_t *s = rt_scratch;
        for (unsigned i = 0; i < WORDS; i++)
            s[i] = pristine[i];
        current_case = rec->id;
        rt_run_case(rec);

        char *p = line;
        p = put_dec(p, rec->id);
        for (int r = 0; r < 13; r++) {
            *p++ = ' ';
            p = put_hex(p, rt_save[3 + r], 8);
        }
        p = put_str(p, " | ");
        p = put_hex(p, rt_save[2] & PSR_MASK, 8);
        p = put_str(p, " |");
        for (unsigned i = 0; i < WORDS; i++) {
            if (s[i] != pristine[i]) {
                *p++ = ' ';
                p = put_hex(p, i * 4, 3);
                *p++ = '=';
                p = put_hex(p, s[i], 8);
            }
        }
        *p++ = '\n';
        *p = 0;
        print(line);
    }
    char *p = put_str(line, "done ");
    p = put_dec(p, rt_num_cases);
    p = put_str(p, "\n");
    *p = 0;
    print(line);
    rt_exit(0);
}
