// SPDX-License-Identifier: GPL-2.0
/*
 * Every command's options, parsed in one place with getopt_long: one table
 * of all options, each in a group (CLI_OPT_*); a command takes the groups
 * its struct cli_cmd names. The usage texts are made from the same tables.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_HELP = 'h',
	OPT_OUTPUT = 'o',
	OPT_PROFILE = 256,
	OPT_SOURCE,
	OPT_FEATURE,
	OPT_JSON,
	OPT_CONFIG,
	OPT_FORMAT,
	OPT_BY_ENCODING,
	OPT_BATCH,
	OPT_INPUT,
	OPT_FROM,
	OPT_TO,
	OPT_BOTH_WAYS,
	OPT_VALUES,
};

#define SCRATCH_VM (CLI_OPT_SOURCE | CLI_OPT_FEATURES)

static const struct cli_option {
	const char *name;
	int has_arg;
	int val;
	unsigned int groups;	/* any of them */
	const char *arg;	/* the argument's name in the usage */
	const char *help;
} options[] = {
	{ "profile", required_argument, OPT_PROFILE, CLI_OPT_SOURCE, "FILE",
	  "the rules of a profile (Documentation/profile-format.rst), not of a scratch VM" },
	{ "source", required_argument, OPT_SOURCE, CLI_OPT_SOURCE, "NAME",
	  "a scratch VM's rules from: rules (KVM_ARM_GET_REG_SAFE_RULES, the default), probe (trial writes), any" },
	{ "pmu", no_argument, OPT_FEATURE, SCRATCH_VM, NULL, "the scratch VM's vCPU has a PMU" },
	{ "sve", no_argument, OPT_FEATURE, SCRATCH_VM, NULL, "... SVE" },
	{ "pauth", no_argument, OPT_FEATURE, SCRATCH_VM, NULL, "... pointer authentication" },
	{ "psci-0.2", no_argument, OPT_FEATURE, SCRATCH_VM, NULL, "... PSCI 0.2" },
	{ "batch", no_argument, OPT_BATCH, CLI_OPT_BATCH, NULL,
	  "check 'REG VALUE' lines, one verdict each" },
	{ "input", required_argument, OPT_INPUT, CLI_OPT_BATCH, "FILE",
	  "--batch's lines from FILE, not standard input" },
	{ "from", required_argument, OPT_FROM, CLI_OPT_MIGRATE, "PROFILE", "the source host" },
	{ "to", required_argument, OPT_TO, CLI_OPT_MIGRATE, "PROFILE", "the destination host" },
	{ "both-ways", no_argument, OPT_BOTH_WAYS, CLI_OPT_MIGRATE, NULL,
	  "also --to -> --from (rollback)" },
	{ "config", required_argument, OPT_CONFIG, CLI_OPT_CONFIG, "FILE",
	  "a configuration (Documentation/config-format.rst); REG=VALUE arguments override it" },
	{ "format", required_argument, OPT_FORMAT, CLI_OPT_FORMAT, "FMT",
	  "the configurations' format: auto (detected, the default), lines, json, firecracker, qemu, qemu-lines" },
	{ "values", no_argument, OPT_VALUES, CLI_OPT_VALUES, NULL,
	  "write every value of REG.FIELD or REG/MASK arguments" },
	{ "output", required_argument, OPT_OUTPUT, CLI_OPT_OUTPUT, "FILE",
	  "write the configuration or profile to FILE (-o FILE)" },
	{ "json", no_argument, OPT_JSON, CLI_OPT_JSON, NULL, "print JSON" },
	{ "by-encoding", no_argument, OPT_BY_ENCODING, CLI_OPT_BY_ENCODING, NULL,
	  "name registers op0,op1,CRn,CRm,op2 (firmware ones by id)" },
	{ "help", no_argument, OPT_HELP, 0, NULL, "this command's usage" },
};

#define NR_OPTIONS (sizeof(options) / sizeof(options[0]))

