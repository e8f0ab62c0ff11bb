// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules baseline, migrate-check, diff: operations on several
 * profiles (captured with kvm-safe-rules profile -o FILE).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cli.h"

/*
 * Options of commands on profiles: no rule source of their own. At most max
 * words go to args; *nr counts them all (the caller refuses too many).
 */
static int parse(const char *cmd, int argc, char **argv, unsigned int allowed, struct cli_opts *o,
		 char **args, unsigned int max, unsigned int *nr)
{
	*nr = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			o->json = true;
		else if (parse_op_option(argc, argv, &i, allowed, o) == 1)
			continue;
		else if (argv[i][0] == '-' || !args)
			return unknown_option(cmd, argv[i]);
		else if (++*nr <= max)
			args[*nr - 1] = argv[i];
	}
	return 0;
}

/* "max.json 1, cortex-a57.json 0" */
static void per_profile(const struct ksr_finding *f, char *const *names, const char *sep)
{
	char v[32], allowed[128];

	for (unsigned int p = 0; p < f->nr_profiles; p++) {
		printf("%s%s ", p ? sep : "", names[p]);
		if (f->missing & (1ull << p))
			printf("(no such register)");
		else if (!f->is_field)
			printf("0x%016" PRIx64, f->profile_values[p]);
		else
			printf("%s", value_text(f, f->profile_values[p], v, sizeof(v)));
		if (f->profile_allowed && f->profile_allowed[p])
			printf(" (accepts %s)", allowed_text(f, f->profile_allowed[p], allowed, sizeof(allowed)));
	}
}

/* ---- baseline ----------------------------------------------------------- */

static void print_provenance(const struct ksr_report *rep, char *const *names, bool by_enc,
			     const char *prefix)
{
	char where[160], v[32], common[256];
	struct ksr_finding f;

	for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
		bool below = false;

		if (f.kind != KSR_FINDING_CHOICE)
			continue;
		if (fw_whole_reg(&f)) {
			/* A firmware value list: what every profile accepts, always */
			printf("%s%s = 0x%" PRIx64 "; every profile accepts %s (defaults:", prefix,
			       where_label(&f, by_enc, where, sizeof(where)), f.value,
			       allowed_text(&f, f.allowed, common, sizeof(common)));
			for (unsigned int p = 0; p < f.nr_profiles; p++)
				printf("%s %s 0x%" PRIx64, p ? "," : "", names[p], f.profile_values[p]);
			printf(")\n");
			continue;
		}
		for (unsigned int p = 0; p < f.nr_profiles; p++)
			below |= f.profile_values[p] != f.value;
		if (!below)
			continue;
		printf("%s%s = %s, limited by", prefix, where_label(&f, by_enc, where, sizeof(where)),
		       value_text(&f, f.value, v, sizeof(v)));
		if (!f.limited_by)
			printf(" the intersection");
		for (unsigned int p = 0; p < f.nr_profiles; p++)
			if (f.limited_by & (1ull << p))
				printf(" %s", names[p]);
		printf(" (defaults: ");
		per_profile(&f, names, ", ");
		printf(")\n");
	}
}

static unsigned int print_blockers(const struct ksr_report *rep, char *const *names, bool by_enc)
{
	char where[160];
	struct ksr_finding f;
	unsigned int n = 0;

	for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
		if (f.kind != KSR_FINDING_BLOCKER)
			continue;
		printf("blocker: %s", where_label(&f, by_enc, where, sizeof(where)));
		if (f.is_field)
			printf(" (bits %u:%u)", f.shift + f.width - 1, f.shift);
		printf(": %s: ", f.why);
		per_profile(&f, names, "; ");
		putchar('\n');
		n++;
	}
	return n;
}

