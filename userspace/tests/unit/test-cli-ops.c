// SPDX-License-Identifier: GPL-2.0
/*
 * The host CLI's operations on the fixtures: exit codes (0 ok, 1
 * rejected/blocked/different, 2 bad input), what they print, --json.
 */
#include <json.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"

#define FX KSR_FIXTURES "/"

static int run(const char *args)
{
	return run_cli("", args);
}

static json_object *out_json(void)
{
	size_t len;
	char *s = slurp(out_path, &len);
	json_object *o = json_tokener_parse(s);

	if (!o)
		fail_msg("not JSON:\n%s", s);
	free(s);
	return o;
}

static void test_help(void **state)
{
	static const char *const words[] = { "profile -o FILE", "check [REG=VALUE", "values REG[.FIELD]",
		"clamp [REG=VALUE", "baseline PROFILE", "migrate-check --from", "diff PROFILE1",
		"--both-ways", "--by-encoding", "  3  internal error" };

	(void)state;
	assert_int_equal(run("help"), 0);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		expect(out_path, words[i]);
}

static void test_profile(void **state)
{
	char args[256];
	size_t a, b;
	char *x, *y;

	(void)state;
	snprintf(args, sizeof(args), "profile --profile max.json -o %s/p.json", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "%s/p.json", dir);
	x = slurp(args, &a);
	y = slurp_as_v2(FX "max.json", &b);
	assert_int_equal(a, b);
	assert_memory_equal(x, y, a);
	free(x);
	free(y);
	assert_int_equal(run("profile --profile max.json"), 2);
	expect(err_path, "give -o FILE");
	assert_int_equal(run("profile -o /nonexistent/dir/p.json --profile max.json"), 2);
	assert_int_equal(run("profile -o x.json"), 2);
	expect(err_path, "--profile FILE");
}

static void test_check(void **state)
{
	char args[256];

	(void)state;
	assert_int_equal(run("check --profile max.json ID_AA64ISAR0_EL1=0x1221111110212120"), 0);
	expect(out_path, "ID_AA64ISAR0_EL1 0x1221111110212120 accept");
	assert_int_equal(run("check --profile max.json ID_AA64ISAR0_EL1=0x1221111110212130"), 1);
	expect(out_path, "AES              3 rejected: above-default (default 2; allowed 0..2)");
	assert_int_equal(run("check --profile max.json --by-encoding 3,0,0,6,0=0x1221111110212130"), 1);
	expect(out_path, "3,0,0,6,0 0x1221111110212130 reject");
	assert_int_equal(run("check --profile max.json --json ID_AA64ISAR0_EL1=0x1221111110212130"), 1);
	json_object *o = out_json(), *fields, *v, *aes = NULL;

	assert_true(json_object_object_get_ex(o, "ok", &v) && !json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "fields", &fields));
	/* every field of the register, AES refused with the values allowed as numbers */
	assert_true(json_object_array_length(fields) > 10);
	for (size_t i = 0; i < json_object_array_length(fields); i++) {
		json_object *f = json_object_array_get_idx(fields, i);

		if (json_object_object_get_ex(f, "name", &v) &&
		    !strcmp(json_object_get_string(v), "ID_AA64ISAR0_EL1.AES"))
			aes = f;
	}
	assert_non_null(aes);
	assert_true(json_object_object_get_ex(aes, "current", &v) && json_object_get_int(v) == 3);
	assert_true(json_object_object_get_ex(aes, "accepted", &v) && !json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(aes, "reason", &v) &&
		    !strcmp(json_object_get_string(v), "above-default"));
	assert_true(json_object_object_get_ex(aes, "ranges", &v) && json_object_array_length(v) == 1);
	v = json_object_array_get_idx(v, 0);
	assert_int_equal(json_object_get_int(json_object_object_get(v, "max")), 2);
	json_object_put(o);
	/* A configuration file, then bad input naming the line or the argument. */
	snprintf(args, sizeof(args), "clamp --profile cortex-a53.json --config /dev/null ID_PFR0_EL1=0xff "
		 "-o %s/c.txt", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "check --profile cortex-a53.json --config %s/c.txt", dir);
	assert_int_equal(run(args), 0);
	assert_int_equal(run("check --profile max.json ID_PFR0_EL1=0 NO_SUCH=1"), 2);
	expect(err_path, "argument:2: unknown register 'NO_SUCH'");
	assert_int_equal(run("check --profile max.json ID_PFR0_EL1"), 2);
	expect(err_path, "argument:1: expected 'REG VALUE' or 'REG=VALUE'");
	assert_int_equal(run("check --profile max.json"), 2);
	expect(err_path, "no configuration");
	assert_int_equal(run("check --profile max.json --config /nonexistent"), 2);
	expect(err_path, "/nonexistent: No such file");
	/* --batch: an input with no line to check is refused, naming it */
	assert_int_equal(run("check --batch --profile max.json --input /dev/null"), 2);
	expect(err_path, "check: /dev/null: no 'REG VALUE' line to check");
}

