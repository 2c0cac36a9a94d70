//! Digitized data reused (SPEC §2.5: "keeps descriptive metadata fields so it
//! can be reused in other related procedures"): registering a person can take
//! the fields a paper's recognition and its reviewer settled, and the person's
//! history keeps where each came from — which paper, which page, accepted as
//! read or decided by whom and when.
use chrono::{DateTime, Utc};
use dossier_domain::digitization::FieldKind;
use dossier_domain::org::Permission;
use dossier_domain::person::PersonInput;
use dossier_store::{DigitizedDocument, DigitizedStatus, FieldStatus, FromPaper, PersonRecord};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::dossier_in_scope;
use crate::error::{AppError, AppResult};
use crate::{App, Caller};

/// A field of a person's record a paper can fill, and where its value is from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Taken {
    /// The person's field, as `PersonInput` names it, e.g. `rnokpp`.
    pub field: &'static str,
    pub value: String,
    /// The paper's field it is read from.
    #[schemars(with = "String")]
    pub from: FieldKind,
    /// The page it was read on, when found on one.
    pub page: Option<u32>,
    /// Accepted as read, confirmed or corrected by a person.
    pub status: FieldStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// What a digitized paper offers a new person's record.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PersonDraft {
    pub document: DigitizedDocument,
    pub taken: Vec<Taken>,
}

impl PersonDraft {
    /// The registration form's input with the paper's values in place.
    pub fn input(&self) -> PersonInput {
        let mut input = PersonInput::default();
        for t in &self.taken {
            if let Some(field) = input.text_field(t.field) {
                field.set(t.value.clone());
            }
        }
        input
    }

    /// The fields of `input` that still hold the paper's value: what the
    /// record took from it (a value the clerk retyped is the clerk's).
    fn kept(&self, input: &PersonInput) -> Vec<&Taken> {
        let mut form = input.clone();
        self.taken
            .iter()
            .filter(|t| form.text_field(t.field).is_some_and(|f| f.get().map(str::trim) == Some(t.value.as_str())))
            .collect()
    }
}

/// What the paper `document_id` offers a person's record: its settled fields
/// (none waits for a person — a document in review offers nothing yet), if
/// the caller may register people and see the paper's dossier.
pub async fn person_draft(app: &App, caller: &Caller, document_id: Uuid) -> AppResult<PersonDraft> {
    caller.require(Permission::WritePerson)?;
    let (document, fields) = app.store.digitized_document(document_id).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, document.dossier_id, Permission::Digitize).await?;
    if document.status != DigitizedStatus::Ready {
        return Err(AppError::conflict("digitization.reuse_not_ready"));
    }
    let taken = fields
        .into_iter()
        .filter(|f| f.status != FieldStatus::Review)
        .filter_map(|f| {
            Some(Taken {
                field: f.field.person_field(document.kind)?,
                value: f.value?,
                from: f.field,
                page: f.place.map(|p| p.page),
                status: f.status,
                decided_by: f.decided_by,
                decided_at: f.decided_at,
            })
        })
        .collect();
    Ok(PersonDraft { document, taken })
}

/// Registers a person from `input` that started as the paper's draft, and
/// records in their history which of the record's fields came from which
/// page of which paper and who settled them; the paper's dossier becomes
/// theirs if it had no person.
pub async fn register_person(
    app: &App,
    caller: &Caller,
    unit_id: Option<i64>,
    input: &PersonInput,
    document_id: Uuid,
) -> AppResult<PersonRecord> {
    let draft = person_draft(app, caller, document_id).await?;
    let (unit_id, data) = crate::people::validated(app, caller, unit_id, input)?;
    let fields: Vec<_> = draft
        .kept(input)
        .into_iter()
        .map(|t| {
            json!({
                "field": t.field,
                "from": t.from.code(),
                "page": t.page,
                "status": t.status.as_str(),
                "decided_by": t.decided_by,
                "decided_at": t.decided_at,
            })
        })
        .collect();
    let paper = FromPaper {
        dossier_id: draft.document.dossier_id,
        details: json!({
            "document": draft.document.id,
            "result_code": draft.document.result_code,
            "fields": fields,
        }),
    };
    Ok(app.store.create_person_from_paper(&caller.actor(), unit_id, &data, &paper).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(field: &'static str, value: &str) -> Taken {
        Taken {
            field,
            value: value.into(),
            from: FieldKind::Surname,
            page: Some(1),
            status: FieldStatus::Accepted,
            decided_by: None,
            decided_at: None,
        }
    }

    fn draft(taken: Vec<Taken>) -> PersonDraft {
        let document = DigitizedDocument {
            id: Uuid::nil(),
            dossier_id: Uuid::nil(),
            ordinal: 1,
            result_code: "000.00.31.H29-261204-0001.KQ01".into(),
            kind: dossier_domain::digitization::DocumentKind::UaTaxpayerCard,
            status: DigitizedStatus::Ready,
            pages: 1,
            created_by: "clerk".into(),
            created_at: Utc::now(),
            result: None,
        };
        PersonDraft { document, taken }
    }

    #[test]
    fn the_draft_fills_the_form_and_a_retyped_value_is_not_the_paper_s() {
        let d =
            draft(vec![taken("surname", "Шевчук"), taken("rnokpp", "1759013776"), taken("birth_date", "1948-02-28")]);
        let mut input = d.input();
        assert_eq!((input.surname.as_str(), input.rnokpp.as_deref()), ("Шевчук", Some("1759013776")));
        assert_eq!(d.kept(&input).len(), 3);
        input.birth_date = "1948-02-29".into();
        let kept: Vec<&str> = d.kept(&input).iter().map(|t| t.field).collect();
        assert_eq!(kept, ["surname", "rnokpp"]);
    }
}
