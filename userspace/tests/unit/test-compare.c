// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_compare(): on every pair of fixtures (each with itself too) the
 * answer is the one ksr_migrate_check() gives both ways (A's model runs on
 * B when migrate-check from A to B passes), compare(B, A) is compare(A, B)
 * the other way round, every register whose models differ has a finding
 * and every blocking finding a blocker of migrate-check on the same
 * register; configurations both sides accept, and one a side refuses; the
 * firmware registers; the size-versioned finding.
 */
#include <errno.h>
#include <inttypes.h>

#include "unit.h"

#define WA1 0x6030000000140001ull

static struct ksr_report *compare(const struct ksr_rules *a, const struct ksr_config *cfg_a,
				  const struct ksr_rules *b, const struct ksr_config *cfg_b)
{
	struct ksr_report *rep = NULL;
	char err[512];

	if (ksr_compare_configs(a, cfg_a, b, cfg_b, &rep, err, sizeof(err)))
		fail_msg("%s", err);
	assert_non_null(rep);
	return rep;
}

/* Does migrate-check from `from` (with cfg) to `to` pass? -1: cfg refused on `from`. */
static int migrates(const struct ksr_rules *from, const struct ksr_config *cfg,
		    const struct ksr_rules *to)
{
	struct ksr_report *rep;
	int ret = ksr_migrate_check(from, to, cfg, &rep, NULL, 0);

	if (ret == -EINVAL || ret == -ENOENT)
		return -1;
	assert_int_equal(ret, 0);
	ret = ksr_report_ok(rep);
	ksr_report_free(rep);
	return ret;
}

/* The answer migrate-check gives both ways. */
static enum ksr_comparison expected(const struct ksr_rules *a, const struct ksr_config *cfg_a,
				    const struct ksr_rules *b, const struct ksr_config *cfg_b)
{
	int a_on_b = migrates(a, cfg_a, b), b_on_a = migrates(b, cfg_b, a);

	if (a_on_b < 0 || b_on_a < 0 || (!a_on_b && !b_on_a))
		return KSR_COMPARISON_INCOMPATIBLE;
	if (a_on_b && b_on_a)
		return KSR_COMPARISON_IDENTICAL;
	return b_on_a ? KSR_COMPARISON_SUPERSET : KSR_COMPARISON_SUBSET;
}

static enum ksr_comparison reversed(enum ksr_comparison c)
{
	return c == KSR_COMPARISON_SUPERSET ? KSR_COMPARISON_SUBSET :
	       c == KSR_COMPARISON_SUBSET ? KSR_COMPARISON_SUPERSET : c;
}

/* Does migrate-check from `from` to `to` report a blocker of register id? */
static bool blocker_on(const struct ksr_rules *from, const struct ksr_config *cfg,
		       const struct ksr_rules *to, uint64_t id)
{
	struct ksr_report *rep;
	bool found = false;

	assert_int_equal(ksr_migrate_check(from, to, cfg, &rep, NULL, 0), 0);
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		found |= f.kind == KSR_FINDING_BLOCKER && f.reg_id == id;
	}
	ksr_report_free(rep);
	return found;
}

/* The first finding about register id with a blocks bit (any: ~0u), or -1. */
static int finding_on(const struct ksr_report *rep, uint64_t id, unsigned int blocks)
{
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.reg_id == id && (blocks == ~0u || (f.blocks & blocks)))
			return (int)i;
	}
	return -1;
}

/*
 * The report of compare(a, b) (no configuration, both having the same
 * registers) against migrate-check, register by register, and its
 * findings against the defaults.
 */
