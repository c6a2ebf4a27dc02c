//! A body's peers, the forces or areas it compares its figures with, as stored.
//!
//! A peer is added or changed whole ([`Store::save_peer`]) after `Peer::checked`; its
//! figures are the body's observations whose area is the peer's code, entered and
//! imported like any other. Removing a peer removes its figures in the same transaction,
//! so no figure is left naming a place the body no longer compares itself with; the audit
//! entry records the peer and how many figures went with it.

use pcplan_domain::BodyId;
use pcplan_domain::peer::{Peer, PeerKind};

use crate::audit::{self, Actor, Change};
use crate::db::{Tx, now, on_tx, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans};

type PeerRow = (String, String, String, Option<i64>, String);
type FigureRow = (String, String, f64, Option<i64>, Option<i64>, String, String);

async fn load_peers(tx: &mut Tx, body: BodyId) -> Result<Vec<Peer>> {
    let rows: Vec<PeerRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT code, name, kind, population, note FROM peers WHERE body_id = $1 ORDER BY name, code")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(code, name, kind, population, note)| {
            let kind = PeerKind::parse(&kind)
                .ok_or_else(|| corrupt(format!("kind of peer {code}"), format!("`{kind}` is not force or area")))?;
            let population = population
                .map(u64::try_from)
                .transpose()
                .map_err(|e| corrupt(format!("population of peer {code}"), e))?;
            Ok(Peer { code, name, kind, population, note })
        })
        .collect()
}

impl Store {
    /// The body's peers, by name.
    pub async fn peers(&self, body: BodyId) -> Result<Vec<Peer>> {
        let mut tx = self.db.begin_read().await?;
        let peers = load_peers(&mut tx, body).await?;
        tx.commit().await?;
        Ok(peers)
    }

    /// Adds a peer, or changes the one with the same code; checked against the body's
    /// areas first. Saving a peer unchanged writes nothing.
    pub async fn save_peer(&self, actor: &Actor, body: BodyId, peer: Peer) -> Result<Peer> {
        let mut tx = self.db.begin().await?;
        let Some(found) = plans::load_body(&mut tx, body).await? else {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        };
        let peer = peer.checked(&found)?;
        let before = load_peers(&mut tx, body).await?.into_iter().find(|p| p.code == peer.code);
        if before.as_ref() == Some(&peer) {
            tx.commit().await?;
            return Ok(peer);
        }
        let population = peer.population.map(i64::try_from).transpose().map_err(|_| {
            StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![pcplan_domain::clock::FieldProblem::new(
                "population",
                "the population is too large; enter the number of residents",
            )]))
        })?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO peers (body_id, code, name, kind, population, note, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (body_id, code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
             population = excluded.population, note = excluded.note")
            .bind(body.to_string()).bind(&peer.code).bind(&peer.name).bind(peer.kind.as_str()).bind(population)
            .bind(&peer.note).bind(&actor.name).bind(timestamp(now()))
            .execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: if before.is_some() { "update" } else { "add" },
                entity: "peer",
                entity_id: format!("{body} {}", peer.code),
                before: before.map(|p| serde_json::json!(p)),
                after: Some(serde_json::json!(peer)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(peer)
    }

    /// Removes a peer with all of its figures; returns how many figures went with it.
    pub async fn remove_peer(&self, actor: &Actor, body: BodyId, code: &str) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        let Some(peer) = load_peers(&mut tx, body).await?.into_iter().find(|p| p.code == code) else {
            return Err(StoreError::NotFound { what: format!("peer `{code}` of body {body}") });
        };
        // The figures removed go into the audit entry whole, so a removal can be undone.
        let removed: Vec<FigureRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT measure_id, period, value, numerator, denominator, source, note FROM observations \
             WHERE body_id = $1 AND area_code = $2 ORDER BY measure_id, period_start")
            .bind(body.to_string()).bind(code).fetch_all(&mut *c).await?);
        let figures = on_tx!(&mut tx, c => sqlx::query("DELETE FROM observations WHERE body_id = $1 AND area_code = $2")
            .bind(body.to_string()).bind(code).execute(&mut *c).await?.rows_affected());
        let removed: Vec<serde_json::Value> = removed
            .into_iter()
            .map(|(measure, period, value, numerator, denominator, source, note)| {
                serde_json::json!({
                    "measure": measure, "period": period, "value": value, "numerator": numerator,
                    "denominator": denominator, "source": source, "note": note,
                })
            })
            .collect();
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM peers WHERE body_id = $1 AND code = $2")
            .bind(body.to_string()).bind(code).execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "remove",
                entity: "peer",
                entity_id: format!("{body} {code}"),
                before: Some(serde_json::json!({ "peer": peer, "figures": removed })),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(figures)
    }
}
