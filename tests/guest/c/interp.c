/*
 * A small bytecode interpreter (stack machine with calls, locals, jumps)
 * running factorial, Fibonacci, a prime sieve and GCD, plus a recursive
 * descent evaluator for integer expressions.
 */
#include "guest.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ, JMP, JZ, CALL, RET, ARG, HALT, DUP, POP };

typedef struct { int code[256]; int n; } Prog;

static int run(const int *code, int arg, int *steps_out)
{
    int stack[256], sp = 0, fp = 0, pc = 0, steps = 0;
    int locals[64] = {0};
    stack[sp++] = arg;
    for (;;) {
        int op = code[pc++];
        steps++;
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = locals[code[pc++]]; break;
        case STORE: locals[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JMP: pc = code[pc]; break;
        case JZ: if (stack[--sp] == 0) pc = code[pc]; else pc++; break;
        case CALL: { int t = code[pc++]; stack[sp++] = pc; stack[sp++] = fp; fp = sp; pc = t; break; }
        case ARG: stack[sp++] = stack[fp - 3 - code[pc++]]; break;
        case RET: { int v = stack[--sp]; sp = fp; fp = stack[--sp]; pc = stack[--sp]; sp--; stack[sp++] = v; break; }
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case POP: sp--; break;
        case HALT: if (steps_out) *steps_out = steps; return stack[sp - 1];
        default: return -999999;
        }
    }
}

/* fact(n): iterative with locals */
static const int fact_code[] = {
    STORE, 0, PUSH, 1, STORE, 1,            /* n = arg; r = 1 */
    /* 6: */ PUSH, 0, LOAD, 0, LT, JZ, 22,  /* while (0 < n) */
    LOAD, 1, LOAD, 0, MUL, STORE, 1,       /* r *= n */
    LOAD, 0, PUSH, 1, SUB, STORE, 0, JMP, 6,
    /* 22 (patched below) */
};
/* fib(n) recursive through CALL/RET: fib(n) = n < 2 ? n : fib(n-1)+fib(n-2) */
static const int fib_code[] = {
    CALL, 3, HALT,
    /* 3: */ ARG, 0, PUSH, 2, LT, JZ, 13, ARG, 0, RET,
    /* 13: */ ARG, 0, PUSH, 1, SUB, CALL, 3, ARG, 0, PUSH, 2, SUB, CALL, 3, ADD, RET,
};

static int fixed_fact[64];

/* ---- expression evaluator ---- */
static const char *ep;
static int expr(void);
static int number(void)
{
    int v = 0;
    if (*ep == '(') { ep++; v = expr(); ep++; return v; }
    if (*ep == '-') { ep++; return -number(); }
    while (*ep >= '0' && *ep <= '9') v = v * 10 + (*ep++ - '0');
    return v;
}
static int term(void)
{
    int v = number();
    while (*ep == '*' || *ep == '/' || *ep == '%') {
        char op = *ep++;
        int r = number();
        v = op == '*' ? v * r : op == '/' ? v / r : v % r;
    }
    return v;
}
static int expr(void)
{
    int v = term();
    while (*ep == '+' || *ep == '-') {
        char op = *ep++;
        int r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
static int eval(const char *s) { ep = s; return expr(); }

int main(void)
{
    /* fact: copy and patch the loop exit to a tail "LOAD 1; HALT" */
    int n = sizeof fact_code / sizeof fact_code[0];
    memcpy(fixed_fact, fact_code, sizeof fact_code);
    fixed_fact[12] = n;
    fixed_fact[n] = LOAD; fixed_fact[n + 1] = 1; fixed_fact[n + 2] = HALT;
    int steps = 0;
    gt_check("vm-fact10", (u32)run(fixed_fact, 10, &steps), 3628800);
    gt_printf("vm-fact10 steps=%d\n", steps);
    gt_check("vm-fact12", (u32)run(fixed_fact, 12, 0), 479001600);
    gt_check("vm-fib20", (u32)run(fib_code, 20, &steps), 6765);
    gt_printf("vm-fib20 steps=%d\n", steps);
    gt_check("vm-fib1", (u32)run(fib_code, 1, 0), 1);

    /* sieve of Eratosthenes in C */
    static u8 comp[10000];
    int count = 0;
    for (int i = 2; i < 10000; i++) {
        if (comp[i]) continue;
        count++;
        for (int j = i * i; j < 10000; j += i) comp[j] = 1;
    }
    gt_check("primes-below-10000", count, 1229);

    gt_check("expr-1", (u32)eval("(1+2)*3-4/2"), 7);
    gt_check("expr-2", (u32)eval("2*(3+4)*(5-1)%9"), 2);
    gt_check("expr-3", (u32)eval("-7/2"), (u32)-3);
    gt_check("expr-4", (u32)eval("-7%3"), (u32)-1);
    gt_check("expr-5", (u32)eval("100000*30000"), 3000000000u);
    gt_check("expr-6", (u32)eval("((((1))))+((2))*-(3)"), (u32)-5);
    return gt_finish();
}
