// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules check: would KVM accept a configuration (ksr_check()), or,
 * with --batch, each of many "REG VALUE" lines on their own?
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cli.h"

/* ---- check --batch ------------------------------------------------------ */

static void print_fault(const struct ksr_reg *reg, const struct ksr_fault *f, bool first)
{
	const char *name = f->field ? ksr_field_name(f->field) : NULL;

	putchar(first ? ' ' : ',');
	/* A firmware register's value refused as a whole: the register names it */
	if (!f->field && ksr_reg_kind(reg) != KSR_REG_KIND_ID && f->reason != KSR_NOT_OFFERED)
		printf("%s", ksr_reg_name(reg));
	else if (name)
		printf("%s", name);
	else if (f->field)
		printf("bits[%u:%u]", ksr_field_shift(f->field) + ksr_field_width(f->field) - 1,
		       ksr_field_shift(f->field));
	else
		printf("0x%016" PRIx64, f->bits);
	printf(":%s", ksr_reason_name(f->reason));
}

static int check_batch(const struct cli_opts *o)
{
	const char *in_name = o->input ?: "<stdin>";
	struct ksr_rules *rules;
	struct ksr_source *src;
	struct cli_query *q = NULL;
	bool any_reject = false;
	FILE *in = stdin;
	size_t n = 0;
	int ret;

	if (o->input) {
		in = fopen(o->input, "r");
		if (!in)
			return cli_fail("check", CLI_STAGE_INPUT, -errno, "%s: %s", o->input,
					strerror(errno));
	}
	ret = cli_open_rules(o, &src, &rules);
	if (ret) {
		if (in != stdin)
			fclose(in);
		return ret;
	}
	ret = cli_read_queries(in, in_name, rules, &q, &n);
	if (in != stdin)
		fclose(in);
	/* The whole input is read and checked before anything is printed. */
	for (size_t i = 0; !ret && i < n; i++) {
		struct ksr_verdict v;
		uint64_t current;

		if (ksr_source_current(src, q[i].reg, &current)) {
			ret = cli_fail("check", CLI_STAGE_KVM, -EIO, "KVM_GET_ONE_REG %s failed",
				       q[i].reg_text);
			break;
		}
		ksr_predict(q[i].reg, q[i].value, current, &v);
		printf("%s 0x%016" PRIx64 " %s", q[i].reg_text, q[i].value, v.accept ? "accept" : "reject");
		for (unsigned int j = 0; j < v.nr_faults; j++)
			print_fault(q[i].reg, &v.faults[j], j == 0);
		putchar('\n');
		any_reject |= !v.accept;
	}
	if (!ret && any_reject)
		ret = CLI_NO;
	cli_free_queries(q, n);
	ksr_rules_free(rules);
	ksr_source_close(src);
	return ret;
}

/* ---- check (a configuration) -------------------------------------------- */

/*
 * The verdicts; with only_changed (a VMM's template, which sets every
 * register it does not change to the defaults), registers at their default
 * are counted, not listed.
 */
static void print_check(const struct ksr_report *rep, const struct ksr_rules *rules,
			bool by_encoding, bool only_changed)
{
	char reg[64], bits[96], v[32], d[32], allowed[256];
	unsigned int at_default = 0;
	bool skip = false;	/* the register of the findings that follow is at its default */
	struct ksr_finding f;

	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		if (f.kind == KSR_FINDING_REG) {
			const struct ksr_reg *r = ksr_rules_find_id(rules, f.reg_id);

			skip = only_changed && r && f.ok && f.value == ksr_reg_default(r);
			at_default += skip;
		}
		if (skip)
			continue;
		if (f.kind == KSR_FINDING_REG) {
			printf("%s 0x%016" PRIx64 " %s\n", cli_reg_label(&f, by_encoding, reg, sizeof(reg)),
			       f.value, f.ok ? "accept" : "reject");
			continue;
		}
		/* Every refused field, and the accepted ones that are not the default. */
		if (f.ok && f.value == f.result)
			continue;
		printf("  %-16s %s", cli_bits_label(&f, bits, sizeof(bits)),
		       cli_value_text(&f, f.value, v, sizeof(v)));
		if (f.ok) {
			printf(" ok (default %s)\n", cli_value_text(&f, f.result, d, sizeof(d)));
			continue;
		}
		printf(" rejected: %s (default %s", f.why, cli_value_text(&f, f.result, d, sizeof(d)));
		if (f.is_field)
			printf("; allowed %s", cli_values_text(f.allowed, allowed, sizeof(allowed)));
		else if (cli_fw_whole_reg(&f) && f.allowed)
			printf("; accepted %s", cli_allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
		printf(")\n");
	}
	if (at_default)
		printf("%u register%s at the defaults: accept\n", at_default, at_default == 1 ? "" : "s");
}

static int check_config(const struct cli_opts *o)
{
	enum ksr_config_format format;
	struct ksr_rules *rules;
	struct ksr_config *cfg;
	struct ksr_report *rep;
	char err[512];
	int ret;

	ret = cli_open_config(o, &rules, &cfg, &format);
	if (ret)
		return ret;
	ret = ksr_check(rules, cfg, &rep, err, sizeof(err));
	if (ret) {
		ret = cli_fail("check", CLI_STAGE_OP, ret, "%s", err);
	} else {
		if (o->json) {
			ret = cli_print_json(cli_check_json(rep, rules, cfg));
		} else {
			cli_print_kept(stdout, cfg, "");
			print_check(rep, rules, o->by_encoding,
				    format != KSR_CONFIG_FORMAT_LINES && format != KSR_CONFIG_FORMAT_JSON);
		}
		if (!ret && !ksr_report_ok(rep))
			ret = CLI_NO;
		ksr_report_free(rep);
	}
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	return ret;
}

static int cmd_check(struct cli_opts *o)
{
	if (!o->batch) {
		if (o->input)
			return cli_usage_error("check", "--input FILE is for --batch");
		return check_config(o);
	}
	if (o->nr_args || o->config || o->json || o->by_encoding ||
	    o->format != KSR_CONFIG_FORMAT_AUTO)
		return cli_usage_error("check",
				       "--batch takes its lines from --input FILE or standard input, and no other option but SOURCE");
	return check_batch(o);
}

const struct cli_cmd cli_cmd_check = {
	.name = "check",
	.run = cmd_check,
	.synopsis = "[REG=VALUE...] [--config FILE] [--format FMT] [--json] [--by-encoding] [SOURCE]\n"
		    "  check --batch [--input FILE] [SOURCE]",
	.help =
	"      The verdict on a configuration: per register accept or reject, then\n"
	"      each field that is not its default or is refused (each field set\n"
	"      alone in the register's default), with the reason and the values\n"
	"      KVM accepts for it; first, the parts of the configuration kept but\n"
	"      not interpreted (a Firecracker template's vcpu_features, ...).\n"
	"      --json gives every field: Documentation/kvm-safe-rules-output.schema.json.\n"
	"      --batch reads lines 'REG VALUE' (REG a name or op0,op1,CRn,CRm,op2;\n"
	"      VALUE as in a configuration: 0x optional, 1 to 16 hex digits) from\n"
	"      FILE or standard input and answers each, in a VM at its defaults:\n"
	"      'REG VALUE accept' or 'REG VALUE reject FIELD:reason[,...]'. The\n"
	"      whole input is checked before anything is printed; at least one\n"
	"      line, at most 16 MiB.\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_JSON | CLI_OPT_CONFIG | CLI_OPT_FORMAT |
		CLI_OPT_BY_ENCODING | CLI_OPT_BATCH,
	.max_args = ~0u,
	.args_error = "",
};
