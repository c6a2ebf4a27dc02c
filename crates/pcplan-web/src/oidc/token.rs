//! Checks an ID token (a JSON Web Token, RFC 7519, signed as a JWS, RFC 7515) the way
//! OpenID Connect Core 1.0 s.3.1.3.7 asks: the signature against the provider's keys
//! (RS256 only), then the issuer, the audience (and `azp` when there are several), the
//! times (`exp`, `nbf`, `iat`, with [`CLOCK_SKEW_SECONDS`] of tolerance) and the
//! `nonce` this sign-in sent.
//!
//! Only RS256 is accepted, whatever the token's header says: `none` (no signature) and
//! HS256 (a MAC keyed with something both sides know, in the classic attack the public
//! key) are the two ways a token verifier is usually fooled, and every provider police
//! bodies use signs with RS256. A header naming any other algorithm, or a `crit`
//! extension, is refused before a key is looked at.
//!
//! This module is pure: no I/O, no clock (the caller passes `now`). Fetching the keys,
//! and fetching them again when a token names a key not yet seen ([`TokenError::UnknownKey`]),
//! is the caller's.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use serde::Deserialize;
use serde_json::{Map, Value};

/// How far the provider's clock and ours may disagree, in seconds.
pub const CLOCK_SKEW_SECONDS: i64 = 120;

/// One RSA signing key of the provider, from its JWK set (RFC 7517).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    pub kid: Option<String>,
    /// The modulus, big-endian, without leading zero bytes (as ring wants it).
    pub n: Vec<u8>,
    /// The public exponent, big-endian, without leading zero bytes.
    pub e: Vec<u8>,
}

#[derive(Deserialize)]
struct JwkSet {
    keys: Vec<RawJwk>,
}

#[derive(Deserialize)]
struct RawJwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    key_use: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

/// The RSA signing keys of a JWK set document (`{"keys": [...]}`). Keys of other
/// types (EC), for encryption (`"use": "enc"`) or for another algorithm are skipped,
/// as is an RSA key whose numbers do not decode; a set with no usable key is an error.
pub fn parse_jwks(body: &[u8]) -> Result<Vec<Jwk>, String> {
    let set: JwkSet = serde_json::from_slice(body).map_err(|e| format!("the key set is not a JWK set: {e}"))?;
    let keys: Vec<Jwk> = set
        .keys
        .into_iter()
        .filter(|k| k.kty == "RSA")
        .filter(|k| k.key_use.as_deref().is_none_or(|u| u == "sig"))
        .filter(|k| k.alg.as_deref().is_none_or(|a| a == "RS256"))
        .filter_map(|k| {
            let n = strip_leading_zeros(URL_SAFE_NO_PAD.decode(k.n?.as_bytes()).ok()?);
            let e = strip_leading_zeros(URL_SAFE_NO_PAD.decode(k.e?.as_bytes()).ok()?);
            (!n.is_empty() && !e.is_empty()).then_some(Jwk { kid: k.kid, n, e })
        })
        .collect();
    if keys.is_empty() {
        return Err(String::from("the key set has no RSA signing key"));
    }
    Ok(keys)
}

/// RFC 7518 forbids leading zeros in `n` and `e`, but some providers send them, and
/// ring refuses them; they do not change the number.
fn strip_leading_zeros(mut bytes: Vec<u8>) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.drain(..zeros);
    bytes
}

/// What this sign-in expects of its token.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    /// The configured issuer, which the token's `iss` must equal exactly.
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The nonce sent with the authorization request.
    pub nonce: &'a str,
    /// Now, in seconds since 1970 (UTC).
    pub now: i64,
}