/* Does the command take the option: one of its groups, or --help (every command)? */
static bool takes(const struct cli_cmd *cmd, const struct cli_option *opt)
{
	return opt->val == OPT_HELP || (opt->groups & cmd->opts);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kvm-safe-rules: ");
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nRun 'kvm-safe-rules %s --help' for usage.\n", cmd);
	else
		fprintf(stderr, "\nRun 'kvm-safe-rules help' for usage.\n");
	return CLI_BAD;
}

/* Applies one option; 0 or the exit status. */
static int apply(const struct cli_cmd *cmd, const struct cli_option *opt, const char *arg,
		 struct cli_opts *o)
{
	switch (opt->val) {
	case OPT_PROFILE:
		o->profile = arg;
		break;
	case OPT_SOURCE:
		if (strcmp(arg, "rules") && strcmp(arg, "probe") && strcmp(arg, "any"))
			return cli_usage_error(cmd->name, "--source '%s': not rules, probe or any", arg);
		o->source = arg;
		break;
	case OPT_FEATURE:
		o->features |= ksr_feature_from_name(opt->name);
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_OUTPUT:
		o->output = arg;
		break;
	case OPT_CONFIG:
		o->config = arg;
		break;
	case OPT_FORMAT:
		if (ksr_config_format_from_name(arg, &o->format))
			return cli_usage_error(cmd->name,
					       "--format '%s': not auto, lines, json, firecracker, qemu or qemu-lines",
					       arg);
		break;
	case OPT_BY_ENCODING:
		o->by_encoding = true;
		break;
	case OPT_BATCH:
		o->batch = true;
		break;
	case OPT_INPUT:
		o->input = arg;
		break;
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_TO:
		o->to = arg;
		break;
	case OPT_BOTH_WAYS:
		o->both_ways = true;
		break;
	case OPT_VALUES:
		o->values = true;
		break;
	}
	return 0;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_opts *o)
{
	struct option longopts[NR_OPTIONS + 1];
	const struct cli_option *which[NR_OPTIONS];
	char shortopts[8] = ":h";
	unsigned int n = 0;
	int c, idx, ret;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->format = KSR_CONFIG_FORMAT_AUTO;
	for (size_t i = 0; i < NR_OPTIONS; i++) {
		if (!takes(cmd, &options[i]))
			continue;
		which[n] = &options[i];
		longopts[n++] = (struct option){ options[i].name, options[i].has_arg, NULL, (int)i };
		if (options[i].val == OPT_OUTPUT)
			strcat(shortopts, "o:");
	}
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	opterr = 0;
	optind = 0;	/* glibc: start afresh */
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct cli_option *opt = NULL;

		if (c == '?')
			return cli_usage_error(cmd->name, "unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return cli_usage_error(cmd->name, "option '%s' needs an argument", argv[optind - 1]);
		if (c == 'h' || c == 'o') {
			for (unsigned int i = 0; i < n; i++)
				if (which[i]->val == c)
					opt = which[i];
		} else {
			opt = &options[c];
		}
		if (opt->val == OPT_HELP) {
			cli_usage(cmd);
			return -1;
		}
		ret = apply(cmd, opt, optarg, o);
		if (ret)
			return ret;
	}
	o->args = argv + optind;
	o->nr_args = (unsigned int)(argc - optind);
	if (o->nr_args < cmd->min_args || o->nr_args > cmd->max_args)
		return cli_usage_error(cmd->name, "%s", cmd->args_error);
	if (o->profile && (o->features || o->source))
		return cli_usage_error(cmd->name,
				       "--profile takes no vCPU features or --source (the profile has its own)");
	return 0;
}

/* ---- usage -------------------------------------------------------------- */

