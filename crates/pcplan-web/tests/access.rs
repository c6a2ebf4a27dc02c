//! Who may do what: every state-changing route refuses anonymous visitors and viewers,
//! editors are refused every approval, and a refused request changes nothing.
//!
//! [`CHANGES`] lists every route that changes something, each with a body that succeeds
//! for the narrowest role the permissions table allows (a test proves it), so a refusal
//! is about the role and nothing else. A new state-changing route, the staff pages'
//! forms included, gets a row here; `tests/permissions.rs` checks every route's rule.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_store::Role;
use pcplan_web::permissions::Access;

/// Whether a route is part of the JSON API or an HTML page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Api,
    Page,
}

/// One state-changing route. `{plan}` and `{item}` are replaced with the demo's plan and
/// one of its records.
struct Change {
    method: Method,
    path: &'static str,
    kind: Kind,
    /// A body that would succeed for an editor, so a refusal is about the role.
    body: &'static str,
}

const CHANGES: &[Change] = &[
    Change {
        method: Method::PUT,
        path: "/api/v1/plans/{plan}",
        kind: Kind::Api,
        body: r#"{"title":"Changed","vision":"Changed","starts_on":"2013-04-01","ends_on":"2017-03-31"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/items",
        kind: Kind::Api,
        body: r#"{"record":{"kind":"section","title":"Added"}}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/plans/{plan}/items/{item}",
        kind: Kind::Api,
        body: r#"{"record":{"kind":"section","title":"Changed"}}"#,
    },
    Change { method: Method::DELETE, path: "/api/v1/plans/{plan}/items/{item}", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/items/{item}/move",
        kind: Kind::Api,
        body: r#"{"direction":"up"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/versions",
        kind: Kind::Api,
        body: r#"{"kind":"draft","label":"A draft"}"#,
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/header",
        kind: Kind::Page,
        body: "title=Changed&vision=Changed&starts_on-day=1&starts_on-month=4&starts_on-year=2013\
               &ends_on-day=31&ends_on-month=3&ends_on-year=2017",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items",
        kind: Kind::Page,
        body: "kind=section&title=Added",
    },
    Change { method: Method::POST, path: "/staff/plans/{plan}/items/{item}", kind: Kind::Page, body: "title=Changed" },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items/{item}/delete",
        kind: Kind::Page,
        body: "confirm=yes",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items/{item}/move",
        kind: Kind::Page,
        body: "direction=up",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/versions",
        kind: Kind::Page,
        body: "kind=draft&label=A+draft",
    },
    Change { method: Method::POST, path: "/staff/plans/{plan}/processes", kind: Kind::Page, body: "kind=variation" },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/processes",
        kind: Kind::Api,
        body: r#"{"kind":"variation"}"#,
    },
    Change { method: Method::POST, path: "/staff/compliance/obligations", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/obligations/{obligation}",
        kind: Kind::Page,
        body: "on-day=1&on-month=10&on-year=2025&by=Chief+Executive",
    },
    Change {
        method: Method::POST,
        path: "/staff/owners",
        kind: Kind::Page,
        body: "key=obligation%3A{obligation}&owner=",
    },
    Change { method: Method::POST, path: "/api/v1/obligations/ensure", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/api/v1/obligations/{obligation}/completion",
        kind: Kind::Api,
        body: r#"{"outcome":"done","on":"2025-10-01","by":"Chief Executive"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/owners/obligation:{obligation}",
        kind: Kind::Api,
        body: r#"{"user":null}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/bodies/{body}/meetings",
        kind: Kind::Api,
        body: r#"{"title":"Panel","held_on":"2014-03-03"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/meetings/{meeting}/papers",
        kind: Kind::Api,
        body: r#"{"published_on":"2014-01-24"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/bodies/{body}/clock-settings",
        kind: Kind::Api,
        body: r#"{"papers_clear_days_england":4}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/calendar/overrides",
        kind: Kind::Api,
        body: r#"{"date":"2031-06-06","holiday":true,"name":"Added"}"#,
    },
    Change { method: Method::DELETE, path: "/api/v1/calendar/overrides/2030-06-07", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/bodies/{body}/settings",
        kind: Kind::Page,
        body: "papers_clear_days_england=4&papers_clear_days_wales=3&papers_day_rule=working\
               &panel_reasonable_time_days=28&response_publication_days=28&survey_min_weeks=6\
               &annual_report_months=6&plan_runs_to_end_of_election_year=election_year",
    },
    Change {
        method: Method::POST,
        path: "/staff/calendar/overrides",
        kind: Kind::Page,
        body: "date-day=6&date-month=6&date-year=2031&change=add&name=Added",
    },
    Change { method: Method::POST, path: "/staff/calendar/overrides/2030-06-07/delete", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/meetings",
        kind: Kind::Page,
        body: "title=Panel&held_on-day=3&held_on-month=3&held_on-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/papers",
        kind: Kind::Page,
        body: "published_on-day=24&published_on-month=1&published_on-year=2014",
    },
    // Boards, members, meeting records and papers. A body starting `multipart:` is sent
    // as a multipart form with a title and a small HTML file.
    Change { method: Method::POST, path: "/staff/boards", kind: Kind::Page, body: "kind=strategic_board&name=Board" },
    Change {
        method: Method::POST,
        path: "/staff/boards/{board}",
        kind: Kind::Page,
        body: "kind=police_and_crime_panel&name=Panel",
    },
    Change {
        method: Method::POST,
        path: "/staff/boards/{board}/members",
        kind: Kind::Page,
        body: "name=Added&role=member&membership=independent&term_from-day=1&term_from-month=1&term_from-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/boards/{board}/meetings",
        kind: Kind::Page,
        body: "title=Panel&held_on-day=3&held_on-month=3&held_on-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/members/{member}",
        kind: Kind::Page,
        body: "name=Changed&role=member&membership=independent&term_from-day=1&term_from-month=1&term_from-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/members/{member}/interests",
        kind: Kind::Page,
        body: "declared_on-day=1&declared_on-month=6&declared_on-year=2013&interest=Trustee&interest_kind=other",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/details",
        kind: Kind::Page,
        body: "title=Panel&place=Council+House&status=held",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/agenda",
        kind: Kind::Page,
        body: "number=9&title=Added",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/attendance",
        kind: Kind::Page,
        body: "member={member}&attended=present",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/attendance/all",
        kind: Kind::Page,
        body: "attended-{member}=absent",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/agenda/4",
        kind: Kind::Page,
        body: "number=4a&title=Changed",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/agenda/4/remove",
        kind: Kind::Page,
        body: "revision=",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/minutes",
        kind: Kind::Page,
        body: "minutes=Minutes",
    },
    Change { method: Method::POST, path: "/staff/meetings/{meeting}/uploads", kind: Kind::Page, body: "multipart:" },
    Change { method: Method::POST, path: "/staff/papers/{draft}/publish", kind: Kind::Page, body: "published_on-day=" },
    Change { method: Method::POST, path: "/staff/papers/{paper}/withdraw", kind: Kind::Page, body: "reason=Replaced" },
    Change {
        method: Method::POST,
        path: "/api/v1/bodies/{body}/boards",
        kind: Kind::Api,
        body: r#"{"kind":{"kind":"strategic_board"},"name":"Board"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/boards/{board}",
        kind: Kind::Api,
        body: r#"{"kind":{"kind":"police_and_crime_panel"},"name":"Panel"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/boards/{board}/members",
        kind: Kind::Api,
        body: r#"{"name":"Added","role":"member","membership":{"kind":"independent"},"term_from":"2014-01-01"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/boards/{board}/meetings",
        kind: Kind::Api,
        body: r#"{"title":"Panel","held_on":"2014-03-03"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/members/{member}",
        kind: Kind::Api,
        body: r#"{"name":"Changed","role":"member","membership":{"kind":"independent"},"term_from":"2014-01-01"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/meetings/{meeting}/record",
        kind: Kind::Api,
        body: r#"{"place":"Council House"}"#,
    },
    Change { method: Method::POST, path: "/api/v1/meetings/{meeting}/uploads", kind: Kind::Api, body: "multipart:" },
    Change { method: Method::POST, path: "/api/v1/papers/{draft}/publish", kind: Kind::Api, body: "{}" },
    Change {
        method: Method::POST,
        path: "/api/v1/papers/{paper}/withdraw",
        kind: Kind::Api,
        body: r#"{"reason":"Replaced"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/decisions",
        kind: Kind::Api,
        body: r#"{"body_id":"5eed0000-0000-4000-8000-000000000001","drafted_on":"2020-01-06","content":{"title":"T","contact":{"name":"N"},"executive_summary":"S","decision":"D","decision_maker":{"office":"O","holder":"H"}}}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/decisions/{decision}",
        kind: Kind::Api,
        body: r#"{"title":"T","contact":{"name":"N"},"executive_summary":"S","decision":"D","decision_maker":{"office":"O","holder":"H"}}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/decisions/{decision}/sign",
        kind: Kind::Api,
        body: r#"{"signed_by":"Bob Jones","signed_on":"2020-01-07"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/decisions/{decision}/withdraw",
        kind: Kind::Api,
        body: r#"{"reason":"Duplicate"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/decisions/{signed}/corrections",
        kind: Kind::Api,
        body: r#"{"text":"Para 10 is para 11"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/bodies/{body}/decision-settings",
        kind: Kind::Api,
        body: r#"{"year_basis":"calendar"}"#,
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions",
        kind: Kind::Page,
        body: "title=T&confidentiality=public&contact_name=N&executive_summary=S&decision=D\
               &decision_maker_office=O&decision_maker_holder=H",
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions/{decision}/edit",
        kind: Kind::Page,
        body: "title=T&confidentiality=public&contact_name=N&executive_summary=S&decision=D\
               &decision_maker_office=O&decision_maker_holder=H",
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions/{decision}/sign",
        kind: Kind::Page,
        body: "signed_by=Bob+Jones&signed_on-day=7&signed_on-month=1&signed_on-year=2020",
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions/{decision}/withdraw",
        kind: Kind::Page,
        body: "reason=Duplicate",
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions/{signed}/corrections",
        kind: Kind::Page,
        body: "text=Para+10+is+para+11",
    },
    Change {
        method: Method::POST,
        path: "/staff/decisions/settings",
        kind: Kind::Page,
        body: "body={body}&year_basis=calendar",
    },
    // Panel reports: {report} is the demo's report of 14 February 2014, answered and
    // reviewed but not published; entry 7 is R1, entry 9 a request, section 3 a topic.
    Change {
        method: Method::POST,
        path: "/staff/reports",
        kind: Kind::Page,
        body: "meeting={meeting}&title=T&received_on-day=14&received_on-month=2&received_on-year=2014&from=A&to=B\
               &dated-day=14&dated-month=2&dated-year=2014&text=Dear",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}",
        kind: Kind::Page,
        body: "meeting={meeting}&title=T&received_on-day=14&received_on-month=2&received_on-year=2014&from=A&to=B\
               &dated-day=14&dated-month=2&dated-year=2014&text=Dear",
    },
    Change { method: Method::POST, path: "/staff/reports/{report}/sections", kind: Kind::Page, body: "heading=Added" },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/sections/3",
        kind: Kind::Page,
        body: "heading=Changed",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/sections/3/move",
        kind: Kind::Page,
        body: "direction=up",
    },
    Change { method: Method::POST, path: "/staff/reports/{report}/sections/3/delete", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/sections/3/entries",
        kind: Kind::Page,
        body: "kind=recommendation&text=Added",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/entries/7",
        kind: Kind::Page,
        body: "kind=recommendation&text=Changed",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/entries/7/move",
        kind: Kind::Page,
        body: "direction=down",
    },
    Change { method: Method::POST, path: "/staff/reports/{report}/entries/7/delete", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/answers/7",
        kind: Kind::Page,
        body: "stance=accepted&reasons=Because",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/letter",
        kind: Kind::Page,
        body: "to=A&salutation=Dear+A&text=T&signed=S",
    },
    Change { method: Method::POST, path: "/staff/reports/{report}/review", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/publish",
        kind: Kind::Page,
        body: "published_on-day=21&published_on-month=2&published_on-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/reports/{report}/tracked/9",
        kind: Kind::Page,
        body: "owner=&officer=Someone&state=open",
    },
    Change {
        method: Method::POST,
        path: "/api/v1/reports",
        kind: Kind::Api,
        body: r#"{"meeting_id":"5eed0000-0000-4000-8000-000000000003","received_on":"2014-02-14","title":"T","letter":{"from":"A","to":"B","dated":"2014-02-14","text":"Dear"}}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/reports/{report}",
        kind: Kind::Api,
        body: r#"{"meeting_id":"5eed0000-0000-4000-8000-000000000003","received_on":"2014-02-14","title":"T","letter":{"from":"A","to":"B","dated":"2014-02-14","text":"Dear"}}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/reports/{report}/answers/7",
        kind: Kind::Api,
        body: r#"{"stance":"accepted","reasons":"Because"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/reports/{report}/letter",
        kind: Kind::Api,
        body: r#"{"to":"A","salutation":"Dear A","text":"T","signed":"S"}"#,
    },
    Change { method: Method::POST, path: "/api/v1/reports/{report}/review", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/api/v1/reports/{report}/publish",
        kind: Kind::Api,
        body: r#"{"published_on":"2014-02-21"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/reports/{report}/tracked/9",
        kind: Kind::Api,
        body: r#"{"owner":{"officer":"Someone"}}"#,
    },
    // Consultations and their themes: `{exercise}` and the rest are filled from the
    // consultation `common::consultation::seed` stores.
    Change {
        method: Method::POST,
        path: "/staff/consultations",
        kind: Kind::Page,
        body: "title=New&kind=events&slug=new-exercise&summary=S&opens-day=1&opens-month=6&opens-year=2021\
               &closes-day=2&closes-month=6&closes-year=2021&channels=event",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/edit",
        kind: Kind::Page,
        body: "title=Changed&kind=call_for_evidence&slug=test-call&summary=S&opens-day=13&opens-month=5\
               &opens-year=2021&closes-day=2&closes-month=7&closes-year=2021&channels=online_survey&privacy_notice=P",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/questions",
        kind: Kind::Page,
        body: "number=9&text=Added&kind=open",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/questions/{choice}",
        kind: Kind::Page,
        body: "number=2&text=How+safe&kind=single&options=Safe%0ANot+safe%0AVery+safe",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/questions/{spare}/remove",
        kind: Kind::Page,
        body: "",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/events",
        kind: Kind::Page,
        body: "title=Added&held_on-day=11&held_on-month=6&held_on-year=2021",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/events/{event}",
        kind: Kind::Page,
        body: "title=Changed&held_on-day=10&held_on-month=6&held_on-year=2021",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/responses",
        kind: Kind::Page,
        body: "channel=written_submission&received-day=1&received-month=6&received-year=2021&q-1=Typed\
               &publish_consent=no&consent=yes",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/questions/{question}/analyse",
        kind: Kind::Page,
        body: "themes=",
    },
    Change { method: Method::POST, path: "/staff/theme-sets/{draft_set}/final", kind: Kind::Page, body: "" },
    Change { method: Method::POST, path: "/staff/theme-sets/{final_set}/draft", kind: Kind::Page, body: "" },
    Change { method: Method::POST, path: "/staff/theme-sets/{draft_set}/discard", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/theme-sets/{draft_set}/other",
        kind: Kind::Page,
        body: "response={unthemed}&to={theme}",
    },
    Change {
        method: Method::POST,
        path: "/staff/themes/{theme}/rename",
        kind: Kind::Page,
        body: "label=Renamed&description=D",
    },
    Change { method: Method::POST, path: "/staff/themes/{theme}/merge", kind: Kind::Page, body: "from={theme2}" },
    Change { method: Method::POST, path: "/staff/themes/{theme}/delete", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/themes/{theme}/move",
        kind: Kind::Page,
        body: "response={response1}&to={theme2}",
    },
    Change {
        method: Method::POST,
        path: "/staff/themes/{theme}/split",
        kind: Kind::Page,
        body: "label=Split&responses={response1}",
    },
    Change {
        method: Method::POST,
        path: "/staff/themes/{theme}/outcome",
        kind: Kind::Page,
        body: "outcome=not_changed&reason=Because",
    },
    // Importing responses (an upload no longer held sends an editor back to upload it
    // again), the population table, and publishing "you said, we did".
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/import",
        kind: Kind::Page,
        body: "multipart:",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/import/0123456789abcdef0123456789abcdef",
        kind: Kind::Page,
        body: "mapped=yes&map-q-1=0&leave_out_bad=yes",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/representation",
        kind: Kind::Page,
        body: "source=ONS&text=code,name,population%0AE08000025,Birmingham,1144900%0AE08000026,Coventry,345300\
               %0AE08000027,Dudley,323500%0AE08000028,Sandwell,341900%0AE08000029,Solihull,216200\
               %0AE08000030,Walsall,284100%0AE08000031,Wolverhampton,263700",
    },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/public",
        kind: Kind::Page,
        body: "public=no",
    },
    Change { method: Method::POST, path: "/staff/consultations/{exercise}/publish", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/consultations/{exercise}/publish/withdraw",
        kind: Kind::Page,
        body: "theme={theme}&response={response1}",
    },
    // Performance: {measure} is the demo's total recorded crime, with one observation
    // (April 2022, whole force area) that [`demo_app`] stores; {milestone} an estates
    // milestone. `multipart:crime` posts a street file, `multipart:lookup` an ONS lookup.
    Change {
        method: Method::POST,
        path: "/staff/performance/measures/{measure}/observations",
        kind: Kind::Page,
        body: "period=2022-05&area=&value=12&numerator=&denominator=",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/measures/{measure}/observations/delete",
        kind: Kind::Page,
        body: "period=2022-04&area=",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/measures/{measure}/feed",
        kind: Kind::Page,
        body: "feed_kind=crimes&crime_type=",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/measures/{measure}/grades",
        kind: Kind::Page,
        body: "scale=Red%2C+Amber%2C+Green&grade_period=2022%2F23+Q1&grade=green&narrative=On+track",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/items/{milestone}/status",
        kind: Kind::Page,
        body: "date-day=1&date-month=6&date-year=2022&status=on_track&commentary=&evidence_url=&evidence_title=&by=Lead",
    },
    Change { method: Method::POST, path: "/staff/performance/crime", kind: Kind::Page, body: "multipart:crime" },
    Change {
        method: Method::POST,
        path: "/staff/performance/crime/lookup",
        kind: Kind::Page,
        body: "multipart:lookup",
    },
    // Importing figures: the upload (`multipart:observations`) checks a file and stores
    // nothing; a confirmation whose rows are not held sends an editor back to upload.
    Change {
        method: Method::POST,
        path: "/staff/performance/import",
        kind: Kind::Page,
        body: "multipart:observations",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/import/confirm",
        kind: Kind::Page,
        body: "token=0123456789abcdef0123456789abcdef&body={body}",
    },
    // The board report for 2022/23 Q1, attached to {meeting} as a draft paper.
    Change {
        method: Method::POST,
        path: "/staff/performance/report/attach",
        kind: Kind::Page,
        body: "body={body}&period=2022%2F23+Q1&meeting={meeting}&agenda_item=&title=Performance+report",
    },
    // Peers: a new peer, and the removal of the one `demo_app` stores.
    Change {
        method: Method::POST,
        path: "/staff/performance/peers",
        kind: Kind::Page,
        body: "body={body}&code=gmp&name=Greater+Manchester+Police&kind=force&population=2%2C870%2C000&note=",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/peers/remove",
        kind: Kind::Page,
        body: "body={body}&code=staffs",
    },
    // Grade scales: a new scale, and the removal of the one `demo_app` adds (no grades
    // given on it).
    Change {
        method: Method::POST,
        path: "/staff/performance/scales",
        kind: Kind::Page,
        body: "body={body}&original=&name=Delivery+status&grades=done+%7C+Done+%7C+blue+%7C+Delivered%0Aopen+%7C+Open+%7C+grey+%7C+Not+yet",
    },
    Change {
        method: Method::POST,
        path: "/staff/performance/scales/remove",
        kind: Kind::Page,
        body: "body={body}&name=Commitment+status",
    },
    // The transparency log: a new publication, and the removal of the one `demo_app`
    // records.
    Change {
        method: Method::POST,
        path: "/staff/transparency/publications",
        kind: Kind::Page,
        body: "body={body}&duty=spending_over_500&published_on-day=12&published_on-month=11&published_on-year=2013&url=https%3A%2F%2Fwww.example-pcc.org.uk%2Fspending&note=",
    },
    Change {
        method: Method::POST,
        path: "/staff/transparency/publications/remove",
        kind: Kind::Page,
        body: "body={body}&id={publication}",
    },
    // Annual reports: a new draft on 2011/12, and the draft on 2013/14 and the report on
    // 2012/13 sent to the Panel that `demo_app` stores.
    Change { method: Method::POST, path: "/staff/annual-reports", kind: Kind::Page, body: "year=2011%2F12" },
    Change {
        method: Method::POST,
        path: "/staff/annual-reports/{annual_draft}",
        kind: Kind::Page,
        body: "text_introduction=Changed",
    },
    Change { method: Method::POST, path: "/staff/annual-reports/{annual_draft}/refresh", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/annual-reports/{annual_draft}/issue",
        kind: Kind::Page,
        body: "issued_on-day=30&issued_on-month=6&issued_on-year=2014&issued_by=Chief+Executive",
    },
    Change {
        method: Method::POST,
        path: "/staff/annual-reports/{annual_issued}/publish",
        kind: Kind::Page,
        body: "published_on-day=1&published_on-month=9&published_on-year=2013&published_by=Communications\
               &panel_meeting=&panel_report=",
    },
];

