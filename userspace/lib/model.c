// SPDX-License-Identifier: GPL-2.0
/*
 * The rules in memory: allocation, accessors, names. No kernel headers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int ksr_vfail(char *err, size_t errlen, int ret, const char *fmt, va_list ap)
{
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	return ret;
}

int ksr_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksr_vfail(err, errlen, ret, fmt, ap);
	va_end(ap);
	return ret;
}

int ksr_copy_opts(void *dst, size_t dst_size, const void *src)
{
	size_t size;

	memset(dst, 0, dst_size);
	*(size_t *)dst = dst_size;
	if (!src)
		return 0;
	size = *(const size_t *)src;
	if (size < sizeof(size_t))
		return -EINVAL;
	for (size_t i = dst_size; i < size; i++)
		if (((const unsigned char *)src)[i])
			return -E2BIG;
	memcpy(dst, src, size < dst_size ? size : dst_size);
	*(size_t *)dst = dst_size;
	return 0;
}

static const char *const rule_names[] = {
	[KSR_RULE_EXACT] = "EXACT",
	[KSR_RULE_LOWER_SAFE] = "LOWER_SAFE",
	[KSR_RULE_HIGHER_SAFE] = "HIGHER_SAFE",
	[KSR_RULE_HIGHER_OR_ZERO_SAFE] = "HIGHER_OR_ZERO_SAFE",
	[KSR_RULE_ANY] = "ANY",
};

const char *ksr_rule_type_name(enum ksr_rule_type type)
{
	return (unsigned int)type < ARRAY_SIZE(rule_names) ? rule_names[type] : NULL;
}

enum ksr_rule_type ksr_rule_type_from_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rule_names); i++)
		if (!strcmp(rule_names[i], name))
			return (enum ksr_rule_type)i;
	return KSR_RULE_UNKNOWN;
}

static const struct {
	unsigned int feature;
	const char *name;
} feature_names[] = {
	{ KSR_FEAT_PMU, "pmu" },
	{ KSR_FEAT_SVE, "sve" },
	{ KSR_FEAT_PAUTH, "pauth" },
	{ KSR_FEAT_PSCI_0_2, "psci-0.2" },
};

const char *ksr_feature_name(unsigned int feature)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (feature_names[i].feature == feature)
			return feature_names[i].name;
	return NULL;
}

unsigned int ksr_feature_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (!strcmp(feature_names[i].name, name))
			return feature_names[i].feature;
	return 0;
}

void ksr_encoding_generic_name(struct ksr_encoding e, char *buf, size_t len)
{
	snprintf(buf, len, "S%u_%u_C%u_C%u_%u", e.op0, e.op1, e.crn, e.crm, e.op2);
}

const char *ksr_encoding_name(struct ksr_encoding e, char *buf, size_t len)
{
	const char *name = ksr_encoding_known_name(e);

	if (name)
		return name;
	ksr_encoding_generic_name(e, buf, len);
	return buf;
}

uint64_t ksr_encoding_id(struct ksr_encoding e)
{
	if (!ksr_encoding_valid(e))
		return 0;
	return KSR_ID_SYSREG | (uint64_t)ksr_encoding_key(e);
}

int ksr_id_kind(uint64_t id)
{
	if (ksr_id_is_sysreg(id))
		return KSR_REG_KIND_ID;
	if (ksr_id_is_firmware(id))
		return KSR_REG_KIND_FIRMWARE;
	return -EINVAL;
}

unsigned int ksr_id_range_regs(struct ksr_encoding *encs, unsigned int max)
{
	unsigned int n = 0;

	for (uint8_t crm = 1; crm <= 7; crm++) {
		for (uint8_t op2 = 0; op2 <= 7; op2++, n++)
			if (n < max)
				encs[n] = (struct ksr_encoding){ 3, 0, 0, crm, op2 };
	}
	if (n < max)
		encs[n] = (struct ksr_encoding){ 3, 3, 0, 0, 1 };	/* CTR_EL0 */
	return n + 1;
}

