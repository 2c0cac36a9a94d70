//! Dossier's domain: the vocabulary of a pension fund's document back office.
//!
//! Everything here is pure — no I/O, no async, no clock reads (the caller passes
//! "today"). Values that have rules are newtypes that can only be built through
//! `parse`/`new`, so a `Rnokpp` in a signature is a checked one. Every
//! user-visible text goes through [`i18n`], the one message catalogue.

pub mod application;
pub mod calendar;
pub mod card;
pub mod certification;
pub mod error;
pub mod i18n;
pub mod ident;
pub mod intake;
pub mod lifecycle;
pub mod name;
pub mod org;
pub mod pension;
pub mod person;
pub mod production;
pub mod sharing;
pub mod time;

pub use error::{FieldError, Invalid};
pub use i18n::{Lang, Message};
