// SPDX-License-Identifier: GPL-2.0
/*
 * The predictor over the 7 fixture profiles, one test per reason (and per
 * accepting rule), expectations derived from each register's rules as the
 * profile states them and the predictor's documented order of checks:
 * aliases, minimums, immutability, RAZ, writable fields, other bits.
 * Reasons no captured VM exhibits (a zero default under
 * HIGHER_OR_ZERO_SAFE, a VM that has run, an unknown rule) are made by
 * changing one register of a loaded profile.
 */
#include <errno.h>
#include <pthread.h>

#include "unit.h"

/*
 * Calls rfn for each register and ffn for each field (either may be NULL)
 * of each fixture; they count what they checked in *n, which is returned.
 */
typedef void (*reg_fn)(const struct ksr_reg *reg, unsigned int *n);
typedef void (*field_fn)(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n);

static unsigned int each(reg_fn rfn, field_fn ffn)
{
	unsigned int n = 0;
	glob_t g;

	for (size_t p = 0, nr = fixture_paths(&g); p < nr; p++) {
		struct ksr_rules *rules = load(g.gl_pathv[p]);

		for (unsigned int i = 0; i < rules->nr_regs; i++) {
			if (rfn)
				rfn(&rules->regs[i], &n);
			for (unsigned int j = 0; ffn && j < rules->regs[i].nr_fields; j++)
				ffn(&rules->regs[i], &rules->regs[i].fields[j], &n);
		}
		ksr_rules_free(rules);
	}
	globfree(&g);
	return n;
}

/* A test that fn finds at least one register or field of the fixtures to check. */
#define REG_TEST(fn)						\
	static void test_##fn(void **state)			\
	{							\
		(void)state;					\
		assert_true(each(fn, NULL) > 0);		\
	}
#define FIELD_TEST(fn)						\
	static void test_##fn(void **state)			\
	{							\
		(void)state;					\
		assert_true(each(NULL, fn) > 0);		\
	}

static bool plain_reg(const struct ksr_reg *reg)
{
	return !(reg->flags & (KSR_REG_RAZ | KSR_REG_WRITES_IGNORED | KSR_REG_IMMUTABLE));
}

static bool plain_field(const struct ksr_field *f)
{
	return !(f->flags & (KSR_FIELD_MIN | KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST));
}

/* Exactly one fault, on f, for reason; nothing stored. */
static void expect_fault(const struct ksr_verdict *v, const struct ksr_field *f,
			 enum ksr_reason reason, int error)
{
	assert_false(v->accept);
	assert_int_equal(v->error, error);
	assert_int_equal(v->nr_faults, 1);
	assert_ptr_equal(v->faults[0].field, f);
	assert_int_equal(v->faults[0].reason, reason);
}

static void expect_accept(const struct ksr_verdict *v, uint64_t stored)
{
	assert_true(v->accept);
	assert_int_equal(v->error, 0);
	assert_int_equal(v->nr_faults, 0);
	assert_int_equal(v->stored, stored);
}

/* The default of every plain register is accepted as is. */
static void default_accepted(const struct ksr_reg *reg, unsigned int *n)
{
	struct ksr_verdict v;

	if (!plain_reg(reg))
		return;
	ksr_predict(reg, reg->limit, reg->limit, &v);
	expect_accept(&v, reg->limit);
	(*n)++;
}

REG_TEST(default_accepted)

/*
 * LOWER_SAFE and HIGHER_SAFE: one step past the default in the unsafe
 * direction is refused for the field (reason, its bits); one step the other
 * way, and the far end of the range, are stored.
 */
