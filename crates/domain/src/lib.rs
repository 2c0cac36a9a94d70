//! Dossier's domain: the vocabulary of a pension fund's document back office.
//!
//! Everything here is pure — no I/O, no async, no clock reads (the caller passes
//! "today"). Values that have rules are newtypes that can only be built through
//! `parse`/`new`, so a `Rnokpp` in a signature is a checked one. Every
//! user-visible text is a [`Message`]: a stable code the [`i18n`] catalogue
//! (`crates/i18n/locales/<lang>.ftl`) words in each language.

pub mod application;
pub mod appointment;
pub mod calculator;
pub mod calendar;
pub mod card;
pub mod certification;
pub mod digitization;
pub mod e_application;
pub mod error;
pub mod ident;
pub mod intake;
pub mod lifecycle;
pub mod name;
pub mod notify;
pub mod org;
pub mod payment;
pub mod pension;
pub mod person;
pub mod production;
pub mod question;
pub mod queue;
pub mod record;
pub mod schema;
pub mod sharing;
pub mod text;
pub mod time;
pub mod tracking;

/// The message catalogue, re-exported so domain types name their codes as `i18n::Message`.
pub use dossier_i18n as i18n;
pub use dossier_i18n::{Lang, Message};
pub use error::{FieldError, Invalid};
