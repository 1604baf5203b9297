//! The offer (aanbod) rules: types, the moderation workflow (R21), what qualifies for the PNT
//! (R11, R13b) and the search text. Who may see, create, manage and moderate an offer is its
//! access policy, [`crate::domain::toegang::aanbod`].

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::inburgeraar::text_enum;
use crate::domain::text::fold;

/// The person closest to the activity, who also confirms the hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contactpersoon {
    /// Name (1–200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "An Peeters")]
    pub naam: String,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email)]
    #[schema(example = "an.peeters@example.be")]
    pub email: Option<String>,
    /// Phone number (6–30 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 6, max = 30))]
    #[schema(example = "+32 470 12 34 56")]
    pub telefoon: Option<String>,
}

text_enum! {
    /// Kind of activity: `buddyproject`, `kennismakingsstage` (a short work placement),
    /// `vrijwilligerswerk`, `praattafel` (conversation table), `vrijetijd` (leisure) or `andere`.
    Aanbodtype {
        Buddyproject = "buddyproject",
        Kennismakingsstage = "kennismakingsstage",
        Vrijwilligerswerk = "vrijwilligerswerk",
        Praattafel = "praattafel",
        Vrijetijd = "vrijetijd",
        Andere = "andere",
    }
}

text_enum! {
    /// Moderation state of an offer: `concept` (draft), `ingediend` (submitted for moderation),
    /// `gepubliceerd` (public), `afgekeurd` (rejected, with a motivation), `gearchiveerd` (no longer
    /// offered; kept for the newcomers who did it).
    AanbodStatus {
        Concept = "concept",
        Ingediend = "ingediend",
        Gepubliceerd = "gepubliceerd",
        Afgekeurd = "afgekeurd",
        Gearchiveerd = "gearchiveerd",
    }
}

text_enum! {
    /// Where a proposed change (revision) of a published offer stands: `open` (waiting for the
    /// municipality), `goedgekeurd` (it became the offer), `afgekeurd` (rejected with a
    /// motivation; the offer stayed as it was).
    RevisieStatus {
        Open = "open",
        Goedgekeurd = "goedgekeurd",
        Afgekeurd = "afgekeurd",
    }
}

text_enum! {
    /// The municipality's decision on a revision.
    RevisieBeslissing {
        Goedgekeurd = "goedgekeurd",
        Afgekeurd = "afgekeurd",
    }
}

/// One field a revision changes: its value in the published offer and in the proposal (`null`
/// when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AanbodRevisieVerschil)]
pub struct Verschil {
    /// The field, as in the offer's input (`titel`, `capaciteit`, …).
    #[schema(example = "titel")]
    pub veld: String,
    /// Its value in the published offer.
    #[schema(example = json!({"nl": "Taalcafe De Brug"}))]
    pub huidig: serde_json::Value,
    /// Its value in the proposal.
    #[schema(example = json!({"nl": "Taalcafé De Brug"}))]
    pub voorgesteld: serde_json::Value,
}

/// The field-by-field difference between two writable forms of an offer (JSON objects, as
/// clients write them): every top-level field whose value differs, a missing field counting as
/// `null`, in the order of the field names.
pub fn verschillen(huidig: &serde_json::Value, voorgesteld: &serde_json::Value) -> Vec<Verschil> {
    let leeg = serde_json::Map::new();
    let (h, v) = (huidig.as_object().unwrap_or(&leeg), voorgesteld.as_object().unwrap_or(&leeg));
    let mut velden: Vec<&String> = h.keys().chain(v.keys()).collect();
    velden.sort();
    velden.dedup();
    let null = serde_json::Value::Null;
    velden
        .into_iter()
        .filter_map(|veld| {
            let (a, b) = (h.get(veld).unwrap_or(&null), v.get(veld).unwrap_or(&null));
            (a != b).then(|| Verschil { veld: veld.clone(), huidig: a.clone(), voorgesteld: b.clone() })
        })
        .collect()
}

text_enum! {
    /// Kind of organisation.
    OrganisatieSoort {
        Vereniging = "vereniging",
        Vzw = "vzw",
        Bedrijf = "bedrijf",
        LokaalBestuur = "lokaalBestuur",
        Onderwijs = "onderwijs",
        Overheid = "overheid",
        Andere = "andere",
    }
}

/// A sort key of the offer search, by its name in the query (`sort=-gewijzigdOp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Sortering {
    #[serde(rename = "-gewijzigdOp")]
    GewijzigdAflopend,
    #[serde(rename = "gewijzigdOp")]
    GewijzigdOplopend,
    #[serde(rename = "titel")]
    Titel,
    #[serde(rename = "-titel")]
    TitelAflopend,
    #[serde(rename = "afstand")]
    Afstand,
    #[serde(rename = "relevantie")]
    Relevantie,
}

