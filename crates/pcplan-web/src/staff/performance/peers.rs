//! A body's peers for staff, `/staff/performance/peers`: the forces or areas it compares
//! its figures with (say, its most similar group of forces), each with its code, kind,
//! population and how many figures are stored for it; for editors, the form that adds a
//! peer or changes one (same code), and a remove button that takes the peer's figures
//! with it after saying how many.
//!
//! A peer's figures are entered on each measure's page (the area list offers the peers)
//! or imported from a spreadsheet with the peer's code or name in the area column
//! (`import.rs`); the measure page and the board performance report then set the whole
//! force area's figure beside them (`comparison.rs`).

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::peer::{Peer, PeerKind};
use pcplan_domain::{Body, BodyId};

use super::{BodyQuery, body_of, trail, with_body};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::staff::forms::{FieldErrors, FieldView, FormValues};
use crate::staff::{Crumb, can_edit, place_refusal, refusal, require_editor, see_other};
use crate::views::{Layout, render, render_with_status};

/// The page and the form that saves a peer.
pub const PATH: &str = "/staff/performance/peers";

/// The removal of a peer.
pub const REMOVE_PATH: &str = "/staff/performance/peers/remove";

/// The peers page of a body.
pub fn peers_path(body: BodyId) -> String {
    with_body(PATH, body)
}

/// One peer in the list.
pub struct PeerRow {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub population: String,
    pub note: String,
    /// Figures stored for it, all measures together.
    pub figures: usize,
}

#[derive(Template)]
#[template(path = "staff/performance_peers.html")]
pub struct PeersPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub body_id: String,
    pub areas: String,
    pub peers: Vec<PeerRow>,
    pub editable: bool,
    pub action: &'static str,
    pub remove_action: &'static str,
    pub fields: Vec<FieldView>,
    pub import_href: String,
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    notice: Option<String>,
    errors: FieldErrors,
    values: &FormValues,
) -> Result<PeersPage, PageError> {
    let peers = state.store.peers(body.id).await?;
    let observations = state.store.body_observations(body.id).await?;
    let rows = peers
        .iter()
        .map(|p| PeerRow {
            code: p.code.clone(),
            name: p.name.clone(),
            kind: p.kind.label(),
            population: p.population.map_or_else(|| String::from("Not known"), pcplan_domain::stats::group_thousands),
            note: p.note.clone(),
            figures: observations.iter().filter(|o| o.area_code == p.code).count(),
        })
        .collect();
    let mut values = values.clone();
    if values.get("kind").is_empty() {
        values.push("kind", PeerKind::Force.as_str());
    }
    let kinds = [PeerKind::Force, PeerKind::Area]
        .iter()
        .map(|k| {
            let hint = match k {
                PeerKind::Force => "Another police force area, compared with the whole of yours",
                PeerKind::Area => "A local authority area outside yours",
            };
            (k.as_str().to_string(), k.label().to_string(), hint.to_string())
        })
        .collect::<Vec<_>>();
    let fields = vec![
        FieldView::text(
            "code",
            "Code",
            "How figures name it in the area column: its ONS code (E23000021) or a short name without spaces \
             (nottinghamshire). Saving a code already listed changes that peer",
            &values,
            &errors,
        ),
        FieldView::text("name", "Name", "As pages show it, like Nottinghamshire Police", &values, &errors),
        FieldView::radios("kind", "What it is", "", &kinds, &values, &errors),
        FieldView::text(
            "population",
            "Residents (optional)",
            "Mid-year estimate or census figure, like 1,160,000; without it counts are compared as counts, not rates",
            &values,
            &errors,
        ),
        FieldView::text(
            "note",
            "Source or reason (optional)",
            "Where the peer and its population come from, like HMICFRS most similar group",
            &values,
            &errors,
        ),
    ];
    Ok(PeersPage {
        layout: user.layout("Peers").with_errors(!errors.is_empty()),
        crumbs: trail(body.id),
        notice,
        errors,
        body_name: body.name.clone(),
        body_id: body.id.to_string(),
        areas: crate::comparison::list_in_words(&body.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>()),
        peers: rows,
        editable: can_edit(&user.user),
        action: PATH,
        remove_action: REMOVE_PATH,
        fields,
        import_href: with_body(super::import::PATH, body.id),
    })
}

/// `GET /staff/performance/peers[?body=]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BodyQuery>,
) -> Result<Response, PageError> {
    let body = body_of(&state, query.body.as_deref()).await?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some(String::from("Peer saved")),
        Some("removed") => Some(String::from("Peer removed, with its figures")),
        _ => None,
    };
    render(&view(&state, &user, &body, notice, FieldErrors::default(), &FormValues::default()).await?)
}

/// Reads the form into a peer, with every problem the form itself can see beside its
/// field; the store checks the rest (`Peer::checked`).
fn read_peer(values: &FormValues, errors: &mut FieldErrors) -> Option<Peer> {
    let kind = PeerKind::parse(values.get("kind"));
    if kind.is_none() {
        errors.add("kind", "Choose whether the peer is a force or an area");
    }
    let population = match values.get("population").trim().replace(',', "") {
        text if text.is_empty() => None,
        text => match text.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(
                    "population",
                    format!(
                        "`{}` is not a whole number; enter the residents like 1,160,000",
                        values.get("population").trim()
                    ),
                );
                None
            }
        },
    };
    Some(Peer {
        code: values.get("code").to_string(),
        name: values.get("name").to_string(),
        kind: kind?,
        population,
        note: values.get("note").to_string(),
    })
    .filter(|_| errors.is_empty())
}

/// `POST /staff/performance/peers` (`body`, `code`, `name`, `kind`, `population`, `note`).
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    let mut errors = FieldErrors::default();
    if let Some(peer) = read_peer(&values, &mut errors) {
        match state.store.save_peer(&user.actor(), body.id, peer).await {
            Ok(_) => return Ok(see_other(&format!("{}&done=saved", peers_path(body.id)))),
            Err(error) => {
                place_refusal(&mut errors, refusal(error)?, &["code", "name", "kind", "population"], &[], "code")
            }
        }
    }
    let page = view(&state, &user, &body, None, errors, &values).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/peers/remove` (`body`, `code`): removes the peer and its
/// figures.
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    state.store.remove_peer(&user.actor(), body.id, values.get("code")).await?;
    Ok(see_other(&format!("{}&done=removed", peers_path(body.id))))
}
