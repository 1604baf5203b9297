//! Table definitions shared by both backends (only types the MultiConnection supports).
// @generated-style file kept by hand: the migrations under migrations/{sqlite,postgres} are the
// source of truth and both must produce exactly these columns.

diesel::table! {
    regionale_netwerken (code) {
        code -> Text,
        naam -> Text,
        soort -> Text,
        nis_code -> Nullable<Text>,
        trekker -> Nullable<Text>,
        trekker_zekerheid -> Nullable<Text>,
        trekker_bron -> Nullable<Text>,
        opmerking -> Nullable<Text>,
    }
}

diesel::table! {
    gemeenten (nis_code) {
        nis_code -> Text,
        naam -> Text,
        zoeknaam -> Text,
        gewest -> Text,
        provincie -> Nullable<Text>,
        referentieregio -> Nullable<Text>,
        referentieregio_code -> Nullable<Text>,
        regionaal_netwerk_code -> Text,
        postcodes -> Text,
        lat -> Double,
        lon -> Double,
    }
}

diesel::table! {
    gemeente_fusies (old_nis) {
        old_nis -> Text,
        old_naam -> Text,
        new_nis -> Text,
    }
}

diesel::joinable!(gemeenten -> regionale_netwerken (regionaal_netwerk_code));
diesel::joinable!(gemeente_fusies -> gemeenten (new_nis));

diesel::allow_tables_to_appear_in_same_query!(regionale_netwerken, gemeenten, gemeente_fusies);

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Text,
        actor_roles -> Text,
        action -> Text,
        resource_type -> Text,
        resource_id -> Text,
        trace_id -> Text,
        details -> Nullable<Text>,
        actor_organisatie -> Nullable<BigInt>,
        actor_gemeenten -> Nullable<Text>,
    }
}

