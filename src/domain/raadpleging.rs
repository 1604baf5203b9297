//! R28: who consulted a newcomer's file, as the newcomer sees it (issue 17). An audit entry names
//! the caller's `sub`; the newcomer sees the body behind it instead — the agency, a municipality,
//! an organisation, a contact person through a signing link, themself or the system — never an
//! individual staff member's identifier. Admins see the `sub` as well.

use crate::auth::Role;

use super::inburgeraar::text_enum;

text_enum! {
    /// Which body consulted or changed the file.
    Instantie {
        /// The Agentschap Integratie en Inburgering: a trajectbegeleider, an admin, the KBI
        /// synchronisation.
        Agentschap = "agentschap",
        /// A municipality (lokaal bestuur), e.g. its list under decree art. 20 §7.
        Gemeente = "gemeente",
        /// An organisation (aanbieder) through a proof or referral addressed to it.
        Organisatie = "organisatie",
        /// The regional network (netwerkcoordinator).
        Netwerk = "netwerk",
        /// A contact person through a one-time signing link.
        Contactpersoon = "contactpersoon",
        /// The newcomer themself.
        Inburgeraar = "inburgeraar",
        /// The API itself (the retention job) or a machine client.
        Systeem = "systeem",
    }
}

/// The `sub` prefix of the actor a signing link acts as (`app::ondertekening`).
pub const LINK_ACTOR: &str = "ondertekenverzoek:";

/// The body behind an audit entry's actor (`sub`) and roles (comma-separated), as the entry
/// stored them. A token with several roles counts as its most official one.
pub fn instantie(actor: &str, rollen: &str) -> Instantie {
    if actor.starts_with(LINK_ACTOR) {
        return Instantie::Contactpersoon;
    }
    let rollen: Vec<Role> = rollen.split(',').filter_map(|r| Role::parse(r.trim())).collect();
    let heeft = |r: Role| rollen.contains(&r);
    if heeft(Role::Admin) || heeft(Role::Trajectbegeleider) || heeft(Role::KbiSync) {
        Instantie::Agentschap
    } else if heeft(Role::LokaalBestuur) {
        Instantie::Gemeente
    } else if heeft(Role::Aanbieder) || heeft(Role::FeedClient) {
        Instantie::Organisatie
    } else if heeft(Role::Netwerkcoordinator) {
        Instantie::Netwerk
    } else if heeft(Role::Inburgeraar) {
        Instantie::Inburgeraar
    } else {
        Instantie::Systeem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_not_the_person() {
        assert_eq!(instantie("tb-1", "trajectbegeleider"), Instantie::Agentschap);
        assert_eq!(instantie("admin-1", "admin"), Instantie::Agentschap);
        assert_eq!(instantie("lb-gent", "lokaalBestuur"), Instantie::Gemeente);
        assert_eq!(instantie("brug-1", "aanbieder"), Instantie::Organisatie);
        assert_eq!(instantie("burger-1", "inburgeraar"), Instantie::Inburgeraar);
        assert_eq!(instantie("burger-1", "inburgeraar,trajectbegeleider"), Instantie::Agentschap);
        assert_eq!(instantie("ondertekenverzoek:4", ""), Instantie::Contactpersoon);
        assert_eq!(instantie("retentie", ""), Instantie::Systeem);
    }
}
