// SPDX-License-Identifier: GPL-2.0
/*
 * check --batch's input: lines "REG VALUE", REG a register name,
 * op0,op1,CRn,CRm,op2 or an id, VALUE as in a configuration
 * (ksr_parse_hex64()); blank lines and lines starting with # are skipped.
 * A register may be asked about more than once. Its own file: the fuzzer
 * (userspace/tests/fuzz/fuzz-batch.c) links it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

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

int cli_read_queries(FILE *in, const char *in_name, const struct ksr_rules *rules,
			struct cli_query **out, size_t *count)
{
	struct cli_query *q = NULL;
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
			struct cli_query *bigger = realloc(q, (cap = cap ? cap * 2 : 64) * sizeof(*q));

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
	cli_free_queries(q, n);
	free(line);
	return CLI_BAD;
}

void cli_free_queries(struct cli_query *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(q[i].reg_text);
	free(q);
}
