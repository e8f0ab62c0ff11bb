// SPDX-License-Identifier: GPL-2.0
/*
 * Load and save: each of the 7 fixtures (dump --json output of real KVM)
 * read and written again is the same file, byte for byte; saving goes
 * through a temporary file and leaves nothing else behind. The optional
 * "provider" is kept when there, and absent when not. "/" is written plain.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static void test_write_reproduces_every_fixture(void **state)
{
	glob_t g;

	(void)state;
	for (size_t p = 0, nr = fixture_paths(&g); p < nr; p++) {
		struct ksr_rules *rules = load(g.gl_pathv[p]), *again = NULL;
		size_t len, out_len;
		char *text = slurp_as_v2(g.gl_pathv[p], &len), *out = written(rules, &out_len), err[256];

		assert_int_equal(out_len, len);
		assert_memory_equal(out, text, len);
		/* and what was written reads back to the same again */
		assert_int_equal(ksr_profile_parse(out, out_len, "written", &again, err, sizeof(err)), 0);
		free(out);
		out = written(again, &out_len);
		assert_memory_equal(out, text, len);
		free(out);
		free(text);
		ksr_rules_free(again);
		ksr_rules_free(rules);
	}
	globfree(&g);
}

/*
 * text with each field's "name": null as the library writes it: the name
 * of its bits, "BIT<n>" or "BITS<hi>_<lo>" (Documentation/profile-format.rst);
 * *len updated. Counts them in *nr.
 */
static char *named(char *text, size_t *len, unsigned int *nr)
{
	static const char null_name[] = "\"name\": null,";
	char *out, *at = text, *hit;
	FILE *f = open_memstream(&out, len);

	assert_non_null(f);
	for (*nr = 0; (hit = strstr(at, null_name)); (*nr)++) {
		unsigned int shift, width;

		assert_int_equal(sscanf(hit + strlen(null_name), " \"shift\": %u, \"width\": %u",
					&shift, &width), 2);
		fwrite(at, 1, (size_t)(hit - at), f);
		if (width == 1)
			fprintf(f, "\"name\": \"BIT%u\",", shift);
		else
			fprintf(f, "\"name\": \"BITS%u_%u\",", shift + width - 1, shift);
		at = hit + strlen(null_name);
	}
	fputs(at, f);
	assert_int_equal(fclose(f), 0);
	free(text);
	return out;
}

/*
 * A profile captured with the first version of the series (host_rule on
 * retyped fields, fields listed for RAZ registers, CTR_EL0 bit 31 without
 * a name) still reads, and writes back the same but for that name.
 */
static void test_series_v1_profile(void **state)
{
	const char *path = KSR_FIXTURES "/../compat/max-series-v1.json";
	struct ksr_rules *rules = load(path);
	unsigned int retyped = 0, unnamed;
	size_t len, out_len;
	char *text = slurp_as_v2(path, &len), *out = written(rules, &out_len);

	(void)state;
	text = named(text, &len, &unnamed);
	assert_int_equal(unnamed, 1);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	for (unsigned int r = 0; r < rules->nr_regs; r++)
		for (unsigned int i = 0; i < rules->regs[r].nr_fields; i++)
			retyped += !!(rules->regs[r].fields[i].flags & KSR_FIELD_RETYPED);
	assert_int_equal(retyped, 3);
	free(out);
	free(text);
	ksr_rules_free(rules);
}

/* "probe" on a field and on a register is written, and read back. */
static void test_probe_flags(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json"), *again = NULL;
	struct ksr_reg *reg = &rules->regs[0];
	size_t out_len;
	char *out, err[256];

	(void)state;
	for (unsigned int r = 0; !reg->nr_fields; r++)
		reg = &rules->regs[r];
	reg->flags |= KSR_REG_PROBE;
	reg->fields[0].flags |= KSR_FIELD_PROBE;
	out = written(rules, &out_len);
	assert_non_null(strstr(out, "\"probe\": true"));
	assert_int_equal(ksr_profile_parse(out, out_len, "written", &again, err, sizeof(err)), 0);
	for (unsigned int r = 0; r < again->nr_regs; r++) {
		const struct ksr_reg *a = &again->regs[r], *b = &rules->regs[r];

		assert_int_equal(a->flags, b->flags);
		for (unsigned int i = 0; i < a->nr_fields; i++)
			assert_int_equal(a->fields[i].flags, b->fields[i].flags);
	}
	free(out);
	ksr_rules_free(again);
	ksr_rules_free(rules);
}

