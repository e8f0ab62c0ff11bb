# SPDX-License-Identifier: GPL-2.0
"""The published figures of a make bench run, computed from its raw results
(build/bench/results.json, written by bench/run) for bench/run's tables and
bench/report's Documentation/performance.rst alike.

Every figure is a median with its spread, the minimum and maximum of the
samples it is the median of ("n" says how many). A ratio is the median of
per-sample ratios of two things measured side by side (the same repeat, or
the same pair of boots), with the range of those ratios.
"""
import statistics

METHODS = {
    "P1": "open a scratch VM, learn the rules, ksr_field_values() of every field, close: "
          "the kernel's ioctl vs KSR_LEARN_PROBE, in turn in each repeat; ioctl() calls "
          "counted with -Wl,--wrap=ioctl",
    "P1b": "decide a full configuration (every register): ksr_check() (full report) and "
           "ksr_predict() of each register (verdict only) on rules fetched once (fetch not "
           "counted) vs writing it into a fresh scratch VM (create VM + vCPU + init + "
           "KVM_SET_ONE_REG of every register + close); all three must agree",
    "P2": "KVM_SET_ONE_REG of every VM-wide ID register with its default, rounds of "
          "{iterations} passes in a scratch VM, each followed by as many KVM_GET_ONE_REG "
          "(unchanged by the series: the boot's speed); median of {rounds} rounds per boot; "
          "patched and stock booted alternately, {pairs} pairs; ratio of the medians, range of "
          "per-pair ratios",
    "P3": "host, static library, public header only; time: median of {repeats} samples "
          "of back-to-back runs, the operations interleaved; peak: ru_maxrss of forked "
          "children (wait4) minus an empty child's, the operation alone by VmHWM after "
          "malloc_trim() and a reset of the peak",
}


class Figure:
    """A median and its range over n samples."""

    def __init__(self, samples):
        if not samples:
            raise ValueError("a figure of no samples")
        self.samples = list(samples)
        self.median = statistics.median(self.samples)
        self.lo, self.hi = min(self.samples), max(self.samples)
        self.n = len(self.samples)

    def fmt(self, scale=1.0, digits=1, unit=""):
        f = f"{{:.{digits}f}}"
        return (f"{f.format(self.median / scale)}{unit} "
                f"({f.format(self.lo / scale)}..{f.format(self.hi / scale)})")


def ratio(a, b):
    return Figure([x / y for x, y in zip(a, b)])


def fmt_ratio(x):
    """A ratio with two significant digits at least: 1.3, 15, 150."""
    return f"{x:.2f}" if x < 10 else f"{x:.0f}"


def fmt_ratio_figure(r):
    return f"{fmt_ratio(r.median)} ({fmt_ratio(r.lo)}..{fmt_ratio(r.hi)})"


def fmt_count(values):
    """A count that should not vary: "N", or "N..M" when it did."""
    lo, hi = min(values), max(values)
    return f"{lo}" if lo == hi else f"{lo}..{hi}"


# ---- P2 ---------------------------------------------------------------------

def setreg_rows(model):
    """P2 of one model: per-call times on each kernel and their ratio."""
    boots = model["setreg"]
    regs = len(boots["patched"][0]["registers"])
    rows = []
    for key, what in (("ns_per_call", f"KVM_SET_ONE_REG, {regs} ID registers"),
                      ("get_ns_per_call", "KVM_GET_ONE_REG, the same (reference)")):
        pat, sto = setreg_figures(boots, key)
        pairs = ratio(pat.samples, sto.samples)
        rows += [
            ("P2", f"{what}: stock, per call", sto.fmt(1e3, 2, " us"), f"n={sto.n} boots"),
            ("P2", f"{what}: patched, per call", pat.fmt(1e3, 2, " us"), f"n={pat.n} boots"),
            ("P2", f"{what}: ratio patched/stock", f"{pat.median / sto.median:.3f} "
             f"(pairs {pairs.lo:.3f}..{pairs.hi:.3f})", f"n={pairs.n} pairs"),
        ]
    for a, b, what, note in (("patched", "stock", "patched/stock", "the boot's speed divided out"),
                             ("stock-again", "stock", "stock/stock (A/A control)",
                              "the noise: the same kernel booted twice")):
        if not boots.get(a):
            continue
        norm = [setreg_normalised(boots[k]) for k in (a, b)]
        pairs = ratio(*norm)
        rows.append(("P2", f"SET/GET of each boot, ratio {what}",
                     f"{statistics.median(norm[0]) / statistics.median(norm[1]):.3f} "
                     f"(pairs {pairs.lo:.3f}..{pairs.hi:.3f})", note))
    return rows


def setreg_figures(boots, key):
    """The per-boot medians of one kernel's rounds, as a Figure per kernel."""
    return tuple(Figure([statistics.median(b[key]) for b in boots[k]]) for k in ("patched", "stock"))


