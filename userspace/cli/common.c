// SPDX-License-Identifier: GPL-2.0
/*
 * What several commands do the same way: open the rules, profiles and
 * configurations the options name, write a configuration, and turn an
 * errno into an exit status (one mapping, cli_status()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_status(enum cli_stage stage, int err)
{
	if (!err)
		return CLI_OK;
	if (err == -ENOMEM)
		return CLI_NO;		/* the system failed, not the input */
	switch (stage) {
	case CLI_STAGE_KVM:
		/* a build without a live source: a usage error, give a profile */
		return err == -EOPNOTSUPP ? CLI_BAD : CLI_NO;
	case CLI_STAGE_OP:
		/* -EPROTO: a result the predictor itself refuses */
		return err == -EPROTO ? CLI_INTERNAL : CLI_BAD;
	case CLI_STAGE_INPUT:
	case CLI_STAGE_OUTPUT:
		break;
	}
	return CLI_BAD;
}

int cli_fail(const char *cmd, enum cli_stage stage, int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kvm-safe-rules: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_status(stage, err);
}

/* Each provider: its "rules from: ..." label, and its words after "rules from ". */
static const struct {
	const char *provider, *label, *origin;
} providers[] = {
	{ "kernel", "kernel (KVM_ARM_GET_REG_SAFE_RULES)", "the kernel's KVM_ARM_GET_REG_SAFE_RULES" },
	{ "module", "module (/dev/kvm-safe-rules)", "the kvm_safe_rules module's /dev/kvm-safe-rules" },
	{ "probe", "probe (trial writes: Documentation/probing.rst)", "probing by trial writes" },
};

const char *cli_provider_label(const char *provider)
{
	if (!provider)
		return "unknown (the profile does not say)";
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (!strcmp(provider, providers[i].provider))
			return providers[i].label;
	return provider;
}

const char *cli_provider_origin(const char *provider)
{
	if (!provider)
		return NULL;
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (!strcmp(provider, providers[i].provider))
			return providers[i].origin;
	return provider;
}

/* --source NAME (checked by cli_parse()) as enum ksr_learn */
static enum ksr_learn learn_from_name(const char *name)
{
	if (!name || !strcmp(name, "rules"))
		return KSR_LEARN_RULES;
	return strcmp(name, "probe") ? KSR_LEARN_ANY : KSR_LEARN_PROBE;
}

int cli_open_rules(const struct cli_opts *o, struct ksr_source **src, struct ksr_rules **rules)
{
	struct ksr_vm_opts vm_opts = {
		.size = sizeof(vm_opts), .features = o->features, .learn = learn_from_name(o->source),
	};
	const char *cmd = o->cmd->name;
	char err[512];
	int ret;

	if (o->profile) {
		ret = ksr_source_open_profile(src, o->profile, err, sizeof(err));
		if (ret)
			return cli_fail(cmd, CLI_STAGE_INPUT, ret, "%s", err);
	} else {
		ret = ksr_source_open_vm(src, &vm_opts, err, sizeof(err));
		if (ret == -EOPNOTSUPP)
			return cli_fail(cmd, CLI_STAGE_KVM, ret, "%s (--profile FILE)", err);
		if (ret) {
			fprintf(stderr, "kvm-safe-rules: cannot create a scratch VM: %s\n", err);
			return cli_status(CLI_STAGE_KVM, ret);
		}
	}
	ret = ksr_source_rules(*src, rules, err, sizeof(err));
	if (ret) {
		ksr_source_close(*src);
		return cli_fail(cmd, CLI_STAGE_KVM, ret, "%s", err);
	}
	return 0;
}

int cli_load_profiles(const char *cmd, char *const *paths, unsigned int nr, struct ksr_rules **rules)
{
	char err[512];
	int ret;

	for (unsigned int i = 0; i < nr; i++) {
		ret = ksr_profile_load(paths[i], &rules[i], err, sizeof(err));
		if (ret) {
			while (i--)
				ksr_rules_free(rules[i]);
			return cli_fail(cmd, CLI_STAGE_INPUT, ret, "%s", err);
		}
	}
	return 0;
}

/* The REG=VALUE arguments as one configuration, "line" N the N-th argument. */
static int config_from_args(const struct cli_opts *o, const struct ksr_rules *rules,
			    struct ksr_config **cfg)
{
	size_t len = 0;
	char *text, err[512];
	int ret;

