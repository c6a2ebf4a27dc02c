//! Who may use which route: one table, [`RULES`], naming the access every route and
//! method of the application needs, and one middleware, [`enforce`], that applies it to
//! every request before any handler runs.
//!
//! # Roles and access
//!
//! An [`Access`] is what a route needs; [`Access::allows`] says which roles have it:
//!
//! | access | who |
//! |---|---|
//! | `Public` | everyone, signed in or not |
//! | `Staff` | every signed-in account: reads the staff pages and their files |
//! | `Deliver` | editors, approvers, administrators and the Chief Constable's liaison: figures, grades and progress on the plan's delivery |
//! | `Panel` | editors, approvers, administrators and Panel officers: the Panel's reports and recommendations, boards, meetings and papers |
//! | `Edit` | editors, approvers and administrators: drafting and changing everything else |
//! | `Approve` | approvers and administrators: signing decisions and publishing (plan versions, papers, the response to the Panel, the annual report, consultations) |
//! | `Admin` | administrators: users, the audit log, settings |
//!
//! `HEAD` is checked as `GET`. A method a route has no rule for, where it has rules
//! for others (`PUT` on a read-only route, `TRACE`), is a 405 naming the methods it
//! has rules for in `Allow`, as the router answers a method it does not route; the
//! request is refused either way. A route with no rule at all is refused to everyone
//! (fail closed) and logged, and `tests/permissions.rs` reads every route out of the router
//! and fails when one has no rule, or a rule has no route, so a new route cannot ship
//! without a decision about who may use it. The same test signs in as every role and
//! checks each route answers as the table says.
//!
//! # What the middleware does
//!
//! It runs after routing (a `route_layer`), so it knows the route's pattern
//! (`/staff/decisions/{id}/sign`, not the path asked for). For `Public` routes it does
//! nothing. Otherwise it looks the session up (once per request: the handler's
//! extractors reuse the answer) and refuses: no session is a redirect to the sign-in page
//! (a 401 JSON error under `/api/`); an account with a one-time password is sent to
//! replace it (every route but that page); a role without the access is a 403 page (a
//! 403 JSON error under `/api/`). Handlers still take `CurrentUser` for who is asking, and
//! decide what a role sees *within* a page they serve (the body of a confidential
//! decision, which buttons a page shows) with [`may`].

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::ALLOW;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pcplan_store::{Role, User};

use crate::AppState;

/// What a route needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    Public,
    Staff,
    Deliver,
    Panel,
    Edit,
    Approve,
    Admin,
}

impl Access {
    pub const ALL: [Access; 7] =
        [Access::Public, Access::Staff, Access::Deliver, Access::Panel, Access::Edit, Access::Approve, Access::Admin];

    /// Whether someone with `role` (`None`: not signed in) has this access.
    pub fn allows(self, role: Option<Role>) -> bool {
        let Some(role) = role else { return self == Access::Public };
        match self {
            Access::Public | Access::Staff => true,
            Access::Deliver => role.can_edit() || role == Role::Liaison,
            Access::Panel => role.can_edit() || role == Role::PanelOfficer,
            Access::Edit => role.can_edit(),
            Access::Approve => matches!(role, Role::Approver | Role::Admin),
            Access::Admin => role == Role::Admin,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Access::Public => "Public",
            Access::Staff => "Staff",
            Access::Deliver => "Deliver",
            Access::Panel => "Panel",
            Access::Edit => "Edit",
            Access::Approve => "Approve",
            Access::Admin => "Admin",
        }
    }
}

/// Whether `user` has `access`: for a handler deciding what to show on a page it serves.
pub fn may(user: Option<&User>, access: Access) -> bool {
    access.allows(user.map(|u| u.role))
}

/// One route and method, and the access it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn rule(method: &'static str, path: &'static str, access: Access) -> Rule {
    Rule { method, path, access }
}

const GET: &str = "GET";
const POST: &str = "POST";
const PUT: &str = "PUT";
const DELETE: &str = "DELETE";
use Access::{Admin, Approve, Deliver, Edit, Panel, Public, Staff};

