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
	uint32_t x = ksr_encoding_key(a), y = ksr_encoding_key(b);

	return x < y ? -1 : x > y;
}

/* Every encoding there is: 2 + 3 + 4 + 4 + 3 bits. */
#define NR_ENCODINGS (1u << 16)

/* Which encodings a reader has seen, one bit each: duplicates in O(1). */
struct seen {
	uint8_t bits[NR_ENCODINGS / 8];
};

/* Marks enc; true when it was already marked. */
static bool seen_before(struct seen *seen, struct ksr_encoding enc)
{
	uint32_t k = ksr_encoding_key(enc);
	bool was = seen->bits[k / 8] & (1u << (k % 8));

	seen->bits[k / 8] |= (uint8_t)(1u << (k % 8));
	return was;
}

/* Room for one more entry; -ENOMEM. */
static int config_grow(struct ksr_config *cfg)
{
	if (cfg->nr == cfg->cap) {
		unsigned int cap = cfg->cap ? cfg->cap * 2 : 64;
		struct config_entry *bigger = realloc(cfg->e, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		cfg->e = bigger;
		cfg->cap = cap;
	}
	return 0;
}

/* Appends an entry, out of order (config_sort() then): for readers. -ENOMEM. */
static int config_append(struct ksr_config *cfg, struct ksr_encoding enc, uint64_t value)
{
	if (config_grow(cfg))
		return -ENOMEM;
	cfg->e[cfg->nr++] = (struct config_entry){ enc, value };
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return enc_cmp(((const struct config_entry *)a)->enc, ((const struct config_entry *)b)->enc);
}

/* Sorts what config_append() added (no two entries of one encoding): O(n log n). */
static void config_sort(struct ksr_config *cfg)
{
	for (unsigned int i = 1; i < cfg->nr; i++) {
		if (enc_cmp(cfg->e[i - 1].enc, cfg->e[i].enc) > 0) {
			qsort(cfg->e, cfg->nr, sizeof(*cfg->e), entry_cmp);
			return;
		}
	}
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
	unsigned int i;

	/* Out of range, {3,0,0,0,16} would be some other register. */
	if (!ksr_encoding_valid(enc))
		return -EINVAL;
	i = lookup(cfg, enc, &found);

	if (found) {
		cfg->e[i].value = value;
		return 0;
	}
	if (config_grow(cfg))
		return -ENOMEM;
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
	bool found = false;
	unsigned int i = ksr_encoding_valid(enc) ? lookup(cfg, enc, &found) : 0;

	if (!found)
		return -ENOENT;
	if (value)
		*value = cfg->e[i].value;
	return 0;
}

int ksr_config_from_defaults(const struct ksr_rules *rules, struct ksr_config **cfg)
{
	struct seen *seen = calloc(1, sizeof(*seen));
	int ret = seen ? ksr_config_new(cfg) : -ENOMEM;

	/* The first register of an encoding, as ksr_rules_find_encoding() finds it. */
	for (unsigned int i = 0; !ret && i < rules->nr_regs; i++)
		if (ksr_encoding_valid(rules->regs[i].enc) && !seen_before(seen, rules->regs[i].enc))
			ret = config_append(*cfg, rules->regs[i].enc, rules->regs[i].limit);
	free(seen);
	if (ret) {
		if (seen)
			ksr_config_free(*cfg);
		*cfg = NULL;
		return ret;
	}
	config_sort(*cfg);
	return 0;
}

/* ---- register names ----------------------------------------------------- */

/*
 * A register named by text: op0,op1,CRn,CRm,op2, a name of rules, or
 * S<op0>_<op1>_C<n>_C<m>_<op2>, numbers in range (ksr_parse_encoding()).
 * Returns 0 or -ENOENT.
 */
static int parse_reg(const char *text, const struct ksr_rules *rules, struct ksr_encoding *enc)
{
	const struct ksr_reg *reg;

	if (rules && (reg = ksr_rules_find_reg(rules, text))) {
		*enc = reg->enc;
		return 0;
	}
	return ksr_parse_encoding(text, enc) ? -ENOENT : 0;
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

/* A word of a line: [*p, *p + *n); false at its end. */
static bool next_word(const char **p, const char *end, size_t *n)
{
	while (*p < end && isspace((unsigned char)**p))
		(*p)++;
	*n = 0;
	while (*p + *n < end && !isspace((unsigned char)(*p)[*n]))
		(*n)++;
	return *n;
}

/*
 * Lines of any length: "REG VALUE" or "REG=VALUE" (the first '=' is a
 * blank), '#' to the end of the line a comment.
 */
static int parse_lines(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		       struct ksr_config *cfg, struct seen *seen, char *err, size_t errlen)
{
	unsigned long lineno = 0;
	const char *p = text, *end = text + len;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), wn[3];
		const char *hash = memchr(p, '#', n), *w[3], *q;
		char *reg, *val, *eq;
		struct ksr_encoding enc;
		uint64_t value;
		int words = 0;

		lineno++;
		if (hash)
			n = (size_t)(hash - p);	/* comments never count */
		if (n + 1 > cap) {
			char *bigger = realloc(line, cap = n + 1);

			if (!bigger) {
				ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
				break;
			}
			line = bigger;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		eq = strchr(line, '=');
		if (eq)
			*eq = ' ';
		for (q = line; words < 3 && next_word(&q, line + n, &wn[words]); q += wn[words++])
			w[words] = q;
		if (!words)
			continue;
		if (words != 2) {
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: expected 'REG VALUE' or 'REG=VALUE'",
				       name, lineno);
			break;
		}
		reg = (char *)w[0];
		val = (char *)w[1];
		reg[wn[0]] = '\0';
		val[wn[1]] = '\0';
		if (parse_reg(reg, rules, &enc))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: unknown register '%.64s%s'", name,
				       lineno, reg, wn[0] > 64 ? "..." : "");
		else if (ksr_parse_hex64(val, &value))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: '%.64s%s' is not a 64-bit hex value",
				       name, lineno, val, wn[1] > 64 ? "..." : "");
		else if (seen_before(seen, enc))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: register '%s' is given twice",
				       name, lineno, reg);
		else if (config_append(cfg, enc, value))
			ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	}
	free(line);
	return ret;
}

