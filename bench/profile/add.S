/* ADD: 32 x `add r1, r1, #1` (one dependency chain: nothing is dead, nothing folds). */
#include "bench.inc"
    BENCH_BEGIN add
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    add     r1, r1, #1
    .endr
    BENCH_END
