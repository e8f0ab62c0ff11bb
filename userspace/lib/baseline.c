// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline of several profiles: per field the richest value every
 * profile accepts on its own defaults (each profile's accepted values come
 * from ksr_bits_values(), i.e. from ksr_predict()), other bits as the
 * defaults; or, when there is none, every field and bits that block it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_PROFILES 64

struct base {
	struct ksr_report *rep;
	const struct ksr_rules *const *rules;
	unsigned int nr;
	const struct ksr_reg *regs[MAX_PROFILES];	/* of the register at hand */
	bool blocked;		/* some register is blocked */
	bool reg_blocked;	/* the register at hand is */
};

/* Each profile's default bits at mask >> shift, owned by the report. */
static const uint64_t *profile_values(struct base *b, uint64_t mask, unsigned int shift)
{
	uint64_t *v = report_own(b->rep, calloc(b->nr, sizeof(*v)));

	for (unsigned int p = 0; v && p < b->nr; p++)
		v[p] = b->regs[p] ? (b->regs[p]->limit & mask) >> shift : 0;
	return v;
}

/* The field of reg at these bits, or NULL. */
static const struct ksr_field *field_at(const struct ksr_reg *reg, const struct ksr_field *f)
{
	for (unsigned int i = 0; i < reg->nr_fields; i++)
		if (reg->fields[i].shift == f->shift && reg->fields[i].width == f->width)
			return &reg->fields[i];
	return NULL;
}

/*
 * The accepted value that gives a guest the most: the greatest under
 * LOWER_SAFE and EXACT; the least under HIGHER_SAFE, whose greater values
 * are the conservative ones; the least nonzero under HIGHER_OR_ZERO_SAFE,
 * where 0 is the most conservative of all. Never an alias's "from" value
 * while another is accepted: KVM stores it as "to" (PMUVer's IMP_DEF 0xf
 * becomes 0, no PMU). False when vals is empty.
 */
static bool richest(const struct ksr_values *vals, const struct ksr_field *f, int64_t *out)
{
	bool aliased = f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST);
	int64_t from = ksr_bits_order(f->alias_from, f->width, f->flags & KSR_FIELD_SIGNED);
	bool or_zero = f->type == KSR_RULE_HIGHER_OR_ZERO_SAFE;
	bool least = or_zero || f->type == KSR_RULE_HIGHER_SAFE;

	/* Two excluded values at most (0 and "from"): three candidates per run. */
	for (unsigned int n = 0; n < vals->nr; n++) {
		const struct ksr_range *r = &vals->r[least ? n : vals->nr - 1 - n];

		for (int64_t k = 0; k < 3 && k <= r->hi - r->lo; k++) {
			int64_t v = least ? r->lo + k : r->hi - k;

			if ((aliased && v == from) || (or_zero && v == 0))
				continue;
			*out = v;
			return true;
		}
	}
	if (or_zero && ksr_values_contains(vals, 0) && !(aliased && from == 0)) {
		*out = 0;
		return true;
	}
	return ksr_values_max(vals, out);
}

/* Does every profile ignore writes of the register at hand? */
static bool ignored_everywhere(const struct base *b)
{
	for (unsigned int p = 0; p < b->nr; p++)
		if (!b->regs[p] || !(b->regs[p]->flags & KSR_REG_WRITES_IGNORED))
			return false;
	return true;
}