/// Read-only API routes: anonymous visitors get 401, viewers may read them.
const READS: &[&str] = &[
    "/api/v1/bodies",
    "/api/v1/plans",
    "/api/v1/plans/{plan}",
    "/api/v1/plans/{plan}/versions",
    "/api/v1/plans/{plan}/versions/1",
    "/api/v1/plans/{plan}/diff?from=1&to=2",
    "/api/v1/plans/{plan}/check",
    "/api/v1/plans/{plan}/export",
    "/api/v1/plans/{plan}/processes",
    "/api/v1/agenda",
    "/api/v1/obligations/{obligation}",
    "/api/v1/bodies/{body}/meetings",
    "/api/v1/bodies/{body}/clock-settings",
    "/api/v1/calendar/overrides",
    "/api/v1/bodies/{body}/boards",
    "/api/v1/boards/{board}",
    "/api/v1/boards/{board}/meetings",
    "/api/v1/meetings/{meeting}/record",
    "/api/v1/papers/{paper}/content",
    "/api/v1/reports",
    "/api/v1/reports/{report}",
    "/api/v1/reports/{report}/response",
    "/api/v1/tracker",
    "/api/v1/decisions",
    "/api/v1/decisions/{decision}",
    "/api/v1/bodies/{body}/decision-settings",
];

