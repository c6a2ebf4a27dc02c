//! The JSON API under `/api/v1`, route by route, on the demo plan.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_store::Role;
use serde_json::json;

fn plan_id() -> String {
    pcplan_demo::plan_file().plan.id.to_string()
}

/// An editor's session on the demo.
async fn editor() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    (app, cookie)
}

/// The demo, and an approver (who makes versions) signed in.
async fn approver() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Approver).await;
    (app, cookie)
}

#[tokio::test]
async fn bodies_are_listed_and_read_by_id() {
    let (app, cookie) = editor().await;
    let body = pcplan_demo::body();
    let list = app.get("/api/v1/bodies", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()[0]["name"], body.name.as_str());
    let one = app.get(&format!("/api/v1/bodies/{}", body.id), Some(&cookie)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["areas"].as_array().map(Vec::len), Some(7));
    let missing = app.get("/api/v1/bodies/00000000-0000-0000-0000-000000000001", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    let bad = app.get("/api/v1/bodies/not-an-id", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "bad_request");
}

#[tokio::test]
async fn plans_are_listed_and_the_working_draft_is_read_as_plan_json() {
    let (app, cookie) = editor().await;
    let list = app.get("/api/v1/plans", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()[0]["id"], plan_id().as_str());
    assert_eq!(list.json()[0]["versions"], 4);
    let plan = app.get(&format!("/api/v1/plans/{}", plan_id()), Some(&cookie)).await;
    assert_eq!(plan.status, StatusCode::OK);
    let expected = serde_json::to_value(pcplan_demo::plan_file().plan).expect("json");
    assert_eq!(plan.json(), expected);
    let missing = app.get("/api/v1/plans/00000000-0000-0000-0000-000000000001", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_viewer_reads_everything_an_editor_reads() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let id = plan_id();
    for path in [
        String::from("/api/v1/bodies"),
        String::from("/api/v1/plans"),
        format!("/api/v1/plans/{id}"),
        format!("/api/v1/plans/{id}/versions"),
        format!("/api/v1/plans/{id}/versions/1"),
        format!("/api/v1/plans/{id}/diff?from=2&to=4"),
        format!("/api/v1/plans/{id}/check"),
        format!("/api/v1/plans/{id}/export"),
    ] {
        assert_eq!(app.get(&path, Some(&cookie)).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_plan_header_is_replaced_and_checked() {
    let (app, cookie) = editor().await;
    let path = format!("/api/v1/plans/{}", plan_id());
    let header = json!({
        "title": "Police and Crime Plan 2013-2017 (refreshed)",
        "vision": "Pride in our Police",
        "starts_on": "2013-04-01",
        "ends_on": "2017-03-31"
    });
    let response = app.send_json(Method::PUT, &path, &header, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json()["title"], "Police and Crime Plan 2013-2017 (refreshed)");

    let backwards = json!({"title": "T", "vision": "V", "starts_on": "2017-04-01", "ends_on": "2013-03-31"});
    let response = app.send_json(Method::PUT, &path, &backwards, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    let problems = &response.json()["error"]["problems"];
    assert_eq!(problems[0]["path"], "ends_on", "{problems}");

    let unknown_field =
        json!({"title": "T", "vision": "V", "starts_on": "2013-04-01", "ends_on": "2017-03-31", "x": 1});
    let response = app.send_json(Method::PUT, &path, &unknown_field, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["error"]["code"], "invalid");
}

#[tokio::test]
async fn an_item_is_added_changed_moved_and_deleted() {
    let (app, cookie) = editor().await;
    let items = format!("/api/v1/plans/{}/items", plan_id());
    let new = json!({"record": {"kind": "section", "title": "Custody visiting", "text": "Volunteers visit custody."}});
    let created = app.send_json(Method::POST, &items, &new, Some(&cookie)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let item = created.json();
    let item_id = item["id"].as_str().expect("an id was given").to_string();
    assert_eq!(item["record"]["title"], "Custody visiting");

    let mut changed = item.clone();
    changed["record"]["title"] = json!("Custody visiting and appropriate adults");
    let path = format!("{items}/{item_id}");
    let updated = app.send_json(Method::PUT, &path, &changed, Some(&cookie)).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["record"]["title"], "Custody visiting and appropriate adults");

    let mismatched = json!({"id": "00000000-0000-0000-0000-000000000001", "record": changed["record"]});
    let response = app.send_json(Method::PUT, &path, &mismatched, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);

    let position = |plan: &serde_json::Value| {
        plan["items"].as_array().and_then(|items| items.iter().position(|i| i["id"] == item_id.as_str()))
    };
    let before = position(&app.get(&format!("/api/v1/plans/{}", plan_id()), Some(&cookie)).await.json());
    let moved = app.send_json(Method::POST, &format!("{path}/move"), &json!({"direction": "up"}), Some(&cookie)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let after = position(&moved.json());
    assert!(after < before, "moved up: {before:?} -> {after:?}");
    let bad_direction =
        app.send_json(Method::POST, &format!("{path}/move"), &json!({"direction": "left"}), Some(&cookie)).await;
    assert_eq!(bad_direction.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_direction.json()["error"]["problems"][0]["path"], "direction");

    let deleted = app.send_empty(Method::DELETE, &path, Some(&cookie)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(app.send_empty(Method::DELETE, &path, Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_item_bodies_are_refused_with_the_path_of_the_problem() {
    let (app, cookie) = editor().await;
    let items = format!("/api/v1/plans/{}/items", plan_id());

    let not_json = app
        .send(
            common::request(Method::POST, &items, Some(&cookie))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"record\": "))
                .expect("request"),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_json.json()["error"]["code"], "bad_request");

    let no_content_type = app
        .send(common::request(Method::POST, &items, Some(&cookie)).body(axum::body::Body::from("{}")).expect("request"))
        .await;
    assert_eq!(no_content_type.status, StatusCode::BAD_REQUEST);
    assert!(no_content_type.json()["error"]["message"].as_str().unwrap_or_default().contains("application/json"));

    let wrong_type = json!({"illustrative": "yes", "record": {"kind": "section", "title": "x"}});
    let response = app.send_json(Method::POST, &items, &wrong_type, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["error"]["problems"][0]["path"], "illustrative");

    let bad_date = json!({"record": {"kind": "milestone", "title": "x", "due": "31/12/2014"}});
    let response = app.send_json(Method::POST, &items, &bad_date, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let path = response.json()["error"]["problems"][0]["path"].as_str().unwrap_or_default().to_string();
    assert!(path.starts_with("record"), "{path}");

    // A milestone at the top level breaks the plan's rules: the store says where.
    let orphan = json!({"record": {"kind": "milestone", "title": "x", "due": "2014-12-31"}});
    let response = app.send_json(Method::POST, &items, &orphan, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    let problem = &response.json()["error"]["problems"][0];
    assert!(problem["path"].as_str().unwrap_or_default().ends_with(".parent"), "{problem}");
}

#[tokio::test]
async fn deleting_a_record_that_others_sit_under_is_a_conflict() {
    let (app, cookie) = editor().await;
    let file = pcplan_demo::plan_file();
    let parent = file
        .plan
        .items
        .iter()
        .find(|i| file.plan.items.iter().any(|c| c.parent == Some(i.id)))
        .expect("the demo has nested records");
    let path = format!("/api/v1/plans/{}/items/{}", plan_id(), parent.id);
    let response = app.send_empty(Method::DELETE, &path, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.body);
    assert_eq!(response.json()["error"]["code"], "conflict");
}

#[tokio::test]
async fn versions_are_listed_read_and_made() {
    let (app, cookie) = approver().await;
    let versions = format!("/api/v1/plans/{}/versions", plan_id());
    let list = app.get(&versions, Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    let kinds: Vec<String> =
        list.json().as_array().map(|v| v.iter().map(|m| m["kind"].to_string()).collect()).unwrap_or_default();
    assert_eq!(kinds, ["\"sent_to_panel\"", "\"issued\"", "\"variation_draft\"", "\"varied\""]);

    let one = app.get(&format!("{versions}/2"), Some(&cookie)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["meta"]["kind"], "issued");
    assert_eq!(app.get(&format!("{versions}/9"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{versions}/two"), Some(&cookie)).await.status, StatusCode::BAD_REQUEST);

    let new = json!({"kind": "variation_draft", "label": "Variation draft, 2015", "effective_on": "2015-01-20"});
    let made = app.send_json(Method::POST, &versions, &new, Some(&cookie)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.json()["number"], 5);
    assert_eq!(made.json()["kind"], "variation_draft");
    assert_eq!(made.json()["effective_on"], "2015-01-20");

    let again = json!({"kind": "issued", "label": "Issued again"});
    let refused = app.send_json(Method::POST, &versions, &again, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "a plan is issued once: {}", refused.body);

    let no_label = json!({"kind": "draft", "label": "  "});
    let refused = app.send_json(Method::POST, &versions, &no_label, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["problems"][0]["path"], "label");
}

#[tokio::test]
async fn the_variation_summary_compares_versions_or_the_working_draft() {
    let (app, cookie) = editor().await;
    let diff = format!("/api/v1/plans/{}/diff", plan_id());
    let response = app.get(&format!("{diff}?from=2&to=4"), Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::OK);
    let file = pcplan_demo::plan_file();
    let expected = pcplan_domain::diff_plans(&file.versions[1].plan, &file.versions[3].plan);
    assert_eq!(response.json(), serde_json::to_value(&expected).expect("json"));
    assert!(!expected.changes.is_empty());

    let to_draft = app.get(&format!("{diff}?from=4&to=draft"), Some(&cookie)).await;
    assert_eq!(to_draft.status, StatusCode::OK);
    assert_eq!(to_draft.json()["changes"], json!([]), "the demo's draft is the varied plan");

    assert_eq!(app.get(&format!("{diff}?from=2"), Some(&cookie)).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get(&format!("{diff}?from=2&to=x"), Some(&cookie)).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get(&format!("{diff}?from=2&to=99"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_contents_check_reads_the_draft_or_a_version() {
    let (app, cookie) = editor().await;
    let check = format!("/api/v1/plans/{}/check", plan_id());
    let draft = app.get(&check, Some(&cookie)).await;
    assert_eq!(draft.status, StatusCode::OK);
    let expected = pcplan_domain::check_contents(&pcplan_demo::plan_file().plan);
    assert_eq!(draft.json(), serde_json::to_value(&expected).expect("json"));
    let first = app.get(&format!("{check}?version=1"), Some(&cookie)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json()["elements"].as_array().map(Vec::len), Some(6));
    assert_eq!(app.get(&format!("{check}?version=99"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_export_is_exactly_the_plan_file_json() {
    let (app, cookie) = editor().await;
    let response = app.get(&format!("/api/v1/plans/{}/export", plan_id()), Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let stored = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export").expect("plan");
    assert_eq!(response.body, stored.to_json());
    assert_eq!(response.body, pcplan_demo::plan_file().to_json(), "import then export is byte for byte");
}

#[tokio::test]
async fn error_bodies_have_one_documented_shape() {
    let (app, cookie) = editor().await;
    let response = app.get("/api/v1/plans/00000000-0000-0000-0000-000000000001/versions", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    let json = response.json();
    let error = json["error"].as_object().expect("an error object");
    assert_eq!(error["code"], "not_found");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(!error.contains_key("problems"), "problems only on 422");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let (app, cookie) = editor().await;
    let items = format!("/api/v1/plans/{}/items", plan_id());
    let huge = format!(r#"{{"record":{{"kind":"section","title":"x","text":"{}"}}}}"#, "a".repeat(3 * 1024 * 1024));
    // Declared length over the limit: refused before the handler.
    let declared = app
        .send(
            common::request(Method::POST, &items, Some(&cookie))
                .header("content-type", "application/json")
                .header("content-length", huge.len())
                .body(axum::body::Body::from(huge.clone()))
                .expect("request"),
        )
        .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Streamed without a length: refused while reading, with the JSON error body.
    let stream = futures_stream(huge);
    let streamed = app
        .send(
            common::request(Method::POST, &items, Some(&cookie))
                .header("content-type", "application/json")
                .body(stream)
                .expect("request"),
        )
        .await;
    assert_eq!(streamed.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(streamed.json()["error"]["code"], "payload_too_large");
}

/// A body without a declared length, as a chunked upload sends it.
fn futures_stream(text: String) -> axum::body::Body {
    use http_body_util::{BodyStream, Full, StreamBody};
    axum::body::Body::new(StreamBody::new(BodyStream::new(Full::new(axum::body::Bytes::from(text)))))
}

#[tokio::test]
async fn a_process_is_started_and_its_steps_recorded_through_the_api_in_order() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let plan = pcplan_demo::plan_file().plan.id;
    let started = app
        .send_json(
            Method::POST,
            &format!("/api/v1/plans/{plan}/processes"),
            &json!({"kind": "variation"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let process = started.json()["id"].as_str().expect("an id").to_string();
    let steps = format!("/api/v1/plans/{plan}/processes/{process}/steps");
    let evidence = |on: &str| json!({"on": on, "by": "OPCC", "note": "recorded through the API"});

    let early = app
        .send_json(
            Method::POST,
            &steps,
            &json!({"step": "sent_to_panel", "evidence": evidence("2014-01-29")}),
            Some(&cookie),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.json()["error"]["message"].as_str().unwrap_or_default().contains("cannot be recorded yet"));

    let ok = app
        .send_json(
            Method::POST,
            &steps,
            &json!({"step": "draft_prepared", "evidence": evidence("2014-01-20")}),
            Some(&cookie),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["process"]["steps"].as_array().map(Vec::len), Some(1));

    let unknown_field = app
        .send_json(
            Method::POST,
            &steps,
            &json!({"step": "chief_constable_consulted", "evidence": evidence("2014-01-24"), "colour": 1}),
            Some(&cookie),
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown_field.body);

    let read = app.get(&format!("/api/v1/plans/{plan}/processes/{process}"), Some(&cookie)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["process"]["kind"], "variation");
    let listed = app.get(&format!("/api/v1/plans/{plan}/processes"), Some(&cookie)).await;
    assert_eq!(listed.json().as_array().map(Vec::len), Some(1));
    let elsewhere = app
        .get(&format!("/api/v1/plans/{}/processes/{process}", pcplan_domain::PlanId::from_u128(7)), Some(&cookie))
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}
