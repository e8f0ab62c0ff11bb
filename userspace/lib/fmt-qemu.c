// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's SYSREG_<REG>_<FIELD>=<value> properties (the customizable arm64
 * KVM host model series on qemu-devel: -cpu host,SYSREG_ID_AA64ISAR0_EL1_AES=0),
 * REG and FIELD the names of the Arm register descriptions, which the
 * rules' names are (arch/arm64/tools/sysreg); read case-insensitively.
 * Read as a -cpu option string (comma separated, a model name first
 * optional) or one per line ('#' to the end of a line a comment), a
 * property setting one field's raw value (decimal or 0x hex) over the
 * rules' defaults; written as a property per field that differs.
 * The model name and properties other than SYSREG_ are kept, not
 * interpreted, and written back.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

#define PREFIX "SYSREG_"
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* A reader: where it is, and what it has read so far. */
struct qr {
	const char *name;
	char *err;
	size_t errlen;
	const struct ksr_rules *rules;
	struct ksr_config *cfg;
	struct ksr_config *done;	/* per register, the bits of the fields given */
	char *others;			/* properties other than SYSREG_, comma separated */
	unsigned int items;
};

/* Reports a problem with a property (or item); returns -EINVAL. */
static int bad(struct qr *q, const char *item, const char *problem, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct qr *q, const char *item, const char *problem, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, problem);
	vsnprintf(text, sizeof(text), problem, ap);
	va_end(ap);
	return ksr_fail(q->err, q->errlen, -EINVAL, "%s: %.80s%s: %s", q->name, item,
			strlen(item) > 80 ? "..." : "", text);
}

static int no_memory(struct qr *q)
{
	return ksr_fail(q->err, q->errlen, -ENOMEM, "%s: out of memory", q->name);
}

/*
 * The field "<REG>_<FIELD>" names among the rules' ID registers: 0, -ENOENT
 * when no register's name starts it, -ESRCH when one does (*reg) but has
 * no such field.
 */
static int find_field(const struct ksr_rules *rules, const char *s, const struct ksr_reg **reg,
		      const struct ksr_field **f)
{
	int ret = -ENOENT;

	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		const struct ksr_reg *g = &rules->regs[i];
		size_t n = g->name ? strlen(g->name) : 0;

		if (!n || !ksr_id_is_sysreg(g->id) || strncasecmp(s, g->name, n) || s[n] != '_')
			continue;
		*reg = g;
		ret = -ESRCH;
		for (unsigned int j = 0; j < g->nr_fields; j++) {
			if (g->fields[j].name && !strcasecmp(g->fields[j].name, s + n + 1)) {
				*f = &g->fields[j];
				return 0;
			}
		}
	}
	return ret;
}

/* Decimal or "0x" hex, 64 bits at most, nothing else; 0 or -EINVAL. */
static int parse_value(const char *s, uint64_t *v)
{
	size_t n = strlen(s);

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		return ksr_parse_hex64(s, v);
	if (!n || n > 20 || strspn(s, "0123456789") != n)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	return errno ? -EINVAL : 0;
}

/* SYSREG_<REG>_<FIELD>=<value>: the field set over what cfg holds. */
static int read_property(struct qr *q, char *key, const char *val)
{
	const struct ksr_reg *reg = NULL;
	const struct ksr_field *f = NULL;
	uint64_t v, mask, done = 0, cur;
	int ret = find_field(q->rules, key + PREFIX_LEN, &reg, &f);

	if (ret == -ENOENT)
		return bad(q, key, "no such register");
	if (ret)
		return bad(q, key, "no such field of %s", reg->name);
	if (parse_value(val, &v))
		return bad(q, key, "'%.40s' is not a 64-bit decimal or 0x hex value", val);
	mask = ksr_field_mask(f);
	if (f->width < 64 && v >> f->width)
		return bad(q, key, "%s does not fit the %u-bit field", val, f->width);
	ksr_config_find_id(q->done, reg->id, &done);
	if (done & mask)
		return bad(q, key, "given twice");
	if (ksr_config_find_id(q->cfg, reg->id, &cur))
		return bad(q, key, "%s has no default in the rules", reg->name);
	if (ksr_config_set_id(q->done, reg->id, done | mask) ||
	    ksr_config_set_id(q->cfg, reg->id, (cur & ~mask) | ((v << f->shift) & mask)))
		return no_memory(q);
	return 0;
}

/* Appends a property other than SYSREG_ to those kept. */
static int keep_other(struct qr *q, const char *item)
{
	size_t had = q->others ? strlen(q->others) : 0;
	char *more = realloc(q->others, had + strlen(item) + 2);

	if (!more)
		return no_memory(q);
	q->others = more;
	sprintf(more + had, "%s%s", had ? "," : "", item);
	return 0;
}

