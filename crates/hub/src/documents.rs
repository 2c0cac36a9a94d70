//! A document as the wallet shows it and the copy prints it: every field of
//! the registry's data in display order, labelled from the catalogue.
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, i18n};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::store::HubDocument;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldView {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    pub document_type: DocumentType,
    pub title: String,
    pub fields: Vec<FieldView>,
}

/// A document's fields in display order with labels from the catalogue
/// (`wallet.field.<path>`; nested objects flattened to `a.b`).
pub fn fields_of(data: &serde_json::Value, lang: Lang) -> Vec<FieldView> {
    fn walk(prefix: &str, v: &serde_json::Value, lang: Lang, out: &mut Vec<FieldView>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&path, v, lang, out);
                }
            }
            serde_json::Value::Null => {}
            other => {
                let key = format!("wallet.field.{prefix}");
                let label = if i18n::has(&key) { i18n::text(&key, lang).to_owned() } else { prefix.to_owned() };
                let value = match other {
                    serde_json::Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                out.push(FieldView { label, value });
            }
        }
    }
    let mut out = Vec::new();
    walk("", data, lang, &mut out);
    out
}

pub fn document_view(d: &HubDocument, lang: Lang) -> DocumentView {
    DocumentView {
        document_type: d.document_type,
        title: i18n::text(d.document_type.label_key(), lang).to_owned(),
        fields: fields_of(&d.data, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_flattened_with_catalogue_labels() {
        let data = serde_json::json!({"docNumber": "1", "child": {"firstName": "Оля"}});
        let f = fields_of(&data, Lang::UK);
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|x| x.value == "Оля"));
    }
}
