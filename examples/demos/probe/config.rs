//! The probe's configuration, from flags and `EXCHANGE_PROBE_*` environment variables (flags win).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use ews_client::Secret;

/// What the probe explains when it is not configured, or asked for `--help`.
pub const USAGE: &str = "\
Tests an Exchange server: Autodiscover, ResolveNames and the server version.

Set these environment variables (or pass the flags):
  EXCHANGE_PROBE_EMAIL          --email ADDRESS         the mailbox to test; discovered unless an EWS URL is given
  EXCHANGE_PROBE_EWS_URL        --ews-url URL           skip Autodiscover (https://HOST/EWS/Exchange.asmx)
  EXCHANGE_PROBE_AUTH           --auth METHOD           basic, ntlm or oauth (app-only); default ntlm, or oauth
                                                        when a client id is set
  EXCHANGE_PROBE_USER           --user NAME             logon name for basic and ntlm: user@domain or DOMAIN\\user
                                                        (default: the email address)
  EXCHANGE_PROBE_PASSWORD       --password PASSWORD     for basic and ntlm (prefer the variable: flags show in ps)
  EXCHANGE_PROBE_TENANT         --tenant TENANT         for oauth: the directory (tenant) id or domain
  EXCHANGE_PROBE_CLIENT_ID      --client-id ID          for oauth: the application (client) id
  EXCHANGE_PROBE_CLIENT_SECRET  --client-secret SECRET  for oauth: the client secret
  EXCHANGE_PROBE_LOGIN_URL      --login-url URL         for oauth: the identity platform (default
                                                        https://login.microsoftonline.com/)
  EXCHANGE_PROBE_IMPERSONATE=1  --impersonate           act on the email's mailbox through ExchangeImpersonation
                                                        (a service account; always on for oauth app-only)
  EXCHANGE_PROBE_CA_FILE        --ca-file PATH          also trust the certificates of this PEM file
  EXCHANGE_PROBE_TRUST          --trust HOST            accept Autodiscover redirects to this host or domain
                                                        (repeatable; the variable takes a comma-separated list)
  EXCHANGE_PROBE_CONNECT_TO     --connect-to IP:PORT    Autodiscover connects there for every host name (TLS still
                                                        checks the names), like curl --connect-to
  EXCHANGE_PROBE_ALLOW_LOOPBACK_HTTP=1 --allow-loopback-http
                                                        allow an http:// EWS URL to a loopback address (tests)

Examples:
  EXCHANGE_PROBE_EMAIL=mara@contoso.com EXCHANGE_PROBE_USER='CONTOSO\\mara' EXCHANGE_PROBE_PASSWORD=... \\
    EXCHANGE_PROBE_AUTH=basic cargo run --example probe
  EXCHANGE_PROBE_PASSWORD=... cargo run --example probe -- --user 'CONTOSO\\mara' --email mara@contoso.com \\
    --ews-url https://mail.contoso.com/EWS/Exchange.asmx
  EXCHANGE_PROBE_CLIENT_SECRET=... cargo run --example probe -- --auth oauth --tenant contoso.onmicrosoft.com \\
    --client-id 00000000-0000-0000-0000-000000000000 --email mara@contoso.com \\
    --ews-url https://outlook.office365.com/EWS/Exchange.asmx
";

/// How the probe authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeAuth {
    /// HTTP Basic.
    Basic {
        /// The logon name.
        user: String,
        /// The password.
        password: Secret,
    },
    /// NTLMv2.
    Ntlm {
        /// The logon name.
        user: String,
        /// The password.
        password: Secret,
    },
    /// OAuth app-only (client credentials grant, scope `https://outlook.office365.com/.default`).
    AppOnly {
        /// The tenant.
        tenant: String,
        /// The application (client) id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
        /// The identity platform.
        login_url: String,
    },
}

impl ProbeAuth {
    /// `basic`, `ntlm` or `oauth`.
    pub fn name(&self) -> &'static str {
        match self {
            ProbeAuth::Basic { .. } => "basic",
            ProbeAuth::Ntlm { .. } => "ntlm",
            ProbeAuth::AppOnly { .. } => "oauth",
        }
    }
}

