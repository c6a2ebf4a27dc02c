//! E-mail reminders of deadlines to their owners: which are due, what they say, and how
//! they are sent, by `pcplan reminders send` (for cron) and by a task in `pcplan serve`.
//!
//! Each reminder has a key, `{item_key}|{user_id}|{stage}`, where the stage is the
//! smallest configured lead time that the days left have reached (`14d`, `7d`, `1d`) or
//! `overdue`. Only the current stage is sent, so a server that was down for a week sends
//! one reminder, not three. A reminder is claimed in the store (committed) before its
//! message is handed to the transport and marked sent or failed afterwards; a crash in
//! between leaves it claimed and "not confirmed", and it is never sent again. A failed
//! one (refused by the mail server, or the server not reached or not answering before
//! the message went out, so never delivered) is tried again on the next run. A server
//! that stops answering once the message is on its way (no reply to the final ".", a
//! connection dropped mid-message) leaves the reminder "unconfirmed", like a crash: it
//! may have been delivered, so it is not sent again. Each step waits at most
//! `mail.smtp_timeout_seconds`, so no mail server can hold a run, or the server's stop.
//! The Message-ID is derived from the key, so even a copy that somehow went out twice
//! reads as one message in a mail client. See `docs/reminders.md`.
//!
//! This module knows nothing of SQL (the store claims and records reminders) and
//! decides no deadline (the agenda in `pcplan_domain::agenda` does); it only chooses,
//! writes and sends the messages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pcplan_domain::UserId;
use pcplan_domain::agenda::DueItem;
use pcplan_store::{NewReminder, ReminderState, Store, User};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// How messages leave pcplan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// Each message is written as an `.eml` file into a directory: the default, so the
    /// demo and a first try need no mail server.
    File,
    /// Each message is handed to an SMTP server.
    Smtp,
}

/// How the SMTP connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain text: only for a relay on the same machine or a test sink.
    None,
    /// Connect in plain text and upgrade with STARTTLS, refusing to go on without it
    /// (port 587 by default).
    Starttls,
    /// TLS from the first byte (port 465 by default).
    Tls,
}

impl SmtpSecurity {
    fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::None => 25,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
        }
    }
}

/// The `[mail]` section of the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    pub transport: TransportKind,
    /// The sender of every message: `Name <address>` or a bare address.
    pub from: String,
    /// Where the file transport writes; `<data_dir>/mail` when unset.
    pub dir: Option<PathBuf>,
    pub smtp_host: String,
    /// The SMTP port; when unset, 25, 587 or 465 by `smtp_security`.
    pub smtp_port: Option<u16>,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// How long one SMTP command may take before the message counts as failed.
    pub smtp_timeout_seconds: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: TransportKind::File,
            from: String::from("pcplan <pcplan@localhost>"),
            dir: None,
            smtp_host: String::from("localhost"),
            smtp_port: None,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_timeout_seconds: 30,
        }
    }
}

/// The `[reminders]` section of the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RemindersConfig {
    /// Days before a deadline at which its owner is reminded; one more reminder goes
    /// when it is overdue.
    pub lead_days: Vec<u32>,
    /// How often `pcplan serve` looks for reminders to send.
    pub interval_minutes: u64,
}

impl Default for RemindersConfig {
    fn default() -> Self {
        Self { lead_days: vec![14, 7, 1], interval_minutes: 60 }
    }
}

/// The longest lead time accepted: a reminder more than a year ahead is a typing slip.
const MAX_LEAD_DAYS: u32 = 366;

/// Where a deadline stands for reminders on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Within this many days of the date due (a configured lead time).
    Before(u32),
    /// Past the date due.
    Overdue,
}

impl Stage {
    /// The stage as the reminder's key and the store show it: `7d` or `overdue`.
    pub fn as_key(&self) -> String {
        match self {
            Stage::Before(days) => format!("{days}d"),
            Stage::Overdue => String::from("overdue"),
        }
    }
}

/// The current stage of a deadline due on `due`, seen on `today`: the smallest lead
/// time the days left have reached, `Overdue` after the date due, or none while the
/// deadline is further away than every lead time. `lead_days` must be sorted ascending.
pub fn stage(due: NaiveDate, today: NaiveDate, lead_days: &[u32]) -> Option<Stage> {
    let days_left = (due - today).num_days();
    if days_left < 0 {
        return Some(Stage::Overdue);
    }
    lead_days.iter().find(|lead| days_left <= i64::from(**lead)).map(|lead| Stage::Before(*lead))
}

