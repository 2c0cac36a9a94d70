//! Destruction of spoiled and unclaimed certificates by a commission: the act,
//! its members' signatures, and the certificates it moves.
use super::*;
use dossier_db::BeginWrite;

/// Drafts a destruction act for the commission appointed by `order_no`
/// at `unit_id`; refused unless that commission is complete and chaired
/// by the head of the body.
pub(super) async fn create_destruction_act(
    store: &SqlStore,
    actor: &Actor,
    unit_id: i64,
    order_no: &str,
    lines: &[DestructionLine],
    now: DateTime<Utc>,
) -> StoreResult<DestructionAct> {
    if lines.is_empty() {
        return Err(Invalid::one("items", "production.act.empty").into());
    }
    let id = Uuid::now_v7();
    on_db!(&store.db, write, |pool, d| {
        let mut tx = pool.begin_write().await?;
        let unit = unit_in_tx!(tx, unit_id).ok_or(StoreError::NotFound)?;
        let today = production_today(now);
        let members: Vec<AppointmentRecord> =
            appointments_in_tx!(tx, unit.id, [Duty::CommissionChair, Duty::CommissionMember], today)
                .into_iter()
                .filter(|a| a.order_no == order_no.trim())
                .collect();
        let head = appointments_in_tx!(tx, unit.id, [Duty::Head], today);
        let head_name = head.first().map(|h| h.full_name.clone()).unwrap_or_default();
        let domain: Vec<Appointment> = members.iter().map(AppointmentRecord::as_domain).collect();
        check_commission(&domain, &head_name, today).map_err(StoreError::Conflict)?;
        let mut items = Vec::with_capacity(lines.len());
        for l in lines {
            let cert = cert_for_update!(tx, d, l.certificate_id).ok_or(StoreError::NotFound)?;
            let no = cert.certificate_no.clone().unwrap_or_else(|| cert.number.clone());
            if !unit.path.contains(&cert.unit_path) {
                return Err(StoreError::Conflict(Message::new("production.act.other_unit").with("certificate", &no)));
            }
            lifecycle::next(cert.data.form, cert.stage, Event::Destroy).map_err(|_| {
                StoreError::Conflict(Message::new("production.act.wrong_stage").with("certificate", &no))
            })?;
            if let Some(act) = open_act_of!(tx, l.certificate_id) {
                return Err(on_open_act(&cert, act));
            }
            items.push(l.clone());
        }
        let n = next_counter!(tx, format!("destruction_act:{}", now.year()));
        let number = format!("АЗ-{}-{n:05}", now.year());
        let seats: Vec<serde_json::Value> = members
            .iter()
            .map(|m| json!({"account_id": m.account_id, "full_name": m.full_name, "duty": m.duty}))
            .collect();
        sqlx::query("INSERT INTO destruction_acts (id, number, unit_id, order_no, members, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)")
            .bind(id)
            .bind(&number)
            .bind(unit.id)
            .bind(order_no.trim())
            .bind(serde_json::Value::Array(seats).to_string())
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (line, l) in items.iter().enumerate() {
            sqlx::query("INSERT INTO destruction_items (act_id, line, certificate_id, reason) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(i64::try_from(line + 1).unwrap_or(i64::MAX))
                .bind(l.certificate_id)
                .bind(l.reason.as_str())
                .execute(&mut *tx)
                .await?;
        }
        append_audit!(
            tx,
            d,
            vec![PendingEntry::new(
                &actor.label,
                "production.destruction.draft",
                format!("destruction_act:{id}"),
                json!({"number": number, "unit_id": unit.id, "order_no": order_no.trim(), "count": items.len()}),
            )]
        );
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })?;
    store.destruction_act(id).await?.ok_or(StoreError::NotFound)
}

/// A commission member signs; the last signature destroys every listed
/// certificate, everywhere, in the same transaction.
pub(super) async fn sign_destruction_act(
    store: &SqlStore,
    actor: &Actor,
    act_id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<DestructionAct> {
    let act = store.destruction_act(act_id).await?.ok_or(StoreError::NotFound)?;
    if act.completed {
        return Err(conflict("production.act.not_open"));
    }
    let account = actor.account_id.ok_or_else(|| conflict("production.act.not_member"))?;
    if !act.commission.iter().any(|s| s.account_id == account) {
        return Err(conflict("production.act.not_member"));
    }
    on_db!(&store.db, write, |pool, d| {
        let mut tx = pool.begin_write().await?;
        let status: String =
            sqlx::query_scalar(&format!("SELECT status FROM destruction_acts WHERE id = $1{}", d.for_update()))
                .bind(act_id)
                .fetch_one(&mut *tx)
                .await?;
        if status != "open" {
            return Err(conflict("production.act.not_open"));
        }
        sqlx::query("INSERT INTO destruction_signatures (act_id, account_id, signed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(act_id)
            .bind(account)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let signed: Vec<Uuid> = sqlx::query_scalar("SELECT account_id FROM destruction_signatures WHERE act_id = $1")
            .bind(act_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut audit = vec![PendingEntry::new(
            &actor.label,
            "production.destruction.sign",
            format!("destruction_act:{act_id}"),
            json!({"number": act.number}),
        )];
        let members: Vec<Appointment> = act
            .commission
            .iter()
            .map(|s| Appointment { person: s.account_id.to_string(), role: s.duty, from: NaiveDate::MIN, until: None })
            .collect();
        let signed_by: Vec<String> = signed.iter().map(Uuid::to_string).collect();
        if check_act_signed(&members, &signed_by).is_ok() {
            for item in &act.items {
                let cert = cert_for_update!(tx, d, item.certificate_id).ok_or(StoreError::NotFound)?;
                audit.push(step_in_tx!(
                    tx,
                    &cert,
                    Event::Destroy,
                    now,
                    actor,
                    Some(format!("act {}: {}", act.number, item.reason.as_str())),
                    json!({"act": act.number, "reason": item.reason.as_str()})
                ));
            }
            sqlx::query("UPDATE destruction_acts SET status = 'completed', completed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(act_id)
                .execute(&mut *tx)
                .await?;
            audit.push(PendingEntry::new(
                &actor.label,
                "production.destruction.complete",
                format!("destruction_act:{act_id}"),
                json!({"number": act.number, "count": act.items.len()}),
            ));
        }
        append_audit!(tx, d, audit);
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })?;
    store.destruction_act(act_id).await?.ok_or(StoreError::NotFound)
}

pub(super) async fn destruction_act(store: &SqlStore, id: Uuid) -> StoreResult<Option<DestructionAct>> {
    type Head = (Uuid, String, i64, String, String, String, String, DateTime<Utc>, Option<DateTime<Utc>>);
    type Items = Vec<(i64, Uuid, Option<String>, String)>;
    type Signed = Vec<(Uuid, DateTime<Utc>)>;
    let (head, items, signed): (Option<Head>, Items, Signed) = on_db!(&store.db, read, |pool, _d| {
        let head = sqlx::query_as("SELECT id, number, unit_id, order_no, members, status, created_by, created_at, completed_at FROM destruction_acts WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
        let items = sqlx::query_as("SELECT i.line, i.certificate_id, c.certificate_no, i.reason FROM destruction_items i JOIN certificates c ON c.id = i.certificate_id WHERE i.act_id = $1 ORDER BY i.line")
                .bind(id)
                .fetch_all(pool)
                .await?;
        let signed = sqlx::query_as("SELECT account_id, signed_at FROM destruction_signatures WHERE act_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await?;
        (head, items, signed)
    });
    let Some((id, number, unit_id, order_no, members, status, created_by, created_at, completed_at)) = head else {
        return Ok(None);
    };
    #[derive(serde::Deserialize)]
    struct Seat {
        account_id: Uuid,
        full_name: String,
        duty: Duty,
    }
    let seats: Vec<Seat> = serde_json::from_str(&members).map_err(StoreError::corrupt)?;
    let signed: HashMap<Uuid, DateTime<Utc>> = signed.into_iter().collect();
    Ok(Some(DestructionAct {
        id,
        number,
        unit_id,
        order_no,
        commission: seats
            .into_iter()
            .map(|s| CommissionSeat {
                signed_at: signed.get(&s.account_id).copied(),
                account_id: s.account_id,
                full_name: s.full_name,
                duty: s.duty,
            })
            .collect(),
        completed: status == "completed",
        created_by,
        created_at,
        completed_at,
        items: items
            .into_iter()
            .map(|(line, certificate_id, certificate_no, reason)| {
                Ok(DestructionItem {
                    line,
                    certificate_id,
                    certificate_no,
                    reason: production::DestructionReason::parse(&reason)
                        .ok_or_else(|| StoreError::corrupt("destruction reason"))?,
                })
            })
            .collect::<StoreResult<_>>()?,
    }))
}

pub(super) async fn destruction_acts(
    store: &SqlStore,
    scope: &UnitPath,
    page: Page,
) -> StoreResult<Vec<DestructionAct>> {
    let (lo, hi) = subtree_range(scope);
    let ids: Vec<Uuid> = on_db!(&store.db, read, |pool, _d| {
        sqlx::query_scalar(
            "SELECT id FROM destruction_acts WHERE unit_id IN (SELECT id FROM org_units WHERE path >= $1 AND path < $2) \
             ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, created_at DESC LIMIT $3 OFFSET $4",
        )
        .bind(&lo)
        .bind(&hi)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?
    });
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(store.destruction_act(id).await?);
    }
    Ok(out)
}
