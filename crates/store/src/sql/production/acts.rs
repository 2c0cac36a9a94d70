//! Acceptance-transfer acts (form 3) between offices, and the issue journal
//! (form 6) the receiving office keeps as it hands certificates over.
use super::*;
use dossier_db::BeginWrite;

/// The sending side's responsible person lists produced certificates for
/// a region, or received ones for a district. Stages move on acceptance.
pub(super) async fn create_transfer_act(
    store: &SqlStore,
    actor: &Actor,
    from_unit_id: i64,
    to_unit_id: i64,
    certificate_ids: &[Uuid],
    now: DateTime<Utc>,
) -> StoreResult<TransferAct> {
    if certificate_ids.is_empty() {
        return Err(Invalid::one("certificate_ids", "production.act.empty").into());
    }
    let id = Uuid::now_v7();
    on_db!(&store.db, write, |pool, d| {
        let mut tx = pool.begin_write().await?;
        let from = unit_in_tx!(tx, from_unit_id).ok_or(StoreError::NotFound)?;
        let to = unit_in_tx!(tx, to_unit_id).ok_or(StoreError::NotFound)?;
        let event = match (from.kind, to.kind) {
            (UnitKind::CentralFund, UnitKind::RegionalOffice) if to.parent_id == Some(from.id) => {
                Event::TransferToRegion
            }
            (UnitKind::RegionalOffice, UnitKind::DistrictOffice) if to.parent_id == Some(from.id) => {
                Event::TransferToDistrict
            }
            _ => return Err(Invalid::one("to_unit_id", "production.act.wrong_direction").into()),
        };
        let today = production_today(now);
        let responsible = appointments_in_tx!(tx, from.id, [Duty::ResponsiblePerson], today);
        require_responsible(actor, &responsible)?;
        let mut items = Vec::with_capacity(certificate_ids.len());
        for cid in certificate_ids {
            let cert = cert_for_update!(tx, d, cid).ok_or(StoreError::NotFound)?;
            let no = cert.certificate_no.clone().unwrap_or_else(|| cert.number.clone());
            if !to.path.contains(&cert.unit_path) {
                return Err(StoreError::Conflict(Message::new("production.act.other_unit").with("certificate", &no)));
            }
            lifecycle::next(cert.data.form, cert.stage, event).map_err(|_| {
                StoreError::Conflict(Message::new("production.act.wrong_stage").with("certificate", &no))
            })?;
            if let Some(act) = open_act_of!(tx, cid) {
                return Err(on_open_act(&cert, act));
            }
            items.push((cert.id, no));
        }
        let n = next_counter!(tx, format!("transfer_act:{}", now.year()));
        let number = format!("АПП-{}-{n:06}", now.year());
        sqlx::query("INSERT INTO transfer_acts (id, number, from_unit_id, to_unit_id, to_unit_path, status, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, 'sent', $6, $7)")
            .bind(id)
            .bind(&number)
            .bind(from.id)
            .bind(to.id)
            .bind(to.path.as_str())
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (line, (cid, no)) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO transfer_act_items (act_id, line, certificate_id, certificate_no) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(i64::try_from(line + 1).unwrap_or(i64::MAX))
            .bind(cid)
            .bind(no)
            .execute(&mut *tx)
            .await?;
        }
        append_audit!(
            tx,
            d,
            vec![PendingEntry::new(
                &actor.label,
                "production.act.send",
                format!("transfer_act:{id}"),
                json!({"number": number, "from": from.id, "to": to.id, "count": items.len()}),
            )]
        );
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })?;
    store.transfer_act(id).await?.ok_or(StoreError::NotFound)
}