/// Everything a run needs besides the store and the transport, checked once.
#[derive(Clone, Debug)]
pub struct Settings {
    pub from: Mailbox,
    /// The site's address without a trailing slash; links are this plus a staff path.
    pub public_url: String,
    /// Sorted ascending, without repeats.
    pub lead_days: Vec<u32>,
    pub interval: Duration,
}

impl Settings {
    /// Checks the reminder settings of a configuration; each error names its key.
    pub fn from_config(config: &Config) -> anyhow::Result<Settings> {
        let from = Mailbox::from_str(config.mail.from.trim()).map_err(|e| {
            anyhow::anyhow!(
                "mail.from: `{}` is not a sender address ({e}); write it like `pcplan <pcplan@example.org>`",
                config.mail.from
            )
        })?;
        let public_url = config.public_url().trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) || public_url.contains(' ') {
            bail!(
                "public_url: `{}` is not a web address; write the address staff use, like https://plan.example.org",
                config.public_url()
            );
        }
        let mut lead_days = config.reminders.lead_days.clone();
        if let Some(too_far) = lead_days.iter().find(|d| **d > MAX_LEAD_DAYS) {
            bail!("reminders.lead_days: {too_far} days is more than a year; use numbers from 0 to {MAX_LEAD_DAYS}");
        }
        lead_days.sort_unstable();
        lead_days.dedup();
        let minutes = config.reminders.interval_minutes;
        if minutes == 0 || minutes > 7 * 24 * 60 {
            bail!("reminders.interval_minutes: {minutes} is out of range; use a number of minutes from 1 to 10080");
        }
        Ok(Settings { from, public_url, lead_days, interval: Duration::from_secs(minutes * 60) })
    }
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    File { dir: PathBuf, transport: AsyncFileTransport<Tokio1Executor> },
    Smtp { host: String, port: u16, timeout: Duration, transport: AsyncSmtpTransport<Tokio1Executor> },
}

/// What became of one message handed to a [`Mailer`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Delivery {
    /// Accepted (written, for the file transport), with a line for the record.
    Accepted(String),
    /// Certainly not delivered: refused with an SMTP reply, or the server not reached or
    /// not answering before the message was sent. Safe to try again.
    Refused(String),
    /// Perhaps delivered: the server stopped answering, or the connection broke, once
    /// the message was on its way. Never tried again.
    Unconfirmed(String),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::File { dir, .. } => write!(f, "Mailer::File({})", dir.display()),
            Mailer::Smtp { host, port, .. } => write!(f, "Mailer::Smtp({host}:{port})"),
        }
    }
}

