//! Questions to the fund without registration (issue 21 §6): a person asks
//! with a name and an e-mail address, gets a tracking number
//! ([`crate::ident::CitizenCode`]) to follow it, and the answer comes by
//! e-mail within the legal term — a month under the Law of Ukraine "On
//! Citizens' Appeals" (art. 20), configurable.
use chrono::{DateTime, Duration, Utc};

use crate::notify::email_address;
use crate::{Invalid, Message};

/// What a question is about (routes it and helps staff sort the queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Pension,
    Record,
    Certificate,
    Payments,
    Other,
}

impl Subject {
    pub const ALL: [Subject; 5] =
        [Subject::Pension, Subject::Record, Subject::Certificate, Subject::Payments, Subject::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Pension => "pension",
            Subject::Record => "record",
            Subject::Certificate => "certificate",
            Subject::Payments => "payments",
            Subject::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Subject::Pension => "question.subject.pension",
            Subject::Record => "question.subject.record",
            Subject::Certificate => "question.subject.certificate",
            Subject::Payments => "question.subject.payments",
            Subject::Other => "question.subject.other",
        })
    }
}

/// The legal term for an answer by default: one month.
pub const ANSWER_TERM: Duration = Duration::days(30);
pub const MAX_NAME: usize = 200;
pub const MIN_TEXT: usize = 10;
pub const MAX_TEXT: usize = 4000;

/// A question as typed.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub subject: String,
    pub name: String,
    pub email: String,
    pub text: String,
}

/// A question that may be asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub subject: Subject,
    pub name: String,
    pub email: String,
    pub text: String,
}

impl QuestionInput {
    pub fn validate(&self) -> Result<Question, Invalid> {
        let mut errs = Invalid::default();
        let subject = Subject::parse(&self.subject);
        if subject.is_none() {
            errs.push("subject", "question.subject_required");
        }
        let name = self.name.trim();
        if name.is_empty() {
            errs.push("name", "common.required");
        } else if name.chars().count() > MAX_NAME {
            errs.push("name", Message::new("common.too_long").with("max", MAX_NAME as i64));
        } else if let Err(m) = crate::text::printable(name) {
            errs.push("name", m);
        }
        let email = email_address(self.email.trim());
        if email.is_none() {
            errs.push("email", "notify.email_format");
        }
        let text = self.text.trim();
        let len = text.chars().count();
        if len < MIN_TEXT {
            errs.push("text", Message::new("question.too_short").with("min", MIN_TEXT as i64));
        } else if len > MAX_TEXT {
            errs.push("text", Message::new("common.too_long").with("max", MAX_TEXT as i64));
        }
        errs.into_result()?;
        match (subject, email) {
            (Some(subject), Some(email)) => {
                Ok(Question { subject, name: name.to_owned(), email, text: text.to_owned() })
            }
            _ => Err(Invalid::one("subject", "question.subject_required")),
        }
    }
}

/// When the answer is due.
pub fn due(asked: DateTime<Utc>, term: Duration) -> DateTime<Utc> {
    asked + term
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> QuestionInput {
        QuestionInput {
            subject: "record".into(),
            name: "Олена Коваль".into(),
            email: "olena@example.org".into(),
            text: "Чому у 1995 році не враховано сумісництво?".into(),
        }
    }

    #[test]
    fn spec_21_6_a_question_needs_a_subject_a_name_an_e_mail_and_some_words() {
        assert_eq!(input().validate().unwrap().subject, Subject::Record);
        let bad =
            QuestionInput {
                subject: "gossip".into(), name: " ".into(), email: "olena@".into(), text: "Чому?".into()
            };
        let fields: Vec<String> = bad.validate().unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "name", "email", "text"]);
        let long = QuestionInput { text: "я".repeat(MAX_TEXT + 1), ..input() };
        assert_eq!(long.validate().unwrap_err().0[0].message.key, "common.too_long");
    }

    #[test]
    fn every_subject_round_trips_and_is_worded() {
        for s in Subject::ALL {
            assert_eq!(Subject::parse(s.as_str()), Some(s));
            assert!(crate::i18n::has(s.message().key), "{s:?}");
        }
    }
}