static const char intro[] =
	"usage: kvm-safe-rules COMMAND [OPTIONS]   (kvm-safe-rules COMMAND --help: one command)\n"
	"\n"
	"Rules come from a scratch VM (one vCPU, preferred target, the optional\n"
	"features --pmu, --sve, --pauth, --psci-0.2; KVM/arm64 only: the arm64\n"
	"build), or with --profile FILE from a profile\n"
	"(Documentation/profile-format.rst), on any host. A profile carries its\n"
	"VM's features, so it takes none. A scratch VM's rules come from\n"
	"KVM_ARM_GET_REG_SAFE_RULES (the kernel's, else the kvm_safe_rules\n"
	"module's): --source rules, the default; --source probe learns them by\n"
	"trial writes instead (Documentation/probing.rst), --source any probes\n"
	"only when neither the kernel nor the module has them. baseline,\n"
	"migrate-check, diff and compare compare profiles (capture them with\n"
	"profile -o).\n"
	"\n"
	"A configuration (Documentation/config-format.rst) is lines 'REG VALUE' or\n"
	"'REG=VALUE' (REG a name, op0,op1,CRn,CRm,op2 or the id as KVM_GET_REG_LIST\n"
	"prints it; VALUE hex; # comments), JSON (kvm-safe-rules-config/v1), a\n"
	"Firecracker CPU template, or QEMU SYSREG_<REG>_<FIELD>=VALUE properties\n"
	"(a -cpu string or one per line): --format names it, else it is detected.\n"
	"REG=VALUE arguments override --config FILE. With a kernel or module of\n"
	"layout version 2 and in v2 profiles, the firmware pseudo-registers\n"
	"(KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1..3, the\n"
	"hypercall bitmaps KVM_REG_ARM_*_BMAP) come after the ID registers in\n"
	"every command.\n"
	"Everywhere: --json prints JSON; --by-encoding writes REG as\n"
	"op0,op1,CRn,CRm,op2; -o FILE writes a configuration or a profile: through\n"
	"symlinks, a regular file all or nothing (its mode kept), a FIFO or device\n"
	"in place. Field values are numbers in the field's order (signed fields\n"
	"signed); sets of them are ranges such as 0..1,3 or -1..1.\n"
	"\n"
	"Commands:\n";

static const char outro[] =
	"  help\n"
	"      This text.\n"
	"\n"
	"SOURCE is --profile FILE, or --pmu --sve --pauth --psci-0.2\n"
	"[--source rules|probe|any] for a scratch VM.\n"
	"\n"
	"Exit status:\n"
	"  0  success: every value accepted (check), a baseline exists, the\n"
	"     migration works, the profiles are the same (diff), identical (compare)\n"
	"  1  refused, rejected, blocked or different (incompatible: compare), or\n"
	"     KVM or the system failed an operation (out of memory included)\n"
	"  2  usage error or bad input (a malformed profile, configuration or\n"
	"     input line, named on standard error with the offending input; a\n"
	"     register the rules lack; profiles of different vCPU features), a\n"
	"     command that needs a scratch VM in a build without KVM/arm64, or an\n"
	"     output not written: -o FILE, or standard output (a full disk, a\n"
	"     closed pipe: 'kvm-safe-rules: standard output: PROBLEM')\n"
	"  3  internal error: a result the predictor itself refuses (a bug); try:\n"
	"     KVM disagreed with the predictor\n"
	"  4  compare: A is a superset of B (B's CPU model runs on A, not A's on B)\n"
	"  5  compare: A is a subset of B\n";

void cli_usage(const struct cli_cmd *cmd)
{
	if (!cmd) {
		fputs(intro, stdout);
		for (unsigned int i = 0; cli_commands[i]; i++)
			printf("  %s %s\n%s", cli_commands[i]->name, cli_commands[i]->synopsis,
			       cli_commands[i]->help);
		fputs(outro, stdout);
		return;
	}
	printf("usage: kvm-safe-rules %s %s\n\n%s\nOptions:\n", cmd->name, cmd->synopsis, cmd->help);
	for (size_t i = 0; i < NR_OPTIONS; i++) {
		char left[40];

		if (!takes(cmd, &options[i]))
			continue;
		snprintf(left, sizeof(left), "%s--%s%s%s", options[i].val == OPT_OUTPUT ? "-o, " : "",
			 options[i].name, options[i].arg ? " " : "", options[i].arg ?: "");
		printf("  %-22s %s\n", left, options[i].help);
	}
}
