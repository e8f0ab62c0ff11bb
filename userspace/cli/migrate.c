// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules migrate-check: can a guest of one host be restored on
 * another (ksr_migrate_check()), one way or both.
 */
#include <inttypes.h>
#include <stdio.h>
#include <json.h>

#include "cli.h"

static int migrate_one(const char *from_name, const struct ksr_rules *from, const char *to_name,
		       const struct ksr_rules *to, const struct ksr_config *cfg, const struct cli_opts *o,
		       json_object *all)
{
	char err[512], reg[64], bits[96], a[32], b[32], allowed[256];
	struct ksr_report *rep;
	struct ksr_finding f;
	unsigned int n = 0;
	int ret;

	ret = ksr_migrate_check(from, to, cfg, &rep, err, sizeof(err));
	if (ret)
		return cli_fail("migrate-check", CLI_STAGE_OP, ret, "%s -> %s: %s", from_name, to_name, err);
	if (all) {
		json_object *one = cli_report_json("migrate-check", rep, from, NULL, 0);

		json_object_object_add(one, "from", json_object_new_string(from_name));
		json_object_object_add(one, "to", json_object_new_string(to_name));
		json_object_array_add(all, one);
	} else {
		printf("%s -> %s: %s\n", from_name, to_name, ksr_report_ok(rep) ? "ok" : "blocked");
		for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
			if (f.kind != KSR_FINDING_BLOCKER)
				continue;
			n++;
			if (f.missing) {
				printf("  blocker: %s: %s lacks the register\n",
				       cli_reg_label(&f, o->by_encoding, reg, sizeof(reg)), to_name);
				continue;
			}
			if (cli_fw_whole_reg(&f)) {
				/* A firmware register's value, not bits of it */
				printf("  blocker: %s: the source's 0x%" PRIx64 " is not accepted by %s (%s; it accepts %s; its default 0x%" PRIx64 ")\n",
				       cli_reg_label(&f, o->by_encoding, reg, sizeof(reg)), f.value, to_name, f.why,
				       cli_allowed_text(&f, f.allowed, allowed, sizeof(allowed)), f.result);
				continue;
			}
			printf("  blocker: %s.%s: guest %s, %s default %s: %s",
			       cli_reg_label(&f, o->by_encoding, reg, sizeof(reg)), cli_bits_label(&f, bits, sizeof(bits)),
			       cli_value_text(&f, f.value, a, sizeof(a)), to_name,
			       cli_value_text(&f, f.result, b, sizeof(b)), f.why);
			if (f.allowed)
				printf(" (%s accepts %s)", to_name, cli_allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
			putchar('\n');
		}
	}
	ret = ksr_report_ok(rep) ? 0 : CLI_NO;
	ksr_report_free(rep);
	return ret;
}

/* Does rules accept every register cfg sets (over its own defaults)? */
static bool runs_on(const struct ksr_config *cfg, const struct ksr_rules *rules)
{
	struct ksr_report *rep;
	char err[512];
	bool ok;

	if (ksr_check(rules, cfg, &rep, err, sizeof(err)))
		return false;	/* a register it lacks */
	ok = ksr_report_ok(rep);
	ksr_report_free(rep);
	return ok;
}

static int cmd_migrate_check(struct cli_opts *o)
{
	struct ksr_rules *rules[2] = { NULL, NULL };
	char *paths[2] = { (char *)o->from, (char *)o->to };
	enum ksr_config_format format;
	struct ksr_config *cfg = NULL;
	json_object *all = NULL;
	int ret, back;

	if (!o->from || !o->to)
		return cli_usage_error("migrate-check", "give --from PROFILE and --to PROFILE");
	ret = cli_load_profiles("migrate-check", paths, 2, rules);
	if (ret)
		return ret;
	if (o->config) {
		ret = cli_read_config(o, rules[0], &cfg, &format);
		if (ret)
			goto out;
	}
	if (o->json)
		all = json_object_new_array();
	else if (cfg)
		cli_print_kept(stdout, cfg, "");
	ret = migrate_one(paths[0], rules[0], paths[1], rules[1], cfg, o, all);
	/*
	 * The way back starts from a guest running on --to: with a
	 * configuration, only if --to accepts it (what the forward check
	 * found says nothing of that: it blocks on --from's defaults too).
	 */
	if (o->both_ways && ret != CLI_BAD && cfg && !runs_on(cfg, rules[1])) {
		if (all) {
			json_object *one = json_object_new_object();

			json_object_object_add(one, "from", json_object_new_string(paths[1]));
			json_object_object_add(one, "to", json_object_new_string(paths[0]));
			json_object_object_add(one, "skipped", json_object_new_string(
				"the configuration does not run on the first destination"));
			json_object_array_add(all, one);
		} else {
			printf("%s -> %s: not checked: the configuration does not run on %s\n",
			       paths[1], paths[0], paths[1]);
		}
	} else if (o->both_ways && ret != CLI_BAD) {
		back = migrate_one(paths[1], rules[1], paths[0], rules[0], cfg, o, all);
		ret = back > ret ? back : ret;
	}
	if (all) {
		json_object *root = json_object_new_object();

		json_object_object_add(root, "command", json_object_new_string("migrate-check"));
		json_object_object_add(root, "ok", json_object_new_boolean(ret == 0));
		if (cfg)
			json_object_object_add(root, "kept", cli_kept_json(cfg));
		json_object_object_add(root, "checks", all);
		if (ret != CLI_BAD)
			ret = cli_print_json(root) ?: ret;
		else
			json_object_put(root);
	}
out:
	ksr_config_free(cfg);
	ksr_rules_free(rules[0]);
	ksr_rules_free(rules[1]);
	return ret;
}

const struct cli_cmd cli_cmd_migrate_check = {
	.name = "migrate-check",
	.run = cmd_migrate_check,
	.synopsis = "--from PROFILE --to PROFILE [--config FILE] [--format FMT] [--both-ways]\n"
		    "                [--json] [--by-encoding]",
	.help =
	"      Can a guest configured on --from (its defaults, or FILE over them)\n"
	"      be restored on --to: every register checked on --to; each blocking\n"
	"      field with the guest's value, --to's default, why and what --to\n"
	"      accepts; registers --to lacks block. --both-ways also checks --to\n"
	"      -> --from (upgrade and rollback); with --config, only when --to\n"
	"      accepts the configuration.\n",
	.opts = CLI_OPT_MIGRATE | CLI_OPT_CONFIG | CLI_OPT_FORMAT | CLI_OPT_JSON | CLI_OPT_BY_ENCODING,
	.args_error = "takes no arguments but its options",
};
