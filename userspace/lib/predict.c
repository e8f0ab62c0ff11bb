// SPDX-License-Identifier: GPL-2.0
/*
 * The predictor. Every decision comes from the exported rules of the
 * register; the order is the one KVM documents: aliases, minimums,
 * immutability, RAZ, writable fields, every other bit. A rule KVM marks as
 * one to probe is never guessed: only the default is predicted accepted.
 * A field whose values were learned by trial writes (probe.c) is decided by
 * those values, not by the rule that was fitted to them.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static const char *const reason_names[] = {
	[KSR_ABOVE_LIMIT] = "above-default",
	[KSR_BELOW_LIMIT] = "below-default",
	[KSR_ZERO_LIMIT] = "default-is-zero",
	[KSR_NOT_SAFE_VAL] = "not-default-or-safe-value",
	[KSR_BELOW_MIN] = "below-minimum",
	[KSR_NOT_WRITABLE] = "not-writable",
	[KSR_RAZ] = "register-is-raz",
	[KSR_UNFIELDED] = "bits-outside-fields",
	[KSR_IMMUTABLE] = "vm-has-run",
	[KSR_UNKNOWN_RULE] = "unknown-rule",
	[KSR_PROBE] = "rule-to-probe",
	[KSR_PROBED_REFUSED] = "refused-when-probed",
	[KSR_NOT_OFFERED] = "not-offered",
	[KSR_NOT_LISTED] = "not-an-accepted-value",
};

const char *ksr_reason_name(enum ksr_reason reason)
{
	if ((unsigned int)reason < sizeof(reason_names) / sizeof(reason_names[0]) &&
	    reason_names[reason])
		return reason_names[reason];
	return "unknown";
}

static uint64_t field_raw(const struct ksr_field *f, uint64_t v)
{
	return (v & ksr_field_mask(f)) >> f->shift;
}

static void fault(struct ksr_verdict *v, const struct ksr_field *f,
		  enum ksr_reason reason, uint64_t bits, int error)
{
	if (v->nr_faults < KSR_MAX_FAULTS)
		v->faults[v->nr_faults++] = (struct ksr_fault){ f, reason, bits };
	if (!v->error)
		v->error = error;
}

/* Is field value fv acceptable against the default's lv? */
static enum ksr_reason check_field(const struct ksr_field *f, int64_t fv, int64_t lv)
{
	if (fv == lv)
		return 0;
	switch (f->type) {
	case KSR_RULE_LOWER_SAFE:
		return fv < lv ? 0 : KSR_ABOVE_LIMIT;
	case KSR_RULE_HIGHER_SAFE:
		return fv > lv ? 0 : KSR_BELOW_LIMIT;
	case KSR_RULE_HIGHER_OR_ZERO_SAFE:
		if (fv == 0)
			return 0;
		if (lv == 0)
			return KSR_ZERO_LIMIT;
		return fv > lv ? 0 : KSR_BELOW_LIMIT;
	case KSR_RULE_EXACT:
		return fv == (int64_t)f->safe_val ? 0 : KSR_NOT_SAFE_VAL;
	}
	return KSR_UNKNOWN_RULE;
}

/* A learned field: the raw value as written (before any alias) was accepted. */
static enum ksr_reason check_learned(const struct ksr_field *f, uint64_t written)
{
	return f->accepted >> field_raw(f, written) & 1 ? 0 : KSR_PROBED_REFUSED;
}

/* The firmware flags this predictor knows; any other: only the default. */
#define FW_KNOWN_FLAGS (KSR_REG_IMMUTABLE | KSR_REG_BITMAP | KSR_REG_FOLLOWS_ID_REGS)

/*
 * A firmware register: its rule first (a bitmap's offered bits, or the list
 * of accepted values), then immutability: the opposite order to ID
 * registers, as hypercalls.c checks them.
 */
static void predict_firmware(const struct ksr_reg *reg, uint64_t value, uint64_t current,
			     struct ksr_verdict *v)
{
	uint64_t stored = value;

