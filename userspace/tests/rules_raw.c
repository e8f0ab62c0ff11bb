// SPDX-License-Identifier: GPL-2.0
/*
 * rules_raw - the raw entries of KVM_ARM_GET_REG_SAFE_RULES, as bytes.
 *
 *	rules_raw
 *
 * For a VM without optional vCPU features, one with a PMU, one with SVE
 * (where the host has it) and one with the PSCI 0.2 feature, prints every
 * entry, the firmware registers' included (KVM_ARM_REG_SAFE_RULES_FW), the
 * rules provider returns
 * (the patched kernel's VM ioctl, or the kvm_safe_rules module's device) in
 * hex, one "# VARIANT entry N: HEX" line per entry, and one TAP result per
 * VM. scripts/run-tests compares these lines, byte for byte, between the
 * patched kernel and Debian's kernel with the module, model by model.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "linux/kvm_reg_safe_rules.h"

#include "kselftest.h"
#include "vm.h"

static const struct {
	const char *name;
	unsigned int features;
} variants[] = {
	{ "no_features", 0 },
	{ "pmu", KSR_FEAT_PMU },
	{ "sve", KSR_FEAT_SVE },
	{ "psci_0_2", KSR_FEAT_PSCI_0_2 },
};

/* Fetches every entry of the VM's provider: 0 and *entries (to free), or -errno. */
static int fetch(int fd, struct kvm_arm_id_reg_rule **entries, uint32_t *n)
{
	struct kvm_arm_reg_safe_rules args = {
		.entry_size = sizeof(**entries),
		.flags = KVM_ARM_REG_SAFE_RULES_FW,
	};
	struct kvm_arm_id_reg_rule *e;

	if (!ioctl(fd, KVM_ARM_GET_REG_SAFE_RULES, &args))
		return -EPROTO;		/* no entries at all */
	if (errno != E2BIG)
		return -errno;
	e = calloc(args.nr_entries, sizeof(*e));
	if (!e)
		return -ENOMEM;
	args.entries = (uint64_t)(uintptr_t)e;
	if (ioctl(fd, KVM_ARM_GET_REG_SAFE_RULES, &args)) {
		free(e);
		return -errno;
	}
	if (args.entry_size != sizeof(*e)) {
		free(e);
		return -EPROTO;
	}
	*entries = e;
	*n = args.nr_entries;
	return 0;
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(sizeof(variants) / sizeof(variants[0]));
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct kvm_arm_id_reg_rule *e = NULL;
		const char *provider;
		int fd, dev_fd = -1, ret;
		struct ksr_vm *vm;
		char err[256] = "";
		uint32_t n = 0;

		ret = ksr_vm_open(&vm, variants[v].features, err, sizeof(err));
		if (ret == -EOPNOTSUPP || ret == -EINVAL) {
			ksft_test_result_skip("%s: %s\n", variants[v].name, err);
			continue;
		}
		if (ret) {
			ksft_test_result_fail("%s: %s\n", variants[v].name, err);
			continue;
		}
		ret = ksr_rules_provider_open(vm, &fd, &dev_fd, &provider, err, sizeof(err));
		if (!ret)
			ret = fetch(fd, &e, &n);
		if (ret) {
			ksft_test_result_fail("%s: %s\n", variants[v].name,
					      err[0] ? err : strerror(-ret));
		} else {
			for (uint32_t i = 0; i < n; i++) {
				const unsigned char *b = (const unsigned char *)&e[i];

				printf("# %s entry %" PRIu32 ": ", variants[v].name, i);
				for (size_t k = 0; k < sizeof(e[i]); k++)
					printf("%02x", b[k]);
				printf("\n");
			}
			ksft_test_result_pass("%s: %" PRIu32 " entries from the %s\n",
					      variants[v].name, n, provider);
		}
		free(e);
		if (dev_fd >= 0)
			close(dev_fd);
		ksr_vm_close(vm);
	}
	ksft_finished();
}
