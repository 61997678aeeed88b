//! The probe against the simulator (HTTPS, its certificate passed with `--ca-file`, Autodiscover host
//! names sent to it with `--connect-to`): good credentials pass every step with Basic, NTLM and OAuth
//! app-only; a wrong password is `Unauthorized`; an unknown mailbox is `ErrorNonExistentMailbox`;
//! plain http is refused unless loopback and asked for; without configuration it explains what to
//! set and exits 2. No output ever holds a secret.

use std::collections::HashMap;

use examples::demos::probe::{self, CliOutput, ConfigError, ProbeAuth, StepOutcome, parse_config};
use exchange_sim::Simulator;

const ALICE_PASSWORD: &str = "alice-Pa55";
const SERVICE_PASSWORD: &str = "svc-Pa55";
const APP_SECRET: &str = "app-client-secret";

struct Setup {
    sim: Simulator,
    _dir: tempfile::TempDir,
    ca_file: String,
    address: String,
}

async fn setup() -> Setup {
    let sim = Simulator::builder()
        .https()
        .tls_name("contoso.example")
        .tls_name("autodiscover.contoso.example")
        .user("alice@contoso.example", ALICE_PASSWORD)
        .service_account("svc@contoso.example", SERVICE_PASSWORD)
        .app("probe-app", APP_SECRET)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("simulator.pem");
    std::fs::write(&ca_file, sim.certificate_pem().unwrap()).unwrap();
    let address = sim.base_url().trim_start_matches("https://").to_owned();
    Setup {
        ca_file: ca_file.display().to_string(),
        address,
        sim,
        _dir: dir,
    }
}

impl Setup {
    /// Runs the probe's `main` logic with `args` plus the simulator's trust and address, and `env`.
    async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> CliOutput {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(["--ca-file", &self.ca_file, "--connect-to", &self.address].map(String::from));
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let output = probe::cli(&all, &|name| env.get(name).cloned()).await;
        for secret in [
            ALICE_PASSWORD,
            SERVICE_PASSWORD,
            APP_SECRET,
            "wrong-password",
        ] {
            assert!(
                !output.stdout.contains(secret) && !output.stderr.contains(secret),
                "a secret was printed:\n{}{}",
                output.stdout,
                output.stderr
            );
        }
        output
    }
}