/// The receiving side's responsible person confirms the act: what arrived
/// moves on (and, at a district, enters the issue journal), what did not is
/// recorded as a discrepancy.
pub(super) async fn accept_transfer_act(
    store: &SqlStore,
    actor: &Actor,
    act_id: Uuid,
    acceptance: &ActAcceptance,
    now: DateTime<Utc>,
) -> StoreResult<TransferAct> {
    let act = store.transfer_act(act_id).await?.ok_or(StoreError::NotFound)?;
    if act.status != ActStatus::Sent {
        return Err(conflict("production.act.not_open"));
    }
    let listed: Vec<String> = act.items.iter().map(|i| i.certificate_no.clone()).collect();
    let received = acceptance.received.clone().unwrap_or_else(|| listed.clone());
    let found: Discrepancies = reconcile(&listed, &received, &acceptance.damaged);
    on_db!(&store.db, write, |pool, d| {
        let mut tx = pool.begin_write().await?;
        let status: String =
            sqlx::query_scalar(&format!("SELECT status FROM transfer_acts WHERE id = $1{}", d.for_update()))
                .bind(act_id)
                .fetch_one(&mut *tx)
                .await?;
        if status != "sent" {
            return Err(conflict("production.act.not_open"));
        }
        let to = unit_in_tx!(tx, act.to_unit_id).ok_or(StoreError::NotFound)?;
        let responsible = appointments_in_tx!(tx, to.id, [Duty::ResponsiblePerson], production_today(now));
        require_responsible(actor, &responsible)?;
        let event = match to.kind {
            UnitKind::RegionalOffice => Event::TransferToRegion,
            _ => Event::TransferToDistrict,
        };
        let mut audit = vec![];
        let mut next_line: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(line), 0) FROM journal_entries WHERE unit_id = $1")
                .bind(to.id)
                .fetch_one(&mut *tx)
                .await?;
        for item in act.items.iter().filter(|i| !found.missing.contains(&i.certificate_no)) {
            let cert = cert_for_update!(tx, d, item.certificate_id).ok_or(StoreError::NotFound)?;
            audit.push(step_in_tx!(
                tx,
                &cert,
                event,
                now,
                actor,
                Some(format!("act {}", act.number)),
                json!({"act": act.number})
            ));
            if event == Event::TransferToDistrict {
                // Form 6, columns 1–4: line, certificate, act, holder.
                let name: (String, String, Option<String>) =
                    sqlx::query_as("SELECT surname, given_name, patronymic FROM persons WHERE id = $1")
                        .bind(cert.person_id)
                        .fetch_one(&mut *tx)
                        .await?;
                next_line += 1;
                sqlx::query("INSERT INTO journal_entries (unit_id, line, certificate_id, certificate_no, act_id, holder_name, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(to.id)
                    .bind(next_line)
                    .bind(cert.id)
                    .bind(&item.certificate_no)
                    .bind(act_id)
                    .bind(full_name(&name.0, &name.1, name.2.as_deref()))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let disc =
            (!found.is_empty()).then(|| serde_json::to_string(&found)).transpose().map_err(StoreError::corrupt)?;
        sqlx::query("UPDATE transfer_acts SET status = 'accepted', accepted_by = $1, accepted_at = $2, discrepancies = $3 WHERE id = $4")
            .bind(&actor.label)
            .bind(now)
            .bind(disc)
            .bind(act_id)
            .execute(&mut *tx)
            .await?;
        audit.push(PendingEntry::new(
            &actor.label,
            "production.act.accept",
            format!("transfer_act:{act_id}"),
            json!({"number": act.number, "discrepancies": found}),
        ));
        append_audit!(tx, d, audit);
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })?;
    store.transfer_act(act_id).await?.ok_or(StoreError::NotFound)
}

pub(super) async fn transfer_act(store: &SqlStore, id: Uuid) -> StoreResult<Option<TransferAct>> {
    let (row, items): (Option<ActRow>, Vec<(i64, Uuid, String)>) = on_db!(&store.db, read, |pool, _d| {
        let row = sqlx::query_as(&format!("SELECT {ACT_COLS} FROM transfer_acts WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?;
        let items = sqlx::query_as(
            "SELECT line, certificate_id, certificate_no FROM transfer_act_items WHERE act_id = $1 ORDER BY line",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        (row, items)
    });
    row.map(|r| act_from_row(r, items)).transpose()
}

/// Acts sent from or to a unit in `scope`, newest first.
pub(super) async fn transfer_acts(store: &SqlStore, scope: &UnitPath, page: Page) -> StoreResult<Vec<TransferAct>> {
    let (lo, hi) = subtree_range(scope);
    let rows: Vec<ActRow> = on_db!(&store.db, read, |pool, _d| {
        sqlx::query_as(&format!(
            "SELECT {ACT_COLS} FROM transfer_acts WHERE (to_unit_path >= $1 AND to_unit_path < $2) \
             OR from_unit_id IN (SELECT id FROM org_units WHERE path >= $1 AND path < $2) \
             ORDER BY sent_at DESC LIMIT $3 OFFSET $4"
        ))
        .bind(&lo)
        .bind(&hi)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?
    });
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let items = store.transfer_act(r.id).await?.map(|a| a.items).unwrap_or_default();
        out.push(act_from_row(r, items.into_iter().map(|i| (i.line, i.certificate_id, i.certificate_no)).collect())?);
    }
    Ok(out)
}

pub(super) async fn issue_certificate(
    store: &SqlStore,
    actor: &Actor,
    id: Uuid,
    issue: &Issue,
    now: DateTime<Utc>,
) -> StoreResult<JournalLine> {
    let unit_id = on_db!(&store.db, write, |pool, d| {
        let mut tx = pool.begin_write().await?;
        let cert = cert_for_update!(tx, d, id).ok_or(StoreError::NotFound)?;
        let unit_id: Option<i64> =
            sqlx::query_scalar("SELECT unit_id FROM journal_entries WHERE certificate_id = $1 AND issued_at IS NULL")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        // Issuing before acceptance by act is refused: no journal line yet.
        let unit_id = unit_id.ok_or_else(|| conflict("production.issue.not_received"))?;
        let entry = step_in_tx!(tx, &cert, Event::Issue, now, actor, None, json!({"recipient": issue.recipient()}));
        sqlx::query("UPDATE journal_entries SET issued_at = $1, issued_by = $2, recipient_name = $3, recipient = $4, signature = $5 WHERE certificate_id = $6")
            .bind(now)
            .bind(&actor.label)
            .bind(issue.recipient_name())
            .bind(serde_json::to_string(issue.recipient()).map_err(StoreError::corrupt)?)
            .bind(issue.signature().as_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append_audit!(tx, d, vec![entry]);
        tx.commit().await?;
        Ok::<i64, StoreError>(unit_id)
    })?;
    let rows: Vec<JournalRow> = on_db!(&store.db, read, |pool, _d| {
        sqlx::query_as(&format!("{JOURNAL_SELECT} WHERE j.unit_id = $1 AND j.certificate_id = $2"))
            .bind(unit_id)
            .bind(id)
            .fetch_all(pool)
            .await?
    });
    rows.into_iter().next().ok_or(StoreError::NotFound)?.into_line()
}

/// A district's journal lines received in `[from, to)`, in line order.
pub(super) async fn journal(
    store: &SqlStore,
    unit_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<JournalLine>> {
    let rows: Vec<JournalRow> = on_db!(&store.db, read, |pool, _d| {
        sqlx::query_as(&format!(
            "{JOURNAL_SELECT} WHERE j.unit_id = $1 AND j.received_at >= $2 AND j.received_at < $3 ORDER BY j.line"
        ))
        .bind(unit_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter().map(JournalRow::into_line).collect()
}

pub(super) fn act_from_row(r: ActRow, items: Vec<(i64, Uuid, String)>) -> StoreResult<TransferAct> {
    Ok(TransferAct {
        id: r.id,
        number: r.number,
        from_unit_id: r.from_unit_id,
        to_unit_id: r.to_unit_id,
        status: if r.status == "accepted" { ActStatus::Accepted } else { ActStatus::Sent },
        sent_by: r.sent_by,
        sent_at: r.sent_at,
        accepted_by: r.accepted_by,
        accepted_at: r.accepted_at,
        discrepancies: r.discrepancies.map(|d| serde_json::from_str(&d)).transpose().map_err(StoreError::corrupt)?,
        items: items
            .into_iter()
            .map(|(line, certificate_id, certificate_no)| ActItem { line, certificate_id, certificate_no })
            .collect(),
    })
}
