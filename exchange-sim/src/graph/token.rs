//! The identity platform's endpoints, as graph-client's OAuth flows call them:
//! `/{tenant}/oauth2/v2.0/token` (client credentials, authorization code with PKCE, device code,
//! refresh), `/authorize` (signs in the user named by `login_hint` at once and redirects with a code)
//! and `/devicecode`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::server::{
    AuthorizationCode, DeviceSignIn, Exchange, Principal, lock, respond, with_header,
};

fn oauth_error(status: u16, code: &str, description: &str) -> http::Response<Bytes> {
    let body = json!({"error": code, "error_description": description, "error_codes": [], "timestamp": ""});
    respond(status, "application/json", body.to_string())
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn get<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn token_response(
    access: &str,
    refresh: Option<&str>,
    scope: &str,
    lifetime: u64,
) -> http::Response<Bytes> {
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    respond(200, "application/json", body.to_string())
}

/// Answers a token endpoint request (`what` is `token`, `authorize` or `devicecode`).
pub(crate) fn handle(
    exchange: &mut Exchange<'_>,
    request: &http::Request<Bytes>,
    what: &str,
) -> http::Response<Bytes> {
    match (request.method(), what) {
        (&http::Method::POST, "token") => token(exchange, &form(request.body())),
        (&http::Method::POST, "devicecode") => device_code(exchange, &form(request.body())),
        (&http::Method::GET, "authorize") => authorize(
            exchange,
            &form(request.uri().query().unwrap_or_default().as_bytes()),
        ),
        _ => oauth_error(404, "invalid_request", "Unknown endpoint."),
    }
}

fn check_client(
    exchange: &Exchange<'_>,
    form: &[(String, String)],
    secret_required: bool,
) -> Result<String, super::Refused> {
    let client_id = get(form, "client_id").unwrap_or_default();
    let Some(app) = exchange.shared.config.app(client_id) else {
        return Err(Box::new(oauth_error(
            400,
            "unauthorized_client",
            "The application is not registered in the tenant.",
        )));
    };
    let refused = match (&app.secret, get(form, "client_secret")) {
        (Some(secret), Some(given)) if secret.expose() == given => {
            return Ok(app.client_id.clone());
        }
        (Some(_), Some(_)) => oauth_error(401, "invalid_client", "Invalid client secret provided."),
        (Some(_), None) if secret_required => oauth_error(
            401,
            "invalid_client",
            "The request body must contain client_secret or client_assertion.",
        ),
        _ => return Ok(app.client_id.clone()),
    };
    Err(Box::new(refused))
}

fn token(exchange: &mut Exchange<'_>, form: &[(String, String)]) -> http::Response<Bytes> {
    let scope = get(form, "scope").unwrap_or_default().to_owned();
    let grant = get(form, "grant_type").unwrap_or_default();
    let shared = exchange.shared;
    match grant {
        "client_credentials" => {
            let client = match check_client(exchange, form, true) {
                Ok(c) => c,
                Err(r) => return *r,
            };
            let mut tokens = lock(&shared.tokens);
            let lifetime = tokens.lifetime.as_secs();
            let (access, _) = tokens.issue(Principal::App(client.clone()), &client, &scope, false);
            token_response(&access, None, &scope, lifetime)
        }
        "authorization_code" => {
            let client = match check_client(exchange, form, false) {
                Ok(c) => c,
                Err(r) => return *r,
            };
            let mut tokens = lock(&shared.tokens);
            let Some(code) = get(form, "code").and_then(|c| tokens.codes.remove(c)) else {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The authorization code is invalid or was already used.",
                );
            };
            if code.client_id != client
                || get(form, "redirect_uri") != Some(code.redirect_uri.as_str())
            {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The code was issued to another client or redirect URI.",
                );
            }
            if let Some(challenge) = &code.challenge {
                let verifier = get(form, "code_verifier").unwrap_or_default();
                let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                if &computed != challenge {
                    return oauth_error(
                        400,
                        "invalid_grant",
                        "The code_verifier does not match the code_challenge.",
                    );
                }
            }
            let offline = code.scope.split_whitespace().any(|s| s == "offline_access");
            let lifetime = tokens.lifetime.as_secs();
            let (access, refresh) =
                tokens.issue(Principal::User(code.user), &client, &code.scope, offline);
            token_response(&access, refresh.as_deref(), &code.scope, lifetime)
        }
        "refresh_token" => {
            let client = match check_client(exchange, form, false) {
                Ok(c) => c,
                Err(r) => return *r,
            };
            let mut tokens = lock(&shared.tokens);
            let Some(grant) = get(form, "refresh_token").and_then(|t| tokens.refresh.remove(t))
            else {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The refresh token is invalid or expired.",
                );
            };
            if grant.client_id != client {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The refresh token was issued to another client.",
                );
            }
            let scope = if scope.is_empty() {
                grant.scope.clone()
            } else {
                scope
            };
            let lifetime = tokens.lifetime.as_secs();
            let (access, refresh) = tokens.issue(grant.principal, &client, &scope, true);
            token_response(&access, refresh.as_deref(), &scope, lifetime)
        }
        "urn:ietf:params:oauth:grant-type:device_code" => {
            let mut tokens = lock(&shared.tokens);
            let code = get(form, "device_code").unwrap_or_default().to_owned();
            let Some(sign_in) = tokens.devices.get(&code).cloned() else {
                return oauth_error(
                    400,
                    "expired_token",
                    "The device code is unknown or expired.",
                );
            };
            if get(form, "client_id") != Some(sign_in.client_id.as_str()) {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The device code was issued to another client.",
                );
            }
            let Some(user) = sign_in.approved_for else {
                return oauth_error(
                    400,
                    "authorization_pending",
                    "The user has not signed in yet.",
                );
            };
            tokens.devices.remove(&code);
            let offline = sign_in
                .scope
                .split_whitespace()
                .any(|s| s == "offline_access");
            let lifetime = tokens.lifetime.as_secs();
            let (access, refresh) = tokens.issue(
                Principal::User(user),
                &sign_in.client_id,
                &sign_in.scope,
                offline,
            );
            token_response(&access, refresh.as_deref(), &sign_in.scope, lifetime)
        }
        _ => oauth_error(
            400,
            "unsupported_grant_type",
            "The grant type is not supported.",
        ),
    }
}