/// A step of the moderation workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stap {
    /// concept → ingediend, afgekeurd → ingediend (by whoever manages the offer)
    Indienen,
    /// ingediend → gepubliceerd (moderator)
    Publiceren,
    /// ingediend → afgekeurd, with a motivation (moderator)
    Afkeuren,
    /// gepubliceerd → gearchiveerd (moderator)
    Archiveren,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkflowFout {
    /// Not a transition of the workflow.
    Ongeldig { van: AanbodStatus, naar: AanbodStatus },
    /// A rejected offer must be changed before it is submitted again.
    OngewijzigdNaAfkeuring,
    /// Rejecting needs a motivation.
    MotivatieVereist,
}

impl fmt::Display for WorkflowFout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkflowFout::Ongeldig { van, naar } => {
                write!(f, "an offer cannot go from {van} to {naar}")?;
                let allowed: Vec<_> = AanbodStatus::ALL.iter().filter(|s| stap(*van, **s).is_some()).collect();
                if allowed.is_empty() {
                    write!(f, " (no transitions from {van})")
                } else {
                    let names: Vec<_> = allowed.iter().map(|s| s.as_str()).collect();
                    write!(f, " (from {van}: {})", names.join(", "))
                }
            }
            WorkflowFout::OngewijzigdNaAfkeuring => f.write_str("change the rejected offer before submitting it again"),
            WorkflowFout::MotivatieVereist => f.write_str("rejecting an offer needs a motivation"),
        }
    }
}

/// The workflow `concept → ingediend → gepubliceerd | afgekeurd`, `gepubliceerd → gearchiveerd`,
/// `afgekeurd → ingediend`.
pub fn stap(van: AanbodStatus, naar: AanbodStatus) -> Option<Stap> {
    use AanbodStatus::*;
    match (van, naar) {
        (Concept, Ingediend) | (Afgekeurd, Ingediend) => Some(Stap::Indienen),
        (Ingediend, Gepubliceerd) => Some(Stap::Publiceren),
        (Ingediend, Afgekeurd) => Some(Stap::Afkeuren),
        (Gepubliceerd, Gearchiveerd) => Some(Stap::Archiveren),
        _ => None,
    }
}

/// Checks a requested transition. `versie` is the offer's current version and
/// `afgekeurd_versie` the version it had when it was rejected.
pub fn controleer_overgang(
    van: AanbodStatus,
    naar: AanbodStatus,
    motivatie: Option<&str>,
    versie: i64,
    afgekeurd_versie: Option<i64>,
) -> Result<Stap, WorkflowFout> {
    let s = stap(van, naar).ok_or(WorkflowFout::Ongeldig { van, naar })?;
    if s == Stap::Afkeuren && motivatie.is_none_or(|m| m.trim().is_empty()) {
        return Err(WorkflowFout::MotivatieVereist);
    }
    if van == AanbodStatus::Afgekeurd && afgekeurd_versie.is_some_and(|v| v >= versie) {
        return Err(WorkflowFout::OngewijzigdNaAfkeuring);
    }
    Ok(s)
}

/// The PNT criteria an offer declares (R11, R13b).
#[derive(Clone, Copy, Debug, Default)]
pub struct Criteria {
    pub nederlandstalige_context: bool,
    pub sociale_participatie: bool,
    pub in_groep: bool,
    pub buiten_eigen_kring: bool,
    pub duurzaam_contact: bool,
}

/// One of the criteria an offer declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterium {
    NederlandstaligeContext,
    SocialeParticipatie,
    InGroep,
    BuitenEigenKring,
    DuurzaamContact,
}

impl Criteria {
    /// The one definition of "qualifies for the PNT": the two conditions of R11 — the activity
    /// takes place in a Dutch-speaking context and leads to social participation. In a pair or
    /// group, outside one's own circle and lasting contacts (R13b) are guidance: each is shown,
    /// is a search filter and counts in the suggestion score (`domain::matching`), none is
    /// required. The search filter `kwalificeert` builds its SQL from this same list
    /// (`repo::aanbod`).
    pub const VOORWAARDEN: &'static [Criterium] = &[Criterium::NederlandstaligeContext, Criterium::SocialeParticipatie];

