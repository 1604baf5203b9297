#!/usr/bin/env python3
"""Deterministic benchmark data for the PNT API, loaded over HTTP.

Creates ORGS organisations and AANBOD published offers spread over all 304 municipalities
(pushed as 5,000-item feeds by admin), then times one extra 5,000-item feed pushed by a real
feed client: the first push and an identical replay. Standard library only.

Two vocabularies (DATASET, argument or env; default realistic):
- realistic: about 3,000 Dutch words of the domain (a few hundred real words plus compounds of
  them), drawn with Zipf weights 1/rank^1.07; titles of 2-6 words, descriptions of 20-80 words,
  1-3 themes, 35 % of the offers with an English, French or Arabic title too.
- worstcase: the original vocabulary of 25 words and 9 stock sentences, so that a word such as
  `buurt` is in more than half of the rows (the case that makes ranking count every match).

Writes OUT_DIR/params.lua for the wrk scripts (COMMON: words in > 50 % of the rows for
worstcase, the 5 most frequent for realistic; RARE: words in < 0.5 % of the rows; the filter
values), OUT_DIR/feed.json (feed timings), OUT_DIR/shares.json (the share of rows each COMMON
and RARE word hits, by prefix, as the API matches) and OUT_DIR/fresh_item.json (one offer of an
admin feed, for the freshness step).

Usage: dataset.py BASE_URL ADMIN_TOKEN OUT_DIR [ORGS] [AANBOD] [DATASET]
"""

import bisect
import csv
import itertools
import json
import os
import random
import re
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

SEED = 20261122
HERE = os.path.dirname(os.path.abspath(__file__))
REFDATA = os.path.join(HERE, "..", "src", "refdata")

# --- worstcase: the original vocabulary -------------------------------------------------------
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
THEMAS = ["sport", "taal", "cultuur", "natuur", "koken", "muziek", "creatief", "zorg", "jeugd"]

