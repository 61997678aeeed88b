//! Autodiscover against the simulator, in three runs and two checks:
//!
//! 1. `mara@contoso.example` with an OAuth token: her mailbox moved to `fabrikam.example`, so the
//!    server answers with an address redirect; the machine asks before trusting the new domain, the
//!    prompt is accepted, and discovery finishes there.
//! 2. `alice@contoso.example` with Basic as `CONTOSO\alice`: the down-level logon name authenticates
//!    (Basic is enabled explicitly, and goes only to hosts in the email domain).
//! 3. `dave@contoso.example`: the server redirects (HTTP 302) to a host outside the domain; the prompt
//!    is declined, nothing is sent there, and discovery fails with every attempt listed.
//! 4. Logon names: what `CONTOSO/alice` (a slash), `CONTOSO\alice` and a UPN are, as logon names and
//!    as discovery addresses.
//! 5. Configured EWS URLs (skipping discovery): what a bad one produces, from
//!    [`autodiscover::validate_ews_url`] and from the EWS client.
//!
//! Every host name resolves to the simulator's loopback port ([`DiscoveryHttp::connect_to`]); TLS
//! still verifies each name against the simulator's certificate, which lists them.

use std::fmt;

use autodiscover::driver::{self, NoSrv};
use autodiscover::{
    AuthScheme, Autodiscover, Config, LogonName, Method, PublicSuffix, Success, validate_ews_url,
};
use ews_client::{ClientBuilder, Credentials, HyperTransport, Secret, TokioClock};
use exchange_sim::{AutodiscoverRedirect, Simulator};

use super::discovery::{
    Answered, DiscoveryAuth, DiscoveryHttp, TrustList, attempts_table, describe_prompt, error_name,
};
use super::table::Table;
use super::{Error, Result};

/// The host the simulator redirects `dave@contoso.example` to.
pub const FOREIGN_HOST: &str = "autodiscover.hosted.example";

/// Starts the simulator the tour runs against (HTTPS, with a certificate for every host name used).
pub async fn start_simulator() -> Result<Simulator> {
    let foreign = format!("https://{FOREIGN_HOST}/autodiscover/autodiscover.xml");
    Ok(Simulator::builder()
        .https()
        .tls_name("contoso.example")
        .tls_name("autodiscover.contoso.example")
        .tls_name("fabrikam.example")
        .tls_name("autodiscover.fabrikam.example")
        .tls_name(FOREIGN_HOST)
        .user("alice@contoso.example", "alice-password")
        .user("mara@contoso.example", "mara-password")
        .user("mara@fabrikam.example", "mara-password")
        .user("dave@contoso.example", "dave-password")
        .autodiscover_redirect(
            "mara@contoso.example",
            AutodiscoverRedirect::Address("mara@fabrikam.example".into()),
        )
        .autodiscover_redirect("dave@contoso.example", AutodiscoverRedirect::Http(foreign))
        .start()
        .await?)
}

/// One discovery run and what it came to.
#[derive(Debug, Clone)]
pub struct DiscoveryRun {
    /// What the run shows.
    pub title: String,
    /// The address discovered.
    pub email: String,
    /// The confirmation prompts and their answers.
    pub prompts: Vec<Answered>,
    /// The settings, or the error with every attempt.
    pub result: std::result::Result<Success, autodiscover::Error>,
}

impl DiscoveryRun {
    /// Every attempt, from the success or the error.
    pub fn attempts(&self) -> &[autodiscover::Attempt] {
        match &self.result {
            Ok(success) => &success.attempts,
            Err(error) => error.attempts(),
        }
    }
}

/// One input read as a logon name and as a discovery address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCheck {
    /// As typed.
    pub input: String,
    /// What it is as a logon name, or why it is none.
    pub as_logon_name: std::result::Result<String, String>,
    /// Its domain as a discovery address, or why it is none.
    pub as_address: std::result::Result<String, String>,
}

