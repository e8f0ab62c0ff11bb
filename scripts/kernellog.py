# SPDX-License-Identifier: GPL-2.0
"""How the guest kernel's log and taint flags are judged.

guest/init.c reports, through its nonce-tagged markers, the boot's own kernel
log and taint flags and, after each command, the records the kernel logged
meanwhile and the taint flags then; scripts/qemu-run puts them in its JSON
report as a "kernel" object (report["boot_kernel"] for the boot,
command["kernel"] for each command):

    taint_before  the taint flags before (0 for the boot), None if unknown
    taint_after   the taint flags after, None if init could not read them
    kmsg          the records: {"prio", "seq", "usec", "text"}
    records       how many records init said it printed, None if it could
                  not read the log
    lost          records the ring buffer dropped before init read them
    reported      whether init's report ("log" marker) arrived at all
    marker_errors init markers out of sequence (forged by guest output, or
                  an init bug)

A kernel log is clean when the report is complete and consistent, no record
matches PATTERNS and no taint flag was added. Anything else fails the test
the report belongs to (scripts/run-tests) or the boot, except a report that
an entry of selftests/known-upstream-failures.yaml with a "kernel_log"
pattern covers, with the taint flags it names: that one is counted as a
known upstream failure, never as passed.
"""
import re
from dataclasses import dataclass, field

# (name, regex searched in each record's text). Case-sensitive: the kernel
# prints these exactly so, and e.g. "kasan: KernelAddressSanitizer
# initialized" at boot is no report.
PATTERNS = [
    ("WARNING", r"WARNING:"),            # WARN*(), and lockdep's/RCU's reports
    ("lockdep", r"possible circular locking|possible recursive locking"
                r"|inconsistent lock state|suspicious RCU usage"
                r"|possible irq lock inversion|bad unlock balance"
                r"|lock held when returning to user space"),
    ("BUG", r"BUG:"),                    # BUG: KASAN, sleeping in atomic, soft lockup...
    ("kernel BUG", r"kernel BUG"),       # BUG(): "kernel BUG at FILE:LINE!"
    ("KASAN", r"\bKASAN\b"),
    ("UBSAN", r"\bUBSAN\b"),
    # any kmemleak message but its two start-up notices
    ("kmemleak", r"kmemleak: (?!Kernel memory leak detector initialized"
                 r"|Automatic memory scanning thread started)"),
    ("Oops", r"\bOops\b"),               # arm64: "Internal error: Oops: ..."
    ("Call trace", r"Call [Tt]race:"),   # any stack dump
    ("Unable to handle", r"Unable to handle kernel"),
    ("panic", r"Kernel panic"),
    ("stall", r"rcu: INFO: .*stall|INFO: task .* blocked for more than"),
]
_COMPILED = [(name, re.compile(rx)) for name, rx in PATTERNS]

# Linux 6.12 include/linux/panic.h and kernel/panic.c: taint_flags[], bit
# order; bit 0 is shown as P (set) where the kernel shows G when it is clear.
TAINT_LETTERS = "PFSRMBUDAWCIOELKXTN"
TAINT_NAMES = ("PROPRIETARY_MODULE FORCED_MODULE CPU_OUT_OF_SPEC FORCED_RMMOD "
               "MACHINE_CHECK BAD_PAGE USER DIE OVERRIDDEN_ACPI_TABLE WARN CRAP "
               "FIRMWARE_WORKAROUND OOT_MODULE UNSIGNED_MODULE SOFTLOCKUP LIVEPATCH "
               "AUX RANDSTRUCT TEST").split()
# Records shown from the first matching one on (later matching ones are added).
SHOW_LINES = 40


def taint_letters(value):
    """The taint flags as the kernel's letters, e.g. 512 -> "W"; unknown
    bits as "?N"; 0 -> "" ."""
    out = []
    for bit in range(max(value.bit_length(), 0)):
        if value >> bit & 1:
            out.append(TAINT_LETTERS[bit] if bit < len(TAINT_LETTERS) else f"?{bit}")
    return "".join(out)


def taint_text(value):
    """e.g. "W (512: WARN)"."""
    names = [TAINT_NAMES[b] if b < len(TAINT_NAMES) else f"bit {b}"
             for b in range(value.bit_length()) if value >> b & 1]
    return f"{taint_letters(value)} ({value}: {', '.join(names)})"


def match(text):
    """The names of the patterns a record's text matches."""
    return [name for name, rx in _COMPILED if rx.search(text)]


def record_line(rec):
    return f"[{rec['usec'] // 1000000:5d}.{rec['usec'] % 1000000:06d}] {rec['text']}"


def taint_bits(letters):
    """The taint flags of a string of the kernel's letters, e.g. "SW" -> 516."""
    bits = 0
    for ch in letters:
        if ch not in TAINT_LETTERS:
            raise ValueError(f"unknown taint flag letter {ch!r}")
        bits |= 1 << TAINT_LETTERS.index(ch)
    return bits


CUT_HERE = "------------[ cut here ]------------"
END_TRACE = re.compile(r"^---\[ end trace [0-9a-f]+ \]---")


