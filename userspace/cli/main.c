// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules: what KVM/arm64 accepts in the ID registers of a VM.
 *
 * Exit status: 0 success, 1 KVM refused or failed an operation, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysreg.h"

static const char usage_text[] =
	"usage: kvm-safe-rules COMMAND [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  regs [--pmu] [--sve] [--pauth]\n"
	"      Create a scratch VM (one vCPU, preferred target, the optional\n"
	"      features named) and print, for every register of the feature ID\n"
	"      range (op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7) and CTR_EL0, its\n"
	"      value in the VM (KVM_GET_ONE_REG) and its writable mask\n"
	"      (KVM_ARM_GET_REG_WRITABLE_MASKS).\n"
	"  dump [--json] [--pmu] [--sve] [--pauth]\n"
	"      Create a scratch VM as for regs and print the rules KVM applies to\n"
	"      writes of its ID registers (KVM_GET_REG_SAFE_RULES): per register its\n"
	"      default value, writable mask and flags, per field its bits, sign,\n"
	"      rule, safe value, whether it is writable, its default and KVM's\n"
	"      overrides. --json prints a profile (Documentation/profile-format.rst).\n"
	"  check --batch [--input FILE] [--pmu] [--sve] [--pauth]\n"
	"      Read lines 'REG VALUE' (REG a name or op0,op1,CRn,CRm,op2; VALUE in\n"
	"      hex) from FILE or standard input and answer, for each, whether KVM\n"
	"      would accept the value in a scratch VM at its defaults:\n"
	"      'REG VALUE accept' or 'REG VALUE reject FIELD:reason[,...]'.\n"
	"      Exit status: 0 all accepted, 1 some rejected, 2 bad input (the\n"
	"      line is named; nothing is printed then).\n"
	"  help\n"
	"      This text.\n"
	"\n"
	"Exit status: 0 success, 1 KVM refused or failed an operation (check: a value\n"
	"would be rejected), 2 usage error or bad input.\n";

int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "kvm-safe-rules: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nRun 'kvm-safe-rules help' for usage.\n");
	return EXIT_USAGE;
}

/*
 * Parses --pmu/--sve/--pauth, and --json where json is not NULL; returns
 * EXIT_USAGE on anything else.
 */
int parse_vm_options(const char *cmd, int argc, char **argv, unsigned int *features, bool *json)
{
	*features = 0;
	for (int i = 0; i < argc; i++) {
		unsigned int f = 0;

		if (json && !strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		if (!strncmp(argv[i], "--", 2))
			f = ksr_feature_from_name(argv[i] + 2);
		if (!f) {
			fprintf(stderr, "kvm-safe-rules: %s: unknown option '%s'\n"
				"Run 'kvm-safe-rules help' for usage.\n", cmd, argv[i]);
			return EXIT_USAGE;
		}
		*features |= f;
	}
	return 0;
}

int open_vm(struct ksr_vm **vm, unsigned int features)
{
	char err[256];
	int ret = ksr_vm_open(vm, features, err, sizeof(err));

	if (ret)
		fprintf(stderr, "kvm-safe-rules: cannot create a scratch VM: %s\n", err);
	return ret;
}

int cmd_regs(int argc, char **argv)
{
	static uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	struct ksr_encoding regs[KSR_ID_REGS_COUNT];
	unsigned int features;
	struct ksr_vm *vm;
	int ret;

	ret = parse_vm_options("regs", argc, argv, &features, NULL);
	if (ret)
		return ret;
	if (open_vm(&vm, features))
		return EXIT_KVM;
	ret = ksr_vm_writable_masks(vm, masks);
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: KVM_ARM_GET_REG_WRITABLE_MASKS: %s\n",
			strerror(-ret));
		ksr_vm_close(vm);
		return EXIT_KVM;
	}

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

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "regs"))
		return cmd_regs(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage_error("unknown command '%s'", argv[1]);
}
