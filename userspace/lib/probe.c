// SPDX-License-Identifier: GPL-2.0
/*
 * The probing source: the rules of a scratch VM learned by trial writes, for
 * a kernel with neither KVM_ARM_GET_REG_SAFE_RULES nor the module. What a
 * VMM can learn that way, and no more (Documentation/probing.rst):
 *
 *  - registers: the ID-register path's (sysreg.h), each read with
 *    KVM_GET_ONE_REG (its default) and its writable bits from
 *    KVM_ARM_GET_REG_WRITABLE_MASKS;
 *  - fields: the layout of arch/arm64/tools/sysreg (names, widths, signed
 *    enums); writable bits no named field covers become unnamed fields, a
 *    nibble or a bit each;
 *  - a register whose writes KVM ignores: one write of every bit flipped,
 *    accepted and read back unchanged, marks it KSR_REG_WRITES_IGNORED;
 *  - each field of at most 4 bits, writable or not by the masks: every
 *    value written with the other fields at their defaults, each accepted
 *    value read back, the default written back after it. The field is KSR_FIELD_LEARNED with the
 *    values KVM accepted; a value read back as another is an alias; the rule
 *    shown is the one that gives exactly those values, KSR_FIELD_RULE_UNSURE
 *    when several do, KSR_RULE_UNKNOWN when none does;
 *  - a wider writable field: KSR_FIELD_PROBE, only its default is known; a
 *    wider field outside the writable mask must keep its default (not tried).
 *
 * Not learned: combinations of fields (each is tried on the others'
 * defaults), the rule of a field beyond the values seen, RAZ registers
 * (a register whose only accepted value is its default looks the same).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <linux/kvm.h>

#include "internal.h"
#include "sysreg.h"
#include "sysreg-names.h"
#include "vm.h"

/* Fields up to this wide are tried value by value. */
#define PROBE_MAX_WIDTH 4

struct probe {
	struct ksr_vm *vm;
	struct ksr_rules *rules;
	struct ksr_probe_stats stats;
};

static uint64_t raw_of(const struct ksr_field *f, uint64_t v)
{
	return (v & ksr_field_mask(f)) >> f->shift;
}

/* The raw value's place in the field's order (signed fields: two's complement). */
static int64_t ord(const struct ksr_field *f, uint64_t raw)
{
	if ((f->flags & KSR_FIELD_SIGNED) && raw >> (f->width - 1))
		return (int64_t)raw - (1ll << f->width);
	return (int64_t)raw;
}

/* ---- fitting a rule to the accepted values -------------------------------- */

struct fit {
	uint8_t type;
	uint32_t flags;		/* KSR_FIELD_MIN, KSR_FIELD_MIN_OR_ZERO */
	uint64_t safe_val, min_val;
};

/* The values a rule accepts, as a bitmap of raw values. */
static uint16_t rule_values(const struct ksr_field *f, uint64_t d, const struct fit *r)
{
	uint16_t set = 0;

	for (uint64_t x = 0; x < 1u << f->width; x++) {
		int64_t v = ord(f, x), lv = ord(f, d);
		bool ok;

		switch (r->type) {
		case KSR_RULE_LOWER_SAFE:
			ok = v <= lv;
			break;
		case KSR_RULE_HIGHER_SAFE:
			ok = v >= lv;
			break;
		case KSR_RULE_HIGHER_OR_ZERO_SAFE:
			ok = x == 0 || (lv != 0 && v >= lv) || x == d;
			break;
		default:
			ok = x == d || x == r->safe_val;
			break;
		}
		if ((r->flags & KSR_FIELD_MIN) && x < r->min_val &&
		    !((r->flags & KSR_FIELD_MIN_OR_ZERO) && x == 0))
			ok = false;
		if (ok)
			set |= 1u << x;
	}
	return set;
}

/*
 * Every rule the field's accepted values fit, in order of preference: the
 * plain ordered rules, then with a minimum, then EXACT. Returns how many fit;
 * *best is the first.
 */
