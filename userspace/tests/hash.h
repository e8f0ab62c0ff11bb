/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FNV-1a over 64-bit words, for the guest tests that print one hash of many
 * results so that two kernels' lines compare equal only when every result
 * does (outcomes, probe_compare --learned).
 */
#ifndef KSR_TESTS_HASH_H
#define KSR_TESTS_HASH_H

#include <stdint.h>

#define KSR_FNV1A_INIT 0xcbf29ce484222325ULL

static inline uint64_t fnv1a(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#endif