/// Every route of the application with every method it answers, in path order.
pub const RULES: &[Rule] = &[
    rule(GET, "/", Public),
    rule(GET, "/accessibility", Public),
    rule(GET, "/account/calendar", Staff),
    rule(POST, "/account/calendar", Staff),
    rule(POST, "/account/calendar/revoke", Staff),
    rule(GET, "/account/password", Staff),
    rule(POST, "/account/password", Staff),
    rule(POST, "/account/sign-out-everywhere", Staff),
    rule(GET, "/annual-reports", Public),
    rule(GET, "/annual-reports/{year}", Public),
    rule(GET, "/annual-reports/{year}/report.docx", Public),
    rule(GET, "/annual-reports/{year}/report.pdf", Public),
    rule(GET, "/api/v1/agenda", Staff),
    rule(GET, "/api/v1/boards/{id}", Staff),
    rule(PUT, "/api/v1/boards/{id}", Panel),
    rule(GET, "/api/v1/boards/{id}/meetings", Staff),
    rule(POST, "/api/v1/boards/{id}/meetings", Panel),
    rule(POST, "/api/v1/boards/{id}/members", Panel),
    rule(GET, "/api/v1/bodies", Staff),
    rule(GET, "/api/v1/bodies/{id}", Staff),
    rule(GET, "/api/v1/bodies/{id}/boards", Staff),
    rule(POST, "/api/v1/bodies/{id}/boards", Panel),
    rule(GET, "/api/v1/bodies/{id}/clock-settings", Staff),
    rule(PUT, "/api/v1/bodies/{id}/clock-settings", Edit),
    rule(GET, "/api/v1/bodies/{id}/decision-settings", Staff),
    rule(PUT, "/api/v1/bodies/{id}/decision-settings", Edit),
    rule(GET, "/api/v1/bodies/{id}/meetings", Staff),
    rule(POST, "/api/v1/bodies/{id}/meetings", Panel),
    rule(GET, "/api/v1/calendar/overrides", Staff),
    rule(POST, "/api/v1/calendar/overrides", Edit),
    rule(DELETE, "/api/v1/calendar/overrides/{date}", Edit),
    rule(GET, "/api/v1/decisions", Staff),
    rule(POST, "/api/v1/decisions", Edit),
    rule(GET, "/api/v1/decisions/{id}", Staff),
    rule(PUT, "/api/v1/decisions/{id}", Edit),
    rule(POST, "/api/v1/decisions/{id}/corrections", Approve),
    rule(POST, "/api/v1/decisions/{id}/sign", Approve),
    rule(POST, "/api/v1/decisions/{id}/withdraw", Approve),
    rule(POST, "/api/v1/meetings/{id}/papers", Panel),
    rule(GET, "/api/v1/meetings/{id}/record", Staff),
    rule(PUT, "/api/v1/meetings/{id}/record", Panel),
    rule(POST, "/api/v1/meetings/{id}/uploads", Panel),
    rule(PUT, "/api/v1/members/{id}", Panel),
    rule(POST, "/api/v1/obligations/ensure", Edit),
    rule(GET, "/api/v1/obligations/{id}", Staff),
    rule(POST, "/api/v1/obligations/{id}/completion", Edit),
    rule(GET, "/api/v1/openapi.json", Public),
    rule(PUT, "/api/v1/owners/{key}", Edit),
    rule(GET, "/api/v1/papers/{id}/content", Staff),
    rule(POST, "/api/v1/papers/{id}/publish", Approve),
    rule(POST, "/api/v1/papers/{id}/withdraw", Approve),
    rule(GET, "/api/v1/plans", Staff),
    rule(GET, "/api/v1/plans/{id}", Staff),
    rule(PUT, "/api/v1/plans/{id}", Edit),
    rule(GET, "/api/v1/plans/{id}/check", Staff),
    rule(GET, "/api/v1/plans/{id}/diff", Staff),
    rule(GET, "/api/v1/plans/{id}/export", Staff),
    rule(POST, "/api/v1/plans/{id}/items", Edit),
    rule(DELETE, "/api/v1/plans/{id}/items/{item}", Edit),
    rule(PUT, "/api/v1/plans/{id}/items/{item}", Edit),
    rule(POST, "/api/v1/plans/{id}/items/{item}/move", Edit),
    rule(GET, "/api/v1/plans/{id}/processes", Staff),
    rule(POST, "/api/v1/plans/{id}/processes", Edit),
    rule(GET, "/api/v1/plans/{id}/processes/{process}", Staff),
    rule(POST, "/api/v1/plans/{id}/processes/{process}/steps", Edit),
    rule(GET, "/api/v1/plans/{id}/versions", Staff),
    rule(POST, "/api/v1/plans/{id}/versions", Approve),
    rule(GET, "/api/v1/plans/{id}/versions/{number}", Staff),
    rule(GET, "/api/v1/public/decisions", Public),
    rule(GET, "/api/v1/public/decisions/{number}", Public),
    rule(GET, "/api/v1/public/plan", Public),
    rule(GET, "/api/v1/public/reports", Public),
    rule(GET, "/api/v1/public/reports/{id}", Public),
    rule(GET, "/api/v1/reports", Staff),
    rule(POST, "/api/v1/reports", Panel),
    rule(GET, "/api/v1/reports/{id}", Staff),
    rule(PUT, "/api/v1/reports/{id}", Panel),
    rule(PUT, "/api/v1/reports/{id}/answers/{entry}", Edit),
    rule(PUT, "/api/v1/reports/{id}/letter", Edit),
    rule(POST, "/api/v1/reports/{id}/publish", Approve),
    rule(GET, "/api/v1/reports/{id}/response", Staff),
    rule(POST, "/api/v1/reports/{id}/review", Approve),
    rule(PUT, "/api/v1/reports/{id}/tracked/{entry}", Panel),
    rule(GET, "/api/v1/tracker", Staff),
    rule(GET, "/assets/{name}", Public),
    rule(GET, "/bodies/{body}", Public),
    rule(GET, "/bodies/{body}/annual-reports/{year}", Public),
    rule(GET, "/bodies/{body}/annual-reports/{year}/report.docx", Public),
    rule(GET, "/bodies/{body}/annual-reports/{year}/report.pdf", Public),
    rule(GET, "/bodies/{body}/open-data", Public),
    rule(GET, "/bodies/{body}/open-data.zip", Public),
    rule(GET, "/bodies/{body}/open-data/{file}", Public),
    rule(GET, "/bodies/{body}/plan", Public),
    rule(GET, "/bodies/{body}/plan/areas/{code}", Public),
    rule(GET, "/bodies/{body}/plan/versions.atom", Public),
    rule(GET, "/bodies/{body}/plan/versions/{number}", Public),
    rule(GET, "/bodies/{body}/plan/versions/{number}/workbook.xlsx", Public),
    rule(GET, "/bodies/{body}/plan/versions/{number}/{file}", Public),
    rule(GET, "/bodies/{body}/transparency", Public),
    rule(GET, "/bodies/{id}/deadlines.ics", Public),
    rule(GET, "/consultations", Public),
    rule(GET, "/consultations/{slug}", Public),
    rule(GET, "/consultations/{slug}/respond", Public),
    rule(POST, "/consultations/{slug}/respond", Public),
    rule(GET, "/consultations/{slug}/you-said-we-did", Public),
    rule(GET, "/deadlines.ics", Public),
    rule(GET, "/decisions", Public),
    rule(GET, "/decisions.atom", Public),
    rule(GET, "/decisions/{number}", Public),
    rule(GET, "/decisions/{number}/notice.pdf", Public),
    rule(GET, "/favicon.ico", Public),
    rule(GET, "/feeds/{token}/deadlines.ics", Public),
    rule(GET, "/meetings", Public),
    rule(GET, "/meetings/{id}", Public),
    rule(GET, "/open-data", Public),
    rule(GET, "/open-data.zip", Public),
    rule(GET, "/open-data/{file}", Public),
    rule(GET, "/papers.atom", Public),
    rule(GET, "/papers/{id}", Public),
    rule(GET, "/plan", Public),
    rule(GET, "/plan/areas/{code}", Public),
    rule(GET, "/plan/versions.atom", Public),
    rule(GET, "/plan/versions/{number}", Public),
    rule(GET, "/plan/versions/{number}/workbook.xlsx", Public),
    rule(GET, "/plan/versions/{number}/{file}", Public),
    rule(GET, "/reports", Public),
    rule(GET, "/reports/{id}", Public),
    rule(GET, "/reports/{id}/response", Public),
    rule(GET, "/reports/{id}/response.docx", Public),
    rule(GET, "/reports/{id}/response.pdf", Public),
    rule(GET, "/search", Public),
    rule(GET, "/sign-in", Public),
    rule(POST, "/sign-in", Public),
    rule(GET, "/sign-in/oidc", Public),
    rule(GET, "/sign-in/oidc/callback", Public),
    rule(POST, "/sign-out", Public),
    rule(GET, "/staff", Staff),
    rule(GET, "/staff/annual-reports", Staff),
    rule(POST, "/staff/annual-reports", Edit),
    rule(GET, "/staff/annual-reports/{id}", Staff),
    rule(POST, "/staff/annual-reports/{id}", Edit),
    rule(POST, "/staff/annual-reports/{id}/issue", Approve),
    rule(POST, "/staff/annual-reports/{id}/publish", Approve),
    rule(POST, "/staff/annual-reports/{id}/refresh", Edit),
    rule(GET, "/staff/annual-reports/{id}/report.docx", Staff),
    rule(GET, "/staff/annual-reports/{id}/report.pdf", Staff),
    rule(GET, "/staff/audit", Admin),
    rule(GET, "/staff/boards", Staff),
    rule(POST, "/staff/boards", Panel),
    rule(GET, "/staff/boards/{board}", Staff),
    rule(POST, "/staff/boards/{board}", Panel),
    rule(POST, "/staff/boards/{board}/meetings", Panel),
    rule(POST, "/staff/boards/{board}/members", Panel),
    rule(GET, "/staff/bodies/{body}/settings", Staff),
    rule(POST, "/staff/bodies/{body}/settings", Edit),
    rule(GET, "/staff/calendar", Staff),
    rule(POST, "/staff/calendar/overrides", Edit),
    rule(POST, "/staff/calendar/overrides/{date}/delete", Edit),
    rule(GET, "/staff/compliance", Staff),
    rule(POST, "/staff/compliance/obligations", Edit),
    rule(GET, "/staff/consultations", Staff),
    rule(POST, "/staff/consultations", Edit),
    rule(GET, "/staff/consultations/{id}", Staff),
    rule(GET, "/staff/consultations/{id}/edit", Edit),
    rule(POST, "/staff/consultations/{id}/edit", Edit),
    rule(POST, "/staff/consultations/{id}/events", Edit),
    rule(GET, "/staff/consultations/{id}/events/new", Edit),
    rule(GET, "/staff/consultations/{id}/events/{event}", Edit),
    rule(POST, "/staff/consultations/{id}/events/{event}", Edit),
    rule(GET, "/staff/consultations/{id}/import", Staff),
    rule(POST, "/staff/consultations/{id}/import", Edit),
    rule(GET, "/staff/consultations/{id}/import/jobs/{job}", Staff),
    rule(GET, "/staff/consultations/{id}/import/{token}", Edit),
    rule(POST, "/staff/consultations/{id}/import/{token}", Edit),
    rule(GET, "/staff/consultations/{id}/import/{token}/bad-rows.csv", Edit),
    rule(GET, "/staff/consultations/{id}/import/{token}/check", Edit),
    rule(POST, "/staff/consultations/{id}/public", Approve),
    rule(GET, "/staff/consultations/{id}/publish", Staff),
    rule(POST, "/staff/consultations/{id}/publish", Approve),
    rule(POST, "/staff/consultations/{id}/publish/withdraw", Approve),
    rule(POST, "/staff/consultations/{id}/questions", Edit),
    rule(GET, "/staff/consultations/{id}/questions/new", Edit),
    rule(GET, "/staff/consultations/{id}/questions/{question}", Edit),
    rule(POST, "/staff/consultations/{id}/questions/{question}", Edit),
    rule(POST, "/staff/consultations/{id}/questions/{question}/analyse", Edit),
    rule(GET, "/staff/consultations/{id}/questions/{question}/remove", Edit),
    rule(POST, "/staff/consultations/{id}/questions/{question}/remove", Edit),
    rule(GET, "/staff/consultations/{id}/representation", Staff),
    rule(POST, "/staff/consultations/{id}/representation", Edit),
    rule(GET, "/staff/consultations/{id}/responses", Staff),
    rule(POST, "/staff/consultations/{id}/responses", Edit),
    rule(GET, "/staff/consultations/{id}/responses/new", Edit),
    rule(GET, "/staff/dates", Staff),
    rule(GET, "/staff/decisions", Staff),
    rule(POST, "/staff/decisions", Edit),
    rule(GET, "/staff/decisions/new", Edit),
    rule(POST, "/staff/decisions/settings", Edit),
    rule(GET, "/staff/decisions/{id}", Staff),
    rule(POST, "/staff/decisions/{id}/corrections", Approve),
    rule(GET, "/staff/decisions/{id}/edit", Edit),
    rule(POST, "/staff/decisions/{id}/edit", Edit),
    rule(GET, "/staff/decisions/{id}/notice.pdf", Staff),
    rule(POST, "/staff/decisions/{id}/sign", Approve),
    rule(POST, "/staff/decisions/{id}/withdraw", Approve),
    rule(GET, "/staff/meetings", Staff),
    rule(POST, "/staff/meetings", Panel),
    rule(GET, "/staff/meetings/{meeting}", Staff),
    rule(POST, "/staff/meetings/{meeting}/agenda", Panel),
    rule(GET, "/staff/meetings/{meeting}/agenda/{number}", Panel),
    rule(POST, "/staff/meetings/{meeting}/agenda/{number}", Panel),
    rule(GET, "/staff/meetings/{meeting}/agenda/{number}/remove", Staff),
    rule(POST, "/staff/meetings/{meeting}/agenda/{number}/remove", Panel),
    rule(POST, "/staff/meetings/{meeting}/attendance", Panel),
    rule(POST, "/staff/meetings/{meeting}/attendance/all", Panel),
    rule(POST, "/staff/meetings/{meeting}/details", Panel),
    rule(POST, "/staff/meetings/{meeting}/minutes", Panel),
    rule(POST, "/staff/meetings/{meeting}/papers", Panel),
    rule(POST, "/staff/meetings/{meeting}/uploads", Panel),
    rule(GET, "/staff/members/{member}", Staff),
    rule(POST, "/staff/members/{member}", Panel),
    rule(POST, "/staff/members/{member}/interests", Panel),
    rule(GET, "/staff/obligations/{id}", Staff),
    rule(POST, "/staff/obligations/{id}", Edit),
    rule(POST, "/staff/owners", Edit),
    rule(GET, "/staff/papers/{paper}", Staff),
    rule(POST, "/staff/papers/{paper}/publish", Approve),
    rule(POST, "/staff/papers/{paper}/withdraw", Approve),
    rule(GET, "/staff/performance", Staff),
    rule(GET, "/staff/performance/crime", Staff),
    rule(POST, "/staff/performance/crime", Deliver),
    rule(POST, "/staff/performance/crime/lookup", Deliver),
    rule(GET, "/staff/performance/import", Staff),
    rule(POST, "/staff/performance/import", Deliver),
    rule(POST, "/staff/performance/import/confirm", Deliver),
    rule(GET, "/staff/performance/import/template.csv", Staff),
    rule(GET, "/staff/performance/items/{item}/status", Staff),
    rule(POST, "/staff/performance/items/{item}/status", Deliver),
    rule(GET, "/staff/performance/measures/{item}", Staff),
    rule(POST, "/staff/performance/measures/{item}/feed", Edit),
    rule(POST, "/staff/performance/measures/{item}/grades", Deliver),
    rule(POST, "/staff/performance/measures/{item}/observations", Deliver),
    rule(POST, "/staff/performance/measures/{item}/observations/delete", Deliver),
    rule(GET, "/staff/performance/peers", Staff),
    rule(POST, "/staff/performance/peers", Edit),
    rule(POST, "/staff/performance/peers/remove", Edit),
    rule(GET, "/staff/performance/report", Staff),
    rule(GET, "/staff/performance/report.pdf", Staff),
    rule(POST, "/staff/performance/report/attach", Edit),
    rule(GET, "/staff/performance/scales", Staff),
    rule(POST, "/staff/performance/scales", Edit),
    rule(POST, "/staff/performance/scales/remove", Edit),
    rule(GET, "/staff/performance/workbook.xlsx", Staff),
    rule(GET, "/staff/plans/{plan}", Staff),
    rule(GET, "/staff/plans/{plan}/check", Staff),
    rule(GET, "/staff/plans/{plan}/diff", Staff),
    rule(GET, "/staff/plans/{plan}/diff.pdf", Staff),
    rule(GET, "/staff/plans/{plan}/diff/print", Staff),
    rule(GET, "/staff/plans/{plan}/header", Staff),
    rule(POST, "/staff/plans/{plan}/header", Edit),
    rule(POST, "/staff/plans/{plan}/items", Edit),
    rule(GET, "/staff/plans/{plan}/items/new", Staff),
    rule(GET, "/staff/plans/{plan}/items/{item}", Staff),
    rule(POST, "/staff/plans/{plan}/items/{item}", Edit),
    rule(GET, "/staff/plans/{plan}/items/{item}/delete", Staff),
    rule(POST, "/staff/plans/{plan}/items/{item}/delete", Edit),
    rule(POST, "/staff/plans/{plan}/items/{item}/move", Edit),
    rule(GET, "/staff/plans/{plan}/processes", Staff),
    rule(POST, "/staff/plans/{plan}/processes", Edit),
    rule(GET, "/staff/plans/{plan}/processes/{process}", Staff),
    rule(POST, "/staff/plans/{plan}/processes/{process}/steps", Edit),
    rule(GET, "/staff/plans/{plan}/versions", Staff),
    rule(POST, "/staff/plans/{plan}/versions", Approve),
    rule(GET, "/staff/plans/{plan}/versions/{number}", Staff),
    rule(GET, "/staff/plans/{plan}/versions/{number}/{file}", Staff),
    rule(GET, "/staff/reminders", Staff),
    rule(GET, "/staff/reports", Staff),
    rule(POST, "/staff/reports", Panel),
    rule(GET, "/staff/reports/new", Panel),
    rule(GET, "/staff/reports/{id}", Staff),
    rule(POST, "/staff/reports/{id}", Panel),
    rule(GET, "/staff/reports/{id}/answers/{part}", Edit),
    rule(POST, "/staff/reports/{id}/answers/{part}", Edit),
    rule(GET, "/staff/reports/{id}/details", Panel),
    rule(GET, "/staff/reports/{id}/document", Staff),
    rule(GET, "/staff/reports/{id}/document.docx", Staff),
    rule(GET, "/staff/reports/{id}/document.pdf", Staff),
    rule(GET, "/staff/reports/{id}/entries/{part}", Panel),
    rule(POST, "/staff/reports/{id}/entries/{part}", Panel),
    rule(POST, "/staff/reports/{id}/entries/{part}/delete", Panel),
    rule(POST, "/staff/reports/{id}/entries/{part}/move", Panel),
    rule(GET, "/staff/reports/{id}/letter", Edit),
    rule(POST, "/staff/reports/{id}/letter", Edit),
    rule(POST, "/staff/reports/{id}/publish", Approve),
    rule(GET, "/staff/reports/{id}/response", Staff),
    rule(POST, "/staff/reports/{id}/review", Approve),
    rule(POST, "/staff/reports/{id}/sections", Panel),
    rule(GET, "/staff/reports/{id}/sections/new", Panel),
    rule(GET, "/staff/reports/{id}/sections/{part}", Panel),
    rule(POST, "/staff/reports/{id}/sections/{part}", Panel),
    rule(POST, "/staff/reports/{id}/sections/{part}/delete", Panel),
    rule(POST, "/staff/reports/{id}/sections/{part}/entries", Panel),
    rule(GET, "/staff/reports/{id}/sections/{part}/entries/new", Panel),
    rule(POST, "/staff/reports/{id}/sections/{part}/move", Panel),
    rule(GET, "/staff/reports/{id}/tracked/{part}", Panel),
    rule(POST, "/staff/reports/{id}/tracked/{part}", Panel),
    rule(GET, "/staff/responses/{id}", Staff),
    rule(GET, "/staff/search", Staff),
    rule(GET, "/staff/settings", Staff),
    rule(GET, "/staff/theme-sets/{id}", Staff),
    rule(GET, "/staff/theme-sets/{id}/discard", Edit),
    rule(POST, "/staff/theme-sets/{id}/discard", Edit),
    rule(POST, "/staff/theme-sets/{id}/draft", Edit),
    rule(GET, "/staff/theme-sets/{id}/final", Edit),
    rule(POST, "/staff/theme-sets/{id}/final", Edit),
    rule(GET, "/staff/theme-sets/{id}/other", Staff),
    rule(POST, "/staff/theme-sets/{id}/other", Edit),
    rule(GET, "/staff/themes/{id}", Staff),
    rule(GET, "/staff/themes/{id}/delete", Edit),
    rule(POST, "/staff/themes/{id}/delete", Edit),
    rule(POST, "/staff/themes/{id}/merge", Edit),
    rule(POST, "/staff/themes/{id}/move", Edit),
    rule(POST, "/staff/themes/{id}/outcome", Edit),
    rule(POST, "/staff/themes/{id}/rename", Edit),
    rule(POST, "/staff/themes/{id}/split", Edit),
    rule(GET, "/staff/tracker", Staff),
    rule(GET, "/staff/transparency", Staff),
    rule(POST, "/staff/transparency/publications", Edit),
    rule(POST, "/staff/transparency/publications/remove", Edit),
    rule(GET, "/staff/users", Admin),
    rule(POST, "/staff/users", Admin),
    rule(POST, "/staff/users/{user}/active", Admin),
    rule(POST, "/staff/users/{user}/email", Admin),
    rule(POST, "/staff/users/{user}/password", Admin),
    rule(POST, "/staff/users/{user}/role", Admin),
    rule(POST, "/staff/users/{user}/unlock", Admin),
    rule(GET, "/transparency", Public),
];

