// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (format kvm-safe-rules/v1, Documentation/profile-format.rst)
 * through json-c: strict reading, writing, saving all or nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json.h>

#include "internal.h"
#include "profile.h"

/* ---- writing ------------------------------------------------------------ */

static json_object *hex64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	return json_object_new_string(buf);
}

static json_object *rule_json(uint8_t type)
{
	const char *name = ksr_rule_type_name((enum ksr_rule_type)type);

	return json_object_new_string(name ? name : "UNKNOWN");
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

static json_object *reg_json(const struct ksr_reg *r)
{
	json_object *o = json_object_new_object(), *enc = json_object_new_array(), *fields;

	json_object_object_add(o, "name", json_object_new_string(ksr_reg_name(r)));
	json_object_array_add(enc, json_object_new_int(r->enc.op0));
	json_object_array_add(enc, json_object_new_int(r->enc.op1));
	json_object_array_add(enc, json_object_new_int(r->enc.crn));
	json_object_array_add(enc, json_object_new_int(r->enc.crm));
	json_object_array_add(enc, json_object_new_int(r->enc.op2));
	json_object_object_add(o, "encoding", enc);
	json_object_object_add(o, "value", hex64(r->limit));
	json_object_object_add(o, "writable_mask", hex64(r->writable_mask));
	json_object_object_add(o, "unfielded_mask", hex64(r->unfielded_mask));
	json_object_object_add(o, "raz", json_object_new_boolean(r->flags & KSR_REG_RAZ));
	json_object_object_add(o, "writes_ignored",
			       json_object_new_boolean(r->flags & KSR_REG_WRITES_IGNORED));
	json_object_object_add(o, "immutable", json_object_new_boolean(r->flags & KSR_REG_IMMUTABLE));
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
	for (unsigned int bit = 1; bit; bit <<= 1)
		if ((rules->vcpu_features & bit) && ksr_feature_name(bit))
			json_object_array_add(feats, json_object_new_string(ksr_feature_name(bit)));
	json_object_object_add(root, "vcpu_features", feats);
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		json_object_array_add(regs, reg_json(&rules->regs[i]));
	json_object_object_add(root, "registers", regs);

	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED), out) == EOF ||
	    fputc('\n', out) == EOF)
		ret = -EIO;
	json_object_put(root);
	return ret;
}