void ksr_field_generic_name(unsigned int shift, unsigned int width, char *buf, size_t len)
{
	if (width == 1)
		snprintf(buf, len, "BIT%u", shift);
	else
		snprintf(buf, len, "BITS%u_%u", shift + width - 1, shift);
}

int ksr_reg_name_fields(struct ksr_reg *reg)
{
	char buf[16];

	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		struct ksr_field *f = &reg->fields[i];

		if (f->name)
			continue;
		ksr_field_generic_name(f->shift, f->width, buf, sizeof(buf));
		if (ksr_set_name(&f->name, buf))
			return -ENOMEM;
	}
	return 0;
}

struct ksr_rules *ksr_rules_alloc(unsigned int nr_regs)
{
	struct ksr_rules *rules = calloc(1, sizeof(*rules));

	if (!rules)
		return NULL;
	rules->regs = calloc(nr_regs ? nr_regs : 1, sizeof(*rules->regs));
	if (!rules->regs) {
		free(rules);
		return NULL;
	}
	rules->nr_regs = nr_regs;
	return rules;
}

int ksr_set_name(const char **dst, const char *name)
{
	char *copy = NULL;

	if (name) {
		copy = strdup(name);
		if (!copy)
			return -ENOMEM;
	}
	free((char *)*dst);
	*dst = copy;
	return 0;
}

int ksr_reg_init(struct ksr_reg *reg, struct ksr_encoding enc, const char *name,
		 unsigned int nr_fields)
{
	reg->enc = enc;
	reg->kind = KSR_REG_KIND_ID;
	reg->id = ksr_encoding_valid(enc) ? ksr_encoding_id(enc) : 0;
	ksr_encoding_generic_name(enc, reg->generic_name, sizeof(reg->generic_name));
	if (name && !strcmp(name, reg->generic_name))
		name = NULL;
	if (ksr_set_name(&reg->name, name))
		return -ENOMEM;
	reg->fields = calloc(nr_fields ? nr_fields : 1, sizeof(*reg->fields));
	if (!reg->fields)
		return -ENOMEM;
	reg->nr_fields = nr_fields;
	return 0;
}

int ksr_rules_set_meta(struct ksr_rules *rules, const char *kernel, const char *source,
		       unsigned int vcpu_features)
{
	rules->vcpu_features = vcpu_features;
	if (ksr_set_name((const char **)&rules->kernel, kernel) ||
	    ksr_set_name((const char **)&rules->source, source))
		return -ENOMEM;
	return 0;
}

static void drop_index(struct ksr_rules *rules);

void ksr_rules_free(struct ksr_rules *rules)
{
	if (!rules)
		return;
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		struct ksr_reg *reg = &rules->regs[i];

		for (unsigned int j = 0; reg->fields && j < reg->nr_fields; j++)
			free((char *)reg->fields[j].name);
		free(reg->fields);
		free(reg->values);
		free((char *)reg->name);
	}
	free(rules->regs);
	drop_index(rules);
	free(rules->origin);
	free(rules->kernel);
	free(rules->source);
	free(rules);
}

const char *ksr_rules_kernel(const struct ksr_rules *rules)
{
	return rules->kernel ? rules->kernel : "";
}

const char *ksr_rules_source(const struct ksr_rules *rules)
{
	return rules->source ? rules->source : "";
}

const char *ksr_rules_provider(const struct ksr_rules *rules)
{
	return rules->provider;
}

unsigned int ksr_rules_vcpu_features(const struct ksr_rules *rules)
{
	return rules->vcpu_features;
}

unsigned int ksr_rules_nr_regs(const struct ksr_rules *rules)
{
	return rules->nr_regs;
}

const struct ksr_reg *ksr_rules_reg(const struct ksr_rules *rules, unsigned int i)
{
	return i < rules->nr_regs ? &rules->regs[i] : NULL;
}

bool ksr_encoding_valid(struct ksr_encoding e)
{
	return e.op0 <= 3 && e.op1 <= 7 && e.crn <= 15 && e.crm <= 15 && e.op2 <= 7;
}

