/* SUBS with live flags: 32 x `subs<cond> rN, rN, #1`, each conditional on the flags of
 * the one before (NE, CS, PL, VC in turn: each reads Z, C, N or V). The conditions always
 * hold (r1-r4 stay large and positive), so all 32 execute; and since the next SUBS is
 * conditional, none of a SUBS's four flags is dead. The row's cost therefore includes
 * evaluating one condition per SUBS. */
#include "bench.inc"
    BENCH_BEGIN subs
    BENCH_LOOP
    .rept 4 * BENCH_SCALE
    subsne  r1, r1, #1
    subscs  r2, r2, #1
    subspl  r3, r3, #1
    subsvc  r4, r4, #1
    .endr
    BENCH_END
