// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules try: what KVM really does, in a scratch VM of this host.
 *
 *	try [--pmu] [--sve] [--pauth] (--config FILE [--format FMT] | REG=VALUE...)
 *	try [--pmu] [--sve] [--pauth] --values REG.FIELD|REG/MASK...
 *
 * The first writes a configuration into a new VM with KVM_SET_ONE_REG, one
 * register after the other in encoding order, and prints for each what KVM
 * did (accepted and the value read back, or the errno) next to what the
 * predictor said from the exported rules. The second writes every value of
 * a field (or of the bits of MASK, at most 8 of them) into the register's
 * default and prints the values KVM accepted. Both are the real-KVM
 * counterparts of check and values.
 *
 * Exit status: 0 every value accepted, 1 some rejected or KVM failed, 2 bad
 * input, 3 the predictor disagreed with KVM (a bug worth reporting).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_MASK_BITS		8

/* Writes value, reads back, restores nothing; returns KVM's errno or 0. */
static int write_read(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value,
		      uint64_t *back)
{
	int ret = ksr_source_write(src, reg, value);

	if (ksr_source_current(src, reg, back))
		return -EIO;
	return ret;
}

static int try_config(struct ksr_source *src, const struct ksr_rules *rules,
		      const struct ksr_config *cfg)
{
	bool rejected = false, mispredicted = false;

	for (unsigned int i = 0; i < ksr_config_nr(cfg); i++) {
		const struct ksr_reg *reg;
		struct ksr_verdict v;
		uint64_t id, value, def, back;
		int ret;

		ksr_config_entry_id(cfg, i, &id, &value);
		reg = ksr_rules_find_id(rules, id);
		if (!reg)
			return cli_fail("try", CLI_STAGE_INPUT, -ENOENT,
					"0x%016" PRIx64 " is not a register of this VM's rules", id);
		if (ksr_source_current(src, reg, &def))
			return CLI_NO;
		ksr_predict(reg, value, def, &v);
		ret = write_read(src, reg, value, &back);
		if (ret == -EIO)
			return cli_fail("try", CLI_STAGE_KVM, ret, "KVM_GET_ONE_REG %s failed",
					ksr_reg_name(reg));
		printf("%s 0x%016" PRIx64 " %s", ksr_reg_name(reg), value, ret ? "reject" : "accept");
		if (ret)
			printf(" %s", strerror(-ret));
		else
			printf(" stored 0x%016" PRIx64, back);
		if (v.error != ret || (!ret && v.stored != back)) {
			printf(" MISPREDICTED: %s", v.accept ? "accept" : "reject");
			if (v.accept)
				printf(" stored 0x%016" PRIx64, v.stored);
			mispredicted = true;
		}
		putchar('\n');
		rejected |= ret != 0;
	}
	return mispredicted ? CLI_INTERNAL : rejected ? CLI_NO : 0;
}

/* "REG.FIELD" or "REG/MASK" -> register and bit mask. */
static int parse_bits(const struct ksr_rules *rules, const char *arg,
		      const struct ksr_reg **reg, uint64_t *mask)
{
	char name[64], *sep, *end;
	size_t n = strcspn(arg, "./");

	if (n >= sizeof(name) || !arg[n])
		return cli_usage_error("try", "'%s' is not REG.FIELD or REG/MASK", arg);
	memcpy(name, arg, n);
	name[n] = '\0';
	*reg = ksr_rules_find_reg(rules, name);
	if (!*reg)
		return cli_usage_error("try", "unknown register in '%s'", arg);
	sep = (char *)arg + n;
	if (*sep == '.') {
		const struct ksr_field *f = ksr_reg_find_field(*reg, sep + 1);

		if (!f)
			return cli_usage_error("try", "unknown field in '%s'", arg);
		*mask = ksr_field_mask(f);
	} else {
		errno = 0;
		*mask = strtoull(sep + 1, &end, 16);
		if (errno || *end || !sep[1] || !*mask)
			return cli_usage_error("try", "bad mask in '%s'", arg);
	}
	if (__builtin_popcountll(*mask) > MAX_MASK_BITS)
		return cli_usage_error("try", "more than 8 bits in '%s'", arg);
	return 0;
}

