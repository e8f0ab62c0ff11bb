# SPDX-License-Identifier: GPL-2.0
"""How scripts/run-tests reads guest tests and judges their output.

A guest test is a program run in the guest by scripts/qemu-run. Its output is
judged by its format:

  tap      TAP (kselftest): every result line counts. A program that
           exits non-zero before the end of its plan failed in the test
           after its last result, and the rest are "not run" (which fails
           too); a non-zero exit or a "Bail out!" with no failing line
           counts one failure.
  configs  the kernel's get-reg-list: one "CONFIG: PASS" line per vCPU
           configuration, "1..0 # SKIP ..." for a configuration the host
           lacks; a non-zero exit (other than kselftest's skip, 4) counts one
           failure.

A failure is a known upstream failure only when an entry of the known-failure
file names the test and the model and its pattern matches the output; then the
failed and not-run results are reported as such, never as passed.

Whatever its output, a test also fails when the kernel log it leaves is not
clean (scripts/kernellog.py: a WARNING:, BUG:, lockdep, KASAN, UBSAN, ...
report, a new taint flag, or a report init could not complete): one more
failed result (judge_kernel_log); so does a boot whose own log is not clean
(judge_boot_log, the test name "boot" in the known-failure file). Only an
entry with a "kernel_log" pattern (and "taint", the flags its report adds)
can make a kernel log report known; an entry's output "match" never does.
"""
import re
import shlex
from dataclasses import dataclass, field

import yaml
from tap.parser import Parser

import kernellog

KSFT_SKIP = 4
FORMATS = ("tap", "configs")


@dataclass
class GuestTest:
    name: str
    format: str
    timeout: int
    argv: list
    models: object = None   # the models it runs on (models=a,b in the manifest); None: all

    def runs_on(self, model):
        return self.models is None or model in self.models


@dataclass
class KnownFailure:
    test: str               # a guest test, or "boot" for the boot's own kernel log
    models: object          # a set of model names, or "all"
    match: re.Pattern       # in the test's output; None for a kernel-log entry
    what: str
    documented: str
    kernel_log: re.Pattern = None   # in one report of the kernel log (kernellog.judge)
    taint: int = 0                  # the taint flags that report adds
    kernels: object = "all"         # the kernels (scripts/qemu-run --kernel) it is seen on
    failures: int = 0               # with match: exactly this many failed results, or any

    def applies(self, test, model):
        return self.test == test and (self.models == "all" or model in self.models)

    def on_kernel(self, kernel):
        return self.kernels == "all" or kernel in self.kernels


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    not_run: int = 0        # promised by the plan, never reported
    known: int = 0          # failures matched by a known-failure entry
    known_not_run: int = 0  # not run after a known failure
    problems: list = field(default_factory=list)
    known_notes: list = field(default_factory=list)
    results: list = field(default_factory=list)  # the result lines, as judged
    kernel: object = None   # kernellog.Verdict of the test's kernel log, None if not judged
    kernel_failed: int = 0  # tests failed by their kernel log (each also in failed)

    def add(self, other):
        for name in ("passed", "failed", "skipped", "not_run", "known", "known_not_run",
                     "kernel_failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems
        self.known_notes += other.known_notes
        self.results += other.results

    @property
    def bad(self):
        return self.failed + self.not_run


def parse_manifest(path):
    """Lines "NAME FORMAT TIMEOUT [models=M1,M2...] COMMAND [ARG...]"; # starts a
    comment. A test with models= runs on those models only."""
    tests = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) < 4 or words[1] not in FORMATS or not words[2].isdigit():
                raise ValueError(f"{path}:{lineno}: expected 'NAME FORMAT TIMEOUT COMMAND...' "
                                 f"with FORMAT one of {', '.join(FORMATS)}: {line.strip()}")
            models = None
            if words[3].startswith("models="):
                models = set(words[3][len("models="):].split(","))
                words = words[:3] + words[4:]
                if len(words) < 4:
                    raise ValueError(f"{path}:{lineno}: no command after the models: {line.strip()}")
            tests.append(GuestTest(words[0], words[1], int(words[2]), words[3:], models))
    if not tests:
        raise ValueError(f"{path}: no tests")
    return tests


def parse_known_failures(path):
    with open(path) as f:
        entries = yaml.safe_load(f) or []
    known = []
    for i, e in enumerate(entries):
        try:
            models = e["models"]
            if ("match" in e) == ("kernel_log" in e):
                raise KeyError("exactly one of 'match' (output) and 'kernel_log'")
            if "taint" in e and "kernel_log" not in e:
                raise KeyError("'taint' belongs to a 'kernel_log' entry")
            known.append(KnownFailure(
                test=e["test"],
                models="all" if models == "all" else set(models),
                match=re.compile(e["match"].strip(), re.MULTILINE) if "match" in e else None,
                what=" ".join(e["what"].split()),
                documented=e["documented"],
                kernel_log=(re.compile(e["kernel_log"].strip(), re.MULTILINE)
                            if "kernel_log" in e else None),
                taint=kernellog.taint_bits(e.get("taint", "")),
                kernels=set(e["kernels"]) if "kernels" in e else "all",
                failures=int(e.get("failures", 0))))
        except (KeyError, TypeError, ValueError, re.error) as err:
            raise ValueError(f"{path}: entry {i}: {err!r}") from err
    return known


