// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (format kvm-safe-rules/v2, and v1 read, Documentation/profile-format.rst)
 * through json-c: strict reading, writing, saving all or nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "jsonio.h"
#include "profile.h"

/* ---- writing ------------------------------------------------------------ */

/* A rule's name; null for none known (a rule type this library does not know,
 * or a field probing could not fit one to). */
static json_object *rule_json(uint8_t type)
{
	const char *name = ksr_rule_type_name((enum ksr_rule_type)type);

	return name ? json_object_new_string(name) : NULL;
}

static json_object *field_json(const struct ksr_field *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", f->name ? json_object_new_string(f->name) : NULL);
	json_object_object_add(o, "shift", json_object_new_int(f->shift));
	json_object_object_add(o, "width", json_object_new_int(f->width));
	json_object_object_add(o, "signed", json_object_new_boolean(f->flags & KSR_FIELD_SIGNED));
	json_object_object_add(o, "rule", rule_json(f->type));
	json_object_object_add(o, "safe_val", json_object_new_int64((int64_t)f->safe_val));
	json_object_object_add(o, "writable", json_object_new_boolean(f->flags & KSR_FIELD_WRITABLE));
	if (f->flags & KSR_FIELD_RETYPED)
		json_object_object_add(o, "host_rule", rule_json(f->host_type));
	if (f->flags & KSR_FIELD_PROBE)
		json_object_object_add(o, "probe", json_object_new_boolean(true));
	if (f->flags & KSR_FIELD_LEARNED) {
		json_object *acc = json_object_new_array();

		for (unsigned int x = 0; x < 16; x++)
			if (f->accepted >> x & 1)
				json_object_array_add(acc, json_object_new_int((int)x));
		json_object_object_add(o, "accepted", acc);
		if (f->flags & KSR_FIELD_RULE_UNSURE)
			json_object_object_add(o, "rule_unsure", json_object_new_boolean(true));
	}
	if (f->flags & KSR_FIELD_MIN) {
		json_object_object_add(o, "min", json_object_new_int64((int64_t)f->min_val));
		json_object_object_add(o, "min_or_zero",
				       json_object_new_boolean(f->flags & KSR_FIELD_MIN_OR_ZERO));
	}
	if (f->flags & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST)) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "from", json_object_new_int64((int64_t)f->alias_from));
		json_object_object_add(a, "to", json_object_new_int64((int64_t)f->alias_to));
		json_object_object_add(a, "host_value",
				       json_object_new_boolean(f->flags & KSR_FIELD_ALIAS_HOST));
		json_object_object_add(o, "alias", a);
	}
	return o;
}

/* v2: a firmware register */
static json_object *fw_reg_json(const struct ksr_reg *r)
{
	json_object *o = json_object_new_object(), *fields, *values;

	json_object_object_add(o, "name", json_object_new_string(ksr_reg_name(r)));
	json_object_object_add(o, "kind", json_object_new_string("firmware"));
	json_object_object_add(o, "id", ksr_jw_hex64(r->id));
	json_object_object_add(o, "value", ksr_jw_hex64(r->limit));
	json_object_object_add(o, "writable_mask", ksr_jw_hex64(r->writable_mask));
	json_object_object_add(o, "immutable", json_object_new_boolean(r->flags & KSR_REG_IMMUTABLE));
	json_object_object_add(o, "bitmap", json_object_new_boolean(r->flags & KSR_REG_BITMAP));
	json_object_object_add(o, "follows_id_regs",
			       json_object_new_boolean(r->flags & KSR_REG_FOLLOWS_ID_REGS));
	if (r->flags & KSR_REG_PROBE)
		json_object_object_add(o, "probe", json_object_new_boolean(true));
	if (!(r->flags & KSR_REG_BITMAP)) {
		values = json_object_new_array();
		for (unsigned int i = 0; i < r->nr_values; i++) {
			json_object *v = json_object_new_object();

			json_object_object_add(v, "value", ksr_jw_hex64(r->values[i].value));
			json_object_object_add(v, "reads_back", ksr_jw_hex64(r->values[i].reads_back));
			json_object_array_add(values, v);
		}
		json_object_object_add(o, "values", values);
	}
	fields = json_object_new_array();
	for (unsigned int i = 0; i < r->nr_fields; i++)
		json_object_array_add(fields, field_json(&r->fields[i]));
	json_object_object_add(o, "fields", fields);
	return o;
}

