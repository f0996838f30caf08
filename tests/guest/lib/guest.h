/* guest.h - tiny runtime for the armvm guest test programs (no newlib). */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int size_t_;

/* The small C library in lib/guest.c. */
void *memset(void *d, int c, unsigned n);
void *memcpy(void *d, const void *s, unsigned n);
void *memmove(void *d, const void *s, unsigned n);
int memcmp(const void *a, const void *b, unsigned n);
unsigned strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Semihosting operations. */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026

int gt_semihost(int op, const void *arg);
void gt_putc(char c);
void gt_puts(const char *s);               /* no newline added */
void gt_print_hex(u32 v);                  /* 0x%08x */
void gt_printf(const char *fmt, ...);      /* %s %c %d %u %x %08x %llx %p %% */
int gt_snprintf(char *buf, u32 size, const char *fmt, ...);
void gt_exit(int status) __attribute__((noreturn));

/* Checks: each prints one line "name: ok ..." or "name: FAIL ...". */
int gt_check(const char *name, u32 got, u32 want);
int gt_check64(const char *name, u64 got, u64 want);
int gt_check_str(const char *name, const char *got, const char *want);
void gt_fail(const char *name, const char *why);
int gt_finish(void);                       /* prints summary, returns status */
extern u32 gt_checks, gt_failures;

/* Exception vectors: gt_vector_handlers[n] is the handler for offset 4*n. */
extern void (*gt_vector_handlers[8])(void);
extern char gt_vectors[];
enum { VEC_RESET, VEC_UND, VEC_SVC, VEC_PABT, VEC_DABT, VEC_HYP, VEC_IRQ, VEC_FIQ };

#endif

/* lib/trap.S: record-and-skip handlers for UND, SVC, PABT and DABT. */
struct gt_trap_info {
    u32 count, vector, lr, spsr, cpsr, dfsr, dfar, ifsr, ifar, insn;
};
extern volatile struct gt_trap_info gt_trap;
void gt_trap_install(void);
