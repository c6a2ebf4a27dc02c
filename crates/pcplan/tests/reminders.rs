//! E-mail reminders end to end: a real SQLite store, a real SMTP conversation with a
//! small sink on loopback, the file transport, and the `pcplan reminders` command.
//!
//! The sink below speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
//! QUIT) for lettre, records every message it accepts, and can be told to refuse every
//! recipient with 550, as a mail server refusing a mailbox does. It is written here
//! rather than borrowed from Python's aiosmtpd so that `cargo test` needs nothing
//! installed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use pcplan::config::Config;
use pcplan::reminders::{self, Mailer, Outcome, Settings, SmtpSecurity, TransportKind};
use pcplan_domain::meeting::Meeting;
use pcplan_domain::{DayRule, MeetingId};
use pcplan_store::{Actor, NewReminder, NewUser, ReminderState, Role, Store, User};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the sink accepted.
#[derive(Clone, Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    /// The message as sent, with folded header lines unfolded.
    data: String,
}

struct Sink {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

/// How a sink behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Takes every message.
    Accept,
    /// Every RCPT gets 550.
    Refuse,
    /// Accepts the connection and never says a word, not even its greeting.
    Mute,
    /// Takes the message's text, records it, and never answers the final ".".
    StallAfterData,
}

impl Sink {
    /// Starts a sink on 127.0.0.1 on a free port. With `refuse`, every RCPT gets 550.
    async fn start(refuse: bool) -> Sink {
        Sink::with_mode(if refuse { Mode::Refuse } else { Mode::Accept }).await
    }

    async fn with_mode(mode: Mode) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the sink");
        let addr = listener.local_addr().expect("sink address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, mode, store.clone()));
            }
        });
        Sink { addr, received }
    }

    fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("sink lock").clone()
    }
}

/// Writes one reply line; false when the client has gone.
async fn reply(write: &mut tokio::net::tcp::OwnedWriteHalf, text: &str) -> bool {
    write.write_all(format!("{text}\r\n").as_bytes()).await.is_ok()
}

