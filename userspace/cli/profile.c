// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules profile: the rules captured into a profile file.
 */
#include <stdio.h>

#include "cli.h"

static int cmd_profile(struct cli_opts *o)
{
	struct ksr_rules *rules;
	struct ksr_source *src;
	char err[512];
	int ret;

	if (!o->output)
		return cli_usage_error("profile", "give -o FILE (dump --json prints the profile)");
	ret = cli_open_rules(o, &src, &rules);
	if (ret)
		return ret;
	ksr_source_close(src);
	ret = ksr_profile_save(rules, o->output, err, sizeof(err));
	if (ret)
		ret = cli_fail("profile", CLI_STAGE_OUTPUT, ret, "%s", err);
	ksr_rules_free(rules);
	return ret;
}

const struct cli_cmd cli_cmd_profile = {
	.name = "profile",
	.run = cmd_profile,
	.synopsis = "-o FILE [SOURCE]",
	.help =
	"      Capture the rules as a profile file (what dump --json prints, with\n"
	"      the vCPU features used), written as -o says.\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_OUTPUT,
	.args_error = "takes no arguments but its options",
};
