/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the kvm-safe-rules subcommands. */
#ifndef KSR_CLI_H
#define KSR_CLI_H

#include <stdbool.h>

#include "internal.h"

#define EXIT_KVM	1	/* refused, rejected, or KVM failed an operation */
#define EXIT_USAGE	2	/* usage error or bad input */

/* Where a command takes its rules from, and how it prints. */
struct cli_opts {
	const char *profile;	/* --profile FILE, or NULL for a scratch VM */
	unsigned int features;	/* --pmu, --sve, --pauth: the scratch VM's */
	bool json;		/* --json, where the command has it */
};

int usage_error(const char *fmt, const char *arg);
/*
 * Parses argv[*i] if it is a rule-source option (--profile FILE, --pmu,
 * --sve, --pauth) or, with json_ok, --json; advances *i past its argument.
 * Returns 1 when it took the option, 0 when the option is not one of these.
 */
int parse_common_option(int argc, char **argv, int *i, bool json_ok, struct cli_opts *o);
/* Reports an unknown option; returns EXIT_USAGE. */
int unknown_option(const char *cmd, const char *arg);
/*
 * Opens the source the options name and reads its rules; returns 0, or the
 * exit status after printing why not.
 */
int open_rules(const char *cmd, const struct cli_opts *o, struct ksr_source **src,
	       struct ksr_rules **rules);

int cmd_regs(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
