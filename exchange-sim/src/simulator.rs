//! The public face: [`Simulator::builder`], the URLs, the store, the request log and fault injection.

use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use sha2::{Digest, Sha256};

use crate::config::{
    AppConfig, AutodiscoverRedirect, Config, DistributionList, Password, UserConfig,
};
use crate::error::Error;
use crate::faults::{FaultPlan, FaultRule, RandomFaults};
use crate::ids::StateKey;
use crate::log::LogEntry;
use crate::server::{self, Principal, Running, Shared, Tokens, lock};
use crate::store::Store;

/// The tenant the token endpoint answers for unless [`SimulatorBuilder::tenant`] says otherwise.
pub const DEFAULT_TENANT: &str = "contoso.example";

/// Configures and starts a [`Simulator`].
#[derive(Debug, Default)]
pub struct SimulatorBuilder {
    users: Vec<UserConfig>,
    service_account: Option<UserConfig>,
    apps: Vec<AppConfig>,
    tenant: Option<String>,
    https: bool,
    tls_names: Vec<String>,
    faults: Vec<FaultRule>,
    random: Option<RandomFaults>,
    redirects: Vec<(String, AutodiscoverRedirect)>,
    seed: Option<u64>,
    distribution_lists: Vec<DistributionList>,
}

fn display_name(address: &str) -> String {
    let local = address.split('@').next().unwrap_or(address);
    let mut chars = local.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => address.to_owned(),
    }
}

impl SimulatorBuilder {
    /// Adds a user with a mailbox; the display name is made from the address.
    pub fn user(self, address: impl Into<String>, password: impl Into<String>) -> Self {
        let address = address.into();
        let name = display_name(&address);
        self.user_named(address, name, password)
    }

    /// Adds a user with a mailbox and a display name.
    pub fn user_named(
        mut self,
        address: impl Into<String>,
        display_name: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.users.push(UserConfig {
            address: address.into(),
            display_name: display_name.into(),
            password: Password::new(password),
            has_mailbox: true,
        });
        self
    }

    /// The service account: it has no mailbox of its own and may impersonate every user (the
    /// ApplicationImpersonation role). Any other account that sends `ExchangeImpersonation` gets
    /// `ErrorImpersonateUserDenied`.
    pub fn service_account(
        mut self,
        address: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        let address = address.into();
        self.service_account = Some(UserConfig {
            display_name: display_name(&address),
            address,
            password: Password::new(password),
            has_mailbox: false,
        });
        self
    }

    /// Registers a confidential application (client credentials, authorization code, refresh). An
    /// app-only token may act on any mailbox (Graph `/users/{id}`, EWS with impersonation).
    pub fn app(mut self, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.apps.push(AppConfig {
            client_id: client_id.into(),
            secret: Some(Password::new(secret)),
        });
        self
    }

    /// Registers a public application (device code, authorization code with PKCE, refresh).
    pub fn public_app(mut self, client_id: impl Into<String>) -> Self {
        self.apps.push(AppConfig {
            client_id: client_id.into(),
            secret: None,
        });
        self
    }

    /// The tenant of the token endpoint (`/{tenant}/oauth2/v2.0/token`); default
    /// [`DEFAULT_TENANT`].
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// Serves HTTPS instead of HTTP, with a certificate made at start for `localhost` and `127.0.0.1`
    /// (see [`Simulator::certificate_der`]).
    pub fn https(mut self) -> Self {
        self.https = true;
        self
    }

    /// Adds a host name to the HTTPS certificate (for clients that connect by name, such as
    /// Autodiscover's `autodiscover.contoso.example`).
    pub fn tls_name(mut self, name: impl Into<String>) -> Self {
        self.tls_names.push(name.into());
        self
    }

    /// Queues a scripted fault.
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// Injects random faults, reproducibly from their seed.
    pub fn random_faults(mut self, random: RandomFaults) -> Self {
        self.random = Some(random);
        self
    }

    /// Makes Autodiscover answer `email` with a redirect instead of settings.
    pub fn autodiscover_redirect(
        mut self,
        email: impl Into<String>,
        redirect: AutodiscoverRedirect,
    ) -> Self {
        self.redirects.push((email.into(), redirect));
        self
    }

