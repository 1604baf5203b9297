//! Secrets the API hands out once (client secrets, signing-link tokens): generated from the OS
//! random source, stored only as a hash.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use base64::Engine;
use sha2::{Digest, Sha256};

/// `bytes` random bytes, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    let mut raw = vec![0u8; bytes];
    getrandom::fill(&mut raw).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// An argon2id PHC string for a client secret (slow on purpose: a stolen table is useless).
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(secret.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

/// A valid argon2 hash of a random secret nobody knows: verifying against it for unknown
/// clients costs the same time as for known ones.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2CJZmyOvuqtfMN0yBBJ3OuxrnXdkqbMKoYpNpTBbqkE";

/// Constant-time check of a secret against its argon2 hash.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

/// SHA-256 of a high-entropy token (a signing link): fast lookups, nothing to brute-force.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time that depends only on their lengths, not on where they differ.
pub fn gelijk(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_verify_only_against_their_hash() {
        let secret = random_token(32);
        assert_eq!(secret.len(), 43);
        let hash = hash_secret(&secret);
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains(&secret));
        assert!(verify_secret(&secret, &hash));
        assert!(!verify_secret("guess", &hash));
        assert!(!verify_secret(&secret, "not a hash"));
        assert_ne!(random_token(32), secret);
        assert_eq!(token_hash("abc").len(), 64);
    }
}
