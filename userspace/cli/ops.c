// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules profile, check (configurations), values, clamp: the
 * operations on the rules of one VM (a scratch VM or --profile FILE).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cli.h"

int parse_op_option(int argc, char **argv, int *i, unsigned int allowed, struct cli_opts *o)
{
	const char *arg = argv[*i];

	if ((allowed & OPT_OUTPUT) && (!strcmp(arg, "-o") || !strcmp(arg, "--output")) && *i + 1 < argc) {
		o->output = argv[++*i];
		return 1;
	}
	if ((allowed & OPT_CONFIG) && !strcmp(arg, "--config") && *i + 1 < argc) {
		o->config = argv[++*i];
		return 1;
	}
	if ((allowed & OPT_BY_ENCODING) && !strcmp(arg, "--by-encoding")) {
		o->by_encoding = true;
		return 1;
	}
	return 0;
}

/* ---- profile ------------------------------------------------------------ */

int cmd_profile(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ksr_rules *rules;
	struct ksr_source *src;
	unsigned int nr;
	char err[512];
	int ret;

	ret = parse_args("profile", argc, argv, OPT_OUTPUT, &o, NULL, 0, &nr);
	if (ret)
		return ret;
	if (!o.output)
		return usage_error("profile: %s", "give -o FILE (dump --json prints the profile)");
	ret = open_rules("profile", &o, &src, &rules);
	if (ret)
		return ret;
	ksr_source_close(src);
	if (ksr_profile_save(rules, o.output, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: profile: %s\n", err);
		ret = EXIT_USAGE;
	}
	ksr_rules_free(rules);
	return ret;
}

/* ---- check -------------------------------------------------------------- */

static void print_check(const struct ksr_report *rep, bool by_encoding)
{
	char reg[64], bits[96], v[32], d[32], allowed[256];
	struct ksr_finding f;

	for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
		if (f.kind == KSR_FINDING_REG) {
			printf("%s 0x%016" PRIx64 " %s\n", reg_label(&f, by_encoding, reg, sizeof(reg)),
			       f.value, f.ok ? "accept" : "reject");
			continue;
		}
		/* Every refused field, and the accepted ones that are not the default. */
		if (f.ok && f.value == f.result)
			continue;
		printf("  %-16s %s", bits_label(&f, bits, sizeof(bits)), value_text(&f, f.value, v, sizeof(v)));
		if (f.ok) {
			printf(" ok (default %s)\n", value_text(&f, f.result, d, sizeof(d)));
			continue;
		}
		printf(" rejected: %s (default %s", f.why, value_text(&f, f.result, d, sizeof(d)));
		if (f.is_field)
			printf("; allowed %s", values_text(f.allowed, allowed, sizeof(allowed)));
		else if (fw_whole_reg(&f) && f.allowed)
			printf("; accepted %s", allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
		printf(")\n");
	}
}

int cmd_check_config(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ksr_rules *rules;
	struct ksr_config *cfg;
	struct ksr_report *rep;
	char err[512];
	int ret;

	ret = open_config("check", argc, argv, OPT_CONFIG | OPT_BY_ENCODING, &o, &rules, &cfg);
	if (ret)
		return ret;
	if (ksr_check(rules, cfg, &rep, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: check: %s\n", err);
		ret = EXIT_USAGE;
	} else {
		if (o.json)
			print_json(report_json("check", rep, rules, NULL, 0));
		else
			print_check(rep, o.by_encoding);
		ret = ksr_report_ok(rep) ? 0 : EXIT_KVM;
		ksr_report_free(rep);
	}
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	return ret;
}

/* ---- values ------------------------------------------------------------- */

static json_object *field_values_json(const struct ksr_reg *reg, const struct ksr_field *f)
{
	json_object *o = json_object_new_object();
	struct ksr_values *vals;
	int64_t lo, hi;
	int ret;

	json_object_object_add(o, "field", f->name ? json_object_new_string(f->name) : NULL);
	json_object_object_add(o, "shift", json_object_new_int(f->shift));
	json_object_object_add(o, "width", json_object_new_int(f->width));
	json_object_object_add(o, "signed", json_object_new_boolean(f->flags & KSR_FIELD_SIGNED));
	json_object_object_add(o, "rule", ksr_rule_type_name(ksr_field_rule(f)) ?
			       json_object_new_string(ksr_rule_type_name(ksr_field_rule(f))) : NULL);
	if (f->flags & KSR_FIELD_LEARNED) {
		json_object_object_add(o, "learned", json_object_new_boolean(true));
		json_object_object_add(o, "rule_unsure",
				       json_object_new_boolean(f->flags & KSR_FIELD_RULE_UNSURE));
	}
	json_object_object_add(o, "writable", json_object_new_boolean(f->flags & KSR_FIELD_WRITABLE));
	json_object_object_add(o, "default", json_object_new_int64(ksr_field_get(f, reg->limit)));
	ret = ksr_field_values(reg, f, reg->limit, &vals);
	if (ret) {
		json_object_object_add(o, "allowed", NULL);
		json_object_object_add(o, "note", json_object_new_string(
			ret == -E2BIG ? "too wide to enumerate: see the rule" : strerror(-ret)));
		return o;
	}
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; !ksr_values_range(vals, i, &lo, &hi); i++) {
		json_object *r = json_object_new_array();

		json_object_array_add(r, json_object_new_int64(lo));
		json_object_array_add(r, json_object_new_int64(hi));
		json_object_array_add(a, r);
	}
	json_object_object_add(o, "allowed", a);
	ksr_values_free(vals);
	return o;
}

static void print_field_values(const struct ksr_reg *reg, const struct ksr_field *f)
{
	struct ksr_values *vals;
	char buf[512], name[24], rule[32];
	int ret = ksr_field_values(reg, f, reg->limit, &vals);

	snprintf(name, sizeof(name), "%s", f->name ?: "?");
	printf("%s.%-14s bits %2u:%-2u %-6s %-19s %-8s default %-3" PRId64 " allowed ", ksr_reg_name(reg),
	       name, f->shift + f->width - 1, f->shift, f->flags & KSR_FIELD_SIGNED ? "signed" : "",
	       rule_text(f, rule, sizeof(rule)),
	       f->flags & KSR_FIELD_WRITABLE ? "writable" : "fixed", ksr_field_get(f, reg->limit));
	if (ret == -E2BIG) {
		printf("(%u bits: not enumerated; the rule above applies, safe value %" PRIu64 ")\n",
		       f->width, f->safe_val);
		return;
	}
	if (ret) {
		printf("(%s)\n", strerror(-ret));
		return;
	}
	ksr_values_format(vals, buf, sizeof(buf));
	printf("%s\n", buf);
	ksr_values_free(vals);
}

int cmd_values(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	const struct ksr_field *field = NULL;
	const struct ksr_reg *reg;
	struct ksr_rules *rules;
	struct ksr_source *src;
	char *args[1], name[96], *dot;
	unsigned int nr;
	int ret;

	ret = parse_args("values", argc, argv, 0, &o, args, 1, &nr);
	if (ret)
		return ret;
	if (nr != 1)
		return usage_error("values: %s", "give one REG or REG.FIELD");
	snprintf(name, sizeof(name), "%s", args[0]);
	dot = strchr(name, '.');
	if (dot)
		*dot++ = '\0';
	ret = open_rules("values", &o, &src, &rules);
	if (ret)
		return ret;
	ksr_source_close(src);
	reg = ksr_rules_find_reg(rules, name);
	if (!reg || (dot && !(field = ksr_reg_find_field(reg, dot)))) {
		fprintf(stderr, "kvm-safe-rules: values: unknown %s '%s'\n", reg ? "field" : "register",
			reg ? dot : name);
		ksr_rules_free(rules);
		return EXIT_USAGE;
	}
	if (o.json) {
		json_object *root = json_object_new_object(), *a = json_object_new_array();

		json_object_object_add(root, "register", json_object_new_string(ksr_reg_name(reg)));
		if (reg->kind != KSR_REG_KIND_ID) {
			snprintf(name, sizeof(name), "0x%016" PRIx64, reg->id);
			json_object_object_add(root, "kind", json_object_new_string("firmware"));
			json_object_object_add(root, "id", json_object_new_string(name));
			json_object_object_add(root, "bitmap",
					       json_object_new_boolean(reg->flags & KSR_REG_BITMAP));
			if (ksr_reg_is_value_list(reg))
				json_object_object_add(root, "values", fw_values_json(reg));
		}
		snprintf(name, sizeof(name), "0x%016" PRIx64, reg->limit);
		json_object_object_add(root, "default", json_object_new_string(name));
		json_object_object_add(root, "raz", json_object_new_boolean(reg->flags & KSR_REG_RAZ));
		json_object_object_add(root, "writes_ignored",
				       json_object_new_boolean(reg->flags & KSR_REG_WRITES_IGNORED));
		for (unsigned int i = 0; i < reg->nr_fields; i++)
			if (!field || field == &reg->fields[i])
				json_object_array_add(a, field_values_json(reg, &reg->fields[i]));
		json_object_object_add(root, "fields", a);
		print_json(root);
	} else {
		if ((reg->flags & KSR_REG_RAZ) && !(reg->flags & KSR_REG_WRITES_IGNORED))
			printf("%s reads as zero (RAZ): only 0 is accepted\n", ksr_reg_name(reg));
		if (reg->flags & KSR_REG_WRITES_IGNORED)
			printf("%s ignores writes: every value is accepted and it keeps 0x%016" PRIx64 "\n",
			       ksr_reg_name(reg), reg->limit);
		if (reg->kind != KSR_REG_KIND_ID) {
			printf("%s (firmware, 0x%016" PRIx64 "): default 0x%016" PRIx64 "\n",
			       ksr_reg_name(reg), reg->id, reg->limit);
			print_fw_rule(reg, "  ");
		} else if (!reg->nr_fields) {
			printf("%s has no fields: default 0x%016" PRIx64 "\n", ksr_reg_name(reg), reg->limit);
		}
		for (unsigned int i = 0; i < reg->nr_fields; i++)
			if (!field || field == &reg->fields[i])
				print_field_values(reg, &reg->fields[i]);
	}
	ksr_rules_free(rules);
	return 0;
}

/* ---- clamp -------------------------------------------------------------- */

static void print_changes(const struct ksr_report *rep, bool by_encoding, const char *prefix)
{
	char where[160], a[32], b[32], allowed[256];
	struct ksr_finding f;
	unsigned int n = 0;

	for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
		if (f.kind != KSR_FINDING_CHANGE)
			continue;
		printf("%s%s %s -> %s: %s", prefix, where_label(&f, by_encoding, where, sizeof(where)),
		       value_text(&f, f.value, a, sizeof(a)), value_text(&f, f.result, b, sizeof(b)), f.why);
		if (f.allowed)
			printf(" (allowed %s)", allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
		putchar('\n');
		n++;
	}
	printf("%s%u change%s\n", prefix, n, n == 1 ? "" : "s");
}

int cmd_clamp(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ksr_rules *rules;
	struct ksr_config *cfg;
	struct ksr_report *rep;
	char err[512];
	int ret;

	ret = open_config("clamp", argc, argv, OPT_CONFIG | OPT_BY_ENCODING | OPT_OUTPUT, &o, &rules, &cfg);
	if (ret)
		return ret;
	ret = ksr_clamp(rules, cfg, &rep, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: clamp: %s\n", err);
		ret = ret == -EPROTO ? EXIT_INTERNAL : EXIT_USAGE;
	} else {
		if (o.output)
			ret = output_config("clamp", ksr_report_config(rep), rules, &o);
		/* After a failed -o (named on standard error), no changes: none were written. */
		if (!ret && o.json) {
			print_json(report_json("clamp", rep, rules, NULL, 0));
		} else if (!ret && o.output) {
			print_changes(rep, o.by_encoding, "");
		} else if (!ret) {
			/* The changes as comments: standard output is a configuration. */
			print_changes(rep, o.by_encoding, "# ");
			ret = output_config("clamp", ksr_report_config(rep), rules, &o);
		}
		ksr_report_free(rep);
	}
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	return ret;
}
