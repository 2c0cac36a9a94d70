//! The electronic queue through its use cases, on a clock the test sets: a
//! booking checks in within its window only, on its day; a walk-in gets a
//! ticket from the office's staff and waits its turn by arrival; tickets are
//! numbered per office and day and called in the booked order; two desks
//! never call one ticket; the hall shows calls without names; wrong codes and
//! tokens count against the client.
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use dossier_app::{App, AppConfig, Caller, ErrorKind, Via, queue};
use dossier_crypto::secrets::token_hash;
use dossier_domain::appointment::Service;
use dossier_domain::ident::CitizenCode;
use dossier_domain::org::Role;
use dossier_domain::queue::Status;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, Appointments, NewAccount, NewBooking, NewUnit, Org, SqlStore, Staff, Store};

struct Setup {
    app: Arc<App>,
    store: Arc<SqlStore>,
    office: i64,
    clerk: Caller,
    _dir: tempfile::TempDir,
}

/// Tuesday 8 December 2026, 10:00 in Kyiv.
fn ten_o_clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 8, 8, 0, 0).unwrap()
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap());
    let actor = Actor::system("test");
    let unit = |parent, kind, code: &str| NewUnit {
        parent_id: parent,
        kind,
        code: code.into(),
        name_uk: format!("Управління {code}"),
        name_en: format!("Office {code}"),
        address: None,
    };
    use dossier_domain::org::UnitKind;
    let central = store.create_unit(&actor, unit(None, UnitKind::CentralFund, "00000")).await.unwrap().id;
    let region = store.create_unit(&actor, unit(Some(central), UnitKind::RegionalOffice, "26000")).await.unwrap().id;
    let office = store.create_unit(&actor, unit(Some(region), UnitKind::DistrictOffice, "26101")).await.unwrap().id;
    store.set_unit_contact(&actor, office, Some("вул. Хрещатик, 1".into()), Some("пн–пт 8–17".into())).await.unwrap();
    let account = NewAccount {
        login: "clerk".into(),
        full_name: "Оксана Мельник".into(),
        role: Role::Specialist,
        unit_id: office,
        password_hash: "-".into(),
    };
    let account = store.create_account(&actor, account).await.unwrap();
    let blobs = BlobStore::local(&dir.path().join("blobs"), MasterKey::generate()).unwrap();
    let dyn_store: Arc<dyn Store> = store.clone();
    let app = App::new(dyn_store, blobs, AppConfig::default()).await.unwrap();
    let clerk = app.caller(account, Via::Console).unwrap();
    Setup { app: Arc::new(app), store, office, clerk, _dir: dir }
}

/// A booking at `minutes` past ten; its code.
async fn booking(s: &Setup, minutes: i64, service: Service, n: u8) -> String {
    let code = CitizenCode::from_random([n; CitizenCode::LEN]);
    let b = NewBooking {
        unit_id: s.office,
        service,
        starts_at: ten_o_clock() + Duration::minutes(minutes),
        capacity: 5,
        code_hash: token_hash(code.as_str()),
        name: format!("Відвідувач {n}"),
        email: None,
        phone: None,
        lang: "uk".into(),
        per_contact: 3,
        remind_at: None,
    };
    s.store.book(&Actor::system("test"), &b, ten_o_clock() - Duration::days(1)).await.unwrap();
    code.display()
}