/* One field of the first profile's layout; its value goes into *value. */
static int base_field(struct base *b, const struct ksr_field *f, uint64_t *value, char *err,
		      size_t errlen)
{
	bool sgn = f->flags & KSR_FIELD_SIGNED;
	const struct ksr_values **allowed;
	struct ksr_values *common = NULL, *next;
	struct ksr_finding *fnd;
	uint64_t limited_by = 0;
	int64_t c, max;
	int ret;

	allowed = report_own(b->rep, calloc(b->nr, sizeof(*allowed)));
	if (!allowed)
		return 0;
	for (unsigned int p = 0; p < b->nr; p++) {
		struct ksr_values *vals;

		ret = ksr_bits_values(b->regs[p], f->shift, f->width, sgn, b->regs[p]->limit, &vals);
		if (ret == -E2BIG)
			return ksr_fail(err, errlen, ret, "%s.%s: %u bits: too wide to enumerate",
					ksr_reg_name(b->regs[0]), f->name ?: "?", f->width);
		if (ret)
			return ksr_fail(err, errlen, ret, "out of memory");
		allowed[p] = report_own_values(b->rep, vals);
		if (!allowed[p])
			break;
		if (ksr_values_intersect(common ? common : vals, vals, &next)) {
			b->rep->nomem = true;
			break;
		}
		ksr_values_free(common);
		common = next;
	}
	if (b->rep->nomem) {
		ksr_values_free(common);
		return 0;
	}
	if (!report_own_values(b->rep, common))
		return 0;
	if (ignored_everywhere(b)) {
		/* Any value goes and none is kept: keep what KVM keeps. */
		c = ksr_bits_order((b->regs[0]->limit & ksr_field_mask(f)) >> f->shift, f->width, sgn);
		*value = with_bits(*value, ksr_field_mask(f), ksr_order_bits(c, f->width) << f->shift);
	} else if (richest(common, f, &c)) {
		*value = with_bits(*value, ksr_field_mask(f), ksr_order_bits(c, f->width) << f->shift);
		for (unsigned int p = 0; p < b->nr; p++)
			if (richest(allowed[p], f, &max) && max == c)
				limited_by |= 1ull << p;
	} else {
		b->reg_blocked = true;
	}
	fnd = report_add(b->rep, common->nr ? KSR_FINDING_CHOICE : KSR_FINDING_BLOCKER, b->regs[0]);
	if (!fnd)
		return 0;
	finding_field(b->rep, fnd, f);
	fnd->allowed = common;
	fnd->nr_profiles = b->nr;
	fnd->profile_values = profile_values(b, ksr_field_mask(f), f->shift);
	fnd->profile_allowed = allowed;
	if (common->nr) {
		fnd->value = ksr_order_bits(c, f->width);
		fnd->limited_by = limited_by;
		fnd->why = ignored_everywhere(b) ? "writes-ignored" :
			   limited_by ? "richest-common-value" : "intersection";
		return 0;
	}
	fnd->why = "no-common-value";
	for (unsigned int p = 0; p < b->nr; p++) {
		const struct ksr_field *pf = field_at(b->regs[p], f);

		if (!pf || !(pf->flags & KSR_FIELD_WRITABLE)) {
			fnd->reason = KSR_NOT_WRITABLE;
			fnd->why = "not-writable-and-defaults-differ";
		}
	}
	return 0;
}

/* Bits in no field of the first profile: some profile's default, if all accept it. */
static void base_other(struct base *b, uint64_t other, uint64_t *value)
{
	uint64_t mask = 0;
	struct ksr_finding *fnd;
	struct ksr_verdict v;

	for (unsigned int k = 0; k < b->nr; k++) {
		uint64_t cand = b->regs[k]->limit & other;
		bool all = true;

		for (unsigned int p = 0; p < b->nr && all; p++) {
			ksr_predict(b->regs[p], with_bits(b->regs[p]->limit, other, cand),
				    b->regs[p]->limit, &v);
			all = v.accept;
		}
		if (all) {
			*value = with_bits(*value, other, cand);
			return;
		}
	}
	for (unsigned int p = 1; p < b->nr; p++) {
		ksr_predict(b->regs[p], with_bits(b->regs[p]->limit, other, b->regs[0]->limit),
			    b->regs[p]->limit, &v);
		if (!v.accept)
			mask |= (b->regs[p]->limit ^ b->regs[0]->limit) & other;
	}
	b->reg_blocked = true;
	fnd = report_add(b->rep, KSR_FINDING_BLOCKER, b->regs[0]);
	if (!fnd)
		return;
	fnd->mask = mask;
	fnd->reason = KSR_UNFIELDED;
	fnd->why = "defaults-differ-outside-fields";
	fnd->nr_profiles = b->nr;
	fnd->profile_values = profile_values(b, mask, 0);
}

