// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules compare: two hosts' CPU models in QEMU's words
 * (query-cpu-model-comparison): identical, superset, subset or
 * incompatible, with the fields responsible (ksr_compare()).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <json.h>

#include "cli.h"

/*
 * "a-on-b", "b-on-a", "both", "none": which way a field blocks; or the
 * side that refuses the configuration ("rejected-by-a", "rejected-by-b").
 */
static const char *blocks_name(const struct ksr_finding *f)
{
	static const char *const names[] = { "none", "a-on-b", "b-on-a", "both" };

	return f->what ?: names[f->blocks & (KSR_COMPARE_BLOCKS_A_ON_B | KSR_COMPARE_BLOCKS_B_ON_A)];
}

/* A refused configuration's part: its side (0 A, 1 B), else -1. */
static int rejected_by(const struct ksr_finding *f)
{
	if (!f->what)
		return -1;
	return strcmp(f->what, "rejected-by-a") ? 1 : 0;
}

/*
 * The rule of the field where it blocks: of the side that refuses (B's for
 * a-on-b), else A's; NULL for bits in no field.
 */
static const struct ksr_field *judging_field(const struct ksr_finding *f,
					     struct ksr_rules *const *rules)
{
	const struct ksr_reg *reg;

	reg = ksr_rules_find_id(rules[f->blocks & KSR_COMPARE_BLOCKS_A_ON_B ? 1 : 0], f->reg_id);
	return reg && f->field_name ? ksr_reg_find_field(reg, f->field_name) : NULL;
}

/* A finding's bits as a number: a field's in its order, other bits as they are. */
static json_object *value_json(const struct ksr_finding *f, uint64_t v)
{
	return cli_number_json(v, f->is_field ? f->width : 64, f->is_field && f->is_signed);
}

static json_object *compare_json(const struct ksr_report *rep, struct ksr_rules *const *rules,
				 char *const *paths)
{
	json_object *root = json_object_new_object(), *resp = json_object_new_array();
	struct ksr_finding f;
	char where[160];

	json_object_object_add(root, "command", json_object_new_string("compare"));
	json_object_object_add(root, "result", json_object_new_string(
		ksr_comparison_name(ksr_report_comparison(rep))));
	json_object_object_add(root, "a", json_object_new_string(paths[0]));
	json_object_object_add(root, "b", json_object_new_string(paths[1]));
	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		const struct ksr_field *field = judging_field(&f, rules);
		const char *rule = field ? ksr_rule_type_name(ksr_field_rule(field)) : NULL;
		json_object *o;

		if (f.kind != KSR_FINDING_COMPARE)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(
			cli_where_label(&f, false, where, sizeof(where))));
		json_object_object_add(o, "register", json_object_new_string(f.reg_name));
		json_object_object_add(o, "reg_id", json_object_new_uint64(f.reg_id));
		json_object_object_add(o, "field", f.field_name ? json_object_new_string(f.field_name) : NULL);
		/* a refused configuration: its bits on the side that refuses them */
		json_object_object_add(o, "a", rejected_by(&f) == 1 ? NULL : value_json(&f, f.value));
		json_object_object_add(o, "b", rejected_by(&f) == 0 ? NULL :
				       value_json(&f, rejected_by(&f) == 1 ? f.value : f.result));
		json_object_object_add(o, "rule", rule ? json_object_new_string(rule) : NULL);
		json_object_object_add(o, "reason", f.why ? json_object_new_string(f.why) : NULL);
		json_object_object_add(o, "blocks", json_object_new_string(blocks_name(&f)));
		json_object_array_add(resp, o);
	}
	json_object_object_add(root, "responsible", resp);
	return root;
}

