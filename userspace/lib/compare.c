// SPDX-License-Identifier: GPL-2.0
/*
 * Two CPU models compared in the words of QEMU's query-cpu-model-comparison:
 * identical, superset, subset, incompatible, and the fields responsible.
 *
 * A model is a profile's defaults, or a configuration written over them as
 * KVM stores it (ksr_config_model(): the guest migrate-check moves). "A's
 * model runs on B" is migrate-check's answer from A to B: ksr_predict() of
 * every register of A's model in a VM of B at its defaults, a register B
 * lacks blocking. Nothing here reads a rule but through the predictor.
 */
#include <errno.h>
#include <stdlib.h>

#include "report.h"

#define A 0
#define B 1

static const char *const comparison_names[] = {
	[KSR_COMPARISON_IDENTICAL] = "identical",
	[KSR_COMPARISON_SUPERSET] = "superset",
	[KSR_COMPARISON_SUBSET] = "subset",
	[KSR_COMPARISON_INCOMPATIBLE] = "incompatible",
};

/* The direction side's model is judged in: A's on B, B's on A. */
static const unsigned int blocks_bit[2] = { KSR_COMPARE_BLOCKS_A_ON_B, KSR_COMPARE_BLOCKS_B_ON_A };

const char *ksr_comparison_name(enum ksr_comparison comparison)
{
	if ((unsigned int)comparison < sizeof(comparison_names) / sizeof(comparison_names[0]))
		return comparison_names[comparison];
	return NULL;
}

enum ksr_comparison ksr_report_comparison(const struct ksr_report *rep)
{
	return rep->comparison;
}

struct cmp {
	struct ksr_report *rep;
	const struct ksr_rules *rules[2];
	bool runs[2];		/* runs[A]: A's model runs on B; runs[B]: B's on A */
	bool rejected;		/* a configuration is refused on a side */
	unsigned int side;	/* the side whose configuration is read (rejections) */
};

/* A finding about register id: named after A's register, else B's, else the id. */
static struct ksr_finding *add(struct cmp *c, uint64_t id)
{
	const struct ksr_reg *reg = ksr_rules_find_id(c->rules[A], id) ?:
				    ksr_rules_find_id(c->rules[B], id);
	struct ksr_finding *fnd = ksr_report_add(c->rep, KSR_FINDING_COMPARE, reg);
	char buf[24];

	if (fnd && !reg) {
		fnd->reg_name = ksr_report_str(c->rep, ksr_id_name(id, buf, sizeof(buf)));
		fnd->enc = ksr_id_is_sysreg(id) ? ksr_encoding_from_key((uint32_t)(id & 0xffff)) :
			   KSR_NO_ENCODING;
		fnd->reg_id = id;
	}
	return fnd;
}

/* ---- a configuration one side refuses ------------------------------------ */

/*
 * ksr_config_model()'s refusal on side c->side: the refused parts of the
 * configuration's value as ksr_check() finds them (value: the
 * configuration's bits, result: the side's default bits, allowed: what it
 * accepts), or the whole register the side lacks. A refused configuration
 * is no model: it blocks both ways.
 */
static void rejected(void *ctx, uint64_t id, uint64_t value, const struct ksr_reg *reg,
		     const struct ksr_verdict *v)
{
	struct cmp *c = ctx;
	const char *what = c->side == A ? "rejected-by-a" : "rejected-by-b";
	unsigned int first = c->rep->nr;
	struct ksr_finding *fnd;

	c->rejected = true;
	if (reg)
		ksr_check_parts(c->rep, reg, value, v, KSR_FINDING_COMPARE, false);
	if (c->rep->nr == first && (fnd = add(c, id))) {
		/* Lacked, or refused as a whole: the register */
		fnd->value = value;
		fnd->result = reg ? reg->limit : 0;
		fnd->missing = reg ? 0 : 1u << c->side;
		fnd->reason = v ? v->faults[0].reason : 0;
		fnd->why = v ? ksr_reason_name(fnd->reason) : "register-missing";
	}
	for (unsigned int i = first; i < c->rep->nr; i++) {
		c->rep->f[i].what = what;
		c->rep->f[i].blocks = KSR_COMPARE_BLOCKS_A_ON_B | KSR_COMPARE_BLOCKS_B_ON_A;
	}
}

/* ---- two models -------------------------------------------------------- */

/* One side's register, its model's value and the verdict of the other side on it. */
struct side {
	const struct ksr_reg *reg;
	uint64_t value;
	struct ksr_verdict on_other;	/* the other side's on this value */
	bool part_blocks;		/* a part found refused */
};

