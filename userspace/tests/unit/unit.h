/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the host unit tests (cmocka): the fixture profiles the
 * expectations are derived from. KSR_FIXTURES (the fixture directory) and
 * KSR_CLI (the host CLI of the same build) come from the Makefile.
 */
#ifndef KSR_UNIT_H
#define KSR_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <cmocka.h>

#include "internal.h"

/* The fixture profiles, sorted: paths[0..n-1]; freed with globfree(). */
static inline size_t fixture_paths(glob_t *g)
{
	assert_int_equal(glob(KSR_FIXTURES "/*.json", 0, NULL, g), 0);
	/* make fixtures captures the 7 CPU models of make test. */
	assert_int_equal(g->gl_pathc, 7);
	return g->gl_pathc;
}

static inline struct ksr_rules *load(const char *path)
{
	struct ksr_rules *rules = NULL;
	char err[512];
	int ret = ksr_profile_load(path, &rules, err, sizeof(err));

	if (ret)
		fail_msg("%s", err);
	assert_non_null(rules);
	return rules;
}

/* The whole file, NUL-terminated; *len without the NUL. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/*
 * A profile file as the library writes it back: a kvm-safe-rules/v1
 * fixture is read and written as kvm-safe-rules/v2, the same bytes but
 * for the schema's version (the same length).
 */
static inline char *slurp_as_v2(const char *path, size_t *len)
{
	static const char v1[] = "\"kvm-safe-rules/v1\"";
	char *text = slurp(path, len), *schema = strstr(text, v1);

	if (schema)
		schema[strlen(v1) - 2] = '2';
	return text;
}

/* The profile written to memory (ksr_profile_write()). */
static inline char *written(const struct ksr_rules *rules, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(ksr_profile_write(rules, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static inline uint64_t with_field(const struct ksr_field *f, uint64_t reg, uint64_t raw)
{
	return (reg & ~ksr_field_mask(f)) | ((raw << f->shift) & ksr_field_mask(f));
}

static inline uint64_t field_raw(const struct ksr_field *f, uint64_t reg)
{
	return (reg & ksr_field_mask(f)) >> f->shift;
}

/* Every fixture loaded, in fixture_paths() order; returns how many (7). */
static inline size_t load_all(struct ksr_rules **rules, glob_t *g)
{
	size_t n = fixture_paths(g);

	for (size_t i = 0; i < n; i++)
		rules[i] = load(g->gl_pathv[i]);
	return n;
}

static inline void free_all(struct ksr_rules **rules, size_t n, glob_t *g)
{
	for (size_t i = 0; i < n; i++)
		ksr_rules_free(rules[i]);
	globfree(g);
}

/* The fixture of this model, e.g. "cortex-a57". */
static inline struct ksr_rules *model(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.json", KSR_FIXTURES, name);
	return load(path);
}

/* The same registers with the same values. */
static inline bool config_same(const struct ksr_config *a, const struct ksr_config *b)
{
	uint64_t ia, ib, va, vb;
	unsigned int i;

	if (ksr_config_nr(a) != ksr_config_nr(b))
		return false;
	for (i = 0; !ksr_config_entry_id(a, i, &ia, &va); i++)
		if (ksr_config_entry_id(b, i, &ib, &vb) || ia != ib || va != vb)
			return false;
	return i == ksr_config_nr(a);
}

/* text read in format over rules (named "t" in messages); fails the test on error. */
static inline struct ksr_config *parse_or_fail(const char *text, const struct ksr_rules *rules,
					       enum ksr_config_format format)
{
	struct ksr_config *cfg = NULL;
	char err[512];

	if (ksr_config_parse_format(text, strlen(text), "t", rules, format, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	return cfg;
}

/* The i-th finding of a report. */
static inline struct ksr_finding finding(const struct ksr_report *rep, unsigned int i)
{
	struct ksr_finding f = { .size = sizeof(f) };

	assert_int_equal(ksr_report_get(rep, i, &f), 0);
	return f;
}

/* Does the predictor accept v on reg (at its defaults)? */
static inline bool accepts(const struct ksr_reg *reg, uint64_t v)
{
	struct ksr_verdict verdict;

	ksr_predict(reg, v, reg->limit, &verdict);
	return verdict.accept;
}

/* Removes the last register of rules (freeing what it owns). */
static inline void drop_last_reg(struct ksr_rules *rules)
{
	struct ksr_reg *reg = &rules->regs[--rules->nr_regs];

	for (unsigned int j = 0; j < reg->nr_fields; j++)
		free((char *)reg->fields[j].name);
	free(reg->fields);
	free(reg->values);
	free((char *)reg->name);
}

/*
 * The QEMU form ksr_config_detect_format() gives a text of QEMU properties,
 * as documented: a -cpu string when a line has a comma outside a comment,
 * else one property per line.
 */
static inline enum ksr_config_format qemu_form(const char *text)
{
	for (const char *line = text; *line; line += strcspn(line, "\n") + !!line[strcspn(line, "\n")]) {
		size_t n = strcspn(line, "\n#");

		if (memchr(line, ',', n))
			return KSR_CONFIG_FORMAT_QEMU;
	}
	return KSR_CONFIG_FORMAT_QEMU_LINES;
}

#endif