/// The access a route needs, by its pattern and method (`HEAD` as `GET`); `None` when the
/// table has no rule for it.
pub fn rule_for(method: &Method, path: &str) -> Option<Access> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    BY_ROUTE.get(&(method, path)).copied()
}

/// The access a concrete path (`/staff/decisions/12/sign`, a form's action) needs, found
/// as the router would: among the rules for the method whose pattern has as many segments,
/// the one with the most literal segments that match. `None` when no rule matches. For
/// tests and checks of what a page offers; requests use [`rule_for`] on the matched route.
pub fn access_for_path(method: &str, path: &str) -> Option<Access> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    let literal_matches = |pattern: &str| -> Option<usize> {
        let parts: Vec<&str> = pattern.split('/').collect();
        if parts.len() != segments.len() {
            return None;
        }
        let mut literal = 0;
        for (part, segment) in parts.iter().zip(&segments) {
            if part.starts_with('{') {
                if segment.is_empty() {
                    return None;
                }
            } else if part != segment {
                return None;
            } else {
                literal += 1;
            }
        }
        Some(literal)
    };
    let method = if method.eq_ignore_ascii_case("HEAD") { "GET" } else { method };
    RULES
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method))
        .filter_map(|r| literal_matches(r.path).map(|n| (n, r.access)))
        .max_by_key(|(n, _)| *n)
        .map(|(_, access)| access)
}

