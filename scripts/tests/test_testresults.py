# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/testresults.py and scripts/kernellog.py: how guest
test output, the kernel log and the taint flags are judged."""
import importlib.machinery
import os
import re
import tempfile
import types
import unittest

import kernellog
import testresults as tr

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TAP = tr.GuestTest("t", "tap", 60, ["t"])
CONFIGS = tr.GuestTest("g", "configs", 60, ["g"])


def tap(*lines):
    return ["TAP version 13", *lines]


class JudgeTap(unittest.TestCase):
    def test_all_pass(self):
        c = tr.judge(TAP, "max", tap("1..2", "ok 1 a", "ok 2 b"), 0, [])
        self.assertEqual((c.passed, c.failed, c.skipped, c.not_run), (2, 0, 0, 0))

    def test_failure_and_skip(self):
        c = tr.judge(TAP, "max", tap("1..3", "ok 1 a", "not ok 2 b", "ok 3 c # SKIP no"), 1, [])
        self.assertEqual((c.passed, c.failed, c.skipped), (1, 1, 1))
        self.assertIn("not ok 2 b", c.problems)

    def test_abort_mid_plan_fails_one_and_leaves_rest_not_run(self):
        c = tr.judge(TAP, "max", tap("1..5", "ok 1 a", "ok 2 b", "==== Test Assertion Failure ===="), 254, [])
        self.assertEqual((c.passed, c.failed, c.not_run), (2, 1, 2))
        self.assertEqual(c.bad, 3)

    def test_short_plan_with_exit_zero_is_still_bad(self):
        c = tr.judge(TAP, "max", tap("1..3", "ok 1 a"), 0, [])
        self.assertEqual((c.passed, c.failed, c.not_run), (1, 0, 2))

    def test_nonzero_exit_with_all_ok_is_a_failure(self):
        c = tr.judge(TAP, "max", tap("1..1", "ok 1 a"), 1, [])
        self.assertEqual((c.passed, c.failed), (1, 1))

    def test_no_output_is_a_failure(self):
        c = tr.judge(TAP, "max", ["some text"], 0, [])
        self.assertEqual(c.failed, 1)

    def test_bail_out_is_a_failure(self):
        c = tr.judge(TAP, "max", tap("1..1", "ok 1 a", "Bail out! broken"), 0, [])
        self.assertEqual(c.failed, 1)

    def test_whole_program_skip(self):
        c = tr.judge(TAP, "max", tap("1..0 # SKIP no kvm"), 4, [])
        self.assertEqual((c.passed, c.failed, c.skipped), (0, 0, 1))

    def test_never_finished(self):
        c = tr.judge(TAP, "max", tap("1..2", "ok 1 a"), None, [])
        self.assertEqual(c.failed, 1)

    def test_timeout_is_a_failure_even_after_passes(self):
        c = tr.judge(TAP, "max", tap("1..1", "ok 1 a"), 124, [])
        self.assertGreaterEqual(c.bad, 1)
        self.assertIn("timeout", c.problems[0])


class JudgeConfigs(unittest.TestCase):
    def test_pass_and_skip(self):
        out = ["vregs: PASS", "1..0 # SKIP - sve: sve not available, skipping tests"]
        c = tr.judge(CONFIGS, "max", out, 0, [])
        self.assertEqual((c.passed, c.failed, c.skipped), (1, 0, 1))

    def test_nonzero_exit_fails(self):
        c = tr.judge(CONFIGS, "max", ["vregs: PASS", "sve: There are 3 missing registers."], 1, [])
        self.assertEqual((c.passed, c.failed), (1, 1))

    def test_silence_fails(self):
        self.assertEqual(tr.judge(CONFIGS, "max", [], 0, []).failed, 1)


class KnownFailures(unittest.TestCase):
    ABORT = tap("1..3", "ok 1 A", "==== Test Assertion Failure ====", "  x.c:1: boom")

    def known(self, models="all", pattern=r"^ok \d+ A\n=+ Test Assertion Failure =+\n\s+x\.c:1: boom$"):
        return tr.KnownFailure("t", models, re.compile(pattern, re.M), "boom", "doc")

    def test_matching_failure_is_known_not_passed(self):
        c = tr.judge(TAP, "max", self.ABORT, 254, [self.known()])
        self.assertEqual((c.passed, c.failed, c.not_run, c.known, c.known_not_run), (1, 0, 0, 1, 1))

    def test_other_failure_of_same_test_still_fails(self):
        out = tap("1..3", "ok 1 A", "==== Test Assertion Failure ====", "  x.c:2: other")
        c = tr.judge(TAP, "max", out, 254, [self.known()])
        self.assertEqual((c.failed, c.known), (1, 0))

    def test_entry_for_another_model_does_not_apply(self):
        c = tr.judge(TAP, "max", self.ABORT, 254, [self.known(models={"cortex-a57"})])
        self.assertEqual((c.failed, c.known), (1, 0))

    def test_absent_known_failure_is_reported(self):
        c = tr.judge(TAP, "max", tap("1..1", "ok 1 A"), 0, [self.known()])
        self.assertEqual(c.failed, 0)
        self.assertTrue(any("did not occur" in n for n in c.known_notes))

    def test_project_file_parses(self):
        known = tr.parse_known_failures(os.path.join(TOP, "selftests", "known-upstream-failures.yaml"))
        self.assertTrue(known)
        for k in known:
            self.assertTrue(os.path.exists(os.path.join(TOP, k.documented)), k.documented)


class Manifest(unittest.TestCase):
    def parse(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as f:
            f.write(text)
        try:
            return tr.parse_manifest(f.name)
        finally:
            os.unlink(f.name)

    def test_parses(self):
        t = self.parse("# c\nfoo tap 30 foo --bar  # comment\n")
        self.assertEqual([(x.name, x.format, x.timeout, x.argv) for x in t],
                         [("foo", "tap", 30, ["foo", "--bar"])])

    def test_rejects_bad_format_naming_the_line(self):
        with self.assertRaisesRegex(ValueError, r":1: expected"):
            self.parse("foo json 30 foo\n")

    def test_rejects_empty(self):
        with self.assertRaisesRegex(ValueError, "no tests"):
            self.parse("# nothing\n")

    def test_models_restrict_a_test(self):
        t = self.parse("a tap 30 models=max,a64fx a --x\nb tap 30 b\n")
        self.assertEqual((t[0].argv, t[0].models), (["a", "--x"], {"max", "a64fx"}))
        self.assertTrue(t[0].runs_on("a64fx"))
        self.assertFalse(t[0].runs_on("cortex-a57"))
        self.assertTrue(t[1].runs_on("cortex-a57"))
        with self.assertRaisesRegex(ValueError, "no command after the models"):
            self.parse("a tap 30 models=max\n")

    def test_project_manifests_parse(self):
        for name in ("guest-tests", "module-tests", "robustness-tests"):
            self.assertTrue(tr.parse_manifest(os.path.join(TOP, "selftests", name)))


class ResultLines(unittest.TestCase):
    def test_result_lines_are_kept_for_comparison(self):
        c = tr.judge(TAP, "max", tap("1..2", "ok 1 a: hash 12", "ok 2 b # SKIP no"), 0, [])
        self.assertEqual(c.results, ["ok 1 a: hash 12", "ok 2 b # SKIP"])
        d = tr.judge(TAP, "max", tap("1..2", "ok 1 a: hash 13", "ok 2 b # SKIP no"), 0, [])
        self.assertNotEqual(c.results, d.results)


def kernel(*texts, before=0, after=0, **over):
    """A command's "kernel" object as qemu-run reports it."""
    k = {"taint_before": before, "taint_after": after, "records": len(texts), "lost": 0,
         "reported": True, "marker_errors": [],
         "kmsg": [{"prio": 4, "seq": i, "usec": 1000 * i, "text": t} for i, t in enumerate(texts)]}
    k.update(over)
    return k


