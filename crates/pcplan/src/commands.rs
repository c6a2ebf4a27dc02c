//! What each command does: serve, demo, plan, user, audit, calendar, reminders.
//!
//! Each command reads the configuration, opens the store once and reports in plain words.
//! Output meant for other programs (JSON exports, diffs) goes to standard output; progress
//! and notes go to standard error so they never corrupt it.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, bail};
use pcplan_domain::{PlanFile, PlanId, VersionNumber, check_contents, diff_plans};
use pcplan_store::{Actor, NewUser, Role, Store};

use crate::cli::{
    AuditCommand, CalendarCommand, Command, ExportFormat, Format, OverrideCommand, PlanCommand, PlanSelect,
    RemindersCommand, RoleArg, RuleArg, ServerArgs, UserCommand,
};
use crate::config::{Config, redact_url};

/// Runs a parsed command.
pub async fn dispatch(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve(args, config, false).await,
        Command::Demo(args) => serve(args, config, true).await,
        Command::Plan(command) => plan(command, config).await,
        Command::User(command) => user(command, config).await,
        Command::Audit(command) => audit(command, config).await,
        Command::Calendar(command) => calendar(command, config).await,
        Command::Config(_) => Ok(ExitCode::SUCCESS),
        Command::Reminders(command) => reminders(command, config).await,
        Command::Themes(command) => crate::themes::run(command),
        Command::Crime(command) => crate::crime::run(command),
        Command::Search(command) => search(command, config).await,
        Command::Backup { to, store } => crate::records::backup(&config.with_store_args(&store), &to).await,
        Command::Restore { from, store } => crate::records::restore(&config.with_store_args(&store), &from).await,
        Command::Records(command) => crate::records::run(command, config).await,
    }
}

