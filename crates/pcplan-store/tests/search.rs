//! Full-text search on every configured backend: what each audience finds (drafts never
//! for the public, a confidential decision's stub for all but editors), matches marked
//! in titles and snippets, ranking, filters and pages, rows leaving the public results
//! in the same transaction as the change that hides them, the index kept by each write
//! equal to a rebuild, and hostile query text that never fails.

mod common;

use chrono::NaiveDate;
use pcplan_demo::report::{REPORT_2014, report_2014, response_edits_2014};
use pcplan_domain::consultation::{Channel, ExerciseContent, ExerciseKind};
use pcplan_domain::decision::{Confidentiality, ContactOfficer, DecisionContent, DecisionMaker, Signature, Withdrawal};
use pcplan_domain::meeting::{AgendaItem, Exemption};
use pcplan_domain::paper::DEFAULT_MAX_BYTES;
use pcplan_domain::process::ProcessKind;
use pcplan_domain::{DecisionId, ExerciseId, MeetingId, PaperId};
use pcplan_store::{
    Actor, Audience, MATCH_END, MATCH_START, NewPaper, SearchKind, SearchRequest, SearchResults, Store, StoreError,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn actor() -> Actor {
    Actor::system("search test")
}

/// `text` with its first match of `word` marked as the store marks matches.
fn marked(word: &str) -> String {
    format!("{MATCH_START}{word}{MATCH_END}")
}

async fn find(store: &Store, text: &str, audience: Audience) -> SearchResults {
    store.search(&SearchRequest::new(text, audience, 50)).await.expect("search runs")
}

/// The kinds and titles found, in order.
fn titles(results: &SearchResults) -> Vec<(SearchKind, String)> {
    results.hits.iter().map(|h| (h.kind, h.title.replace([MATCH_START, MATCH_END], ""))).collect()
}

fn content(title: &str, decision: &str) -> DecisionContent {
    DecisionContent {
        title: title.to_string(),
        contact: ContactOfficer { name: String::from("Jacky Courtney"), ..Default::default() },
        executive_summary: String::from("A summary for the register."),
        decision: decision.to_string(),
        decision_maker: DecisionMaker {
            office: String::from("West Midlands Police and Crime Commissioner"),
            holder: String::from("Bob Jones"),
        },
        ..Default::default()
    }
}

async fn demo(store: &Store) {
    store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("import the demo");
}

async fn draft(store: &Store, title: &str, decision: &str, on: NaiveDate) -> DecisionId {
    let id = DecisionId::new();
    store.create_decision(&actor(), id, pcplan_demo::ids::BODY, on, &content(title, decision)).await.expect("draft");
    id
}

async fn sign(store: &Store, id: DecisionId, on: NaiveDate) {
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: on };
    store.sign_decision(&actor(), id, &signature, on).await.expect("sign");
}

