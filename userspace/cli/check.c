// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules check --batch: would KVM accept these register values?
 *
 * Input: lines "REG VALUE", REG a register name or op0,op1,CRn,CRm,op2,
 * VALUE in hex; blank lines and lines starting with # are skipped. Output:
 * one line per input line, "REG VALUE accept" or
 * "REG VALUE reject FIELD:reason[,FIELD:reason...]", relative to the
 * defaults of a scratch VM made as for dump, or of a profile (--profile).
 * The whole input is read and checked before anything is printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct query {
	const struct ksr_reg *reg;
	char *reg_text;
	uint64_t value;
};

/* The most --input (or standard input) may hold: as much as a configuration file. */
#define INPUT_MAX_BYTES (16u << 20)

/* The words of line (at most max; *nr counts them all), split at blanks in place. */
static void split_words(char *line, char **words, unsigned int max, unsigned int *nr)
{
	char *save, *w;

	*nr = 0;
	for (w = strtok_r(line, " \t\r\n\v\f", &save); w; w = strtok_r(NULL, " \t\r\n\v\f", &save))
		if (++*nr <= max)
			words[*nr - 1] = w;
}

/* Reads and checks every line; returns the queries or exits the command. */
static int read_queries(FILE *in, const char *in_name, const struct ksr_rules *rules,
			struct query **out, size_t *count)
{
	struct query *q = NULL;
	size_t n = 0, cap = 0, len = 0, total = 0;
	char *line = NULL;
	unsigned long lineno = 0;
	ssize_t got;

	while ((got = getline(&line, &len, in)) >= 0) {
		char *words[2];
		unsigned int nr;

		lineno++;
		total += (size_t)got;
		if (total > INPUT_MAX_BYTES) {
			fprintf(stderr, "kvm-safe-rules: check: %s: larger than %u MiB\n", in_name,
				INPUT_MAX_BYTES >> 20);
			goto bad;
		}
		if (memchr(line, '\0', (size_t)got)) {
			fprintf(stderr, "kvm-safe-rules: check: %s:%lu: contains a NUL byte\n", in_name,
				lineno);
			goto bad;
		}
		split_words(line, words, 2, &nr);
		if (!nr || words[0][0] == '#')
			continue;
		if (nr != 2) {
			fprintf(stderr, "kvm-safe-rules: check: %s:%lu: expected 'REG VALUE'\n",
				in_name, lineno);
			goto bad;
		}
		if (n == cap) {
			struct query *bigger = realloc(q, (cap = cap ? cap * 2 : 64) * sizeof(*q));

			if (!bigger) {
				fprintf(stderr, "kvm-safe-rules: check: out of memory\n");
				goto bad;
			}
			q = bigger;
		}
		q[n].reg = ksr_rules_find_reg(rules, words[0]);
		if (!q[n].reg) {
			fprintf(stderr, "kvm-safe-rules: check: %s:%lu: unknown register '%s'\n",
				in_name, lineno, words[0]);
			goto bad;
		}
		if (ksr_parse_hex64(words[1], &q[n].value)) {
			fprintf(stderr, "kvm-safe-rules: check: %s:%lu: '%s' is not a 64-bit hex value\n",
				in_name, lineno, words[1]);
			goto bad;
		}
		q[n].reg_text = strdup(words[0]);
		if (!q[n].reg_text)
			goto bad;
		n++;
	}
	if (ferror(in)) {
		fprintf(stderr, "kvm-safe-rules: check: %s: %s\n", in_name, strerror(errno));
		goto bad;
	}
	if (!n) {
		fprintf(stderr, "kvm-safe-rules: check: %s: no 'REG VALUE' line to check\n", in_name);
		goto bad;
	}
	free(line);
	*out = q;
	*count = n;
	return 0;
bad:
	for (size_t i = 0; i < n; i++)
		free(q[i].reg_text);
	free(q);
	free(line);
	return EXIT_USAGE;
}

static void print_fault(const struct ksr_reg *reg, const struct ksr_fault *f, bool first)
{
	putchar(first ? ' ' : ',');
	/* A firmware register's value refused as a whole: the register names it */
	if (!f->field && reg->kind != KSR_REG_KIND_ID && f->reason != KSR_NOT_OFFERED)
		printf("%s", ksr_reg_name(reg));
	else if (f->field && f->field->name)
		printf("%s", f->field->name);
	else if (f->field)
		printf("bits[%u:%u]", f->field->shift + f->field->width - 1, f->field->shift);
	else
		printf("0x%016" PRIx64, f->bits);
	printf(":%s", ksr_reason_name(f->reason));
}

int cmd_check(int argc, char **argv)
{
	const char *in_name = "<stdin>";
	struct cli_opts o = { 0 };
	struct ksr_rules *rules;
	struct ksr_source *src;
	struct query *q = NULL;
	bool batch = false, any_reject = false;
	FILE *in = stdin;
	size_t n = 0;
	int ret;

	for (int i = 0; i < argc && !batch; i++)
		batch = !strcmp(argv[i], "--batch");
	if (!batch)
		return cmd_check_config(argc, argv);
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--batch"))
			batch = true;
		else if (!strcmp(argv[i], "--input") && i + 1 < argc)
			in_name = argv[++i];
		else if (parse_common_option(argc, argv, &i, false, &o) != 1)
			return unknown_option("check", argv[i]);
	}
	if (strcmp(in_name, "<stdin>")) {
		in = fopen(in_name, "r");
		if (!in) {
			fprintf(stderr, "kvm-safe-rules: check: %s: %s\n", in_name, strerror(errno));
			return EXIT_USAGE;
		}
	}

	ret = open_rules("check", &o, &src, &rules);
	if (ret) {
		if (in != stdin)
			fclose(in);
		return ret;
	}
	ret = read_queries(in, in_name, rules, &q, &n);
	if (in != stdin)
		fclose(in);
	if (ret)
		goto out;

	for (size_t i = 0; i < n; i++) {
		struct ksr_verdict v;
		uint64_t current;

		if (ksr_source_current(src, q[i].reg, &current)) {
			fprintf(stderr, "kvm-safe-rules: check: KVM_GET_ONE_REG %s failed\n", q[i].reg_text);
			ret = EXIT_KVM;
			goto out;
		}
		ksr_predict(q[i].reg, q[i].value, current, &v);
		printf("%s 0x%016" PRIx64 " %s", q[i].reg_text, q[i].value, v.accept ? "accept" : "reject");
		for (unsigned int j = 0; j < v.nr_faults; j++)
			print_fault(q[i].reg, &v.faults[j], j == 0);
		putchar('\n');
		any_reject |= !v.accept;
	}
	ret = any_reject ? 1 : 0;
out:
	for (size_t i = 0; i < n; i++)
		free(q[i].reg_text);
	free(q);
	ksr_rules_free(rules);
	ksr_source_close(src);
	return ret;
}
