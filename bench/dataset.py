#!/usr/bin/env python3
"""Deterministic benchmark data for the PNT API, loaded over HTTP.

Creates ORGS organisations and AANBOD published offers spread over all 304 municipalities
(pushed as 5,000-item feeds by admin), then times one extra 5,000-item feed pushed by a real
feed client: the first push and an identical replay. Standard library only.

Usage: dataset.py BASE_URL ADMIN_TOKEN OUT_DIR [ORGS] [AANBOD]
"""

import csv
import json
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SEED = 20261122
HERE = os.path.dirname(os.path.abspath(__file__))
REFDATA = os.path.join(HERE, "..", "src", "refdata")

WOORDEN = [
    "voetbal", "taalcafé", "buddy", "koken", "wandelen", "fietsen", "zingen", "breien", "schaken",
    "tuinieren", "lezen", "dansen", "yoga", "muziek", "theater", "knutselen", "naaien", "basketbal",
    "zwemmen", "repair", "bibliotheek", "jeugdbeweging", "praattafel", "kookclub", "buurtfeest",
]
ZINNEN = [
    "Samen met buurtbewoners", "elke week op dinsdagavond", "in een Nederlandstalige groep",
    "met vrijwilligers uit de buurt", "voor beginners en gevorderden", "koffie en een babbel",
    "we leren elkaar kennen", "gratis en zonder inschrijving", "met een vaste begeleider",
]
TYPES = ["buddyproject", "kennismakingsstage", "vrijwilligerswerk", "praattafel", "vrijetijd", "andere"]
TALEN = ["en", "fr", "ar", "uk", "ru", "tr", "es", "so", "ti", "ps", "fa"]
THEMAS = ["sport", "taal", "cultuur", "natuur", "koken", "muziek", "creatief", "zorg", "jeugd"]
WEEKDAGEN = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
UREN = [("09:00", "11:00"), ("10:00", "12:30"), ("13:30", "15:30"), ("14:00", "17:00"), ("18:30", "20:30"), ("19:00", "21:30")]