async fn search(command: crate::cli::SearchCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        crate::cli::SearchCommand::Reindex { store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            let rows = store.rebuild_search_index(&Actor::system("pcplan search reindex")).await;
            store.close().await;
            let rows = rows.context("rebuilding the search index")?;
            let noun = if rows == 1 { "entry" } else { "entries" };
            println!("search index rebuilt: {rows} {noun}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the store named by the configuration.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.database_url()?;
    Store::connect(&url).await.with_context(|| format!("opening the database at {}", redact_url(&url)))
}

async fn serve(args: ServerArgs, config: Config, demo: bool) -> anyhow::Result<ExitCode> {
    let mut config = config.with_store_args(&args.store);
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    crate::init_logging(&config.log);
    let addr: SocketAddr = config
        .listen
        .parse()
        .with_context(|| format!("`{}` is not an address to listen on; write it like 127.0.0.1:8080", config.listen))?;
    // Mail settings are checked before anything starts, so a typing slip in them stops
    // the server at once instead of surfacing an hour later in a log.
    let reminder_settings = crate::reminders::Settings::from_config(&config)?;
    let mailer = crate::reminders::Mailer::from_config(&config)?;
    // So are the organisation sign-in settings (each error names its key).
    let oidc = config.oidc_settings()?;
    let store = open_store(&config).await?;
    let demo_sign_in = if demo { Some(load_demo(&store).await?) } else { None };
    let state = pcplan_web::AppState {
        store: store.clone(),
        config: pcplan_web::WebConfig {
            secure_cookies: config.secure_cookies,
            session_hours: config.session_hours,
            max_paper_bytes: config.max_paper_mib.saturating_mul(1024 * 1024),
            public_base_url: Some(config.public_url()),
            survey_limits: config.survey_limits()?,
            embedding_model_dir: config.embedding_model_dir.clone(),
            oidc,
            ..pcplan_web::WebConfig::default()
        },
    };
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}; is it in use?"))?;
    let local = listener.local_addr()?;
    println!("pcplan is serving on http://{local}");
    if let Some((username, password)) = demo_sign_in {
        println!("Demo sign-in: username `{username}`, one-time password `{password}`");
        println!("The public plan is at http://{local}/plan; staff pages at http://{local}/staff");
    }
    let (stop_reminders, stopped) = tokio::sync::watch::channel(false);
    let reminders = tokio::spawn(crate::reminders::run_every(store.clone(), mailer, reminder_settings, stopped));
    let served = axum::serve(listener, pcplan_web::app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP");
    // The reminders task finishes a run in progress before it stops, so no reminder is
    // left claimed and unconfirmed by an orderly shutdown.
    let _ = stop_reminders.send(true);
    if let Err(error) = reminders.await {
        tracing::error!(error = %error, "the reminders task ended abnormally");
    }
    served?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    // If the signal handler cannot be installed the server simply runs until killed.
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}

/// The demo administrator's username.
pub const DEMO_ADMIN: &str = "demo-admin";

/// Loads the demo plan if the database holds no plans, and gives the demo administrator
/// a fresh one-time password. Returns the sign-in to print.
pub async fn load_demo(store: &Store) -> anyhow::Result<(String, String)> {
    let actor = Actor::system("pcplan demo");
    let file = pcplan_demo::plan_file();
    if store.plan(file.plan.id).await?.is_none() {
        if !store.plans().await?.is_empty() {
            bail!(
                "this database already holds other plans; run the demo with its own --data-dir or --database-url \
                 so demo content never mixes with real records"
            );
        }
        store.import_plan(&actor, &file).await.context("loading the demo plan")?;
    }
    // Decisions 018/2013 and 011/2014, which issued the plan and its variation; before
    // the process, whose "plan issued" step links to the second.
    for decision in pcplan_demo::decisions::decisions() {
        if store.decision(decision.id).await?.is_none() {
            store
                .import_decision(&actor, &decision)
                .await
                .with_context(|| format!("loading the demo's decision {}", decision.number))?;
        }
    }
    // Boards first, so the Panel meeting below is scheduled for the demo's Panel.
    load_demo_boards(store, &actor).await.context("loading the demo's boards and members")?;
    if store.processes(file.plan.id).await?.is_empty() {
        load_demo_process(store, &actor).await.context("loading the demo's 2014 variation process")?;
    }
    load_demo_meeting_record(store, &actor).await.context("loading the record of the Panel meeting of 2014")?;
    // A database loaded before Panel reports existed has the process but not the report.
    crate::demo_report::load(store, &actor).await.context("loading the Panel's report of 14 February 2014")?;
    // The 2021 call for evidence in miniature: responses, themes, links and its public page.
    crate::demo_consultation::load(store, &actor).await.context("loading the demo's 2021 consultation")?;
    // The second body, after the first, so the first stays the site body.
    crate::demo_llr::load(store, &actor)
        .await
        .context("loading the demo's second body, Leicester, Leicestershire and Rutland")?;
    // The annual reports last, since they are drafted from everything above: West
    // Midlands' on 2013/14 sent to the Panel and published, the second body's on 2022/23
    // a draft.
    crate::demo_annual::load(store, &actor).await.context("loading the demo's annual reports")?;
    // The recurring obligations of today's cycles (annual reports, precept, equality,
    // plan issue), so the compliance dashboard shows the year ahead.
    store.ensure_obligations(&actor, pcplan_web::today()).await.context("adding the recurring deadlines")?;
    let password = random_password()?;
    let hash = pcplan_web::auth::hash_password(&password, false).context("hashing the demo password")?;
    match store.user_by_username(DEMO_ADMIN).await? {
        Some((user, _)) => store.set_one_time_password(&actor, user.id, &hash).await?,
        None => {
            store
                .create_user(
                    &actor,
                    &NewUser {
                        username: DEMO_ADMIN.to_string(),
                        display_name: String::from("Demo administrator"),
                        role: Role::Admin,
                        password_hash: hash,
                        one_time_password: true,
                        email: None,
                    },
                )
                .await?;
        }
    }
    Ok((DEMO_ADMIN.to_string(), password))
}

/// The Panel meeting of 3 February 2014 and the variation process around it.
async fn load_demo_process(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    use pcplan_demo::process::{panel_meeting_2014, variation_steps_2014};
    use pcplan_domain::process::Step;
    let meeting = panel_meeting_2014();
    if store.meeting(meeting.id).await?.is_none() {
        // Scheduled as staff would schedule it, so its papers deadline comes from the
        // body's stored settings and the calendar with overrides, then the papers'
        // publication on 29 January 2014 (seed 004) is recorded.
        store.schedule_meeting(actor, meeting.id, meeting.body_id, &meeting.title, meeting.held_on).await?;
        if let Some(published) = meeting.papers_published_on {
            store.set_papers_published(actor, meeting.id, published).await?;
        }
    }
    let process = store
        .create_process(
            actor,
            pcplan_demo::ids::VARIATION_2014,
            pcplan_demo::ids::PLAN,
            pcplan_domain::process::ProcessKind::Variation,
            Some(meeting.id),
        )
        .await?;
    for (step, evidence) in variation_steps_2014() {
        // The response steps are recorded by publishing the response to the Panel's
        // report, as staff would, when the clock reaches them.
        if matches!(step, Step::ResponseGiven | Step::ResponsePublished) {
            crate::demo_report::load(store, actor).await.context("loading the Panel's report of 14 February 2014")?;
            continue;
        }
        store.record_step(actor, process.id, step, &evidence).await?;
    }
    Ok(())
}

/// The demo's boards and the Panel's members; a Panel made for the body before (by
/// migration 0007 or an earlier meeting) takes the demo's name.
async fn load_demo_boards(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    for board in pcplan_demo::boards::boards() {
        match store.board(board.id).await? {
            None => store.create_board(actor, &board).await?,
            Some(stored) if stored != board => store.update_board(actor, &board).await?,
            Some(_) => {}
        }
    }
    for member in pcplan_demo::boards::panel_members() {
        if store.member(member.id).await?.is_none() {
            store.add_member(actor, &member).await?;
        }
    }
    Ok(())
}

/// The meeting of 3 February 2014 as held (place, agenda, attendance) and its agenda
/// paper, uploaded and published on 29 January 2014, late, as seed 004 says.
async fn load_demo_meeting_record(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    use pcplan_demo::boards::{
        AGENDA_HTML, AGENDA_PAPER_2014, AGENDA_PUBLISHED_ON, agenda_published_at, meeting_held_2014,
    };
    let Some(meeting) = store.meeting(pcplan_demo::ids::MEETING_2014).await? else { return Ok(()) };
    if meeting.agenda.is_empty() {
        store.update_meeting(actor, &meeting_held_2014(&meeting)).await?;
    }
    if store.paper(AGENDA_PAPER_2014).await?.is_none() {
        let paper = pcplan_store::NewPaper {
            id: AGENDA_PAPER_2014,
            meeting_id: meeting.id,
            title: "Agenda",
            agenda_item: None,
            file_name: "agenda-2014-02-03.html",
            bytes: AGENDA_HTML.as_bytes(),
            max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
        };
        store.upload_paper(actor, &paper).await?;
        store.publish_paper(actor, AGENDA_PAPER_2014, agenda_published_at(), AGENDA_PUBLISHED_ON).await?;
    }
    Ok(())
}

/// A random password of 20 characters from an alphabet without look-alikes.
pub fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("reading random bytes: {e}"))?;
    Ok(bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect())
}

