# SPDX-License-Identifier: GPL-2.0
"""make install, then a program built against the installed library.

Installs into a scratch DESTDIR, asks pkg-config (from the installed .pc
file) how to build Documentation/examples/would-kvm-accept.c, builds it
against the shared library, and runs it on a captured profile. Its verdicts
must be those of the CLI (check --batch --profile) for the same values.
"""
import json
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(TOP, "Documentation", "examples", "would-kvm-accept.c")
PROFILE = os.path.join(TOP, "userspace", "tests", "fixtures", "cortex-a57.json")
CLI = os.path.join(TOP, "build", "host", "bin", "kvm-safe-rules")


def one_step_above(profile):
    """A register value one step above its default in a writable LOWER_SAFE
    field (unsigned, below all ones): a value KVM refuses."""
    for r in profile["registers"]:
        default = int(r["value"], 16)
        for f in r["fields"]:
            top = (1 << f["width"]) - 1
            v = (default >> f["shift"]) & top
            if (f["writable"] and f["rule"] == "LOWER_SAFE" and not f["signed"]
                    and "alias" not in f and v < top):
                return r["name"], default + (1 << f["shift"]), f["name"]
    raise AssertionError("the profile has no writable unsigned LOWER_SAFE field below its top")


class InstalledLibrary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        dest = cls.tmp.name
        subprocess.run(["make", "-s", "--no-print-directory", "-C", TOP, "install", "KSR_DEPS_DONE=1",
                        f"DESTDIR={dest}", "PREFIX=/usr"], check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(dest, "usr/lib/pkgconfig"),
                   PKG_CONFIG_SYSROOT_DIR=dest)
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "kvm-safe-rules"], env=env,
                               check=True, capture_output=True, text=True).stdout.split()
        cls.flags = flags
        cls.prog = os.path.join(dest, "would-kvm-accept")
        subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", cls.prog, EXAMPLE,
                        *flags], check=True)
        cls.env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(dest, "usr/lib"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_example(self, reg, value):
        return subprocess.run([self.prog, PROFILE, reg, f"{value:x}"], env=self.env,
                              capture_output=True, text=True)

    def cli_verdict(self, reg, value):
        out = subprocess.run([CLI, "check", "--batch", "--profile", PROFILE],
                             input=f"{reg} {value:x}\n", capture_output=True, text=True).stdout
        return out.split()[2]

    def test_pkg_config_points_into_the_install(self):
        self.assertIn(f"-I{self.tmp.name}/usr/include", self.flags)
        self.assertIn("-lkvm-safe-rules", self.flags)

    def test_installed_files(self):
        for path in ("usr/include/kvm-safe-rules.h", "usr/lib/libkvm-safe-rules.a",
                     "usr/lib/libkvm-safe-rules.so", "usr/lib/libkvm-safe-rules.so.0",
                     "usr/lib/pkgconfig/kvm-safe-rules.pc", "usr/bin/kvm-safe-rules"):
            self.assertTrue(os.path.exists(os.path.join(self.tmp.name, path)), path)

    def test_the_example_runs_on_the_shared_library(self):
        ldd = subprocess.run(["ldd", self.prog], env=self.env, capture_output=True, text=True).stdout
        self.assertIn(os.path.join(self.tmp.name, "usr/lib/libkvm-safe-rules.so.0"), ldd)

    def test_the_example_agrees_with_the_cli(self):
        with open(PROFILE) as f:
            profile = json.load(f)
        reg, bad, field = one_step_above(profile)
        default = int(next(r for r in profile["registers"] if r["name"] == reg)["value"], 16)
        ok = self.run_example(reg, default)
        self.assertEqual((ok.returncode, ok.stdout.split()[1]), (0, "accept"), ok.stderr)
        self.assertEqual(self.cli_verdict(reg, default), "accept")
        no = self.run_example(reg, bad)
        self.assertEqual(no.returncode, 1, no.stderr)
        self.assertEqual(no.stdout.split(), [reg, "reject", f"{field}:above-default"])
        self.assertEqual(self.cli_verdict(reg, bad), "reject")

    def test_bad_register_is_named(self):
        res = self.run_example("NO_SUCH_REG", 0)
        self.assertEqual(res.returncode, 2)
        self.assertIn("NO_SUCH_REG", res.stderr)


if __name__ == "__main__":
    unittest.main()
