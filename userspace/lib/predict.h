/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The predictor: what KVM_SET_ONE_REG will do with a value, from the rules
 * KVM_GET_REG_SAFE_RULES exported (and nothing compiled in), following the
 * order of checks documented in api.rst.
 */
#ifndef KSR_PREDICT_H
#define KSR_PREDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

enum ksr_reason {
	KSR_ABOVE_LIMIT = 1,	/* LOWER_SAFE: above the VM's default */
	KSR_BELOW_LIMIT,	/* HIGHER_SAFE, HIGHER_OR_ZERO_SAFE: below the default */
	KSR_ZERO_LIMIT,		/* HIGHER_OR_ZERO_SAFE with default 0: only 0 */
	KSR_NOT_SAFE_VAL,	/* EXACT: neither the default nor the safe value */
	KSR_BELOW_MIN,		/* below KVM's minimum */
	KSR_NOT_WRITABLE,	/* not writable: must equal the default */
	KSR_RAZ,		/* the register reads as zero: only 0 */
	KSR_UNFIELDED,		/* bits in no field differ from the default */
	KSR_IMMUTABLE,		/* the VM has run: must equal the current value */
	KSR_UNKNOWN_RULE,	/* a rule type this library does not know */
};

#define KSR_MAX_FAULTS 64

struct ksr_fault {
	const struct ksr_field *field;	/* NULL for a register-level fault */
	enum ksr_reason reason;
	uint64_t bits;			/* the bits at fault */
};

struct ksr_verdict {
	bool accept;
	int error;		/* what KVM_SET_ONE_REG returns: 0, -EINVAL, -EBUSY */
	uint64_t stored;	/* on accept: what KVM_GET_ONE_REG then reads */
	unsigned int nr_faults;
	struct ksr_fault faults[KSR_MAX_FAULTS];
};

/*
 * Predicts the write of value to reg. current is the register's value in
 * the VM now (KVM_GET_ONE_REG); it matters only for write-ignored registers
 * and once the VM has run.
 */
void ksr_predict(const struct ksr_reg *reg, uint64_t value, uint64_t current,
		 struct ksr_verdict *verdict);
const char *ksr_reason_name(enum ksr_reason reason);

#endif