async fn select_plan(store: &Store, select: &PlanSelect) -> anyhow::Result<PlanId> {
    if let Some(id) = &select.plan {
        return id.parse().map_err(|_| anyhow::anyhow!("`{id}` is not a plan id; `pcplan plan list` shows them"));
    }
    let plans = store.plans().await?;
    match plans.as_slice() {
        [] => bail!("the database holds no plans; import one with `pcplan plan import FILE`"),
        [only] => Ok(only.id),
        many => bail!(
            "the database holds {} plans; choose one with --plan: {}",
            many.len(),
            many.iter().map(|p| format!("{} ({})", p.id, p.title)).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A version number or `draft` (the working draft).
enum VersionRef {
    Draft,
    Number(VersionNumber),
}

fn parse_version_ref(text: &str) -> anyhow::Result<VersionRef> {
    if text.eq_ignore_ascii_case("draft") {
        return Ok(VersionRef::Draft);
    }
    text.trim_start_matches('v')
        .parse::<u32>()
        .map(|n| VersionRef::Number(VersionNumber(n)))
        .map_err(|_| anyhow::anyhow!("`{text}` is not a version; give a version number like 2, or `draft`"))
}

async fn load_plan_at(store: &Store, plan: PlanId, at: &VersionRef) -> anyhow::Result<pcplan_domain::Plan> {
    match at {
        VersionRef::Draft => store.plan(plan).await?.with_context(|| format!("plan {plan} not found")),
        VersionRef::Number(n) => Ok(store
            .version(plan, *n)
            .await?
            .with_context(|| format!("plan {plan} has no version {n}; `pcplan plan list` shows its versions"))?
            .plan),
    }
}

async fn plan(command: PlanCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        PlanCommand::Check { version, select, format } => {
            let store = open_store(&config.with_store_args(&select.store)).await?;
            let id = select_plan(&store, &select).await?;
            let at = version.map(|n| VersionRef::Number(VersionNumber(n))).unwrap_or(VersionRef::Draft);
            let plan = load_plan_at(&store, id, &at).await?;
            let report = check_contents(&plan);
            match format {
                Format::Text => print!("{}", report.to_text()),
                Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
            }
            store.close().await;
            Ok(if report.valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        PlanCommand::Diff { from, to, select, format } => {
            let (from, to) = (parse_version_ref(&from)?, parse_version_ref(&to)?);
            let store = open_store(&config.with_store_args(&select.store)).await?;
            let id = select_plan(&store, &select).await?;
            let old = load_plan_at(&store, id, &from).await?;
            let new = load_plan_at(&store, id, &to).await?;
            let summary = diff_plans(&old, &new);
            match format {
                Format::Text => print!("{}", summary.to_text()),
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::List { store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            for summary in store.plans().await? {
                println!("{}  {}  ({} to {})", summary.id, summary.title, summary.starts_on, summary.ends_on);
                for v in store.versions(summary.id).await? {
                    let effective = v.effective_on.map(|d| d.to_string()).unwrap_or_else(|| String::from("-"));
                    println!("  version {:>3}  {:<24} {:<10}  {}", v.number, v.kind.label(), effective, v.label);
                }
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::Export { select, format: ExportFormat::Json, output } => {
            let store = open_store(&config.with_store_args(&select.store)).await?;
            let id = select_plan(&store, &select).await?;
            let file = store.export_plan(id).await?.with_context(|| format!("plan {id} not found"))?;
            let text = file.to_json();
            match output {
                Some(path) => std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?,
                None => print!("{text}"),
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::Import { file, store: args } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let parsed = match PlanFile::parse(&text) {
                Ok(parsed) => parsed,
                Err(problems) => {
                    eprintln!("error: {} is not a valid plan file; nothing was imported", file.display());
                    for problem in &problems.0 {
                        eprintln!("  {}: {}", problem.path, problem.problem);
                    }
                    return Ok(ExitCode::from(1));
                }
            };
            let store = open_store(&config.with_store_args(&args)).await?;
            store
                .import_plan(&Actor::system("pcplan plan import"), &parsed)
                .await
                .with_context(|| format!("importing {}; nothing was imported", file.display()))?;
            eprintln!(
                "imported plan {} ({}) with {} record(s) and {} version(s)",
                parsed.plan.id,
                parsed.plan.title,
                parsed.plan.items.len(),
                parsed.versions.len()
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn user(command: UserCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add { username, display_name, role, password_stdin, email, store: args } => {
            let username = username.trim().to_string();
            if username.is_empty() || username.chars().any(char::is_whitespace) {
                bail!("`{username}` is not a username; use letters, digits, dots or dashes without spaces");
            }
            let email = match email.as_deref().map(pcplan_store::parse_email).transpose() {
                Ok(email) => email.flatten(),
                Err(error) => bail!("--{error}"),
            };
            let (password, generated) = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("reading the password from standard input")?;
                let text = text.trim_end_matches(['\r', '\n']).to_string();
                if let Some(problem) = pcplan_web::password_policy::problem(&text, &username) {
                    bail!("{problem} (the password read from standard input for {username})");
                }
                (text, false)
            } else {
                (random_password()?, true)
            };
            let hash = pcplan_web::auth::hash_password(&password, false).context("hashing the password")?;
            let store = open_store(&config.with_store_args(&args)).await?;
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Editor => Role::Editor,
                RoleArg::Approver => Role::Approver,
                RoleArg::Liaison => Role::Liaison,
                RoleArg::PanelOfficer => Role::PanelOfficer,
                RoleArg::Viewer => Role::Viewer,
            };
            let user = store
                .create_user(
                    &Actor::system("pcplan user add"),
                    &NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role,
                        password_hash: hash,
                        // A password read from standard input was chosen by the person
                        // running the command for themselves; a generated one was not.
                        one_time_password: generated,
                        email,
                    },
                )
                .await?;
            println!("created {} ({}) as {}", user.username, user.display_name, user.role.label());
            if generated {
                println!("one-time password: {password}");
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::List { store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            for user in store.users().await? {
                println!(
                    "{:<20} {:<10} {:<8} {}",
                    user.username,
                    user.role.as_str(),
                    if user.active { "active" } else { "disabled" },
                    user.display_name
                );
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `pcplan reminders send` and `list`. `send` exits 0 even when some messages failed
/// (they are recorded and retried on the next run); only a store failure is an error.
async fn reminders(command: RemindersCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        RemindersCommand::Send { today, dry_run, store: args } => {
            let config = config.with_store_args(&args);
            let today = crate::reminders::parse_today(today.as_deref())?;
            let settings = crate::reminders::Settings::from_config(&config)?;
            let mailer = crate::reminders::Mailer::from_config(&config)?;
            let store = open_store(&config).await?;
            let report = crate::reminders::send_due(&store, &mailer, &settings, today, dry_run)
                .await
                .context("sending reminders; those already claimed are recorded and never sent twice")?;
            for line in &report.lines {
                println!("{line}");
            }
            println!("{}", report.summary());
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        RemindersCommand::List { limit, store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            let users: std::collections::HashMap<_, _> =
                store.users().await?.into_iter().map(|u| (u.id, u.username)).collect();
            for reminder in store.reminders(limit).await? {
                let owner = users.get(&reminder.user_id).cloned().unwrap_or_else(|| reminder.user_id.to_string());
                println!(
                    "{:<14} {}  due {}  {:<8} {:<16} {}{}",
                    reminder.state.label().to_lowercase(),
                    reminder.claimed_at.format("%Y-%m-%d %H:%M"),
                    reminder.due_on,
                    reminder.stage,
                    owner,
                    reminder.item_key,
                    reminder.detail.map(|d| format!("  ({d})")).unwrap_or_default()
                );
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn audit(command: AuditCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            let report = store.verify_audit().await;
            let published = store.verify_publications().await;
            store.close().await;
            let (report, published) = (report?, published?);
            let mut intact = true;
            match report.first_broken {
                None => {
                    let noun = if report.entries == 1 { "entry" } else { "entries" };
                    println!("audit log intact: {} {noun}, every link verified", report.entries);
                }
                Some(broken) => {
                    println!(
                        "audit log BROKEN at entry {}: {} ({} entries checked)",
                        broken.seq, broken.reason, report.entries
                    );
                    intact = false;
                }
            }
            if published.altered.is_empty() {
                println!("published documents intact: {} content hashes verified", published.checked);
            }
            for altered in &published.altered {
                println!(
                    "published document ALTERED: {}: content hash {} recorded at publication, {} now",
                    altered.what, altered.recorded, altered.now
                );
                intact = false;
            }
            Ok(if intact { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        AuditCommand::Log { limit, store: args } => {
            let store = open_store(&config.with_store_args(&args)).await?;
            for entry in store.audit_log(limit, 0).await? {
                println!(
                    "{:>6}  {}  {:<24} {:<12} {:<8} {}",
                    entry.seq,
                    entry.at.format("%Y-%m-%d %H:%M:%S"),
                    entry.actor,
                    entry.action,
                    entry.entity,
                    entry.entity_id
                );
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The database the configuration names, if it is already there: a PostgreSQL URL
/// always is; a SQLite file only when it exists. The calendar's read-only commands use
/// it for the stored overrides, and must not create an empty database to learn there
/// are none.
fn existing_database(config: &Config) -> Option<String> {
    let url = match &config.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", config.data_dir.join("pcplan.db").display()),
    };
    match url.split_once(':') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("sqlite") => {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            std::path::Path::new(path).is_file().then_some(url)
        }
        _ => Some(url),
    }
}

/// The calendar with the stored overrides when a database exists, else the built-in one.
async fn stored_calendar(config: &Config) -> anyhow::Result<pcplan_domain::Calendar> {
    let Some(url) = existing_database(config) else { return Ok(pcplan_domain::Calendar::default()) };
    let store = Store::connect(&url).await.with_context(|| format!("opening the database at {}", redact_url(&url)))?;
    let calendar = store.calendar().await;
    store.close().await;
    Ok(calendar?)
}

fn parse_date(text: &str, which: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{which} date `{text}` is not a date; write it like 2014-02-03"))
}

/// The calendar commands: the holidays of a year and clear days, with the stored
/// overrides when a database exists; and the overrides themselves.
pub async fn calendar(command: CalendarCommand, config: Config) -> anyhow::Result<ExitCode> {
    use pcplan_domain::{DayRule, HolidayOverride};
    match command {
        CalendarCommand::Holidays { year, names, store } => {
            let calendar = stored_calendar(&config.with_store_args(&store)).await?;
            for holiday in calendar.holidays(year)? {
                if names {
                    println!("{} {}", holiday.date, holiday.name);
                } else {
                    println!("{}", holiday.date);
                }
            }
        }
        CalendarCommand::ClearDays { from, to, rule, store } => {
            let (from, to) = (parse_date(&from, "the from")?, parse_date(&to, "the to")?);
            let rule = match rule {
                RuleArg::Working => DayRule::Working,
                RuleArg::Calendar => DayRule::Calendar,
            };
            let calendar = stored_calendar(&config.with_store_args(&store)).await?;
            println!("{}", calendar.clear_days(from, to, rule)?);
        }
        CalendarCommand::Override(OverrideCommand::List { store }) => {
            let Some(url) = existing_database(&config.with_store_args(&store)) else { return Ok(ExitCode::SUCCESS) };
            let store =
                Store::connect(&url).await.with_context(|| format!("opening the database at {}", redact_url(&url)))?;
            let overrides = store.holiday_overrides().await;
            store.close().await;
            for o in overrides? {
                println!("{} {} {}", o.date, if o.holiday { "add" } else { "remove" }, o.name);
            }
        }
        CalendarCommand::Override(OverrideCommand::Add { date, name, remove, store }) => {
            let entry = HolidayOverride { date: parse_date(&date, "the")?, holiday: !remove, name };
            let store = open_store(&config.with_store_args(&store)).await?;
            let added = store.add_holiday_override(&Actor::system("pcplan calendar override add"), &entry).await;
            store.close().await;
            added?;
            let what = if entry.holiday { "added to" } else { "removed from" };
            println!("{} {what} the bank holidays: {}", entry.date, entry.name.trim());
        }
        CalendarCommand::Override(OverrideCommand::Remove { date, store }) => {
            let date = parse_date(&date, "the")?;
            let store = open_store(&config.with_store_args(&store)).await?;
            let removed = store.remove_holiday_override(&Actor::system("pcplan calendar override remove"), date).await;
            store.close().await;
            let removed = removed?;
            println!("override for {} removed ({})", removed.date, removed.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}