# --- realistic: real words of the domain, most frequent first ---------------------------------
# The head of the Zipf ranking: words that real offer texts use everywhere.
KOP = [
    "samen", "nederlands", "activiteit", "buurt", "vrijwilligers", "nieuwkomers", "week", "groep",
    "gratis", "leren", "ontmoeten", "praten", "gezellig", "iedereen", "welkom", "oefenen",
    "kennismaken", "elke", "beginners", "avond",
]
ACTIVITEITEN = [
    "voetbal", "zwemmen", "koken", "wandelen", "fietsen", "zingen", "breien", "schaken", "tuinieren",
    "lezen", "dansen", "yoga", "muziek", "theater", "knutselen", "naaien", "basketbal", "volleybal",
    "tennis", "badminton", "judo", "karate", "boksen", "hockey", "atletiek", "turnen", "petanque",
    "kaarten", "bridge", "dammen", "quiz", "schilderen", "tekenen", "fotografie", "film", "toneel",
    "koor", "drummen", "gitaar", "piano", "bakken", "moestuin", "klussen", "herstellen", "fitness",
    "lopen", "joggen", "pilates", "meditatie", "minivoetbal", "zaalvoetbal", "skaten", "klimmen",
    "kajakken", "roeien", "vissen", "kamperen", "spelletjes", "borduren", "haken", "pottenbakken",
    "beeldhouwen", "programmeren", "computerles", "taalles", "huiswerkbegeleiding", "voorlezen",
    "conversatie", "uitstap", "museumbezoek", "stadswandeling", "picknick", "barbecue", "feest",
    "markt", "rommelmarkt", "opruimactie", "zwerfvuil", "kledingruil", "boekenruil", "repaircafé",
    "taalcafé", "praattafel", "kookclub", "buurtfeest", "jeugdbeweging", "speelpleinwerking",
]
PLAATSEN = [
    "buurthuis", "bibliotheek", "sporthal", "park", "school", "jeugdhuis", "ontmoetingscentrum",
    "dienstencentrum", "cultuurcentrum", "zwembad", "speelplein", "tuin", "kerk", "moskee",
    "parochiezaal", "gemeentehuis", "stadhuis", "sportveld", "atelier", "keuken", "café", "zaal",
    "plein", "wijk", "dorp", "stad", "centrum", "station", "markt", "bos", "strand", "kinderboerderij",
    "academie", "muziekschool", "kringloopwinkel", "woonzorgcentrum", "rusthuis", "ziekenhuis",
    "kantoor", "winkel", "boerderij", "volkstuin", "speeltuin", "jeugdlokaal", "clubhuis",
]
MENSEN = [
    "buurtbewoners", "vrijwilliger", "begeleider", "trainer", "coach", "lesgever", "buddy",
    "nieuwkomer", "anderstaligen", "jongeren", "kinderen", "ouders", "moeders", "vaders", "senioren",
    "vrouwen", "mannen", "gezinnen", "studenten", "leerlingen", "leden", "deelnemers", "buren",
    "vrienden", "collega", "mentor", "peter", "meter", "animator", "monitor", "verenigingen",
    "inwoners", "gasten", "bezoekers", "spelers", "zangers", "dansers", "lezers",
]
WERKWOORDEN = [
    "spreken", "helpen", "ontdekken", "maken", "spelen", "sporten", "bewegen", "delen", "vertellen",
    "luisteren", "lachen", "eten", "drinken", "verbinden", "begeleiden", "ondersteunen", "inschrijven",
    "aansluiten", "meedoen", "uitproberen", "verbeteren", "groeien", "werken", "zoeken", "vinden",
    "kiezen", "proeven", "bezoeken", "organiseren", "plannen", "trainen", "winnen", "genieten",
    "ontspannen", "creëren", "bouwen", "herstellen", "oefenen", "uitwisselen", "samenwerken",
]
KENMERKEN = [
    "wekelijks", "maandelijks", "nederlandstalig", "laagdrempelig", "toegankelijk", "open", "vast",
    "nieuw", "leuk", "sportief", "creatief", "rustig", "actief", "informeel", "betaalbaar",
    "dichtbij", "veilig", "warm", "vriendelijk", "eenvoudig", "praktisch", "muzikaal", "lokaal",
    "gemengd", "klein", "groot", "jong", "oud", "ervaren", "geduldig", "enthousiast", "flexibel",
    "zaterdag", "zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "voormiddag",
    "namiddag", "middag", "ochtend", "vakantie", "zomer", "winter", "najaar", "voorjaar",
]
ZAKEN = [
    "koffie", "thee", "soep", "brood", "lunch", "maaltijd", "taal", "woorden", "zinnen", "verhaal",
    "boek", "spel", "bal", "fiets", "kleding", "materiaal", "inschrijving", "lidgeld", "verzekering",
    "attest", "certificaat", "diploma", "ervaring", "kennis", "vaardigheden", "netwerk", "contact",
    "vriendschap", "cultuur", "natuur", "gezondheid", "sport", "werk", "job", "stage", "opleiding",
    "cursus", "les", "workshop", "training", "wedstrijd", "toernooi", "concert", "voorstelling",
    "tentoonstelling", "project", "initiatief", "vereniging", "club", "team", "ploeg", "traject",
]
# Compounds: a stem of an activity, place or group before a head noun (voetbal+club, kook+atelier).
STAMMEN = [
    "voetbal", "zwem", "kook", "wandel", "fiets", "zang", "brei", "schaak", "tuin", "lees", "dans",
    "yoga", "muziek", "theater", "knutsel", "naai", "basket", "volley", "tennis", "judo", "loop",
    "fitness", "teken", "schilder", "foto", "film", "toneel", "koor", "bak", "klus", "spel", "sport",
    "taal", "praat", "spreek", "schrijf", "reken", "computer", "digitaal", "huiswerk", "leer",
    "buurt", "wijk", "stads", "dorps", "jeugd", "kinder", "ouder", "senioren", "vrouwen", "mannen",
    "gezins", "school", "vakantie", "zomer", "winter", "weekend", "zaterdag", "zondag", "woensdag",
    "avond", "middag", "ochtend", "natuur", "bos", "moestuin", "groente", "fruit", "brood", "koffie",
    "thee", "soep", "kunst", "cultuur", "cultuurhuis", "kleding", "fietsherstel", "repair", "kaart",
    "quiz", "bridge", "petanque", "dam", "creatief", "muzikaal", "vrijwilligers", "nieuwkomers",
    "onthaal", "welkom", "ontmoetings", "samen", "gezondheids", "beweeg", "speel", "ontdek",
]
KOPPEN = [
    "club", "groep", "les", "avond", "namiddag", "moment", "project", "atelier", "café", "werking",
    "vereniging", "ploeg", "cursus", "dag", "week", "uur", "hoek", "tafel", "team", "kamp",
    "initiatief", "aanbod", "traject", "wedstrijd", "training", "activiteit", "workshop", "feest",
    "tocht", "kring", "reeks", "markt", "route", "zaal", "plek", "vrienden", "maatje", "koffer",
    "weekend",
]
THEMAS_REALISTISCH = [
    "taal", "ontmoeting", "sport", "cultuur", "creatief", "koken", "natuur", "muziek", "jeugd",
    "gezin", "werk", "digitaal", "gezondheid", "buurt", "lezen", "spel", "zorg", "vrijwilligerswerk",
]
VREEMDE_TITELS = {
    "en": ["cooking", "club", "walking", "group", "language", "cafe", "football", "swimming", "lessons",
           "newcomers", "neighbourhood", "volunteers", "music", "dance", "workshop", "evening",
           "afternoon", "garden", "reading", "sewing", "chess", "choir", "sports", "youth", "women",
           "parents", "children", "meeting", "conversation", "table", "cycling", "art", "theatre",
           "library", "together", "weekly", "free", "friendly", "beginners", "practice"],
    "fr": ["cuisine", "atelier", "club", "promenade", "groupe", "café", "langue", "football",
           "natation", "cours", "nouveaux", "arrivants", "quartier", "bénévoles", "musique", "danse",
           "soirée", "jardin", "lecture", "couture", "échecs", "chorale", "sport", "jeunesse",
           "femmes", "parents", "enfants", "rencontre", "conversation", "table", "vélo", "théâtre",
           "bibliothèque", "ensemble", "gratuit", "débutants", "hebdomadaire", "convivial"],
    "ar": ["طبخ", "نادي", "مشي", "مجموعة", "لغة", "مقهى", "كرة", "سباحة", "دروس", "الجدد", "حي",
           "متطوعين", "موسيقى", "رقص", "ورشة", "مساء", "حديقة", "قراءة", "خياطة", "شطرنج", "جوقة",
           "رياضة", "شباب", "نساء", "أطفال", "لقاء", "محادثة", "دراجة", "فن", "مسرح", "مكتبة", "معا",
           "مجاني", "مبتدئين"],
}

