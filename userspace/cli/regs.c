// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules regs: the ID registers of a scratch VM and their writable
 * masks, after a line saying who would answer KVM_ARM_GET_REG_SAFE_RULES for
 * the VM (the table needs neither). Needs KVM/arm64 (a build with a live
 * source).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cmd_regs(struct cli_opts *o)
{
	struct ksr_vm_opts vm_opts = {
		.size = sizeof(vm_opts), .features = o->features, .learn = KSR_LEARN_NONE,
	};
	unsigned int nr = ksr_id_range_regs(NULL, 0);
	struct ksr_encoding *regs = calloc(nr, sizeof(*regs));
	struct ksr_source *src;
	const char *provider;
	char err[256];
	int ret;

	if (!regs)
		return cli_fail("regs", CLI_STAGE_KVM, -ENOMEM, "out of memory");
	ret = ksr_source_open_vm(&src, &vm_opts, err, sizeof(err));
	if (ret) {
		free(regs);
		if (ret == -EOPNOTSUPP)
			return cli_fail("regs", CLI_STAGE_KVM, ret, "needs a KVM/arm64 host: %s", err);
		fprintf(stderr, "kvm-safe-rules: cannot create a scratch VM: %s\n", err);
		return cli_status(CLI_STAGE_KVM, ret);
	}
	if (ksr_source_rules_provider(src, &provider, err, sizeof(err)))
		printf("rules from: none (%s)\n", err);
	else
		printf("rules from: %s\n", cli_provider_label(provider));
	ksr_id_range_regs(regs, nr);
	printf("%-20s %-11s %-18s %s\n", "REGISTER", "ENCODING", "VALUE", "WRITABLE");
	for (unsigned int i = 0; !ret && i < nr; i++) {
		struct ksr_encoding e = regs[i];
		uint64_t value, mask;
		char name[32], enc[24];

		snprintf(enc, sizeof(enc), "%u,%u,%u,%u,%u", e.op0, e.op1, e.crn, e.crm, e.op2);
		ret = ksr_source_get_id(src, ksr_encoding_id(e), &value);
		if (ret) {
			ret = cli_fail("regs", CLI_STAGE_KVM, ret, "KVM_GET_ONE_REG %s: %s",
				       ksr_encoding_name(e, name, sizeof(name)), strerror(-ret));
			break;
		}
		ret = ksr_source_writable_mask(src, e, &mask);
		if (ret) {
			ret = cli_fail("regs", CLI_STAGE_KVM, ret, "KVM_ARM_GET_REG_WRITABLE_MASKS: %s",
				       strerror(-ret));
			break;
		}
		printf("%-20s %-11s 0x%016" PRIx64 " 0x%016" PRIx64 "\n",
		       ksr_encoding_name(e, name, sizeof(name)), enc, value, mask);
	}
	ksr_source_close(src);
	free(regs);
	return ret;
}

const struct cli_cmd cli_cmd_regs = {
	.name = "regs",
	.run = cmd_regs,
	.synopsis = "[--pmu] [--sve] [--pauth] [--psci-0.2]",
	.help =
	"      Create a scratch VM and print, for every register of the feature ID\n"
	"      range (op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7) and CTR_EL0, its\n"
	"      value in the VM (KVM_GET_ONE_REG) and its writable mask\n"
	"      (KVM_ARM_GET_REG_WRITABLE_MASKS). KVM/arm64 only.\n",
	.opts = CLI_OPT_FEATURES,
	.args_error = "takes no arguments but its options",
};