diesel::table! {
    organisaties (id) {
        id -> BigInt,
        naam -> Text,
        kbo_nummer -> Nullable<Text>,
        soort -> Text,
        gemeente -> Text,
        adres -> Nullable<Text>,
        email -> Nullable<Text>,
        telefoon -> Nullable<Text>,
        website -> Nullable<Text>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    aanbod (id) {
        id -> BigInt,
        titel -> Text,
        beschrijving -> Text,
        titel_nl -> Text,
        aanbodtype -> Text,
        organisatie_id -> Nullable<BigInt>,
        gemeente -> Text,
        adres -> Nullable<Text>,
        lat -> Double,
        lon -> Double,
        locatie_exact -> Bool,
        geocel -> Integer,
        contactpersoon -> Nullable<Text>,
        nederlandstalige_context -> Bool,
        sociale_participatie -> Bool,
        in_groep -> Bool,
        buiten_eigen_kring -> Bool,
        duurzaam_contact -> Bool,
        ondersteuningstalen -> Text,
        verwachte_uren_per_week -> Nullable<Double>,
        periode_van -> Nullable<Date>,
        periode_tot -> Nullable<Date>,
        capaciteit -> Nullable<Integer>,
        kosteloos -> Bool,
        themas -> Text,
        status -> Text,
        status_motivatie -> Nullable<Text>,
        afgekeurd_versie -> Nullable<BigInt>,
        bron -> Nullable<Text>,
        extern_id -> Nullable<Text>,
        feed_hash -> Nullable<Text>,
        zoektekst -> Text,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
        aangemaakt_door -> Text,
        momenten -> Text,
    }
}

diesel::table! {
    aanbod_talen (taal, aanbod_id) {
        aanbod_id -> BigInt,
        taal -> Text,
    }
}

diesel::table! {
    aanbod_themas (thema, aanbod_id) {
        aanbod_id -> BigInt,
        thema -> Text,
    }
}

diesel::table! {
    api_clients (client_id) {
        client_id -> Text,
        naam -> Text,
        rol -> Text,
        gemeenten -> Text,
        secret_hash -> Text,
        actief -> Bool,
        aangemaakt_op -> Timestamp,
        aangemaakt_door -> Text,
        laatst_gebruikt_op -> Nullable<Timestamp>,
    }
}

// The SQLite FTS5 table over `aanbod.zoektekst` (`rowid` = `aanbod.id`); used on SQLite only.
diesel::table! {
    aanbod_fts (rowid) {
        rowid -> BigInt,
        rank -> Double,
    }
}

diesel::joinable!(aanbod -> organisaties (organisatie_id));
diesel::joinable!(aanbod -> gemeenten (gemeente));
diesel::joinable!(organisaties -> gemeenten (gemeente));
diesel::joinable!(aanbod_talen -> aanbod (aanbod_id));
diesel::joinable!(aanbod_themas -> aanbod (aanbod_id));

diesel::table! {
    aanbodmomenten (aanbod_id, volgnummer) {
        aanbod_id -> BigInt,
        volgnummer -> Integer,
        soort -> Text,
        weekdag -> Text,
        datum -> Nullable<Date>,
        van -> Integer,
        tot -> Integer,
        geldig_van -> Nullable<Date>,
        geldig_tot -> Nullable<Date>,
    }
}

diesel::joinable!(aanbodmomenten -> aanbod (aanbod_id));

diesel::allow_tables_to_appear_in_same_query!(
    aanbod,
    organisaties,
    gemeenten,
    aanbod_talen,
    aanbod_themas,
    aanbod_fts,
    aanbodmomenten
);

diesel::table! {
    inburgeraars (id) {
        id -> BigInt,
        dossiernummer -> Text,
        voornaam -> Text,
        achternaam -> Text,
        geboortedatum -> Date,
        rijksregisternummer -> Nullable<Text>,
        contacttaal -> Text,
        gemeente -> Text,
        statuut -> Text,
        email -> Nullable<Text>,
        telefoon -> Nullable<Text>,
        adres -> Nullable<Text>,
        gebruiker_id -> Nullable<Text>,
        kbi_sync_status -> Text,
        trajectbegeleider -> Text,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
        tijdelijke_bescherming_sinds -> Nullable<Date>,
        voortrajecten -> Text,
        uitgewist_op -> Nullable<Timestamp>,
        uitwissing_grond -> Nullable<Text>,
        uitwissing_reden -> Nullable<Text>,
    }
}

diesel::table! {
    inburgeringscontracten (id) {
        id -> BigInt,
        inburgeraar_id -> BigInt,
        trajectbegeleider -> Text,
        ondertekend_op -> Date,
        termijn_einde -> Date,
        statuut -> Text,
        pnt_opgenomen -> Bool,
        pnt_vereiste_uren -> Integer,
        vrijstelling_reden -> Nullable<Text>,
        vrijstelling_bewijs -> Nullable<Text>,
        vrijstelling_details -> Nullable<Text>,
        vrijstelling_tewerkstelling -> Nullable<Text>,
        vrijstelling_toegekend_op -> Nullable<Date>,
        pijler_maatschappelijke_orientatie -> Text,
        pijler_nederlands -> Text,
        pijler_werk -> Text,
        status -> Text,
        attest_uitgereikt_op -> Nullable<Date>,
        stopgezet_op -> Nullable<Date>,
        sanctie_categorie -> Nullable<Integer>,
        sanctie_bedrag_cent -> Nullable<BigInt>,
        sanctie_opgelegd_op -> Nullable<Date>,
        sanctie_termijn_einde -> Nullable<Date>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    contractwijzigingen (id) {
        id -> BigInt,
        contract_id -> BigInt,
        soort -> Text,
        op -> Timestamp,
        door -> Text,
        door_rollen -> Text,
        reden -> Nullable<Text>,
        gegevens -> Text,
        contract_versie -> BigInt,
    }
}

diesel::joinable!(inburgeringscontracten -> inburgeraars (inburgeraar_id));
diesel::joinable!(contractwijzigingen -> inburgeringscontracten (contract_id));

diesel::table! {
    opvolgingen (id) {
        id -> BigInt,
        contract_id -> BigInt,
        soort -> Text,
        datum -> Date,
        kanaal -> Text,
        notitie -> Text,
        inspanning -> Nullable<Text>,
        corrigeert -> Nullable<BigInt>,
        door -> Text,
        door_rollen -> Text,
        op -> Timestamp,
    }
}

diesel::joinable!(opvolgingen -> inburgeringscontracten (contract_id));

diesel::allow_tables_to_appear_in_same_query!(inburgeraars, inburgeringscontracten, contractwijzigingen, opvolgingen);

diesel::table! {
    deelnamebewijzen (id) {
        id -> BigInt,
        contract_id -> BigInt,
        aanbod_id -> Nullable<BigInt>,
        activiteit -> Text,
        organisatie_id -> Nullable<BigInt>,
        organisatie_naam -> Text,
        aanbodtype -> Text,
        contact_naam -> Text,
        contact_email -> Nullable<Text>,
        contact_telefoon -> Nullable<Text>,
        status -> Text,
        ondertekend_door -> Nullable<Text>,
        ondertekend_op -> Nullable<Timestamp>,
        ondertekend_via -> Nullable<Text>,
        geweigerd_door -> Nullable<Text>,
        geweigerd_op -> Nullable<Timestamp>,
        geweigerd_via -> Nullable<Text>,
        weigering_motivatie -> Nullable<Text>,
        beoordeeld_door -> Nullable<Text>,
        beoordeeld_op -> Nullable<Timestamp>,
        beoordeling -> Nullable<Text>,
        beoordeling_motivatie -> Nullable<Text>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        aangemaakt_door -> Text,
        gewijzigd_op -> Timestamp,
        ondertekend_sub -> Nullable<Text>,
        contact_bron -> Text,
    }
}

diesel::table! {
    prestaties (id) {
        id -> BigInt,
        bewijs_id -> BigInt,
        datum -> Date,
        kwartieren -> Integer,
        omschrijving -> Nullable<Text>,
    }
}

diesel::table! {
    ondertekenverzoeken (id) {
        id -> BigInt,
        bewijs_id -> BigInt,
        token_hash -> Text,
        bewijs_versie -> BigInt,
        aangemaakt_op -> Timestamp,
        aangemaakt_door -> Text,
        verloopt_op -> Timestamp,
        gebruikt_op -> Nullable<Timestamp>,
        beslissing -> Nullable<Text>,
        aangevraagd_rol -> Nullable<Text>,
        email -> Nullable<Text>,
        email_bron -> Nullable<Text>,
        outbox_id -> Nullable<BigInt>,
        geopend_op -> Nullable<Timestamp>,
        naam -> Nullable<Text>,
    }
}

// Events (issue 16): state changes for the change feed and webhooks.

diesel::table! {
    gebeurtenissen (id) {
        id -> BigInt,
        tx -> BigInt,
        #[sql_name = "type"]
        soort -> Text,
        resource -> Text,
        resource_id -> BigInt,
        versie -> Nullable<BigInt>,
        op -> Timestamp,
        gemeente -> Nullable<Text>,
        organisatie_id -> Nullable<BigInt>,
        trajectbegeleider -> Nullable<Text>,
        verwijzingen -> Text,
    }
}

// The transactional outbox (issue 11): messages written with the change, delivered by a worker.

diesel::table! {
    outbox (id) {
        id -> BigInt,
        soort -> Text,
        ontvanger -> Text,
        onderwerp -> Text,
        inhoud -> Nullable<Text>,
        status -> Text,
        pogingen -> Integer,
        volgende_poging -> Timestamp,
        geclaimd_tot -> Nullable<Timestamp>,
        geclaimd_door -> Nullable<Text>,
        laatste_fout -> Nullable<Text>,
        bericht_id -> Nullable<Text>,
        aangemaakt_op -> Timestamp,
        afgehandeld_op -> Nullable<Timestamp>,
        webhook_id -> Nullable<BigInt>,
        gebeurtenis_id -> Nullable<BigInt>,
        laatste_status -> Nullable<Integer>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        gebeurtenissen -> Nullable<Text>,
        scope -> Nullable<Text>,
        geheim -> Text,
        omschrijving -> Nullable<Text>,
        actief -> Bool,
        aangemaakt_door -> Text,
        aangemaakt_op -> Timestamp,
        versie -> BigInt,
    }
}

diesel::joinable!(outbox -> webhooks (webhook_id));
diesel::allow_tables_to_appear_in_same_query!(outbox, webhooks);

diesel::joinable!(deelnamebewijzen -> inburgeringscontracten (contract_id));
diesel::joinable!(prestaties -> deelnamebewijzen (bewijs_id));
diesel::joinable!(ondertekenverzoeken -> deelnamebewijzen (bewijs_id));
diesel::joinable!(ondertekenverzoeken -> outbox (outbox_id));
diesel::allow_tables_to_appear_in_same_query!(ondertekenverzoeken, outbox);

diesel::allow_tables_to_appear_in_same_query!(deelnamebewijzen, prestaties, ondertekenverzoeken);
diesel::allow_tables_to_appear_in_same_query!(deelnamebewijzen, inburgeringscontracten);
diesel::allow_tables_to_appear_in_same_query!(deelnamebewijzen, inburgeraars);
diesel::allow_tables_to_appear_in_same_query!(prestaties, inburgeringscontracten);
diesel::allow_tables_to_appear_in_same_query!(prestaties, inburgeraars);
diesel::allow_tables_to_appear_in_same_query!(ondertekenverzoeken, inburgeringscontracten);
diesel::allow_tables_to_appear_in_same_query!(ondertekenverzoeken, inburgeraars);

// Regional networks: management, meetings, action plan (issue 6).

diesel::table! {
    netwerk_beheer (netwerk_code) {
        netwerk_code -> Text,
        trekker_organisatie_id -> Nullable<BigInt>,
        trekker_naam -> Nullable<Text>,
        trekker_mandaat -> Nullable<Text>,
        subsidie_bedrag_cent -> Nullable<BigInt>,
        subsidie_van -> Nullable<Date>,
        subsidie_tot -> Nullable<Date>,
        subsidie_financier -> Nullable<Text>,
        versie -> BigInt,
        gewijzigd_op -> Timestamp,
        gewijzigd_door -> Text,
        overlegnormen -> Nullable<Text>,
    }
}

diesel::table! {
    netwerk_medewerkers (id) {
        id -> BigInt,
        netwerk_code -> Text,
        volgorde -> Integer,
        rol -> Text,
        naam -> Text,
        email -> Nullable<Text>,
        telefoon -> Nullable<Text>,
    }
}

diesel::table! {
    netwerk_partners (netwerk_code, organisatie_id) {
        netwerk_code -> Text,
        organisatie_id -> BigInt,
        rol -> Nullable<Text>,
    }
}

diesel::table! {
    netwerk_overleggen (id) {
        id -> BigInt,
        netwerk_code -> Text,
        soort -> Text,
        datum -> Date,
        onderwerp -> Text,
        verslag -> Nullable<Text>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    netwerk_overleg_deelnemers (overleg_id, organisatie_id) {
        overleg_id -> BigInt,
        organisatie_id -> BigInt,
    }
}

diesel::table! {
    netwerk_acties (id) {
        id -> BigInt,
        netwerk_code -> Text,
        titel -> Text,
        beschrijving -> Nullable<Text>,
        status -> Text,
        deadline -> Nullable<Date>,
        trekker -> Nullable<Text>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::joinable!(netwerk_partners -> organisaties (organisatie_id));
diesel::joinable!(netwerk_overleg_deelnemers -> organisaties (organisatie_id));
diesel::joinable!(netwerk_overleg_deelnemers -> netwerk_overleggen (overleg_id));

diesel::allow_tables_to_appear_in_same_query!(netwerk_partners, organisaties);
diesel::allow_tables_to_appear_in_same_query!(netwerk_overleg_deelnemers, organisaties);
diesel::allow_tables_to_appear_in_same_query!(netwerk_overleg_deelnemers, netwerk_overleggen);

// Referrals with capacity and waiting lists (issue 6).

diesel::table! {
    aanbod_plaatsen (aanbod_id) {
        aanbod_id -> BigInt,
        bezet -> Integer,
        slot -> BigInt,
    }
}

diesel::table! {
    doorverwijzingen (id) {
        id -> BigInt,
        contract_id -> BigInt,
        aanbod_id -> BigInt,
        status -> Text,
        warme_overdracht -> Bool,
        warme_overdracht_notitie -> Nullable<Text>,
        toeleider_naam -> Nullable<Text>,
        toeleider_contact -> Nullable<Text>,
        reden_afgebroken -> Nullable<Text>,
        plaats_toegekend_op -> Nullable<Timestamp>,
        gestart_op -> Nullable<Date>,
        afgerond_op -> Nullable<Date>,
        afgebroken_op -> Nullable<Date>,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        aangemaakt_door -> Text,
        gewijzigd_op -> Timestamp,
        aangemeld_door -> Text,
    }
}

diesel::table! {
    aanbodrevisies (id) {
        id -> BigInt,
        aanbod_id -> BigInt,
        status -> Text,
        voorstel -> Text,
        basis_versie -> BigInt,
        voorgesteld_door -> Text,
        voorgesteld_op -> Timestamp,
        motivatie -> Nullable<Text>,
        beoordeeld_door -> Nullable<Text>,
        beoordeeld_op -> Nullable<Timestamp>,
    }
}

diesel::joinable!(aanbodrevisies -> aanbod (aanbod_id));
diesel::joinable!(aanbod_plaatsen -> aanbod (aanbod_id));
diesel::joinable!(doorverwijzingen -> inburgeringscontracten (contract_id));
diesel::joinable!(doorverwijzingen -> aanbod (aanbod_id));

diesel::allow_tables_to_appear_in_same_query!(aanbod_plaatsen, aanbod);
diesel::allow_tables_to_appear_in_same_query!(aanbodrevisies, aanbod);
diesel::allow_tables_to_appear_in_same_query!(doorverwijzingen, inburgeringscontracten);
diesel::allow_tables_to_appear_in_same_query!(doorverwijzingen, inburgeraars);
diesel::allow_tables_to_appear_in_same_query!(doorverwijzingen, aanbod);
diesel::allow_tables_to_appear_in_same_query!(inburgeringscontracten, aanbod);
diesel::allow_tables_to_appear_in_same_query!(inburgeraars, aanbod);
diesel::allow_tables_to_appear_in_same_query!(doorverwijzingen, deelnamebewijzen);
diesel::allow_tables_to_appear_in_same_query!(audit_log, organisaties);
