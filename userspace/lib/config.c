// SPDX-License-Identifier: GPL-2.0
/*
 * Configurations: register values keyed by encoding, read and written as
 * lines "REG VALUE" or as JSON (kvm-safe-rules-config/v1,
 * Documentation/config-format.rst).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

#define CONFIG_SCHEMA "kvm-safe-rules-config/v1"
/* A configuration of every ID register is about 4 KB. */
#define CONFIG_MAX_BYTES (16u << 20)

struct config_entry {
	struct ksr_encoding enc;
	uint64_t value;
};

struct ksr_config {
	unsigned int nr, cap;
	struct config_entry *e;		/* sorted by encoding */
};

static int enc_cmp(struct ksr_encoding a, struct ksr_encoding b)
{
	uint32_t x = (uint32_t)a.op0 << 16 | a.op1 << 12 | a.crn << 8 | a.crm << 4 | a.op2;
	uint32_t y = (uint32_t)b.op0 << 16 | b.op1 << 12 | b.crn << 8 | b.crm << 4 | b.op2;

	return x < y ? -1 : x > y;
}

/* The index of enc, or where it would go (*found false). */
static unsigned int lookup(const struct ksr_config *cfg, struct ksr_encoding enc, bool *found)
{
	unsigned int lo = 0, hi = cfg->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = enc_cmp(cfg->e[mid].enc, enc);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

int ksr_config_new(struct ksr_config **cfg)
{
	*cfg = calloc(1, sizeof(**cfg));
	return *cfg ? 0 : -ENOMEM;
}

void ksr_config_free(struct ksr_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->e);
	free(cfg);
}

int ksr_config_set(struct ksr_config *cfg, struct ksr_encoding enc, uint64_t value)
{
	bool found;
	unsigned int i = lookup(cfg, enc, &found);

	if (found) {
		cfg->e[i].value = value;
		return 0;
	}
	if (cfg->nr == cfg->cap) {
		unsigned int cap = cfg->cap ? cfg->cap * 2 : 64;
		struct config_entry *bigger = realloc(cfg->e, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		cfg->e = bigger;
		cfg->cap = cap;
	}
	memmove(&cfg->e[i + 1], &cfg->e[i], (cfg->nr - i) * sizeof(*cfg->e));
	cfg->e[i] = (struct config_entry){ enc, value };
	cfg->nr++;
	return 0;
}

unsigned int ksr_config_nr(const struct ksr_config *cfg)
{
	return cfg->nr;
}

int ksr_config_entry(const struct ksr_config *cfg, unsigned int i, struct ksr_encoding *enc,
		     uint64_t *value)
{
	if (i >= cfg->nr)
		return -ERANGE;
	if (enc)
		*enc = cfg->e[i].enc;
	if (value)
		*value = cfg->e[i].value;
	return 0;
}

int ksr_config_find(const struct ksr_config *cfg, struct ksr_encoding enc, uint64_t *value)
{
	bool found;
	unsigned int i = lookup(cfg, enc, &found);

	if (!found)
		return -ENOENT;
	if (value)
		*value = cfg->e[i].value;
	return 0;
}

int ksr_config_from_defaults(const struct ksr_rules *rules, struct ksr_config **cfg)
{
	int ret = ksr_config_new(cfg);

	for (unsigned int i = 0; !ret && i < rules->nr_regs; i++)
		ret = ksr_config_set(*cfg, rules->regs[i].enc, rules->regs[i].limit);
	if (ret) {
		ksr_config_free(*cfg);
		*cfg = NULL;
	}
	return ret;
}

/* ---- register names ----------------------------------------------------- */

/*
 * A register named by text: op0,op1,CRn,CRm,op2, a name of rules, or
 * S<op0>_<op1>_C<n>_C<m>_<op2>. Returns 0 or -ENOENT.
 */
static int parse_reg(const char *text, const struct ksr_rules *rules, struct ksr_encoding *enc)
{
	unsigned int v[5];
	const struct ksr_reg *reg;
	char tail;

	if (rules && (reg = ksr_rules_find_reg(rules, text))) {
		*enc = reg->enc;
		return 0;
	}
	if (sscanf(text, "%u,%u,%u,%u,%u%c", &v[0], &v[1], &v[2], &v[3], &v[4], &tail) != 5 &&
	    sscanf(text, "S%u_%u_C%u_C%u_%u%c", &v[0], &v[1], &v[2], &v[3], &v[4], &tail) != 5)
		return -ENOENT;
	if (v[0] > 3 || v[1] > 7 || v[2] > 15 || v[3] > 15 || v[4] > 7 || !isdigit(text[text[0] == 'S']))
		return -ENOENT;
	*enc = (struct ksr_encoding){ v[0], v[1], v[2], v[3], v[4] };
	return 0;
}

/* The name to write: the rules' name, or the encoding's generic one. */
static const char *reg_text(const struct ksr_rules *rules, struct ksr_encoding enc, unsigned int flags,
			    char *buf, size_t len)
{
	const struct ksr_reg *reg = rules ? ksr_rules_find_encoding(rules, enc) : NULL;

	if (flags & KSR_CONFIG_BY_ENCODING)
		snprintf(buf, len, "%u,%u,%u,%u,%u", enc.op0, enc.op1, enc.crn, enc.crm, enc.op2);
	else if (reg)
		return ksr_reg_name(reg);
	else
		ksr_encoding_generic_name(enc, buf, len);
	return buf;
}

/* ---- lines -------------------------------------------------------------- */

/* Hex, 0x optional, at most 64 bits. */
static int parse_hex(const char *text, uint64_t *value)
{
	char *end;

	if (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2))
		text += 2;
	if (!*text || strlen(text) > 16 || strspn(text, "0123456789abcdefABCDEF") != strlen(text))
		return -EINVAL;
	errno = 0;
	*value = strtoull(text, &end, 16);
	return errno || *end ? -EINVAL : 0;
}

