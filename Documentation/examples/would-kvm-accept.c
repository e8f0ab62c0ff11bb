// SPDX-License-Identifier: GPL-2.0
/* would-kvm-accept PROFILE REG VALUE: would KVM accept VALUE in REG, and why not? */
#include <stdio.h>
#include <stdlib.h>
#include <kvm-safe-rules.h>

int main(int argc, char **argv)
{
	struct ksr_rules *rules;
	struct ksr_verdict v;
	const struct ksr_reg *reg;
	char err[256];

	if (argc != 4 || ksr_profile_load(argv[1], &rules, err, sizeof(err)))
		return fprintf(stderr, "%s\n", argc != 4 ? "usage: PROFILE REG VALUE" : err), 2;
	reg = ksr_rules_find_reg(rules, argv[2]);
	if (!reg)
		return fprintf(stderr, "%s: no such register\n", argv[2]), 2;
	ksr_predict(reg, strtoull(argv[3], NULL, 16), ksr_reg_default(reg), &v);
	printf("%s %s", ksr_reg_name(reg), v.accept ? "accept" : "reject");
	for (unsigned int i = 0; i < v.nr_faults; i++) {
		const char *field = v.faults[i].field ? ksr_field_name(v.faults[i].field) : NULL;

		printf(" %s:%s", field ? field : "-", ksr_reason_name(v.faults[i].reason));
	}
	printf("\n");
	ksr_rules_free(rules);
	return !v.accept;
}