/*
 * Decimal digits at *p (at least one) into *v, capped: *range false once the
 * number passes max, however many digits follow. False without a digit.
 */
static bool parse_num(const char **p, unsigned int max, unsigned int *v, bool *range)
{
	const char *s = *p;

	*v = 0;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		*v = *v * 10 + (unsigned int)(*s - '0');
		if (*v > max) {
			*range = false;
			*v = max + 1;	/* stays small: no wrapping */
		}
	}
	*p = s;
	return true;
}

int ksr_parse_encoding(const char *text, struct ksr_encoding *enc)
{
	static const unsigned int max[5] = { 3, 7, 15, 15, 7 };
	/* What comes before each number: "op0,op1,CRn,CRm,op2" or "S0_1_C2_C3_4". */
	static const char *const seps[2][5] = {
		{ "", ",", ",", ",", "," },
		{ "S", "_", "_C", "_C", "_" },
	};
	const char *const *sep = seps[text[0] == 'S'];
	unsigned int v[5];
	bool range = true;
	const char *p = text;

	for (int i = 0; i < 5; i++) {
		size_t n = strlen(sep[i]);

		if (strncmp(p, sep[i], n))
			return -ENOENT;
		p += n;
		if (!parse_num(&p, max[i], &v[i], &range))
			return -ENOENT;
	}
	if (*p)
		return -ENOENT;
	if (!range)
		return -ERANGE;
	*enc = (struct ksr_encoding){ v[0], v[1], v[2], v[3], v[4] };
	return 0;
}

int ksr_parse_hex64(const char *text, uint64_t *value)
{
	uint64_t v = 0;
	size_t n;

	if (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2))
		text += 2;
	n = strspn(text, "0123456789abcdefABCDEF");
	if (!n || n > 16 || text[n])
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];

		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	*value = v;
	return 0;
}

/* ---- lookups: sorted indexes, binary search ---------------------------- */

/* Orders of registers i and j of rules: <0, 0 or >0. */
typedef int (*reg_cmp)(const struct ksr_rules *rules, unsigned int i, unsigned int j);

static int cmp_by_id(const struct ksr_rules *rules, unsigned int i, unsigned int j)
{
	uint64_t x = ksr_reg_id(&rules->regs[i]), y = ksr_reg_id(&rules->regs[j]);

	return x != y ? (x < y ? -1 : 1) : 0;
}

static int cmp_by_name(const struct ksr_rules *rules, unsigned int i, unsigned int j)
{
	return strcmp(ksr_reg_name(&rules->regs[i]), ksr_reg_name(&rules->regs[j]));
}

