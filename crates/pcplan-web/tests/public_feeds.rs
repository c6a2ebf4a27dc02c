//! The public feeds over HTTP, read back with a real XML parser (quick-xml), so a feed
//! that is not well-formed fails here and not in a subscriber's reader: the feed of
//! Notices of Decision (signed decisions only, a confidential one as its stub, hostile
//! titles escaped), the feed of the plan's issued and varied versions (never a draft,
//! each body's under its own address), the papers feed unchanged now that it is written
//! by the shared Atom writer, and the discovery and visible links on the public pages.

mod common;

use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use pcplan_demo::ids::{BODY, LLR_BODY};
use pcplan_domain::decision::{Confidentiality, Decision, DecisionContent, Signature, Withdrawal};
use pcplan_domain::{DecisionId, PaperId};
use pcplan_store::{Actor, NewPaper};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Text that breaks a feed, or a page, if it is written without escaping.
const HOSTILE: &str = "<script>&\"'";

/// A phrase of a confidential decision's body, which no public feed may carry.
const SECRET: &str = "the covert surveillance budget of nine hundred thousand pounds";

fn actor() -> Actor {
    Actor::system("feeds test")
}

/// One element of a parsed feed.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    /// The element's own text, entities resolved.
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> &Node {
        self.children.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }

    fn children_named(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn text_of(&self, name: &str) -> &str {
        &self.child(name).text
    }

    /// The `href` of the `<link>` with this `rel`.
    fn link(&self, rel: &str) -> &str {
        self.children_named("link")
            .into_iter()
            .find(|l| l.attr("rel") == Some(rel))
            .and_then(|l| l.attr("href"))
            .unwrap_or_else(|| panic!("<{}> has no link rel={rel}", self.name))
    }
}

fn start_node(start: &BytesStart<'_>) -> Node {
    let name = start.name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.unwrap_or_else(|e| panic!("a bad attribute on <{name}>: {e}"));
        let key = attribute.key.as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .unwrap_or_else(|e| panic!("a bad value of {key} on <{name}>: {e}"));
        assert!(attributes.iter().all(|(k, _)| *k != key), "{key} twice on <{name}>");
        attributes.push((key, value.into_owned()));
    }
    Node { name, attributes, ..Node::default() }
}

fn close(node: Node, open: &mut [Node], root: &mut Option<Node>) {
    match open.last_mut() {
        Some(parent) => parent.children.push(node),
        None => {
            assert!(root.is_none(), "a second root element <{}>", node.name);
            *root = Some(node);
        }
    }
}

/// Parses a whole Atom document, failing on anything that is not well-formed XML 1.0,
/// and checks the root is an Atom `<feed>`.
fn parse_feed(xml: &str) -> Node {
    let forbidden = xml.char_indices().find(|(_, c)| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}'..='\u{9f}'))
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    });
    assert!(forbidden.is_none(), "a character XML forbids: {forbidden:?}");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{xml}");
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let at = reader.buffer_position();
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed at byte {at}: {e}\n{xml}")) {
            Event::Start(start) => open.push(start_node(&start)),
            Event::Empty(start) => close(start_node(&start), &mut open, &mut root),
            Event::End(_) => {
                let node = open.pop().unwrap_or_else(|| panic!("an end tag with no start at byte {at}"));
                close(node, &mut open, &mut root);
            }
            Event::Text(text) => {
                let text = text.xml_content(XmlVersion::Implicit1_0);
                match open.last_mut() {
                    Some(node) => node.text.push_str(&text),
                    None => assert!(text.trim().is_empty(), "text outside the feed at byte {at}"),
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    let c = reference.resolve_char_ref().unwrap_or_else(|e| panic!("a bad reference at {at}: {e}"));
                    c.map(String::from).unwrap_or_default()
                } else {
                    let name = reference.xml_content(XmlVersion::Implicit1_0);
                    let value = resolve_predefined_entity(&name);
                    value.unwrap_or_else(|| panic!("an unknown entity &{name}; at byte {at}")).to_string()
                };
                open.last_mut()
                    .unwrap_or_else(|| panic!("a reference outside the feed at {at}"))
                    .text
                    .push_str(&resolved);
            }
            Event::Decl(_) => assert!(root.is_none() && open.is_empty(), "a declaration inside the document"),
            Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {
                panic!("unexpected markup at byte {at}: the feeds write elements and text only")
            }
            Event::Eof => break,
        }
    }
    assert!(open.is_empty(), "<{}> is never closed", open.last().map(|n| n.name.as_str()).unwrap_or_default());
    let feed = root.expect("a root element");
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    for name in ["id", "title", "updated", "author"] {
        feed.child(name);
    }
    for entry in feed.children_named("entry") {
        for name in ["id", "title", "updated", "published", "summary"] {
            entry.child(name);
        }
        assert!(entry.text_of("id").starts_with("urn:uuid:"), "{entry:?}");
        entry.link("alternate");
    }
    feed
}