impl Mailer {
    /// The transport the configuration names. The file transport's directory is created
    /// here, so a missing one is reported before anything is claimed.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let mail = &config.mail;
        match mail.transport {
            TransportKind::File => {
                let dir = mail.dir.clone().unwrap_or_else(|| config.data_dir.join("mail"));
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("mail.dir: creating the mail directory {}", dir.display()))?;
                Ok(Mailer::File { transport: AsyncFileTransport::new(&dir), dir })
            }
            TransportKind::Smtp => {
                let host = mail.smtp_host.trim().to_string();
                if host.is_empty() {
                    bail!("mail.smtp_host is empty; name the SMTP server, or set mail.transport = \"file\"");
                }
                let port = mail.smtp_port.unwrap_or_else(|| mail.smtp_security.default_port());
                let builder = match mail.smtp_security {
                    SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str()),
                    SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)
                        .with_context(|| format!("mail.smtp_host: setting up STARTTLS for `{host}`"))?,
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)
                        .with_context(|| format!("mail.smtp_host: setting up TLS for `{host}`"))?,
                };
                let timeout = Duration::from_secs(mail.smtp_timeout_seconds.max(1));
                let mut builder = builder.port(port).timeout(Some(timeout));
                match (&mail.smtp_username, &mail.smtp_password) {
                    (Some(user), Some(password)) => {
                        builder = builder.credentials(Credentials::new(user.clone(), password.clone()))
                    }
                    (None, None) => {}
                    _ => bail!("mail.smtp_username and mail.smtp_password must be set together, or neither"),
                }
                Ok(Mailer::Smtp { host, port, timeout, transport: builder.build() })
            }
        }
    }

    /// Sends one message and says what became of it.
    ///
    /// lettre bounds only the TCP connect by its timeout, so over SMTP each of the two
    /// steps is bounded here as well: first a session is opened and checked (greeting,
    /// EHLO, STARTTLS and AUTH as configured, then NOOP); nothing of the message has left
    /// yet, so a failure or silence there is [`Delivery::Refused`]. Then the message is
    /// sent over that session (the pool hands it back): a reply code refusing it is
    /// `Refused`; silence or a broken connection is [`Delivery::Unconfirmed`], since the
    /// server may have taken the message before it stopped answering.
    async fn send(&self, message: Message) -> Delivery {
        match self {
            Mailer::File { dir, transport } => match transport.send(message).await {
                Ok(id) => Delivery::Accepted(format!("written to {}", dir.join(format!("{id}.eml")).display())),
                Err(e) => Delivery::Refused(format!("writing to {}: {e}", dir.display())),
            },
            Mailer::Smtp { host, port, timeout, transport } => {
                let seconds = timeout.as_secs();
                match tokio::time::timeout(*timeout, transport.test_connection()).await {
                    Err(_) => {
                        return Delivery::Refused(format!(
                            "{host}:{port}: no answer within {seconds} s while opening the session; nothing was sent"
                        ));
                    }
                    Ok(Err(e)) => return Delivery::Refused(format!("{host}:{port}: {e}")),
                    Ok(Ok(false)) => {
                        return Delivery::Refused(format!(
                            "{host}:{port}: the session did not answer NOOP; nothing was sent"
                        ));
                    }
                    Ok(Ok(true)) => {}
                }
                match tokio::time::timeout(*timeout, transport.send(message)).await {
                    Ok(Ok(response)) => Delivery::Accepted(format!("accepted by {host}:{port} ({})", response.code())),
                    Ok(Err(e)) if e.is_permanent() || e.is_transient() => {
                        Delivery::Refused(format!("{host}:{port}: {e}"))
                    }
                    Ok(Err(e)) => Delivery::Unconfirmed(format!(
                        "{host}:{port}: the connection failed while the message was being sent ({e}); \
                         it may have been delivered, so it is not sent again"
                    )),
                    Err(_) => Delivery::Unconfirmed(format!(
                        "{host}:{port}: no answer within {seconds} s once the message was being sent; \
                         it may have been delivered, so it is not sent again"
                    )),
                }
            }
        }
    }
}

/// What happened to one reminder in a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent(String),
    /// `--dry-run`: it would have been sent.
    WouldSend,
    /// Not sent, and why: already sent, not confirmed, or the owner cannot get mail.
    Skipped(String),
    /// The transport refused it; the next run tries again.
    Failed(String),
    /// Handed over but not confirmed: the mail server stopped answering once the message
    /// was on its way. It may have been delivered, so it stays claimed and no run sends
    /// it again.
    Unconfirmed(String),
}

impl Outcome {
    fn word(&self) -> &'static str {
        match self {
            Outcome::Sent(_) => "sent",
            Outcome::WouldSend => "would send",
            Outcome::Skipped(_) => "skipped",
            Outcome::Failed(_) => "failed",
            Outcome::Unconfirmed(_) => "unconfirmed",
        }
    }
}

/// One reminder considered in a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub key: String,
    pub stage: String,
    pub due: NaiveDate,
    pub what: String,
    pub owner: String,
    pub outcome: Outcome,
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:<10} {:<8} due {}  {} to {}", self.outcome.word(), self.stage, self.due, self.what, self.owner)?;
        match &self.outcome {
            Outcome::Skipped(why) | Outcome::Failed(why) | Outcome::Unconfirmed(why) => write!(f, ": {why}"),
            Outcome::Sent(_) | Outcome::WouldSend => Ok(()),
        }
    }
}

/// Everything a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<Line>,
}

impl Report {
    fn count(&self, word: &str) -> usize {
        self.lines.iter().filter(|l| l.outcome.word() == word).count()
    }

    pub fn sent(&self) -> usize {
        self.count("sent")
    }

    pub fn failed(&self) -> usize {
        self.count("failed")
    }

    pub fn skipped(&self) -> usize {
        self.count("skipped")
    }

    /// `reminders: 2 sent, 1 skipped, 0 failed`.
    pub fn summary(&self) -> String {
        let would = self.count("would send");
        let would = if would > 0 { format!("{would} would be sent, ") } else { String::new() };
        let unconfirmed = self.unconfirmed();
        let unconfirmed = if unconfirmed > 0 { format!(", {unconfirmed} unconfirmed") } else { String::new() };
        format!(
            "reminders: {would}{} sent, {} skipped, {} failed{unconfirmed}",
            self.sent(),
            self.skipped(),
            self.failed()
        )
    }

