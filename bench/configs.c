// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' configurations, from the public API only.
 */
#include <errno.h>
#include <stdio.h>

#include "configs.h"
#include "fail.h"

struct ksr_config *config_defaults(const struct ksr_rules *rules)
{
	struct ksr_config *cfg;
	int ret = ksr_config_from_defaults(rules, &cfg);

	if (ret)
		bench_fail_errno("ksr_config_from_defaults", ret);
	return cfg;
}

static int plain_lower_safe(const struct ksr_field *f)
{
	unsigned int flags = ksr_field_flags(f);
	unsigned int special = KSR_FIELD_SIGNED | KSR_FIELD_MIN | KSR_FIELD_MIN_OR_ZERO |
			       KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST | KSR_FIELD_PROBE;

	return (flags & KSR_FIELD_WRITABLE) && !(flags & special) &&
	       ksr_field_rule(f) == KSR_RULE_LOWER_SAFE;
}

/* The field's raw bits in a register value. */
static uint64_t raw_of(const struct ksr_field *f, uint64_t reg)
{
	return (reg & ksr_field_mask(f)) >> ksr_field_shift(f);
}

static uint64_t with_raw(const struct ksr_field *f, uint64_t reg, uint64_t raw)
{
	return (reg & ~ksr_field_mask(f)) | ((raw << ksr_field_shift(f)) & ksr_field_mask(f));
}

static void set(struct ksr_config *cfg, const struct ksr_reg *reg, uint64_t value)
{
	int ret = ksr_config_set(cfg, ksr_reg_encoding(reg), value);

	if (ret)
		bench_fail_errno("ksr_config_set", ret);
}

typedef int (*field_test)(const struct ksr_field *f, uint64_t raw_default);

/* The first plain LOWER_SAFE field of reg whose raw default passes ok(). */
static const struct ksr_field *pick(const struct ksr_reg *reg, field_test ok)
{
	uint64_t def = ksr_reg_default(reg);

	if (ksr_reg_flags(reg) & (KSR_REG_RAZ | KSR_REG_WRITES_IGNORED | KSR_REG_PROBE))
		return NULL;
	for (unsigned int i = 0; i < ksr_reg_nr_fields(reg); i++) {
		const struct ksr_field *f = ksr_reg_field(reg, i);

		if (plain_lower_safe(f) && ok(f, raw_of(f, def)))
			return f;
	}
	return NULL;
}

static int above_zero(const struct ksr_field *f, uint64_t raw)
{
	(void)f;
	return raw > 0;
}

static int below_all_ones(const struct ksr_field *f, uint64_t raw)
{
	return raw < raw_of(f, ~0ull);
}

struct ksr_config *config_lowered(const struct ksr_rules *rules, unsigned int nr,
				  unsigned int *lowered)
{
	struct ksr_config *cfg = config_defaults(rules);

	*lowered = 0;
	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules) && *lowered < nr; i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		const struct ksr_field *f = pick(reg, above_zero);
		uint64_t def = ksr_reg_default(reg);

		if (!f)
			continue;
		set(cfg, reg, with_raw(f, def, raw_of(f, def) - 1));
		(*lowered)++;
	}
	return cfg;
}

struct ksr_config *config_one_refused(const struct ksr_rules *rules, char *what, size_t len)
{
	struct ksr_config *cfg = config_defaults(rules);

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		const struct ksr_field *f = pick(reg, below_all_ones);
		uint64_t def = ksr_reg_default(reg);
		uint64_t raw;

		if (!f)
			continue;
		raw = raw_of(f, def) + 1;
		set(cfg, reg, with_raw(f, def, raw));
		snprintf(what, len, "%s.%s=%llu", ksr_reg_name(reg),
			 ksr_field_name(f) ? ksr_field_name(f) : "?", (unsigned long long)raw);
		return cfg;
	}
	bench_fail_errno("no LOWER_SAFE field to raise above its default", ENOENT);
}
