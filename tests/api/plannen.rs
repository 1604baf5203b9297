//! Issue 15: the count of every documented filter of `GET /v1/aanbod` comes from an index, on a
//! catalogue of 50,000 offers filled by SQL. The plans are those of `repo::aanbod::explain_count`,
//! the very count the search runs; run with `--nocapture` to see them all.

use chrono::NaiveDate;
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use pnt_api::db::DbConn;
use pnt_api::domain::aanbod::{AanbodStatus, Aanbodtype, Sortering};
use pnt_api::domain::geo::{Omtrek, Punt};
use pnt_api::domain::moment::{Dagdeel, Weekdag};
use pnt_api::domain::nis::NisCode;
use pnt_api::domain::toegang::aanbod::Zichtbaarheid;
use pnt_api::repo::aanbod::{Zoekopdracht, explain_count};

use crate::helpers::{TestApp, is_postgres};

const AANBOD: i64 = 50_000;

/// `CASE <expr> WHEN 0 THEN 'a' WHEN 1 THEN 'b' … END`: a pick from a list in plain SQL.
fn kies(expr: &str, lijst: &[&str]) -> String {
    let takken: String = lijst.iter().enumerate().map(|(i, w)| format!(" WHEN {i} THEN '{w}'")).collect();
    format!("CASE {expr}{takken} END")
}

/// The same for numbers.
fn kies_getal(expr: &str, lijst: &[i32]) -> String {
    let takken: String = lijst.iter().enumerate().map(|(i, n)| format!(" WHEN {i} THEN {n}")).collect();
    format!("CASE {expr}{takken} END")
}

