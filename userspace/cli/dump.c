// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules dump: the rules of a scratch VM, as a table or a profile.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* "accepted 0..6" of a field whose values were learned, as values prints them. */
static void print_learned(const struct ksr_reg *r, const struct ksr_field *f, const char **sep)
{
	struct ksr_values *vals;
	char buf[128];

	if (!(ksr_field_flags(f) & KSR_FIELD_LEARNED) || ksr_field_values(r, f, ksr_reg_default(r), &vals))
		return;
	printf("%saccepted %s", *sep, cli_values_text(vals, buf, sizeof(buf)));
	ksr_values_free(vals);
	*sep = "; ";
}

static void print_overrides(const struct ksr_reg *r, const struct ksr_field *f, bool probed)
{
	unsigned int flags = ksr_field_flags(f);
	const char *sep = "";
	uint64_t from, to;

	print_learned(r, f, &sep);
	if (probed && (flags & (KSR_FIELD_PROBE | KSR_FIELD_LEARNED)) == KSR_FIELD_PROBE) {
		printf("%stoo wide to probe: only the default is known", sep);
		sep = "; ";
	}
	if (flags & KSR_FIELD_RETYPED) {
		printf("%shost %s", sep, ksr_rule_type_name(ksr_field_host_rule(f)) ?: "?");
		sep = "; ";
	}
	if (flags & KSR_FIELD_MIN) {
		printf("%smin %" PRIu64 "%s", sep, ksr_field_min(f),
		       flags & KSR_FIELD_MIN_OR_ZERO ? " or 0" : "");
		sep = "; ";
	}
	ksr_field_alias(f, &from, &to);
	if (flags & KSR_FIELD_ALIAS_HOST)
		printf("%shost value %#" PRIx64 " -> %#" PRIx64, sep, from, to);
	else if (flags & KSR_FIELD_ALIAS)
		printf("%salias %#" PRIx64 " -> %#" PRIx64, sep, from, to);
}

/* A firmware register: its name, id, default and rule in words. */
static void print_fw_reg(const struct ksr_reg *r)
{
	printf("%-18s 0x%016" PRIx64 "  default 0x%016" PRIx64 "%s\n", ksr_reg_name(r), ksr_reg_id(r),
	       ksr_reg_default(r), ksr_reg_flags(r) & KSR_REG_IMMUTABLE ? "  IMMUTABLE" : "");
	cli_print_fw_rule(r, "    ");
}

static void print_table(const struct ksr_rules *rules)
{
	const char *provider = ksr_rules_provider(rules);
	bool probed = provider && !strcmp(provider, "probe");

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *r = ksr_rules_reg(rules, i);
		struct ksr_encoding e = ksr_reg_encoding(r);
		unsigned int flags = ksr_reg_flags(r);

		if (ksr_reg_kind(r) != KSR_REG_KIND_ID) {
			print_fw_reg(r);
			continue;
		}
		printf("%-18s %u,%u,%u,%u,%u  default 0x%016" PRIx64 "  writable 0x%016" PRIx64 "%s%s%s",
		       ksr_reg_name(r), e.op0, e.op1, e.crn, e.crm, e.op2, ksr_reg_default(r),
		       ksr_reg_writable_mask(r), flags & KSR_REG_RAZ ? "  RAZ" : "",
		       flags & KSR_REG_WRITES_IGNORED ? "  WRITES-IGNORED" : "",
		       flags & KSR_REG_IMMUTABLE ? "  IMMUTABLE" : "");
		if (ksr_reg_unfielded_mask(r))
			printf("  unfielded 0x%016" PRIx64, ksr_reg_unfielded_mask(r));
		putchar('\n');
		for (unsigned int j = 0; j < ksr_reg_nr_fields(r); j++) {
			const struct ksr_field *f = ksr_reg_field(r, j);
			unsigned int shift = ksr_field_shift(f), fflags = ksr_field_flags(f);
			char bits[16], fname[24], rule[32];

			snprintf(bits, sizeof(bits), "%u:%u", shift + ksr_field_width(f) - 1, shift);
			snprintf(fname, sizeof(fname), "%s", ksr_field_name(f));
			printf("    %-15s %-6s %-6s %-20s safe %-4" PRIu64 " %-8s default %-4" PRId64 " ",
			       fname, bits, fflags & KSR_FIELD_SIGNED ? "signed" : "",
			       cli_rule_text(f, rule, sizeof(rule)), ksr_field_safe_val(f),
			       fflags & KSR_FIELD_WRITABLE ? "writable" : "fixed",
			       ksr_field_get(f, ksr_reg_default(r)));
			print_overrides(r, f, probed);
			putchar('\n');
		}
	}
}