/* A stable merge sort of idx[0..n-1] (tmp: room for n): O(n log n), with a context. */
static void sort_index(const struct ksr_rules *rules, unsigned int *idx, unsigned int *tmp,
		       unsigned int n, reg_cmp cmp)
{
	unsigned int half = n / 2, i = 0, j = half, k = 0;

	if (n < 2)
		return;
	sort_index(rules, idx, tmp, half, cmp);
	sort_index(rules, idx + half, tmp, n - half, cmp);
	while (i < half && j < n)
		tmp[k++] = cmp(rules, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
	while (i < half)
		tmp[k++] = idx[i++];
	memcpy(idx, tmp, k * sizeof(*idx));
}

static void drop_index(struct ksr_rules *rules)
{
	free(rules->by_id);
	free(rules->by_name);
	rules->by_id = rules->by_name = NULL;
	rules->nr_index = 0;
}

/* The first register (by index) equal by cmp to an earlier one, in *dup. */
static void find_dup(const struct ksr_rules *rules, const unsigned int *idx, reg_cmp cmp,
		     bool is_name, unsigned int *dup, unsigned int *dup_of, bool *dup_is_name)
{
	/* Stable: equal registers are adjacent, in index order. */
	for (unsigned int k = 1; k < rules->nr_regs; k++) {
		if (cmp(rules, idx[k - 1], idx[k]) || idx[k] >= *dup)
			continue;
		*dup = idx[k];
		*dup_of = idx[k - 1];
		*dup_is_name = is_name;
	}
}

int ksr_rules_index(struct ksr_rules *rules, unsigned int *dup, unsigned int *dup_of,
		    bool *dup_is_name)
{
	unsigned int n = rules->nr_regs, *tmp;

	drop_index(rules);
	*dup = *dup_of = -1u;
	*dup_is_name = false;
	rules->by_id = malloc((n ? n : 1) * sizeof(unsigned int));
	rules->by_name = malloc((n ? n : 1) * sizeof(unsigned int));
	if (!rules->by_id || !rules->by_name) {
		drop_index(rules);
		return -ENOMEM;
	}
	tmp = malloc((n ? n : 1) * sizeof(unsigned int));
	if (!tmp) {
		drop_index(rules);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++)
		rules->by_id[i] = rules->by_name[i] = i;
	sort_index(rules, rules->by_id, tmp, n, cmp_by_id);
	sort_index(rules, rules->by_name, tmp, n, cmp_by_name);
	free(tmp);
	find_dup(rules, rules->by_id, cmp_by_id, false, dup, dup_of, dup_is_name);
	find_dup(rules, rules->by_name, cmp_by_name, true, dup, dup_of, dup_is_name);
	rules->nr_index = n;
	return 0;
}

static bool indexed(const struct ksr_rules *rules)
{
	return rules->by_id && rules->nr_index == rules->nr_regs;
}

const struct ksr_reg *ksr_rules_find_id(const struct ksr_rules *rules, uint64_t id)
{
	unsigned int lo = 0, hi = rules->nr_regs;

	if (!indexed(rules)) {
		for (unsigned int i = 0; i < rules->nr_regs; i++)
			if (ksr_reg_id(&rules->regs[i]) == id)
				return &rules->regs[i];
		return NULL;
	}
	/* The first of equal keys: the register a scan would find. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (ksr_reg_id(&rules->regs[rules->by_id[mid]]) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < rules->nr_regs && ksr_reg_id(&rules->regs[rules->by_id[lo]]) == id)
		return &rules->regs[rules->by_id[lo]];
	return NULL;
}

const struct ksr_reg *ksr_rules_find_encoding(const struct ksr_rules *rules,
					      struct ksr_encoding enc)
{
	if (!ksr_encoding_valid(enc))
		return NULL;
	return ksr_rules_find_id(rules, ksr_encoding_id(enc));
}

static const struct ksr_reg *find_name(const struct ksr_rules *rules, const char *name)
{
	unsigned int lo = 0, hi = rules->nr_regs;

	if (!indexed(rules)) {
		for (unsigned int i = 0; i < rules->nr_regs; i++)
			if (!strcmp(ksr_reg_name(&rules->regs[i]), name))
				return &rules->regs[i];
		return NULL;
	}
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (strcmp(ksr_reg_name(&rules->regs[rules->by_name[mid]]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < rules->nr_regs && !strcmp(ksr_reg_name(&rules->regs[rules->by_name[lo]]), name))
		return &rules->regs[rules->by_name[lo]];
	return NULL;
}

const struct ksr_reg *ksr_rules_find_reg(const struct ksr_rules *rules, const char *text)
{
	struct ksr_encoding enc;
	uint64_t id;
	int ret = ksr_parse_encoding(text, &enc);

	/* No name looks like an encoding or an id (profiles refuse them): never a name. */
	if (ret != -ENOENT)
		return ret ? NULL : ksr_rules_find_encoding(rules, enc);
	ret = ksr_parse_id(text, &id);
	if (ret != -ENOENT)
		return ret ? NULL : ksr_rules_find_id(rules, id);
	return find_name(rules, text);
}

const char *ksr_reg_name(const struct ksr_reg *reg)
{
	return reg->name ? reg->name : reg->generic_name;
}

struct ksr_encoding ksr_reg_encoding(const struct ksr_reg *reg)
{
	return reg->enc;
}

uint64_t ksr_reg_default(const struct ksr_reg *reg)
{
	return reg->limit;
}

uint64_t ksr_reg_writable_mask(const struct ksr_reg *reg)
{
	return reg->writable_mask;
}

uint64_t ksr_reg_unfielded_mask(const struct ksr_reg *reg)
{
	return reg->unfielded_mask;
}

unsigned int ksr_reg_flags(const struct ksr_reg *reg)
{
	return reg->flags;
}

unsigned int ksr_reg_nr_fields(const struct ksr_reg *reg)
{
	return reg->nr_fields;
}

const struct ksr_field *ksr_reg_field(const struct ksr_reg *reg, unsigned int i)
{
	return i < reg->nr_fields ? &reg->fields[i] : NULL;
}

const struct ksr_field *ksr_reg_find_field(const struct ksr_reg *reg, const char *name)
{
	for (unsigned int i = 0; i < reg->nr_fields; i++)
		if (reg->fields[i].name && !strcmp(reg->fields[i].name, name))
			return &reg->fields[i];
	return NULL;
}

const char *ksr_field_name(const struct ksr_field *f)
{
	return f->name;
}

unsigned int ksr_field_shift(const struct ksr_field *f)
{
	return f->shift;
}

unsigned int ksr_field_width(const struct ksr_field *f)
{
	return f->width;
}

enum ksr_rule_type ksr_field_rule(const struct ksr_field *f)
{
	return (enum ksr_rule_type)f->type;
}

enum ksr_rule_type ksr_field_host_rule(const struct ksr_field *f)
{
	return (enum ksr_rule_type)f->host_type;
}

unsigned int ksr_field_flags(const struct ksr_field *f)
{
	return f->flags;
}

uint64_t ksr_field_safe_val(const struct ksr_field *f)
{
	return f->safe_val;
}

uint64_t ksr_field_min(const struct ksr_field *f)
{
	return f->min_val;
}

void ksr_field_alias(const struct ksr_field *f, uint64_t *from, uint64_t *to)
{
	*from = f->alias_from;
	*to = f->alias_to;
}

uint16_t ksr_field_accepted(const struct ksr_field *f)
{
	return f->flags & KSR_FIELD_LEARNED ? f->accepted : 0;
}

uint64_t ksr_field_mask(const struct ksr_field *f)
{
	return (f->width >= 64 ? ~0ull : (1ull << f->width) - 1) << f->shift;
}

int64_t ksr_field_get(const struct ksr_field *f, uint64_t reg_value)
{
	uint64_t mask = ksr_field_mask(f) >> f->shift;
	uint64_t v = (reg_value >> f->shift) & mask;

	if ((f->flags & KSR_FIELD_SIGNED) && f->width < 64 && (v >> (f->width - 1)))
		v |= ~mask;
	return (int64_t)v;
}

/* ---- ids and kinds ------------------------------------------------------ */

void ksr_id_text(uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "0x%016" PRIx64, id);
}

