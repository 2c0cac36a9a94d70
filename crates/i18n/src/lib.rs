//! The message catalogue: every text a person sees (errors, labels, pages) is
//! looked up by a stable key in Fluent files, one per language.
//!
//! The catalogue is made of parts, each a crate's `locales/<lang>.ftl` files:
//! this crate's own part holds the domain's messages (its error codes and the
//! names of the codes it defines) and is always present; the staff UI and the
//! wallet hub [`register`] their parts when they build their routers, so
//! labels live with the interface that shows them. The languages are the files
//! of this crate's `locales/`; adding one is adding a file to every part.
//!
//! A key such as `common.too_long` is the Fluent message `common-too_long`
//! (Fluent ids cannot hold dots); its `{ $max }` placeholders are filled from
//! the [`Message`]'s arguments.

mod catalogue;
mod lang;
mod message;

pub use catalogue::{Part, has, register, text};
pub use lang::Lang;
pub use message::{Arg, Message, StoredMessage};

/// The catalogue part of the calling crate: its `locales/<lang>.ftl` files, as
/// embedded by the crate's build script (`build = "../i18n/build/locales.rs"`).
///
/// ```ignore
/// static UI: dossier_i18n::Part = dossier_i18n::part!("staff UI");
/// dossier_i18n::register(&UI);
/// ```
#[macro_export]
macro_rules! part {
    ($name:literal) => {
        $crate::Part::new($name, include!(concat!(env!("OUT_DIR"), "/locales.rs")))
    };
}