async fn session(socket: tokio::net::TcpStream, mode: Mode, received: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    if mode == Mode::Mute {
        // Hold the connection open, silent, until the client gives up.
        let mut line = String::new();
        while lines.read_line(&mut line).await.unwrap_or(0) > 0 {
            line.clear();
        }
        return;
    }
    if !reply(&mut write, "220 sink.test ESMTP test sink").await {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250 sink.test"
        } else if let Some(rest) = upper.strip_prefix("MAIL FROM:") {
            from = command[command.len() - rest.len()..].trim().to_string();
            to.clear();
            "250 2.1.0 OK"
        } else if upper.starts_with("RCPT TO:") {
            if mode == Mode::Refuse {
                "550 5.1.1 mailbox unavailable"
            } else {
                to.push(command["RCPT TO:".len()..].trim().trim_matches(['<', '>']).to_string());
                "250 2.1.5 OK"
            }
        } else if upper == "DATA" {
            if !reply(&mut write, "354 end data with <CR><LF>.<CR><LF>").await {
                return;
            }
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 s.4.5.2).
                data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            }
            let data = data.replace("\r\n ", " ").replace("\r\n\t", " ");
            received.lock().expect("sink lock").push(Received { from: from.clone(), to: to.clone(), data });
            if mode == Mode::StallAfterData {
                let mut line = String::new();
                while lines.read_line(&mut line).await.unwrap_or(0) > 0 {
                    line.clear();
                }
                return;
            }
            "250 2.0.0 queued"
        } else if upper == "RSET" || upper == "NOOP" {
            "250 2.0.0 OK"
        } else if upper == "QUIT" {
            let _ = reply(&mut write, "221 2.0.0 bye").await;
            return;
        } else {
            "502 5.5.2 not implemented"
        };
        if !reply(&mut write, answer).await {
            return;
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The Panel papers for the meeting of 3 February 2014 are due on 24 January 2014.
const DUE: (i32, u32, u32) = (2014, 1, 24);

/// A data directory with a body, one Panel meeting whose papers are due on
/// 24 January 2014, and an owner of that deadline with an e-mail address.
struct World {
    dir: tempfile::TempDir,
    store: Store,
    meeting: Meeting,
    owner: User,
    item_key: String,
}

impl World {
    async fn new() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
        let url = format!("sqlite://{}", dir.path().join("data").join("pcplan.db").display());
        let store = Store::connect(&url).await.expect("open the store");
        let actor = Actor::system("reminders test");
        let body = pcplan_demo::body();
        store.create_body(&actor, &body).await.expect("body");
        let meeting = Meeting {
            id: MeetingId::new(),
            body_id: body.id,
            title: String::from("West Midlands Police and Crime Panel"),
            held_on: date(2014, 2, 3),
            required_clear_days: 5,
            day_rule: DayRule::Working,
            papers_due_on: date(DUE.0, DUE.1, DUE.2),
            papers_published_on: None,
            board_id: None,
            place: String::new(),
            status: pcplan_domain::meeting::MeetingStatus::Scheduled,
            agenda: Vec::new(),
            attendance: Vec::new(),
            minutes: None,
            revision: 0,
        };
        store.create_meeting(&actor, &meeting).await.expect("meeting");
        let owner = user(&store, "clerk", Some("clerk@example.org")).await;
        let item_key = format!("meeting:{}:papers", meeting.id);
        store.set_owner(&actor, &item_key, Some(owner.id)).await.expect("owner");
        World { dir, store, meeting, owner, item_key }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The configuration: SMTP to the sink when given, else the file transport.
    fn config(&self, sink: Option<&Sink>) -> Config {
        let mut config = Config {
            data_dir: self.data(),
            public_url: Some(String::from("https://plan.example.org/")),
            ..Config::default()
        };
        config.mail.from = String::from("pcplan <pcplan@plan.example.org>");
        if let Some(sink) = sink {
            config.mail.transport = TransportKind::Smtp;
            config.mail.smtp_host = sink.addr.ip().to_string();
            config.mail.smtp_port = Some(sink.addr.port());
            config.mail.smtp_security = SmtpSecurity::None;
            config.mail.smtp_timeout_seconds = 2;
        }
        config
    }

    async fn send(&self, sink: Option<&Sink>, today: NaiveDate) -> reminders::Report {
        let config = self.config(sink);
        let settings = Settings::from_config(&config).expect("settings");
        let mailer = Mailer::from_config(&config).expect("mailer");
        reminders::send_due(&self.store, &mailer, &settings, today, false).await.expect("the store works")
    }

    fn key(&self, stage: &str) -> String {
        format!("{}|{}|{stage}", self.item_key, self.owner.id)
    }
}

async fn user(store: &Store, username: &str, email: Option<&str>) -> User {
    store
        .create_user(
            &Actor::system("reminders test"),
            &NewUser {
                username: username.to_string(),
                display_name: format!("{username} of the OPCC"),
                role: Role::Editor,
                password_hash: String::from("$argon2id$test"),
                one_time_password: false,
                email: email.map(str::to_string),
            },
        )
        .await
        .expect("create user")
}

fn outcomes(report: &reminders::Report) -> Vec<&'static str> {
    report
        .lines
        .iter()
        .map(|l| match l.outcome {
            Outcome::Sent(_) => "sent",
            Outcome::WouldSend => "would send",
            Outcome::Skipped(_) => "skipped",
            Outcome::Failed(_) => "failed",
            Outcome::Unconfirmed(_) => "unconfirmed",
        })
        .collect()
}

#[tokio::test]
async fn a_reminder_goes_to_the_owner_with_the_subject_and_link_and_a_second_run_sends_nothing() {
    let world = World::new().await;
    let sink = Sink::start(false).await;
    let report = world.send(Some(&sink), date(2014, 1, 17)).await;
    assert_eq!(outcomes(&report), ["sent"], "{report:?}");
    assert_eq!(report.summary(), "reminders: 1 sent, 0 skipped, 0 failed");

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.to, ["clerk@example.org"]);
    assert_eq!(message.from, "<pcplan@plan.example.org>");
    let data = &message.data;
    assert!(
        data.contains(
            "Subject: Due 24 January 2014: Publish the Panel papers (West Midlands Police and Crime Panel, \
             3 February 2014)"
        ),
        "{data}"
    );
    assert!(data.contains("To: \"clerk of the OPCC\" <clerk@example.org>"), "{data}");
    assert!(data.contains("Due:   Friday 24 January 2014 (7 days left)"), "{data}");
    assert!(data.contains("https://plan.example.org/staff/meetings\r\n"), "{data}");
    assert!(data.contains("Why:   "), "the citation is given: {data}");
    let from = "pcplan <pcplan@plan.example.org>".parse().expect("mailbox");
    assert!(data.contains(&format!("Message-ID: {}", reminders::message_id(&world.key("7d"), &from))), "{data}");

    let stored = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(stored.state, ReminderState::Sent);

    // Later the same day, and the day after: the 7-day stage is over for this owner.
    for today in [date(2014, 1, 17), date(2014, 1, 18)] {
        let again = world.send(Some(&sink), today).await;
        assert_eq!(outcomes(&again), ["skipped"], "{again:?}");
        assert!(again.lines[0].to_string().contains("already sent"), "{}", again.lines[0]);
    }
    assert_eq!(sink.messages().len(), 1, "nothing was sent twice");
}

