//! What the hub and the fund say to each other when a citizen shares a
//! document (SPEC §2.1), in the public shape of the real hub's acquirer API:
//!
//! * [`wire`] — the JSON bodies of the acquirer calls and the metadata;
//! * [`package`] — the delivered package: each part signed by the hub (CMS
//!   SignedData, content attached, `.p7s`) and then encrypted to the branch's
//!   acquirer certificate (CMS EnvelopedData, `.p7e`). Open = decrypt, verify.
//!
//! The hub side lives in `crate::hub`, the fund side in `crate::intake`; both
//! use only this module to build and read what crosses the wire, so a real hub
//! replaces configuration and the crypto provider, not the flow.

pub mod package;
pub mod wire;
