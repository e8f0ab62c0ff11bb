/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configurations the benchmarks decide, built from rules through the
 * public header only: every register at its default, several fields
 * lowered, or one field refused.
 */
#ifndef KSR_BENCH_CONFIGS_H
#define KSR_BENCH_CONFIGS_H

#include "kvm-safe-rules.h"

/* Every register at its default. */
struct ksr_config *config_defaults(const struct ksr_rules *rules);

/*
 * The defaults with up to @nr writable LOWER_SAFE fields (unsigned, without
 * a minimum or an alias, default above 0; the first of each register) set
 * to their default minus one; *lowered says how many were.
 */
struct ksr_config *config_lowered(const struct ksr_rules *rules, unsigned int nr,
				  unsigned int *lowered);

/*
 * The defaults with one field set to a value ksr_predict() refuses: the
 * first writable LOWER_SAFE field (unsigned, below its all-ones value)
 * raised by one; its register and field are named in *what (a static
 * string, or the buffer given).
 */
struct ksr_config *config_one_refused(const struct ksr_rules *rules, char *what, size_t len);

#endif