/* The accepted values of bits of reg (a field's, or a value list's whole), owned by the report. */
static const struct ksr_values *accepted(struct cmp *c, const struct ksr_reg *reg,
					 const struct ksr_field *f)
{
	struct ksr_values *vals = NULL;
	int ret;

	if (f)
		ret = ksr_bits_values(reg, f->shift, f->width, f->flags & KSR_FIELD_SIGNED, reg->limit,
				      &vals);
	else
		ret = ksr_reg_candidates_accepted(reg, NULL, 0, &vals);
	if (ret == -ENOMEM)
		c->rep->nomem = true;
	return ret ? NULL : ksr_report_own_values(c->rep, vals);
}

/*
 * Is the part mask of s's value refused by the other side's register o (set
 * alone in o's default)? Only when the whole value is: the verdict is the
 * whole register's; *reason the part's.
 */
static bool part_refused(const struct side *s, const struct ksr_reg *o, uint64_t mask,
			 enum ksr_reason *reason)
{
	struct ksr_verdict v;

	if (s->on_other.accept)
		return false;
	ksr_predict(o, with_bits(o->limit, mask, s->value), o->limit, &v);
	if (!v.accept && !*reason)
		*reason = v.faults[0].reason;
	return !v.accept;
}

/*
 * One part of a register both sides have: field f (of either side), bits
 * mask in no field (f NULL), or the whole of a value list (mask ~0). A
 * finding when the models differ there or one blocks the other.
 */
static void compare_part(struct cmp *c, uint64_t id, struct side *s, const struct ksr_field *f,
			 uint64_t mask, bool whole)
{
	enum ksr_reason reason = 0;
	unsigned int blocks = 0;
	struct ksr_finding *fnd;
	const struct ksr_values **allowed;
	uint64_t *values;

	for (unsigned int k = A; k <= B; k++) {
		if (part_refused(&s[k], s[!k].reg, mask, &reason)) {
			blocks |= blocks_bit[k];
			s[k].part_blocks = true;
		}
	}
	if (!f && !whole) {
		/* Bits in no field: those that differ, or that a side refuses */
		uint64_t bits = (s[A].value ^ s[B].value) & mask;

		for (unsigned int k = A; k <= B; k++)
			if (blocks & blocks_bit[k])
				bits |= (s[k].value ^ s[!k].reg->limit) & mask;
		mask = bits;
	}
	if (!blocks && !((s[A].value ^ s[B].value) & mask))
		return;
	values = ksr_report_own(c->rep, calloc(2, sizeof(*values)));
	allowed = ksr_report_own(c->rep, calloc(2, sizeof(*allowed)));
	fnd = add(c, id);
	if (!fnd || !values || !allowed)
		return;
	if (f)
		ksr_finding_field(c->rep, fnd, f);
	else if (!whole)
		fnd->mask = mask;
	for (unsigned int k = A; k <= B; k++) {
		values[k] = f ? raw_bits(f, s[k].value) : whole ? s[k].value : s[k].value & mask;
		if (f || whole)
			allowed[k] = accepted(c, s[k].reg, f);
	}
	fnd->value = values[A];
	fnd->result = values[B];
	fnd->nr_profiles = 2;
	fnd->profile_values = values;
	fnd->profile_allowed = allowed;
	fnd->blocks = blocks;
	fnd->ok = !blocks;
	fnd->reason = reason;
	fnd->why = blocks ? ksr_reason_name(reason) : "accepted";
}

/* Does field f overlap a field of reg? */
static bool overlaps(const struct ksr_reg *reg, const struct ksr_field *f)
{
	for (unsigned int i = 0; i < reg->nr_fields; i++)
		if (ksr_field_mask(&reg->fields[i]) & ksr_field_mask(f))
			return true;
	return false;
}

/* A register only one side has: it blocks that side's model on the other. */
static void compare_missing(struct cmp *c, uint64_t id, unsigned int has, uint64_t value)
{
	struct ksr_finding *fnd = add(c, id);
	uint64_t *values = ksr_report_own(c->rep, calloc(2, sizeof(*values)));

	c->runs[has] = false;
	if (!fnd || !values)
		return;
	values[has] = value;
	fnd->value = values[A];
	fnd->result = values[B];
	fnd->nr_profiles = 2;
	fnd->profile_values = values;
	fnd->missing = 1u << !has;
	fnd->blocks = blocks_bit[has];
	fnd->why = "register-missing";
}

