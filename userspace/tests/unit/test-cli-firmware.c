// SPDX-License-Identifier: GPL-2.0
/*
 * The host CLI on firmware registers (fixtures/firmware: a and b differ
 * only in SMCCC_ARCH_WORKAROUND_1, c offers fewer vendor hypercall bits):
 * the acceptance check of issue 13 (migrate-check names the register and
 * why), and what every other command prints of them.
 */
#include <json.h>

#include "cli-run.h"

static int run(const char *args)
{
	return run_cli("", args);
}

/* How many times text is in the file at path. */
static unsigned int count(const char *path, const char *text)
{
	size_t len;
	char *s = slurp(path, &len), *p = s;
	unsigned int n = 0;

	while ((p = strstr(p, text))) {
		n++;
		p += strlen(text);
	}
	free(s);
	return n;
}

static void test_migrate_check_names_the_register(void **state)
{
	(void)state;
	assert_int_equal(run("migrate-check --from firmware/a.json --to firmware/b.json"), 1);
	expect(out_path, "firmware/a.json -> firmware/b.json: blocked\n");
	expect(out_path, "  blocker: KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1: the source's 0x2 is not "
			 "accepted by firmware/b.json (not-an-accepted-value; it accepts 0x0, 0x1; "
			 "its default 0x1)\n");
	assert_int_equal(count(out_path, "blocker"), 1);
	/* by id, and as JSON */
	assert_int_equal(run("migrate-check --by-encoding --from firmware/a.json --to firmware/b.json"), 1);
	expect(out_path, "  blocker: 0x6030000000140001: the source's 0x2");
	assert_int_equal(run("migrate-check --json --from firmware/a.json --to firmware/b.json"), 1);
	expect(out_path, "\"id\": \"0x6030000000140001\"");
	expect(out_path, "\"why\": \"not-an-accepted-value\"");
	/* the way back works; a bitmap bit c does not offer blocks, named */
	assert_int_equal(run("migrate-check --from firmware/b.json --to firmware/a.json"), 0);
	assert_int_equal(run("migrate-check --from firmware/a.json --to firmware/c.json"), 1);
	expect(out_path, "blocker: KVM_REG_ARM_VENDOR_HYP_BMAP.bits 0x2 (PTP): guest 0x2, "
			 "firmware/c.json default 0x0: not-offered");
}