#[tokio::test]
async fn a_reminder_claimed_by_a_run_that_crashed_is_never_sent_again() {
    let world = World::new().await;
    let sink = Sink::start(false).await;
    // A run that claimed the reminder and died before sending or recording anything.
    let claim = NewReminder {
        key: world.key("7d"),
        item_key: world.item_key.clone(),
        user_id: world.owner.id,
        due_on: world.meeting.papers_due_on,
        stage: String::from("7d"),
    };
    assert!(world.store.claim_reminder(&claim).await.expect("claim"));
    for _ in 0..2 {
        let report = world.send(Some(&sink), date(2014, 1, 20)).await;
        assert_eq!(outcomes(&report), ["skipped"], "{report:?}");
        assert!(report.lines[0].to_string().contains("not confirmed"), "{}", report.lines[0]);
    }
    assert!(sink.messages().is_empty(), "an unconfirmed claim is not retried");
    let stored = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(stored.state, ReminderState::Claimed);
}

#[tokio::test]
async fn a_server_that_never_answers_the_final_dot_leaves_the_reminder_unconfirmed_and_it_is_never_sent_again() {
    let world = World::new().await;
    let stalling = Sink::with_mode(Mode::StallAfterData).await;
    let started = std::time::Instant::now();
    let report = world.send(Some(&stalling), date(2014, 1, 17)).await;
    let waited = started.elapsed();
    assert_eq!(outcomes(&report), ["unconfirmed"], "{report:?}");
    assert!(report.lines[0].to_string().contains("may have been delivered"), "{}", report.lines[0]);
    assert_eq!(report.summary(), "reminders: 0 sent, 0 skipped, 0 failed, 1 unconfirmed");
    // Two steps of at most 2 s each, however long the server stays silent.
    assert!(waited < std::time::Duration::from_secs(30), "the run was held {waited:?}");
    assert_eq!(stalling.messages().len(), 1, "the server has the message");

    let stored = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(stored.state, ReminderState::Claimed, "{stored:?}");
    assert!(stored.detail.as_deref().unwrap_or_default().contains("no answer within 2 s"), "{stored:?}");

    // A later run, to a server that works, does not send it a second time.
    let working = Sink::start(false).await;
    let again = world.send(Some(&working), date(2014, 1, 18)).await;
    assert_eq!(outcomes(&again), ["skipped"], "{again:?}");
    let why = again.lines[0].to_string();
    assert!(why.contains("not confirmed") && why.contains("no answer within 2 s"), "{why}");
    assert!(working.messages().is_empty(), "never sent twice");
}

#[tokio::test]
async fn a_server_that_never_greets_is_a_failure_retried_on_the_next_run() {
    let world = World::new().await;
    let mute = Sink::with_mode(Mode::Mute).await;
    let report = world.send(Some(&mute), date(2014, 1, 17)).await;
    assert_eq!(outcomes(&report), ["failed"], "{report:?}");
    assert!(report.lines[0].to_string().contains("nothing was sent"), "{}", report.lines[0]);
    let failed = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(failed.state, ReminderState::Failed);

    let working = Sink::start(false).await;
    let report = world.send(Some(&working), date(2014, 1, 18)).await;
    assert_eq!(outcomes(&report), ["sent"], "{report:?}");
    assert_eq!(working.messages().len(), 1);
}

#[tokio::test]
async fn a_refused_reminder_is_recorded_as_failed_and_a_later_run_sends_it() {
    let world = World::new().await;
    let refusing = Sink::start(true).await;
    let report = world.send(Some(&refusing), date(2014, 1, 17)).await;
    assert_eq!(outcomes(&report), ["failed"], "{report:?}");
    assert!(report.lines[0].to_string().contains("550"), "{}", report.lines[0]);
    let failed = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(failed.state, ReminderState::Failed);
    assert!(failed.detail.as_deref().unwrap_or_default().contains("mailbox unavailable"), "{failed:?}");
    assert!(refusing.messages().is_empty());

    let working = Sink::start(false).await;
    let report = world.send(Some(&working), date(2014, 1, 18)).await;
    assert_eq!(outcomes(&report), ["sent"], "{report:?}");
    assert_eq!(working.messages().len(), 1);
    let sent = world.store.reminder(&world.key("7d")).await.expect("read").expect("recorded");
    assert_eq!(sent.state, ReminderState::Sent);
}

