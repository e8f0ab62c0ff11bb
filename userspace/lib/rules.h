/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules KVM applies to userspace writes of the VM-wide ID registers, as
 * KVM_GET_REG_SAFE_RULES reports them: one struct ksr_reg per register, with
 * its fields.
 */
#ifndef KSR_RULES_H
#define KSR_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "sysreg.h"
#include "vm.h"

struct ksr_field {
	const char *name;	/* from arch/arm64/tools/sysreg, or NULL */
	uint8_t shift;
	uint8_t width;
	uint8_t type;		/* KVM_ARM_ID_RULE_EXACT, ... in this VM */
	uint8_t host_type;	/* ... in the host's cpufeature table */
	uint32_t flags;		/* KVM_ARM_ID_RULE_SIGNED, _WRITABLE, ... */
	uint64_t safe_val;
	uint64_t min_val;
	uint64_t alias_from;
	uint64_t alias_to;
};

struct ksr_reg {
	const char *name;	/* from arch/arm64/tools/sysreg, or NULL */
	struct ksr_encoding enc;
	uint64_t id;		/* KVM_SET_ONE_REG id */
	uint32_t flags;		/* KVM_ARM_ID_RULE_RAZ, _WRITE_IGNORED, _IMMUTABLE */
	uint64_t writable_mask;
	uint64_t limit;		/* the VM's default: what writes are checked against */
	uint64_t unfielded_mask;
	unsigned int nr_fields;
	struct ksr_field *fields;
};

struct ksr_rules {
	unsigned int nr_regs;
	struct ksr_reg *regs;
};

/* Reads the rules of a VM; returns 0 or a negative errno with err filled. */
int ksr_rules_from_vm(struct ksr_vm *vm, struct ksr_rules **rules, char *err, size_t errlen);
void ksr_rules_free(struct ksr_rules *rules);

const char *ksr_rule_type_name(uint8_t type);	/* "EXACT", ...; NULL if unknown */
/* The field's bits in the register. */
uint64_t ksr_field_mask(const struct ksr_field *f);
/* The field's value in a register value, sign-extended when it is signed. */
int64_t ksr_field_get(const struct ksr_field *f, uint64_t reg_value);

#endif
