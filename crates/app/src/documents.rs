//! The fund's documents as PDF/A from stored records — the filled application
//! (form 1), the acceptance-transfer act (form 3), the issue journal (form 6),
//! the destruction act, the card's back (form 5) — signed (PAdES) with the
//! fund's document seal when one is configured. Rendering and signing are
//! CPU-bound and run on the blocking pool. Callers have authorized the read.
use chrono::Utc;
use dossier_domain::Lang;
use dossier_domain::application::CertificateText;
use dossier_domain::lifecycle::CertificateForm;
use dossier_domain::production::{DestructionReason, Recipient};
use dossier_domain::time::kyiv_time;
use dossier_pdf::{ActLine, ApplicationForm, Field, Journal, JournalEntry, Signatory};
use dossier_store::{CertificateRecord, DestructionAct, JournalLine, TransferAct, Unit};

use crate::App;
use crate::error::{AppError, AppResult};

fn unit_name(app: &App, id: i64) -> String {
    app.unit(id).map(|u| u.name_uk).unwrap_or_default()
}

/// The full name of the account behind an actor label (a login), or the label.
pub(crate) async fn signer_name(app: &App, label: &str) -> String {
    match app.store.account_by_login(label).await {
        Ok(Some(a)) => a.full_name,
        _ => label.to_owned(),
    }
}

async fn owner_name(app: &App, certificate_id: uuid::Uuid) -> AppResult<String> {
    let Some(c) = app.store.certificate(certificate_id).await? else { return Ok(String::new()) };
    let Some(p) = app.store.person(c.person_id).await? else { return Ok(String::new()) };
    Ok(p.data.name.display())
}

/// How long what the fund signs must stay provable.
enum Keep {
    /// Acts and journals: B-T (B-B without a time-stamping unit).
    Working,
    /// What people keep (statements, decisions): B-LTA, with these CRLs inside.
    LongTerm(Vec<Vec<u8>>),
}

/// Renders with `render` and signs, off the async threads.
pub(crate) async fn render_signed(
    app: &App,
    reason: &'static str,
    render: impl FnOnce(chrono::DateTime<chrono::FixedOffset>) -> Result<Vec<u8>, dossier_pdf::PdfError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    render_sealed(app, reason, Keep::Working, render).await
}

/// Renders a document the fund issues for people to keep (statements) and
/// signs it for the long term ([`crate::trust::DocumentSeal::sign_long_term`])
/// with today's revocation lists.
pub(crate) async fn render_long_term(
    app: &App,
    reason: &'static str,
    render: impl FnOnce(chrono::DateTime<chrono::FixedOffset>) -> Result<Vec<u8>, dossier_pdf::PdfError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    use x509_cert::der::Encode;
    let crls = crate::trust::current(app).await.crls.iter().filter_map(|c| c.to_der().ok()).collect();
    render_sealed(app, reason, Keep::LongTerm(crls), render).await
}

async fn render_sealed(
    app: &App,
    reason: &'static str,
    keep: Keep,
    render: impl FnOnce(chrono::DateTime<chrono::FixedOffset>) -> Result<Vec<u8>, dossier_pdf::PdfError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    let trust = app.trust.clone();
    tokio::task::spawn_blocking(move || {
        let pdf = render(kyiv_time(Utc::now())).map_err(|e| {
            tracing::error!(error = %e, "rendering a document failed");
            AppError::internal()
        })?;
        let Some(seal) = trust.seal() else { return Ok(pdf) };
        let signed = match keep {
            Keep::Working => seal.sign(&pdf, trust.tsa(), reason),
            Keep::LongTerm(crls) => seal.sign_long_term(&pdf, trust.tsa(), reason, crls),
        };
        signed.map_err(|e| {
            tracing::error!(error = %e, "signing a document failed");
            AppError::internal()
        })
    })
    .await
    .map_err(|_| AppError::internal())?
}

