// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON the commands print. values --json and check --json describe
 * each field in one shape, a flat union on "type" ("number", or "bool" for
 * a bit of a firmware bitmap) with every value a JSON integer or boolean:
 * Documentation/kvm-safe-rules-output.schema.json. The other commands
 * print their report: its findings, one object each.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "cli.h"

/* Register values in a report, as the profiles write them: "0x%016x" */
static json_object *hex64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	return json_object_new_string(buf);
}

static json_object *encoding_json(struct ksr_encoding e)
{
	json_object *enc = json_object_new_array();

	json_object_array_add(enc, json_object_new_int(e.op0));
	json_object_array_add(enc, json_object_new_int(e.op1));
	json_object_array_add(enc, json_object_new_int(e.crn));
	json_object_array_add(enc, json_object_new_int(e.crm));
	json_object_array_add(enc, json_object_new_int(e.op2));
	return enc;
}

static json_object *ranges_json(const struct ksr_values *vals, bool is_signed);

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
	json_object_object_add(o, "encoding", f->reg_name && !cli_fw_finding(f) ? encoding_json(f->enc) : NULL);
	if (cli_fw_finding(f))
		json_object_object_add(o, "id", hex64(f->reg_id));
	if (f->kind != KSR_FINDING_REG) {
		json_object_object_add(o, "field", f->field_name ? json_object_new_string(f->field_name) : NULL);
		json_object_object_add(o, "is_field", json_object_new_boolean(f->is_field));
		json_object_object_add(o, "shift", json_object_new_int((int)f->shift));
		json_object_object_add(o, "width", json_object_new_int((int)f->width));
		json_object_object_add(o, "mask", hex64(f->mask));
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
		json_object_object_add(o, "value", hex64(f->value));
		json_object_object_add(o, "stored", hex64(f->result));
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
	json_object_object_add(o, "allowed", ranges_json(f->allowed, f->is_signed));
	if (f->nr_profiles) {
		json_object *a = json_object_new_array(), *lim = json_object_new_array();

		for (unsigned int p = 0; p < f->nr_profiles; p++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "profile", json_object_new_string(profiles[p]));
			json_object_object_add(e, "present",
					       json_object_new_boolean(!(f->missing & (1ull << p))));
			json_object_object_add(e, "value", json_object_new_uint64(f->profile_values[p]));
			json_object_object_add(e, "allowed", ranges_json(f->profile_allowed ?
								      f->profile_allowed[p] : NULL,
								      f->is_signed));
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

		json_object_object_add(o, "name", json_object_new_string(
			reg ? ksr_reg_name(reg) : ksr_id_name(id, name, sizeof(name))));
		if (fw)
			json_object_object_add(o, "id", hex64(id));
		else
			json_object_object_add(o, "encoding", encoding_json(enc));
		json_object_object_add(o, "value", hex64(value));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *cli_report_json(const char *command, const struct ksr_report *rep, const struct ksr_rules *rules,
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
	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++)
		json_object_array_add(a, finding_json(&f, profiles));
	json_object_object_add(root, "findings", a);
	return root;
}

int cli_print_json(json_object *root)
{
	int ret = 0;

	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE), stdout) == EOF ||
	    putchar('\n') == EOF)
		ret = -EIO;
	json_object_put(root);
	/* A failed write of standard output: main() names it. */
	return cli_status(CLI_STAGE_OUTPUT, ret);
}


/* ---- fields: values --json, check --json -------------------------------- */

json_object *cli_kept_json(const struct ksr_config *cfg)
{
	json_object *a = json_object_new_array();
	const char *key, *text;

	for (unsigned int i = 0; !ksr_config_kept(cfg, i, &key, &text); i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "key", json_object_new_string(key));
		json_object_object_add(o, "text", json_object_new_string(text));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *cli_number_json(uint64_t bits, unsigned int width, bool is_signed)
{
	if (is_signed && width < 64 && (bits >> (width - 1)) & 1)
		return json_object_new_int64((int64_t)(bits | ~0ull << width));
	return json_object_new_uint64(bits);
}

/* Accepted values as [{"min", "max"}] runs; NULL (JSON null) for none known. */
static json_object *ranges_json(const struct ksr_values *vals, bool is_signed)
{
	json_object *a;
	int64_t lo, hi;

	if (!vals)
		return NULL;
	a = json_object_new_array();
	for (unsigned int i = 0; !ksr_values_range(vals, i, &lo, &hi); i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "min", is_signed ? json_object_new_int64(lo) :
				       json_object_new_uint64((uint64_t)lo));
		json_object_object_add(r, "max", is_signed ? json_object_new_int64(hi) :
				       json_object_new_uint64((uint64_t)hi));
		json_object_array_add(a, r);
	}
	return a;
}

