// SPDX-License-Identifier: GPL-2.0
/*
 * Reports and the operations on one set of rules: check, clamp, and
 * migrate-check (a check on the destination). Every verdict is
 * ksr_predict()'s; the accepted values of a field are ksr_field_values()'s.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- reports ------------------------------------------------------------ */

static bool grow(struct ksr_report *rep, void **arr, unsigned int *cap, unsigned int nr, size_t size)
{
	void *bigger;

	if (nr < *cap)
		return true;
	bigger = realloc(*arr, (*cap ? *cap * 2 : 32) * size);
	if (!bigger) {
		rep->nomem = true;
		return false;
	}
	*arr = bigger;
	*cap = *cap ? *cap * 2 : 32;
	return true;
}

struct ksr_report *ksr_report_new(void)
{
	return calloc(1, sizeof(struct ksr_report));
}

void *ksr_report_own(struct ksr_report *rep, void *p)
{
	if (!p || !grow(rep, (void **)&rep->owned, &rep->cap_owned, rep->nr_owned, sizeof(void *))) {
		free(p);
		rep->nomem = true;
		return NULL;
	}
	rep->owned[rep->nr_owned++] = p;
	return p;
}

const struct ksr_values *ksr_report_own_values(struct ksr_report *rep, struct ksr_values *vals)
{
	if (!vals || !grow(rep, (void **)&rep->vals, &rep->cap_vals, rep->nr_vals, sizeof(void *))) {
		ksr_values_free(vals);
		rep->nomem = true;
		return NULL;
	}
	rep->vals[rep->nr_vals++] = vals;
	return vals;
}

const char *ksr_report_str(struct ksr_report *rep, const char *s)
{
	return s ? ksr_report_own(rep, strdup(s)) : NULL;
}

const char *ksr_report_printf(struct ksr_report *rep, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return ksr_report_own(rep, s);
}

struct ksr_finding *ksr_report_add(struct ksr_report *rep, enum ksr_finding_kind kind,
				   const struct ksr_reg *reg)
{
	struct ksr_finding *f;

	if (!grow(rep, (void **)&rep->f, &rep->cap, rep->nr, sizeof(*rep->f)))
		return NULL;
	f = &rep->f[rep->nr++];
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->kind = kind;
	if (reg) {
		f->reg_name = ksr_report_str(rep, ksr_reg_name(reg));
		f->enc = reg->enc;
		f->reg_id = ksr_reg_id(reg);
	}
	return f;
}

void ksr_finding_field(struct ksr_report *rep, struct ksr_finding *fnd, const struct ksr_field *f)
{
	fnd->is_field = true;
	fnd->field_name = ksr_report_str(rep, f->name);
	fnd->shift = f->shift;
	fnd->width = f->width;
	fnd->mask = ksr_field_mask(f);
	fnd->is_signed = f->flags & KSR_FIELD_SIGNED;
}

void ksr_report_free(struct ksr_report *rep)
{
	if (!rep)
		return;
	for (unsigned int i = 0; i < rep->nr_owned; i++)
		free(rep->owned[i]);
	for (unsigned int i = 0; i < rep->nr_vals; i++)
		ksr_values_free(rep->vals[i]);
	free(rep->owned);
	free(rep->vals);
	free(rep->f);
	ksr_config_free(rep->cfg);
	free(rep);
}

bool ksr_report_ok(const struct ksr_report *rep)
{
	return rep->ok;
}

unsigned int ksr_report_nr(const struct ksr_report *rep)
{
	return rep->nr;
}

int ksr_report_get(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f)
{
	size_t size = f->size;

	if (size < offsetof(struct ksr_finding, kind) + sizeof(f->kind))
		return -EINVAL;
	if (i >= rep->nr)
		return -ERANGE;
	memcpy(f, &rep->f[i], size < sizeof(*f) ? size : sizeof(*f));
	/* A newer caller's members this library does not know: zero. */
	if (size > sizeof(*f))
		memset((char *)f + sizeof(*f), 0, size - sizeof(*f));
	f->size = size;
	return 0;
}