static void ordered(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n,
		    uint8_t type, bool lower, enum ksr_reason reason, const char *name)
{
	uint64_t d = field_raw(f, reg->limit), max = ksr_field_mask(f) >> f->shift;
	uint64_t bad = lower ? d + 1 : d - 1, good = lower ? d - 1 : d + 1, end = lower ? 0 : max;
	struct ksr_verdict v;

	if (!plain_reg(reg) || !plain_field(f) || f->type != type ||
	    !(f->flags & KSR_FIELD_WRITABLE) || (f->flags & KSR_FIELD_SIGNED))
		return;
	if (d != (lower ? max : 0)) {
		ksr_predict(reg, with_field(f, reg->limit, bad), reg->limit, &v);
		expect_fault(&v, f, reason, -EINVAL);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), name);
		assert_int_equal(v.faults[0].bits, ksr_field_mask(f));
		(*n)++;
	}
	if (d != end) {
		ksr_predict(reg, with_field(f, reg->limit, good), reg->limit, &v);
		expect_accept(&v, with_field(f, reg->limit, good));
		ksr_predict(reg, with_field(f, reg->limit, end), reg->limit, &v);
		expect_accept(&v, with_field(f, reg->limit, end));
	}
}

static void lower_safe(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	ordered(reg, f, n, KSR_RULE_LOWER_SAFE, true, KSR_ABOVE_LIMIT, "above-default");
}

static void higher_safe(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	ordered(reg, f, n, KSR_RULE_HIGHER_SAFE, false, KSR_BELOW_LIMIT, "below-default");
}

FIELD_TEST(lower_safe)

FIELD_TEST(higher_safe)

/* Signed LOWER_SAFE: all ones is -1, below any default >= 0. */
static void signed_lower_safe(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	struct ksr_verdict v;
	uint64_t max_pos = (ksr_field_mask(f) >> f->shift) >> 1;

	if (!plain_reg(reg) || !plain_field(f) || f->type != KSR_RULE_LOWER_SAFE ||
	    !(f->flags & KSR_FIELD_WRITABLE) || !(f->flags & KSR_FIELD_SIGNED) ||
	    ksr_field_get(f, reg->limit) < 0)
		return;
	ksr_predict(reg, reg->limit | ksr_field_mask(f), reg->limit, &v);
	expect_accept(&v, reg->limit | ksr_field_mask(f));
	if ((uint64_t)ksr_field_get(f, reg->limit) < max_pos) {
		ksr_predict(reg, with_field(f, reg->limit, max_pos), reg->limit, &v);
		expect_fault(&v, f, KSR_ABOVE_LIMIT, -EINVAL);
	}
	(*n)++;
}

FIELD_TEST(signed_lower_safe)

/* EXACT: only the default or the safe value. */
static void exact(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	uint64_t d = field_raw(f, reg->limit), max = ksr_field_mask(f) >> f->shift;
	struct ksr_verdict v;

	if (!plain_reg(reg) || !plain_field(f) || f->type != KSR_RULE_EXACT ||
	    !(f->flags & KSR_FIELD_WRITABLE) || (f->flags & KSR_FIELD_SIGNED))
		return;
	for (uint64_t x = 0; x <= max && x < 64; x++) {
		ksr_predict(reg, with_field(f, reg->limit, x), reg->limit, &v);
		if (x == d || x == f->safe_val) {
			expect_accept(&v, with_field(f, reg->limit, x));
		} else {
			expect_fault(&v, f, KSR_NOT_SAFE_VAL, -EINVAL);
			assert_string_equal(ksr_reason_name(v.faults[0].reason),
					    "not-default-or-safe-value");
			(*n)++;
		}
	}
}

FIELD_TEST(exact)

/* A field that is not writable must keep its default, bit by bit. */
static void not_writable(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	struct ksr_verdict v;

	if (!plain_reg(reg) || !plain_field(f) || (f->flags & KSR_FIELD_WRITABLE))
		return;
	for (unsigned int b = f->shift; b < f->shift + f->width; b++) {
		ksr_predict(reg, reg->limit ^ (1ull << b), reg->limit, &v);
		expect_fault(&v, f, KSR_NOT_WRITABLE, -EINVAL);
		assert_int_equal(v.faults[0].bits, 1ull << b);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), "not-writable");
		(*n)++;
	}
}

FIELD_TEST(not_writable)

