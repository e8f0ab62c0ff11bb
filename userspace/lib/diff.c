// SPDX-License-Identifier: GPL-2.0
/*
 * What differs between two sets of rules: registers matched by encoding,
 * fields by their bits; every property a profile states.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void differ(struct ksr_report *rep, const struct ksr_reg *reg, const struct ksr_field *f,
		   const char *what, const char *a, const char *b)
{
	struct ksr_finding *fnd;

	if (a && b && !strcmp(a, b))
		return;
	fnd = ksr_report_add(rep, KSR_FINDING_DIFF, reg);
	if (!fnd)
		return;
	if (f)
		ksr_finding_field(rep, fnd, f);
	fnd->what = what;
	fnd->old_text = ksr_report_str(rep, a);
	fnd->new_text = ksr_report_str(rep, b);
}

static void differ_u64(struct ksr_report *rep, const struct ksr_reg *reg, const struct ksr_field *f,
		       const char *what, const char *fmt, uint64_t a, uint64_t b)
{
	char sa[32], sb[32];

	if (a == b)
		return;
	snprintf(sa, sizeof(sa), fmt, a);
	snprintf(sb, sizeof(sb), fmt, b);
	differ(rep, reg, f, what, sa, sb);
}

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

static const char *rule(uint8_t type)
{
	return ksr_rule_type_name((enum ksr_rule_type)type) ?: "UNKNOWN";
}

static void features(unsigned int feats, char *buf, size_t len)
{
	buf[0] = '\0';
	for (unsigned int bit = 1; bit < 256; bit <<= 1)
		if ((feats & bit) && ksr_feature_name(bit))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", *buf ? "," : "",
				 ksr_feature_name(bit));
}

static void field_text(const struct ksr_field *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s bits %u:%u", f->name ?: "(unnamed)", f->shift + f->width - 1, f->shift);
}

static void min_text(const struct ksr_field *f, char *buf, size_t len)
{
	if (f->flags & KSR_FIELD_MIN)
		snprintf(buf, len, "%" PRIu64 "%s", f->min_val,
			 f->flags & KSR_FIELD_MIN_OR_ZERO ? " or 0" : "");
	else
		snprintf(buf, len, "none");
}

static void alias_text(const struct ksr_field *f, char *buf, size_t len)
{
	if (f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST))
		snprintf(buf, len, "%" PRIu64 "->%" PRIu64 "%s", f->alias_from, f->alias_to,
			 f->flags & KSR_FIELD_ALIAS_HOST ? " (host value)" : "");
	else
		snprintf(buf, len, "none");
}

static void diff_field(struct ksr_report *rep, const struct ksr_reg *ra, const struct ksr_field *a,
		       const struct ksr_reg *rb, const struct ksr_field *b)
{
	char sa[64], sb[64];

	if (!a->name != !b->name || (a->name && strcmp(a->name, b->name)))
		differ(rep, rb, b, "name", a->name ?: "(unnamed)", b->name ?: "(unnamed)");
	differ(rep, rb, b, "signed", yes_no(a->flags & KSR_FIELD_SIGNED),
	       yes_no(b->flags & KSR_FIELD_SIGNED));
	differ(rep, rb, b, "rule", rule(a->type), rule(b->type));
	differ(rep, rb, b, "host_rule", rule(a->host_type), rule(b->host_type));
	differ_u64(rep, rb, b, "safe_val", "%" PRIu64, a->safe_val, b->safe_val);
	differ(rep, rb, b, "writable", yes_no(a->flags & KSR_FIELD_WRITABLE),
	       yes_no(b->flags & KSR_FIELD_WRITABLE));
	min_text(a, sa, sizeof(sa));
	min_text(b, sb, sizeof(sb));
	differ(rep, rb, b, "min", sa, sb);
	alias_text(a, sa, sizeof(sa));
	alias_text(b, sb, sizeof(sb));
	differ(rep, rb, b, "alias", sa, sb);
	differ_u64(rep, rb, b, "default", "%" PRIu64, raw_bits(a, ra->limit), raw_bits(b, rb->limit));
}

/* A firmware value list as "0x0, 0x1 (reads 0x0), ..." into buf, owned by the caller. */
static char *values_text(const struct ksr_reg *r)
{
	size_t len = 1 + r->nr_values * 64, at = 0;
	char *buf = malloc(len);

	if (!buf)
		return NULL;
	buf[0] = '\0';
	for (unsigned int i = 0; i < r->nr_values; i++) {
		const struct ksr_fw_value *v = &r->values[i];

		at += (size_t)snprintf(buf + at, len - at, "%s0x%" PRIx64, i ? ", " : "", v->value);
		if (v->reads_back != v->value)
			at += (size_t)snprintf(buf + at, len - at, " (reads 0x%" PRIx64 ")", v->reads_back);
	}
	if (!r->nr_values)
		snprintf(buf, len, "none");
	return buf;
}

