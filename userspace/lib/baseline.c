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
	uint64_t *v = ksr_report_own(b->rep, calloc(b->nr, sizeof(*v)));

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

	allowed = ksr_report_own(b->rep, calloc(b->nr, sizeof(*allowed)));
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
		allowed[p] = ksr_report_own_values(b->rep, vals);
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
	if (!ksr_report_own_values(b->rep, common))
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
	fnd = ksr_report_add(b->rep, common->nr ? KSR_FINDING_CHOICE : KSR_FINDING_BLOCKER,
			     b->regs[0]);
	if (!fnd)
		return 0;
	ksr_finding_field(b->rep, fnd, f);
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

	uint64_t best = 0;
	bool found = false;

	/* The least default every profile accepts: the same whatever their order. */
	for (unsigned int k = 0; k < b->nr; k++) {
		uint64_t cand = b->regs[k]->limit & other;
		bool all = true;

		if (found && cand >= best)
			continue;
		for (unsigned int p = 0; p < b->nr && all; p++) {
			ksr_predict(b->regs[p], with_bits(b->regs[p]->limit, other, cand),
				    b->regs[p]->limit, &v);
			all = v.accept;
		}
		if (all) {
			best = cand;
			found = true;
		}
	}
	if (found) {
		*value = with_bits(*value, other, best);
		return;
	}
	for (unsigned int p = 1; p < b->nr; p++) {
		ksr_predict(b->regs[p], with_bits(b->regs[p]->limit, other, b->regs[0]->limit),
			    b->regs[p]->limit, &v);
		if (!v.accept)
			mask |= (b->regs[p]->limit ^ b->regs[0]->limit) & other;
	}
	b->reg_blocked = true;
	fnd = ksr_report_add(b->rep, KSR_FINDING_BLOCKER, b->regs[0]);
	if (!fnd)
		return;
	fnd->mask = mask;
	fnd->reason = KSR_UNFIELDED;
	fnd->why = "defaults-differ-outside-fields";
	fnd->nr_profiles = b->nr;
	fnd->profile_values = profile_values(b, mask, 0);
}

/* What to call profile p in messages: "profile P (FILE)", or "profile P". */
static const char *rules_name(const struct ksr_rules *const *rules, unsigned int p, char *buf,
			      size_t len)
{
	if (rules[p]->origin)
		snprintf(buf, len, "profile %u (%.200s)", p, rules[p]->origin);
	else
		snprintf(buf, len, "profile %u", p);
	return buf;
}

static const char *profile_name(const struct base *b, unsigned int p, char *buf, size_t len)
{
	return rules_name(b->rules, p, buf, len);
}

/* "bits 7:4 (unsigned, PMUVer)" */
static void describe(const struct ksr_field *f, char *buf, size_t len)
{
	snprintf(buf, len, "bits %u:%u (%s, %s)", f->shift + f->width - 1, f->shift,
		 f->flags & KSR_FIELD_SIGNED ? "signed" : "unsigned", f->name ?: "unnamed");
}

static bool same_bits(const struct ksr_field *f, const struct ksr_field *g)
{
	return f->shift == g->shift && f->width == g->width &&
	       !((f->flags ^ g->flags) & KSR_FIELD_SIGNED);
}

/* Which of two fields with the same bits speaks for them: the same whatever the order. */
static bool before(const struct ksr_field *f, const struct ksr_field *g)
{
	if (f->type != g->type)
		return f->type < g->type;
	return f->flags < g->flags;
}

/*
 * The fields of the register at hand in every profile, each layout once,
 * by shift, in *out (to free): the union, whatever the order of the
 * profiles. A field of one profile over bits another has in no field is
 * fine (ksr_predict() reads them as unfielded there). Fields that overlap
 * without being the same bits and sign are refused: -EINVAL naming the
 * register and both profiles.
 */