#[tokio::test]
async fn only_the_current_stage_is_sent_and_done_items_get_none() {
    let world = World::new().await;
    let sink = Sink::start(false).await;
    // Nothing ran while the 14- and 7-day stages passed: one reminder, not three.
    let report = world.send(Some(&sink), date(2014, 1, 23)).await;
    assert_eq!(outcomes(&report), ["sent"], "{report:?}");
    assert_eq!(report.lines[0].stage, "1d");
    assert!(world.store.reminder(&world.key("14d")).await.expect("read").is_none());
    assert!(world.store.reminder(&world.key("7d")).await.expect("read").is_none());
    assert!(sink.messages()[0].data.contains("(1 day left)"));

    // Out of the window before any lead time: nothing at all.
    assert!(world.send(Some(&sink), date(2013, 12, 1)).await.lines.is_empty());

    let overdue = world.send(Some(&sink), date(2014, 1, 27)).await;
    assert_eq!(outcomes(&overdue), ["sent"], "{overdue:?}");
    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    assert!(messages[1].data.contains("Subject: Overdue, was due 24 January 2014: Publish the Panel papers"));
    assert!(messages[1].data.contains("(overdue by 3 days)"), "{}", messages[1].data);
    assert_eq!(outcomes(&world.send(Some(&sink), date(2014, 2, 10)).await), ["skipped"]);

    // Papers published: the item is done and no longer reminded of, at any stage.
    world.store.set_papers_published(&Actor::system("test"), world.meeting.id, date(2014, 1, 29)).await.expect("done");
    assert!(world.send(Some(&sink), date(2014, 2, 11)).await.lines.is_empty());
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn owners_without_an_address_or_with_a_disabled_account_are_skipped_with_the_reason() {
    let world = World::new().await;
    let sink = Sink::start(false).await;
    let admin = Actor::system("reminders test");
    world.store.set_user_email(&admin, world.owner.id, None).await.expect("clear the address");
    let report = world.send(Some(&sink), date(2014, 1, 17)).await;
    assert_eq!(outcomes(&report), ["skipped"]);
    assert!(report.lines[0].to_string().contains("no e-mail address"), "{}", report.lines[0]);

    world.store.set_user_email(&admin, world.owner.id, Some("clerk@example.org")).await.expect("address");
    world.store.set_user_active(&admin, world.owner.id, false).await.expect("disable");
    let report = world.send(Some(&sink), date(2014, 1, 17)).await;
    assert!(report.lines[0].to_string().contains("disabled"), "{}", report.lines[0]);
    assert!(sink.messages().is_empty());
    assert!(world.store.reminders(10).await.expect("list").is_empty(), "nothing was claimed");
}

fn pcplan(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("PCPLAN_DATABASE_URL")
        .env_remove("PCPLAN_CONFIG")
        .env("PCPLAN_PUBLIC_URL", "https://plan.example.org")
        .env("PCPLAN_MAIL__FROM", "pcplan <pcplan@plan.example.org>")
        .output()
        .expect("the pcplan binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
}

#[tokio::test]
async fn the_command_writes_one_eml_file_per_reminder_with_the_file_transport_and_lists_them() {
    let world = World::new().await;
    let second = user(&world.store, "deputy", Some("deputy@example.org")).await;
    // A second deadline owned by someone else: an obligation would do as well; a second
    // meeting is the simplest.
    let other = Meeting {
        id: MeetingId::new(),
        held_on: date(2014, 3, 3),
        papers_due_on: date(2014, 1, 27),
        ..world.meeting.clone()
    };
    world.store.create_meeting(&Actor::system("test"), &other).await.expect("meeting");
    world
        .store
        .set_owner(&Actor::system("test"), &format!("meeting:{}:papers", other.id), Some(second.id))
        .await
        .expect("owner");
    world.store.close().await;
    let data = world.data();
    let mail = data.join("mail");

    let dry = pcplan(&data, &["reminders", "send", "--today", "2014-01-17", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("would send"), "{}", text(&dry.stdout));
    assert!(eml_files(&mail).is_empty(), "a dry run sends nothing");

    let sent = pcplan(&data, &["reminders", "send", "--today", "2014-01-17"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let stdout = text(&sent.stdout);
    assert!(stdout.contains("clerk <clerk@example.org>") && stdout.contains("deputy <deputy@example.org>"), "{stdout}");
    assert!(stdout.trim_end().ends_with("reminders: 2 sent, 0 skipped, 0 failed"), "{stdout}");
    let files = eml_files(&mail);
    assert_eq!(files.len(), 2, "one .eml per reminder in {}", mail.display());
    let clerk = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read .eml"))
        .find(|m| m.contains("To: \"clerk of the OPCC\" <clerk@example.org>"))
        .expect("the clerk's message");
    assert!(clerk.contains("https://plan.example.org/staff/meetings"), "{clerk}");
    assert!(clerk.contains("From: pcplan <pcplan@plan.example.org>"), "{clerk}");

    let again = pcplan(&data, &["reminders", "send", "--today", "2014-01-17"]);
    assert!(again.status.success());
    assert!(text(&again.stdout).contains("reminders: 0 sent, 2 skipped, 0 failed"), "{}", text(&again.stdout));
    assert_eq!(eml_files(&mail).len(), 2, "nothing written twice");

    let list = pcplan(&data, &["reminders", "list"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let listed = text(&list.stdout);
    assert_eq!(listed.lines().filter(|l| l.starts_with("sent")).count(), 2, "{listed}");

    let bad = pcplan(&data, &["reminders", "send", "--today", "17/01/2014"]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("--today"), "{}", text(&bad.stderr));
}

#[test]
fn user_add_takes_an_email_address_and_refuses_a_bad_one_naming_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let added = pcplan(&data, &["user", "add", "clerk", "--email", "clerk@example.org"]);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let refused = pcplan(&data, &["user", "add", "other", "--email", "not an address"]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("--email"), "{}", text(&refused.stderr));
}

#[test]
fn mail_settings_come_from_the_environment_with_a_double_underscore_and_the_password_is_never_shown() {
    let out = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["config", "show"])
        .env_remove("PCPLAN_CONFIG")
        .env("PCPLAN_MAIL__TRANSPORT", "smtp")
        .env("PCPLAN_MAIL__SMTP_HOST", "smtp.example.org")
        .env("PCPLAN_MAIL__SMTP_USERNAME", "pcplan")
        .env("PCPLAN_MAIL__SMTP_PASSWORD", "very-secret")
        .env("PCPLAN_REMINDERS__LEAD_DAYS", "[28, 3]")
        .output()
        .expect("the pcplan binary runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for expected in
        ["transport = \"smtp\"", "smtp_host = \"smtp.example.org\"", "lead_days = [28, 3]", "smtp_password = \"***\""]
    {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    assert!(!shown.contains("very-secret"), "{shown}");
}

#[tokio::test]
async fn the_server_sends_due_reminders_at_start_and_stops_cleanly_with_the_server() {
    // Real time here: the 2014 deadline is long overdue, so the first run sends the
    // overdue reminder.
    let world = World::new().await;
    world.store.close().await;
    let data = world.data();
    let mut server = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env_remove("PCPLAN_DATABASE_URL")
        .env_remove("PCPLAN_CONFIG")
        .env("PCPLAN_REMINDERS__INTERVAL_MINUTES", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mail = data.join("mail");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while eml_files(&mail).is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let files = eml_files(&mail);
    // Stop it as Ctrl-C would, and expect an orderly exit.
    let interrupted = Command::new("kill").args(["-INT", &server.id().to_string()]).status();
    let status = match interrupted {
        Ok(s) if s.success() => server.wait().expect("the server exits"),
        _ => {
            let _ = server.kill();
            server.wait().expect("the server exits")
        }
    };
    assert_eq!(files.len(), 1, "the server sent the overdue reminder once");
    let message = std::fs::read_to_string(&files[0]).expect("read .eml");
    assert!(message.contains("Subject: Overdue, was due 24 January 2014"), "{message}");
    assert!(status.success(), "the server stopped cleanly: {status:?}");

    let store = Store::connect(&format!("sqlite://{}", data.join("pcplan.db").display())).await.expect("open");
    let reminders = store.reminders(10).await.expect("list");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].state, ReminderState::Sent, "nothing left unconfirmed");
    store.close().await;
}