fn device_code(exchange: &mut Exchange<'_>, form: &[(String, String)]) -> http::Response<Bytes> {
    let client = match check_client(exchange, form, false) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let mut tokens = lock(&exchange.shared.tokens);
    let device = tokens.fresh("sim-device");
    let digits = tokens.random();
    let user_code: String = digits.iter().map(|d| char::from(b'A' + d % 26)).collect();
    tokens.devices.insert(
        device.clone(),
        DeviceSignIn {
            client_id: client,
            user_code: user_code.clone(),
            scope: get(form, "scope").unwrap_or_default().to_owned(),
            approved_for: None,
        },
    );
    let verification = format!("{}/devicelogin", exchange.shared.base());
    let body = json!({
        "device_code": device,
        "user_code": user_code,
        "verification_uri": verification,
        "expires_in": 900,
        "interval": 1,
        "message": format!("To sign in, open {verification} and enter the code {user_code}."),
    });
    respond(200, "application/json", body.to_string())
}

fn authorize(exchange: &mut Exchange<'_>, query: &[(String, String)]) -> http::Response<Bytes> {
    let client_id = get(query, "client_id").unwrap_or_default();
    if exchange.shared.config.app(client_id).is_none() {
        return oauth_error(
            400,
            "unauthorized_client",
            "The application is not registered in the tenant.",
        );
    }
    let Some(redirect_uri) = get(query, "redirect_uri") else {
        return oauth_error(400, "invalid_request", "redirect_uri is required.");
    };
    let Some(user) = get(query, "login_hint").and_then(|h| exchange.shared.config.user(h)) else {
        return oauth_error(
            400,
            "invalid_request",
            "The simulator signs in the user named by login_hint.",
        );
    };
    if get(query, "code_challenge").is_some() && get(query, "code_challenge_method") != Some("S256")
    {
        return oauth_error(
            400,
            "invalid_request",
            "Only code_challenge_method=S256 is supported.",
        );
    }
    let mut tokens = lock(&exchange.shared.tokens);
    let code = tokens.fresh("sim-code");
    tokens.codes.insert(
        code.clone(),
        AuthorizationCode {
            user: user.address.clone(),
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            challenge: get(query, "code_challenge").map(str::to_owned),
            scope: get(query, "scope").unwrap_or_default().to_owned(),
        },
    );
    let mut location = url::Url::parse(redirect_uri).map_or_else(
        |_| redirect_uri.to_owned(),
        |mut url| {
            url.query_pairs_mut()
                .append_pair("code", &code)
                .append_pair("state", get(query, "state").unwrap_or_default());
            url.to_string()
        },
    );
    if !location.contains("code=") {
        location = format!("{redirect_uri}?code={code}");
    }
    with_header(
        respond(302, "text/plain", "redirecting"),
        "location",
        &location,
    )
}
