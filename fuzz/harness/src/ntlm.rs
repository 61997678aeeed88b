//! The NTLM challenge parser of `ews-client`, driven through its public API.
//!
//! The parser is private to the client, so the target does what a hostile server can: it answers the
//! client's NTLM negotiate with `401` and `WWW-Authenticate: NTLM <base64 of the input>`, and answers an
//! authenticate message with a GetFolder response. The client runs on an in-memory transport, a
//! manual clock and a minimal executor (no IO, no sleeping: retries are off).
//!
//! Checked beyond "no panic": the password never travels, in UTF-8 or UTF-16, in any request header
//! or body, and never shows in the error; the client's second request, when it sends one, carries an
//! NTLM AUTHENTICATE message (type 3); a success means exactly the two requests of the handshake
//! (negotiate, then authenticate with the operation) were sent.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use ews_client::{ClientBuilder, Credentials, ManualClock, RetryPolicy, Transport, TransportError};
use ews_types::folders::{Folder, FolderKind};
use ews_types::operations::{GetFolder, GetFolderMessage, GetFolderResponse};
use ews_types::response::ResponseMessage;
use ews_types::soap::response_envelope;
use ews_types::types::DistinguishedFolderName;
use http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};

use crate::Seed;

const ENDPOINT: &str = "https://mail.contoso.example/EWS/Exchange.asmx";
const PASSWORD: &str = "Pa55-w0rd-never-sent";

/// Answers the client's negotiate with the challenge `data`; panics when an invariant breaks.
pub fn check_challenge(data: &[u8]) {
    run_challenge(data);
}

/// How a handshake against one challenge went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handshake {
    /// Requests the client sent.
    pub requests: usize,
    /// Whether the operation succeeded.
    pub authenticated: bool,
}

