"""Turns the benchmark samples (JSON lines from run.sh) into a table of
medians and ratios (ours / official), results.json and RESULTS.md."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import typing as t

LANGS = (("py", "Python"), ("node", "Node"))


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def collect(samples: list[dict]) -> dict[str, dict[str, t.Any]]:
    """sdk id -> metric name -> median value (or an error string)."""
    out: dict[str, dict[str, t.Any]] = {}

    def put(sdk: str, key: str, value: t.Any) -> None:
        out.setdefault(sdk, {})[key] = value

    startup: dict[str, dict[str, list[float]]] = {}
    # tools.get: (sdk, n) -> warm times of every process, RSS readings per process.
    gets: dict[tuple[str, int], dict[str, list[float]]] = {}
    # verify: (sdk, key) -> the rate of every process.
    verifies: dict[tuple[str, str], list[float]] = {}
    for s in samples:
        sdk, m, r = s["sdk"], s["measure"], s.get("result")
        if r is None:
            key = m if m != "tools_get" else f"tools_get_{s['args'][0]}_ms"
            put(sdk, key, "error: " + s.get("error", "?"))
            continue
        if m == "startup":
            d = startup.setdefault(sdk, {"wall": [], "rss": []})
            d["wall"].append(r["wall_ms"])
            d["rss"].append(r["peak_rss_mb"])
        elif m == "tools_get":
            g = gets.setdefault((sdk, r["tools"]), {"ms": [], "rss": [], "settled": []})
            g["ms"].extend(r["warm_ms"])
            g["rss"].append(r["rss_added_mb"])
            if "rss_added_settled_mb" in r:
                g["settled"].append(r["rss_added_settled_mb"])
        elif m == "execute":
            put(sdk, "execute_p50_us", r["sdk"]["p50_us"])
            put(sdk, "execute_p99_us", r["sdk"]["p99_us"])
            put(sdk, "raw_http_p50_us", r["raw"]["p50_us"])
            put(sdk, "execute_overhead_p50_us", r["overhead_p50_us"])
        elif m == "verify":
            key = (
                "verify_distinct_per_sec"
                if r.get("distinct", 1) > 1
                else "verify_per_sec"
            )
            verifies.setdefault((sdk, key), []).append(r["per_sec"])
        elif m == "concurrent":
            put(sdk, "concurrent_200_ms", median(r["wall_ms"]))
    for (sdk, key), rates in verifies.items():
        put(sdk, key, median(rates))
    for (sdk, n), g in gets.items():
        put(sdk, f"tools_get_{n}_ms", median(g["ms"]))
        put(sdk, f"tools_get_{n}_rss_added_mb", median(g["rss"]))
        if g["settled"]:
            put(sdk, f"tools_get_{n}_rss_settled_mb", median(g["settled"]))
    for sdk, d in startup.items():
        put(sdk, "startup_ms", median(d["wall"]))
        put(sdk, "startup_peak_rss_mb", median(d["rss"]))
    return out


ROWS = [
    ("startup_ms", "import + construct (ms)", False),
    ("startup_peak_rss_mb", "import + construct peak RSS (MB)", False),
    ("tools_get_50_ms", "tools.get 50, warm (ms)", False),
    ("tools_get_500_ms", "tools.get 500, warm (ms)", False),
    ("tools_get_2000_ms", "tools.get 2,000, warm (ms)", False),
    ("tools_get_2000_rss_added_mb", "tools.get 2,000 RSS added (MB)", False),
    (
        "tools_get_2000_rss_settled_mb",
        "tools.get 2,000 RSS added, 1 s later (MB)",
        False,
    ),
    ("execute_p50_us", "execute p50 (µs)", False),
    ("execute_p99_us", "execute p99 (µs)", False),
    ("raw_http_p50_us", "raw keep-alive HTTP p50 (µs)", False),
    ("execute_overhead_p50_us", "execute overhead p50 (µs)", False),
    ("verify_per_sec", "verify webhook (/s, higher is better)", True),
    (
        "verify_distinct_per_sec",
        "verify webhook, 1,000 distinct bodies (/s, higher is better)",
        True,
    ),
    ("concurrent_200_ms", "200 concurrent executes (ms)", False),
]


# Issue #7's targets and the official SDKs' figures quoted with them:
# (key, label, official Python, official Node, target Python, target Node, higher is better).
TARGETS = [
    ("startup_ms", "import + construct (ms)", 2640.0, 215.0, 60.0, 90.0, False),
    (
        "startup_peak_rss_mb",
        "import + construct peak RSS (MB)",
        160.0,
        82.0,
        40.0,
        60.0,
        False,
    ),
    ("tools_get_2000_ms", "tools.get 2,000 (ms)", 2480.0, 4490.0, 120.0, 200.0, False),
    (
        "tools_get_2000_rss_added_mb",
        "tools.get 2,000 RSS added (MB)",
        139.0,
        398.0,
        80.0,
        150.0,
        False,
    ),
    ("tools_get_500_ms", "tools.get 500 (ms)", 589.0, 402.0, 30.0, 50.0, False),
    (
        "execute_overhead_p50_us",
        "execute overhead p50 (µs)",
        216.0,
        833.0,
        40.0,
        60.0,
        False,
    ),
    (
        "verify_per_sec",
        "verify webhook (/s)",
        80000.0,
        19000.0,
        120000.0,
        100000.0,
        True,
    ),
    (
        "concurrent_200_ms",
        "200 concurrent executes (ms)",
        148.0,
        245.0,
        50.0,
        50.0,
        False,
    ),
]


def targets(med: dict[str, dict[str, t.Any]]) -> str:
    """Issue #7's targets against this run: met or not, and the official
    SDK's figure here next to the one the issue quotes (how fast this machine
    is today compared with when the targets were set)."""
    head = (
        "| target | Python: target | ours | met | official here / quoted | "
        "Node: target | ours | met | official here / quoted |"
    )
    lines = [head, "|" + "---|" * 9]
    for key, label, q_py, q_node, t_py, t_node, higher in TARGETS:
        cells = [label]
        for lang, quoted, target in (("py", q_py, t_py), ("node", q_node, t_node)):
            o = med.get(f"{lang}-ours", {}).get(key)
            f = med.get(f"{lang}-official", {}).get(key)
            met = "—"
            if isinstance(o, (int, float)):
                met = "yes" if (o >= target if higher else o <= target) else "NO"
            here = ratio(f, quoted)
            cells += [
                fmt(target),
                fmt(o),
                met,
                "—" if here is None else f"{fmt(f)} / {fmt(quoted)}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fmt(v: t.Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return "error"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def ratio(ours: t.Any, theirs: t.Any) -> float | None:
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)) and theirs:
        return ours / theirs
    return None


def table(med: dict[str, dict[str, t.Any]]) -> tuple[str, dict[str, t.Any]]:
    head = "| measure | ours Python | official Python | ours/official | ours Node | official Node | ours/official |"
    lines = [head, "|" + "---|" * 7]
    ratios: dict[str, t.Any] = {}
    for key, label, _higher in ROWS:
        cells = [label]
        for lang, _ in LANGS:
            o = med.get(f"{lang}-ours", {}).get(key)
            f = med.get(f"{lang}-official", {}).get(key)
            r = ratio(o, f)
            ratios.setdefault(lang, {})[key] = r
            cells += [fmt(o), fmt(f), "—" if r is None else f"{r:.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), ratios


def environment() -> dict[str, t.Any]:
    env: dict[str, t.Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    }
    try:
        with open("/proc/cpuinfo") as f:
            env["cpu"] = next(
                line.split(":", 1)[1].strip()
                for line in f
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        env["cpu"] = platform.processor()
    env["cores"] = os.cpu_count()
    env["load_average"] = os.getloadavg()
    try:
        env["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return env


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    ap.add_argument("--mode", default="full")
    ap.add_argument("--command", default="tests/bench/run.sh")
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown", required=True)
    a = ap.parse_args()
    with open(a.samples) as f:
        samples = [json.loads(line) for line in f if line.strip()]
    med = collect(samples)
    text, ratios = table(med)
    goals = targets(med)
    env = environment()
    errors = [s for s in samples if "error" in s]
    print()
    print(text)
    print()
    print(goals)
    if errors:
        print(f"\n{len(errors)} measure(s) failed:")
        for s in errors:
            print(f"  {s['sdk']} {s['measure']} {' '.join(s['args'])}: {s['error']}")
    result = {
        "mode": a.mode,
        "command": a.command,
        "environment": env,
        "medians": med,
        "ratios": ratios,
        "samples": samples,
    }
    with open(a.json, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    load = ", ".join(f"{x:.2f}" for x in env["load_average"])
    md = [
        "# Benchmark results",
        "",
        "Produced by:",
        "",
        "```",
        a.command,
        "```",
        "",
        (
            f"Mode: **{a.mode}**{' (few iterations: a smoke run, not figures to quote)' if a.mode == 'quick' else ''}. "
            f"{env['date']}, {env.get('cpu', '?')}, {env['cores']} cores, load average {load}, "
            f"commit {env.get('commit', '?')}. Server and clients pinned to different cores with `taskset`; "
            "medians; ratios are ours / official (below 1 is better, except webhooks/s). "
            "RSS added by tools.get is read in the client process right after the last call "
            "(the figure the targets use) and again after one idle second with the result still "
            "held; the 2,000-tool list is measured in several processes and the median is shown."
        ),
        "",
        text,
        "",
        "Against issue #7's targets (the last column of each language compares the official SDK's",
        "figure in this run with the one the issue quotes for it):",
        "",
        goals,
        "",
    ]
    if errors:
        md += ["Failed measures:", ""]
        md += [
            f"- `{s['sdk']} {s['measure']} {' '.join(s['args'])}`: {s['error']}"
            for s in errors
        ]
        md.append("")
    md += ["Raw samples and the environment are in `tests/bench/results.json`.", ""]
    with open(a.markdown, "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