#[tokio::test]
async fn a_draft_decision_is_found_by_staff_only_and_signing_it_publishes_it_with_the_match_marked() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let id =
            draft(store, "Purchase of a police helicopter", "That the helicopter is bought.", date(2014, 5, 1)).await;
        assert_eq!(find(store, "helicopter", Audience::Public).await.total, 0, "{name}: a draft is never public");
        let staff = find(store, "helicopter", Audience::Staff).await;
        assert_eq!(titles(&staff), [(SearchKind::Decision, String::from("Purchase of a police helicopter"))], "{name}");
        assert!(staff.hits[0].context.contains("draft"), "{name}: {}", staff.hits[0].context);

        sign(store, id, date(2014, 5, 2)).await;
        let public = find(store, "Helicopters", Audience::Public).await;
        assert_eq!(public.total, 1, "{name}: signed, it is public; the stemmer finds the plural");
        let hit = &public.hits[0];
        assert_eq!(hit.title, format!("Purchase of a police {}", marked("helicopter")), "{name}");
        assert!(hit.snippet.contains(&marked("helicopter")), "{name}: {}", hit.snippet);
        assert_eq!(hit.record_id, id.to_string(), "{name}");
        assert_eq!(hit.date, date(2014, 5, 2), "{name}: filed under the day it was signed");
        assert_eq!(
            hit.context,
            format!("Decision {}", store.decision(id).await.expect("read").expect("stored").number)
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_title_match_ranks_above_a_match_in_the_text_and_pages_count_the_whole() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let mut ids = Vec::new();
        for n in 0..5 {
            let text = format!("That grant {n} is made, among other things for drones.");
            ids.push(draft(store, &format!("Community grant {n}"), &text, date(2014, 6, 1 + n)).await);
        }
        let titled = draft(store, "Drones for rural patrols", "That they are bought.", date(2014, 1, 5)).await;
        let results = find(store, "drones", Audience::Editors).await;
        assert_eq!(results.total, 6, "{name}");
        assert_eq!(results.hits[0].record_id, titled.to_string(), "{name}: the title match comes first");

        let mut request = SearchRequest::new("drones", Audience::Editors, 4);
        let first = store.search(&request).await.expect("page 1");
        request.offset = 4;
        let second = store.search(&request).await.expect("page 2");
        assert_eq!((first.total, first.hits.len(), second.total, second.hits.len()), (6, 4, 6, 2), "{name}");
        let mut seen: Vec<String> = first.hits.iter().chain(&second.hits).map(|h| h.record_id.clone()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 6, "{name}: pages neither repeat nor skip");
        request.offset = -3;
        request.limit = -1;
        assert!(store.search(&request).await.expect("clamped").hits.is_empty(), "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_confidential_decision_shows_the_public_and_viewers_only_its_stub() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let secret = DecisionContent {
            confidentiality: Confidentiality::Confidential {
                exemption: String::from("Commercial interests (FOIA s.43)"),
            },
            ..content("Custody suite catering", "That the catering contract with Zenithco is renewed.")
        };
        let id = DecisionId::new();
        store.create_decision(&actor(), id, pcplan_demo::ids::BODY, date(2014, 4, 1), &secret).await.expect("draft");
        sign(store, id, date(2014, 4, 2)).await;
        for audience in [Audience::Public, Audience::Staff] {
            assert_eq!(find(store, "Zenithco", audience).await.total, 0, "{name}: {audience:?} never reads the body");
            let stub = find(store, "custody suite", audience).await;
            assert_eq!(stub.total, 1, "{name}: {audience:?} finds the stub by its title");
            assert!(!stub.hits[0].snippet.contains("Zenithco"), "{name}");
            assert_eq!(find(store, "commercial interests", audience).await.total, 1, "{name}: the exemption");
        }
        let full = find(store, "Zenithco", Audience::Editors).await;
        assert_eq!(full.total, 1, "{name}: editors read the whole notice");
        assert_eq!(find(store, "catering", Audience::Editors).await.total, 1, "{name}: one row per audience");
        db.finish().await;
    }
}

#[tokio::test]
async fn only_issued_and_varied_versions_of_the_public_plan_are_public() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let contexts = |r: &SearchResults| -> Vec<String> {
            let mut c: Vec<String> = r.hits.iter().map(|h| format!("{:?} {}", h.kind, h.locator)).collect();
            c.sort();
            c
        };
        let draft = format!("PlanDraft {}", pcplan_demo::ids::PLAN);
        // "amnesty" came with the 2014 variation: the varied version and the working draft.
        let public = find(store, "amnesty", Audience::Public).await;
        assert_eq!(contexts(&public), ["Plan 4"], "{name}");
        let staff = find(store, "amnesty", Audience::Staff).await;
        assert_eq!(contexts(&staff), [String::from("Plan 4"), draft.clone()], "{name}");
        let everywhere = find(store, "burglary", Audience::Public).await;
        assert_eq!(contexts(&everywhere), ["Plan 2", "Plan 4"], "{name}: issued and varied, never sent to the Panel");
        let staff = find(store, "burglary", Audience::Staff).await;
        let all = ["Plan 1", "Plan 2", "Plan 3", "Plan 4", draft.as_str()];
        assert_eq!(contexts(&staff), all, "{name}: staff read every version");
        assert_eq!(everywhere.hits.iter().find(|h| h.locator == "2").map(|h| h.date), Some(date(2013, 3, 28)));
        db.finish().await;
    }
}

fn html(text: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html><head><title>Paper</title></head><body><p>{text}</p></body></html>").into_bytes()
}

fn paper<'a>(meeting: MeetingId, id: PaperId, title: &'a str, item: Option<&'a str>, bytes: &'a [u8]) -> NewPaper<'a> {
    NewPaper {
        id,
        meeting_id: meeting,
        title,
        agenda_item: item,
        file_name: "paper.html",
        bytes,
        max_bytes: DEFAULT_MAX_BYTES,
    }
}