static unsigned int fit_rule(const struct ksr_field *f, uint64_t d, uint16_t accepted,
			     struct fit *best)
{
	static const uint8_t ordered[] = {
		KSR_RULE_LOWER_SAFE, KSR_RULE_HIGHER_OR_ZERO_SAFE, KSR_RULE_HIGHER_SAFE,
	};
	unsigned int n = 0;
	struct fit r;

#define TRY(...) do {							\
		r = (struct fit){ __VA_ARGS__ };			\
		if (rule_values(f, d, &r) == accepted && !n++)		\
			*best = r;					\
	} while (0)

	for (size_t i = 0; i < sizeof(ordered); i++)
		TRY(.type = ordered[i]);
	/* KVM's minimums are unsigned, on LOWER_SAFE fields */
	for (uint64_t m = 1; !(f->flags & KSR_FIELD_SIGNED) && m <= d; m++) {
		TRY(.type = KSR_RULE_LOWER_SAFE, .flags = KSR_FIELD_MIN, .min_val = m);
		if (m > 1)
			TRY(.type = KSR_RULE_LOWER_SAFE, .flags = KSR_FIELD_MIN | KSR_FIELD_MIN_OR_ZERO,
			    .min_val = m);
	}
	for (uint64_t s = 0; s < 1u << f->width; s++)
		TRY(.type = KSR_RULE_EXACT, .safe_val = s);
#undef TRY
	return n;
}

/*
 * Learns a field from accepted (raw values KVM took) and stored (what each
 * read back as). One value read back as another is an alias, whose
 * validation KVM did on the value stored; the rule is fitted to the others.
 */
static void learn(struct ksr_field *f, uint64_t d, uint16_t accepted, const uint8_t *stored)
{
	uint16_t fit_set = accepted;
	unsigned int aliases = 0, n;
	struct fit best = { 0 };

	for (uint64_t x = 0; x < 1u << f->width; x++) {
		if (!(accepted >> x & 1) || stored[x] == x)
			continue;
		if (!aliases++) {
			f->alias_from = x;
			f->alias_to = stored[x];
		}
		fit_set &= ~(1u << x);
	}
	f->flags |= KSR_FIELD_LEARNED;
	f->accepted = accepted;
	if (aliases == 1)
		f->flags |= KSR_FIELD_ALIAS;
	else if (aliases)	/* more than the model holds: only the default */
		f->flags |= KSR_FIELD_PROBE;
	n = fit_rule(f, d, fit_set, &best);
	if (!n) {
		f->type = KSR_RULE_UNKNOWN;
		return;
	}
	f->type = best.type;
	f->safe_val = best.type == KSR_RULE_EXACT ? best.safe_val : 0;
	f->min_val = best.min_val;
	f->flags |= best.flags;
	if (n > 1)
		f->flags |= KSR_FIELD_RULE_UNSURE;
}

/* ---- trial writes --------------------------------------------------------- */

/* KVM_SET_ONE_REG, counted; a refusal (EINVAL, E2BIG) is 1, success 0. */
static int try_write(struct probe *p, uint64_t id, uint64_t value)
{
	int ret = ksr_vm_set_reg(p->vm, id, value);

	p->stats.writes++;
	if (ret == -EINVAL || ret == -E2BIG)
		return 1;
	return ret;
}

static int read_reg(struct probe *p, uint64_t id, uint64_t *value)
{
	p->stats.reads++;
	return ksr_vm_get_reg(p->vm, id, value);
}

static int fail(const struct ksr_reg *reg, const char *what, int ret, char *err, size_t errlen)
{
	return ksr_fail(err, errlen, ret, "probing %s: %s: %s",
			reg->name ? reg->name : reg->generic_name, what, strerror(-ret));
}

/* Every value of a writable field of at most PROBE_MAX_WIDTH bits. */
static int probe_field(struct probe *p, struct ksr_reg *reg, struct ksr_field *f,
		       char *err, size_t errlen)
{
	uint64_t mask = ksr_field_mask(f), d = raw_of(f, reg->limit);
	uint8_t stored[1u << PROBE_MAX_WIDTH] = { 0 };
	uint16_t accepted = 0;
	int ret;

	for (uint64_t x = 0; x < 1u << f->width; x++) {
		uint64_t value = (reg->limit & ~mask) | x << f->shift, back;

		ret = try_write(p, reg->id, value);
		if (ret == 1)
			continue;
		if (ret)
			return fail(reg, "KVM_SET_ONE_REG", ret, err, errlen);
		ret = read_reg(p, reg->id, &back);
		if (ret)
			return fail(reg, "KVM_GET_ONE_REG", ret, err, errlen);
		accepted |= 1u << x;
		p->stats.accepted++;
		stored[x] = (uint8_t)raw_of(f, back);
		/* bits beyond the field changed: a write that does more than it says */
		if ((back & ~mask) != (reg->limit & ~mask))
			f->flags |= KSR_FIELD_PROBE;
		if (back != reg->limit) {
			ret = try_write(p, reg->id, reg->limit);
			if (ret)
				return fail(reg, "writing its default back: KVM_SET_ONE_REG",
					    ret == 1 ? -EINVAL : ret, err, errlen);
		}
	}
	learn(f, d, accepted, stored);
	p->stats.fields_learned++;
	if (f->flags & KSR_FIELD_RULE_UNSURE)
		p->stats.fields_unsure++;
	return 0;
}

