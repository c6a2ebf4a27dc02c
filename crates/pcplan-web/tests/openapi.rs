//! The OpenAPI document, `crates/pcplan-web/openapi.json`, kept in step with the API: its
//! operations are exactly the `/api/v1/` rules of `permissions::RULES` (each with the
//! access the rule names), the application serves the file unchanged at
//! `/api/v1/openapi.json`, and real responses of the demo, successes and errors, are
//! valid against the schemas the document gives for their status.
//!
//! The validator is a small one written here for the part of JSON Schema 2020-12 the
//! document uses (`$ref`, `type`, `properties`, `required`, `additionalProperties`,
//! `items`, `prefixItems`, `minItems`, `maxItems`, `enum`, `const`, `oneOf`, `anyOf`,
//! `minimum`, `maximum`, `minLength`, and the formats `uuid`, `date` and `date-time`),
//! rather than a validator crate: none is in the tree, and the usual one brings a regex
//! engine and, by default, an HTTP client into the build for one test. `pattern` is not
//! checked, and every keyword not listed is refused by
//! `the_document_uses_only_keywords_the_validator_checks_and_every_reference_resolves`, so
//! the document cannot come to rely on a rule this test silently ignores. What the document says about
//! requests is exercised by `tests/schemathesis/run.sh` against a running demo.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::{TestApp, TestResponse};
use pcplan_store::{Actor, Role};
use pcplan_web::permissions::RULES;
use serde_json::{Value, json};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

fn document() -> Value {
    let text = std::fs::read_to_string(FILE).expect("crates/pcplan-web/openapi.json is readable");
    serde_json::from_str(&text).expect("openapi.json is JSON")
}

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

/// Every operation of the document as (METHOD, path).
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("the document has paths");
    let mut out = BTreeSet::new();
    for (path, item) in paths {
        let item = item.as_object().expect("a path item is an object");
        for key in item.keys() {
            assert!(METHODS.contains(&key.as_str()), "{path} has `{key}`, which is not a method the API answers");
            out.insert((key.to_uppercase(), path.clone()));
        }
    }
    out
}

#[test]
fn the_document_is_openapi_3_1_and_says_what_it_is() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let description = doc["info"]["description"].as_str().expect("info.description");
    assert!(description.contains("tests/openapi.rs"), "info.description names the test that keeps it in step");
    assert_eq!(
        doc["components"]["securitySchemes"]["session"],
        json!({"type": "apiKey", "in": "cookie", "name": "pcplan_session",
               "description": "The session cookie set by `POST /sign-in`; there are no API keys."})
    );
}

#[test]
fn its_operations_are_exactly_the_api_rules_of_the_permissions_table() {
    let doc = document();
    let documented = operations(&doc);
    let rules: BTreeSet<(String, String)> = RULES
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let undocumented: Vec<_> = rules.difference(&documented).collect();
    assert!(undocumented.is_empty(), "API routes missing from openapi.json: {undocumented:#?}");
    let stale: Vec<_> = documented.difference(&rules).collect();
    assert!(stale.is_empty(), "operations in openapi.json with no route: {stale:#?}");
    for rule in RULES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let operation = &doc["paths"][rule.path][rule.method.to_lowercase()];
        let what = format!("{} {}", rule.method, rule.path);
        assert_eq!(operation["x-pcplan-access"], rule.access.name(), "{what}: x-pcplan-access");
        let public = rule.access == pcplan_web::permissions::Access::Public;
        assert_eq!(operation.get("security") == Some(&json!([])), public, "{what}: public operations need no session");
        let responses = operation["responses"].as_object().expect("responses");
        for status in ["401", "403"] {
            assert_eq!(responses.contains_key(status), !public, "{what}: {status} is documented for signed-in routes");
        }
        let mut parameters: Vec<String> = operation["parameters"]
            .as_array()
            .map(|list| list.iter().map(|p| resolve(&doc, p)).filter(|p| p["in"] == "path"))
            .into_iter()
            .flatten()
            .map(|p| p["name"].as_str().expect("a parameter's name").to_string())
            .collect();
        parameters.sort();
        let mut in_path: Vec<String> = rule
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(String::from)
            .collect();
        in_path.sort();
        assert_eq!(parameters, in_path, "{what}: one path parameter for each in the route");
    }
}

