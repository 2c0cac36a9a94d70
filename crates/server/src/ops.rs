//! For the operator (issue 22 §6): a request id on every request — taken
//! from the balancer's `X-Request-Id` when it is a sane token, made here
//! otherwise — carried in every log line of the request and returned in the
//! answer; a latency histogram per route; `/healthz` (the process answers),
//! `/readyz` (the database does too) and `/metrics` in the Prometheus text
//! format, behind a bearer token since it tells how busy the fund is.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dossier_app::App;
use dossier_store::operations::HistogramSnapshot;
use dossier_store::operations::histogram::{self, Histogram};
use tracing::Instrument as _;

pub const REQUEST_ID: &str = "x-request-id";

/// Requests by route template, then method and status: routes are templates
/// (`/api/v1/persons/{id}`), never paths, so the label set stays small and
/// carries no personal data. Counting a request takes a shared lock and
/// allocates nothing once its series exists; only a new series writes.
#[derive(Default)]
pub struct Metrics {
    requests: RwLock<BTreeMap<String, Vec<Series>>>,
}

/// One route's histogram for a method and a status.
struct Series {
    method: &'static str,
    status: u16,
    seconds: Histogram,
}

impl Metrics {
    fn observe(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        let same = |s: &&Series| s.method == method && s.status == status;
        if let Ok(map) = self.requests.read()
            && let Some(series) = map.get(route).and_then(|all| all.iter().find(same))
        {
            series.seconds.observe(seconds);
            return;
        }
        let Ok(mut map) = self.requests.write() else { return };
        let all = map.entry(route.to_owned()).or_default();
        if let Some(series) = all.iter().find(same) {
            series.seconds.observe(seconds);
            return;
        }
        let series = Series { method, status, seconds: Histogram::new(histogram::SECONDS) };
        series.seconds.observe(seconds);
        all.push(series);
        all.sort_by_key(|s| (s.method, s.status));
    }

    fn render_requests(&self, out: &mut String) {
        let name = "dossier_http_request_duration_seconds";
        family(out, name, "Time to answer, by method, route template and status.", "histogram");
        let Ok(map) = self.requests.read() else { return };
        for (route, all) in map.iter() {
            for Series { method, status, seconds } in all {
                let labels = format!("method=\"{method}\",route=\"{}\",status=\"{status}\"", escape(route));
                series(out, name, &labels, &seconds.snapshot());
            }
        }
    }
}

