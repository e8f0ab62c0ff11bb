/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The device of the kvm_safe_rules module (module/): KVM_ARM_GET_REG_SAFE_RULES
 * on kernels without the series. See Documentation/module.rst.
 *
 * Open the device, attach the file to a VM by giving it the VM's file
 * descriptor, then use the file as the VM's file for the series' UAPI:
 *
 *	fd = open("/dev/" KVM_SAFE_RULES_DEV_NAME, O_RDWR | O_CLOEXEC);
 *	ioctl(fd, KVM_SAFE_RULES_ATTACH_VM, vm_fd);
 *	ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_REG_SAFE_RULES);	(1)
 *	ioctl(fd, KVM_ARM_GET_REG_SAFE_RULES, &args);
 *
 * KVM_ARM_GET_REG_SAFE_RULES takes the same struct kvm_arm_reg_safe_rules,
 * fills the same entries and returns the same errors as the VM ioctl of the
 * series, plus:
 *	EBADFD	the file is not attached to a VM yet
 *	EIO	the VM belongs to another process, as for any VM ioctl
 *
 * KVM_SAFE_RULES_ATTACH_VM fails with EBADF if the argument is not an open
 * file descriptor, EINVAL if it is not a KVM VM's, EBUSY if the file is
 * attached already. The file holds a reference on the VM until it is closed;
 * the module cannot be unloaded while a file is open.
 */
#ifndef _UAPI_LINUX_KVM_SAFE_RULES_DEV_H
#define _UAPI_LINUX_KVM_SAFE_RULES_DEV_H

#include <linux/ioctl.h>
#include <linux/kvm.h>

#define KVM_SAFE_RULES_DEV_NAME		"kvm-safe-rules"

/* The argument is the VM's file descriptor, by value */
#define KVM_SAFE_RULES_ATTACH_VM	_IO(KVMIO, 0xb8)

#endif /* _UAPI_LINUX_KVM_SAFE_RULES_DEV_H */