/// The last section of the demo: a record with nothing under it, so deleting it and
/// moving it would both succeed for an editor.
fn demo_section() -> String {
    let file = pcplan_demo::plan_file();
    let section = file
        .plan
        .items
        .iter()
        .rev()
        .find(|i| {
            i.record.kind() == pcplan_domain::RecordKind::Section
                && !file.plan.items.iter().any(|c| c.parent == Some(i.id) || c.serves.contains(&i.id))
        })
        .expect("the demo has a narrative section");
    section.id.to_string()
}

/// Last financial year's annual report, which [`demo_app`] stores.
fn demo_obligation() -> String {
    let last_year = pcplan_domain::FinancialYear::containing(pcplan_web::today()).0 - 1;
    let kind = pcplan_domain::obligation::ObligationKind::AnnualReport;
    pcplan_domain::obligation::obligation_id(pcplan_demo::ids::BODY, kind, last_year).to_string()
}

/// A draft paper [`demo_app`] stores, so publishing has one to publish.
const DRAFT_PAPER: pcplan_domain::PaperId = pcplan_domain::PaperId::from_u128(0xd4af7);

/// The first of the demo Panel's members.
fn demo_member() -> pcplan_domain::MemberId {
    pcplan_demo::boards::panel_members()[0].id
}