/* What only firmware registers have: the shape of their rule and its values. */
static void diff_fw(struct ksr_report *rep, const struct ksr_reg *a, const struct ksr_reg *b)
{
	char *va, *vb;

	differ(rep, b, NULL, "kind", a->kind == KSR_REG_KIND_ID ? "id" : "firmware",
	       b->kind == KSR_REG_KIND_ID ? "id" : "firmware");
	differ(rep, b, NULL, "bitmap", yes_no(a->flags & KSR_REG_BITMAP),
	       yes_no(b->flags & KSR_REG_BITMAP));
	differ(rep, b, NULL, "follows_id_regs", yes_no(a->flags & KSR_REG_FOLLOWS_ID_REGS),
	       yes_no(b->flags & KSR_REG_FOLLOWS_ID_REGS));
	differ(rep, b, NULL, "probe", yes_no(a->flags & KSR_REG_PROBE), yes_no(b->flags & KSR_REG_PROBE));
	if (!ksr_reg_is_value_list(a) && !ksr_reg_is_value_list(b))
		return;
	va = values_text(a);
	vb = values_text(b);
	if (!va || !vb)
		rep->nomem = true;
	else
		differ(rep, b, NULL, "values", va, vb);
	free(va);
	free(vb);
}

static void diff_reg(struct ksr_report *rep, const struct ksr_reg *a, const struct ksr_reg *b)
{
	char buf[64];

	if (a->kind != KSR_REG_KIND_ID || b->kind != KSR_REG_KIND_ID)
		diff_fw(rep, a, b);

	differ(rep, b, NULL, "name", ksr_reg_name(a), ksr_reg_name(b));
	differ_u64(rep, b, NULL, "default", "0x%016" PRIx64, a->limit, b->limit);
	differ_u64(rep, b, NULL, "writable_mask", "0x%016" PRIx64, a->writable_mask, b->writable_mask);
	differ_u64(rep, b, NULL, "unfielded_mask", "0x%016" PRIx64, a->unfielded_mask,
		   b->unfielded_mask);
	differ(rep, b, NULL, "raz", yes_no(a->flags & KSR_REG_RAZ), yes_no(b->flags & KSR_REG_RAZ));
	differ(rep, b, NULL, "writes_ignored", yes_no(a->flags & KSR_REG_WRITES_IGNORED),
	       yes_no(b->flags & KSR_REG_WRITES_IGNORED));
	differ(rep, b, NULL, "immutable", yes_no(a->flags & KSR_REG_IMMUTABLE),
	       yes_no(b->flags & KSR_REG_IMMUTABLE));
	for (unsigned int i = 0; i < a->nr_fields; i++) {
		const struct ksr_field *fa = &a->fields[i], *fb = NULL;

		for (unsigned int j = 0; j < b->nr_fields && !fb; j++)
			if (b->fields[j].shift == fa->shift && b->fields[j].width == fa->width)
				fb = &b->fields[j];
		if (fb) {
			diff_field(rep, a, fa, b, fb);
		} else {
			field_text(fa, buf, sizeof(buf));
			differ(rep, a, fa, "field", buf, NULL);
		}
	}
	for (unsigned int j = 0; j < b->nr_fields; j++) {
		const struct ksr_field *fb = &b->fields[j];
		bool found = false;

		for (unsigned int i = 0; i < a->nr_fields && !found; i++)
			found = a->fields[i].shift == fb->shift && a->fields[i].width == fb->width;
		if (!found) {
			field_text(fb, buf, sizeof(buf));
			differ(rep, b, fb, "field", NULL, buf);
		}
	}
}

int ksr_diff(const struct ksr_rules *a, const struct ksr_rules *b, struct ksr_report **out,
	     char *err, size_t errlen)
{
	const struct ksr_rules *both[2] = { a, b };
	struct ksr_report *rep = ksr_report_new();
	unsigned int nr_ids = 0;
	uint64_t *ids = NULL;
	char fa[32], fb[32];

	if (!rep || ksr_rules_all_ids(both, 2, &ids, &nr_ids))
		goto nomem;
	features(a->vcpu_features, fa, sizeof(fa));
	features(b->vcpu_features, fb, sizeof(fb));
	differ(rep, NULL, NULL, "vcpu_features", fa, fb);
	/* Every register of either, in id order: encoding order, then firmware. */
	for (unsigned int k = 0; k < nr_ids; k++) {
		const struct ksr_reg *ra = ksr_rules_find_id(a, ids[k]);
		const struct ksr_reg *rb = ksr_rules_find_id(b, ids[k]);

		if (ra && rb)
			diff_reg(rep, ra, rb);
		else
			differ(rep, ra ?: rb, NULL, "register", ra ? ksr_reg_name(ra) : NULL,
			       rb ? ksr_reg_name(rb) : NULL);
	}
	free(ids);
	rep->ok = !rep->nr;
	if (rep->nomem) {
		ksr_report_free(rep);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	*out = rep;
	return 0;
nomem:
	free(ids);
	ksr_report_free(rep);
	return ksr_fail(err, errlen, -ENOMEM, "out of memory");
}