/* Spreads the low bits of x over the set bits of mask. */
static uint64_t deposit(uint64_t x, uint64_t mask)
{
	uint64_t out = 0;

	for (uint64_t bit = 1; mask; bit <<= 1) {
		uint64_t low = mask & -mask;

		if (x & bit)
			out |= low;
		mask &= mask - 1;
	}
	return out;
}

static int try_values(struct ksr_source *src, const struct ksr_rules *rules, int argc, char **argv)
{
	bool mispredicted = false;

	for (int i = 0; i < argc; i++) {
		const struct ksr_reg *reg = NULL;
		uint64_t mask = 0, def;
		unsigned int shift;
		const char *sep = " ";
		int ret = parse_bits(rules, argv[i], &reg, &mask);

		if (ret)
			return ret;
		if (ksr_source_current(src, reg, &def))
			return CLI_NO;
		shift = __builtin_ctzll(mask);
		printf("%s accepted", argv[i]);
		for (uint64_t x = 0; x < 1ull << __builtin_popcountll(mask); x++) {
			uint64_t value = (def & ~mask) | deposit(x, mask), back;
			struct ksr_verdict v;

			ksr_predict(reg, value, def, &v);
			ret = write_read(src, reg, value, &back);
			if (ret == -EIO)
				return CLI_NO;
			if (v.error != ret || (!ret && v.stored != back))
				mispredicted = true;
			if (!ret) {
				printf("%s0x%" PRIx64, sep, (value & mask) >> shift);
				sep = ",";
			}
			if (back != def && ksr_source_write(src, reg, def))
				return CLI_NO;
		}
		printf("%s\n", *sep == ' ' ? " none" : "");
	}
	if (mispredicted)
		fprintf(stderr, "kvm-safe-rules: try: the predictor disagreed with KVM\n");
	return mispredicted ? CLI_INTERNAL : 0;
}

static int cmd_try(struct cli_opts *o)
{
	enum ksr_config_format format;
	struct ksr_config *cfg = NULL;
	struct ksr_rules *rules;
	struct ksr_source *src;
	int ret;

	if (o->profile)
		return cli_usage_error("try", "needs a live VM, not a profile");
	if (o->values ? (o->config || !o->nr_args) : (o->config ? o->nr_args > 0 : !o->nr_args))
		return cli_usage_error("try", "give --config FILE, REG=VALUE..., or --values REG.FIELD...");
	ret = cli_open_rules(o, &src, &rules);
	if (ret)
		return ret;
	if (o->values) {
		ret = try_values(src, rules, (int)o->nr_args, o->args);
	} else {
		ret = cli_read_config(o, rules, &cfg, &format);
		if (!ret) {
			cli_print_kept(stdout, cfg, "");
			ret = try_config(src, rules, cfg);
		}
	}
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	ksr_source_close(src);
	return ret;
}

const struct cli_cmd cli_cmd_try = {
	.name = "try",
	.run = cmd_try,
	.synopsis = "(--config FILE [--format FMT] | REG=VALUE... | --values REG.FIELD|REG/MASK...)\n"
		    "      [--pmu] [--sve] [--pauth] [--psci-0.2] [--source NAME]",
	.help =
	"      What KVM really does, in a scratch VM of this host (arm64 only):\n"
	"      writes the configuration with KVM_SET_ONE_REG, register by register,\n"
	"      and prints per register accept (and the value read back) or reject\n"
	"      (and the errno), flagging any write the predictor got wrong; with\n"
	"      --values, writes every value of the field (or of MASK's bits, at\n"
	"      most 8) into the register's default and prints those KVM accepted.\n"
	"      The real-KVM counterpart of check and values; exit 3 when the\n"
	"      predictor disagreed with KVM.\n",
	.opts = CLI_OPT_SOURCE | CLI_OPT_CONFIG | CLI_OPT_FORMAT | CLI_OPT_VALUES,
	.max_args = ~0u,
	.args_error = "",
};