int ksr_profile_save(const struct ksr_rules *rules, const char *path, char *err, size_t errlen)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(".XXXXXX"));
	mode_t mask;
	FILE *out;
	int fd, ret;

	if (!tmp)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = ksr_fail(err, errlen, -errno, "%s: cannot create a temporary file: %s",
			       path, strerror(errno));
		free(tmp);
		return ret;
	}
	/* mkstemp makes 0600; a profile is not secret: 0666 less the umask. */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	out = fdopen(fd, "w");
	if (!out) {
		ret = ksr_fail(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	ret = ksr_profile_write(rules, out);
	if (fflush(out) || fsync(fileno(out)))
		ret = -errno;
	if (fclose(out) && !ret)
		ret = -errno;
	if (ret) {
		ksr_fail(err, errlen, ret, "%s: writing %s: %s", path, tmp, strerror(-ret));
		goto fail;
	}
	if (rename(tmp, path)) {
		ret = ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return ret;
}

/* ---- reading ------------------------------------------------------------ */

/* Where the reader is: the file and the JSON path, for messages. */
struct reader {
	const char *name;
	char *err;
	size_t errlen;
	char path[128];
};

static int vbad(struct reader *r, const char *fmt, va_list ap)
{
	char problem[256];

	vsnprintf(problem, sizeof(problem), fmt, ap);
	return ksr_fail(r->err, r->errlen, -EINVAL, "%s: %s: %s", r->name,
			r->path[0] ? r->path : "(top level)", problem);
}

/* Reports a problem at the current path; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	return ret;
}

static size_t path_push(struct reader *r, const char *key, int index);

/* Reports a problem with key of the current object; returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int bad_key(struct reader *r, const char *key, const char *fmt, ...)
{
	size_t len = path_push(r, key, 0);
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	r->path[len] = '\0';
	return ret;
}

/* Appends ".key" or "[i]" to the path; returns the old length to restore. */
static size_t path_push(struct reader *r, const char *key, int index)
{
	size_t len = strlen(r->path);

	if (key)
		snprintf(r->path + len, sizeof(r->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(r->path + len, sizeof(r->path) - len, "[%d]", index);
	return len;
}

static void path_pop(struct reader *r, size_t len)
{
	r->path[len] = '\0';
}

static const char *type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

/*
 * Gets obj[key] of the type wanted (or null, when nullable); on error a
 * message with the key's path. *out is NULL for an absent optional key.
 */
static int get(struct reader *r, json_object *obj, const char *key, json_type type,
	       bool optional, bool nullable, json_object **out)
{
	static const char *const wanted[] = {
		[json_type_boolean] = "a boolean", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};
	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out))
		return optional ? 0 : bad_key(r, key, "missing");
	if (json_object_is_type(*out, type) || (nullable && !*out))
		return 0;
	return bad_key(r, key, "must be %s%s, not %s", wanted[type], nullable ? " or null" : "",
		       type_name(*out));
}

/* An integer in [lo, hi] (lo >= INT64_MIN, hi <= INT64_MAX). */
static int get_int(struct reader *r, json_object *obj, const char *key, int64_t lo, int64_t hi,
		   int64_t *v)
{
	json_object *o;
	int ret;

	ret = get(r, obj, key, json_type_int, false, false, &o);
	if (ret)
		return ret;
	errno = 0;
	*v = json_object_get_int64(o);
	if (errno || (*v == INT64_MAX && json_object_get_uint64(o) > INT64_MAX) ||
	    *v < lo || *v > hi)
		return bad_key(r, key, "must be %" PRId64 "..%" PRId64 ", not %s", lo, hi,
			       json_object_get_string(o));
	return 0;
}

static int get_bool(struct reader *r, json_object *obj, const char *key, uint32_t flag,
		    uint32_t *flags)
{
	json_object *o;
	int ret = get(r, obj, key, json_type_boolean, false, false, &o);

	if (!ret && json_object_get_boolean(o))
		*flags |= flag;
	return ret;
}

/* "0x" and 1 to 16 hex digits. */
static int get_hex64(struct reader *r, json_object *obj, const char *key, uint64_t *v)
{
	const char *s, *p;
	json_object *o;
	int ret;

	ret = get(r, obj, key, json_type_string, false, false, &o);
	if (ret)
		return ret;
	s = json_object_get_string(o);
	p = s + 2;
	if (strncmp(s, "0x", 2) || !*p || strlen(p) > 16 ||
	    strspn(p, "0123456789abcdefABCDEF") != strlen(p))
		return bad_key(r, key, "must be a hex string \"0x\" and 1 to 16 digits, not \"%s\"",
			       s);
	*v = strtoull(p, NULL, 16);
	return 0;
}

static int get_rule(struct reader *r, json_object *obj, const char *key, bool optional,
		    uint8_t *type, bool *present)
{
	json_object *o;
	int ret;

	ret = get(r, obj, key, json_type_string, optional, false, &o);
	if (ret || !o)
		return ret;
	*present = true;
	*type = ksr_rule_type_from_name(json_object_get_string(o));
	if (*type != KSR_RULE_UNKNOWN)
		return 0;
	return bad_key(r, key,
		       "unknown rule \"%s\" (EXACT, LOWER_SAFE, HIGHER_SAFE or HIGHER_OR_ZERO_SAFE)",
		       json_object_get_string(o));
}

static int read_alias(struct reader *r, json_object *a, struct ksr_field *f, int64_t max)
{
	int64_t from, to;
	uint32_t host = 0;
	size_t len = path_push(r, "alias", 0);
	int ret;

	ret = get_int(r, a, "from", 0, max, &from) ?: get_int(r, a, "to", 0, max, &to) ?:
	      get_bool(r, a, "host_value", 1, &host);
	path_pop(r, len);
	if (ret)
		return ret;
	f->alias_from = (uint64_t)from;
	f->alias_to = (uint64_t)to;
	f->flags |= host ? KSR_FIELD_ALIAS_HOST : KSR_FIELD_ALIAS;
	return 0;
}

static int read_field(struct reader *r, json_object *o, struct ksr_field *f)
{
	int64_t shift, width, v, max;
	json_object *name, *min, *moz, *alias;
	bool retyped = false, present = false;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return bad(r, "must be an object, not %s", type_name(o));
	ret = get(r, o, "name", json_type_string, false, true, &name) ?:
	      get_int(r, o, "shift", 0, 63, &shift) ?:
	      get_int(r, o, "width", 1, 64, &width);
	if (ret)
		return ret;
	if (name && ksr_set_name(&f->name, json_object_get_string(name)))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	if (shift + width > 64)
		return bad_key(r, "width", "shift %" PRId64 " + width %" PRId64 " goes beyond bit 63",
			       shift, width);
	f->shift = (uint8_t)shift;
	f->width = (uint8_t)width;
	max = width >= 63 ? INT64_MAX : ((int64_t)1 << width) - 1;
	ret = get_bool(r, o, "signed", KSR_FIELD_SIGNED, &f->flags) ?:
	      get_rule(r, o, "rule", false, &f->type, &present) ?:
	      get_int(r, o, "safe_val", INT64_MIN, INT64_MAX, &v) ?:
	      get_bool(r, o, "writable", KSR_FIELD_WRITABLE, &f->flags) ?:
	      get_rule(r, o, "host_rule", true, &f->host_type, &retyped) ?:
	      get(r, o, "min", json_type_int, true, false, &min) ?:
	      get(r, o, "min_or_zero", json_type_boolean, true, false, &moz) ?:
	      get(r, o, "alias", json_type_object, true, false, &alias);
	if (ret)
		return ret;
	f->safe_val = (uint64_t)v;
	if (retyped)
		f->flags |= KSR_FIELD_RETYPED;
	else
		f->host_type = f->type;
	if (min || moz) {
		if (!min || !moz)
			return bad(r, "\"min\" and \"min_or_zero\" go together; \"%s\" is missing",
				   min ? "min_or_zero" : "min");
		ret = get_int(r, o, "min", 0, max, &v) ?:
		      get_bool(r, o, "min_or_zero", KSR_FIELD_MIN_OR_ZERO, &f->flags);
		if (ret)
			return ret;
		f->min_val = (uint64_t)v;
		f->flags |= KSR_FIELD_MIN;
	}
	if (alias)
		return read_alias(r, alias, f, max);
	return 0;
}

static int read_encoding(struct reader *r, json_object *o, struct ksr_encoding *enc)
{
	static const int64_t max[5] = { 3, 7, 15, 15, 7 };
	static const char *const part[5] = { "op0", "op1", "CRn", "CRm", "op2" };
	uint8_t v[5];
	size_t len;
	int ret = 0;

	len = path_push(r, "encoding", 0);
	if (json_object_array_length(o) != 5) {
		ret = bad(r, "must be [op0, op1, CRn, CRm, op2], not %zu numbers",
			  json_object_array_length(o));
		goto out;
	}
	for (int i = 0; i < 5; i++) {
		json_object *e = json_object_array_get_idx(o, i);
		size_t l2 = path_push(r, NULL, i);

		if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) < 0 ||
		    json_object_get_int64(e) > max[i]) {
			ret = bad(r, "%s must be an integer 0..%" PRId64 ", not %s", part[i], max[i],
				  json_object_get_string(e) ?: "null");
			goto out;
		}
		v[i] = (uint8_t)json_object_get_int64(e);
		path_pop(r, l2);
	}
	*enc = (struct ksr_encoding){ v[0], v[1], v[2], v[3], v[4] };
out:
	path_pop(r, len);
	return ret;
}