fn fill(path: &str) -> String {
    path.replace("{plan}", &pcplan_demo::plan_file().plan.id.to_string())
        .replace("{item}", &demo_section())
        .replace("{obligation}", &demo_obligation())
        .replace("{body}", &pcplan_demo::ids::BODY.to_string())
        .replace("{meeting}", &pcplan_demo::ids::MEETING_2014.to_string())
        .replace("{board}", &pcplan_demo::boards::PANEL.to_string())
        .replace("{member}", &demo_member().to_string())
        .replace("{paper}", &pcplan_demo::boards::AGENDA_PAPER_2014.to_string())
        .replace("{draft}", &DRAFT_PAPER.to_string())
        .replace("{report}", &pcplan_demo::report::REPORT_2014.to_string())
        .replace("{decision}", &DRAFT_DECISION.to_string())
        .replace("{signed}", &pcplan_demo::decisions::DECISION_018_2013.to_string())
        .replace("{measure}", &pcplan_demo::ids::MEA_TOTAL_CRIME.to_string())
        .replace("{milestone}", &pcplan_demo::ids::MS_ESTATES.to_string())
        .replace("{annual_draft}", &ANNUAL_DRAFT.to_string())
        .replace("{annual_issued}", &ANNUAL_ISSUED.to_string())
        .replace("{publication}", &PUBLICATION.to_string())
}