/// Why a token was refused. None of them carries the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the ID token is not a signed JWT: {0}")]
    Malformed(&'static str),
    #[error("the ID token is signed with `{0}`; only RS256 is accepted")]
    Algorithm(String),
    #[error("the ID token's header has a `crit` extension pcplan does not understand")]
    Critical,
    /// No key of the set has the token's `kid` (or the token names none and the set has
    /// several): the provider may have rotated its keys, so fetch them again once.
    #[error("no key of the provider's key set matches the ID token's key id {0:?}")]
    UnknownKey(Option<String>),
    #[error("the ID token's signature does not verify")]
    Signature,
    #[error("the ID token's claim `{0}` is missing or not of the right type")]
    Claim(&'static str),
    #[error("the ID token was issued by `{found}`, not the configured issuer")]
    Issuer { found: String },
    #[error("the ID token is not for this client (its audience does not include the client id)")]
    Audience,
    #[error("the ID token's authorised party (azp) is not this client")]
    AuthorisedParty,
    #[error("the ID token has expired")]
    Expired,
    #[error("the ID token is not valid yet (nbf is in the future)")]
    NotYetValid,
    #[error("the ID token was issued in the future (iat); check the server's clock")]
    IssuedInFuture,
    #[error("the ID token's nonce is not the one this sign-in sent")]
    Nonce,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    crit: Option<Value>,
}

/// Checks the token and returns its claims.
pub fn verify(token: &str, keys: &[Jwk], expected: &Expected<'_>) -> Result<Map<String, Value>, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed("it does not have three parts"));
    };
    let header: Header = serde_json::from_slice(&decode(header)?).map_err(|_| TokenError::Malformed("bad header"))?;
    if header.alg != "RS256" {
        return Err(TokenError::Algorithm(header.alg));
    }
    if header.crit.is_some() {
        return Err(TokenError::Critical);
    }
    let key = match &header.kid {
        Some(kid) => keys.iter().find(|k| k.kid.as_deref() == Some(kid.as_str())),
        None if keys.len() == 1 => keys.first(),
        None => None,
    }
    .ok_or_else(|| TokenError::UnknownKey(header.kid.clone()))?;
    let signature = decode(signature)?;
    let signed = &token[..header_and_payload_len(token)];
    let public = RsaPublicKeyComponents { n: &key.n, e: &key.e };
    public.verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature).map_err(|_| TokenError::Signature)?;
    let claims: Map<String, Value> = serde_json::from_slice(&decode(payload)?)
        .map_err(|_| TokenError::Malformed("the claims are not a JSON object"))?;
    check_claims(&claims, expected)?;
    Ok(claims)
}

/// The length of `header.payload`, the part the signature covers.
fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

fn decode(part: &str) -> Result<Vec<u8>, TokenError> {
    URL_SAFE_NO_PAD.decode(part.as_bytes()).map_err(|_| TokenError::Malformed("a part is not base64url"))
}

