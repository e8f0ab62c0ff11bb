/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the arm64 system registers and their fields, generated at build
 * time from the kernel tree's arch/arm64/tools/sysreg (scripts/gen-sysreg-names).
 */
#ifndef KSR_SYSREG_NAMES_H
#define KSR_SYSREG_NAMES_H

#include <stdint.h>

struct ksr_sysreg_field_name {
	uint8_t shift;
	uint8_t width;
	uint8_t is_signed;	/* a SignedEnum: two's complement */
	const char *name;
};

struct ksr_sysreg_name {
	const char *name;
	uint8_t encoding[5];	/* op0, op1, CRn, CRm, op2 */
	const struct ksr_sysreg_field_name *fields;
	unsigned int nr_fields;
};

extern const struct ksr_sysreg_name ksr_sysreg_names[];
extern const unsigned int ksr_sysreg_names_count;

/* The register called name, or NULL. */
const struct ksr_sysreg_name *ksr_sysreg_lookup(const char *name);

#endif