/// Fills the catalogue: 500 organisations, `AANBOD` offers over every municipality, support
/// languages, themes and weekly moments for a share of them; then the planner's statistics.
/// Deterministic: every attribute is arithmetic on the row number, with its own multiplier.
fn vul(conn: &mut DbConn) {
    let pg = matches!(conn, DbConn::Postgresql(_));
    let reeks = if pg {
        format!("CREATE TEMP TABLE reeks AS SELECT i FROM generate_series(1, {AANBOD}) AS n(i)")
    } else {
        format!(
            "CREATE TEMP TABLE reeks AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {AANBOD}) SELECT i FROM n"
        )
    };
    let tijd = |minuten: &str| {
        if pg {
            format!("TIMESTAMP '2025-06-01 00:00:00' + ({minuten}) * INTERVAL '1 minute'")
        } else {
            format!("datetime('2025-06-01 00:00:00', '+' || ({minuten}) || ' minutes')")
        }
    };
    let datum = |dagen: &str| {
        if pg {
            format!("DATE '2026-01-01' + ({dagen})")
        } else {
            format!("date('2026-01-01', '+' || ({dagen}) || ' days')")
        }
    };
    let cel = |graden: &str| if pg { format!("floor({graden})::int") } else { format!("CAST({graden} AS INTEGER)") };
    let woorden = [
        "taalcafe",
        "buddy",
        "koken",
        "wandelen",
        "fietsen",
        "zingen",
        "breien",
        "tuinieren",
        "lezen",
        "dansen",
        "yoga",
        "muziek",
        "theater",
        "knutselen",
        "naaien",
        "basketbal",
        "zwemmen",
        "repair",
        "bibliotheek",
        "jeugdbeweging",
        "praattafel",
        "kookclub",
        "buurtfeest",
        "voetbal",
        "schaken",
    ];
    // Zipf-like: index u²·25/10⁶ for u uniform in 0..1000 favours the first words.
    let woord = |mult: u32| kies(&format!("((i * {mult}) % 1000) * ((i * {mult}) % 1000) * 25 / 1000000"), &woorden);
    let statussen = ["gepubliceerd"; 86]
        .into_iter()
        .chain(["concept"; 5])
        .chain(["ingediend"; 4])
        .chain(["afgekeurd"; 2])
        .chain(["gearchiveerd"; 3])
        .collect::<Vec<_>>();
    let types = ["buddyproject", "kennismakingsstage", "vrijwilligerswerk", "praattafel", "vrijetijd", "andere"];
    let (lat, lon) = ("(g.lat + ((i * 7) % 61 - 30) * 0.001)", "(g.lon + ((i * 11) % 81 - 40) * 0.001)");
    let ts = tijd("i * 7");
    let aanbod = format!(
        "INSERT INTO aanbod (titel, beschrijving, titel_nl, aanbodtype, organisatie_id, gemeente, adres, lat, lon,
             locatie_exact, geocel, contactpersoon, nederlandstalige_context, sociale_participatie, in_groep,
             buiten_eigen_kring, duurzaam_contact, ondersteuningstalen, verwachte_uren_per_week, periode_van,
             periode_tot, capaciteit, kosteloos, themas, status, bron, extern_id, feed_hash, zoektekst, versie,
             aangemaakt_op, gewijzigd_op, aangemaakt_door, momenten)
         SELECT '{{\"nl\":\"' || t.titel || '\"}}', '{{\"nl\":\"Samen met buurtbewoners, elke week, voor beginners en gevorderden\"}}',
             t.titel, {type}, CASE WHEN i % 10 = 0 THEN NULL ELSE 1 + (i * 31) % 500 END, g.nis_code, 'Straat ' || i,
             {lat}, {lon}, i % 3 = 0, {rij} * 10000 + {kolom}, NULL, (i * 3) % 10 < 9, (i * 7) % 10 < 9, (i * 13) % 10 < 8,
             (i * 17) % 10 < 5, (i * 19) % 10 < 4, '', NULL,
             CASE WHEN (i * 23) % 2 = 0 THEN NULL ELSE {van} END,
             CASE WHEN (i * 23) % 2 = 0 THEN NULL ELSE {tot} END,
             NULL, (i * 29) % 10 < 7, '[]', {status},
             CASE WHEN (i * 41) % 10 < 3 THEN 'feed-' || ((i * 41) % 10) END, CASE WHEN (i * 41) % 10 < 3 THEN 'x' || i END,
             NULL, t.zoektekst, 1, {ts}, {ts}, 'plannen', '[]'
         FROM (SELECT i, {w1} || ' en ' || {w2} || ' ' || i AS titel,
                 CASE WHEN i % 100 < 65 THEN 'samen ' ELSE '' END || {w1} || ' ' || {w2} || ' buurtbewoners week beginners ' || i AS zoektekst
               FROM reeks) t
         JOIN gem g ON g.k = CASE WHEN (i * 43) % 10 < 3 THEN (i * 47) % 13 ELSE (i * 53) % (SELECT count(*) FROM gem) END",
        type = kies("(i * 5) % 6", &types),
        rij = cel(&format!("{lat} * 10")),
        kolom = cel(&format!("{lon} * 10")),
        van = datum("0"),
        tot = datum("180 * (1 + (i * 59) % 3)"),
        status = kies("(i * 37) % 100", &statussen),
        w1 = woord(7793),
        w2 = woord(3571),
    );
    let talen = ["en", "fr", "ar", "uk", "ru", "tr", "es", "so", "ti", "ps", "fa"];
    let themas = ["sport", "taal", "cultuur", "natuur", "koken", "muziek", "creatief", "zorg", "jeugd"];
    let dagen = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    let moment = |nr: u32, dag: &str, waar: &str| {
        format!(
            "INSERT INTO aanbodmomenten (aanbod_id, volgnummer, soort, weekdag, van, tot)
             SELECT id, {nr}, 'wekelijks', {dag}, {van}, {van} + 120 + 60 * (id % 2) FROM aanbod WHERE {waar};",
            dag = kies(dag, &dagen),
            van = kies_getal("(id * 5) % 6", &[540, 600, 810, 840, 1110, 1140]),
        )
    };
    let sql = format!(
        "{reeks};
         CREATE TEMP TABLE gem AS SELECT row_number() OVER (ORDER BY nis_code) - 1 AS k, nis_code, lat, lon FROM gemeenten;
         CREATE INDEX gem_k ON gem (k);
         INSERT INTO organisaties (naam, soort, gemeente, aangemaakt_op, gewijzigd_op)
             SELECT 'Organisatie ' || i, 'vzw', (SELECT min(nis_code) FROM gemeenten), {ts}, {ts} FROM reeks WHERE i <= 500;
         {aanbod};
         INSERT INTO aanbod_talen (aanbod_id, taal) SELECT id, {taal1} FROM aanbod WHERE id % 2 = 0;
         INSERT INTO aanbod_talen (aanbod_id, taal) SELECT id, {taal2} FROM aanbod WHERE id % 6 = 0;
         INSERT INTO aanbod_themas (aanbod_id, thema) SELECT id, {thema1} FROM aanbod;
         INSERT INTO aanbod_themas (aanbod_id, thema) SELECT id, {thema2} FROM aanbod WHERE id % 3 = 0;
         {moment1}
         {moment2}",
        ts = tijd("0"),
        taal1 = kies("(id * 3) % 11", &talen),
        taal2 = kies("(id * 3 + 5) % 11", &talen),
        thema1 = kies("id % 9", &themas),
        thema2 = kies("(id + 4) % 9", &themas),
        moment1 = moment(0, "id % 7", "id % 2 = 1"),
        moment2 = moment(1, "(id + 3) % 7", "id % 4 = 1"),
    );
    conn.batch_execute(&sql).expect("fill the catalogue");
    // The statistics the planner decides by, and on PostgreSQL the visibility map: an index-only
    // scan is only cheap where pages are marked all-visible, which VACUUM cannot do while a
    // transaction older than the load runs (the rest of the suite shares the database). In
    // production autovacuum marks them after a load; here VACUUM is repeated until it could.
    if !pg {
        conn.batch_execute("ANALYZE").unwrap();
        return;
    }
    let tabellen = "aanbod, aanbod_talen, aanbod_themas, aanbodmomenten";
    conn.batch_execute(&format!("VACUUM ANALYZE {tabellen}")).unwrap();
    let zichtbaar = format!(
        "(SELECT bool_and(relallvisible >= relpages) FROM pg_class WHERE oid IN ('{}'::regclass))",
        tabellen.replace(", ", "'::regclass, '")
    );
    for _ in 0..100 {
        if diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&zichtbaar)).get_result(conn).unwrap() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        conn.batch_execute(&format!("VACUUM {tabellen}")).unwrap();
    }
    panic!("VACUUM could not mark the pages all-visible: a transaction of the suite stays open");
}

