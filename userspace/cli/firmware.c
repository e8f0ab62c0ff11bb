// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware pseudo-registers for people: their rule in words (dump,
 * values).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

/* "0 (TRNG_V1_0), 3 (BIT3)": the bits of mask with their names */
static void print_bits(const struct ksr_reg *r, uint64_t mask)
{
	const char *sep = "";

	if (!mask)
		printf("none");
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = ksr_id_bit_name(ksr_reg_id(r), bit);

		if (!(mask >> bit & 1))
			continue;
		if (name)
			printf("%s%u (%s)", sep, bit, name);
		else
			printf("%s%u", sep, bit);
		sep = ", ";
	}
}

void cli_print_fw_rule(const struct ksr_reg *r, const char *indent)
{
	unsigned int flags = ksr_reg_flags(r);
	uint64_t value, back;

	if (flags & ~(KSR_REG_IMMUTABLE | KSR_REG_BITMAP | KSR_REG_FOLLOWS_ID_REGS)) {
		printf("%sKVM cannot express its rule here: only the default 0x%" PRIx64
		       " is known to be accepted\n", indent, ksr_reg_default(r));
	} else if (flags & KSR_REG_BITMAP) {
		printf("%sbits KVM offers: ", indent);
		print_bits(r, ksr_reg_writable_mask(r));
		printf("; each may be set or cleared, any other bit is refused\n");
	} else {
		printf("%saccepted values:", indent);
		for (unsigned int i = 0; !ksr_reg_value(r, i, &value, &back); i++) {
			printf("%s 0x%" PRIx64, i ? "," : "", value);
			if (back != value)
				printf(" (reads back 0x%" PRIx64 ")", back);
		}
		printf("%s; any other value is refused\n", ksr_reg_nr_values(r) ? "" : " none");
	}
	/* Only what the rules say: a bitmap is reported frozen once the VM has run */
	if (flags & KSR_REG_IMMUTABLE)
		printf("%sfrozen: the VM has run, only its current value is accepted\n", indent);
	if (flags & KSR_REG_FOLLOWS_ID_REGS)
		printf("%sfollows the ID registers: the rule is that of the VM's current ID register values\n",
		       indent);
}