/* ---- JSON --------------------------------------------------------------- */

static int read_entry(struct jr *r, json_object *o, const struct ksr_rules *rules,
		      struct ksr_config *cfg, struct seen *seen)
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

		if (ksr_parse_encoding(s, &by_name) == -ERANGE) {
			return jr_bad_key(r, "name", "\"%s\": a number out of range (op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7)",
					  s);
		} else if (parse_reg(s, rules, &by_name)) {
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
	if (seen_before(seen, enc))
		return jr_bad(r, "duplicate register %u,%u,%u,%u,%u", enc.op0, enc.op1, enc.crn,
			      enc.crm, enc.op2);
	if (config_append(cfg, enc, value))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	return 0;
}

static int read_json(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		     struct ksr_config *cfg, struct seen *seen, char *err, size_t errlen)
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

		ret = read_entry(&r, json_object_array_get_idx(regs, i), rules, cfg, seen);
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
	struct seen *seen;
	size_t i = 0;
	int ret;

	if (ksr_config_new(&cfg))
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	seen = calloc(1, sizeof(*seen));
	if (!seen) {
		ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		ret = ksr_fail(err, errlen, -EINVAL, "%s: contains a NUL byte", name);
		goto out;
	}
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '{')
		ret = read_json(text, len, name, rules, cfg, seen, err, errlen);
	else
		ret = parse_lines(text, len, name, rules, cfg, seen, err, errlen);
out:
	free(seen);
	if (!ret)
		config_sort(cfg);
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
