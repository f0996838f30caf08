/* BL+BX LR pair: 32 x `bl leaf`, where leaf is `bx lr` (a direct call and an indirect
 * return; the cost is per pair). */
#include "bench.inc"
    BENCH_BEGIN bl-bx
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    bl      leaf
    .endr
    BENCH_END
    .balign 64
leaf:
    bx      lr
