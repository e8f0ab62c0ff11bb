// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_templates - Firecracker CPU templates checked, clamped and written
 * into a real VM with the CLI, the prediction against KVM.
 *
 *	vmm_templates
 *
 * For each Firecracker template of userspace/tests/data/vmm/firecracker
 * (embedded at build time by scripts/gen-embedded-files), on this host's
 * live rules, through the real CLI (kvm-safe-rules on PATH):
 *
 *   check   check --config T --format firecracker --json: the prediction,
 *           one verdict per register (exit 0 or 1, valid JSON)
 *   clamp   clamp --config T --format firecracker -o T2: written, and as a
 *           Firecracker template (clamp writes the format it read)
 *   try clamped   try --config T2 --format firecracker: KVM accepts every
 *           register of the clamped template (exit 0)
 *   try     try --config T --format firecracker: KVM_SET_ONE_REG of every
 *           register in a scratch VM; each register accepted or rejected as
 *           check predicted, and no exit 3 (the predictor disagreed)
 *
 * One TAP result per (template, step). A step whose earlier step failed
 * fails too, saying so: nothing is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>

#include "kselftest.h"
#include "kvm-safe-rules.h"
#include "vmm-templates.h"

#define NR(a) (sizeof(a) / sizeof((a)[0]))
#define STEPS 4
#define MAX_REGS 256

extern char **environ;

/* What a CLI run printed and how it ended. */
struct run {
	int status;		/* exit status, or -1 when it did not exit */
	char *out, *err;	/* standard output and error, NUL-terminated */
};

/* One register's verdict: from check's JSON or from try's line. */
struct verdict {
	char name[64];
	bool accepted;
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return strdup("");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *grown = realloc(buf, len + n + 1);

		if (!grown)
			ksft_exit_fail_msg("out of memory\n");
		buf = grown;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = '\0';
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f))
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
}

/* Runs kvm-safe-rules ARGS (NULL-terminated), its output in files of dir. */
static struct run cli(const char *dir, const char *const *args)
{
	char out[256], err[256];
	const char *argv[16] = { "kvm-safe-rules" };
	posix_spawn_file_actions_t fa;
	struct run r = { .status = -1 };
	size_t n = 1;
	pid_t pid;
	int ws;