static json_object *reg_json(const struct ksr_reg *r)
{
	json_object *o, *fields;

	if (r->kind != KSR_REG_KIND_ID)
		return fw_reg_json(r);
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(ksr_reg_name(r)));
	json_object_object_add(o, "encoding", ksr_jw_encoding(r->enc));
	json_object_object_add(o, "value", ksr_jw_hex64(r->limit));
	json_object_object_add(o, "writable_mask", ksr_jw_hex64(r->writable_mask));
	json_object_object_add(o, "unfielded_mask", ksr_jw_hex64(r->unfielded_mask));
	json_object_object_add(o, "raz", json_object_new_boolean(r->flags & KSR_REG_RAZ));
	json_object_object_add(o, "writes_ignored",
			       json_object_new_boolean(r->flags & KSR_REG_WRITES_IGNORED));
	json_object_object_add(o, "immutable", json_object_new_boolean(r->flags & KSR_REG_IMMUTABLE));
	if (r->flags & KSR_REG_PROBE)
		json_object_object_add(o, "probe", json_object_new_boolean(true));
	fields = json_object_new_array();
	for (unsigned int i = 0; i < r->nr_fields; i++)
		json_object_array_add(fields, field_json(&r->fields[i]));
	json_object_object_add(o, "fields", fields);
	return o;
}

int ksr_profile_write(const struct ksr_rules *rules, FILE *out)
{
	json_object *root = json_object_new_object(), *feats = json_object_new_array();
	json_object *regs = json_object_new_array();
	int ret = 0;

	json_object_object_add(root, "schema", json_object_new_string(KSR_PROFILE_SCHEMA));
	json_object_object_add(root, "kernel", json_object_new_string(ksr_rules_kernel(rules)));
	json_object_object_add(root, "source", json_object_new_string(ksr_rules_source(rules)));
	if (rules->provider)
		json_object_object_add(root, "provider", json_object_new_string(rules->provider));
	for (unsigned int bit = 1; bit; bit <<= 1)
		if ((rules->vcpu_features & bit) && ksr_feature_name(bit))
			json_object_array_add(feats, json_object_new_string(ksr_feature_name(bit)));
	json_object_object_add(root, "vcpu_features", feats);
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		json_object_array_add(regs, reg_json(&rules->regs[i]));
	json_object_object_add(root, "registers", regs);

	ret = ksr_jw_print(root, out);
	json_object_put(root);
	return ret;
}

static int write_profile(const void *rules, FILE *out)
{
	return ksr_profile_write(rules, out);
}

int ksr_profile_save(const struct ksr_rules *rules, const char *path, char *err, size_t errlen)
{
	return ksr_save_file(path, write_profile, rules, err, errlen);
}

/* ---- reading ------------------------------------------------------------ */

/* The longest register or field name: a configuration line's REG and more. */
#define NAME_MAX_CHARS 63

/*
 * A name a configuration line, check --batch and REG.FIELD carry as they are:
 * 1 to 63 of [A-Za-z0-9_]. NULL, or what is wrong with it.
 */
static const char *bad_name(const char *name)
{
	size_t n = strlen(name);

	if (!n)
		return "must not be empty";
	if (n > NAME_MAX_CHARS)
		return "must be at most 63 characters";
	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return "must be letters, digits and '_' only";
	return NULL;
}

static int get_rule(struct jr *r, json_object *obj, const char *key, bool optional,
		    uint8_t *type, bool *present)
{
	bool nullable = !optional;	/* "rule" may be null: no rule known */
	json_object *o;
	int ret;

	ret = ksr_jr_get(r, obj, key, json_type_string, optional, nullable, &o);
	if (ret)
		return ret;
	if (!o) {
		*present = nullable;
		if (nullable)
			*type = KSR_RULE_UNKNOWN;
		return 0;
	}
	*present = true;
	*type = ksr_rule_type_from_name(json_object_get_string(o));
	if (*type != KSR_RULE_UNKNOWN)
		return 0;
	return ksr_jr_bad_key(r, key,
		       "unknown rule \"%s\" (EXACT, LOWER_SAFE, HIGHER_SAFE or HIGHER_OR_ZERO_SAFE)",
		       json_object_get_string(o));
}

