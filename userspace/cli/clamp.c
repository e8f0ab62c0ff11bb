// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules clamp: the closest configuration KVM accepts at or below
 * the one asked for (ksr_clamp()), written in the format it was read in.
 */
#include <stdio.h>

#include "cli.h"

static void print_changes(FILE *out, const struct ksr_report *rep, bool by_encoding,
			  const char *prefix)
{
	char where[160], a[32], b[32], allowed[256];
	struct ksr_finding f;
	unsigned int n = 0;

	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		if (f.kind != KSR_FINDING_CHANGE)
			continue;
		fprintf(out, "%s%s %s -> %s: %s", prefix, cli_where_label(&f, by_encoding, where, sizeof(where)),
		       cli_value_text(&f, f.value, a, sizeof(a)), cli_value_text(&f, f.result, b, sizeof(b)),
		       f.why);
		if (f.allowed)
			fprintf(out, " (allowed %s)", cli_allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
		fputc('\n', out);
		n++;
	}
	fprintf(out, "%s%u change%s\n", prefix, n, n == 1 ? "" : "s");
}

/*
 * The formats whose comments are lines starting with '#': the changes can
 * go before the configuration on standard output.
 */
static bool takes_comments(enum ksr_config_format format)
{
	return format == KSR_CONFIG_FORMAT_LINES || format == KSR_CONFIG_FORMAT_QEMU_LINES;
}

static int cmd_clamp(struct cli_opts *o)
{
	enum ksr_config_format format;
	const struct ksr_config *out;
	struct ksr_rules *rules;
	struct ksr_config *cfg;
	struct ksr_report *rep;
	char err[512];
	int ret;

	ret = cli_open_config(o, &rules, &cfg, &format);
	if (ret)
		return ret;
	/* Written as --format says, else as it was read (JSON with --json and -o) */
	if (o->format != KSR_CONFIG_FORMAT_AUTO)
		format = o->format;
	else if (o->json && o->output && format == KSR_CONFIG_FORMAT_LINES)
		format = KSR_CONFIG_FORMAT_JSON;
	ret = ksr_clamp(rules, cfg, &rep, err, sizeof(err));
	if (ret) {
		ret = cli_fail("clamp", CLI_STAGE_OP, ret, "%s", err);
		goto free_cfg;
	}
	out = ksr_report_config(rep);
	if (o->output)
		ret = cli_write_config(o, out, rules, format, 0);
	/* After a failed -o (named on standard error), no changes: none were written. */
	if (!ret && o->json) {
		ret = cli_print_json(cli_report_json("clamp", rep, rules, NULL, 0));
	} else if (!ret && o->output) {
		cli_print_kept(stdout, out, "");
		print_changes(stdout, rep, o->by_encoding, "");
	} else if (!ret && takes_comments(format)) {
		/* The changes as comments: standard output is a configuration. */
		cli_print_kept(stdout, out, "# ");
		print_changes(stdout, rep, o->by_encoding, "# ");
		ret = cli_write_config(o, out, rules, format, 0);
	} else if (!ret) {
		/* JSON, a template, a -cpu string: the changes on standard error */
		ret = cli_write_config(o, out, rules, format, 0);
		if (!ret) {
			cli_print_kept(stderr, out, "");
			print_changes(stderr, rep, o->by_encoding, "");
		}
	}
	ksr_report_free(rep);
free_cfg:
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	return ret;
}

const struct cli_cmd cli_cmd_clamp = {
	.name = "clamp",
	.run = cmd_clamp,
	.synopsis = "[REG=VALUE...] [--config FILE] [--format FMT] [-o FILE] [--json] [--by-encoding] [SOURCE]",
	.help =
	"      The closest accepted configuration at or below the one asked for:\n"
	"      per field the value asked if accepted, else the greatest accepted\n"
	"      value below it (in the field's order), else the smallest above;\n"
	"      bits in no field take the default. Written in the format it was\n"
	"      read in (--format: another), with the parts kept but not\n"
	"      interpreted. Lists each change (register, field, asked -> clamped,\n"
	"      why); without -o, as # comments before the configuration on\n"
	"      standard output, or on standard error for JSON, a Firecracker\n"
	"      template or a QEMU -cpu string.\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_JSON | CLI_OPT_CONFIG | CLI_OPT_FORMAT | CLI_OPT_OUTPUT |
		CLI_OPT_BY_ENCODING,
	.max_args = ~0u,
	.args_error = "",
};