TYPES = ["buddyproject", "kennismakingsstage", "vrijwilligerswerk", "praattafel", "vrijetijd", "andere"]
TALEN = ["en", "fr", "ar", "uk", "ru", "tr", "es", "so", "ti", "ps", "fa"]
WEEKDAGEN = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
DAGDELEN = ["voormiddag", "namiddag", "avond"]
UREN = [("09:00", "11:00"), ("10:00", "12:30"), ("13:30", "15:30"), ("14:00", "17:00"), ("18:30", "20:30"), ("19:00", "21:30")]
BESCHIKBAAR_OP = ["2026-02-15", "2026-05-01", "2026-09-15", "2027-03-01"]
ZIPF_S = 1.07
VOCABULARY_SIZE = 3000


def fold(s):
    """Lower case without accents, as the API folds search text (domain::text::fold)."""
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


def tokens(s):
    return re.findall(r"\w+", fold(s))


class Realistic:
    """The realistic vocabulary: ranked words and their Zipf weights."""

    def __init__(self):
        rng = random.Random(SEED + 1)
        seen, base = set(KOP), list(KOP)
        rest = [w for w in ACTIVITEITEN + PLAATSEN + MENSEN + WERKWOORDEN + KENMERKEN + ZAKEN if w not in seen]
        rest = list(dict.fromkeys(rest))
        rng.shuffle(rest)
        base += rest
        seen.update(base)
        compounds = sorted({s + k for s in STAMMEN for k in KOPPEN} - seen)
        rng.shuffle(compounds)
        self.words = base + compounds[: VOCABULARY_SIZE - len(base)]
        self.cum = list(itertools.accumulate(1 / r**ZIPF_S for r in range(1, len(self.words) + 1)))
        self.themas_cum = list(itertools.accumulate(1 / r for r in range(1, len(THEMAS_REALISTISCH) + 1)))

    def draw(self, rng, n):
        return rng.choices(self.words, cum_weights=self.cum, k=n)

    def text(self, rng, i, prefix):
        titel = {"nl": " ".join(self.draw(rng, rng.randint(2, 6))).capitalize()}
        if rng.random() < 0.35:
            for taal in rng.sample(["en", "en", "en", "fr", "fr", "ar"], 1 if rng.random() < 0.9 else 2):
                titel[taal] = " ".join(rng.sample(VREEMDE_TITELS[taal], rng.randint(2, 6))).capitalize()
        woorden = self.draw(rng, rng.randint(20, 80))
        zinnen, k = [], 0
        while k < len(woorden):
            n = rng.randint(5, 12)
            zinnen.append(" ".join(woorden[k : k + n]).capitalize() + ".")
            k += n
        return titel, {"nl": " ".join(zinnen)}

    def themas(self, rng):
        return list(dict.fromkeys(rng.choices(THEMAS_REALISTISCH, cum_weights=self.themas_cum, k=rng.randint(1, 3))))