static int read_alias(struct jr *r, json_object *a, struct ksr_field *f, int64_t max)
{
	int64_t from, to;
	uint32_t host = 0;
	size_t len = ksr_jr_push(r, "alias", 0);
	int ret;

	ret = ksr_jr_get_int(r, a, "from", 0, max, &from) ?: ksr_jr_get_int(r, a, "to", 0, max, &to) ?:
	      ksr_jr_get_bool(r, a, "host_value", 1, &host);
	ksr_jr_pop(r, len);
	if (ret)
		return ret;
	f->alias_from = (uint64_t)from;
	f->alias_to = (uint64_t)to;
	f->flags |= host ? KSR_FIELD_ALIAS_HOST : KSR_FIELD_ALIAS;
	return 0;
}

/*
 * The optional "accepted" of a field learned by trial writes: its raw values
 * KVM accepted (each once, the field at most 4 bits wide), and with it the
 * optional "rule_unsure".
 */
static int read_accepted(struct jr *r, json_object *o, struct ksr_field *f)
{
	json_object *acc, *unsure;
	size_t len, n;
	int ret = ksr_jr_get(r, o, "accepted", json_type_array, true, false, &acc) ?:
		  ksr_jr_get(r, o, "rule_unsure", json_type_boolean, true, false, &unsure);

	if (ret)
		return ret;
	if (!acc)
		return unsure ? ksr_jr_bad_key(r, "rule_unsure", "goes with \"accepted\", which is missing") : 0;
	if (f->width > 4)
		return ksr_jr_bad_key(r, "accepted", "a field of %u bits; values are learned up to 4",
				      f->width);
	n = json_object_array_length(acc);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(acc, i);
		int64_t x;

		len = ksr_jr_push(r, "accepted", 0);
		ksr_jr_push(r, NULL, (int)i);
		if (!json_object_is_type(v, json_type_int))
			ret = ksr_jr_bad(r, "must be an integer, not %s", ksr_jr_type_name(v));
		else if ((x = json_object_get_int64(v)) < 0 || x >= 1 << f->width)
			ret = ksr_jr_bad(r, "%" PRId64 " is not a raw value of a %u-bit field", x, f->width);
		else if (f->accepted >> x & 1)
			ret = ksr_jr_bad(r, "%" PRId64 " is given twice", x);
		else
			f->accepted |= (uint16_t)(1u << x);
		ksr_jr_pop(r, len);
		if (ret)
			return ret;
	}
	f->flags |= KSR_FIELD_LEARNED;
	if (unsure)
		ret = ksr_jr_get_bool(r, o, "rule_unsure", KSR_FIELD_RULE_UNSURE, &f->flags);
	return ret;
}

/* The optional "probe": true of a field or register KVM cannot describe */
static int get_probe(struct jr *r, json_object *o, uint32_t flag, uint32_t *flags)
{
	json_object *probe;
	int ret = ksr_jr_get(r, o, "probe", json_type_boolean, true, false, &probe);

	if (!ret && probe)
		ret = ksr_jr_get_bool(r, o, "probe", flag, flags);
	return ret;
}

static int read_field(struct jr *r, json_object *o, struct ksr_field *f)
{
	int64_t shift, width, v, max;
	json_object *name, *min, *moz, *alias;
	bool retyped = false, present = false;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(o));
	ret = ksr_jr_get(r, o, "name", json_type_string, false, true, &name) ?:
	      ksr_jr_get_int(r, o, "shift", 0, 63, &shift) ?:
	      ksr_jr_get_int(r, o, "width", 1, KSR_VALUES_MAX_WIDTH, &width);
	if (ret)
		return ret;
	if (name && bad_name(json_object_get_string(name)))
		return ksr_jr_bad_key(r, "name", "\"%.80s\": %s", json_object_get_string(name),
				      bad_name(json_object_get_string(name)));
	if (name && ksr_set_name(&f->name, json_object_get_string(name)))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	if (shift + width > 64)
		return ksr_jr_bad_key(r, "width", "shift %" PRId64 " + width %" PRId64 " goes beyond bit 63",
			       shift, width);
	f->shift = (uint8_t)shift;
	f->width = (uint8_t)width;
	max = ((int64_t)1 << width) - 1;	/* width <= 16 */
	ret = ksr_jr_get_bool(r, o, "signed", KSR_FIELD_SIGNED, &f->flags) ?:
	      get_rule(r, o, "rule", false, &f->type, &present) ?:
	      ksr_jr_get_int(r, o, "safe_val", 0, max, &v) ?:
	      ksr_jr_get_bool(r, o, "writable", KSR_FIELD_WRITABLE, &f->flags) ?:
	      get_rule(r, o, "host_rule", true, &f->host_type, &retyped) ?:
	      ksr_jr_get(r, o, "min", json_type_int, true, false, &min) ?:
	      ksr_jr_get(r, o, "min_or_zero", json_type_boolean, true, false, &moz) ?:
	      ksr_jr_get(r, o, "alias", json_type_object, true, false, &alias) ?:
	      get_probe(r, o, KSR_FIELD_PROBE, &f->flags) ?:
	      read_accepted(r, o, f);
	if (ret)
		return ret;
	f->safe_val = (uint64_t)v;
	if (retyped)
		f->flags |= KSR_FIELD_RETYPED;
	else
		f->host_type = f->type;
	if (min || moz) {
		if (!min || !moz)
			return ksr_jr_bad(r, "\"min\" and \"min_or_zero\" go together; \"%s\" is missing",
				   min ? "min_or_zero" : "min");
		ret = ksr_jr_get_int(r, o, "min", 0, max, &v) ?:
		      ksr_jr_get_bool(r, o, "min_or_zero", KSR_FIELD_MIN_OR_ZERO, &f->flags);
		if (ret)
			return ret;
		f->min_val = (uint64_t)v;
		f->flags |= KSR_FIELD_MIN;
	}
	if (alias)
		return read_alias(r, alias, f, max);
	return 0;
}

