//! The probe: tests a real Exchange server from the environment or flags and says what works, and
//! the exact error where something does not.
//!
//! Steps, each `ok`, `FAILED` with the server's or the library's error name (`Unauthorized`,
//! `ErrorNonExistentMailbox`, `AutoDiscoverFailed`...), or `skipped`:
//!
//! 1. **oauth token** (oauth only): the client credentials grant at the identity platform.
//! 2. **autodiscover**: POX Autodiscover for the email address with the safe state machine of the
//!    `autodiscover` crate (https only; credentials only to the email domain and confirmed hosts);
//!    skipped when an EWS URL is configured, which is then checked instead. SRV records are not looked
//!    up. NTLM is not offered to Autodiscover here (its handshake lives inside `ews-client`): with
//!    ntlm, configure the EWS URL.
//! 3. **resolve names**: ResolveNames for the email address (or the logon name) through `ews-client`.
//! 4. **server version**: the `ServerVersionInfo` the server sent, with the product it means.
//!
//! Credentials go only over https, except to a loopback http URL when `--allow-loopback-http` is
//! given; they never appear in the output.

mod config;

pub use config::{ConfigError, ProbeAuth, ProbeConfig, USAGE, parse_config};

use std::fmt;
use std::sync::Arc;

use autodiscover::driver::{self, NoSrv};
use autodiscover::{Attempt, Autodiscover, Config, Method, PublicSuffix};
use ews_client::{
    ClientBuilder, Credentials, EwsClient, HyperTransport, Mailbox, Secret, TokenFuture,
    TokenProvider, TokioClock, Transport,
};
use ews_types::operations::ResolveNames;
use ews_types::soap::ServerVersionInfo;
use graph_client::oauth::{Authority, ClientAuth, ClientCredentialsRequest, TokenResponse};
use rustls::ClientConfig;

use super::discovery::{
    Answered, DiscoveryAuth, DiscoveryHttp, TrustList, attempts_table, describe_prompt, error_name,
};
use super::table::Table;

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// It worked; what was found.
    Passed(String),
    /// It failed: the error's name (`Unauthorized`, `ErrorNonExistentMailbox`...) and message.
    Failed {
        /// The error's name, as Exchange or the library calls it.
        error: String,
        /// The message.
        message: String,
    },
    /// Not run, and why.
    Skipped(String),
}

/// One step of the probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// `oauth token`, `autodiscover`, `resolve names` or `server version`.
    pub step: &'static str,
    /// How it ended.
    pub outcome: StepOutcome,
}

/// What the probe found.
#[derive(Debug, Clone, Default)]
pub struct ProbeReport {
    /// What was probed, and how it authenticated.
    pub target: String,
    /// The steps, in order.
    pub steps: Vec<StepResult>,
    /// The Autodiscover attempts (empty when it did not run).
    pub attempts: Vec<Attempt>,
    /// The Autodiscover redirect prompts and their answers.
    pub prompts: Vec<Answered>,
}

impl ProbeReport {
    /// The outcome of `step`, if it was recorded.
    pub fn outcome(&self, step: &str) -> Option<&StepOutcome> {
        self.steps
            .iter()
            .find(|s| s.step == step)
            .map(|s| &s.outcome)
    }

    /// Whether no step failed.
    pub fn passed(&self) -> bool {
        !self
            .steps
            .iter()
            .any(|s| matches!(s.outcome, StepOutcome::Failed { .. }))
    }

    /// 0 when every step passed or was skipped, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.passed() { 0 } else { 1 }
    }

    fn record(&mut self, step: &'static str, outcome: StepOutcome) {
        self.steps.push(StepResult { step, outcome });
    }

    fn fail(&mut self, step: &'static str, error: impl Into<String>, message: impl fmt::Display) {
        self.record(
            step,
            StepOutcome::Failed {
                error: error.into(),
                message: message.to_string(),
            },
        );
    }

    fn skip_rest(&mut self, steps: &[&'static str], why: &str) {
        for step in steps {
            self.record(step, StepOutcome::Skipped(why.to_owned()));
        }
    }
}

