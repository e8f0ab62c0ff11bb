// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_REG_SAFE_RULES: fetch the entries and group them by register.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "rules.h"
#include "sysreg-names.h"

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

const char *ksr_rule_type_name(uint8_t type)
{
	switch (type) {
	case KVM_ARM_ID_RULE_EXACT:
		return "EXACT";
	case KVM_ARM_ID_RULE_LOWER_SAFE:
		return "LOWER_SAFE";
	case KVM_ARM_ID_RULE_HIGHER_SAFE:
		return "HIGHER_SAFE";
	case KVM_ARM_ID_RULE_HIGHER_OR_ZERO_SAFE:
		return "HIGHER_OR_ZERO_SAFE";
	}
	return NULL;
}

uint64_t ksr_field_mask(const struct ksr_field *f)
{
	return (f->width >= 64 ? ~0ull : (1ull << f->width) - 1) << f->shift;
}

int64_t ksr_field_get(const struct ksr_field *f, uint64_t reg_value)
{
	uint64_t mask = ksr_field_mask(f) >> f->shift;
	uint64_t v = (reg_value >> f->shift) & mask;

	if ((f->flags & KVM_ARM_ID_RULE_SIGNED) && f->width < 64 && (v >> (f->width - 1)))
		v |= ~mask;
	return (int64_t)v;
}

static struct ksr_encoding id_to_encoding(uint64_t id)
{
	return (struct ksr_encoding){
		.op0 = (id & KVM_REG_ARM64_SYSREG_OP0_MASK) >> KVM_REG_ARM64_SYSREG_OP0_SHIFT,
		.op1 = (id & KVM_REG_ARM64_SYSREG_OP1_MASK) >> KVM_REG_ARM64_SYSREG_OP1_SHIFT,
		.crn = (id & KVM_REG_ARM64_SYSREG_CRN_MASK) >> KVM_REG_ARM64_SYSREG_CRN_SHIFT,
		.crm = (id & KVM_REG_ARM64_SYSREG_CRM_MASK) >> KVM_REG_ARM64_SYSREG_CRM_SHIFT,
		.op2 = (id & KVM_REG_ARM64_SYSREG_OP2_MASK) >> KVM_REG_ARM64_SYSREG_OP2_SHIFT,
	};
}

static const char *field_name(const char *reg, uint8_t shift, uint8_t width)
{
	const struct ksr_sysreg_name *r = ksr_sysreg_lookup(reg);

	for (unsigned int i = 0; r && i < r->nr_fields; i++)
		if (r->fields[i].shift == shift && r->fields[i].width == width)
			return r->fields[i].name;
	return NULL;
}

/* Calls the ioctl with room for n entries; returns the ioctl's result. */
static int get_entries(int vm_fd, struct kvm_arm_reg_safe_rules *args,
		       struct kvm_arm_id_reg_rule *entries, uint32_t n)
{
	memset(args, 0, sizeof(*args));
	args->entry_size = sizeof(*entries);
	args->nr_entries = n;
	args->entries = (uint64_t)(uintptr_t)entries;
	return ioctl(vm_fd, KVM_GET_REG_SAFE_RULES, args) < 0 ? -errno : 0;
}

int ksr_rules_from_vm(struct ksr_vm *vm, struct ksr_rules **out, char *err, size_t errlen)
{
	struct kvm_arm_id_reg_rule *e = NULL;
	struct kvm_arm_reg_safe_rules args;
	struct ksr_rules *rules;
	struct ksr_reg *reg = NULL;
	int ret;

	if (ksr_vm_check_extension(vm, KVM_CAP_ARM_REG_SAFE_RULES) <= 0)
		return fail(err, errlen, -EOPNOTSUPP,
			    "this kernel has no KVM_CAP_ARM_REG_SAFE_RULES");

	/* Ask for the count, then fetch; retry if it changed in between. */
	ret = get_entries(ksr_vm_fd(vm), &args, NULL, 0);
	for (int tries = 0; ret == -E2BIG && tries < 4; tries++) {
		struct kvm_arm_id_reg_rule *bigger;
		uint32_t n = args.nr_entries;

		bigger = realloc(e, (n ? n : 1) * sizeof(*e));
		if (!bigger) {
			free(e);
			return fail(err, errlen, -ENOMEM, "out of memory");
		}
		e = bigger;
		ret = get_entries(ksr_vm_fd(vm), &args, e, n);
	}
	if (ret) {
		free(e);
		return fail(err, errlen, ret, "KVM_GET_REG_SAFE_RULES: %s", strerror(-ret));
	}

	rules = calloc(1, sizeof(*rules));
	if (!rules)
		goto nomem;
	for (uint32_t i = 0; i < args.nr_entries; i++)
		rules->nr_regs += e[i].kind == KVM_ARM_ID_RULE_REG;
	rules->regs = calloc(rules->nr_regs ? rules->nr_regs : 1, sizeof(*rules->regs));
	if (!rules->regs)
		goto nomem;

	rules->nr_regs = 0;
	for (uint32_t i = 0; i < args.nr_entries; i++) {
		if (e[i].kind == KVM_ARM_ID_RULE_REG) {
			uint32_t nf = 0;

			while (i + 1 + nf < args.nr_entries && e[i + 1 + nf].kind == KVM_ARM_ID_RULE_FIELD)
				nf++;
			reg = &rules->regs[rules->nr_regs++];
			reg->enc = id_to_encoding(e[i].reg);
			reg->name = ksr_encoding_known_name(reg->enc);
			reg->id = e[i].reg;
			reg->flags = e[i].flags;
			reg->writable_mask = e[i].mask;
			reg->limit = e[i].limit;
			reg->unfielded_mask = e[i].unfielded_mask;
			reg->fields = calloc(nf ? nf : 1, sizeof(*reg->fields));
			if (!reg->fields)
				goto nomem;
		} else if (e[i].kind == KVM_ARM_ID_RULE_FIELD && reg && e[i].reg == reg->id) {
			struct ksr_field *f = &reg->fields[reg->nr_fields++];

			f->name = reg->name ? field_name(reg->name, e[i].shift, e[i].width) : NULL;
			f->shift = e[i].shift;
			f->width = e[i].width;
			f->type = e[i].type;
			f->host_type = e[i].host_type;
			f->flags = e[i].flags;
			f->safe_val = e[i].safe_val;
			f->min_val = e[i].min_val;
			f->alias_from = e[i].alias_from;
			f->alias_to = e[i].alias_to;
		} else {
			uint32_t kind = e[i].kind;

			ksr_rules_free(rules);
			free(e);
			return fail(err, errlen, -EPROTO,
				    "KVM_GET_REG_SAFE_RULES: entry %u has kind %u or a register that does not follow its register entry",
				    i, kind);
		}
	}
	free(e);
	*out = rules;
	return 0;

nomem:
	ksr_rules_free(rules);
	free(e);
	return fail(err, errlen, -ENOMEM, "out of memory");
}

void ksr_rules_free(struct ksr_rules *rules)
{
	if (!rules)
		return;
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		free(rules->regs[i].fields);
	free(rules->regs);
	free(rules);
}
