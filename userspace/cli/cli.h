/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kvm-safe-rules commands share. The CLI is a client of the
 * library's public header only: it is also the library's worked example.
 *
 *	main.c		the command table and the dispatch, nothing else
 *	options.c	every command's options (getopt_long), usage from the table
 *	common.c	opening rules, profiles, configurations; -o; exit statuses;
 *			standard output checked
 *	print.c		findings, fields and values in words
 *	json.c		the JSON outputs (one shape per field: Documentation/
 *			kvm-safe-rules-output.schema.json)
 *	firmware.c	the firmware pseudo-registers' rules in words
 *	batch.c		check --batch's input
 *	CMD.c		one command each
 */
#ifndef KSR_CLI_H
#define KSR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kvm-safe-rules.h"

/* Exit statuses (Documentation/man/kvm-safe-rules.1, EXIT STATUS). */
enum cli_status {
	CLI_OK = 0,
	CLI_NO = 1,		/* refused, rejected, blocked, different; KVM or the system failed */
	CLI_BAD = 2,		/* usage error, bad input, an output not written */
	CLI_INTERNAL = 3,	/* a result the predictor refuses, or KVM disagreed with it (try) */
	CLI_SUPERSET = 4,	/* compare: A is a superset of B */
	CLI_SUBSET = 5,		/* compare: A is a subset of B */
};

/* What failed, for cli_status(): the one errno-to-exit-status mapping. */
enum cli_stage {
	CLI_STAGE_INPUT,	/* reading the command line, a profile, a configuration */
	CLI_STAGE_KVM,		/* a scratch VM: KVM or the module */
	CLI_STAGE_OP,		/* an operation of the library on good input */
	CLI_STAGE_OUTPUT,	/* writing -o FILE or standard output */
};

/* The options a command takes (struct cli_cmd.opts). */
enum cli_opt_group {
	CLI_OPT_SOURCE = 1u << 0,	/* --profile FILE, --source NAME, vCPU features */
	CLI_OPT_FEATURES = 1u << 1,	/* vCPU features (and --source) only: a scratch VM */
	CLI_OPT_JSON = 1u << 2,		/* --json */
	CLI_OPT_OUTPUT = 1u << 3,	/* -o FILE */
	CLI_OPT_CONFIG = 1u << 4,	/* --config FILE */
	CLI_OPT_FORMAT = 1u << 5,	/* --format FMT */
	CLI_OPT_BY_ENCODING = 1u << 6,	/* --by-encoding */
	CLI_OPT_BATCH = 1u << 7,	/* --batch, --input FILE */
	CLI_OPT_MIGRATE = 1u << 8,	/* --from FILE, --to FILE, --both-ways */
	CLI_OPT_VALUES = 1u << 9,	/* --values */
};

struct cli_cmd;

/* A command's options and arguments, as options.c parsed them. */
struct cli_opts {
	const struct cli_cmd *cmd;
	const char *profile;		/* --profile FILE, or NULL for a scratch VM */
	unsigned int features;		/* the scratch VM's KSR_FEAT_* */
	const char *source;		/* --source rules|probe|any, or NULL */
	bool json;
	const char *output;		/* -o FILE */
	const char *config;		/* --config FILE */
	enum ksr_config_format format;	/* --format, KSR_CONFIG_FORMAT_AUTO when not given */
	bool by_encoding;
	bool batch;
	const char *input;		/* --input FILE */
	const char *from, *to;		/* migrate-check */
	bool both_ways;
	bool values;			/* try --values */
	char **args;			/* the positional arguments, argv[optind..] */
	unsigned int nr_args;
};

/* A command: the table main.c dispatches from, and its usage. */
struct cli_cmd {
	const char *name;
	int (*run)(struct cli_opts *o);
	const char *synopsis;		/* after the name */
	const char *help;		/* what it does, lines indented by 6 */
	unsigned int opts;		/* CLI_OPT_* */
	unsigned int min_args, max_args;	/* positional arguments */
	const char *args_error;		/* the usage error when their number is wrong */
};

extern const struct cli_cmd cli_cmd_regs, cli_cmd_dump, cli_cmd_profile, cli_cmd_check,
	cli_cmd_values, cli_cmd_clamp, cli_cmd_baseline, cli_cmd_migrate_check, cli_cmd_diff,
	cli_cmd_compare, cli_cmd_try;
/* Every command, in the order of the usage; NULL at the end (main.c). */
extern const struct cli_cmd *const cli_commands[];

/* ---- options.c ---------------------------------------------------------- */

/*
 * Parses argv (argv[0] the command's name) into o. Returns 0, CLI_BAD after
 * a usage error on standard error, or -1 when it printed the command's
 * usage (--help): the command exits 0.
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_opts *o);
/* The usage of one command (synopsis, text, options), or with NULL all of them. */
void cli_usage(const struct cli_cmd *cmd);
/* A usage error: "kvm-safe-rules: CMD: MESSAGE" and the hint; returns CLI_BAD. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- common.c ----------------------------------------------------------- */

