//! Booking a visit over HTTP without registration, as a citizen and as
//! someone probing: the free times of an office, a booking that takes a
//! place and answers with a code, the code typed loosely, a move and a
//! cancellation; malformed bodies, a missing contact, an unknown office and
//! wrong codes refused with nothing written; the office's staff see the day.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The first free time of `office` for a consultation, and how many places it has left.
/// The `skip`-th free time at least two Kyiv days ahead: a booking closer than 24 hours may no longer
/// be moved or cancelled (SPEC 21.6), and the test moves and cancels it whatever the hour it runs at.
/// Three days ahead in UTC is at least two in Kyiv (UTC+2 or +3).
async fn first_free(http: &reqwest::Client, server: &Server, office: i64, skip: usize) -> (String, i64) {
    let url = server.url(&format!("/api/v1/offices/{office}/appointments?service=consultation"));
    let days: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    let earliest = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let slot = days
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap().iter())
        .filter(|s| s["free"].as_i64().unwrap() > 0 && s["starts_at"].as_str().unwrap()[..10] >= *earliest)
        .nth(skip)
        .expect("free times within the horizon")
        .clone();
    (slot["starts_at"].as_str().unwrap().to_owned(), slot["free"].as_i64().unwrap())
}

async fn free_at(http: &reqwest::Client, server: &Server, office: i64, at: &str) -> i64 {
    let url = server.url(&format!("/api/v1/offices/{office}/appointments?service=consultation"));
    let days: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    days.as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap().iter())
        .find(|s| s["starts_at"] == at)
        .map_or(0, |s| s["free"].as_i64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_books_moves_and_cancels_a_visit_and_bad_input_changes_nothing() {
    let server = Server::start();
    let staff = login(&server, "specialist").await;
    let (_, me) = staff.get("/api/v1/me").await;
    let scope: Vec<i64> = me["scope"]
        .as_str()
        .unwrap()
        .split('/')
        .filter_map(|p| p.parse().ok())
        .chain([me["unit"]["id"].as_i64().unwrap()])
        .collect();
    let http = reqwest::Client::new();
    let offices: Value = http.get(server.url("/api/v1/offices?lang=en")).send().await.unwrap().json().await.unwrap();
    let office = offices
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .find(|id| scope.contains(id))
        .expect("an office in the specialist's scope receives citizens");
    let (at, free) = first_free(&http, &server, office, 0).await;

    let post = |path: &str, body: Value| {
        let http = http.clone();
        let url = server.url(path);
        async move {
            let r = http.post(url).json(&body).send().await.unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let book = |extra: Value| {
        let mut body = json!({"office_id": office, "service": "consultation", "starts_at": at, "name": "Олена Коваль"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };

    // Refused, and nothing taken: no contact, a malformed phone, a time the office does not keep,
    // an unknown office, an unknown field, a body that is not JSON.
    let (s, v) = post("/api/v1/appointments?lang=en", book(json!({}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(problem_fields(&v).iter().any(|(f, _)| f == "email"), "{v}");
    let (s, v) = post("/api/v1/appointments", book(json!({"phone": "call me maybe"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(problem_fields(&v).iter().any(|(f, _)| f == "phone"), "{v}");
    let odd = format!("{}T03:10", &at[..10]);
    let (s, v) = post("/api/v1/appointments", book(json!({"email": "olena@example.org", "starts_at": odd}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = post("/api/v1/appointments", book(json!({"email": "olena@example.org", "office_id": 999_999}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = post("/api/v1/appointments", book(json!({"email": "olena@example.org", "pin": "1"}))).await;
    assert!(s.is_client_error(), "{s}");
    let r = http
        .post(server.url("/api/v1/appointments"))
        .header("content-type", "application/json")
        .body("{\"office_id\":")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(free_at(&http, &server, office, &at).await, free, "a refused booking took no place");

    // Booked: a code, a place taken, never cached.
    let r = http
        .post(server.url("/api/v1/appointments?lang=en"))
        .json(&book(json!({"email": "olena@example.org", "phone": "067 123 45 67"})))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let booked: Value = r.json().await.unwrap();
    let code = booked["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 11, "{booked}");
    assert_eq!(booked["appointment"]["starts_at"], at);
    assert_eq!(booked["appointment"]["status"], "booked");
    assert_eq!(booked["appointment"]["may_change"], true);
    assert_eq!(free_at(&http, &server, office, &at).await, free - 1);

    // Found by the code however it is typed; a wrong code finds nothing.
    let loose = code.replace('-', " ").to_lowercase();
    let (s, found) = post("/api/v1/appointments/find", json!({"code": loose})).await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert_eq!(found["name"], "Олена Коваль");
    let (s, _) = post("/api/v1/appointments/find", json!({"code": "ZZZZZ-ZZZZZ"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = post("/api/v1/appointments/find", json!({"code": "not a code"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // Moved: the new place is taken and the old one freed.
    let (later, later_free) = first_free(&http, &server, office, 3).await;
    let (s, moved) = post("/api/v1/appointments/move", json!({"code": code, "starts_at": later})).await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    assert_eq!(moved["starts_at"], later);
    assert_eq!(free_at(&http, &server, office, &at).await, free);
    assert_eq!(free_at(&http, &server, office, &later).await, later_free - 1);

    // The office's staff see it on the day's list, with the contact.
    let day = &later[..10];
    let (s, list) = staff.get(&format!("/api/v1/offices/{office}/appointments/day?date={day}")).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(
        list.as_array().unwrap().iter().any(|b| b["email"] == "olena@example.org" && b["phone"] == "+380671234567")
    );
    // A citizen cannot read the list.
    let r =
        http.get(server.url(&format!("/api/v1/offices/{office}/appointments/day?date={day}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Cancelled once; the place is free again; a second cancellation is refused.
    let (s, cancelled) = post("/api/v1/appointments/cancel", json!({"code": code})).await;
    assert_eq!(s, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(free_at(&http, &server, office, &later).await, later_free);
    let (s, _) = post("/api/v1/appointments/cancel", json!({"code": code})).await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_booking_codes_is_limited_per_client() {
    let server = Server::start();
    let http = reqwest::Client::new();
    let mut last = StatusCode::OK;
    let mut retry = None;
    for n in 0..25 {
        let r = http
            .post(server.url("/api/v1/appointments/find"))
            .json(&json!({"code": format!("ABCDE-{:05}", n).replace('0', "2")}))
            .send()
            .await
            .unwrap();
        last = r.status();
        retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(last, StatusCode::NOT_FOUND);
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "wrong codes are limited");
    assert!(retry.is_some_and(|s| s.parse::<u64>().unwrap() > 0));
}

/// The free times of `service` at `office`: the status, and each time with its places left.
async fn times_of(
    http: &reqwest::Client,
    server: &Server,
    office: i64,
    service: &str,
) -> (StatusCode, Vec<(String, i64)>) {
    let url = server.url(&format!("/api/v1/offices/{office}/appointments?service={service}&lang=en"));
    let r = http.get(url).send().await.unwrap();
    let status = r.status();
    let days: Value = r.json().await.unwrap();
    let times = days
        .as_array()
        .map(|d| {
            d.iter()
                .flat_map(|d| d["slots"].as_array().unwrap().iter())
                .map(|s| (s["starts_at"].as_str().unwrap().to_owned(), s["free"].as_i64().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    (status, times)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_21_6_an_office_receives_by_its_own_hours_services_and_places() {
    let server = Server::start();
    let admin = login(&server, "admin").await;
    let specialist = login(&server, "specialist").await;
    let http = reqwest::Client::new();
    let offices: Value = http.get(server.url("/api/v1/offices")).send().await.unwrap().json().await.unwrap();
    let office = offices[0]["id"].as_i64().unwrap();
    let before = offices[0]["reception"].clone();
    // The fund's default until an office has its own: every service, the weekdays.
    assert_eq!(before["services"].as_array().unwrap().len(), 5, "{before}");
    assert!(before["hours"]["mon"].is_string() && before["hours"]["sat"].is_null(), "{before}");
    let path = format!("/api/v1/org/units/{office}/reception");

    // Refused, and nothing changed: not an administrator, hours that cannot work (every
    // reason named), an unknown field, an unknown service, a bank, an unknown unit.
    let saturday = json!({
        "hours": {"sat": "10:00-13:00"}, "slot_minutes": 60, "services": ["consultation", "documents"], "places": 1
    });
    let (s, _) = specialist.put(&path, saturday.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let bad = json!({
        "hours": {"mon": "17:00-08:00", "tue": "all day"}, "pause": "noon", "slot_minutes": 0,
        "services": ["documents", "documents"], "places": 0
    });
    let (s, v) = admin.put(&format!("{path}?lang=en"), bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<String> = problem_fields(&v).into_iter().map(|(f, _)| f).collect();
    for f in ["hours.mon", "hours.tue", "pause", "slot_minutes", "places", "services[1]"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {v}");
    }
    let (s, _) = admin.put(&path, json!({"hours": {"sat": "10:00-13:00"}, "slot_minutes": 60, "services": ["consultation"], "places": 1, "open": true})).await;
    assert!(s.is_client_error(), "{s}");
    let (s, _) = admin
        .put(&path, json!({"hours": {"sat": "10:00-13:00"}, "slot_minutes": 60, "services": ["tea"], "places": 1}))
        .await;
    assert!(s.is_client_error(), "{s}");
    let units = units(&admin).await;
    let bank = units.iter().find(|u| u["kind"] == "bank").and_then(|u| u["id"].as_i64()).unwrap();
    let (s, _) = admin.put(&format!("/api/v1/org/units/{bank}/reception"), saturday.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = admin.put("/api/v1/org/units/999999/reception", saturday.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let now: Value = http.get(server.url("/api/v1/offices")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now[0]["reception"], before, "a refused reception changed nothing");

    // Set: Saturdays 10–13 in hours, one place, advice and documents only; written back canonical.
    let (s, unit) = admin.put(&path, saturday).await;
    assert_eq!(s, StatusCode::OK, "{unit}");
    let now: Value = http.get(server.url("/api/v1/offices")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now[0]["reception"]["hours"], json!({"sat": "10:00-13:00"}));
    assert_eq!(now[0]["reception"]["services"], json!(["documents", "consultation"]));

    let (s, times) = times_of(&http, &server, office, "consultation").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!times.is_empty(), "a horizon of 30 days holds Saturdays");
    for (at, free) in &times {
        let day = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(chrono::Datelike::weekday(&day), chrono::Weekday::Sat, "{at}");
        assert!(["10:00", "11:00", "12:00"].contains(&&at[11..]), "{at}");
        assert_eq!(*free, 1, "{at}");
    }
    // A service the office does not receive for: no times, no booking.
    let (s, _) = times_of(&http, &server, office, "pension_assignment").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let at = times.last().unwrap().0.clone();
    let body = |service: &str, name: &str| json!({"office_id": office, "service": service, "starts_at": at, "name": name, "email": format!("{}@example.org", name.to_lowercase())});
    let r = http
        .post(server.url("/api/v1/appointments?lang=en"))
        .json(&body("pension_assignment", "Anna"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert!(problem_fields(&v).iter().any(|(f, _)| f == "service"), "{v}");
    // One place: the first citizen takes it, the second finds it full.
    let r = http.post(server.url("/api/v1/appointments")).json(&body("consultation", "Anna")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = http.post(server.url("/api/v1/appointments")).json(&body("consultation", "Oleh")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, times) = times_of(&http, &server, office, "consultation").await;
    assert!(times.iter().any(|(t, free)| *t == at && *free == 0));

    // The public page links each service the office receives for, and no other.
    let address = offices[0]["address"].as_str().unwrap().to_owned();
    let r = http.get(server.url("/offices")).query(&[("town", address.as_str()), ("lang", "en")]).send().await.unwrap();
    let page = r.text().await.unwrap();
    let link = |service: &str| format!("/appointments?office={office}&amp;service={service}");
    assert!(page.contains(&link("documents")) && page.contains(&link("consultation")), "{page}");
    assert!(!page.contains(&link("pension_assignment")), "{page}");

    // Back to the fund's default: weekdays again; the booking made is kept.
    let r = admin.req(reqwest::Method::DELETE, &path).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let now: Value = http.get(server.url("/api/v1/offices")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now[0]["reception"], before);
    let (_, times) = times_of(&http, &server, office, "pension_assignment").await;
    assert!(times.iter().any(|(t, _)| {
        let day = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").unwrap();
        chrono::Datelike::weekday(&day) == chrono::Weekday::Mon
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_21_6_the_reception_gives_a_walk_in_a_ticket_over_http_and_nobody_else_can() {
    let server = Server::start();
    let staff = login(&server, "specialist").await;
    let (_, me) = staff.get("/api/v1/me").await;
    let scope = me["scope"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let offices: Value = http.get(server.url("/api/v1/offices")).send().await.unwrap().json().await.unwrap();
    let units = units(&staff).await;
    let path_of =
        |id: i64| units.iter().find(|u| u["id"] == id).and_then(|u| u["path"].as_str()).unwrap_or("").to_owned();
    let ids: Vec<i64> = offices.as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
    let mine = *ids.iter().find(|id| path_of(**id).starts_with(&scope)).expect("an office in scope");
    let other = *ids.iter().find(|id| !path_of(**id).starts_with(&scope)).expect("an office out of scope");
    let walk_in = |office: i64| format!("/api/v1/offices/{office}/queue/walk-in");
    let waiting = |office: i64| {
        let staff = &staff;
        async move {
            let (s, queue) = staff.get(&format!("/api/v1/offices/{office}/queue")).await;
            assert_eq!(s, StatusCode::OK, "{queue}");
            queue["tickets"].as_array().unwrap().len()
        }
    };
    let before = waiting(mine).await;

    // Refused, and no ticket: without signing in, out of scope, an unknown service, an unknown field.
    let r = http.post(server.url(&walk_in(mine))).json(&json!({"service": "consultation"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (s, _) = staff.post(&walk_in(other), json!({"service": "consultation"})).await;
    assert!(s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND, "{s}");
    let (s, _) = staff.post(&walk_in(mine), json!({"service": "tea"})).await;
    assert!(s.is_client_error(), "{s}");
    let (s, _) = staff.post(&walk_in(mine), json!({"service": "consultation", "booking": 1})).await;
    assert!(s.is_client_error(), "{s}");
    assert_eq!(waiting(mine).await, before, "a refused walk-in got no ticket");

    // Given: the day's next number, and a page the citizen follows without signing in.
    let (s, given) = staff.post(&walk_in(mine), json!({"service": "consultation"})).await;
    assert_eq!(s, StatusCode::OK, "{given}");
    assert!(given["ticket"].as_str().unwrap().starts_with('К'), "{given}");
    assert_eq!(given["status"], "waiting");
    let token = given["token"].as_str().unwrap();
    let r = http.get(server.url("/api/v1/queue/ticket")).query(&[("t", token)]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let followed: Value = r.json().await.unwrap();
    assert_eq!(followed["ticket"], given["ticket"], "{followed}");
    assert_eq!(waiting(mine).await, before + 1);
}
