# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/testresults.py: how guest test output is judged."""
import os
import re
import tempfile
import unittest

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

    def test_project_manifest_parses(self):
        self.assertTrue(tr.parse_manifest(os.path.join(TOP, "selftests", "guest-tests")))


if __name__ == "__main__":
    unittest.main()


class ResultLines(unittest.TestCase):
    def test_result_lines_are_kept_for_comparison(self):
        c = tr.judge(TAP, "max", tap("1..2", "ok 1 a: hash 12", "ok 2 b # SKIP no"), 0, [])
        self.assertEqual(c.results, ["ok 1 a: hash 12", "ok 2 b # SKIP"])
        d = tr.judge(TAP, "max", tap("1..2", "ok 1 a: hash 13", "ok 2 b # SKIP no"), 0, [])
        self.assertNotEqual(c.results, d.results)