static void test_check_batch(void **state)
{
	char args[256];
	FILE *f;

	(void)state;
	f = fopen(at("in"), "w");
	assert_non_null(f);
	fputs("KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 0x3\n0x6030000000140000 0x10000\n"
	      "KVM_REG_ARM_VENDOR_HYP_BMAP 0x6\nKVM_REG_ARM_STD_BMAP 0\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "check --batch --profile firmware/a.json --input %s", at("in"));
	assert_int_equal(run(args), 1);
	expect(out_path, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 0x0000000000000003 reject "
			 "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:not-an-accepted-value\n");
	expect(out_path, "0x6030000000140000 0x0000000000010000 accept\n");
	expect(out_path, "KVM_REG_ARM_VENDOR_HYP_BMAP 0x0000000000000006 reject "
			 "0x0000000000000004:not-offered\n");
	expect(out_path, "KVM_REG_ARM_STD_BMAP 0x0000000000000000 accept\n");
}

static void test_check_and_clamp(void **state)
{
	(void)state;
	assert_int_equal(run("check --profile firmware/a.json KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1=3 "
			     "0x6030000000160002=6"), 1);
	expect(out_path, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 0x0000000000000003 reject\n"
			 "  (register)       0x3 rejected: not-an-accepted-value (default 0x2; accepted "
			 "0x0, 0x1, 0x2)\n");
	expect(out_path, "  bits 0x4 (BIT2)  0x4 rejected: not-offered");
	assert_int_equal(run("clamp --profile firmware/a.json KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1=3 "
			     "KVM_REG_ARM_VENDOR_HYP_BMAP=6 KVM_REG_ARM_PSCI_VERSION=1"), 0);
	expect(out_path, "# KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 0x3 -> 0x2: not-an-accepted-value "
			 "(allowed 0x0, 0x1, 0x2)\n");
	expect(out_path, "# KVM_REG_ARM_PSCI_VERSION 0x1 -> 0x10001: not-an-accepted-value");
	expect(out_path, "\nKVM_REG_ARM_VENDOR_HYP_BMAP 0x0000000000000002\n");
}

/* Which hypercall services and PSCI versions a guest may have on both hosts. */
static void test_baseline(void **state)
{
	(void)state;
	assert_int_equal(run("baseline firmware/a.json firmware/c.json"), 0);
	expect(out_path, "# KVM_REG_ARM_VENDOR_HYP_BMAP.PTP = 0, limited by firmware/c.json");
	expect(out_path, "# KVM_REG_ARM_PSCI_VERSION = 0x10001; every profile accepts 0x2, 0x10000, "
			 "0x10001 (defaults: firmware/a.json 0x10001, firmware/c.json 0x10001)\n");
	expect(out_path, "\nKVM_REG_ARM_PSCI_VERSION 0x0000000000010001\n");
	expect(out_path, "\nKVM_REG_ARM_VENDOR_HYP_BMAP 0x0000000000000001\n");
	assert_int_equal(run("baseline firmware/a.json firmware/b.json"), 0);
	expect(out_path, "# KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 = 0x1; every profile accepts 0x0, 0x1 "
			 "(defaults: firmware/a.json 0x2, firmware/b.json 0x1)\n");
}

static void test_dump_values_diff(void **state)
{
	(void)state;
	assert_int_equal(run("dump --profile firmware/a.json"), 0);
	expect(out_path, "KVM_REG_ARM_VENDOR_HYP_BMAP 0x6030000000160002  default 0x0000000000000003\n"
			 "    bits KVM offers: 0 (FUNC_FEAT), 1 (PTP); each may be set or cleared, any "
			 "other bit is refused\n");
	expect(out_path, "    accepted values: 0x0 (reads back 0x2), 0x1 (reads back 0x2), 0x2; any "
			 "other value is refused\n");
	expect(out_path, "follows the ID registers");
	assert_int_equal(run("values --profile firmware/a.json KVM_REG_ARM_PSCI_VERSION"), 0);
	expect(out_path, "accepted values: 0x2, 0x10000, 0x10001; any other value is refused");
	/* its three accepted values, one run of numbers (values --json, one field) */
	assert_int_equal(run("values --json --profile firmware/a.json 0x6030000000140001"), 0);
	expect(out_path, "\"rule\": \"VALUES\"");
	expect(out_path, "\"ranges\": [\n        {\n          \"min\": 0,\n          \"max\": 2\n        }\n      ]");
	assert_int_equal(run("values --profile firmware/a.json KVM_REG_ARM_VENDOR_HYP_BMAP.PTP"), 0);
	expect(out_path, "KVM_REG_ARM_VENDOR_HYP_BMAP.PTP");
	expect(out_path, "allowed 0..1");
	assert_int_equal(run("diff firmware/a.json firmware/b.json"), 1);
	expect(out_path, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 values: 0x0 (reads 0x2), 0x1 (reads 0x2), "
			 "0x2 -> 0x0 (reads 0x1), 0x1\n");
	expect(out_path, "2 differences\n");
}

/* psci-0.2 is a vCPU feature option like --pmu (a profile takes none). */
static void test_psci_feature(void **state)
{
	(void)state;
	assert_int_equal(run("dump --psci-0.2 --profile firmware/a.json"), 2);
	expect(err_path, "--profile takes no vCPU features");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_check_names_the_register),
		cmocka_unit_test(test_check_batch),
		cmocka_unit_test(test_check_and_clamp),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_dump_values_diff),
		cmocka_unit_test(test_psci_feature),
	};

	return cmocka_run_group_tests_name("cli-firmware", tests, setup, teardown);
}