/*
 * A register's name: bad_name() refuses what a configuration cannot carry;
 * S<op0>_<op1>_C<n>_C<m>_<op2> is the name of a register without one, so it
 * must be that of the register's own encoding (no other name reads as an
 * encoding: "op0,op1,..." cannot be written with these characters).
 */
/*
 * The same for a register id "0x" and 16 hex digits (a firmware register's
 * name when it has none) and for the UAPI's firmware register names: a name
 * that reads as the id of a register or is the name of a firmware register
 * must be this register's own. generic is the register's generic name.
 */
static int check_reg_name(struct jr *r, const char *s, const char *generic, uint64_t id)
{
	const char *bad = bad_name(s);
	struct ksr_encoding as;
	uint64_t as_id;

	if (bad)
		return ksr_jr_bad_key(r, "name", "\"%.80s\": %s", s, bad);
	if (ksr_parse_encoding(s, &as) != -ENOENT && strcmp(s, generic))
		return ksr_jr_bad_key(r, "name", "\"%s\" reads as an encoding: only %s (its own) may", s,
				      generic);
	if (ksr_parse_id(s, &as_id) != -ENOENT && strcmp(s, generic))
		return ksr_jr_bad_key(r, "name", "\"%s\" reads as a register id: only %s (its own) may", s,
				      generic);
	if (ksr_fw_id(s) && ksr_fw_id(s) != id)
		return ksr_jr_bad_key(r, "name", "\"%s\" is the firmware register 0x%016" PRIx64 ", not this one",
				      s, ksr_fw_id(s));
	return 0;
}

/* v2: an ID register's optional "id" must be its encoding's. */
static int check_id(struct jr *r, json_object *o, struct ksr_encoding e)
{
	json_object *id_o;
	uint64_t id;
	int ret = ksr_jr_get(r, o, "id", json_type_string, true, false, &id_o);

	if (ret || !id_o)
		return ret;
	ret = ksr_jr_get_id(r, o, "id", &id);
	if (!ret && id != ksr_encoding_id(e))
		ret = ksr_jr_bad_key(r, "id", "%s is not the id of encoding %u,%u,%u,%u,%u (0x%016" PRIx64 ")",
				     json_object_get_string(id_o), e.op0, e.op1, e.crn, e.crm, e.op2,
				     ksr_encoding_id(e));
	return ret;
}

/* The fields of a register, none overlapping; an ID register's never ANY. */
static int read_fields(struct jr *r, json_object *fields, struct ksr_reg *reg)
{
	size_t len = ksr_jr_push(r, "fields", 0);
	int ret = 0;

	for (unsigned int i = 0; i < reg->nr_fields && !ret; i++) {
		size_t l2 = ksr_jr_push(r, NULL, i);

		ret = read_field(r, json_object_array_get_idx(fields, i), &reg->fields[i]);
		if (!ret && reg->kind == KSR_REG_KIND_ID &&
		    (reg->fields[i].type == KSR_RULE_ANY || reg->fields[i].host_type == KSR_RULE_ANY))
			ret = ksr_jr_bad(r, "rule ANY is only that of a firmware bitmap's bits");
		for (unsigned int j = 0; j < i && !ret; j++)
			if (ksr_field_mask(&reg->fields[j]) & ksr_field_mask(&reg->fields[i]))
				ret = ksr_jr_bad(r, "bits %u..%u overlap fields[%u] (bits %u..%u)",
					  reg->fields[i].shift,
					  reg->fields[i].shift + reg->fields[i].width - 1, j,
					  reg->fields[j].shift,
					  reg->fields[j].shift + reg->fields[j].width - 1);
		ksr_jr_pop(r, l2);
	}
	ksr_jr_pop(r, len);
	return ret;
}

