//! `/v1/inburgeringscontracten/{id}/wijzigingen`: the append-only history of contract changes
//! (R3, R5, R6). Each change is checked by `domain::contract::pas_toe`, updates the contract
//! and is appended here, in one transaction.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa::openapi::schema::{AdditionalProperties, Discriminator, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::{Validate, ValidationErrors};

use crate::app::document::VersionedWrite;
use crate::domain::contract::{self as regels, Dossier, Wijziging, WijzigingEffect, WijzigingSoort};
use crate::domain::toegang::Zicht;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery, parse_json};
use crate::http::links::Links;
use crate::http::path::ContractId;
use crate::repo::audit::Action;
use crate::repo::contracten::{self as repo, NieuweWijziging, WijzigingRow};
use crate::repo::opvolging as opvolging_repo;
use crate::repo::voortgang as uren_repo;
use crate::routes::contracten::{contract_href, load, read};
use crate::routes::toegang::{tekst, weigering};
use crate::wire::wijzigingen::{
    Contractwijziging, ContractwijzigingItem, PijlerStatusGewijzigdIn, RedenIn, SanctieOpgelegdIn, StopgezetIn,
    TermijnVerlengdIn, VrijstellingToegekendIn, WijzigingBody, WijzigingGegevens, WijzigingenQuery,
};

/// A contract change, chosen by `soort`, in the document: one schema per kind
/// ([`wijziging_soorten`]). Documentation only: the handler reads the `soort` and then the
/// kind's own fields (`WijzigingBody`), so errors name the faulty field.
pub struct WijzigingIn;

/// Each kind of change as a schema of its own: its `soort` (one value), its fields, and no
/// others (the kind's fields are read with `deny_unknown_fields`).
fn wijziging_soorten() -> Vec<(WijzigingSoort, &'static str, &'static str, RefOr<Schema>)> {
    use utoipa::PartialSchema;
    vec![
        (
            WijzigingSoort::TermijnVerlengd,
            "WijzigingTermijnVerlengd",
            "Extend the term (R5: the cause lies outside the newcomer's will). Makes a `lopend` contract `verlengd`.",
            TermijnVerlengdIn::schema(),
        ),
        (
            WijzigingSoort::PntToegevoegd,
            "WijzigingPntToegevoegd",
            "A `rechthebbend` newcomer takes up the PNT (R3); refused for a `verplicht` one or when it is already included.",
            RedenIn::schema(),
        ),
        (
            WijzigingSoort::PntGeschrapt,
            "WijzigingPntGeschrapt",
            "A `rechthebbend` newcomer drops the PNT (R3); refused for a `verplicht` one (use `vrijstellingToegekend`).",
            RedenIn::schema(),
        ),
        (
            WijzigingSoort::VrijstellingToegekend,
            "WijzigingVrijstellingToegekend",
            "Exempt a `verplicht` newcomer from the PNT (R2); the PNT leaves the contract.",
            VrijstellingToegekendIn::schema(),
        ),
        (
            WijzigingSoort::PijlerStatusGewijzigd,
            "WijzigingPijlerStatusGewijzigd",
            "A pillar's status changes; a pillar that was `behaald` or `vrijgesteld` changes back only with a `reden`.",
            PijlerStatusGewijzigdIn::schema(),
        ),
        (
            WijzigingSoort::SanctieOpgelegd,
            "WijzigingSanctieOpgelegd",
            "Impose a fine (R5): a `verplicht` newcomer with the PNT whose (possibly extended) term passed while approved \
             plus signed-awaiting-review hours stay below 40, when the follow-up shows no or insufficient effort, after an \
             extension (or with a reason why not). Sets a new term; the PNT stays required.",
            SanctieOpgelegdIn::schema(),
        ),
        (
            WijzigingSoort::AttestUitgereikt,
            "WijzigingAttestUitgereikt",
            "Issue the inburgeringsattest (R6: every pillar `behaald` or `vrijgesteld`, the PNT's hours approved or not \
             required); the contract becomes `voltooid`.",
            RedenIn::schema(),
        ),
        (
            WijzigingSoort::Stopgezet,
            "WijzigingStopgezet",
            "End the contract without attest; it becomes `stopgezet`.",
            StopgezetIn::schema(),
        ),
    ]
}

