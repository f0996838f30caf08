/* Empty loop iteration: the body is empty; one iteration is `subs r0, r0, #1` + a taken
 * `bne`. Its cost per iteration is what `armvm profile` subtracts from the other rows. */
#include "bench.inc"
    BENCH_BEGIN loop
    BENCH_LOOP
    BENCH_END