impl fmt::Display for ProbeAuth {
    /// The method and who, never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeAuth::Basic { user, .. } | ProbeAuth::Ntlm { user, .. } => {
                write!(f, "{} as {user} (password set, not shown)", self.name())
            }
            ProbeAuth::AppOnly {
                tenant, client_id, ..
            } => write!(
                f,
                "oauth app-only as application {client_id} in tenant {tenant} (secret set, not shown)"
            ),
        }
    }
}

/// Everything the probe needs. `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeConfig {
    /// The mailbox to test.
    pub email: Option<String>,
    /// A configured EWS URL (skips Autodiscover).
    pub ews_url: Option<String>,
    /// Credentials.
    pub auth: ProbeAuth,
    /// Whether to impersonate the email's mailbox.
    pub impersonate: bool,
    /// Extra trust anchors.
    pub ca_file: Option<PathBuf>,
    /// Redirect targets to accept.
    pub trust: Vec<String>,
    /// Where Autodiscover connects for every host.
    pub connect_to: Option<SocketAddr>,
    /// Whether an http:// EWS URL to a loopback address is allowed.
    pub allow_loopback_http: bool,
}

/// Why the probe cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `--help` was asked for.
    #[error("{USAGE}")]
    Help,
    /// Nothing says what to test.
    #[error("nothing to probe: set EXCHANGE_PROBE_EMAIL or EXCHANGE_PROBE_EWS_URL.\n\n{USAGE}")]
    NotConfigured,
    /// A setting is missing or wrong.
    #[error("{0}\n\nRun with --help for every setting.")]
    Invalid(String),
}

impl ConfigError {
    /// The exit status: 0 for `--help`, 2 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ConfigError::Help => 0,
            _ => 2,
        }
    }
}

/// The flags that take a value, with their variable.
const VALUED: &[(&str, &str)] = &[
    ("--email", "EMAIL"),
    ("--ews-url", "EWS_URL"),
    ("--auth", "AUTH"),
    ("--user", "USER"),
    ("--password", "PASSWORD"),
    ("--tenant", "TENANT"),
    ("--client-id", "CLIENT_ID"),
    ("--client-secret", "CLIENT_SECRET"),
    ("--login-url", "LOGIN_URL"),
    ("--ca-file", "CA_FILE"),
    ("--trust", "TRUST"),
    ("--connect-to", "CONNECT_TO"),
];

/// The switches, with their variable.
const SWITCHES: &[(&str, &str)] = &[
    ("--impersonate", "IMPERSONATE"),
    ("--allow-loopback-http", "ALLOW_LOOPBACK_HTTP"),
];

/// Settings by variable suffix, flags over the environment.
struct Settings<'a> {
    flags: Vec<(&'static str, String)>,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Settings<'_> {
    fn get(&self, key: &str) -> Option<String> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| (self.env)(&format!("EXCHANGE_PROBE_{key}")))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn all(&self, key: &str) -> Vec<String> {
        let flags: Vec<String> = self
            .flags
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .collect();
        let values = if flags.is_empty() {
            (self.env)(&format!("EXCHANGE_PROBE_{key}"))
                .map(|v| v.split(',').map(str::to_owned).collect())
                .unwrap_or_default()
        } else {
            flags
        };
        values
            .into_iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn switch(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no"))
    }

    fn required(&self, key: &str, flag: &str, why: &str) -> Result<String, ConfigError> {
        self.get(key).ok_or_else(|| {
            ConfigError::Invalid(format!("{why} needs EXCHANGE_PROBE_{key} (or {flag})"))
        })
    }
}

fn read_flags(args: &[String]) -> Result<Vec<(&'static str, String)>, ConfigError> {
    let mut flags = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            return Err(ConfigError::Help);
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        if let Some((_, key)) = SWITCHES.iter().find(|(flag, _)| *flag == name) {
            flags.push((*key, inline.unwrap_or_else(|| "1".to_owned())));
            continue;
        }
        let Some((flag, key)) = VALUED.iter().find(|(flag, _)| *flag == name) else {
            return Err(ConfigError::Invalid(format!("unknown argument {arg:?}")));
        };
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .cloned()
                .ok_or_else(|| ConfigError::Invalid(format!("{flag} needs a value")))?,
        };
        flags.push((*key, value));
    }
    Ok(flags)
}

