//! Test support: a small HTTP/1.1 client over hyper (plain or TLS, one connection per request or a
//! kept-alive connection for NTLM), EWS helpers over `ews-types`, and an NTLMv2 client.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use ews_types::operations::{AnyResponse, Operation};
use ews_types::soap::{ExchangeVersion, Impersonation, RequestHeader, request_envelope};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The id of the first item of the first message of a response (CreateItem, UpdateItem, MoveItem...).
#[macro_export]
macro_rules! first_id {
    ($response:expr) => {
        $response
            .into_results()
            .remove(0)
            .unwrap()
            .items
            .unwrap()
            .remove(0)
            .id()
            .unwrap()
            .clone()
    };
}

/// Alice, Bob (passwords `alice-pw`, `bob-pw`) and the service account `svc@contoso.example`
/// (`svc-pw`).
pub async fn alice_bob_and_service_account() -> exchange_sim::Simulator {
    exchange_sim::Simulator::builder()
        .user("alice@contoso.example", "alice-pw")
        .user("bob@contoso.example", "bob-pw")
        .service_account("svc@contoso.example", "svc-pw")
        .start()
        .await
        .unwrap()
}

/// A kept-alive HTTP/1.1 connection.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
}

/// Opens a connection to the authority of `url`, over TLS trusting `certificate` when it is https.
pub async fn connect(url: &str, certificate: Option<&[u8]>) -> std::io::Result<Connection> {
    let uri: http::Uri = url.parse().map_err(std::io::Error::other)?;
    let authority = uri.authority().map(|a| a.to_string()).unwrap_or_default();
    connect_via(&authority, url, certificate).await
}

