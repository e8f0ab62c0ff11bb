// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules diff: what changed between two profiles (ksr_diff()).
 */
#include <stdio.h>

#include "cli.h"

static int cmd_diff(struct cli_opts *o)
{
	struct ksr_rules *rules[2];
	char **paths = o->args, err[512], reg[64], bits[96];
	struct ksr_report *rep;
	struct ksr_finding f;
	int ret;

	ret = cli_load_profiles("diff", paths, 2, rules);
	if (ret)
		return ret;
	ret = ksr_diff(rules[0], rules[1], &rep, err, sizeof(err));
	if (ret) {
		ret = cli_fail("diff", CLI_STAGE_OP, ret, "%s", err);
		goto out;
	}
	if (o->json) {
		ret = cli_print_json(cli_report_json("diff", rep, rules[1], paths, 2));
	} else {
		for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
			if (f.reg_name)
				printf("%s%s%s", cli_reg_label(&f, o->by_encoding, reg, sizeof(reg)),
				       f.is_field ? "." : "",
				       f.is_field ? cli_bits_label(&f, bits, sizeof(bits)) : "");
			else
				printf("(VM)");
			if (!f.old_text)
				printf(" %s added: %s\n", f.what, f.new_text);
			else if (!f.new_text)
				printf(" %s removed: %s\n", f.what, f.old_text);
			else
				printf(" %s: %s -> %s\n", f.what, f.old_text, f.new_text);
		}
		printf("%u difference%s\n", ksr_report_nr(rep), ksr_report_nr(rep) == 1 ? "" : "s");
	}
	if (!ret && !ksr_report_ok(rep))
		ret = CLI_NO;
	ksr_report_free(rep);
out:
	ksr_rules_free(rules[0]);
	ksr_rules_free(rules[1]);
	return ret;
}

const struct cli_cmd cli_cmd_diff = {
	.name = "diff",
	.run = cmd_diff,
	.synopsis = "PROFILE1 PROFILE2 [--json] [--by-encoding]",
	.help =
	"      What changed: vCPU features, registers and fields added or removed,\n"
	"      register defaults, masks and flags, field names, signs, rules, safe\n"
	"      values, writability, minimums, aliases and defaults.\n",
	.opts = CLI_OPT_JSON | CLI_OPT_BY_ENCODING,
	.min_args = 2,
	.max_args = 2,
	.args_error = "give two profiles",
};
