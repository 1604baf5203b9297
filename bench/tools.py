#!/usr/bin/env python3
"""Helpers of bench/run.sh. Standard library only.

  tools.py pgbench-script STATEMENT_FILE PARAMS_LUA OUT
      Writes (b)'s statement (bench/sqlite-b.sql, `:g` a gemeente) as a pgbench script with a
      random gemeente per transaction.
  tools.py sqlite-rate DB STATEMENT_FILE PARAMS_LUA SECONDS [PROCESSES]
      Runs the SQLite statement with a random gemeente in a loop in PROCESSES processes (default
      2) for SECONDS; prints the statements per second.
  tools.py shares BASE_URL OUT_DIR
      Asks the API how many rows each COMMON and RARE word finds; adds them to shares.json.
  tools.py report OUT_DIR BACKENDS DATASETS SCENARIOS WALL_SECONDS ORGS AANBOD THREADS CONNECTIONS DURATION WRK_TIMEOUT
      Writes OUT_DIR/results.md from the files the run left in OUT_DIR/<backend>-<dataset>/.
"""

import json
import multiprocessing
import os
import random
import re
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

NIS_RE = re.compile(r'NIS = \{([^}]*)\}')


def nis_codes(params_lua):
    return re.findall(r'"(\d+)"', NIS_RE.search(open(params_lua).read()).group(1))


def pgbench_script(statement_file, params_lua, out):
    """(b)'s statement for pgbench: `:g` becomes a random gemeente per transaction."""
    sql = "\n".join(ln for ln in open(statement_file).read().splitlines() if not ln.startswith("--")).strip().rstrip(";")
    codes = nis_codes(params_lua)
    array = "(ARRAY[" + ",".join(f"'{c}'" for c in codes) + "])[:i]"
    with open(out, "w") as f:
        f.write(f"\\set i random(1, {len(codes)})\n{sql.replace(':g', array)};\n")


def _sqlite_loop(args):
    db, sql, codes, seconds, seed = args
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rng, n = random.Random(seed), 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        conn.execute(sql, {"g": rng.choice(codes)}).fetchall()
        n += 1
    return n


def sqlite_rate(db, statement_file, params_lua, seconds, processes=2):
    sql = open(statement_file).read().strip().rstrip(";")
    codes = nis_codes(params_lua)
    procs = int(processes)
    with multiprocessing.Pool(procs) as pool:
        counts = pool.map(_sqlite_loop, [(db, sql, codes, float(seconds), s) for s in range(procs)])
    print(f"{sum(counts) / float(seconds):.0f}")


def shares(base, out):
    path = os.path.join(out, "shares.json")
    s = json.load(open(path))
    s["api"] = {}
    for w in list(s["common"]) + list(s["rare"]):
        with urllib.request.urlopen(f"{base}/v1/aanbod?q={urllib.parse.quote(w)}&pageSize=1", timeout=120) as r:
            s["api"][w] = json.loads(r.read())["total"]
    json.dump(s, open(path, "w"), indent=1)
    common = ", ".join(f"{w} {s['api'][w] / s['rows']:.1%}" for w in s["common"])
    rare = [s["api"][w] / s["rows"] for w in s["rare"]] or [0]
    print(f"  API finds COMMON: {common}; RARE: {min(rare):.3%}-{max(rare):.3%} of {s['rows']} rows", file=sys.stderr)


LABELS = {
    "by_id": "(a) offer by id",
    "gemeente": "(b) one `gemeente`, `sort=-gewijzigdOp`",
    "filter_fixed": "(c) `aanbodtype` + `nederlandstaligeContext=true`",
    "filter_random": "(c) 1–4 random documented filters",
    "q_common": "(d) `q` COMMON word, relevance",
    "q_rare": "(d) `q` RARE word, relevance",
    "q_common_type": "(d) `q` COMMON + `aanbodtype`",
    "q_common_date": "(d) `q` COMMON, `sort=-gewijzigdOp`",
    "q_common_titel": "(d) `q` COMMON, `sort=titel`",
    "near": "(e) `near` 10 km, `sort=afstand`",
    "facetten": "(f) `regionaalNetwerk` + 4 facets",
}
BACKEND_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def wrk_figures(path):
    """(req/s, p50, p99, errors) of one wrk output, or None when the run is missing."""
    if not os.path.exists(path):
        return None
    text = open(path).read()
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sock:
        errors += sum(int(n) for n in sock.groups())
    if not rps:
        return None
    return float(rps.group(1)), p50.group(1) if p50 else "?", p99.group(1) if p99 else "?", errors


