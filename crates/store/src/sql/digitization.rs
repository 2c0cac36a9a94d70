//! Digitization dossiers and their daily numbers; digitized documents,
//! their pages' recognition jobs and their fields.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use dossier_domain::digitization::{
    AgencyCode, ApplicantId, BBox, DocumentKind, DossierCode, Extracted, FieldKind, PageText, Place, ResultCodeScheme,
};
use dossier_domain::i18n::StoredMessage;
use dossier_domain::org::UnitPath;
use dossier_domain::person::PersonData;
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

const DOSSIER_COLS: &str =
    "id, agency, received_on, sequence, unit_id, procedure, person_id, applicant, created_by, created_at";

#[derive(sqlx::FromRow)]
struct DossierRow {
    id: Uuid,
    agency: String,
    received_on: NaiveDate,
    sequence: i64,
    unit_id: i64,
    procedure: String,
    person_id: Option<Uuid>,
    applicant: Option<String>,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl DossierRow {
    fn into_record(self) -> StoreResult<DigitizationDossier> {
        let agency = AgencyCode::parse(&self.agency).map_err(|_| StoreError::corrupt("digitization agency code"))?;
        let sequence = u32::try_from(self.sequence).map_err(StoreError::corrupt)?;
        let code = DossierCode::new(agency, self.received_on, sequence)
            .ok_or_else(|| StoreError::corrupt("digitization dossier number"))?;
        let applicant = self
            .applicant
            .map(|a| ApplicantId::parse(&a))
            .transpose()
            .map_err(|_| StoreError::corrupt("digitization applicant"))?;
        Ok(DigitizationDossier {
            id: self.id,
            code,
            unit_id: self.unit_id,
            procedure: self.procedure,
            person_id: self.person_id,
            applicant,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

#[async_trait]
impl Digitization for SqlStore {
    async fn open_digitization_dossier(
        &self,
        actor: &Actor,
        new: &NewDigitizationDossier,
    ) -> StoreResult<DigitizationDossier> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The upsert takes the row's lock on PostgreSQL (SQLite has one writer):
            // concurrent openings queue here and each reads its own number.
            let (sequence,): (i64,) = sqlx::query_as(
                "INSERT INTO digitization_sequences (agency, day, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (agency, day) DO UPDATE SET last = digitization_sequences.last + 1 RETURNING last",
            )
            .bind(new.agency.as_str())
            .bind(new.received_on)
            .fetch_one(&mut *tx)
            .await?;
            let code = u32::try_from(sequence)
                .ok()
                .and_then(|n| DossierCode::new(new.agency.clone(), new.received_on, n))
                .ok_or_else(|| StoreError::Conflict(Message::new("digitization.day_full")))?;
            sqlx::query(&format!(
                "INSERT INTO digitization_dossiers (code, {DOSSIER_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            ))
            .bind(code.to_string())
            .bind(new.id)
            .bind(new.agency.as_str())
            .bind(new.received_on)
            .bind(sequence)
            .bind(new.unit_id)
            .bind(&new.procedure)
            .bind(new.person_id)
            .bind(new.applicant.as_ref().map(ApplicantId::as_str))
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "digitization.dossier.open",
                    format!("digitization_dossier:{}", new.id),
                    json!({"code": code.to_string(), "unit_id": new.unit_id, "procedure": new.procedure})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.digitization_dossier(new.id).await?.ok_or(StoreError::NotFound)
    }

    async fn digitization_dossier(&self, id: Uuid) -> StoreResult<Option<DigitizationDossier>> {
        let row: Option<DossierRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {DOSSIER_COLS} FROM digitization_dossiers WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(DossierRow::into_record).transpose()
    }

    async fn create_person_from_paper(
        &self,
        actor: &Actor,
        unit_id: i64,
        person: &PersonData,
        paper: &FromPaper,
    ) -> StoreResult<PersonRecord> {
        self.insert_person(actor, unit_id, person, Some(paper)).await
    }

    async fn digitization_dossier_by_code(&self, code: &DossierCode) -> StoreResult<Option<DigitizationDossier>> {
        let row: Option<DossierRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {DOSSIER_COLS} FROM digitization_dossiers WHERE code = $1"))
                .bind(code.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(DossierRow::into_record).transpose()
    }
}

const DOC_COLS: &str =
    "id, dossier_id, ordinal, result_code, kind, status, pages, created_by, created_at, result_sha256, result_at";
/// [`DOC_COLS`] of `digitized_documents d` in a join.
const DOC_COLS_D: &str = "d.id, d.dossier_id, d.ordinal, d.result_code, d.kind, d.status, d.pages, d.created_by, \
                          d.created_at, d.result_sha256, d.result_at";
const FIELD_COLS: &str = "field, value, read_text, confidence, page_no, bbox, problems, status, decided_by, decided_at";

#[derive(sqlx::FromRow)]
struct DocRow {
    id: Uuid,
    dossier_id: Uuid,
    ordinal: i64,
    result_code: String,
    kind: String,
    status: String,
    pages: i64,
    created_by: String,
    created_at: DateTime<Utc>,
    result_sha256: Option<String>,
    result_at: Option<DateTime<Utc>>,
}

impl DocRow {
    fn into_record(self) -> StoreResult<DigitizedDocument> {
        Ok(DigitizedDocument {
            id: self.id,
            dossier_id: self.dossier_id,
            ordinal: u32::try_from(self.ordinal).map_err(StoreError::corrupt)?,
            result_code: self.result_code,
            kind: DocumentKind::parse(&self.kind).map_err(|_| StoreError::corrupt("digitized document kind"))?,
            status: DigitizedStatus::parse(&self.status).ok_or_else(|| StoreError::corrupt("digitized status"))?,
            pages: u32::try_from(self.pages).map_err(StoreError::corrupt)?,
            created_by: self.created_by,
            created_at: self.created_at,
            result: self.result_sha256.zip(self.result_at).map(|(sha256, made_at)| DigitizedResult { sha256, made_at }),
        })
    }
}

#[derive(sqlx::FromRow)]
struct FieldRow {
    field: String,
    value: Option<String>,
    read_text: String,
    confidence: f64,
    page_no: Option<i64>,
    bbox: Option<Json<BBox>>,
    problems: Json<Vec<StoredMessage>>,
    status: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl FieldRow {
    fn into_record(self) -> StoreResult<FieldRecord> {
        let place = match (self.page_no, self.bbox) {
            (Some(page), Some(Json(bbox))) => {
                Some(Place { page: u32::try_from(page).map_err(StoreError::corrupt)?, bbox })
            }
            _ => None,
        };
        Ok(FieldRecord {
            field: FieldKind::parse(&self.field).ok_or_else(|| StoreError::corrupt("digitized field"))?,
            value: self.value,
            read: self.read_text,
            confidence: self.confidence as f32,
            place,
            problems: self.problems.0.iter().map(StoredMessage::to_message).collect(),
            status: FieldStatus::parse(&self.status).ok_or_else(|| StoreError::corrupt("field status"))?,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
        })
    }
}

#[async_trait]
impl DigitizedDocuments for SqlStore {
    async fn add_digitized_document(
        &self,
        actor: &Actor,
        new: &NewDigitizedDocument,
        scheme: &ResultCodeScheme,
        now: DateTime<Utc>,
    ) -> StoreResult<DigitizedDocument> {
        let dossier = self.digitization_dossier(new.dossier_id).await?.ok_or(StoreError::NotFound)?;
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The next ordinal in the dossier; the (dossier, ordinal) key refuses a second writer's
            // same number on PostgreSQL, and SQLite has one writer.
            let (ordinal,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM digitized_documents WHERE dossier_id = $1")
                    .bind(new.dossier_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let code = u32::try_from(ordinal)
                .ok()
                .and_then(|n| scheme.code(&dossier.code, n))
                .ok_or_else(|| StoreError::Conflict(Message::new("digitization.dossier_full")))?;
            let inserted = sqlx::query(
                "INSERT INTO digitized_documents (id, dossier_id, ordinal, result_code, kind, status, pages, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(new.id)
            .bind(new.dossier_id)
            .bind(ordinal)
            .bind(&code)
            .bind(new.kind.code())
            .bind(DigitizedStatus::Recognising.as_str())
            .bind(new.pages.len() as i64)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                // Two documents added to one dossier at once: the later one tries again.
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("common.concurrent_change")));
                }
                r => {
                    r?;
                }
            }
            for (i, p) in new.pages.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO digitized_pages (document_id, page_no, image_sha256, media_type, width, height, dpi, status, attempts, next_attempt_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8)",
                )
                .bind(new.id)
                .bind(i as i64 + 1)
                .bind(&p.image_sha256)
                .bind(&p.media_type)
                .bind(i64::from(p.width))
                .bind(i64::from(p.height))
                .bind(f64::from(p.dpi))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "digitization.document.add",
                    format!("digitization_dossier:{}", new.dossier_id),
                    json!({"document_id": new.id, "result_code": code, "kind": new.kind.code(), "pages": new.pages.len()})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(self.digitized_document(new.id).await?.ok_or(StoreError::NotFound)?.0)
    }

    async fn claim_pages(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedPage>> {
        type Claim = (Uuid, i64, String, String, f64, i64, String, Uuid);
        let rows: Vec<Claim> = on_db!(&self.db, write, |pool, d| {
            let skip_locked = if d.backend == dossier_db::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
            sqlx::query_as(&format!(
                "UPDATE digitized_pages SET claimed_until = $1 WHERE (document_id, page_no) IN \
                 (SELECT document_id, page_no FROM digitized_pages WHERE status = 'pending' AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY next_attempt_at LIMIT $3{skip_locked}) \
                 RETURNING document_id, page_no, image_sha256, media_type, dpi, attempts, \
                 (SELECT kind FROM digitized_documents d WHERE d.id = digitized_pages.document_id), \
                 (SELECT dossier_id FROM digitized_documents d WHERE d.id = digitized_pages.document_id)"
            ))
            .bind(now + lease)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(document_id, page_no, image_sha256, media_type, dpi, attempts, kind, dossier_id)| {
                Ok(ClaimedPage {
                    document_id,
                    dossier_id,
                    page_no: u32::try_from(page_no).map_err(StoreError::corrupt)?,
                    image_sha256,
                    media_type,
                    dpi: dpi as f32,
                    kind: DocumentKind::parse(&kind).map_err(|_| StoreError::corrupt("digitized document kind"))?,
                    attempts: u32::try_from(attempts).map_err(StoreError::corrupt)?,
                })
            })
            .collect()
    }

    async fn finish_page(
        &self,
        document_id: Uuid,
        page_no: u32,
        outcome: &PageOutcome,
    ) -> StoreResult<Option<Vec<PageText>>> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // Two workers settling a document's last two pages at once must not each
            // see the other's page pending: on PostgreSQL they take turns on the
            // document's row (SQLite has one writer anyway).
            if d.backend == dossier_db::Backend::Postgres {
                sqlx::query("SELECT 1 FROM digitized_documents WHERE id = $1 FOR UPDATE")
                    .bind(document_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let q = match outcome {
                PageOutcome::Recognised(text) => sqlx::query(
                    "UPDATE digitized_pages SET status = 'done', text = $3, confidence = $4, claimed_until = NULL, \
                     attempts = attempts + 1, last_error = NULL WHERE document_id = $1 AND page_no = $2 AND status = 'pending'",
                )
                .bind(document_id)
                .bind(i64::from(page_no))
                .bind(Json(text))
                .bind(f64::from(text.confidence())),
                PageOutcome::Failed { error, retry_at } => sqlx::query(
                    "UPDATE digitized_pages SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at), \
                     claimed_until = NULL, attempts = attempts + 1, last_error = $5 \
                     WHERE document_id = $1 AND page_no = $2 AND status = 'pending'",
                )
                .bind(document_id)
                .bind(i64::from(page_no))
                .bind(if retry_at.is_some() { "pending" } else { "failed" })
                .bind(*retry_at)
                .bind(error.chars().take(500).collect::<String>()),
            };
            q.execute(&mut *tx).await?;
            // The last page to settle hands the document's text to extraction.
            let pages: Vec<(String, Option<Json<PageText>>)> =
                sqlx::query_as("SELECT status, text FROM digitized_pages WHERE document_id = $1 ORDER BY page_no")
                    .bind(document_id)
                    .fetch_all(&mut *tx)
                    .await?;
            tx.commit().await?;
            if pages.iter().any(|(status, _)| status == "pending") {
                return Ok(None);
            }
            Ok::<_, StoreError>(Some(pages.into_iter().map(|(_, t)| t.map(|j| j.0).unwrap_or_default()).collect()))
        })
    }

    async fn settled_unextracted(&self, limit: i64) -> StoreResult<Vec<SettledDocument>> {
        let docs: Vec<(Uuid, Uuid, String)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT id, dossier_id, kind FROM digitized_documents d WHERE status = 'recognising' \
                 AND NOT EXISTS (SELECT 1 FROM digitized_pages p WHERE p.document_id = d.id AND p.status = 'pending') \
                 LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let mut out = Vec::with_capacity(docs.len());
        for (document_id, dossier_id, kind) in docs {
            let texts: Vec<Option<Json<PageText>>> = on_db!(&self.db, read, |pool, _d| {
                sqlx::query_scalar("SELECT text FROM digitized_pages WHERE document_id = $1 ORDER BY page_no")
                    .bind(document_id)
                    .fetch_all(pool)
                    .await?
            });
            out.push(SettledDocument {
                document_id,
                dossier_id,
                kind: DocumentKind::parse(&kind).map_err(|_| StoreError::corrupt("digitized document kind"))?,
                texts: texts.into_iter().map(|t| t.map(|j| j.0).unwrap_or_default()).collect(),
            });
        }
        Ok(out)
    }

    async fn extracted_unsealed(&self, limit: i64) -> StoreResult<Vec<DigitizedDocument>> {
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {DOC_COLS} FROM digitized_documents \
                 WHERE result_sha256 IS NULL AND status <> 'recognising' LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DocRow::into_record).collect()
    }

    async fn save_extraction(
        &self,
        document_id: Uuid,
        fields: &[Extracted],
        search_text: &str,
    ) -> StoreResult<DigitizedDocument> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let status = if fields.iter().any(Extracted::needs_review) {
                DigitizedStatus::Review
            } else {
                DigitizedStatus::Ready
            };
            let moved =
                sqlx::query("UPDATE digitized_documents SET status = $2 WHERE id = $1 AND status = 'recognising'")
                    .bind(document_id)
                    .bind(status.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if moved == 1 {
                for (i, f) in fields.iter().enumerate() {
                    let field_status = if f.needs_review() { FieldStatus::Review } else { FieldStatus::Accepted };
                    sqlx::query(&format!(
                        "INSERT INTO digitized_fields (document_id, position, {FIELD_COLS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)"
                    ))
                    .bind(document_id)
                    .bind(i as i64)
                    .bind(f.field.code())
                    .bind(&f.value)
                    .bind(&f.read)
                    .bind(f64::from(f.confidence))
                    .bind(f.place.map(|p| i64::from(p.page)))
                    .bind(f.place.map(|p| Json(p.bbox)))
                    .bind(Json(f.problems.iter().map(StoredMessage::from).collect::<Vec<_>>()))
                    .bind(field_status.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
                // The text row's place in reading order is FTS5's rowid in
                // SQLite and an identity column in PostgreSQL, which also
                // keeps the office for the search's scope (postgres 0018).
                let insert = match d.backend {
                    dossier_db::Backend::Sqlite => "INSERT INTO digitized_search (document_id, body) VALUES ($1, $2)",
                    dossier_db::Backend::Postgres => {
                        "INSERT INTO digitized_search (document_id, body, unit_id) \
                         SELECT d.id, $2, ds.unit_id FROM digitized_documents d \
                         JOIN digitization_dossiers ds ON ds.id = d.dossier_id WHERE d.id = $1"
                    }
                };
                sqlx::query(insert).bind(document_id).bind(search_text).execute(&mut *tx).await?;
                append_audit!(
                    tx,
                    d,
                    vec![PendingEntry::new(
                        "system:ocr",
                        "digitization.document.recognised",
                        format!("digitized_document:{document_id}"),
                        json!({"status": status.as_str(), "review": fields.iter().filter(|f| f.needs_review()).count()})
                    )]
                );
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(self.digitized_document(document_id).await?.ok_or(StoreError::NotFound)?.0)
    }

    async fn digitized_document(&self, id: Uuid) -> StoreResult<Option<(DigitizedDocument, Vec<FieldRecord>)>> {
        let (doc, fields): (Option<DocRow>, Vec<FieldRow>) = on_db!(&self.db, read, |pool, _d| {
            let doc = sqlx::query_as(&format!("SELECT {DOC_COLS} FROM digitized_documents WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?;
            let fields = sqlx::query_as(&format!(
                "SELECT {FIELD_COLS} FROM digitized_fields WHERE document_id = $1 ORDER BY position"
            ))
            .bind(id)
            .fetch_all(pool)
            .await?;
            (doc, fields)
        });
        let Some(doc) = doc else { return Ok(None) };
        Ok(Some((doc.into_record()?, fields.into_iter().map(FieldRow::into_record).collect::<StoreResult<_>>()?)))
    }

    async fn digitized_documents_in(
        &self,
        scope: &dossier_domain::org::UnitPath,
        status: Option<DigitizedStatus>,
        page: Page,
    ) -> StoreResult<Vec<DigitizedDocument>> {
        let (lo, hi) = super::subtree_range(scope);
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {DOC_COLS_D} FROM digitized_documents d JOIN digitization_dossiers s ON s.id = d.dossier_id \
                 JOIN org_units u ON u.id = s.unit_id \
                 WHERE u.path >= $1 AND u.path < $2 AND ($3 IS NULL OR d.status = $3) \
                 ORDER BY d.created_at, d.ordinal LIMIT $4 OFFSET $5"
            ))
            .bind(lo)
            .bind(hi)
            .bind(status.map(DigitizedStatus::as_str))
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DocRow::into_record).collect()
    }

    async fn search_digitized(
        &self,
        scope: &UnitPath,
        words: &[String],
        page: Page,
    ) -> StoreResult<Vec<DigitizedDocument>> {
        // Only letters and digits reach either query language, so no word can be an operator.
        let words: Vec<String> = words
            .iter()
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        if words.is_empty() {
            return Ok(vec![]);
        }
        let (lo, hi) = super::subtree_range(scope);
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, d| {
            // Newest first — in the order texts were read, which is the order
            // papers are added but for OCR workers finishing side by side —
            // and neither backend sorts every match to find the page: SQLite
            // walks the text index backwards by rowid and joins as it goes;
            // PostgreSQL takes the matches from the text index with their
            // office and place, keeps the page's rows and joins only those.
            let (sql, query) = match d.backend {
                dossier_db::Backend::Sqlite => (
                    format!(
                        "SELECT {DOC_COLS_D} FROM digitized_search JOIN digitized_documents d ON d.id = digitized_search.document_id \
                         JOIN digitization_dossiers ds ON ds.id = d.dossier_id JOIN org_units u ON u.id = ds.unit_id \
                         WHERE digitized_search MATCH $1 AND u.path >= $2 AND u.path < $3 \
                         ORDER BY digitized_search.rowid DESC LIMIT $4 OFFSET $5"
                    ),
                    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
                ),
                dossier_db::Backend::Postgres => (
                    format!(
                        "SELECT {DOC_COLS_D} FROM (SELECT document_id, read_seq FROM digitized_search \
                         WHERE tsv @@ to_tsquery('simple', $1) \
                         AND unit_id IN (SELECT id FROM org_units WHERE path >= $2 AND path < $3) \
                         ORDER BY read_seq DESC LIMIT $4 OFFSET $5) m \
                         JOIN digitized_documents d ON d.id = m.document_id ORDER BY m.read_seq DESC"
                    ),
                    words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
                ),
            };
            sqlx::query_as(&sql)
                .bind(query)
                .bind(lo)
                .bind(hi)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(DocRow::into_record).collect()
    }

    async fn digitized_page(&self, document_id: Uuid, page_no: u32) -> StoreResult<Option<PageScan>> {
        let row: Option<(String, String, i64, i64)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT image_sha256, media_type, width, height FROM digitized_pages WHERE document_id = $1 AND page_no = $2",
            )
            .bind(document_id)
            .bind(i64::from(page_no))
            .fetch_optional(pool)
            .await?
        });
        row.map(|(image_sha256, media_type, w, h)| {
            Ok(PageScan {
                image_sha256,
                media_type,
                width: u32::try_from(w).map_err(StoreError::corrupt)?,
                height: u32::try_from(h).map_err(StoreError::corrupt)?,
            })
        })
        .transpose()
    }

    async fn digitized_page_sizes(&self, document_id: Uuid) -> StoreResult<Vec<(u32, u32)>> {
        let rows: Vec<(i64, i64)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT width, height FROM digitized_pages WHERE document_id = $1 ORDER BY page_no")
                .bind(document_id)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(w, h)| {
                Ok((u32::try_from(w).map_err(StoreError::corrupt)?, u32::try_from(h).map_err(StoreError::corrupt)?))
            })
            .collect()
    }

    async fn digitized_pages_after(
        &self,
        after: Option<(Uuid, u32)>,
        limit: i64,
    ) -> StoreResult<Vec<(Uuid, u32, Vec<String>)>> {
        let (doc, page) = after.map_or((Uuid::nil(), -1), |(d, p)| (d, i64::from(p)));
        let rows: Vec<(Uuid, i64, String, Option<String>)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT document_id, page_no, image_sha256, received_sha256 FROM digitized_pages \
                 WHERE document_id > $1 OR (document_id = $1 AND page_no > $2) ORDER BY document_id, page_no LIMIT $3",
            )
            .bind(doc)
            .bind(page)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(d, p, sha, received)| {
                let page = u32::try_from(p).map_err(StoreError::corrupt)?;
                Ok((d, page, std::iter::once(sha).chain(received).collect()))
            })
            .collect()
    }

    async fn set_upright_scan(&self, document_id: Uuid, page_no: u32, upright: &UprightScan) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query(
                "UPDATE digitized_pages SET received_sha256 = COALESCE(received_sha256, image_sha256), \
                 image_sha256 = $3, media_type = $4, width = $5, height = $6, correction = $7 \
                 WHERE document_id = $1 AND page_no = $2",
            )
            .bind(document_id)
            .bind(i64::from(page_no))
            .bind(&upright.image_sha256)
            .bind(&upright.media_type)
            .bind(i64::from(upright.width))
            .bind(i64::from(upright.height))
            .bind(&upright.correction)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    async fn digitized_result_pages(&self, document_id: Uuid) -> StoreResult<Vec<ResultPage>> {
        let rows: Vec<(String, String, f64, Option<Json<PageText>>)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT image_sha256, media_type, dpi, text FROM digitized_pages WHERE document_id = $1 ORDER BY page_no",
            )
            .bind(document_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(image_sha256, media_type, dpi, text)| ResultPage {
                image_sha256,
                media_type,
                dpi: dpi as f32,
                text: text.map(|j| j.0).unwrap_or_default(),
            })
            .collect())
    }

    async fn save_digitized_result(
        &self,
        document_id: Uuid,
        sha256: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<DigitizedResult>> {
        let row: Option<(Option<String>, Option<DateTime<Utc>>)> = on_db!(&self.db, write, |pool, _d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE digitized_documents SET result_sha256 = $2, result_at = $3 \
                 WHERE id = $1 AND result_sha256 IS NULL",
            )
            .bind(document_id)
            .bind(sha256)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query_as("SELECT result_sha256, result_at FROM digitized_documents WHERE id = $1")
                .bind(document_id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            row
        });
        Ok(row.and_then(|(sha, at)| sha.zip(at)).map(|(sha256, made_at)| DigitizedResult { sha256, made_at }))
    }

    async fn digitized_results_after(&self, after: Option<Uuid>, limit: i64) -> StoreResult<Vec<(Uuid, String)>> {
        Ok(on_db!(&self.db, read, |pool, _d| {
            // A nil id sorts before every other id on both databases.
            sqlx::query_as(
                "SELECT id, result_sha256 FROM digitized_documents \
                 WHERE result_sha256 IS NOT NULL AND id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    async fn dossier_documents(&self, dossier_id: Uuid) -> StoreResult<Vec<DigitizedDocument>> {
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {DOC_COLS} FROM digitized_documents WHERE dossier_id = $1 ORDER BY ordinal"
            ))
            .bind(dossier_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DocRow::into_record).collect()
    }

    async fn digitized_documents_of_person(&self, person_id: Uuid) -> StoreResult<Vec<DigitizedDocument>> {
        let rows: Vec<DocRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {DOC_COLS_D} FROM digitized_documents d \
                 JOIN digitization_dossiers s ON s.id = d.dossier_id \
                 WHERE s.person_id = $1 ORDER BY d.created_at DESC, d.ordinal DESC LIMIT 500"
            ))
            .bind(person_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DocRow::into_record).collect()
    }

    async fn decide_field(
        &self,
        actor: &Actor,
        document_id: Uuid,
        field: FieldKind,
        decision: &FieldDecision,
        now: DateTime<Utc>,
    ) -> StoreResult<FieldRecord> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let (status, value) = match decision {
                FieldDecision::Confirm => (FieldStatus::Confirmed, None),
                FieldDecision::Correct(v) => (FieldStatus::Corrected, Some(v.as_str())),
            };
            // Confirming needs a value that was read and checked; a field without one must be typed.
            let done = sqlx::query(
                "UPDATE digitized_fields SET status = $3, value = COALESCE($4, value), decided_by = $5, decided_at = $6 \
                 WHERE document_id = $1 AND field = $2 AND status = 'review' AND ($4 IS NOT NULL OR value IS NOT NULL)",
            )
            .bind(document_id)
            .bind(field.code())
            .bind(status.as_str())
            .bind(value)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Err(StoreError::Conflict(Message::new("digitization.not_in_review")));
            }
            sqlx::query(
                "UPDATE digitized_documents SET status = 'ready' WHERE id = $1 AND status = 'review' \
                 AND NOT EXISTS (SELECT 1 FROM digitized_fields WHERE document_id = $1 AND status = 'review')",
            )
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "digitization.field.decide",
                    format!("digitized_document:{document_id}"),
                    json!({"field": field.code(), "decision": status.as_str()})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        let (_, fields) = self.digitized_document(document_id).await?.ok_or(StoreError::NotFound)?;
        fields.into_iter().find(|f| f.field == field).ok_or(StoreError::NotFound)
    }
}
