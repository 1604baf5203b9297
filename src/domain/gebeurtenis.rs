//! Events (issue 16): which state changes other systems are told about, named
//! `<resource>.<what happened>`. They are derived from the audit entry every change already
//! writes in its transaction ([`type_van`]), so no write path can forget one.

use crate::domain::inburgeraar::text_enum;

text_enum! {
    /// What happened, as `<resource>.<what happened>`.
    GebeurtenisType {
        /// An offer was created (by its organisation, municipality or a feed).
        AanbodAangemaakt = "aanbod.aangemaakt",
        /// An offer's content changed.
        AanbodGewijzigd = "aanbod.gewijzigd",
        /// An offer was submitted for moderation.
        AanbodIngediend = "aanbod.ingediend",
        /// An offer was published (approved, or pushed by a feed).
        AanbodGepubliceerd = "aanbod.gepubliceerd",
        /// An offer was rejected by the municipality.
        AanbodAfgekeurd = "aanbod.afgekeurd",
        /// An offer was archived.
        AanbodGearchiveerd = "aanbod.gearchiveerd",
        /// An offer went back to draft.
        AanbodTeruggetrokken = "aanbod.teruggetrokken",
        /// An offer was deleted.
        AanbodVerwijderd = "aanbod.verwijderd",
        /// An organisation proposed a change to a published offer (a pending revision; the
        /// offer itself did not change).
        AanbodRevisieVoorgesteld = "aanbod.revisieVoorgesteld",
        /// The municipality approved a revision: the offer changed (also `aanbod.gewijzigd`).
        AanbodRevisieGoedgekeurd = "aanbod.revisieGoedgekeurd",
        /// The municipality rejected a revision: the offer stayed as it was.
        AanbodRevisieAfgekeurd = "aanbod.revisieAfgekeurd",
        /// A referral was created.
        DoorverwijzingAangemaakt = "doorverwijzing.aangemaakt",
        /// A referral's status changed.
        DoorverwijzingStatusGewijzigd = "doorverwijzing.statusGewijzigd",
        /// A referral got a place from the waiting list.
        DoorverwijzingGepromoveerd = "doorverwijzing.gepromoveerd",
        /// A referral's details changed.
        DoorverwijzingGewijzigd = "doorverwijzing.gewijzigd",
        /// A proof was submitted for signing.
        DeelnamebewijsIngediend = "deelnamebewijs.ingediend",
        /// A proof was signed.
        DeelnamebewijsOndertekend = "deelnamebewijs.ondertekend",
        /// A proof was refused by its contact person.
        DeelnamebewijsGeweigerd = "deelnamebewijs.geweigerd",
        /// A proof was reviewed (approved or rejected).
        DeelnamebewijsBeoordeeld = "deelnamebewijs.beoordeeld",
        /// A contract was created.
        ContractAangemaakt = "inburgeringscontract.aangemaakt",
        /// A contract changed (term, PNT, exemption, pillar, sanction, reassignment).
        ContractGewijzigd = "inburgeringscontract.gewijzigd",
        /// A contract was closed (stopped, or completed with the attest).
        ContractAfgesloten = "inburgeringscontract.afgesloten",
        /// A newcomer was registered.
        InburgeraarAangemaakt = "inburgeraar.aangemaakt",
        /// A newcomer's record changed.
        InburgeraarGewijzigd = "inburgeraar.gewijzigd",
    }
}

/// The audit action names of a change, as the change's event sees them.
pub struct Wijziging<'a> {
    pub resource: &'a str,
    /// `create`, `update`, `delete` or the named change (`status`, `ondertekend`, …).
    pub actie: &'a str,
    /// The status before and after, when the change moved one.
    pub van: Option<&'a str>,
    pub naar: Option<&'a str>,
}