/// Form 1 as filed: the §II.1 data as the certificate will carry it
/// (`CertificateText`, so the form and the certificate cannot disagree), the
/// representative who filed it, and the office's acceptance mark.
pub async fn application_form(app: &App, application: &CertificateRecord) -> AppResult<Vec<u8>> {
    let person = app.store.person(application.person_id).await?.ok_or_else(AppError::not_found)?;
    let representative = match application.data.representative_id {
        Some(id) => app.store.representatives(application.person_id).await?.into_iter().find(|r| r.id == id),
        None => None,
    };
    let filed_on = kyiv_time(application.created_at).date_naive();
    let rep_name = representative.as_ref().map(|r| r.data.name.display());
    let text = CertificateText::compose(&person.data, &application.data, rep_name.as_deref(), filed_on, Lang::UK);
    let mut data = Vec::with_capacity(8);
    match (&text.rnokpp, &text.passport) {
        (Some(r), _) => data.push(Field::new("РНОКПП", r)),
        (None, Some(p)) => data.push(Field::new("Серія та номер паспорта (відмова від РНОКПП)", p)),
        (None, None) => {}
    }
    data.push(Field::new("Прізвище, ім’я, по батькові", &text.full_name));
    data.push(Field::new("Дата народження", &text.birth_date));
    data.push(Field::new("Стать", &text.sex));
    data.push(Field::new("Номер особового рахунку", text.account_no.as_deref().unwrap_or("—")));
    data.push(Field::new("Вид пенсії", &text.pension_kind));
    if let Some(d) = &text.disability {
        data.push(Field::new("Група, підгрупа, причина інвалідності", d));
    }
    // Paper lasts the pension's term (§III.9); a card as long as the bank sets, at most three
    // years, and stays a payment card past a fixed term, which is then extended with a new card
    // (§IV.4).
    let term = match (application.data.form, &text.valid_until) {
        (CertificateForm::Paper, Some(until)) => format!("до {until}"),
        (CertificateForm::Paper, None) => "безстроково".to_owned(),
        (CertificateForm::Card, _) => match dossier_domain::production::term_end(&application.data) {
            Some(until) => format!("до 3 років; строк призначення — до {}", until.format("%d.%m.%Y")),
            None => "до 3 років".to_owned(),
        },
    };
    data.push(Field::new("Строк дії", term));
    if let Some(ps) = application.data.payment_system {
        data.push(Field::new("Платіжна система", ps.message().render(Lang::UK)));
    }
    let (applicant, rep_fields) = match &representative {
        Some(r) => {
            let mut fields = vec![
                Field::new("Прізвище, ім’я, по батькові", r.data.name.display()),
                Field::new("Статус", r.data.kind.message().render(Lang::UK)),
            ];
            if let Some(i) = &r.data.institution_name {
                fields.push(Field::new("Установа", i));
            }
            if let Some(n) = &r.data.rnokpp {
                fields.push(Field::new("РНОКПП", n.to_string()));
            }
            fields.push(Field::new("Документ, що підтверджує статус", &r.data.proof_document));
            (format!("{}, законний представник особи: {}", r.data.name.display(), text.full_name), fields)
        }
        None => (text.full_name.clone(), vec![]),
    };
    let request = match application.data.form {
        CertificateForm::Paper => "паперове пенсійне посвідчення (форма 2)".to_owned(),
        CertificateForm::Card => format!(
            "електронне пенсійне посвідчення — платіжну картку з видачею в установі: {}",
            unit_name(app, application.data.issue_unit_id)
        ),
    };
    let ground = match &application.data.replacement {
        None => "вперше".to_owned(),
        Some(r) => format!("нове замість попереднього: {}", r.reason.message().render(Lang::UK)),
    };
    let form = ApplicationForm {
        number: application.number.clone(),
        filed_on,
        body: unit_name(app, application.unit_id),
        applicant,
        request,
        ground,
        data,
        representative: rep_fields,
        accepted_by: signer_name(app, &application.created_by).await,
        status_code: crate::tracking::status_link(app, crate::tracking::CaseRef::Certificate(application.id))
            .and_then(|link| crate::qr::matrix(&link)),
    };
    render_signed(
        app,
        "Заява на виготовлення пенсійного посвідчення",
        move |at| dossier_pdf::render_application_form(&form, at),
    )
    .await
}