/*
 * max.json with "provider": provider after "source", as the writer places
 * it, instead of the fixture's own (NULL: with none).
 */
static char *with_provider(const char *provider, size_t *len)
{
	static const char after[] = "  \"source\": \"ioctl\",\n";
	size_t text_len, at, skip = 0;
	char *text = slurp_as_v2(KSR_FIXTURES "/max.json", &text_len), *pos = strstr(text, after), *out;
	FILE *f = open_memstream(&out, len);

	assert_non_null(pos);
	assert_non_null(f);
	at = (size_t)(pos - text) + strlen(after);
	if (!strncmp(text + at, "  \"provider\": \"", strlen("  \"provider\": \"")))
		skip = (size_t)(strchr(text + at, '\n') + 1 - (text + at));
	fwrite(text, 1, at, f);
	if (provider)
		fprintf(f, "  \"provider\": \"%s\",\n", provider);
	fwrite(text + at + skip, 1, text_len - at - skip, f);
	assert_int_equal(fclose(f), 0);
	free(text);
	return out;
}

/*
 * A profile recording "provider": "module" loads with that provider (the
 * rules' and the profile source's), and saves back to the same bytes.
 */
static void test_provider_roundtrip(void **state)
{
	char dir[] = "/tmp/ksr-unit-XXXXXX", in[64], saved[64], err[512];
	struct ksr_rules *rules, *again;
	struct ksr_source *src;
	size_t len, out_len;
	char *text = with_provider("module", &len), *out;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/in.json", dir);
	snprintf(saved, sizeof(saved), "%s/saved.json", dir);
	f = fopen(in, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);

	rules = load(in);
	assert_non_null(ksr_rules_provider(rules));
	assert_string_equal(ksr_rules_provider(rules), "module");
	assert_int_equal(ksr_profile_save(rules, saved, err, sizeof(err)), 0);
	out = slurp(saved, &out_len);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	free(out);
	/* read back once more: still "module" */
	again = load(saved);
	assert_string_equal(ksr_rules_provider(again), "module");
	ksr_rules_free(again);

	assert_int_equal(ksr_source_open_profile(&src, in, err, sizeof(err)), 0);
	assert_string_equal(ksr_source_kind(src), "profile");
	assert_string_equal(ksr_source_provider(src), "module");
	/* and the copy of the rules a source gives keeps it */
	assert_int_equal(ksr_source_rules(src, &again, err, sizeof(err)), 0);
	assert_string_equal(ksr_rules_provider(again), "module");
	ksr_rules_free(again);
	ksr_source_close(src);

	ksr_rules_free(rules);
	free(text);
	unlink(in);
	unlink(saved);
	rmdir(dir);
}

/*
 * max.json with provider (NULL: none) parses to that provider and writes
 * back the same bytes.
 */
static void parse_with_provider(const char *provider)
{
	struct ksr_rules *rules = NULL;
	size_t len, out_len;
	char *text = with_provider(provider, &len), *out, err[512];

	assert_int_equal(ksr_profile_parse(text, len, "p.json", &rules, err, sizeof(err)), 0);
	if (provider) {
		assert_string_equal(ksr_rules_provider(rules), provider);
	} else {
		assert_null(strstr(text, "\"provider\""));
		assert_null(ksr_rules_provider(rules));
	}
	out = written(rules, &out_len);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	free(out);
	free(text);
	ksr_rules_free(rules);
}

/* "kernel" is the other value; written where "module" is. */
static void test_provider_kernel(void **state)
{
	(void)state;
	parse_with_provider("kernel");
}

/*
 * A profile written before "provider" existed (the series' first version):
 * loads, says NULL; a profile without one writes none, byte for byte.
 */