/// Fetches a feed, checks its status and type, and parses it.
async fn get_feed(app: &TestApp, path: &str) -> (TestResponse, Node) {
    let response = app.get(path, None).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    assert_eq!(response.header("content-type"), Some("application/atom+xml; charset=utf-8"), "{path}");
    let feed = parse_feed(&response.body);
    (response, feed)
}

fn titles(feed: &Node) -> Vec<String> {
    feed.children_named("entry").into_iter().map(|e| e.text_of("title").to_string()).collect()
}

/// The `<head>` of a page.
fn head(page: &TestResponse) -> &str {
    page.body.split("</head>").next().unwrap_or_default()
}

// Decisions.

fn decision_content(title: &str) -> DecisionContent {
    let mut content = pcplan_demo::decisions::decision_018_2013().content;
    content.title = title.to_string();
    content.plan = None;
    content.note = String::new();
    content
}

async fn draft(app: &TestApp, content: &DecisionContent) -> Decision {
    let today = pcplan_web::today();
    app.store.create_decision(&actor(), DecisionId::new(), BODY, today, content).await.expect("a draft decision")
}

async fn signed(app: &TestApp, content: &DecisionContent) -> Decision {
    let today = pcplan_web::today();
    let d = draft(app, content).await;
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
    app.store.sign_decision(&actor(), d.id, &signature, today).await.expect("signed")
}

/// The demo's decisions, and today: one signed with [`HOSTILE`] in its title, one
/// confidential with [`SECRET`] throughout its body, a draft and a withdrawn draft.
struct Register {
    app: TestApp,
    hostile: Decision,
    confidential: Decision,
    draft: Decision,
    withdrawn: Decision,
}

async fn register() -> Register {
    let app = TestApp::with_demo().await;
    for decision in pcplan_demo::decisions::decisions() {
        app.store.import_decision(&actor(), &decision).await.expect("a demo decision");
    }
    let hostile = signed(&app, &decision_content(&format!("Body-worn video {HOSTILE}"))).await;
    let mut secret = decision_content("Surveillance: equipment");
    secret.confidentiality = Confidentiality::Confidential {
        exemption: String::from("Local Government Act 1972 Sch 12A para 7 (prevention of crime)"),
    };
    secret.executive_summary = format!("Summary: {SECRET}");
    secret.decision = format!("Decision: {SECRET}");
    secret.facts_and_advice = vec![format!("Facts: {SECRET}")];
    secret.financial_implications = format!("Money: {SECRET}");
    let confidential = signed(&app, &secret).await;
    let unsigned = draft(&app, &decision_content("Unsigned fleet replacement")).await;
    let to_withdraw = draft(&app, &decision_content("Abandoned estates disposal")).await;
    let withdrawal =
        Withdrawal { on: pcplan_web::today(), by: String::from("Chief Executive"), reason: String::from("Superseded") };
    let withdrawn = app.store.withdraw_decision(&actor(), to_withdraw.id, &withdrawal).await.expect("withdrawn");
    Register { app, hostile, confidential, draft: unsigned, withdrawn }
}

#[tokio::test]
async fn the_decisions_feed_lists_signed_decisions_newest_first_and_never_a_draft_or_withdrawn_one() {
    let r = register().await;
    let (response, feed) = get_feed(&r.app, "/decisions.atom").await;
    let entries = feed.children_named("entry");
    let ids: Vec<&str> = entries.iter().map(|e| e.text_of("id")).collect();
    for published in [&r.hostile, &r.confidential] {
        assert!(ids.contains(&format!("urn:uuid:{}", published.id).as_str()), "{} is listed", published.number);
    }
    let demo = pcplan_demo::decisions::DECISION_018_2013;
    assert!(ids.contains(&format!("urn:uuid:{demo}").as_str()), "the demo's 018/2013 is listed");
    for unpublished in [&r.draft, &r.withdrawn] {
        assert!(!ids.contains(&format!("urn:uuid:{}", unpublished.id).as_str()), "{} is listed", unpublished.number);
        assert!(!response.body.contains(&unpublished.content.title), "{}", response.body);
        assert!(!response.body.contains(&unpublished.number.slug()), "no link to {}", unpublished.number);
    }
    // Newest signature first: each entry published no later than the one before.
    let published: Vec<&str> = entries.iter().map(|e| e.text_of("published")).collect();
    assert!(published.windows(2).all(|w| w[0] >= w[1]), "{published:?}");
    // Every entry leads to the decision's public page, which exists.
    for entry in &entries {
        let href = entry.link("alternate");
        assert!(href.starts_with("/decisions/"), "{href}");
        assert_eq!(r.app.get(href, None).await.status, StatusCode::OK, "{href}");
    }
}

