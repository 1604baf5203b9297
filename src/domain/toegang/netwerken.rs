//! Who may read and run a regional network — what it records about itself (leader, staff,
//! subsidy, partners), its meetings (overleggen), its action plan (acties) and its compliance
//! view — and who sees its monitoring (R15).
//!
//! - A network's reference part (name, municipalities, the leader as public sources name it)
//!   is public.
//! - What a network records is read by the agency's roles (admin, trajectbegeleider),
//!   municipalities (lokaalBestuur) and network coordinators — of any network ([`LEZERS`]).
//! - It is changed by an admin and by the network's own netwerkcoordinator (claim `regio`).
//! - Monitoring: admins and trajectbegeleiders see every network; a netwerkcoordinator its own
//!   network and its municipalities; a lokaalBestuur its own municipalities (one at a time).
//!
//! Networks are reference data: there is no row filter, every reader reads every network.
//! What scopes a network's items is the network itself, so the repo's reads and writes of them
//! take a [`Leesrecht`] or [`Beheerrecht`] on that network, which only this policy grants. An
//! unknown network is `404` before any of this is asked (the routes check that first).

use crate::auth::{Caller, Role};
use crate::domain::ids::NetwerkCode;
use crate::domain::nis::NisCode;
use crate::error::{ApiError, ApiResult};

/// The roles that read what networks record.
pub const LEZERS: [Role; 4] = [Role::Admin, Role::Trajectbegeleider, Role::LokaalBestuur, Role::Netwerkcoordinator];

/// A caller's rights on regional networks.
#[derive(Clone, Debug, Default)]
pub struct NetwerkToegang {
    /// Has one of [`LEZERS`].
    lezer: bool,
    /// Runs every network and sees all monitoring.
    admin: bool,
    /// Sees every network's monitoring (with `admin`).
    trajectbegeleider: bool,
    /// The network it coordinates (a netwerkcoordinator's `regio`).
    coordineert: Option<NetwerkCode>,
    /// The municipalities whose monitoring it sees (a lokaalBestuur's `gemeenten`).
    gemeenten: Vec<NisCode>,
}

/// The right to read what one network records and the items it keeps. Only
/// [`NetwerkToegang::lezen`] grants one; the repo's reads of a network's items take it.
#[derive(Clone, Debug)]
pub struct Leesrecht {
    netwerk: NetwerkCode,
}

/// The right to change what one network records and the items it keeps (and so to read them).
/// Only [`NetwerkToegang::beheren`] grants one; the repo's writes of a network's items take it.
#[derive(Clone, Debug)]
pub struct Beheerrecht {
    lezen: Leesrecht,
}

impl Leesrecht {
    pub fn netwerk(&self) -> &NetwerkCode {
        &self.netwerk
    }
}

impl Beheerrecht {
    pub fn netwerk(&self) -> &NetwerkCode {
        &self.lezen.netwerk
    }

    pub fn lezen(&self) -> &Leesrecht {
        &self.lezen
    }
}

impl NetwerkToegang {
    pub fn van(caller: &Caller) -> NetwerkToegang {
        NetwerkToegang {
            lezer: LEZERS.iter().any(|r| caller.has(*r)),
            admin: caller.is_admin(),
            trajectbegeleider: caller.has(Role::Trajectbegeleider),
            coordineert: caller.coordinator_van().cloned(),
            gemeenten: if caller.has(Role::LokaalBestuur) { caller.gemeenten.clone() } else { Vec::new() },
        }
    }

    /// Reads what networks record (staff, subsidy, partners, meetings, action plan, compliance).
    pub fn mag_inzien(&self) -> bool {
        self.lezer
    }

    /// Runs `netwerk`: an admin, or its own netwerkcoordinator.
    pub fn mag_beheren(&self, netwerk: &NetwerkCode) -> bool {
        self.admin || self.coordineert.as_ref() == Some(netwerk)
    }

    /// Sees the monitoring of `netwerk` — of all its municipalities, or with `gemeente` of that
    /// one (a municipality of `netwerk`).
    pub fn mag_monitoren(&self, netwerk: &NetwerkCode, gemeente: Option<&str>) -> bool {
        self.admin
            || self.trajectbegeleider
            || self.coordineert.as_ref() == Some(netwerk)
            || gemeente.is_some_and(|g| self.gemeenten.iter().any(|eigen| eigen.as_str() == g))
    }

    /// The right to read network `netwerk` (a known one); `403` unless [`Self::mag_inzien`].
    pub fn lezen(&self, netwerk: NetwerkCode) -> ApiResult<Leesrecht> {
        if !self.mag_inzien() {
            let namen: Vec<_> = LEZERS.iter().map(|r| r.as_str()).collect();
            return Err(ApiError::missing_permission(format!(
                "This operation needs one of the roles: {}",
                namen.join(", ")
            )));
        }
        Ok(Leesrecht { netwerk })
    }

