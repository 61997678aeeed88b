//! OAuth 2.0 for the Microsoft identity platform, as pure request builders and response parsers.
//!
//! Flows: client credentials (app-only, with a secret or a certificate assertion), authorization code
//! with PKCE, device code (RFC 8628), and refresh. Endpoints are
//! `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/{authorize|token|devicecode}`. Randomness
//! (`state`, the PKCE verifier) and the clock come from the caller; every token, secret, code and
//! assertion is a [`Secret`], so none shows in `Debug` output.
//!
//! ```
//! use graph_client::Secret;
//! use graph_client::oauth::{Authority, ClientAuth, ClientCredentialsRequest, GRAPH_DEFAULT_SCOPE};
//! let authority = Authority::tenant("contoso.onmicrosoft.com");
//! let request = ClientCredentialsRequest {
//!     client_id: "535fb089-9ff3-47b6-9bfb-4f1264799865".into(),
//!     auth: ClientAuth::Secret(Secret::new("sampleCredentia1s")),
//!     scope: GRAPH_DEFAULT_SCOPE.into(),
//! }
//! .to_request(&authority)
//! .unwrap();
//! assert_eq!(
//!     request.http().uri(),
//!     "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
//! );
//! // The form body holds the secret; `Debug` of the request does not show it.
//! assert!(!format!("{request:?}").contains("sampleCredentia1s"));
//! ```

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The app-only scope for Microsoft Graph.
pub const GRAPH_DEFAULT_SCOPE: &str = "https://graph.microsoft.com/.default";
/// The app-only scope for EWS in Exchange Online.
pub const EWS_DEFAULT_SCOPE: &str = "https://outlook.office365.com/.default";
/// The delegated scope for EWS in Exchange Online.
pub const EWS_DELEGATED_SCOPE: &str = "https://outlook.office365.com/EWS.AccessAsUser.All";
/// `client_assertion_type` for certificate credentials.
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// `grant_type` for device code polling.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The identity platform endpoint of a tenant (`common`, `organizations`, `consumers`, a tenant id or
/// domain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    host: Url,
    tenant: String,
}

impl Authority {
    /// `https://login.microsoftonline.com/{tenant}`.
    pub fn tenant(tenant: impl Into<String>) -> Self {
        Self {
            host: Url::parse("https://login.microsoftonline.com/").expect("constant URL is valid"),
            tenant: tenant.into(),
        }
    }

    /// Another login host (a national cloud, or a loopback test server). It must be https unless the
    /// host is loopback.
    pub fn with_host(mut self, host: &str) -> Result<Self> {
        let url = Url::parse(host).map_err(|error| Error::UntrustedUrl {
            url: host.to_owned(),
            reason: error.to_string(),
        })?;
        if url.scheme() != "https" && !crate::request::is_loopback(&url) {
            return Err(Error::UntrustedUrl {
                url: host.to_owned(),
                reason: "secrets are only sent over https".into(),
            });
        }
        self.host = url;
        Ok(self)
    }

    /// `{host}/{tenant}/oauth2/v2.0/{endpoint}`.
    pub fn endpoint(&self, endpoint: &str) -> Url {
        let mut url = self.host.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend([self.tenant.as_str(), "oauth2", "v2.0", endpoint]);
        }
        url
    }
}

/// How a client authenticates at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// A public client (mobile, desktop, CLI): no credential.
    Public,
    /// A client secret.
    Secret(Secret),
    /// A signed JWT made with the app's certificate (`client_assertion`).
    CertificateAssertion(Secret),
}

impl ClientAuth {
    fn append(&self, form: &mut Form) {
        match self {
            Self::Public => {}
            Self::Secret(secret) => form.secret("client_secret", secret),
            Self::CertificateAssertion(assertion) => {
                form.pair("client_assertion_type", JWT_BEARER_ASSERTION);
                form.secret("client_assertion", assertion);
            }
        }
    }
}