def setreg_normalised(boots):
    """Per boot: the median of its rounds' SET time over their GET time."""
    return [statistics.median(s / g for s, g in zip(b["ns_per_call"], b["get_ns_per_call"]))
            for b in boots]


# ---- P1 ---------------------------------------------------------------------

def learn_rows(model):
    reps = [r for boot in model["learn"] for r in boot["repeats"]]
    io = Figure([r["ioctl"]["ns"] for r in reps])
    pr = Figure([r["probe"]["ns"] for r in reps])
    rt = ratio([r["probe"]["ns"] for r in reps], [r["ioctl"]["ns"] for r in reps])
    n_io = [r["ioctl"]["ioctls"] for r in reps]
    n_pr = [r["probe"]["ioctls"] for r in reps]
    st = reps[-1]["probe"]["probe_stats"]
    probing = Figure([r["probe"]["probe_stats"]["nanoseconds"] for r in reps])
    io_last, pr_last = reps[-1]["ioctl"], reps[-1]["probe"]
    return [
        ("P1", f"ioctl: rules + values of {io_last['fields']} fields", io.fmt(1e6, 2, " ms"),
         f"{fmt_count(n_io)} ioctl() calls; {io_last['values']} values"),
        ("P1", f"probe: learned + values of {pr_last['fields']} fields", pr.fmt(1e6, 2, " ms"),
         f"{fmt_count(n_pr)} ioctl() calls ({st['writes']} SET, {st['reads']} GET); "
         f"{pr_last['values']} values"),
        ("P1", "probe: probing itself (ksr_source_probe_stats())",
         probing.fmt(1e6, 2, " ms"), f"{st['fields_learned']} fields learned "
         f"({st['fields_unsure']} unsure), {st['fields_not_learned']} not"),
        ("P1", "ratio probe/ioctl", f"time {fmt_ratio_figure(rt)}, ioctl() calls "
         f"{fmt_ratio(statistics.median(n_pr) / statistics.median(n_io))}", f"n={rt.n} repeats"),
    ]


# ---- P1b --------------------------------------------------------------------

def decide_rows(model):
    boots = model["decide"]
    rows = []
    fetch = Figure([b["fetch_ns"] for b in boots])
    for cfg in ("accepted", "refused"):
        chk = [x for b in boots for x in b["configs"][cfg]["check_ns"]]
        prd = [x for b in boots for x in b["configs"][cfg]["predict_ns"]]
        tri = [x for b in boots for x in b["configs"][cfg]["trial_ns"]]
        what = ("every register at its default" if cfg == "accepted"
                else f"one field refused, {boots[0]['refused_field']}")
        writes = boots[0]["configs"][cfg]["trial_writes"]
        rows += [
            ("P1b", f"{cfg} ({what}): ksr_check()", Figure(chk).fmt(1e3, 1, " us"),
             f"n={len(chk)}; the full report"),
            ("P1b", f"{cfg}: ksr_predict() of each register", Figure(prd).fmt(1e3, 1, " us"),
             f"n={len(prd)}; the verdict only"),
            ("P1b", f"{cfg}: trial writes ({writes} KVM_SET_ONE_REG)", Figure(tri).fmt(1e6, 2, " ms"),
             f"n={len(tri)}; VM created and closed"),
            ("P1b", f"{cfg}: ratio trial/check, trial/predict",
             f"{fmt_ratio_figure(ratio(tri, chk))}, {fmt_ratio_figure(ratio(tri, prd))}",
             f"n={len(tri)} rounds"),
        ]
    rows.append(("P1b", "fetching the rules once (not counted above)", fetch.fmt(1e6, 2, " ms"),
                 f"n={fetch.n} boots"))
    return rows


def model_rows(model):
    return learn_rows(model) + decide_rows(model) + setreg_rows(model)


# ---- P3 ---------------------------------------------------------------------

def lib_rows(lib):
    empty = statistics.median(lib["empty_kib"])
    rows = []
    for op in lib["ops"]:
        t = Figure(op["ns_per_op"])
        peak = statistics.median(op["peak_kib"]) - empty
        inputs = statistics.median(op["inputs_kib"]) - empty
        own = statistics.median(op["own_kib"])
        answer = f"{'yes' if op['ok'] else 'no'}, {op['count']} {op['count_is']}"
        rows.append(("P3", f"{op['what']} ({answer})", t.fmt(1e3, 1, " us"),
                     f"peak {peak:.0f} KiB (inputs {inputs:.0f}, operation {own:.0f})"))
    return rows


def methods(results):
    p = results["params"]
    return {k: v.format(iterations=p["setreg_iterations"], rounds=p["setreg_rounds"],
                        pairs=p["pairs"], repeats=p["lib_repeats"]) for k, v in METHODS.items()}