int cmd_baseline(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	char **paths = calloc((size_t)argc + 1, sizeof(*paths)), err[512];
	struct ksr_rules **rules = calloc((size_t)argc + 1, sizeof(*rules));
	struct ksr_report *rep;
	unsigned int nr = 0;
	int ret;

	if (!paths || !rules) {
		ret = EXIT_USAGE;
		goto out;
	}
	ret = parse("baseline", argc, argv, OPT_OUTPUT | OPT_BY_ENCODING, &o, paths, (unsigned int)argc,
		    &nr);
	if (ret)
		goto out;
	if (!nr) {
		ret = usage_error("baseline: %s", "give one or more profiles");
		goto out;
	}
	ret = load_profiles("baseline", paths, nr, rules);
	if (ret) {
		nr = 0;
		goto out;
	}
	ret = ksr_baseline((const struct ksr_rules *const *)rules, nr, &rep, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: baseline: %s\n", err);
		ret = ret == -EPROTO ? EXIT_INTERNAL : EXIT_USAGE;
		goto out;
	}
	ret = ksr_report_ok(rep) ? 0 : EXIT_KVM;
	if (!ret && o.output) {
		ret = output_config("baseline", ksr_report_config(rep), rules[0], &o);
		if (ret)
			goto free_report;	/* nothing written: no provenance to show */
	}
	if (o.json) {
		print_json(report_json("baseline", rep, rules[0], paths, nr));
	} else if (!ksr_report_ok(rep)) {
		unsigned int n = print_blockers(rep, paths, o.by_encoding);

		printf("no baseline: %u blocking field%s\n", n, n == 1 ? "" : "s");
	} else if (o.output) {
		print_provenance(rep, paths, o.by_encoding, "");
	} else {
		print_provenance(rep, paths, o.by_encoding, "# ");
		ret = output_config("baseline", ksr_report_config(rep), rules[0], &o);
	}
free_report:
	ksr_report_free(rep);
out:
	for (unsigned int i = 0; rules && i < nr; i++)
		ksr_rules_free(rules[i]);
	free(rules);
	free(paths);
	return ret;
}

/* ---- migrate-check ------------------------------------------------------ */

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
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: migrate-check: %s -> %s: %s\n", from_name, to_name, err);
		return EXIT_USAGE;
	}
	if (all) {
		json_object *one = report_json("migrate-check", rep, from, NULL, 0);

		json_object_object_add(one, "from", json_object_new_string(from_name));
		json_object_object_add(one, "to", json_object_new_string(to_name));
		json_object_array_add(all, one);
	} else {
		printf("%s -> %s: %s\n", from_name, to_name, ksr_report_ok(rep) ? "ok" : "blocked");
		for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
			if (f.kind != KSR_FINDING_BLOCKER)
				continue;
			n++;
			if (f.missing) {
				printf("  blocker: %s: %s lacks the register\n",
				       reg_label(&f, o->by_encoding, reg, sizeof(reg)), to_name);
				continue;
			}
			if (fw_whole_reg(&f)) {
				/* A firmware register's value, not bits of it */
				printf("  blocker: %s: the source's 0x%" PRIx64 " is not accepted by %s (%s; it accepts %s; its default 0x%" PRIx64 ")\n",
				       reg_label(&f, o->by_encoding, reg, sizeof(reg)), f.value, to_name, f.why,
				       allowed_text(&f, f.allowed, allowed, sizeof(allowed)), f.result);
				continue;
			}
			printf("  blocker: %s.%s: guest %s, %s default %s: %s",
			       reg_label(&f, o->by_encoding, reg, sizeof(reg)), bits_label(&f, bits, sizeof(bits)),
			       value_text(&f, f.value, a, sizeof(a)), to_name,
			       value_text(&f, f.result, b, sizeof(b)), f.why);
			if (f.allowed)
				printf(" (%s accepts %s)", to_name, allowed_text(&f, f.allowed, allowed, sizeof(allowed)));
			putchar('\n');
		}
	}
	ret = ksr_report_ok(rep) ? 0 : EXIT_KVM;
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

