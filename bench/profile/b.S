/* B: 32 x `b` to the next instruction (each one ends a translation block). */
#include "bench.inc"
    BENCH_BEGIN b
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    b       1f
1:
    .endr
    BENCH_END
