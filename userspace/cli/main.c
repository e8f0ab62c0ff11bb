// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules: what KVM/arm64 accepts in the ID registers of a VM.
 *
 * Exit status: 0 success, 1 refused/rejected/blocked/different or KVM
 * failed an operation, 2 usage error, bad input or an output not written
 * (-o FILE or standard output), 3 internal error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"usage: kvm-safe-rules COMMAND [OPTIONS]\n"
	"\n"
	"Rules come from a scratch VM (one vCPU, preferred target, the optional\n"
	"features --pmu, --sve, --pauth, --psci-0.2; KVM/arm64 only: the arm64\n"
	"build), or with --profile FILE from a profile\n"
	"(Documentation/profile-format.rst), on any host. A profile carries its\n"
	"VM's features, so it takes none. A scratch\n"
	"VM's rules come from KVM_ARM_GET_REG_SAFE_RULES (the kernel's, else the\n"
	"kvm_safe_rules module's): --source rules, the default; --source probe\n"
	"learns them by trial writes instead (Documentation/probing.rst), --source\n"
	"any probes only when neither the kernel nor the module has them. baseline,\n"
	"migrate-check and diff compare profiles (capture them with profile -o).\n"
	"\n"
	"A configuration (Documentation/config-format.rst) is lines 'REG VALUE' or\n"
	"'REG=VALUE' (REG a name, op0,op1,CRn,CRm,op2 or the id as KVM_GET_REG_LIST\n"
	"prints it; VALUE hex; # comments), or JSON (kvm-safe-rules-config/v1);\n"
	"REG=VALUE arguments override --config FILE. With a kernel or module of\n"
	"layout version 2 and in v2 profiles, the firmware pseudo-registers\n"
	"(KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1..3, the\n"
	"hypercall bitmaps KVM_REG_ARM_*_BMAP) come after the ID registers in\n"
	"every command.\n"
	"Everywhere: --json prints JSON; --by-encoding writes REG as\n"
	"op0,op1,CRn,CRm,op2; -o FILE writes a configuration (JSON with --json) or\n"
	"a profile: through symlinks, a regular file all or nothing (its mode\n"
	"kept), a FIFO or device in place. Field values are numbers in the\n"
	"field's order (signed fields signed); sets of them are ranges such as 0-1,3.\n"
	"\n"
	"Commands:\n"
	"  regs [--pmu] [--sve] [--pauth]\n"
	"      Create a scratch VM and print, for every register of the feature ID\n"
	"      range (op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7) and CTR_EL0, its\n"
	"      value in the VM (KVM_GET_ONE_REG) and its writable mask\n"
	"      (KVM_ARM_GET_REG_WRITABLE_MASKS). KVM/arm64 only.\n"
	"  dump [--json] [--profile FILE | --pmu --sve --pauth]\n"
	"      Print the rules KVM applies to writes of the ID registers\n"
	"      (KVM_ARM_GET_REG_SAFE_RULES): per register its default value, writable\n"
	"      mask and flags, per field its bits, sign, rule, safe value, whether\n"
	"      it is writable, its default and KVM's overrides. --json prints a\n"
	"      profile; of a profile, the same profile.\n"
	"  profile -o FILE [--profile FILE | --pmu --sve --pauth]\n"
	"      Capture the rules as a profile file (what dump --json prints, with\n"
	"      the vCPU features used), written as -o says.\n"
	"  check --batch [--input FILE] [--profile FILE | --pmu --sve --pauth]\n"
	"      Read lines 'REG VALUE' (REG a name or op0,op1,CRn,CRm,op2; VALUE in\n"
	"      hex) from FILE or standard input and answer, for each, whether KVM\n"
	"      would accept the value in a VM at its defaults (a scratch VM's, or\n"
	"      the profile's): 'REG VALUE accept' or\n"
	"      'REG VALUE reject FIELD:reason[,...]'. The whole input is checked\n"
	"      before anything is printed. VALUE as in a configuration: 0x optional,\n"
	"      1 to 16 hex digits; at least one line, at most 16 MiB.\n"
	"  check [REG=VALUE...] [--config FILE] [--json] [--by-encoding] [SOURCE]\n"
	"      The verdict on a configuration: per register accept or reject, then\n"
	"      each field that is not its default or is refused (each field set\n"
	"      alone in the register's default), with the reason and the values\n"
	"      KVM accepts for it; --json gives every field.\n"
	"  values REG[.FIELD] [--json] [SOURCE]\n"
	"      Every value KVM accepts for the field (each field of REG without\n"
	"      .FIELD) in the register's default, with its bits, rule and default;\n"
	"      says when REG reads as zero or ignores writes. A field wider than 16\n"
	"      bits is not enumerated: its rule is shown instead.\n"
	"  clamp [REG=VALUE...] [--config FILE] [-o FILE] [--json] [--by-encoding] [SOURCE]\n"
	"      The closest accepted configuration at or below the one asked for:\n"
	"      per field the value asked if accepted, else the greatest accepted\n"
	"      value below it (in the field's order), else the smallest above;\n"
	"      bits in no field take the default. Lists each change (register,\n"
	"      field, asked -> clamped, why); without -o, as # comments before the\n"
	"      configuration on standard output.\n"
	"  baseline PROFILE... [-o FILE] [--json] [--by-encoding]\n"
	"      The richest configuration every profile accepts: per field the\n"
	"      value all accept (each on its own defaults) that gives the guest\n"
	"      the most (the greatest under LOWER_SAFE and EXACT, the least under\n"
	"      HIGHER_SAFE, the least nonzero under HIGHER_OR_ZERO_SAFE, never an\n"
	"      alias KVM stores as another value), with the profiles that limited\n"
	"      it; other bits must equal every default.\n"
	"      When there is none, every blocking field or bits with each\n"
	"      profile's value and why. Without -o the configuration goes to\n"
	"      standard output after the provenance (# comments).\n"
	"  migrate-check --from PROFILE --to PROFILE [--config FILE] [--both-ways]\n"
	"                [--json] [--by-encoding]\n"
	"      Can a guest configured on --from (its defaults, or FILE over them)\n"
	"      be restored on --to: every register checked on --to; each blocking\n"
	"      field with the guest's value, --to's default, why and what --to\n"
	"      accepts; registers --to lacks block. --both-ways also checks --to\n"
	"      -> --from (upgrade and rollback); with --config, only when --to\n"
	"      accepts the configuration.\n"
	"  diff PROFILE1 PROFILE2 [--json] [--by-encoding]\n"
	"      What changed: vCPU features, registers and fields added or removed,\n"
	"      register defaults, masks and flags, field names, signs, rules, safe\n"
	"      values, writability, minimums, aliases and defaults.\n"
	"  try (--config FILE | REG=VALUE... | --values REG.FIELD|REG/MASK...) [--pmu] [--sve] [--pauth]\n"
	"      What KVM really does, in a scratch VM of this host (arm64 only):\n"
	"      writes the configuration with KVM_SET_ONE_REG, register by register,\n"
	"      and prints per register accept (and the value read back) or reject\n"
	"      (and the errno), flagging any write the predictor got wrong; with\n"
	"      --values, writes every value of the field (or of MASK's bits, at\n"
	"      most 8) into the register's default and prints those KVM accepted.\n"
	"      The real-KVM counterpart of check and values; exit 3 when the\n"
	"      predictor disagreed with KVM.\n"
	"  help\n"
	"      This text.\n"
	"\n"
	"SOURCE is --profile FILE, or --pmu --sve --pauth --psci-0.2\n"
	"[--source rules|probe|any]\n"
	"for a scratch VM.\n"
	"\n"
	"Exit status:\n"
	"  0  success: every value accepted (check), a baseline exists, the\n"
	"     migration works, the profiles are the same (diff)\n"
	"  1  refused, rejected, blocked or different, or KVM failed an operation\n"
	"  2  usage error or bad input (a malformed profile, configuration or\n"
	"     input line, named on standard error with the offending input; a\n"
	"     register the rules lack; profiles of different vCPU features), a\n"
	"     command that needs a scratch VM in a build without KVM/arm64, or an\n"
	"     output not written: -o FILE, or standard output (a full disk, a\n"
	"     closed pipe: 'kvm-safe-rules: standard output: PROBLEM')\n"
	"  3  internal error: a result the predictor itself refuses (a bug)\n";

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
	if (!strcmp(arg, "--source") && *i + 1 < argc) {
		o->source = argv[++*i];	/* checked by open_rules() */
		return 1;
	}
	if (!strncmp(arg, "--", 2))
		f = ksr_feature_from_name(arg + 2);
	o->features |= f;
	return f != 0;
}

