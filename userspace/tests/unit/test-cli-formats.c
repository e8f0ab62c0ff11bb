// SPDX-License-Identifier: GPL-2.0
/*
 * The host CLI on configurations in the VMMs' formats
 * (userspace/tests/data/vmm): --format on check, clamp, baseline and
 * migrate-check; the parts kept without being interpreted reported and
 * written back; clamp writing the format it read; every bad input refused
 * with exit 2 and one line naming the file and the place; compare's words
 * and exit statuses. Expectations come from the library on the same files
 * (what the CLI prints must be what the library says), never from a table
 * typed here.
 */
#include <errno.h>
#include <unistd.h>

#include "cli-run.h"

#define NR(a) (sizeof(a) / sizeof((a)[0]))
#define VMM KSR_VMM_DATA "/"

/* The data files of a format, and the --format that names it. */
static const struct {
	const char *pattern, *name;
	enum ksr_config_format format;
} formats[] = {
	{ VMM "firecracker/*.json", "firecracker", KSR_CONFIG_FORMAT_FIRECRACKER },
	{ VMM "qemu/*.txt", "qemu", KSR_CONFIG_FORMAT_QEMU },
	{ VMM "qemu/*.lines", "qemu-lines", KSR_CONFIG_FORMAT_QEMU_LINES },
};

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char args[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return run_cli("", args);
}

static char *file_text(const char *path)
{
	size_t len;

	return slurp(path, &len);
}

/* The configuration the library reads from path in format over rules. */
static struct ksr_config *lib_load(const char *path, const struct ksr_rules *rules,
				   enum ksr_config_format format)
{
	struct ksr_config *cfg = NULL;
	char err[1024];

	if (ksr_config_load_format(path, rules, format, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	return cfg;
}

/* The text after the "kept, not interpreted:" lines. */
static const char *verdict_of(const char *text)
{
	while (!strncmp(text, "kept, not interpreted: ", 23))
		text = strchr(text, '\n') + 1;
	return text;
}

/*
 * The output starts with one line "kept, not interpreted: KEY: TEXT" per
 * part of cfg the library kept, in order, and nothing else before the verdict.
 */
static void kept_lines_first(const char *out, const struct ksr_config *cfg, const char *what)
{
	const char *key, *text, *s = out;
	char line[1024];

	for (unsigned int i = 0; !ksr_config_kept(cfg, i, &key, &text); i++) {
		snprintf(line, sizeof(line), "kept, not interpreted: %s: %s\n", key, text);
		if (strncmp(s, line, strlen(line)))
			fail_msg("%s: not the line \"%s\" next in:\n%.500s", what, line, out);
		s += strlen(line);
	}
	if (verdict_of(out) != s)
		fail_msg("%s: a kept part reported that the library did not keep:\n%.500s", what, out);
}

/* Fails unless the file is empty. */
static void empty(const char *path)
{
	char *s = file_text(path);

	if (*s)
		fail_msg("%s: not empty:\n%.500s", path, s);
	free(s);
}

/* Fails unless the file holds exactly one line (a message on standard error). */
static void one_line(const char *path)
{
	char *s = file_text(path);
	char *nl = strchr(s, '\n');

	if (!nl || nl[1])
		fail_msg("%s: not one line:\n%s", path, s);
	free(s);
}

/*
 * Every bad input of data/vmm/bad: check, clamp and migrate-check --config
 * exit 2 with nothing on standard output and one line on standard error
 * that names the file and the place, the library's words (NAME.err).
 */
static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t k = 0; k < NR(formats); k++) {
		char pattern[512];
		glob_t errs;

		snprintf(pattern, sizeof(pattern), VMM "bad/%s/*.err", formats[k].name);
		assert_int_equal(glob(pattern, 0, NULL, &errs), 0);
		for (size_t e = 0; e < errs.gl_pathc; e++) {
			size_t stem = strlen(errs.gl_pathv[e]) - 4, len;
			char *want = slurp(errs.gl_pathv[e], &len), input[512], line[1536];
			glob_t in;

			want[len - 1] = '\0';
			snprintf(pattern, sizeof(pattern), "%.*s.[jlt]*", (int)stem, errs.gl_pathv[e]);
			assert_int_equal(glob(pattern, 0, NULL, &in), 0);
			assert_int_equal(in.gl_pathc, 1);
			snprintf(input, sizeof(input), "%s", in.gl_pathv[0]);
			globfree(&in);
			snprintf(line, sizeof(line), "%s: %s\n", input, want);
			if (run("check --profile max.json --config %s --format %s", input, formats[k].name) != 2)
				fail_msg("check %s: not exit 2", input);
			expect(err_path, line);
			one_line(err_path);
			empty(out_path);
			assert_int_equal(run("clamp --profile max.json --config=%s --format=%s", input,
					     formats[k].name), 2);
			expect(err_path, line);
			one_line(err_path);
			assert_int_equal(run("migrate-check --from max.json --to cortex-a57.json --config %s --format %s",
					     input, formats[k].name), 2);
			expect(err_path, line);
			one_line(err_path);
			free(want);
		}
		globfree(&errs);
	}
}