def load_json(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def read_number(path):
    try:
        return float(open(path).read().strip())
    except (OSError, ValueError):
        return None


def report(out, backends, datasets, scenarios, wall, orgs, aanbod, threads, connections, duration, wrk_timeout="2"):
    combos = [(b, d) for b in backends.split() for d in datasets.split()]
    dirs = {c: os.path.join(out, f"{c[0]}-{c[1]}") for c in combos}
    model = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    rows = int(aanbod) + 5000
    head = [
        f"# Benchmark {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({model}), shared by server, database and wrk. "
        f"Data: {int(orgs):,} organisations, {int(aanbod):,} + 5,000 published offers ({rows:,} rows) over all "
        f"304 municipalities per data set. wrk `-t{threads} -c{connections} -d{duration}s` over loopback, random "
        f"parameters from `bench/lua/`, `--timeout {wrk_timeout}s`. Total wall time of the run: {float(wall) / 60:.1f} min; "
        f"load average at the end: {os.getloadavg()[0]:.1f}.",
        "",
        "Each cell: requests/s · p50 / p99 latency (· errors: non-2xx, socket errors and answers slower than the timeout, when any).",
        "",
    ]
    cols = [f"{BACKEND_NAMES.get(b, b)} {d}" for b, d in combos]
    table = ["| scenario | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]

    def row(label, cells):
        table.append(f"| {label} | " + " | ".join(cells) + " |")

    b_rps = {}
    for s in scenarios.split():
        cells = []
        for c in combos:
            f = wrk_figures(os.path.join(dirs[c], f"wrk-{s}.txt"))
            if f is None:
                cells.append("–")
                continue
            if s == "gemeente":
                b_rps[c] = f[0]
            cells.append(f"{f[0]:,.0f} · {f[1]} / {f[2]}" + (f" · **{f[3]:,} err**" if f[3] else ""))
        row(LABELS.get(s, s), cells)

    ref = {c: read_number(os.path.join(dirs[c], "reference-b.txt")) for c in combos}
    row("limit: (b)'s statement alone (PostgreSQL: pgbench; SQLite: Python sqlite3 loop, 2 processes)",
        [f"{ref[c]:,.0f}/s" if ref[c] else "–" for c in combos])
    row("(b) as a share of that limit",
        [f"{b_rps[c] / ref[c]:.0%}" if ref[c] and c in b_rps else "–" for c in combos])
    load = {c: read_number(os.path.join(dirs[c], "load_seconds.txt")) for c in combos}
    row("loading the data set over HTTP (organisations, offers, measured feed)",
        [f"{load[c]:.0f} s" if load[c] is not None else "–" for c in combos])
    feeds = {c: load_json(os.path.join(dirs[c], "feed.json")) for c in combos}
    row("feed first push, 5,000 items", [f"{f['feed_first_items_per_s']:,.0f} items/s" if f else "–" for c, f in feeds.items()])
    row("feed identical replay", [f"{f['feed_replay_items_per_s']:,.0f} items/s" if f else "–" for c, f in feeds.items()])
    rss = {c: load_json(os.path.join(dirs[c], "rss.json")) or {} for c in combos}
    mb = lambda kb: f"{kb / 1024:.0f} MB" if kb else "?"  # noqa: E731
    row("RSS after loading (peak while loading)", [f"{mb(r.get('after_load_rss_kb'))} ({mb(r.get('load_hwm_kb'))})" for r in rss.values()])
    row("peak RSS during the wrk runs", [mb(r.get("wrk_hwm_kb")) for r in rss.values()])
    fresh = {c: load_json(os.path.join(dirs[c], "fresh.json")) for c in combos}

    def fresh_cell(f):
        if not f:
            return "–"
        shown = ", ".join("–" if d is None else str(d) for d in f["delays_ms"])
        return f"max {f['max_ms']} ms ({shown})" if f["max_ms"] is not None else f"**not seen within 10 s** ({shown})"

    start2 = {c: read_number(os.path.join(dirs[c], "start2_ms.txt")) for c in combos}
    row("second instance on the loaded database: start until `/health/ready`",
        [f"{start2[c]:,.0f} ms" if start2[c] is not None else "–" for c in combos])
    row("freshness: feed change on instance 1 found by `q` on instance 2", [fresh_cell(f) for f in fresh.values()])
    shares_ = {c: load_json(os.path.join(dirs[c], "shares.json")) for c in combos}

    def share_cell(s, kind):
        if not s:
            return "–"
        found = s.get("api", {})
        parts = [f"{w} {found.get(w, v * s['rows']) / s['rows']:.1%}" for w, v in s[kind].items()]
        if kind == "rare":
            vals = [found.get(w, v * s["rows"]) / s["rows"] for w, v in s[kind].items()] or [0]
            return f"{len(parts)} words, {min(vals):.3%}–{max(vals):.3%}"
        return ", ".join(parts)

    row("rows the COMMON words find (API `total`)", [share_cell(s, "common") for s in shares_.values()])
    row("rows the RARE words find (API `total`)", [share_cell(s, "rare") for s in shares_.values()])
    notes = [
        "",
        "Notes: COMMON = words in more than half of the rows (worstcase) or the 5 most frequent words "
        "(realistic: Zipf 1/rank^1.07 over 3,000 words, so the top words are in most rows too); RARE = "
        "words in fewer than 0.5 % of the rows. The limit of (b) is the statement the SQL search sends "
        "for it, the page and its exact count in one statement (`bench/sqlite-b.sql`), run by pgbench with "
        f"`-M prepared -c {connections} -j {threads} -T {duration}` and a random gemeente per transaction, "
        "while the API is idle; for SQLite the same statement from 2 Python processes (sqlite3, read-only) — "
        "Python's own overhead included, so it understates SQLite's limit. RSS is the API process's VmRSS/VmHWM; the peak is reset after "
        "loading so the wrk peak stands alone. Freshness: a second instance on the same database, polled "
        "every 20 ms after the feed push answered, 5 tries.",
    ]
    text = "\n".join(head + table + notes) + "\n"
    open(os.path.join(out, "results.md"), "w").write(text)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"pgbench-script": pgbench_script, "sqlite-rate": sqlite_rate, "shares": shares, "report": report}[cmd](*args)
