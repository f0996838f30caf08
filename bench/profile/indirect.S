/* Indirect branch: 12 x `bx rN` along a chain of targets whose addresses are loaded into
 * r1-r12 before the loop (each target is the next `bx`; the last one lands back in the
 * loop). One register per target, hence K = 12 (6 in the half body). */
#include "bench.inc"
    BENCH_BEGIN indirect
    .irp    r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    ldr     r\r, =target\r
    .endr
    BENCH_LOOP
    bx      r1
target1:  bx r2
target2:  bx r3
target3:  bx r4
target4:  bx r5
target5:  bx r6
#if BENCH_SCALE == 2
target6:  bx r7
target7:  bx r8
target8:  bx r9
target9:  bx r10
target10: bx r11
target11: bx r12
target12:
#else
target6:
target7:  /* unused in the half body (r7-r12 are loaded but never jumped to) */
target8:
target9:
target10:
target11:
target12:
#endif
    BENCH_END
