// SPDX-License-Identifier: GPL-2.0
/*
 * The values of a field KVM accepts, found by asking the predictor about
 * each one (never by reading the rule a second way), kept as runs in the
 * field's order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int64_t ksr_bits_order(uint64_t raw, unsigned int width, bool is_signed)
{
	if (is_signed && width < 64 && (raw >> (width - 1)) & 1)
		raw |= ~0ull << width;
	return (int64_t)raw;
}

uint64_t ksr_order_bits(int64_t v, unsigned int width)
{
	return width >= 64 ? (uint64_t)v : (uint64_t)v & ((1ull << width) - 1);
}

struct ksr_values *ksr_values_alloc(unsigned int cap)
{
	struct ksr_values *vals = calloc(1, sizeof(*vals));

	if (vals && !(vals->r = calloc(cap ? cap : 1, sizeof(*vals->r)))) {
		free(vals);
		return NULL;
	}
	return vals;
}

/* Appends v, which must be greater than every value already in. */
void ksr_values_append(struct ksr_values *vals, int64_t v)
{
	if (vals->nr && vals->r[vals->nr - 1].hi == v - 1)
		vals->r[vals->nr - 1].hi = v;
	else
		vals->r[vals->nr++] = (struct ksr_range){ v, v };
	vals->count++;
}

int ksr_bits_values(const struct ksr_reg *reg, unsigned int shift, unsigned int width, bool is_signed,
		    uint64_t background, struct ksr_values **out)
{
	uint64_t n, mask;
	struct ksr_values *vals;

	if (!width || width > KSR_VALUES_MAX_WIDTH || shift + width > 64)
		return -E2BIG;
	n = 1ull << width;
	mask = (n - 1) << shift;
	/* Runs alternate at worst: at most n / 2 + 1 of them. */
	vals = ksr_values_alloc((unsigned int)(n / 2 + 1));
	if (!vals)
		return -ENOMEM;
	/* In the field's order: for signed fields the negative values first. */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw = is_signed ? (i + n / 2) & (n - 1) : i;
		struct ksr_verdict v;

		ksr_predict(reg, (background & ~mask) | (raw << shift), reg->limit, &v);
		if (v.accept)
			ksr_values_append(vals, ksr_bits_order(raw, width, is_signed));
	}
	*out = vals;
	return 0;
}

int ksr_field_values(const struct ksr_reg *reg, const struct ksr_field *f, uint64_t background,
		     struct ksr_values **vals)
{
	return ksr_bits_values(reg, f->shift, f->width, f->flags & KSR_FIELD_SIGNED, background, vals);
}

int ksr_reg_values_accepted(const struct ksr_reg *reg, struct ksr_values **vals)
{
	*vals = NULL;
	if (!ksr_reg_is_value_list(reg))
		return -EINVAL;
	return ksr_reg_candidates_accepted(reg, NULL, 0, vals);
}

void ksr_values_free(struct ksr_values *vals)
{
	if (!vals)
		return;
	free(vals->r);
	free(vals);
}

uint64_t ksr_values_count(const struct ksr_values *vals)
{
	return vals->count;
}

unsigned int ksr_values_nr_ranges(const struct ksr_values *vals)
{
	return vals->nr;
}

int ksr_values_range(const struct ksr_values *vals, unsigned int i, int64_t *lo, int64_t *hi)
{
	if (i >= vals->nr)
		return -ERANGE;
	*lo = vals->r[i].lo;
	*hi = vals->r[i].hi;
	return 0;
}

bool ksr_values_contains(const struct ksr_values *vals, int64_t v)
{
	for (unsigned int i = 0; i < vals->nr; i++)
		if (v >= vals->r[i].lo && v <= vals->r[i].hi)
			return true;
	return false;
}

int ksr_values_format(const struct ksr_values *vals, char *buf, size_t len)
{
	size_t at = 0;
	int n;

	if (!vals->nr)
		return snprintf(buf, len, "none");
	if (len)
		buf[0] = '\0';
	for (unsigned int i = 0; i < vals->nr; i++) {
		const struct ksr_range *r = &vals->r[i];
		char one[48];

		if (r->lo == r->hi)
			snprintf(one, sizeof(one), "%s%" PRId64, i ? "," : "", r->lo);
		else
			/* "lo..hi", which reads for negative bounds too: "-8..-1" */
			snprintf(one, sizeof(one), "%s%" PRId64 "..%" PRId64, i ? "," : "", r->lo,
				 r->hi);
		n = (int)strlen(one);
		if (at + (size_t)n < len)
			memcpy(buf + at, one, (size_t)n + 1);
		else if (at < len)
			buf[at] = '\0';
		at += (size_t)n;
	}
	return (int)at;
}

int ksr_values_intersect(const struct ksr_values *a, const struct ksr_values *b,
			 struct ksr_values **out)
{
	struct ksr_values *c = ksr_values_alloc(a->nr + b->nr);
	unsigned int i = 0, j = 0;

	if (!c)
		return -ENOMEM;
	while (i < a->nr && j < b->nr) {
		int64_t lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
		int64_t hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;

		if (lo <= hi) {
			c->r[c->nr++] = (struct ksr_range){ lo, hi };
			c->count += (uint64_t)(hi - lo) + 1;
		}
		if (a->r[i].hi < b->r[j].hi)
			i++;
		else
			j++;
	}
	*out = c;
	return 0;
}

bool ksr_values_closest(const struct ksr_values *vals, int64_t want, int64_t *got)
{
	bool below = false;

	for (unsigned int i = 0; i < vals->nr; i++) {
		if (vals->r[i].lo > want) {
			if (!below)
				*got = vals->r[i].lo;
			return true;
		}
		*got = vals->r[i].hi < want ? vals->r[i].hi : want;
		below = true;
	}
	return below;
}

bool ksr_values_max(const struct ksr_values *vals, int64_t *max)
{
	if (!vals->nr)
		return false;
	*max = vals->r[vals->nr - 1].hi;
	return true;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int ksr_reg_candidates_accepted(const struct ksr_reg *reg, const uint64_t *extra,
				unsigned int nr_extra, struct ksr_values **out)
{
	unsigned int n = 0, max = reg->nr_values + nr_extra + 1;
	uint64_t *c = calloc(max, sizeof(*c));
	struct ksr_values *vals = ksr_values_alloc(max);

	if (!c || !vals) {
		free(c);
		ksr_values_free(vals);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < reg->nr_values; i++)
		c[n++] = reg->values[i].value;
	for (unsigned int i = 0; i < nr_extra; i++)
		c[n++] = extra[i];
	c[n++] = reg->limit;
	qsort(c, n, sizeof(*c), u64_cmp);
	for (unsigned int i = 0; i < n; i++) {
		struct ksr_verdict v;

		if ((i && c[i] == c[i - 1]) || c[i] > INT64_MAX)
			continue;
		ksr_predict(reg, c[i], reg->limit, &v);
		if (v.accept)
			ksr_values_append(vals, (int64_t)c[i]);
	}
	free(c);
	*out = vals;
	return 0;
}
