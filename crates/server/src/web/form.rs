//! Form view-models: fields with their label, value, hint and inline error,
//! grouped in sections, and the error summary that links to the fields.
//! One template (`field.html`) renders every kind of field the same way.
use dossier_domain::{FieldError, Lang, Message};

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Opt {
        let value = value.into();
        let selected = value == current;
        Opt { value, label: label.into(), selected }
    }
}

pub struct OptGroup {
    pub label: String,
    /// Which certificate form the group belongs to (`data-form`, for the script).
    pub form: &'static str,
    pub options: Vec<Opt>,
}

pub struct Field {
    pub id: String,
    pub name: String,
    pub label: String,
    /// `text`, `date`, `password`, `select`, `radio`, `checkbox`, `textarea`, `file`.
    pub kind: &'static str,
    pub value: String,
    pub checked: bool,
    pub required: bool,
    pub autofocus: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// First, empty option of a select (e.g. "— none —").
    pub empty_label: Option<String>,
    pub options: Vec<Opt>,
    pub groups: Vec<OptGroup>,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub maxlength: u32,
}

/// The element id of a field: `prefix` + name with dots as dashes.
pub fn field_id(prefix: &str, name: &str) -> String {
    format!("{prefix}{}", name.replace('.', "-"))
}

impl Field {
    pub fn new(
        prefix: &str,
        name: &str,
        label: impl Into<String>,
        kind: &'static str,
        value: impl Into<String>,
    ) -> Field {
        Field {
            id: field_id(prefix, name),
            name: name.to_owned(),
            label: label.into(),
            kind,
            value: value.into(),
            checked: false,
            required: false,
            autofocus: false,
            hint: None,
            error: None,
            empty_label: None,
            options: vec![],
            groups: vec![],
            autocomplete: "",
            inputmode: "",
            maxlength: 0,
        }
    }
    pub fn text(prefix: &str, name: &str, label: impl Into<String>, value: impl Into<String>) -> Field {
        Self::new(prefix, name, label, "text", value)
    }
    pub fn date(prefix: &str, name: &str, label: impl Into<String>, value: impl Into<String>) -> Field {
        Self::new(prefix, name, label, "date", value)
    }
    pub fn checkbox(prefix: &str, name: &str, label: impl Into<String>, checked: bool) -> Field {
        let mut f = Self::new(prefix, name, label, "checkbox", "1");
        f.checked = checked;
        f
    }
    pub fn select(prefix: &str, name: &str, label: impl Into<String>, options: Vec<Opt>) -> Field {
        let mut f = Self::new(prefix, name, label, "select", "");
        f.options = options;
        f
    }
    pub fn radio(prefix: &str, name: &str, label: impl Into<String>, options: Vec<Opt>) -> Field {
        let mut f = Self::new(prefix, name, label, "radio", "");
        f.options = options;
        f
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn autofocus(mut self) -> Self {
        self.autofocus = true;
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    pub fn empty(mut self, label: impl Into<String>) -> Self {
        self.empty_label = Some(label.into());
        self
    }
    pub fn groups(mut self, g: Vec<OptGroup>) -> Self {
        self.groups = g;
        self
    }
    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = a;
        self
    }
    pub fn inputmode(mut self, m: &'static str) -> Self {
        self.inputmode = m;
        self
    }
    pub fn maxlength(mut self, n: u32) -> Self {
        self.maxlength = n;
        self
    }

    pub fn has_desc(&self) -> bool {
        self.hint.is_some() || self.error.is_some()
    }

    /// Ids of the hint and the error, for `aria-describedby`.
    pub fn describedby(&self) -> String {
        let mut v = vec![];
        if self.error.is_some() {
            v.push(format!("{}-error", self.id));
        }
        if self.hint.is_some() {
            v.push(format!("{}-hint", self.id));
        }
        v.join(" ")
    }

    /// Id of the n-th (1-based) radio button: the first carries the field id,
    /// so error links land on it.
    pub fn option_id(&self, n: &usize) -> String {
        let n = *n;
        if n <= 1 { self.id.clone() } else { format!("{}-{n}", self.id) }
    }
}

/// A group of fields; `open` makes it a `<details>` block (open or closed).
pub struct Section {
    pub id: String,
    pub legend: String,
    pub open: Option<bool>,
    pub fields: Vec<Field>,
}

impl Section {
    pub fn new(id: &str, legend: impl Into<String>, fields: Vec<Field>) -> Section {
        Section { id: id.to_owned(), legend: legend.into(), open: None, fields }
    }
    pub fn collapsible(mut self, open: bool) -> Self {
        self.open = Some(open);
        self
    }
    pub fn is_details(&self) -> bool {
        self.open.is_some()
    }
    pub fn is_open(&self) -> bool {
        self.open == Some(true)
    }
}

/// One line of the error summary at the top of a form.
pub struct SummaryItem {
    pub href: Option<String>,
    pub text: String,
}

/// Puts each field error next to its field and returns the summary, whose
/// items link to the fields (or to the section of a whole-block error).
pub fn apply_errors(sections: &mut [Section], errors: &[FieldError], lang: Lang) -> Vec<SummaryItem> {
    let mut summary = vec![];
    for e in errors {
        let text = e.message.render(lang);
        let field = sections.iter_mut().flat_map(|s| s.fields.iter_mut()).find(|f| f.name == e.field);
        if let Some(f) = field {
            f.error = Some(match f.error.take() {
                Some(prev) => format!("{prev} {text}"),
                None => text.clone(),
            });
            summary.push(SummaryItem { href: Some(format!("#{}", f.id)), text: format!("{}: {text}", f.label) });
            continue;
        }
        if let Some(s) = sections.iter_mut().find(|s| !e.field.is_empty() && s.id.ends_with(&e.field.replace('.', "-")))
        {
            if s.open.is_some() {
                s.open = Some(true);
            }
            summary.push(SummaryItem { href: Some(format!("#{}", s.id)), text: format!("{}: {text}", s.legend) });
            continue;
        }
        summary.push(SummaryItem { href: None, text });
    }
    summary
}

/// Summary lines for messages that belong to no field (conflicts etc.).
pub fn top(m: &Message, lang: Lang) -> SummaryItem {
    SummaryItem { href: None, text: m.render(lang) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_land_on_their_fields_and_in_the_summary() {
        let mut sections = vec![
            Section::new("f-main", "Main", vec![Field::text("f-", "rnokpp", "RNOKPP", "1")]),
            Section::new("f-disability", "Disability", vec![Field::text("f-", "disability.cause", "Cause", "")])
                .collapsible(false),
        ];
        let errs = vec![
            FieldError::new("rnokpp", "rnokpp.checksum"),
            FieldError::new("disability.cause", "common.required"),
            FieldError::new("disability", "application.disability_required"),
            FieldError::new("", "common.validation_failed"),
        ];
        let summary = apply_errors(&mut sections, &errs, Lang::EN);
        assert_eq!(summary.len(), 4);
        assert_eq!(summary[0].href.as_deref(), Some("#f-rnokpp"));
        assert_eq!(summary[1].href.as_deref(), Some("#f-disability-cause"));
        assert_eq!(summary[2].href.as_deref(), Some("#f-disability"));
        assert!(summary[3].href.is_none());
        let f = &sections[0].fields[0];
        assert!(f.error.is_some());
        assert_eq!(f.describedby(), "f-rnokpp-error");
        assert!(sections[1].is_open());
    }
}
