# SPDX-License-Identifier: GPL-2.0
"""Run one command in a guest with scripts/qemu-run and get its result.

For scripts and tests that need a command's own output, apart from the
console: qemu-run's --results report gives each command's status and lines.
A boot whose kernel log is not clean (scripts/kernellog.py: a WARNING, BUG,
lockdep report... or a new taint flag) raises RuntimeError: nothing measured
on a kernel that warned is a result.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU_RUN = os.path.join(TOP, "scripts", "qemu-run")
KNOWN = os.path.join(TOP, "selftests", "known-upstream-failures.yaml")
sys.path.insert(0, os.path.join(TOP, "scripts"))
import testresults  # noqa: E402


def kernel_log_problems(report):
    """The problems of the boot's and every finished command's kernel log
    (the boot's known upstream reports on the model are none)."""
    problems = []
    for what, v in testresults.kernel_log_verdicts(report, testresults.parse_known_failures(KNOWN)):
        if not v.clean:
            problems += [f"kernel log of {what}: {p}" for p in v.problems] + \
                [f"  | {line}" for line in v.lines]
    return problems


def run_all_in_guest(cpu, argvs, add=(), timeout=900):
    """Runs each argv of argvs, in order, in one boot on -cpu cpu; returns a
    (status, output lines) per argv, status None for a command that never
    finished (the guest failed). Raises RuntimeError when the guest gave no
    result or its kernel log is not clean."""
    with tempfile.TemporaryDirectory() as tmp:
        res = os.path.join(tmp, "r.json")
        cmd = [QEMU_RUN, "-q", "--cpu", cpu, "--timeout", str(timeout), "--results", res]
        for spec in add:
            cmd += ["--add", spec]
        for argv in argvs:
            cmd += ["--run", shlex.join(argv)]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout + 60)
        try:
            with open(res) as f:
                report = json.load(f)
            commands = report["commands"]
        except (OSError, ValueError, KeyError):
            report, commands = {}, []
    if not commands:
        raise RuntimeError(f"qemu-run on {cpu} gave no result for {argvs}:\n{proc.stderr}")
    problems = kernel_log_problems(report)
    if problems:
        raise RuntimeError(f"qemu-run on {cpu}: the kernel log is not clean:\n" + "\n".join(problems))
    by_index = {c["index"]: c for c in commands}
    return [(by_index[i]["status"], by_index[i]["output"]) if i in by_index else (None, [])
            for i in range(len(argvs))]


def run_in_guest(cpu, argv, add=(), timeout=900):
    """Returns (status, output lines) of argv run on -cpu cpu; status is None
    when the command never finished (the guest failed)."""
    return run_all_in_guest(cpu, [argv], add, timeout)[0]


def capture_profile(cpu, path, source=None):
    """Boots -cpu cpu, captures its profile (kvm-safe-rules dump --json, with
    --source source when given) into path, replaced only by a complete, valid
    profile; returns the profile. Raises RuntimeError when the dump fails or
    is not a v1 or v2 profile."""
    status, out = run_in_guest(cpu, ["kvm-safe-rules", "dump", "--json"]
                               + (["--source", source] if source else []))
    if status != 0:
        raise RuntimeError(f"{cpu}: kvm-safe-rules dump failed (status {status}):\n"
                           + "\n".join(out[-20:]))
    text = "\n".join(out) + "\n"
    profile = json.loads(text)
    if profile.get("schema") not in ("kvm-safe-rules/v1", "kvm-safe-rules/v2"):
        raise RuntimeError(f"{cpu}: unexpected schema {profile.get('schema')!r}")
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    return profile