/* What probing did, and what it cannot know (Documentation/probing.rst). */
static void print_probe_stats(const struct ksr_probe_stats *st)
{
	printf("probing: %u fields learned by %" PRIu64 " writes and %" PRIu64 " reads in %.3f s; "
	       "%u of them fit several rules (shown RULE?), %u too wide to try; "
	       "each field was tried with the others at their defaults, not in combinations\n",
	       st->fields_learned, st->writes, st->reads, (double)st->nanoseconds / 1e9,
	       st->fields_unsure, st->fields_not_learned);
}

/*
 * The table's last line: how many registers of each kind, fields and
 * writable fields, and where the rules came from (profile: its file, or
 * NULL for a scratch VM).
 */
static void print_summary(const struct ksr_rules *rules, const char *profile)
{
	unsigned int nr = ksr_rules_nr_regs(rules), id = 0, fields = 0, writable = 0;
	const char *origin = cli_provider_origin(ksr_rules_provider(rules));

	for (unsigned int i = 0; i < nr; i++) {
		const struct ksr_reg *r = ksr_rules_reg(rules, i);

		id += ksr_reg_kind(r) == KSR_REG_KIND_ID;
		fields += ksr_reg_nr_fields(r);
		for (unsigned int j = 0; j < ksr_reg_nr_fields(r); j++)
			writable += !!(ksr_field_flags(ksr_reg_field(r, j)) & KSR_FIELD_WRITABLE);
	}
	printf("%u registers (%u ID, %u firmware), %u fields, %u writable; ", nr, id, nr - id,
	       fields, writable);
	if (!profile)
		printf("rules from %s\n", origin ?: "an unknown provider");
	else if (origin)
		printf("rules from the profile %s (from %s)\n", profile, origin);
	else
		printf("rules from the profile %s (which does not say where it has them from)\n", profile);
}

static int cmd_dump(struct cli_opts *o)
{
	struct ksr_probe_stats stats;
	struct ksr_rules *rules;
	struct ksr_source *src;
	bool probed;
	int ret;

	ret = cli_open_rules(o, &src, &rules);
	if (ret)
		return ret;
	stats.size = sizeof(stats);
	probed = !ksr_source_probe_stats(src, &stats);
	ksr_source_close(src);
	/* Its -EIO is a failed write of standard output: main() reports it. */
	if (o->json) {
		ret = cli_status(CLI_STAGE_OUTPUT, ksr_profile_write(rules, stdout));
	} else {
		printf("rules from: %s\n", cli_provider_label(ksr_rules_provider(rules)));
		if (probed)
			print_probe_stats(&stats);
		print_table(rules);
		print_summary(rules, o->profile);
	}
	ksr_rules_free(rules);
	return ret;
}

const struct cli_cmd cli_cmd_dump = {
	.name = "dump",
	.run = cmd_dump,
	.synopsis = "[--json] [SOURCE]",
	.help =
	"      Print the rules KVM applies to writes of the ID registers\n"
	"      (KVM_ARM_GET_REG_SAFE_RULES): per register its default value, writable\n"
	"      mask and flags, per field its bits, sign, rule, safe value, whether\n"
	"      it is writable, its default and KVM's overrides; last, one line of\n"
	"      counts and where the rules came from. --json prints a profile; of a\n"
	"      profile, the same profile.\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_JSON,
	.args_error = "takes no arguments but its options",
};
