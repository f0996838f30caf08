/* STR: 32 x `str rN, [r12]` (r1-r4 in turn) to the scratch buffer; a plain
 * register address, so the row is the cost of the store itself. */
#include "bench.inc"
    BENCH_BEGIN str
    ldr     r12, =bench_scratch
    BENCH_LOOP
    .rept   4 * BENCH_SCALE
    .irp    r, 1, 2, 3, 4
    str     r\r, [r12]
    .endr
    .endr
    BENCH_END
