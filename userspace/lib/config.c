// SPDX-License-Identifier: GPL-2.0
/*
 * Configurations: register values keyed by KVM_SET_ONE_REG id (the ID
 * registers' sysreg ids, in encoding order, then the firmware registers'),
 * read and written as lines "REG VALUE" or as JSON
 * (kvm-safe-rules-config/v1, Documentation/config-format.rst), and in the
 * VMMs' formats through fmt-firecracker.c and fmt-qemu.c.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "jsonio.h"

#define CONFIG_SCHEMA "kvm-safe-rules-config/v1"
/* A configuration of every ID register is about 4 KB. */
#define CONFIG_MAX_BYTES (16u << 20)

struct config_entry {
	uint64_t id;
	uint64_t value;
};

/* At most: Firecracker's vcpu_features and kvm_capabilities, QEMU's cpu and properties. */
#define CONFIG_MAX_KEPT 4

struct config_kept {
	char *key, *text;
};

struct ksr_config {
	unsigned int nr, cap;
	struct config_entry *e;		/* sorted by id */
	enum ksr_config_format format;	/* read in (ksr_config_read_format()); 0: made */
	unsigned int nr_kept;
	struct config_kept kept[CONFIG_MAX_KEPT];	/* in the order kept */
};

static int id_cmp(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

/* An id a configuration may hold: a sysreg's or a firmware register's. */
static bool id_valid(uint64_t id)
{
	return ksr_id_is_sysreg(id) || ksr_id_is_firmware(id);
}

/* Every id there is: 16 bits in each of the three ranges of id_valid(). */
#define NR_SLOTS (3u << 16)

/* Which ids a reader has seen, one bit each: duplicates in O(1). */
struct ksr_seen {
	uint8_t bits[NR_SLOTS / 8];
};

/* Marks id (id_valid()); true when it was already marked. */
bool ksr_seen_before(struct ksr_seen *seen, uint64_t id)
{
	uint32_t range = ksr_id_is_sysreg(id) ? 0 : (id & ~0xffffull) == KSR_ID_FW ? 1 : 2;
	uint32_t k = range << 16 | (uint32_t)(id & 0xffff);
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
static int config_append(struct ksr_config *cfg, uint64_t id, uint64_t value)
{
	if (config_grow(cfg))
		return -ENOMEM;
	cfg->e[cfg->nr++] = (struct config_entry){ id, value };
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct config_entry *)a)->id, ((const struct config_entry *)b)->id);
}

/* Sorts what config_append() added (no two entries of one id): O(n log n). */
static void config_sort(struct ksr_config *cfg)
{
	for (unsigned int i = 1; i < cfg->nr; i++) {
		if (cfg->e[i - 1].id > cfg->e[i].id) {
			qsort(cfg->e, cfg->nr, sizeof(*cfg->e), entry_cmp);
			return;
		}
	}
}

/* The index of id, or where it would go (*found false). */
static unsigned int lookup(const struct ksr_config *cfg, uint64_t id, bool *found)
{
	unsigned int lo = 0, hi = cfg->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = id_cmp(cfg->e[mid].id, id);

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
	for (unsigned int i = 0; i < cfg->nr_kept; i++) {
		free(cfg->kept[i].key);
		free(cfg->kept[i].text);
	}
	free(cfg->e);
	free(cfg);
}

static struct config_kept *kept_find(const struct ksr_config *cfg, const char *key)
{
	for (unsigned int i = 0; i < cfg->nr_kept; i++)
		if (!strcmp(cfg->kept[i].key, key))
			return (struct config_kept *)&cfg->kept[i];
	return NULL;
}

int ksr_config_keep(struct ksr_config *cfg, const char *key, const char *text)
{
	struct config_kept *k = kept_find(cfg, key);
	char *copy = strdup(text);

	if (!copy)
		return -ENOMEM;
	if (!k) {
		if (cfg->nr_kept == CONFIG_MAX_KEPT || !(cfg->kept[cfg->nr_kept].key = strdup(key))) {
			free(copy);
			return -ENOMEM;
		}
		k = &cfg->kept[cfg->nr_kept++];
		k->text = NULL;
	}
	free(k->text);
	k->text = copy;
	return 0;
}

