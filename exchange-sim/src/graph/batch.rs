//! JSON `$batch`: up to 20 requests, answered in order, with `dependsOn` (424 when a dependency failed)
//! and faults injected per item (a 429 inside a 200 batch, as Graph throttles).

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::{error, ok_json};
use crate::faults::RequestFacts;
use crate::log::Endpoint;
use crate::server::{Exchange, Principal, lock};

/// The most requests one batch may hold.
const MAX_REQUESTS: usize = 20;

fn item_request(entry: &Value) -> Result<http::Request<Bytes>, String> {
    let method = entry
        .get("method")
        .and_then(Value::as_str)
        .ok_or("a request has no method")?;
    let url = entry
        .get("url")
        .and_then(Value::as_str)
        .ok_or("a request has no url")?;
    if url.contains("://") {
        return Err("batch request urls must be relative".into());
    }
    let path = format!("/v1.0/{}", url.trim_start_matches('/'));
    let mut builder = http::Request::builder().method(method).uri(path);
    if let Some(headers) = entry.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            if let Some(value) = value.as_str() {
                builder = builder.header(name.as_str(), value);
            }
        }
    }
    let body = match entry.get("body") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(s)) => Bytes::from(s.clone()),
        Some(other) => Bytes::from(other.to_string()),
    };
    builder
        .body(body)
        .map_err(|e| format!("a request is not valid: {e}"))
}

fn item_response(id: &str, response: &http::Response<Bytes>) -> Value {
    let mut headers = Map::new();
    for name in [
        "content-type",
        "retry-after",
        "location",
        "preference-applied",
        "etag",
    ] {
        if let Some(value) = response.headers().get(name).and_then(|v| v.to_str().ok()) {
            headers.insert(name.to_owned(), Value::String(value.to_owned()));
        }
    }
    let body = serde_json::from_slice::<Value>(response.body()).unwrap_or(Value::Null);
    let mut out = json!({"id": id, "status": response.status().as_u16(), "headers": headers});
    if !body.is_null() {
        out["body"] = body;
    }
    out
}

/// Answers a `$batch`.
pub(crate) fn handle(
    exchange: &mut Exchange<'_>,
    request: &http::Request<Bytes>,
    principal: &Principal,
) -> http::Response<Bytes> {
    let Ok(envelope) = serde_json::from_slice::<Value>(request.body()) else {
        return error(400, "BadRequest", "The batch body is not JSON.");
    };
    let Some(requests) = envelope.get("requests").and_then(Value::as_array) else {
        return error(400, "BadRequest", "The batch body has no requests.");
    };
    if requests.is_empty() || requests.len() > MAX_REQUESTS {
        return error(
            400,
            "BadRequest",
            &format!(
                "A batch holds 1 to {MAX_REQUESTS} requests, got {}.",
                requests.len()
            ),
        );
    }
    let mut statuses: Vec<(String, u16)> = Vec::new();
    let mut responses = Vec::new();
    for entry in requests {
        let id = match entry.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return error(400, "BadRequest", "Every batch request needs an id."),
        };
        if statuses
            .iter()
            .any(|(seen, _)| seen.eq_ignore_ascii_case(&id))
        {
            return error(
                400,
                "BadRequest",
                &format!("The batch request id {id:?} is not unique."),
            );
        }
        let depends: Vec<String> = super::strings(entry, "dependsOn");
        let failed_dependency = depends.iter().any(|d| {
            statuses
                .iter()
                .find(|(seen, _)| seen.eq_ignore_ascii_case(d))
                .is_none_or(|(_, status)| *status >= 400)
        });
        let response = if failed_dependency {
            error(
                424,
                "FailedDependency",
                "A request this one depends on failed.",
            )
        } else {
            match item_request(entry) {
                Err(message) => error(400, "BadRequest", &message),
                Ok(inner) => {
                    let path = inner
                        .uri()
                        .path()
                        .strip_prefix("/v1.0/")
                        .unwrap_or_default()
                        .to_owned();
                    let (operation, is_delta) = super::operation_name(inner.method(), &path);
                    let fault = lock(&exchange.shared.faults).pick(&RequestFacts {
                        endpoint: Endpoint::Graph,
                        operation: &operation,
                        method: inner.method().as_str(),
                        is_delta,
                    });
                    match fault {
                        Some(crate::faults::Fault::Throttled { retry_after }) => {
                            crate::server::with_header(
                                error(
                                    429,
                                    "TooManyRequests",
                                    "Application is over its MailboxConcurrency limit.",
                                ),
                                "retry-after",
                                &crate::faults::retry_after_seconds(retry_after),
                            )
                        }
                        Some(crate::faults::Fault::ServiceUnavailable) => error(
                            503,
                            "ServiceUnavailable",
                            "The service is temporarily unavailable.",
                        ),
                        other => super::answer(
                            exchange.shared,
                            principal,
                            other,
                            &inner,
                            &mut exchange.mailbox,
                        ),
                    }
                }
            }
        };
        statuses.push((id.clone(), response.status().as_u16()));
        responses.push(item_response(&id, &response));
    }
    ok_json(200, &json!({"responses": responses}))
}
