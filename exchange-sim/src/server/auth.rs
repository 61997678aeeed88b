//! Authentication: Basic, NTLM (per connection, as IIS does it) and bearer tokens issued by the
//! simulator's token endpoint.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::ntlm;
use crate::config::Config;

/// Who a request authenticated as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Principal {
    /// A user, by primary SMTP address (delegated tokens, Basic, NTLM).
    User(String),
    /// An application, by client id (client credentials tokens).
    App(String),
}

impl Principal {
    pub(crate) fn name(&self) -> &str {
        match self {
            Principal::User(a) | Principal::App(a) => a,
        }
    }
}

/// What an `Authorization` header led to.
#[derive(Debug)]
pub(crate) enum AuthOutcome {
    /// Authenticated.
    Authenticated(Principal),
    /// NTLM wants another round trip: send this challenge with a 401.
    NtlmChallenge(Vec<u8>),
    /// No or wrong credentials: 401.
    Denied(&'static str),
}

/// Authentication state of one connection (NTLM authenticates connections, not requests).
#[derive(Debug, Default)]
pub(crate) struct Connection {
    pub(crate) challenge: Option<[u8; 8]>,
    pub(crate) principal: Option<Principal>,
}

/// A token the token endpoint issued.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) principal: Principal,
    pub(crate) expires: Instant,
    pub(crate) client_id: String,
    pub(crate) scope: String,
}

/// A pending device code sign-in.
#[derive(Debug, Clone)]
pub(crate) struct DeviceSignIn {
    pub(crate) client_id: String,
    pub(crate) user_code: String,
    pub(crate) scope: String,
    pub(crate) approved_for: Option<String>,
}

/// An authorization code waiting to be redeemed.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationCode {
    pub(crate) user: String,
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) challenge: Option<String>,
    pub(crate) scope: String,
}

/// Tokens, codes and the generator that makes them.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub(crate) access: HashMap<String, Grant>,
    pub(crate) refresh: HashMap<String, Grant>,
    pub(crate) devices: HashMap<String, DeviceSignIn>,
    pub(crate) codes: HashMap<String, AuthorizationCode>,
    pub(crate) lifetime: Duration,
    state: u64,
}

impl Tokens {
    pub(crate) fn new(seed: u64) -> Self {
        Tokens {
            access: HashMap::new(),
            refresh: HashMap::new(),
            devices: HashMap::new(),
            codes: HashMap::new(),
            lifetime: Duration::from_secs(3600),
            state: seed ^ 0x5DEE_CE66_D1CE_4E5B,
        }
    }

    /// 8 fresh pseudo-random bytes.
    pub(crate) fn random(&mut self) -> [u8; 8] {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)).to_le_bytes()
    }

    /// A fresh opaque value with a prefix saying what it is.
    pub(crate) fn fresh(&mut self, prefix: &str) -> String {
        let a = self.random();
        let b = self.random();
        let mut bytes = a.to_vec();
        bytes.extend_from_slice(&b);
        format!(
            "{prefix}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }

    /// Issues an access token (and a refresh token when `offline` is set).
    pub(crate) fn issue(
        &mut self,
        principal: Principal,
        client_id: &str,
        scope: &str,
        offline: bool,
    ) -> (String, Option<String>) {
        let grant = Grant {
            principal,
            expires: Instant::now() + self.lifetime,
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
        };
        let access = self.fresh("sim-access");
        self.access.insert(access.clone(), grant.clone());
        let refresh = offline.then(|| {
            let token = self.fresh("sim-refresh");
            self.refresh.insert(token.clone(), grant);
            token
        });
        (access, refresh)
    }

    fn check(&self, token: &str) -> Option<Principal> {
        let grant = self.access.get(token)?;
        (grant.expires > Instant::now()).then(|| grant.principal.clone())
    }
}

/// Checks an `Authorization` header value. NTLM state lives in `connection`.
pub(crate) fn authenticate(
    config: &Config,
    tokens: &mut Tokens,
    connection: &mut Connection,
    header: Option<&str>,
) -> AuthOutcome {
    let Some(header) = header else {
        return match &connection.principal {
            Some(principal) => AuthOutcome::Authenticated(principal.clone()),
            None => AuthOutcome::Denied("no credentials"),
        };
    };
    let (scheme, value) = header.trim().split_once(' ').unwrap_or((header, ""));
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("Bearer") {
        return match tokens.check(value) {
            Some(principal) => AuthOutcome::Authenticated(principal),
            None => AuthOutcome::Denied("the bearer token is unknown or expired"),
        };
    }
    if scheme.eq_ignore_ascii_case("Basic") {
        let Some(decoded) = STANDARD
            .decode(value)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        else {
            return AuthOutcome::Denied("malformed Basic credentials");
        };
        let (name, password) = decoded.split_once(':').unwrap_or((&decoded, ""));
        return match config.user(name) {
            Some(user) if user.password.expose() == password => {
                AuthOutcome::Authenticated(Principal::User(user.address.clone()))
            }
            _ => AuthOutcome::Denied("wrong user name or password"),
        };
    }
    if scheme.eq_ignore_ascii_case("NTLM") || scheme.eq_ignore_ascii_case("Negotiate") {
        let Ok(message) = STANDARD.decode(value) else {
            return AuthOutcome::Denied("malformed NTLM message");
        };
        return match ntlm::message_type(&message) {
            Some(1) => {
                let challenge = tokens.random();
                connection.challenge = Some(challenge);
                connection.principal = None;
                AuthOutcome::NtlmChallenge(ntlm::challenge_message(challenge))
            }
            Some(3) => {
                let Some(challenge) = connection.challenge.take() else {
                    return AuthOutcome::Denied("NTLM authenticate without a challenge");
                };
                let Some(message) = ntlm::parse_authenticate(&message) else {
                    return AuthOutcome::Denied("malformed NTLM authenticate message");
                };
                match config.user(&message.user) {
                    Some(user) if ntlm::verify(&message, user.password.expose(), &challenge) => {
                        let principal = Principal::User(user.address.clone());
                        connection.principal = Some(principal.clone());
                        AuthOutcome::Authenticated(principal)
                    }
                    _ => AuthOutcome::Denied("the NTLMv2 response does not match"),
                }
            }
            _ => AuthOutcome::Denied("not an NTLM negotiate or authenticate message"),
        };
    }
    AuthOutcome::Denied("unsupported authentication scheme")
}
