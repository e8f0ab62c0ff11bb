# SPDX-License-Identifier: GPL-2.0
"""The module against the series: what scripts/run-tests compares between a
Debian kernel with the kvm_safe_rules module and the patched kernel, on the
same CPU model.

- The entries, byte for byte: rules_raw prints every entry of every VM it
  makes ("# VARIANT entry N: HEX"); the module's must equal the series'.
  One difference is explained, and only this one: the series' patch 1 makes
  a RAZ register's limit 0 where the stock kernel leaves the value its reset
  function computed (ID_DFR0_EL1 with a PMU on a host without AArch32). An
  entry that differs only so (a register entry, RAZ on both kernels, every
  other byte the same, limit 0 on the patched kernel) is reported as that;
  anything else is a difference.
- The differential's trial counts: its "# ...: N trials, M mismatches" lines
  must be the same on both kernels (it already fails on any mismatch).
"""
import re
import struct
from dataclasses import dataclass, field

ENTRY = re.compile(r"^# (\S+) entry (\d+): ([0-9a-f]+)$")
TRIALS = re.compile(r"^# .*: \d+ trials, \d+ mismatches$")
# struct kvm_arm_id_reg_rule (VER0): reg, kind, flags, nr_fields, shift,
# width, type, reserved0, mask, limit, unfielded_mask, safe_val, min_val,
# alias_from, alias_to, reserved[2]
LAYOUT = struct.Struct("<QIIIBBBBQQQQQQQQQ")
KIND_REG = 1
FLAG_RAZ = 1 << 0


@dataclass
class Comparison:
    same: bool = True
    lines: list = field(default_factory=list)    # what to show, one line each
    entries: int = 0
    explained: int = 0


def entries(output):
    """{variant: [hex, ...]} of rules_raw's output lines."""
    out = {}
    for line in output:
        m = ENTRY.match(line)
        if m:
            variant, index, hexbytes = m.groups()
            got = out.setdefault(variant, [])
            if int(index) != len(got):
                raise ValueError(f"rules_raw: entry {index} of {variant} out of order")
            if len(hexbytes) != 2 * LAYOUT.size:
                raise ValueError(f"rules_raw: entry {index} of {variant} is {len(hexbytes) // 2} "
                                 f"bytes, not {LAYOUT.size}")
            got.append(hexbytes)
    return out


def decode(hexbytes):
    raw = bytes.fromhex(hexbytes)
    if len(raw) != LAYOUT.size:
        raise ValueError(f"an entry of {len(raw)} bytes, not {LAYOUT.size}")
    return LAYOUT.unpack(raw)


def reg_name(reg):
    """A register id as S3_OP1_CN_CM_OP2 (the KVM_REG_ARM64_SYSREG fields)."""
    return "S{}_{}_C{}_C{}_{}".format((reg >> 14) & 3, (reg >> 11) & 7, (reg >> 7) & 15,
                                      (reg >> 3) & 15, reg & 7)


def explained_by_raz_fix(module_hex, series_hex):
    """The description of a difference that patch 1 explains, or None."""
    m, s = decode(module_hex), decode(series_hex)
    limit = 9   # index of "limit" in LAYOUT
    if m[1] != KIND_REG or s[1] != KIND_REG or not (m[2] & s[2] & FLAG_RAZ):
        return None
    if s[limit] != 0 or m[:limit] + m[limit + 1:] != s[:limit] + s[limit + 1:]:
        return None
    return (f"{reg_name(m[0])} (RAZ): limit {m[limit]:#x} on the stock kernel, 0 with the "
            f"series (patch 1 keeps a RAZ register at 0)")


def compare_entries(module_output, series_output):
    c = Comparison()
    mod, ser = entries(module_output), entries(series_output)
    if not ser:
        c.same = False
        c.lines.append("the patched kernel's rules_raw printed no entries")
        return c
    if sorted(mod) != sorted(ser):
        c.same = False
        c.lines.append(f"VMs: {' '.join(sorted(mod))} with the module, "
                       f"{' '.join(sorted(ser))} with the series")
    for variant in sorted(set(mod) & set(ser)):
        a, b = mod[variant], ser[variant]
        c.entries += len(a)
        if len(a) != len(b):
            c.same = False
            c.lines.append(f"{variant}: {len(a)} entries with the module, {len(b)} with the series")
            continue
        for i, (x, y) in enumerate(zip(a, b)):
            if x == y:
                continue
            why = explained_by_raz_fix(x, y)
            if why:
                c.explained += 1
                c.lines.append(f"{variant} entry {i}: {why}")
            else:
                c.same = False
                c.lines.append(f"{variant} entry {i} differs: module {x}, series {y}")
    return c


def compare_trials(module_output, series_output):
    c = Comparison()
    a = [line for line in module_output if TRIALS.match(line)]
    b = [line for line in series_output if TRIALS.match(line)]
    c.entries = len(a)
    if not b or a != b:
        c.same = False
        diff = [f"module: {x} | series: {y}" for x, y in zip(a, b) if x != y]
        c.lines = (diff or [f"{len(a)} trial lines with the module, {len(b)} with the series"])[:10]
    return c
