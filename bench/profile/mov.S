/* MOV: 32 x `mov rD, rS`, rotating the values of r1-r3 (through r5) so that every move's
 * result is read by a later one. */
#include "bench.inc"
    BENCH_BEGIN mov
    BENCH_LOOP
    .rept 4 * BENCH_SCALE
    mov     r5, r1
    mov     r1, r2
    mov     r2, r3
    mov     r3, r5
    .endr
    BENCH_END
