/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scratch KVM/arm64 VM: one vCPU initialised with the preferred target and
 * the optional features asked for, never run. Its ID registers hold KVM's
 * defaults for a VM with those features, i.e. the limits KVM checks writes
 * against. Part of the live source: arm64 only (vm.c includes the UAPI).
 */
#ifndef KSR_VM_H
#define KSR_VM_H

#include <stddef.h>
#include <stdint.h>

#include "kvm-safe-rules.h"	/* enum ksr_vcpu_feature */

struct ksr_vm;

/* Returns 0, or a negative errno with a message in err (size errlen). */
int ksr_vm_open(struct ksr_vm **vm, unsigned int features, char *err, size_t errlen);
void ksr_vm_close(struct ksr_vm *vm);
int ksr_vm_fd(const struct ksr_vm *vm);
unsigned int ksr_vm_features(const struct ksr_vm *vm);	/* KSR_FEAT_* */
int ksr_vm_vcpu_fd(const struct ksr_vm *vm);
/* KVM_CHECK_EXTENSION on the VM fd: the capability's value, or -errno. */
int ksr_vm_check_extension(struct ksr_vm *vm, long cap);
int ksr_vm_get_reg(struct ksr_vm *vm, uint64_t id, uint64_t *value);
int ksr_vm_set_reg(struct ksr_vm *vm, uint64_t id, uint64_t value);
/* masks[KVM_ARM_FEATURE_ID_RANGE_SIZE], indexed by KVM_ARM_FEATURE_ID_RANGE_IDX */
int ksr_vm_writable_masks(struct ksr_vm *vm, uint64_t *masks);

/*
 * Who answers KVM_ARM_GET_REG_SAFE_RULES for vm (live.c): the VM's own file
 * ("kernel", *dev_fd -1) when the kernel has KVM_CAP_ARM_REG_SAFE_RULES,
 * else the kvm_safe_rules module's device attached to the VM ("module",
 * *dev_fd the device, to close). *fd is the file to ask. Returns 0, or
 * -EOPNOTSUPP when there is neither, or another negative errno (the device
 * failed to open or attach), with err filled.
 */
int ksr_rules_provider_open(struct ksr_vm *vm, int *fd, int *dev_fd, const char **provider,
			    char *err, size_t errlen);

/*
 * Reads the rules of a VM from its provider (opened and closed here);
 * returns 0 or a negative errno with err filled.
 */
int ksr_rules_from_vm(struct ksr_vm *vm, struct ksr_rules **rules, char *err, size_t errlen);

/*
 * The probing source of vm (probe.c): learns its rules by trial writes now.
 * Takes vm over (closed with the source, or here on failure). Returns 0 or
 * a negative errno with err filled.
 */
int ksr_probe_open(struct ksr_source **src, struct ksr_vm *vm, char *err, size_t errlen);

#endif