/// An `application/x-www-form-urlencoded` body under construction.
struct Form(url::form_urlencoded::Serializer<'static, String>);

impl Form {
    fn new() -> Self {
        Self(url::form_urlencoded::Serializer::new(String::new()))
    }
    fn pair(&mut self, name: &str, value: &str) {
        self.0.append_pair(name, value);
    }
    fn secret(&mut self, name: &str, value: &Secret) {
        self.0.append_pair(name, value.expose());
    }
    fn post(self, url: Url) -> Result<OAuthRequest> {
        http::Request::builder()
            .method(Method::POST)
            .uri(url.as_str())
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(Bytes::from(self.into_body()))
            .map(OAuthRequest)
            .map_err(|error| Error::InvalidRequest(error.to_string()))
    }
    fn into_body(mut self) -> String {
        self.0.finish()
    }
}

/// A request to the identity platform. Its form body carries secrets, so `Debug` shows only the
/// method and URL.
#[must_use]
pub struct OAuthRequest(http::Request<Bytes>);

impl OAuthRequest {
    /// The HTTP request.
    pub fn http(&self) -> &http::Request<Bytes> {
        &self.0
    }

    /// The HTTP request, by value.
    pub fn into_http(self) -> http::Request<Bytes> {
        self.0
    }
}

impl fmt::Debug for OAuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthRequest")
            .field("method", self.0.method())
            .field("uri", self.0.uri())
            .field("body", &"[redacted]")
            .finish()
    }
}

/// Client credentials grant (app-only). Needs admin consent; returns no refresh token, so request a new
/// token when the old one expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentialsRequest {
    /// The application (client) id.
    pub client_id: String,
    /// A secret or a certificate assertion ([`ClientAuth::Public`] is rejected).
    pub auth: ClientAuth,
    /// `{resource}/.default`, e.g. [`GRAPH_DEFAULT_SCOPE`].
    pub scope: String,
}

impl ClientCredentialsRequest {
    /// `POST {tenant}/oauth2/v2.0/token`.
    pub fn to_request(&self, authority: &Authority) -> Result<OAuthRequest> {
        if self.auth == ClientAuth::Public {
            return Err(Error::InvalidRequest(
                "the client credentials grant needs a secret or a certificate assertion".into(),
            ));
        }
        let mut form = Form::new();
        form.pair("client_id", &self.client_id);
        form.pair("scope", &self.scope);
        self.auth.append(&mut form);
        form.pair("grant_type", "client_credentials");
        form.post(authority.endpoint("token"))
    }
}

/// A PKCE code verifier (RFC 7636), made from caller-supplied random bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceVerifier(Secret);

impl PkceVerifier {
    /// A verifier from 32 or more random bytes (43+ base64url characters).
    pub fn from_random_bytes(random: &[u8]) -> Result<Self> {
        if random.len() < 32 || random.len() > 96 {
            return Err(Error::InvalidRequest(
                "a PKCE verifier needs 32 to 96 random bytes".into(),
            ));
        }
        Ok(Self(Secret::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random),
        )))
    }

    /// The S256 challenge: base64url(SHA-256(verifier)), no padding.
    pub fn challenge(&self) -> String {
        let digest = Sha256::digest(self.0.expose().as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    }

    /// The verifier string, for the token request.
    pub fn secret(&self) -> &Secret {
        &self.0
    }
}

/// The first leg of the authorization code flow: the URL to send the user's browser to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// The application (client) id.
    pub client_id: String,
    /// Where the code is delivered; must be registered.
    pub redirect_uri: String,
    /// Scopes; add `offline_access` to get a refresh token.
    pub scopes: Vec<String>,
    /// An unguessable value the callback must echo ([`AuthorizationCallback::parse`] checks it).
    pub state: String,
    /// `prompt` (`login`, `consent`, `select_account`, `none`), if any.
    pub prompt: Option<String>,
    /// `login_hint`, if any.
    pub login_hint: Option<String>,
}