/// A claim that is a number of seconds (JSON numbers may be written as decimals).
fn seconds(claims: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, TokenError> {
    match claims.get(name) {
        None => Ok(None),
        Some(value) => {
            value.as_i64().or_else(|| value.as_f64().map(|f| f.floor() as i64)).map(Some).ok_or(TokenError::Claim(name))
        }
    }
}

/// The checks on the claims of a token whose signature is good (OIDC Core s.3.1.3.7
/// steps 2, 3, 4, 5, 9, 10 and 11).
pub fn check_claims(claims: &Map<String, Value>, expected: &Expected<'_>) -> Result<(), TokenError> {
    let issuer = claims.get("iss").and_then(Value::as_str).ok_or(TokenError::Claim("iss"))?;
    if issuer != expected.issuer {
        return Err(TokenError::Issuer { found: issuer.to_string() });
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => {
            many.iter().map(|v| v.as_str().ok_or(TokenError::Claim("aud"))).collect::<Result<_, _>>()?
        }
        _ => return Err(TokenError::Claim("aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(TokenError::Audience);
    }
    match claims.get("azp") {
        Some(Value::String(azp)) if azp == expected.client_id => {}
        Some(_) => return Err(TokenError::AuthorisedParty),
        None if audiences.len() > 1 => return Err(TokenError::AuthorisedParty),
        None => {}
    }
    let exp = seconds(claims, "exp")?.ok_or(TokenError::Claim("exp"))?;
    if expected.now > exp.saturating_add(CLOCK_SKEW_SECONDS) {
        return Err(TokenError::Expired);
    }
    if let Some(nbf) = seconds(claims, "nbf")?
        && expected.now.saturating_add(CLOCK_SKEW_SECONDS) < nbf
    {
        return Err(TokenError::NotYetValid);
    }
    let iat = seconds(claims, "iat")?.ok_or(TokenError::Claim("iat"))?;
    if iat > expected.now.saturating_add(CLOCK_SKEW_SECONDS) {
        return Err(TokenError::IssuedInFuture);
    }
    let nonce = claims.get("nonce").and_then(Value::as_str).ok_or(TokenError::Nonce)?;
    if !super::same(nonce.as_bytes(), expected.nonce.as_bytes()) {
        return Err(TokenError::Nonce);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn expected() -> Expected<'static> {
        Expected { issuer: "https://idp.example/v2.0", client_id: "client-1", nonce: "n-1", now: NOW }
    }

    fn claims(changes: Value) -> Map<String, Value> {
        let mut base = json!({
            "iss": "https://idp.example/v2.0", "aud": "client-1", "exp": NOW + 3600, "iat": NOW,
            "nbf": NOW, "nonce": "n-1", "email": "a@example.org"
        });
        for (key, value) in changes.as_object().expect("an object") {
            if value.is_null() {
                base.as_object_mut().expect("object").remove(key);
            } else {
                base[key] = value.clone();
            }
        }
        base.as_object().expect("object").clone()
    }

    #[test]
    fn each_claim_rule_refuses_its_own_case() {
        let cases: Vec<(Value, Result<(), TokenError>)> = vec![
            (json!({}), Ok(())),
            (
                json!({"iss": "https://idp.example/v2.0/"}),
                Err(TokenError::Issuer { found: "https://idp.example/v2.0/".into() }),
            ),
            (json!({"iss": null}), Err(TokenError::Claim("iss"))),
            (json!({"aud": "other"}), Err(TokenError::Audience)),
            (json!({"aud": ["other", "client-1"]}), Err(TokenError::AuthorisedParty)),
            (json!({"aud": ["other", "client-1"], "azp": "client-1"}), Ok(())),
            (json!({"aud": ["client-1"], "azp": "other"}), Err(TokenError::AuthorisedParty)),
            (json!({"aud": 7}), Err(TokenError::Claim("aud"))),
            (json!({"exp": NOW - CLOCK_SKEW_SECONDS - 1}), Err(TokenError::Expired)),
            (json!({"exp": NOW - 30}), Ok(())),
            (json!({"exp": null}), Err(TokenError::Claim("exp"))),
            (json!({"nbf": NOW + CLOCK_SKEW_SECONDS + 5}), Err(TokenError::NotYetValid)),
            (json!({"iat": NOW + CLOCK_SKEW_SECONDS + 5}), Err(TokenError::IssuedInFuture)),
            (json!({"iat": null}), Err(TokenError::Claim("iat"))),
            (json!({"iat": "yesterday"}), Err(TokenError::Claim("iat"))),
            (json!({"nonce": "n-2"}), Err(TokenError::Nonce)),
            (json!({"nonce": null}), Err(TokenError::Nonce)),
        ];
        for (changes, outcome) in cases {
            assert_eq!(check_claims(&claims(changes.clone()), &expected()), outcome, "{changes}");
        }
    }

    #[test]
    fn algorithms_other_than_rs256_are_refused_before_any_key_is_looked_at() {
        let key = Jwk { kid: Some("k".into()), n: vec![1; 256], e: vec![1, 0, 1] };
        for alg in ["none", "HS256", "RS512", "ES256"] {
            let header = URL_SAFE_NO_PAD.encode(format!("{{\"alg\":\"{alg}\",\"kid\":\"k\"}}"));
            let payload = URL_SAFE_NO_PAD.encode(b"{}");
            let token = format!("{header}.{payload}.");
            assert_eq!(verify(&token, std::slice::from_ref(&key), &expected()), Err(TokenError::Algorithm(alg.into())));
        }
        assert_eq!(
            verify("a.b", std::slice::from_ref(&key), &expected()),
            Err(TokenError::Malformed("it does not have three parts"))
        );
        let header = URL_SAFE_NO_PAD.encode(b"{\"alg\":\"RS256\",\"kid\":\"other\"}");
        let token = format!("{header}.e30.AAAA");
        assert_eq!(verify(&token, &[key], &expected()), Err(TokenError::UnknownKey(Some("other".into()))));
    }

    #[test]
    fn a_key_set_keeps_only_rsa_signing_keys() {
        let set = json!({"keys": [
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"},
            {"kty": "RSA", "kid": "sig", "use": "sig", "n": "AAEC", "e": "AQAB"},
            {"kty": "RSA", "kid": "bad", "n": "!!", "e": "AQAB"}
        ]});
        let keys = parse_jwks(set.to_string().as_bytes()).expect("one usable key");
        assert_eq!(keys, vec![Jwk { kid: Some("sig".into()), n: vec![1, 2], e: vec![1, 0, 1] }]);
        assert!(parse_jwks(br#"{"keys": []}"#).is_err());
        assert!(parse_jwks(b"<html>").is_err());
    }
}