static int parse_lines(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		       struct ksr_config *cfg, char *err, size_t errlen)
{
	unsigned long lineno = 0;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256], reg[128], val[128], extra;
		struct ksr_encoding enc;
		uint64_t value;
		char *hash, *eq;
		int words;

		lineno++;
		if (n >= sizeof(line))
			return ksr_fail(err, errlen, -EINVAL, "%s:%lu: line too long", name, lineno);
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + 1;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		eq = strchr(line, '=');
		if (eq)
			*eq = ' ';
		words = sscanf(line, " %127s %127s %c", reg, val, &extra);
		if (words <= 0)
			continue;
		if (words != 2)
			return ksr_fail(err, errlen, -EINVAL, "%s:%lu: expected 'REG VALUE' or 'REG=VALUE'",
					name, lineno);
		if (parse_reg(reg, rules, &enc))
			return ksr_fail(err, errlen, -EINVAL, "%s:%lu: unknown register '%s'", name,
					lineno, reg);
		if (parse_hex(val, &value))
			return ksr_fail(err, errlen, -EINVAL, "%s:%lu: '%s' is not a 64-bit hex value",
					name, lineno, val);
		if (!ksr_config_find(cfg, enc, NULL))
			return ksr_fail(err, errlen, -EINVAL, "%s:%lu: register '%s' is given twice",
					name, lineno, reg);
		if (ksr_config_set(cfg, enc, value))
			return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	}
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static int read_entry(struct jr *r, json_object *o, const struct ksr_rules *rules,
		      struct ksr_config *cfg)
{
	json_object *name, *enc_o;
	struct ksr_encoding enc, by_name;
	uint64_t value;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return jr_bad(r, "must be an object, not %s", jr_type_name(o));
	ret = jr_get(r, o, "name", json_type_string, true, false, &name) ?:
	      jr_get(r, o, "encoding", json_type_array, true, false, &enc_o) ?:
	      jr_get_hex64(r, o, "value", &value);
	if (ret)
		return ret;
	if (!name && !enc_o)
		return jr_bad(r, "needs \"name\" or \"encoding\"");
	if (enc_o && (ret = jr_get_encoding(r, enc_o, &enc)))
		return ret;
	if (name) {
		const char *s = json_object_get_string(name);

		if (parse_reg(s, rules, &by_name)) {
			if (!enc_o)
				return jr_bad_key(r, "name", "unknown register \"%s\"%s", s,
						  rules ? "" : " (no rules to resolve names: give \"encoding\")");
		} else if (!enc_o) {
			enc = by_name;
		} else if (enc_cmp(enc, by_name)) {
			return jr_bad_key(r, "name", "\"%s\" is %u,%u,%u,%u,%u, not the encoding given",
					  s, by_name.op0, by_name.op1, by_name.crn, by_name.crm,
					  by_name.op2);
		}
	}
	if (!ksr_config_find(cfg, enc, NULL))
		return jr_bad(r, "duplicate register %u,%u,%u,%u,%u", enc.op0, enc.op1, enc.crn,
			      enc.crm, enc.op2);
	if (ksr_config_set(cfg, enc, value))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	return 0;
}