impl AuthorizeRequest {
    /// `GET {tenant}/oauth2/v2.0/authorize?...` with `response_type=code`, `response_mode=query` and
    /// the S256 challenge of `verifier`.
    pub fn url(&self, authority: &Authority, verifier: &PkceVerifier) -> Url {
        let mut url = authority.endpoint("authorize");
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", &self.client_id)
                .append_pair("response_type", "code")
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("response_mode", "query")
                .append_pair("scope", &self.scopes.join(" "))
                .append_pair("state", &self.state)
                .append_pair("code_challenge", &verifier.challenge())
                .append_pair("code_challenge_method", "S256");
            if let Some(prompt) = &self.prompt {
                query.append_pair("prompt", prompt);
            }
            if let Some(hint) = &self.login_hint {
                query.append_pair("login_hint", hint);
            }
        }
        url
    }
}

/// The admin consent URL (`{tenant}/v2.0/adminconsent`) an administrator opens once so that
/// app-only tokens carry the application permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminConsentRequest {
    /// The application (client) id.
    pub client_id: String,
    /// Where the result (`admin_consent=True`, `tenant`, `scope`, `state`) is sent; must be registered.
    pub redirect_uri: String,
    /// Scopes; `https://graph.microsoft.com/.default` asks for every configured application permission.
    pub scopes: Vec<String>,
    /// An unguessable value echoed back.
    pub state: String,
}

impl AdminConsentRequest {
    /// The URL to send the administrator to.
    pub fn url(&self, authority: &Authority) -> Url {
        let mut url = authority.host.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend([authority.tenant.as_str(), "v2.0", "adminconsent"]);
        }
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", &self.scopes.join(" "))
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", &self.state);
        url
    }
}

/// The redirect back from `/authorize`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCallback {
    /// The authorization code.
    pub code: Secret,
}

impl AuthorizationCallback {
    /// Reads `code` and checks `state` against the value sent; an `error` in the callback becomes
    /// [`Error::OAuth`].
    pub fn parse(redirect: &Url, expected_state: &str) -> Result<Self> {
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (name, value) in redirect.query_pairs() {
            match name.as_ref() {
                "code" => code = Some(value.into_owned()),
                "state" => state = Some(value.into_owned()),
                "error" => error = Some(value.into_owned()),
                "error_description" => description = Some(value.into_owned()),
                _ => {}
            }
        }
        if let Some(error) = error {
            return Err(Error::OAuth(Box::new(OAuthError::new(
                None,
                OAuthErrorCode::from(error.as_str()),
                description.unwrap_or_default(),
            ))));
        }
        if state.as_deref() != Some(expected_state) {
            return Err(Error::InvalidRequest(
                "authorization callback state does not match the value sent".into(),
            ));
        }
        let code =
            code.ok_or_else(|| Error::InvalidRequest("authorization callback has no code".into()))?;
        Ok(Self {
            code: Secret::new(code),
        })
    }
}

/// The second leg: redeem the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCodeRequest {
    /// The application (client) id.
    pub client_id: String,
    /// The code from the callback.
    pub code: Secret,
    /// The same redirect URI as in the authorize request.
    pub redirect_uri: String,
    /// The verifier whose challenge went into the authorize URL.
    pub code_verifier: PkceVerifier,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Client credential for confidential clients.
    pub auth: ClientAuth,
}

impl AuthorizationCodeRequest {
    /// `POST {tenant}/oauth2/v2.0/token` with `grant_type=authorization_code`.
    pub fn to_request(&self, authority: &Authority) -> Result<OAuthRequest> {
        let mut form = Form::new();
        form.pair("client_id", &self.client_id);
        form.pair("scope", &self.scopes.join(" "));
        form.secret("code", &self.code);
        form.pair("redirect_uri", &self.redirect_uri);
        form.pair("grant_type", "authorization_code");
        form.secret("code_verifier", self.code_verifier.secret());
        self.auth.append(&mut form);
        form.post(authority.endpoint("token"))
    }
}

/// Refresh an access token. The response usually carries a **new refresh token: store it**.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenRequest {
    /// The application (client) id.
    pub client_id: String,
    /// The refresh token.
    pub refresh_token: Secret,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Client credential for confidential clients.
    pub auth: ClientAuth,
}