static void check_pair(const struct ksr_rules *a, const struct ksr_rules *b, unsigned int *blocking)
{
	struct ksr_report *rep = compare(a, NULL, b, NULL), *back = compare(b, NULL, a, NULL);
	enum ksr_comparison c = ksr_report_comparison(rep);

	assert_int_equal(c, expected(a, NULL, b, NULL));
	assert_int_equal(ksr_report_comparison(back), reversed(c));
	assert_int_equal(ksr_report_ok(rep), c == KSR_COMPARISON_IDENTICAL);
	assert_null(ksr_report_config(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);
		const struct ksr_reg *ra = ksr_rules_find_id(a, f.reg_id), *rb = ksr_rules_find_id(b, f.reg_id);

		assert_int_equal(f.kind, KSR_FINDING_COMPARE);
		assert_null(f.what);
		assert_non_null(ra);
		assert_non_null(rb);
		/* Responsible: it blocks, or the models differ there */
		assert_true(f.blocks || f.value != f.result);
		assert_int_equal(f.ok, !f.blocks);
		assert_int_equal(f.nr_profiles, 2);
		assert_int_equal(f.profile_values[0], f.value);
		assert_int_equal(f.profile_values[1], f.result);
		if (f.is_field) {
			assert_int_equal(f.value, (ra->limit & f.mask) >> f.shift);
			assert_int_equal(f.result, (rb->limit & f.mask) >> f.shift);
			assert_non_null(f.profile_allowed[0]);
			assert_non_null(f.profile_allowed[1]);
			/* A's bits blocked on B: B does not accept them, and the other way */
			assert_int_equal(ksr_values_contains(f.profile_allowed[1],
							     ksr_bits_order(f.value, f.width, f.is_signed)),
					 !(f.blocks & KSR_COMPARE_BLOCKS_A_ON_B));
			assert_int_equal(ksr_values_contains(f.profile_allowed[0],
							     ksr_bits_order(f.result, f.width, f.is_signed)),
					 !(f.blocks & KSR_COMPARE_BLOCKS_B_ON_A));
		}
		/* Each blocking finding is a blocker of migrate-check that way */
		if (f.blocks & KSR_COMPARE_BLOCKS_A_ON_B)
			assert_true(blocker_on(a, NULL, b, f.reg_id));
		if (f.blocks & KSR_COMPARE_BLOCKS_B_ON_A)
			assert_true(blocker_on(b, NULL, a, f.reg_id));
		*blocking += f.blocks != 0;
	}
	/* Every register whose defaults differ has a finding; each blocker of migrate-check one that blocks */
	for (unsigned int i = 0; i < ksr_rules_nr_regs(a); i++) {
		const struct ksr_reg *ra = ksr_rules_reg(a, i), *rb = ksr_rules_find_id(b, ksr_reg_id(ra));

		assert_non_null(rb);
		if (ra->limit != rb->limit)
			assert_true(finding_on(rep, ksr_reg_id(ra), ~0u) >= 0);
		if (blocker_on(a, NULL, b, ksr_reg_id(ra)))
			assert_true(finding_on(rep, ksr_reg_id(ra), KSR_COMPARE_BLOCKS_A_ON_B) >= 0);
		if (blocker_on(b, NULL, a, ksr_reg_id(ra)))
			assert_true(finding_on(rep, ksr_reg_id(ra), KSR_COMPARE_BLOCKS_B_ON_A) >= 0);
	}
	if (a == b) {
		assert_int_equal(c, KSR_COMPARISON_IDENTICAL);
		assert_int_equal(ksr_report_nr(rep), 0);
	}
	ksr_report_free(rep);
	ksr_report_free(back);
}

/* Calls fn on every ordered pair of fixtures, each with itself too. */
static void each_pair(void (*fn)(const struct ksr_rules *a, const struct ksr_rules *b, void *ctx),
		      void *ctx)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			fn(rules[a], rules[b], ctx);
	free_all(rules, n, &g);
}

struct seen {
	unsigned int blocking, answers[KSR_COMPARISON_INCOMPATIBLE + 1];
};

static void check_and_count(const struct ksr_rules *a, const struct ksr_rules *b, void *ctx)
{
	struct seen *seen = ctx;
	struct ksr_report *rep;

	check_pair(a, b, &seen->blocking);
	assert_int_equal(ksr_compare(a, b, NULL, &rep, NULL, 0), 0);
	seen->answers[ksr_report_comparison(rep)]++;
	ksr_report_free(rep);
}

static void test_every_pair(void **state)
{
	struct seen seen = { 0 };

	(void)state;
	each_pair(check_and_count, &seen);
	/* The fixtures have every answer (the checks above are not vacuous) */
	assert_true(seen.blocking > 0);
	assert_int_equal(seen.answers[KSR_COMPARISON_NONE], 0);
	for (unsigned int c = KSR_COMPARISON_IDENTICAL; c <= KSR_COMPARISON_INCOMPATIBLE; c++)
		assert_true(seen.answers[c] > 0);
}

/*
 * A configuration both accept, on a pair one of which runs on the other
 * only: every register that blocks set to the lower model's value (what
 * the other runs on) makes them identical, as migrate-check finds both
 * ways. *ctx counts such pairs.
 */