static void test_values(void **state)
{
	struct ksr_rules *rules;
	char args[128];
	uint64_t ctr;

	(void)state;
	assert_int_equal(run("values --profile max.json ID_AA64MMFR0_EL1.TGRAN4"), 0);
	expect(out_path, "ID_AA64MMFR0_EL1.TGRAN4");
	expect(out_path, "allowed -8..1");
	assert_int_equal(run("values --profile max.json ID_AFR0_EL1"), 0);
	expect(out_path, "reads as zero (RAZ)");
	assert_int_equal(run("values --profile a64fx.json ID_PFR0_EL1"), 0);
	expect(out_path, "ignores writes");
	assert_int_equal(run("values --profile max.json --json CTR_EL0"), 0);
	json_object_put(out_json());
	/* CTR_EL0 bit 31 (Res1 in arch/arm64/tools/sysreg) has a name to show and read */
	assert_int_equal(run("values --profile max.json CTR_EL0.BIT31"), 0);
	expect(out_path, "CTR_EL0.BIT31          bits 31:31");
	rules = load(KSR_FIXTURES "/max.json");
	ctr = ksr_reg_default(ksr_rules_find_reg(rules, "CTR_EL0"));
	ksr_rules_free(rules);
	assert_true(ctr >> 31 & 1);
	snprintf(args, sizeof(args), "check --profile max.json CTR_EL0=%#" PRIx64,
		 ctr & ~((uint64_t)1 << 31));
	assert_int_equal(run(args), 1);
	expect(out_path, "  BIT31            0 rejected: not-writable (default 1; allowed 1)");
	assert_int_equal(run("values --profile max.json ID_AA64MMFR0_EL1.NOPE"), 2);
	expect(err_path, "unknown field 'NOPE'");
	assert_int_equal(run("values --profile max.json NOPE_EL1"), 2);
	expect(err_path, "unknown register 'NOPE_EL1'");
}

static void test_clamp(void **state)
{
	char args[512];

	(void)state;
	assert_int_equal(run("clamp --profile cortex-a53.json ID_AA64MMFR0_EL1=0x000000000000112f"), 0);
	expect(out_path, "# ID_AA64MMFR0_EL1.PARANGE 15 -> 2: above-default (allowed 0..2)");
	expect(out_path, "ID_AA64MMFR0_EL1 0x0000000000001122");
	/* Written as JSON with -o, then accepted by check there. */
	snprintf(args, sizeof(args), "clamp --profile cortex-a53.json --json -o %s/c.json "
		 "ID_AA64MMFR0_EL1=0xffffffffffffffff ID_AA64ISAR0_EL1=0xffffffffffffffff", dir);
	assert_int_equal(run(args), 0);
	expect(out_path, "\"kind\": \"change\"");
	snprintf(args, sizeof(args), "%s/c.json", dir);
	expect(args, "kvm-safe-rules-config/v1");
	snprintf(args, sizeof(args), "check --profile cortex-a53.json --config %s/c.json", dir);
	assert_int_equal(run(args), 0);
}