    /// Adds a distribution list (ExpandDL answers with its members, in order).
    pub fn distribution_list(
        mut self,
        address: impl Into<String>,
        display_name: impl Into<String>,
        members: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.distribution_lists.push(DistributionList {
            address: address.into(),
            display_name: display_name.into(),
            members: members.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Fixes the seed of everything the simulator draws (the sync state key, NTLM challenges, tokens),
    /// so runs are reproducible.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Binds an ephemeral loopback port and starts serving. Without any user, `alice@contoso.example`
    /// and `bob@contoso.example` (password `password`) are created.
    pub async fn start(self) -> Result<Simulator, Error> {
        let mut users = self.users;
        if users.is_empty() {
            for address in ["alice@contoso.example", "bob@contoso.example"] {
                users.push(UserConfig {
                    address: address.to_owned(),
                    display_name: display_name(address),
                    password: Password::new("password"),
                    has_mailbox: true,
                });
            }
        }
        let service_account = self.service_account.as_ref().map(|s| s.address.clone());
        users.extend(self.service_account);
        let seed = self
            .seed
            .unwrap_or_else(|| RandomState::new().hash_one(std::time::SystemTime::now()));
        let key: [u8; 32] = Sha256::digest(seed.to_le_bytes()).into();
        let mut store = Store::new(StateKey::new(key));
        for user in users.iter().filter(|u| u.has_mailbox) {
            store.add_mailbox(&user.address, &user.display_name);
        }
        let mut plan = FaultPlan::default();
        for rule in self.faults {
            plan.push(rule);
        }
        plan.set_random(self.random);
        let config = Config {
            users,
            service_account,
            apps: self.apps,
            tenant: self.tenant.unwrap_or_else(|| DEFAULT_TENANT.to_owned()),
            https: self.https,
            autodiscover_redirects: self.redirects,
            distribution_lists: self.distribution_lists,
        };
        let shared = Arc::new(Shared {
            config,
            store: Mutex::new(store),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(plan),
            tokens: Mutex::new(Tokens::new(seed)),
            base: OnceLock::new(),
            changed: tokio::sync::Notify::new(),
            close_streams: tokio::sync::watch::Sender::new(0),
        });
        let running = server::start(shared.clone(), &self.tls_names).await?;
        Ok(Simulator {
            shared,
            running: Some(running),
        })
    }
}

/// A running simulated Exchange on an ephemeral loopback port. Dropping it stops the server; so does
/// [`Simulator::shutdown`], which also waits for it.
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    running: Option<Running>,
}

impl Simulator {
    /// A builder.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// Starts a simulator with the default users (see [`SimulatorBuilder::start`]).
    pub async fn start() -> Result<Simulator, Error> {
        Simulator::builder().start().await
    }

    /// `http://127.0.0.1:PORT` (or `https://`).
    pub fn base_url(&self) -> &str {
        self.shared.base()
    }

    /// The EWS endpoint.
    pub fn ews_url(&self) -> String {
        format!("{}/EWS/Exchange.asmx", self.base_url())
    }

    /// The Graph base URL (`.../v1.0`), for `Graph::with_base_url`.
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url())
    }

    /// The POX Autodiscover endpoint.
    pub fn autodiscover_url(&self) -> String {
        format!("{}/autodiscover/autodiscover.xml", self.base_url())
    }

    /// The JSON Autodiscover URL for `email`.
    pub fn autodiscover_json_url(&self, email: &str) -> String {
        format!(
            "{}/autodiscover/autodiscover.json/v1.0/{email}?Protocol=EWS",
            self.base_url()
        )
    }

    /// The login host, for `Authority::tenant(sim.tenant()).with_host(&sim.login_url())`.
    pub fn login_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// The tenant the token endpoint answers for.
    pub fn tenant(&self) -> &str {
        &self.shared.config.tenant
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.base_url(), self.tenant())
    }

    /// The HTTPS certificate (DER), when serving HTTPS: add it to the client's trust roots.
    pub fn certificate_der(&self) -> Option<&[u8]> {
        let certificate = self.running.as_ref()?.certificate.as_ref()?;
        Some(certificate.der.as_ref())
    }

    /// The HTTPS certificate (PEM), when serving HTTPS.
    pub fn certificate_pem(&self) -> Option<&str> {
        let certificate = self.running.as_ref()?.certificate.as_ref()?;
        Some(&certificate.pem)
    }

    /// Direct access to the store, to seed items and inspect mailboxes. Do not hold it across an
    /// `.await` on a request to the simulator: requests wait for it.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.shared.store)
    }

    /// The requests answered so far, oldest first.
    pub fn requests(&self) -> Vec<LogEntry> {
        lock(&self.shared.log).clone()
    }

    /// How many logged requests satisfy `filter`.
    pub fn count_requests(&self, filter: impl Fn(&LogEntry) -> bool) -> usize {
        lock(&self.shared.log).iter().filter(|e| filter(e)).count()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Queues a scripted fault (after the ones already queued).
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Starts (or with `None` stops) random faults.
    pub fn set_random_faults(&self, random: Option<RandomFaults>) {
        lock(&self.shared.faults).set_random(random);
    }

    /// Removes every queued and random fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Issues a delegated access token for `user` directly (as if they had signed in), for tests
    /// that do not exercise an OAuth flow. `None` when there is no such user.
    pub fn issue_token(&self, user: &str) -> Option<String> {
        let address = self.shared.config.user(user)?.address.clone();
        let (token, _) = lock(&self.shared.tokens).issue(
            Principal::User(address),
            "exchange-sim-test",
            "https://graph.microsoft.com/.default",
            false,
        );
        Some(token)
    }

    /// Issues an app-only access token for a registered application.
    pub fn issue_app_token(&self, client_id: &str) -> Option<String> {
        self.shared.config.app(client_id)?;
        let (token, _) = lock(&self.shared.tokens).issue(
            Principal::App(client_id.to_owned()),
            client_id,
            "https://graph.microsoft.com/.default",
            false,
        );
        Some(token)
    }

    /// Signs `user` in for a pending device code sign-in (the user typed `user_code`); the client's
    /// next poll gets a token. `false` when the code or user is unknown.
    pub fn approve_device_code(&self, user_code: &str, user: &str) -> bool {
        let Some(address) = self.shared.config.user(user).map(|u| u.address.clone()) else {
            return false;
        };
        let mut tokens = lock(&self.shared.tokens);
        let Some(sign_in) = tokens
            .devices
            .values_mut()
            .find(|d| d.user_code == user_code)
        else {
            return false;
        };
        sign_in.approved_for = Some(address);
        true
    }

    /// Ends every open GetStreamingEvents response now: each sends its last envelope (with
    /// `ConnectionStatus` `Closed`) and finishes, as when its `ConnectionTimeout` is reached. The
    /// subscriptions stay; a client reconnects with them.
    pub fn close_streams(&self) {
        self.shared
            .close_streams
            .send_modify(|generation| *generation += 1);
    }

    /// Stops accepting connections, closes the open ones and waits until the server is gone.
    pub async fn shutdown(mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.shutdown.send(true);
            let _ = running.task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.shutdown.send(true);
            running.task.abort();
        }
    }
}
