// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules: what KVM/arm64 accepts in the ID registers of a VM.
 *
 * Exit status: 0 success, 1 refused/rejected or KVM failed an operation,
 * 2 usage error or bad input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"usage: kvm-safe-rules COMMAND [OPTIONS]\n"
	"\n"
	"Rules come from a scratch VM (one vCPU, preferred target, the optional\n"
	"features --pmu, --sve, --pauth; KVM/arm64 only: the arm64 build), or with\n"
	"--profile FILE from a profile (Documentation/profile-format.rst), on any\n"
	"host. A profile carries its VM's features, so it takes none.\n"
	"\n"
	"Commands:\n"
	"  regs [--pmu] [--sve] [--pauth]\n"
	"      Create a scratch VM and print, for every register of the feature ID\n"
	"      range (op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7) and CTR_EL0, its\n"
	"      value in the VM (KVM_GET_ONE_REG) and its writable mask\n"
	"      (KVM_ARM_GET_REG_WRITABLE_MASKS). KVM/arm64 only.\n"
	"  dump [--json] [--profile FILE | --pmu --sve --pauth]\n"
	"      Print the rules KVM applies to writes of the ID registers\n"
	"      (KVM_GET_REG_SAFE_RULES): per register its default value, writable\n"
	"      mask and flags, per field its bits, sign, rule, safe value, whether\n"
	"      it is writable, its default and KVM's overrides. --json prints a\n"
	"      profile; of a profile, the same profile.\n"
	"  check --batch [--input FILE] [--profile FILE | --pmu --sve --pauth]\n"
	"      Read lines 'REG VALUE' (REG a name or op0,op1,CRn,CRm,op2; VALUE in\n"
	"      hex) from FILE or standard input and answer, for each, whether KVM\n"
	"      would accept the value in a VM at its defaults (a scratch VM's, or\n"
	"      the profile's): 'REG VALUE accept' or\n"
	"      'REG VALUE reject FIELD:reason[,...]'. The whole input is checked\n"
	"      before anything is printed.\n"
	"  help\n"
	"      This text.\n"
	"\n"
	"Exit status:\n"
	"  0  success (check: every value accepted)\n"
	"  1  refused or rejected (check: some value would be rejected), or KVM\n"
	"     failed an operation\n"
	"  2  usage error or bad input (a malformed profile or input line, named on\n"
	"     standard error with the offending input), or a command that needs a\n"
	"     scratch VM in a build without KVM/arm64\n";

int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "kvm-safe-rules: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nRun 'kvm-safe-rules help' for usage.\n");
	return EXIT_USAGE;
}

int unknown_option(const char *cmd, const char *arg)
{
	fprintf(stderr, "kvm-safe-rules: %s: unknown option '%s'\n"
		"Run 'kvm-safe-rules help' for usage.\n", cmd, arg);
	return EXIT_USAGE;
}

int parse_common_option(int argc, char **argv, int *i, bool json_ok, struct cli_opts *o)
{
	const char *arg = argv[*i];
	unsigned int f = 0;

	if (json_ok && !strcmp(arg, "--json")) {
		o->json = true;
		return 1;
	}
	if (!strcmp(arg, "--profile") && *i + 1 < argc) {
		o->profile = argv[++*i];
		return 1;
	}
	if (!strncmp(arg, "--", 2))
		f = ksr_feature_from_name(arg + 2);
	o->features |= f;
	return f != 0;
}

int open_rules(const char *cmd, const struct cli_opts *o, struct ksr_source **src,
	       struct ksr_rules **rules)
{
	struct ksr_vm_opts vm_opts = { .size = sizeof(vm_opts), .features = o->features };
	char err[512];
	int ret;

	if (o->profile && o->features) {
		fprintf(stderr, "kvm-safe-rules: %s: --profile takes no vCPU features (the profile has its own)\n",
			cmd);
		return EXIT_USAGE;
	}
	if (o->profile) {
		ret = ksr_source_open_profile(src, o->profile, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
			return ret == -ENOMEM ? EXIT_KVM : EXIT_USAGE;
		}
	} else {
#ifndef KSR_LIVE
		fprintf(stderr, "kvm-safe-rules: %s: a scratch VM needs KVM/arm64 and this build has no live source; give --profile FILE\n",
			cmd);
		return EXIT_USAGE;
#endif
		ret = ksr_source_open_vm(src, &vm_opts, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "kvm-safe-rules: cannot create a scratch VM: %s\n", err);
			return EXIT_KVM;
		}
	}
	ret = ksr_source_rules(*src, rules, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
		ksr_source_close(*src);
		return EXIT_KVM;
	}
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