#[tokio::test]
async fn the_served_document_is_the_checked_in_file() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let file = std::fs::read_to_string(FILE).expect("openapi.json");
    // Not assert_eq!: a stale binary would print the whole document twice.
    assert!(response.body == file, "the served document is not openapi.json as it is now; rebuild pcplan-web");
}

#[tokio::test]
async fn a_method_a_path_does_not_document_is_405_naming_the_methods_it_does() {
    let doc = document();
    let app = TestApp::new().await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path.replace(['{', '}'], "");
        let response = app.send_empty(Method::PATCH, &concrete, None).await;
        assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED, "PATCH {path}: {}", response.body);
        let mut expected: Vec<String> =
            item.as_object().expect("a path item").keys().map(|m| m.to_uppercase()).collect();
        if expected.iter().any(|m| m == "GET") {
            expected.push(String::from("HEAD"));
        }
        expected.sort();
        let mut allowed: Vec<String> =
            response.header("allow").unwrap_or_default().split(',').map(|m| m.trim().to_string()).collect();
        allowed.sort();
        assert_eq!(allowed, expected, "PATCH {path}: Allow");
    }
}

#[test]
fn the_document_uses_only_keywords_the_validator_checks_and_every_reference_resolves() {
    let doc = document();
    let mut schemas = Vec::new();
    for schema in doc["components"]["schemas"].as_object().expect("schemas").values() {
        schemas.push(schema.clone());
    }
    collect_schemas(&doc["paths"], &mut schemas);
    collect_schemas(&doc["components"]["responses"], &mut schemas);
    collect_schemas(&doc["components"]["parameters"], &mut schemas);
    assert!(schemas.len() > 100, "schemas were found: {}", schemas.len());
    for schema in &schemas {
        check_keywords(&doc, schema);
    }
}

#[test]
fn every_link_names_an_operation_and_fills_exactly_its_path_parameters() {
    let doc = document();
    let mut by_id = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for operation in item.as_object().expect("a path item").values() {
            let id = operation["operationId"].as_str().expect("every operation has an operationId");
            assert!(by_id.insert(id.to_string(), path.clone()).is_none(), "two operations are {id}");
        }
    }
    let mut links = 0;
    for item in doc["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            for response in operation["responses"].as_object().expect("responses").values() {
                for (name, link) in response.get("links").and_then(Value::as_object).into_iter().flatten() {
                    links += 1;
                    let target = link["operationId"].as_str().expect("a link names its operation");
                    let path = by_id.get(target).unwrap_or_else(|| panic!("link {name}: no operation {target}"));
                    let mut wanted: Vec<&str> =
                        path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
                    wanted.sort();
                    let mut given: Vec<&str> =
                        link["parameters"].as_object().expect("parameters").keys().map(String::as_str).collect();
                    given.sort();
                    assert_eq!(given, wanted, "link {name} fills the path parameters of {path}");
                }
            }
        }
    }
    assert!(links > 20, "links were found: {links}");
}

/// Every value under a `schema` key.
fn collect_schemas(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "schema" {
                    out.push(child.clone());
                } else {
                    collect_schemas(child, out);
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|child| collect_schemas(child, out)),
        _ => {}
    }
}

const KEYWORDS: [&str; 21] = [
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "minimum",
    "maximum",
    "minLength",
    "format",
    "pattern",
    "description",
    "example",
    "contentMediaType",
];