#[tokio::test]
async fn papers_are_found_by_the_text_of_their_files_and_leave_public_results_when_withdrawn_or_exempt() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let mut meeting = store
            .schedule_meeting(
                &actor(),
                MeetingId::new(),
                pcplan_demo::ids::BODY,
                "Police and Crime Panel",
                date(2014, 2, 3),
            )
            .await
            .expect("scheduled");
        meeting.agenda = vec![
            AgendaItem {
                number: String::from("4"),
                title: String::from("Work programme"),
                exempt: None,
                late_reason: None,
            },
            AgendaItem { number: String::from("5"), title: String::from("Estates"), exempt: None, late_reason: None },
        ];
        let meeting = store.update_meeting(&actor(), &meeting).await.expect("agenda");
        let (open, estates) = (PaperId::new(), PaperId::new());
        let bytes = html("The panel will review the speedboat patrol on the canals.");
        store
            .upload_paper(&actor(), &paper(meeting.id, open, "Work programme", Some("4"), &bytes))
            .await
            .expect("upload");
        let bytes = html("Sale of the old speedboat depot.");
        store
            .upload_paper(&actor(), &paper(meeting.id, estates, "Estates update", Some("5"), &bytes))
            .await
            .expect("up");
        assert_eq!(find(store, "speedboat", Audience::Public).await.total, 0, "{name}: drafts are not public");
        assert_eq!(find(store, "speedboat", Audience::Staff).await.total, 2, "{name}: staff find both by their text");

        let at = chrono::Utc::now();
        store.publish_paper(&actor(), open, at, date(2014, 1, 27)).await.expect("publish");
        store.publish_paper(&actor(), estates, at, date(2014, 1, 27)).await.expect("publish");
        let public = find(store, "speedboat", Audience::Public).await;
        assert_eq!(public.total, 2, "{name}");
        let hit = public.hits.iter().find(|h| h.record_id == open.to_string()).expect("the open paper");
        assert!(hit.snippet.contains(&marked("speedboat")), "{name}: {}", hit.snippet);
        assert_eq!((hit.locator.as_str(), hit.date), (meeting.id.to_string().as_str(), date(2014, 1, 27)));
        assert!(hit.context.contains("Police and Crime Panel, 3 February 2014"), "{name}: {}", hit.context);

        // Making item 5 exempt hides its paper from the public in the same change.
        let mut exempt = store.meeting(meeting.id).await.expect("read").expect("exists");
        exempt.agenda[1].exempt = Some(Exemption { paragraph: 3, reason: String::from("a sale of land") });
        store.update_meeting(&actor(), &exempt).await.expect("exempt");
        let public = find(store, "speedboat", Audience::Public).await;
        assert_eq!(titles(&public), [(SearchKind::Paper, String::from("Work programme"))], "{name}");
        assert_eq!(find(store, "speedboat", Audience::Staff).await.total, 2, "{name}: staff still find it");

        store.withdraw_paper(&actor(), open, "Replaced by a corrected paper").await.expect("withdraw");
        assert_eq!(find(store, "speedboat", Audience::Public).await.total, 0, "{name}: gone with the withdrawal");
        assert_eq!(find(store, "speedboat", Audience::Staff).await.total, 2, "{name}");
        db.finish().await;
    }
}