/// The `RESULT` and `DETAIL` cells of `step` in the printed table, as `RESULT DETAIL`.
fn line(output: &CliOutput, step: &str) -> String {
    let row = output
        .stdout
        .lines()
        .find(|l| l.starts_with(step))
        .unwrap_or_else(|| panic!("no {step} line in\n{}", output.stdout));
    let rest = row[step.len()..].trim_start();
    let (result, detail) = rest.split_once(' ').unwrap_or((rest, ""));
    format!("{result} {}", detail.trim_start())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_credentials_pass_every_step_with_basic_ntlm_and_oauth() {
    let s = setup().await;
    let password = [("EXCHANGE_PROBE_PASSWORD", ALICE_PASSWORD)];

    let basic = s
        .run(
            &["--email", "alice@contoso.example", "--auth", "basic"],
            &password,
        )
        .await;
    assert_eq!(basic.code, 0, "{}", basic.stdout);
    let discovered = format!(
        "{} for alice@contoso.example, Exchange 15.1.2507",
        s.sim.ews_url()
    );
    assert!(
        line(&basic, "autodiscover").contains(&discovered),
        "{}",
        basic.stdout
    );
    assert!(
        line(&basic, "resolve names")
            .contains("ok alice@contoso.example: Alice <alice@contoso.example>"),
        "{}",
        basic.stdout
    );
    assert!(
        line(&basic, "server version").contains("15.1.2507.6 (Exchange 2016, schema Exchange2016)"),
        "{}",
        basic.stdout
    );
    assert!(
        basic.stdout.contains("settings returned"),
        "the attempts are listed"
    );

    // NTLM needs the EWS URL (Autodiscover is not offered NTLM here); a down-level name works.
    let ntlm = s
        .run(
            &[
                "--email",
                "alice@contoso.example",
                "--user",
                r"CONTOSO\alice",
                "--ews-url",
                &s.sim.ews_url(),
            ],
            &password,
        )
        .await;
    assert_eq!(ntlm.code, 0, "{}", ntlm.stdout);
    assert!(line(&ntlm, "autodiscover").contains("skipped EWS URL given"));
    assert!(line(&ntlm, "resolve names").contains("Alice <alice@contoso.example>"));

    let oauth = s
        .run(
            &[
                "--auth",
                "oauth",
                "--tenant",
                s.sim.tenant(),
                "--client-id",
                "probe-app",
                "--login-url",
                &s.sim.login_url(),
                "--email",
                "alice@contoso.example",
            ],
            &[("EXCHANGE_PROBE_CLIENT_SECRET", APP_SECRET)],
        )
        .await;
    assert_eq!(oauth.code, 0, "{}", oauth.stdout);
    assert!(line(&oauth, "oauth token").starts_with("ok token for "));
    assert!(line(&oauth, "autodiscover").contains(&discovered));
    assert!(line(&oauth, "resolve names").contains("Alice <alice@contoso.example>"));
    // App-only acts on the mailbox through impersonation.
    let impersonated = s.sim.count_requests(|e| {
        e.operation == "ResolveNames"
            && e.principal.as_deref() == Some("probe-app")
            && e.mailbox.as_deref() == Some("alice@contoso.example")
    });
    assert_eq!(impersonated, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_unauthorized_in_autodiscover_and_in_ews() {
    let s = setup().await;
    let wrong = [("EXCHANGE_PROBE_PASSWORD", "wrong-password")];
    let discovered = s
        .run(
            &["--email", "alice@contoso.example", "--auth", "basic"],
            &wrong,
        )
        .await;
    assert_eq!(discovered.code, 1);
    assert!(
        line(&discovered, "autodiscover").contains("FAILED Unauthorized: "),
        "{}",
        discovered.stdout
    );
    assert!(line(&discovered, "resolve names").contains("skipped no EWS URL"));

    let direct = s
        .run(
            &[
                "--email",
                "alice@contoso.example",
                "--auth",
                "basic",
                "--ews-url",
                &s.sim.ews_url(),
            ],
            &wrong,
        )
        .await;
    assert_eq!(direct.code, 1);
    assert!(
        line(&direct, "resolve names").contains("FAILED Unauthorized: "),
        "{}",
        direct.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_mailbox_is_error_non_existent_mailbox() {
    let s = setup().await;
    // Autodiscover in the mailbox's own domain says so.
    let discovered = s
        .run(
            &[
                "--email",
                "nobody@contoso.example",
                "--user",
                "alice@contoso.example",
                "--auth",
                "basic",
            ],
            &[("EXCHANGE_PROBE_PASSWORD", ALICE_PASSWORD)],
        )
        .await;
    assert_eq!(discovered.code, 1);
    assert!(
        line(&discovered, "autodiscover").contains("FAILED ErrorNonExistentMailbox: "),
        "{}",
        discovered.stdout
    );

    // So does EWS, to a service account impersonating it.
    let impersonated = s
        .run(
            &[
                "--email",
                "nobody@contoso.example",
                "--user",
                "svc@contoso.example",
                "--auth",
                "basic",
                "--impersonate",
                "--ews-url",
                &s.sim.ews_url(),
            ],
            &[("EXCHANGE_PROBE_PASSWORD", SERVICE_PASSWORD)],
        )
        .await;
    assert_eq!(impersonated.code, 1);
    assert!(
        line(&impersonated, "resolve names").contains("FAILED ErrorNonExistentMailbox: "),
        "{}",
        impersonated.stdout
    );
    assert!(line(&impersonated, "server version").starts_with("skipped"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_needs_a_loopback_url_and_the_flag() {
    let s = setup().await;
    let plain = Simulator::builder()
        .user("alice@contoso.example", ALICE_PASSWORD)
        .app("probe-app", APP_SECRET)
        .start()
        .await
        .unwrap();
    let password = [("EXCHANGE_PROBE_PASSWORD", ALICE_PASSWORD)];
    let base = [
        "--email",
        "alice@contoso.example",
        "--auth",
        "basic",
        "--ews-url",
    ];

    let refused = s
        .run(&[&base[..], &[&plain.ews_url()]].concat(), &password)
        .await;
    assert_eq!(refused.code, 1);
    assert!(
        line(&refused, "autodiscover").contains("FAILED InvalidEwsUrl: "),
        "{}",
        refused.stdout
    );
    assert_eq!(plain.requests().len(), 0, "nothing was sent over http");

    let remote = "http://mail.contoso.example/EWS/Exchange.asmx";
    let still_refused = s
        .run(
            &[&base[..], &[remote, "--allow-loopback-http"]].concat(),
            &password,
        )
        .await;
    assert!(line(&still_refused, "autodiscover").contains("FAILED InvalidEwsUrl: "));

    let allowed = s
        .run(
            &[&base[..], &[&plain.ews_url(), "--allow-loopback-http"]].concat(),
            &password,
        )
        .await;
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);
    assert!(line(&allowed, "resolve names").contains("Alice <alice@contoso.example>"));

    // The client secret goes to the identity platform over https only, too.
    let oauth = [
        "--auth",
        "oauth",
        "--tenant",
        "contoso.example",
        "--client-id",
        "probe-app",
        "--email",
        "alice@contoso.example",
        "--login-url",
        plain.base_url(),
    ];
    let secret = [("EXCHANGE_PROBE_CLIENT_SECRET", APP_SECRET)];
    let refused = s.run(&oauth, &secret).await;
    assert!(
        line(&refused, "oauth token").starts_with("FAILED InvalidLoginUrl: "),
        "{}",
        refused.stdout
    );
    assert_eq!(
        plain.count_requests(|e| e.endpoint == exchange_sim::Endpoint::Token),
        0
    );
    let allowed = s
        .run(&[&oauth[..], &["--allow-loopback-http"]].concat(), &secret)
        .await;
    assert!(
        line(&allowed, "oauth token").starts_with("ok "),
        "{}",
        allowed.stdout
    );
}

#[tokio::test]
async fn without_configuration_it_explains_what_to_set_and_exits_2() {
    let output = probe::cli(&[], &|_| None).await;
    assert_eq!(output.code, 2);
    assert!(output.stdout.is_empty());
    for setting in [
        "EXCHANGE_PROBE_EMAIL",
        "EXCHANGE_PROBE_EWS_URL",
        "EXCHANGE_PROBE_AUTH",
        "EXCHANGE_PROBE_PASSWORD",
        "EXCHANGE_PROBE_CLIENT_ID",
    ] {
        assert!(output.stderr.contains(setting), "{setting} not explained");
    }
    assert_eq!(
        parse_config(&[], &|_| None),
        Err(ConfigError::NotConfigured)
    );

    let help = probe::cli(&["--help".to_owned()], &|_| None).await;
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("EXCHANGE_PROBE_EMAIL"));
}

#[test]
fn configuration_comes_from_flags_over_the_environment() {
    let env: HashMap<&str, &str> = [
        ("EXCHANGE_PROBE_EMAIL", "env@contoso.example"),
        ("EXCHANGE_PROBE_PASSWORD", "from-env"),
        ("EXCHANGE_PROBE_TRUST", "a.example, b.example"),
        ("EXCHANGE_PROBE_IMPERSONATE", "1"),
    ]
    .into();
    let lookup = |name: &str| env.get(name).map(|v| v.to_string());
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let config = parse_config(
        &args(&["--email=flag@contoso.example", "--auth", "basic"]),
        &lookup,
    )
    .unwrap();
    assert_eq!(config.email.as_deref(), Some("flag@contoso.example"));
    assert!(config.impersonate);
    assert_eq!(config.trust, ["a.example", "b.example"]);
    let ProbeAuth::Basic { user, password } = &config.auth else {
        panic!("{config:?}");
    };
    assert_eq!(
        user, "flag@contoso.example",
        "the logon name defaults to the email"
    );
    assert_eq!(password.expose(), "from-env");
    assert!(!format!("{config:?}").contains("from-env"));

    let trusted = parse_config(
        &args(&["--trust", "c.example", "--trust", "d.example"]),
        &lookup,
    )
    .unwrap();
    assert_eq!(trusted.trust, ["c.example", "d.example"]);
    assert!(
        matches!(trusted.auth, ProbeAuth::Ntlm { .. }),
        "ntlm by default"
    );

    let oauth =
        parse_config(&args(&["--auth", "oauth", "--client-id", "app"]), &lookup).unwrap_err();
    assert!(
        oauth.to_string().contains("EXCHANGE_PROBE_TENANT"),
        "{oauth}"
    );
    let unknown = parse_config(&args(&["--pasword", "x"]), &lookup).unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("unknown argument \"--pasword\""),
        "{unknown}"
    );
    let bad_method = parse_config(&args(&["--auth", "kerberos"]), &lookup).unwrap_err();
    assert!(bad_method.to_string().contains("use basic, ntlm or oauth"));
    let bad_address = parse_config(&args(&["--connect-to", "localhost"]), &lookup).unwrap_err();
    assert_eq!(bad_address.exit_code(), 2);

    let nothing = |name: &str| (name == "EXCHANGE_PROBE_PASSWORD").then(|| "pw".to_owned());
    let no_password =
        parse_config(&args(&["--email", "a@contoso.example"]), &|_| None).unwrap_err();
    assert!(
        no_password
            .to_string()
            .contains("ntlm needs EXCHANGE_PROBE_PASSWORD")
    );
    let impersonate_without_mailbox = parse_config(
        &args(&[
            "--ews-url",
            "https://mail.contoso.example/EWS/Exchange.asmx",
            "--user",
            "svc",
            "--impersonate",
        ]),
        &nothing,
    )
    .unwrap_err();
    assert!(
        impersonate_without_mailbox
            .to_string()
            .contains("needs the mailbox")
    );
}

#[test]
fn step_outcomes_decide_the_exit_code() {
    let mut report = probe::ProbeReport::default();
    report.steps.push(probe::StepResult {
        step: "autodiscover",
        outcome: StepOutcome::Skipped("EWS URL given".into()),
    });
    assert_eq!(report.exit_code(), 0);
    report.steps.push(probe::StepResult {
        step: "resolve names",
        outcome: StepOutcome::Failed {
            error: "Unauthorized".into(),
            message: "401".into(),
        },
    });
    assert_eq!(report.exit_code(), 1);
    assert!(
        report
            .to_string()
            .contains("resolve names  FAILED   Unauthorized: 401"),
        "{report}"
    );
}
