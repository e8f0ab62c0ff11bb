/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 system register encodings as KVM's ONE_REG API and the writable-mask
 * array use them, and the registers KVM validates through its ID-register
 * path: the feature ID range (op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7) and
 * CTR_EL0. Part of the live source: arm64 only (the names come from the
 * kernel tree, the ids from the UAPI).
 */
#ifndef KSR_SYSREG_H
#define KSR_SYSREG_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"	/* struct ksr_encoding, ksr_encoding_known_name() */

/* The registers of the ID-register path, in encoding order (ksr_id_range_regs()). */
#define KSR_ID_REGS_COUNT (7 * 8 + 1)
void ksr_id_regs(struct ksr_encoding regs[KSR_ID_REGS_COUNT]);

uint64_t ksr_encoding_to_id(struct ksr_encoding enc);	/* KVM_REG_ARM64_SYSREG id */
unsigned int ksr_encoding_to_mask_idx(struct ksr_encoding enc);
/* ksr_encoding_known_name() (internal.h) and ksr_encoding_name() (kvm-safe-rules.h) name them. */

#endif
