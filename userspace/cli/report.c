// SPDX-License-Identifier: GPL-2.0
/*
 * Printing what the operations return: configurations, findings as text
 * and as JSON, shared by the subcommands.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonio.h"

bool fw_finding(const struct ksr_finding *f)
{
	return f->reg_name && ksr_id_is_firmware(f->reg_id);
}

bool fw_whole_reg(const struct ksr_finding *f)
{
	return fw_finding(f) && !f->is_field && !f->mask;
}

const char *reg_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len)
{
	if (fw_finding(f) && by_encoding)
		snprintf(buf, len, "0x%016" PRIx64, f->reg_id);	/* it has no encoding */
	else if (fw_finding(f))
		snprintf(buf, len, "%s", f->reg_name);
	else if (by_encoding || !f->reg_name)
		snprintf(buf, len, "%u,%u,%u,%u,%u", f->enc.op0, f->enc.op1, f->enc.crn, f->enc.crm,
			 f->enc.op2);
	else
		snprintf(buf, len, "%s", f->reg_name);
	return buf;
}

const char *where_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len)
{
	char reg[64], bits[96];

	reg_label(f, by_encoding, reg, sizeof(reg));
	if (fw_whole_reg(f))
		snprintf(buf, len, "%s", reg);
	else
		snprintf(buf, len, "%s.%s", reg, bits_label(f, bits, sizeof(bits)));
	return buf;
}

/* " (PTP,BIT5)": the names of a firmware bitmap's bits in mask */
static void bit_names(uint64_t id, uint64_t mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 64 && at < len; bit++) {
		const char *name = ksr_fw_bit_name(id, bit);

		if (!(mask >> bit & 1))
			continue;
		if (name)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : " (", name);
		else
			at += (size_t)snprintf(buf + at, len - at, "%sBIT%u", at ? "," : " (", bit);
	}
	if (at && at + 1 < len)
		strcat(buf, ")");
}

const char *bits_label(const struct ksr_finding *f, char *buf, size_t len)
{
	char names[64];

	if (fw_finding(f) && !f->is_field && f->mask) {
		bit_names(f->reg_id, f->mask, names, sizeof(names));
		snprintf(buf, len, "bits 0x%" PRIx64 "%s", f->mask, names);
	} else if (f->is_field && f->field_name)
		snprintf(buf, len, "%s", f->field_name);
	else if (f->is_field)
		snprintf(buf, len, "bits[%u:%u]", f->shift + f->width - 1, f->shift);
	else if (f->mask)
		snprintf(buf, len, "bits 0x%016" PRIx64, f->mask);
	else
		snprintf(buf, len, "(register)");
	return buf;
}

/* A field's bits as a number in its order; other bits as hex. */
const char *value_text(const struct ksr_finding *f, uint64_t v, char *buf, size_t len)
{
	if (!f->is_field)
		snprintf(buf, len, "0x%" PRIx64, v);
	else if (f->is_signed && f->width < 64 && (v >> (f->width - 1)) & 1)
		snprintf(buf, len, "%" PRId64, (int64_t)(v | ~0ull << f->width));
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

const char *rule_text(const struct ksr_field *f, char *buf, size_t len)
{
	const char *name = ksr_rule_type_name((enum ksr_rule_type)f->type);

	if (!name)
		return f->flags & KSR_FIELD_LEARNED ? "(no rule fits)" :
		       f->flags & KSR_FIELD_WRITABLE ? "UNKNOWN" : "-";
	snprintf(buf, len, "%s%s", name, f->flags & KSR_FIELD_RULE_UNSURE ? "?" : "");
	return buf;
}

/* A firmware register's values as hex: "0x0, 0x1" */
static void hex_values(const struct ksr_values *vals, char *buf, size_t len)
{
	int64_t lo, hi;
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; !ksr_values_range(vals, i, &lo, &hi) && at < len; i++) {
		/* up to hi, which may be INT64_MAX: no v++ past it */
		for (int64_t v = lo; at < len; v++) {
			at += (size_t)snprintf(buf + at, len - at, "%s0x%" PRIx64, at ? ", " : "",
					       (uint64_t)v);
			if (v == hi)
				break;
		}
	}
	if (!at)
		snprintf(buf, len, "none");
}