int ksr_config_keep_all(struct ksr_config *dst, const struct ksr_config *src)
{
	dst->format = src->format;
	for (unsigned int i = 0; i < src->nr_kept; i++)
		if (ksr_config_keep(dst, src->kept[i].key, src->kept[i].text))
			return -ENOMEM;
	return 0;
}

struct ksr_config *ksr_config_dup(const struct ksr_config *cfg)
{
	struct ksr_config *copy;

	if (ksr_config_new(&copy))
		return NULL;
	copy->e = malloc((cfg->nr ? cfg->nr : 1) * sizeof(*copy->e));
	if (!copy->e || ksr_config_keep_all(copy, cfg)) {
		ksr_config_free(copy);
		return NULL;
	}
	if (cfg->nr)
		memcpy(copy->e, cfg->e, cfg->nr * sizeof(*copy->e));
	copy->cap = cfg->nr ? cfg->nr : 1;
	copy->nr = cfg->nr;
	return copy;
}

enum ksr_config_format ksr_config_read_format(const struct ksr_config *cfg)
{
	return cfg->format ? cfg->format : KSR_CONFIG_FORMAT_LINES;
}

const char *ksr_config_kept_text(const struct ksr_config *cfg, const char *key)
{
	const struct config_kept *k = kept_find(cfg, key);

	return k ? k->text : NULL;
}

int ksr_config_kept(const struct ksr_config *cfg, unsigned int i, const char **key,
		    const char **text)
{
	if (i >= cfg->nr_kept)
		return -ERANGE;
	if (key)
		*key = cfg->kept[i].key;
	if (text)
		*text = cfg->kept[i].text;
	return 0;
}

int ksr_config_set(struct ksr_config *cfg, struct ksr_encoding enc, uint64_t value)
{
	/* Out of range, {3,0,0,0,16} would be some other register. */
	if (!ksr_encoding_valid(enc))
		return -EINVAL;
	return ksr_config_set_id(cfg, ksr_encoding_id(enc), value);
}

int ksr_config_set_id(struct ksr_config *cfg, uint64_t id, uint64_t value)
{
	bool found;
	unsigned int i;

	if (!id_valid(id))
		return -EINVAL;
	i = lookup(cfg, id, &found);

	if (found) {
		cfg->e[i].value = value;
		return 0;
	}
	if (config_grow(cfg))
		return -ENOMEM;
	memmove(&cfg->e[i + 1], &cfg->e[i], (cfg->nr - i) * sizeof(*cfg->e));
	cfg->e[i] = (struct config_entry){ id, value };
	cfg->nr++;
	return 0;
}

unsigned int ksr_config_nr(const struct ksr_config *cfg)
{
	return cfg->nr;
}

int ksr_config_entry_id(const struct ksr_config *cfg, unsigned int i, uint64_t *id,
			uint64_t *value)
{
	if (i >= cfg->nr)
		return -ERANGE;
	if (id)
		*id = cfg->e[i].id;
	if (value)
		*value = cfg->e[i].value;
	return 0;
}

int ksr_config_entry(const struct ksr_config *cfg, unsigned int i, struct ksr_encoding *enc,
		     uint64_t *value)
{
	uint64_t id;
	int ret = ksr_config_entry_id(cfg, i, &id, value);

	if (ret)
		return ret;
	if (!ksr_id_is_sysreg(id))
		return -ENOENT;
	if (enc)
		*enc = ksr_encoding_from_key((uint32_t)(id & 0xffff));
	return 0;
}

int ksr_config_find_id(const struct ksr_config *cfg, uint64_t id, uint64_t *value)
{
	bool found = false;
	unsigned int i = lookup(cfg, id, &found);

	if (!found)
		return -ENOENT;
	if (value)
		*value = cfg->e[i].value;
	return 0;
}