fn check_keywords(doc: &Value, schema: &Value) {
    let Some(map) = schema.as_object() else {
        assert!(schema.is_boolean(), "a schema is an object or a boolean: {schema}");
        return;
    };
    for (key, value) in map {
        assert!(KEYWORDS.contains(&key.as_str()), "the validator in tests/openapi.rs does not check `{key}`: {schema}");
        match key.as_str() {
            "$ref" => {
                resolve(doc, schema);
            }
            "properties" => value.as_object().expect("properties").values().for_each(|s| check_keywords(doc, s)),
            "items" | "additionalProperties" => check_keywords(doc, value),
            "prefixItems" | "oneOf" | "anyOf" => {
                value.as_array().expect("a list of schemas").iter().for_each(|s| check_keywords(doc, s))
            }
            "format" => assert!(
                ["uuid", "date", "date-time", "int64", "binary"].contains(&value.as_str().unwrap_or_default()),
                "unknown format {value}"
            ),
            _ => {}
        }
    }
}

/// Follows `$ref`s within the document.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else { return value };
        let pointer = target.strip_prefix('#').unwrap_or_else(|| panic!("only local references: {target}"));
        value = doc.pointer(pointer).unwrap_or_else(|| panic!("the reference {target} resolves"));
    }
    panic!("a reference cycle at {value}")
}

/// Where `value` breaks `schema`, each problem with its JSON path; empty when valid.
fn violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    validate(doc, schema, value, "$", &mut out);
    out
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    let map = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => return out.push(format!("{at}: nothing is allowed here")),
        Value::Object(map) => map,
        other => return out.push(format!("{at}: the schema {other} is not a schema")),
    };
    if let Some(types) = map.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let found = type_name(value);
        if !allowed.iter().any(|t| *t == found || (*t == "number" && found == "integer")) {
            return out.push(format!("{at}: is {found}, not {}", allowed.join(" or ")));
        }
    }
    if let Some(options) = map.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {}", Value::Array(options.clone())));
    }
    if let Some(expected) = map.get("const")
        && expected != value
    {
        out.push(format!("{at}: is {value}, not {expected}"));
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = map.get("minimum").and_then(Value::as_f64)
            && number < min
        {
            out.push(format!("{at}: {value} is under the minimum {min}"));
        }
        if let Some(max) = map.get("maximum").and_then(Value::as_f64)
            && number > max
        {
            out.push(format!("{at}: {value} is over the maximum {max}"));
        }
    }
    if let Some(text) = value.as_str() {
        if let Some(min) = map.get("minLength").and_then(Value::as_u64)
            && (text.chars().count() as u64) < min
        {
            out.push(format!("{at}: {value} is shorter than {min}"));
        }
        let format_ok = match map.get("format").and_then(Value::as_str) {
            Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
            Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
            Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            _ => true,
        };
        if !format_ok {
            out.push(format!("{at}: {value} is not a {}", map["format"]));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = map.get("properties").and_then(Value::as_object);
        for name in map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                out.push(format!("{at}: `{name}` is required"));
            }
        }
        for (name, child) in object {
            let path = format!("{at}.{name}");
            match (properties.and_then(|p| p.get(name)), map.get("additionalProperties")) {
                (Some(schema), _) => validate(doc, schema, child, &path, out),
                (None, Some(extra)) => validate(doc, extra, child, &path, out),
                (None, None) => {}
            }
        }
    }
    if let Some(list) = value.as_array() {
        let prefix = map.get("prefixItems").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (i, child) in list.iter().enumerate() {
            let path = format!("{at}[{i}]");
            match (prefix.get(i), map.get("items")) {
                (Some(schema), _) => validate(doc, schema, child, &path, out),
                (None, Some(schema)) => validate(doc, schema, child, &path, out),
                (None, None) => {}
            }
        }
        let len = list.len() as u64;
        if map.get("minItems").and_then(Value::as_u64).is_some_and(|min| len < min) {
            out.push(format!("{at}: {len} items is too few"));
        }
        if map.get("maxItems").and_then(Value::as_u64).is_some_and(|max| len > max) {
            out.push(format!("{at}: {len} items is too many"));
        }
    }
    if let Some(branches) = map.get("oneOf").and_then(Value::as_array) {
        let results: Vec<Vec<String>> = branches.iter().map(|b| violations_at(doc, b, value, at)).collect();
        let matching = results.iter().filter(|r| r.is_empty()).count();
        if matching != 1 {
            out.push(format!("{at}: matches {matching} of the oneOf branches, not exactly one: {results:?}"));
        }
    }
    if let Some(branches) = map.get("anyOf").and_then(Value::as_array) {
        let results: Vec<Vec<String>> = branches.iter().map(|b| violations_at(doc, b, value, at)).collect();
        if results.iter().all(|r| !r.is_empty()) {
            out.push(format!("{at}: matches none of the anyOf branches: {results:?}"));
        }
    }
}