	for (unsigned int i = 0; i < o->nr_args; i++)
		len += strlen(o->args[i]) + 1;
	text = calloc(1, len + 1);
	if (!text)
		return cli_fail(o->cmd->name, CLI_STAGE_INPUT, -ENOMEM, "out of memory");
	for (unsigned int i = 0; i < o->nr_args; i++) {
		strcat(text, o->args[i]);
		strcat(text, "\n");
	}
	ret = ksr_config_parse(text, len, "argument", rules, cfg, err, sizeof(err));
	free(text);
	return ret ? cli_fail(o->cmd->name, CLI_STAGE_INPUT, ret, "%s", err) : 0;
}

int cli_read_config(const struct cli_opts *o, const struct ksr_rules *rules,
		    struct ksr_config **cfg, enum ksr_config_format *format)
{
	const char *cmd = o->cmd->name;
	struct ksr_config *extra = NULL;
	uint64_t id, value;
	char err[512];
	int ret;

	*cfg = NULL;
	*format = KSR_CONFIG_FORMAT_LINES;
	if (o->config) {
		ret = ksr_config_load_format(o->config, rules, o->format, cfg, err, sizeof(err));
		if (ret)
			return cli_fail(cmd, CLI_STAGE_INPUT, ret, "%s", err);
		*format = ksr_config_read_format(*cfg);
	}
	if (o->nr_args) {
		ret = config_from_args(o, rules, &extra);
		if (ret) {
			ksr_config_free(*cfg);
			return ret;
		}
	}
	if (!*cfg) {
		*cfg = extra;
		extra = NULL;
	}
	for (unsigned int i = 0; extra && !ksr_config_entry_id(extra, i, &id, &value); i++) {
		ret = ksr_config_set_id(*cfg, id, value);
		if (ret) {
			ksr_config_free(extra);
			ksr_config_free(*cfg);
			return cli_fail(cmd, CLI_STAGE_INPUT, ret, "%s", strerror(-ret));
		}
	}
	ksr_config_free(extra);
	if (*cfg && ksr_config_nr(*cfg))
		return 0;
	if (o->config)
		ret = cli_fail(cmd, CLI_STAGE_INPUT, -EINVAL, "%s: no register: an empty configuration",
			       o->config);
	else
		ret = cli_fail(cmd, CLI_STAGE_INPUT, -EINVAL,
			       "no configuration: give REG=VALUE or --config FILE");
	ksr_config_free(*cfg);
	*cfg = NULL;
	return ret;
}

int cli_open_config(const struct cli_opts *o, struct ksr_rules **rules, struct ksr_config **cfg,
		    enum ksr_config_format *format)
{
	struct ksr_source *src;
	int ret;

	ret = cli_open_rules(o, &src, rules);
	if (ret)
		return ret;
	ksr_source_close(src);
	ret = cli_read_config(o, *rules, cfg, format);
	if (ret)
		ksr_rules_free(*rules);
	return ret;
}

int cli_write_config(const struct cli_opts *o, const struct ksr_config *cfg,
		     const struct ksr_rules *rules, enum ksr_config_format format,
		     unsigned int flags)
{
	flags |= o->by_encoding ? KSR_CONFIG_BY_ENCODING : 0;
	char err[512];
	int ret;

	if (format == KSR_CONFIG_FORMAT_AUTO)
		format = o->json && o->output ? KSR_CONFIG_FORMAT_JSON : KSR_CONFIG_FORMAT_LINES;
	if (o->output)
		ret = ksr_config_save_format(cfg, rules, o->output, format, flags, err, sizeof(err));
	else
		ret = ksr_config_write_format(cfg, rules, format, stdout, flags, err, sizeof(err));
	/* A failed write of standard output (-EIO): main() names it. */
	if (ret && (o->output || ret != -EIO))
		return cli_fail(o->cmd->name, CLI_STAGE_OUTPUT, ret, "%s", err);
	return cli_status(CLI_STAGE_OUTPUT, ret);
}

void cli_print_kept(FILE *out, const struct ksr_config *cfg, const char *prefix)
{
	const char *key, *text;

	for (unsigned int i = 0; !ksr_config_kept(cfg, i, &key, &text); i++)
		fprintf(out, "%skept, not interpreted: %s: %s\n", prefix, key, text);
}

/* ---- standard output ---------------------------------------------------- */

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

void cli_watch_stdout(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = stdout_write });

	if (!f)
		return;		/* the plain stdout: errors still found, their errno maybe not */
	if (isatty(STDOUT_FILENO))
		setvbuf(f, NULL, _IOLBF, BUFSIZ);
	stdout = f;
}

int cli_close_stdout(int ret)
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
	return cli_status(CLI_STAGE_OUTPUT, -err);
}