static void identical_with_config(const struct ksr_rules *a, const struct ksr_rules *b, void *ctx)
{
	struct ksr_report *rep = compare(a, NULL, b, NULL), *with;
	enum ksr_comparison c = ksr_report_comparison(rep);
	/* The side that runs on the other: its values, the lower ones */
	const struct ksr_rules *low = c == KSR_COMPARISON_SUBSET ? a : b;
	struct ksr_config *cfg;

	if (c != KSR_COMPARISON_SUBSET && c != KSR_COMPARISON_SUPERSET) {
		ksr_report_free(rep);
		return;
	}
	assert_int_equal(ksr_config_new(&cfg), 0);
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.blocks)
			assert_int_equal(ksr_config_set_id(cfg, f.reg_id,
							   ksr_rules_find_id(low, f.reg_id)->limit), 0);
	}
	with = compare(a, cfg, b, cfg);
	assert_int_equal(ksr_report_comparison(with), expected(a, cfg, b, cfg));
	assert_int_equal(ksr_report_comparison(with), KSR_COMPARISON_IDENTICAL);
	for (unsigned int i = 0; i < ksr_report_nr(with); i++)
		assert_int_equal(finding(with, i).blocks, 0);
	(*(unsigned int *)ctx)++;
	ksr_report_free(with);
	ksr_report_free(rep);
	ksr_config_free(cfg);
}

static void test_config_both_accept(void **state)
{
	unsigned int pairs = 0;

	(void)state;
	each_pair(identical_with_config, &pairs);
	assert_true(pairs > 0);
}

/*
 * Fields lowered on both sides, each over its own defaults (a Firecracker
 * template read once per side: ksr_compare_configs()): a superset made
 * identical by a template setting every field that blocks A on B to B's
 * value, which changes A and not B; migrate-check agrees both ways.
 */