fn violations_at(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    validate(doc, schema, value, at, &mut out);
    out
}

#[test]
fn the_validator_refuses_what_a_schema_does_not_allow() {
    let doc = document();
    let item = json!({"$ref": "#/components/schemas/Item"});
    let good = json!({"id": "5eed0000-0000-4000-8000-000000000201", "parent": null, "serves": [],
                      "illustrative": false, "record": {"kind": "objective", "title": "Be safe"}});
    assert_eq!(violations(&doc, &item, &good), Vec::<String>::new());
    let cases = [
        ("a wrong type", json!({"serves": "none"})),
        ("a missing field", json!({"record": {"kind": "objective"}})),
        ("an unknown field", json!({"colour": "blue"})),
        (
            "a value outside the enum",
            json!({"record": {"kind": "milestone", "title": "x", "due": "2014-01-01",
                                                       "status": "sideways"}}),
        ),
        ("no oneOf branch", json!({"record": {"kind": "wish", "title": "x"}})),
        ("a bad date", json!({"record": {"kind": "milestone", "title": "x", "due": "31/12/2014"}})),
        ("a bad uuid", json!({"parent": "not-a-uuid"})),
    ];
    for (what, change) in cases {
        let mut bad = good.clone();
        for (key, value) in change.as_object().expect("an object") {
            bad[key] = value.clone();
        }
        assert!(!violations(&doc, &item, &bad).is_empty(), "{what} was accepted: {bad}");
    }
    let steps = json!({"$ref": "#/components/schemas/Process"});
    let evidence = json!({"on": "2014-01-20", "by": "OPCC", "note": "", "link": null, "version": null,
                          "panel_outcome": null});
    assert!(violations(&doc, &steps, &json!({"kind": "issue", "steps": [["draft_prepared", evidence]]})).is_empty());
    assert!(!violations(&doc, &steps, &json!({"kind": "issue", "steps": [["draft_prepared"]]})).is_empty());
    assert!(!violations(&doc, &steps, &json!({"kind": "issue", "steps": [[evidence, "draft_prepared"]]})).is_empty());
}

/// The demo as `pcplan demo` has it, in part: the plan and its versions, the variation
/// process of 2014 up to the Panel's report with its Panel meeting, the boards and Panel
/// members, the meeting's agenda paper, the two decisions, and the Panel's report with
/// its response reviewed.
async fn demo() -> TestApp {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let actor = Actor::system("test");
    let store = &app.store;
    for board in pcplan_demo::boards::boards() {
        if store.board(board.id).await.expect("read a board").is_none() {
            store.create_board(&actor, &board).await.expect("board");
        }
    }
    for member in pcplan_demo::boards::panel_members() {
        store.add_member(&actor, &member).await.expect("member");
    }
    let meeting = store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("the meeting");
    store.update_meeting(&actor, &pcplan_demo::boards::meeting_held_2014(&meeting)).await.expect("held");
    let paper = pcplan_store::NewPaper {
        id: pcplan_demo::boards::AGENDA_PAPER_2014,
        meeting_id: meeting.id,
        title: "Agenda",
        agenda_item: None,
        file_name: "agenda-2014-02-03.html",
        bytes: pcplan_demo::boards::AGENDA_HTML.as_bytes(),
        max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
    };
    store.upload_paper(&actor, &paper).await.expect("paper");
    store
        .publish_paper(
            &actor,
            paper.id,
            pcplan_demo::boards::agenda_published_at(),
            pcplan_demo::boards::AGENDA_PUBLISHED_ON,
        )
        .await
        .expect("published");
    for decision in pcplan_demo::decisions::decisions() {
        store.import_decision(&actor, &decision).await.expect("decision");
    }
    let report_id = pcplan_demo::report::REPORT_2014;
    let report =
        store.create_report(&actor, report_id, pcplan_demo::report::report_2014(), true).await.expect("report");
    for edit in pcplan_demo::report::response_edits_2014(&report) {
        store.edit_report(&actor, report_id, edit).await.expect("edit");
    }
    app
}