static int read_reg(struct reader *r, json_object *o, struct ksr_reg *reg)
{
	json_object *name, *enc, *fields;
	struct ksr_encoding e;
	size_t len;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return bad(r, "must be an object, not %s", type_name(o));
	ret = get(r, o, "name", json_type_string, false, false, &name) ?:
	      get(r, o, "encoding", json_type_array, false, false, &enc) ?:
	      get(r, o, "fields", json_type_array, false, false, &fields);
	if (ret)
		return ret;
	if (!*json_object_get_string(name))
		return bad_key(r, "name", "must not be empty");
	ret = read_encoding(r, enc, &e);
	if (ret)
		return ret;
	if (ksr_reg_init(reg, e, json_object_get_string(name), json_object_array_length(fields)))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	ret = get_hex64(r, o, "value", &reg->limit) ?:
	      get_hex64(r, o, "writable_mask", &reg->writable_mask) ?:
	      get_hex64(r, o, "unfielded_mask", &reg->unfielded_mask) ?:
	      get_bool(r, o, "raz", KSR_REG_RAZ, &reg->flags) ?:
	      get_bool(r, o, "writes_ignored", KSR_REG_WRITES_IGNORED, &reg->flags) ?:
	      get_bool(r, o, "immutable", KSR_REG_IMMUTABLE, &reg->flags);
	if (ret)
		return ret;

	len = path_push(r, "fields", 0);
	for (unsigned int i = 0; i < reg->nr_fields && !ret; i++) {
		size_t l2 = path_push(r, NULL, i);

		ret = read_field(r, json_object_array_get_idx(fields, i), &reg->fields[i]);
		for (unsigned int j = 0; j < i && !ret; j++)
			if (ksr_field_mask(&reg->fields[j]) & ksr_field_mask(&reg->fields[i]))
				ret = bad(r, "bits %u..%u overlap fields[%u] (bits %u..%u)",
					  reg->fields[i].shift,
					  reg->fields[i].shift + reg->fields[i].width - 1, j,
					  reg->fields[j].shift,
					  reg->fields[j].shift + reg->fields[j].width - 1);
		path_pop(r, l2);
	}
	path_pop(r, len);
	return ret;
}