int ksr_parse_id(const char *text, uint64_t *id)
{
	if (strncmp(text, "0x", 2) || strlen(text) != 18 ||
	    strspn(text + 2, "0123456789abcdefABCDEF") != 16 || ksr_parse_hex64(text, id))
		return -ENOENT;
	return ksr_id_is_sysreg(*id) || ksr_id_is_firmware(*id) ? 0 : -ERANGE;
}

enum ksr_reg_kind ksr_reg_kind(const struct ksr_reg *reg)
{
	return (enum ksr_reg_kind)reg->kind;
}

uint64_t ksr_reg_id(const struct ksr_reg *reg)
{
	return reg->kind == KSR_REG_KIND_FIRMWARE ? reg->id : ksr_encoding_id(reg->enc);
}

unsigned int ksr_reg_nr_values(const struct ksr_reg *reg)
{
	return reg->kind == KSR_REG_KIND_FIRMWARE ? reg->nr_values : 0;
}

int ksr_reg_value(const struct ksr_reg *reg, unsigned int i, uint64_t *value, uint64_t *reads_back)
{
	if (i >= ksr_reg_nr_values(reg))
		return -ERANGE;
	if (value)
		*value = reg->values[i].value;
	if (reads_back)
		*reads_back = reg->values[i].reads_back;
	return 0;
}