const struct ksr_config *ksr_report_config(const struct ksr_report *rep)
{
	return rep->cfg;
}

/* Ends an operation: out of memory, or the report handed over. */
static int report_done(struct ksr_report *rep, struct ksr_report **out, char *err, size_t errlen)
{
	if (rep->nomem) {
		ksr_report_free(rep);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	*out = rep;
	return 0;
}

static int no_reg(uint64_t id, const char *where, char *err, size_t errlen)
{
	struct ksr_encoding e = ksr_encoding_from_key((uint32_t)(id & 0xffff));

	if (!ksr_id_is_sysreg(id))
		return ksr_fail(err, errlen, -ENOENT, "register %s (0x%016" PRIx64 ") is not in %s",
				ksr_fw_name(id) ?: "?", id, where);
	return ksr_fail(err, errlen, -ENOENT, "register %u,%u,%u,%u,%u is not in %s", e.op0, e.op1,
			e.crn, e.crm, e.op2, where);
}

/* ---- check -------------------------------------------------------------- */

static void why(struct ksr_finding *fnd, const struct ksr_verdict *v)
{
	fnd->ok = v->accept;
	fnd->reason = v->nr_faults ? v->faults[0].reason : 0;
	fnd->why = v->accept ? "accepted" : ksr_reason_name(fnd->reason);
}

/*
 * A firmware value list refusing value: a finding of fault_kind about the
 * whole register, with the values it accepts (allowed).
 */
static void check_value_list(struct ksr_report *rep, const struct ksr_reg *reg, uint64_t value,
			     const struct ksr_verdict *v, enum ksr_finding_kind fault_kind)
{
	struct ksr_values *vals = NULL;
	struct ksr_finding *fnd;

	if (ksr_reg_candidates_accepted(reg, NULL, 0, &vals))
		rep->nomem = true;
	fnd = ksr_report_add(rep, fault_kind, reg);
	if (!fnd) {
		ksr_values_free(vals);
		return;
	}
	why(fnd, v);
	fnd->value = value;
	fnd->result = reg->limit;
	if (vals)
		fnd->allowed = ksr_report_own_values(rep, vals);
}

void ksr_check_parts(struct ksr_report *rep, const struct ksr_reg *reg, uint64_t value,
		     const struct ksr_verdict *whole, enum ksr_finding_kind fault_kind, bool all)
{
	uint64_t fielded = 0, other;
	struct ksr_finding *fnd;
	struct ksr_verdict v;

	if (ksr_reg_is_value_list(reg)) {
		if (!whole->accept)
			check_value_list(rep, reg, value, whole, fault_kind);
		return;
	}
	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		const struct ksr_field *f = &reg->fields[i];
		uint64_t raw = raw_bits(f, value);
		struct ksr_values *vals = NULL;

		fielded |= ksr_field_mask(f);
		ksr_predict(reg, with_bits(reg->limit, ksr_field_mask(f), value), reg->limit, &v);
		if (v.accept && !all)
			continue;
		if (!v.accept && ksr_field_values(reg, f, reg->limit, &vals) == -ENOMEM)
			rep->nomem = true;
		fnd = ksr_report_add(rep, v.accept ? KSR_FINDING_FIELD : fault_kind, reg);
		if (!fnd) {
			ksr_values_free(vals);
			return;
		}
		ksr_finding_field(rep, fnd, f);
		why(fnd, &v);
		fnd->value = raw;
		fnd->result = raw_bits(f, reg->limit);
		if (vals)
			fnd->allowed = ksr_report_own_values(rep, vals);
	}
	other = (value ^ reg->limit) & ~fielded;
	if (other) {
		ksr_predict(reg, with_bits(reg->limit, ~fielded, value), reg->limit, &v);
		if (!v.accept && (fnd = ksr_report_add(rep, fault_kind, reg))) {
			why(fnd, &v);
			fnd->mask = other;
			fnd->value = value & other;
			fnd->result = reg->limit & other;
		}
	}
}