static int base_reg(struct base *b, struct ksr_encoding enc, struct ksr_config *cfg, char *err,
		    size_t errlen)
{
	const struct ksr_reg *ref = NULL;
	uint64_t missing = 0, value, fielded = 0;
	struct ksr_finding *fnd;
	int ret;

	for (unsigned int p = 0; p < b->nr; p++) {
		b->regs[p] = ksr_rules_find_encoding(b->rules[p], enc);
		if (!b->regs[p])
			missing |= 1ull << p;
		else if (!ref)
			ref = b->regs[p];
	}
	b->reg_blocked = false;
	if (missing) {
		b->blocked = true;
		fnd = report_add(b->rep, KSR_FINDING_BLOCKER, ref);
		if (fnd) {
			fnd->missing = missing;
			fnd->why = "register-missing";
			fnd->nr_profiles = b->nr;
			fnd->profile_values = profile_values(b, ~0ull, 0);
		}
		return 0;
	}
	value = b->regs[0]->limit;
	for (unsigned int i = 0; i < b->regs[0]->nr_fields; i++) {
		const struct ksr_field *f = &b->regs[0]->fields[i];

		fielded |= ksr_field_mask(f);
		ret = base_field(b, f, &value, err, errlen);
		if (ret)
			return ret;
	}
	if (~fielded)
		base_other(b, ~fielded, &value);
	if (b->reg_blocked) {
		b->blocked = true;
		return 0;
	}
	for (unsigned int p = 0; p < b->nr; p++) {
		struct ksr_verdict v;

		ksr_predict(b->regs[p], value, b->regs[p]->limit, &v);
		if (!v.accept)
			return ksr_fail(err, errlen, -EPROTO,
					"%s: the baseline 0x%016" PRIx64 " is not accepted by profile %u (%s)",
					ksr_reg_name(b->regs[p]), value, p,
					ksr_reason_name(v.faults[0].reason));
	}
	if (ksr_config_set(cfg, enc, value))
		b->rep->nomem = true;
	return 0;
}

int ksr_baseline(const struct ksr_rules *const *rules, unsigned int nr, struct ksr_report **out,
		 char *err, size_t errlen)
{
	struct base b = { .rules = rules, .nr = nr };
	struct ksr_config *all = NULL, *cfg = NULL;
	struct ksr_encoding enc;
	int ret = 0;

	if (!nr)
		return ksr_fail(err, errlen, -EINVAL, "a baseline needs at least one profile");
	if (nr > MAX_PROFILES)
		return ksr_fail(err, errlen, -E2BIG, "a baseline takes at most %d profiles, not %u",
				MAX_PROFILES, nr);
	for (unsigned int p = 1; p < nr; p++) {
		char an[24], bn[24];

		snprintf(an, sizeof(an), "profile %u", 0);
		snprintf(bn, sizeof(bn), "profile %u", p);
		ret = features_differ(rules[0], rules[p], an, bn, err, errlen);
		if (ret)
			return ret;
	}
	b.rep = report_new();
	if (!b.rep || ksr_config_new(&all) || ksr_config_new(&cfg))
		goto nomem;
	/* Every register of any profile, in encoding order. */
	for (unsigned int p = 0; p < nr; p++)
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++)
			if (ksr_config_set(all, rules[p]->regs[i].enc, 0))
				goto nomem;
	for (unsigned int i = 0; !ret && !ksr_config_entry(all, i, &enc, NULL); i++)
		ret = base_reg(&b, enc, cfg, err, errlen);
	ksr_config_free(all);
	if (ret || b.rep->nomem) {
		ksr_config_free(cfg);
		ksr_report_free(b.rep);
		return ret ?: ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	b.rep->ok = !b.blocked;
	if (b.blocked)
		ksr_config_free(cfg);
	else
		b.rep->cfg = cfg;
	*out = b.rep;
	return 0;
nomem:
	ksr_config_free(all);
	ksr_config_free(cfg);
	ksr_report_free(b.rep);
	return ksr_fail(err, errlen, -ENOMEM, "out of memory");
}