/* ---- the layout ------------------------------------------------------------ */

/*
 * The fields of a register: the named ones, then writable bits none of them
 * covers, a nibble at a time (a bit at a time where a nibble is partly
 * covered). Fills fields (room for 64) and returns their number.
 */
static unsigned int layout(const struct ksr_sysreg_name *known, uint64_t writable,
			   struct ksr_field *fields)
{
	uint64_t covered = 0;
	unsigned int n = 0;

	for (unsigned int i = 0; known && i < known->nr_fields; i++) {
		const struct ksr_sysreg_field_name *k = &known->fields[i];
		struct ksr_field *f = &fields[n++];

		*f = (struct ksr_field){ .name = k->name, .shift = k->shift, .width = k->width };
		if (k->is_signed)
			f->flags |= KSR_FIELD_SIGNED;
		covered |= ksr_field_mask(f);
	}
	for (unsigned int nib = 0; nib < 16; nib++) {
		uint64_t m = 0xfull << (4 * nib);

		if (!(writable & m & ~covered))
			continue;
		if ((m & writable & ~covered) == m) {
			fields[n++] = (struct ksr_field){ .shift = 4 * nib, .width = 4 };
			continue;
		}
		for (unsigned int b = 4 * nib; b < 4 * nib + 4; b++)
			if (writable & ~covered & 1ull << b)
				fields[n++] = (struct ksr_field){ .shift = b, .width = 1 };
	}
	return n;
}

/*
 * A register whose every write KVM takes and drops (KVM's "RAZ, user writes
 * ignored"): one write of every bit flipped tells, read back as before.
 * Returns 1 when so, 0 when not (the default written back), or -errno.
 */
static int writes_ignored(struct probe *p, struct ksr_reg *reg, char *err, size_t errlen)
{
	uint64_t back;
	int ret = try_write(p, reg->id, ~reg->limit);

	if (ret == 1)
		return 0;
	if (ret)
		return fail(reg, "KVM_SET_ONE_REG", ret, err, errlen);
	p->stats.accepted++;
	ret = read_reg(p, reg->id, &back);
	if (ret)
		return fail(reg, "KVM_GET_ONE_REG", ret, err, errlen);
	if (back == reg->limit)
		return 1;
	ret = try_write(p, reg->id, reg->limit);
	if (ret)
		return fail(reg, "writing its default back: KVM_SET_ONE_REG", ret == 1 ? -EINVAL : ret,
			    err, errlen);
	return 0;
}