static void test_baseline(void **state)
{
	json_object *o, *findings, *v;
	bool fp = false;
	char args[256];

	(void)state;
	assert_int_equal(run("baseline max.json cortex-a53.json cortex-a57.json cortex-a72.json cortex-a76.json "
			     "neoverse-n1.json a64fx.json"), 1);
	expect(out_path, "blocker: ID_AA64PFR0_EL1.FP (bits 19:16)");
	expect(out_path, "blocker: ID_AA64PFR0_EL1.AdvSIMD");
	expect(out_path, "blocker: CTR_EL0.");
	expect(out_path, "no baseline:");
	assert_int_equal(run("baseline --json max.json cortex-a57.json"), 1);
	o = out_json();
	assert_true(json_object_object_get_ex(o, "configuration", &v) && !v);
	assert_true(json_object_object_get_ex(o, "findings", &findings));
	for (size_t i = 0; i < json_object_array_length(findings); i++) {
		json_object *f = json_object_array_get_idx(findings, i), *k, *field, *p;

		json_object_object_get_ex(f, "kind", &k);
		if (strcmp(json_object_get_string(k), "blocker"))
			continue;
		json_object_object_get_ex(f, "field", &field);
		if (field && !strcmp(json_object_get_string(field), "FP")) {
			fp = true;
			assert_true(json_object_object_get_ex(f, "encoding", &v));
			assert_true(json_object_object_get_ex(f, "shift", &v) && json_object_get_int(v) == 16);
			assert_true(json_object_object_get_ex(f, "width", &v) && json_object_get_int(v) == 4);
			assert_true(json_object_object_get_ex(f, "mask", &v));
			assert_string_equal(json_object_get_string(v), "0x00000000000f0000");
			assert_true(json_object_object_get_ex(f, "profiles", &p));
			assert_int_equal(json_object_array_length(p), 2);
		}
	}
	assert_true(fp);
	json_object_put(o);
	assert_int_equal(run("baseline cortex-a53.json cortex-a57.json"), 1);
	expect(out_path, "blocker: CTR_EL0.L1Ip");
	/* A pair with a baseline: written, then accepted by both. */
	snprintf(args, sizeof(args), "baseline cortex-a57.json cortex-a72.json -o %s/b.txt", dir);
	assert_int_equal(run(args), 0);
	expect(out_path, "ID_MMFR0_EL1.AuxReg = 1, limited by cortex-a57.json");
	snprintf(args, sizeof(args), "check --profile cortex-a72.json --config %s/b.txt", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "check --profile cortex-a57.json --config %s/b.txt", dir);
	assert_int_equal(run(args), 0);
	assert_int_equal(run("baseline"), 2);
	assert_int_equal(run("baseline max.json /nonexistent.json"), 2);
	expect(err_path, "/nonexistent.json: No such file");
}

static void test_migrate_and_diff(void **state)
{
	char args[256];

	(void)state;
	assert_int_equal(run("migrate-check --from max.json --to max.json --both-ways"), 0);
	expect(out_path, "max.json -> max.json: ok");
	assert_int_equal(run("migrate-check --from cortex-a57.json --to cortex-a53.json --both-ways"), 1);
	expect(out_path, "blocker: CTR_EL0.L1Ip: guest 3, cortex-a53.json default 2");
	expect(out_path, "cortex-a53.json -> cortex-a57.json: blocked");
	assert_int_equal(run("migrate-check --json --from cortex-a57.json --to cortex-a72.json"), 0);
	json_object_put(out_json());
	/* With a configuration --to refuses, the way back is not checked (and not an error). */
	snprintf(args, sizeof(args), "baseline cortex-a72.json -o %s/a72.conf", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "migrate-check --from cortex-a72.json --to cortex-a57.json "
		 "--both-ways --config %s/a72.conf", dir);
	assert_int_equal(run(args), 1);
	expect(out_path, "cortex-a72.json -> cortex-a57.json: blocked");
	expect(out_path, "cortex-a57.json -> cortex-a72.json: not checked");
	snprintf(args, sizeof(args), "migrate-check --json --from cortex-a72.json --to cortex-a57.json "
		 "--both-ways --config %s/a72.conf", dir);
	assert_int_equal(run(args), 1);
	json_object_put(out_json());
	assert_int_equal(run("migrate-check --from max.json"), 2);
	assert_int_equal(run("diff max.json max.json"), 0);
	expect(out_path, "0 differences");
	assert_int_equal(run("diff cortex-a57.json cortex-a53.json"), 1);
	expect(out_path, "CTR_EL0.L1Ip default: 3 -> 2");
	assert_int_equal(run("diff --json cortex-a57.json cortex-a53.json"), 1);
	json_object_put(out_json());
	assert_int_equal(run("diff max.json"), 2);
}

