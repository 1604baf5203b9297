//! Webhook subscriptions (issue 16, README "Webhooks"): where events may be delivered (R29: no
//! server-side request forgery) and which events a subscription receives (its `scope`, the
//! change feed's own visibility rule).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::toegang::gebeurtenissen::GebeurtenisZicht;

/// Which events a subscription receives, as the change feed would show them to a reader with
/// these relations: offers of these municipalities; offers, referrals and proofs of this
/// organisation; this trajectbegeleider's caseload. Absent: every event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookScope {
    /// NIS codes of municipalities: their offers' events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["44021"]))]
    pub gemeenten: Vec<String>,
    /// An organisation's id: its offers', referrals' and proofs' events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 12)]
    pub organisatie: Option<i64>,
    /// A trajectbegeleider's `sub`: the events of their caseload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "tb-1")]
    pub trajectbegeleider: Option<String>,
}

impl WebhookScope {
    /// The feed's view with these relations (`None`: every event).
    pub fn zicht(scope: Option<&WebhookScope>) -> GebeurtenisZicht {
        match scope {
            None => GebeurtenisZicht { alles: true, ..GebeurtenisZicht::default() },
            Some(s) => GebeurtenisZicht {
                alles: false,
                gemeenten: s.gemeenten.clone(),
                organisatie: s.organisatie,
                trajectbegeleider: s.trajectbegeleider.clone(),
            },
        }
    }

    pub fn is_leeg(&self) -> bool {
        self.gemeenten.is_empty() && self.organisatie.is_none() && self.trajectbegeleider.is_none()
    }
}

/// R29: may the API connect to `ip` to deliver a webhook? Never to a private, loopback,
/// link-local, shared (CGNAT), multicast, documentation or unspecified address — the ranges a
/// subscription could use to make the API reach into its own network — except loopback when
/// `loopback` (`PNT_INSECURE_LOOPBACK=true`, tests and local development).
pub fn mag_verbinden(ip: IpAddr, loopback: bool) -> bool {
    if ip.is_loopback() {
        return loopback;
    }
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return mag_verbinden(IpAddr::V4(v4), loopback);
            }
            let s = v6.segments();
            !(v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x0064 && s[1] == 0xff9b))
        }
    }
}

/// R29: a webhook target is an absolute `https://` URL without credentials; plain `http://`
/// only to a loopback host when `loopback` is allowed. A literal IP address must be one
/// [`mag_verbinden`] allows; a host name is checked again on every delivery, address by address,
/// after it is resolved (`crate::webhooks`).
pub fn check_url(url: &str, loopback: bool) -> Result<(), String> {
    let uri: ureq::http::Uri = url.parse().map_err(|e| format!("not a URL: {e}"))?;
    let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
    if host.is_empty() {
        return Err("the URL names no host".into());
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err("the URL may not hold credentials; the deliveries are signed instead".into());
    }
    let literal = host.parse::<IpAddr>().ok();
    let loopback_host = host.eq_ignore_ascii_case("localhost") || literal.is_some_and(|ip| ip.is_loopback());
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if loopback_host && loopback => {}
        Some("http") => return Err("must use https:// (plain http:// only to a loopback host in development)".into()),
        _ => return Err("must be an https:// URL".into()),
    }
    if loopback_host && !loopback {
        return Err("a loopback address is refused (server-side request forgery)".into());
    }
    if let Some(ip) = literal
        && !mag_verbinden(ip, loopback)
    {
        return Err(format!("{ip} is a private or reserved address (server-side request forgery)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_reserved_targets_are_refused() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!mag_verbinden(ip.parse().unwrap(), false), "{ip}");
        }
        assert!(!mag_verbinden("127.0.0.1".parse().unwrap(), false));
        assert!(mag_verbinden("127.0.0.1".parse().unwrap(), true));
        assert!(mag_verbinden("193.191.245.10".parse().unwrap(), false));
        assert!(mag_verbinden("2a02:1800::1".parse().unwrap(), false));
    }

    #[test]
    fn targets_are_https_without_credentials() {
        assert!(check_url("https://hooks.gent.be/pnt", false).is_ok());
        assert!(check_url("http://hooks.gent.be/pnt", false).is_err());
        assert!(check_url("https://user:pw@hooks.gent.be/pnt", false).is_err());
        assert!(check_url("https://10.0.0.5/pnt", false).is_err());
        assert!(check_url("https://169.254.169.254/latest", false).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", false).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("ftp://hooks.gent.be", false).is_err());
    }
}
