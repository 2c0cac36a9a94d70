//! End-to-end: the real `dossier` binary, started on port 0 with demo data in
//! a temporary folder, driven over HTTP and through its CLI.
//!
//! One test binary (built once); a module per capability.

mod account;
mod appointments;
mod audit;
mod backup;
mod browser;
mod cards;
mod cluster;
mod crashes;
mod digitization;
mod e_applications;
mod notify;
mod ops;
mod production;
mod questions;
mod record;
mod s3;
mod sharing;
mod staff;
mod status;
mod support;
mod trust;
