/* LDRB: 32 x `ldrb rN, [r12]` (r1-r4 in turn) from the scratch buffer; a plain
 * register address, so the row is the cost of the load itself. */
#include "bench.inc"
    BENCH_BEGIN ldrb
    ldr     r12, =bench_scratch
    BENCH_LOOP
    .rept   4 * BENCH_SCALE
    .irp    r, 1, 2, 3, 4
    ldrb    r\r, [r12]
    .endr
    .endr
    BENCH_END
