//! The HTTP client that talks to the identity provider, and to nothing else: one
//! HTTP/1.1 request per connection (hyper's client connection API over a tokio
//! `TcpStream`, with rustls and the Mozilla roots of `webpki-roots` for `https://`, and
//! the authorities of `oidc.ca_file` beside them where a proxy inspects TLS).
//!
//! Every request is bounded: [`TIMEOUT`] for the whole exchange (resolving the name,
//! connecting, TLS, sending and reading), and [`MAX_BODY_BYTES`] for the answer, so a
//! provider that stops answering or sends without end holds up one sign-in for ten
//! seconds and no more. Plain `http://` is allowed only to the loopback addresses
//! (`127.0.0.1`, `localhost`, `::1`), where the tests' fake provider listens; any other
//! plain address is refused before a connection is opened ([`Target::parse`]).
//!
//! It deliberately does not follow redirects, keep connections open, use a proxy or
//! decompress: a provider's discovery document, keys and token endpoint answer directly,
//! and a general-purpose client (reqwest) would bring dozens of crates for that.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use axum::http::{HeaderValue, Method, Request, StatusCode, Uri};
use base64::Engine;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls;

/// The longest one request to the provider may take, from resolving its name to the
/// last byte of the answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The largest answer read from the provider. A discovery document is a few KiB, a key
/// set with a handful of keys under 10 KiB, an ID token a few KiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Why a request to the provider failed. Never carries a secret: the form sent to the
/// token endpoint is not part of any message.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The address cannot be used (not https, not a URL); see [`Target::parse`].
    #[error("{0}")]
    Address(String),
    #[error("connecting to {authority}: {cause}")]
    Connect { authority: String, cause: String },
    #[error("the TLS handshake with {authority} failed: {cause}")]
    Tls { authority: String, cause: String },
    #[error("the HTTP exchange with {authority} failed: {cause}")]
    Protocol { authority: String, cause: String },
    #[error("{authority} did not answer within {} seconds", TIMEOUT.as_secs())]
    Timeout { authority: String },
    #[error("{authority} sent more than {} bytes", MAX_BODY_BYTES)]
    TooLarge { authority: String },
}

/// Where a request goes, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    /// The host as a name or an address, without the brackets of an IPv6 literal.
    pub host: String,
    pub port: u16,
    /// `host[:port]` as written, for the `Host` header.
    pub authority: String,
    /// The path and query, at least `/`.
    pub path: String,
}

/// Whether a host is this machine: the only hosts plain HTTP may be used with.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "::1"
}

impl Target {
    /// Reads an absolute `https://` address (or `http://` to a loopback host). No user
    /// name or password in it, no fragment.
    pub fn parse(url: &str) -> Result<Target, String> {
        let uri: Uri = url.parse().map_err(|_| format!("`{url}` is not a web address"))?;
        let authority = uri.authority().ok_or_else(|| format!("`{url}` is not an absolute web address"))?;
        if authority.as_str().contains('@') {
            return Err(format!("`{url}` has a user name in it; give the address without one"));
        }
        let host = authority.host();
        let https = match uri.scheme_str() {
            Some(scheme) if scheme.eq_ignore_ascii_case("https") => true,
            Some(scheme) if scheme.eq_ignore_ascii_case("http") => {
                if !is_loopback(host) {
                    return Err(format!(
                        "`{url}` is plain http; the identity provider must be reached over https \
                         (plain http is allowed only to 127.0.0.1, localhost or ::1, for tests)"
                    ));
                }
                false
            }
            _ => return Err(format!("`{url}` is not an https:// address")),
        };
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let path = uri.path_and_query().map(|pq| pq.as_str()).filter(|p| !p.is_empty()).unwrap_or("/");
        Ok(Target {
            https,
            host: host.trim_start_matches('[').trim_end_matches(']').to_string(),
            port,
            authority: authority.as_str().to_string(),
            path: path.to_string(),
        })
    }
}

/// An answer from the provider, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
}

/// The client; cheap to share, one per application.
#[derive(Clone)]
pub struct HttpClient {
    tls: TlsConnector,
}

/// A certificate, as read from a PEM file.
pub type Certificate = rustls::pki_types::CertificateDer<'static>;