int ksr_config_find(const struct ksr_config *cfg, struct ksr_encoding enc, uint64_t *value)
{
	if (!ksr_encoding_valid(enc))
		return -ENOENT;
	return ksr_config_find_id(cfg, ksr_encoding_id(enc), value);
}

int ksr_config_from_defaults(const struct ksr_rules *rules, struct ksr_config **cfg)
{
	struct ksr_seen *seen = calloc(1, sizeof(*seen));
	int ret = seen ? ksr_config_new(cfg) : -ENOMEM;

	/* The first register of an id, as ksr_rules_find_id() finds it. */
	for (unsigned int i = 0; !ret && i < rules->nr_regs; i++) {
		uint64_t id = ksr_reg_id(&rules->regs[i]);

		if (id_valid(id) && !ksr_seen_before(seen, id))
			ret = config_append(*cfg, id, rules->regs[i].limit);
	}
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
 * A register named by text: op0,op1,CRn,CRm,op2, a name of rules,
 * S<op0>_<op1>_C<n>_C<m>_<op2> (numbers in range: ksr_parse_encoding()),
 * an id "0x" and 16 hex digits (ksr_parse_id()) or a firmware register's
 * UAPI name. Returns 0 or -ENOENT.
 */
static int parse_reg(const char *text, const struct ksr_rules *rules, uint64_t *id)
{
	const struct ksr_reg *reg;
	struct ksr_encoding enc;

	if (rules && (reg = ksr_rules_find_reg(rules, text))) {
		*id = ksr_reg_id(reg);
		return 0;
	}
	if (!ksr_parse_encoding(text, &enc)) {
		*id = ksr_encoding_id(enc);
		return 0;
	}
	if (!ksr_parse_id(text, id))
		return 0;
	*id = ksr_fw_id(text);
	return *id ? 0 : -ENOENT;
}

/*
 * The name to write: the rules' name, the encoding's generic one or a
 * firmware register's UAPI name, else its id; with KSR_CONFIG_BY_ENCODING
 * op0,op1,CRn,CRm,op2 (a firmware register: its id).
 */
static const char *reg_text(const struct ksr_rules *rules, uint64_t id, unsigned int flags,
			    char *buf, size_t len)
{
	const struct ksr_reg *reg = rules ? ksr_rules_find_id(rules, id) : NULL;
	struct ksr_encoding enc = ksr_encoding_from_key((uint32_t)(id & 0xffff));

	if (!ksr_id_is_sysreg(id) && (flags & KSR_CONFIG_BY_ENCODING))
		ksr_id_text(id, buf, len);
	else if (flags & KSR_CONFIG_BY_ENCODING)
		snprintf(buf, len, "%u,%u,%u,%u,%u", enc.op0, enc.op1, enc.crn, enc.crm, enc.op2);
	else if (reg)
		return ksr_reg_name(reg);
	else if (ksr_id_is_sysreg(id))
		ksr_encoding_generic_name(enc, buf, len);
	else if (ksr_fw_name(id))
		return ksr_fw_name(id);
	else
		ksr_id_text(id, buf, len);
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
		       struct ksr_config *cfg, struct ksr_seen *seen, char *err, size_t errlen)
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
		uint64_t id, value;
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
		if (parse_reg(reg, rules, &id))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: unknown register '%.64s%s'", name,
				       lineno, reg, wn[0] > 64 ? "..." : "");
		else if (ksr_parse_hex64(val, &value))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: '%.64s%s' is not a 64-bit hex value",
				       name, lineno, val, wn[1] > 64 ? "..." : "");
		else if (ksr_seen_before(seen, id))
			ret = ksr_fail(err, errlen, -EINVAL, "%s:%lu: register '%s' is given twice",
				       name, lineno, reg);
		else if (config_append(cfg, id, value))
			ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	}
	free(line);
	return ret;
}

/* ---- JSON --------------------------------------------------------------- */

