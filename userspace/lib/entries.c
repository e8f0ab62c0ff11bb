// SPDX-License-Identifier: GPL-2.0
/*
 * The entries of KVM_ARM_GET_REG_SAFE_RULES as rules (entries.h): ID
 * registers with their fields, firmware registers with their values. The
 * UAPI's constants are mapped onto the library's own here; no arm64 header
 * is needed, so the host's unit tests feed it entries of their own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "entries.h"

/*
 * The UAPI's rule types and flags, mapped onto the library's own. A type,
 * kind or flag this library does not know is never ignored: the field (or
 * register) is marked as one to probe, as api.rst asks.
 */
static uint8_t rule_type(uint8_t uapi)
{
	switch (uapi) {
	case KVM_ARM_ID_RULE_EXACT:
		return KSR_RULE_EXACT;
	case KVM_ARM_ID_RULE_LOWER_SAFE:
		return KSR_RULE_LOWER_SAFE;
	case KVM_ARM_ID_RULE_HIGHER_SAFE:
		return KSR_RULE_HIGHER_SAFE;
	case KVM_ARM_ID_RULE_HIGHER_OR_ZERO_SAFE:
		return KSR_RULE_HIGHER_OR_ZERO_SAFE;
	}
	return KSR_RULE_UNKNOWN;
}

struct flag_map {
	uint32_t uapi, ksr;
};

static const struct flag_map reg_flags[] = {
	{ KVM_ARM_ID_RULE_RAZ, KSR_REG_RAZ },
	{ KVM_ARM_ID_RULE_WRITE_IGNORED, KSR_REG_WRITES_IGNORED },
	{ KVM_ARM_ID_RULE_IMMUTABLE, KSR_REG_IMMUTABLE },
	{ KVM_ARM_ID_RULE_PROBE, KSR_REG_PROBE },
	{ 0, 0 }
};

/* A firmware register's: anything else (RAZ, WRITE_IGNORED, ...) is to probe. */
static const struct flag_map fw_reg_flags[] = {
	{ KVM_ARM_ID_RULE_IMMUTABLE, KSR_REG_IMMUTABLE },
	{ KVM_ARM_ID_RULE_PROBE, KSR_REG_PROBE },
	{ KVM_ARM_ID_RULE_FW_BITMAP, KSR_REG_BITMAP },
	{ KVM_ARM_ID_RULE_FW_FOLLOWS_ID_REGS, KSR_REG_FOLLOWS_ID_REGS },
	{ 0, 0 }
};

static const struct flag_map field_flags[] = {
	{ KVM_ARM_ID_RULE_SIGNED, KSR_FIELD_SIGNED },
	{ KVM_ARM_ID_RULE_WRITABLE, KSR_FIELD_WRITABLE },
	{ KVM_ARM_ID_RULE_MIN, KSR_FIELD_MIN },
	{ KVM_ARM_ID_RULE_MIN_OR_ZERO, KSR_FIELD_MIN_OR_ZERO },
	{ KVM_ARM_ID_RULE_ALIAS, KSR_FIELD_ALIAS },
	{ KVM_ARM_ID_RULE_ALIAS_HOST, KSR_FIELD_ALIAS_HOST },
	{ KVM_ARM_ID_RULE_PROBE, KSR_FIELD_PROBE },
	{ 0, 0 }
};

/* Maps known flags; any other bit becomes the source's "probe" flag. */
static uint32_t map_flags(const struct flag_map *map, uint32_t uapi, uint32_t probe)
{
	uint32_t out = 0, known = 0;

	for (; map->uapi; map++) {
		known |= map->uapi;
		if (uapi & map->uapi)
			out |= map->ksr;
	}
	return uapi & ~known ? out | probe : out;
}

/* A sysreg id's encoding: its low 16 bits are op0..op2 as ksr_encoding_key() packs them. */
static struct ksr_encoding id_to_encoding(uint64_t id)
{
	return ksr_encoding_from_key((uint32_t)(id & 0xffff));
}

static void fill_field(struct ksr_field *f, const struct kvm_arm_id_reg_rule *e)
{
	f->shift = e->shift;
	f->width = e->width;
	f->type = rule_type(e->type);
	f->host_type = f->type;
	f->flags = map_flags(field_flags, e->flags, KSR_FIELD_PROBE);
	if (f->type == KSR_RULE_UNKNOWN)
		f->flags |= KSR_FIELD_PROBE;
	f->safe_val = e->safe_val;
	f->min_val = e->min_val;
	f->alias_from = e->alias_from;
	f->alias_to = e->alias_to;
}

/*
 * The entries of one register: the register's entry, then nr_fields entries
 * of the kind its kind takes (FIELD after REG, FW_VALUE after FW_REG), of
 * the same register. An entry of a kind this library does not know stands
 * for its register, its nr_fields entries skipped whatever they are.
 */