/// The kind's fields with `soort` added as a one-value enum, first and required.
fn met_soort(soort: WijzigingSoort, description: &str, velden: RefOr<Schema>) -> RefOr<Schema> {
    let RefOr::T(Schema::Object(velden)) = velden else {
        unreachable!("the fields of a change are an inline object schema")
    };
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description))
        .property(
            "soort",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([soort.as_str()]))
                .description(Some("The kind of change")),
        )
        .required("soort")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for (name, schema) in velden.properties {
        object = object.property(name, schema);
    }
    for name in velden.required {
        object = object.required(name);
    }
    object.into()
}

impl utoipa::PartialSchema for WijzigingIn {
    fn schema() -> RefOr<Schema> {
        let mut discriminator = Discriminator::new("soort");
        let mut one_of = OneOfBuilder::new().description(Some(
            "A contract change, chosen by `soort`: each kind has its own fields and no others. \
             Missing or wrong fields are `badRequest` naming the field.",
        ));
        for (soort, name, _, _) in wijziging_soorten() {
            discriminator.mapping.insert(soort.as_str().to_string(), format!("#/components/schemas/{name}"));
            one_of = one_of.item(Ref::from_schema_name(name));
        }
        one_of.discriminator(Some(discriminator)).into()
    }
}

impl ToSchema for WijzigingIn {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("WijzigingIn")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        for (soort, name, description, velden) in wijziging_soorten() {
            schemas.push((name.to_string(), met_soort(soort, description, velden)));
        }
        <VrijstellingToegekendIn as ToSchema>::schemas(schemas);
        <PijlerStatusGewijzigdIn as ToSchema>::schemas(schemas);
    }
}

impl Validate for WijzigingBody {
    fn validate(&self) -> Result<(), ValidationErrors> {
        Ok(())
    }
}

/// The parsed change and its reason.
fn lees_wijziging(body: WijzigingBody) -> ApiResult<(Wijziging, Option<String>)> {
    let bytes = serde_json::to_vec(&Value::Object(body.velden)).map_err(ApiError::internal)?;
    Ok(match body.soort {
        WijzigingSoort::TermijnVerlengd => {
            let x: TermijnVerlengdIn = parse_json(&bytes)?;
            (Wijziging::TermijnVerlengd { nieuwe_termijn_einde: x.nieuwe_termijn_einde }, x.reden)
        }
        WijzigingSoort::PntToegevoegd => (Wijziging::PntToegevoegd, parse_json::<RedenIn>(&bytes)?.reden),
        WijzigingSoort::PntGeschrapt => (Wijziging::PntGeschrapt, parse_json::<RedenIn>(&bytes)?.reden),
        WijzigingSoort::VrijstellingToegekend => {
            let x: VrijstellingToegekendIn = parse_json(&bytes)?;
            (Wijziging::VrijstellingToegekend(x.vrijstelling), x.reden)
        }
        WijzigingSoort::PijlerStatusGewijzigd => {
            let x: PijlerStatusGewijzigdIn = parse_json(&bytes)?;
            (Wijziging::PijlerStatusGewijzigd { pijler: x.pijler, status: x.status }, x.reden)
        }
        WijzigingSoort::SanctieOpgelegd => {
            let x: SanctieOpgelegdIn = parse_json(&bytes)?;
            (
                Wijziging::SanctieOpgelegd {
                    categorie: x.categorie,
                    bedrag_cent: x.bedrag_cent,
                    nieuwe_termijn_einde: x.nieuwe_termijn_einde,
                    opvolging: x.opvolging,
                    zonder_verlenging_reden: tekst(x.zonder_verlenging_reden),
                },
                x.reden,
            )
        }
        WijzigingSoort::AttestUitgereikt => (Wijziging::AttestUitgereikt, parse_json::<RedenIn>(&bytes)?.reden),
        WijzigingSoort::Stopgezet => (Wijziging::Stopgezet, parse_json::<StopgezetIn>(&bytes)?.reden),
    })
}

fn wijziging_href(links: &Links, contract_id: i64, id: i64) -> String {
    links.href(&format!("/v1/inburgeringscontracten/{contract_id}/wijzigingen/{id}"))
}