static int union_fields(const struct base *b, const struct ksr_field ***out, unsigned int *nr,
			char *err, size_t errlen)
{
	const struct ksr_field **u;
	unsigned int n = 0, total = 0;

	for (unsigned int p = 0; p < b->nr; p++)
		total += b->regs[p]->nr_fields;
	u = calloc(total ? total : 1, sizeof(*u));
	if (!u)
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	for (unsigned int p = 0; p < b->nr; p++) {
		for (unsigned int i = 0; i < b->regs[p]->nr_fields; i++) {
			const struct ksr_field *f = &b->regs[p]->fields[i];
			unsigned int k;

			for (k = 0; k < n; k++)
				if (same_bits(u[k], f) || (ksr_field_mask(u[k]) & ksr_field_mask(f)))
					break;
			if (k == n) {
				u[n++] = f;
				continue;
			}
			if (same_bits(u[k], f)) {
				if (before(f, u[k]))
					u[k] = f;
				continue;
			}
			/* Overlapping, not alike: find whose u[k] is, for the message. */
			for (unsigned int q = 0; q < b->nr; q++) {
				const struct ksr_reg *rq = b->regs[q];

				if (u[k] >= rq->fields && u[k] < rq->fields + rq->nr_fields) {
					char nq[224], np[224], fa[96], fb[96];
					unsigned int lo = q < p ? q : p, hi = q < p ? p : q;

					describe(q < p ? u[k] : f, fa, sizeof(fa));
					describe(q < p ? f : u[k], fb, sizeof(fb));
					free(u);
					return ksr_fail(err, errlen, -EINVAL,
							"%s: the profiles lay out its fields differently: %s in %s, %s in %s: no baseline across conflicting layouts",
							ksr_reg_name(b->regs[0]), fa,
							profile_name(b, lo, nq, sizeof(nq)), fb,
							profile_name(b, hi, np, sizeof(np)));
				}
			}
		}
	}
	/* By shift (at most 64 fields: insertion). */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && u[j - 1]->shift > u[j]->shift; j--) {
			const struct ksr_field *t = u[j];

			u[j] = u[j - 1];
			u[j - 1] = t;
		}
	*out = u;
	*nr = n;
	return 0;
}

/*
 * A register of firmware values (a list in some profile): of every value a
 * profile lists and every default, the greatest default every profile
 * accepts (a level or version some host really has), else the greatest value
 * every profile accepts; a BLOCKER with each profile's accepted values when
 * none is. Neither depends on the order of the profiles.
 */
static void base_values(struct base *b, uint64_t *value)
{
	const struct ksr_values **allowed;
	struct ksr_values *common = NULL, *next;
	struct ksr_finding *fnd;
	unsigned int n = 0, total = b->nr;
	uint64_t *extra;
	int64_t best = 0;
	bool ok, is_default;

	for (unsigned int p = 0; p < b->nr; p++)
		total += b->regs[p]->nr_values;
	extra = calloc(total, sizeof(*extra));
	allowed = ksr_report_own(b->rep, calloc(b->nr, sizeof(*allowed)));
	if (!extra || !allowed) {
		free(extra);
		b->rep->nomem = true;
		return;
	}
	for (unsigned int p = 0; p < b->nr; p++) {
		extra[n++] = b->regs[p]->limit;
		for (unsigned int i = 0; i < b->regs[p]->nr_values; i++)
			extra[n++] = b->regs[p]->values[i].value;
	}
	for (unsigned int p = 0; p < b->nr && !b->rep->nomem; p++) {
		struct ksr_values *vals;

		if (ksr_reg_candidates_accepted(b->regs[p], extra, n, &vals)) {
			b->rep->nomem = true;
			break;
		}
		allowed[p] = ksr_report_own_values(b->rep, vals);
		if (!allowed[p] || ksr_values_intersect(common ? common : vals, vals, &next)) {
			b->rep->nomem = true;
			break;
		}
		ksr_values_free(common);
		common = next;
	}
	free(extra);
	if (b->rep->nomem || !ksr_report_own_values(b->rep, common))
		return;
	ok = false;
	for (unsigned int p = 0; p < b->nr; p++) {
		uint64_t d = b->regs[p]->limit;

		if (d <= INT64_MAX && ksr_values_contains(common, (int64_t)d) &&
		    (!ok || (int64_t)d > best)) {
			best = (int64_t)d;
			ok = true;
		}
	}
	is_default = ok;
	if (!ok)
		ok = ksr_values_max(common, &best);
	fnd = ksr_report_add(b->rep, ok ? KSR_FINDING_CHOICE : KSR_FINDING_BLOCKER, b->regs[0]);
	if (!ok)
		b->reg_blocked = true;
	else
		*value = (uint64_t)best;
	if (!fnd)
		return;
	fnd->allowed = common;
	fnd->nr_profiles = b->nr;
	fnd->profile_values = profile_values(b, ~0ull, 0);
	fnd->profile_allowed = allowed;
	if (!ok) {
		fnd->reason = KSR_NOT_LISTED;
		fnd->why = "no-common-value";
		return;
	}
	fnd->value = (uint64_t)best;
	fnd->why = is_default ? "greatest-default-accepted-by-all" : "greatest-common-value";
}