static int read_features(struct reader *r, json_object *root, unsigned int *features)
{
	json_object *a;
	size_t len;
	int ret;

	ret = get(r, root, "vcpu_features", json_type_array, false, false, &a);
	if (ret)
		return ret;
	len = path_push(r, "vcpu_features", 0);
	for (size_t i = 0; i < json_object_array_length(a) && !ret; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		size_t l2 = path_push(r, NULL, (int)i);
		unsigned int f;

		if (!json_object_is_type(e, json_type_string))
			ret = bad(r, "must be a string, not %s", type_name(e));
		else if (!(f = ksr_feature_from_name(json_object_get_string(e))))
			ret = bad(r, "unknown vCPU feature \"%s\" (pmu, sve or pauth)",
				  json_object_get_string(e));
		else
			*features |= f;
		path_pop(r, l2);
	}
	path_pop(r, len);
	return ret;
}

static int read_profile(struct reader *r, json_object *root, struct ksr_rules **out)
{
	json_object *schema, *kernel, *source, *regs;
	struct ksr_rules *rules;
	unsigned int features = 0;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return bad(r, "must be an object, not %s", type_name(root));
	ret = get(r, root, "schema", json_type_string, false, false, &schema);
	if (ret)
		return ret;
	if (strcmp(json_object_get_string(schema), KSR_PROFILE_SCHEMA)) {
		strcpy(r->path, "schema");
		return bad(r, "unknown schema \"%s\" (this library reads \"%s\")",
			   json_object_get_string(schema), KSR_PROFILE_SCHEMA);
	}
	ret = get(r, root, "kernel", json_type_string, false, false, &kernel) ?:
	      get(r, root, "source", json_type_string, false, false, &source) ?:
	      read_features(r, root, &features) ?:
	      get(r, root, "registers", json_type_array, false, false, &regs);
	if (ret)
		return ret;

	rules = ksr_rules_alloc(json_object_array_length(regs));
	if (!rules || ksr_rules_set_meta(rules, json_object_get_string(kernel),
					 json_object_get_string(source), features)) {
		ksr_rules_free(rules);
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	}
	strcpy(r->path, "registers");
	for (unsigned int i = 0; i < rules->nr_regs && !ret; i++) {
		size_t len = path_push(r, NULL, i);
		struct ksr_reg *reg = &rules->regs[i];

		ret = read_reg(r, json_object_array_get_idx(regs, i), reg);
		for (unsigned int j = 0; j < i && !ret; j++) {
			if (!memcmp(&rules->regs[j].enc, &reg->enc, sizeof(reg->enc)))
				ret = bad(r, "duplicate register: the encoding of registers[%u]", j);
			else if (!strcmp(ksr_reg_name(&rules->regs[j]), ksr_reg_name(reg)))
				ret = bad(r, "duplicate register: the name of registers[%u]", j);
		}
		path_pop(r, len);
	}
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
	struct reader r = { .name = name, .err = err, .errlen = errlen };
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root;
	size_t line = 1, col = 1, at;
	int ret;

	if (len > INT32_MAX)
		return ksr_fail(err, errlen, -EFBIG, "%s: too large", name);
	tok = json_tokener_new();
	if (!tok)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	at = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_success) {
		/* Only white space may follow the document. */
		while (at < len && strchr(" \t\r\n", text[at]) && text[at])
			at++;
		if (at < len) {
			json_object_put(root);
			root = NULL;
			jerr = json_tokener_error_parse_unexpected;
		}
	} else if (jerr == json_tokener_continue) {
		jerr = json_tokener_error_parse_eof;
	}
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		for (size_t i = 0; i < at && i < len; i++, col++)
			if (text[i] == '\n')
				line++, col = 0;
		return ksr_fail(err, errlen, -EINVAL, "%s: line %zu, column %zu: not JSON: %s",
				name, line, col, json_tokener_error_desc(jerr));
	}
	ret = read_profile(&r, root, rules);
	json_object_put(root);
	return ret;
}