    /// Whether the offer declares `criterium`.
    pub fn voldoet(&self, criterium: Criterium) -> bool {
        match criterium {
            Criterium::NederlandstaligeContext => self.nederlandstalige_context,
            Criterium::SocialeParticipatie => self.sociale_participatie,
            Criterium::InGroep => self.in_groep,
            Criterium::BuitenEigenKring => self.buiten_eigen_kring,
            Criterium::DuurzaamContact => self.duurzaam_contact,
        }
    }

    /// Whether the offer qualifies for the PNT: it meets every one of [`Criteria::VOORWAARDEN`].
    pub fn kwalificeert(&self) -> bool {
        Self::VOORWAARDEN.iter().all(|c| self.voldoet(*c))
    }
}

/// The accent-folded text a full-text search runs over: every language's title and
/// description, and the themes.
pub fn zoektekst<'a>(teksten: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for t in teksten {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&fold(t));
    }
    out
}

/// Normalises a theme tag: trimmed, lower case, inner whitespace collapsed.
pub fn normaliseer_thema(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Search words of a free-text query: the alphanumeric runs of the folded text. Anything else
/// (quotes, operators, `*`, `:`) is dropped, so user input can never be query syntax.
pub fn zoekwoorden(q: &str) -> Vec<String> {
    fold(q).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(10).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AanbodStatus::*;

    #[test]
    fn the_workflow() {
        assert_eq!(stap(Concept, Ingediend), Some(Stap::Indienen));
        assert_eq!(stap(Ingediend, Gepubliceerd), Some(Stap::Publiceren));
        assert_eq!(stap(Ingediend, Afgekeurd), Some(Stap::Afkeuren));
        assert_eq!(stap(Gepubliceerd, Gearchiveerd), Some(Stap::Archiveren));
        assert_eq!(stap(Afgekeurd, Ingediend), Some(Stap::Indienen));
        for (van, naar) in
            [(Concept, Gepubliceerd), (Gearchiveerd, Gepubliceerd), (Gepubliceerd, Concept), (Concept, Concept)]
        {
            assert_eq!(stap(van, naar), None, "{van} -> {naar}");
        }
    }

    #[test]
    fn rejecting_needs_a_motivation_and_resubmitting_a_change() {
        assert_eq!(controleer_overgang(Ingediend, Afgekeurd, None, 1, None), Err(WorkflowFout::MotivatieVereist));
        assert_eq!(controleer_overgang(Ingediend, Afgekeurd, Some("  "), 1, None), Err(WorkflowFout::MotivatieVereist));
        assert!(controleer_overgang(Ingediend, Afgekeurd, Some("geen NL context"), 1, None).is_ok());
        assert_eq!(
            controleer_overgang(Afgekeurd, Ingediend, None, 3, Some(3)),
            Err(WorkflowFout::OngewijzigdNaAfkeuring)
        );
        assert!(controleer_overgang(Afgekeurd, Ingediend, None, 4, Some(3)).is_ok());
        let e = controleer_overgang(Gearchiveerd, Gepubliceerd, None, 1, None).unwrap_err();
        assert!(e.to_string().contains("no transitions from gearchiveerd"), "{e}");
    }

    #[test]
    fn the_difference_of_a_revision() {
        let huidig = serde_json::json!({"titel": {"nl": "Taalcafe"}, "capaciteit": 8, "kosteloos": true});
        let voorstel = serde_json::json!({"titel": {"nl": "Taalcafé"}, "kosteloos": true, "themas": ["taal"]});
        let v = verschillen(&huidig, &voorstel);
        let velden: Vec<_> = v.iter().map(|v| v.veld.as_str()).collect();
        assert_eq!(velden, ["capaciteit", "themas", "titel"]);
        assert_eq!(v[0].voorgesteld, serde_json::Value::Null, "a removed field is null");
        assert_eq!(v[1].huidig, serde_json::Value::Null, "an added field was null");
        assert!(verschillen(&huidig, &huidig).is_empty());
    }

    #[test]
    fn qualification_and_search_words() {
        let c = Criteria {
            nederlandstalige_context: true,
            sociale_participatie: true,
            in_groep: true,
            ..Default::default()
        };
        assert!(c.kwalificeert());
        assert!(Criteria { in_groep: false, ..c }.kwalificeert(), "in a group is guidance (R13b), not a condition");
        assert!(!Criteria { nederlandstalige_context: false, ..c }.kwalificeert());
        assert!(!Criteria { sociale_participatie: false, ..c }.kwalificeert());
        assert_eq!(zoekwoorden("Taalcafé \"buddy\" -x*:"), ["taalcafe", "buddy", "x"]);
        assert_eq!(zoektekst(["Taalcafé", "Voetbal"]), "taalcafe voetbal");
        assert_eq!(normaliseer_thema("  Sport   en Spel "), "sport en spel");
    }
}