def reports(kmsg):
    """The problem reports of a log as (first, last, closed): the indexes of
    their first and last records and whether the kernel closed the frame. A
    report the kernel framed (from "[ cut here ]" to "---[ end trace ]---")
    is one, whatever it holds; any other matching record is one by itself."""
    out, i = [], 0
    while i < len(kmsg):
        if kmsg[i]["text"] == CUT_HERE:
            j = i + 1
            while j < len(kmsg) and kmsg[j]["text"] != CUT_HERE and \
                    not END_TRACE.match(kmsg[j]["text"]):
                j += 1
            closed = j < len(kmsg) and bool(END_TRACE.match(kmsg[j]["text"]))
            last = j if closed else j - 1
            if any(match(r["text"]) for r in kmsg[i:last + 1]):
                out.append((i, last, closed))
            i = last + 1
        else:
            if match(kmsg[i]["text"]):
                out.append((i, i, True))
            i += 1
    return out


@dataclass
class Verdict:
    clean: bool = True
    problems: list = field(default_factory=list)   # one line each
    lines: list = field(default_factory=list)      # the log lines to show
    new_taint: object = 0                          # bits added, None if unknown
    kinds: list = field(default_factory=list)      # pattern names matched
    known: int = 0                                 # known entries that matched
    known_notes: list = field(default_factory=list)

    def summary(self):
        """What must not differ between two runs of a test: clean or not,
        the kinds of report, the taint bits added and the known reports."""
        return (self.clean, tuple(self.kinds),
                taint_letters(self.new_taint) if self.new_taint is not None else "?",
                self.known)

    def describe(self):
        if self.clean:
            return "clean"
        return "; ".join(self.problems)


def judge(kernel, what="the command", known=(), allowed_taint=0):
    """A Verdict for one "kernel" object of qemu-run's report (None: init
    never reported one).

    known: the known upstream kernel-log entries that apply (objects with
    .kernel_log, a compiled pattern searched in the text of one report, its
    records joined by newlines; .taint, the flags such a report adds; and
    .what and .documented). A report an entry matches, framed and closed
    by the kernel or a single record, is no problem, and neither are the
    taint flags of the entries that matched; each entry that matched is one
    known failure. allowed_taint: flags that may appear without a report
    (the boot's, when it loads an out-of-tree module). Nothing else is
    excused.
    """
    v = Verdict()

    def bad(problem):
        v.clean = False
        v.problems.append(problem)

    if kernel is None or not kernel.get("reported"):
        bad(f"init never reported the kernel log and taint flags after {what}")
        v.new_taint = None
        kernel = kernel or {}
    errors = kernel.get("marker_errors", [])
    if errors:
        bad(f"{len(errors)} init marker(s) out of sequence (forged by guest output?), "
            f"the first: {errors[0]}")
        v.lines += ["init markers out of sequence:"] + errors[:SHOW_LINES]
        for err in errors:
            v.kinds += [k for k in match(err) if k not in v.kinds]
    kmsg = kernel.get("kmsg", [])
    if kernel.get("reported"):
        if kernel.get("records") is None:
            bad("the kernel log (/dev/kmsg) could not be read")
        elif kernel["records"] != len(kmsg):
            bad(f"{len(kmsg)} of the {kernel['records']} kernel log records init "
                f"printed reached the host")
        if kernel.get("lost"):
            bad(f"{kernel['lost']} kernel log records were overwritten before init "
                f"could read them")

    matched_entries, unknown = [], []
    for first, last, closed in reports(kmsg):
        text = "\n".join(r["text"] for r in kmsg[first:last + 1])
        entry = next((k for k in known if closed and k.kernel_log.search(text)), None)
        if entry is None:
            unknown.append((first, last))
            continue
        if entry not in matched_entries:
            matched_entries.append(entry)
    v.known = len(matched_entries)
    for entry in known:
        if entry in matched_entries:
            v.known_notes.append(f"{entry.what} (see {entry.documented})")
        else:
            v.known_notes.append(f"known upstream kernel log report did not occur: {entry.what}")
    matching = [i for first, last in unknown for i in range(first, last + 1)
                if match(kmsg[i]["text"])]
    for i in matching:
        v.kinds += [k for k in match(kmsg[i]["text"]) if k not in v.kinds]
    if matching:
        first = matching[0]
        more = f" (and {len(matching) - 1} more matching records)" if len(matching) > 1 else ""
        bad(f"kernel log ({', '.join(v.kinds)}): {kmsg[first]['text']}{more}")
        # From the first report on, and every later matching record
        shown = range(unknown[0][0], min(len(kmsg), unknown[0][0] + SHOW_LINES))
        v.lines += [record_line(kmsg[i]) for i in shown]
        later = [i for i in matching if i >= shown.stop]
        if later:
            v.lines.append(f"... and {len(later)} later matching records:")
            v.lines += [record_line(kmsg[i]) for i in later[:SHOW_LINES]]
    before, after = kernel.get("taint_before"), kernel.get("taint_after")
    if kernel.get("reported"):
        if after is None or before is None:
            bad("the taint flags (/proc/sys/kernel/tainted) could not be read")
            v.new_taint = None
        else:
            allowed = allowed_taint
            for entry in matched_entries:
                allowed |= entry.taint
            v.new_taint = after & ~before & ~allowed
            if v.new_taint:
                bad(f"new taint {taint_text(v.new_taint)}: "
                    f"tainted {before} before, {after} after")
    return v
