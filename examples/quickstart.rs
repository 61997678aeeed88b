//! The whole product in one run: a simulated Exchange, an in-memory CRM, and a two-way sync of
//! contacts, tasks, emails and meetings for two users — alice over EWS (a service account
//! impersonating her) and bob over Microsoft Graph (app-only) — driven by the polling runner.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! The Graph client sends its token over plain http here only because the simulator listens on
//! loopback; against Microsoft 365 the same code runs over https.
//!
//! It syncs once, makes edits on both sides (including a conflict and an item untagged in Outlook),
//! syncs again, and prints per-user status tables, the conflicts and how they were decided, and the
//! activity log.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use ews_client::{ClientBuilder, Credentials, HyperTransport, TokioClock};
use ews_types::items::{CalendarItem, Contact, EmailAddressEntry, Item, Message};
use ews_types::types::{Body, EmailAddress, ItemId, SingleRecipient};
use examples::sync::crm::Crm;
use examples::sync::ews_adapter::EwsMailbox;
use examples::sync::ews_mapping::folder_of;
use examples::sync::graph_adapter::{GraphMailbox, HyperGraphTransport};
use examples::sync::report::{conflicts_table, counts_table, table};
use examples::sync::values::{self, PhoneKind, Priority, TaskState};
use examples::sync::{Either, MailboxSettings, RoundReport, Runner, TRACKING_CATEGORY};
use exchange_sim::Simulator;
use graph_client::client::{GraphClient, Transport as _};
use graph_client::oauth::{Authority, ClientAuth, ClientCredentialsRequest, TokenResponse};
use sync_core::{Field, Fields, LinkState, RecordKind, Side, Timestamp, Value};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";
const SERVICE: &str = "svc-crm@contoso.example";
const SERVICE_PASSWORD: &str = "s3rvice-account";
const APP_ID: &str = "crm-sync-app";
const APP_SECRET: &str = "app-s3cret";

type Error = Box<dyn std::error::Error + Send + Sync>;

fn now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
}

fn days_from_now(days: i64) -> jiff::Timestamp {
    jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * days)
}

fn crm_contact(given: &str, surname: &str, email: &str, title: &str) -> Fields {
    Fields::new()
        .with(Field::GivenName, Value::text(given))
        .with(Field::Surname, Value::text(surname))
        .with(Field::Company, Value::text("Contoso Ltd"))
        .with(Field::JobTitle, Value::text(title))
        .with(Field::EmailAddresses, values::addresses([email]))
        .with(
            Field::Phones,
            values::phones([(PhoneKind::Business, "+1 425 555 0100")]),
        )
        .with(Field::PostalAddress, Value::Null)
}

fn crm_task(subject: &str, due_days: i64) -> Fields {
    Fields::new()
        .with(Field::Subject, Value::text(subject))
        .with(Field::Body, Value::text("Created in the CRM"))
        .with(Field::DueAt, values::instant(Some(days_from_now(due_days))))
        .with(Field::Status, TaskState::NotStarted.to_value())
        .with(Field::Priority, Priority::High.to_value())
}

fn crm_meeting(subject: &str, in_days: i64, attendee: &str) -> Fields {
    let start = days_from_now(in_days);
    Fields::new()
        .with(Field::Subject, Value::text(subject))
        .with(Field::Body, Value::Null)
        .with(Field::Location, Value::text("Teams"))
        .with(Field::Start, values::instant(Some(start)))
        .with(
            Field::End,
            values::instant(Some(start + jiff::SignedDuration::from_mins(45))),
        )
        .with(Field::AllDay, Value::Bool(false))
        .with(Field::Attendees, values::addresses([attendee]))
        .with(Field::Recurrence, Value::Null)
}

/// Items users made in Outlook: a tracked contact, a tracked email, a tracked meeting and a private
/// (untagged) contact that must never reach the CRM.
fn seed_exchange(sim: &Simulator, user: &str) -> Result<Vec<(&'static str, ItemId)>, Error> {
    let tracked = Some(vec![TRACKING_CATEGORY.to_owned()]);
    let mut contact = Contact {
        given_name: Some("Bea".into()),
        surname: Some("Kim".into()),
        company_name: Some("Fabrikam".into()),
        email_addresses: Some(vec![EmailAddressEntry {
            key: "EmailAddress1".into(),
            address: "bea@fabrikam.example".into(),
            ..EmailAddressEntry::default()
        }]),
        ..Contact::default()
    };
    contact.item.categories = tracked.clone();
    let mut private = Contact {
        given_name: Some("Private".into()),
        surname: Some("Friend".into()),
        ..Contact::default()
    };
    private.item.categories = Some(vec!["Personal".into()]);
    let mut email = Message {
        from: Some(SingleRecipient::from(EmailAddress::smtp(
            "carol@fabrikam.example",
        ))),
        to_recipients: Some(vec![EmailAddress::smtp(user)]),
        ..Message::default()
    };
    email.item.subject = Some("Quote request for 40 seats".into());
    email.item.body = Some(Body::text("Could you send a quote by Friday?"));
    email.item.date_time_sent = Some(days_from_now(-1));
    email.item.categories = tracked.clone();
    let start = days_from_now(3);
    let mut meeting = CalendarItem {
        start: Some(start),
        end: Some(start + jiff::SignedDuration::from_hours(1)),
        location: Some("Fabrikam HQ".into()),
        is_all_day_event: Some(false),
        ..CalendarItem::default()
    };
    meeting.item.subject = Some("Site visit".into());
    meeting.item.categories = tracked;
    let mut store = sim.store();
    let mut ids = Vec::new();
    for (name, item) in [
        ("contact", Item::from(contact)),
        ("private", Item::from(private)),
        ("email", Item::from(email)),
        ("meeting", Item::from(meeting)),
    ] {
        let kind = examples::sync::ews_mapping::kind_of(&item).ok_or("unsynced kind")?;
        let folder = store.folder_id(user, folder_of(kind))?;
        ids.push((name, store.create_item(user, &folder, item)?));
    }
    Ok(ids)
}