fn exercise(slug: &str) -> ExerciseContent {
    ExerciseContent {
        title: String::from("Rural crime survey"),
        kind: ExerciseKind::CallForEvidence,
        slug: slug.to_string(),
        summary: String::from("Tell us about hare coursing and farm machinery theft."),
        opens: date(2021, 6, 1),
        closes: date(2021, 7, 12),
        channels: vec![Channel::OnlineSurvey],
        privacy_notice: String::from("We keep answers for two years."),
        plan: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn a_consultation_is_public_only_while_staff_make_it_so_and_its_you_said_once_published() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let id = ExerciseId::new();
        store.create_exercise(&actor(), id, pcplan_demo::ids::BODY, &exercise("rural-crime")).await.expect("create");
        assert_eq!(find(store, "coursing", Audience::Public).await.total, 0, "{name}: a draft exercise");
        assert_eq!(find(store, "coursing", Audience::Staff).await.total, 1, "{name}");
        store.set_exercise_public(&actor(), id, true).await.expect("public");
        let public = find(store, "coursing", Audience::Public).await;
        assert_eq!((public.total, public.hits[0].locator.as_str()), (1, "rural-crime"), "{name}");
        store.set_exercise_public(&actor(), id, false).await.expect("back to a draft");
        assert_eq!(find(store, "coursing", Audience::Public).await.total, 0, "{name}: taken back at once");
        store.set_exercise_public(&actor(), id, true).await.expect("public again");
        store.publish_you_said(&actor(), id, &[]).await.expect("publish");
        let found = find(store, "\"you said\" rural", Audience::Public).await;
        assert_eq!(
            titles(&found),
            [(SearchKind::YouSaidWeDid, String::from("You said, we did: Rural crime survey"))],
            "{name}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_panel_report_is_public_and_its_response_only_once_published() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        store.create_meeting(&actor(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
        store
            .create_process(
                &actor(),
                pcplan_demo::ids::VARIATION_2014,
                pcplan_demo::ids::PLAN,
                ProcessKind::Variation,
                Some(pcplan_demo::ids::MEETING_2014),
            )
            .await
            .expect("process");
        for (step, evidence) in pcplan_demo::process::variation_steps_2014().iter().take(4) {
            store.record_step(&actor(), pcplan_demo::ids::VARIATION_2014, *step, evidence).await.expect("step");
        }
        let report = store.create_report(&actor(), REPORT_2014, report_2014(), true).await.expect("report");
        let kinds =
            |r: &SearchResults| r.hits.iter().map(|h| h.kind).filter(|k| *k != SearchKind::Plan).collect::<Vec<_>>();
        let mut request = SearchRequest::new("amnesty", Audience::Public, 50);
        request.kinds = vec![SearchKind::PanelReport, SearchKind::Response];
        assert_eq!(kinds(&store.search(&request).await.expect("search")), [SearchKind::PanelReport], "{name}");
        for edit in response_edits_2014(&report) {
            store.edit_report(&actor(), REPORT_2014, edit).await.expect("edit");
        }
        assert_eq!(kinds(&store.search(&request).await.expect("search")), [SearchKind::PanelReport], "{name}");
        request.audience = Audience::Staff;
        let mut staff = kinds(&store.search(&request).await.expect("search"));
        staff.sort();
        assert_eq!(staff, [SearchKind::PanelReport, SearchKind::Response], "{name}: staff read the draft");
        store
            .publish_response(&actor(), REPORT_2014, date(2014, 2, 21), date(2014, 2, 20), "/reports/x")
            .await
            .expect("publish");
        request.audience = Audience::Public;
        let mut public = kinds(&store.search(&request).await.expect("search"));
        public.sort();
        assert_eq!(public, [SearchKind::PanelReport, SearchKind::Response], "{name}: published");
        db.finish().await;
    }
}

#[tokio::test]
async fn filters_by_kind_date_and_body_narrow_the_results() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        for (title, on) in [("Victims fund 2013", date(2013, 6, 1)), ("Victims fund 2014", date(2014, 6, 1))] {
            let id = draft(store, title, "That the fund is set up.", on).await;
            sign(store, id, on).await;
        }
        let everything = find(store, "victims", Audience::Public).await;
        assert!(everything.hits.iter().any(|h| h.kind == SearchKind::Plan), "{name}: the plan speaks of victims");
        let mut request = SearchRequest::new("victims", Audience::Public, 50);
        request.kinds = vec![SearchKind::Decision];
        assert_eq!(store.search(&request).await.expect("search").total, 2, "{name}");
        request.from = Some(date(2014, 1, 1));
        let recent = store.search(&request).await.expect("search");
        assert_eq!(titles(&recent), [(SearchKind::Decision, String::from("Victims fund 2014"))], "{name}");
        request.from = Some(date(2013, 1, 1));
        request.to = Some(date(2013, 12, 31));
        let older = store.search(&request).await.expect("search");
        assert_eq!(titles(&older), [(SearchKind::Decision, String::from("Victims fund 2013"))], "{name}");
        request.from = Some(date(2013, 6, 1));
        request.to = Some(date(2013, 6, 1));
        assert_eq!(store.search(&request).await.expect("search").total, 1, "{name}: both ends are inclusive");
        request.body = Some(pcplan_domain::BodyId::new());
        assert_eq!(store.search(&request).await.expect("search").total, 0, "{name}: another body's");
        request.body = Some(pcplan_demo::ids::BODY);
        request.kinds = vec![SearchKind::Decision, SearchKind::Plan];
        request.to = None;
        request.from = Some(date(2013, 3, 1));
        let both = store.search(&request).await.expect("search");
        let mut kinds: Vec<SearchKind> = both.hits.iter().map(|h| h.kind).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds, [SearchKind::Plan, SearchKind::Decision], "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn the_index_kept_by_each_write_equals_a_rebuild() {
    use pcplan_domain::annual_report::{Issue, PlanSource, Publication, Sources};
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        for decision in pcplan_demo::decisions::decisions() {
            store.import_decision(&actor(), &decision).await.expect("demo decision");
        }
        let withdrawn = draft(store, "A grant that was not made", "That it is made.", date(2014, 3, 1)).await;
        let reason =
            Withdrawal { on: date(2014, 3, 2), by: String::from("Bob Jones"), reason: String::from("Not needed") };
        store.withdraw_decision(&actor(), withdrawn, &reason).await.expect("withdraw");
        let last = pcplan_demo::plan_file().plan.items.last().map(|i| i.id).expect("the demo has records");
        store.delete_item(&actor(), pcplan_demo::ids::PLAN, last).await.expect("delete the last record");
        let mut renamed = pcplan_demo::plan_file()
            .plan
            .items
            .into_iter()
            .find(|i| matches!(i.record, pcplan_domain::Record::Objective(_)))
            .expect("the demo has objectives");
        if let pcplan_domain::Record::Objective(objective) = &mut renamed.record {
            objective.title = String::from("Renamed objective");
        }
        store.update_item(&actor(), pcplan_demo::ids::PLAN, &renamed).await.expect("rename");
        // The header: a new vision re-indexes the working draft alone, a new start date
        // every plan of the body; either way the index must equal a rebuild.
        let current = store.plan(pcplan_demo::ids::PLAN).await.expect("read").expect("the demo plan");
        let mut header = pcplan_store::PlanHeader::of(&current);
        header.vision = String::from("Safer streets in every neighbourhood, zeppelin included");
        store.update_plan_header(&actor(), pcplan_demo::ids::PLAN, &header).await.expect("vision");
        assert_eq!(find(store, "zeppelin", Audience::Staff).await.total, 1, "{name}: the draft's new vision");
        assert_eq!(find(store, "zeppelin", Audience::Public).await.total, 0, "{name}: not public");
        header.starts_on = header.starts_on.succ_opt().expect("a day later");
        store.update_plan_header(&actor(), pcplan_demo::ids::PLAN, &header).await.expect("start date");
        let id = ExerciseId::new();
        store.create_exercise(&actor(), id, pcplan_demo::ids::BODY, &exercise("rural")).await.expect("exercise");
        store.set_exercise_public(&actor(), id, true).await.expect("public");
        store.publish_you_said(&actor(), id, &[]).await.expect("published");
        let meeting = store
            .schedule_meeting(&actor(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("meeting");
        let bytes = html("Minutes of the last meeting");
        let paper_id = PaperId::new();
        store.upload_paper(&actor(), &paper(meeting.id, paper_id, "Minutes", None, &bytes)).await.expect("upload");
        store.publish_paper(&actor(), paper_id, chrono::Utc::now(), date(2014, 1, 27)).await.expect("publish");

        let body = store.body(pcplan_demo::ids::BODY).await.expect("read").expect("body");
        let mut sources = Sources::empty(body.id, body.name, pcplan_domain::FinancialYear(2013), date(2014, 9, 1));
        let version = store.version(pcplan_demo::ids::PLAN, pcplan_domain::VersionNumber(2)).await.expect("read");
        sources.plan = Some(PlanSource { plan: version.expect("issued").plan, label: String::from("Version 2") });
        let report_id = pcplan_domain::ids::AnnualReportId::new();
        store.create_annual_report(&actor(), report_id, &sources).await.expect("annual report");
        let issue = Issue { on: date(2014, 6, 30), by: String::from("Chief Executive") };
        store.issue_annual_report(&actor(), report_id, &issue, date(2014, 9, 1)).await.expect("issue");
        let publication =
            Publication { on: date(2014, 8, 1), by: String::from("Comms"), panel_meeting: None, panel_report: None };
        store.publish_annual_report(&actor(), report_id, &publication, date(2014, 9, 1)).await.expect("publish");

        let kept = store.search_index_rows().await.expect("rows");
        let kinds: std::collections::BTreeSet<&str> = kept.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["annual_report", "consultation", "decision", "paper", "plan", "plan_draft", "you_said_we_did"],
            "{name}"
        );
        store.check_search_index().await.expect("FTS5 agrees with its rows");
        let entries = store.verify_audit().await.expect("verify").entries;
        let rows = store.rebuild_search_index(&actor()).await.expect("rebuild");
        assert_eq!(rows as usize, kept.len(), "{name}");
        assert_eq!(store.search_index_rows().await.expect("rows"), kept, "{name}: the same rows, field for field");
        store.check_search_index().await.expect("FTS5 agrees after the rebuild");
        assert_eq!(store.verify_audit().await.expect("verify").entries, entries + 1, "{name}: the rebuild is audited");
        assert_eq!(find(store, "renamed", Audience::Staff).await.total, 1, "{name}: the draft as edited");
        db.finish().await;
    }
}