/// A full scan of the offers or of one of the tables their filters read.
fn volledige_scan(regel: &str, pg: bool) -> bool {
    const TABELLEN: [&str; 4] = ["aanbod", "aanbod_talen", "aanbod_themas", "aanbodmomenten"];
    TABELLEN.iter().any(|t| {
        if pg {
            regel.contains(&format!("Seq Scan on {t} "))
        } else {
            let s = regel.trim_start();
            (s == format!("SCAN {t}") || s.starts_with(&format!("SCAN {t} "))) && !s.contains("INDEX")
        }
    })
}

/// An index that leads to the offers' rows instead of answering alone: every match then costs a
/// table lookup. (On SQLite a lookup by id, `INTEGER PRIMARY KEY`, is how a subquery's ids are
/// checked; that one reads only the matches.)
fn leest_rijen(regel: &str, pg: bool) -> bool {
    if pg {
        regel.contains("Bitmap Heap Scan on aanbod ")
            || (regel.contains("Index Scan using") && regel.contains(" on aanbod ") && !regel.contains("Index Only"))
    } else {
        regel.trim_start().starts_with("SEARCH aanbod USING INDEX ")
    }
}

#[actix_web::test]
async fn every_filter_counts_from_an_index() {
    let app = TestApp::spawn().await;
    let pg = is_postgres();
    let mut conn = app.state.db.pool().get().unwrap();
    let begin = std::time::Instant::now();
    vul(&mut conn);
    let gevuld = begin.elapsed();
    let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("(SELECT count(*) FROM aanbod)"))
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(n, AANBOD);

    let gent = Punt { lat: 51.0543, lon: 3.7174 };
    let netwerk = app.state.refdata.gemeenten_van(&["REFREG13".to_string()]);
    assert!(netwerk.len() > 1, "REFREG13 has municipalities");
    type Filter = Box<dyn Fn(&mut Zoekopdracht)>;
    let filters: Vec<(&str, Filter)> = vec![
        ("gemeente", Box::new(|z| z.gemeenten = vec!["44021".into()])),
        ("regionaalNetwerk", Box::new(move |z| z.gemeenten = netwerk.clone())),
        ("aanbodtype", Box::new(|z| z.types = vec![Aanbodtype::Praattafel])),
        ("aanbodtype x2", Box::new(|z| z.types = vec![Aanbodtype::Praattafel, Aanbodtype::Buddyproject])),
        ("taal", Box::new(|z| z.talen = vec!["ar".into()])),
        ("thema", Box::new(|z| z.themas = vec!["sport".into()])),
        ("organisatie", Box::new(|z| z.organisatie = Some(17))),
        ("nederlandstaligeContext", Box::new(|z| z.nederlandstalige_context = Some(true))),
        ("nederlandstaligeContext=false", Box::new(|z| z.nederlandstalige_context = Some(false))),
        ("inGroep", Box::new(|z| z.in_groep = Some(true))),
        ("buitenEigenKring", Box::new(|z| z.buiten_eigen_kring = Some(true))),
        ("duurzaamContact", Box::new(|z| z.duurzaam_contact = Some(true))),
        ("kwalificeert", Box::new(|z| z.kwalificeert = Some(true))),
        ("kwalificeert=false", Box::new(|z| z.kwalificeert = Some(false))),
        ("kosteloos", Box::new(|z| z.kosteloos = Some(true))),
        ("beschikbaarOp", Box::new(|z| z.beschikbaar_op = NaiveDate::from_ymd_opt(2026, 9, 1))),
        ("near", Box::new(move |z| z.omtrek = Some(Omtrek::new(gent, 10.0)))),
        ("weekdag", Box::new(|z| z.weekdagen = vec![Weekdag::Dinsdag])),
        ("dagdeel", Box::new(|z| z.dagdelen = vec![Dagdeel::Avond])),
        ("weekdag+dagdeel", Box::new(|z| (z.weekdagen, z.dagdelen) = (vec![Weekdag::Dinsdag], vec![Dagdeel::Avond]))),
        ("q", Box::new(|z| z.woorden = vec!["schaken".into()])),
        (
            "q, -gewijzigdOp",
            Box::new(|z| (z.woorden, z.sortering) = (vec!["schaken".into()], vec![Sortering::GewijzigdAflopend])),
        ),
        ("q (word in 65 %)", Box::new(|z| z.woorden = vec!["samen".into()])),
        (
            "q (word in 65 %), -gewijzigdOp",
            Box::new(|z| (z.woorden, z.sortering) = (vec!["samen".into()], vec![Sortering::GewijzigdAflopend])),
        ),
        (
            "aanbodtype+nederlandstaligeContext",
            Box::new(|z| (z.types, z.nederlandstalige_context) = (vec![Aanbodtype::Praattafel], Some(true))),
        ),
    ];
    let beheerder = Zichtbaarheid::Beheerder {
        organisatie: Some(pnt_api::domain::ids::OrganisatieId(17)),
        gemeenten: vec![NisCode::parse("44021").unwrap()],
        bron: None,
    };
    // As the route builds them (every search has a status: `gepubliceerd` unless given): the
    // public catalogue, staff with `status=` (every offer, or a manager's own besides the
    // published ones). The third answers from the index alone where it can: its visibility needs
    // organisation, municipality and feed source, which no narrow index holds; it reads few rows.
    let zichten: [(&str, Zichtbaarheid, Vec<AanbodStatus>, bool); 3] = [
        ("publiek", Zichtbaarheid::Publiek, vec![AanbodStatus::Gepubliceerd], true),
        ("status=ingediend (admin)", Zichtbaarheid::Alles, vec![AanbodStatus::Ingediend], true),
        ("status=concept (aanbieder)", beheerder, vec![AanbodStatus::Concept], false),
    ];
    let mut fouten = Vec::new();
    for (naam, filter) in &filters {
        for (zicht_naam, zicht, statussen, alleen_index) in &zichten {
            let mut z = Zoekopdracht { statussen: statussen.clone(), ..Default::default() };
            filter(&mut z);
            let plan = explain_count(&mut conn, &z, zicht).unwrap();
            let kop = format!("{naam} / {zicht_naam}");
            println!("== {kop}\n{}", plan.join("\n"));
            // Full text needs the rows on PostgreSQL (the stored vector and the GIN recheck).
            let alleen_index = *alleen_index && (!pg || z.woorden.is_empty());
            if plan.iter().any(|r| volledige_scan(r, pg) || (alleen_index && leest_rijen(r, pg))) {
                fouten.push(format!("{kop}:\n{}", plan.join("\n")));
            }
        }
    }
    println!("filled in {gevuld:?}, checked in {:?}", begin.elapsed() - gevuld);
    assert!(
        fouten.is_empty(),
        "a full scan, or row lookups where the index should answer alone, counts these filters:\n\n{}",
        fouten.join("\n\n")
    );
}
