/*
 * A small deterministic random number generator for the unit tests that generate their
 * inputs (xorshift64*: fast, and the same sequence on every machine, so a failing seed
 * can be run again). Header-only, like a32_harness.h.
 */
#ifndef ARMVM_TESTS_TEST_RNG_H
#define ARMVM_TESTS_TEST_RNG_H

#include <stdint.h>

/* The next number from state *s (which must not be 0). */
static inline uint64_t test_rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

#endif
