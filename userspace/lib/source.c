// SPDX-License-Identifier: GPL-2.0
/*
 * Rule sources: one small ops table per kind. A profile file is one kind;
 * the live sources (live.c: the ioctl of a scratch VM; probe.c: trial
 * writes into one) are the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ksr_source *ksr_source_new(const struct ksr_source_ops *ops, void *priv)
{
	struct ksr_source *src = calloc(1, sizeof(*src));

	if (src) {
		src->ops = ops;
		src->priv = priv;
	}
	return src;
}

const char *ksr_source_kind(const struct ksr_source *src)
{
	return src->ops->kind;
}

const char *ksr_source_provider(const struct ksr_source *src)
{
	return src->provider;
}

const char *ksr_provider_from_name(const char *name)
{
	if (name && !strcmp(name, KSR_PROVIDER_KERNEL))
		return KSR_PROVIDER_KERNEL;
	if (name && !strcmp(name, KSR_PROVIDER_MODULE))
		return KSR_PROVIDER_MODULE;
	if (name && !strcmp(name, KSR_PROVIDER_PROBE))
		return KSR_PROVIDER_PROBE;
	return NULL;
}

int ksr_source_probe_stats(const struct ksr_source *src, struct ksr_probe_stats *stats)
{
	size_t size = stats->size;

	if (!src->probe_stats)
		return -ENOENT;
	if (size > sizeof(*stats))
		size = sizeof(*stats);
	memcpy(stats, src->probe_stats, size);
	stats->size = size;
	return 0;
}

int ksr_source_rules(struct ksr_source *src, struct ksr_rules **rules, char *err, size_t errlen)
{
	return src->ops->rules(src, rules, err, errlen);
}

int ksr_source_current(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value)
{
	return src->ops->current(src, reg, value);
}

int ksr_source_write(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value)
{
	if (!src->ops->write)
		return -EOPNOTSUPP;
	return src->ops->write(src, reg, value);
}

void ksr_source_close(struct ksr_source *src)
{
	if (!src)
		return;
	src->ops->close(src);
	free(src);
}

/* ---- a profile file: read once, copied out on each request ------------- */

int ksr_rules_copy(const struct ksr_rules *from, struct ksr_rules **out)
{
	struct ksr_rules *to = ksr_rules_alloc(from->nr_regs);
	unsigned int dup, dup_of;
	bool dup_is_name;

	if (!to || ksr_rules_set_meta(to, from->kernel, from->source, from->vcpu_features))
		goto nomem;
	to->provider = from->provider;
	for (unsigned int i = 0; i < from->nr_regs; i++) {
		const struct ksr_reg *a = &from->regs[i];
		struct ksr_reg *b = &to->regs[i];

		if (a->kind == KSR_REG_KIND_ID ? ksr_reg_init(b, a->enc, a->name, a->nr_fields) :
		    ksr_fw_reg_init(b, a->id, a->name, a->nr_fields, a->nr_values))
			goto nomem;
		b->kind = a->kind;
		b->id = a->id;
		if (a->nr_values)
			memcpy(b->values, a->values, a->nr_values * sizeof(*a->values));
		b->flags = a->flags;
		b->writable_mask = a->writable_mask;
		b->limit = a->limit;
		b->unfielded_mask = a->unfielded_mask;
		for (unsigned int j = 0; j < a->nr_fields; j++) {
			b->fields[j] = a->fields[j];
			b->fields[j].name = NULL;
			if (ksr_set_name(&b->fields[j].name, a->fields[j].name))
				goto nomem;
		}
	}
	if (from->origin && !(to->origin = strdup(from->origin)))
		goto nomem;
	if (ksr_rules_index(to, &dup, &dup_of, &dup_is_name))
		goto nomem;
	*out = to;
	return 0;
nomem:
	ksr_rules_free(to);
	return -ENOMEM;
}

static int profile_rules(struct ksr_source *src, struct ksr_rules **rules, char *err, size_t errlen)
{
	if (ksr_rules_copy(src->priv, rules))
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	return 0;
}

/* A profile has no VM: the current value of a register is its default. */
static int profile_current(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value)
{
	(void)src;
	*value = reg->limit;
	return 0;
}

static void profile_close(struct ksr_source *src)
{
	ksr_rules_free(src->priv);
}

static const struct ksr_source_ops profile_ops = {
	.kind = "profile",
	.rules = profile_rules,
	.current = profile_current,
	.close = profile_close,
};

int ksr_source_open_profile(struct ksr_source **src, const char *path, char *err, size_t errlen)
{
	struct ksr_rules *rules;
	int ret = ksr_profile_load(path, &rules, err, errlen);

	if (ret)
		return ret;
	*src = ksr_source_new(&profile_ops, rules);
	if (!*src) {
		ksr_rules_free(rules);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	(*src)->provider = rules->provider;
	return 0;
}
