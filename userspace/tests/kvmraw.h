/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw KVM for the robustness guest tests (ioctl_fuzz, ioctl_race,
 * module_abuse): VMs in each state the ioctl can meet, without the library,
 * and the call of KVM_ARM_GET_REG_SAFE_RULES through the VM or the module's
 * device. Every helper exits the test (ksft_exit_fail_msg) when KVM refuses
 * a step that must work.
 */
#ifndef KSR_TESTS_KVMRAW_H
#define KSR_TESTS_KVMRAW_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "linux/kvm_reg_safe_rules.h"
#include "linux/kvm_safe_rules_dev.h"

#include "kselftest.h"

/* The states a VM goes through, as the ioctl sees them */
enum vm_state {
	VM_NO_VCPU,		/* no vCPU: ENOEXEC */
	VM_VCPU_CREATED,	/* a vCPU not initialised: ENOEXEC */
	VM_INITIALISED,		/* a vCPU initialised: the rules */
	VM_HAS_RUN,		/* after the first KVM_RUN: every register immutable */
	VM_STATES
};

static const char *const vm_state_names[VM_STATES] = {
	"no vCPU", "vCPU created", "vCPU initialised", "has run",
};

struct raw_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	void *mem;
	enum vm_state state;
};

#define RAW_MEM_GPA	0x10000000ULL
#define RAW_MEM_SIZE	0x10000		/* 64 KiB: a page on every host page size */
#define RAW_MMIO_GPA	0x20000000ULL	/* no memory slot: a store there exits */

/* arm64 core register ids (KVM_REG_ARM_CORE_REG(regs.pc) and friends) */
#define RAW_CORE_REG(off) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | ((off) / sizeof(__u32)))
#define RAW_REG_X(n)	RAW_CORE_REG(offsetof(struct kvm_regs, regs.regs[n]))
#define RAW_REG_PC	RAW_CORE_REG(offsetof(struct kvm_regs, regs.pc))
#define RAW_REG_PSTATE	RAW_CORE_REG(offsetof(struct kvm_regs, regs.pstate))

static inline int raw_set_reg(int vcpu_fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return ioctl(vcpu_fd, KVM_SET_ONE_REG, &r) ? -errno : 0;
}

static inline int raw_get_reg(int vcpu_fd, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &r) ? -errno : 0;
}

/* Creates a vCPU and initialises it with the preferred target: -errno or 0. */
static inline int raw_vcpu_add(struct raw_vm *vm, int init)
{
	struct kvm_vcpu_init vi;
	int fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);

	if (fd < 0)
		return -errno;
	vm->vcpu_fd = fd;
	if (!init)
		return 0;
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &vi) ||
	    ioctl(fd, KVM_ARM_VCPU_INIT, &vi))
		return -errno;
	return 0;
}

/*
 * Runs the vCPU once: its one instruction, "str x0, [x1]" with x1 an address
 * without memory, exits to userspace as MMIO. Returns 0 or -errno.
 */
static inline int raw_run_once(struct raw_vm *vm)
{
	struct kvm_userspace_memory_region slot = {
		.slot = 0, .guest_phys_addr = RAW_MEM_GPA, .memory_size = RAW_MEM_SIZE,
	};
	static const uint32_t code[] = { 0xf9000020 };	/* str x0, [x1] */

	vm->mem = mmap(NULL, RAW_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (vm->mem == MAP_FAILED)
		return -errno;
	memcpy(vm->mem, code, sizeof(code));
	slot.userspace_addr = (uint64_t)(uintptr_t)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot))
		return -errno;
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return -errno;
	}
	if (raw_set_reg(vm->vcpu_fd, RAW_REG_PC, RAW_MEM_GPA) ||
	    raw_set_reg(vm->vcpu_fd, RAW_REG_PSTATE, 0x3c5) ||	/* EL1h, DAIF masked */
	    raw_set_reg(vm->vcpu_fd, RAW_REG_X(1), RAW_MMIO_GPA))
		return -EINVAL;
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0))
		return -errno;
	return vm->run->exit_reason == KVM_EXIT_MMIO ? 0 : -EPROTO;
}

/* A VM in @state, or the test fails. */
static inline void raw_vm_open(struct raw_vm *vm, enum vm_state state)
{
	int ret = 0;

	memset(vm, 0, sizeof(*vm));
	vm->vcpu_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		ksft_exit_fail_msg("/dev/kvm: %s\n", strerror(errno));
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		ksft_exit_fail_msg("KVM_CREATE_VM: %s\n", strerror(errno));
	if (state >= VM_VCPU_CREATED)
		ret = raw_vcpu_add(vm, state >= VM_INITIALISED);
	if (!ret && state >= VM_HAS_RUN)
		ret = raw_run_once(vm);
	if (ret)
		ksft_exit_fail_msg("a VM in state \"%s\": %s\n", vm_state_names[state], strerror(-ret));
	vm->state = state;
}

static inline void raw_vm_close(struct raw_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->mem)
		munmap(vm->mem, RAW_MEM_SIZE);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	close(vm->kvm_fd);
}

/*
 * The file that answers KVM_ARM_GET_REG_SAFE_RULES for @vm_fd: the VM itself
 * when @via_module is 0, else a new file of the module's device attached to
 * it (to close). Returns the fd or -errno.
 */
static inline int raw_rules_fd(int vm_fd, int via_module)
{
	int dev;

	if (!via_module)
		return vm_fd;
	dev = open("/dev/" KVM_SAFE_RULES_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	if (ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, vm_fd)) {
		int err = -errno;

		close(dev);
		return err;
	}
	return dev;
}

/* KVM_ARM_GET_REG_SAFE_RULES: 0 or -errno */
static inline int raw_get_rules(int fd, struct kvm_arm_reg_safe_rules *args)
{
	return ioctl(fd, KVM_ARM_GET_REG_SAFE_RULES, args) ? -errno : 0;
}

/* Loads the kernel module in @path: 0 or -errno */
static inline int raw_module_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Unloads the kvm_safe_rules module without waiting: 0 or -errno */
static inline int raw_module_unload(void)
{
	return syscall(SYS_delete_module, "kvm_safe_rules", O_NONBLOCK) ? -errno : 0;
}

/* VMs alive: the directories KVM creates in debugfs for each, "PID-FD"; or -errno */
static inline int raw_count_vms(void)
{
	DIR *d = opendir("/sys/kernel/debug/kvm");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		n += strchr(de->d_name, '-') != NULL;
	closedir(d);
	return n;
}

#endif