def judge_tap(lines, status):
    c = Counts()
    plan = None
    results = 0
    bailed = False
    for item in Parser().parse_text("\n".join(lines) + "\n"):
        if item.category == "plan":
            plan = item.expected_tests
            if plan == 0 and item.skip:
                c.skipped += 1
        elif item.category == "test":
            results += 1
            c.results.append(f"{'ok' if item.ok else 'not ok'} {item.number} {item.description}"
                             + (" # SKIP" if item.skip else ""))
            if item.skip:
                c.skipped += 1
            elif item.ok:
                c.passed += 1
            else:
                c.failed += 1
                c.problems.append(f"not ok {item.number} {item.description}".strip())
        elif item.category == "bail":
            bailed = True
            c.problems.append(f"Bail out! {item.reason}".strip())
    if plan is None and results == 0:
        c.failed += 1
        c.problems.append("no TAP output")
    elif plan is not None and plan > results:
        c.not_run = plan - results
        c.problems.append(f"{plan - results} of {plan} planned tests never reported")
        if status != 0 and c.failed == 0:
            # The program died in the test after its last result: that test
            # failed; the ones after it did not run.
            c.failed, c.not_run = 1, c.not_run - 1
    if (status != 0 or bailed) and c.failed == 0 and c.not_run == 0:
        if status == KSFT_SKIP and c.passed == 0:
            c.skipped = max(c.skipped, 1)
        else:
            c.failed += 1
            c.problems.append(f"exited with status {status}" if status else "bailed out")
    return c


CONFIG_PASS = re.compile(r"^(\S+): PASS$")
CONFIG_SKIP = re.compile(r"^1\.\.0 # SKIP\b")


def judge_configs(lines, status):
    c = Counts()
    for line in lines:
        if CONFIG_PASS.match(line):
            c.passed += 1
            c.results.append(line)
        elif CONFIG_SKIP.match(line):
            c.skipped += 1
            c.results.append(line)
    if status == KSFT_SKIP and c.passed == 0:
        c.skipped += 1
    elif status != 0:
        c.failed += 1
        c.problems.append(f"exited with status {status}")
    elif c.passed + c.skipped == 0:
        c.failed += 1
        c.problems.append("no 'CONFIG: PASS' or SKIP line")
    return c


def judge(test, model, lines, status, known_failures):
    """Counts for one test's output on one model; status None = never ended."""
    if status is None:
        c = Counts(failed=1, problems=["did not finish (the guest stopped or timed out)"])
    elif status == 124 and test.format == "tap":
        c = judge_tap(lines, status)
        c.problems.insert(0, f"killed by its {test.timeout} s timeout")
        if c.bad == 0:
            c.failed += 1
    else:
        c = (judge_tap if test.format == "tap" else judge_configs)(lines, status)
        if status == 124:
            c.problems.insert(0, f"killed by its {test.timeout} s timeout")
        elif status == 127:
            c.problems.insert(0, "could not be started (status 127)")
        elif status > 128:
            c.problems.insert(0, f"killed by signal {status - 128}")
        elif status not in (0, KSFT_SKIP) and not any("status" in p for p in c.problems):
            c.problems.insert(0, f"exited with status {status}")
    known_failures = [k for k in known_failures if k.match is not None]
    if c.bad:
        text = "\n".join(lines)
        for k in known_failures:
            if k.applies(test.name, model) and k.match.search(text) and \
                    (not k.failures or (c.failed, c.not_run) == (k.failures, 0)):
                c.known, c.known_not_run = c.failed, c.not_run
                c.failed = c.not_run = 0
                c.known_notes.append(f"{k.what} (see {k.documented})")
                break
    else:
        for k in known_failures:
            if k.applies(test.name, model):
                c.known_notes.append(f"known upstream failure did not occur: {k.what}")
    return c


def kernel_log_entries(known_failures, test, model):
    return [k for k in known_failures if k.kernel_log is not None and k.applies(test, model)]


def judge_kernel_log(c, command, test="", model="", known_failures=(), allowed_taint=0):
    """Judges the kernel log and taint flags of one command of qemu-run's
    report (None if it never started) and adds a failed result to c when they
    are not clean; a report a kernel-log entry covers is a known failure. A
    command that never finished has failed already and has no complete
    report: it is not judged again."""
    if command is None or command.get("status") is None:
        return c
    c.kernel = kernellog.judge(command.get("kernel"), "the boot" if test == "boot" else "the command",
                               kernel_log_entries(known_failures, test, model), allowed_taint)
    if not c.kernel.clean:
        c.failed += 1
        c.kernel_failed += 1
    c.known += c.kernel.known
    c.known_notes += c.kernel.known_notes
    return c


def kernel_log_verdicts(report, known_failures=()):
    """(what, kernellog.Verdict) of the boot's own log, once init got as far
    as reporting it, and of every finished command's, from qemu-run's
    --results report; the "boot" entries of its model apply to the boot."""
    verdicts = []
    if report.get("boot_seconds") is not None:
        entries = kernel_log_entries(known_failures, "boot", report.get("cpu"))
        verdicts.append(("the boot", kernellog.judge(report.get("boot_kernel"), "the boot",
                                                     entries, report.get("boot_allowed_taint", 0))))
    for c in report.get("commands", []):
        if c.get("status") is not None:
            what = f"command {c['index']} ({shlex.join(c.get('argv', []))})"
            verdicts.append((what, kernellog.judge(c.get("kernel"), what)))
    return verdicts


BOOT = GuestTest("boot", "kernel-log", 0, [])


def judge_boot_log(report, model="", known_failures=()):
    """Counts of the boot's own kernel log, judged like a test named "boot"
    (known-failure entries of the test "boot" apply): its kernel log is its
    only result. None when the guest never got as far as reporting it (a boot
    failure already)."""
    boot = report.get("boot_kernel")
    if boot is None or (not boot.get("reported") and report.get("outcome") != "ok"):
        return None
    return judge_kernel_log(Counts(), {"status": 0, "kernel": boot}, BOOT.name, model,
                            known_failures, report.get("boot_allowed_taint", 0))
