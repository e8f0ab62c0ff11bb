// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules regs: the ID registers of a scratch VM and their writable
 * masks, after a line saying who would answer KVM_ARM_GET_REG_SAFE_RULES for
 * the VM (the table needs neither). Needs KVM/arm64 (KSR_LIVE builds only).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef KSR_LIVE
#include <linux/kvm.h>

#include "sysreg.h"
#include "vm.h"

/* "rules from: ...": the VM's provider, probed and closed again; never fails */
static void print_provider(struct ksr_vm *vm)
{
	const char *provider;
	int fd, dev_fd;
	char err[256];

	if (ksr_rules_provider_open(vm, &fd, &dev_fd, &provider, err, sizeof(err))) {
		printf("rules from: none (%s)\n", err);
		return;
	}
	if (dev_fd >= 0)
		close(dev_fd);
	printf("rules from: %s\n", provider_text(provider));
}

int cmd_regs(int argc, char **argv)
{
	static uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	struct ksr_encoding regs[KSR_ID_REGS_COUNT];
	struct cli_opts o = { 0 };
	struct ksr_vm *vm;
	char err[256];
	int ret;

	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--profile") || parse_common_option(argc, argv, &i, false, &o) != 1)
			return unknown_option("regs", argv[i]);
	ret = ksr_vm_open(&vm, o.features, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: cannot create a scratch VM: %s\n", err);
		return EXIT_KVM;
	}
	ret = ksr_vm_writable_masks(vm, masks);
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: KVM_ARM_GET_REG_WRITABLE_MASKS: %s\n",
			strerror(-ret));
		ksr_vm_close(vm);
		return EXIT_KVM;
	}

	print_provider(vm);
	ksr_id_regs(regs);
	printf("%-20s %-11s %-18s %s\n", "REGISTER", "ENCODING", "VALUE", "WRITABLE");
	for (unsigned int i = 0; i < KSR_ID_REGS_COUNT; i++) {
		struct ksr_encoding e = regs[i];
		uint64_t value;
		char name[32], enc[24];

		snprintf(enc, sizeof(enc), "%u,%u,%u,%u,%u", e.op0, e.op1, e.crn, e.crm, e.op2);
		ret = ksr_vm_get_reg(vm, ksr_encoding_to_id(e), &value);
		if (ret) {
			fprintf(stderr, "kvm-safe-rules: KVM_GET_ONE_REG %s: %s\n",
				ksr_encoding_name(e, name, sizeof(name)), strerror(-ret));
			ksr_vm_close(vm);
			return EXIT_KVM;
		}
		printf("%-20s %-11s 0x%016" PRIx64 " 0x%016" PRIx64 "\n",
		       ksr_encoding_name(e, name, sizeof(name)), enc, value,
		       masks[ksr_encoding_to_mask_idx(e)]);
	}
	ksr_vm_close(vm);
	return 0;
}
#else
int cmd_regs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kvm-safe-rules: regs: needs a KVM/arm64 host; this build has no live source\n");
	return EXIT_USAGE;
}
#endif