def command(k, status=0):
    return {"index": 0, "status": status, "output": [], "kernel": k}


class KernelLogPatterns(unittest.TestCase):
    REPORTS = {
        "WARNING: CPU: 0 PID: 77 at arch/arm64/kvm/sys_regs.c:1234 set_id_reg+0x1c/0x80": "WARNING",
        "WARNING: possible circular locking dependency detected": "lockdep",
        "WARNING: inconsistent lock state": "lockdep",
        "WARNING: suspicious RCU usage": "lockdep",
        "BUG: KASAN: slab-out-of-bounds in kvm_arm_set_reg+0x30/0x50": "KASAN",
        "UBSAN: shift-out-of-bounds in arch/arm64/kvm/sys_regs.c:99:5": "UBSAN",
        "BUG: sleeping function called from invalid context at mm/slab.c:1": "BUG",
        "kernel BUG at arch/arm64/kvm/sys_regs.c:10!": "kernel BUG",
        "Internal error: Oops: 0000000096000004 [#1] SMP": "Oops",
        "Call trace:": "Call trace",
        "kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)": "kmemleak",
        "Unable to handle kernel NULL pointer dereference at virtual address 0": "Unable to handle",
        "rcu: INFO: rcu_sched self-detected stall on CPU": "stall",
    }
    BENIGN = [
        "kvm [1]: Hyp nVHE mode initialized successfully",
        "kasan: KernelAddressSanitizer initialized (generic)",
        "kmemleak: Kernel memory leak detector initialized (mem pool available: 15894)",
        "kmemleak: Automatic memory scanning thread started",
        "CPU features: detected: Spectre-v2",
        "ksr-init: end of command 0",
    ]

    def test_each_kind_of_report_matches(self):
        for text, kind in self.REPORTS.items():
            with self.subTest(text=text):
                self.assertIn(kind, kernellog.match(text))

    def test_benign_records_do_not_match(self):
        for text in self.BENIGN:
            with self.subTest(text=text):
                self.assertEqual(kernellog.match(text), [])