/*
 * The register an entry names: by "name", "encoding" or "id" (at least one;
 * those given must agree).
 */
static int entry_id(struct jr *r, json_object *o, const struct ksr_rules *rules, uint64_t *id)
{
	json_object *name, *enc_o, *id_o;
	struct ksr_encoding enc;
	uint64_t by_name, given = 0;
	bool have = false;
	int ret;

	ret = ksr_jr_get(r, o, "name", json_type_string, true, false, &name) ?:
	      ksr_jr_get(r, o, "encoding", json_type_array, true, false, &enc_o) ?:
	      ksr_jr_get(r, o, "id", json_type_string, true, false, &id_o);
	if (ret)
		return ret;
	if (!name && !enc_o && !id_o)
		return ksr_jr_bad(r, "needs \"name\", \"encoding\" or \"id\"");
	if (enc_o) {
		ret = ksr_jr_get_encoding(r, enc_o, &enc);
		if (ret)
			return ret;
		given = ksr_encoding_id(enc);
		have = true;
	}
	if (id_o) {
		ret = ksr_jr_get_id(r, o, "id", id);
		if (ret)
			return ret;
		if (have && *id != given)
			return ksr_jr_bad_key(r, "id", "%s is not the encoding given",
					      json_object_get_string(id_o));
		given = *id;
		have = true;
	}
	if (name) {
		const char *s = json_object_get_string(name);

		if (ksr_parse_encoding(s, &enc) == -ERANGE) {
			return ksr_jr_bad_key(r, "name", "\"%s\": a number out of range (op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7)",
					      s);
		} else if (parse_reg(s, rules, &by_name)) {
			if (!have)
				return ksr_jr_bad_key(r, "name", "unknown register \"%s\"%s", s,
						      rules ? "" : " (no rules to resolve names: give \"encoding\" or \"id\")");
		} else if (!have) {
			given = by_name;
		} else if (given != by_name && ksr_id_is_sysreg(by_name)) {
			enc = ksr_encoding_from_key((uint32_t)(by_name & 0xffff));
			return ksr_jr_bad_key(r, "name", "\"%s\" is %u,%u,%u,%u,%u, not the encoding given",
					      s, enc.op0, enc.op1, enc.crn, enc.crm, enc.op2);
		} else if (given != by_name) {
			char buf[24];

			ksr_id_text(by_name, buf, sizeof(buf));
			return ksr_jr_bad_key(r, "name", "\"%s\" is %s, not the id given", s, buf);
		}
	}
	*id = given;
	return 0;
}

static int read_entry(struct jr *r, json_object *o, const struct ksr_rules *rules,
		      struct ksr_config *cfg, struct ksr_seen *seen)
{
	uint64_t id, value;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(o));
	ret = entry_id(r, o, rules, &id) ?: ksr_jr_get_hex64(r, o, "value", &value);
	if (ret)
		return ret;
	if (ksr_seen_before(seen, id)) {
		char buf[24];

		ksr_id_text(id, buf, sizeof(buf));
		if (ksr_id_is_sysreg(id)) {
			struct ksr_encoding e = ksr_encoding_from_key((uint32_t)(id & 0xffff));

			return ksr_jr_bad(r, "duplicate register %u,%u,%u,%u,%u", e.op0, e.op1, e.crn,
					  e.crm, e.op2);
		}
		return ksr_jr_bad(r, "duplicate register %s", buf);
	}
	if (config_append(cfg, id, value))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	return 0;
}