def gemeenten():
    rows = []
    for name in ("gemeenten.csv", "brussel_gemeenten.csv"):
        with open(os.path.join(REFDATA, name), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append((r["nis_code"], float(r["lat"]), float(r["lon"]), r["regionaal_netwerk_code"]))
    return rows


def call(method, url, token, body=None, content_type="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=600) as res:
            return json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {url}: {e.code} {e.read()[:500]!r}")


def item(rng, i, prefix, gem, orgs):
    nis, lat, lon, _ = rng.choice(gem)
    w1, w2 = rng.sample(WOORDEN, 2)
    titel = {"nl": f"{w1.capitalize()} en {w2} {prefix}{i}"}
    if rng.random() < 0.4:
        titel["en"] = f"{w1} and {w2} {prefix}{i}"
    v = {
        "externId": f"{prefix}{i}",
        "titel": titel,
        "beschrijving": {"nl": ". ".join(rng.sample(ZINNEN, 3))},
        "aanbodtype": rng.choice(TYPES),
        "organisatie": rng.randint(1, orgs),
        "gemeente": nis,
        "nederlandstaligeContext": rng.random() < 0.9,
        "socialeParticipatie": rng.random() < 0.9,
        "inGroep": rng.random() < 0.8,
        "ondersteuningstalen": rng.sample(TALEN, rng.randint(0, 3)),
        "themas": rng.sample(THEMAS, rng.randint(1, 3)),
        "locatie": {"lat": round(lat + rng.uniform(-0.03, 0.03), 5), "lon": round(lon + rng.uniform(-0.04, 0.04), 5)},
    }
    if rng.random() < 0.5:
        v["periode"] = {"van": "2026-01-01", "tot": rng.choice(["2026-06-30", "2026-12-31", "2027-06-30"])}
    if rng.random() < 0.3:
        v["capaciteit"] = rng.randint(1, 20)
    # About half the offers give a schedule (issue 14): one or two weekly slots, now and then a
    # dated session inside the period.
    if rng.random() < 0.5:
        momenten = []
        for dag in rng.sample(WEEKDAGEN, rng.randint(1, 2)):
            van, tot = rng.choice(UREN)
            momenten.append({"weekdag": dag, "van": van, "tot": tot})
        if rng.random() < 0.2:
            van, tot = rng.choice(UREN)
            momenten.append({"datum": f"2026-03-{rng.randint(1, 28):02d}", "van": van, "tot": tot})
        v["momenten"] = momenten
    return v


def main():
    base, admin, out = sys.argv[1], sys.argv[2], sys.argv[3]
    orgs = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    aanbod = int(sys.argv[5]) if len(sys.argv) > 5 else 50000
    rng = random.Random(SEED)
    gem = gemeenten()
    os.makedirs(out, exist_ok=True)

    t = time.time()
    soorten = ["vereniging", "vzw", "bedrijf", "lokaalBestuur", "onderwijs", "overheid", "andere"]
    for i in range(orgs):
        nis = rng.choice(gem)[0]
        call("POST", f"{base}/v1/organisaties", admin, {"naam": f"Organisatie {i}", "soort": rng.choice(soorten), "gemeente": nis})
    print(f"  {orgs} organisaties in {time.time() - t:.1f} s", file=sys.stderr)

    t = time.time()
    batch = 5000
    for start in range(0, aanbod, batch):
        items = [item(rng, i, "b", gem, orgs) for i in range(start, min(start + batch, aanbod))]
        r = call("PUT", f"{base}/v1/aanbodFeeds/bench-{start // batch}", admin, {"modus": "delta", "items": items})
        if r["afgewezen"]:
            sys.exit(f"feed rejected items: {r['fouten'][:2]}")
    print(f"  {aanbod} aanbod in {time.time() - t:.1f} s", file=sys.stderr)

    # The measured feed: a real feed client for all municipalities, 5,000 items.
    client = call("POST", f"{base}/v1/apiClients", admin,
                  {"naam": "bench", "rol": "feedClient", "gemeenten": [g[0] for g in gem]})
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client["clientId"],
                                   "client_secret": client["clientSecret"]}).encode()
    token = call("POST", f"{base}/v1/oauth/token", None, form, "application/x-www-form-urlencoded")["access_token"]
    feed = json.dumps({"modus": "volledig", "items": [item(rng, i, "f", gem, orgs) for i in range(5000)]}).encode()
    url = f"{base}/v1/aanbodFeeds/{client['clientId']}"
    t = time.time()
    first = call("PUT", url, token, feed)
    first_s = time.time() - t
    t = time.time()
    replay = call("PUT", url, token, feed)
    replay_s = time.time() - t
    assert first["aangemaakt"] == 5000 and replay["ongewijzigd"] == 5000, (first, replay)

    # Inputs for the load generator.
    with open(os.path.join(out, "params.lua"), "w") as f:
        f.write("NIS = {" + ",".join(f'"{g[0]}"' for g in gem) + "}\n")
        f.write("PUNTEN = {" + ",".join(f"{{{g[1]},{g[2]}}}" for g in gem) + "}\n")
        f.write("WOORDEN = {" + ",".join(f'"{urllib.parse.quote(w)}"' for w in WOORDEN) + "}\n")
        f.write("TYPES = {" + ",".join(f'"{t}"' for t in TYPES) + "}\n")
        f.write("NETWERKEN = {" + ",".join(f'"{n}"' for n in sorted({g[3] for g in gem})) + "}\n")
        f.write(f"MAX_ID = {aanbod + 5000}\n")
    json.dump({"feed_first_items_per_s": 5000 / first_s, "feed_replay_items_per_s": 5000 / replay_s,
               "feed_first_s": first_s, "feed_replay_s": replay_s}, open(os.path.join(out, "feed.json"), "w"))
    print(f"  feed 5000 items: first {first_s:.2f} s, replay {replay_s:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