impl RefreshTokenRequest {
    /// `POST {tenant}/oauth2/v2.0/token` with `grant_type=refresh_token`.
    pub fn to_request(&self, authority: &Authority) -> Result<OAuthRequest> {
        let mut form = Form::new();
        form.pair("client_id", &self.client_id);
        form.pair("scope", &self.scopes.join(" "));
        form.secret("refresh_token", &self.refresh_token);
        form.pair("grant_type", "refresh_token");
        self.auth.append(&mut form);
        form.post(authority.endpoint("token"))
    }
}

/// Start the device code flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodeRequest {
    /// The application (client) id.
    pub client_id: String,
    /// Scopes.
    pub scopes: Vec<String>,
}

impl DeviceCodeRequest {
    /// `POST {tenant}/oauth2/v2.0/devicecode`.
    pub fn to_request(&self, authority: &Authority) -> Result<OAuthRequest> {
        let mut form = Form::new();
        form.pair("client_id", &self.client_id);
        form.pair("scope", &self.scopes.join(" "));
        form.post(authority.endpoint("devicecode"))
    }
}

/// The device authorization response: show `message` (or `user_code` and `verification_uri`) to the
/// user, then poll with [`DeviceTokenRequest`] every `interval` seconds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeviceCodeResponse {
    /// The code the client polls with.
    pub device_code: Secret,
    /// The code the user types.
    pub user_code: String,
    /// Where the user types it.
    pub verification_uri: String,
    /// Seconds until the codes expire.
    pub expires_in: u64,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval: u64,
    /// A ready-made instruction for the user.
    #[serde(default)]
    pub message: String,
}

fn default_interval() -> u64 {
    5
}

impl DeviceCodeResponse {
    /// Parses the `/devicecode` response.
    pub fn parse(response: &http::Response<Bytes>) -> Result<Self> {
        parse_oauth(response)
    }
}

/// Poll the token endpoint during the device code flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceTokenRequest {
    /// The application (client) id.
    pub client_id: String,
    /// The device code.
    pub device_code: Secret,
}

impl DeviceTokenRequest {
    /// `POST {tenant}/oauth2/v2.0/token` with the device code grant.
    pub fn to_request(&self, authority: &Authority) -> Result<OAuthRequest> {
        let mut form = Form::new();
        form.pair("grant_type", DEVICE_CODE_GRANT);
        form.pair("client_id", &self.client_id);
        form.secret("device_code", &self.device_code);
        form.post(authority.endpoint("token"))
    }
}

/// What a device code poll says to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum DevicePoll {
    /// The user signed in.
    Token(TokenResponse),
    /// Not yet (`authorization_pending`): poll again after this wait.
    Pending(Duration),
    /// Polling too fast (`slow_down`): poll again after this longer wait (interval + 5 s); keep using
    /// it for later polls.
    SlowDown(Duration),
    /// Terminal: `expired_token`, `authorization_declined`, `access_denied`, `bad_verification_code`
    /// or another error.
    Failed(Box<OAuthError>),
}

impl DevicePoll {
    /// Interprets a poll response, given the current polling interval.
    pub fn parse(response: &http::Response<Bytes>, interval: Duration) -> Result<Self> {
        match parse_oauth::<TokenResponse>(response) {
            Ok(token) => Ok(Self::Token(token)),
            Err(Error::OAuth(error)) => Ok(match error.error {
                OAuthErrorCode::AuthorizationPending => Self::Pending(interval),
                OAuthErrorCode::SlowDown => Self::SlowDown(interval + Duration::from_secs(5)),
                _ => Self::Failed(error),
            }),
            Err(other) => Err(other),
        }
    }
}

/// A successful token response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    /// `Bearer`.
    pub token_type: String,
    /// The granted scopes, space-separated.
    #[serde(default)]
    pub scope: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Extended lifetime for outages, in seconds.
    #[serde(default)]
    pub ext_expires_in: Option<u64>,
    /// The access token.
    pub access_token: Secret,
    /// A refresh token (with `offline_access`); replaces the old one.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// An OpenID Connect id token (with `openid`).
    #[serde(default)]
    pub id_token: Option<Secret>,
}

