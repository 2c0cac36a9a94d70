//! The card exchange (regulation 26-1, §IV): each party's queue, and one step
//! of a card recorded with the sealed message that reported it — the stage
//! change, the message and the audit entry in one transaction.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::BeginWrite;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use dossier_domain::card::{self, Party};
use dossier_domain::lifecycle::{CertificateForm, Event};
use dossier_domain::org::UnitPath;
use dossier_domain::production;
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::steps::{cert_for_update, step_in_tx};
use super::{SqlStore, subtree_range};
use crate::*;

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    certificate_id: Uuid,
    event: String,
    sender: String,
    recipient: String,
    unit_id: i64,
    actor: String,
    payload: String,
    seal: Option<Vec<u8>>,
    at: DateTime<Utc>,
}

impl MessageRow {
    fn into_message(self) -> StoreResult<CardMessage> {
        let party = |s: &str| Party::parse(s).ok_or_else(|| StoreError::corrupt(format!("card party {s}")));
        Ok(CardMessage {
            id: self.id,
            certificate_id: self.certificate_id,
            sender: party(&self.sender)?,
            recipient: party(&self.recipient)?,
            event: self.event,
            unit_id: self.unit_id,
            actor: self.actor,
            payload: self.payload,
            seal: self.seal,
            at: self.at,
        })
    }
}

const MESSAGE_COLS: &str = "id, certificate_id, event, sender, recipient, unit_id, actor, payload, seal, at";

/// `'sent_to_bank', …` — stage names from the domain's enum, never input.
fn stages_sql(filter: &CardFilter) -> String {
    filter.stages.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

/// The full range of unit paths when a filter side is not limited.
fn range_of(scope: Option<&UnitPath>) -> (String, String) {
    scope.map_or_else(|| (String::new(), "\u{10FFFF}".to_owned()), subtree_range)
}

#[async_trait]
impl Cards for SqlStore {
    /// Cards in a party's queue, those nearest their deadline first.
    async fn cards(&self, filter: &CardFilter, page: Page) -> StoreResult<Vec<CertificateRecord>> {
        if filter.stages.is_empty() {
            return Ok(vec![]);
        }
        let (ilo, ihi) = range_of(filter.issue_scope.as_ref());
        let (olo, ohi) = range_of(filter.owner_scope.as_ref());
        let sql = format!(
            "SELECT {} FROM certificates c WHERE c.form = 'card' AND c.stage IN ({}) \
             AND c.unit_path >= $1 AND c.unit_path < $2 \
             AND c.issue_unit_id IN (SELECT id FROM org_units WHERE path >= $3 AND path < $4) \
             ORDER BY c.due_at IS NULL, c.due_at, c.id LIMIT $5 OFFSET $6",
            CERT_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", "),
            stages_sql(filter)
        );
        let rows: Vec<CertRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&sql)
                .bind(&olo)
                .bind(&ohi)
                .bind(&ilo)
                .bind(&ihi)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(CertRow::into_record).collect()
    }

    /// One step of a card on a party's report: refused (nothing written) if
    /// the certificate is not a card, the party does not report this step,
    /// or the life cycle does not allow it from the card's stage.
    async fn card_step(
        &self,
        actor: &Actor,
        id: Uuid,
        msg: &NewCardMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<(CertificateRecord, CardMessage)> {
        let recipient = card::check_reporter(msg.sender, msg.event).map_err(StoreError::Conflict)?;
        let message_id = Uuid::new_v4();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let cert = cert_for_update!(tx, d, id).ok_or(StoreError::NotFound)?;
            if cert.data.form != CertificateForm::Card {
                return Err(StoreError::NotFound);
            }
            let entry = step_in_tx!(
                tx,
                &cert,
                msg.event,
                now,
                actor,
                None,
                json!({"message_id": message_id, "sender": msg.sender, "recipient": recipient, "sealed": msg.seal.is_some()})
            );
            sqlx::query(&format!(
                "INSERT INTO card_messages ({MESSAGE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ))
            .bind(message_id)
            .bind(id)
            .bind(msg.event.as_str())
            .bind(msg.sender.as_str())
            .bind(recipient.as_str())
            .bind(msg.unit_id)
            .bind(&actor.label)
            .bind(&msg.payload)
            .bind(msg.seal.as_deref())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let (Event::SendToPersonalizer, Some(expires)) = (msg.event, msg.card_expires_on) {
                sqlx::query("UPDATE certificates SET card_expires_on = $1, valid_until = $2 WHERE id = $3")
                    .bind(expires)
                    .bind(production::valid_until(&cert.data, Some(expires)))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        let cert = self.certificate(id).await?.ok_or(StoreError::NotFound)?;
        let message = self.card_messages(id).await?.into_iter().find(|m| m.id == message_id);
        Ok((cert, message.ok_or(StoreError::NotFound)?))
    }

    /// A card's exchange, oldest first.
    async fn card_messages(&self, id: Uuid) -> StoreResult<Vec<CardMessage>> {
        let rows: Vec<MessageRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {MESSAGE_COLS} FROM card_messages WHERE certificate_id = $1 ORDER BY at, id"
            ))
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(MessageRow::into_message).collect()
    }
}
