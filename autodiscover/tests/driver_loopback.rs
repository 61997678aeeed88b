//! The async driver runs discovery to completion over real loopback HTTPS: a certificate made at
//! test time, trusted only by this test's client, a minimal HTTP/1.1 server and client over
//! tokio-rustls, one trusted 30x redirect and one in-band redirect that needs (and gets) the user's
//! confirmation. The server checks credentials and records which hosts received them.

use std::sync::{Arc, Mutex};

use autodiscover::driver::{self, Confirmer, DeclineAll, HttpTransport, NoSrv};
use autodiscover::{
    AttemptOutcome, AuthScheme, Autodiscover, Config, ConfirmRedirect, CredentialGrant, Error,
    PublicSuffix, RedirectReason, TransportErrorKind,
};
use bytes::Bytes;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "loopback-test-token";
const HOSTS: [&str; 3] = [
    "contoso.test",
    "autodiscover.contoso.test",
    "autodiscover-s.hosted.example",
];
const EWS: &str = "https://mail.contoso.test/EWS/Exchange.asmx";

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// What the server saw: (SNI host, method, path, whether an Authorization header came).
type Log = Arc<Mutex<Vec<(String, String, String, bool)>>>;

struct Server {
    port: u16,
    log: Log,
    cert: CertificateDer<'static>,
}

async fn start_server() -> Server {
    let certified =
        rcgen::generate_simple_self_signed(HOSTS.map(String::from).to_vec()).expect("certificate");
    let cert = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .expect("server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("local addr").port();
    let log: Log = Arc::default();
    let server_log = log.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let log = server_log.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let sni = tls.get_ref().1.server_name().unwrap_or_default().to_owned();
                let Some((head, body)) = read_message(&mut tls).await else {
                    return;
                };
                let mut lines = head.lines();
                let mut request_line = lines.next().unwrap_or_default().split(' ');
                let method = request_line.next().unwrap_or_default().to_owned();
                let path = request_line.next().unwrap_or_default().to_owned();
                let authorization = lines
                    .filter_map(|l| l.split_once(':'))
                    .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
                    .map(|(_, v)| v.trim().to_owned());
                log.lock().unwrap().push((
                    sni.clone(),
                    method,
                    path.clone(),
                    authorization.is_some(),
                ));
                let (status, headers, body) = route(&sni, &path, authorization.as_deref(), &body);
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Server { port, log, cert }
}

/// The scripted Exchange: a 30x inside the domain, then an in-band redirect out of it.
fn route(
    host: &str,
    path: &str,
    authorization: Option<&str>,
    body: &[u8],
) -> (String, String, String) {
    if authorization != Some(&format!("Bearer {TOKEN}")) {
        return (
            "401 Unauthorized".into(),
            "WWW-Authenticate: Bearer\r\n".into(),
            String::new(),
        );
    }
    let body = String::from_utf8_lossy(body);
    if !body.contains("<a:Mailbox>mara@contoso.test</a:Mailbox>") {
        return ("400 Bad Request".into(), String::new(), String::new());
    }
    match (host, path) {
        ("contoso.test", "/autodiscover/autodiscover.svc") => (
            "302 Found".into(),
            "Location: https://autodiscover.contoso.test/autodiscover/autodiscover.svc\r\n".into(),
            String::new(),
        ),
        ("autodiscover.contoso.test", "/autodiscover/autodiscover.svc") => (
            "200 OK".into(),
            "Content-Type: text/xml; charset=utf-8\r\n".into(),
            soap_user_response(
                "RedirectUrl",
                "<RedirectTarget>https://autodiscover-s.hosted.example/autodiscover/autodiscover.svc</RedirectTarget>",
            ),
        ),
        ("autodiscover-s.hosted.example", "/autodiscover/autodiscover.svc") => (
            "200 OK".into(),
            "Content-Type: text/xml; charset=utf-8\r\n".into(),
            soap_user_response(
                "NoError",
                &format!(
                    "<UserSettings><UserSetting><Name>ExternalEwsUrl</Name><Value>{EWS}</Value></UserSetting></UserSettings>"
                ),
            ),
        ),
        _ => ("404 Not Found".into(), String::new(), String::new()),
    }
}

fn soap_user_response(code: &str, inner: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetUserSettingsResponseMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover"><Response><ErrorCode>NoError</ErrorCode><UserResponses><UserResponse><ErrorCode>{code}</ErrorCode><ErrorMessage/>{inner}</UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#
    )
}