static int read_json(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		     struct ksr_config *cfg, struct ksr_seen *seen, char *err, size_t errlen)
{
	struct jr r = { .name = name, .err = err, .errlen = errlen };
	json_object *root, *schema, *regs;
	int ret;

	ret = ksr_json_parse(text, len, name, &root, err, errlen);
	if (ret)
		return ret;
	if (!json_object_is_type(root, json_type_object)) {
		ret = ksr_jr_bad(&r, "must be an object, not %s", ksr_jr_type_name(root));
		goto out;
	}
	ret = ksr_jr_get(&r, root, "schema", json_type_string, false, false, &schema);
	if (ret)
		goto out;
	if (strcmp(json_object_get_string(schema), CONFIG_SCHEMA)) {
		ret = ksr_jr_bad_key(&r, "schema", "unknown schema \"%s\" (this library reads \"%s\")",
				     json_object_get_string(schema), CONFIG_SCHEMA);
		goto out;
	}
	ret = ksr_jr_get(&r, root, "registers", json_type_array, false, false, &regs);
	if (ret)
		goto out;
	ksr_jr_push(&r, "registers", 0);
	for (size_t i = 0; i < json_object_array_length(regs) && !ret; i++) {
		size_t l = ksr_jr_push(&r, NULL, (int)i);

		ret = read_entry(&r, json_object_array_get_idx(regs, i), rules, cfg, seen);
		ksr_jr_pop(&r, l);
	}
out:
	json_object_put(root);
	return ret;
}

/* ---- formats ------------------------------------------------------------ */

static const char *const format_names[] = {
	[KSR_CONFIG_FORMAT_AUTO] = "auto",
	[KSR_CONFIG_FORMAT_LINES] = "lines",
	[KSR_CONFIG_FORMAT_JSON] = "json",
	[KSR_CONFIG_FORMAT_FIRECRACKER] = "firecracker",
	[KSR_CONFIG_FORMAT_QEMU] = "qemu",
	[KSR_CONFIG_FORMAT_QEMU_LINES] = "qemu-lines",
};
#define NR_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

const char *ksr_config_format_name(enum ksr_config_format format)
{
	return (unsigned int)format < NR_FORMATS ? format_names[format] : NULL;
}