/// Checks a response against the document: its status is documented for the operation,
/// and its body is valid against that status's schema. Returns the body.
fn conforms(doc: &Value, method: &str, pattern: &str, response: &TestResponse) -> Value {
    let what = format!("{method} {pattern} ({})", response.status);
    let operation = &doc["paths"][pattern][method.to_lowercase()];
    assert!(operation.is_object(), "{what}: the document has the operation");
    let documented = resolve(doc, &operation["responses"][response.status.as_str()]);
    assert!(documented.is_object(), "{what}: the status is not documented; the body was {}", response.body);
    let Some(content) = documented.get("content") else {
        assert!(response.body.is_empty(), "{what}: documented without a body, but sent {}", response.body);
        return Value::Null;
    };
    let content_type = response.header("content-type").unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let schema = &content[media]["schema"];
    assert!(schema.is_object(), "{what}: {content_type} is not documented");
    if media != "application/json" {
        return Value::Null;
    }
    let body: Value = serde_json::from_str(&response.body).expect("a JSON body");
    let problems = violations(doc, schema, &body);
    assert!(problems.is_empty(), "{what}: the body breaks its schema:\n{}\n{}", problems.join("\n"), response.body);
    body
}

#[tokio::test]
async fn real_responses_of_the_demo_match_their_schemas() {
    use pcplan_demo::ids::{BODY, MEETING_2014, PLAN, VARIATION_2014};
    let doc = document();
    let app = demo().await;
    let cookie = app.signed_in(Role::Admin).await;
    let viewer = app.signed_in(Role::Viewer).await;
    let report = pcplan_demo::report::REPORT_2014;
    let board = pcplan_demo::boards::STRATEGIC_BOARD;
    let paper = pcplan_demo::boards::AGENDA_PAPER_2014;
    let reads = [
        ("/api/v1/bodies", "/api/v1/bodies".to_string()),
        ("/api/v1/bodies/{id}", format!("/api/v1/bodies/{BODY}")),
        ("/api/v1/bodies/{id}/boards", format!("/api/v1/bodies/{BODY}/boards")),
        ("/api/v1/bodies/{id}/meetings", format!("/api/v1/bodies/{BODY}/meetings")),
        ("/api/v1/bodies/{id}/clock-settings", format!("/api/v1/bodies/{BODY}/clock-settings")),
        ("/api/v1/bodies/{id}/decision-settings", format!("/api/v1/bodies/{BODY}/decision-settings")),
        ("/api/v1/boards/{id}", format!("/api/v1/boards/{}", pcplan_demo::boards::PANEL)),
        ("/api/v1/boards/{id}/meetings", format!("/api/v1/boards/{}/meetings", pcplan_demo::boards::PANEL)),
        ("/api/v1/boards/{id}/meetings", format!("/api/v1/boards/{board}/meetings")),
        ("/api/v1/meetings/{id}/record", format!("/api/v1/meetings/{MEETING_2014}/record")),
        ("/api/v1/plans", "/api/v1/plans".to_string()),
        ("/api/v1/plans/{id}", format!("/api/v1/plans/{PLAN}")),
        ("/api/v1/plans/{id}/versions", format!("/api/v1/plans/{PLAN}/versions")),
        ("/api/v1/plans/{id}/versions/{number}", format!("/api/v1/plans/{PLAN}/versions/4")),
        ("/api/v1/plans/{id}/diff", format!("/api/v1/plans/{PLAN}/diff?from=2&to=4")),
        ("/api/v1/plans/{id}/check", format!("/api/v1/plans/{PLAN}/check?version=1")),
        ("/api/v1/plans/{id}/export", format!("/api/v1/plans/{PLAN}/export")),
        ("/api/v1/plans/{id}/processes", format!("/api/v1/plans/{PLAN}/processes")),
        ("/api/v1/plans/{id}/processes/{process}", format!("/api/v1/plans/{PLAN}/processes/{VARIATION_2014}")),
        ("/api/v1/calendar/overrides", "/api/v1/calendar/overrides".to_string()),
        ("/api/v1/agenda", "/api/v1/agenda?today=2014-02-20".to_string()),
        ("/api/v1/decisions", "/api/v1/decisions".to_string()),
        ("/api/v1/decisions/{id}", format!("/api/v1/decisions/{}", pcplan_demo::decisions::DECISION_018_2013)),
        ("/api/v1/reports", "/api/v1/reports".to_string()),
        ("/api/v1/reports/{id}", format!("/api/v1/reports/{report}")),
        ("/api/v1/reports/{id}/response", format!("/api/v1/reports/{report}/response")),
        ("/api/v1/tracker", "/api/v1/tracker".to_string()),
        ("/api/v1/papers/{id}/content", format!("/api/v1/papers/{paper}/content")),
    ];
    for (pattern, path) in &reads {
        let response = app.get(path, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::OK, "GET {path}: {}", response.body);
        conforms(&doc, "GET", pattern, &response);
    }
    // Writes, through the API as a client would make them.
    let send = |method: Method, path: String, body: Value| {
        let app = &app;
        let cookie = cookie.clone();
        async move { app.send_json(method, &path, &body, Some(&cookie)).await }
    };
    let added = send(
        Method::POST,
        format!("/api/v1/plans/{PLAN}/items"),
        json!({"record": {"kind": "measure", "title": "Victim satisfaction", "definition": "Satisfied victims",
                          "unit": "%", "polarity": "higher_is_better", "baseline": {"value": 84.5, "period": "2012/13"},
                          "ambition": {"type": "target", "value": 90, "by": "2016-03-31"},
                          "frequency": "quarterly", "data_source": "Victim survey"}}),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    conforms(&doc, "POST", "/api/v1/plans/{id}/items", &added);
    let made =
        send(Method::POST, format!("/api/v1/plans/{PLAN}/versions"), json!({"kind": "draft", "label": "A draft"}))
            .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    conforms(&doc, "POST", "/api/v1/plans/{id}/versions", &made);
    let scheduled = send(
        Method::POST,
        format!("/api/v1/bodies/{BODY}/meetings"),
        json!({"title": "Police and Crime Panel", "held_on": "2014-06-14"}),
    )
    .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    conforms(&doc, "POST", "/api/v1/bodies/{id}/meetings", &scheduled);
    let uploaded = app
        .post_multipart(
            &format!("/api/v1/meetings/{MEETING_2014}/uploads"),
            &[
                ("title", None, b"Minutes".as_slice()),
                ("agenda_item", None, b"".as_slice()),
                ("file", Some("minutes.html"), b"<!DOCTYPE html><html><body><p>Minutes</p></body></html>".as_slice()),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    conforms(&doc, "POST", "/api/v1/meetings/{id}/uploads", &uploaded);
    let record = app.get(&format!("/api/v1/meetings/{MEETING_2014}/record"), Some(&cookie)).await;
    assert_eq!(
        conforms(&doc, "GET", "/api/v1/meetings/{id}/record", &record)["papers"][1]["timing"]["timing"],
        "draft"
    );
    let confidential = send(
        Method::POST,
        "/api/v1/decisions".to_string(),
        json!({"body_id": BODY, "drafted_on": "2014-03-03", "content": {
            "title": "Estate disposal", "confidentiality": {"kind": "confidential", "exemption": "Commercial"},
            "contact": {"name": "Chief Finance Officer"}, "executive_summary": "Sell a building.",
            "decision": "Sell it.", "decision_maker": {"office": "Commissioner", "holder": "Bob Jones"}}}),
    )
    .await;
    assert_eq!(confidential.status, StatusCode::CREATED, "{}", confidential.body);
    let id = conforms(&doc, "POST", "/api/v1/decisions", &confidential)["id"].as_str().expect("an id").to_string();
    let signed = send(
        Method::POST,
        format!("/api/v1/decisions/{id}/sign"),
        json!({"signed_by": "Bob Jones", "signed_on": "2014-03-04"}),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    conforms(&doc, "POST", "/api/v1/decisions/{id}/sign", &signed);
    let stub = app.get(&format!("/api/v1/decisions/{id}"), Some(&viewer)).await;
    assert_eq!(conforms(&doc, "GET", "/api/v1/decisions/{id}", &stub)["stub"], true);
    let public = app.get("/api/v1/public/decisions", None).await;
    assert_eq!(public.status, StatusCode::OK);
    conforms(&doc, "GET", "/api/v1/public/decisions", &public);
    let ensured = app.send_empty(Method::POST, "/api/v1/obligations/ensure", Some(&cookie)).await;
    assert_eq!(ensured.status, StatusCode::OK, "{}", ensured.body);
    let ensured = conforms(&doc, "POST", "/api/v1/obligations/ensure", &ensured);
    if let Some(obligation) = ensured[0]["id"].as_str() {
        let one = app.get(&format!("/api/v1/obligations/{obligation}"), Some(&cookie)).await;
        conforms(&doc, "GET", "/api/v1/obligations/{id}", &one);
    }
    let open = app.get("/api/v1/tracker", Some(&cookie)).await;
    let entry = conforms(&doc, "GET", "/api/v1/tracker", &open)[0]["entry"].as_u64().expect("an open entry");
    let tracked = send(
        Method::PUT,
        format!("/api/v1/reports/{report}/tracked/{entry}"),
        json!({"owner": {"officer": "Head of Finance"}, "due_on": "2014-03-31", "done": null}),
    )
    .await;
    assert_eq!(tracked.status, StatusCode::OK, "{}", tracked.body);
    conforms(&doc, "PUT", "/api/v1/reports/{id}/tracked/{entry}", &tracked);
    // Answering again clears the review; reviewing and publishing follow.
    let stored = app.get(&format!("/api/v1/reports/{report}"), Some(&cookie)).await;
    let first = conforms(&doc, "GET", "/api/v1/reports/{id}", &stored)["recommendations"][0]["entry"].clone();
    let answered = send(
        Method::PUT,
        format!("/api/v1/reports/{report}/answers/{first}"),
        json!({"stance": "partly_accepted", "reasons": "In part.", "changes": [pcplan_demo::ids::OBJ_CONFIDENCE]}),
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(conforms(&doc, "PUT", "/api/v1/reports/{id}/answers/{entry}", &answered)["state"], "drafting");
    let letter = send(
        Method::PUT,
        format!("/api/v1/reports/{report}/letter"),
        json!({"to": "The Chair", "salutation": "Dear Chair", "text": "Our response.", "signed": "Bob Jones"}),
    )
    .await;
    assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
    conforms(&doc, "PUT", "/api/v1/reports/{id}/letter", &letter);
    let reviewed = app.send_empty(Method::POST, &format!("/api/v1/reports/{report}/review"), Some(&cookie)).await;
    assert_eq!(reviewed.status, StatusCode::OK, "{}", reviewed.body);
    conforms(&doc, "POST", "/api/v1/reports/{id}/review", &reviewed);
    let published =
        send(Method::POST, format!("/api/v1/reports/{report}/publish"), json!({"published_on": "2014-02-21"})).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(conforms(&doc, "POST", "/api/v1/reports/{id}/publish", &published)["state"], "published");
    let again =
        send(Method::POST, format!("/api/v1/reports/{report}/publish"), json!({"published_on": "2014-02-21"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    conforms(&doc, "POST", "/api/v1/reports/{id}/publish", &again);
    let owner = send(Method::PUT, format!("/api/v1/owners/meeting:{MEETING_2014}:papers"), json!({"user": null})).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    conforms(&doc, "PUT", "/api/v1/owners/{key}", &owner);

    // The public routes, after the response was published.
    for (pattern, path) in [
        ("/api/v1/public/plan", "/api/v1/public/plan".to_string()),
        ("/api/v1/public/decisions", "/api/v1/public/decisions".to_string()),
        ("/api/v1/public/decisions/{number}", "/api/v1/public/decisions/018-2013".to_string()),
        ("/api/v1/public/reports", "/api/v1/public/reports".to_string()),
        ("/api/v1/public/reports/{id}", format!("/api/v1/public/reports/{report}")),
    ] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status, StatusCode::OK, "GET {path}: {}", response.body);
        conforms(&doc, "GET", pattern, &response);
    }

    // Errors, each in the one documented shape.
    let errors = [
        (Method::GET, "/api/v1/plans/{id}", "/api/v1/plans/not-an-id".to_string(), None, Some(&cookie)),
        (Method::GET, "/api/v1/plans/{id}", "/api/v1/plans/%FF".to_string(), None, Some(&cookie)),
        (
            Method::PUT,
            "/api/v1/owners/{key}",
            "/api/v1/owners/%FF".to_string(),
            Some(json!({"user": null})),
            Some(&cookie),
        ),
        (Method::GET, "/api/v1/plans/{id}", format!("/api/v1/plans/{BODY}"), None, Some(&cookie)),
        (Method::GET, "/api/v1/plans", "/api/v1/plans".to_string(), None, None),
        (Method::GET, "/api/v1/decisions", "/api/v1/decisions?from=yesterday".to_string(), None, Some(&cookie)),
        (Method::GET, "/api/v1/agenda", "/api/v1/agenda?today=tomorrow".to_string(), None, Some(&cookie)),
        (Method::GET, "/api/v1/public/decisions", "/api/v1/public/decisions?colour=red".to_string(), None, None),
        (Method::PUT, "/api/v1/plans/{id}", format!("/api/v1/plans/{PLAN}"), Some(json!({"title": 1})), Some(&cookie)),
        (Method::POST, "/api/v1/decisions", "/api/v1/decisions".to_string(), Some(json!({})), Some(&viewer)),
        (
            Method::DELETE,
            "/api/v1/plans/{id}/items/{item}",
            format!("/api/v1/plans/{PLAN}/items/{}", pcplan_demo::ids::OBJ_CONFIDENCE),
            None,
            Some(&cookie),
        ),
    ];
    for (method, pattern, path, body, who) in errors {
        let response = match body {
            Some(body) => app.send_json(method.clone(), &path, &body, who.map(String::as_str)).await,
            None => app.send_empty(method.clone(), &path, who.map(String::as_str)).await,
        };
        assert!(response.status.is_client_error(), "{method} {path}: {} {}", response.status, response.body);
        let body = conforms(&doc, method.as_str(), pattern, &response);
        assert!(body["error"]["code"].is_string(), "{method} {path}: {body}");
    }
    let not_multipart = send(Method::POST, format!("/api/v1/meetings/{MEETING_2014}/uploads"), json!({})).await;
    assert_eq!(not_multipart.status, StatusCode::BAD_REQUEST, "{}", not_multipart.body);
    conforms(&doc, "POST", "/api/v1/meetings/{id}/uploads", &not_multipart);
}
