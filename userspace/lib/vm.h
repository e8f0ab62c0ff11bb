/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scratch KVM/arm64 VM: one vCPU initialised with the preferred target and
 * the optional features asked for, never run. Its ID registers hold KVM's
 * defaults for a VM with those features, i.e. the limits KVM checks writes
 * against.
 */
#ifndef KSR_VM_H
#define KSR_VM_H

#include <stdint.h>
#include <linux/kvm.h>

/* Optional vCPU features (KVM_ARM_VCPU_INIT feature bits). */
enum ksr_vcpu_feature {
	KSR_FEAT_PMU	= 1u << 0,	/* KVM_ARM_VCPU_PMU_V3 */
	KSR_FEAT_SVE	= 1u << 1,	/* KVM_ARM_VCPU_SVE */
	KSR_FEAT_PAUTH	= 1u << 2,	/* KVM_ARM_VCPU_PTRAUTH_{ADDRESS,GENERIC} */
};

struct ksr_vm;

/* Returns 0, or a negative errno with a message in err (size errlen). */
int ksr_vm_open(struct ksr_vm **vm, unsigned int features, char *err, size_t errlen);
void ksr_vm_close(struct ksr_vm *vm);
int ksr_vm_fd(const struct ksr_vm *vm);
int ksr_vm_vcpu_fd(const struct ksr_vm *vm);
/* KVM_CHECK_EXTENSION on the VM fd: the capability's value, or -errno. */
int ksr_vm_check_extension(struct ksr_vm *vm, long cap);
int ksr_vm_get_reg(struct ksr_vm *vm, uint64_t id, uint64_t *value);
int ksr_vm_set_reg(struct ksr_vm *vm, uint64_t id, uint64_t value);
/* masks[KVM_ARM_FEATURE_ID_RANGE_SIZE], indexed by KVM_ARM_FEATURE_ID_RANGE_IDX */
int ksr_vm_writable_masks(struct ksr_vm *vm, uint64_t *masks);

/* "pmu", "sve", "pauth" <-> enum ksr_vcpu_feature; NULL / 0 when unknown. */
const char *ksr_feature_name(unsigned int feature);
unsigned int ksr_feature_from_name(const char *name);

#endif