/* Register id of both models: each side's value judged by the other, part by part. */
static void compare_reg(struct cmp *c, uint64_t id, const struct ksr_config *const *model)
{
	struct side s[2];
	uint64_t fielded = 0;
	unsigned int blocks = 0;
	struct ksr_finding *fnd;

	for (unsigned int k = A; k <= B; k++) {
		s[k].reg = ksr_rules_find_id(c->rules[k], id);
		s[k].part_blocks = false;
		if (ksr_config_find_id(model[k], id, &s[k].value))
			s[k].reg = NULL;
	}
	if (!s[A].reg || !s[B].reg) {
		compare_missing(c, id, s[A].reg ? A : B, s[A].reg ? s[A].value : s[B].value);
		return;
	}
	for (unsigned int k = A; k <= B; k++) {
		ksr_predict(s[!k].reg, s[k].value, s[!k].reg->limit, &s[k].on_other);
		c->runs[k] &= s[k].on_other.accept;
	}
	if (ksr_reg_is_value_list(s[A].reg) || ksr_reg_is_value_list(s[B].reg)) {
		compare_part(c, id, s, NULL, ~0ull, true);
	} else {
		/* B's fields, then A's elsewhere, then the bits in neither's */
		for (unsigned int k = B + 1; k-- > A;) {
			for (unsigned int i = 0; i < s[k].reg->nr_fields; i++) {
				const struct ksr_field *f = &s[k].reg->fields[i];

				if (k == A && overlaps(s[B].reg, f))
					continue;
				fielded |= ksr_field_mask(f);
				compare_part(c, id, s, f, ksr_field_mask(f), false);
			}
		}
		compare_part(c, id, s, NULL, ~fielded, false);
	}
	/* A refusal no part explains alone: the register's */
	for (unsigned int k = A; k <= B; k++)
		if (!s[k].on_other.accept && !s[k].part_blocks)
			blocks |= blocks_bit[k];
	if (!blocks || !(fnd = add(c, id)))
		return;
	fnd->value = s[A].value;
	fnd->result = s[B].value;
	fnd->blocks = blocks;
	fnd->reason = s[blocks & blocks_bit[A] ? A : B].on_other.faults[0].reason;
	fnd->why = ksr_reason_name(fnd->reason);
}

int ksr_compare_configs(const struct ksr_rules *a, const struct ksr_config *cfg_a,
			const struct ksr_rules *b, const struct ksr_config *cfg_b,
			struct ksr_report **out, char *err, size_t errlen)
{
	const struct ksr_config *cfgs[2] = { cfg_a, cfg_b };
	struct ksr_config *model[2] = { NULL, NULL };
	struct cmp c = { .rules = { a, b }, .runs = { true, true } };
	unsigned int nr_ids = 0;
	uint64_t *ids = NULL;
	int ret;

	ret = ksr_features_differ(a, b, "A", "B", err, errlen);
	if (ret)
		return ret;
	c.rep = ksr_report_new();
	if (!c.rep)
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	for (c.side = A; c.side <= B; c.side++)
		if (ksr_config_model(c.rules[c.side], cfgs[c.side], &model[c.side], rejected, &c))
			c.rep->nomem = true;
	if (!c.rejected && !c.rep->nomem) {
		if (ksr_rules_all_ids(c.rules, 2, &ids, &nr_ids))
			c.rep->nomem = true;
		for (unsigned int i = 0; i < nr_ids; i++)
			compare_reg(&c, ids[i], (const struct ksr_config *const *)model);
		free(ids);
	}
	ksr_config_free(model[A]);
	ksr_config_free(model[B]);
	if (c.rep->nomem) {
		ksr_report_free(c.rep);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	if (c.rejected || (!c.runs[A] && !c.runs[B]))
		c.rep->comparison = KSR_COMPARISON_INCOMPATIBLE;
	else if (c.runs[A] && c.runs[B])
		c.rep->comparison = KSR_COMPARISON_IDENTICAL;
	else
		c.rep->comparison = c.runs[B] ? KSR_COMPARISON_SUPERSET : KSR_COMPARISON_SUBSET;
	c.rep->ok = c.rep->comparison == KSR_COMPARISON_IDENTICAL;
	*out = c.rep;
	return 0;
}

int ksr_compare(const struct ksr_rules *a, const struct ksr_rules *b, const struct ksr_config *cfg,
		struct ksr_report **out, char *err, size_t errlen)
{
	return ksr_compare_configs(a, cfg, b, cfg, out, err, errlen);
}
