// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and looking up scale as n log n, not n^2: profiles of many
 * registers (a register's encoding and name found by binary search,
 * duplicates found on sorted indexes), configurations of many lines in any
 * order, diff, baseline and check over them. Timed (CPU time of the
 * process) at n and at 8n: the larger must take less than 24 times as long
 * (n log n: about 9.5; n^2: 64), and less than a generous bound.
 */
#include <errno.h>
#include <time.h>

#include "unit.h"

/* An order of the 65536 encodings that is not encoding order (odd multiplier). */
static uint32_t nth_key(unsigned int i)
{
	return (i * 40503u + 12345u) & 0xffff;
}

static char *profile_text(unsigned int n, size_t *len)
{
	size_t cap = 256 + (size_t)n * 400, at;
	char *t = malloc(cap);

	assert_non_null(t);
	at = (size_t)sprintf(t, "{\"schema\": \"kvm-safe-rules/v1\", \"kernel\": \"k\", \"source\": \"gen\", "
			     "\"vcpu_features\": [], \"registers\": [");
	for (unsigned int i = 0; i < n; i++) {
		struct ksr_encoding e = ksr_encoding_from_key(nth_key(i));

		at += (size_t)sprintf(t + at,
			"%s{\"name\": \"R%u\", \"encoding\": [%u, %u, %u, %u, %u], "
			"\"value\": \"0x0000000000000011\", \"writable_mask\": \"0x00000000000000ff\", "
			"\"unfielded_mask\": \"0x0000000000000000\", \"raz\": false, \"writes_ignored\": false, "
			"\"immutable\": false, \"fields\": [{\"name\": \"F\", \"shift\": 0, \"width\": 4, "
			"\"signed\": false, \"rule\": \"LOWER_SAFE\", \"safe_val\": 0, \"writable\": true}]}",
			i ? ", " : "", i, e.op0, e.op1, e.crn, e.crm, e.op2);
	}
	at += (size_t)sprintf(t + at, "]}");
	assert_true(at < cap);
	*len = at;
	return t;
}

/*
 * This process's CPU time: other work on the machine (a make test beside it,
 * the boots of the guest tests) does not count, as it does in wall time.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Everything that once went n^2, on n registers; seconds taken. */
static double run(unsigned int n)
{
	size_t len, clen = 0;
	char *text = profile_text(n, &len), *cfg_text = malloc((size_t)n * 32 + 1), err[512];
	struct ksr_rules *rules = NULL;
	struct ksr_config *cfg = NULL;
	struct ksr_report *rep = NULL;
	double t0 = now();

	assert_non_null(cfg_text);
	if (ksr_profile_parse(text, len, "big.json", &rules, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ksr_rules_nr_regs(rules), n);
	for (unsigned int i = 0; i < n; i++) {
		char name[16];
		const struct ksr_reg *reg;

		snprintf(name, sizeof(name), "R%u", i);
		reg = ksr_rules_find_reg(rules, name);
		assert_non_null(reg);
		assert_ptr_equal(ksr_rules_find_encoding(rules, ksr_encoding_from_key(nth_key(i))), reg);
	}
	/* Lines in reverse order of the registers: names, all of them. */
	for (unsigned int i = n; i-- > 0;)
		clen += (size_t)sprintf(cfg_text + clen, "R%u 0x1\n", i);
	if (ksr_config_parse(cfg_text, clen, "big.cfg", rules, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ksr_config_nr(cfg), n);
	assert_int_equal(ksr_check(rules, cfg, &rep, err, sizeof(err)), 0);
	ksr_report_free(rep);
	assert_int_equal(ksr_diff(rules, rules, &rep, err, sizeof(err)), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	{
		const struct ksr_rules *two[2] = { rules, rules };

		assert_int_equal(ksr_baseline(two, 2, &rep, err, sizeof(err)), 0);
		ksr_report_free(rep);
	}
	t0 = now() - t0;
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	free(cfg_text);
	free(text);
	return t0;
}

static void test_scales(void **state)
{
	double small = 1e9, large = 1e9;

	(void)state;
	/* the best of three of each: a busy machine slows a run, never speeds one */
	for (int i = 0; i < 3; i++) {
		double t = run(2048), u = run(16384);

		small = t < small ? t : small;
		large = u < large ? u : large;
	}
	print_message("# 2048 registers: %.3f s, 16384: %.3f s (x%.1f)\n", small, large, large / small);
	assert_true(large < 20.0);
	/* A small run too quick to time says nothing: compare with a floor. */
	if (large > 24 * (small > 0.005 ? small : 0.005))
		fail_msg("8 times the registers took %.1f times as long", large / small);
}

/* A profile with a register twice: found through the indexes, the later one named. */
static void test_duplicates_in_a_large_profile(void **state)
{
	size_t len;
	char *text = profile_text(8192, &len), err[512], *at;
	struct ksr_rules *rules = NULL;

	(void)state;
	/* R8000 takes R5's name. */
	at = strstr(text, "\"R8000\"");
	assert_non_null(at);
	memcpy(at, "\"R5\"   ", 7);
	memmove(at + 4, at + 7, len - (size_t)(at + 7 - text) + 1);
	len -= 3;
	assert_int_equal(ksr_profile_parse(text, len, "big.json", &rules, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "big.json: registers[8000]: duplicate register: the name of registers[5]");
	assert_null(rules);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scales),
		cmocka_unit_test(test_duplicates_in_a_large_profile),
	};

	return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