impl TokenResponse {
    /// Parses a `/token` response: the token on 200, [`Error::OAuth`] with the typed code otherwise.
    pub fn parse(response: &http::Response<Bytes>) -> Result<Self> {
        parse_oauth(response)
    }
}

open_enum! {
    /// An OAuth error code (RFC 6749 §5.2, RFC 8628 §3.5, and the identity platform's additions).
    pub enum OAuthErrorCode {
        /// A parameter is missing or wrong.
        InvalidRequest = "invalid_request",
        /// The client failed to authenticate (bad secret or assertion).
        InvalidClient = "invalid_client",
        /// The code, refresh token or device code is invalid, expired or revoked: sign in again.
        InvalidGrant = "invalid_grant",
        /// The client may not use this grant.
        UnauthorizedClient = "unauthorized_client",
        /// The grant type is not supported.
        UnsupportedGrantType = "unsupported_grant_type",
        /// A scope is invalid.
        InvalidScope = "invalid_scope",
        /// The user must sign in interactively (MFA, conditional access).
        InteractionRequired = "interaction_required",
        /// Consent is missing.
        ConsentRequired = "consent_required",
        /// The user must sign in.
        LoginRequired = "login_required",
        /// Device flow: the user has not finished.
        AuthorizationPending = "authorization_pending",
        /// Device flow: poll more slowly.
        SlowDown = "slow_down",
        /// Device flow: the device code expired.
        ExpiredToken = "expired_token",
        /// Device flow: the user declined.
        AuthorizationDeclined = "authorization_declined",
        /// Device flow: the device code was not recognised.
        BadVerificationCode = "bad_verification_code",
        /// The resource owner denied the request.
        AccessDenied = "access_denied",
        /// The server had an error.
        ServerError = "server_error",
        /// The server is temporarily unavailable.
        TemporarilyUnavailable = "temporarily_unavailable",
    }
}

/// An error from the identity platform.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OAuthError {
    /// The HTTP status (absent for errors read from a redirect).
    #[serde(skip)]
    pub status: Option<StatusCode>,
    /// The error code.
    pub error: OAuthErrorCode,
    /// Human-readable detail (may contain `AADSTS` codes).
    #[serde(default)]
    pub error_description: String,
    /// `AADSTS` numeric codes.
    #[serde(default)]
    pub error_codes: Vec<i64>,
    /// Trace id for support.
    #[serde(default)]
    pub trace_id: Option<String>,
    /// Correlation id for support.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// A claims challenge to pass to the next authorize request.
    #[serde(default)]
    pub claims: Option<String>,
}

impl OAuthError {
    fn new(status: Option<StatusCode>, error: OAuthErrorCode, error_description: String) -> Self {
        Self {
            status,
            error,
            error_description,
            error_codes: Vec::new(),
            trace_id: None,
            correlation_id: None,
            claims: None,
        }
    }
}

impl fmt::Debug for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthError")
            .field("status", &self.status)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .field("error_codes", &self.error_codes)
            .field("trace_id", &self.trace_id)
            .field("correlation_id", &self.correlation_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "identity platform error {}", self.error)?;
        if !self.error_description.is_empty() {
            let first_line = self.error_description.lines().next().unwrap_or_default();
            write!(f, ": {first_line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OAuthError {}

fn parse_oauth<T: serde::de::DeserializeOwned>(response: &http::Response<Bytes>) -> Result<T> {
    if response.status().is_success() {
        return serde_json::from_slice(response.body())
            .map_err(|error| Error::decode("identity platform response", error));
    }
    match serde_json::from_slice::<OAuthError>(response.body()) {
        Ok(mut error) => {
            error.status = Some(response.status());
            Err(Error::OAuth(Box::new(error)))
        }
        Err(_) => Err(Error::OAuth(Box::new(OAuthError::new(
            Some(response.status()),
            OAuthErrorCode::Unknown(String::new()),
            String::from_utf8_lossy(response.body())
                .chars()
                .take(200)
                .collect(),
        )))),
    }
}
