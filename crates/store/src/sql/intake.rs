//! Document sharing, the fund's intake: branches registered with the hub,
//! the requests the fund made, delivered copies with their provenance (one
//! per request, so a repeated delivery is stored once), the review queue of
//! copies no person matched, and typed codes for the guess rate limit.
//! Every change is one transaction with its audit entry; audit details never
//! hold a full code or a person's identifiers.
use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::direct::{DirectRow, column};
use dossier_db::rusqlite;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use dossier_domain::intake::IntakeStatus;
use dossier_domain::org::UnitPath;
use dossier_domain::sharing::DocumentType;
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

use super::{SqlStore, subtree_range};
use crate::*;

const LIVE: &str = "('submitting', 'waiting_consent', 'approved')";

const REQUEST_COLS: &str = "id, barcode, branch_id, unit_id, document_type, account_id, requested_by, status, \
     last_error, hub_attempts, next_check_at, created_at, updated_at, delivered_at, document_id";

const COPY_SELECT: &str = "SELECT c.request_id, c.document_id, c.metadata_document_id, c.person_id, r.unit_id, \
     r.branch_id, r.document_type, r.requested_by, r.created_at, c.received_at, c.hub_fingerprint, c.formed_at, \
     c.stamp, c.report, c.consent, c.review, c.reviewed_by \
     FROM sharing_copies c JOIN sharing_requests r ON r.id = c.request_id";

fn doc_type(s: &str) -> StoreResult<DocumentType> {
    DocumentType::parse(s).map_err(|_| StoreError::corrupt("sharing document type"))
}

