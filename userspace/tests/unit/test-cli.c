// SPDX-License-Identifier: GPL-2.0
/*
 * The host CLI's exit codes and messages (0 ok, 1 rejected, 2 usage or
 * bad input), run as a program on the fixtures.
 */
#include <inttypes.h>
#include <json.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"

/* Runs the CLI with args (shell words) and stdin from in_text; returns its status. */
static int run(const char *args, const char *in_text)
{
	char cmd[1024], in_path[64];
	FILE *f;
	int status;

	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	f = fopen(in_path, "w");
	assert_non_null(f);
	fputs(in_text ? in_text : "", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s %s < %s > %s 2> %s", KSR_CLI, args, in_path, out_path, err_path);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_help_and_usage(void **state)
{
	(void)state;
	assert_int_equal(run("help", NULL), 0);
	expect(out_path, "Exit status:");
	assert_int_equal(run("", NULL), 2);
	expect(err_path, "no command given");
	assert_int_equal(run("frobnicate", NULL), 2);
	expect(err_path, "unknown command 'frobnicate'");
	assert_int_equal(run("dump --bogus", NULL), 2);
	expect(err_path, "unknown option '--bogus'");
	expect(err_path, "Run 'kvm-safe-rules dump --help' for usage.");
	assert_int_equal(run("check --config", NULL), 2);
	expect(err_path, "check: option '--config' needs an argument");
	assert_int_equal(run("clamp --format xml ID_PFR0_EL1=0", NULL), 2);
	expect(err_path, "clamp: --format 'xml': not auto, lines, json, firecracker, qemu or qemu-lines");
	/* an option a command does not take is unknown to it */
	assert_int_equal(run("diff --config x a.json b.json", NULL), 2);
	expect(err_path, "diff: unknown option '--config'");
}

/* Every command of the usage answers --help with its own usage, exit 0. */
static void test_command_help(void **state)
{
	char *text, *line, *save, cmd[96], want[96];
	size_t len, n = 0;

	(void)state;
	assert_int_equal(run("help", NULL), 0);
	text = slurp(out_path, &len);
	/* the commands: lines "  NAME ..." after "Commands:" */
	line = strtok_r(strstr(text, "Commands:\n"), "\n", &save);
	/* up to the first line not indented after them */
	while ((line = strtok_r(NULL, "\n", &save)) && line[0] == ' ') {
		char name[32];

		if (strncmp(line, "  ", 2) || line[2] == ' ' || sscanf(line + 2, "%31s", name) != 1 ||
		    !strcmp(name, "help"))
			continue;
		snprintf(cmd, sizeof(cmd), "%s --help", name);
		assert_int_equal(run(cmd, NULL), 0);
		snprintf(want, sizeof(want), "usage: kvm-safe-rules %s ", name);
		expect(out_path, want);
		expect(out_path, "--help");
		n++;
	}
	free(text);
	assert_true(n >= 11);
}

/* --opt=VALUE and --opt VALUE are the same; options may follow arguments. */
static void test_option_forms(void **state)
{
	char *a, *b;
	size_t la, lb;

	(void)state;
	assert_int_equal(run("values --profile=" KSR_FIXTURES "/max.json ID_AA64PFR0_EL1.SVE", NULL), 0);
	a = slurp(out_path, &la);
	assert_int_equal(run("values ID_AA64PFR0_EL1.SVE --profile " KSR_FIXTURES "/max.json", NULL), 0);
	b = slurp(out_path, &lb);
	assert_true(la > 0 && la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
}

/*
 * More words than a command takes: a usage error, never a write past the
 * arrays its parser fills (many words, so that the plain build crashes too).
 */
static void test_too_many_arguments(void **state)
{
	static const char *const cmds[] = {
		"values --profile " KSR_FIXTURES "/max.json",
		"diff",
		"baseline",
		"profile -o /dev/null --profile " KSR_FIXTURES "/max.json",
		"check --profile " KSR_FIXTURES "/max.json",
	};
	char words[512] = "", cmd[768];

	(void)state;
	for (int i = 0; i < 200; i++)
		strcat(words, " x");
	/* Three words: one past values' one, four: two past diff's two. */
	assert_int_equal(run("values A B C --profile " KSR_FIXTURES "/max.json", NULL), 2);
	expect(err_path, "values: give one REG or REG.FIELD");
	assert_int_equal(run("diff a b c d", NULL), 2);
	expect(err_path, "diff: give two profiles");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int ret;

		snprintf(cmd, sizeof(cmd), "%s%s", cmds[i], words);
		ret = run(cmd, NULL);
		/* baseline takes any number (x: no such file), check takes them as REG=VALUE */
		if (ret != 2)
			fail_msg("%s ...: exit %d, not 2", cmds[i], ret);
		expect(err_path, "kvm-safe-rules: ");
	}
}

/* No KVM/arm64 here: the scratch-VM commands say so. */
static void test_live_commands_fail_cleanly(void **state)
{
	(void)state;
	assert_int_equal(run("regs", NULL), 2);
	expect(err_path, "needs a KVM/arm64 host");
	assert_int_equal(run("dump", NULL), 2);
	expect(err_path, "--profile FILE");
	assert_int_equal(run("check --batch", "ID_PFR0_EL1 0\n"), 2);
	expect(err_path, "--profile FILE");
	assert_int_equal(run("dump --profile " KSR_FIXTURES "/max.json --sve", NULL), 2);
	expect(err_path, "--profile takes no vCPU features");
}

static void test_dump_profile(void **state)
{
	size_t len, out_len;
	char *want = slurp_as_v2(KSR_FIXTURES "/a64fx.json", &len), *got;

	(void)state;
	assert_int_equal(run("dump --json --profile " KSR_FIXTURES "/a64fx.json", NULL), 0);
	got = slurp(out_path, &out_len);
	assert_int_equal(out_len, len);
	assert_memory_equal(got, want, len);
	free(got);
	free(want);
	assert_int_equal(run("dump --profile " KSR_FIXTURES "/a64fx.json", NULL), 0);
	expect(out_path, "ID_AA64DFR0_EL1");
	assert_int_equal(run("dump --profile /nonexistent/x.json", NULL), 2);
	expect(err_path, "/nonexistent/x.json: No such file");
}

/* Where dump's last line says a profile's rules came from, by its "provider". */
static const char *origin_words(json_object *root)
{
	static const char *const words[][2] = {
		{ "kernel", "from the kernel's KVM_ARM_GET_REG_SAFE_RULES" },
		{ "module", "from the kvm_safe_rules module's /dev/kvm-safe-rules" },
		{ "probe", "from probing by trial writes" },
	};
	json_object *p;

	if (!json_object_object_get_ex(root, "provider", &p))
		return "which does not say where it has them from";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(json_object_get_string(p), words[i][0]))
			return words[i][1];
	fail_msg("provider %s", json_object_get_string(p));
	return NULL;
}

/*
 * dump's last line: the registers of each kind, the fields and the
 * writable ones, counted here from each profile's JSON, and where the
 * rules came from; dump --json is the profile and nothing after it.
 */
static void test_dump_summary(void **state)
{
	glob_t g;

	(void)state;
	assert_int_equal(glob(KSR_FIXTURES "/*.json", 0, NULL, &g), 0);
	assert_int_equal(glob(KSR_FIXTURES "/probe/*.json", GLOB_APPEND, NULL, &g), 0);
	assert_int_equal(glob(KSR_FIXTURES "/firmware/*.json", GLOB_APPEND, NULL, &g), 0);
	for (size_t p = 0; p < g.gl_pathc; p++) {
		json_object *root = json_object_from_file(g.gl_pathv[p]), *regs, *out;
		unsigned int nr, fw = 0, fields = 0, writable = 0;
		char cmd[512], want[512], *text, *last;
		size_t len;

		assert_non_null(root);
		assert_true(json_object_object_get_ex(root, "registers", &regs));
		nr = (unsigned int)json_object_array_length(regs);
		for (unsigned int i = 0; i < nr; i++) {
			json_object *r = json_object_array_get_idx(regs, i), *v, *fs;

			fw += json_object_object_get_ex(r, "kind", &v) &&
			      !strcmp(json_object_get_string(v), "firmware");
			if (!json_object_object_get_ex(r, "fields", &fs))
				continue;
			fields += (unsigned int)json_object_array_length(fs);
			for (size_t j = 0; j < json_object_array_length(fs); j++)
				writable += json_object_object_get_ex(json_object_array_get_idx(fs, j),
								      "writable", &v) &&
					    json_object_get_boolean(v);
		}
		snprintf(want, sizeof(want), "%u registers (%u ID, %u firmware), %u fields, %u writable; "
			 "rules from the profile %s (%s)\n", nr, nr - fw, fw, fields, writable,
			 g.gl_pathv[p], origin_words(root));
		snprintf(cmd, sizeof(cmd), "dump --profile %s", g.gl_pathv[p]);
		assert_int_equal(run(cmd, NULL), 0);
		text = slurp(out_path, &len);
		assert_true(len > 1 && text[len - 1] == '\n');
		text[len - 1] = '\0';
		last = strrchr(text, '\n');
		assert_non_null(last);
		text[len - 1] = '\n';
		assert_string_equal(last + 1, want);
		free(text);

		snprintf(cmd, sizeof(cmd), "dump --json --profile %s", g.gl_pathv[p]);
		assert_int_equal(run(cmd, NULL), 0);
		text = slurp(out_path, &len);
		out = json_tokener_parse(text);
		assert_non_null(out);
		assert_null(strstr(text, " registers ("));
		json_object_put(out);
		free(text);
		json_object_put(root);
	}
	globfree(&g);
}

/*
 * max.json (text) with "provider": provider instead of its own (NULL: with
 * none), as dir/name; returns the path.
 */
static const char *with_provider(const char *text, const char *name, const char *provider)
{
	static char path[96];
	const char *src = strstr(text, "\"source\": \"ioctl\",");
	const char *own = strstr(text, "\"provider\": ");
	FILE *f;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, (size_t)(src - text), f);
	if (provider)
		fprintf(f, "\"provider\": \"%s\", ", provider);
	if (own) {
		/* The fixture's own line, after the source's, goes. */
		const char *bol = own, *eol = strchr(own, '\n');

		assert_true(own > src && eol);
		while (bol[-1] != '\n')
			bol--;
		fwrite(src, 1, (size_t)(bol - src), f);
		fputs(eol + 1, f);
	} else {
		fputs(src, f);
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

/* dump's first line: who answered, as the profile records it (or not). */
static void test_dump_provider(void **state)
{
	char cmd[160];
	size_t len;
	char *text = slurp(KSR_FIXTURES "/max.json", &len);
	const char *path;

	(void)state;
	assert_int_equal(run("dump --profile " KSR_FIXTURES "/max.json", NULL), 0);
	expect(out_path, "rules from: kernel (KVM_ARM_GET_REG_SAFE_RULES)\n");
	path = with_provider(text, "none.json", NULL);
	snprintf(cmd, sizeof(cmd), "dump --profile %s", path);
	assert_int_equal(run(cmd, NULL), 0);
	expect(out_path, "rules from: unknown (the profile does not say)\n");

	path = with_provider(text, "module.json", "module");
	snprintf(cmd, sizeof(cmd), "dump --profile %s", path);
	assert_int_equal(run(cmd, NULL), 0);
	expect(out_path, "rules from: module (/dev/kvm-safe-rules)\n");
	expect(out_path, "module.json (from the kvm_safe_rules module's /dev/kvm-safe-rules)\n");
	snprintf(cmd, sizeof(cmd), "dump --json --profile %s", path);
	assert_int_equal(run(cmd, NULL), 0);
	expect(out_path, "  \"source\": \"ioctl\",\n  \"provider\": \"module\",\n");

	path = with_provider(text, "bad-provider.json", "firmware");
	snprintf(cmd, sizeof(cmd), "dump --profile %s", path);
	assert_int_equal(run(cmd, NULL), 2);
	expect(err_path, "bad-provider.json: provider: unknown provider \"firmware\"");
	free(text);
}

static void test_dump_bad_profile(void **state)
{
	char path[96], cmd[160];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{ \"schema\": \"kvm-safe-rules/v1\", \"kernel\": 1 }", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dump --profile %s", path);
	assert_int_equal(run(cmd, NULL), 2);
	expect(err_path, "bad.json: kernel: must be a string, not an integer");
}

/* check --batch against a profile's defaults: the default and the field's rule. */
static void test_check_batch(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/cortex-a72.json");
	const struct ksr_reg *reg = ksr_rules_find_reg(rules, "ID_AA64DFR0_EL1");
	const struct ksr_field *f = ksr_reg_find_field(reg, "DebugVer");
	char in[256], line[128];

	(void)state;
	assert_non_null(f);
	assert_true(f->flags & KSR_FIELD_MIN);
	snprintf(in, sizeof(in), "# a comment\n\nID_AA64DFR0_EL1 %#" PRIx64 "\n", reg->limit);
	assert_int_equal(run("check --batch --profile " KSR_FIXTURES "/cortex-a72.json", in), 0);
	snprintf(line, sizeof(line), "ID_AA64DFR0_EL1 0x%016" PRIx64 " accept\n", reg->limit);
	expect(out_path, line);

	snprintf(in, sizeof(in), "3,0,0,5,0 %" PRIx64 "\n",
		 with_field(f, reg->limit, f->min_val - 1));
	assert_int_equal(run("check --batch --profile " KSR_FIXTURES "/cortex-a72.json", in), 1);
	expect(out_path, "reject DebugVer:below-minimum");

	assert_int_equal(run("check --batch --profile " KSR_FIXTURES "/cortex-a72.json",
			     "NO_SUCH_EL1 0\n"), 2);
	expect(err_path, "<stdin>:1: unknown register 'NO_SUCH_EL1'");
	assert_int_equal(run("check --batch --profile " KSR_FIXTURES "/cortex-a72.json",
			     "ID_AA64DFR0_EL1 0x1\nID_AA64DFR0_EL1 zz\n"), 2);
	expect(err_path, "<stdin>:2: 'zz' is not a 64-bit hex value");
	ksr_rules_free(rules);
}

/*
 * check --batch takes values as strictly as a configuration does: 0x
 * optional, then 1 to 16 hex digits, nothing else; no NUL byte in a line.
 */
static void test_check_batch_strict(void **state)
{
	static const char *const bad[] = {
		"0x0x11120", "+11120", "0x+11120", "-1", "0x", "00000000000011120",
		"0x00000000000011120", "0x11120#c", "11120h", "0x11120,0",
	};
	char in[512], want[512], nul_path[64], *out;
	static const char nul_line[] = "ID_AA64ISAR0_EL1 0x11120\0junk\n";
	size_t len;
	FILE *f;

	(void)state;
	/* What a configuration takes, batch takes. */
	assert_int_equal(run("check --batch --profile " KSR_FIXTURES "/max.json",
			     "ID_AA64ISAR0_EL1 0X0000000000011120\nID_AA64ISAR0_EL1 11120\n"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(in, sizeof(in), "ID_AA64ISAR0_EL1 %s\n", bad[i]);
		if (run("check --batch --profile " KSR_FIXTURES "/max.json", in) != 2)
			fail_msg("check --batch took '%s'", bad[i]);
		snprintf(want, sizeof(want), "<stdin>:1: '%s' is not a 64-bit hex value", bad[i]);
		expect(err_path, want);
		/* The configuration parser refuses it too (where # is no comment). */
		if (strchr(bad[i], '#'))
			continue;
		snprintf(in, sizeof(in), "check --profile " KSR_FIXTURES "/max.json ID_AA64ISAR0_EL1=%s",
			 bad[i]);
		assert_int_equal(run(in, NULL), 2);
	}
	/* A NUL byte ends no line early: the line is refused. */
	snprintf(nul_path, sizeof(nul_path), "%s/nul.txt", dir);
	f = fopen(nul_path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(nul_line, 1, sizeof(nul_line) - 1, f), sizeof(nul_line) - 1);
	assert_int_equal(fclose(f), 0);
	snprintf(in, sizeof(in), "check --batch --profile " KSR_FIXTURES "/max.json --input %s",
		 nul_path);
	assert_int_equal(run(in, NULL), 2);
	snprintf(want, sizeof(want), "%s:1: contains a NUL byte", nul_path);
	expect(err_path, want);
	out = slurp(out_path, &len);
	assert_int_equal(len, 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_usage),
		cmocka_unit_test(test_command_help),
		cmocka_unit_test(test_option_forms),
		cmocka_unit_test(test_too_many_arguments),
		cmocka_unit_test(test_live_commands_fail_cleanly),
		cmocka_unit_test(test_dump_profile),
		cmocka_unit_test(test_dump_provider),
		cmocka_unit_test(test_dump_summary),
		cmocka_unit_test(test_dump_bad_profile),
		cmocka_unit_test(test_check_batch),
		cmocka_unit_test(test_check_batch_strict),
	};

	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