/*
 * The fields left unnamed (null) named as the library names them
 * (ksr_field_generic_name()); then no two fields of reg may have one name.
 */
static int name_fields(struct jr *r, struct ksr_reg *reg)
{
	size_t len;
	int ret = 0;

	if (ksr_reg_name_fields(reg))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	len = ksr_jr_push(r, "fields", 0);
	for (unsigned int i = 0; i < reg->nr_fields && !ret; i++) {
		size_t l2 = ksr_jr_push(r, NULL, (int)i);

		for (unsigned int j = 0; j < i && !ret; j++) {
			const struct ksr_field *f = &reg->fields[i], *g = &reg->fields[j];
			char gen_f[16], gen_g[16];

			if (strcmp(f->name, g->name))
				continue;
			ksr_field_generic_name(f->shift, f->width, gen_f, sizeof(gen_f));
			ksr_field_generic_name(g->shift, g->width, gen_g, sizeof(gen_g));
			ret = ksr_jr_bad_key(r, "name", "\"%s\" is also the name of fields[%u]%s", f->name, j,
					     strcmp(f->name, gen_f) && strcmp(f->name, gen_g) ? "" :
					     " (that of a field without one, by its bits)");
		}
		ksr_jr_pop(r, l2);
	}
	ksr_jr_pop(r, len);
	return ret;
}

/*
 * v2: a bitmap's fields, when given, are one 1-bit writable ANY field per
 * bit of its writable_mask, in order (their names may be any); absent, they
 * are made so.
 */
static int read_bitmap_fields(struct jr *r, json_object *fields, struct ksr_reg *reg)
{
	unsigned int n = (unsigned int)__builtin_popcountll(reg->writable_mask), i = 0;
	const char **names;
	int ret;

	if (!fields)
		return ksr_fw_bitmap_fields(reg) ? ksr_fail(r->err, r->errlen, -ENOMEM,
							    "%s: out of memory", r->name) : 0;
	if (json_object_array_length(fields) != n)
		return ksr_jr_bad_key(r, "fields", "%zu fields for the %u bits of writable_mask 0x%016" PRIx64
				      " (a bitmap has one per bit)", json_object_array_length(fields), n,
				      reg->writable_mask);
	reg->nr_fields = n;
	free(reg->fields);
	reg->fields = calloc(n ? n : 1, sizeof(*reg->fields));
	if (!reg->fields) {
		reg->nr_fields = 0;
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	}
	ret = read_fields(r, fields, reg);
	for (unsigned int bit = 0; !ret && bit < 64; bit++) {
		const struct ksr_field *f = &reg->fields[i];
		size_t len;

		if (!(reg->writable_mask >> bit & 1))
			continue;
		len = ksr_jr_push(r, "fields", 0);
		ksr_jr_push(r, NULL, (int)i++);
		if (f->width != 1 || f->shift != bit)
			ret = ksr_jr_bad(r, "must be bit %u (width 1), the next bit of writable_mask 0x%016" PRIx64,
					 bit, reg->writable_mask);
		else if (f->type != KSR_RULE_ANY || !(f->flags & KSR_FIELD_WRITABLE) ||
			 (f->flags & ~KSR_FIELD_WRITABLE))
			ret = ksr_jr_bad(r, "a bitmap's bit is writable, unsigned, of rule ANY and nothing else");
		ksr_jr_pop(r, len);
	}
	if (ret)
		return ret;
	/* The names as given; the rest as ksr_fw_bitmap_fields() makes them. */
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names)
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	for (i = 0; i < n; i++) {
		names[i] = reg->fields[i].name;
		reg->fields[i].name = NULL;
	}
	ret = ksr_fw_bitmap_fields(reg);
	for (i = 0; i < n; i++) {
		if (!ret && names[i]) {
			free((char *)reg->fields[i].name);
			reg->fields[i].name = names[i];
		} else {
			free((char *)names[i]);
		}
	}
	free(names);
	if (ret)
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	return name_fields(r, reg);
}