/* The members every field object has, in the schema's order. */
static json_object *field_head(const struct ksr_reg *reg, const char *field, unsigned int shift,
			       unsigned int width, const char *type)
{
	json_object *o = json_object_new_object();
	char name[160];

	if (field)
		snprintf(name, sizeof(name), "%s.%s", ksr_reg_name(reg), field);
	else
		snprintf(name, sizeof(name), "%s", ksr_reg_name(reg));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "register", json_object_new_string(ksr_reg_name(reg)));
	json_object_object_add(o, "reg_id", json_object_new_uint64(ksr_reg_id(reg)));
	json_object_object_add(o, "field", field ? json_object_new_string(field) : NULL);
	json_object_object_add(o, "shift", json_object_new_int((int)shift));
	json_object_object_add(o, "width", json_object_new_int((int)width));
	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

static void field_tail(json_object *o, bool writable, const char *rule, bool accepted,
		       enum ksr_reason reason)
{
	json_object_object_add(o, "writable", json_object_new_boolean(writable));
	json_object_object_add(o, "rule", rule ? json_object_new_string(rule) : NULL);
	json_object_object_add(o, "accepted", json_object_new_boolean(accepted));
	json_object_object_add(o, "reason", accepted ? NULL :
			       json_object_new_string(ksr_reason_name(reason)));
}

/* One field of an ID register, or one bit KVM offers in a firmware bitmap. */
static json_object *field_json(const struct ksr_reg *reg, const struct ksr_field *f,
			       uint64_t current, bool accepted, enum ksr_reason reason)
{
	bool bitmap = ksr_reg_flags(reg) & KSR_REG_BITMAP;
	bool is_signed = ksr_field_flags(f) & KSR_FIELD_SIGNED;
	unsigned int shift = ksr_field_shift(f), width = ksr_field_width(f);
	uint64_t def = ksr_reg_default(reg), mask = ksr_field_mask(f);
	struct ksr_values *vals = NULL;
	json_object *o;

	o = field_head(reg, ksr_field_name(f), shift, width, bitmap ? "bool" : "number");
	if (ksr_field_values(reg, f, def, &vals))
		vals = NULL;	/* wider than KSR_VALUES_MAX_WIDTH: not enumerated */
	if (bitmap) {
		json_object *sv = json_object_new_array();

		json_object_object_add(o, "current", json_object_new_boolean(current & mask));
		json_object_object_add(o, "default", json_object_new_boolean(def & mask));
		for (int64_t v = 0; v <= 1; v++)
			if (vals && ksr_values_contains(vals, v))
				json_object_array_add(sv, json_object_new_boolean(v));
		json_object_object_add(o, "supported_values", sv);
	} else {
		json_object_object_add(o, "signed", json_object_new_boolean(is_signed));
		json_object_object_add(o, "current", cli_number_json((current & mask) >> shift, width, is_signed));
		json_object_object_add(o, "default", cli_number_json((def & mask) >> shift, width, is_signed));
		json_object_object_add(o, "ranges", ranges_json(vals, is_signed));
	}
	ksr_values_free(vals);
	field_tail(o, ksr_field_flags(f) & KSR_FIELD_WRITABLE,
		   ksr_rule_type_name(ksr_field_rule(f)), accepted, reason);
	return o;
}

/* A firmware register that takes one of a list of values: one number "field". */
static json_object *value_list_json(const struct ksr_reg *reg, uint64_t current, bool accepted,
				    enum ksr_reason reason)
{
	json_object *o = field_head(reg, NULL, 0, 64, "number");
	struct ksr_values *vals;

	if (ksr_reg_values_accepted(reg, &vals))
		vals = NULL;	/* out of memory: not enumerated */
	json_object_object_add(o, "signed", json_object_new_boolean(false));
	json_object_object_add(o, "current", json_object_new_uint64(current));
	json_object_object_add(o, "default", json_object_new_uint64(ksr_reg_default(reg)));
	json_object_object_add(o, "ranges", ranges_json(vals, false));
	ksr_values_free(vals);
	field_tail(o, !(ksr_reg_flags(reg) & KSR_REG_IMMUTABLE), "VALUES", accepted, reason);
	return o;
}

static bool is_value_list(const struct ksr_reg *reg)
{
	return ksr_reg_kind(reg) == KSR_REG_KIND_FIRMWARE && !(ksr_reg_flags(reg) & KSR_REG_BITMAP);
}