int ksr_config_format_from_name(const char *name, enum ksr_config_format *format)
{
	for (unsigned int i = 0; i < NR_FORMATS; i++) {
		if (!strcmp(name, format_names[i])) {
			*format = (enum ksr_config_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* A JSON object with a key of Firecracker's templates and no "schema". */
static bool is_firecracker(const char *text, size_t len)
{
	json_object *root;
	bool fc;

	if (ksr_json_parse(text, len, "", &root, NULL, 0))
		return false;
	fc = json_object_is_type(root, json_type_object) &&
	     !json_object_object_get_ex(root, "schema", NULL) &&
	     (json_object_object_get_ex(root, "reg_modifiers", NULL) ||
	      json_object_object_get_ex(root, "vcpu_features", NULL) ||
	      json_object_object_get_ex(root, "kvm_capabilities", NULL));
	json_object_put(root);
	return fc;
}

/* Does text (n bytes) hold the word "SYSREG_"? */
static bool has_property(const char *text, size_t n)
{
	static const char prop[] = "SYSREG_";
	const size_t plen = sizeof(prop) - 1;

	for (size_t i = 0; i + plen <= n; i++)
		if (!memcmp(text + i, prop, plen))
			return true;
	return false;
}

/*
 * The format of a text: JSON by its first character (Firecracker's by its
 * keys); QEMU's when a line holds a SYSREG_ property outside a # comment
 * ("host,SYSREG_...", or one property per line, which may start with the
 * model's name); else lines.
 */
enum ksr_config_format ksr_config_detect_format(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '{')
		return is_firecracker(text, len) ? KSR_CONFIG_FORMAT_FIRECRACKER : KSR_CONFIG_FORMAT_JSON;
	bool property = false, comma = false;

	for (size_t line = 0, end; line < len; line = end + 1) {
		const char *hash;
		size_t n;

		for (end = line; end < len && text[end] != '\n'; end++)
			;
		hash = memchr(text + line, '#', end - line);
		n = (hash ? (size_t)(hash - text) : end) - line;
		property |= has_property(text + line, n);
		comma |= memchr(text + line, ',', n) != NULL;
	}
	/* QEMU's: a -cpu string has its items on a line, comma separated */
	if (property)
		return comma ? KSR_CONFIG_FORMAT_QEMU : KSR_CONFIG_FORMAT_QEMU_LINES;
	return KSR_CONFIG_FORMAT_LINES;
}

/* A VMM's format: read over the rules' defaults. */
static bool over_defaults(enum ksr_config_format format)
{
	return format == KSR_CONFIG_FORMAT_FIRECRACKER || format == KSR_CONFIG_FORMAT_QEMU ||
	       format == KSR_CONFIG_FORMAT_QEMU_LINES;
}

/* Reads text of a known format (not AUTO) into a new *cfg. */
static int parse_into(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		      enum ksr_config_format format, struct ksr_config **cfg, struct ksr_seen *seen,
		      char *err, size_t errlen)
{
	if (!ksr_config_format_name(format))
		return ksr_fail(err, errlen, -EINVAL, "%s: unknown format %d", name, (int)format);
	if (over_defaults(format) && !rules)
		return ksr_fail(err, errlen, -EINVAL, "%s: a %s configuration is read over the rules' defaults: no rules given",
				name, ksr_config_format_name(format));
	if (over_defaults(format) ? ksr_config_from_defaults(rules, cfg) : ksr_config_new(cfg))
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	switch (format) {
	case KSR_CONFIG_FORMAT_JSON:
		return read_json(text, len, name, rules, *cfg, seen, err, errlen);
	case KSR_CONFIG_FORMAT_FIRECRACKER:
		return ksr_fc_read(text, len, name, rules, *cfg, seen, err, errlen);
	case KSR_CONFIG_FORMAT_QEMU:
	case KSR_CONFIG_FORMAT_QEMU_LINES:
		return ksr_qemu_read(text, len, name, rules, *cfg, err, errlen);
	default:
		return parse_lines(text, len, name, rules, *cfg, seen, err, errlen);
	}
}

int ksr_config_parse_format(const char *text, size_t len, const char *name,
			    const struct ksr_rules *rules, enum ksr_config_format format,
			    struct ksr_config **out, char *err, size_t errlen)
{
	struct ksr_config *cfg = NULL;
	struct ksr_seen *seen = calloc(1, sizeof(*seen));
	int ret;

	if (!format)
		format = ksr_config_detect_format(text, len);
	if (!seen)
		ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	else if (memchr(text, '\0', len))
		ret = ksr_fail(err, errlen, -EINVAL, "%s: contains a NUL byte", name);
	else
		ret = parse_into(text, len, name, rules, format, &cfg, seen, err, errlen);
	free(seen);
	if (ret) {
		ksr_config_free(cfg);
		return ret;
	}
	cfg->format = format;
	config_sort(cfg);
	*out = cfg;
	return 0;
}

/*
 * Our own two forms, told apart as ksr_config_parse() always has: JSON when
 * the first non-blank character is '{', else lines. A VMM's format is read
 * only when named or asked to be detected (KSR_CONFIG_FORMAT_AUTO): a lines
 * file may hold a register named SYSREG_..., which detection would take for
 * QEMU's.
 */
static enum ksr_config_format own_format(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)text[i]))
		i++;
	return i < len && text[i] == '{' ? KSR_CONFIG_FORMAT_JSON : KSR_CONFIG_FORMAT_LINES;
}

int ksr_config_parse(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		     struct ksr_config **out, char *err, size_t errlen)
{
	return ksr_config_parse_format(text, len, name, rules, own_format(text, len), out, err,
				       errlen);
}

/* Reads a file in format, or in our own forms (own_format()) when format is NULL */
static int load(const char *path, const struct ksr_rules *rules,
		const enum ksr_config_format *format, struct ksr_config **cfg, char *err,
		size_t errlen)
{
	size_t len;
	char *text;
	int ret;

	ret = ksr_read_file(path, CONFIG_MAX_BYTES, "a configuration", &text, &len, err, errlen);
	if (ret)
		return ret;
	ret = ksr_config_parse_format(text, len, path, rules,
				      format ? *format : own_format(text, len), cfg, err, errlen);
	free(text);
	return ret;
}

