/* SVC round trip: 32 x `svc #0` from User mode; the SVC vector (runtime.S) is a single
 * `movs pc, lr`, which returns to User mode. Cost per round trip: the SVC, the exception
 * entry, the `movs pc, lr` and the exception return. */
#include "bench.inc"
    BENCH_BEGIN svc
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    svc     #0
    .endr
    BENCH_END