/// The demo with its recurring obligations, its Panel meeting and a holiday override
/// stored, so the routes that change one have one.
async fn demo_app() -> TestApp {
    let app = TestApp::with_demo().await;
    let actor = pcplan_store::Actor::system("test");
    app.store.ensure_obligations(&actor, pcplan_web::today()).await.expect("obligations");
    // The Panel meeting of 3 February 2014 and one holiday override (7 June 2030), so
    // the routes that record papers or remove an override have one to change.
    app.store.create_meeting(&actor, &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    let extra = pcplan_domain::HolidayOverride {
        date: chrono::NaiveDate::from_ymd_opt(2030, 6, 7).expect("a real date"),
        holiday: true,
        name: String::from("Test occasion"),
    };
    app.store.add_holiday_override(&actor, &extra).await.expect("override");
    // The demo's boards and members, its agenda paper (published) and a draft paper.
    for board in pcplan_demo::boards::boards() {
        if app.store.board(board.id).await.expect("read").is_some() {
            app.store.update_board(&actor, &board).await.expect("board");
        } else {
            app.store.create_board(&actor, &board).await.expect("board");
        }
    }
    for member in pcplan_demo::boards::panel_members() {
        app.store.add_member(&actor, &member).await.expect("member");
    }
    // The meeting as held, so an agenda item (4) can be changed or removed.
    let meeting = app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("meeting");
    app.store.update_meeting(&actor, &pcplan_demo::boards::meeting_held_2014(&meeting)).await.expect("record");
    let html = pcplan_demo::boards::AGENDA_HTML.as_bytes();
    for id in [pcplan_demo::boards::AGENDA_PAPER_2014, DRAFT_PAPER] {
        let paper = pcplan_store::NewPaper {
            id,
            meeting_id: pcplan_demo::ids::MEETING_2014,
            title: "Agenda",
            agenda_item: None,
            file_name: "agenda.html",
            bytes: html,
            max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
        };
        app.store.upload_paper(&actor, &paper).await.expect("paper");
    }
    let (at, on) = (pcplan_demo::boards::agenda_published_at(), pcplan_demo::boards::AGENDA_PUBLISHED_ON);
    app.store.publish_paper(&actor, pcplan_demo::boards::AGENDA_PAPER_2014, at, on).await.expect("publish");
    // A draft decision (to edit, sign or withdraw) and the demo's signed 018/2013 (to
    // take a correction note).
    let content = pcplan_demo::decisions::decision_018_2013().content;
    let drafted = chrono::NaiveDate::from_ymd_opt(2020, 1, 6).expect("a real date");
    app.store.create_decision(&actor, DRAFT_DECISION, pcplan_demo::ids::BODY, drafted, &content).await.expect("draft");
    app.store.import_decision(&actor, &pcplan_demo::decisions::decision_018_2013()).await.expect("decision");
    // The Panel's report of 14 February 2014, answered and reviewed but not published,
    // without its process, so that publishing it records no step.
    let mut input = pcplan_demo::report::report_2014();
    input.process_id = None;
    let report = app.store.create_report(&actor, pcplan_demo::report::REPORT_2014, input, true).await.expect("report");
    for edit in pcplan_demo::report::response_edits_2014(&report) {
        app.store.edit_report(&actor, report.id, edit).await.expect("report edit");
    }
    common::consultation::seed(&app.store).await;
    // One figure of total recorded crime, so deleting an observation has one to delete.
    let april = pcplan_store::NewObservation {
        period: String::from("2022-04"),
        period_start: chrono::NaiveDate::from_ymd_opt(2022, 4, 1).expect("a real date"),
        area_code: String::new(),
        value: 52.0,
        numerator: None,
        denominator: None,
        note: String::new(),
    };
    let (body, measure) = (pcplan_demo::ids::BODY, pcplan_demo::ids::MEA_TOTAL_CRIME);
    let manual = pcplan_store::ObservationSource::Manual;
    app.store.record_observations(&actor, body, measure, manual, &[april]).await.expect("observation");
    // A peer, so removing one has one to remove.
    let peer = pcplan_domain::peer::Peer {
        code: String::from("staffs"),
        name: String::from("Staffordshire Police"),
        kind: pcplan_domain::peer::PeerKind::Force,
        population: None,
        note: String::new(),
    };
    app.store.save_peer(&actor, body, peer).await.expect("peer");
    // A second grade scale beside the preset, so removing one leaves a scale.
    let commitments = pcplan_domain::grade::GradeScale::parse(pcplan_domain::grade::GradeScaleInput {
        name: String::from("Commitment status"),
        grades: ["blue", "red"]
            .iter()
            .map(|c| pcplan_domain::grade::GradeInput {
                code: c.to_string(),
                label: c.to_uppercase(),
                meaning: String::new(),
                colour: c.to_string(),
            })
            .collect(),
    })
    .expect("a scale");
    let scales = [pcplan_domain::grade::GradeScale::rag(), commitments];
    app.store.set_grade_scales(&actor, body, &scales).await.expect("scales");
    // A draft annual report on 2013/14 and one on 2012/13 sent to the Panel.
    let today = pcplan_web::today();
    for (id, year) in [(ANNUAL_DRAFT, 2013), (ANNUAL_ISSUED, 2012)] {
        let year = pcplan_domain::FinancialYear(year);
        let sources = pcplan_domain::annual_report::Sources::empty(body, "West Midlands", year, today);
        app.store.create_annual_report(&actor, id, &sources).await.expect("annual report");
    }
    let sent = chrono::NaiveDate::from_ymd_opt(2013, 6, 30).expect("a real date");
    let issue = pcplan_domain::annual_report::Issue { on: sent, by: String::from("Chief Executive") };
    app.store.issue_annual_report(&actor, ANNUAL_ISSUED, &issue, today).await.expect("issued");
    // A publication in the transparency log, to be removed.
    let logged = pcplan_domain::transparency::NewPublication {
        id: PUBLICATION,
        duty: String::from("contracts"),
        published_on: sent,
        url: String::from("https://www.example-pcc.org.uk/contracts"),
        note: String::new(),
    };
    app.store.record_publication(&actor, body, logged, today).await.expect("publication");
    app
}

/// The publication `demo_app` records in the transparency log.
const PUBLICATION: pcplan_domain::PublicationId = pcplan_domain::PublicationId::from_u128(0x7a);

/// A police.uk street file of one crime, for `multipart:crime`.
const STREET_FILE: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,\
                           LSOA name,Crime type,Last outcome category,Context\n\
                           ,2022-01,West Midlands Police,West Midlands Police,-1.89,52.48,On or near High Street,\
                           E01000001,Birmingham 001A,Burglary,Under investigation,\n";

/// An ONS LSOA lookup of one LSOA, for `multipart:lookup`.
const LSOA_LOOKUP: &str = "LSOA11CD,LAD22CD,LAD22NM\nE01000001,E08000025,Birmingham\n";

/// A file of one figure of total recorded crime, for `multipart:observations`.
const OBSERVATIONS_FILE: &str = "Measure,Period,Area,Value\nTotal recorded crime,2022-05,Birmingham,12\n";

/// The annual reports [`demo_app`] stores: a draft, and one sent to the Panel.
const ANNUAL_DRAFT: pcplan_domain::ids::AnnualReportId = pcplan_domain::ids::AnnualReportId::from_u128(0xa2013);
const ANNUAL_ISSUED: pcplan_domain::ids::AnnualReportId = pcplan_domain::ids::AnnualReportId::from_u128(0xa2012);

/// The draft decision [`demo_app`] stores.
const DRAFT_DECISION: pcplan_domain::DecisionId = pcplan_domain::DecisionId::from_u128(0xdec1);

async fn send(app: &TestApp, change: &Change, cookie: Option<&str>) -> common::TestResponse {
    let path = common::consultation::fill(&app.store, &fill(change.path)).await;
    if let Some(what) = change.body.strip_prefix("multipart:") {
        let parts: [(&str, Option<&str>, &[u8]); 2] = match what {
            "crime" => [("body", None, b""), ("files", Some("2022-01-street.csv"), STREET_FILE.as_bytes())],
            "lookup" => [("body", None, b""), ("file", Some("lookup.csv"), LSOA_LOOKUP.as_bytes())],
            "observations" => [("body", None, b""), ("file", Some("figures.csv"), OBSERVATIONS_FILE.as_bytes())],
            _ => [("title", None, b"Added paper"), ("file", Some("added.html"), b"<!DOCTYPE html><p>Added</p>")],
        };
        return app.post_multipart(&path, &parts, cookie).await;
    }
    match (change.kind, change.body.is_empty()) {
        (_, true) => app.send_empty(change.method.clone(), &path, cookie).await,
        (Kind::Api, false) => {
            let json: serde_json::Value = serde_json::from_str(change.body).expect("valid test JSON");
            app.send_json(change.method.clone(), &path, &json, cookie).await
        }
        (Kind::Page, false) => {
            let body = common::consultation::fill(&app.store, &fill(change.body)).await;
            app.post_form(&path, &body, cookie).await
        }
    }
}

#[tokio::test]
async fn anonymous_visitors_are_refused_every_change() {
    let app = demo_app().await;
    let before = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    for change in CHANGES {
        let response = send(&app, change, None).await;
        match change.kind {
            Kind::Api => {
                assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{} {}", change.method, change.path);
                assert_eq!(response.json()["error"]["code"], "unauthenticated");
            }
            Kind::Page => {
                assert_eq!(response.status, StatusCode::SEE_OTHER, "{} {}", change.method, change.path);
                let location = response.location().unwrap_or_default();
                assert!(
                    location.starts_with("/sign-in?next=%2F") || location.starts_with("/sign-in?next=/"),
                    "{} {}: {location}",
                    change.method,
                    change.path
                );
            }
        }
    }
    let after = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn viewers_are_refused_every_change_and_nothing_changes() {
    let app = demo_app().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let before = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    for change in CHANGES {
        let response = send(&app, change, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{} {}", change.method, change.path);
        match change.kind {
            Kind::Api => assert_eq!(response.json()["error"]["code"], "forbidden"),
            Kind::Page => assert!(response.body.contains("You do not have permission")),
        }
    }
    let after = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    assert_eq!(before, after, "nothing changed");
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before, "nothing audited");
}

/// The access the permissions table gives the change's route: the rule whose pattern
/// matches the path segment by segment (a `{parameter}` matches any segment), the one
/// with the most literal segments where two match (`/decisions/new` over `/decisions/{id}`).
fn access_of(change: &Change) -> Access {
    pcplan_web::permissions::access_for_path(change.method.as_str(), change.path)
        .unwrap_or_else(|| panic!("{} {} has a rule", change.method, change.path))
}

/// The role with the least power that the table lets make the change.
fn narrowest_role(access: Access) -> Role {
    match access {
        Access::Deliver => Role::Liaison,
        Access::Panel => Role::PanelOfficer,
        Access::Approve => Role::Approver,
        Access::Admin => Role::Admin,
        Access::Public | Access::Staff | Access::Edit => Role::Editor,
    }
}

#[tokio::test]
async fn the_narrowest_role_the_table_allows_may_make_every_change() {
    // Each change on a fresh copy of the demo, so one change cannot disturb the next: the
    // liaison records figures, the Panel officer keeps the Panel's records, an approver
    // signs and publishes, an editor does the rest.
    for change in CHANGES {
        let app = demo_app().await;
        let cookie = app.signed_in(narrowest_role(access_of(change))).await;
        let response = send(&app, change, Some(&cookie)).await;
        assert!(
            response.status.is_success() || response.status == StatusCode::SEE_OTHER,
            "{} {}: {} {}",
            change.method,
            change.path,
            response.status,
            response.body
        );
    }
}

#[tokio::test]
async fn editors_are_refused_every_approval_and_nothing_changes() {
    let app = demo_app().await;
    let cookie = app.signed_in(Role::Editor).await;
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    let approvals: Vec<&Change> = CHANGES.iter().filter(|c| access_of(c) == Access::Approve).collect();
    assert!(approvals.len() >= 15, "signing, publishing and issuing are approvals: {}", approvals.len());
    for change in approvals {
        let response = send(&app, change, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{} {}", change.method, change.path);
    }
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before, "nothing audited");
}

#[tokio::test]
async fn anonymous_visitors_cannot_read_the_api_but_viewers_can() {
    let app = demo_app().await;
    let cookie = app.signed_in(Role::Viewer).await;
    for path in READS {
        let path = fill(path);
        let anonymous = app.get(&path, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(anonymous.json()["error"]["code"], "unauthenticated", "{path}");
        assert_eq!(app.get(&path, Some(&cookie)).await.status, StatusCode::OK, "{path}");
    }
}