/// Reads the configuration from `args` (without the program name) and the environment `env`.
///
/// ```
/// use examples::demos::probe::{ConfigError, parse_config};
///
/// let nothing = parse_config(&[], &|_| None).unwrap_err();
/// assert_eq!(nothing, ConfigError::NotConfigured);
/// assert!(nothing.to_string().contains("EXCHANGE_PROBE_EMAIL"));
///
/// let args = ["--email", "mara@contoso.com", "--auth", "basic"].map(String::from);
/// let config = parse_config(&args, &|name| {
///     (name == "EXCHANGE_PROBE_PASSWORD").then(|| "Pa55w0rd".to_owned())
/// })
/// .unwrap();
/// assert_eq!(config.auth.to_string(), "basic as mara@contoso.com (password set, not shown)");
/// assert!(!format!("{config:?}").contains("Pa55w0rd"));
/// ```
pub fn parse_config(
    args: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ProbeConfig, ConfigError> {
    let settings = Settings {
        flags: read_flags(args)?,
        env,
    };
    let email = settings.get("EMAIL");
    let ews_url = settings.get("EWS_URL");
    if email.is_none() && ews_url.is_none() {
        return Err(ConfigError::NotConfigured);
    }
    let method = match settings.get("AUTH") {
        Some(method) => method.to_ascii_lowercase(),
        None if settings.get("CLIENT_ID").is_some() => "oauth".to_owned(),
        None => "ntlm".to_owned(),
    };
    let password = |method: &str| {
        settings
            .required("PASSWORD", "--password", method)
            .map(Secret::new)
    };
    let user = || {
        settings
            .get("USER")
            .or_else(|| email.clone())
            .ok_or_else(|| {
                ConfigError::Invalid(
                    "a logon name is needed: EXCHANGE_PROBE_USER (or --user), or an email address"
                        .into(),
                )
            })
    };
    let auth = match method.as_str() {
        "basic" => ProbeAuth::Basic {
            user: user()?,
            password: password("basic")?,
        },
        "ntlm" => ProbeAuth::Ntlm {
            user: user()?,
            password: password("ntlm")?,
        },
        "oauth" => ProbeAuth::AppOnly {
            tenant: settings.required("TENANT", "--tenant", "oauth")?,
            client_id: settings.required("CLIENT_ID", "--client-id", "oauth")?,
            client_secret: Secret::new(settings.required(
                "CLIENT_SECRET",
                "--client-secret",
                "oauth",
            )?),
            login_url: settings
                .get("LOGIN_URL")
                .unwrap_or_else(|| "https://login.microsoftonline.com/".to_owned()),
        },
        other => {
            return Err(ConfigError::Invalid(format!(
                "unknown auth method {other:?}: use basic, ntlm or oauth"
            )));
        }
    };
    let impersonate = settings.switch("IMPERSONATE") || matches!(auth, ProbeAuth::AppOnly { .. });
    if impersonate && email.is_none() {
        return Err(ConfigError::Invalid(
            "impersonation (and oauth app-only) needs the mailbox: EXCHANGE_PROBE_EMAIL (or --email)"
                .into(),
        ));
    }
    let connect_to = settings
        .get("CONNECT_TO")
        .map(|v| {
            v.parse()
                .map_err(|_| ConfigError::Invalid(format!("--connect-to {v:?} is not IP:PORT")))
        })
        .transpose()?;
    Ok(ProbeConfig {
        email,
        ews_url,
        auth,
        impersonate,
        ca_file: settings.get("CA_FILE").map(PathBuf::from),
        trust: settings.all("TRUST"),
        connect_to,
        allow_loopback_http: settings.switch("ALLOW_LOOPBACK_HTTP"),
    })
}