/* An unknown --format: exit 2, the first line naming it (a usage error: then the hint). */
static void test_unknown_format(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(run("check --profile max.json --config " VMM "firecracker/noop.json --format Firecracker"), 2);
	err = file_text(err_path);
	assert_non_null(strstr(err, "'Firecracker'"));
	assert_true(strstr(err, "'Firecracker'") < strchr(err, '\n'));
	free(err);
	empty(out_path);
}

/* One data file (formats[k]) over one fixture, read by the library. */
struct one_case {
	const char *path, *profile;
	size_t k;
	const struct ksr_rules *rules;
	const struct ksr_config *cfg;
};

/* fn on every data file of every format over every fixture. */
static void each_file_on_each_fixture(void (*fn)(const struct one_case *c))
{
	glob_t g;
	size_t n = fixture_paths(&g);

	for (size_t k = 0; k < NR(formats); k++) {
		glob_t files;

		assert_int_equal(glob(formats[k].pattern, 0, NULL, &files), 0);
		for (size_t f = 0; f < files.gl_pathc; f++) {
			for (size_t p = 0; p < n; p++) {
				struct ksr_rules *rules = load(g.gl_pathv[p]);
				struct ksr_config *cfg = lib_load(files.gl_pathv[f], rules, formats[k].format);
				struct one_case c = { files.gl_pathv[f], g.gl_pathv[p], k, rules, cfg };

				fn(&c);
				ksr_config_free(cfg);
				ksr_rules_free(rules);
			}
		}
		globfree(&files);
	}
	globfree(&g);
}

/*
 * check of a template or list: the same verdict and text named or
 * detected, exit 0 exactly when the library accepts it, and one line
 * "kept, not interpreted: KEY: TEXT" per kept part, before the verdict.
 */
static void check_case(const struct one_case *c)
{
	struct ksr_report *rep;
	char err[512], *named, *detected;
	int status;

	assert_int_equal(ksr_check(c->rules, c->cfg, &rep, err, sizeof(err)), 0);
	status = run("check --profile %s --config %s --format %s", c->profile, c->path, formats[c->k].name);
	if (status != (ksr_report_ok(rep) ? 0 : 1))
		fail_msg("check %s on %s: exit %d", c->path, c->profile, status);
	named = file_text(out_path);
	assert_int_equal(run("check --profile %s --config %s", c->profile, c->path), status);
	detected = file_text(out_path);
	assert_string_equal(named, detected);
	kept_lines_first(named, c->cfg, c->path);
	free(named);
	free(detected);
	ksr_report_free(rep);
}

static void test_check_reports_kept_parts(void **state)
{
	(void)state;
	each_file_on_each_fixture(check_case);
}

/*
 * clamp --config T -o OUT writes T's format (default: the one it read; with
 * --format, the one named), the library's clamped configuration, with T's
 * kept parts as they were.
 */
static void clamp_case(const struct one_case *c)
{
	enum ksr_config_format fmt = formats[c->k].format;
	struct ksr_config *out;
	struct ksr_report *rep;
	char err[512], *text, *o = strdup(at("clamped"));
	const char *k1, *t1, *k2, *t2;
	int status;

	assert_int_equal(ksr_clamp(c->rules, c->cfg, &rep, err, sizeof(err)), 0);
	unlink(o);
	status = run("clamp --profile %s --config %s --format %s -o %s", c->profile, c->path,
		     formats[c->k].name, o);
	if (status != 0 && status != 1)
		fail_msg("clamp %s on %s: exit %d", c->path, c->profile, status);
	text = file_text(o);
	/* detected (qemu-lines too: no comma on a line), the same */
	{
		char *detected;

		assert_int_equal(run("clamp --profile %s --config %s -o %s", c->profile, c->path, o), status);
		detected = file_text(o);
		assert_string_equal(detected, text);
		free(detected);
	}
	/*
	 * Detected as what it is, but for a QEMU list of no property (the
	 * defaults: just the model, "host"), which only --format says is QEMU's.
	 */
	if (fmt == KSR_CONFIG_FORMAT_FIRECRACKER || strstr(text, "SYSREG_"))
		assert_int_equal(ksr_config_detect_format(text, strlen(text)),
				 fmt == KSR_CONFIG_FORMAT_QEMU_LINES ||
				 fmt == KSR_CONFIG_FORMAT_QEMU ? qemu_form(text) : fmt);
	/* qemu-lines: one property a line, as it was read */
	if (fmt == KSR_CONFIG_FORMAT_QEMU_LINES)
		assert_null(strchr(text, ','));
	out = lib_load(o, c->rules, fmt);
	if (!config_same(out, ksr_report_config(rep)))
		fail_msg("clamp %s on %s: not the library's clamped configuration:\n%s", c->path,
			 c->profile, text);
	for (unsigned int i = 0; !ksr_config_kept(c->cfg, i, &k1, &t1); i++) {
		assert_int_equal(ksr_config_kept(out, i, &k2, &t2), 0);
		assert_string_equal(k1, k2);
		assert_string_equal(t1, t2);
	}
	free(text);
	free(o);
	ksr_config_free(out);
	ksr_report_free(rep);
}

