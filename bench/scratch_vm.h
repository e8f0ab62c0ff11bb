/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scratch VM as a VMM makes one, with raw KVM ioctls and no library: one
 * vCPU initialised with the preferred target and no optional feature,
 * never run. A step that fails stops the benchmark, naming the step.
 */
#ifndef KSR_BENCH_SCRATCH_VM_H
#define KSR_BENCH_SCRATCH_VM_H

#include <stdint.h>

struct scratch_vm {
	int kvm_fd, vm_fd, vcpu_fd;
};

/* The VM-wide ID registers a VM lists: op0=3, op1=0, CRn=0, CRm=1..7, and CTR_EL0 */
#define SCRATCH_MAX_IDREGS 64

struct idreg_list {
	unsigned int n;
	uint64_t id[SCRATCH_MAX_IDREGS];
};

void scratch_vm_open(struct scratch_vm *vm);
void scratch_vm_close(struct scratch_vm *vm);

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG of a 64-bit register: 0 or -errno. */
int scratch_get_reg(const struct scratch_vm *vm, uint64_t id, uint64_t *value);
int scratch_set_reg(const struct scratch_vm *vm, uint64_t id, uint64_t value);

/* The ID registers of KVM_GET_REG_LIST, in its order. */
void scratch_idregs(const struct scratch_vm *vm, struct idreg_list *list);

/* KVM's register id of a system register. */
uint64_t scratch_sysreg_id(unsigned int op0, unsigned int op1, unsigned int crn,
			   unsigned int crm, unsigned int op2);

/* "S3_0_C0_C4_0" into buf (at least 24 bytes). */
const char *scratch_reg_text(uint64_t id, char *buf, unsigned long len);

#endif