	while (*args && n < NR(argv) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	errno = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (errno)
		ksft_exit_fail_msg("cannot run kvm-safe-rules: %s\n", strerror(errno));
	if (waitpid(pid, &ws, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	if (WIFEXITED(ws))
		r.status = WEXITSTATUS(ws);
	r.out = read_file(out);
	r.err = read_file(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* The command's output as # lines, after a failed step. */
static void show(const char *what, const struct run *r)
{
	const char *texts[] = { r->out, r->err };

	ksft_print_msg("%s: exit %d\n", what, r->status);
	for (size_t i = 0; i < NR(texts); i++) {
		for (const char *s = texts[i]; *s;) {
			size_t n = strcspn(s, "\n");

			ksft_print_msg("  %s%.*s\n", i ? "stderr: " : "", (int)n, s);
			s += n + !!s[n];
		}
	}
}

/* check --json's registers: their names and verdicts; -1 when not that shape. */
static int check_verdicts(const char *json, struct verdict *v, size_t max)
{
	json_object *root = json_tokener_parse(json), *regs;
	int n = -1;

	if (root && json_object_object_get_ex(root, "registers", &regs) &&
	    json_object_is_type(regs, json_type_array) && json_object_array_length(regs) <= max) {
		n = (int)json_object_array_length(regs);
		for (int i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(regs, i), *name, *acc;

			if (!json_object_object_get_ex(r, "register", &name) ||
			    !json_object_object_get_ex(r, "accepted", &acc) ||
			    !json_object_is_type(name, json_type_string) ||
			    !json_object_is_type(acc, json_type_boolean)) {
				n = -1;
				break;
			}
			snprintf(v[i].name, sizeof(v[i].name), "%s", json_object_get_string(name));
			v[i].accepted = json_object_get_boolean(acc);
		}
	}
	json_object_put(root);
	return n;
}

/*
 * try's lines "REG 0xVALUE accept ..." or "REG 0xVALUE reject ...": the
 * verdicts; *mispredicted when a line says MISPREDICTED. Other lines (the
 * kept parts of the template) are not verdicts.
 */
static int try_verdicts(const char *text, struct verdict *v, size_t max, bool *mispredicted)
{
	int n = 0;

	*mispredicted = strstr(text, "MISPREDICTED") != NULL;
	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");
		char name[64], value[32], outcome[16];

		if (sscanf(s, "%63s %31s %15s", name, value, outcome) == 3 && !strncmp(value, "0x", 2) &&
		    (!strcmp(outcome, "accept") || !strcmp(outcome, "reject"))) {
			if ((size_t)n == max)
				return -1;
			snprintf(v[n].name, sizeof(v[n].name), "%s", name);
			v[n++].accepted = !strcmp(outcome, "accept");
		}
		s += len + !!s[len];
	}
	return n;
}

/* try's verdicts are check's, register for register; the differences as # lines. */
static bool same_verdicts(const struct verdict *want, int nwant, const struct verdict *got, int ngot)
{
	bool same = nwant == ngot;

	if (!same)
		ksft_print_msg("check predicted %d registers, try wrote %d\n", nwant, ngot);
	for (int i = 0; i < nwant; i++) {
		int j = 0;

		while (j < ngot && strcmp(got[j].name, want[i].name))
			j++;
		if (j == ngot) {
			ksft_print_msg("%s: predicted, not written by try\n", want[i].name);
			same = false;
		} else if (got[j].accepted != want[i].accepted) {
			ksft_print_msg("%s: predicted %s, KVM %s\n", want[i].name,
				       want[i].accepted ? "accept" : "reject",
				       got[j].accepted ? "accepted" : "rejected");
			same = false;
		}
	}
	return same;
}

static void one_template(const struct embedded_file *t, const char *dir)
{
	static struct verdict predicted[MAX_REGS], tried[MAX_REGS];
	char path[256], clamped[256];
	int npredicted = -1, ntried, rejected = 0;
	bool mispredicted, ok, all;
	struct run r;

	snprintf(path, sizeof(path), "%s/%s", dir, t->name);
	snprintf(clamped, sizeof(clamped), "%s/clamped-%s", dir, t->name);
	write_file(path, t->text);

	/* check: the prediction from the live rules */
	r = cli(dir, (const char *[]){ "check", "--config", path, "--format", "firecracker", "--json", NULL });
	if (r.status == 0 || r.status == 1)
		npredicted = check_verdicts(r.out, predicted, MAX_REGS);
	ok = npredicted > 0;
	if (!ok)
		show("check", &r);
	ksft_test_result(ok, "%s: check (%d registers predicted)\n", t->name, npredicted);
	run_free(&r);

	/* clamp: a Firecracker template again */
	unlink(clamped);
	r = cli(dir, (const char *[]){ "clamp", "--config", path, "--format", "firecracker", "-o", clamped, NULL });
	{
		char *text = read_file(clamped);

		ok = (r.status == 0 || r.status == 1) && *text &&
		     ksr_config_detect_format(text, strlen(text)) == KSR_CONFIG_FORMAT_FIRECRACKER;
		if (!ok) {
			show("clamp", &r);
			ksft_print_msg("clamped template: %.200s\n", text);
		}
		free(text);
	}
	ksft_test_result(ok, "%s: clamp -o (a Firecracker template written)\n", t->name);
	run_free(&r);

	/* try the clamped template: KVM accepts all of it */
	r = cli(dir, (const char *[]){ "try", "--config", clamped, "--format", "firecracker", NULL });
	ntried = try_verdicts(r.out, tried, MAX_REGS, &mispredicted);
	ok = r.status == 0 && ntried > 0 && !mispredicted;
	for (int i = 0; ok && i < ntried; i++)
		ok = tried[i].accepted;
	if (!ok)
		show("try (clamped)", &r);
	ksft_test_result(ok, "%s: try the clamped template (%d registers accepted by KVM)\n", t->name, ntried);
	run_free(&r);

	/* try the template: KVM does what check predicted; exit 0 or 1 as it did, never 3 */
	r = cli(dir, (const char *[]){ "try", "--config", path, "--format", "firecracker", NULL });
	ntried = try_verdicts(r.out, tried, MAX_REGS, &mispredicted);
	all = ntried > 0;
	for (int i = 0; i < ntried; i++)
		all = all && tried[i].accepted;
	if (npredicted <= 0)
		ksft_print_msg("no prediction to compare with: check failed\n");
	ok = !mispredicted && ntried > 0 && r.status == (all ? 0 : 1) && npredicted > 0 &&
	     same_verdicts(predicted, npredicted, tried, ntried);
	if (!ok)
		show("try", &r);
	for (int i = 0; i < ntried; i++)
		rejected += !tried[i].accepted;
	ksft_test_result(ok, "%s: try (KVM as check predicted: %d registers accepted, %d rejected)\n",
			 t->name, ntried - rejected, rejected);
	run_free(&r);
}

int main(void)
{
	char dir[] = "/tmp/vmm_templates-XXXXXX";

	ksft_print_header();
	ksft_set_plan(NR(vmm_templates) * STEPS);
	if (!mkdtemp(dir))
		ksft_exit_fail_msg("mkdtemp: %s\n", strerror(errno));
	for (size_t i = 0; i < NR(vmm_templates); i++)
		one_template(&vmm_templates[i], dir);
	ksft_finished();
}