/// Reads an HTTP/1.1 head and a `Content-Length` body (bounded).
async fn read_message<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length.min(1 << 20) {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

/// The test's client: every host resolves to the loopback server; TLS trusts only the test
/// certificate; credentials (a bearer token) go only where the machine's grant permits.
#[derive(Clone)]
struct LoopbackTransport {
    port: u16,
    tls: Arc<rustls::ClientConfig>,
}

impl LoopbackTransport {
    fn new(server: &Server) -> Self {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(server.cert.clone())
            .expect("trust the test certificate");
        let tls = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self {
            port: server.port,
            tls: Arc::new(tls),
        }
    }

    async fn exchange(
        &self,
        request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> Result<http::Response<Bytes>, TransportErrorKind> {
        let uri = request.uri().clone();
        if uri.scheme_str() != Some("https") {
            return Err(TransportErrorKind::Connect);
        }
        let host = uri.host().ok_or(TransportErrorKind::Other)?.to_owned();
        let tcp = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .map_err(|_| TransportErrorKind::Connect)?;
        let name = ServerName::try_from(host.clone()).map_err(|_| TransportErrorKind::Other)?;
        let connector = tokio_rustls::TlsConnector::from(self.tls.clone());
        let mut tls = connector
            .connect(name, tcp)
            .await
            .map_err(|_| TransportErrorKind::Tls)?;
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
            request.method(),
            uri.path_and_query().map_or("/", |p| p.as_str()),
            request.body().len()
        );
        for (name, value) in request.headers() {
            head.push_str(&format!(
                "{name}: {}\r\n",
                value.to_str().unwrap_or_default()
            ));
        }
        if let Some(grant) = credentials {
            if grant.permits(&uri) && grant.schemes().contains(&AuthScheme::Bearer) {
                head.push_str(&format!("Authorization: Bearer {TOKEN}\r\n"));
            }
        }
        head.push_str("\r\n");
        tls.write_all(head.as_bytes())
            .await
            .map_err(|_| TransportErrorKind::Other)?;
        tls.write_all(request.body())
            .await
            .map_err(|_| TransportErrorKind::Other)?;
        let (head, body) = read_message(&mut tls)
            .await
            .ok_or(TransportErrorKind::Other)?;
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or(TransportErrorKind::Other)?;
        let mut response = http::Response::builder().status(status);
        for (name, value) in lines.filter_map(|l| l.split_once(':')) {
            response = response.header(name.trim(), value.trim());
        }
        response
            .body(Bytes::from(body))
            .map_err(|_| TransportErrorKind::Other)
    }
}

impl HttpTransport for LoopbackTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportErrorKind>> + Send {
        let credentials = credentials.cloned();
        let this = self.clone();
        async move { this.exchange(request, credentials.as_ref()).await }
    }
}

/// Accepts every prompt and remembers it, with the number of requests the server had seen then.
#[derive(Clone)]
struct AcceptAndRecord {
    prompts: Arc<Mutex<Vec<(ConfirmRedirect, usize)>>>,
    log: Log,
}

impl Confirmer for AcceptAndRecord {
    fn confirm(&self, prompt: &ConfirmRedirect) -> impl Future<Output = bool> + Send {
        let seen = self.log.lock().unwrap().len();
        self.prompts.lock().unwrap().push((prompt.clone(), seen));
        std::future::ready(true)
    }
}

fn machine() -> Autodiscover {
    let config = Config::new("mara@contoso.test", PublicSuffix::mozilla())
        .expect("config")
        .with_auth(vec![AuthScheme::Bearer])
        .with_http_probe(false);
    Autodiscover::new(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn driver_discovers_over_loopback_https_with_a_redirect_and_a_confirmation() {
    let server = start_server().await;
    let confirmer = AcceptAndRecord {
        prompts: Arc::default(),
        log: server.log.clone(),
    };
    // Run in the background, as callers may.
    let task = tokio::spawn(driver::run(
        machine(),
        LoopbackTransport::new(&server),
        NoSrv,
        confirmer.clone(),
    ));
    let success = task
        .await
        .expect("driver task")
        .expect("discovery succeeds");

    assert_eq!(success.ews_url.as_str(), EWS);
    assert_eq!(
        success.autodiscover_endpoint.as_str(),
        "https://autodiscover-s.hosted.example/autodiscover/autodiscover.svc"
    );
    let log = server.log.lock().unwrap().clone();
    let hosts: Vec<&str> = log.iter().map(|(h, ..)| h.as_str()).collect();
    assert_eq!(
        hosts, HOSTS,
        "30x to autodiscover.D, then the confirmed foreign host"
    );
    assert!(log.iter().all(|(_, method, path, auth)| method == "POST"
        && path == "/autodiscover/autodiscover.svc"
        && *auth));
    let prompts = confirmer.prompts.lock().unwrap().clone();
    assert_eq!(
        prompts.len(),
        1,
        "only the foreign host needs a confirmation"
    );
    let (prompt, seen_before) = &prompts[0];
    assert_eq!(prompt.reason, RedirectReason::InBandRedirect);
    assert_eq!(prompt.from_domain, "contoso.test");
    assert_eq!(
        prompt.target,
        "https://autodiscover-s.hosted.example/autodiscover/autodiscover.svc"
    );
    assert_eq!(
        *seen_before, 2,
        "the foreign host was not contacted before the accept"
    );
}

#[tokio::test]
async fn declining_the_confirmation_keeps_the_foreign_host_uncontacted() {
    let server = start_server().await;
    let error = driver::run(
        machine(),
        LoopbackTransport::new(&server),
        NoSrv,
        DeclineAll,
    )
    .await
    .expect_err("nothing else answers");
    assert!(matches!(error, Error::AutodiscoverFailed { .. }), "{error}");
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.iter().all(|(host, ..)| host.ends_with("contoso.test")),
        "{log:?}"
    );
    assert!(
        error.to_string().contains("declined by the user"),
        "{error}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_failure() {
    let server = start_server().await;
    let other = start_server().await;
    // A client that trusts a different test certificate.
    let mut transport = LoopbackTransport::new(&other);
    transport.port = server.port;
    let error = driver::run(machine(), transport, NoSrv, DeclineAll)
        .await
        .expect_err("TLS fails");
    let https: Vec<_> = error
        .attempts()
        .iter()
        .filter(|a| a.url.starts_with("https://"))
        .collect();
    assert_eq!(https.len(), 2, "{error}");
    assert!(
        https
            .iter()
            .all(|a| a.outcome == AttemptOutcome::Transport(TransportErrorKind::Tls)),
        "{error}"
    );
    assert!(server.log.lock().unwrap().is_empty());
}