/* The exit status for errno err (negative) at stage. */
int cli_status(enum cli_stage stage, int err);
/* "kvm-safe-rules: CMD: MESSAGE" on standard error; returns cli_status(stage, err). */
int cli_fail(const char *cmd, enum cli_stage stage, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The rules the options name (a profile, or a scratch VM); 0 or the exit status. */
int cli_open_rules(const struct cli_opts *o, struct ksr_source **src, struct ksr_rules **rules);
/* Profiles named on the command line into rules[0..nr); 0 or the exit status. */
int cli_load_profiles(const char *cmd, char *const *paths, unsigned int nr, struct ksr_rules **rules);
/*
 * The configuration of --config FILE (in --format's format) and the
 * REG=VALUE arguments, which override it; 0 or the exit status. *format is
 * the format it was read in (lines for arguments alone).
 */
int cli_read_config(const struct cli_opts *o, const struct ksr_rules *rules,
		    struct ksr_config **cfg, enum ksr_config_format *format);
/* The rules and the configuration of check and clamp; 0 or the exit status. */
int cli_open_config(const struct cli_opts *o, struct ksr_rules **rules, struct ksr_config **cfg,
		    enum ksr_config_format *format);
/*
 * Writes cfg to -o FILE or standard output, in format (AUTO: lines, or
 * JSON with --json), with the KSR_CONFIG_* flags (--by-encoding's added);
 * 0 or the exit status.
 */
int cli_write_config(const struct cli_opts *o, const struct ksr_config *cfg,
		     const struct ksr_rules *rules, enum ksr_config_format format,
		     unsigned int flags);
/* "kept, not interpreted: KEY: TEXT" for each part of cfg the library keeps. */
void cli_print_kept(FILE *out, const struct ksr_config *cfg, const char *prefix);
/* Standard output through a cookie that keeps the errno of its first failed write. */
void cli_watch_stdout(void);
/*
 * Standard output flushed and closed, each checked: ret, or CLI_BAD after
 * one line on standard error when what a command printed was not all
 * written (a full disk, a closed pipe, a closed descriptor), whatever the
 * command found: its verdict did not reach the caller.
 */
int cli_close_stdout(int ret);
/* Who gave the rules, for "rules from: ..."; and in the words of dump's last line. */
const char *cli_provider_label(const char *provider);
const char *cli_provider_origin(const char *provider);

/* ---- print.c ------------------------------------------------------------ */

/* ksr_report_get() into a struct ksr_finding of this build's size. */
int cli_finding(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f);
/* Is the finding about a firmware register; about the whole of one (a value list)? */
bool cli_fw_finding(const struct ksr_finding *f);
bool cli_fw_whole_reg(const struct ksr_finding *f);
/* The register as a name (or its encoding / id with by_encoding). */
const char *cli_reg_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len);
/* "REG.BITS", or "REG" for a finding about the whole of a firmware register. */
const char *cli_where_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len);
const char *cli_bits_label(const struct ksr_finding *f, char *buf, size_t len);
/* A field's bits as a number in its order (signed fields signed); other bits in hex. */
const char *cli_value_text(const struct ksr_finding *f, uint64_t v, char *buf, size_t len);
/*
 * A field's rule for people: its name, "?" after it when probing found
 * several rules giving the values it learned, "(no rule fits)", "-" for a
 * fixed field without one.
 */
const char *cli_rule_text(const struct ksr_field *f, char *buf, size_t len);
const char *cli_values_text(const struct ksr_values *vals, char *buf, size_t len);
/* cli_values_text(), but a firmware register's accepted values as hex: "0x0, 0x1" */
const char *cli_allowed_text(const struct ksr_finding *f, const struct ksr_values *vals,
			     char *buf, size_t len);

/* ---- json.c ------------------------------------------------------------- */

struct json_object;
/* The report as JSON: command, ok, profiles, configuration, findings. */
struct json_object *cli_report_json(const char *command, const struct ksr_report *rep,
				    const struct ksr_rules *rules, char *const *profiles,
				    unsigned int nr_profiles);
/*
 * The field objects of reg (every field, or only field) at register value
 * current, appended to array: the shape of values --json and check --json.
 * Each field's verdict is that of its bits set alone in the register's
 * default (as ksr_check() decides it).
 */
void cli_fields_json(struct json_object *array, const struct ksr_reg *reg,
		     const struct ksr_field *field, uint64_t current);
/* check --json: the registers' verdicts and every field's, from ksr_check()'s report. */
struct json_object *cli_check_json(const struct ksr_report *rep, const struct ksr_rules *rules,
				   const struct ksr_config *cfg);
/* A field's raw bits as a JSON integer in the field's order (signed fields negative). */
struct json_object *cli_number_json(uint64_t bits, unsigned int width, bool is_signed);
/* The kept parts of cfg: [{"key", "text"}]. */
struct json_object *cli_kept_json(const struct ksr_config *cfg);
/* Prints root on standard output (plain slashes) and frees it; 0 or the exit status. */
int cli_print_json(struct json_object *root);

/* ---- firmware.c --------------------------------------------------------- */

/* A firmware register's rule in words, each line after indent. */
void cli_print_fw_rule(const struct ksr_reg *r, const char *indent);

/* ---- batch.c ------------------------------------------------------------ */

/* One line of check --batch's input. */
struct cli_query {
	const struct ksr_reg *reg;
	char *reg_text;		/* as written */
	uint64_t value;
};

/*
 * Reads every "REG VALUE" line of in (named in_name in messages) against
 * rules; 0 with the queries, or CLI_BAD after one line on standard error.
 */
int cli_read_queries(FILE *in, const char *in_name, const struct ksr_rules *rules,
		     struct cli_query **out, size_t *count);
void cli_free_queries(struct cli_query *q, size_t n);

#endif