/// The event of a change, if other systems are told about it; `gesloten`: the contract no
/// longer runs after the change.
pub fn type_van(w: &Wijziging<'_>, gesloten: bool) -> Option<GebeurtenisType> {
    use GebeurtenisType as G;
    Some(match (w.resource, w.actie) {
        ("aanbod", "create") => G::AanbodAangemaakt,
        ("aanbod", "update") => G::AanbodGewijzigd,
        ("aanbod", "delete") => G::AanbodVerwijderd,
        ("aanbod", "revisieVoorgesteld") => G::AanbodRevisieVoorgesteld,
        ("aanbod", "revisieGoedgekeurd") => G::AanbodRevisieGoedgekeurd,
        ("aanbod", "revisieAfgekeurd") => G::AanbodRevisieAfgekeurd,
        ("aanbod", "status") => match w.naar? {
            "ingediend" => G::AanbodIngediend,
            "gepubliceerd" => G::AanbodGepubliceerd,
            "afgekeurd" => G::AanbodAfgekeurd,
            "gearchiveerd" => G::AanbodGearchiveerd,
            _ => G::AanbodTeruggetrokken,
        },
        ("doorverwijzing", "create") => G::DoorverwijzingAangemaakt,
        ("doorverwijzing", "status" | "afgebroken") => G::DoorverwijzingStatusGewijzigd,
        ("doorverwijzing", "plaatsToegekend") => G::DoorverwijzingGepromoveerd,
        ("doorverwijzing", "update") => G::DoorverwijzingGewijzigd,
        ("deelnamebewijs", "ingediend") => G::DeelnamebewijsIngediend,
        // Making a signing link submits a draft on the way.
        ("deelnamebewijs", "ondertekenverzoekAangemaakt") if w.van != w.naar => G::DeelnamebewijsIngediend,
        ("deelnamebewijs", "ondertekend") => G::DeelnamebewijsOndertekend,
        ("deelnamebewijs", "geweigerd") => G::DeelnamebewijsGeweigerd,
        ("deelnamebewijs", "beoordeeld") => G::DeelnamebewijsBeoordeeld,
        ("inburgeringscontract", "create") => G::ContractAangemaakt,
        ("inburgeringscontract", "read" | "list") => return None,
        ("inburgeringscontract", _) if gesloten => G::ContractAfgesloten,
        ("inburgeringscontract", _) => G::ContractGewijzigd,
        ("inburgeraar", "create") => G::InburgeraarAangemaakt,
        ("inburgeraar", "read" | "list" | "delete") => return None,
        ("inburgeraar", _) => G::InburgeraarGewijzigd,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w<'a>(resource: &'a str, actie: &'a str, van: Option<&'a str>, naar: Option<&'a str>) -> Wijziging<'a> {
        Wijziging { resource, actie, van, naar }
    }

    #[test]
    fn changes_and_their_events() {
        use GebeurtenisType as G;
        assert_eq!(
            type_van(&w("aanbod", "status", Some("ingediend"), Some("gepubliceerd")), false),
            Some(G::AanbodGepubliceerd)
        );
        assert_eq!(type_van(&w("aanbod", "read", None, None), false), None);
        assert_eq!(type_van(&w("aanbod", "revisieAfgekeurd", None, None), false), Some(G::AanbodRevisieAfgekeurd));
        assert_eq!(
            type_van(
                &w("deelnamebewijs", "ondertekenverzoekAangemaakt", Some("concept"), Some("teOndertekenen")),
                false
            ),
            Some(G::DeelnamebewijsIngediend)
        );
        let nog_eens =
            w("deelnamebewijs", "ondertekenverzoekAangemaakt", Some("teOndertekenen"), Some("teOndertekenen"));
        assert_eq!(type_van(&nog_eens, false), None);
        assert_eq!(type_van(&w("deelnamebewijs", "list", None, None), false), None);
        assert_eq!(type_van(&w("inburgeringscontract", "stopgezet", None, None), true), Some(G::ContractAfgesloten));
        assert_eq!(
            type_van(&w("inburgeringscontract", "termijnVerlengd", None, None), false),
            Some(G::ContractGewijzigd)
        );
        assert_eq!(type_van(&w("apiClient", "create", None, None), false), None);
        assert_eq!(
            type_van(&w("doorverwijzing", "plaatsToegekend", None, None), false),
            Some(G::DoorverwijzingGepromoveerd)
        );
    }
}
