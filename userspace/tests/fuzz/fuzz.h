/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer harnesses share (Documentation/robustness.rst,
 * "Fuzzing"): the entry point's prototype, a check that aborts (so that
 * libFuzzer and the replay unit test both see a failed round trip as a
 * crash), writing to memory, and the fixture rules the configuration and
 * batch harnesses resolve register names with.
 *
 * KSR_FIXTURES (the fixture directory) comes from the Makefile, as for the
 * unit tests. The harnesses are built twice: with clang and
 * -fsanitize=fuzzer (build/fuzz/) and, with LLVMFuzzerTestOneInput renamed
 * by -D, into the replay unit test test-fuzz-corpus (plain and sanitized).
 */
#ifndef KSR_FUZZ_H
#define KSR_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which and abort(), which libFuzzer reports as a crash. */
static void __attribute__((noreturn, format(printf, 2, 3), unused))
fuzz_fail(const char *where, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: %s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(#cond, __VA_ARGS__); \
	} while (0)

/*
 * An error message buffer filled with a pattern first: after a failed
 * call it must hold one NUL-terminated, non-empty message.
 */
#define FUZZ_ERR_SIZE 512
static inline void fuzz_err_reset(char *err)
{
	memset(err, 0x5a, FUZZ_ERR_SIZE);
}

static inline void fuzz_err_check(const char *what, const char *err, int ret)
{
	FUZZ_CHECK(ret < 0, "%s: returned %d, not a negative errno", what, ret);
	FUZZ_CHECK(memchr(err, '\0', FUZZ_ERR_SIZE), "%s: error message not NUL-terminated", what);
	FUZZ_CHECK(err[0], "%s: failed (%d) with an empty error message", what, ret);
}

/* What write(ctx, stream) writes, in memory (NUL-terminated); *len its length. */
static inline char *fuzz_written(int (*write)(const void *ctx, FILE *out), const void *ctx,
				 size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int ret;

	FUZZ_CHECK(f, "open_memstream failed");
	ret = write(ctx, f);
	FUZZ_CHECK(fclose(f) == 0, "closing the memory stream failed");
	FUZZ_CHECK(ret == 0, "writing to memory failed: %d", ret);
	return buf;
}

/* max.json of the fixtures, loaded once and kept (it names the registers). */
static inline const struct ksr_rules *fuzz_rules(void)
{
	static struct ksr_rules *rules;
	char err[FUZZ_ERR_SIZE];

	if (!rules && ksr_profile_load(KSR_FIXTURES "/max.json", &rules, err, sizeof(err)))
		fuzz_fail("fuzz_rules", "%s", err);
	return rules;
}

struct fuzz_written_config {
	const struct ksr_config *cfg;
	const struct ksr_rules *rules;
	unsigned int flags;
};

static inline int fuzz_write_config(const void *ctx, FILE *out)
{
	const struct fuzz_written_config *w = ctx;

	return ksr_config_write(w->cfg, w->rules, out, w->flags);
}

static inline void fuzz_same_config(const struct ksr_config *a, const struct ksr_config *b,
				    const char *text)
{
	FUZZ_CHECK(ksr_config_nr(a) == ksr_config_nr(b), "%u registers written, %u read back:\n%s",
		   ksr_config_nr(a), ksr_config_nr(b), text);
	/* By id: firmware registers have no encoding */
	for (unsigned int i = 0; i < ksr_config_nr(a); i++) {
		uint64_t ia, ib, va, vb;

		FUZZ_CHECK(!ksr_config_entry_id(a, i, &ia, &va) && !ksr_config_entry_id(b, i, &ib, &vb),
			   "ksr_config_entry_id(%u) failed", i);
		FUZZ_CHECK(ia == ib && va == vb,
			   "register %u: 0x%016llx = 0x%llx written, 0x%016llx = 0x%llx read back:\n%s",
			   i, (unsigned long long)ia, (unsigned long long)va, (unsigned long long)ib,
			   (unsigned long long)vb, text);
	}
}

/*
 * cfg written with ksr_config_write(flags) (names from rules) reads back
 * with read_rules to the same registers and values, and writes the same text.
 */
static inline void fuzz_config_roundtrip(const struct ksr_config *cfg, const struct ksr_rules *rules,
					 unsigned int flags, const struct ksr_rules *read_rules)
{
	struct fuzz_written_config w = { cfg, rules, flags };
	struct ksr_config *again = NULL;
	char err[FUZZ_ERR_SIZE], *text, *text2;
	size_t len, len2;
	int ret;

	text = fuzz_written(fuzz_write_config, &w, &len);
	fuzz_err_reset(err);
	ret = ksr_config_parse(text, len, "written", read_rules, &again, err, sizeof(err));
	FUZZ_CHECK(!ret, "what ksr_config_write(flags %#x) wrote does not read back (%d): %s\n%s",
		   flags, ret, err, text);
	fuzz_same_config(cfg, again, text);
	w.cfg = again;
	text2 = fuzz_written(fuzz_write_config, &w, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(text, text2, len),
		   "written, read back and written again (flags %#x), the text changed:\n%s\n---\n%s",
		   flags, text, text2);
	free(text2);
	free(text);
	ksr_config_free(again);
}

#endif
