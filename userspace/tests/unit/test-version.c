// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_version(): "MAJOR.MINOR.PATCH", the first two the header's
 * KSR_VERSION_MAJOR and KSR_VERSION_MINOR (the Makefile's LIB_VERSION is
 * passed to the library; the header is written by hand).
 */
#include "unit.h"

static void test_version_is_the_headers(void **state)
{
	const char *v = ksr_version();
	unsigned int major, minor, patch;
	int end = -1;

	(void)state;
	assert_non_null(v);
	assert_int_equal(sscanf(v, "%u.%u.%u%n", &major, &minor, &patch, &end), 3);
	assert_int_equal((size_t)end, strlen(v));
	assert_int_equal(major, KSR_VERSION_MAJOR);
	assert_int_equal(minor, KSR_VERSION_MINOR);
	/* The same string each time: a constant, not a buffer. */
	assert_ptr_equal(ksr_version(), v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_is_the_headers),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