#[tokio::test]
async fn hostile_queries_never_fail_and_find_what_their_words_say() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let id =
            draft(store, "Helicopter lease", "That the helicopter is leased for 100% of the year.", date(2014, 5, 1))
                .await;
        sign(store, id, date(2014, 5, 2)).await;
        let long = "helicopter ".repeat(1000);
        assert!(long.len() >= 10_000);
        // Each query, and whether it still has a word that finds the decision.
        let cases: Vec<(&str, bool)> = vec![
            ("helicopter", true),
            ("\"helicopter", true),
            ("helicopter\"", true),
            ("'helicopter'", true),
            ("helicopter -", true),
            ("-lease helicopter", false),
            ("helicopter:", true),
            ("subject:helicopter", false),
            ("helicop*", false),
            ("NEAR(helicopter", false),
            ("NEAR( helicopter", false),
            ("( helicopter )", true),
            ("helicopter AND OR lease", true),
            (")(helicopter)(", true),
            ("helicopter\\", true),
            ("100%", true),
            ("helicopter_lease", true),
            ("'; DROP TABLE search_documents; --", false),
            ("\" OR 1=1 --", false),
            ("helicopter' OR '1'='1", true),
            (long.as_str(), true),
            ("🚁 helicopter 🚓", true),
            ("\u{2}helicopter\u{3}", true),
        ];
        for (text, finds) in cases {
            for audience in [Audience::Public, Audience::Editors] {
                let results = store.search(&SearchRequest::new(text, audience, 10)).await;
                let results = results.unwrap_or_else(|e| panic!("{name}: `{text}` failed: {e}"));
                assert_eq!(results.total > 0, finds, "{name}: `{text}` as {audience:?}: {:?}", titles(&results));
            }
        }
        // Text with no word to look for is refused with the field named, never run.
        for text in ["", "   ", "\"", "'", "-", ":", "*", ")(", "\\", "%", "_", "AND OR", "🚁🚓", "-helicopter", "NOT"]
        {
            let refused = store.search(&SearchRequest::new(text, Audience::Public, 10)).await;
            match refused {
                Err(StoreError::Fields(problems)) => assert_eq!(problems.0[0].field, "q", "{name}: `{text}`"),
                other => panic!("{name}: `{text}` should be refused for having no word, got {other:?}"),
            }
        }
        assert_eq!(find(store, "helicopter", Audience::Public).await.total, 1, "{name}: the index is intact");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_database_stored_before_search_existed_is_indexed_on_its_first_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let store = Store::connect(&url).await.expect("open");
    demo(&store).await;
    let rows = store.search_index_rows().await.expect("rows");
    assert!(!rows.is_empty());
    // As a database migrated from before 0013 looks: records, an empty index, never built.
    store.execute_raw("DELETE FROM search_documents").await.expect("empty the index");
    store.execute_raw("UPDATE search_state SET built_at = NULL").await.expect("never built");
    assert_eq!(find(&store, "burglary", Audience::Public).await.total, 0);
    store.close().await;
    let reopened = Store::connect(&url).await.expect("reopen");
    assert_eq!(reopened.search_index_rows().await.expect("rows"), rows);
    assert_eq!(find(&reopened, "burglary", Audience::Public).await.total, 2);
    reopened.check_search_index().await.expect("FTS5 agrees");
    reopened.close().await;
}
