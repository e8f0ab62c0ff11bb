// SPDX-License-Identifier: GPL-2.0
/*
 * A scratch VM with raw KVM ioctls, as a VMM makes one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "fail.h"
#include "scratch_vm.h"

void scratch_vm_open(struct scratch_vm *vm)
{
	struct kvm_vcpu_init init;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		bench_fail_errno("open /dev/kvm", errno);
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		bench_fail_errno("KVM_CREATE_VM", errno);
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		bench_fail_errno("KVM_CREATE_VCPU", errno);
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		bench_fail_errno("KVM_ARM_PREFERRED_TARGET", errno);
	if (ioctl(vm->vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0)
		bench_fail_errno("KVM_ARM_VCPU_INIT", errno);
}

void scratch_vm_close(struct scratch_vm *vm)
{
	if (close(vm->vcpu_fd) || close(vm->vm_fd) || close(vm->kvm_fd))
		bench_fail_errno("closing the scratch VM", errno);
}

int scratch_get_reg(const struct scratch_vm *vm, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)value };

	return ioctl(vm->vcpu_fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int scratch_set_reg(const struct scratch_vm *vm, uint64_t id, uint64_t value)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&value };

	return ioctl(vm->vcpu_fd, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

uint64_t scratch_sysreg_id(unsigned int op0, unsigned int op1, unsigned int crn,
			   unsigned int crm, unsigned int op2)
{
	return ARM64_SYS_REG(op0, op1, crn, crm, op2);
}

static unsigned int field(uint64_t id, uint64_t mask, unsigned int shift)
{
	return (id & mask) >> shift;
}

const char *scratch_reg_text(uint64_t id, char *buf, unsigned long len)
{
	snprintf(buf, len, "S%u_%u_C%u_C%u_%u",
		 field(id, KVM_REG_ARM64_SYSREG_OP0_MASK, KVM_REG_ARM64_SYSREG_OP0_SHIFT),
		 field(id, KVM_REG_ARM64_SYSREG_OP1_MASK, KVM_REG_ARM64_SYSREG_OP1_SHIFT),
		 field(id, KVM_REG_ARM64_SYSREG_CRN_MASK, KVM_REG_ARM64_SYSREG_CRN_SHIFT),
		 field(id, KVM_REG_ARM64_SYSREG_CRM_MASK, KVM_REG_ARM64_SYSREG_CRM_SHIFT),
		 field(id, KVM_REG_ARM64_SYSREG_OP2_MASK, KVM_REG_ARM64_SYSREG_OP2_SHIFT));
	return buf;
}

static int is_idreg(uint64_t id)
{
	unsigned int crm;

	if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SYSREG ||
	    (id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64)
		return 0;
	if (id == scratch_sysreg_id(3, 3, 0, 0, 1))	/* CTR_EL0 */
		return 1;
	crm = field(id, KVM_REG_ARM64_SYSREG_CRM_MASK, KVM_REG_ARM64_SYSREG_CRM_SHIFT);
	return field(id, KVM_REG_ARM64_SYSREG_OP0_MASK, KVM_REG_ARM64_SYSREG_OP0_SHIFT) == 3 &&
	       field(id, KVM_REG_ARM64_SYSREG_OP1_MASK, KVM_REG_ARM64_SYSREG_OP1_SHIFT) == 0 &&
	       field(id, KVM_REG_ARM64_SYSREG_CRN_MASK, KVM_REG_ARM64_SYSREG_CRN_SHIFT) == 0 &&
	       crm >= 1 && crm <= 7;
}

void scratch_idregs(const struct scratch_vm *vm, struct idreg_list *list)
{
	struct kvm_reg_list probe = { .n = 0 }, *all;

	if (ioctl(vm->vcpu_fd, KVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG)
		bench_fail("KVM_GET_REG_LIST with no room: expected E2BIG");
	all = calloc(1, sizeof(*all) + probe.n * sizeof(all->reg[0]));
	if (!all)
		bench_fail_errno("KVM_GET_REG_LIST buffer", ENOMEM);
	all->n = probe.n;
	if (ioctl(vm->vcpu_fd, KVM_GET_REG_LIST, all) < 0)
		bench_fail_errno("KVM_GET_REG_LIST", errno);
	list->n = 0;
	for (uint64_t i = 0; i < all->n; i++) {
		if (!is_idreg(all->reg[i]))
			continue;
		if (list->n == SCRATCH_MAX_IDREGS)
			bench_fail("more than %d ID registers listed", SCRATCH_MAX_IDREGS);
		list->id[list->n++] = all->reg[i];
	}
	free(all);
	if (!list->n)
		bench_fail("KVM_GET_REG_LIST lists no ID register");
}