/* Minimums: below is refused before any other check; 0 with min_or_zero passes them. */
static void minimum(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	struct ksr_verdict v;

	if (!plain_reg(reg) || !(f->flags & KSR_FIELD_MIN) || f->min_val == 0)
		return;
	for (uint64_t x = 0; x < f->min_val; x++) {
		uint64_t value = with_field(f, reg->limit, x);

		if ((f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST)) && x == f->alias_from)
			continue;
		ksr_predict(reg, value, reg->limit, &v);
		if (x == 0 && (f->flags & KSR_FIELD_MIN_OR_ZERO)) {
			for (unsigned int i = 0; i < v.nr_faults; i++)
				assert_int_not_equal(v.faults[i].reason, KSR_BELOW_MIN);
			continue;
		}
		expect_fault(&v, f, KSR_BELOW_MIN, -EINVAL);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), "below-minimum");
		(*n)++;
	}
}

FIELD_TEST(minimum)

/* An alias: writing "from" is writing "to". */
static void alias(const struct ksr_reg *reg, const struct ksr_field *f, unsigned int *n)
{
	struct ksr_verdict a, b;
	uint64_t from;

	if (!plain_reg(reg) || !(f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST)))
		return;
	from = with_field(f, reg->limit, f->alias_from);
	ksr_predict(reg, from, reg->limit, &a);
	ksr_predict(reg, with_field(f, reg->limit, f->alias_to), reg->limit, &b);
	assert_int_equal(a.accept, b.accept);
	assert_int_equal(a.error, b.error);
	assert_int_equal(a.stored, b.stored);
	assert_int_equal(a.nr_faults, b.nr_faults);
	if (a.accept)
		assert_int_equal(field_raw(f, a.stored), f->alias_to);
	(*n)++;
}

FIELD_TEST(alias)

/* A write-ignored register takes anything and keeps its current value. */
static void writes_ignored(const struct ksr_reg *reg, unsigned int *n)
{
	struct ksr_verdict v;

	if (!(reg->flags & KSR_REG_WRITES_IGNORED))
		return;
	ksr_predict(reg, 0x5555aaaa5555aaaaull, 0x1234, &v);
	expect_accept(&v, 0x1234);
	(*n)++;
}

REG_TEST(writes_ignored)

/* A RAZ register takes only 0; any bit set is named. */
static void raz(const struct ksr_reg *reg, unsigned int *n)
{
	struct ksr_verdict v;

	if ((reg->flags & KSR_REG_WRITES_IGNORED) || !(reg->flags & KSR_REG_RAZ))
		return;
	ksr_predict(reg, 0, reg->limit, &v);
	expect_accept(&v, 0);
	for (unsigned int b = 0; b < 64; b++) {
		ksr_predict(reg, 1ull << b, reg->limit, &v);
		expect_fault(&v, NULL, KSR_RAZ, -EINVAL);
		assert_int_equal(v.faults[0].bits, 1ull << b);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), "register-is-raz");
	}
	(*n)++;
}

REG_TEST(raz)

/*
 * A firmware register's other bits: a bit a bitmap does not offer is
 * refused (not-offered, that bit); a value a value list does not have is
 * refused whole (not-an-accepted-value), one it has is stored as it reads back.
 */
static void firmware_bit(const struct ksr_reg *reg, unsigned int b)
{
	uint64_t value = reg->limit ^ (1ull << b), listed, reads_back;
	struct ksr_verdict v;

	ksr_predict(reg, value, reg->limit, &v);
	if (reg->flags & KSR_REG_BITMAP) {
		expect_fault(&v, NULL, KSR_NOT_OFFERED, -EINVAL);
		assert_int_equal(v.faults[0].bits, 1ull << b);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), "not-offered");
		return;
	}
	for (unsigned int i = 0; !ksr_reg_value(reg, i, &listed, &reads_back); i++) {
		if (listed == value) {
			expect_accept(&v, reads_back);
			return;
		}
	}
	expect_fault(&v, NULL, KSR_NOT_LISTED, -EINVAL);
	assert_int_equal(v.faults[0].bits, value);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "not-an-accepted-value");
}