/// Runs what is due at `now`, with a progress bar on stderr (hidden when it is not a terminal).
async fn tick<E: examples::sync::ExchangeMailbox>(
    runner: &mut Runner<E>,
    now: Timestamp,
    what: &str,
) -> Vec<(String, Result<RoundReport, examples::sync::SyncError>)> {
    let bar = indicatif::ProgressBar::new(runner.due(now) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} mailboxes")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    let done = |mailbox: &str, ok: bool| {
        bar.println(format!(
            "{mailbox}: {}",
            if ok { "synced" } else { "failed" }
        ));
        bar.inc(1);
    };
    let results = runner.tick_with_progress(now, &done).await;
    bar.finish_and_clear();
    results
}

fn print_run(title: &str, results: &[(String, Result<RoundReport, examples::sync::SyncError>)]) {
    println!("\n== {title} ==\n");
    for (mailbox, result) in results {
        match result {
            Ok(report) => {
                print!("{}", counts_table(mailbox, report));
                if !report.conflicts.is_empty() {
                    println!();
                    print!("{}", conflicts_table(mailbox, &report.conflicts));
                }
                let errors = if report.errors.is_empty() {
                    "none".to_owned()
                } else {
                    report.errors.join("; ")
                };
                println!(
                    "{mailbox}: {} rounds, {} feed pages, {} item reads, errors: {errors}\n",
                    report.rounds, report.calls.pages, report.calls.reads
                );
            }
            Err(e) => println!("{mailbox}: FAILED: {e}\n"),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let sim = Simulator::builder()
        .user(ALICE, "alice-password")
        .user(BOB, "bob-password")
        .service_account(SERVICE, SERVICE_PASSWORD)
        .app(APP_ID, APP_SECRET)
        .start()
        .await?;
    println!("Simulated Exchange at {}", sim.base_url());

    // The CRM, with records for both users.
    let crm = Arc::new(Mutex::new(Crm::new(now())));
    let (ann, raj) = {
        let mut c = crm.lock().map_err(|_| "CRM lock")?;
        let ann = c.create(
            ALICE,
            RecordKind::Contact,
            crm_contact("Ann", "Lee", "ann@contoso.example", "Buyer"),
        );
        c.create(ALICE, RecordKind::Task, crm_task("Send the proposal", 5));
        c.create(
            ALICE,
            RecordKind::Meeting,
            crm_meeting("Contract review", 7, "dan@fabrikam.example"),
        );
        let raj = c.create(
            BOB,
            RecordKind::Contact,
            crm_contact("Raj", "Patel", "raj@contoso.example", "CTO"),
        );
        c.create(BOB, RecordKind::Task, crm_task("Prepare the demo", 2));
        (ann, raj)
    };
    let alice_items = seed_exchange(&sim, ALICE)?;
    let bob_items = seed_exchange(&sim, BOB)?;

    // alice's mailbox over EWS: the service account impersonates her.
    let ews = Arc::new(
        ClientBuilder::new(sim.ews_url(), Credentials::basic(SERVICE, SERVICE_PASSWORD))
            .allow_insecure_loopback_http(true)
            .build(HyperTransport::plain_http(), TokioClock)?,
    );
    // bob's mailbox over Graph: an app-only token from the client credentials grant.
    let transport = HyperGraphTransport::new(HyperTransport::plain_http());
    let grant = ClientCredentialsRequest {
        client_id: APP_ID.into(),
        auth: ClientAuth::Secret(graph_client::Secret::new(APP_SECRET)),
        scope: "https://graph.microsoft.com/.default".into(),
    };
    let authority = Authority::tenant(sim.tenant()).with_host(&sim.login_url())?;
    let token = TokenResponse::parse(
        &transport
            .send(grant.to_request(&authority)?.into_http())
            .await?,
    )?;
    let graph = GraphClient::new(
        transport,
        graph_client::Graph::user(BOB).with_base_url(&sim.graph_url())?,
    );
    graph.set_access_token(token.access_token);
    let window = (days_from_now(-30), days_from_now(365));

    let mut runner = Runner::new(crm.clone());
    runner.add(
        Either::Left(EwsMailbox::impersonating(
            ews.clone(),
            ALICE,
            TRACKING_CATEGORY,
        )),
        MailboxSettings::default(),
    );
    runner.add(
        Either::Right(GraphMailbox::app_only(
            Arc::new(graph),
            BOB,
            TRACKING_CATEGORY,
            window,
        )),
        MailboxSettings::default(),
    );

    let first = tick(&mut runner, now(), "first sync").await;
    print_run("First sync", &first);

    // Edits on both sides.
    let state = runner.state(ALICE).ok_or("alice is not in the runner")??;
    let exchange_of = |crm_id: &str| {
        state
            .link_by_item(Side::Crm, crm_id)
            .and_then(|l| l.item(Side::Exchange).map(str::to_owned))
    };
    let meeting_id = alice_items
        .iter()
        .find(|(n, _)| *n == "meeting")
        .map(|(_, id)| id.clone())
        .ok_or("no meeting")?;
    let contact_id = alice_items
        .iter()
        .find(|(n, _)| *n == "contact")
        .map(|(_, id)| id.clone())
        .ok_or("no contact")?;
    let meeting_record = state
        .link_by_item(Side::Exchange, &meeting_id.id)
        .and_then(|l| l.item(Side::Crm).map(str::to_owned))
        .ok_or("the meeting is not linked")?;
    {
        let mut c = crm.lock().map_err(|_| "CRM lock")?;
        // The CRM user updates Ann's title and moves the site visit to another room...
        c.edit(&ann, Field::JobTitle, Value::text("Head of purchasing"));
        c.edit(
            &meeting_record,
            Field::Location,
            Value::text("Fabrikam HQ, room 4"),
        );
        // ...and bob's contact Raj is promoted.
        c.edit(&raj, Field::JobTitle, Value::text("CEO"));
    }
    {
        let mut store = sim.store();
        // ...while alice moves it elsewhere in Outlook (a conflict: the CRM wins by default)...
        store.update_item(ALICE, &meeting_id, |item| {
            if let Item::CalendarItem(c) = item {
                c.location = Some("Fabrikam HQ, lobby".into());
            }
        })?;
        // ...fixes Ann's phone in Outlook...
        if let Some(ann_item) = exchange_of(&ann) {
            store.update_item(ALICE, &ItemId::new(ann_item), |item| {
                if let Item::Contact(c) = item {
                    c.phone_numbers = Some(vec![ews_types::items::DictionaryEntry::new(
                        "BusinessPhone",
                        "+1 425 555 0199",
                    )]);
                }
            })?;
        }
        // ...bob renames his site visit in Outlook...
        if let Some((_, bob_meeting)) = bob_items.iter().find(|(n, _)| *n == "meeting") {
            store.update_item(BOB, bob_meeting, |item| {
                item.fields_mut().subject = Some("Site visit and demo".into());
            })?;
        }
        // ...and alice untags Bea: the pair is unlinked, nothing is deleted.
        store.update_item(ALICE, &contact_id, |item| {
            item.fields_mut().categories = None;
        })?;
    }
    for mailbox in [ALICE, BOB] {
        runner.sync_now(mailbox);
    }
    let second = tick(&mut runner, now(), "second sync").await;
    print_run("Second sync (after edits on both sides)", &second);

    // Status per user and the activity log.
    let rows: Vec<Vec<String>> = runner
        .statuses()
        .into_iter()
        .map(|(mailbox, status)| {
            let state = runner.state(mailbox).and_then(Result::ok);
            let count = |f: &dyn Fn(LinkState) -> bool| {
                state
                    .as_ref()
                    .map_or(0, |s| s.links().filter(|l| f(l.state())).count())
            };
            vec![
                mailbox.to_owned(),
                if status.settings.enabled {
                    "enabled"
                } else {
                    "disabled"
                }
                .to_owned(),
                count(&|s| s == LinkState::Linked).to_string(),
                count(&|s| matches!(s, LinkState::Unlinked { .. })).to_string(),
                status.totals.conflicts.len().to_string(),
                status.totals.errors.len().to_string(),
                status.next_due.map_or("-".to_owned(), |d| {
                    format!("in {} min", (d.0 - now().0).max(0) / 60_000)
                }),
            ]
        })
        .collect();
    println!("== Status ==\n");
    print!(
        "{}",
        table(
            &[
                "mailbox",
                "sync",
                "linked",
                "unlinked",
                "conflicts",
                "errors",
                "next sync"
            ],
            &rows
        )
    );
    println!("\n== Activity log ==\n");
    for (mailbox, status) in runner.statuses() {
        for line in &status.totals.activity {
            println!("{mailbox}: {line}");
        }
    }
    let failed = first.iter().chain(&second).any(|(_, r)| r.is_err());
    sim.shutdown().await;
    if failed {
        return Err("a sync failed".into());
    }
    Ok(())
}