static int read_json(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		     struct ksr_config *cfg, char *err, size_t errlen)
{
	struct jr r = { .name = name, .err = err, .errlen = errlen };
	json_object *root, *schema, *regs;
	int ret;

	ret = ksr_json_parse(text, len, name, &root, err, errlen);
	if (ret)
		return ret;
	if (!json_object_is_type(root, json_type_object)) {
		ret = jr_bad(&r, "must be an object, not %s", jr_type_name(root));
		goto out;
	}
	ret = jr_get(&r, root, "schema", json_type_string, false, false, &schema);
	if (ret)
		goto out;
	if (strcmp(json_object_get_string(schema), CONFIG_SCHEMA)) {
		ret = jr_bad_key(&r, "schema", "unknown schema \"%s\" (this library reads \"%s\")",
				 json_object_get_string(schema), CONFIG_SCHEMA);
		goto out;
	}
	ret = jr_get(&r, root, "registers", json_type_array, false, false, &regs);
	if (ret)
		goto out;
	jr_push(&r, "registers", 0);
	for (size_t i = 0; i < json_object_array_length(regs) && !ret; i++) {
		size_t l = jr_push(&r, NULL, (int)i);

		ret = read_entry(&r, json_object_array_get_idx(regs, i), rules, cfg);
		jr_pop(&r, l);
	}
out:
	json_object_put(root);
	return ret;
}

int ksr_config_parse(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		     struct ksr_config **out, char *err, size_t errlen)
{
	struct ksr_config *cfg;
	size_t i = 0;
	int ret;

	if (ksr_config_new(&cfg))
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	if (memchr(text, '\0', len)) {
		ret = ksr_fail(err, errlen, -EINVAL, "%s: contains a NUL byte", name);
		goto out;
	}
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '{')
		ret = read_json(text, len, name, rules, cfg, err, errlen);
	else
		ret = parse_lines(text, len, name, rules, cfg, err, errlen);
out:
	if (ret) {
		ksr_config_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

int ksr_config_load(const char *path, const struct ksr_rules *rules, struct ksr_config **cfg,
		    char *err, size_t errlen)
{
	size_t len;
	char *text;
	int ret;

	ret = ksr_read_file(path, CONFIG_MAX_BYTES, "a configuration", &text, &len, err, errlen);
	if (ret)
		return ret;
	ret = ksr_config_parse(text, len, path, rules, cfg, err, errlen);
	free(text);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

int ksr_config_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out,
		     unsigned int flags)
{
	json_object *root, *regs;
	char buf[32];
	int ret;

	if (!(flags & KSR_CONFIG_JSON)) {
		for (unsigned int i = 0; i < cfg->nr; i++)
			if (fprintf(out, "%s 0x%016" PRIx64 "\n",
				    reg_text(rules, cfg->e[i].enc, flags, buf, sizeof(buf)),
				    cfg->e[i].value) < 0)
				return -EIO;
		return 0;
	}
	root = json_object_new_object();
	regs = json_object_new_array();
	json_object_object_add(root, "schema", json_object_new_string(CONFIG_SCHEMA));
	for (unsigned int i = 0; i < cfg->nr; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(
			reg_text(rules, cfg->e[i].enc, flags & ~KSR_CONFIG_BY_ENCODING, buf, sizeof(buf))));
		json_object_object_add(o, "encoding", jw_encoding(cfg->e[i].enc));
		json_object_object_add(o, "value", jw_hex64(cfg->e[i].value));
		json_object_array_add(regs, o);
	}
	json_object_object_add(root, "registers", regs);
	ret = jw_print(root, out);
	json_object_put(root);
	return ret;
}

struct save_ctx {
	const struct ksr_config *cfg;
	const struct ksr_rules *rules;
	unsigned int flags;
};

static int write_config(const void *ctx, FILE *out)
{
	const struct save_ctx *c = ctx;

	return ksr_config_write(c->cfg, c->rules, out, c->flags);
}

int ksr_config_save(const struct ksr_config *cfg, const struct ksr_rules *rules, const char *path,
		    unsigned int flags, char *err, size_t errlen)
{
	struct save_ctx c = { cfg, rules, flags };

	return ksr_save_file(path, write_config, &c, err, errlen);
}