class Worstcase:
    """The original vocabulary: every description is three of nine stock sentences."""

    def text(self, rng, i, prefix):
        w1, w2 = rng.sample(WOORDEN, 2)
        titel = {"nl": f"{w1.capitalize()} en {w2} {prefix}{i}"}
        if rng.random() < 0.4:
            titel["en"] = f"{w1} and {w2} {prefix}{i}"
        return titel, {"nl": ". ".join(rng.sample(ZINNEN, 3))}

    def themas(self, rng):
        return rng.sample(THEMAS, rng.randint(1, 3))


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


def item(rng, extra, vocab, i, prefix, gem, orgs):
    """One offer. `extra` draws what the original data set lacked (kosteloos), so the worst case
    keeps the rows it always had."""
    nis, lat, lon, _ = rng.choice(gem)
    titel, beschrijving = vocab.text(rng, i, prefix)
    v = {
        "externId": f"{prefix}{i}",
        "titel": titel,
        "beschrijving": beschrijving,
        "aanbodtype": rng.choice(TYPES),
        "organisatie": rng.randint(1, orgs),
        "gemeente": nis,
        "nederlandstaligeContext": rng.random() < 0.9,
        "socialeParticipatie": rng.random() < 0.9,
        "inGroep": rng.random() < 0.8,
        "ondersteuningstalen": rng.sample(TALEN, rng.randint(0, 3)),
        "themas": vocab.themas(rng),
        "locatie": {"lat": round(lat + rng.uniform(-0.03, 0.03), 5), "lon": round(lon + rng.uniform(-0.04, 0.04), 5)},
        "kosteloos": extra.random() < 0.75,
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


class Index:
    """Which rows hold a word, matched as the API matches `q`: a folded token starting with it."""

    def __init__(self):
        self.rows = {}
        self.n = 0

    def add(self, v):
        texts = list(v["titel"].values()) + list(v["beschrijving"].values()) + v["themas"]
        for t in {t for s in texts for t in tokens(s)}:
            self.rows.setdefault(t, []).append(self.n)
        self.n += 1

    def finish(self):
        self.sorted = sorted(self.rows)

    def share(self, word):
        lo = bisect.bisect_left(self.sorted, word)
        hits = set()
        for t in itertools.takewhile(lambda t: t.startswith(word), self.sorted[lo:]):
            hits.update(self.rows[t])
        return len(hits) / self.n


# PostgreSQL's Dutch stop words among the vocabularies' words: never a meaningful query.
STOPWOORDEN = {"de", "en", "een", "in", "met", "op", "uit", "voor", "we", "zonder", "het", "van", "and"}


def kies_woorden(naam, vocab, index, aanbod, rng):
    """COMMON and RARE for the scenarios, with the share of rows each hits."""
    if naam == "realistic":
        common = [w for w in vocab.words if fold(w) == w][:5]
        kandidaten = [w for w in reversed(vocab.words) if fold(w) == w]
    else:
        woorden = sorted({t for s in WOORDEN + ZINNEN for t in tokens(s)} - STOPWOORDEN)
        common = [w for w in woorden if len(w) >= 4 and index.share(w) > 0.5]
        common = common or sorted(woorden, key=index.share, reverse=True)[:5]
        # The titles' unique ids (b12345): ids of at least a tenth of AANBOD have no longer id
        # starting with them.
        kandidaten = [f"b{i}" for i in rng.sample(range(aanbod // 10, aanbod), min(200, aanbod - aanbod // 10))]
    rare = []
    for w in kandidaten:
        s = index.share(w)
        if 0 < s < 0.005:
            rare.append(w)
        if len(rare) == 20:
            break
    return common, rare


def main():
    base, admin, out = sys.argv[1], sys.argv[2], sys.argv[3]
    orgs = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    aanbod = int(sys.argv[5]) if len(sys.argv) > 5 else 50000
    naam = sys.argv[6] if len(sys.argv) > 6 else os.environ.get("DATASET", "realistic")
    if naam not in ("realistic", "worstcase"):
        sys.exit(f"DATASET must be realistic or worstcase, not {naam!r}")
    vocab = Realistic() if naam == "realistic" else Worstcase()
    rng, extra = random.Random(SEED), random.Random(SEED + 2)
    gem = gemeenten()
    index = Index()
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
        items = [item(rng, extra, vocab, i, "b", gem, orgs) for i in range(start, min(start + batch, aanbod))]
        if start == 0:
            # The freshness step changes this offer through the same admin feed.
            json.dump({"feed": "bench-0", "item": items[0]}, open(os.path.join(out, "fresh_item.json"), "w"))
        for v in items:
            index.add(v)
        r = call("PUT", f"{base}/v1/aanbodFeeds/bench-{start // batch}", admin, {"modus": "delta", "items": items})
        if r["afgewezen"]:
            sys.exit(f"feed rejected items: {r['fouten'][:2]}")
    print(f"  {aanbod} aanbod ({naam}) in {time.time() - t:.1f} s", file=sys.stderr)

    # The measured feed: a real feed client for all municipalities, 5,000 items.
    client = call("POST", f"{base}/v1/apiClients", admin,
                  {"naam": "bench", "rol": "feedClient", "gemeenten": [g[0] for g in gem]})
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client["clientId"],
                                   "client_secret": client["clientSecret"]}).encode()
    token = call("POST", f"{base}/v1/oauth/token", None, form, "application/x-www-form-urlencoded")["access_token"]
    feed_items = [item(rng, extra, vocab, i, "f", gem, orgs) for i in range(5000)]
    for v in feed_items:
        index.add(v)
    feed = json.dumps({"modus": "volledig", "items": feed_items}).encode()
    url = f"{base}/v1/aanbodFeeds/{client['clientId']}"
    t = time.time()
    first = call("PUT", url, token, feed)
    first_s = time.time() - t
    t = time.time()
    replay = call("PUT", url, token, feed)
    replay_s = time.time() - t
    assert first["aangemaakt"] == 5000 and replay["ongewijzigd"] == 5000, (first, replay)

    index.finish()
    common, rare = kies_woorden(naam, vocab, index, aanbod, random.Random(SEED + 3))
    shares = {"dataset": naam, "rows": index.n,
              "common": {w: index.share(w) for w in common}, "rare": {w: index.share(w) for w in rare}}
    json.dump(shares, open(os.path.join(out, "shares.json"), "w"), indent=1)
    pct = lambda d: ", ".join(f"{w} {s:.1%}" for w, s in d.items())  # noqa: E731
    print(f"  [{naam}] COMMON hit {pct(shares['common'])} of {index.n} rows", file=sys.stderr)
    rs = list(shares["rare"].values()) or [0]
    print(f"  [{naam}] RARE: {len(rare)} words hitting {min(rs):.3%}-{max(rs):.3%} of the rows", file=sys.stderr)

    # Inputs for the load generator.
    lua = lambda xs: "{" + ",".join(f'"{urllib.parse.quote(x)}"' for x in xs) + "}"  # noqa: E731
    with open(os.path.join(out, "params.lua"), "w") as f:
        f.write(f'DATASET = "{naam}"\n')
        f.write("NIS = " + lua(g[0] for g in gem) + "\n")
        f.write("PUNTEN = {" + ",".join(f"{{{g[1]},{g[2]}}}" for g in gem) + "}\n")
        f.write("COMMON = " + lua(common) + "\n")
        f.write("RARE = " + lua(rare or common) + "\n")
        f.write("TYPES = " + lua(TYPES) + "\n")
        f.write("TALEN = " + lua(TALEN) + "\n")
        f.write("THEMAS = " + lua(THEMAS_REALISTISCH if naam == "realistic" else THEMAS) + "\n")
        f.write("WEEKDAGEN = " + lua(WEEKDAGEN) + "\n")
        f.write("DAGDELEN = " + lua(DAGDELEN) + "\n")
        f.write("DATA = " + lua(BESCHIKBAAR_OP) + "\n")
        f.write("NETWERKEN = " + lua(sorted({g[3] for g in gem})) + "\n")
        f.write(f"MAX_ID = {aanbod + 5000}\n")
    json.dump({"feed_first_items_per_s": 5000 / first_s, "feed_replay_items_per_s": 5000 / replay_s,
               "feed_first_s": first_s, "feed_replay_s": replay_s}, open(os.path.join(out, "feed.json"), "w"))
    print(f"  feed 5000 items: first {first_s:.2f} s, replay {replay_s:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
