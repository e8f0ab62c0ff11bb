// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules values: every value KVM accepts for a field, in the
 * register's default (ksr_field_values()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <json.h>

#include "cli.h"

static void print_field_values(const struct ksr_reg *reg, const struct ksr_field *f)
{
	unsigned int shift = ksr_field_shift(f), width = ksr_field_width(f);
	unsigned int flags = ksr_field_flags(f);
	struct ksr_values *vals;
	char buf[512], name[24], rule[32];
	int ret = ksr_field_values(reg, f, ksr_reg_default(reg), &vals);

	snprintf(name, sizeof(name), "%s", ksr_field_name(f) ?: "?");
	printf("%s.%-14s bits %2u:%-2u %-6s %-19s %-8s default %-3" PRId64 " allowed ", ksr_reg_name(reg),
	       name, shift + width - 1, shift, flags & KSR_FIELD_SIGNED ? "signed" : "",
	       cli_rule_text(f, rule, sizeof(rule)), flags & KSR_FIELD_WRITABLE ? "writable" : "fixed",
	       ksr_field_get(f, ksr_reg_default(reg)));
	if (ret == -E2BIG) {
		printf("(%u bits: not enumerated; the rule above applies, safe value %" PRIu64 ")\n",
		       width, ksr_field_safe_val(f));
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

static void print_values(const struct ksr_reg *reg, const struct ksr_field *field)
{
	unsigned int flags = ksr_reg_flags(reg);
	uint64_t def = ksr_reg_default(reg);

	if ((flags & KSR_REG_RAZ) && !(flags & KSR_REG_WRITES_IGNORED))
		printf("%s reads as zero (RAZ): only 0 is accepted\n", ksr_reg_name(reg));
	if (flags & KSR_REG_WRITES_IGNORED)
		printf("%s ignores writes: every value is accepted and it keeps 0x%016" PRIx64 "\n",
		       ksr_reg_name(reg), def);
	if (ksr_reg_kind(reg) != KSR_REG_KIND_ID) {
		printf("%s (firmware, 0x%016" PRIx64 "): default 0x%016" PRIx64 "\n", ksr_reg_name(reg),
		       ksr_reg_id(reg), def);
		cli_print_fw_rule(reg, "  ");
	} else if (!ksr_reg_nr_fields(reg)) {
		printf("%s has no fields: default 0x%016" PRIx64 "\n", ksr_reg_name(reg), def);
	}
	for (unsigned int i = 0; i < ksr_reg_nr_fields(reg); i++)
		if (!field || field == ksr_reg_field(reg, i))
			print_field_values(reg, ksr_reg_field(reg, i));
}

static json_object *values_json(const struct ksr_rules *rules, const struct ksr_reg *reg,
				const struct ksr_field *field)
{
	json_object *root = json_object_new_object(), *regs = json_object_new_array();
	json_object *r = json_object_new_object(), *fields = json_object_new_array();
	const char *provider = ksr_rules_provider(rules);

	json_object_object_add(root, "command", json_object_new_string("values"));
	json_object_object_add(root, "rules_from", provider ? json_object_new_string(provider) : NULL);
	json_object_object_add(r, "register", json_object_new_string(ksr_reg_name(reg)));
	json_object_object_add(r, "reg_id", json_object_new_uint64(ksr_reg_id(reg)));
	json_object_object_add(r, "default", json_object_new_uint64(ksr_reg_default(reg)));
	json_object_object_add(r, "raz", json_object_new_boolean(ksr_reg_flags(reg) & KSR_REG_RAZ));
	json_object_object_add(r, "writes_ignored",
			       json_object_new_boolean(ksr_reg_flags(reg) & KSR_REG_WRITES_IGNORED));
	json_object_array_add(regs, r);
	json_object_object_add(root, "registers", regs);
	cli_fields_json(fields, reg, field, ksr_reg_default(reg));
	json_object_object_add(root, "fields", fields);
	return root;
}

static int cmd_values(struct cli_opts *o)
{
	const struct ksr_field *field = NULL;
	const struct ksr_reg *reg;
	struct ksr_rules *rules;
	struct ksr_source *src;
	char name[96], *dot;
	int ret;

	snprintf(name, sizeof(name), "%s", o->args[0]);
	dot = strchr(name, '.');
	if (dot)
		*dot++ = '\0';
	ret = cli_open_rules(o, &src, &rules);
	if (ret)
		return ret;
	ksr_source_close(src);
	reg = ksr_rules_find_reg(rules, name);
	if (!reg || (dot && !(field = ksr_reg_find_field(reg, dot)))) {
		ret = cli_fail("values", CLI_STAGE_INPUT, -ENOENT, "unknown %s '%s'",
			       reg ? "field" : "register", reg ? dot : name);
	} else if (o->json) {
		ret = cli_print_json(values_json(rules, reg, field));
	} else {
		print_values(reg, field);
	}
	ksr_rules_free(rules);
	return ret;
}

const struct cli_cmd cli_cmd_values = {
	.name = "values",
	.run = cmd_values,
	.synopsis = "REG[.FIELD] [--json] [SOURCE]",
	.help =
	"      Every value KVM accepts for the field (each field of REG without\n"
	"      .FIELD) in the register's default, with its bits, rule and default;\n"
	"      says when REG reads as zero or ignores writes. A field wider than 16\n"
	"      bits is not enumerated: its rule is shown instead. --json: one\n"
	"      object per field (Documentation/kvm-safe-rules-output.schema.json).\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_JSON,
	.min_args = 1,
	.max_args = 1,
	.args_error = "give one REG or REG.FIELD",
};