#[tokio::test]
async fn the_decisions_feed_escapes_hostile_titles_and_shows_a_confidential_decision_only_as_its_stub() {
    let r = register().await;
    let (response, feed) = get_feed(&r.app, "/decisions.atom").await;
    let titles = titles(&feed);
    assert!(titles.contains(&format!("{}: Body-worn video {HOSTILE}", r.hostile.number)), "{titles:?}");
    assert!(!response.body.contains("<script>"), "the title is escaped");
    assert!(response.body.contains("Body-worn video &lt;script&gt;&amp;&quot;&apos;"), "{}", response.body);

    assert!(!response.body.contains(SECRET), "{}", response.body);
    assert!(!response.body.contains("covert surveillance"), "no part of the body");
    let entry = feed
        .children_named("entry")
        .into_iter()
        .find(|e| e.text_of("id") == format!("urn:uuid:{}", r.confidential.id))
        .expect("the confidential decision is listed as its stub");
    assert_eq!(entry.text_of("title"), format!("{}: Surveillance: equipment", r.confidential.number));
    assert!(entry.text_of("summary").contains("Sch 12A para 7"), "the exemption relied on");
    // Its link is the public notice, which is the stub as well.
    let notice = r.app.get(entry.link("alternate"), None).await;
    assert_eq!(notice.status, StatusCode::OK);
    assert!(notice.body.contains("Surveillance: equipment") && !notice.body.contains(SECRET));
}

// Plan versions.

#[tokio::test]
async fn the_plan_versions_feed_lists_the_issued_and_varied_versions_newest_first_and_no_draft() {
    let app = TestApp::with_demo().await;
    let (response, feed) = get_feed(&app, "/plan/versions.atom").await;
    // The demo: 1 sent to the Panel, 2 issued, 3 a variation draft, 4 varied.
    assert_eq!(titles(&feed), ["Version 4: Plan as varied, February 2014", "Version 2: Plan as issued, 28 March 2013"]);
    let entries = feed.children_named("entry");
    let links: Vec<&str> = entries.iter().map(|e| e.link("alternate")).collect();
    assert_eq!(links, ["/plan/versions/4", "/plan/versions/2"]);
    for href in &links {
        let page = app.get(href, None).await;
        assert_eq!(page.status, StatusCode::OK, "{href}");
    }
    assert_eq!(entries[1].text_of("published"), "2013-03-28T00:00:00Z", "the date the plan took effect");
    assert!(entries[1].text_of("summary").contains("Issued"), "{}", entries[1].text_of("summary"));
    for draft in ["Draft plan sent to the Panel", "Variation draft", "/plan/versions/1", "/plan/versions/3"] {
        assert!(!response.body.contains(draft), "{draft} in {}", response.body);
    }
    assert_eq!(feed.link("self"), "/plan/versions.atom");
    assert_eq!(feed.link("alternate"), "/plan");
    assert_eq!(feed.child("author").text_of("name"), "West Midlands Police and Crime Commissioner");

    // Entry ids are stable and distinct, so a reader shows each version once.
    let again = parse_feed(&app.get("/plan/versions.atom", None).await.body);
    let ids = |f: &Node| f.children_named("entry").iter().map(|e| e.text_of("id").to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&feed), ids(&again));
    assert_ne!(ids(&feed)[0], ids(&feed)[1]);
    assert_eq!(feed.text_of("id"), again.text_of("id"));
}

#[tokio::test]
async fn a_hostile_version_label_is_escaped_in_the_versions_feed() {
    let app = TestApp::new().await;
    let mut file = pcplan_demo::plan_file();
    let issued = file.versions.iter_mut().find(|v| v.meta.number.0 == 2).expect("the demo's issued version 2");
    issued.meta.label = format!("Issued {HOSTILE}");
    app.store.import_plan(&actor(), &file).await.expect("import the demo");
    let (response, feed) = get_feed(&app, "/plan/versions.atom").await;
    assert!(titles(&feed).contains(&format!("Version 2: Issued {HOSTILE}")), "{:?}", titles(&feed));
    assert!(!response.body.contains("<script>"));
}