/* Bits in no field must keep the default; each is named by its bits (a firmware register: as above). */
static void bits_outside_fields(const struct ksr_reg *reg, unsigned int *n)
{
	uint64_t fields = 0;
	struct ksr_verdict v;

	if (!plain_reg(reg))
		return;
	for (unsigned int j = 0; j < reg->nr_fields; j++)
		fields |= ksr_field_mask(&reg->fields[j]);
	for (unsigned int b = 0; b < 64; b++) {
		if (fields & (1ull << b))
			continue;
		if (ksr_reg_kind(reg) == KSR_REG_KIND_FIRMWARE) {
			firmware_bit(reg, b);
			(*n)++;
			continue;
		}
		ksr_predict(reg, reg->limit ^ (1ull << b), reg->limit, &v);
		expect_fault(&v, NULL, KSR_UNFIELDED, -EINVAL);
		assert_int_equal(v.faults[0].bits, 1ull << b);
		assert_string_equal(ksr_reason_name(v.faults[0].reason), "bits-outside-fields");
		(*n)++;
	}
}

REG_TEST(bits_outside_fields)

/* The first plain register of max.json with a field matching want. */
static struct ksr_field *find(struct ksr_rules *rules, struct ksr_reg **reg,
			      bool (*want)(const struct ksr_field *f))
{
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		if (!plain_reg(&rules->regs[i]))
			continue;
		for (unsigned int j = 0; j < rules->regs[i].nr_fields; j++) {
			if (want(&rules->regs[i].fields[j])) {
				*reg = &rules->regs[i];
				return &rules->regs[i].fields[j];
			}
		}
	}
	fail_msg("max.json has no such field");
	return NULL;
}

static bool is_hoz(const struct ksr_field *f)
{
	return f->type == KSR_RULE_HIGHER_OR_ZERO_SAFE && plain_field(f);
}

static bool is_writable_lower_safe(const struct ksr_field *f)
{
	return f->type == KSR_RULE_LOWER_SAFE && (f->flags & KSR_FIELD_WRITABLE) && plain_field(f);
}

/* HIGHER_OR_ZERO_SAFE: 0 always; with a default of 0, nothing else. */
static void test_higher_or_zero(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_reg *reg = NULL;
	struct ksr_field *f = find(rules, &reg, is_hoz);
	uint64_t max = ksr_field_mask(f) >> f->shift;
	struct ksr_verdict v;

	(void)state;
	f->flags |= KSR_FIELD_WRITABLE;
	f->flags &= ~KSR_FIELD_SIGNED;
	reg->limit = with_field(f, reg->limit, 0);
	ksr_predict(reg, with_field(f, reg->limit, 1), reg->limit, &v);
	expect_fault(&v, f, KSR_ZERO_LIMIT, -EINVAL);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "default-is-zero");

	reg->limit = with_field(f, reg->limit, 2);
	ksr_predict(reg, with_field(f, reg->limit, 0), reg->limit, &v);
	expect_accept(&v, with_field(f, reg->limit, 0));
	ksr_predict(reg, with_field(f, reg->limit, 1), reg->limit, &v);
	expect_fault(&v, f, KSR_BELOW_LIMIT, -EINVAL);
	ksr_predict(reg, with_field(f, reg->limit, max), reg->limit, &v);
	expect_accept(&v, with_field(f, reg->limit, max));
	ksr_rules_free(rules);
}