/// Every certificate of a PEM file (other blocks, such as keys, are skipped).
pub fn read_certificates(pem: &[u8]) -> Result<Vec<Certificate>, String> {
    use rustls::pki_types::pem::PemObject;
    let certificates = Certificate::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    if certificates.is_empty() {
        return Err(String::from("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
    }
    Ok(certificates)
}

impl HttpClient {
    /// A client trusting the Mozilla root certificates and `extra_roots`, with ring's
    /// cryptography (the provider lettre and sqlx already use; rustls's default,
    /// aws-lc-rs, is not built).
    pub fn new(extra_roots: &[Certificate]) -> Result<HttpClient, String> {
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for certificate in extra_roots {
            roots
                .add(certificate.clone())
                .map_err(|e| format!("a certificate of oidc.ca_file cannot be trusted: {e}"))?;
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("setting up TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(HttpClient { tls: TlsConnector::from(Arc::new(config)) })
    }

    /// `GET url`, accepting JSON.
    pub async fn get(&self, url: &str) -> Result<Reply, HttpError> {
        self.send(Method::GET, url, None, None).await
    }

    /// `POST url` with an `application/x-www-form-urlencoded` body; `basic` sends a
    /// client id and secret as HTTP Basic authentication (RFC 6749 s.2.3.1: each
    /// form-encoded first).
    pub async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> Result<Reply, HttpError> {
        let body = form_encode(form);
        let authorization = basic.map(|(id, secret)| {
            let pair = format!("{}:{}", form_value(id), form_value(secret));
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
        });
        self.send(Method::POST, url, Some(body), authorization).await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        form: Option<String>,
        authorization: Option<String>,
    ) -> Result<Reply, HttpError> {
        let target = Target::parse(url).map_err(HttpError::Address)?;
        let authority = target.authority.clone();
        let mut request = Request::builder()
            .method(method)
            .uri(target.path.as_str())
            .header(HOST, target.authority.as_str())
            .header(USER_AGENT, concat!("pcplan/", env!("CARGO_PKG_VERSION")))
            .header(ACCEPT, "application/json")
            .header(CONNECTION, "close");
        if let Some(value) = authorization {
            let mut value = HeaderValue::from_str(&value)
                .map_err(|_| HttpError::Address(String::from("the client id or secret cannot be sent in a header")))?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        let body = match form {
            Some(form) => {
                request = request
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(CONTENT_LENGTH, form.len());
                Bytes::from(form)
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(body))
            .map_err(|e| HttpError::Address(format!("building a request to {authority}: {e}")))?;
        match tokio::time::timeout(TIMEOUT, self.exchange(&target, request)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout { authority }),
        }
    }

    async fn exchange(&self, target: &Target, request: Request<Full<Bytes>>) -> Result<Reply, HttpError> {
        let authority = target.authority.clone();
        let connect_error = |cause: String| HttpError::Connect { authority: authority.clone(), cause };
        let tcp = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| connect_error(e.to_string()))?;
        if !target.https {
            return over(tcp, request, &authority).await;
        }
        let name = rustls::pki_types::ServerName::try_from(target.host.clone())
            .map_err(|e| connect_error(format!("`{}` is not a host name: {e}", target.host)))?;
        let tls = self
            .tls
            .connect(name, tcp)
            .await
            .map_err(|e| HttpError::Tls { authority: authority.clone(), cause: e.to_string() })?;
        over(tls, request, &authority).await
    }
}

/// Ends a spawned task when dropped: the connection's task must not outlive a request
/// that timed out, or a provider that never answers would keep sockets open.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends one request over an open connection and reads the answer, at most
/// [`MAX_BODY_BYTES`] of it.
async fn over<S>(io: S, request: Request<Full<Bytes>>, authority: &str) -> Result<Reply, HttpError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let protocol = |cause: String| HttpError::Protocol { authority: authority.to_string(), cause };
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(io)).await.map_err(|e| protocol(e.to_string()))?;
    let _connection = AbortOnDrop(tokio::spawn(async move {
        // Its error, if any, is the one `send_request` or the body read reports.
        let _ = connection.await;
    }));
    let response = sender.send_request(request).await.map_err(|e| protocol(e.to_string()))?;
    let status = response.status();
    let declared =
        response.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(HttpError::TooLarge { authority: authority.to_string() });
    }
    let body = Limited::new(response.into_body(), MAX_BODY_BYTES).collect().await.map_err(|e| {
        if e.is::<http_body_util::LengthLimitError>() {
            HttpError::TooLarge { authority: authority.to_string() }
        } else {
            protocol(e.to_string())
        }
    })?;
    Ok(Reply { status, body: body.to_bytes() })
}

/// `application/x-www-form-urlencoded` encoding of one value: unreserved characters as
/// they are, everything else percent-encoded (a space too, never `+`, which every
/// server reads the same way).
pub fn form_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A form body or a query string from its pairs.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", form_value(name), form_value(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = include_str!("../../tests/data/oidc-test-ca.pem");
    const CERT: &str = include_str!("../../tests/data/oidc-test-tls-cert.pem");
    const KEY: &str = include_str!("../../tests/data/oidc-test-tls-key.pem");

    /// A one-route HTTPS server on 127.0.0.1 with the test certificate; its port.
    async fn https_server() -> u16 {
        use rustls::pki_types::PrivateKeyDer;
        use rustls::pki_types::pem::PemObject;
        let chain = read_certificates(CERT.as_bytes()).expect("the test certificate");
        let key = PrivateKeyDer::from_pem_slice(KEY.as_bytes()).expect("the test key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("the certificate and key match");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let service =
                        hyper::service::service_fn(|request: hyper::Request<hyper::body::Incoming>| async move {
                            let body = format!("{{\"path\": \"{}\"}}", request.uri().path());
                            Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from(body))))
                        });
                    let _ =
                        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tls), service).await;
                });
            }
        });
        port
    }

    #[tokio::test]
    async fn https_works_with_a_trusted_authority_and_is_refused_without_it() {
        let port = https_server().await;
        let ca = read_certificates(CA.as_bytes()).expect("the test CA");
        for host in ["localhost", "127.0.0.1"] {
            let url = format!("https://{host}:{port}/tenant/keys");
            let trusted = HttpClient::new(&ca).expect("client").get(&url).await.expect("an answer over TLS");
            assert_eq!(trusted.status, StatusCode::OK);
            assert_eq!(&trusted.body[..], br#"{"path": "/tenant/keys"}"#);
            let refused = HttpClient::new(&[]).expect("client").get(&url).await.expect_err("an unknown issuer");
            assert!(matches!(&refused, HttpError::Tls { cause, .. } if cause.contains("UnknownIssuer")), "{refused}");
        }
    }

    #[test]
    fn a_file_without_certificates_is_refused() {
        assert!(read_certificates(KEY.as_bytes()).is_err());
        assert_eq!(read_certificates(CA.as_bytes()).expect("one").len(), 1);
    }

    #[test]
    fn only_https_or_loopback_http_addresses_are_accepted() {
        let ok = Target::parse("https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration")
            .expect("https is fine");
        assert_eq!((ok.https, ok.host.as_str(), ok.port), (true, "login.microsoftonline.com", 443));
        assert_eq!(ok.path, "/tenant/v2.0/.well-known/openid-configuration");
        let local = Target::parse("http://127.0.0.1:8123/token").expect("loopback http is fine");
        assert_eq!((local.https, local.port, local.authority.as_str()), (false, 8123, "127.0.0.1:8123"));
        let six = Target::parse("http://[::1]:9000/").expect("IPv6 loopback");
        assert_eq!(six.host, "::1");
        assert!(Target::parse("http://localhost/x").is_ok());
        for bad in [
            "http://login.example.org/token",
            "http://10.0.0.1/token",
            "ftp://example.org/",
            "/relative/path",
            "https://user:pass@example.org/",
            "not a url",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} must be refused");
        }
        let message = Target::parse("http://idp.example.org/").expect_err("plain http");
        assert!(message.contains("https"), "{message}");
    }

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(form_encode(&[("a b", "x+y/z=&")]), "a%20b=x%2By%2Fz%3D%26");
        assert_eq!(form_value("Ab9-._~"), "Ab9-._~");
    }
}