void cli_fields_json(json_object *array, const struct ksr_reg *reg, const struct ksr_field *field,
		     uint64_t current)
{
	if (is_value_list(reg)) {
		json_object_array_add(array, value_list_json(reg, current, true, 0));
		return;
	}
	for (unsigned int i = 0; i < ksr_reg_nr_fields(reg); i++) {
		const struct ksr_field *f = ksr_reg_field(reg, i);

		if (!field || f == field)
			json_object_array_add(array, field_json(reg, f, current, true, 0));
	}
}

/* The field of reg a finding is about, or NULL (bits in no field). */
static const struct ksr_field *finding_field(const struct ksr_reg *reg, const struct ksr_finding *f)
{
	for (unsigned int i = 0; f->is_field && i < ksr_reg_nr_fields(reg); i++) {
		const struct ksr_field *field = ksr_reg_field(reg, i);

		if (ksr_field_shift(field) == f->shift && ksr_field_width(field) == f->width)
			return field;
	}
	return NULL;
}

/*
 * Bits in no field: a number over their span (an ID register), or one bool
 * per bit (bits a firmware bitmap does not offer: never accepted set).
 */
static void bits_json(json_object *array, const struct ksr_reg *reg, const struct ksr_finding *f)
{
	unsigned int lo = (unsigned int)__builtin_ctzll(f->mask);
	unsigned int width = 64 - (unsigned int)__builtin_clzll(f->mask) - lo;
	char name[24];

	if (ksr_reg_kind(reg) == KSR_REG_KIND_ID) {
		json_object *o = field_head(reg, NULL, lo, width, "number");

		json_object_object_add(o, "signed", json_object_new_boolean(false));
		json_object_object_add(o, "current", json_object_new_uint64(f->value >> lo));
		json_object_object_add(o, "default", json_object_new_uint64(f->result >> lo));
		json_object_object_add(o, "ranges", NULL);
		field_tail(o, false, NULL, f->ok, f->reason);
		json_object_array_add(array, o);
		return;
	}
	for (unsigned int bit = lo; bit < 64; bit++) {
		const char *bname = ksr_id_bit_name(ksr_reg_id(reg), bit);
		json_object *o, *sv = json_object_new_array();

		if (!(f->mask >> bit & 1))
			continue;
		snprintf(name, sizeof(name), "BIT%u", bit);
		o = field_head(reg, bname ?: name, bit, 1, "bool");
		json_object_object_add(o, "current", json_object_new_boolean(f->value >> bit & 1));
		json_object_object_add(o, "default", json_object_new_boolean(f->result >> bit & 1));
		json_object_array_add(sv, json_object_new_boolean(false));
		json_object_object_add(o, "supported_values", sv);
		field_tail(o, false, NULL, f->ok, f->reason);
		json_object_array_add(array, o);
	}
}

/* check --json: the registers' verdicts and every field's, from the report. */
json_object *cli_check_json(const struct ksr_report *rep, const struct ksr_rules *rules,
			    const struct ksr_config *cfg)
{
	json_object *root = json_object_new_object(), *regs = json_object_new_array();
	json_object *fields = json_object_new_array();
	struct ksr_finding f;

	json_object_object_add(root, "command", json_object_new_string("check"));
	json_object_object_add(root, "ok", json_object_new_boolean(ksr_report_ok(rep)));
	json_object_object_add(root, "kept", cli_kept_json(cfg));
	for (unsigned int i = 0; !cli_finding(rep, i, &f); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(rules, f.reg_id);
		const struct ksr_field *field;
		uint64_t value;

		if (!reg)
			continue;	/* ksr_check() refuses registers the rules lack */
		if (f.kind == KSR_FINDING_REG) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "register", json_object_new_string(ksr_reg_name(reg)));
			json_object_object_add(o, "reg_id", json_object_new_uint64(f.reg_id));
			json_object_object_add(o, "value", json_object_new_uint64(f.value));
			json_object_object_add(o, "stored", json_object_new_uint64(f.result));
			json_object_object_add(o, "accepted", json_object_new_boolean(f.ok));
			json_object_object_add(o, "reason", f.ok ? NULL :
					       json_object_new_string(ksr_reason_name(f.reason)));
			json_object_array_add(regs, o);
			/* a value list is one field, the register's own verdict */
			if (is_value_list(reg))
				json_object_array_add(fields, value_list_json(reg, f.value, f.ok,
									      f.reason));
			continue;
		}
		if (f.kind != KSR_FINDING_FIELD || is_value_list(reg))
			continue;
		if (ksr_config_find_id(cfg, f.reg_id, &value))
			value = ksr_reg_default(reg);
		field = finding_field(reg, &f);
		if (field)
			json_object_array_add(fields, field_json(reg, field, value, f.ok, f.reason));
		else if (f.mask)
			bits_json(fields, reg, &f);
	}
	json_object_object_add(root, "registers", regs);
	json_object_object_add(root, "fields", fields);
	return root;
}