/* Once the VM has run: the current value only, else -EBUSY. */
static void test_immutable(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_reg *reg = NULL;
	struct ksr_field *f = find(rules, &reg, is_writable_lower_safe);
	uint64_t current = with_field(f, reg->limit, 0);
	struct ksr_verdict v;

	(void)state;
	reg->flags |= KSR_REG_IMMUTABLE;
	ksr_predict(reg, current, current, &v);
	expect_accept(&v, current);
	/* The default itself, safe before the VM ran, is now refused. */
	ksr_predict(reg, reg->limit, current, &v);
	expect_fault(&v, NULL, KSR_IMMUTABLE, -EBUSY);
	assert_int_equal(v.faults[0].bits, reg->limit ^ current);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "vm-has-run");
	ksr_rules_free(rules);
}

/* A rule type the library does not know refuses any change of the field. */
static void test_unknown_rule(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_reg *reg = NULL;
	struct ksr_field *f = find(rules, &reg, is_writable_lower_safe);
	struct ksr_verdict v;

	(void)state;
	f->type = KSR_RULE_UNKNOWN;
	ksr_predict(reg, reg->limit, reg->limit, &v);
	expect_accept(&v, reg->limit);
	ksr_predict(reg, reg->limit ^ (1ull << f->shift), reg->limit, &v);
	expect_fault(&v, f, KSR_UNKNOWN_RULE, -EINVAL);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "unknown-rule");
	ksr_rules_free(rules);
}

/*
 * A field or register KVM marks as one to probe: only the default is
 * predicted accepted, even a value its rule would allow.
 */
static void test_probe(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_reg *reg = NULL;
	struct ksr_field *f = find(rules, &reg, is_writable_lower_safe);
	uint64_t lower = with_field(f, reg->limit, 0);
	struct ksr_verdict v;

	(void)state;
	assert_int_not_equal(lower, reg->limit);
	ksr_predict(reg, lower, reg->limit, &v);
	expect_accept(&v, lower);

	f->flags |= KSR_FIELD_PROBE;
	ksr_predict(reg, reg->limit, reg->limit, &v);
	expect_accept(&v, reg->limit);
	ksr_predict(reg, lower, reg->limit, &v);
	expect_fault(&v, f, KSR_PROBE, -EINVAL);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "rule-to-probe");

	f->flags &= ~KSR_FIELD_PROBE;
	reg->flags |= KSR_REG_PROBE;
	ksr_predict(reg, reg->limit, reg->limit, &v);
	expect_accept(&v, reg->limit);
	ksr_predict(reg, lower, reg->limit, &v);
	expect_fault(&v, NULL, KSR_PROBE, -EINVAL);
	ksr_rules_free(rules);
}

/*
 * A learned field (probing): its accepted values decide, not its rule, and
 * an alias is checked on the value written; a learned field outside the
 * writable mask is decided by its values too.
 */
static void test_learned(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_reg *reg = NULL;
	struct ksr_field *f = find(rules, &reg, is_writable_lower_safe);
	uint64_t d = (reg->limit & ksr_field_mask(f)) >> f->shift;
	uint64_t other = d ? 0 : 1;	/* a value the rule gives or not: it does not matter */
	struct ksr_verdict v;

	(void)state;
	f->flags |= KSR_FIELD_LEARNED;
	f->accepted = (uint16_t)(1u << d | 1u << 15);
	ksr_predict(reg, reg->limit, reg->limit, &v);
	expect_accept(&v, reg->limit);
	ksr_predict(reg, with_field(f, reg->limit, other), reg->limit, &v);
	expect_fault(&v, f, KSR_PROBED_REFUSED, -EINVAL);
	assert_string_equal(ksr_reason_name(v.faults[0].reason), "refused-when-probed");
	ksr_predict(reg, with_field(f, reg->limit, 15), reg->limit, &v);
	expect_accept(&v, with_field(f, reg->limit, 15));

	/* 15 read back as the default: accepted, stored as the default */
	f->flags |= KSR_FIELD_ALIAS;
	f->alias_from = 15;
	f->alias_to = d;
	ksr_predict(reg, with_field(f, reg->limit, 15), reg->limit, &v);
	expect_accept(&v, reg->limit);

	f->flags &= ~(KSR_FIELD_WRITABLE | KSR_FIELD_ALIAS);
	ksr_predict(reg, with_field(f, reg->limit, 15), reg->limit, &v);
	expect_accept(&v, with_field(f, reg->limit, 15));
	ksr_predict(reg, with_field(f, reg->limit, other), reg->limit, &v);
	expect_fault(&v, f, KSR_PROBED_REFUSED, -EINVAL);
	ksr_rules_free(rules);
}

