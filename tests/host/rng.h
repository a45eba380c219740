/*
 * tests/host/rng.h - the randomised host tests' generator: xorshift64
 * (Marsaglia, 2003), seeded by each test, so a failing run can be
 * repeated from its seed.
 */
#ifndef TESTS_HOST_RNG_H
#define TESTS_HOST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#endif
