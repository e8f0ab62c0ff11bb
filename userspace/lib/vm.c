// SPDX-License-Identifier: GPL-2.0
/*
 * Scratch VM for reading KVM's ID-register defaults and writable masks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "internal.h"
#include "vm.h"

struct ksr_vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	unsigned int features;
};

static const struct {
	unsigned int feature;
	long cap;
	unsigned int init_bits[2];
} features[] = {
	{ KSR_FEAT_PMU, KVM_CAP_ARM_PMU_V3, { KVM_ARM_VCPU_PMU_V3, KVM_ARM_VCPU_PMU_V3 } },
	{ KSR_FEAT_SVE, KVM_CAP_ARM_SVE, { KVM_ARM_VCPU_SVE, KVM_ARM_VCPU_SVE } },
	{ KSR_FEAT_PAUTH, KVM_CAP_ARM_PTRAUTH_ADDRESS,
	  { KVM_ARM_VCPU_PTRAUTH_ADDRESS, KVM_ARM_VCPU_PTRAUTH_GENERIC } },
	{ KSR_FEAT_PSCI_0_2, KVM_CAP_ARM_PSCI_0_2, { KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_PSCI_0_2 } },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int ksr_vm_open(struct ksr_vm **out, unsigned int want, char *err, size_t errlen)
{
	struct kvm_vcpu_init init;
	struct ksr_vm *vm;
	int ret;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	vm->vm_fd = vm->vcpu_fd = -1;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = ksr_fail(err, errlen, -errno, "open /dev/kvm: %s", strerror(errno));
		goto out_free;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ret = ksr_fail(err, errlen, -errno, "KVM_CREATE_VM: %s", strerror(errno));
		goto out_close;
	}
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		ret = ksr_fail(err, errlen, -errno, "KVM_CREATE_VCPU: %s", strerror(errno));
		goto out_close;
	}
	memset(&init, 0, sizeof(init));
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		ret = ksr_fail(err, errlen, -errno, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
		goto out_close;
	}
	for (size_t i = 0; i < ARRAY_SIZE(features); i++) {
		if (!(want & features[i].feature))
			continue;
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, features[i].cap) <= 0) {
			ret = ksr_fail(err, errlen, -EOPNOTSUPP,
				   "vCPU feature '%s' is not supported by this host",
				   ksr_feature_name(features[i].feature));
			goto out_close;
		}
		for (int b = 0; b < 2; b++)
			init.features[features[i].init_bits[b] / 32] |=
				1u << (features[i].init_bits[b] % 32);
	}
	if (ioctl(vm->vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		ret = ksr_fail(err, errlen, -errno, "KVM_ARM_VCPU_INIT: %s", strerror(errno));
		goto out_close;
	}
	vm->features = want;
	*out = vm;
	return 0;

out_close:
	ksr_vm_close(vm);
	return ret;
out_free:
	free(vm);
	return ret;
}

void ksr_vm_close(struct ksr_vm *vm)
{
	if (!vm)
		return;
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm);
}

int ksr_vm_fd(const struct ksr_vm *vm)
{
	return vm->vm_fd;
}

unsigned int ksr_vm_features(const struct ksr_vm *vm)
{
	return vm->features;
}

int ksr_vm_vcpu_fd(const struct ksr_vm *vm)
{
	return vm->vcpu_fd;
}

int ksr_vm_check_extension(struct ksr_vm *vm, long cap)
{
	int r = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? -errno : r;
}

int ksr_vm_get_reg(struct ksr_vm *vm, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)value };

	return ioctl(vm->vcpu_fd, KVM_GET_ONE_REG, &reg) < 0 ? -errno : 0;
}

int ksr_vm_set_reg(struct ksr_vm *vm, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };

	return ioctl(vm->vcpu_fd, KVM_SET_ONE_REG, &reg) < 0 ? -errno : 0;
}

int ksr_vm_writable_masks(struct ksr_vm *vm, uint64_t *masks)
{
	struct reg_mask_range range = {
		.addr = (uint64_t)(uintptr_t)masks,
		.range = KVM_ARM_FEATURE_ID_RANGE,
	};

	return ioctl(vm->vm_fd, KVM_ARM_GET_REG_WRITABLE_MASKS, &range) < 0 ? -errno : 0;
}