/// One configured EWS URL, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlCheck {
    /// As configured.
    pub input: String,
    /// [`validate_ews_url`]'s verdict.
    pub validated: std::result::Result<String, String>,
    /// What building an EWS client for it says.
    pub client: std::result::Result<(), String>,
}

/// Everything the tour did.
#[derive(Debug, Clone)]
pub struct TourReport {
    /// Where the simulator listens.
    pub simulator: String,
    /// The three discovery runs.
    pub runs: Vec<DiscoveryRun>,
    /// The logon names.
    pub names: Vec<NameCheck>,
    /// The EWS URLs.
    pub urls: Vec<UrlCheck>,
}

/// Runs the tour against `sim` (from [`start_simulator`]).
pub async fn run(sim: &Simulator) -> Result<TourReport> {
    let certificate = sim
        .certificate_der()
        .ok_or_else(|| Error::Tls("the simulator serves no certificate (not https)".into()))?;
    let tls = super::tls::trusting(&[certificate])?;
    let address = sim
        .base_url()
        .strip_prefix("https://")
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| Error::Missing(format!("no address in {}", sim.base_url())))?;
    let transport = |auth| DiscoveryHttp::new(tls.clone(), auth).connect_to(address);
    let token = |user: &str| {
        sim.issue_token(user)
            .map(|t| DiscoveryAuth::Bearer(Secret::new(t)))
            .ok_or_else(|| Error::Missing(format!("the simulator has no user {user}")))
    };

    let mut runs = Vec::new();
    runs.push(
        discover(
            "the mailbox moved to another domain (OAuth token)",
            "mara@contoso.example",
            transport(token("mara@contoso.example")?),
            TrustList::new(["fabrikam.example"]),
        )
        .await?,
    );
    runs.push(
        discover(
            r"Basic as CONTOSO\alice, a down-level logon name",
            "alice@contoso.example",
            transport(DiscoveryAuth::Basic {
                username: r"CONTOSO\alice".into(),
                password: Secret::new("alice-password"),
            }),
            TrustList::default(),
        )
        .await?,
    );
    runs.push(
        discover(
            "redirected to a host outside the domain (OAuth token)",
            "dave@contoso.example",
            transport(token("dave@contoso.example")?),
            TrustList::default(),
        )
        .await?,
    );

    let names = [r"CONTOSO/alice", r"CONTOSO\alice", "alice@contoso.example"]
        .into_iter()
        .map(check_name)
        .collect();
    let urls = [
        "https://mail.contoso.example/EWS/Exchange.asmx",
        "http://mail.contoso.example/EWS/Exchange.asmx",
        "https://mail.contoso.example/owa",
        "https://alice@mail.contoso.example/EWS/Exchange.asmx",
        "mail.contoso.example",
    ]
    .into_iter()
    .map(|url| check_url(url, &tls))
    .collect();
    Ok(TourReport {
        simulator: sim.base_url().to_owned(),
        runs,
        names,
        urls,
    })
}

/// One discovery of `email` over `transport`, answering prompts with `trust`.
async fn discover(
    title: &str,
    email: &str,
    transport: DiscoveryHttp,
    trust: TrustList,
) -> Result<DiscoveryRun> {
    let schemes: Vec<AuthScheme> = transport.auth().scheme().into_iter().collect();
    let config = Config::new(email, PublicSuffix::mozilla())?
        .with_method(Method::Pox)
        .with_auth(schemes);
    let result = driver::run(Autodiscover::new(config), &transport, NoSrv, &trust).await;
    Ok(DiscoveryRun {
        title: title.to_owned(),
        email: email.to_owned(),
        prompts: trust.answered(),
        result,
    })
}