/* Blanks off both ends: [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* One item: a model name (first only), SYSREG_..=.., or another property. */
static int read_item(struct qr *q, char *item)
{
	char *eq = strchr(item, '='), *val;

	if (!eq) {
		if (q->items++ || !strncasecmp(item, PREFIX, PREFIX_LEN))
			return bad(q, item, "expected SYSREG_<REG>_<FIELD>=<value> (only the first item may be a model name)");
		return ksr_config_keep(q->cfg, "cpu", item) ? no_memory(q) : 0;
	}
	q->items++;
	if (strncasecmp(item, PREFIX, PREFIX_LEN))
		return keep_other(q, item);
	/* The item has no blank at either end: only around '='. */
	for (val = eq + 1; isspace((unsigned char)*val); )
		val++;
	for (*eq = '\0'; eq > item && isspace((unsigned char)eq[-1]); )
		*--eq = '\0';
	return read_property(q, item, val);
}

/* The length of [p, end) up to the first of stops. */
static size_t span(const char *p, const char *end, const char *stops)
{
	size_t n = 0;

	while (p + n < end && !strchr(stops, p[n]))
		n++;
	return n;
}

/* Items end at ',' or a line's end; '#' comments to the line's end. */
static int read_items(struct qr *q, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int ret = 0;

	while (p < end && !ret) {
		size_t n = span(p, end, ",\n#");
		const char *s = p;
		char *item;

		p += n;
		if (p < end && *p == '#')
			p += span(p, end, "\n");
		p += p < end;
		trim(&s, &n);
		if (!n)
			continue;
		item = strndup(s, n);
		ret = item ? read_item(q, item) : no_memory(q);
		free(item);
	}
	return ret;
}

int ksr_qemu_read(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		  struct ksr_config *cfg, char *err, size_t errlen)
{
	struct qr q = { .name = name, .err = err, .errlen = errlen, .rules = rules, .cfg = cfg };
	int ret = ksr_config_new(&q.done) ? no_memory(&q) : read_items(&q, text, len);

	if (!ret && q.others && ksr_config_keep(cfg, "properties", q.others))
		ret = no_memory(&q);
	free(q.others);
	ksr_config_free(q.done);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

/* A writer: the separator and whether anything was written yet. */
struct qw {
	FILE *out;
	const char *sep;
	bool any;
};

static void put(struct qw *w, const char *item)
{
	fprintf(w->out, "%s%s", w->any ? w->sep : "", item);
	w->any = true;
}

/* The properties of the fields of reg in value (all, or those that differ). */
static int write_reg(struct qw *w, const struct ksr_reg *reg, uint64_t value, unsigned int flags,
		     char *err, size_t errlen)
{
	uint64_t diff = value ^ reg->limit, named = 0;

	for (unsigned int i = 0; reg->name && i < reg->nr_fields; i++) {
		const struct ksr_field *f = &reg->fields[i];
		uint64_t mask = ksr_field_mask(f);
		char buf[160];

		if (!f->name)
			continue;
		named |= mask;
		if (!(diff & mask) && !(flags & KSR_CONFIG_EVERY_FIELD))
			continue;
		snprintf(buf, sizeof(buf), PREFIX "%s_%s=0x%" PRIx64, reg->name, f->name,
			 (value & mask) >> f->shift);
		put(w, buf);
	}
	if (diff & ~named)
		return ksr_fail(err, errlen, -EINVAL, "%s: bits 0x%016" PRIx64 " differ from the default outside the named fields: no SYSREG_ property says them",
				reg->name ? reg->name : reg->generic_name, diff & ~named);
	return 0;
}

/* The kept model name and other properties, then a property per field. */
static int write_all(struct qw *w, const struct ksr_config *cfg, const struct ksr_rules *rules,
		     unsigned int flags, char *err, size_t errlen)
{
	const char *cpu = ksr_config_kept_text(cfg, "cpu");
	const char *others = ksr_config_kept_text(cfg, "properties");
	uint64_t id, value;
	int ret = 0;

	if (cpu)
		put(w, cpu);
	for (const char *p = others; p && *p; p += *p == ',') {
		size_t n = strcspn(p, ",");

		fprintf(w->out, "%s%.*s", w->any ? w->sep : "", (int)n, p);
		w->any = true;
		p += n;
	}
	for (unsigned int i = 0; !ret && !ksr_config_entry_id(cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = ksr_rules_find_id(rules, id);
		char buf[24];

		if (reg && ksr_id_is_sysreg(id))
			ret = write_reg(w, reg, value, flags, err, errlen);
		else if (!reg || value != reg->limit)
			ret = ksr_fail(err, errlen, -EINVAL, "%s: %s: no SYSREG_ property says it",
				       reg ? reg->name : (ksr_id_text(id, buf, sizeof(buf)), buf),
				       reg ? "a firmware register" : "not a register of the rules");
	}
	return ret;
}

int ksr_qemu_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out,
		   unsigned int flags, bool lines, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	struct qw w = { .sep = lines ? "\n" : "," };
	int ret;

	if (!rules)
		return ksr_fail(err, errlen, -EINVAL, "SYSREG_ properties need the rules' register and field names");
	w.out = open_memstream(&buf, &len);
	if (!w.out)
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	ret = write_all(&w, cfg, rules, flags, err, errlen);
	if (w.any)
		fputc('\n', w.out);
	if (fclose(w.out) && !ret)
		ret = ksr_fail(err, errlen, -ENOMEM, "out of memory");
	if (!ret && fwrite(buf, 1, len, out) != len)
		ret = ksr_fail(err, errlen, -EIO, "write error");
	free(buf);
	return ret;
}