/// Opens a connection to `address` (host:port) for `url`: TLS names the URL's host, so a test can
/// reach `https://autodiscover.contoso.example/...` on the simulator's loopback port.
pub async fn connect_via(
    address: &str,
    url: &str,
    certificate: Option<&[u8]>,
) -> std::io::Result<Connection> {
    let uri: http::Uri = url.parse().map_err(std::io::Error::other)?;
    let tcp = TcpStream::connect(address).await?;
    let sender = if uri.scheme_str() == Some("https") {
        let mut roots = rustls::RootCertStore::empty();
        if let Some(der) = certificate {
            roots
                .add(rustls::pki_types::CertificateDer::from(der.to_vec()))
                .map_err(std::io::Error::other)?;
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let host = uri.host().unwrap_or("localhost").to_owned();
        let name = rustls::pki_types::ServerName::try_from(host).map_err(std::io::Error::other)?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await?;
        handshake(TokioIo::new(tls)).await?
    } else {
        handshake(TokioIo::new(tcp)).await?
    };
    Ok(Connection { sender })
}

async fn handshake<I>(io: I) -> std::io::Result<SendRequest<Full<Bytes>>>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(std::io::Error::other)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

impl Connection {
    /// Sends one request on this connection and returns the response with its body still arriving.
    pub async fn send_streaming(
        &mut self,
        request: http::Request<Bytes>,
    ) -> std::io::Result<http::Response<hyper::body::Incoming>> {
        let authority = request.uri().authority().map(|a| a.to_string());
        let (mut parts, body) = request.into_parts();
        if let Some(authority) = authority {
            if let Ok(host) = http::HeaderValue::from_str(&authority) {
                parts.headers.entry(http::header::HOST).or_insert(host);
            }
        }
        // hyper's client wants the path only on the request line.
        if let Some(path) = parts.uri.path_and_query() {
            parts.uri = path.as_str().parse().map_err(std::io::Error::other)?;
        }
        let request = http::Request::from_parts(parts, Full::new(body));
        self.sender.ready().await.map_err(std::io::Error::other)?;
        self.sender
            .send_request(request)
            .await
            .map_err(std::io::Error::other)
    }

    /// Sends one request on this connection.
    pub async fn send(
        &mut self,
        request: http::Request<Bytes>,
    ) -> std::io::Result<http::Response<Bytes>> {
        let response = self.send_streaming(request).await?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        Ok(http::Response::from_parts(parts, body))
    }
}

/// Sends a request on a fresh connection.
pub async fn send(
    request: http::Request<Bytes>,
    certificate: Option<&[u8]>,
) -> std::io::Result<http::Response<Bytes>> {
    let url = request.uri().to_string();
    connect(&url, certificate).await?.send(request).await
}

/// `Authorization: Basic ...` for a user and password.
pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// An EWS request for `op` with `header`, authorized with `authorization`.
pub fn ews_request<O: Operation>(
    url: &str,
    header: &RequestHeader,
    op: &O,
    authorization: &str,
) -> http::Request<Bytes> {
    let mut request = http::Request::post(url)
        .header("content-type", "text/xml; charset=utf-8")
        .body(Bytes::from(request_envelope(header, op)))
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", authorization.parse().unwrap());
    request
}

/// The header every test sends.
pub fn header() -> RequestHeader {
    RequestHeader::new(ExchangeVersion::Exchange2013Sp1)
}

/// The header of a request impersonating `address`.
pub fn impersonating(address: &str) -> RequestHeader {
    header().impersonating(Impersonation::PrimarySmtpAddress(address.to_owned()))
}

/// What an EWS call returned: a typed response or a SOAP fault, with the HTTP status.
#[derive(Debug)]
pub enum Answer {
    Response(AnyResponse),
    Fault(ews_types::soap::SoapFault),
    Http(u16, String),
}

impl Answer {
    pub fn response(self) -> AnyResponse {
        match self {
            Answer::Response(r) => r,
            other => panic!("expected a response, got {other:?}"),
        }
    }

    pub fn fault_code(&self) -> Option<String> {
        match self {
            Answer::Fault(f) => Some(f.code().as_str().to_owned()),
            _ => None,
        }
    }
}

/// Sends an EWS request and parses the answer as the operation's response (panics on anything else).
pub async fn typed<O: Operation>(
    url: &str,
    header: &RequestHeader,
    op: &O,
    authorization: &str,
) -> O::Response {
    let response = send(ews_request(url, header, op, authorization), None)
        .await
        .expect("send");
    ews_types::soap::parse_response::<O::Response>(response.body())
        .expect("an EWS response of the operation")
        .body
}

/// Sends an EWS request and reads the answer.
pub async fn call<O: Operation>(
    url: &str,
    header: &RequestHeader,
    op: &O,
    authorization: &str,
) -> Answer {
    let response = send(ews_request(url, header, op, authorization), None)
        .await
        .expect("send");
    read(&response)
}

/// Reads an EWS HTTP answer.
pub fn read(response: &http::Response<Bytes>) -> Answer {
    let status = response.status().as_u16();
    if status != 200 && status != 500 {
        return Answer::Http(
            status,
            String::from_utf8_lossy(response.body()).into_owned(),
        );
    }
    match AnyResponse::parse(response.body()) {
        Ok((_, r)) => Answer::Response(r),
        Err(ews_types::Error::SoapFault(f)) => Answer::Fault(*f),
        Err(e) => panic!("unparseable EWS answer ({status}): {e}"),
    }
}

pub mod ntlm {
    //! The client side of NTLMv2, to test the server side.

    use hmac::{Hmac, Mac};
    use md4::{Digest, Md4};

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn hmac_md5(key: &[u8], data: &[&[u8]]) -> Vec<u8> {
        let mut mac = Hmac::<md5::Md5>::new_from_slice(key).unwrap();
        for d in data {
            mac.update(d);
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// A NEGOTIATE_MESSAGE (unicode, NTLM, extended session security).
    pub fn negotiate() -> Vec<u8> {
        let mut m = b"NTLMSSP\0".to_vec();
        m.extend(1u32.to_le_bytes());
        m.extend((0x0000_0001u32 | 0x0000_0200 | 0x0008_0000 | 0x0000_0004).to_le_bytes());
        m.extend([0u8; 16]);
        m
    }

    /// The server challenge and target info of a CHALLENGE_MESSAGE.
    pub fn read_challenge(message: &[u8]) -> ([u8; 8], Vec<u8>) {
        assert_eq!(&message[..8], b"NTLMSSP\0");
        assert_eq!(u32::from_le_bytes(message[8..12].try_into().unwrap()), 2);
        let challenge: [u8; 8] = message[24..32].try_into().unwrap();
        let len = u16::from_le_bytes(message[40..42].try_into().unwrap()) as usize;
        let offset = u32::from_le_bytes(message[44..48].try_into().unwrap()) as usize;
        (challenge, message[offset..offset + len].to_vec())
    }

    /// An AUTHENTICATE_MESSAGE with an NTLMv2 response for `password`.
    pub fn authenticate(
        user: &str,
        domain: &str,
        password: &str,
        challenge: [u8; 8],
        target_info: &[u8],
    ) -> Vec<u8> {
        let nt_hash = Md4::digest(utf16(password));
        let key = hmac_md5(
            &nt_hash,
            &[&utf16(&format!("{}{domain}", user.to_uppercase()))],
        );
        let mut blob = vec![1u8, 1, 0, 0, 0, 0, 0, 0];
        blob.extend(0x01D9_0000_0000_0000u64.to_le_bytes());
        blob.extend([0x5a; 8]);
        blob.extend([0u8; 4]);
        blob.extend_from_slice(target_info);
        blob.extend([0u8; 4]);
        let proof = hmac_md5(&key, &[&challenge, &blob]);
        let mut nt = proof;
        nt.extend(blob);
        let lm = vec![0u8; 24];
        let domain = utf16(domain);
        let user = utf16(user);
        let workstation = utf16("TESTHOST");
        let mut payload_offset = 64u32;
        let mut header = b"NTLMSSP\0".to_vec();
        header.extend(3u32.to_le_bytes());
        let mut payload = Vec::new();
        for field in [&lm, &nt, &domain, &user, &workstation, &Vec::new()] {
            let len = field.len() as u16;
            header.extend(len.to_le_bytes());
            header.extend(len.to_le_bytes());
            header.extend(payload_offset.to_le_bytes());
            payload.extend_from_slice(field);
            payload_offset += field.len() as u32;
        }
        header.extend((0x0000_0001u32 | 0x0000_0200 | 0x0008_0000).to_le_bytes());
        assert_eq!(header.len(), 64);
        header.extend(payload);
        header
    }
}
