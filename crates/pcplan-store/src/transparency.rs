//! A body's transparency log, as stored: each publication, made outside pcplan, of a
//! duty on the transparency checklist (`pcplan_domain::transparency`).
//!
//! A publication is recorded after `NewPublication::checked`, in one transaction with
//! its audit entry; a mistaken one is removed the same way, the audit entry keeping it
//! whole. Records are never edited in place: a correction is a removal and a new
//! record, so the log reads as what was claimed and when. This module does not decide
//! what is due: the domain does, from the dates read here.

use chrono::NaiveDate;
use pcplan_domain::transparency::{NewPublication, Publication};
use pcplan_domain::{BodyId, PublicationId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, now, on_tx, parse_date, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans};

type PublicationRow = (String, String, String, String, String, String, String, String);

fn parse((id, body, duty, on, url, note, by, at): PublicationRow) -> Result<Publication> {
    Ok(Publication {
        id: id.parse().map_err(|e| corrupt(format!("id of publication {id}"), e))?,
        body_id: body.parse().map_err(|e| corrupt(format!("body of publication {id}"), e))?,
        duty,
        published_on: parse_date(&on)?,
        url,
        note,
        recorded_by: by,
        recorded_at: at,
    })
}

const COLUMNS: &str = "id, body_id, duty, published_on, url, note, recorded_by, recorded_at";

async fn load_all(tx: &mut Tx, body: BodyId) -> Result<Vec<Publication>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM publications WHERE body_id = $1 ORDER BY published_on DESC, recorded_at DESC, id"
    );
    let rows: Vec<PublicationRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(body.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter().map(parse).collect()
}

async fn load_one(tx: &mut Tx, id: PublicationId) -> Result<Option<Publication>> {
    let sql = format!("SELECT {COLUMNS} FROM publications WHERE id = $1");
    let row: Option<PublicationRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(parse).transpose()
}

/// Every publication of a body, newest first; for the agenda, which reads in its own
/// transaction.
pub(crate) async fn publications(db: &Db, body: BodyId) -> Result<Vec<Publication>> {
    let mut tx = db.begin_read().await?;
    let found = load_all(&mut tx, body).await?;
    tx.commit().await?;
    Ok(found)
}

impl Store {
    /// The body's transparency log, newest publication first.
    pub async fn publications(&self, body: BodyId) -> Result<Vec<Publication>> {
        publications(&self.db, body).await
    }

    /// Records a publication of a logged duty, checked against `today` first; returns it
    /// as stored.
    pub async fn record_publication(
        &self,
        actor: &Actor,
        body: BodyId,
        new: NewPublication,
        today: NaiveDate,
    ) -> Result<Publication> {
        let new = new.checked(today).map_err(|e| StoreError::Fields(e.into()))?;
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        // The same form sent twice: the record made the first time.
        if let Some(stored) = load_one(&mut tx, new.id).await? {
            tx.commit().await?;
            let same = (stored.body_id, &stored.duty, stored.published_on, &stored.url, &stored.note)
                == (body, &new.duty, new.published_on, &new.url, &new.note);
            return if same {
                Ok(stored)
            } else {
                Err(StoreError::Conflict(format!("publication {} is already recorded with other details", new.id)))
            };
        }
        let publication = Publication {
            id: new.id,
            body_id: body,
            duty: new.duty,
            published_on: new.published_on,
            url: new.url,
            note: new.note,
            recorded_by: actor.name.clone(),
            recorded_at: timestamp(now()),
        };
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO publications (id, body_id, duty, published_on, url, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(publication.id.to_string()).bind(body.to_string()).bind(&publication.duty)
            .bind(publication.published_on.format("%Y-%m-%d").to_string()).bind(&publication.url)
            .bind(&publication.note).bind(&publication.recorded_by).bind(&publication.recorded_at)
            .execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "add",
                entity: "publication",
                entity_id: publication.id.to_string(),
                before: None,
                after: Some(serde_json::json!(publication)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(publication)
    }

    /// Removes a publication recorded by mistake; the audit entry keeps it whole.
    pub async fn remove_publication(&self, actor: &Actor, body: BodyId, id: PublicationId) -> Result<Publication> {
        let mut tx = self.db.begin().await?;
        let Some(found) = load_one(&mut tx, id).await?.filter(|p| p.body_id == body) else {
            return Err(StoreError::NotFound { what: format!("publication {id} of body {body}") });
        };
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM publications WHERE id = $1 AND body_id = $2")
            .bind(id.to_string()).bind(body.to_string()).execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "remove",
                entity: "publication",
                entity_id: id.to_string(),
                before: Some(serde_json::json!(found)),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }
}