/* v2: a value list's "values": ascending, each "value" and "reads_back". */
static int read_values(struct jr *r, json_object *values, struct ksr_reg *reg)
{
	size_t len = ksr_jr_push(r, "values", 0);
	int ret = 0;

	for (unsigned int i = 0; i < reg->nr_values && !ret; i++) {
		json_object *v = json_object_array_get_idx(values, i);
		struct ksr_fw_value *fv = &reg->values[i];
		size_t l2 = ksr_jr_push(r, NULL, (int)i);

		if (!json_object_is_type(v, json_type_object))
			ret = ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(v));
		else
			ret = ksr_jr_get_hex64(r, v, "value", &fv->value) ?:
			      ksr_jr_get_hex64(r, v, "reads_back", &fv->reads_back);
		if (!ret && i && fv->value <= reg->values[i - 1].value)
			ret = ksr_jr_bad_key(r, "value", "0x%016" PRIx64 " %s values[%u]: the values must be ascending",
					     fv->value, fv->value == reg->values[i - 1].value ?
					     "repeats" : "is below", i - 1);
		ksr_jr_pop(r, l2);
	}
	ksr_jr_pop(r, len);
	return ret;
}

/* v2: a firmware register ("kind": "firmware"): an id, no encoding. */
static int read_fw_reg(struct jr *r, json_object *o, struct ksr_reg *reg)
{
	json_object *name, *fields, *values, *follows;
	uint32_t flags = 0;
	char generic[24];
	uint64_t id;
	int ret;

	if (json_object_object_get_ex(o, "encoding", NULL))
		return ksr_jr_bad_key(r, "encoding", "a firmware register has none (its \"id\" says which it is)");
	ret = ksr_jr_get(r, o, "name", json_type_string, false, false, &name) ?:
	      ksr_jr_get_id(r, o, "id", &id) ?:
	      ksr_jr_get(r, o, "fields", json_type_array, true, false, &fields) ?:
	      ksr_jr_get(r, o, "values", json_type_array, true, false, &values) ?:
	      ksr_jr_get(r, o, "follows_id_regs", json_type_boolean, true, false, &follows);
	if (ret)
		return ret;
	if (!ksr_id_is_firmware(id))
		return ksr_jr_bad_key(r, "id", "0x%016" PRIx64 " is not a firmware register's id (0x603000000014xxxx or 0x603000000016xxxx)",
				      id);
	ksr_id_text(id, generic, sizeof(generic));
	ret = check_reg_name(r, json_object_get_string(name), generic, id) ?:
	      ksr_jr_get_bool(r, o, "bitmap", KSR_REG_BITMAP, &flags) ?:
	      ksr_jr_get_bool(r, o, "immutable", KSR_REG_IMMUTABLE, &flags) ?:
	      (follows ? ksr_jr_get_bool(r, o, "follows_id_regs", KSR_REG_FOLLOWS_ID_REGS, &flags) : 0) ?:
	      get_probe(r, o, KSR_REG_PROBE, &flags);
	if (ret)
		return ret;
	if ((flags & KSR_REG_BITMAP) && values)
		return ksr_jr_bad_key(r, "values", "a bitmap has no list of values (\"bitmap\" is true)");
	if (!(flags & KSR_REG_BITMAP) && !values)
		return ksr_jr_bad(r, "a firmware register that is not a bitmap needs \"values\"");
	if (!(flags & KSR_REG_BITMAP) && fields && json_object_array_length(fields))
		return ksr_jr_bad_key(r, "fields", "a firmware register that is not a bitmap has no fields");
	if (ksr_fw_reg_init(reg, id, json_object_get_string(name), 0,
			    values ? (unsigned int)json_object_array_length(values) : 0))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	reg->flags = flags;
	ret = ksr_jr_get_hex64(r, o, "value", &reg->limit) ?:
	      ksr_jr_get_hex64(r, o, "writable_mask", &reg->writable_mask);
	if (ret)
		return ret;
	if (flags & KSR_REG_BITMAP)
		return read_bitmap_fields(r, fields, reg);
	if (reg->writable_mask)
		return ksr_jr_bad_key(r, "writable_mask", "must be 0 for a register that is not a bitmap");
	return read_values(r, values, reg);
}