static void test_fields_lowered_on_both(void **state)
{
	struct ksr_rules *a = model("neoverse-n1"), *b = model("cortex-a76");
	struct ksr_report *before = compare(a, NULL, b, NULL), *after;
	struct ksr_config *cfg_a, *cfg_b;
	char tpl[4096] = "{\"reg_modifiers\": [", bits[65];
	unsigned int lowered = 0;

	(void)state;
	assert_int_equal(ksr_report_comparison(before), KSR_COMPARISON_SUPERSET);
	/* One modifier per register, its blocking fields at B's bits, x elsewhere */
	for (unsigned int i = 0; i < ksr_rules_nr_regs(a); i++) {
		uint64_t id = ksr_reg_id(ksr_rules_reg(a, i));
		bool any = false;

		memset(bits, 'x', 64);
		bits[64] = '\0';
		for (unsigned int k = 0; k < ksr_report_nr(before); k++) {
			struct ksr_finding f = finding(before, k);

			if (f.reg_id != id || !(f.blocks & KSR_COMPARE_BLOCKS_A_ON_B))
				continue;
			assert_true(f.is_field);
			for (unsigned int bit = 0; bit < f.width; bit++)
				bits[63 - f.shift - bit] = (f.result >> bit & 1) ? '1' : '0';
			any = true;
			lowered++;
		}
		if (any)
			snprintf(tpl + strlen(tpl), sizeof(tpl) - strlen(tpl),
				 "%s{\"addr\": \"0x%016" PRIx64 "\", \"bitmap\": \"0b%s\"}",
				 tpl[strlen(tpl) - 1] == '[' ? "" : ", ", id, bits);
	}
	snprintf(tpl + strlen(tpl), sizeof(tpl) - strlen(tpl), "]}");
	assert_true(lowered > 1);
	cfg_a = parse_or_fail(tpl, a, KSR_CONFIG_FORMAT_FIRECRACKER);
	cfg_b = parse_or_fail(tpl, b, KSR_CONFIG_FORMAT_FIRECRACKER);
	after = compare(a, cfg_a, b, cfg_b);
	assert_int_equal(ksr_report_comparison(after), expected(a, cfg_a, b, cfg_b));
	assert_int_equal(ksr_report_comparison(after), KSR_COMPARISON_IDENTICAL);
	for (unsigned int k = 0; k < ksr_report_nr(after); k++)
		assert_int_equal(finding(after, k).blocks, 0);
	ksr_report_free(before);
	ksr_report_free(after);
	ksr_config_free(cfg_a);
	ksr_config_free(cfg_b);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

/*
 * A configuration one side refuses: incompatible, the findings the fields
 * ksr_check() refuses on that side (what "rejected-by-b", blocking both
 * ways); a register a side lacks.
 */
static void test_config_one_side_refuses(void **state)
{
	struct ksr_rules *a = model("neoverse-n1"), *b = model("cortex-a76");
	const struct ksr_reg *pfr1 = ksr_rules_find_reg(a, "ID_AA64PFR1_EL1");
	struct ksr_config *cfg;
	struct ksr_report *rep, *check;
	unsigned int refused = 0;

	(void)state;
	/* neoverse-n1's PFR1: its own default, above cortex-a76's */
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, ksr_reg_id(pfr1), pfr1->limit), 0);
	assert_int_equal(expected(a, cfg, b, cfg), KSR_COMPARISON_INCOMPATIBLE);
	rep = compare(a, cfg, b, cfg);
	assert_int_equal(ksr_report_comparison(rep), KSR_COMPARISON_INCOMPATIBLE);
	assert_false(ksr_report_ok(rep));
	assert_int_equal(ksr_check(b, cfg, &check, NULL, 0), 0);
	for (unsigned int i = 0; i < ksr_report_nr(check); i++) {
		struct ksr_finding c = finding(check, i);
		struct ksr_finding f;

		if (c.kind != KSR_FINDING_FIELD || c.ok)
			continue;
		/* The same part, in the same order */
		f = finding(rep, refused++);
		assert_int_equal(f.kind, KSR_FINDING_COMPARE);
		assert_string_equal(f.what, "rejected-by-b");
		assert_int_equal(f.blocks, KSR_COMPARE_BLOCKS_A_ON_B | KSR_COMPARE_BLOCKS_B_ON_A);
		assert_int_equal(f.reg_id, c.reg_id);
		assert_int_equal(f.mask, c.mask);
		assert_int_equal(f.value, c.value);
		assert_int_equal(f.result, c.result);
		assert_int_equal(f.reason, c.reason);
	}
	assert_true(refused > 0);
	assert_int_equal(ksr_report_nr(rep), refused);
	ksr_report_free(check);
	ksr_report_free(rep);

	/* The other way round: rejected by A */
	rep = compare(b, cfg, a, cfg);
	assert_int_equal(ksr_report_comparison(rep), KSR_COMPARISON_INCOMPATIBLE);
	assert_string_equal(finding(rep, 0).what, "rejected-by-a");
	ksr_report_free(rep);

	/* A register B lacks: in the configuration, rejected; without, it blocks A on B */
	drop_last_reg(b);
	assert_int_equal(ksr_config_set_id(cfg, ksr_reg_id(&a->regs[a->nr_regs - 1]),
					   a->regs[a->nr_regs - 1].limit), 0);
	rep = compare(a, cfg, b, cfg);
	assert_int_equal(ksr_report_comparison(rep), KSR_COMPARISON_INCOMPATIBLE);
	assert_true(finding_on(rep, ksr_reg_id(&a->regs[a->nr_regs - 1]), ~0u) >= 0);
	assert_int_equal(finding(rep, (unsigned int)finding_on(rep, ksr_reg_id(&a->regs[a->nr_regs - 1]),
							       ~0u)).missing, 1u << 1);
	ksr_report_free(rep);
	rep = compare(a, NULL, b, NULL);
	assert_int_equal(ksr_report_comparison(rep), expected(a, NULL, b, NULL));
	{
		int i = finding_on(rep, ksr_reg_id(&a->regs[a->nr_regs - 1]), KSR_COMPARE_BLOCKS_A_ON_B);
		struct ksr_finding f;

		assert_true(i >= 0);
		f = finding(rep, (unsigned int)i);
		assert_int_equal(f.missing, 1u << 1);
		assert_string_equal(f.why, "register-missing");
		assert_int_equal(f.blocks, KSR_COMPARE_BLOCKS_A_ON_B);
	}
	ksr_report_free(rep);
	ksr_config_free(cfg);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

static struct ksr_rules *fw(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/firmware/%s.json", KSR_FIXTURES, name);
	return load(path);
}