static void test_no_provider(void **state)
{
	const char *path = KSR_FIXTURES "/../compat/max-series-v1.json";
	struct ksr_rules *rules = load(path);
	struct ksr_source *src;
	size_t out_len;
	char *out, err[512];

	(void)state;
	assert_null(ksr_rules_provider(rules));
	out = written(rules, &out_len);
	assert_null(strstr(out, "\"provider\""));
	free(out);
	assert_int_equal(ksr_source_open_profile(&src, path, err, sizeof(err)), 0);
	assert_null(ksr_source_provider(src));
	ksr_source_close(src);
	ksr_rules_free(rules);
	parse_with_provider(NULL);
}

static unsigned int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_save(void **state)
{
	char dir[] = "/tmp/ksr-unit-XXXXXX", path[64], bad[96], err[512];
	struct ksr_rules *rules;
	size_t len, out_len;
	char *text, *out;
	FILE *f;
	glob_t g;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/profile.json", dir);
	/* over an existing file, every fixture in turn */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old contents", f);
	fclose(f);
	for (size_t p = 0, nr = fixture_paths(&g); p < nr; p++) {
		rules = load(g.gl_pathv[p]);
		assert_int_equal(ksr_profile_save(rules, path, err, sizeof(err)), 0);
		text = slurp_as_v2(g.gl_pathv[p], &len);
		out = slurp(path, &out_len);
		assert_int_equal(out_len, len);
		assert_memory_equal(out, text, len);
		assert_int_equal(entries(dir), 1);
		free(text);
		free(out);
		ksr_rules_free(rules);
	}
	globfree(&g);
	/* The mode a new file gets: 0666 less the umask (the test may set it). */
	{
		mode_t old = umask(027);
		struct stat st;

		rules = load(KSR_FIXTURES "/max.json");
		assert_int_equal(unlink(path), 0);
		assert_int_equal(ksr_profile_save(rules, path, err, sizeof(err)), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0640);
		umask(old);
		ksr_rules_free(rules);
	}

	/* A directory that does not exist: an error naming the file, nothing made. */
	rules = load(KSR_FIXTURES "/max.json");
	snprintf(bad, sizeof(bad), "%s/no-such-dir/profile.json", dir);
	assert_int_equal(ksr_profile_save(rules, bad, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, bad));
	/* Over a directory: refused, no temporary file made. */
	snprintf(bad, sizeof(bad), "%s/sub", dir);
	assert_int_equal(mkdir(bad, 0755), 0);
	assert_int_equal(ksr_profile_save(rules, bad, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, bad));
	assert_int_equal(entries(dir), 2);
	rmdir(bad);
	ksr_rules_free(rules);
	unlink(path);
	rmdir(dir);
}

/*
 * The limits of what a profile may hold read, write back byte for byte, and
 * give configurations (lines, by name) that read back: 16-bit fields and
 * their greatest values, 63-character names, a null field name, a register
 * named by its own S-form, signed fields.
 */
