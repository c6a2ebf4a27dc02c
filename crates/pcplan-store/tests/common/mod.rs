//! Test databases: a fresh SQLite file per test, and a fresh PostgreSQL database per
//! test when `PCPLAN_TEST_POSTGRES_URL` names a server.
//!
//! Each [`TestDb`] removes its database when dropped, even when its test fails, so
//! tests never share state and never leave databases behind. Without the variable only SQLite runs: `cargo test`
//! needs nothing installed.

use pcplan_store::Store;

/// One test database and the store open on it.
pub struct TestDb {
    pub store: Store,
    pub name: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl TestDb {
    /// A fresh SQLite database in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        TestDb { store, name: String::from("sqlite"), cleanup: Cleanup::Sqlite(dir) }
    }

    /// A fresh PostgreSQL database on the server named by the admin URL.
    pub async fn postgres(admin_url: &str) -> TestDb {
        use sqlx::Connection;
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("random");
        let database = format!("pcplan_test_{}", hex::encode(bytes));
        let mut admin = sqlx::PgConnection::connect(admin_url).await.expect("connect to PCPLAN_TEST_POSTGRES_URL");
        sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut admin).await.expect("create database");
        admin.close().await.ok();
        let url = with_database(admin_url, &database);
        let store = Store::connect(&url).await.expect("open postgres");
        TestDb {
            store,
            name: String::from("postgres"),
            cleanup: Cleanup::Postgres { admin_url: admin_url.to_string(), database },
        }
    }

    /// Closes the store; the database itself is dropped when the `TestDb` is.
    pub async fn finish(self) {
        self.store.close().await;
    }
}

impl Drop for TestDb {
    /// Drops a PostgreSQL test database even when the test failed part-way. `Drop`
    /// cannot await, so a thread with its own runtime does it; `FORCE` ends any
    /// connections the store's pool still holds.
    fn drop(&mut self) {
        let Cleanup::Postgres { admin_url, database } = &self.cleanup else { return };
        let (admin_url, database) = (admin_url.clone(), database.clone());
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            runtime.block_on(async move {
                use sqlx::Connection;
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                    let _ = sqlx::query(&sql).execute(&mut admin).await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

/// Every backend this run tests: SQLite always, PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    let mut out = vec![TestDb::sqlite().await];
    if let Ok(url) = std::env::var("PCPLAN_TEST_POSTGRES_URL")
        && !url.trim().is_empty()
    {
        out.push(TestDb::postgres(url.trim()).await);
    }
    out
}