pub(crate) fn gegevens(links: &Links, r: WijzigingRow) -> WijzigingGegevens {
    let w = r.wijziging;
    WijzigingGegevens {
        id: r.id,
        contract: contract_href(links, w.contract_id),
        soort: w.soort,
        op: w.op.and_utc(),
        door: w.door,
        door_rollen: w.door_rollen.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        reden: w.reden,
        effect: w.gegevens.0,
    }
}

/// Change a contract
///
/// For an admin or the contract's trajectbegeleider (other roles get `403`, anyone else's
/// contract is `404`). Applies one change, checked against the rules, and appends it to the
/// history in the same transaction as the contract's update; the change is logged. Honours
/// `If-Match` (the contract's ETag). Refusals:
/// `invalidContractChange` (closed contract, PNT change for a `verplicht` newcomer or before
/// 2023, nothing to change, …), `sanctionNotAllowed` (R5: term not passed, hours met counting
/// signed proofs awaiting review, no follow-up judging the effort short), `attestNotAllowed`
/// (R6); missing or wrong fields (also follow-up entries that do not support the sanction, and a
/// missing `zonderVerlengingReden` without an earlier extension) are `badRequest`.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "createContractwijziging",
    params(ContractId, IfMatch),
    request_body(
        content = WijzigingIn,
        description = "The change: `soort` and that kind's fields",
        examples(
            ("termijnVerlengd" = (summary = "Extend the term", value = json!({
                "soort": "termijnVerlengd",
                "nieuweTermijnEinde": "2027-12-31",
                "reden": "Langdurige ziekte, attest huisarts van 2026-10-02"
            }))),
            ("vrijstellingToegekend" = (summary = "Exempt from the PNT for work", value = json!({
                "soort": "vrijstellingToegekend",
                "vrijstelling": {
                    "reden": "werk",
                    "bewijs": "Arbeidsovereenkomst Bakkerij Peeters d.d. 2026-02-20 en Dimona-aangifte",
                    "tewerkstelling": { "breuk": 0.8, "arbeidsovereenkomsten": [{ "van": "2026-03-01" }] }
                },
                "reden": "Vast werk gevonden"
            }))),
            ("pijlerStatusGewijzigd" = (summary = "A pillar is done", value = json!({
                "soort": "pijlerStatusGewijzigd",
                "pijler": "nederlands",
                "status": "behaald"
            }))),
            ("sanctieOpgelegd" = (summary = "Impose a fine", value = json!({
                "soort": "sanctieOpgelegd",
                "categorie": 2,
                "bedragCent": 25000,
                "nieuweTermijnEinde": "2028-03-31",
                "opvolging": [3, 7],
                "reden": "Geen activiteiten ondanks drie gesprekken en aanbod op maat"
            }))),
            ("attestUitgereikt" = (summary = "Issue the attest", value = json!({ "soort": "attestUitgereikt" }))),
            ("stopgezet" = (summary = "End the contract", value = json!({
                "soort": "stopgezet",
                "reden": "Verhuisd naar Wallonië"
            }))),
        )
    ),
    responses(
        (status = 201, description = "Applied and recorded", body = Contractwijziging,
            headers(("Location" = String, description = "The recorded change"))),
        (status = 409, description = "The rules do not allow this change now (`invalidContractChange`, `sanctionNotAllowed`, `attestNotAllowed`)",
            body = Problem),
    )
)]
#[post("/inburgeringscontracten/{id}/wijzigingen")]
pub async fn create_wijziging(
    ctx: Ctx,
    if_match: IfMatch,
    id: ContractId,
    body: JsonBody<WijzigingBody>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let id = id.0;
    let (wijziging, reden) = lees_wijziging(body.0)?;
    let reden = tekst(reden);
    let (actor, vandaag) = (ctx.actor(), ctx.today());
    let row = ctx
        .state
        .db
        .write(move |c| {
            let (row, _) = load(c, &zicht, id)?;
            zicht.beheren(&row.trajectbegeleider, "contract's trajectbegeleider changes it")?;
            // The client's copy first: a stale one is `412` whatever the rules say.
            if_match.check(row.versie)?;
            let voor = row.staat();
            let mut dossier = Dossier { uren: uren_repo::uren_van(c, id)?, ..Default::default() };
            if let Wijziging::SanctieOpgelegd { .. } = wijziging {
                dossier.opvolging = opvolging_repo::alle(c, id)?.iter().map(|o| o.regel()).collect();
                dossier.verlengd_sinds_sanctie = repo::soorten(c, id)?.iter().fold(false, |verlengd, s| match s {
                    WijzigingSoort::TermijnVerlengd => true,
                    WijzigingSoort::SanctieOpgelegd => false,
                    _ => verlengd,
                });
            }
            let na = regels::pas_toe(&voor, &wijziging, reden.as_deref(), vandaag, &dossier).map_err(weigering)?;
            // Appended first, so the audit entry can name it; a lost race below rolls it back.
            let nieuw = repo::insert_wijziging(
                c,
                NieuweWijziging {
                    contract_id: id,
                    soort: wijziging.soort(),
                    op: actor.at,
                    door: actor.sub.clone(),
                    door_rollen: actor.roles.clone(),
                    reden,
                    gegevens: repo::Json(WijzigingEffect::van(&wijziging, &voor, &na)),
                    contract_versie: row.versie + 1,
                },
            )?;
            let details = json!({ "inburgeraar": row.inburgeraar_id, "wijziging": nieuw.id });
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &row,
                Action::Change(wijziging.soort().as_str()),
                Some(details),
                |c, versie| Ok(repo::update_staat(c, id, versie, &na, actor.at)?.is_some()),
            )?;
            Ok(nieuw)
        })
        .await?;
    let location = wijziging_href(&ctx.links, id, row.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location.clone()))
        .json(Contractwijziging { self_link: location, gegevens: gegevens(&ctx.links, row) }))
}

