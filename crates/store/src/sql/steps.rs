//! The steps every certificate write shares, as macros over an open
//! transaction (the body is compiled once per backend inside `on_db!`):
//! lock a certificate, move it one stage, record the event and the
//! messages it causes, take a number.
//! `step_in_tx!` is the one way a certificate changes stage.

/// Records a stage change of a certificate in `certificate_events` at `at`.
macro_rules! record_event {
    ($tx:expr, $id:expr, $event:expr, $from:expr, $to:expr, $actor:expr, $note:expr, $at:expr) => {{
        let from: Option<&str> = $from;
        sqlx::query("INSERT INTO certificate_events (certificate_id, event, from_stage, to_stage, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind($id)
            .bind($event)
            .bind(from)
            .bind($to)
            .bind($actor)
            .bind($note)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use record_event;

/// Moves one certificate along its life cycle inside a transaction: the
/// domain decides the next stage and the deadline; the event is recorded.
macro_rules! step_in_tx {
    ($tx:expr, $cert:expr, $event:expr, $now:expr, $actor:expr, $note:expr, $extra_audit:expr) => {{
        let cert: &$crate::CertificateRecord = $cert;
        let to = dossier_domain::lifecycle::next(cert.data.form, cert.stage, $event).map_err(dossier_db::StoreError::Conflict)?;
        // A paper certificate an open act lists moves only by that act (§III.6, §III.8).
        if cert.data.form == dossier_domain::lifecycle::CertificateForm::Paper && !$event.is_by_act() {
            if let Some(act) = $crate::sql::steps::open_act_of!($tx, cert.id) {
                return Err($crate::sql::steps::on_open_act(cert, act).into());
            }
        }
        let due = dossier_domain::production::deadline_after(cert.data.form, $event, $now, cert.due_at);
        sqlx::query("UPDATE certificates SET stage = $1, updated_at = $2, stage_at = $2, due_at = $3 WHERE id = $4")
            .bind(to.as_str())
            .bind($now)
            .bind(due)
            .bind(cert.id)
            .execute(&mut *$tx)
            .await?;
        let note: Option<String> = $note;
        $crate::sql::steps::record_event!($tx, cert.id, $event.as_str(), Some(cert.stage.as_str()), to.as_str(), &$actor.label, note, $now);
        // The citizen's messages go in the same transaction (the outbox).
        $crate::sql::notify::notify_step!($tx, cert, to, $now, due);
        let mut details = serde_json::json!({"event": $event.as_str(), "from": cert.stage.as_str(), "to": to.as_str()});
        if let (Some(d), serde_json::Value::Object(extra)) = (details.as_object_mut(), $extra_audit) {
            d.extend(extra);
        }
        dossier_db::audit::PendingEntry::new(&$actor.label, "certificate.transition", format!("certificate:{}", cert.id), details)
    }};
}

/// The number of the open act that lists a certificate, if any: an
/// acceptance-transfer act not yet accepted or a destruction act not yet
/// signed by its whole commission.
macro_rules! open_act_of {
    ($tx:expr, $id:expr) => {{
        let act: Option<String> = sqlx::query_scalar(
            "SELECT a.number FROM transfer_act_items i JOIN transfer_acts a ON a.id = i.act_id \
             WHERE i.certificate_id = $1 AND a.status = 'sent' \
             UNION ALL SELECT a.number FROM destruction_items i JOIN destruction_acts a ON a.id = i.act_id \
             WHERE i.certificate_id = $1 AND a.status = 'open' LIMIT 1",
        )
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?;
        act
    }};
}

/// The refusal for a certificate that an open act holds, naming both.
pub(crate) fn on_open_act(cert: &crate::CertificateRecord, act: String) -> dossier_db::StoreError {
    let no = cert.certificate_no.as_deref().unwrap_or(&cert.number);
    dossier_db::StoreError::Conflict(
        dossier_domain::Message::new("production.certificate.on_open_act").with("certificate", no).with("act", act),
    )
}

/// A certificate row, locked for the transaction on PostgreSQL.
macro_rules! cert_for_update {
    ($tx:expr, $d:expr, $id:expr) => {{
        let row: Option<$crate::sql::rows::CertRow> = sqlx::query_as(&format!(
            "SELECT {} FROM certificates WHERE id = $1{}",
            $crate::sql::rows::CERT_COLS,
            $d.for_update()
        ))
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?;
        row.map($crate::sql::rows::CertRow::into_record).transpose()?
    }};
}

/// Takes the next value of a named counter inside a transaction.
macro_rules! next_counter {
    ($tx:expr, $name:expr) => {{
        let n: i64 = sqlx::query_scalar("INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value")
            .bind($name)
            .fetch_one(&mut *$tx)
            .await?;
        n
    }};
}
pub(crate) use {cert_for_update, next_counter, open_act_of, step_in_tx};
