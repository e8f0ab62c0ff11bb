// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules baseline: the richest configuration every profile accepts
 * (ksr_baseline()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <json.h>

#include "cli.h"

/* "max.json 1, cortex-a57.json 0" */
static void per_profile(FILE *out, const struct ksr_finding *f, char *const *names, const char *sep)
{
	char v[32], allowed[128];

	for (unsigned int p = 0; p < f->nr_profiles; p++) {
		fprintf(out, "%s%s ", p ? sep : "", names[p]);
		if (f->missing & (1ull << p))
			fprintf(out, "(no such register)");
		else if (!f->is_field)
			fprintf(out, "0x%016" PRIx64, f->profile_values[p]);
		else
			fprintf(out, "%s", cli_value_text(f, f->profile_values[p], v, sizeof(v)));
		if (f->profile_allowed && f->profile_allowed[p])
			fprintf(out, " (accepts %s)", cli_allowed_text(f, f->profile_allowed[p], allowed, sizeof(allowed)));
	}
}

static void print_provenance(FILE *out, const struct ksr_report *rep, char *const *names, bool by_enc,
			     const char *prefix)
{
	char where[160], v[32], common[256];
	struct ksr_finding f;

	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		bool below = false;

		if (f.kind != KSR_FINDING_CHOICE)
			continue;
		if (cli_fw_whole_reg(&f)) {
			/* A firmware value list: what every profile accepts, always */
			fprintf(out, "%s%s = 0x%" PRIx64 "; every profile accepts %s (defaults:", prefix,
			       cli_where_label(&f, by_enc, where, sizeof(where)), f.value,
			       cli_allowed_text(&f, f.allowed, common, sizeof(common)));
			for (unsigned int p = 0; p < f.nr_profiles; p++)
				fprintf(out, "%s %s 0x%" PRIx64, p ? "," : "", names[p], f.profile_values[p]);
			fprintf(out, ")\n");
			continue;
		}
		for (unsigned int p = 0; p < f.nr_profiles; p++)
			below |= f.profile_values[p] != f.value;
		if (!below)
			continue;
		fprintf(out, "%s%s = %s, limited by", prefix, cli_where_label(&f, by_enc, where, sizeof(where)),
		       cli_value_text(&f, f.value, v, sizeof(v)));
		if (!f.limited_by)
			fprintf(out, " the intersection");
		for (unsigned int p = 0; p < f.nr_profiles; p++)
			if (f.limited_by & (1ull << p))
				fprintf(out, " %s", names[p]);
		fprintf(out, " (defaults: ");
		per_profile(out, &f, names, ", ");
		fprintf(out, ")\n");
	}
}

static unsigned int print_blockers(const struct ksr_report *rep, char *const *names, bool by_enc)
{
	char where[160];
	struct ksr_finding f;
	unsigned int n = 0;

	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		if (f.kind != KSR_FINDING_BLOCKER)
			continue;
		printf("blocker: %s", cli_where_label(&f, by_enc, where, sizeof(where)));
		if (f.is_field)
			printf(" (bits %u:%u)", f.shift + f.width - 1, f.shift);
		printf(": %s: ", f.why);
		per_profile(stdout, &f, names, "; ");
		putchar('\n');
		n++;
	}
	return n;
}

static int cmd_baseline(struct cli_opts *o)
{
	struct ksr_rules **rules = calloc(o->nr_args, sizeof(*rules));
	char **paths = o->args, err[512];
	unsigned int nr = o->nr_args;
	struct ksr_report *rep;
	int ret;

	if (!rules)
		return cli_fail("baseline", CLI_STAGE_INPUT, -ENOMEM, "out of memory");
	ret = cli_load_profiles("baseline", paths, nr, rules);
	if (ret) {
		free(rules);
		return ret;
	}
	ret = ksr_baseline((const struct ksr_rules *const *)rules, nr, &rep, err, sizeof(err));
	if (ret) {
		ret = cli_fail("baseline", CLI_STAGE_OP, ret, "%s", err);
		goto out;
	}
	ret = ksr_report_ok(rep) ? 0 : CLI_NO;
	if (!ret && o->output) {
		ret = cli_write_config(o, ksr_report_config(rep), rules[0], o->format,
				       KSR_CONFIG_EVERY_FIELD);
		if (ret)
			goto free_report;	/* nothing written: no provenance to show */
	}
	if (o->json) {
		int printed = cli_print_json(cli_report_json("baseline", rep, rules[0], paths, nr));

		ret = printed ?: ret;
	} else if (!ksr_report_ok(rep)) {
		unsigned int n = print_blockers(rep, paths, o->by_encoding);

		printf("no baseline: %u blocking field%s\n", n, n == 1 ? "" : "s");
	} else if (o->output) {
		print_provenance(stdout, rep, paths, o->by_encoding, "");
	} else if (o->format == KSR_CONFIG_FORMAT_AUTO || o->format == KSR_CONFIG_FORMAT_LINES ||
		   o->format == KSR_CONFIG_FORMAT_QEMU_LINES) {
		print_provenance(stdout, rep, paths, o->by_encoding, "# ");
		ret = cli_write_config(o, ksr_report_config(rep), rules[0], o->format,
				       KSR_CONFIG_EVERY_FIELD);
	} else {
		/* JSON, a template, a -cpu string: standard output is only that */
		ret = cli_write_config(o, ksr_report_config(rep), rules[0], o->format,
				       KSR_CONFIG_EVERY_FIELD);
		if (!ret)
			print_provenance(stderr, rep, paths, o->by_encoding, "");
	}
free_report:
	ksr_report_free(rep);
out:
	for (unsigned int i = 0; i < nr; i++)
		ksr_rules_free(rules[i]);
	free(rules);
	return ret;
}

const struct cli_cmd cli_cmd_baseline = {
	.name = "baseline",
	.run = cmd_baseline,
	.synopsis = "PROFILE... [-o FILE] [--format FMT] [--json] [--by-encoding]",
	.help =
	"      The richest configuration every profile accepts: per field the\n"
	"      value all accept (each on its own defaults) that gives the guest\n"
	"      the most (the greatest under LOWER_SAFE and EXACT, the least under\n"
	"      HIGHER_SAFE, the least nonzero under HIGHER_OR_ZERO_SAFE, never an\n"
	"      alias KVM stores as another value), with the profiles that limited\n"
	"      it; other bits must equal every default.\n"
	"      When there is none, every blocking field or bits with each\n"
	"      profile's value and why. Without -o the configuration goes to\n"
	"      standard output after the provenance (# comments); --format\n"
	"      writes it as a Firecracker template, QEMU properties, ... with\n"
	"      every field given (a template applies over each host's own\n"
	"      defaults: none may be left out), the provenance then on standard\n"
	"      error when the format has no comments.\n",
	.opts = CLI_OPT_OUTPUT | CLI_OPT_FORMAT | CLI_OPT_JSON | CLI_OPT_BY_ENCODING,
	.min_args = 1,
	.max_args = ~0u,
	.args_error = "give one or more profiles",
};
