// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/kvm.h>

#include "internal.h"
#include "sysreg.h"
#include "sysreg-names.h"

void ksr_id_regs(struct ksr_encoding regs[KSR_ID_REGS_COUNT])
{
	ksr_id_range_regs(regs, KSR_ID_REGS_COUNT);
}

uint64_t ksr_encoding_to_id(struct ksr_encoding e)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
	       ((uint64_t)e.op0 << KVM_REG_ARM64_SYSREG_OP0_SHIFT) |
	       ((uint64_t)e.op1 << KVM_REG_ARM64_SYSREG_OP1_SHIFT) |
	       ((uint64_t)e.crn << KVM_REG_ARM64_SYSREG_CRN_SHIFT) |
	       ((uint64_t)e.crm << KVM_REG_ARM64_SYSREG_CRM_SHIFT) |
	       ((uint64_t)e.op2 << KVM_REG_ARM64_SYSREG_OP2_SHIFT);
}

unsigned int ksr_encoding_to_mask_idx(struct ksr_encoding e)
{
	return KVM_ARM_FEATURE_ID_RANGE_IDX(e.op0, e.op1, e.crn, e.crm, e.op2);
}

const struct ksr_sysreg_name *ksr_sysreg_lookup(const char *name)
{
	for (unsigned int i = 0; i < ksr_sysreg_names_count; i++)
		if (!strcmp(ksr_sysreg_names[i].name, name))
			return &ksr_sysreg_names[i];
	return NULL;
}

const char *ksr_encoding_known_name(struct ksr_encoding e)
{
	for (unsigned int i = 0; i < ksr_sysreg_names_count; i++) {
		const uint8_t *enc = ksr_sysreg_names[i].encoding;

		if (enc[0] == e.op0 && enc[1] == e.op1 && enc[2] == e.crn &&
		    enc[3] == e.crm && enc[4] == e.op2)
			return ksr_sysreg_names[i].name;
	}
	return NULL;
}
