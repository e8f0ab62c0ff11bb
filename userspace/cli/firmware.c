// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware pseudo-registers for people: their rule in words (dump,
 * values) and their accepted values as JSON (values --json).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <json.h>

#include "cli.h"
#include "jsonio.h"

/* "0 (TRNG_V1_0), 3 (BIT3)": the bits of mask with their names */
static void print_bits(const struct ksr_reg *r, uint64_t mask)
{
	const char *sep = "";

	if (!mask)
		printf("none");
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = ksr_fw_bit_name(r->id, bit);

		if (!(mask >> bit & 1))
			continue;
		if (name)
			printf("%s%u (%s)", sep, bit, name);
		else
			printf("%s%u", sep, bit);
		sep = ", ";
	}
}

void print_fw_rule(const struct ksr_reg *r, const char *indent)
{
	if (r->flags & ~(KSR_REG_IMMUTABLE | KSR_REG_BITMAP | KSR_REG_FOLLOWS_ID_REGS)) {
		printf("%sKVM cannot express its rule here: only the default 0x%" PRIx64
		       " is known to be accepted\n", indent, r->limit);
	} else if (r->flags & KSR_REG_BITMAP) {
		printf("%sbits KVM offers: ", indent);
		print_bits(r, r->writable_mask);
		printf("; each may be set or cleared, any other bit is refused\n");
	} else {
		printf("%saccepted values:", indent);
		for (unsigned int i = 0; i < r->nr_values; i++) {
			const struct ksr_fw_value *v = &r->values[i];

			printf("%s 0x%" PRIx64, i ? "," : "", v->value);
			if (v->reads_back != v->value)
				printf(" (reads back 0x%" PRIx64 ")", v->reads_back);
		}
		printf("%s; any other value is refused\n", r->nr_values ? "" : " none");
	}
	/* Only what the rules say: a bitmap is reported frozen once the VM has run */
	if (r->flags & KSR_REG_IMMUTABLE)
		printf("%sfrozen: the VM has run, only its current value is accepted\n", indent);
	if (r->flags & KSR_REG_FOLLOWS_ID_REGS)
		printf("%sfollows the ID registers: the rule is that of the VM's current ID register values\n",
		       indent);
}

json_object *fw_values_json(const struct ksr_reg *r)
{
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < r->nr_values; i++) {
		json_object *o = json_object_new_object();
		struct ksr_verdict v;

		ksr_predict(r, r->values[i].value, r->limit, &v);
		json_object_object_add(o, "value", ksr_jw_hex64(r->values[i].value));
		json_object_object_add(o, "reads_back", ksr_jw_hex64(r->values[i].reads_back));
		json_object_object_add(o, "accepted", json_object_new_boolean(v.accept));
		json_object_array_add(a, o);
	}
	return a;
}