pub async fn transfer_act(app: &App, act: &TransferAct) -> AppResult<Vec<u8>> {
    let disc = act.discrepancies.clone().unwrap_or_default();
    let mut lines = Vec::with_capacity(act.items.len());
    for i in &act.items {
        let remark = if disc.missing.contains(&i.certificate_no) {
            "не надійшло"
        } else if disc.damaged.contains(&i.certificate_no) {
            "пошкоджено"
        } else {
            ""
        };
        lines.push(ActLine {
            certificate_no: i.certificate_no.clone(),
            owner: owner_name(app, i.certificate_id).await?,
            remark: remark.into(),
        });
    }
    let discrepancies = if disc.is_empty() {
        String::new()
    } else {
        let mut parts = vec![];
        for (label, list) in [("не надійшли", &disc.missing), ("зайві", &disc.extra), ("пошкоджені", &disc.damaged)]
        {
            if !list.is_empty() {
                parts.push(format!("{label}: {}", list.join(", ")));
            }
        }
        parts.join("; ")
    };
    let mut signatories = vec![Signatory { role: "Передав".into(), name: signer_name(app, &act.sent_by).await }];
    signatories.push(Signatory {
        role: "Прийняв".into(),
        name: match &act.accepted_by {
            Some(l) => signer_name(app, l).await,
            None => String::new(),
        },
    });
    let doc = dossier_pdf::TransferAct {
        number: act.number.clone(),
        date: kyiv_time(act.sent_at).date_naive(),
        from: unit_name(app, act.from_unit_id),
        to: unit_name(app, act.to_unit_id),
        lines,
        discrepancies,
        signatories,
    };
    render_signed(app, "Акт приймання-передачі пенсійних посвідчень", move |at| {
        dossier_pdf::render_transfer_act(&doc, at)
    })
    .await
}

fn document_text(line: &JournalLine) -> String {
    let name = line.recipient_name.clone().unwrap_or_default();
    match &line.recipient {
        None => String::new(),
        Some(Recipient::Owner { identity_document }) => identity_document.clone(),
        Some(Recipient::Representative { identity_document, status_document, tax_registration, .. }) => {
            let mut s = format!("представник {name}: {identity_document}; {status_document}");
            if let Some(t) = tax_registration {
                s.push_str(&format!("; РНОКПП {t}"));
            }
            s
        }
    }
}

pub async fn journal(app: &App, unit: &Unit, period: &str, lines: &[JournalLine]) -> AppResult<Vec<u8>> {
    let mut entries = Vec::with_capacity(lines.len());
    for l in lines {
        let issued_by = match &l.issued_by {
            Some(label) => format!(
                "{} {}",
                signer_name(app, label).await,
                l.issued_at.map(|t| kyiv_time(t).format("%d.%m.%Y").to_string()).unwrap_or_default()
            ),
            None => String::new(),
        };
        let received_by = match l.signature.as_deref() {
            Some("tick") => "підтверджено".to_owned(),
            Some(s) if s.starts_with("image:") => "підпис (зображення)".to_owned(),
            _ => String::new(),
        };
        entries.push(JournalEntry {
            certificate_no: l.certificate_no.clone(),
            act: format!("№ {} від {}", l.act_number, kyiv_time(l.act_date).format("%d.%m.%Y")),
            recipient: l.holder_name.clone(),
            document: document_text(l),
            issued_by,
            received_by,
        });
    }
    let doc = Journal { body: unit.name_uk.clone(), period: format!("за період {period}"), entries };
    render_signed(app, "Журнал видачі пенсійних посвідчень", move |at| {
        dossier_pdf::render_journal(&doc, at)
    })
    .await
}

fn reason_uk(r: DestructionReason) -> &'static str {
    match r {
        DestructionReason::ErrorInEntries => "помилка в записах",
        DestructionReason::DecisionCancelled => "скасування рішення про призначення пенсії",
        DestructionReason::FalseDocuments => "призначення за підробленими документами",
        DestructionReason::Unusable => "непридатність до використання",
        DestructionReason::OwnerDied => "смерть власника",
        DestructionReason::Replaced => "видано нове посвідчення",
    }
}

pub async fn destruction_act(app: &App, act: &DestructionAct) -> AppResult<Vec<u8>> {
    let mut lines = Vec::with_capacity(act.items.len());
    for i in &act.items {
        lines.push(ActLine {
            certificate_no: i.certificate_no.clone().unwrap_or_default(),
            owner: owner_name(app, i.certificate_id).await?,
            remark: reason_uk(i.reason).into(),
        });
    }
    let mut commission: Vec<Signatory> = act
        .commission
        .iter()
        .map(|s| Signatory {
            role: match s.duty {
                dossier_domain::production::Duty::CommissionChair => "Голова комісії".into(),
                _ => "Член комісії".into(),
            },
            name: s.full_name.clone(),
        })
        .collect();
    // The chair first (the form's order).
    commission.sort_by_key(|s| s.role != "Голова комісії");
    let doc = dossier_pdf::DestructionAct {
        number: act.number.clone(),
        date: kyiv_time(act.completed_at.unwrap_or(act.created_at)).date_naive(),
        body: unit_name(app, act.unit_id),
        order: act.order_no.clone(),
        lines,
        commission,
    };
    render_signed(app, "Акт знищення пенсійних посвідчень", move |at| {
        dossier_pdf::render_destruction_act(&doc, at)
    })
    .await
}