const char *allowed_text(const struct ksr_finding *f, const struct ksr_values *vals, char *buf,
			 size_t len)
{
	if (vals && fw_whole_reg(f)) {
		hex_values(vals, buf, len);
		return buf;
	}
	return values_text(vals, buf, len);
}

const char *values_text(const struct ksr_values *vals, char *buf, size_t len)
{
	if (!vals)
		snprintf(buf, len, "(not enumerated)");
	else
		ksr_values_format(vals, buf, len);
	return buf;
}

int get_finding(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f)
{
	f->size = sizeof(*f);
	return ksr_report_get(rep, i, f);
}

static json_object *values_json(const struct ksr_values *vals)
{
	json_object *a;
	int64_t lo, hi;

	if (!vals)
		return NULL;
	a = json_object_new_array();
	for (unsigned int i = 0; !ksr_values_range(vals, i, &lo, &hi); i++) {
		json_object *r = json_object_new_array();

		json_object_array_add(r, json_object_new_int64(lo));
		json_object_array_add(r, json_object_new_int64(hi));
		json_object_array_add(a, r);
	}
	return a;
}

static const char *const kind_names[] = {
	[KSR_FINDING_REG] = "register", [KSR_FINDING_FIELD] = "field",
	[KSR_FINDING_CHANGE] = "change", [KSR_FINDING_CHOICE] = "choice",
	[KSR_FINDING_BLOCKER] = "blocker", [KSR_FINDING_DIFF] = "difference",
};

static json_object *finding_json(const struct ksr_finding *f, char *const *profiles)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(kind_names[f->kind]));
	json_object_object_add(o, "register", f->reg_name ? json_object_new_string(f->reg_name) : NULL);
	json_object_object_add(o, "encoding", f->reg_name && !fw_finding(f) ? ksr_jw_encoding(f->enc) : NULL);
	if (fw_finding(f))
		json_object_object_add(o, "id", ksr_jw_hex64(f->reg_id));
	if (f->kind != KSR_FINDING_REG) {
		json_object_object_add(o, "field", f->field_name ? json_object_new_string(f->field_name) : NULL);
		json_object_object_add(o, "is_field", json_object_new_boolean(f->is_field));
		json_object_object_add(o, "shift", json_object_new_int((int)f->shift));
		json_object_object_add(o, "width", json_object_new_int((int)f->width));
		json_object_object_add(o, "mask", ksr_jw_hex64(f->mask));
		json_object_object_add(o, "signed", json_object_new_boolean(f->is_signed));
	}
	if (f->kind == KSR_FINDING_DIFF) {
		json_object_object_add(o, "what", json_object_new_string(f->what));
		json_object_object_add(o, "old", f->old_text ? json_object_new_string(f->old_text) : NULL);
		json_object_object_add(o, "new", f->new_text ? json_object_new_string(f->new_text) : NULL);
		return o;
	}
	if (f->kind == KSR_FINDING_REG || f->kind == KSR_FINDING_FIELD)
		json_object_object_add(o, "ok", json_object_new_boolean(f->ok));
	json_object_object_add(o, "why", f->why ? json_object_new_string(f->why) : NULL);
	if (f->kind == KSR_FINDING_REG) {
		json_object_object_add(o, "value", ksr_jw_hex64(f->value));
		json_object_object_add(o, "stored", ksr_jw_hex64(f->result));
		return o;
	}
	if (!f->nr_profiles || f->kind == KSR_FINDING_CHOICE)
		json_object_object_add(o, "value", json_object_new_uint64(f->value));
	if (f->kind == KSR_FINDING_CHANGE)
		json_object_object_add(o, "clamped", json_object_new_uint64(f->result));
	if (f->kind == KSR_FINDING_FIELD || (f->kind == KSR_FINDING_BLOCKER && !f->nr_profiles))
		json_object_object_add(o, "default", json_object_new_uint64(f->result));
	if (f->kind == KSR_FINDING_BLOCKER && !f->nr_profiles)
		json_object_object_add(o, "missing", json_object_new_boolean(f->missing));
	json_object_object_add(o, "allowed", values_json(f->allowed));
	if (f->nr_profiles) {
		json_object *a = json_object_new_array(), *lim = json_object_new_array();

		for (unsigned int p = 0; p < f->nr_profiles; p++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "profile", json_object_new_string(profiles[p]));
			json_object_object_add(e, "present",
					       json_object_new_boolean(!(f->missing & (1ull << p))));
			json_object_object_add(e, "value", json_object_new_uint64(f->profile_values[p]));
			json_object_object_add(e, "allowed", values_json(f->profile_allowed ?
								      f->profile_allowed[p] : NULL));
			json_object_array_add(a, e);
			if (f->limited_by & (1ull << p))
				json_object_array_add(lim, json_object_new_string(profiles[p]));
		}
		json_object_object_add(o, "profiles", a);
		if (f->kind == KSR_FINDING_CHOICE)
			json_object_object_add(o, "limited_by", lim);
		else
			json_object_put(lim);
	}
	return o;
}

