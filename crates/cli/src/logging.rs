//! The process's log: plain text or one JSON object a line (`DOSSIER_LOG_FORMAT=json`),
//! filtered by `DOSSIER_LOG`, and panics written into it like any other error.
use std::any::Any;
use std::panic::PanicHookInfo;

pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("DOSSIER_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let fmt = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // One JSON object a line for a log shipper; the request span (with its id) in each.
    let _ = match std::env::var("DOSSIER_LOG_FORMAT").as_deref() {
        Ok("json") => fmt.json().with_current_span(true).with_span_list(false).try_init(),
        _ => fmt.try_init(),
    };
    std::panic::set_hook(Box::new(log_panic));
}

/// A panic — a bug, perhaps reached by an attacker's input and caught (the
/// intake keeps a PDF its validator panicked on) — goes to the log in the
/// panicking thread's span, so with the request's id, instead of raw to stderr.
fn log_panic(info: &PanicHookInfo<'_>) {
    let place = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    let message = shown_message(info.payload());
    // With RUST_BACKTRACE set, as the default hook does: code locations only.
    let backtrace = std::backtrace::Backtrace::capture();
    if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
        tracing::error!(place, message, %backtrace, "panic");
    } else {
        tracing::error!(place, message, "panic");
    }
}

/// A panic's message if it was written in the code. A formatted one may
/// quote what it failed on (a citizen's data, an attacker's bytes), and no
/// personal data goes to the log: it is withheld; its place in the code is not.
fn shown_message(payload: &(dyn Any + Send)) -> &'static str {
    payload.downcast_ref::<&'static str>().copied().unwrap_or("(formatted message withheld)")
}

#[cfg(test)]
mod tests {
    use super::shown_message;

    #[test]
    fn a_message_written_in_the_code_is_shown() {
        let payload = std::panic::catch_unwind(|| panic!("verification did not finish")).unwrap_err();
        assert_eq!(shown_message(payload.as_ref()), "verification did not finish");
    }

    #[test]
    fn a_formatted_message_is_withheld() {
        let rnokpp = "3012345678";
        let payload = std::panic::catch_unwind(|| panic!("no person with RNOKPP {rnokpp}")).unwrap_err();
        assert_eq!(shown_message(payload.as_ref()), "(formatted message withheld)");
    }
}
