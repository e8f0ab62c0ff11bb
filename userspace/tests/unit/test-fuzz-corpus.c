// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzers' regression corpus: every file of
 * userspace/tests/fuzz/regressions/HARNESS/ (inputs that once crashed a
 * harness, or that a harness must keep handling) fed through that
 * harness's LLVMFuzzerTestOneInput, built here without libFuzzer (renamed
 * ksr_fuzz_HARNESS by -D, Makefile) with gcc, plain and with ASan+UBSan.
 * A harness abort()s on a broken invariant, which fails this program. An
 * empty or absent directory is 0 inputs, and passes.
 *
 * KSR_FUZZ_REGRESSIONS in the environment names another directory (with
 * the same HARNESS/ subdirectories) to replay instead.
 */
#include <dirent.h>
#include <stdint.h>

#include "unit.h"

int ksr_fuzz_profile(const uint8_t *data, size_t size);
int ksr_fuzz_config(const uint8_t *data, size_t size);
int ksr_fuzz_batch(const uint8_t *data, size_t size);

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Regular files only, not dot files nor a README: the inputs. */
static int is_input(const struct dirent *e)
{
	return e->d_name[0] != '.' && strncmp(e->d_name, "README", 6);
}

static void replay(const char *harness, int (*entry)(const uint8_t *data, size_t size))
{
	const char *top = getenv("KSR_FUZZ_REGRESSIONS") ?: KSR_FUZZ_REGRESSIONS;
	struct dirent **names = NULL;
	char dir[4096], path[4096 + 256];
	int n;

	snprintf(dir, sizeof(dir), "%s/%s", top, harness);
	n = scandir(dir, &names, is_input, by_name);
	if (n < 0) {
		print_message("# %s: %s: no such directory: 0 inputs\n", harness, dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t len;
		char *data;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		/* named before it runs: a harness that aborts says nothing more */
		print_message("# %s: %s\n", harness, names[i]->d_name);
		data = slurp(path, &len);
		assert_int_equal(entry((const uint8_t *)data, len), 0);
		free(data);
		free(names[i]);
	}
	free(names);
	print_message("# %s: %d input%s replayed from %s\n", harness, n, n == 1 ? "" : "s", dir);
}

static void test_profile_regressions(void **state)
{
	(void)state;
	replay("profile", ksr_fuzz_profile);
}

static void test_config_regressions(void **state)
{
	(void)state;
	replay("config", ksr_fuzz_config);
}

static void test_batch_regressions(void **state)
{
	(void)state;
	replay("batch", ksr_fuzz_batch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_regressions),
		cmocka_unit_test(test_config_regressions),
		cmocka_unit_test(test_batch_regressions),
	};

	return cmocka_run_group_tests_name("fuzz-corpus", tests, NULL, NULL);
}