/// The reason of an Autodiscover input error, without the echoed input.
fn reason(error: autodiscover::Error) -> String {
    use autodiscover::Error as E;
    match error {
        E::InvalidUsername { reason, .. }
        | E::InvalidEmailAddress { reason, .. }
        | E::InvalidDomain { reason, .. }
        | E::InvalidEwsUrl { reason, .. } => reason,
        other => other.to_string(),
    }
}

fn check_name(input: &str) -> NameCheck {
    let as_logon_name = match LogonName::parse(input) {
        Ok(LogonName::DownLevel { domain, user }) => {
            Ok(format!("down-level: domain {domain}, user {user}"))
        }
        Ok(LogonName::UserPrincipalName { user, domain }) => {
            Ok(format!("UPN: user {user}, domain {domain}"))
        }
        Ok(other) => Ok(other.to_string()),
        Err(error) => Err(reason(error)),
    };
    let as_address = Config::new(input, PublicSuffix::mozilla())
        .map(|config| format!("discovers domain {}", config.email().domain()))
        .map_err(reason);
    NameCheck {
        input: input.to_owned(),
        as_logon_name,
        as_address,
    }
}

fn check_url(input: &str, tls: &std::sync::Arc<rustls::ClientConfig>) -> UrlCheck {
    let validated = validate_ews_url(input)
        .map(|url| url.to_string())
        .map_err(reason);
    let client = ClientBuilder::new(input, Credentials::basic("alice", "not-sent"))
        .build(HyperTransport::new(tls.clone()), TokioClock)
        .map(drop)
        .map_err(|error| match error {
            ews_client::Error::InsecureEndpoint { reason, .. } => reason,
            other => other.to_string(),
        });
    UrlCheck {
        input: input.to_owned(),
        validated,
        client,
    }
}

fn verdict<T>(result: &std::result::Result<T, String>, ok: impl FnOnce(&T) -> String) -> String {
    match result {
        Ok(value) => ok(value),
        Err(error) => format!("refused: {error}"),
    }
}

impl fmt::Display for TourReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Autodiscover (POX) against the simulator at {}: every host name connects there, and TLS \
             verifies each name.\n",
            self.simulator
        )?;
        for (n, run) in self.runs.iter().enumerate() {
            writeln!(f, "{}. {}: {}", n + 1, run.email, run.title)?;
            for prompt in &run.prompts {
                writeln!(f, "   Confirm? {}", describe_prompt(prompt))?;
            }
            write!(f, "{}", attempts_table(run.attempts()))?;
            match &run.result {
                Ok(success) => {
                    let version = success
                        .ews_version
                        .map(|v| format!(" (Exchange {v})"))
                        .unwrap_or_default();
                    writeln!(
                        f,
                        "=> EWS at {} for {}{version}\n",
                        success.ews_url, success.smtp_address
                    )?;
                }
                Err(error) => {
                    let first_line = error.to_string();
                    let first_line = first_line.lines().next().unwrap_or_default();
                    writeln!(f, "=> {}: {first_line}\n", error_name(error))?;
                }
            }
        }
        writeln!(f, "{}. Logon names", self.runs.len() + 1)?;
        let mut names = Table::new(["INPUT", "READ AS", "VERDICT"]);
        for check in &self.names {
            names.row([
                check.input.as_str(),
                "logon name",
                &verdict(&check.as_logon_name, String::clone),
            ]);
            names.row([
                "",
                "discovery address",
                &verdict(&check.as_address, String::clone),
            ]);
        }
        writeln!(f, "{names}")?;
        writeln!(f, "{}. Configured EWS URLs", self.runs.len() + 2)?;
        let mut urls = Table::new(["INPUT", "CHECKED BY", "VERDICT"]);
        for check in &self.urls {
            urls.row([
                check.input.as_str(),
                "validate_ews_url",
                &verdict(&check.validated, |_| "ok".to_owned()),
            ]);
            urls.row([
                "",
                "EWS client",
                &verdict(&check.client, |()| "ok".to_owned()),
            ]);
        }
        write!(f, "{urls}")
    }
}