static int probe_reg(struct probe *p, struct ksr_reg *reg, struct ksr_encoding enc,
		     const uint64_t *masks, char *err, size_t errlen)
{
	const char *name = ksr_encoding_known_name(enc);
	struct ksr_field fields[64];
	uint64_t named = 0;
	unsigned int n;
	int ret;

	n = layout(name ? ksr_sysreg_lookup(name) : NULL,
		   masks[ksr_encoding_to_mask_idx(enc)], fields);
	if (ksr_reg_init(reg, enc, name, n))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	reg->id = ksr_encoding_to_id(enc);
	reg->writable_mask = masks[ksr_encoding_to_mask_idx(enc)];
	ret = read_reg(p, reg->id, &reg->limit);
	if (ret)
		return fail(reg, "KVM_GET_ONE_REG", ret, err, errlen);
	for (unsigned int i = 0; i < n; i++)
		if (fields[i].name)
			named |= ksr_field_mask(&fields[i]);
	reg->unfielded_mask = reg->writable_mask & ~named;
	ret = writes_ignored(p, reg, err, errlen);
	if (ret < 0)
		return ret;
	if (ret)
		reg->flags |= KSR_REG_WRITES_IGNORED;
	for (unsigned int i = 0; i < n; i++) {
		struct ksr_field *f = &reg->fields[i];
		uint64_t m = ksr_field_mask(&fields[i]);

		*f = fields[i];
		f->name = NULL;
		if (ksr_set_name(&f->name, fields[i].name))
			return ksr_fail(err, errlen, -ENOMEM, "out of memory");
		f->type = f->host_type = KSR_RULE_UNKNOWN;
		if ((reg->writable_mask & m) == m)
			f->flags |= KSR_FIELD_WRITABLE;
		if (reg->flags & KSR_REG_WRITES_IGNORED)
			continue;
		/* a field KVM says is not writable is tried too: KVM's word is its writes */
		if (f->width > PROBE_MAX_WIDTH) {
			if (f->flags & KSR_FIELD_WRITABLE) {
				f->flags |= KSR_FIELD_PROBE;
				p->stats.fields_not_learned++;
			}
			continue;
		}
		ret = probe_field(p, reg, f, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static int probe_rules(struct probe *p, char *err, size_t errlen)
{
	struct ksr_encoding encs[KSR_ID_REGS_COUNT];
	uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	unsigned int dup, dup_of;
	bool dup_is_name;
	struct utsname uts;
	int ret;

	ret = ksr_vm_writable_masks(p->vm, masks);
	if (ret)
		return ksr_fail(err, errlen, ret, "KVM_ARM_GET_REG_WRITABLE_MASKS: %s",
				strerror(-ret));
	if (uname(&uts))
		strcpy(uts.release, "");
	p->rules = ksr_rules_alloc(KSR_ID_REGS_COUNT);
	if (!p->rules || ksr_rules_set_meta(p->rules, uts.release, "probe", ksr_vm_features(p->vm)))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	p->rules->provider = KSR_PROVIDER_PROBE;
	ksr_id_regs(encs);
	for (unsigned int i = 0; i < KSR_ID_REGS_COUNT; i++) {
		ret = probe_reg(p, &p->rules->regs[i], encs[i], masks, err, errlen);
		if (ret)
			return ret;
		if (ksr_reg_name_fields(&p->rules->regs[i]))
			return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	if (ksr_rules_index(p->rules, &dup, &dup_of, &dup_is_name))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	return 0;
}

/* ---- the source ------------------------------------------------------------ */

static int probe_src_rules(struct ksr_source *src, struct ksr_rules **rules, char *err,
			   size_t errlen)
{
	struct probe *p = src->priv;

	if (ksr_rules_copy(p->rules, rules))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	return 0;
}

static int probe_src_current(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value)
{
	return ksr_vm_get_reg(((struct probe *)src->priv)->vm, reg->id, value);
}

static int probe_src_write(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value)
{
	return ksr_vm_set_reg(((struct probe *)src->priv)->vm, reg->id, value);
}

static void probe_free(struct probe *p)
{
	ksr_rules_free(p->rules);
	ksr_vm_close(p->vm);
	free(p);
}

static void probe_src_close(struct ksr_source *src)
{
	probe_free(src->priv);
}

static const struct ksr_source_ops probe_ops = {
	.kind = "probe",
	.rules = probe_src_rules,
	.current = probe_src_current,
	.write = probe_src_write,
	.close = probe_src_close,
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int ksr_probe_open(struct ksr_source **src, struct ksr_vm *vm, char *err, size_t errlen)
{
	struct probe *p = calloc(1, sizeof(*p));
	uint64_t t0 = now_ns();
	int ret;

	if (!p) {
		ksr_vm_close(vm);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	p->vm = vm;
	p->stats.size = sizeof(p->stats);
	ret = probe_rules(p, err, errlen);
	if (ret) {
		probe_free(p);
		return ret;
	}
	p->stats.nanoseconds = now_ns() - t0;
	*src = ksr_source_new(&probe_ops, p);
	if (!*src) {
		probe_free(p);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	(*src)->provider = KSR_PROVIDER_PROBE;
	(*src)->probe_stats = &p->stats;
	(*src)->vm = p->vm;
	return 0;
}
