/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Samples of one measured quantity (e.g. nanoseconds per call, one per
 * repeat): their median and range for the program's own summary, and the
 * raw values for the runner (bench/run), which computes the published
 * figures from them.
 */
#ifndef KSR_BENCH_SAMPLES_H
#define KSR_BENCH_SAMPLES_H

#include <stdio.h>

#define BENCH_MAX_SAMPLES 256

struct bench_samples {
	unsigned int n;
	double v[BENCH_MAX_SAMPLES];
};

/* Appends a value; fails the benchmark when full. */
void samples_add(struct bench_samples *s, double value);
double samples_median(const struct bench_samples *s);
double samples_min(const struct bench_samples *s);
double samples_max(const struct bench_samples *s);
/* The values as a JSON array: [1.5,2,...] */
void samples_json(const struct bench_samples *s, FILE *out);

#endif