/* Faults add up: two bad fields, two faults, in field order. */
static void test_several_faults(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	unsigned int checked = 0;

	(void)state;
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		const struct ksr_reg *reg = &rules->regs[i];
		const struct ksr_field *a = NULL, *b = NULL;
		struct ksr_verdict v;

		if (!plain_reg(reg))
			continue;
		for (unsigned int j = 0; j < reg->nr_fields && !b; j++) {
			const struct ksr_field *f = &reg->fields[j];

			if (!plain_field(f) || (f->flags & KSR_FIELD_WRITABLE))
				continue;
			if (!a)
				a = f;
			else
				b = f;
		}
		if (!b)
			continue;
		ksr_predict(reg, reg->limit ^ (1ull << a->shift) ^ (1ull << b->shift), reg->limit, &v);
		assert_false(v.accept);
		assert_int_equal(v.nr_faults, 2);
		assert_ptr_equal(v.faults[0].field, a);
		assert_ptr_equal(v.faults[1].field, b);
		checked++;
	}
	assert_true(checked > 0);
	ksr_rules_free(rules);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(ksr_reason_name(0), "unknown");
	assert_string_equal(ksr_reason_name((enum ksr_reason)(KSR_NOT_LISTED + 1)), "unknown");
	assert_string_equal(ksr_reason_name(KSR_NOT_OFFERED), "not-offered");
	assert_string_equal(ksr_reason_name(KSR_NOT_LISTED), "not-an-accepted-value");
	for (int a = KSR_ABOVE_LIMIT; a <= KSR_NOT_LISTED; a++) {
		assert_string_not_equal(ksr_reason_name(a), "unknown");
		for (int b = KSR_ABOVE_LIMIT; b < a; b++)
			assert_string_not_equal(ksr_reason_name(a), ksr_reason_name(b));
	}
}

/* Concurrent readers of the same rules get the same verdicts as one reader. */
struct reader_arg {
	const struct ksr_rules *rules;
	uint64_t hash;
};

static void *predict_all(void *p)
{
	struct reader_arg *arg = p;
	uint64_t h = 1469598103934665603ull;

	for (unsigned int i = 0; i < arg->rules->nr_regs; i++) {
		const struct ksr_reg *reg = &arg->rules->regs[i];

		for (unsigned int b = 0; b < 64; b++) {
			struct ksr_verdict v;

			ksr_predict(reg, reg->limit ^ (1ull << b), reg->limit, &v);
			h = (h ^ (v.accept | (uint64_t)v.nr_faults << 1 | v.stored)) * 1099511628211ull;
		}
	}
	arg->hash = h;
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/neoverse-n1.json");
	struct reader_arg one = { rules, 0 }, many[4];
	pthread_t t[4];

	(void)state;
	predict_all(&one);
	for (int i = 0; i < 4; i++) {
		many[i] = (struct reader_arg){ rules, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, predict_all, &many[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(many[i].hash, one.hash);
	}
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_accepted),
		cmocka_unit_test(test_lower_safe),
		cmocka_unit_test(test_signed_lower_safe),
		cmocka_unit_test(test_higher_safe),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_not_writable),
		cmocka_unit_test(test_minimum),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_writes_ignored),
		cmocka_unit_test(test_raz),
		cmocka_unit_test(test_bits_outside_fields),
		cmocka_unit_test(test_higher_or_zero),
		cmocka_unit_test(test_immutable),
		cmocka_unit_test(test_unknown_rule),
		cmocka_unit_test(test_several_faults),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_learned),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_concurrent_readers),
	};

	return cmocka_run_group_tests_name("predict", tests, NULL, NULL);
}