static bool entries_ok(const struct kvm_arm_id_reg_rule *e, uint32_t left)
{
	uint32_t sub;

	if (e->nr_fields > left - 1)
		return false;
	switch (e->kind) {
	case KVM_ARM_ID_RULE_KIND_REG:
		sub = KVM_ARM_ID_RULE_KIND_FIELD;
		break;
	case KVM_ARM_ID_RULE_KIND_FW_REG:
		sub = KVM_ARM_ID_RULE_KIND_FW_VALUE;
		break;
	case KVM_ARM_ID_RULE_KIND_FIELD:
	case KVM_ARM_ID_RULE_KIND_FW_VALUE:
		return false;
	default:
		return true;
	}
	for (uint32_t j = 1; j <= e->nr_fields; j++)
		if (e[j].kind != sub || e[j].reg != e->reg)
			return false;
	return true;
}

static int fill_id_reg(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	struct ksr_encoding enc = id_to_encoding(e->reg);

	if (ksr_reg_init(reg, enc, NULL, e->nr_fields))
		return -ENOMEM;
	reg->id = e->reg;
	reg->flags = map_flags(reg_flags, e->flags, KSR_REG_PROBE);
	reg->writable_mask = e->mask;
	reg->limit = e->limit;
	reg->unfielded_mask = e->unfielded_mask;
	for (uint32_t j = 0; j < e->nr_fields; j++)
		fill_field(&reg->fields[j], &e[1 + j]);
	return 0;
}

/*
 * A firmware register: a bitmap (its mask the bits KVM offers, one field
 * each) or its accepted values, ascending (-EPROTO when they are not).
 * Anything this library does not know about it makes it one to probe.
 */
static int fill_fw_reg(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	bool bitmap = e->flags & KVM_ARM_ID_RULE_FW_BITMAP;

	if (ksr_fw_reg_init(reg, e->reg, NULL, 0, bitmap ? 0 : e->nr_fields))
		return -ENOMEM;
	reg->flags = map_flags(fw_reg_flags, e->flags, KSR_REG_PROBE);
	reg->writable_mask = e->mask;
	reg->limit = e->limit;
	reg->unfielded_mask = e->unfielded_mask;
	if (bitmap) {
		if (e->nr_fields)
			reg->flags |= KSR_REG_PROBE;
		return ksr_fw_bitmap_fields(reg);
	}
	for (uint32_t j = 0; j < e->nr_fields; j++) {
		const struct kvm_arm_id_reg_rule *v = &e[1 + j];

		if (j && v->alias_from <= reg->values[j - 1].value)
			return -EPROTO;
		if (v->flags)
			reg->flags |= KSR_REG_PROBE;
		reg->values[j] = (struct ksr_fw_value){ v->alias_from, v->alias_to };
	}
	return 0;
}

/* An entry of a kind this library does not know: its register, to probe. */
static int fill_unknown(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	struct ksr_encoding enc = id_to_encoding(e->reg);
	int ret;

	if (ksr_id_is_sysreg(e->reg))
		ret = ksr_reg_init(reg, enc, NULL, 0);
	else
		ret = ksr_fw_reg_init(reg, e->reg, NULL, 0, 0);
	reg->flags = KSR_REG_PROBE;
	reg->limit = e->limit;
	return ret;
}

/* The register of rules (of the first n) with this id, or NULL. */
static struct ksr_reg *reg_with_id(struct ksr_rules *rules, unsigned int n, uint64_t id)
{
	for (unsigned int i = 0; i < n; i++)
		if (rules->regs[i].id == id)
			return &rules->regs[i];
	return NULL;
}

int ksr_rules_from_entries(const struct kvm_arm_id_reg_rule *e, uint32_t n, struct ksr_rules **out,
			   const char **why)
{
	struct ksr_rules *rules;
	unsigned int nr_regs = 0;
	int ret = 0;

	for (uint32_t i = 0; i < n; i += 1 + e[i].nr_fields) {
		if (!entries_ok(&e[i], n - i)) {
			*why = "entries are not registers each followed by their fields or values";
			return -EPROTO;
		}
		nr_regs++;
	}
	rules = ksr_rules_alloc(nr_regs);
	if (!rules)
		return -ENOMEM;
	nr_regs = 0;
	for (uint32_t i = 0; i < n && !ret; i += 1 + e[i].nr_fields) {
		struct ksr_reg *reg = &rules->regs[nr_regs], *known;

		if (e[i].kind == KVM_ARM_ID_RULE_KIND_REG) {
			ret = fill_id_reg(reg, &e[i]);
		} else if (e[i].kind == KVM_ARM_ID_RULE_KIND_FW_REG) {
			ret = fill_fw_reg(reg, &e[i]);
		} else if ((known = reg_with_id(rules, nr_regs, e[i].reg))) {
			known->flags |= KSR_REG_PROBE;	/* never ignored */
			continue;
		} else {
			ret = fill_unknown(reg, &e[i]);
		}
		nr_regs++;
	}
	/* Fewer when an entry of an unknown kind was about a register already listed */
	rules->nr_regs = nr_regs;
	if (ret) {
		ksr_rules_free(rules);
		*why = "the values of a firmware register are not ascending";
		return ret;
	}
	*out = rules;
	return 0;
}