#[tokio::test]
async fn each_bodys_versions_feed_is_under_its_own_address() {
    let app = TestApp::with_demo().await;
    for file in pcplan_demo::llr::plan_files() {
        app.store.import_plan(&actor(), &file).await.expect("the second body's plans");
    }
    let (response, feed) = get_feed(&app, &format!("/bodies/{LLR_BODY}/plan/versions.atom")).await;
    let base = format!("/bodies/{LLR_BODY}");
    assert!(titles(&feed).contains(&String::from("Version 1: Plan as issued, 1 October 2021")), "{}", response.body);
    assert!(!response.body.contains("Refreshed plan as issued, October 2013"), "only the plan that starts latest");
    assert!(!response.body.contains("West Midlands"), "no other body's versions");
    for entry in feed.children_named("entry") {
        let href = entry.link("alternate");
        assert!(href.starts_with(&format!("{base}/plan/versions/")), "{href}");
        assert_eq!(app.get(href, None).await.status, StatusCode::OK, "{href}");
    }
    assert_eq!(feed.link("self"), format!("{base}/plan/versions.atom"));
    assert_ne!(feed.text_of("id"), parse_feed(&app.get("/plan/versions.atom", None).await.body).text_of("id"));

    // The site body's feed asked at its long address still links to its short pages.
    let (_, site) = get_feed(&app, &format!("/bodies/{BODY}/plan/versions.atom")).await;
    assert_eq!(site.children_named("entry")[0].link("alternate"), "/plan/versions/4");

    for missing in
        [format!("/bodies/{}/plan/versions.atom", uuid::Uuid::new_v4()), String::from("/bodies/x/plan/versions.atom")]
    {
        assert_eq!(app.get(&missing, None).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn before_anything_is_issued_there_is_no_versions_feed_and_no_site_calendar() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/plan/versions.atom", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/deadlines.ics", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_site_with_a_public_address_writes_absolute_links_in_the_versions_feed() {
    let config = pcplan_web::WebConfig {
        public_base_url: Some(String::from("https://plan.example.org/")),
        ..common::test_config()
    };
    let app = TestApp::with_config(config).await;
    app.store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("import the demo");
    let (_, feed) = get_feed(&app, "/plan/versions.atom").await;
    assert_eq!(feed.link("self"), "https://plan.example.org/plan/versions.atom");
    assert_eq!(feed.children_named("entry")[0].link("alternate"), "https://plan.example.org/plan/versions/4");
}

// The papers feed, now written by the shared writer.

/// The demo's Panel meeting of 3 February 2014 with two published papers of fixed ids,
/// one with [`HOSTILE`] in its title.
async fn papers_app(config: pcplan_web::WebConfig) -> TestApp {
    let app = TestApp::with_config(config).await;
    app.store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("import the demo");
    app.store.create_meeting(&actor(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    for (n, title) in [(1u32, String::from("Agenda")), (2, format!("{HOSTILE} report"))] {
        let id = PaperId::from_u128(0xfeed0 + u128::from(n));
        let paper = NewPaper {
            id,
            meeting_id: pcplan_demo::ids::MEETING_2014,
            title: &title,
            agenda_item: None,
            file_name: "paper.html",
            bytes: b"<!DOCTYPE html><p>Paper</p>",
            max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
        };
        app.store.upload_paper(&actor(), &paper).await.expect("upload");
        let on = chrono::NaiveDate::from_ymd_opt(2014, 1, 20 + n).expect("a real date");
        let at = on.and_hms_opt(12, 0, 0).expect("a real time").and_utc();
        app.store.publish_paper(&actor(), id, at, on).await.expect("publish");
    }
    app
}

/// `/papers.atom` of [`papers_app`] with the public address `https://plan.example.org/`,
/// byte for byte as the feed's own hand-written code wrote it before the shared writer.
const PAPERS_FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://plan.example.org/papers.atom</id>
  <title>Published meeting papers</title>
  <updated>2014-01-22T12:00:00Z</updated>
  <author><name>pcplan</name></author>
  <link rel="self" href="https://plan.example.org/papers.atom"/>
  <link rel="alternate" type="text/html" href="https://plan.example.org/meetings"/>
  <entry>
    <id>urn:uuid:00000000-0000-0000-0000-0000000feed2</id>
    <title>&lt;script&gt;&amp;&quot;&apos; report</title>
    <updated>2014-01-22T12:00:00Z</updated>
    <published>2014-01-22T12:00:00Z</published>
    <link rel="alternate" type="text/html; charset=utf-8" href="https://plan.example.org/papers/00000000-0000-0000-0000-0000000feed2"/>
    <link rel="related" type="text/html" href="https://plan.example.org/meetings/5eed0000-0000-4000-8000-000000000003"/>
    <summary>&lt;script&gt;&amp;&quot;&apos; report (HTML, 27 bytes) for Police and Crime Panel: proposed variations to the Police and Crime Plan on 3 February 2014</summary>
  </entry>
  <entry>
    <id>urn:uuid:00000000-0000-0000-0000-0000000feed1</id>
    <title>Agenda</title>
    <updated>2014-01-21T12:00:00Z</updated>
    <published>2014-01-21T12:00:00Z</published>
    <link rel="alternate" type="text/html; charset=utf-8" href="https://plan.example.org/papers/00000000-0000-0000-0000-0000000feed1"/>
    <link rel="related" type="text/html" href="https://plan.example.org/meetings/5eed0000-0000-4000-8000-000000000003"/>
    <summary>Agenda (HTML, 27 bytes) for Police and Crime Panel: proposed variations to the Police and Crime Plan on 3 February 2014</summary>
  </entry>
</feed>
"#;

#[tokio::test]
async fn the_papers_feed_is_byte_for_byte_what_it_was_before_the_shared_writer() {
    let config = pcplan_web::WebConfig {
        public_base_url: Some(String::from("https://plan.example.org/")),
        ..common::test_config()
    };
    let app = papers_app(config).await;
    let (response, feed) = get_feed(&app, "/papers.atom").await;
    assert_eq!(response.body, PAPERS_FEED);
    assert_eq!(response.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(titles(&feed), [format!("{HOSTILE} report"), String::from("Agenda")]);
}

// Links from the pages.

#[tokio::test]
async fn the_public_pages_announce_their_feeds_in_the_head_and_link_to_them_in_the_page() {
    let app = TestApp::with_demo().await;
    let atom = |href: &str| format!("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{href}\"");
    let visible = |href: &str| format!("<a class=\"govuk-link\" href=\"{href}\">");
    for (page, feed) in [
        ("/decisions", "/decisions.atom"),
        ("/plan", "/plan/versions.atom"),
        ("/plan/versions/2", "/plan/versions.atom"),
        ("/meetings", "/papers.atom"),
    ] {
        let response = app.get(page, None).await;
        assert_eq!(response.status, StatusCode::OK, "{page}");
        assert!(head(&response).contains(&atom(feed)), "{page} announces {feed}: {}", head(&response));
        assert!(response.main().contains(&visible(feed)), "{page} links to {feed}");
        assert_eq!(app.get(feed, None).await.status, StatusCode::OK, "{feed}");
    }
    let home = app.get("/", None).await;
    assert!(head(&home).contains(&atom("/plan/versions.atom")));
    let body_calendar = format!("/bodies/{BODY}/deadlines.ics");
    let calendar_link = |href: &str| format!("<link rel=\"alternate\" type=\"text/calendar\" href=\"{href}\"");
    assert!(head(&home).contains(&calendar_link(&body_calendar)), "{}", head(&home));
    assert!(home.main().contains(&format!("href=\"{body_calendar}\"")));

    // The meetings page links to the calendar at an address that needs no body id.
    let meetings = app.get("/meetings", None).await;
    assert!(head(&meetings).contains(&calendar_link("/deadlines.ics")), "{}", head(&meetings));
    assert!(meetings.main().contains(&visible("/deadlines.ics")));
    let sent = app.get("/deadlines.ics", None).await;
    assert_eq!(sent.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(sent.location(), Some(body_calendar.as_str()));
    let calendar = app.get(&body_calendar, None).await;
    assert_eq!(calendar.status, StatusCode::OK);
    assert!(calendar.header("content-type").is_some_and(|t| t.starts_with("text/calendar")));
    assert!(calendar.body.starts_with("BEGIN:VCALENDAR"));
}

#[tokio::test]
async fn another_bodys_plan_page_announces_its_own_versions_feed() {
    let app = TestApp::with_demo().await;
    for file in pcplan_demo::llr::plan_files() {
        app.store.import_plan(&actor(), &file).await.expect("the second body's plans");
    }
    let feed = format!("/bodies/{LLR_BODY}/plan/versions.atom");
    let page = app.get(&format!("/bodies/{LLR_BODY}/plan"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(head(&page).contains(&format!("type=\"application/atom+xml\" href=\"{feed}\"")), "{}", head(&page));
    assert!(page.main().contains(&format!("href=\"{feed}\"")));
}