/* v2: "kind", absent for an ID register; *firmware when "firmware". */
static int read_kind(struct jr *r, json_object *o, bool *firmware)
{
	json_object *kind;
	int ret = ksr_jr_get(r, o, "kind", json_type_string, true, false, &kind);

	*firmware = false;
	if (ret || !kind)
		return ret;
	if (strcmp(json_object_get_string(kind), "firmware"))
		return ksr_jr_bad_key(r, "kind", "unknown kind \"%.80s\" (\"firmware\", or no \"kind\" for an ID register)",
				      json_object_get_string(kind));
	*firmware = true;
	return 0;
}

static int read_reg(struct jr *r, json_object *o, struct ksr_reg *reg, bool v2)
{
	json_object *name, *enc, *fields;
	struct ksr_encoding e;
	char generic[24];
	bool firmware;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(o));
	if (v2) {
		ret = read_kind(r, o, &firmware);
		if (ret || firmware)
			return ret ?: read_fw_reg(r, o, reg);
	}
	ret = ksr_jr_get(r, o, "name", json_type_string, false, false, &name) ?:
	      ksr_jr_get(r, o, "encoding", json_type_array, false, false, &enc) ?:
	      ksr_jr_get(r, o, "fields", json_type_array, false, false, &fields);
	if (ret)
		return ret;
	ret = ksr_jr_get_encoding(r, enc, &e) ?: (v2 ? check_id(r, o, e) : 0);
	if (ret)
		return ret;
	ksr_encoding_generic_name(e, generic, sizeof(generic));
	ret = check_reg_name(r, json_object_get_string(name), generic, ksr_encoding_id(e));
	if (ret)
		return ret;
	if (ksr_reg_init(reg, e, json_object_get_string(name), json_object_array_length(fields)))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	ret = ksr_jr_get_hex64(r, o, "value", &reg->limit) ?:
	      ksr_jr_get_hex64(r, o, "writable_mask", &reg->writable_mask) ?:
	      ksr_jr_get_hex64(r, o, "unfielded_mask", &reg->unfielded_mask) ?:
	      ksr_jr_get_bool(r, o, "raz", KSR_REG_RAZ, &reg->flags) ?:
	      ksr_jr_get_bool(r, o, "writes_ignored", KSR_REG_WRITES_IGNORED, &reg->flags) ?:
	      ksr_jr_get_bool(r, o, "immutable", KSR_REG_IMMUTABLE, &reg->flags) ?:
	      get_probe(r, o, KSR_REG_PROBE, &reg->flags);
	if (ret)
		return ret;
	return read_fields(r, fields, reg) ?: name_fields(r, reg);
}

static int read_features(struct jr *r, json_object *root, unsigned int *features)
{
	json_object *a;
	size_t len;
	int ret;

	ret = ksr_jr_get(r, root, "vcpu_features", json_type_array, false, false, &a);
	if (ret)
		return ret;
	len = ksr_jr_push(r, "vcpu_features", 0);
	for (size_t i = 0; i < json_object_array_length(a) && !ret; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		size_t l2 = ksr_jr_push(r, NULL, (int)i);
		unsigned int f;

		if (!json_object_is_type(e, json_type_string))
			ret = ksr_jr_bad(r, "must be a string, not %s", ksr_jr_type_name(e));
		else if (!(f = ksr_feature_from_name(json_object_get_string(e))))
			ret = ksr_jr_bad(r, "unknown vCPU feature \"%s\" (pmu, sve, pauth or psci-0.2)",
				  json_object_get_string(e));
		else
			*features |= f;
		ksr_jr_pop(r, l2);
	}
	ksr_jr_pop(r, len);
	return ret;
}

/* The optional "provider": who answered the ioctl; NULL when not given. */
static int read_provider(struct jr *r, json_object *root, const char **provider)
{
	json_object *o;
	int ret = ksr_jr_get(r, root, "provider", json_type_string, true, false, &o);

	if (ret || !o)
		return ret;
	*provider = ksr_provider_from_name(json_object_get_string(o));
	if (*provider)
		return 0;
	return ksr_jr_bad_key(r, "provider", "unknown provider \"%s\" (\"%s\" or \"%s\")",
			      json_object_get_string(o), KSR_PROVIDER_KERNEL, KSR_PROVIDER_MODULE);
}

/*
 * v2: the ID registers first, then the firmware registers in id order
 * (duplicates are the index's to find).
 */