/* The firmware profiles: a value list compared whole, a bitmap bit by bit. */
static void test_firmware(void **state)
{
	struct ksr_rules *r[3] = { fw("a"), fw("b"), fw("c") };

	(void)state;
	for (unsigned int x = 0; x < 3; x++) {
		for (unsigned int y = 0; y < 3; y++) {
			struct ksr_report *rep = compare(r[x], NULL, r[y], NULL);

			assert_int_equal(ksr_report_comparison(rep), expected(r[x], NULL, r[y], NULL));
			for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
				struct ksr_finding f = finding(rep, i);
				const struct ksr_reg *reg = ksr_rules_find_id(r[x], f.reg_id);

				if (ksr_reg_is_value_list(reg)) {
					/* The whole register, and the values each side accepts */
					assert_false(f.is_field);
					assert_int_equal(f.mask, 0);
					assert_int_equal(f.value, reg->limit);
					assert_non_null(f.profile_allowed[0]);
					assert_non_null(f.profile_allowed[1]);
				} else if (ksr_reg_flags(reg) & KSR_REG_BITMAP) {
					assert_int_equal(f.reason, f.blocks ? KSR_NOT_OFFERED : 0);
				}
			}
			ksr_report_free(rep);
		}
	}
	/* a's WA1 default is refused by b, b's accepted by a: the whole register blocks A on B */
	{
		struct ksr_report *rep = compare(r[0], NULL, r[1], NULL);
		int i = finding_on(rep, WA1, ~0u);

		assert_true(i >= 0);
		assert_int_equal(finding(rep, (unsigned int)i).blocks, KSR_COMPARE_BLOCKS_A_ON_B);
		assert_string_equal(finding(rep, (unsigned int)i).why, "not-an-accepted-value");
		ksr_report_free(rep);
	}
	for (unsigned int x = 0; x < 3; x++)
		ksr_rules_free(r[x]);
}

/* What a comparison's report answers, and the finding of an older or newer caller's size. */
static void test_report_and_finding_sizes(void **state)
{
	struct ksr_rules *a = model("cortex-a57"), *b = model("cortex-a72");
	struct ksr_report *rep = compare(a, NULL, b, NULL), *check;
	struct ksr_config *cfg;
	struct {
		struct ksr_finding f;
		unsigned char tail[16];
	} big;
	union {
		struct ksr_finding f;
		unsigned char bytes[sizeof(struct ksr_finding)];
	} old;
	size_t old_size = offsetof(struct ksr_finding, blocks);

	(void)state;
	assert_string_equal(ksr_comparison_name(KSR_COMPARISON_IDENTICAL), "identical");
	assert_string_equal(ksr_comparison_name(KSR_COMPARISON_SUPERSET), "superset");
	assert_string_equal(ksr_comparison_name(KSR_COMPARISON_SUBSET), "subset");
	assert_string_equal(ksr_comparison_name(KSR_COMPARISON_INCOMPATIBLE), "incompatible");
	assert_null(ksr_comparison_name(KSR_COMPARISON_NONE));
	assert_null(ksr_comparison_name((enum ksr_comparison)99));
	/* Another operation's report is no comparison */
	assert_int_equal(ksr_config_from_defaults(a, &cfg), 0);
	assert_int_equal(ksr_check(a, cfg, &check, NULL, 0), 0);
	assert_int_equal(ksr_report_comparison(check), KSR_COMPARISON_NONE);
	ksr_report_free(check);
	ksr_config_free(cfg);

	assert_true(ksr_report_nr(rep) > 0);
	/* A caller built before blocks: up to reg_id, nothing written beyond */
	memset(&old, 0xa5, sizeof(old));
	old.f.size = old_size;
	assert_int_equal(ksr_report_get(rep, 0, &old.f), 0);
	assert_int_equal(old.f.size, old_size);
	assert_int_equal(old.f.kind, KSR_FINDING_COMPARE);
	assert_int_equal(old.f.reg_id, finding(rep, 0).reg_id);
	for (size_t k = old_size; k < sizeof(old); k++)
		assert_int_equal(old.bytes[k], 0xa5);
	/* A newer caller's: its tail zeroed */
	memset(&big, 0xa5, sizeof(big));
	big.f.size = sizeof(big);
	assert_int_equal(ksr_report_get(rep, 0, &big.f), 0);
	assert_int_equal(big.f.blocks, finding(rep, 0).blocks);
	assert_true(big.f.blocks != 0);
	for (size_t k = 0; k < sizeof(big.tail); k++)
		assert_int_equal(big.tail[k], 0);
	ksr_report_free(rep);

	/* Not the same kind of VM: an error, as for migrate-check */
	b->vcpu_features |= KSR_FEAT_SVE;
	assert_int_equal(ksr_compare(a, b, NULL, &rep, NULL, 0), -EINVAL);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_config_both_accept),
		cmocka_unit_test(test_fields_lowered_on_both),
		cmocka_unit_test(test_config_one_side_refuses),
		cmocka_unit_test(test_firmware),
		cmocka_unit_test(test_report_and_finding_sizes),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