int cmd_migrate_check(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ksr_rules *rules[2] = { NULL, NULL };
	char *paths[2] = { NULL, NULL };
	struct ksr_config *cfg = NULL;
	json_object *all = NULL;
	bool both = false;
	int ret, back;
	char err[512];

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--from") && i + 1 < argc)
			paths[0] = argv[++i];
		else if (!strcmp(argv[i], "--to") && i + 1 < argc)
			paths[1] = argv[++i];
		else if (!strcmp(argv[i], "--both-ways"))
			both = true;
		else if (!strcmp(argv[i], "--json"))
			o.json = true;
		else if (parse_op_option(argc, argv, &i, OPT_CONFIG | OPT_BY_ENCODING, &o) != 1)
			return unknown_option("migrate-check", argv[i]);
	}
	if (!paths[0] || !paths[1])
		return usage_error("migrate-check: %s", "give --from PROFILE and --to PROFILE");
	ret = load_profiles("migrate-check", paths, 2, rules);
	if (ret)
		return ret;
	if (o.config && ksr_config_load(o.config, rules[0], &cfg, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: migrate-check: %s\n", err);
		ret = EXIT_USAGE;
		goto out;
	}
	if (cfg && !ksr_config_nr(cfg)) {
		ret = empty_config("migrate-check", o.config);
		goto out;
	}
	if (o.json)
		all = json_object_new_array();
	ret = migrate_one(paths[0], rules[0], paths[1], rules[1], cfg, &o, all);
	/*
	 * The way back starts from a guest running on --to: with a
	 * configuration, only if --to accepts it (what the forward check
	 * found says nothing of that: it blocks on --from's defaults too).
	 */
	if (both && ret != EXIT_USAGE && cfg && !runs_on(cfg, rules[1])) {
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
	} else if (both && ret != EXIT_USAGE) {
		back = migrate_one(paths[1], rules[1], paths[0], rules[0], cfg, &o, all);
		ret = back > ret ? back : ret;
	}
	if (all) {
		json_object *root = json_object_new_object();

		json_object_object_add(root, "command", json_object_new_string("migrate-check"));
		json_object_object_add(root, "ok", json_object_new_boolean(ret == 0));
		json_object_object_add(root, "checks", all);
		if (ret != EXIT_USAGE)
			print_json(root);
		else
			json_object_put(root);
	}
out:
	ksr_config_free(cfg);
	ksr_rules_free(rules[0]);
	ksr_rules_free(rules[1]);
	return ret;
}

/* ---- diff --------------------------------------------------------------- */

int cmd_diff(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ksr_rules *rules[2];
	char *paths[2], err[512], reg[64], bits[96];
	struct ksr_report *rep;
	struct ksr_finding f;
	unsigned int nr;
	int ret;

	ret = parse("diff", argc, argv, OPT_BY_ENCODING, &o, paths, 2, &nr);
	if (ret)
		return ret;
	if (nr != 2)
		return usage_error("diff: %s", "give two profiles");
	ret = load_profiles("diff", paths, 2, rules);
	if (ret)
		return ret;
	if (ksr_diff(rules[0], rules[1], &rep, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: diff: %s\n", err);
		ret = EXIT_USAGE;
		goto out;
	}
	if (o.json) {
		print_json(report_json("diff", rep, rules[1], paths, 2));
	} else {
		for (unsigned int i = 0; !get_finding(rep, i, &f); i++) {
			if (f.reg_name)
				printf("%s%s%s", reg_label(&f, o.by_encoding, reg, sizeof(reg)),
				       f.is_field ? "." : "", f.is_field ? bits_label(&f, bits, sizeof(bits)) : "");
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
	ret = ksr_report_ok(rep) ? 0 : EXIT_KVM;
	ksr_report_free(rep);
out:
	ksr_rules_free(rules[0]);
	ksr_rules_free(rules[1]);
	return ret;
}