/// The methods the rules give a route pattern, as an `Allow` header value (`GET,HEAD,PUT`;
/// `HEAD` wherever `GET` is); `None` when no rule names the pattern.
fn allowed_methods(pattern: &str) -> Option<HeaderValue> {
    let mut methods: Vec<&str> = Vec::new();
    for rule in RULES.iter().filter(|r| r.path == pattern) {
        methods.push(rule.method);
        if rule.method == GET {
            methods.push("HEAD");
        }
    }
    if methods.is_empty() {
        return None;
    }
    HeaderValue::from_str(&methods.join(",")).ok()
}

/// [`RULES`] keyed by method and pattern, built once: every request looks its route up.
static BY_ROUTE: LazyLock<HashMap<(&'static str, &'static str), Access>> =
    LazyLock::new(|| RULES.iter().map(|r| ((r.method, r.path), r.access)).collect());

/// The access the middleware found for the request's route, left in the request's
/// extensions for the handler's extractors (see `auth::CurrentUser`).
#[derive(Clone, Copy, Debug)]
pub struct RouteAccess(pub Access);

/// The middleware: refuses a request whose route needs an access the asker lacks. See
/// the module's documentation.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let access = match pattern.as_deref() {
        Some(pattern) => rule_for(request.method(), pattern),
        None => None,
    };
    let Some(access) = access else {
        // A method the route does not answer is the client's mistake, not a route left
        // without a rule: the 405 the router would give, before anything else, and no
        // error in the log. Before this, schemathesis's `TRACE /api/v1/public/plan` got a
        // 403 and an error line claiming the route had no rule.
        if let Some(allow) = pattern.as_deref().and_then(allowed_methods) {
            return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, allow)]).into_response();
        }
        tracing::error!(method = %request.method(), route = ?pattern, "no permission rule for this route; refused");
        let (parts, _) = request.into_parts();
        return crate::auth::forbidden(&parts);
    };
    if access == Access::Public {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(RouteAccess(access));
    let user = match crate::auth::resolve(&mut parts, &state).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match user {
        None => crate::auth::unauthenticated(&parts),
        // A one-time password must be replaced before anything else, whatever the role.
        Some(user) if user.must_change_password && pattern.as_deref() != Some(crate::account::CHANGE_PASSWORD) => {
            crate::auth::password_change_required(&parts)
        }
        Some(user) if !access.allows(Some(user.role)) => crate::auth::forbidden(&parts),
        Some(_) => next.run(Request::from_parts(parts, body)).await,
    }
}

/// The table as Markdown, one row per route, for `docs/security.md` (a test keeps the
/// two the same).
pub fn markdown() -> String {
    let mut out = String::from("| method | route | access |\n|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!("| {} | `{}` | {} |\n", rule.method, rule.path, rule.access.name()));
    }
    out
}

/// Which roles have each access, as Markdown, for `docs/security.md`.
pub fn roles_markdown() -> String {
    let mut out = String::from("| access | anonymous |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.label()));
    }
    out.push_str("\n|---|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for access in Access::ALL {
        let mark = |yes: bool| if yes { "yes" } else { "no" };
        out.push_str(&format!("| {} | {} |", access.name(), mark(access.allows(None))));
        for role in Role::ALL {
            out.push_str(&format!(" {} |", mark(access.allows(Some(role)))));
        }
        out.push('\n');
    }
    out
}
