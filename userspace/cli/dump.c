// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules dump: the rules of a scratch VM, as a table or a profile.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/kvm.h>

#include "cli.h"
#include "profile.h"
#include "rules.h"

static void print_overrides(const struct ksr_field *f)
{
	const char *sep = "";

	if (f->flags & KVM_ARM_ID_RULE_RETYPED) {
		printf("%shost %s", sep, ksr_rule_type_name(f->host_type) ?: "?");
		sep = "; ";
	}
	if (f->flags & KVM_ARM_ID_RULE_MIN) {
		printf("%smin %" PRIu64 "%s", sep, f->min_val,
		       f->flags & KVM_ARM_ID_RULE_MIN_OR_ZERO ? " or 0" : "");
		sep = "; ";
	}
	if (f->flags & KVM_ARM_ID_RULE_ALIAS_HOST) {
		printf("%shost value %#" PRIx64 " -> %#" PRIx64, sep, f->alias_from, f->alias_to);
		sep = "; ";
	} else if (f->flags & KVM_ARM_ID_RULE_ALIAS) {
		printf("%salias %#" PRIx64 " -> %#" PRIx64, sep, f->alias_from, f->alias_to);
	}
}

static void print_table(const struct ksr_rules *rules)
{
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		const struct ksr_reg *r = &rules->regs[i];
		char name[32];

		printf("%-18s %u,%u,%u,%u,%u  default 0x%016" PRIx64 "  writable 0x%016" PRIx64 "%s%s%s",
		       ksr_encoding_name(r->enc, name, sizeof(name)), r->enc.op0, r->enc.op1,
		       r->enc.crn, r->enc.crm, r->enc.op2, r->limit, r->writable_mask,
		       r->flags & KVM_ARM_ID_RULE_RAZ ? "  RAZ" : "",
		       r->flags & KVM_ARM_ID_RULE_WRITE_IGNORED ? "  WRITES-IGNORED" : "",
		       r->flags & KVM_ARM_ID_RULE_IMMUTABLE ? "  IMMUTABLE" : "");
		if (r->unfielded_mask)
			printf("  unfielded 0x%016" PRIx64, r->unfielded_mask);
		putchar('\n');
		for (unsigned int j = 0; j < r->nr_fields; j++) {
			const struct ksr_field *f = &r->fields[j];
			char bits[16], fname[24];

			snprintf(bits, sizeof(bits), "%u:%u", f->shift + f->width - 1, f->shift);
			snprintf(fname, sizeof(fname), "%s", f->name ? f->name : "?");
			printf("    %-15s %-6s %-6s %-20s safe %-4" PRIu64 " %-8s default %-4" PRId64 " ",
			       fname, bits, f->flags & KVM_ARM_ID_RULE_SIGNED ? "signed" : "",
			       ksr_rule_type_name(f->type) ?: "UNKNOWN", f->safe_val,
			       f->flags & KVM_ARM_ID_RULE_WRITABLE ? "writable" : "fixed",
			       ksr_field_get(f, r->limit));
			print_overrides(f);
			putchar('\n');
		}
	}
}

int cmd_dump(int argc, char **argv)
{
	struct ksr_profile_meta meta = { .source = "ioctl" };
	struct ksr_rules *rules;
	struct utsname uts;
	struct ksr_vm *vm;
	bool json = false;
	char err[256];
	int ret;

	ret = parse_vm_options("dump", argc, argv, &meta.vcpu_features, &json);
	if (ret)
		return ret;
	if (open_vm(&vm, meta.vcpu_features))
		return EXIT_KVM;
	ret = ksr_rules_from_vm(vm, &rules, err, sizeof(err));
	ksr_vm_close(vm);
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: dump: %s\n", err);
		return EXIT_KVM;
	}
	uname(&uts);
	meta.kernel = uts.release;
	if (json)
		ret = ksr_profile_write(stdout, rules, &meta);
	else
		print_table(rules);
	ksr_rules_free(rules);
	if (ret || fflush(stdout)) {
		perror("kvm-safe-rules: dump: writing standard output");
		return EXIT_KVM;
	}
	return 0;
}
