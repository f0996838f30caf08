/* MUL: 32 x `mul rD, rD, rM`, four independent chains (r1-r4 times r9-r12). */
#include "bench.inc"
    BENCH_BEGIN mul
    BENCH_LOOP
    .rept 4 * BENCH_SCALE
    mul     r1, r1, r9
    mul     r2, r2, r10
    mul     r3, r3, r11
    mul     r4, r4, r12
    .endr
    BENCH_END