impl fmt::Display for ProbeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Exchange probe: {}\n", self.target)?;
        let mut table = Table::new(["STEP", "RESULT", "DETAIL"]);
        for step in &self.steps {
            let (result, detail) = match &step.outcome {
                StepOutcome::Passed(detail) => ("ok", detail.clone()),
                StepOutcome::Failed { error, message } => {
                    let first = message.lines().next().unwrap_or_default();
                    ("FAILED", format!("{error}: {first}"))
                }
                StepOutcome::Skipped(why) => ("skipped", why.clone()),
            };
            table.row([step.step, result, &detail]);
        }
        write!(f, "{table}")?;
        if !self.prompts.is_empty() || !self.attempts.is_empty() {
            writeln!(f, "\nAutodiscover attempts")?;
            for prompt in &self.prompts {
                writeln!(f, "  Confirm? {}", describe_prompt(prompt))?;
            }
            write!(f, "{}", attempts_table(&self.attempts))?;
        }
        Ok(())
    }
}

/// Client credentials grant at the identity platform, for EWS app-only access.
struct AppOnly {
    transport: HyperTransport,
    authority: Authority,
    grant: ClientCredentialsRequest,
}

impl TokenProvider for AppOnly {
    fn access_token(&self, _refresh: bool) -> TokenFuture<'_> {
        Box::pin(async move {
            let request = self.grant.to_request(&self.authority)?.into_http();
            let mut connection = self.transport.connect(request.uri()).await?;
            let response = self
                .transport
                .send(&mut connection, request, 1 << 20)
                .await?;
            let token = TokenResponse::parse(&response)?;
            Ok(Secret::new(token.access_token.expose()))
        })
    }
}

fn app_only(config: &ProbeConfig, tls: &Arc<ClientConfig>) -> Result<Option<AppOnly>, String> {
    let ProbeAuth::AppOnly {
        tenant,
        client_id,
        client_secret,
        login_url,
    } = &config.auth
    else {
        return Ok(None);
    };
    let https = url::Url::parse(login_url).is_ok_and(|u| u.scheme() == "https");
    let allowed_http = config.allow_loopback_http && is_loopback_http(login_url);
    if !(https || allowed_http) {
        return Err(format!(
            "the login URL {login_url} must be https (loopback http only with --allow-loopback-http)"
        ));
    }
    let authority = Authority::tenant(tenant.clone())
        .with_host(login_url)
        .map_err(|e| e.to_string())?;
    Ok(Some(AppOnly {
        transport: HyperTransport::new(tls.clone()),
        authority,
        grant: ClientCredentialsRequest {
            client_id: client_id.clone(),
            auth: ClientAuth::Secret(graph_client::Secret::new(client_secret.expose())),
            scope: graph_client::oauth::EWS_DEFAULT_SCOPE.to_owned(),
        },
    }))
}

/// The name of an EWS client error: the server's response code, `Unauthorized`, or the failure's
/// kind.
pub fn ews_error_name(error: &ews_client::Error) -> String {
    use ews_client::Error as E;
    if error.is_unauthorized() {
        return "Unauthorized".into();
    }
    if let Some(code) = error.response_code() {
        return code.as_str().to_owned();
    }
    match error {
        E::MailboxNotFound { .. } => "ErrorNonExistentMailbox".into(),
        E::InsecureEndpoint { .. } => "InsecureEndpoint".into(),
        E::Transport(t) => format!("TransportError({:?})", t.kind()),
        E::HttpStatus { status, .. } => format!("HTTP {status}"),
        E::Config(_) => "InvalidConfiguration".into(),
        E::Ntlm(_) => "NtlmHandshakeFailed".into(),
        E::Token(_) => "TokenRequestFailed".into(),
        E::Impersonation(_) => "ImpersonationMisconfigured".into(),
        E::UnexpectedContentType { .. } | E::InvalidResponse { .. } => "NotAnEwsResponse".into(),
        _ => "EwsError".into(),
    }
}

/// The product a `ServerVersionInfo` names.
pub fn product(info: &ServerVersionInfo) -> &'static str {
    match (info.major_version, info.minor_version) {
        (Some(8), _) => "Exchange 2007",
        (Some(14), _) => "Exchange 2010",
        (Some(15), Some(0)) => "Exchange 2013",
        (Some(15), Some(1)) => "Exchange 2016",
        (Some(15), Some(2)) => "Exchange 2019 or Subscription Edition",
        (Some(15), Some(20)) => "Exchange Online",
        _ => "an unknown Exchange version",
    }
}

fn is_loopback_http(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "http"
            && match u.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
                None => false,
            }
    })
}

