//! The pension calculators (issue 21 §3): public, no sign-in and nothing
//! stored — a citizen's what-if figures never leave the answer. The
//! parameter tables are the ones this version ships (`dossier_domain::
//! calculator`), checked once on first use.
use std::sync::LazyLock;

use chrono::NaiveDate;
use dossier_domain::calculator::{TableError, Tables, russia, ukraine};

use crate::error::{AppError, AppResult};

static TABLES: LazyLock<Result<Tables, TableError>> = LazyLock::new(Tables::builtin);

pub(crate) fn tables() -> AppResult<&'static Tables> {
    TABLES.as_ref().map_err(|e| {
        tracing::error!(error = %e, "the calculator's parameter tables do not pass their checks");
        AppError::internal()
    })
}

/// Russia's insurance old-age pension (400-FZ), in today's values.
pub fn russia(input: &russia::Input, today: NaiveDate) -> AppResult<russia::Estimate> {
    Ok(russia::estimate(&tables()?.russia, input, today)?)
}

/// Ukraine's old-age pension (Law 1058-IV).
pub fn ukraine(input: &ukraine::Input, today: NaiveDate) -> AppResult<ukraine::Estimate> {
    Ok(ukraine::estimate(&tables()?.ukraine, input, today)?)
}
