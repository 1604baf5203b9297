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
    }
}