static void test_clamp_writes_the_format_it_read(void **state)
{
	(void)state;
	each_file_on_each_fixture(clamp_case);
}

/* clamp of REG=VALUE arguments alone writes lines; --format names another. */
static void test_clamp_arguments(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(run("clamp --profile max.json ID_AA64ISAR0_EL1=0 -o %s", at("a.conf")), 0);
	text = file_text(at("a.conf"));
	assert_int_equal(ksr_config_detect_format(text, strlen(text)), KSR_CONFIG_FORMAT_LINES);
	free(text);
	assert_int_equal(run("clamp --profile max.json ID_AA64ISAR0_EL1=0 --format firecracker -o %s",
			     at("a.json")), 0);
	text = file_text(at("a.json"));
	assert_int_equal(ksr_config_detect_format(text, strlen(text)), KSR_CONFIG_FORMAT_FIRECRACKER);
	free(text);
}

/*
 * baseline -o in Firecracker's format: read over the first profile's
 * defaults, the same configuration as the baseline written as lines.
 */
static void test_baseline_as_a_template(void **state)
{
	struct ksr_rules *rules = model("cortex-a57");
	struct ksr_config *lines, *fc;

	(void)state;
	assert_int_equal(run("baseline cortex-a57.json cortex-a72.json -o %s", at("b.conf")), 0);
	assert_int_equal(run("baseline cortex-a57.json cortex-a72.json --format firecracker -o %s",
			     at("b.json")), 0);
	lines = lib_load(at("b.conf"), rules, KSR_CONFIG_FORMAT_LINES);
	fc = lib_load(at("b.json"), rules, KSR_CONFIG_FORMAT_FIRECRACKER);
	assert_true(config_same(lines, fc));
	ksr_config_free(fc);
	ksr_config_free(lines);
	ksr_rules_free(rules);
}

/*
 * migrate-check --config T: its kept parts reported first, then the
 * verdict and the exit status of the same configuration given as lines,
 * for every template and list.
 */
static void test_migrate_check_config(void **state)
{
	static const char *const pairs[][2] = {
		{ "cortex-a57.json", "cortex-a72.json" }, { "neoverse-n1.json", "cortex-a76.json" },
		{ "max.json", "a64fx.json" },
	};

	(void)state;
	for (size_t k = 0; k < NR(formats); k++) {
		glob_t files;

		assert_int_equal(glob(formats[k].pattern, 0, NULL, &files), 0);
		for (size_t f = 0; f < files.gl_pathc; f++) {
			for (size_t i = 0; i < NR(pairs); i++) {
				struct ksr_rules *from;
				struct ksr_config *cfg;
				char *vmm_out, *lines_out, err[512], prof[256];
				int status;

				snprintf(prof, sizeof(prof), "%s/%s", KSR_FIXTURES, pairs[i][0]);
				from = load(prof);
				cfg = lib_load(files.gl_pathv[f], from, formats[k].format);
				assert_int_equal(ksr_config_save(cfg, from, at("m.conf"), 0, err, sizeof(err)), 0);
				status = run("migrate-check --from %s --to %s --config %s --format %s", pairs[i][0],
					     pairs[i][1], files.gl_pathv[f], formats[k].name);
				vmm_out = file_text(out_path);
				snprintf(err, sizeof(err), "migrate-check --config %s", files.gl_pathv[f]);
				kept_lines_first(vmm_out, cfg, err);
				assert_int_equal(run("migrate-check --from %s --to %s --config %s", pairs[i][0],
						     pairs[i][1], at("m.conf")), status);
				lines_out = file_text(out_path);
				/* the same verdict, after the kept lines */
				if (strcmp(verdict_of(vmm_out), lines_out))
					fail_msg("migrate-check %s: %s -> %s:\n%s\nnot as lines:\n%s",
						 files.gl_pathv[f], pairs[i][0], pairs[i][1], verdict_of(vmm_out),
						 lines_out);
				free(vmm_out);
				free(lines_out);
				ksr_config_free(cfg);
				ksr_rules_free(from);
			}
		}
		globfree(&files);
	}
}