static void test_limits_roundtrip(void **state)
{
	static const char text[] =
		"{\"schema\": \"kvm-safe-rules/v1\", \"kernel\": \"k\", \"source\": \"s\", "
		"\"vcpu_features\": [], \"registers\": ["
		"{\"name\": \"A23456789012345678901234567890123456789012345678901234567890123\", "
		"\"encoding\": [3, 7, 15, 15, 7], \"value\": \"0xffffffffffffffff\", "
		"\"writable_mask\": \"0xffffffffffffffff\", \"unfielded_mask\": \"0x0000000000000000\", "
		"\"raz\": false, \"writes_ignored\": false, \"immutable\": false, \"fields\": ["
		"{\"name\": \"B23456789012345678901234567890123456789012345678901234567890123\", \"shift\": 48, "
		"\"width\": 16, \"signed\": false, \"rule\": \"EXACT\", \"safe_val\": 65535, \"writable\": true, "
		"\"min\": 65535, \"min_or_zero\": true, \"alias\": {\"from\": 65535, \"to\": 0, \"host_value\": false}}, "
		"{\"name\": null, \"shift\": 32, \"width\": 16, \"signed\": true, \"rule\": \"LOWER_SAFE\", "
		"\"safe_val\": 0, \"writable\": true}, "
		"{\"name\": \"x_9\", \"shift\": 0, \"width\": 1, \"signed\": false, \"rule\": \"HIGHER_SAFE\", "
		"\"safe_val\": 1, \"writable\": false}]}, "
		"{\"name\": \"S0_0_C0_C0_0\", \"encoding\": [0, 0, 0, 0, 0], \"value\": \"0x0000000000000001\", "
		"\"writable_mask\": \"0x0000000000000000\", \"unfielded_mask\": \"0x0000000000000000\", "
		"\"raz\": false, \"writes_ignored\": true, \"immutable\": false, \"fields\": []}]}";
	struct ksr_rules *rules = NULL, *again = NULL;
	struct ksr_config *cfg = NULL, *cfg2 = NULL;
	char err[512], *one, *two, *lines = NULL;
	size_t n1, n2, nl;
	FILE *f;

	(void)state;
	if (ksr_profile_parse(text, sizeof(text) - 1, "limits.json", &rules, err, sizeof(err)))
		fail_msg("%s", err);
	one = written(rules, &n1);
	if (ksr_profile_parse(one, n1, "written.json", &again, err, sizeof(err)))
		fail_msg("%s", err);
	two = written(again, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(one, two, n1);
	assert_null(ksr_rules_reg(rules, 1)->name);	/* its own S-form: no name */
	assert_non_null(ksr_rules_find_reg(again, "S3_7_C15_C15_7"));
	/* A configuration of its defaults, by name, reads back. */
	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	f = open_memstream(&lines, &nl);
	assert_non_null(f);
	assert_int_equal(ksr_config_write(cfg, rules, f, 0), 0);
	fclose(f);
	assert_non_null(strstr(lines, "A23456789012345678901234567890123456789012345678901234567890123 0xffffffffffffffff\n"));
	if (ksr_config_parse(lines, nl, "c.txt", again, &cfg2, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ksr_config_nr(cfg2), 2);
	ksr_config_free(cfg);
	ksr_config_free(cfg2);
	free(lines);
	free(one);
	free(two);
	ksr_rules_free(rules);
	ksr_rules_free(again);
}

/*
 * JSON writes "/" as it is: no fixture (each has slashes in its strings)
 * is written with json-c's default "\/", and the same text with every "/"
 * escaped, as profiles of earlier versions were written, reads to rules
 * that write it back plain, byte for byte.
 */
static void test_slashes_plain(void **state)
{
	glob_t g;

	(void)state;
	for (size_t p = 0, nr = fixture_paths(&g); p < nr; p++) {
		struct ksr_rules *rules = NULL;
		size_t len, out_len, slashes = 0;
		char *text = slurp(g.gl_pathv[p], &len), *escaped, *out, err[256];
		FILE *f = open_memstream(&escaped, &out_len);

		assert_non_null(f);
		for (size_t i = 0; i < len; i++) {
			if (text[i] == '/') {
				slashes++;
				fputc('\\', f);
			}
			fputc(text[i], f);
		}
		assert_int_equal(fclose(f), 0);
		assert_true(slashes > 0);
		assert_null(memmem(text, len, "\\/", 2));
		assert_int_equal(ksr_profile_parse(escaped, out_len, g.gl_pathv[p], &rules, err,
						   sizeof(err)), 0);
		out = written(rules, &out_len);
		assert_null(memmem(out, out_len, "\\/", 2));
		assert_int_equal(out_len, len);
		assert_memory_equal(out, text, len);
		free(out);
		free(escaped);
		free(text);
		ksr_rules_free(rules);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_reproduces_every_fixture),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_series_v1_profile),
		cmocka_unit_test(test_probe_flags),
		cmocka_unit_test(test_provider_roundtrip),
		cmocka_unit_test(test_provider_kernel),
		cmocka_unit_test(test_no_provider),
		cmocka_unit_test(test_limits_roundtrip),
		cmocka_unit_test(test_slashes_plain),
	};

	return cmocka_run_group_tests_name("roundtrip", tests, NULL, NULL);
}
