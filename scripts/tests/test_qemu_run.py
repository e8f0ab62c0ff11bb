# SPDX-License-Identifier: GPL-2.0
"""Harness tests: scripts/qemu-run and scripts/run-tests against a real boot.

They boot the patched kernel (make kernel guest) on QEMU and check that every
outcome of a guest program reaches the host truthfully: its output, its exit
status, a hang, a missing program, a crash, a broken /init. The kernel log
tests boot the stock kernel (make kernel-stock), as a kernel that does not
warn, and plant the symptoms of one that does: a WARNING record written to
/dev/kmsg, a taint flag written to /proc/sys/kernel/tainted.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import testresults as tr  # noqa: E402

QEMU_RUN = os.path.join(TOP, "scripts", "qemu-run")
RUN_TESTS = os.path.join(TOP, "scripts", "run-tests")
PROBE = os.path.join(TOP, "build", "guest", "bin", "harness-probe")
CPU = "cortex-a57"


def qemu_run(*args, timeout=120):
    return subprocess.run([QEMU_RUN, "--cpu", CPU, *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


class QemuRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(PROBE):
            raise AssertionError(f"{PROBE} is missing: run 'make guest' first")

    def test_exit_status_and_output_of_an_added_program(self):
        r = qemu_run("--add", f"{PROBE}:/x", "--", "/x", "exit", "3")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("harness-probe: stdout line, exiting with 3", r.stdout)
        self.assertIn("harness-probe: stderr line", r.stdout)

    def test_exit_zero(self):
        r = qemu_run("--", "harness-probe", "exit", "0")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_project_programs_are_on_path_and_kvm_works(self):
        r = qemu_run("--", "harness-probe", "kvm")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("/dev/kvm opens", r.stdout)

    def test_command_timeout_inside_the_guest(self):
        r = qemu_run("--cmd-timeout", "2", "--", "harness-probe", "hang")
        self.assertEqual(r.returncode, 124)
        self.assertIn("status=timeout", r.stdout)

    def test_machine_timeout_shows_console_tail(self):
        r = qemu_run("--timeout", "8", "--", "harness-probe", "hang")
        self.assertEqual(r.returncode, 124)
        self.assertIn("timed out after 8 s", r.stderr)
        self.assertIn("| harness-probe: hanging", r.stderr)

    def test_missing_program(self):
        r = qemu_run("--", "/no/such/program")
        self.assertEqual(r.returncode, 127)
        self.assertIn("cannot run /no/such/program", r.stdout)

    def test_program_killed_by_a_signal(self):
        r = qemu_run("--", "harness-probe", "signal", "11")
        self.assertEqual(r.returncode, 128 + 11)

    def test_broken_init_is_a_harness_failure_with_tail(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("not an executable\n")
        try:
            r = qemu_run("--add", f"{f.name}:/init", "--", "harness-probe", "exit", "0")
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 125)
        self.assertIn("ended without reporting a result", r.stderr)
        self.assertIn("Kernel panic", r.stderr)

    def test_several_commands_and_the_json_report(self):
        with tempfile.TemporaryDirectory() as d:
            res = os.path.join(d, "r.json")
            r = qemu_run("--results", res, "--run", "harness-probe exit 0",
                         "--run", "harness-probe exit 5", "--run", "harness-probe exit 6")
            self.assertEqual(r.returncode, 5)
            with open(res) as f:
                report = json.load(f)
        self.assertEqual(report["outcome"], "ok")
        self.assertEqual([c["status"] for c in report["commands"]], [0, 5, 6])
        self.assertIn("harness-probe: stdout line, exiting with 5", report["commands"][1]["output"])
        self.assertGreater(report["boot_seconds"], 0)

    def test_guest_output_cannot_forge_a_result(self):
        # The program prints init's markers without this boot's nonce.
        r = qemu_run("--", "harness-probe", "forge")
        self.assertEqual(r.returncode, 9, r.stdout)
        self.assertIn("ksr-init: 0123456789abcdef done status=0", r.stdout)


def run_manifest(text, *extra, kernel="patched", model=CPU):
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as f:
        f.write(text)
    try:
        with tempfile.TemporaryDirectory() as out:
            return subprocess.run([RUN_TESTS, "--models", model, "--kernel", kernel,
                                   "--manifest", f.name, "--out", os.path.join(out, "r"),
                                   *extra],
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, timeout=300)
    finally:
        os.unlink(f.name)


class RunTests(unittest.TestCase):
    """make test must fail, with the console tail, when a guest test hangs or
    cannot be run at all."""

    def run_manifest(self, text, *extra):
        return run_manifest(text, *extra)

    def test_hanging_guest_program_fails_the_run(self):
        r = self.run_manifest("hang tap 3 harness-probe hang\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("FAIL hang on cortex-a57: killed by its 3 s timeout", r.stdout)
        self.assertIn("| harness-probe: hanging", r.stdout)
        self.assertRegex(r.stdout.splitlines()[-1], r"^0 passed, [1-9]\d* failed, 0 skipped$")

    def test_missing_guest_program_fails_the_run(self):
        r = self.run_manifest("missing tap 30 no-such-program\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("cannot run no-such-program", r.stdout)
        self.assertIn("FAIL missing on cortex-a57: could not be started (status 127)", r.stdout)
        self.assertRegex(r.stdout.splitlines()[-1], r"^0 passed, [1-9]\d* failed, 0 skipped$")

    def test_failing_tap_counts(self):
        r = self.run_manifest("probe tap 30 harness-probe tap 3 2 1\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(r.stdout.splitlines()[-1], "3 passed, 2 failed, 1 skipped")

    def test_passing_tap_counts(self):
        r = self.run_manifest("probe tap 30 harness-probe tap 4 0 2\n")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(r.stdout.splitlines()[-1], "4 passed, 0 failed, 2 skipped")


PLANTED = "WARNING: CPU: 0 PID: 1 at fake.c:1 planted+0x0/0x4"


class KernelLog(unittest.TestCase):
    """A guest test passes only if the kernel log stays clean and no taint
    flag appears; the boot's own log must be clean too. On the stock kernel,
    with the symptoms planted by harness-probe (each prints a passing TAP
    result: nothing but the kernel log can fail them)."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(PROBE):
            raise AssertionError(f"{PROBE} is missing: run 'make guest' first")

    def run_manifest(self, text, *extra):
        return run_manifest(text, *extra, kernel="stock")

    def summary_row(self, r):
        return next(line for line in r.stdout.splitlines() if line.startswith(f"  {CPU} "))

    def test_clean_command_passes(self):
        r = self.run_manifest("clean tap 30 harness-probe tap 2 0 0\n")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(r.stdout.splitlines()[-1], "2 passed, 0 failed, 0 skipped")
        self.assertTrue(self.summary_row(r).endswith(" clean"), r.stdout)

    def test_planted_warning_fails_the_test_with_the_line_shown(self):
        r = self.run_manifest(f"warn tap 30 harness-probe kmsg {PLANTED}\n"
                              "after tap 30 harness-probe tap 1 0 0\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(f"FAIL warn on {CPU}: kernel log not clean: kernel log (WARNING): "
                      f"{PLANTED}", r.stdout)
        self.assertRegex(r.stdout, r"\n  kernel \| \[ *\d+\.\d{6}\] " + PLANTED.replace("+", r"\+"))
        self.assertNotIn("FAIL after", r.stdout)
        self.assertTrue(self.summary_row(r).endswith(" 1 FAIL"), r.stdout)
        self.assertIn(f"  {CPU}: warn\n", r.stdout)
        # its passing TAP line, the next test's, and the kernel log's failure
        self.assertEqual(r.stdout.splitlines()[-1], "2 passed, 1 failed, 0 skipped")

    def test_new_taint_bit_fails_with_the_bit_decoded(self):
        r = self.run_manifest("taint tap 30 harness-probe taint 512\n"
                              "after tap 30 harness-probe tap 1 0 0\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(f"FAIL taint on {CPU}: kernel log not clean: new taint W (512: WARN): "
                      "tainted 0 before, 512 after", r.stdout)
        # the flag stays set, but it is not new for the next test
        self.assertNotIn("FAIL after", r.stdout)
        self.assertEqual(r.stdout.splitlines()[-1], "2 passed, 1 failed, 0 skipped")

    def test_boot_log_with_a_report_fails_the_run(self):
        # the kernel logs its command line and its unknown parameters
        with tempfile.TemporaryDirectory() as d:
            res = os.path.join(d, "r.json")
            r = qemu_run("--kernel", "stock", "--append", "WARNING:planted-at-boot",
                         "--results", res, "--", "harness-probe", "exit", "0")
            with open(res) as f:
                report = json.load(f)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("the kernel log of the boot on -cpu cortex-a57 is not clean", r.stderr)
        boot = tr.judge_boot_log(report, CPU)
        self.assertEqual((boot.failed, boot.kernel_failed), (1, 1))
        self.assertIn("WARNING:planted-at-boot", boot.kernel.problems[0])
        self.assertTrue(tr.judge_kernel_log(tr.Counts(), report["commands"][0]).kernel.clean)

    def test_known_boot_report_is_known_not_passed(self):
        # Every a64fx boot warns in arch_setup_dma_ops() (known-upstream-failures.yaml)
        r = run_manifest("clean tap 30 harness-probe tap 1 0 0\n", kernel="stock",
                         model="a64fx")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("boot: arm64's arch_setup_dma_ops() warns", r.stdout)
        self.assertRegex(r.stdout, r"\n  a64fx +[\d.]+s +1 +0 +0 +1\+0 not run +clean\n")
        self.assertEqual(r.stdout.splitlines()[-1], "1 passed, 0 failed, 1 skipped")

    def test_forged_markers_with_the_nonce_cannot_clear_a_failure(self):
        # The probe plants a WARNING and the W flag, then prints with this
        # boot's nonce the markers of a clean end of its command and "done".
        nonce = "5eed0f0f5eed0f0f"
        with tempfile.TemporaryDirectory() as d:
            res = os.path.join(d, "r.json")
            r = qemu_run("--kernel", "stock", "--nonce", nonce, "--results", res,
                         "--", "harness-probe", "forge", nonce, "0")
            with open(res) as f:
                report = json.load(f)
        self.assertEqual(r.returncode, 125, r.stdout + r.stderr)
        cmd = report["commands"][0]
        c = tr.judge(tr.GuestTest("forge", "tap", 30, []), CPU, cmd["output"], cmd["status"], [])
        tr.judge_kernel_log(c, cmd)
        self.assertEqual((c.passed, c.failed, c.kernel_failed), (1, 1, 1))
        self.assertIn("out of sequence", c.kernel.problems[0])
        self.assertIn("WARNING", c.kernel.kinds)
        self.assertTrue(any(PLANTED in line for line in c.kernel.lines), c.kernel.lines)

    def test_forged_markers_without_the_nonce_cannot_clear_a_failure(self):
        r = self.run_manifest("forge tap 30 harness-probe forge 0123456789abcdef 0\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(f"FAIL forge on {CPU}: kernel log not clean: kernel log (WARNING): "
                      f"{PLANTED}; new taint W (512: WARN)", r.stdout)
        self.assertEqual(r.stdout.splitlines()[-1], "1 passed, 1 failed, 0 skipped")

    def test_stock_comparison_fails_when_the_stock_log_is_not_clean(self):
        r = self.run_manifest(f"warn tap 30 harness-probe kmsg {PLANTED}\n"
                              "clean tap 30 harness-probe tap 1 0 0\n",
                              "--compare-stock", "warn clean")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(f"STOCK KERNEL LOG NOT CLEAN: warn on {CPU}: patched 1/1/0/0, kernel log NOT CLEAN "
                      f"(WARNING; new taint none); stock 1/1/0/0, kernel log NOT CLEAN", r.stdout)
        self.assertIn(f"FAIL warn on {CPU} (stock kernel): kernel log not clean", r.stdout)
        self.assertIn(f"same: clean on {CPU}: patched 1/0/0/0, kernel log clean; "
                      f"stock 1/0/0/0, kernel log clean", r.stdout)
        # warn (1 passed, 1 failed), clean (1 passed), comparisons (1 failed, 1 passed)
        self.assertEqual(r.stdout.splitlines()[-1], "3 passed, 2 failed, 0 skipped")


if __name__ == "__main__":
    unittest.main()
