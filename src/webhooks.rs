//! Webhook delivery (issue 16, README "Webhooks"): the outbox worker POSTs an event to a
//! subscription's URL, signed as Standard Webhooks specifies (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
//! with the key in the `whsec_…` secret), so receivers can verify it with an existing library.
//! Every address a host name resolves to is checked before the connection (R29), so a name
//! that points into the API's own network later (DNS rebinding) is still refused.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::config::WebhookSettings;
use crate::domain::webhook::mag_verbinden;

/// The prefix of a signing secret (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: 32 random bytes, base64, prefixed.
pub fn nieuw_geheim() -> String {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).expect("the OS random source is available");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(raw))
}

/// The `webhook-signature` of `body` sent as message `id` at `tijdstip` (Unix seconds).
pub fn handtekening(geheim: &str, id: &str, tijdstip: i64, body: &[u8]) -> String {
    let sleutel = STANDARD.decode(geheim.trim_start_matches(SECRET_PREFIX)).unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(&sleutel).expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{tijdstip}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Resolves as usual, then keeps only the addresses R29 allows; none left is an error.
#[derive(Debug)]
struct Bewaakt {
    loopback: bool,
}

impl Resolver for Bewaakt {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let alle = DefaultResolver::default().resolve(uri, config, timeout)?;
        let mut toegestaan = self.empty();
        for a in alle.iter().filter(|a| mag_verbinden(a.ip(), self.loopback)) {
            toegestaan.push(*a);
        }
        if toegestaan.is_empty() {
            return Err(ureq::Error::Other(
                format!(
                    "{} resolves only to private or reserved addresses (refused: server-side request forgery)",
                    uri.host().unwrap_or_default()
                )
                .into(),
            ));
        }
        Ok(toegestaan)
    }
}

/// Why a delivery failed: the reason and the receiver's HTTP status, if it answered.
#[derive(Debug)]
pub struct Mislukt {
    pub reden: String,
    pub status: Option<u16>,
}

/// The HTTP client of the deliveries: no redirects, a timeout per delivery, https only
/// unless `PNT_INSECURE_LOOPBACK=true`, and the guarded resolver.
pub struct Bezorger {
    agent: ureq::Agent,
}

impl Bezorger {
    pub fn new(settings: &WebhookSettings) -> Bezorger {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .https_only(!settings.insecure_loopback)
            .user_agent("pnt-api-webhooks")
            .build();
        let resolver = Bewaakt { loopback: settings.insecure_loopback };
        Bezorger { agent: ureq::Agent::with_parts(config, DefaultConnector::default(), resolver) }
    }

    /// POSTs `body` (an event as JSON) to `url` as message `id`, signed with `geheim` at
    /// `tijdstip`; the receiver's status when it answered 2xx.
    pub fn post(&self, url: &str, id: &str, tijdstip: i64, geheim: &str, body: &str) -> Result<u16, Mislukt> {
        let handtekening = handtekening(geheim, id, tijdstip, body.as_bytes());
        let antwoord = self
            .agent
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", tijdstip.to_string())
            .header("webhook-signature", handtekening)
            .send(body);
        match antwoord {
            Ok(r) if r.status().is_success() => Ok(r.status().as_u16()),
            Ok(r) => Err(Mislukt {
                reden: format!("the receiver answered HTTP {}", r.status().as_u16()),
                status: Some(r.status().as_u16()),
            }),
            Err(e) => Err(Mislukt { reden: e.to_string(), status: None }),
        }
    }
}

/// How long one delivery may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_follows_standard_webhooks() {
        // The example of the Standard Webhooks specification's reference implementations.
        let geheim = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            handtekening(geheim, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body.as_bytes()),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(nieuw_geheim().starts_with("whsec_"));
    }
}