fn scopes_str(scopes: &[DocumentType]) -> String {
    scopes.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

#[derive(sqlx::FromRow)]
struct BranchRow {
    unit_id: i64,
    branch_id: String,
    name: String,
    scopes: String,
    registered_at: DateTime<Utc>,
}

impl BranchRow {
    fn into_record(self) -> StoreResult<SharingBranch> {
        let scopes = self.scopes.split(',').filter(|s| !s.is_empty()).map(doc_type).collect::<StoreResult<Vec<_>>>()?;
        Ok(SharingBranch {
            unit_id: self.unit_id,
            branch_id: self.branch_id,
            name: self.name,
            scopes,
            registered_at: self.registered_at,
        })
    }
}

dossier_db::direct_row! {
    #[derive(sqlx::FromRow)]
    struct RequestRow {
        id: Uuid,
        barcode: String,
        branch_id: String,
        unit_id: i64,
        document_type: String,
        account_id: Option<Uuid>,
        requested_by: String,
        status: String,
        last_error: Option<String>,
        hub_attempts: i32,
        next_check_at: DateTime<Utc>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        delivered_at: Option<DateTime<Utc>>,
        document_id: Option<Uuid>,
    }
}

impl RequestRow {
    fn into_record(self) -> StoreResult<SharingRequest> {
        Ok(SharingRequest {
            id: self.id,
            barcode: self.barcode,
            branch_id: self.branch_id,
            unit_id: self.unit_id,
            document_type: doc_type(&self.document_type)?,
            account_id: self.account_id,
            requested_by: self.requested_by,
            status: IntakeStatus::parse(&self.status).ok_or_else(|| StoreError::corrupt("sharing status"))?,
            last_error: self.last_error,
            hub_attempts: self.hub_attempts,
            next_check_at: self.next_check_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            delivered_at: self.delivered_at,
            document_id: self.document_id,
        })
    }
}

/// A request and where its delivery goes ([`Intake::delivery_route`]).
#[derive(sqlx::FromRow)]
struct RouteRow {
    #[sqlx(flatten)]
    request: RequestRow,
    branch_unit: Option<i64>,
    stored_document: Option<Uuid>,
    stored_person: Option<Uuid>,
}

impl DirectRow for RouteRow {
    fn from_direct(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        // The three follow the request's fifteen columns.
        Ok(RouteRow {
            request: RequestRow::from_direct(r)?,
            branch_unit: column(r, 15, "branch_unit")?,
            stored_document: column(r, 16, "stored_document")?,
            stored_person: column(r, 17, "stored_person")?,
        })
    }
}

/// The request a copy is recorded for, read (and locked) first.
#[derive(sqlx::FromRow)]
struct RequestOfCopy {
    status: String,
    document_type: String,
    unit_id: i64,
    branch_id: String,
    requested_by: String,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CopyRow {
    request_id: Uuid,
    document_id: Uuid,
    metadata_document_id: Uuid,
    person_id: Option<Uuid>,
    unit_id: i64,
    branch_id: String,
    document_type: String,
    requested_by: String,
    created_at: DateTime<Utc>,
    received_at: DateTime<Utc>,
    hub_fingerprint: String,
    formed_at: String,
    stamp: Json<serde_json::Value>,
    report: Json<serde_json::Value>,
    consent: Option<String>,
    review: String,
    reviewed_by: Option<String>,
}

impl CopyRow {
    fn into_record(self) -> StoreResult<SharingCopy> {
        Ok(SharingCopy {
            request_id: self.request_id,
            document_id: self.document_id,
            metadata_document_id: self.metadata_document_id,
            person_id: self.person_id,
            unit_id: self.unit_id,
            branch_id: self.branch_id,
            document_type: doc_type(&self.document_type)?,
            requested_by: self.requested_by,
            requested_at: self.created_at,
            received_at: self.received_at,
            hub_fingerprint: self.hub_fingerprint,
            formed_at: self.formed_at,
            stamp: self.stamp.0,
            report: self.report.0,
            consent: self.consent,
            review: CopyReview::parse(&self.review).ok_or_else(|| StoreError::corrupt("copy review state"))?,
            reviewed_by: self.reviewed_by,
        })
    }
}

#[async_trait]
impl Intake for SqlStore {
    async fn save_sharing_branch(&self, actor: &Actor, b: &SharingBranch) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let r = sqlx::query(
                "INSERT INTO sharing_branches (unit_id, branch_id, name, scopes, registered_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE SET \
                 branch_id = excluded.branch_id, name = excluded.name, scopes = excluded.scopes, \
                 registered_at = excluded.registered_at",
            )
            .bind(b.unit_id)
            .bind(&b.branch_id)
            .bind(&b.name)
            .bind(scopes_str(&b.scopes))
            .bind(b.registered_at)
            .execute(&mut *tx)
            .await;
            match r {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("common.conflict")));
                }
                r => {
                    r?;
                }
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "sharing.branch.register",
                    format!("unit:{}", b.unit_id),
                    json!({"branch_id": b.branch_id, "scopes": scopes_str(&b.scopes)})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    async fn sharing_branches(&self) -> StoreResult<Vec<SharingBranch>> {
        let rows: Vec<BranchRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT unit_id, branch_id, name, scopes, registered_at FROM sharing_branches ORDER BY unit_id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(BranchRow::into_record).collect()
    }

    async fn record_code_attempt(&self, actor: &Actor, a: &CodeAttempt) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO sharing_code_attempts (account_id, branch_id, failed, at) VALUES ($1, $2, $3, $4)",
            )
            .bind(a.account_id)
            .bind(&a.branch_id)
            .bind(a.refusal.is_some())
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "sharing.code.attempt",
                    format!("sharing_branch:{}", a.branch_id),
                    json!({"code": a.masked_code, "refusal": a.refusal})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    async fn code_failures(
        &self,
        account_id: Option<Uuid>,
        branch_id: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(Vec<DateTime<Utc>>, Vec<DateTime<Utc>>)> {
        on_db!(&self.db, read, |pool, _d| {
            let by_account: Vec<DateTime<Utc>> = match account_id {
                Some(a) => {
                    sqlx::query_scalar(
                        "SELECT at FROM sharing_code_attempts WHERE failed AND account_id = $1 AND at > $2",
                    )
                    .bind(a)
                    .bind(since)
                    .fetch_all(pool)
                    .await?
                }
                None => vec![],
            };
            let by_branch: Vec<DateTime<Utc>> =
                sqlx::query_scalar("SELECT at FROM sharing_code_attempts WHERE failed AND branch_id = $1 AND at > $2")
                    .bind(branch_id)
                    .bind(since)
                    .fetch_all(pool)
                    .await?;
            Ok((by_account, by_branch))
        })
    }

    async fn create_sharing_request(&self, actor: &Actor, r: &NewSharingRequest) -> StoreResult<SharingRequest> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let res = sqlx::query(&format!(
                "INSERT INTO sharing_requests ({REQUEST_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, $9, $10, $10, NULL, NULL)"
            ))
            .bind(r.id)
            .bind(&r.barcode)
            .bind(&r.branch_id)
            .bind(r.unit_id)
            .bind(r.document_type.code())
            .bind(r.account_id)
            .bind(&actor.label)
            .bind(IntakeStatus::Submitting.code())
            .bind(r.next_check_at)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match res {
                // The barcode is held by another live request: the code is taken.
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("sharing.code.used")));
                }
                res => {
                    res?;
                }
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "sharing.request.create",
                    format!("sharing_request:{}", r.id),
                    json!({"branch_id": r.branch_id, "unit_id": r.unit_id, "document_type": r.document_type.code(),
                           "code": dossier_domain::intake::masked_code(&r.barcode)})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.sharing_request(r.id).await?.ok_or(StoreError::NotFound)
    }

    /// Compare-and-set: changes the request only if it still has status
    /// `from` (a poller and a delivery may race); `None` when it had moved.
    async fn update_sharing_request(
        &self,
        actor: &Actor,
        id: Uuid,
        from: IntakeStatus,
        u: &SharingUpdate,
    ) -> StoreResult<Option<SharingRequest>> {
        let now = Utc::now();
        let changed = on_db!(&self.db, write, |pool, d| 'body: {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE sharing_requests SET status = $1, last_error = $2, hub_attempts = $3, next_check_at = $4, \
                 updated_at = $5 WHERE id = $6 AND status = $7",
            )
            .bind(u.status.code())
            .bind(&u.last_error)
            .bind(u.hub_attempts)
            .bind(u.next_check_at)
            .bind(now)
            .bind(id)
            .bind(from.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                break 'body Ok(false);
            }
            // A poll that changes nothing is not a state change; only transitions are audited.
            if u.status != from {
                append_audit!(
                    tx,
                    d,
                    vec![PendingEntry::new(
                        &actor.label,
                        "sharing.request.status",
                        format!("sharing_request:{id}"),
                        json!({"from": from.code(), "to": u.status.code(), "error": u.last_error})
                    )]
                );
            }
            tx.commit().await?;
            Ok::<bool, StoreError>(true)
        })?;
        if !changed {
            return Ok(None);
        }
        self.sharing_request(id).await
    }

    async fn sharing_request(&self, id: Uuid) -> StoreResult<Option<SharingRequest>> {
        let sql = format!("SELECT {REQUEST_COLS} FROM sharing_requests WHERE id = $1");
        let row: Option<RequestRow> = self.rows_of(&sql, id).await?.pop();
        row.map(RequestRow::into_record).transpose()
    }

    async fn delivery_route(&self, request_id: Uuid) -> StoreResult<Option<DeliveryRoute>> {
        // The request's columns stay unqualified, as `RequestRow` reads them:
        // the branch's unit comes by a scalar sub-select, the copy's columns
        // renamed in a derived table. One index probe each.
        let sql = format!(
            "SELECT {REQUEST_COLS}, \
             (SELECT b.unit_id FROM sharing_branches b WHERE b.branch_id = r.branch_id) AS branch_unit, \
             c.stored_document, c.stored_person \
             FROM sharing_requests r LEFT JOIN (SELECT request_id, document_id AS stored_document, \
             person_id AS stored_person FROM sharing_copies) c ON c.request_id = r.id \
             WHERE r.id = $1"
        );
        let row: Option<RouteRow> = self.rows_of(&sql, request_id).await?.pop();
        row.map(|row| {
            Ok(DeliveryRoute {
                request: row.request.into_record()?,
                branch_unit: row.branch_unit,
                stored: row.stored_document.map(|d| (d, row.stored_person)),
            })
        })
        .transpose()
    }

    async fn claim_sharing_requests(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<SharingRequest>> {
        // One statement: on PostgreSQL the rows another worker is claiming are
        // skipped, not waited for; SQLite has one writer, so it is atomic there.
        let rows: Vec<RequestRow> = on_db!(&self.db, write, |pool, d| {
            let skip_locked = if d.backend == dossier_db::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
            sqlx::query_as(&format!(
                "UPDATE sharing_requests SET next_check_at = $1 WHERE id IN (SELECT id FROM sharing_requests \
                 WHERE status IN {LIVE} AND next_check_at <= $2 ORDER BY next_check_at LIMIT $3{skip_locked}) \
                 RETURNING {REQUEST_COLS}"
            ))
            .bind(now + lease)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(RequestRow::into_record).collect()
    }

    /// Stores a delivered copy: two document rows, the provenance, the
    /// request marked delivered, and the audit entries — one transaction.
    /// A second delivery for the same request finds the first and changes
    /// nothing (`false`).
    async fn record_sharing_copy(&self, actor: &Actor, c: &NewSharingCopy) -> StoreResult<(SharingCopy, bool)> {
        // Microseconds, as PostgreSQL keeps them: the copy returned is the copy stored.
        let now = Utc::now().trunc_subsecs(6);
        let pdf_id = Uuid::now_v7();
        let meta_id = Uuid::now_v7();
        let created = on_db!(&self.db, write, |pool, d| 'body: {
            let mut tx = pool.begin_write().await?;
            // Lock the request first: two deliveries of the same package at
            // once queue here, and the second then finds the first's copy.
            let req: Option<RequestOfCopy> = sqlx::query_as(&format!(
                "SELECT status, document_type, unit_id, branch_id, requested_by, created_at \
                 FROM sharing_requests WHERE id = $1{}",
                d.for_update()
            ))
            .bind(c.request_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(req) = req else { return Err(StoreError::NotFound) };
            // A statement of its own, after the lock: on PostgreSQL it sees
            // what a delivery that held the lock before us committed.
            let existing: Option<Uuid> =
                sqlx::query_scalar("SELECT request_id FROM sharing_copies WHERE request_id = $1")
                    .bind(c.request_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if existing.is_some() {
                break 'body Ok(None);
            }
            let document_type = req.document_type.as_str();
            let status = IntakeStatus::parse(&req.status).ok_or_else(|| StoreError::corrupt("sharing status"))?;
            if !status.is_live() {
                return Err(StoreError::Conflict(
                    Message::new("intake.delivery.not_live").with("status", status.code()),
                ));
            }
            if let Some(pid) = c.person_id {
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
                    .bind(pid)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            let source = format!("sharing:{}", c.request_id);
            for (id, kind, content_type, blob) in [
                (pdf_id, document_type, "application/pdf", &c.pdf),
                (meta_id, "sharing-metadata", "application/pkcs7-mime", &c.metadata_p7s),
            ] {
                sqlx::query(
                    "INSERT INTO documents (id, person_id, kind, content_type, sha256, size, source, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(c.person_id)
                .bind(kind)
                .bind(content_type)
                .bind(&blob.sha256)
                .bind(blob.size)
                .bind(&source)
                .bind(&actor.label)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let review = if c.person_id.is_some() { CopyReview::Matched } else { CopyReview::Pending };
            sqlx::query(
                "INSERT INTO sharing_copies (request_id, document_id, metadata_document_id, person_id, hub_fingerprint, \
                 formed_at, stamp, report, consent, received_at, review, reviewed_by, reviewed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, NULL)",
            )
            .bind(c.request_id)
            .bind(pdf_id)
            .bind(meta_id)
            .bind(c.person_id)
            .bind(&c.hub_fingerprint)
            .bind(&c.formed_at)
            .bind(Json(&c.stamp))
            .bind(Json(&c.report))
            .bind(&c.consent)
            .bind(now)
            .bind(review.as_str())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE sharing_requests SET status = $1, delivered_at = $2, updated_at = $2, document_id = $3, \
                 last_error = NULL WHERE id = $4",
            )
            .bind(IntakeStatus::Delivered.code())
            .bind(now)
            .bind(pdf_id)
            .bind(c.request_id)
            .execute(&mut *tx)
            .await?;
            // Who follows the request, and the person's subscribers, hear of
            // it in the same transaction (the outbox).
            let about = serde_json::json!({ "document_type": document_type }).to_string();
            sqlx::query(super::notify::ENQUEUE_FOR_REQUEST)
                .bind(c.request_id)
                .bind(c.request_id.to_string())
                .bind(c.person_id)
                .bind(dossier_domain::notify::Topic::SharedCopyReceived.as_str())
                .bind(now)
                .bind(&about)
                .execute(&mut *tx)
                .await?;
            if let Some(person) = c.person_id {
                sqlx::query(super::notify::ENQUEUE_FOR_PERSON)
                    .bind(person)
                    .bind(c.request_id.to_string())
                    .bind(dossier_domain::notify::Topic::SharedCopyReceived.as_str())
                    .bind(now)
                    .bind(None::<i64>)
                    .bind(&about)
                    .bind(None::<Uuid>)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            let subject = match c.person_id {
                Some(p) => format!("person:{p}"),
                None => format!("sharing_request:{}", c.request_id),
            };
            append_audit!(
                tx,
                d,
                vec![
                    PendingEntry::new(
                        &actor.label,
                        "document.add",
                        &subject,
                        json!({"document_id": pdf_id, "kind": document_type, "sha256": c.pdf.sha256, "size": c.pdf.size})
                    ),
                    PendingEntry::new(
                        &actor.label,
                        "document.add",
                        &subject,
                        json!({"document_id": meta_id, "kind": "sharing-metadata", "sha256": c.metadata_p7s.sha256,
                               "size": c.metadata_p7s.size})
                    ),
                    PendingEntry::new(
                        &actor.label,
                        "sharing.copy.receive",
                        format!("sharing_request:{}", c.request_id),
                        json!({"document_id": pdf_id, "review": review.as_str(), "hub": c.hub_fingerprint,
                               "from": status.code()})
                    ),
                ]
            );
            tx.commit().await?;
            Ok::<Option<(RequestOfCopy, CopyReview)>, StoreError>(Some((req, review)))
        })?;
        // A new copy is known whole without reading it back; a repeat's is read.
        let Some((req, review)) = created else {
            return Ok((self.sharing_copy(c.request_id).await?.ok_or(StoreError::NotFound)?, false));
        };
        let copy = SharingCopy {
            request_id: c.request_id,
            document_id: pdf_id,
            metadata_document_id: meta_id,
            person_id: c.person_id,
            unit_id: req.unit_id,
            branch_id: req.branch_id,
            document_type: doc_type(&req.document_type)?,
            requested_by: req.requested_by,
            requested_at: req.created_at,
            received_at: now,
            hub_fingerprint: c.hub_fingerprint.clone(),
            formed_at: c.formed_at.clone(),
            stamp: c.stamp.clone(),
            report: c.report.clone(),
            consent: c.consent.clone(),
            review,
            reviewed_by: None,
        };
        Ok((copy, true))
    }

    async fn sharing_copy(&self, request_id: Uuid) -> StoreResult<Option<SharingCopy>> {
        let row: Option<CopyRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("{COPY_SELECT} WHERE c.request_id = $1"))
                .bind(request_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(CopyRow::into_record).transpose()
    }

    async fn review_queue(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<SharingCopy>> {
        let (lo, hi) = subtree_range(scope);
        let rows: Vec<CopyRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "{COPY_SELECT} JOIN org_units u ON u.id = r.unit_id \
                 WHERE c.review = 'pending' AND u.path >= $1 AND u.path < $2 \
                 ORDER BY c.received_at LIMIT $3 OFFSET $4"
            ))
            .bind(lo)
            .bind(hi)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(CopyRow::into_record).collect()
    }

    /// Attaches a copy from the review queue to a person (both documents move
    /// into the dossier). `Conflict` if it is no longer pending.
    async fn assign_sharing_copy(&self, actor: &Actor, request_id: Uuid, person_id: Uuid) -> StoreResult<SharingCopy> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<(String, Uuid, Uuid)> = sqlx::query_as(&format!(
                "SELECT review, document_id, metadata_document_id FROM sharing_copies WHERE request_id = $1{}",
                d.for_update()
            ))
            .bind(request_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((review, pdf_id, meta_id)) = row else { return Err(StoreError::NotFound) };
            if review != CopyReview::Pending.as_str() {
                return Err(StoreError::Conflict(Message::new("intake.review.already")));
            }
            let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "UPDATE sharing_copies SET person_id = $1, review = $2, reviewed_by = $3, reviewed_at = $4 \
                 WHERE request_id = $5",
            )
            .bind(person_id)
            .bind(CopyReview::Assigned.as_str())
            .bind(&actor.label)
            .bind(now)
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE documents SET person_id = $1 WHERE id = $2 OR id = $3")
                .bind(person_id)
                .bind(pdf_id)
                .bind(meta_id)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "sharing.copy.assign",
                    format!("person:{person_id}"),
                    json!({"request_id": request_id, "document_id": pdf_id})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.sharing_copy(request_id).await?.ok_or(StoreError::NotFound)
    }
}