class TaintFlags(unittest.TestCase):
    def test_letters(self):
        self.assertEqual(kernellog.taint_letters(0), "")
        self.assertEqual(kernellog.taint_letters(512), "W")
        self.assertEqual(kernellog.taint_letters(1 | 128 | 512 | 4096), "PDWO")
        self.assertEqual(kernellog.taint_letters(1 << 20), "?20")

    def test_text(self):
        self.assertEqual(kernellog.taint_text(512 | 128), "DW (640: DIE, WARN)")


class JudgeKernelLog(unittest.TestCase):
    def judged(self, k, out=("1..1", "ok 1 a"), status=0, known=()):
        c = tr.judge(TAP, "max", tap(*out), status, list(known))
        return tr.judge_kernel_log(c, command(k, status))

    def test_clean_log_passes(self):
        c = self.judged(kernel("kvm [77]: something harmless", "ksr-init: end of command 0"))
        self.assertEqual((c.passed, c.failed, c.kernel_failed), (1, 0, 0))
        self.assertTrue(c.kernel.clean)

    def test_warning_fails_a_passing_test_and_shows_the_records(self):
        c = self.judged(kernel("WARNING: CPU: 0 PID: 1 at fake.c:1 planted+0x0/0x4",
                               "Modules linked in:", "Call trace:", " planted+0x0/0x4"))
        self.assertEqual((c.passed, c.failed, c.kernel_failed), (1, 1, 1))
        self.assertEqual(c.kernel.kinds, ["WARNING", "Call trace"])
        self.assertIn("WARNING: CPU: 0 PID: 1 at fake.c:1 planted+0x0/0x4", c.kernel.problems[0])
        self.assertEqual(len(c.kernel.lines), 4)
        self.assertIn("Modules linked in:", c.kernel.lines[1])

    def test_new_taint_fails_with_the_bit_decoded(self):
        c = self.judged(kernel(before=0, after=512))
        self.assertEqual(c.failed, 1)
        self.assertEqual(c.kernel.new_taint, 512)
        self.assertIn("new taint W (512: WARN)", c.kernel.problems[0])

    def test_taint_already_set_before_is_not_new(self):
        self.assertEqual(self.judged(kernel(before=512, after=512)).failed, 0)

    def test_the_module_boot_allows_o_and_e_only(self):
        """A boot that loads the kvm_safe_rules module (qemu-run --kernel
        debian) may gain O and E; any other flag still fails it."""
        oe = kernellog.taint_bits("OE")
        boot = {"boot_seconds": 1.0, "outcome": "ok", "boot_allowed_taint": oe,
                "boot_kernel": kernel(before=0, after=oe)}
        self.assertTrue(tr.judge_boot_log(boot).kernel.clean)
        boot["boot_kernel"] = kernel(before=0, after=oe | 512)
        c = tr.judge_boot_log(boot)
        self.assertEqual((c.failed, c.kernel.new_taint), (1, 512))
        boot = {"boot_seconds": 1.0, "outcome": "ok", "boot_kernel": kernel(before=0, after=oe)}
        self.assertEqual(tr.judge_boot_log(boot).failed, 1)

    def test_entries_for_other_kernels_or_another_count_do_not_apply(self):
        known = tr.KnownFailure("t", "all", re.compile(r"^not ok 1 a$", re.M), "x", "doc",
                                kernels={"debian"}, failures=1)
        self.assertTrue(known.on_kernel("debian"))
        self.assertFalse(known.on_kernel("patched"))
        c = tr.judge(TAP, "max", tap("1..2", "not ok 1 a", "not ok 2 b"), 1, [known])
        self.assertEqual((c.failed, c.known), (2, 0))
        c = tr.judge(TAP, "max", tap("1..2", "not ok 1 a", "ok 2 b"), 1, [known])
        self.assertEqual((c.failed, c.known), (0, 1))

    def test_unreadable_or_incomplete_reports_fail(self):
        for over, words in (({"taint_after": None}, "could not be read"),
                            ({"records": None}, "could not be read"),
                            ({"records": 3}, "0 of the 3"),
                            ({"lost": 5}, "5 kernel log records were overwritten"),
                            ({"reported": False}, "never reported"),
                            ({"marker_errors": ["ksr-init: n exit 0 status=0 ms=1"]},
                             "out of sequence")):
            with self.subTest(over=over):
                c = self.judged(kernel(**over))
                self.assertEqual(c.kernel_failed, 1)
                self.assertTrue(any(words in p for p in c.kernel.problems), c.kernel.problems)

    def test_a_known_upstream_failure_does_not_cover_the_kernel_log(self):
        k = KnownFailures().known()
        c = self.judged(kernel("BUG: KASAN: use-after-free in x+0x1/0x2"),
                        out=KnownFailures.ABORT[1:], status=254, known=[k])
        self.assertEqual((c.known, c.failed, c.kernel_failed), (1, 1, 1))

    def test_a_command_that_never_finished_is_not_judged_twice(self):
        c = tr.judge(TAP, "max", tap("1..1"), None, [])
        tr.judge_kernel_log(c, {"index": 0, "status": None, "output": [], "kernel": kernel()})
        self.assertEqual((c.failed, c.kernel_failed, c.kernel), (1, 0, None))

    def test_boot_log(self):
        c = tr.judge_boot_log({"outcome": "ok", "boot_kernel": kernel("x")})
        self.assertTrue(c.kernel.clean)
        self.assertEqual((c.passed, c.failed), (0, 0))
        c = tr.judge_boot_log({"outcome": "ok", "boot_kernel": kernel("x", after=512)})
        self.assertEqual((c.failed, c.kernel_failed), (1, 1))
        self.assertIn("new taint W", c.kernel.problems[0])
        # no report because the boot failed: a boot failure already, not judged again
        self.assertIsNone(tr.judge_boot_log({"outcome": "no-result",
                                             "boot_kernel": kernel(reported=False)}))

    def test_the_comparison_summary_tells_clean_from_not(self):
        clean = self.judged(kernel()).kernel.summary()
        self.assertEqual(clean, (True, (), "", 0))
        warned = self.judged(kernel("WARNING: x", after=512)).kernel.summary()
        self.assertEqual(warned, (False, ("WARNING",), "W", 0))


