// SPDX-License-Identifier: GPL-2.0
/*
 * The rules in memory: allocation, accessors, names. No kernel headers.
 */
#include <errno.h>
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

void ksr_rules_free(struct ksr_rules *rules)
{
	if (!rules)
		return;
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		struct ksr_reg *reg = &rules->regs[i];

		for (unsigned int j = 0; reg->fields && j < reg->nr_fields; j++)
			free((char *)reg->fields[j].name);
		free(reg->fields);
		free((char *)reg->name);
	}
	free(rules->regs);
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

static bool same_encoding(struct ksr_encoding a, struct ksr_encoding b)
{
	return a.op0 == b.op0 && a.op1 == b.op1 && a.crn == b.crn && a.crm == b.crm &&
	       a.op2 == b.op2;
}

const struct ksr_reg *ksr_rules_find_encoding(const struct ksr_rules *rules,
					      struct ksr_encoding enc)
{
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		if (same_encoding(rules->regs[i].enc, enc))
			return &rules->regs[i];
	return NULL;
}

const struct ksr_reg *ksr_rules_find_reg(const struct ksr_rules *rules, const char *text)
{
	unsigned int op0, op1, crn, crm, op2;
	char tail;

	if (sscanf(text, "%u,%u,%u,%u,%u%c", &op0, &op1, &crn, &crm, &op2, &tail) == 5) {
		if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7)
			return NULL;
		return ksr_rules_find_encoding(rules, (struct ksr_encoding){ op0, op1, crn, crm, op2 });
	}
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		if (!strcmp(ksr_reg_name(&rules->regs[i]), text))
			return &rules->regs[i];
	return NULL;
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