/// [`check_challenge`], returning how the handshake went.
pub fn run_challenge(data: &[u8]) -> Handshake {
    let transport = Arc::new(ChallengeServer {
        challenge: BASE64.encode(data),
        requests: Mutex::new(Vec::new()),
    });
    let client = ClientBuilder::new(ENDPOINT, Credentials::ntlm("CONTOSO\\svc", PASSWORD))
        .retry_policy(RetryPolicy::never())
        .negotiate_version(false)
        .build(Arc::clone(&transport), ManualClock::new())
        .unwrap_or_else(|e| panic!("the client does not build: {e}"));
    let result =
        block_on(client.execute(&GetFolder::distinguished(DistinguishedFolderName::Inbox)));
    let requests = transport
        .requests
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    let utf16: Vec<u8> = PASSWORD
        .encode_utf16()
        .flat_map(|unit| unit.to_le_bytes())
        .collect();
    for (leg, (headers, body)) in requests.iter().enumerate() {
        for text in headers.iter().map(String::as_bytes).chain([body.as_ref()]) {
            let decoded = text
                .strip_prefix(b"NTLM ")
                .and_then(|token| BASE64.decode(token).ok())
                .unwrap_or_default();
            for haystack in [text, decoded.as_slice()] {
                assert!(
                    !contains(haystack, PASSWORD.as_bytes()) && !contains(haystack, &utf16),
                    "request {leg} carries the password"
                );
            }
        }
    }
    if let Some((headers, _)) = requests.get(1) {
        let token = headers
            .iter()
            .find_map(|h| h.strip_prefix("authorization: NTLM "))
            .unwrap_or_else(|| panic!("the second request has no NTLM authorization: {headers:?}"));
        let message = BASE64
            .decode(token)
            .unwrap_or_else(|e| panic!("the authenticate message is not base64: {e}"));
        assert!(
            message.starts_with(b"NTLMSSP\0\x03\0\0\0"),
            "the second request is not an NTLM AUTHENTICATE message"
        );
    }
    match &result {
        Ok(_) => assert_eq!(requests.len(), 2, "a success outside the NTLM handshake"),
        Err(error) => {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(PASSWORD), "the error shows the password");
        }
    }
    Handshake {
        requests: requests.len(),
        authenticated: result.is_ok(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A server that challenges every negotiate with the fuzzed message and accepts every authenticate.
struct ChallengeServer {
    challenge: String,
    /// Every request: its headers as `name: value` lines, and its body.
    requests: Mutex<Vec<(Vec<String>, Bytes)>>,
}

impl Transport for ChallengeServer {
    type Connection = ();

    async fn connect(&self, _: &http::Uri) -> Result<(), TransportError> {
        Ok(())
    }

    async fn send(
        &self,
        _: &mut (),
        request: http::Request<Bytes>,
        _: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let headers: Vec<String> = request
            .headers()
            .iter()
            .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
            .collect();
        let leg = match self.requests.lock() {
            Ok(mut requests) => {
                requests.push((headers, request.body().clone()));
                requests.len()
            }
            Err(_) => 0,
        };
        let authorization = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut response = http::Response::new(Bytes::new());
        if leg == 1 && authorization.starts_with("NTLM ") {
            *response.status_mut() = http::StatusCode::UNAUTHORIZED;
            if let Ok(value) = http::HeaderValue::from_str(&format!("NTLM {}", self.challenge)) {
                response.headers_mut().insert(WWW_AUTHENTICATE, value);
            }
        } else if authorization.starts_with("NTLM ") {
            *response.body_mut() = Bytes::from(inbox_response());
            response.headers_mut().insert(
                CONTENT_TYPE,
                http::HeaderValue::from_static("text/xml; charset=utf-8"),
            );
        } else {
            *response.status_mut() = http::StatusCode::UNAUTHORIZED;
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, http::HeaderValue::from_static("NTLM"));
        }
        Ok(response)
    }
}

fn inbox_response() -> Vec<u8> {
    let response = GetFolderResponse::new(vec![ResponseMessage::success(GetFolderMessage {
        folders: Some(vec![Folder::new(FolderKind::Folder, "Inbox")]),
    })]);
    response_envelope(None, &response)
}

/// Runs `future` to completion on this thread (the client's futures only wait on each other here).
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

// NegotiateFlags (MS-NLMP 2.2.2.5).
const UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NTLM: u32 = 0x0000_0200;
const ALWAYS_SIGN: u32 = 0x0000_8000;
const TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
const EXTENDED_SESSION_SECURITY: u32 = 0x0008_0000;
const TARGET_INFO: u32 = 0x0080_0000;
const VERSION: u32 = 0x0200_0000;
const KEY_128: u32 = 0x2000_0000;

/// A CHALLENGE message (MS-NLMP 2.2.1.2): header with version, target name, then AV pairs.
fn challenge(flags: u32, target_name: &str, pairs: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let name = utf16(target_name);
    let mut info = Vec::new();
    for (id, value) in pairs.iter().chain([&(0u16, Vec::new())]) {
        info.extend_from_slice(&id.to_le_bytes());
        info.extend_from_slice(&(value.len() as u16).to_le_bytes());
        info.extend_from_slice(value);
    }
    let header = 56u32;
    let field = |len: usize, offset: u32| -> Vec<u8> {
        let len = (len as u16).to_le_bytes();
        [&len[..], &len[..], &offset.to_le_bytes()[..]].concat()
    };
    let mut message = b"NTLMSSP\0".to_vec();
    message.extend_from_slice(&2u32.to_le_bytes());
    message.extend(field(name.len(), header));
    message.extend_from_slice(&flags.to_le_bytes());
    message.extend_from_slice(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
    message.extend_from_slice(&[0; 8]);
    message.extend(field(info.len(), header + name.len() as u32));
    message.extend_from_slice(&[10, 0, 0x61, 0x4a, 0, 0, 0, 15]);
    message.extend(name);
    message.extend(info);
    message
}

/// Challenges as Exchange sends them (with and without a timestamp), one without Unicode (refused),
/// one without target information, and a NEGOTIATE message where a challenge belongs.
pub fn challenge_seeds() -> Vec<Seed> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let exchange = UNICODE
        | REQUEST_TARGET
        | NTLM
        | ALWAYS_SIGN
        | TARGET_TYPE_DOMAIN
        | EXTENDED_SESSION_SECURITY
        | TARGET_INFO
        | VERSION
        | KEY_128;
    let names = vec![
        (2u16, utf16("CONTOSO")),
        (1, utf16("EXCH01")),
        (4, utf16("contoso.example")),
        (3, utf16("exch01.contoso.example")),
    ];
    let mut with_time = names.clone();
    with_time.push((7, 133_800_000_000_000_000u64.to_le_bytes().to_vec()));
    let mut negotiate = b"NTLMSSP\0".to_vec();
    negotiate.extend_from_slice(&1u32.to_le_bytes());
    negotiate.extend_from_slice(&(UNICODE | NTLM | REQUEST_TARGET).to_le_bytes());
    negotiate.extend_from_slice(&[0; 16]);
    vec![
        Seed::new(
            "exchange-with-timestamp.bin",
            challenge(exchange, "CONTOSO", &with_time),
        ),
        Seed::new(
            "exchange-without-timestamp.bin",
            challenge(exchange, "CONTOSO", &names),
        ),
        Seed::new(
            "oem-only.bin",
            challenge(exchange & !UNICODE, "CONTOSO", &names),
        ),
        Seed::new(
            "no-target-info.bin",
            challenge(exchange & !TARGET_INFO, "", &[]),
        ),
        Seed::new("negotiate-instead.bin", negotiate),
    ]
}