/*
 * Checks value on reg: a REG finding, then ksr_check_parts(). Returns
 * ksr_predict()'s verdict on the whole value.
 */
static bool check_reg(struct ksr_report *rep, const struct ksr_reg *reg, uint64_t value,
		      enum ksr_finding_kind fault_kind, bool all)
{
	struct ksr_finding *fnd = ksr_report_add(rep, KSR_FINDING_REG, reg);
	struct ksr_verdict v;

	ksr_predict(reg, value, reg->limit, &v);
	if (!fnd)
		return v.accept;
	why(fnd, &v);
	fnd->value = value;
	fnd->result = v.accept ? v.stored : reg->limit;
	ksr_check_parts(rep, reg, value, &v, fault_kind, all);
	return v.accept;
}

int ksr_check(const struct ksr_rules *rules, const struct ksr_config *cfg, struct ksr_report **out,
	      char *err, size_t errlen)
{
	struct ksr_report *rep = ksr_report_new();
	uint64_t id, value;

	if (!rep || !(rep->cfg = ksr_config_dup(cfg))) {
		free(rep);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	rep->ok = true;
	for (unsigned int i = 0; !ksr_config_entry_id(cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(rules, id);

		if (!reg) {
			ksr_report_free(rep);
			return no_reg(id, "the rules", err, errlen);
		}
		rep->ok &= check_reg(rep, reg, value, KSR_FINDING_FIELD, true);
	}
	return report_done(rep, out, err, errlen);
}

/* ---- clamp -------------------------------------------------------------- */

static int clamp_field(struct ksr_report *rep, const struct ksr_reg *reg, const struct ksr_field *f,
		       uint64_t want, uint64_t *out, char *err, size_t errlen)
{
	unsigned int w = f->width;
	bool sgn = f->flags & KSR_FIELD_SIGNED;
	int64_t o = ksr_bits_order(raw_bits(f, want), w, sgn), got;
	struct ksr_finding *fnd;
	struct ksr_values *vals;
	struct ksr_verdict v;
	int ret;

	ret = ksr_field_values(reg, f, reg->limit, &vals);
	if (ret == -E2BIG)
		return ksr_fail(err, errlen, ret, "%s.%s: %u bits: too wide to enumerate", ksr_reg_name(reg),
				f->name ?: "?", w);
	if (ret)
		return ksr_fail(err, errlen, ret, "out of memory");
	if (!ksr_values_closest(vals, o, &got)) {
		ksr_values_free(vals);
		return ksr_fail(err, errlen, -EPROTO, "%s.%s: no value is accepted", ksr_reg_name(reg),
				f->name ?: "?");
	}
	*out = with_bits(*out, ksr_field_mask(f), ksr_order_bits(got, w) << f->shift);
	if (got == o) {
		ksr_values_free(vals);
		return 0;
	}
	ksr_predict(reg, with_bits(reg->limit, ksr_field_mask(f), want), reg->limit, &v);
	fnd = ksr_report_add(rep, KSR_FINDING_CHANGE, reg);
	if (!fnd) {
		ksr_values_free(vals);
		return 0;
	}
	ksr_finding_field(rep, fnd, f);
	fnd->reason = v.nr_faults ? v.faults[0].reason : 0;
	fnd->why = ksr_reason_name(fnd->reason);
	fnd->value = raw_bits(f, want);
	fnd->result = ksr_order_bits(got, w);
	fnd->allowed = ksr_report_own_values(rep, vals);
	return 0;
}

/*
 * A firmware value list: the greatest accepted value at or below want,
 * else the default; a CHANGE finding about the whole register when it is
 * not want.
 */
static uint64_t clamp_value_list(struct ksr_report *rep, const struct ksr_reg *reg, uint64_t want)
{
	uint64_t got = reg->limit;
	struct ksr_values *vals = NULL;
	struct ksr_finding *fnd;
	struct ksr_verdict v;
	bool found = false;

	for (unsigned int i = 0; i < reg->nr_values; i++) {
		uint64_t c = reg->values[i].value;

		ksr_predict(reg, c, reg->limit, &v);
		if (v.accept && c <= want && (!found || c > got)) {
			got = c;
			found = true;
		}
	}
	ksr_predict(reg, reg->limit, reg->limit, &v);
	if (v.accept && reg->limit <= want && (!found || reg->limit > got)) {
		got = reg->limit;
		found = true;
	}
	if (!found)
		got = reg->limit;
	if (got == want)
		return got;
	ksr_predict(reg, want, reg->limit, &v);
	if (ksr_reg_candidates_accepted(reg, NULL, 0, &vals))
		rep->nomem = true;
	fnd = ksr_report_add(rep, KSR_FINDING_CHANGE, reg);
	if (!fnd) {
		ksr_values_free(vals);
		return got;
	}
	fnd->reason = v.nr_faults ? v.faults[0].reason : 0;
	fnd->why = ksr_reason_name(fnd->reason);
	fnd->value = want;
	fnd->result = got;
	if (vals)
		fnd->allowed = ksr_report_own_values(rep, vals);
	return got;
}

int ksr_clamp(const struct ksr_rules *rules, const struct ksr_config *cfg, struct ksr_report **out,
	      char *err, size_t errlen)
{
	struct ksr_report *rep = ksr_report_new();
	uint64_t id, want;
	int ret = 0;

	/* The clamped configuration keeps what the requested one kept */
	if (!rep || ksr_config_new(&rep->cfg) || ksr_config_keep_all(rep->cfg, cfg)) {
		if (rep)
			ksr_config_free(rep->cfg);
		free(rep);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	for (unsigned int i = 0; !ret && !ksr_config_entry_id(cfg, i, &id, &want); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(rules, id);
		uint64_t value, fielded = 0, other;
		struct ksr_finding *fnd;
		struct ksr_verdict v;

		if (!reg) {
			ret = no_reg(id, "the rules", err, errlen);
			break;
		}
		value = reg->limit;
		if (ksr_reg_is_value_list(reg))
			fielded = ~0ull;	/* the whole register, below */
		for (unsigned int j = 0; !ret && j < reg->nr_fields; j++) {
			fielded |= ksr_field_mask(&reg->fields[j]);
			ret = clamp_field(rep, reg, &reg->fields[j], want, &value, err, errlen);
		}
		other = (want ^ reg->limit) & ~fielded;
		if (!ret && other && (fnd = ksr_report_add(rep, KSR_FINDING_CHANGE, reg))) {
			ksr_predict(reg, with_bits(reg->limit, ~fielded, want), reg->limit, &v);
			fnd->reason = v.nr_faults ? v.faults[0].reason : KSR_UNFIELDED;
			fnd->why = ksr_reason_name(fnd->reason);
			fnd->mask = other;
			fnd->value = want & other;
			fnd->result = reg->limit & other;
		}
		if (ret)
			break;
		if (ksr_reg_is_value_list(reg))
			value = clamp_value_list(rep, reg, want);
		ksr_predict(reg, value, reg->limit, &v);
		if (!v.accept) {
			ret = ksr_fail(err, errlen, -EPROTO, "%s: the clamped value 0x%016" PRIx64
				       " is not accepted (%s)", ksr_reg_name(reg), value,
				       ksr_reason_name(v.faults[0].reason));
			break;
		}
		if (ksr_config_set_id(rep->cfg, id, value))
			rep->nomem = true;
	}
	if (ret) {
		ksr_report_free(rep);
		return ret;
	}
	rep->ok = true;
	return report_done(rep, out, err, errlen);
}

/* ---- migrate-check ------------------------------------------------------ */

int ksr_features_differ(const struct ksr_rules *a, const struct ksr_rules *b, const char *an,
			   const char *bn, char *err, size_t errlen)
{
	char fa[32] = "", fb[32] = "";

	if (a->vcpu_features == b->vcpu_features)
		return 0;
	for (unsigned int bit = 1; bit < 256; bit <<= 1) {
		if ((a->vcpu_features & bit) && ksr_feature_name(bit))
			snprintf(fa + strlen(fa), sizeof(fa) - strlen(fa), "%s%s", *fa ? "," : "",
				 ksr_feature_name(bit));
		if ((b->vcpu_features & bit) && ksr_feature_name(bit))
			snprintf(fb + strlen(fb), sizeof(fb) - strlen(fb), "%s%s", *fb ? "," : "",
				 ksr_feature_name(bit));
	}
	return ksr_fail(err, errlen, -EINVAL,
			"the vCPU features differ: %s has [%s], %s has [%s]: not the same kind of VM",
			an, fa, bn, fb);
}

int ksr_config_model(const struct ksr_rules *rules, const struct ksr_config *cfg,
		     struct ksr_config **model, ksr_refused_fn *refused, void *ctx)
{
	uint64_t id, value;

	if (ksr_config_from_defaults(rules, model))
		return -ENOMEM;
	if (cfg && ksr_config_keep_all(*model, cfg))
		goto nomem;
	for (unsigned int i = 0; cfg && !ksr_config_entry_id(cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(rules, id);
		struct ksr_verdict v;

		if (!reg) {
			refused(ctx, id, value, NULL, NULL);
			continue;
		}
		ksr_predict(reg, value, reg->limit, &v);
		if (!v.accept)
			refused(ctx, id, value, reg, &v);
		else if (ksr_config_set_id(*model, id, v.stored))
			goto nomem;
	}
	return 0;
nomem:
	ksr_config_free(*model);
	*model = NULL;
	return -ENOMEM;
}

/* The first register of a configuration the source lacks or refuses. */
struct first_refusal {
	bool found;
	uint64_t id, value;
	const struct ksr_reg *reg;
	enum ksr_reason reason;
	const struct ksr_field *field;
};

static void first_refusal(void *ctx, uint64_t id, uint64_t value, const struct ksr_reg *reg,
			  const struct ksr_verdict *v)
{
	struct first_refusal *r = ctx;

	if (r->found)
		return;
	*r = (struct first_refusal){ true, id, value, reg, v ? v->faults[0].reason : 0,
				     v ? v->faults[0].field : NULL };
}

int ksr_migrate_check(const struct ksr_rules *from, const struct ksr_rules *to,
		      const struct ksr_config *cfg, struct ksr_report **out, char *err, size_t errlen)
{
	struct first_refusal bad = { .found = false };
	struct ksr_config *model;
	struct ksr_report *rep;
	uint64_t id, value;
	int ret;

	ret = ksr_features_differ(from, to, "the source", "the destination", err, errlen);
	if (ret)
		return ret;
	/* The guest as the source's KVM holds it: what the destination is given */
	if (ksr_config_model(from, cfg, &model, first_refusal, &bad))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	if (bad.found) {
		const struct ksr_field *f = bad.field;

		ksr_config_free(model);
		if (!bad.reg)
			return no_reg(bad.id, "the source's rules", err, errlen);
		return ksr_fail(err, errlen, -EINVAL,
				"the configuration is not accepted on the source: %s 0x%016" PRIx64
				": %s%s%s", ksr_reg_name(bad.reg), bad.value, f ? (f->name ?: "?") : "",
				f ? ": " : "", ksr_reason_name(bad.reason));
	}
	rep = ksr_report_new();
	if (!rep) {
		ksr_config_free(model);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	rep->cfg = model;
	rep->ok = true;
	for (unsigned int i = 0; !ksr_config_entry_id(rep->cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(to, id);
		struct ksr_finding *fnd;

		if (reg) {
			rep->ok &= check_reg(rep, reg, value, KSR_FINDING_BLOCKER, false);
			continue;
		}
		rep->ok = false;
		fnd = ksr_report_add(rep, KSR_FINDING_BLOCKER, ksr_rules_find_id(from, id));
		if (fnd) {
			fnd->missing = 1;
			fnd->value = value;
			fnd->why = "register-missing";
		}
	}
	return report_done(rep, out, err, errlen);
}
