/**
 * PNT API — a typed client in a few lines, and a tour of representative calls.
 *
 * The types come from `schema.d.ts`, generated from openapi/openapi.json by
 * openapi-typescript (`npm run generate`); the runtime is openapi-fetch (a thin
 * wrapper around fetch). Paths, parameters, bodies and responses are all checked
 * by the compiler: a wrong enum value or a missing required field does not compile.
 *
 * Run it against a server:   npm run example
 *   PNT_BASE_URL      base URL of the API (default http://127.0.0.1:8080)
 *   PNT_TOKEN_ADMIN   token with role admin           (registers the feed client)
 *   PNT_TOKEN_TB      token with role trajectbegeleider (newcomers, contracts, proofs)
 *   PNT_TOKEN_LB      token with role lokaalBestuur and municipality 44021 (Gent)
 *   PNT_OUTBOX_DIR    the server's mail folder (PNT_DATA_DIR/outbox, without PNT_SMTP_URL): the
 *                     contact person's signing link is read from the mail there
 * Development tokens: `pnt-api token --sub tb-1 --role trajectbegeleider` etc.
 * (scripts/run-example.sh does all of this against a throw-away server).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["Problem"];

const baseUrl = process.env.PNT_BASE_URL ?? "http://127.0.0.1:8080";

function token(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} to a bearer token (see the comment at the top of example.ts)`);
  return value;
}

/** Logs every call with its status and the trace id the API returns (quote it in support requests). */
const log: Middleware = {
  onResponse({ request, response }) {
    // (signing-link tokens are secrets: keep them out of logs)
    const path = request.url.slice(baseUrl.length).replace(/(\/ondertekenverzoeken\/)[^/?]+/, "$1…");
    console.log(`  ${request.method} ${path} → ${response.status} (BelGov-Trace-Id ${response.headers.get("BelGov-Trace-Id")})`);
  },
};

/**
 * The token of the signing link in the contact person's mail: the server's outbox folder
 * (PNT_OUTBOX_DIR) holds one .eml file per mail, quoted-printable; waits up to 10 s for it.
 * (The example sends one link; a real mailbox has one mail per link.)
 */