    /// Handed to the mail server without its confirmation (see [`Outcome::Unconfirmed`]).
    pub fn unconfirmed(&self) -> usize {
        self.count("unconfirmed")
    }
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The subject line: `Due 24 January 2014: Publish the Panel papers (about)`.
pub fn subject(item: &DueItem, stage: Stage) -> String {
    let when = match stage {
        Stage::Before(_) => format!("Due {}", long(item.due)),
        Stage::Overdue => format!("Overdue, was due {}", long(item.due)),
    };
    format!("{when}: {} ({})", item.what, item.about)
}

/// The plain-text body: what, about, when, how long is left, why, and the link.
pub fn body(item: &DueItem, owner: &User, today: NaiveDate, public_url: &str) -> String {
    let days_left = (item.due - today).num_days();
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    let standing = match days_left {
        0 => String::from("due today"),
        n if n > 0 => format!("{n} day{} left", plural(n)),
        n => format!("overdue by {} day{}", -n, plural(-n)),
    };
    let mut text = format!(
        "Dear {},\n\nThis is a reminder of a deadline you own in pcplan.\n\n\
         What:  {}\nAbout: {}\nDue:   {} ({standing})\n",
        owner.display_name,
        item.what,
        item.about,
        item.due.format("%A %-d %B %Y"),
    );
    if !item.citation.is_empty() {
        text.push_str(&format!("Why:   {}\n", item.citation));
    }
    text.push_str(&format!(
        "\nRecord it, or see the details, at:\n{public_url}{}\n\n\
         You are sent this because you are the owner of this deadline. pcplan sends one\n\
         reminder at each lead time and one when a deadline is overdue, never more.\n",
        item.subject.staff_path()
    ));
    text
}

/// A Message-ID that is the same for every attempt at one reminder.
pub fn message_id(key: &str, from: &Mailbox) -> String {
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    format!("<reminder.{}@{}>", &digest[..32], from.email.domain())
}

/// The whole message, or why it cannot be written (an address the mail library refuses).
fn compose(
    item: &DueItem,
    owner: &User,
    address: &str,
    stage: Stage,
    key: &str,
    today: NaiveDate,
    settings: &Settings,
) -> Result<Message, String> {
    let address = Address::from_str(address).map_err(|e| format!("the address `{address}` cannot be used ({e})"))?;
    Message::builder()
        .from(settings.from.clone())
        .to(Mailbox::new(Some(owner.display_name.clone()), address))
        .subject(subject(item, stage))
        .message_id(Some(message_id(key, &settings.from)))
        .header(ContentType::TEXT_PLAIN)
        .body(body(item, owner, today, &settings.public_url))
        .map_err(|e| format!("the message cannot be written ({e})"))
}

/// Sends every reminder due on `today`, once. Only a store failure is an error: a mail
/// failure is recorded on its reminder and reported in its line, and the run goes on.
pub async fn send_due(
    store: &Store,
    mailer: &Mailer,
    settings: &Settings,
    today: NaiveDate,
    dry_run: bool,
) -> pcplan_store::Result<Report> {
    // The recurring obligations of today's cycles are added first (once each, ever), so a
    // new financial year or precept round is reminded without anyone adding it by hand.
    if !dry_run {
        store.ensure_obligations(&pcplan_store::Actor::system("pcplan reminders"), today).await?;
    }
    let items = store.agenda(today).await?;
    let users: HashMap<UserId, User> = store.users().await?.into_iter().map(|u| (u.id, u)).collect();
    let mut report = Report::default();
    for item in &items {
        if item.done.is_some() {
            continue;
        }
        let Some(owner_id) = item.owner else { continue };
        let Some(stage) = stage(item.due, today, &settings.lead_days) else { continue };
        let key = format!("{}|{owner_id}|{}", item.key, stage.as_key());
        let mut line = |owner: String, outcome| {
            report.lines.push(Line {
                key: key.clone(),
                stage: stage.as_key(),
                due: item.due,
                what: format!("{} ({})", item.what, item.about),
                owner,
                outcome,
            })
        };
        let Some(owner) = users.get(&owner_id) else {
            line(owner_id.to_string(), Outcome::Skipped(String::from("the owner's account no longer exists")));
            continue;
        };
        let Some(address) = owner.email.as_deref().filter(|_| owner.active) else {
            let why = if owner.active { "the owner has no e-mail address" } else { "the owner's account is disabled" };
            line(owner.username.clone(), Outcome::Skipped(why.to_string()));
            continue;
        };
        let who = format!("{} <{address}>", owner.username);
        let message = match compose(item, owner, address, stage, &key, today, settings) {
            Ok(message) => message,
            Err(why) => {
                line(who, Outcome::Skipped(why));
                continue;
            }
        };
        let earlier = store.reminder(&key).await?;
        if let Some(earlier) = earlier.as_ref().filter(|r| r.state != ReminderState::Failed) {
            let why = match earlier.state {
                ReminderState::Sent => format!("already sent {}", earlier.claimed_at.format("%Y-%m-%d %H:%M UTC")),
                _ => format!(
                    "claimed {} and not confirmed{}; check whether it arrived (it is never sent twice)",
                    earlier.claimed_at.format("%Y-%m-%d %H:%M UTC"),
                    earlier.detail.as_deref().map(|why| format!(" ({why})")).unwrap_or_default()
                ),
            };
            line(who, Outcome::Skipped(why));
            continue;
        }
        if dry_run {
            line(who, Outcome::WouldSend);
            continue;
        }
        let claim = NewReminder {
            key: key.clone(),
            item_key: item.key.clone(),
            user_id: owner_id,
            due_on: item.due,
            stage: stage.as_key(),
        };
        // Claimed and committed before sending: see the module comment.
        if !store.claim_reminder(&claim).await? {
            line(who, Outcome::Skipped(String::from("claimed by another run at the same moment")));
            continue;
        }
        match mailer.send(message).await {
            Delivery::Accepted(detail) => {
                store.mark_reminder_sent(&key, &format!("to {address}; {detail}")).await?;
                line(who, Outcome::Sent(detail));
            }
            Delivery::Refused(why) => {
                store.mark_reminder_failed(&key, &why).await?;
                line(who, Outcome::Failed(why));
            }
            Delivery::Unconfirmed(why) => {
                store.mark_reminder_unconfirmed(&key, &why).await?;
                line(who, Outcome::Unconfirmed(why));
            }
        }
    }
    Ok(report)
}

/// Sends due reminders now and then every `settings.interval`, until `stop` turns true.
/// A run in progress finishes before the task stops, so stopping the server never
/// leaves a reminder claimed and unconfirmed. Failures are logged, never returned: the
/// server goes on serving whatever the mail server does.
pub async fn run_every(store: Store, mailer: Mailer, settings: Settings, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(settings.interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        // The day as the server's clock reads it locally: the deadlines are dates in
        // England and Wales, so run the server in Europe/London time.
        let today = chrono::Local::now().date_naive();
        match send_due(&store, &mailer, &settings, today, false).await {
            Ok(report) => {
                for line in &report.lines {
                    match &line.outcome {
                        Outcome::Sent(_) => tracing::info!(reminder.key = %line.key, "reminder sent"),
                        Outcome::Unconfirmed(why) => {
                            tracing::warn!(reminder.key = %line.key, error = %why, "reminder not confirmed; not sent again")
                        }
                        Outcome::Failed(why) => {
                            tracing::warn!(reminder.key = %line.key, error = %why, "reminder not sent; tried again next run")
                        }
                        Outcome::Skipped(why) => {
                            tracing::debug!(reminder.key = %line.key, reason = %why, "reminder skipped")
                        }
                        Outcome::WouldSend => {}
                    }
                }
                if report.sent() + report.failed() > 0 {
                    tracing::info!(sent = report.sent(), failed = report.failed(), "reminders run finished");
                }
            }
            Err(error) => tracing::error!(error = %error, "reminders run stopped: the store failed; next run as usual"),
        }
    }
}

/// The `[mail]` and `[reminders]` sections as TOML, for `pcplan config show`, with the
/// SMTP password hidden.
pub fn config_toml(mail: &MailConfig, reminders: &RemindersConfig) -> String {
    let quoted = |value: &Option<String>| value.as_ref().map(|v| format!("{v:?}"));
    let mut out = String::from("\n[mail]\n");
    let transport = match mail.transport {
        TransportKind::File => "file",
        TransportKind::Smtp => "smtp",
    };
    out.push_str(&format!("transport = {transport:?}\n"));
    match &mail.dir {
        Some(dir) => out.push_str(&format!("dir = {:?}\n", dir.display().to_string())),
        None => out.push_str("# dir is unset: <data_dir>/mail\n"),
    }
    out.push_str(&format!("from = {:?}\n", mail.from));
    out.push_str(&format!("smtp_host = {:?}\n", mail.smtp_host));
    let security = match mail.smtp_security {
        SmtpSecurity::None => "none",
        SmtpSecurity::Starttls => "starttls",
        SmtpSecurity::Tls => "tls",
    };
    out.push_str(&format!("smtp_security = {security:?}\n"));
    match mail.smtp_port {
        Some(port) => out.push_str(&format!("smtp_port = {port}\n")),
        None => out.push_str(&format!("# smtp_port is unset: {}\n", mail.smtp_security.default_port())),
    }
    if let Some(user) = quoted(&mail.smtp_username) {
        out.push_str(&format!("smtp_username = {user}\n"));
    }
    if mail.smtp_password.is_some() {
        out.push_str("smtp_password = \"***\"\n");
    }
    out.push_str(&format!("smtp_timeout_seconds = {}\n", mail.smtp_timeout_seconds));
    out.push_str("\n[reminders]\n");
    let leads: Vec<String> = reminders.lead_days.iter().map(u32::to_string).collect();
    out.push_str(&format!("lead_days = [{}]\n", leads.join(", ")));
    out.push_str(&format!("interval_minutes = {}\n", reminders.interval_minutes));
    out
}

/// Parses `--today`.
pub fn parse_today(text: Option<&str>) -> anyhow::Result<NaiveDate> {
    match text {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--today `{text}` is not a date; write it like 2014-01-17")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn the_stage_is_the_smallest_lead_time_reached_or_overdue() {
        let due = date(2014, 1, 24);
        let leads = [1, 7, 14];
        // (today, expected stage)
        let cases = [
            (date(2014, 1, 1), None),
            (date(2014, 1, 9), None),
            (date(2014, 1, 10), Some(Stage::Before(14))),
            (date(2014, 1, 16), Some(Stage::Before(14))),
            (date(2014, 1, 17), Some(Stage::Before(7))),
            (date(2014, 1, 22), Some(Stage::Before(7))),
            (date(2014, 1, 23), Some(Stage::Before(1))),
            (date(2014, 1, 24), Some(Stage::Before(1))),
            (date(2014, 1, 25), Some(Stage::Overdue)),
            (date(2015, 1, 25), Some(Stage::Overdue)),
        ];
        for (today, expected) in cases {
            assert_eq!(stage(due, today, &leads), expected, "{today}");
        }
        assert_eq!(stage(due, due, &[]), None, "no lead times: only overdue reminders");
        assert_eq!(stage(due, due, &[0, 7]), Some(Stage::Before(0)));
        assert_eq!(Stage::Before(7).as_key(), "7d");
        assert_eq!(Stage::Overdue.as_key(), "overdue");
    }

    #[test]
    fn settings_name_the_key_that_is_wrong() {
        let mut config = Config::default();
        assert!(Settings::from_config(&config).is_ok());
        config.mail.from = String::from("not an address");
        assert!(Settings::from_config(&config).expect_err("refused").to_string().starts_with("mail.from:"));
        let config = Config { public_url: Some(String::from("plan.example.org")), ..Config::default() };
        assert!(Settings::from_config(&config).expect_err("refused").to_string().starts_with("public_url:"));
        let mut config = Config::default();
        config.reminders.lead_days = vec![7, 400];
        assert!(Settings::from_config(&config).expect_err("refused").to_string().starts_with("reminders.lead_days:"));
        let mut config = Config::default();
        config.reminders.interval_minutes = 0;
        let error = Settings::from_config(&config).expect_err("refused").to_string();
        assert!(error.starts_with("reminders.interval_minutes:"), "{error}");
        let mut config = Config::default();
        config.reminders.lead_days = vec![7, 14, 1, 7];
        assert_eq!(Settings::from_config(&config).expect("ok").lead_days, [1, 7, 14]);
    }

    #[test]
    fn the_message_id_is_the_same_for_every_attempt_at_one_reminder() {
        let from = Mailbox::from_str("pcplan <pcplan@example.org>").expect("mailbox");
        let one = message_id("meeting:x:papers|u|7d", &from);
        assert_eq!(one, message_id("meeting:x:papers|u|7d", &from));
        assert_ne!(one, message_id("meeting:x:papers|u|1d", &from));
        assert!(one.starts_with("<reminder.") && one.ends_with("@example.org>"), "{one}");
    }
}