/// Runs every step and reports; it never panics and never prints a secret.
pub async fn probe(config: &ProbeConfig) -> ProbeReport {
    let mut report = ProbeReport {
        target: format!(
            "{} with {}",
            config
                .email
                .as_deref()
                .or(config.ews_url.as_deref())
                .unwrap_or("(nothing)"),
            config.auth
        ),
        ..ProbeReport::default()
    };
    const EWS_STEPS: [&str; 2] = ["resolve names", "server version"];
    let tls = match super::tls::platform_and(config.ca_file.as_deref()) {
        Ok(tls) => tls,
        Err(error) => {
            report.fail("tls", "TlsSetup", error);
            return report;
        }
    };
    let provider = match app_only(config, &tls) {
        Ok(provider) => provider,
        Err(message) => {
            report.fail("oauth token", "InvalidLoginUrl", message);
            return report;
        }
    };
    let mut token = None;
    if let Some(provider) = &provider {
        match provider.access_token(false).await {
            Ok(got) => {
                report.record(
                    "oauth token",
                    StepOutcome::Passed(format!(
                        "token for {}",
                        graph_client::oauth::EWS_DEFAULT_SCOPE
                    )),
                );
                token = Some(got);
            }
            Err(error) => {
                report.fail("oauth token", "TokenRequestFailed", error);
                report.skip_rest(&["autodiscover", EWS_STEPS[0], EWS_STEPS[1]], "no token");
                return report;
            }
        }
    }

    let Some(ews_url) = ews_url(config, &tls, token, &mut report).await else {
        report.skip_rest(&EWS_STEPS, "no EWS URL");
        return report;
    };

    let credentials = match (&config.auth, provider) {
        (ProbeAuth::Basic { user, password }, _) => Credentials::basic(user, password.clone()),
        (ProbeAuth::Ntlm { user, password }, _) => Credentials::ntlm(user, password.clone()),
        (ProbeAuth::AppOnly { .. }, Some(provider)) => Credentials::app_only(provider),
        (ProbeAuth::AppOnly { .. }, None) => {
            report.fail(EWS_STEPS[0], "TokenRequestFailed", "no token provider");
            return report;
        }
    };
    let client = match ClientBuilder::new(ews_url, credentials)
        .allow_insecure_loopback_http(config.allow_loopback_http)
        .build(HyperTransport::new(tls), TokioClock)
    {
        Ok(client) => client,
        Err(error) => {
            report.fail(EWS_STEPS[0], ews_error_name(&error), error);
            report.skip_rest(&EWS_STEPS[1..], "no EWS client");
            return report;
        }
    };
    ews_steps(config, &client, &mut report).await;
    report
}

/// The configured EWS URL, checked, or the one Autodiscover finds; `None` after recording why not.
async fn ews_url(
    config: &ProbeConfig,
    tls: &Arc<ClientConfig>,
    token: Option<Secret>,
    report: &mut ProbeReport,
) -> Option<String> {
    const STEP: &str = "autodiscover";
    if let Some(url) = &config.ews_url {
        if config.allow_loopback_http && is_loopback_http(url) {
            report.record(
                STEP,
                StepOutcome::Skipped(format!("EWS URL given: {url} (loopback http allowed)")),
            );
            return Some(url.clone());
        }
        return match autodiscover::validate_ews_url(url) {
            Ok(valid) => {
                report.record(
                    STEP,
                    StepOutcome::Skipped(format!("EWS URL given: {valid}")),
                );
                Some(valid.to_string())
            }
            Err(error) => {
                report.fail(STEP, error_name(&error), error);
                None
            }
        };
    }
    let email = config.email.as_deref().unwrap_or_default();
    let auth = match (&config.auth, token) {
        (ProbeAuth::Basic { user, password }, _) => DiscoveryAuth::Basic {
            username: user.clone(),
            password: password.clone(),
        },
        (ProbeAuth::AppOnly { .. }, Some(token)) => DiscoveryAuth::Bearer(token),
        _ => {
            report.fail(
                STEP,
                "AutodiscoverNeedsBasicOrOAuth",
                "this probe authenticates Autodiscover with basic or oauth only; set \
                 EXCHANGE_PROBE_EWS_URL (or --ews-url) to test EWS with ntlm",
            );
            return None;
        }
    };
    let machine = match Config::new(email, PublicSuffix::mozilla()) {
        Ok(machine) => machine
            .with_method(Method::Pox)
            .with_auth(auth.scheme().into_iter().collect()),
        Err(error) => {
            report.fail(STEP, error_name(&error), error);
            return None;
        }
    };
    let mut transport = DiscoveryHttp::new(tls.clone(), auth);
    if let Some(address) = config.connect_to {
        transport = transport.connect_to(address);
    }
    let trust = TrustList::new(config.trust.clone());
    let result = driver::run(Autodiscover::new(machine), &transport, NoSrv, &trust).await;
    report.prompts = trust.answered();
    match result {
        Ok(success) => {
            let version = success
                .ews_version
                .map(|v| format!(", Exchange {v}"))
                .unwrap_or_default();
            let count = success.attempts.len();
            report.record(
                STEP,
                StepOutcome::Passed(format!(
                    "{} for {}{version} ({count} attempt{})",
                    success.ews_url,
                    success.smtp_address,
                    if count == 1 { "" } else { "s" }
                )),
            );
            report.attempts = success.attempts;
            Some(success.ews_url.to_string())
        }
        Err(error) => {
            report.attempts = error.attempts().to_vec();
            report.fail(STEP, error_name(&error), &error);
            None
        }
    }
}