/* The answer, each blocking field, and how many differ without blocking. */
static void print_compare(const struct ksr_report *rep, struct ksr_rules *const *rules,
			  bool by_encoding)
{
	char where[160], va[32], vb[32], rule[32];
	unsigned int others = 0;
	struct ksr_finding f;

	printf("%s\n", ksr_comparison_name(ksr_report_comparison(rep)));
	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		const struct ksr_field *field = judging_field(&f, rules);

		if (f.kind != KSR_FINDING_COMPARE)
			continue;
		cli_where_label(&f, by_encoding, where, sizeof(where));
		if (rejected_by(&f) >= 0) {
			printf("  %s: the configuration's %s is refused by %s (default %s; %s)\n",
			       where, cli_value_text(&f, f.value, va, sizeof(va)),
			       rejected_by(&f) ? "B" : "A", cli_value_text(&f, f.result, vb, sizeof(vb)),
			       f.why ?: "-");
		} else if (f.blocks) {
			printf("  %s: A %s, B %s (%s; %s; blocks %s)\n", where,
			       cli_value_text(&f, f.value, va, sizeof(va)),
			       cli_value_text(&f, f.result, vb, sizeof(vb)),
			       field ? cli_rule_text(field, rule, sizeof(rule)) : "-", f.why ?: "-",
			       blocks_name(&f));
		} else {
			others++;
		}
	}
	if (others)
		printf("  %u other field%s differ%s but block%s neither way (--json lists them)\n",
		       others, others == 1 ? "" : "s", others == 1 ? "s" : "", others == 1 ? "s" : "");
}

static int cmd_compare(struct cli_opts *o)
{
	static const int status[] = {
		[KSR_COMPARISON_IDENTICAL] = CLI_OK, [KSR_COMPARISON_SUPERSET] = CLI_SUPERSET,
		[KSR_COMPARISON_SUBSET] = CLI_SUBSET, [KSR_COMPARISON_INCOMPATIBLE] = CLI_NO,
	};
	struct ksr_rules *rules[2] = { NULL, NULL };
	struct ksr_config *cfg[2] = { NULL, NULL };
	struct cli_opts file_only = *o;
	enum ksr_config_format format;
	struct ksr_report *rep;
	char err[512];
	int ret;

	ret = cli_load_profiles("compare", o->args, 2, rules);
	if (ret)
		return ret;
	/* its arguments are the profiles: the configuration is the file alone */
	file_only.nr_args = 0;
	if (o->config) {
		ret = cli_read_config(&file_only, rules[0], &cfg[0], &format);
		if (ret)
			goto out;
	}
	/* A VMM's template is relative to the defaults: read over each side's */
	if (cfg[0] && format != KSR_CONFIG_FORMAT_LINES && format != KSR_CONFIG_FORMAT_JSON) {
		file_only.format = format;
		ret = cli_read_config(&file_only, rules[1], &cfg[1], &format);
		if (ret)
			goto out;
		ret = ksr_compare_configs(rules[0], cfg[0], rules[1], cfg[1], &rep, err, sizeof(err));
	} else {
		ret = ksr_compare(rules[0], rules[1], cfg[0], &rep, err, sizeof(err));
	}
	if (ret) {
		ret = cli_fail("compare", CLI_STAGE_OP, ret, "%s", err);
		goto out;
	}
	if (o->json) {
		json_object *root = compare_json(rep, rules, o->args);

		if (cfg[0])
			json_object_object_add(root, "kept", cli_kept_json(cfg[0]));
		ret = cli_print_json(root);
	} else {
		if (cfg[0])
			cli_print_kept(stdout, cfg[0], "");
		print_compare(rep, rules, o->by_encoding);
	}
	if (!ret)
		ret = status[ksr_report_comparison(rep)];
	ksr_report_free(rep);
out:
	ksr_config_free(cfg[0]);
	ksr_config_free(cfg[1]);
	ksr_rules_free(rules[0]);
	ksr_rules_free(rules[1]);
	return ret;
}

const struct cli_cmd cli_cmd_compare = {
	.name = "compare",
	.run = cmd_compare,
	.synopsis = "A B [--config FILE] [--format FMT] [--json] [--by-encoding]",
	.help =
	"      Two profiles' CPU models compared in the words of QEMU's\n"
	"      query-cpu-model-comparison. Each model is the profile's defaults,\n"
	"      or with --config the configuration over them as KVM would store\n"
	"      it (a Firecracker template or QEMU properties: over each one's own\n"
	"      defaults). identical: each runs where the other runs (A's rules accept\n"
	"      B's model and B's A's); superset: B's model runs on A, A's not on\n"
	"      B; subset: the reverse; incompatible: neither. Then each field\n"
	"      responsible: A's value, B's, the rule, why, and which way it\n"
	"      blocks. Exit 0 identical, 4 superset, 5 subset, 1 incompatible.\n",
	.opts = CLI_OPT_CONFIG | CLI_OPT_FORMAT | CLI_OPT_JSON | CLI_OPT_BY_ENCODING,
	.min_args = 2,
	.max_args = 2,
	.args_error = "give two profiles, A and B",
};