/// One histogram's series: a bucket per bound, then `+Inf`, the sum and the count.
fn series(out: &mut String, name: &str, labels: &str, h: &HistogramSnapshot) {
    let sep = if labels.is_empty() { "" } else { "," };
    for (bound, count) in &h.buckets {
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {count}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", h.count);
    let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
    let _ = writeln!(out, "{name}_sum{braces} {}", h.sum);
    let _ = writeln!(out, "{name}_count{braces} {}", h.count);
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// A request id from the balancer is kept when it is a plain token (up to
/// 64 of `A-Za-z0-9._-`); anything else could forge log lines. A new one is
/// random from the thread's generator: an id names a request, it guards
/// nothing, so it need not cost a system call as `Uuid::new_v4` does.
fn request_id(headers: &HeaderMap) -> HeaderValue {
    headers
        .get(REQUEST_ID)
        .filter(|v| {
            let v = v.as_bytes();
            !v.is_empty() && v.len() <= 64 && v.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
        })
        .cloned()
        .unwrap_or_else(|| {
            let id = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
            HeaderValue::from_bytes(id.simple().encode_lower(&mut uuid::Uuid::encode_buffer()).as_bytes())
                .unwrap_or(HeaderValue::from_static("-"))
        })
}

/// The outermost layer within the routing (it names the route template):
/// names the request, opens the span its log lines carry, times the answer,
/// logs it and counts it. The span names the route template, never the URI:
/// query strings carry RNOKPPs and names, which must not reach logs.
pub async fn track(State(metrics): State<Arc<Metrics>>, mut req: Request, next: Next) -> Response {
    let value = request_id(req.headers());
    req.headers_mut().insert(REQUEST_ID, value.clone());
    // Any token is a method on the wire: the unusual ones share a label, so a
    // client cannot grow the metrics without bound.
    let method = match *req.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    };
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let route = matched.as_ref().map_or("-", MatchedPath::as_str);
    let span = tracing::info_span!("request", id = value.to_str().unwrap_or("-"), method, route);
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if response.status().is_server_error() {
        tracing::error!(parent: &span, status, ms = seconds * 1e3, "answered with a server error");
    } else {
        tracing::debug!(parent: &span, status, ms = seconds * 1e3, "answered");
    }
    metrics.observe(method, route, status, seconds);
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database and the blob store answer too (a balancer stops sending here when
/// either does not). For the operator's probes, so in English.
pub async fn readyz(State(app): State<Arc<App>>) -> Response {
    match dossier_app::operations::ready(&app).await {
        Ok(()) => "ready".into_response(),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, why.to_string()).into_response(),
    }
}

/// `/metrics`: only with `Authorization: Bearer <DOSSIER_METRICS_TOKEN>`;
/// without a token configured it is not served (404).
pub async fn metrics(
    State(app): State<Arc<App>>,
    axum::Extension(metrics): axum::Extension<Arc<Metrics>>,
    headers: HeaderMap,
) -> Response {
    if app.config().metrics_token_hash.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !dossier_app::operations::may_scrape(&app, token) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    let mut out = String::with_capacity(16 * 1024);
    metrics.render_requests(&mut out);
    render_throughput(app.throughput(), &mut out);
    match dossier_app::operations::snapshot(&app).await {
        Ok(s) => render_snapshot(&s, &mut out),
        Err(_) => {
            let _ = writeln!(out, "# the database did not answer: pools and queues left out");
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

fn family(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Counters of this process since it started: `rate()` makes them rates.
fn render_throughput(t: &dossier_app::operations::Throughput, out: &mut String) {
    let help = "Packages the hub delivered to this server since it started, by outcome.";
    family(out, "dossier_intake_packages_total", help, "counter");
    for (outcome, n) in t.packages() {
        let _ = writeln!(out, "dossier_intake_packages_total{{outcome=\"{}\"}} {n}", outcome.as_str());
    }
    let help = "Page recognitions this server's OCR workers finished since it started, by outcome.";
    family(out, "dossier_ocr_pages_total", help, "counter");
    for (outcome, n) in t.pages() {
        let _ = writeln!(out, "dossier_ocr_pages_total{{outcome=\"{}\"}} {n}", outcome.as_str());
    }
}

fn render_snapshot(s: &dossier_app::operations::Snapshot, out: &mut String) {
    family(out, "dossier_db_connections", "Database connections by pool and state.", "gauge");
    for p in &s.pools {
        let busy = p.size.saturating_sub(p.idle);
        let _ = writeln!(out, "dossier_db_connections{{pool=\"{}\",state=\"busy\"}} {busy}", p.name);
        let _ = writeln!(out, "dossier_db_connections{{pool=\"{}\",state=\"idle\"}} {}", p.name, p.idle);
    }
    family(out, "dossier_db_connections_max", "Largest size of each pool.", "gauge");
    for p in &s.pools {
        let _ = writeln!(out, "dossier_db_connections_max{{pool=\"{}\"}} {}", p.name, p.max);
    }
    let age = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(0.0, |t| (s.at - t).num_milliseconds().max(0) as f64 / 1000.0)
    };
    family(out, "dossier_queue_depth", "Items waiting for a worker, by queue.", "gauge");
    for q in &s.queues {
        let _ = writeln!(out, "dossier_queue_depth{{queue=\"{}\"}} {}", q.name, q.depth);
    }
    family(out, "dossier_queue_oldest_age_seconds", "Age of the oldest waiting item, by queue.", "gauge");
    for q in &s.queues {
        let _ = writeln!(out, "dossier_queue_oldest_age_seconds{{queue=\"{}\"}} {}", q.name, age(q.oldest));
    }
    let lag = "How long the most overdue item has waited past its time (notifications: the outbox lag).";
    family(out, "dossier_queue_lag_seconds", lag, "gauge");
    for q in &s.queues {
        let _ = writeln!(out, "dossier_queue_lag_seconds{{queue=\"{}\"}} {}", q.name, age(q.overdue_since));
    }
    render_access_log(&s.access_log, out);
}

fn render_access_log(a: &dossier_app::operations::AccessLog, out: &mut String) {
    let histograms = [
        ("dossier_access_log_wait_seconds", "From a read's access-log entry handed over to its commit.", &a.wait),
        ("dossier_access_log_commit_seconds", "One group commit of access-log entries.", &a.commit),
        ("dossier_access_log_batch_entries", "Access-log entries per group commit.", &a.batch),
    ];
    for (name, help, h) in histograms {
        family(out, name, help, "histogram");
        series(out, name, "", h);
    }
    if let Some(behind) = a.index_behind {
        let help = "Access-log entries its index by subject has not reached yet.";
        family(out, "dossier_access_index_behind_entries", help, "gauge");
        let _ = writeln!(out, "dossier_access_index_behind_entries {behind}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_request_id_is_kept_and_any_other_replaced_by_a_fresh_one() {
        let with = |id: &[u8]| {
            let mut h = HeaderMap::new();
            h.insert(REQUEST_ID, HeaderValue::from_bytes(id).unwrap());
            request_id(&h)
        };
        assert_eq!(with(b"lb-4f2a.77_x"), "lb-4f2a.77_x");
        let made: Vec<HeaderValue> =
            [with(b"a b\" level=ERROR"), with(&[b'x'; 65]), request_id(&HeaderMap::new())].into();
        for id in &made {
            assert!(id.len() == 32 && id.as_bytes().iter().all(u8::is_ascii_hexdigit), "{id:?}");
        }
        assert!(made[0] != made[1] && made[1] != made[2], "each request is named anew");
    }

    #[test]
    fn each_route_method_and_status_is_a_series_of_its_own() {
        let m = Metrics::default();
        m.observe("GET", "/api/v1/persons", 200, 0.002);
        m.observe("GET", "/api/v1/persons", 200, 0.004);
        m.observe("GET", "/api/v1/persons", 404, 0.001);
        m.observe("POST", "/api/v1/persons", 201, 0.003);
        m.observe("GET", "/a\"b", 200, 0.001);
        let mut out = String::new();
        m.render_requests(&mut out);
        let count = |labels: &str| {
            out.lines()
                .find(|l| l.starts_with(&format!("dossier_http_request_duration_seconds_count{{{labels}}} ")))
                .and_then(|l| l.rsplit(' ').next())
                .map(str::to_owned)
        };
        assert_eq!(count("method=\"GET\",route=\"/api/v1/persons\",status=\"200\"").as_deref(), Some("2"), "{out}");
        assert_eq!(count("method=\"GET\",route=\"/api/v1/persons\",status=\"404\"").as_deref(), Some("1"));
        assert_eq!(count("method=\"POST\",route=\"/api/v1/persons\",status=\"201\"").as_deref(), Some("1"));
        assert_eq!(count("method=\"GET\",route=\"/a\\\"b\",status=\"200\"").as_deref(), Some("1"), "escaped");
        assert_eq!(out.matches("_count{").count(), 4);
    }
}