/// ResolveNames and the server version.
async fn ews_steps<T: Transport>(
    config: &ProbeConfig,
    client: &EwsClient<T, TokioClock>,
    report: &mut ProbeReport,
) {
    let mailbox = match (&config.email, config.impersonate) {
        (Some(email), true) => Mailbox::smtp(email),
        _ => Mailbox::account(),
    };
    let entry = match (&config.email, &config.auth) {
        (Some(email), _) => email.clone(),
        (None, ProbeAuth::Basic { user, .. } | ProbeAuth::Ntlm { user, .. }) => user.clone(),
        (None, ProbeAuth::AppOnly { client_id, .. }) => client_id.clone(),
    };
    let answered = match client
        .execute_as(&mailbox, &ResolveNames::new(entry.clone()))
        .await
    {
        Ok(response) => {
            let outcome = match response
                .messages
                .into_iter()
                .next()
                .map(|m| m.into_result())
            {
                Some(Ok(body)) => {
                    let found: Vec<String> = body
                        .resolution_set
                        .map(|set| set.resolutions)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|r| {
                            let name = r.mailbox.name.unwrap_or_default();
                            let address = r.mailbox.email_address.unwrap_or_default();
                            format!("{name} <{address}>")
                        })
                        .collect();
                    StepOutcome::Passed(format!("{entry}: {}", found.join(", ")))
                }
                Some(Err(error)) => StepOutcome::Failed {
                    error: error
                        .code
                        .as_ref()
                        .map_or("Error".to_owned(), |c| c.as_str().to_owned()),
                    message: error.text.unwrap_or_default(),
                },
                None => StepOutcome::Failed {
                    error: "NoResponseMessage".into(),
                    message: "the server answered without a response message".into(),
                },
            };
            report.record("resolve names", outcome);
            true
        }
        Err(error) => {
            report.fail("resolve names", ews_error_name(&error), &error);
            false
        }
    };
    let outcome = match client.server_version(&mailbox) {
        Some(info) => {
            let number = [
                info.major_version,
                info.minor_version,
                info.major_build_number,
                info.minor_build_number,
            ]
            .iter()
            .map(|n| n.map_or("?".to_owned(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(".");
            let schema = info
                .version
                .as_ref()
                .map(|v| format!(", schema {}", v.as_str()))
                .unwrap_or_default();
            StepOutcome::Passed(format!("{number} ({}{schema})", product(&info)))
        }
        None if answered => StepOutcome::Failed {
            error: "NoServerVersionInfo".into(),
            message: "the server's answers carried no ServerVersionInfo header".into(),
        },
        None => StepOutcome::Skipped("no EWS answer to read it from".into()),
    };
    report.record("server version", outcome);
}

/// What the probe's `main` prints and returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliOutput {
    /// The exit status: 0 all passed, 1 a step failed, 2 not configured.
    pub code: u8,
    /// For standard output: the report.
    pub stdout: String,
    /// For standard error: the explanation when the configuration is missing or wrong.
    pub stderr: String,
}

/// The whole probe as its `main` runs it: parse, probe, print.
pub async fn cli(args: &[String], env: &dyn Fn(&str) -> Option<String>) -> CliOutput {
    match parse_config(args, env) {
        Ok(config) => {
            let report = probe(&config).await;
            CliOutput {
                code: report.exit_code(),
                stdout: report.to_string(),
                stderr: String::new(),
            }
        }
        Err(ConfigError::Help) => CliOutput {
            code: 0,
            stdout: USAGE.to_owned(),
            stderr: String::new(),
        },
        Err(error) => CliOutput {
            code: error.exit_code(),
            stdout: String::new(),
            stderr: error.to_string(),
        },
    }
}