	if ((reg->flags & ~FW_KNOWN_FLAGS) || reg->kind != KSR_REG_KIND_FIRMWARE) {
		if (value != reg->limit)
			fault(v, NULL, KSR_PROBE, value ^ reg->limit, -EINVAL);
	} else if (reg->flags & KSR_REG_BITMAP) {
		if (value & ~reg->writable_mask)
			fault(v, NULL, KSR_NOT_OFFERED, value & ~reg->writable_mask, -EINVAL);
	} else {
		const struct ksr_fw_value *fv = NULL;

		for (unsigned int i = 0; i < reg->nr_values && !fv; i++)
			if (reg->values[i].value == value)
				fv = &reg->values[i];
		if (fv)
			stored = fv->reads_back;
		else
			fault(v, NULL, KSR_NOT_LISTED, value, -EINVAL);
	}
	if (!v->nr_faults && (reg->flags & KSR_REG_IMMUTABLE) && value != current)
		fault(v, NULL, KSR_IMMUTABLE, value ^ current, -EBUSY);
	v->accept = v->nr_faults == 0;
	if (v->accept)
		v->stored = stored;
}

void ksr_predict(const struct ksr_reg *reg, uint64_t value, uint64_t current,
		 struct ksr_verdict *v)
{
	const uint64_t written = value;
	uint64_t writable = 0, diff;

	memset(v, 0, sizeof(*v));
	if (reg->kind != KSR_REG_KIND_ID) {
		predict_firmware(reg, value, current, v);
		return;
	}
	if (reg->flags & KSR_REG_WRITES_IGNORED) {
		v->accept = true;
		v->stored = current;
		return;
	}

	/* 1. aliases */
	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		const struct ksr_field *f = &reg->fields[i];

		if ((f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST)) &&
		    field_raw(f, value) == f->alias_from)
			value = (value & ~ksr_field_mask(f)) | ((f->alias_to << f->shift) & ksr_field_mask(f));
	}

	/* 2. minimums (unsigned) */
	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		const struct ksr_field *f = &reg->fields[i];
		uint64_t raw = field_raw(f, value);

		if ((f->flags & KSR_FIELD_MIN) && !(f->flags & KSR_FIELD_LEARNED) && raw < f->min_val &&
		    !((f->flags & KSR_FIELD_MIN_OR_ZERO) && raw == 0))
			fault(v, f, KSR_BELOW_MIN, ksr_field_mask(f), -EINVAL);
	}
	if (v->nr_faults)
		return;

	/* 3. once the VM has run, only its current value */
	if (reg->flags & KSR_REG_IMMUTABLE) {
		if (value != current)
			fault(v, NULL, KSR_IMMUTABLE, value ^ current, -EBUSY);
		goto out;
	}

	/*
	 * 4. a register whose rule KVM cannot express: only its default is
	 * known to be accepted
	 */
	if ((reg->flags & KSR_REG_PROBE) && value != reg->limit) {
		fault(v, NULL, KSR_PROBE, value ^ reg->limit, -EINVAL);
		goto out;
	}

	/* 5. RAZ */
	if (reg->flags & KSR_REG_RAZ) {
		if (value)
			fault(v, NULL, KSR_RAZ, value, -EINVAL);
		goto out;
	}

	/* 6. writable fields, by their rule; a field to probe: only its default */
	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		const struct ksr_field *f = &reg->fields[i];
		enum ksr_reason r;

		if (!(f->flags & (KSR_FIELD_WRITABLE | KSR_FIELD_LEARNED)))
			continue;
		writable |= ksr_field_mask(f);
		if (f->flags & KSR_FIELD_LEARNED)
			r = check_learned(f, written);
		else if (f->flags & KSR_FIELD_PROBE)
			r = ksr_field_get(f, value) == ksr_field_get(f, reg->limit) ? 0 : KSR_PROBE;
		else
			r = check_field(f, ksr_field_get(f, value), ksr_field_get(f, reg->limit));
		if (r)
			fault(v, f, r, ksr_field_mask(f), -EINVAL);
	}

	/* 7. every other bit must equal the default */
	diff = (value ^ reg->limit) & ~writable;
	for (unsigned int i = 0; i < reg->nr_fields && diff; i++) {
		const struct ksr_field *f = &reg->fields[i];

		if (diff & ksr_field_mask(f)) {
			fault(v, f, KSR_NOT_WRITABLE, diff & ksr_field_mask(f), -EINVAL);
			diff &= ~ksr_field_mask(f);
		}
	}
	if (diff)
		fault(v, NULL, KSR_UNFIELDED, diff, -EINVAL);
out:
	v->accept = v->nr_faults == 0;
	if (v->accept)
		v->stored = value;
}