    /// The right to run network `netwerk` (a known one); `403` unless [`Self::mag_beheren`].
    pub fn beheren(&self, netwerk: NetwerkCode) -> ApiResult<Beheerrecht> {
        if !self.mag_beheren(&netwerk) {
            return Err(ApiError::missing_permission(match &self.coordineert {
                Some(eigen) => {
                    format!(
                        "You coordinate network {eigen}; only its own netwerkcoordinator or an admin changes {netwerk}"
                    )
                }
                None => format!("Only network {netwerk}'s netwerkcoordinator or an admin changes it"),
            }));
        }
        Ok(Beheerrecht { lezen: Leesrecht { netwerk } })
    }

    /// `403` unless [`Self::mag_monitoren`].
    pub fn monitoren(&self, netwerk: &NetwerkCode, gemeente: Option<&str>) -> ApiResult<()> {
        if self.mag_monitoren(netwerk, gemeente) {
            Ok(())
        } else {
            Err(ApiError::missing_permission(
                "Monitoring: a netwerkcoordinator sees its own network, a lokaalBestuur its own municipalities (with gemeente=), trajectbegeleiders and admins everything",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toegang(roles: &[Role], regio: Option<&str>, gemeenten: &[&str]) -> NetwerkToegang {
        NetwerkToegang::van(&Caller {
            sub: "x".into(),
            roles: roles.to_vec(),
            gemeenten: gemeenten.iter().map(|g| NisCode::parse(g).unwrap()).collect(),
            organisatie: None,
            regio: regio.map(|r| NetwerkCode::parse(r).unwrap()),
            name: None,
            email: None,
            expires_at: chrono::DateTime::UNIX_EPOCH,
        })
    }

    fn code(s: &str) -> NetwerkCode {
        NetwerkCode::parse(s).unwrap()
    }

    #[test]
    fn who_runs_and_reads_a_network() {
        let (kempen, midwest) = (code("REFREG03"), code("REFREG10"));
        let nc = toegang(&[Role::Netwerkcoordinator], Some("REFREG03"), &[]);
        assert!(nc.mag_beheren(&kempen) && !nc.mag_beheren(&midwest));
        assert!(nc.beheren(kempen.clone()).is_ok() && nc.beheren(midwest.clone()).is_err());
        assert!(!toegang(&[Role::Netwerkcoordinator], None, &[]).mag_beheren(&kempen));
        assert!(toegang(&[Role::Admin], None, &[]).mag_beheren(&midwest));
        for r in [Role::LokaalBestuur, Role::Trajectbegeleider, Role::Aanbieder] {
            assert!(
                !toegang(&[r], Some("REFREG03"), &[]).mag_beheren(&kempen),
                "{r:?}: regio counts only for a coordinator"
            );
        }
        assert!(nc.mag_inzien() && toegang(&[Role::LokaalBestuur], None, &[]).mag_inzien());
        for r in [Role::Aanbieder, Role::Inburgeraar, Role::FeedClient] {
            assert!(!toegang(&[r], None, &[]).mag_inzien(), "{r:?}");
            assert!(toegang(&[r], None, &[]).lezen(kempen.clone()).is_err(), "{r:?}");
        }
        let recht = nc.beheren(kempen.clone()).unwrap();
        assert_eq!(recht.lezen().netwerk(), &kempen);
    }

    #[test]
    fn who_sees_which_monitoring() {
        let (kempen, midwest) = (code("REFREG03"), code("REFREG10"));
        let nc = toegang(&[Role::Netwerkcoordinator], Some("REFREG03"), &[]);
        assert!(nc.mag_monitoren(&kempen, None) && nc.mag_monitoren(&kempen, Some("13008")));
        assert!(!nc.mag_monitoren(&midwest, None));
        let geel = toegang(&[Role::LokaalBestuur], None, &["13008"]);
        assert!(geel.mag_monitoren(&kempen, Some("13008")));
        assert!(!geel.mag_monitoren(&kempen, Some("13025")) && !geel.mag_monitoren(&kempen, None));
        assert!(!toegang(&[Role::Aanbieder], None, &["13008"]).mag_monitoren(&kempen, Some("13008")));
        for r in [Role::Admin, Role::Trajectbegeleider] {
            assert!(toegang(&[r], None, &[]).mag_monitoren(&midwest, None), "{r:?}");
        }
        assert!(toegang(&[Role::Inburgeraar], None, &[]).monitoren(&kempen, None).is_err());
    }
}