/// List a contract's changes
///
/// The history, oldest first: what changed, who did it, when and why. Visible to whoever
/// sees the contract (admins, its trajectbegeleider, the newcomer; else `404`, or `403` for
/// roles that see no contracts); the read is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "listContractwijzigingen",
    params(ContractId, PageParams),
    responses((status = 200, description = "A page of changes", body = Collection<ContractwijzigingItem>))
)]
#[get("/inburgeringscontracten/{id}/wijzigingen")]
pub async fn list_wijzigingen(
    req: HttpRequest,
    ctx: Ctx,
    id: ContractId,
    query: ListQuery<WijzigingenQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let (id, page, actor) = (id.0, query.page, ctx.actor());
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx
        .state
        .db
        .write(move |c| {
            let (contract, _) = read(c, &zicht, &actor, id, Some("wijzigingen"))?;
            Ok(repo::wijzigingen(c, &contract, offset, limit)?)
        })
        .await?;
    let links = &ctx.links;
    let items = rows
        .into_iter()
        .map(|r| ContractwijzigingItem { href: wijziging_href(links, id, r.id), gegevens: gegevens(links, r) })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, links, &page, items, total)))
}

/// Get a contract change
///
/// One change of the history, as listed. Visible to whoever sees the contract (admins, its
/// trajectbegeleider, the newcomer; else `404`, or `403` for roles that see no contracts);
/// `404` too when the contract has no such change. The read is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "getContractwijziging",
    params(
        ("id" = i64, Path, description = "Contract id", example = 5),
        ("wijzigingId" = i64, Path, description = "Change id", example = 12),
    ),
    responses((status = 200, description = "The change", body = Contractwijziging))
)]
#[get("/inburgeringscontracten/{id}/wijzigingen/{wijzigingId}")]
pub async fn get_wijziging(ctx: Ctx, path: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let ((id, wid), actor) = (path.into_inner(), ctx.actor());
    let row = ctx
        .state
        .db
        .write(move |c| {
            let (contract, _) = read(c, &zicht, &actor, id, Some("wijzigingen"))?;
            repo::wijziging(c, &contract, wid)?
                .ok_or_else(|| ApiError::not_found(format!("No change {wid} on inburgeringscontract {id}")))
        })
        .await?;
    let gegevens = gegevens(&ctx.links, row);
    Ok(HttpResponse::Ok().json(Contractwijziging { self_link: wijziging_href(&ctx.links, id, wid), gegevens }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_wijzigingen).service(create_wijziging).service(get_wijziging);
}