int ksr_config_load_format(const char *path, const struct ksr_rules *rules,
			   enum ksr_config_format format, struct ksr_config **cfg, char *err,
			   size_t errlen)
{
	return load(path, rules, &format, cfg, err, errlen);
}

int ksr_config_load(const char *path, const struct ksr_rules *rules, struct ksr_config **cfg,
		    char *err, size_t errlen)
{
	return load(path, rules, NULL, cfg, err, errlen);
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
				    reg_text(rules, cfg->e[i].id, flags, buf, sizeof(buf)),
				    cfg->e[i].value) < 0)
				return -EIO;
		return 0;
	}
	root = json_object_new_object();
	regs = json_object_new_array();
	json_object_object_add(root, "schema", json_object_new_string(CONFIG_SCHEMA));
	for (unsigned int i = 0; i < cfg->nr; i++) {
		json_object *o = json_object_new_object();
		uint64_t id = cfg->e[i].id;

		json_object_object_add(o, "name", json_object_new_string(
			reg_text(rules, id, flags & ~KSR_CONFIG_BY_ENCODING, buf, sizeof(buf))));
		/* A firmware register has no encoding: its id instead. */
		if (ksr_id_is_sysreg(id))
			json_object_object_add(o, "encoding", ksr_jw_encoding(
				ksr_encoding_from_key((uint32_t)(id & 0xffff))));
		else
			json_object_object_add(o, "id", ksr_jw_hex64(id));
		json_object_object_add(o, "value", ksr_jw_hex64(cfg->e[i].value));
		json_object_array_add(regs, o);
	}
	json_object_object_add(root, "registers", regs);
	ret = ksr_jw_print(root, out);
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

int ksr_config_write_format(const struct ksr_config *cfg, const struct ksr_rules *rules,
			    enum ksr_config_format format, FILE *out, unsigned int flags, char *err,
			    size_t errlen)
{
	int ret;

	switch (format) {
	case KSR_CONFIG_FORMAT_AUTO:
		ret = ksr_config_write(cfg, rules, out, flags);
		break;
	case KSR_CONFIG_FORMAT_LINES:
		ret = ksr_config_write(cfg, rules, out, flags & ~KSR_CONFIG_JSON);
		break;
	case KSR_CONFIG_FORMAT_JSON:
		ret = ksr_config_write(cfg, rules, out, flags | KSR_CONFIG_JSON);
		break;
	case KSR_CONFIG_FORMAT_FIRECRACKER:
		return ksr_fc_write(cfg, rules, out, flags, err, errlen);
	case KSR_CONFIG_FORMAT_QEMU:
	case KSR_CONFIG_FORMAT_QEMU_LINES:
		return ksr_qemu_write(cfg, rules, out, flags, format == KSR_CONFIG_FORMAT_QEMU_LINES,
				      err, errlen);
	default:
		return ksr_fail(err, errlen, -EINVAL, "unknown format %d", (int)format);
	}
	return ret ? ksr_fail(err, errlen, ret, "write error") : 0;
}

struct text {
	const char *buf;
	size_t len;
};

static int write_text(const void *ctx, FILE *out)
{
	const struct text *t = ctx;

	return fwrite(t->buf, 1, t->len, out) == t->len ? 0 : -EIO;
}

/* Written to memory first, so that what the format cannot say leaves the file as it was. */
int ksr_config_save_format(const struct ksr_config *cfg, const struct ksr_rules *rules,
			   const char *path, enum ksr_config_format format, unsigned int flags,
			   char *err, size_t errlen)
{
	struct text t = { NULL, 0 };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &t.len);
	int ret;

	if (!f)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	ret = ksr_config_write_format(cfg, rules, format, f, flags, err, errlen);
	if (fclose(f) && !ret)
		ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	t.buf = buf;
	if (!ret)
		ret = ksr_save_file(path, write_text, &t, err, errlen);
	free(buf);
	return ret;
}