/*
 * compare A B: the first line is the result word, the exit status its own
 * (0 identical, 1 incompatible, 4 superset, 5 subset), compare B A the
 * mirror; compare A A identical. Every pair of fixtures.
 */
static const struct { const char *word; int status, mirror; } results[] = {
	{ "identical\n", 0, 0 }, { "incompatible\n", 1, 1 }, { "superset\n", 4, 3 }, { "subset\n", 5, 2 },
};

/* The index in results[] of what compare printed with status; fails when none. */
static size_t result_of(const char *what, const char *text, int status)
{
	size_t r = 0;

	while (r < NR(results) && strncmp(text, results[r].word, strlen(results[r].word)))
		r++;
	if (r == NR(results) || status != results[r].status)
		fail_msg("%s: exit %d:\n%.300s", what, status, text);
	return r;
}

/* compare A B run: the index in results[] of what it said. */
static size_t compare(const char *a, const char *b, const char *more)
{
	char what[1024], *text;
	int status;
	size_t r;

	snprintf(what, sizeof(what), "compare %s %s%s", a, b, more);
	status = run("%s", what);
	text = file_text(out_path);
	r = result_of(what, verdict_of(text), status);
	free(text);
	return r;
}

static void test_compare_words_and_exits(void **state)
{
	glob_t g;
	size_t n = fixture_paths(&g);

	(void)state;
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			size_t ab = compare(g.gl_pathv[a], g.gl_pathv[b], ""), ba;

			if (a == b)
				assert_int_equal(ab, 0);
			ba = compare(g.gl_pathv[b], g.gl_pathv[a], "");
			if (ba != (size_t)results[ab].mirror)
				fail_msg("compare %s %s: %s, the reverse %s", g.gl_pathv[a], g.gl_pathv[b],
					 results[ab].word, results[ba].word);
		}
	}
	globfree(&g);
}

/*
 * compare --config T --format F: the no-op template changes nothing (the
 * same text as without it, after its kept parts); any template gives one
 * of the four results, on every pair of fixtures.
 */
static void test_compare_with_a_template(void **state)
{
	static const char *const pairs[][2] = {
		{ "cortex-a57.json", "cortex-a72.json" }, { "neoverse-n1.json", "cortex-a76.json" },
		{ "max.json", "a64fx.json" }, { "cortex-a53.json", "cortex-a53.json" },
	};

	(void)state;
	for (size_t i = 0; i < NR(pairs); i++) {
		char *plain, *noop;
		int status = run("compare %s %s", pairs[i][0], pairs[i][1]);

		plain = file_text(out_path);
		assert_int_equal(run("compare %s %s --config " VMM "firecracker/noop.json --format firecracker",
				     pairs[i][0], pairs[i][1]), status);
		noop = file_text(out_path);
		assert_string_equal(verdict_of(noop), plain);
		free(plain);
		free(noop);
		for (size_t k = 0; k < NR(formats); k++) {
			glob_t files;

			assert_int_equal(glob(formats[k].pattern, 0, NULL, &files), 0);
			for (size_t f = 0; f < files.gl_pathc; f++) {
				char more[600];

				snprintf(more, sizeof(more), " --config %s --format %s", files.gl_pathv[f],
					 formats[k].name);
				compare(pairs[i][0], pairs[i][1], more);
			}
			globfree(&files);
		}
	}
}

/* CMD --help prints that command's usage, exit 0. */
static void test_command_help(void **state)
{
	static const char *const commands[] = { "check", "clamp", "baseline", "migrate-check", "try", "compare" };

	(void)state;
	for (size_t i = 0; i < NR(commands); i++) {
		if (run("%s --help", commands[i]))
			fail_msg("%s --help: not exit 0", commands[i]);
		expect(out_path, commands[i]);
		expect(out_path, "--format");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_unknown_format),
		cmocka_unit_test(test_check_reports_kept_parts),
		cmocka_unit_test(test_clamp_writes_the_format_it_read),
		cmocka_unit_test(test_clamp_arguments),
		cmocka_unit_test(test_baseline_as_a_template),
		cmocka_unit_test(test_migrate_check_config),
		cmocka_unit_test(test_compare_words_and_exits),
		cmocka_unit_test(test_compare_with_a_template),
		cmocka_unit_test(test_command_help),
	};

	return cmocka_run_group_tests_name("cli-formats", tests, setup, teardown);
}