#[tokio::test]
async fn spec_21_6_a_booked_citizen_checks_in_follows_the_ticket_and_is_called_to_a_desk() {
    let s = setup().await;
    let app = &s.app;
    let first = booking(&s, 0, Service::PensionAssignment, 1).await;
    let second = booking(&s, 30, Service::Consultation, 2).await;
    let later = booking(&s, 180, Service::Documents, 3).await;

    // Too early for the 13:00 visit; the 10:30 one checks in at 9:40 and gets ticket 1.
    let at = ten_o_clock() - Duration::minutes(20);
    let e = queue::check_in(app, "kiosk", &later, at).await.err().unwrap();
    assert_eq!((e.kind, e.fields[0].message.key), (ErrorKind::Invalid, "queue.too_early"));
    let b = queue::check_in(app, "kiosk", &second, at).await.unwrap();
    assert_eq!(b.ticket.label(), "К-001");
    // The 10:00 visit checks in after it, but was booked earlier: it is called first.
    let a = queue::check_in(app, "kiosk", &first, at + Duration::minutes(5)).await.unwrap();
    assert_eq!(a.ticket.label(), "П-002");
    let view = queue::ticket(app, "phone", &b.token, at).await.unwrap();
    assert_eq!((view.ticket.status, view.ahead), (Status::Waiting, 1));
    // Checking in again gives the same ticket, and the new link replaces the old.
    let again = queue::check_in(app, "kiosk", &second, at + Duration::minutes(6)).await.unwrap();
    assert_eq!(again.ticket.id, b.ticket.id);
    assert_eq!(queue::ticket(app, "phone", &b.token, at).await.err().unwrap().kind, ErrorKind::NotFound);

    // Two desks call at once: two different tickets, in the booked order.
    let (x, y) = tokio::join!(
        queue::call_next(app, &s.clerk, s.office, "3", at + Duration::minutes(10)),
        queue::call_next(app, &s.clerk, s.office, "5", at + Duration::minutes(10)),
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_ne!(x.id, y.id);
    let mut called = [(x.label(), x.desk), (y.label(), y.desk)];
    called.sort();
    assert_eq!(called.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["К-001", "П-002"]);
    let first_called = if x.starts_at <= y.starts_at { &x } else { &y };
    assert_eq!(first_called.label(), "П-002", "the earlier booked time is called first");
    let view = queue::ticket(app, "phone", &again.token, at).await.unwrap();
    assert_eq!(view.ticket.status, Status::Called);
    assert!(view.message().key == "queue.called_to");
    assert_eq!(queue::call_next(app, &s.clerk, s.office, "3", at).await.err().unwrap().message.key, "queue.empty");

    // The hall: the calls, newest first, and how many wait — no names anywhere.
    let board = queue::board(app, s.office, at).await.unwrap();
    assert_eq!((board.called.len(), board.waiting), (2, 0));

    // Served once; a finished ticket takes nothing more; a bad desk is refused.
    queue::finish(app, &s.clerk, x.id, "served", at).await.unwrap();
    assert_eq!(queue::finish(app, &s.clerk, x.id, "missed", at).await.err().unwrap().kind, ErrorKind::Conflict);
    assert_eq!(queue::call_next(app, &s.clerk, s.office, "100", at).await.err().unwrap().kind, ErrorKind::Invalid);

    // Too late for a visit a quarter of an hour past; another day's code is refused too.
    let late = ten_o_clock() + Duration::minutes(16);
    let e = queue::check_in(app, "kiosk", &first, late).await.err().unwrap();
    assert_eq!(e.fields[0].message.key, "queue.too_late");
    let e = queue::check_in(app, "kiosk", &first, ten_o_clock() + Duration::days(1)).await.err().unwrap();
    assert_eq!(e.fields[0].message.key, "queue.not_today");
}

#[tokio::test]
async fn wrong_codes_and_ticket_links_count_against_the_client() {
    let s = setup().await;
    let at = ten_o_clock();
    for _ in 0..20 {
        let e = queue::ticket(&s.app, "prober", "not-a-token", at).await.err().unwrap();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }
    let e = queue::ticket(&s.app, "prober", "not-a-token", at).await.err().unwrap();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    let e = queue::check_in(&s.app, "prober", "ABCDE-23456", at).await.err().unwrap();
    assert_eq!(e.kind, ErrorKind::RateLimited, "the same budget as every public code");
}

#[tokio::test]
async fn spec_21_6_a_walk_in_gets_a_ticket_at_the_reception_and_waits_its_turn_by_arrival() {
    let s = setup().await;
    let app = &s.app;
    let booked = booking(&s, 30, Service::Consultation, 1).await;
    let at = ten_o_clock();

    // 10:00, no booking: the reception gives Д-001. The 10:30 booking checks in at 10:05: К-002.
    let early = queue::walk_in(app, &s.clerk, s.office, Service::Documents, at).await.unwrap();
    assert_eq!((early.ticket.label(), early.ticket.booking_id), ("Д-001".to_owned(), None));
    let b = queue::check_in(app, "kiosk", &booked, at + Duration::minutes(5)).await.unwrap();
    assert_eq!(b.ticket.label(), "К-002");
    // 10:40: after the 10:30 booking, which keeps its time.
    let late =
        queue::walk_in(app, &s.clerk, s.office, Service::Consultation, at + Duration::minutes(40)).await.unwrap();
    assert_eq!(late.ticket.label(), "К-003");
    let view = queue::ticket(app, "phone", &late.token, at + Duration::minutes(40)).await.unwrap();
    assert_eq!((view.ticket.status, view.ahead), (Status::Waiting, 2));
    let order: Vec<String> =
        queue::office_queue(app, &s.clerk, s.office, at).await.unwrap().iter().map(|t| t.label()).collect();
    assert_eq!(order, ["Д-001", "К-002", "К-003"]);

    // Only for what the office receives for, and only by its own staff.
    let form = dossier_domain::appointment::ReceptionForm {
        hours: dossier_domain::appointment::WeekHours { tue: Some("08:00-17:00".into()), ..Default::default() },
        pause: None,
        slot_minutes: 30,
        services: vec![Service::Consultation],
        places: 1,
    };
    let reception = dossier_domain::appointment::Reception::from_form(&form).unwrap();
    s.store.set_unit_reception(&Actor::system("test"), s.office, Some(&reception)).await.unwrap();
    app.reload_units().await.unwrap();
    let e = queue::walk_in(app, &s.clerk, s.office, Service::Documents, at).await.err().unwrap();
    assert_eq!((e.kind, e.fields[0].field.as_str()), (ErrorKind::Invalid, "service"));
    let actor = Actor::system("test");
    let other = NewUnit {
        parent_id: app.unit(s.office).unwrap().parent_id,
        kind: dossier_domain::org::UnitKind::DistrictOffice,
        code: "26102".into(),
        name_uk: "Управління 26102".into(),
        name_en: "Office 26102".into(),
        address: None,
    };
    let other = s.store.create_unit(&actor, other).await.unwrap().id;
    let stranger = NewAccount {
        login: "stranger".into(),
        full_name: "Іван Петренко".into(),
        role: Role::Specialist,
        unit_id: other,
        password_hash: "-".into(),
    };
    let stranger = s.store.create_account(&actor, stranger).await.unwrap();
    app.reload_units().await.unwrap();
    let stranger = app.caller(stranger, Via::Console).unwrap();
    let e = queue::walk_in(app, &stranger, s.office, Service::Consultation, at).await.err().unwrap();
    assert!(matches!(e.kind, ErrorKind::Forbidden | ErrorKind::NotFound), "{e:?}");
    assert_eq!(queue::office_queue(app, &s.clerk, s.office, at).await.unwrap().len(), 3, "refusals gave no ticket");
}
