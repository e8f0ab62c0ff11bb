/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seeded generator of the guest tests (xorshift64*): the same seed gives
 * the same trial values on every kernel and model.
 */
#ifndef KSR_TESTS_RNG_H
#define KSR_TESTS_RNG_H

#include <stdint.h>

static uint64_t rng_state = 1;

static inline void rng_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;
}

static inline uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

#endif
