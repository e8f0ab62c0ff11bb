// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the input parser of `kvm-safe-rules check --batch`,
 * cli_read_queries() of userspace/cli/batch.c, compiled into this file
 * (#include: the fuzzing build links the library only) with its messages
 * sent to /dev/null (stderr is redefined for it alone). The rules are the
 * fixture max.json's, as with `check --batch --profile max.json`.
 *
 * Every query read is predicted as check prints it (ksr_predict() against
 * the profile's default). The round trip: the queries written back as
 * "NAME 0x%016x" lines (what ksr_config_write() writes) read back to the
 * same registers and values; anything else abort()s.
 *
 * Input the batch reads must also read as a configuration
 * (ksr_config_parse(), whose lines are documented as "as check --batch
 * reads them") to the same values (issue 11: the batch took values the
 * configuration refused; regressions/batch/ keeps those inputs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

/* batch.c's messages: formatted as in the CLI, but not shown */
static FILE *fuzz_quiet;
#undef stderr
#define stderr fuzz_quiet
#include "../../cli/batch.c"
#undef stderr
#define stderr stderr

/* cli_read_queries() of size bytes; CLI_BAD for input it refuses. */
static int read_text(const char *text, size_t size, const struct ksr_rules *rules,
		     struct cli_query **q, size_t *n)
{
	FILE *in;
	int ret;

	*q = NULL;
	*n = 0;
	/* fmemopen() refuses a size of 0 on some C libraries: an empty stream instead */
	in = size ? fmemopen((void *)text, size, "r") : fopen("/dev/null", "r");
	FUZZ_CHECK(in, "opening the input stream failed");
	ret = cli_read_queries(in, "fuzz", rules, q, n);
	fclose(in);
	return ret;
}

/* What check --batch accepted, the configuration reader reads the same. */
static void pending(const char *text, size_t size, const struct ksr_rules *rules,
		    const struct cli_query *q, size_t n)
{
	struct ksr_config *cfg = NULL;
	char err[FUZZ_ERR_SIZE];
	uint64_t value;
	int ret;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (q[i].reg == q[j].reg)
				return;	/* a batch may ask twice, a configuration may not */
	fuzz_err_reset(err);
	ret = ksr_config_parse(text, size, "fuzz", rules, &cfg, err, sizeof(err));
	FUZZ_CHECK(!ret, "check --batch reads it, ksr_config_parse() does not: %s", err);
	FUZZ_CHECK(ksr_config_nr(cfg) == n, "%zu queries, %u registers", n, ksr_config_nr(cfg));
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(!ksr_config_find_id(cfg, ksr_reg_id(q[i].reg), &value) &&
			   value == q[i].value, "%s: 0x%016" PRIx64 " in the batch, 0x%016" PRIx64
			   " in the configuration", q[i].reg_text, q[i].value, value);
	ksr_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ksr_rules *rules = fuzz_rules();
	struct cli_query *q, *again;
	size_t n, n2, len;
	char *text = NULL;
	FILE *out;
	int ret;

	if (!fuzz_quiet) {
		fuzz_quiet = fopen("/dev/null", "w");
		FUZZ_CHECK(fuzz_quiet, "opening /dev/null failed");
	}
	ret = read_text((const char *)data, size, rules, &q, &n);
	if (ret) {
		FUZZ_CHECK(ret == CLI_BAD, "cli_read_queries() returned %d", ret);
		FUZZ_CHECK(!q && !n, "queries returned on failure");
		return 0;
	}
	FUZZ_CHECK(n == 0 || q, "%zu queries but no array", n);
	pending((const char *)data, size, rules, q, n);

	/* what check prints for each, and the queries as lines */
	out = open_memstream(&text, &len);
	FUZZ_CHECK(out, "open_memstream failed");
	for (size_t i = 0; i < n; i++) {
		struct ksr_verdict v;

		FUZZ_CHECK(q[i].reg && q[i].reg_text, "query %zu without its register", i);
		ksr_predict(q[i].reg, q[i].value, ksr_reg_default(q[i].reg), &v);
		FUZZ_CHECK(v.nr_faults <= KSR_MAX_FAULTS, "%u faults", v.nr_faults);
		for (unsigned int j = 0; j < v.nr_faults; j++)
			(void)ksr_reason_name(v.faults[j].reason);
		fprintf(out, "%s 0x%016" PRIx64 "\n", ksr_reg_name(q[i].reg), q[i].value);
	}
	FUZZ_CHECK(fclose(out) == 0, "closing the memory stream failed");

	/* round trip: the same registers and values */
	ret = read_text(text, len, rules, &again, &n2);
	FUZZ_CHECK(!ret, "the queries written as lines do not read back:\n%s", text);
	FUZZ_CHECK(n2 == n, "%zu queries written, %zu read back:\n%s", n, n2, text);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(again[i].reg == q[i].reg && again[i].value == q[i].value,
			   "query %zu: %s 0x%016" PRIx64 " written, %s 0x%016" PRIx64 " read back",
			   i, ksr_reg_name(q[i].reg), q[i].value, ksr_reg_name(again[i].reg),
			   again[i].value);
	cli_free_queries(again, n2);
	cli_free_queries(q, n);
	free(text);
	return 0;
}
