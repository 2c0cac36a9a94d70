//! What the citizens' wallet hub and the fund say to each other when a citizen
//! shares a document (SPEC §2.1), in the public shape of the real hub's
//! acquirer API. Both sides use only this crate to build and read what crosses
//! the wire, so a real hub replaces configuration and the crypto provider, not
//! the flow:
//!
//! * [`wire`] — the JSON bodies, paths, headers and multipart part names;
//! * [`package`] — the delivered package: each part signed by the hub (CMS
//!   SignedData, content attached, `.p7s`) and then encrypted to the branch's
//!   acquirer certificate (CMS EnvelopedData, `.p7e`). Open = decrypt, verify;
//! * [`refusal`] — every refusal code with its HTTP status, once;
//! * [`client`] — the fund calling the acquirer API, the hub posting a package.

pub mod client;
pub mod package;
pub mod refusal;
pub mod wire;

pub use client::{AcquirerClient, HubError};
pub use package::Package;
pub use refusal::Refusal;
