// SPDX-License-Identifier: GPL-2.0
/*
 * Samples: median and range, and the raw values as JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "samples.h"

void samples_add(struct bench_samples *s, double value)
{
	if (s->n >= BENCH_MAX_SAMPLES)
		bench_fail("more than %d samples", BENCH_MAX_SAMPLES);
	s->v[s->n++] = value;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double samples_median(const struct bench_samples *s)
{
	double sorted[BENCH_MAX_SAMPLES];

	if (!s->n)
		bench_fail("median of no samples");
	memcpy(sorted, s->v, s->n * sizeof(double));
	qsort(sorted, s->n, sizeof(double), cmp_double);
	if (s->n % 2)
		return sorted[s->n / 2];
	return (sorted[s->n / 2 - 1] + sorted[s->n / 2]) / 2;
}

double samples_min(const struct bench_samples *s)
{
	double m = s->n ? s->v[0] : 0;

	for (unsigned int i = 1; i < s->n; i++)
		if (s->v[i] < m)
			m = s->v[i];
	return m;
}

double samples_max(const struct bench_samples *s)
{
	double m = s->n ? s->v[0] : 0;

	for (unsigned int i = 1; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}

void samples_json(const struct bench_samples *s, FILE *out)
{
	fputc('[', out);
	for (unsigned int i = 0; i < s->n; i++)
		fprintf(out, "%s%.9g", i ? "," : "", s->v[i]);
	fputc(']', out);
}
