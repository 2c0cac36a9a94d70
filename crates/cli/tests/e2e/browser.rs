//! Walks in headless Chromium (tests/browser): the staff UI by keyboard, a
//! share from a wallet code, the production pages, a citizen's status look-up
//! on a phone.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// The browser scripts' folder when node, Chromium and the scripts' npm
/// dependencies are there (`.ci/run` installs them); otherwise `None` with a
/// notice — or a failure under CI=true, where their absence is an error.
fn browser_scripts() -> Option<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if node_ok && Path::new(&chromium).exists() && dir.join("node_modules/playwright-core").exists() {
        return Some((dir, chromium));
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but node, {chromium} or tests/browser/node_modules is missing (.ci/run installs them)");
    }
    eprintln!("skipping a browser test: node, Chromium or `npm ci` in tests/browser is missing");
    None
}

/// Runs `node tests/browser/SCRIPT ARGS` and expects its "passed" line.
fn run_browser_script(script: &str, args: &[&str]) {
    let Some((dir, chromium)) = browser_scripts() else { return };
    let out = Command::new("node").arg(dir.join(script)).args(args).env("CHROMIUM", &chromium).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("test passed"), "{stdout}");
}

/// The staff UI used by keyboard alone in headless Chromium
/// (`tests/browser/keyboard.mjs`).
#[test]
fn staff_ui_works_by_keyboard_alone() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    run_browser_script("keyboard.mjs", &[&server.base]);
}

/// The counter page and the wallet page driven in headless Chromium through a
/// whole share (`tests/browser/sharing.mjs`); the screenshots are kept in
/// `target/tmp/sharing-screens/` for the reviewer.
#[test]
fn a_share_in_the_browser_from_wallet_code_to_the_verified_copy() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sharing-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let wallet_login = server.wallet_login.clone().expect("the demo prints wallet logins");
    run_browser_script("sharing.mjs", &[&server.base, &server.hub, &wallet_login, shots.to_str().unwrap()]);
    for name in ["wallet-2-code", "counter-1-wrong-check-digit", "wallet-3-request", "counter-3-delivered"] {
        let png = std::fs::read(shots.join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG screenshot");
    }
}

/// The production pages in headless Chromium (`tests/browser/production.mjs`):
/// dashboard with the late batch flagged, an act, the card dispatch, and the
/// bank's refused identification shown on the card page.
#[test]
fn production_pages_in_the_browser_dashboard_acts_and_card_queues() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("production-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("production.mjs", &[&server.base, shots.to_str().unwrap()]);
    let png = std::fs::read(shots.join("1-dashboard.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

/// A citizen on a phone finds where their document is (`tests/browser/status.mjs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_checks_the_status_on_a_phone() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let staff = login(&server, "specialist").await;
    let (_, apps) = staff.get("/api/v1/applications?limit=200").await;
    let app = apps["items"].as_array().unwrap().iter().find(|a| a["stage"] == "accepted").unwrap().clone();
    let (_, person) = staff.get(&format!("/api/v1/persons/{}", app["person_id"].as_str().unwrap())).await;
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let (number, born) =
        (app["number"].as_str().unwrap().to_owned(), person["birth_date"].as_str().unwrap().to_owned());
    let base = server.base.clone();
    let dir = shots.to_str().unwrap().to_owned();
    tokio::task::spawn_blocking(move || run_browser_script("status.mjs", &[&base, &number, &born, &dir]))
        .await
        .unwrap();
}

/// A citizen on a phone estimates their pension (`tests/browser/calculator.mjs`):
/// both countries, a what-if that answers at once, and axe-core over every
/// citizen page it passes.
#[test]
fn a_citizen_estimates_a_pension_on_a_phone_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("calculator-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("calculator.mjs", &[&server.base, shots.to_str().unwrap()]);
    let png = std::fs::read(shots.join("2-estimate.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

/// An administrator sets an office's hours and services on a phone
/// (`tests/browser/offices.mjs`): mistakes named and nothing saved, then the
/// public finder offers what was set; axe-core over each page.
#[test]
fn an_administrator_sets_an_office_s_reception_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("office-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("offices.mjs", &[&server.base, shots.to_str().unwrap()]);
    assert!(std::fs::read(shots.join("2-finder.png")).unwrap().starts_with(b"\x89PNG"));
}

/// A citizen on a phone books, moves and cancels a visit without registration
/// (`tests/browser/appointments.mjs`), with axe-core over every page passed.
#[test]
fn a_citizen_books_a_visit_on_a_phone_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("appointment-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("appointments.mjs", &[&server.base, shots.to_str().unwrap()]);
    let png = std::fs::read(shots.join("2-booked.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

/// A citizen on a phone signs in to the personal account through the wallet
/// (`tests/browser/account.mjs`): the fund's pages and the wallet's login and
/// consent pages, with axe-core over each.
#[test]
fn a_citizen_signs_in_to_the_account_through_the_wallet_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let login = server.wallet_login.clone().expect("a demo wallet login the fund knows");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("account-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("account.mjs", &[&server.base, &login, "demo-wallet-2026", shots.to_str().unwrap()]);
    assert!(std::fs::read(shots.join("3-account.png")).unwrap().starts_with(b"\x89PNG"));
}

/// The electronic queue on a phone (`tests/browser/queue.mjs`): check in with the demo's code,
/// the ticket's page, the specialist calling it to a desk, the page updating itself, the hall
/// screen; axe-core over each page.
#[test]
fn a_citizen_checks_in_is_called_to_a_desk_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let (code, office) = server.queue.clone().expect("the demo's visitor booked for now");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("queue-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("queue.mjs", &[&server.base, &code, &office.to_string(), shots.to_str().unwrap()]);
    assert!(std::fs::read(shots.join("3-hall.png")).unwrap().starts_with(b"\x89PNG"));
}

/// A citizen on a phone asks a question without registration and finds it by
/// its tracking number (`tests/browser/questions.mjs`), with axe-core over each page.
#[test]
fn a_citizen_asks_a_question_on_a_phone_and_axe_finds_no_violation() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("question-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("questions.mjs", &[&server.base, shots.to_str().unwrap()]);
    assert!(std::fs::read(shots.join("2-asked.png")).unwrap().starts_with(b"\x89PNG"));
}