/* Profiles are small (about 60 KB); anything past this is not one. */
#define PROFILE_MAX_BYTES (16u << 20)

int ksr_profile_load(const char *path, struct ksr_rules **rules, char *err, size_t errlen)
{
	size_t len = 0, cap = 0;
	char *text = NULL;
	FILE *in;
	int ret;

	in = fopen(path, "r");
	if (!in)
		return ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t n;

		if (len == cap) {
			char *bigger = cap < PROFILE_MAX_BYTES ? realloc(text, cap = cap ? cap * 2 : 65536) : NULL;

			if (!bigger) {
				ret = ksr_fail(err, errlen, cap >= PROFILE_MAX_BYTES ? -EFBIG : -ENOMEM,
					       "%s: %s", path, cap >= PROFILE_MAX_BYTES ?
					       "larger than 16 MiB: not a profile" : "out of memory");
				goto out;
			}
			text = bigger;
		}
		n = fread(text + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in)) {
		ret = ksr_fail(err, errlen, -EIO, "%s: read error", path);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		ret = ksr_fail(err, errlen, -EINVAL, "%s: not JSON: contains a NUL byte", path);
		goto out;
	}
	ret = ksr_profile_parse(text, len, path, rules, err, errlen);
out:
	free(text);
	fclose(in);
	return ret;
}