# One of the three reports of every a64fx boot, as the stock kernel logs it
A64FX_DMA = [
    "------------[ cut here ]------------",
    "uart-pl011 9000000.pl011: ARCH_DMA_MINALIGN smaller than CTR_EL0.CWG (128 < 256)",
    "WARNING: CPU: 0 PID: 1 at arch/arm64/mm/dma-mapping.c:45 arch_setup_dma_ops+0x90/0xb4",
    "Modules linked in:",
    "CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.118+ #1 ",
    "pc : arch_setup_dma_ops+0x90/0xb4",
    "Call trace:",
    " arch_setup_dma_ops+0x90/0xb4",
    " of_dma_configure_id+0xa8/0x1f4",
    "---[ end trace 0000000000000000 ]---",
]
S_FLAG = 4


class KnownKernelLog(unittest.TestCase):
    """Entries of the known-failure file with a "kernel_log" pattern."""

    @classmethod
    def setUpClass(cls):
        cls.known = tr.parse_known_failures(os.path.join(TOP, "selftests",
                                                         "known-upstream-failures.yaml"))

    def boot(self, *texts, model="a64fx", after=S_FLAG):
        return tr.judge_boot_log({"outcome": "ok", "boot_kernel": kernel(*texts, after=after)},
                                 model, self.known)

    def test_the_a64fx_dma_warnings_are_known_there_with_their_taint(self):
        c = self.boot("Booting Linux", *A64FX_DMA, *A64FX_DMA, "Run /init as init process")
        self.assertTrue(c.kernel.clean, c.kernel.problems)
        self.assertEqual((c.failed, c.known), (0, 1))
        self.assertIn("ARCH_DMA_MINALIGN", c.known_notes[0])

    def test_not_on_another_model(self):
        c = self.boot(*A64FX_DMA, model="max")
        self.assertEqual((c.failed, c.known), (1, 0))
        self.assertEqual(c.kernel.kinds, ["WARNING", "Call trace"])
        self.assertIn("new taint S (4: CPU_OUT_OF_SPEC)", " ".join(c.kernel.problems))

    def test_another_report_in_the_same_log_still_fails(self):
        c = self.boot(*A64FX_DMA, "WARNING: CPU: 0 PID: 1 at fake.c:1 planted+0x0/0x4")
        self.assertEqual((c.failed, c.known), (1, 1))
        self.assertIn("planted", c.kernel.problems[0])

    def test_its_taint_alone_is_not_excused(self):
        c = self.boot("Booting Linux")
        self.assertEqual((c.failed, c.known), (1, 0))
        self.assertIn("new taint S", c.kernel.problems[0])
        self.assertTrue(any("did not occur" in n for n in c.known_notes))

    def test_a_frame_the_kernel_never_closed_is_not_excused(self):
        c = self.boot(*A64FX_DMA[:-1])
        self.assertEqual(c.failed, 1)

    def test_a_test_is_not_covered_by_a_boot_entry(self):
        cmd = command(kernel(*A64FX_DMA))
        c = tr.judge_kernel_log(tr.Counts(), cmd, "outcomes", "a64fx", self.known)
        self.assertEqual((c.failed, c.known), (1, 0))

    def test_an_entry_has_one_of_match_and_kernel_log(self):
        for text in ("- {test: t, models: all, what: w, documented: d}\n",
                     "- {test: t, models: all, what: w, documented: d, match: x, kernel_log: y}\n",
                     "- {test: t, models: all, what: w, documented: d, match: x, taint: W}\n",
                     "- {test: t, models: all, what: w, documented: d, kernel_log: x, taint: Q}\n"):
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                f.write(text)
            try:
                with self.subTest(text=text), self.assertRaises(ValueError):
                    tr.parse_known_failures(f.name)
            finally:
                os.unlink(f.name)


class StockComparison(unittest.TestCase):
    """What --compare-stock compares (scripts/run-tests' outcome())."""

    @classmethod
    def setUpClass(cls):
        loader = importlib.machinery.SourceFileLoader(
            "run_tests", os.path.join(TOP, "scripts", "run-tests"))
        cls.run_tests = types.ModuleType(loader.name)
        cls.run_tests.__file__ = loader.path
        loader.exec_module(cls.run_tests)

    def outcome(self, k):
        c = tr.judge(TAP, "max", tap("1..1", "ok 1 a"), 0, [])
        return self.run_tests.outcome(tr.judge_kernel_log(c, command(k)))

    def test_same_clean_results_compare_equal(self):
        self.assertEqual(self.outcome(kernel("a")), self.outcome(kernel("b")))

    def test_a_taint_or_a_report_on_one_kernel_only_differs(self):
        clean = self.outcome(kernel())
        self.assertNotEqual(clean, self.outcome(kernel(after=512)))
        self.assertNotEqual(clean, self.outcome(kernel("WARNING: x")))
        # and which flag was added matters
        self.assertNotEqual(self.outcome(kernel(after=512)), self.outcome(kernel(after=128)))


if __name__ == "__main__":
    unittest.main()