async function tokenFromMail(): Promise<string> {
  const dir = process.env.PNT_OUTBOX_DIR;
  if (!dir) throw new Error("Set PNT_OUTBOX_DIR to the server's PNT_DATA_DIR/outbox to read the signing link");
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".eml"))) {
      const mail = readFileSync(join(dir, name), "utf8").replace(/=\r?\n/g, "");
      const match = /\/v1\/ondertekenverzoeken\/([A-Za-z0-9_-]+)/.exec(mail);
      if (match?.[1]) return match[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no signing-link mail in ${dir}`);
}

/** One client per caller; the token goes in the Authorization header of every request. */
function clientFor(bearer?: string) {
  const client = createClient<paths>({
    baseUrl,
    headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
  });
  client.use(log);
  return client;
}

/**
 * Every call returns `{ data, error, response }`: `data` on 2xx, else `error`, the
 * application/problem+json body. Branch on `problem.type` (a stable URN), never on the title.
 */
function expectStatus<T>(
  what: string,
  status: number,
  result: { data?: T; error?: unknown; response: Response },
): T {
  const { data, error, response } = result;
  if (response.status !== status || data === undefined) {
    const problem = (error ?? {}) as Partial<Problem>;
    const issues = (problem.issues ?? []).map((i) => `\n    ${i.in} ${i.name ?? ""}: ${i.detail}`).join("");
    throw new Error(
      `${what}: expected ${status}, got ${response.status} ${problem.type ?? ""} — ${problem.detail ?? problem.title ?? ""}` +
        `${issues}\n    (instance ${problem.instance ?? "?"})`,
    );
  }
  console.log(`✔ ${what}`);
  return data;
}

/** The ETag of a response: send it back as If-Match to change exactly the version you read. */
function etag(response: Response): string {
  const value = response.headers.get("ETag");
  if (!value) throw new Error(`${response.url}: no ETag`);
  return value;
}

/** A date `days` from today (UTC, as the server judges dates), as yyyy-MM-dd. */
function day(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A valid INSZ (rijksregisternummer) for a birth date and a serial number: mod 97 check digits. */
function insz(geboortedatum: string, volgnummer: number): string {
  const basis = geboortedatum.slice(2).replaceAll("-", "") + String(volgnummer).padStart(3, "0");
  const getal = BigInt((geboortedatum >= "2000" ? "2" : "") + basis);
  return basis + String(97n - (getal % 97n)).padStart(2, "0");
}

const run = String(Date.now()).slice(-6); // keeps dossiernummers and feed ids unique per run
const gent = "44021";

const publiek = clientFor(); // published aanbod is readable without a token
const admin = clientFor(token("PNT_TOKEN_ADMIN"));
const tb = clientFor(token("PNT_TOKEN_TB"));
const lokaalBestuur = clientFor(token("PNT_TOKEN_LB"));

// ─── 1. A municipal system pushes its offer (feed) ───────────────────────────────────────────
// Once: the agency registers the system and hands it a client id and secret.
const feedClient = expectStatus(
  "admin registers the feed client of Stad Gent",
  201,
  await admin.POST("/v1/apiClients", {
    body: { naam: `Stad Gent – UiTdatabank-koppeling ${run}`, rol: "feedClient", gemeenten: [gent] },
  }),
);
// The system gets an access token with the OAuth2 client-credentials grant (form encoded).
const tokenResponse = expectStatus(
  "feed client gets an access token (client credentials)",
  200,
  await publiek.POST("/v1/oauth/token", {
    body: {
      grant_type: "client_credentials",
      client_id: feedClient.clientId,
      client_secret: feedClient.clientSecret ?? "",
    },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  }),
);
const feed = clientFor(tokenResponse.access_token);

const rapport = expectStatus(
  "feed pushes two offers in Gent (PUT /v1/aanbodFeeds/{bron})",
  200,
  await feed.PUT("/v1/aanbodFeeds/{bron}", {
    params: { path: { bron: feedClient.clientId } },
    body: {
      modus: "delta",
      items: [
        {
          externId: `uit-${run}-praattafel`,
          titel: { nl: "Praattafel De Brug", en: "Conversation table De Brug", ar: "طاولة محادثة دي بروخ" },
          beschrijving: {
            nl: "Elke dinsdagavond oefenen we samen Nederlands bij een kop koffie.",
            en: "Every Tuesday evening we practise Dutch together over coffee.",
          },
          aanbodtype: "praattafel",
          gemeente: gent,
          locatie: { straat: "Sint-Pietersplein", huisnummer: "5", postcode: "9000", plaats: "Gent", lat: 51.0425, lon: 3.7265 },
          contactpersoon: { naam: "An Peeters", email: "an.peeters@example.be", telefoon: "+32 470 12 34 56" },
          nederlandstaligeContext: true,
          socialeParticipatie: true,
          inGroep: true,
          buitenEigenKring: true,
          duurzaamContact: true,
          ondersteuningstalen: ["en", "ar"],
          verwachteUrenPerWeek: 2,
          periode: { van: `${day().slice(0, 4)}-01-01`, tot: null },
          capaciteit: 12,
          kosteloos: true,
          themas: ["taal", "ontmoeting"],
        },
        {
          externId: `uit-${run}-buddy`,
          titel: { nl: "Buddyproject Samen Gent" },
          beschrijving: { nl: "Een Gentse buddy neemt je een half jaar mee naar de plekken die ertoe doen." },
          aanbodtype: "buddyproject",
          gemeente: gent,
          contactpersoon: { naam: "Youssef El Amrani", email: "youssef@example.be" },
          nederlandstaligeContext: true,
          socialeParticipatie: true,
          inGroep: true,
          kosteloos: true,
          themas: ["ontmoeting"],
        },
      ],
    },
  }),
);
if (rapport.afgewezen > 0) throw new Error(`feed: ${JSON.stringify(rapport.fouten)}`);
console.log(`  ${rapport.aangemaakt} created, ${rapport.bijgewerkt} updated, ${rapport.ongewijzigd} unchanged`);

// ─── 2. Anyone searches the published offer ───────────────────────────────────────────────────
// Repeated filters are alternatives (OR), different filters combine (AND); arrays are sent as
// `aanbodtype=praattafel&aanbodtype=buddyproject`.
const zoekresultaat = expectStatus(
  "search aanbod: Gent, two types, qualifying, support in Arabic, within 5 km, free of charge",
  200,
  await publiek.GET("/v1/aanbod", {
    params: {
      query: {
        gemeente: [gent],
        aanbodtype: ["praattafel", "buddyproject"],
        kwalificeert: true,
        taal: ["ar"],
        kosteloos: true,
        beschikbaarOp: day(),
        near: "51.0543,3.7174",
        radiusKm: 5,
        sort: ["afstand"],
        lang: "en",
        pageSize: 10,
      },
    },
  }),
);
console.log(`  ${zoekresultaat.total} found: ${zoekresultaat.items.map((a) => `${a.titel} (${a.taal})`).join(", ")}`);
const gevonden = zoekresultaat.items[0];
if (!gevonden) throw new Error("search aanbod: the pushed praattafel was not found");

// ─── 3. Read one offer ────────────────────────────────────────────────────────────────────────
const leesAanbod = await publiek.GET("/v1/aanbod/{id}", {
  params: { path: { id: gevonden.id }, query: { lang: "nl" } },
});
const aanbod = expectStatus(`read aanbod ${gevonden.id}`, 200, leesAanbod);
console.log(`  "${aanbod.weergave.titel}" — kwalificeertVoorPnt ${aanbod.kwalificeertVoorPnt}, capaciteit ${aanbod.capaciteit}`);

// ─── 4. The municipality edits the offer with a JSON Merge Patch (RFC 7396) ───────────────────
// Only the fields you send change; `null` removes a field (here: no capacity limit any more).
// The municipality reads the offer itself, so the ETag it sends is that of the version it saw.
// Its own change applies at once (200, the offer); the organisation's change to a published offer
// would wait for the municipality as a revision (202, the revision), the offer staying public.
const gelezen = await lokaalBestuur.GET("/v1/aanbod/{id}", { params: { path: { id: aanbod.id } } });
expectStatus("municipality reads the offer before editing", 200, gelezen);
const gepatcht = expectStatus(
  "merge patch aanbod: capaciteit → null, French title added, hours per week changed",
  200,
  await lokaalBestuur.PATCH("/v1/aanbod/{id}", {
    params: { path: { id: aanbod.id }, header: { "If-Match": etag(gelezen.response) } },
    body: { capaciteit: null, titel: { fr: "Table de conversation De Brug" }, verwachteUrenPerWeek: 1.5 },
    headers: { "Content-Type": "application/merge-patch+json" },
  }),
) as components["schemas"]["Aanbod"];
console.log(`  capaciteit ${gepatcht.capaciteit ?? "unlimited"}, titles in ${Object.keys(gepatcht.titel).join(", ")}`);

// ─── 5. The trajectbegeleider registers newcomers and signs their contracts ───────────────────
const amina = expectStatus(
  "create inburgeraar (verplicht)",
  201,
  await tb.POST("/v1/inburgeraars", {
    body: {
      dossiernummer: `AGII-${day().slice(0, 4)}-${run}1`,
      voornaam: "Amina",
      achternaam: "Haddad",
      geboortedatum: "1994-03-18",
      rijksregisternummer: insz("1994-03-18", 1 + (Number(run) % 997)),
      contacttaal: "ar",
      gemeente: gent,
      statuut: "verplicht",
      contact: { email: "amina.haddad@example.be", telefoon: "+32 470 98 76 54" },
    },
  }),
);

// A contract with the PNT: the newcomer must do 40 hours of social participation.
const contract = expectStatus(
  "create inburgeringscontract with the PNT",
  201,
  await tb.POST("/v1/inburgeringscontracten", {
    body: {
      inburgeraar: amina.id,
      ondertekendOp: day(-30),
      termijnEinde: day(335),
      pnt: { opgenomen: true },
      pijlers: { maatschappelijkeOrientatie: "behaald", nederlands: "lopend", werk: "nietGestart" },
    },
  }),
);
console.log(`  risico ${contract.voortgang.risico}, ${contract.voortgang.vereisteUren} hours required`);

// A newcomer who works at least half-time is exempted from the PNT (R2, reason `werk`).
const karim = expectStatus(
  "create inburgeraar (verplicht, works half-time)",
  201,
  await tb.POST("/v1/inburgeraars", {
    body: {
      dossiernummer: `AGII-${day().slice(0, 4)}-${run}2`,
      voornaam: "Karim",
      achternaam: "Benali",
      geboortedatum: "1989-11-02",
      contacttaal: "fr",
      gemeente: gent,
      statuut: "verplicht",
    },
  }),
);
const vrijgesteld = expectStatus(
  "create inburgeringscontract with a vrijstelling (reden werk)",
  201,
  await tb.POST("/v1/inburgeringscontracten", {
    body: {
      inburgeraar: karim.id,
      ondertekendOp: day(-1),
      termijnEinde: day(364),
      pnt: {
        opgenomen: false,
        vrijstelling: {
          reden: "werk",
          bewijs: "Arbeidsovereenkomst Bakkerij Peeters en Dimona-aangifte",
          details: "Halftijds verkoper, contract van onbepaalde duur",
          tewerkstelling: { breuk: 0.5, arbeidsovereenkomsten: [{ van: day(-200), tot: null }] },
        },
      },
    },
  }),
);
console.log(`  PNT opgenomen ${vrijgesteld.pnt.opgenomen}, risico ${vrijgesteld.voortgang.risico}`);

// ─── 6. Hours on a proof of participation (deelnamebewijs) ────────────────────────────────────
const bewijs = expectStatus(
  "create deelnamebewijs for the praattafel with a first day",
  201,
  await tb.POST("/v1/deelnamebewijzen", {
    body: {
      contract: contract.id,
      aanbod: aanbod.id,
      organisatieNaam: "Buurtcentrum De Brug vzw",
      prestaties: [{ datum: day(-14), uren: 2, omschrijving: "Kennismaking en eerste gesprek" }],
    },
  }),
);
const metUren = await tb.POST("/v1/deelnamebewijzen/{id}/prestaties", {
  params: { path: { id: bewijs.id } },
  body: { datum: day(-7), uren: 2.5, omschrijving: "Gesprek over werk en vrije tijd" },
});
console.log(`  total ${expectStatus("add hours to the deelnamebewijs (prestaties)", 200, metUren).totaalUren} hours`);

// The contact person has no account: the trajectbegeleider has a one-time signing link mailed
// to them. The answer says where it went, never the link itself …
const verzonden = expectStatus(
  "mail a signing link to the contact person",
  202,
  await tb.POST("/v1/deelnamebewijzen/{id}/ondertekenverzoeken", {
    params: { path: { id: bewijs.id }, header: { "If-Match": etag(metUren.response) } },
  }),
);
console.log(`  link on its way to ${verzonden.verzondenNaar} (${verzonden.bezorging})`);
// … the contact person opens the mail (without SMTP the server writes it as an .eml file) …
const signingToken = await tokenFromMail();
// … and signs through the link, without logging in.
const beslissing = expectStatus(
  "contact person signs through the link",
  200,
  await publiek.POST("/v1/ondertekenverzoeken/{token}", {
    params: { path: { token: signingToken } },
    body: { beslissing: "ondertekenen", naam: "An Peeters" },
  }),
);
console.log(`  proof is now ${beslissing.status} (${beslissing.totaalUren} hours)`);

// ─── 7. The trajectbegeleider reviews the signed proof, on exactly the version they read ──────
const ondertekend = await tb.GET("/v1/deelnamebewijzen/{id}", { params: { path: { id: bewijs.id } } });
expectStatus("read the signed deelnamebewijs", 200, ondertekend);
const beoordeeld = expectStatus(
  "review the deelnamebewijs (beoordeling, If-Match)",
  200,
  await tb.POST("/v1/deelnamebewijzen/{id}/beoordeling", {
    params: { path: { id: bewijs.id }, header: { "If-Match": etag(ondertekend.response) } },
    body: { beslissing: "goedgekeurd", motivatie: "Uren telefonisch bevestigd door An Peeters" },
  }),
);
console.log(`  proof is ${beoordeeld.status}`);

// The worklist: this trajectbegeleider's running contracts, soonest deadline first.
const werklijst = expectStatus(
  "worklist: my running contracts with the PNT, by term end",
  200,
  await tb.GET("/v1/inburgeringscontracten", {
    params: {
      query: {
        trajectbegeleider: ["me"],
        status: ["lopend", "verlengd"],
        risico: ["opSchema", "achterstand", "behaald"],
        pntOpgenomen: true,
        sort: ["termijnEinde"],
      },
    },
  }),
);
console.log(`  ${werklijst.total} contract(s): ${werklijst.items.map((c) => `${c.id} ${c.voortgang.risico}`).join(", ")}`);

// ─── 8. Monitoring for the municipality ───────────────────────────────────────────────────────
const monitoring = expectStatus(
  "read monitoring for Gent",
  200,
  await tb.GET("/v1/monitoring", {
    params: { query: { gemeente: gent, jaar: Number(day().slice(0, 4)) } },
    headers: { Accept: "application/json" }, // text/csv gives the same table as CSV
  }),
);
if (typeof monitoring === "string") throw new Error("monitoring: expected JSON, got CSV");
for (const { gemeente, cijfers } of monitoring.gemeenten) {
  const toon = (w: components["schemas"]["Waarde"]) => (typeof w === "number" ? String(w) : "< drempel");
  console.log(
    `  ${gemeente.naam}: ${toon(cijfers.aanbodGepubliceerd.totaal)} published offers, ` +
      `${toon(cijfers.lopendeContractenMetPnt)} running contracts with the PNT, ${toon(cijfers.goedgekeurdeUren)} approved hours`,
  );
}

console.log("\nAll calls succeeded.");