/*
 * --both-ways with a configuration both profiles accept, where the way out
 * blocks on a default the configuration does not set: the way back is
 * checked all the same (--to runs the configuration), in text and JSON.
 */
static void test_migrate_both_ways_config(void **state)
{
	char args[256];
	json_object *root, *checks, *back, *v;

	(void)state;
	snprintf(args, sizeof(args), "%s/m.cfg", dir);
	{
		FILE *f = fopen(args, "w");

		assert_non_null(f);
		fputs("ID_AA64ISAR0_EL1 0x11120\n", f);
		assert_int_equal(fclose(f), 0);
	}
	snprintf(args, sizeof(args), "check --profile cortex-a57.json --config %s/m.cfg", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "check --profile cortex-a72.json --config %s/m.cfg", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "migrate-check --from cortex-a72.json --to cortex-a57.json "
		 "--both-ways --config %s/m.cfg", dir);
	assert_int_equal(run(args), 1);
	expect(out_path, "cortex-a72.json -> cortex-a57.json: blocked");
	expect(out_path, "blocker: ID_MMFR0_EL1.AuxReg");
	expect(out_path, "cortex-a57.json -> cortex-a72.json: ok");
	snprintf(args, sizeof(args), "migrate-check --json --from cortex-a72.json --to cortex-a57.json "
		 "--both-ways --config %s/m.cfg", dir);
	assert_int_equal(run(args), 1);
	root = out_json();
	assert_true(json_object_object_get_ex(root, "checks", &checks));
	assert_int_equal(json_object_array_length(checks), 2);
	back = json_object_array_get_idx(checks, 1);
	assert_false(json_object_object_get_ex(back, "skipped", &v));
	assert_true(json_object_object_get_ex(back, "ok", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(root);
}

/*
 * compare on every pair of fixtures: the answer the library gives
 * (ksr_compare()) as the first line and the exit status (0 identical,
 * 4 superset, 5 subset, 1 incompatible), each blocking field listed, and
 * a configuration one side refuses named with the side.
 */
static void test_compare(void **state)
{
	static const int status[] = {
		[KSR_COMPARISON_IDENTICAL] = 0, [KSR_COMPARISON_SUPERSET] = 4,
		[KSR_COMPARISON_SUBSET] = 5, [KSR_COMPARISON_INCOMPATIBLE] = 1,
	};
	struct ksr_rules *rules[16];
	char args[1024], want[256], err[256];
	size_t n;
	glob_t g;

	(void)state;
	n = load_all(rules, &g);
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			enum ksr_comparison c;
			struct ksr_report *rep;
			struct ksr_finding f = { .size = sizeof(f) };

			assert_int_equal(ksr_compare(rules[a], rules[b], NULL, &rep, err, sizeof(err)), 0);
			c = ksr_report_comparison(rep);
			snprintf(args, sizeof(args), "compare %s %s", g.gl_pathv[a], g.gl_pathv[b]);
			assert_int_equal(run(args), status[c]);
			snprintf(want, sizeof(want), "%s\n", ksr_comparison_name(c));
			expect(out_path, want);
			for (unsigned int i = 0; !ksr_report_get(rep, i, &f); i++) {
				if (f.kind != KSR_FINDING_COMPARE || !f.blocks || !f.field_name)
					continue;
				snprintf(want, sizeof(want), "  %s.%s: A ", f.reg_name, f.field_name);
				expect(out_path, want);
			}
			ksr_report_free(rep);
		}
	}
	free_all(rules, n, &g);
	/* max's own ID_AA64ISAR0_EL1: the cortex-a57 (A) refuses it, named */
	assert_int_equal(run("compare max.json cortex-a57.json ID_AA64PFR0_EL1=0x1"), 2);
	expect(err_path, "compare: give two profiles, A and B");
	snprintf(args, sizeof(args), "clamp --profile max.json ID_AA64ISAR0_EL1=0x1221111110212120 -o %s/c.txt", dir);
	assert_int_equal(run(args), 0);
	snprintf(args, sizeof(args), "compare cortex-a57.json max.json --config %s/c.txt --json", dir);
	assert_int_equal(run(args), 1);
	expect(out_path, "\"blocks\": \"rejected-by-a\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_migrate_and_diff),
		cmocka_unit_test(test_migrate_both_ways_config),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests_name("cli-ops", tests, setup, teardown);
}
