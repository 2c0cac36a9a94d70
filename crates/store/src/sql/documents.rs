//! [`Documents`] on SQL: the metadata of a dossier's documents (the bytes are
//! in the blob store, named by their SHA-256).
use async_trait::async_trait;
use chrono::Utc;
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use super::rows::*;
use crate::{Actor, DocumentMeta, Documents, NewDocument, StoredBlob};

#[async_trait]
impl Documents for SqlStore {
    async fn add_document(&self, actor: &Actor, doc: NewDocument, as_photo: bool) -> StoreResult<DocumentMeta> {
        let id = Uuid::now_v7();
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            if let Some(pid) = doc.person_id {
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
                    .bind(pid)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            sqlx::query(&format!("INSERT INTO documents ({DOC_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(id)
                .bind(doc.person_id)
                .bind(&doc.kind)
                .bind(&doc.content_type)
                .bind(&doc.sha256)
                .bind(doc.size)
                .bind(&doc.source)
                .bind(&actor.label)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let subject = match doc.person_id {
                Some(p) => format!("person:{p}"),
                None => format!("document:{id}"),
            };
            let mut entries = vec![PendingEntry::new(
                &actor.label,
                "document.add",
                &subject,
                json!({"document_id": id, "kind": doc.kind, "sha256": doc.sha256, "size": doc.size}),
            )];
            if as_photo && let Some(pid) = doc.person_id {
                sqlx::query("UPDATE persons SET photo_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(id)
                    .bind(now)
                    .bind(pid)
                    .execute(&mut *tx)
                    .await?;
                entries.push(PendingEntry::new(&actor.label, "person.photo.set", &subject, json!({"document_id": id})));
            }
            append_audit!(tx, d, entries);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.document(id).await?.ok_or(StoreError::NotFound)
    }

    async fn documents(&self, person_id: Uuid) -> StoreResult<Vec<DocumentMeta>> {
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {DOC_COLS} FROM documents WHERE person_id = $1 ORDER BY created_at DESC"))
                .bind(person_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(DocRow::into_meta).collect())
    }

    async fn document(&self, id: Uuid) -> StoreResult<Option<DocumentMeta>> {
        let row: Option<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {DOC_COLS} FROM documents WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(DocRow::into_meta))
    }

    async fn documents_of_type(
        &self,
        content_type: &str,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<DocumentMeta>> {
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            match after {
                Some(after) => {
                    sqlx::query_as(&format!(
                        "SELECT {DOC_COLS} FROM documents WHERE content_type = $1 AND id > $2 ORDER BY id LIMIT $3"
                    ))
                    .bind(content_type)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
                }
                None => {
                    sqlx::query_as(&format!(
                        "SELECT {DOC_COLS} FROM documents WHERE content_type = $1 ORDER BY id LIMIT $2"
                    ))
                    .bind(content_type)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
                }
            }
        });
        Ok(rows.into_iter().map(DocRow::into_meta).collect())
    }

    async fn renew_document(
        &self,
        actor: &Actor,
        id: Uuid,
        expected: &str,
        renewed: &StoredBlob,
    ) -> StoreResult<DocumentMeta> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let person: Option<Option<Uuid>> =
                sqlx::query_scalar("SELECT person_id FROM documents WHERE id = $1 AND sha256 = $2")
                    .bind(id)
                    .bind(expected)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(person) = person else {
                return Err(StoreError::Conflict(dossier_domain::Message::new("document.changed")));
            };
            sqlx::query("UPDATE documents SET sha256 = $1, size = $2 WHERE id = $3")
                .bind(&renewed.sha256)
                .bind(renewed.size)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let subject = match person {
                Some(p) => format!("person:{p}"),
                None => format!("document:{id}"),
            };
            let details = json!({"document_id": id, "from": expected, "to": renewed.sha256, "size": renewed.size});
            append_audit!(tx, d, vec![PendingEntry::new(&actor.label, "document.renew", &subject, details)]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.document(id).await?.ok_or(StoreError::NotFound)
    }
}
