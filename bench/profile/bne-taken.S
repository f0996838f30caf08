/* BNE taken: 32 x `bne` to the next instruction, with Z clear (as the loop's own SUBS
 * leaves it), so every one is taken. */
#include "bench.inc"
    BENCH_BEGIN bne-taken
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    bne     1f
1:
    .endr
    BENCH_END