static int base_reg(struct base *b, uint64_t id, struct ksr_config *cfg, char *err,
		    size_t errlen)
{
	const struct ksr_reg *ref = NULL;
	const struct ksr_field **fields = NULL;
	unsigned int nr_fields = 0;
	uint64_t missing = 0, value, fielded = 0;
	struct ksr_finding *fnd;
	int ret;

	bool values = false;

	for (unsigned int p = 0; p < b->nr; p++) {
		b->regs[p] = ksr_rules_find_id(b->rules[p], id);
		values |= b->regs[p] && ksr_reg_is_value_list(b->regs[p]);
		if (!b->regs[p])
			missing |= 1ull << p;
		else if (!ref)
			ref = b->regs[p];
	}
	b->reg_blocked = false;
	if (missing) {
		b->blocked = true;
		fnd = ksr_report_add(b->rep, KSR_FINDING_BLOCKER, ref);
		if (fnd) {
			fnd->missing = missing;
			fnd->why = "register-missing";
			fnd->nr_profiles = b->nr;
			fnd->profile_values = profile_values(b, ~0ull, 0);
		}
		return 0;
	}
	value = b->regs[0]->limit;
	if (values) {
		base_values(b, &value);
		goto verify;
	}
	ret = union_fields(b, &fields, &nr_fields, err, errlen);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < nr_fields && !ret; i++) {
		fielded |= ksr_field_mask(fields[i]);
		ret = base_field(b, fields[i], &value, err, errlen);
	}
	free(fields);
	if (ret)
		return ret;
	if (~fielded)
		base_other(b, ~fielded, &value);
verify:
	if (b->reg_blocked || b->rep->nomem) {
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
	if (ksr_config_set_id(cfg, id, value))
		b->rep->nomem = true;
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ids of every register of any of the rules, ascending, each once (ID
 * registers in encoding order, then firmware registers): O(n log n).
 */
int ksr_rules_all_ids(const struct ksr_rules *const *rules, unsigned int nr, uint64_t **out,
		      unsigned int *nr_out)
{
	unsigned int total = 0, n = 0;
	uint64_t *ids;

	for (unsigned int p = 0; p < nr; p++)
		total += rules[p]->nr_regs;
	ids = calloc(total ? total : 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (unsigned int p = 0; p < nr; p++)
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++)
			ids[n++] = ksr_reg_id(&rules[p]->regs[i]);
	qsort(ids, n, sizeof(*ids), id_cmp);
	*nr_out = 0;
	for (unsigned int i = 0; i < n; i++)
		if (!i || ids[i] != ids[i - 1])
			ids[(*nr_out)++] = ids[i];
	*out = ids;
	return 0;
}

int ksr_baseline(const struct ksr_rules *const *rules, unsigned int nr, struct ksr_report **out,
		 char *err, size_t errlen)
{
	struct base b = { .rules = rules, .nr = nr };
	struct ksr_config *cfg = NULL;
	unsigned int nr_ids = 0;
	uint64_t *ids = NULL;
	int ret = 0;

	if (!nr)
		return ksr_fail(err, errlen, -EINVAL, "a baseline needs at least one profile");
	if (nr > MAX_PROFILES)
		return ksr_fail(err, errlen, -E2BIG, "a baseline takes at most %d profiles, not %u",
				MAX_PROFILES, nr);
	for (unsigned int p = 1; p < nr; p++) {
		char an[224], bn[224];

		ret = ksr_features_differ(rules[0], rules[p], rules_name(rules, 0, an, sizeof(an)),
					  rules_name(rules, p, bn, sizeof(bn)), err, errlen);
		if (ret)
			return ret;
	}
	b.rep = ksr_report_new();
	if (!b.rep || ksr_rules_all_ids(rules, nr, &ids, &nr_ids) || ksr_config_new(&cfg))
		goto nomem;
	/* Every register of any profile, in id order (encoding order, then firmware) */
	for (unsigned int k = 0; !ret && k < nr_ids; k++)
		ret = base_reg(&b, ids[k], cfg, err, errlen);
	free(ids);
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
	free(ids);
	ksr_config_free(cfg);
	ksr_report_free(b.rep);
	return ksr_fail(err, errlen, -ENOMEM, "out of memory");
}