static json_object *config_json(const struct ksr_config *cfg, const struct ksr_rules *rules)
{
	json_object *a = json_object_new_array();
	struct ksr_encoding enc;
	uint64_t id, value;

	for (unsigned int i = 0; !ksr_config_entry_id(cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = rules ? ksr_rules_find_id(rules, id) : NULL;
		json_object *o = json_object_new_object();
		bool fw = ksr_config_entry(cfg, i, &enc, NULL) == -ENOENT;
		char name[32];

		if (fw)
			snprintf(name, sizeof(name), "%s", ksr_fw_name(id) ?: "");
		else
			snprintf(name, sizeof(name), "S%u_%u_C%u_C%u_%u", enc.op0, enc.op1, enc.crn,
				 enc.crm, enc.op2);
		if (fw && !*name)
			snprintf(name, sizeof(name), "0x%016" PRIx64, id);
		json_object_object_add(o, "name", json_object_new_string(reg ? ksr_reg_name(reg) : name));
		if (fw)
			json_object_object_add(o, "id", ksr_jw_hex64(id));
		else
			json_object_object_add(o, "encoding", ksr_jw_encoding(enc));
		json_object_object_add(o, "value", ksr_jw_hex64(value));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *report_json(const char *command, const struct ksr_report *rep, const struct ksr_rules *rules,
			 char *const *profiles, unsigned int nr_profiles)
{
	json_object *root = json_object_new_object(), *a = json_object_new_array();
	struct ksr_finding f;

	json_object_object_add(root, "command", json_object_new_string(command));
	json_object_object_add(root, "ok", json_object_new_boolean(ksr_report_ok(rep)));
	if (nr_profiles) {
		json_object *p = json_object_new_array();

		for (unsigned int i = 0; i < nr_profiles; i++)
			json_object_array_add(p, json_object_new_string(profiles[i]));
		json_object_object_add(root, "profiles", p);
	}
	json_object_object_add(root, "configuration", ksr_report_config(rep) ?
			       config_json(ksr_report_config(rep), rules) : NULL);
	for (unsigned int i = 0; !get_finding(rep, i, &f); i++)
		json_object_array_add(a, finding_json(&f, profiles));
	json_object_object_add(root, "findings", a);
	return root;
}

int print_json(json_object *root)
{
	int ret = ksr_jw_print(root, stdout);

	json_object_put(root);
	return ret;
}

int output_config(const char *cmd, const struct ksr_config *cfg, const struct ksr_rules *rules,
		  const struct cli_opts *o)
{
	unsigned int flags = o->by_encoding ? KSR_CONFIG_BY_ENCODING : 0;
	char err[512];

	if (!o->output)
		return ksr_config_write(cfg, rules, stdout, flags) ? EXIT_USAGE : 0;
	if (ksr_config_save(cfg, rules, o->output, flags | (o->json ? KSR_CONFIG_JSON : 0), err,
			    sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
		return EXIT_USAGE;
	}
	return 0;
}

int load_profiles(const char *cmd, char **paths, unsigned int nr, struct ksr_rules **rules)
{
	char err[512];

	for (unsigned int i = 0; i < nr; i++) {
		if (ksr_profile_load(paths[i], &rules[i], err, sizeof(err))) {
			fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
			while (i--)
				ksr_rules_free(rules[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int empty_config(const char *cmd, const char *path)
{
	fprintf(stderr, "kvm-safe-rules: %s: %s: no register: an empty configuration\n", cmd, path);
	return EXIT_USAGE;
}

int read_config(const char *cmd, const struct cli_opts *o, char **args, unsigned int nr_args,
		const struct ksr_rules *rules, struct ksr_config **cfg)
{
	struct ksr_config *extra = NULL;
	char err[512], *text;
	size_t len = 0;
	uint64_t id, value;
	int ret = 0;

	*cfg = NULL;
	if (o->config && ksr_config_load(o->config, rules, cfg, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
		return EXIT_USAGE;
	}
	for (unsigned int i = 0; i < nr_args; i++)
		len += strlen(args[i]) + 1;
	text = malloc(len + 1);
	if (!text) {
		ksr_config_free(*cfg);
		return EXIT_USAGE;
	}
	text[0] = '\0';
	for (unsigned int i = 0; i < nr_args; i++) {
		strcat(text, args[i]);
		strcat(text, "\n");
	}
	/* REG=VALUE arguments, "line" N being the N-th argument; they override the file. */
	if (ksr_config_parse(text, strlen(text), "argument", rules, &extra, err, sizeof(err))) {
		fprintf(stderr, "kvm-safe-rules: %s: %s\n", cmd, err);
		ret = EXIT_USAGE;
	} else if (!*cfg) {
		*cfg = extra;
		extra = NULL;
	} else {
		for (unsigned int i = 0; !ksr_config_entry_id(extra, i, &id, &value); i++)
			if (ksr_config_set_id(*cfg, id, value))
				ret = EXIT_USAGE;
	}
	free(text);
	ksr_config_free(extra);
	if (!ret && !ksr_config_nr(*cfg)) {
		if (o->config)
			ret = empty_config(cmd, o->config);
		else
			fprintf(stderr, "kvm-safe-rules: %s: no configuration: give REG=VALUE or --config FILE\n",
				cmd);
		ret = EXIT_USAGE;
	}
	if (ret) {
		ksr_config_free(*cfg);
		*cfg = NULL;
	}
	return ret;
}

/*
 * Parses a command's options: the rule source, --json, the OPT_* allowed;
 * other words not starting with '-' go to args, at most max of them (the
 * others only counted). Returns 0 or EXIT_USAGE.
 */
int parse_args(const char *cmd, int argc, char **argv, unsigned int allowed,
	       struct cli_opts *o, char **args, unsigned int max, unsigned int *nr_args)
{
	*nr_args = 0;
	for (int i = 0; i < argc; i++) {
		if (parse_common_option(argc, argv, &i, true, o) == 1 ||
		    parse_op_option(argc, argv, &i, allowed, o) == 1)
			continue;
		if (argv[i][0] == '-' || !args)
			return unknown_option(cmd, argv[i]);
		if (*nr_args < max)
			args[*nr_args] = argv[i];
		++*nr_args;
	}
	return 0;
}

int open_config(const char *cmd, int argc, char **argv, unsigned int allowed, struct cli_opts *o,
		struct ksr_rules **rules, struct ksr_config **cfg)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	struct ksr_source *src;
	unsigned int nr;
	int ret;

	if (!args)
		return EXIT_USAGE;
	ret = parse_args(cmd, argc, argv, allowed, o, args, (unsigned int)argc, &nr);
	if (!ret)
		ret = open_rules(cmd, o, &src, rules);
	if (!ret) {
		ksr_source_close(src);
		ret = read_config(cmd, o, args, nr, *rules, cfg);
		if (ret)
			ksr_rules_free(*rules);
	}
	free(args);
	return ret;
}
