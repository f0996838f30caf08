/* BNE not taken: 32 conditional branches whose condition fails. Inside the loop Z is
 * always clear (the loop's own `subs r0`/`bne` continues only while Z is clear), so the
 * not-taken branch is written `beq`: the same instruction as BNE with the inverted
 * condition, testing the same flag. Its target is an error exit, never reached. */
#include "bench.inc"
    BENCH_BEGIN bne-not-taken
    BENCH_LOOP
    .rept 16 * BENCH_SCALE
    beq     branch_taken
    .endr
    BENCH_END
branch_taken:
    udf     #0                          @ reported as an unexpected undefined instruction
