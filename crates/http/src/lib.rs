//! HTTP pieces both of Dossier's services use — the fund's server and the
//! citizens' wallet hub — so neither depends on the other:
//!
//! * [`problem`] — RFC 9457 problem details with a stable code and per-field
//!   messages in Ukrainian and English;
//! * [`lang`] — the request's language, decided once by a middleware layer,
//!   which also renders every localizable answer (problems, error pages) in it;
//! * [`json`] — reading JSON bodies (whole numbers written as doubles are integers);
//! * [`openapi`] — what the OpenAPI documents are derived from: problem+json
//!   refusals, JSON answers under their statuses, binary content with its
//!   media types, serving and checking a document;
//! * [`cookies`], [`assets`], [`headers`] — reading a cookie, serving a
//!   compiled-in file, the security headers every answer carries.

pub mod assets;
pub mod cookies;
pub mod headers;
pub mod json;
pub mod lang;
pub mod openapi;
pub mod problem;

pub use lang::{LangPolicy, Localize, ReqLang};
pub use problem::Problem;
