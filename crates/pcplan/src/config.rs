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
    /// The log filter, in `tracing` env-filter syntax.
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: String::from("127.0.0.1:8080"),
            data_dir: PathBuf::from("data"),
            database_url: None,
            secure_cookies: false,
            session_hours: 12,
            log: String::from("info,sqlx=warn,tower_http=info"),
        }
    }
}

const ENV_KEYS: [&str; 6] = ["listen", "data_dir", "database_url", "secure_cookies", "session_hours", "log"];

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
        figment = figment.merge(Env::prefixed("PCPLAN_").only(&ENV_KEYS));
        figment.extract().map_err(|e| anyhow::anyhow!("configuration: {e}"))
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
        out.push_str(&format!("log = {:?}\n", self.log));
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

# The log filter, in tracing's env-filter syntax.
log = "info,sqlx=warn,tower_http=info"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_configuration_parses_to_the_defaults() {
        let parsed: Config = Figment::from(Toml::string(EXAMPLE)).extract().expect("example parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(redact_url("postgres://pcplan:secret@db/pcplan"), "postgres://pcplan:***@db/pcplan");
        assert_eq!(redact_url("postgres://postgres@db/pcplan"), "postgres://postgres@db/pcplan");
        assert_eq!(redact_url("sqlite://data/pcplan.db"), "sqlite://data/pcplan.db");
    }
}
