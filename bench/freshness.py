#!/usr/bin/env python3
"""Freshness: how long a change published through one instance takes to be found by search on
another instance of the same database.

Changes the title of one admin-feed offer (OUT_DIR/fresh_item.json, written by dataset.py) to
hold a new unique word, pushed as a delta feed through instance 1, then polls
`GET /v1/aanbod?q=<word>` on instance 2 every 20 ms until the offer is found. The delay is
counted from the moment the feed push answered. Several tries; writes OUT_DIR/fresh.json.
Standard library only.

Usage: freshness.py BASE_URL_1 BASE_URL_2 ADMIN_TOKEN OUT_DIR [TRIES]
"""

import json
import os
import secrets
import sys
import time
import urllib.request

POLL_S = 0.02
TIMEOUT_S = 10.0


def call(method, url, token=None, body=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.loads(res.read() or b"null")


def main():
    base1, base2, admin, out = sys.argv[1:5]
    tries = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    fresh = json.load(open(os.path.join(out, "fresh_item.json")))
    item, feed = fresh["item"], fresh["feed"]
    titel = item["titel"]["nl"]
    delays = []
    for k in range(tries):
        # Letters only after a fixed prefix: one token for both backends' tokenizers.
        word = "vers" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))
        item["titel"]["nl"] = f"{titel} {word}"
        r = call("PUT", f"{base1}/v1/aanbodFeeds/{feed}", admin, {"modus": "delta", "items": [item]})
        if r.get("afgewezen"):
            sys.exit(f"freshness: feed rejected the change: {r}")
        t0 = time.monotonic()
        while True:
            found = call("GET", f"{base2}/v1/aanbod?q={word}")["total"] > 0
            waited = time.monotonic() - t0
            if found or waited > TIMEOUT_S:
                break
            time.sleep(POLL_S)
        delays.append(round(waited * 1000) if found else None)
        print(f"  freshness try {k + 1}: {word} {'found after %d ms' % (waited * 1000) if found else 'NOT found in 10 s'}",
              file=sys.stderr)
    known = [d for d in delays if d is not None]
    result = {"delays_ms": delays, "max_ms": max(known) if len(known) == len(delays) else None}
    json.dump(result, open(os.path.join(out, "fresh.json"), "w"))


if __name__ == "__main__":
    main()
