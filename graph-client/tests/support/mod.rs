//! Test support: a scripted HTTP/1.1 server on 127.0.0.1, a transport that speaks HTTP/1.1 over a
//! tokio TcpStream, and a clock that records sleeps instead of waiting.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use graph_client::TransportError;
use graph_client::client::{Clock, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted response.
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Scripted {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Serves the scripted responses in order, one connection each, then stops accepting.
pub struct ScriptedServer {
    /// `http://127.0.0.1:PORT/v1.0`
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl ScriptedServer {
    /// Binds 127.0.0.1:0; `script` gets the base URL so links can point back at the server.
    pub async fn start(script: impl FnOnce(&str) -> Vec<Scripted>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1.0", listener.local_addr().unwrap());
        let responses = script(&base);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            for response in responses {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let Some(request) = read_request(&mut stream).await else {
                    return;
                };
                log.lock().unwrap().push(request);
                let mut head = format!("HTTP/1.1 {} Scripted\r\n", response.status);
                for (name, value) in &response.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!(
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    response.body.len()
                ));
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(response.body.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Self { base, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(position) = find(&buffer, b"\r\n\r\n") {
            break position;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// HTTP/1.1 over a fresh TCP connection per request (`connection: close`).
pub struct LoopbackTransport;

impl Transport for LoopbackTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let authority = request
            .uri()
            .authority()
            .ok_or_else(|| TransportError::new("no authority"))?
            .to_string();
        let mut stream = TcpStream::connect(&authority)
            .await
            .map_err(|error| TransportError::with_source("connect", error))?;
        let target = request
            .uri()
            .path_and_query()
            .map_or("/".to_owned(), ToString::to_string);
        let mut head = format!(
            "{} {target} HTTP/1.1\r\nhost: {authority}\r\n",
            request.method()
        );
        for (name, value) in request.headers() {
            head.push_str(&format!(
                "{name}: {}\r\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        head.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            request.body().len()
        ));
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|error| TransportError::with_source("write", error))?;
        stream
            .write_all(request.body())
            .await
            .map_err(|error| TransportError::with_source("write", error))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .map_err(|error| TransportError::with_source("read", error))?;
        let head_end =
            find(&raw, b"\r\n\r\n").ok_or_else(|| TransportError::new("no response head"))?;
        let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| TransportError::new("bad status line"))?;
        let mut builder = http::Response::builder().status(status);
        for (name, value) in lines.filter_map(|line| line.split_once(':')) {
            builder = builder.header(name.trim(), value.trim());
        }
        builder
            .body(Bytes::copy_from_slice(&raw[head_end + 4..]))
            .map_err(|error| TransportError::with_source("response", error))
    }
}

/// A clock that records every sleep and returns at once.
#[derive(Clone)]
pub struct RecordingClock {
    pub now: SystemTime,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl RecordingClock {
    pub fn new() -> Self {
        Self {
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            sleeps: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        self.now
    }

    fn sleep(&self, duration: Duration) -> impl std::future::Future<Output = ()> + Send {
        self.sleeps.lock().unwrap().push(duration);
        std::future::ready(())
    }
}

/// The corpus directory (`EXCHANGE_CORPUS_DIR`, else `<workspace>/../shared/corpus`), or `None` after
/// printing why the test is skipped.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
        PathBuf::from,
    );
    if dir.join("graph-docs/SOURCES.tsv").is_file() {
        Some(dir)
    } else {
        println!("skipped: corpus not found at {}", dir.display());
        None
    }
}