static int check_order(struct jr *r, const struct ksr_rules *rules)
{
	for (unsigned int i = 1; i < rules->nr_regs; i++) {
		const struct ksr_reg *a = &rules->regs[i - 1], *b = &rules->regs[i];
		size_t len;
		int ret = 0;

		if (a->kind == KSR_REG_KIND_ID)
			continue;
		len = ksr_jr_push(r, NULL, (int)i);
		if (b->kind == KSR_REG_KIND_ID)
			ret = ksr_jr_bad(r, "an ID register after a firmware register (registers[%u]): the firmware registers come last",
					 i - 1);
		else if (b->id < a->id)
			ret = ksr_jr_bad(r, "firmware register 0x%016" PRIx64 " after 0x%016" PRIx64
					 " (registers[%u]): they come in id order", b->id, a->id, i - 1);
		ksr_jr_pop(r, len);
		if (ret)
			return ret;
	}
	return 0;
}

static int read_profile(struct jr *r, json_object *root, struct ksr_rules **out)
{
	json_object *schema, *kernel, *source, *regs;
	const char *provider = NULL;
	struct ksr_rules *rules;
	unsigned int features = 0, dup, dup_of;
	bool dup_is_name, v2;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(root));
	ret = ksr_jr_get(r, root, "schema", json_type_string, false, false, &schema);
	if (ret)
		return ret;
	v2 = !strcmp(json_object_get_string(schema), KSR_PROFILE_SCHEMA);
	if (!v2 && strcmp(json_object_get_string(schema), KSR_PROFILE_SCHEMA_V1)) {
		strcpy(r->path, "schema");
		return ksr_jr_bad(r, "unknown schema \"%s\" (this library reads \"%s\" and \"%s\")",
			   json_object_get_string(schema), KSR_PROFILE_SCHEMA, KSR_PROFILE_SCHEMA_V1);
	}
	ret = ksr_jr_get(r, root, "kernel", json_type_string, false, false, &kernel) ?:
	      ksr_jr_get(r, root, "source", json_type_string, false, false, &source) ?:
	      read_provider(r, root, &provider) ?:
	      read_features(r, root, &features) ?:
	      ksr_jr_get(r, root, "registers", json_type_array, false, false, &regs);
	if (ret)
		return ret;

	rules = ksr_rules_alloc(json_object_array_length(regs));
	if (!rules || ksr_rules_set_meta(rules, json_object_get_string(kernel),
					 json_object_get_string(source), features)) {
		ksr_rules_free(rules);
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	}
	rules->provider = provider;
	strcpy(r->path, "registers");
	for (unsigned int i = 0; i < rules->nr_regs && !ret; i++) {
		size_t len = ksr_jr_push(r, NULL, i);
		struct ksr_reg *reg = &rules->regs[i];

		ret = read_reg(r, json_object_array_get_idx(regs, i), reg, v2);
		ksr_jr_pop(r, len);
	}
	if (!ret && v2)
		ret = check_order(r, rules);
	/* Duplicates through the lookup indexes: O(n log n). */
	if (!ret && ksr_rules_index(rules, &dup, &dup_of, &dup_is_name))
		ret = ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	if (!ret && dup != -1u) {
		ksr_jr_push(r, NULL, (int)dup);
		ret = ksr_jr_bad(r, "duplicate register: the %s of registers[%u]",
				 dup_is_name ? "name" : rules->regs[dup].kind == KSR_REG_KIND_ID ?
				 "encoding" : "id", dup_of);
	}
	if (!ret && !(rules->origin = strdup(r->name)))
		ret = ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	if (ret) {
		ksr_rules_free(rules);
		return ret;
	}
	*out = rules;
	return 0;
}

int ksr_profile_parse(const char *text, size_t len, const char *name,
		      struct ksr_rules **rules, char *err, size_t errlen)
{
	struct jr r = { .name = name, .err = err, .errlen = errlen };
	json_object *root;
	int ret;

	ret = ksr_json_parse(text, len, name, &root, err, errlen);
	if (ret)
		return ret;
	ret = read_profile(&r, root, rules);
	json_object_put(root);
	return ret;
}

/* Profiles are small (about 60 KB); anything past this is not one. */
#define PROFILE_MAX_BYTES (16u << 20)

int ksr_profile_load(const char *path, struct ksr_rules **rules, char *err, size_t errlen)
{
	size_t len;
	char *text;
	int ret;

	ret = ksr_read_file(path, PROFILE_MAX_BYTES, "a profile", &text, &len, err, errlen);
	if (ret)
		return ret;
	ret = ksr_profile_parse(text, len, path, rules, err, errlen);
	free(text);
	return ret;
}