/* Each provider: its "rules from: ..." label, and its words after "rules from ". */
static const struct {
	const char *provider, *label, *origin;
} providers[] = {
	{ KSR_PROVIDER_KERNEL, "kernel (KVM_ARM_GET_REG_SAFE_RULES)",
	  "the kernel's KVM_ARM_GET_REG_SAFE_RULES" },
	{ KSR_PROVIDER_MODULE, "module (/dev/kvm-safe-rules)",
	  "the kvm_safe_rules module's /dev/kvm-safe-rules" },
	{ KSR_PROVIDER_PROBE, "probe (trial writes: Documentation/probing.rst)",
	  "probing by trial writes" },
};

const char *provider_text(const char *provider)
{
	if (!provider)
		return "unknown (the profile does not say)";
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (!strcmp(provider, providers[i].provider))
			return providers[i].label;
	return provider;
}

const char *provider_origin(const char *provider)
{
	if (!provider)
		return NULL;
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (!strcmp(provider, providers[i].provider))
			return providers[i].origin;
	return provider;
}

/* --source NAME as enum ksr_learn; -1 for none of them. */
static int learn_from_name(const char *name)
{
	static const char *const names[] = {
		[KSR_LEARN_RULES] = "rules", [KSR_LEARN_PROBE] = "probe", [KSR_LEARN_ANY] = "any",
	};

	for (unsigned int k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (!strcmp(name, names[k]))
			return (int)k;
	return -1;
}

int open_rules(const char *cmd, const struct cli_opts *o, struct ksr_source **src,
	       struct ksr_rules **rules)
{
	int learn = o->source ? learn_from_name(o->source) : KSR_LEARN_RULES;
	struct ksr_vm_opts vm_opts = { .size = sizeof(vm_opts), .features = o->features };
	char err[512];
	int ret;

	if (learn < 0) {
		fprintf(stderr, "kvm-safe-rules: %s: --source '%s': not rules, probe or any\n",
			cmd, o->source);
		return EXIT_USAGE;
	}
	vm_opts.learn = (unsigned int)learn;
	if (o->profile && (o->features || o->source)) {
		fprintf(stderr, "kvm-safe-rules: %s: --profile takes no vCPU features or --source (the profile has its own)\n",
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

/* The errno of the first write to standard output that failed. */
static int stdout_errno;

/*
 * Standard output's writes, remembering the first failure: a write stdio
 * makes directly (a string larger than its buffer) and fails leaves only
 * the stream's error flag, whose errno later calls may have overwritten.
 */
static ssize_t stdout_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!stdout_errno)
				stdout_errno = n < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* stdout through stdout_write(), buffered as before (by line on a terminal). */
static void watch_stdout(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = stdout_write });

	if (!f)
		return;		/* the plain stdout: errors still found, their errno maybe not */
	if (isatty(STDOUT_FILENO))
		setvbuf(f, NULL, _IOLBF, BUFSIZ);
	stdout = f;
}

/*
 * Standard output flushed and closed, each checked: ret, or EXIT_USAGE after
 * one line on standard error when what a command printed was not all
 * written (a full disk, a closed pipe, a closed descriptor), whatever the
 * command found: its verdict did not reach the caller.
 */
static int close_stdout(int ret)
{
	int err = 0;

	if (fflush(stdout))
		err = stdout_errno ?: errno;
	else if (ferror(stdout))
		err = stdout_errno ?: EIO;
	if (fclose(stdout) && !err)
		err = stdout_errno ?: errno;
	if (!err)
		return ret;
	fprintf(stderr, "kvm-safe-rules: standard output: %s\n", strerror(err));
	return EXIT_USAGE;
}

static int run(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "regs"))
		return cmd_regs(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "profile"))
		return cmd_profile(argc - 2, argv + 2);
	if (!strcmp(argv[1], "values"))
		return cmd_values(argc - 2, argv + 2);
	if (!strcmp(argv[1], "clamp"))
		return cmd_clamp(argc - 2, argv + 2);
	if (!strcmp(argv[1], "baseline"))
		return cmd_baseline(argc - 2, argv + 2);
	if (!strcmp(argv[1], "migrate-check"))
		return cmd_migrate_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 2, argv + 2);
	if (!strcmp(argv[1], "try"))
		return cmd_try(argc - 2, argv + 2);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage_error("unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
	/* A closed pipe is a write error (EPIPE) reported as any other, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	watch_stdout();
	return close_stdout(run(argc, argv));
}
