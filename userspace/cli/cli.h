/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the kvm-safe-rules subcommands. */
#ifndef KSR_CLI_H
#define KSR_CLI_H

#include <stdbool.h>

#include "internal.h"

#define EXIT_KVM	1	/* refused, rejected, or KVM failed an operation */
#define EXIT_USAGE	2	/* usage error or bad input */
#define EXIT_INTERNAL	3	/* a result the predictor refuses: a bug of the library */

/* Where a command takes its rules from, and how it prints. */
struct cli_opts {
	const char *profile;	/* --profile FILE, or NULL for a scratch VM */
	unsigned int features;	/* --pmu, --sve, --pauth: the scratch VM's */
	const char *source;	/* --source rules|probe|any, or NULL */
	bool json;		/* --json, where the command has it */
	const char *output;	/* -o FILE */
	const char *config;	/* --config FILE */
	bool by_encoding;	/* --by-encoding */
};

/* The options of parse_op_option() a command takes. */
enum {
	OPT_OUTPUT = 1u << 0,
	OPT_CONFIG = 1u << 1,
	OPT_BY_ENCODING = 1u << 2,
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
/*
 * Who answered KVM_ARM_GET_REG_SAFE_RULES (ksr_rules_provider(), NULL when
 * a profile does not say), for the line "rules from: ..." of dump and regs.
 */
const char *provider_text(const char *provider);
/*
 * The same in the words of dump's last line, after "rules from ": "the
 * kernel's KVM_ARM_GET_REG_SAFE_RULES", ...; NULL when not known.
 */
const char *provider_origin(const char *provider);

/* -o FILE, --config FILE, --by-encoding as allowed (OPT_*): 1 when taken, else 0. */
int parse_op_option(int argc, char **argv, int *i, unsigned int allowed, struct cli_opts *o);

/* report.c: printing what the operations return */
struct json_object;
const char *reg_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len);
/* "REG.BITS", or "REG" for a finding about the whole of a firmware register */
const char *where_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len);
const char *bits_label(const struct ksr_finding *f, char *buf, size_t len);
const char *value_text(const struct ksr_finding *f, uint64_t v, char *buf, size_t len);
/*
 * A field's rule for people: its name, "?" after it when probing found
 * several rules giving the values it learned, "(no rule fits)", "-" for a
 * fixed field without one.
 */
const char *rule_text(const struct ksr_field *f, char *buf, size_t len);
const char *values_text(const struct ksr_values *vals, char *buf, size_t len);
/* Is the finding about a firmware register; about the whole of one (a value list)? */
bool fw_finding(const struct ksr_finding *f);
bool fw_whole_reg(const struct ksr_finding *f);
/* values_text(), but a firmware register's accepted values as hex: "0x0, 0x1" */
const char *allowed_text(const struct ksr_finding *f, const struct ksr_values *vals, char *buf,
			 size_t len);
/* ksr_report_get() into a struct ksr_finding of this build's size. */
int get_finding(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f);
/* The report as JSON: command, ok, profiles, configuration, findings. */
struct json_object *report_json(const char *command, const struct ksr_report *rep,
				const struct ksr_rules *rules, char *const *profiles,
				unsigned int nr_profiles);
/* Prints root on standard output and frees it; 0 or -EIO. */
int print_json(struct json_object *root);
/* A configuration to -o FILE (JSON with --json) or as lines on standard output. */
int output_config(const char *cmd, const struct ksr_config *cfg, const struct ksr_rules *rules,
		  const struct cli_opts *o);
/* Profiles named on the command line; the exit status on failure. */
int load_profiles(const char *cmd, char **paths, unsigned int nr, struct ksr_rules **rules);
/* Reports that the configuration file path sets no register; returns EXIT_USAGE. */
int empty_config(const char *cmd, const char *path);
/* --config FILE and REG=VALUE arguments (which override it); the exit status on failure. */
int read_config(const char *cmd, const struct cli_opts *o, char **args, unsigned int nr_args,
		const struct ksr_rules *rules, struct ksr_config **cfg);

/*
 * Parses a command's options: the rule source, --json, the OPT_* allowed;
 * other words not starting with '-' go to args (NULL: none taken), at most
 * max of them: *nr_args counts them all, so that a caller checking it
 * reports too many as a usage error. Returns 0 or EXIT_USAGE.
 */
int parse_args(const char *cmd, int argc, char **argv, unsigned int allowed, struct cli_opts *o,
	       char **args, unsigned int max, unsigned int *nr_args);
/* The options, the rules and the configuration of check and clamp; the exit status on failure. */
int open_config(const char *cmd, int argc, char **argv, unsigned int allowed, struct cli_opts *o,
		struct ksr_rules **rules, struct ksr_config **cfg);

/* firmware.c: a firmware register's rule in words, each line after indent */
void print_fw_rule(const struct ksr_reg *r, const char *indent);
/* Its listed values, each with what it reads back and whether it is accepted (in its default) */
struct json_object *fw_values_json(const struct ksr_reg *r);

int cmd_regs(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_check(int argc, char **argv);
/* check without --batch (ops.c) */
int cmd_check_config(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_values(int argc, char **argv);
int cmd_clamp(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_migrate_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_try(int argc, char **argv);

#endif
