//! Telling people what happened to their case: the channels, the events a
//! citizen is told of, the message templates, and the rules of delivery —
//! when to try again, when to give up, when not to wake anyone, how fast a
//! channel may be used. Pure: the outbox's store and the transports that
//! speak SMTP or a bot's HTTP API are elsewhere.
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveTime, Utc};

use crate::lifecycle::{CertificateForm, Stage};
use crate::time::kyiv_time;

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// An address confirmed by double opt-in.
    Email,
    /// A Telegram chat linked through the bot's deep link.
    Telegram,
    /// A Viber user linked through the bot's deep link.
    Viber,
    /// A system's endpoint (Standard Webhooks).
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Telegram, Channel::Viber, Channel::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Telegram => "telegram",
            Channel::Viber => "viber",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A channel that reaches a person's phone or mailbox, where quiet hours apply.
    pub fn reaches_a_person(self) -> bool {
        self != Channel::Webhook
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a person is told of. Each has a template per language
/// (`<templates>/<lang>/<topic>.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// The application was accepted.
    Accepted,
    /// Paper: sent to production (the district's weekly batch).
    SentToProduction,
    /// Paper: produced.
    Produced,
    /// Paper: on its way to the office.
    OnItsWay,
    /// At the office (paper) or the bank branch (card), ready to collect.
    Ready,
    /// Handed over.
    Issued,
    /// Card: the application is at the bank.
    CardAtBank,
    /// Card: personalised.
    CardPersonalized,
    /// Card: activated by its holder.
    Activated,
    /// Card: blocked.
    Blocked,
    /// Production was refused.
    Refused,
    /// The application was withdrawn.
    Withdrawn,
    /// A step is late: the new estimate, with an apology.
    DeadlineMissed,
    /// The certificate stops serving soon.
    ValidityEnding,
    /// A document shared from the citizen's wallet arrived.
    SharedCopyReceived,
    /// Double opt-in: "confirm that you want these messages".
    ConfirmSubscription,
    /// A chat was linked: the first message there.
    Subscribed,
    /// An appointment at an office was booked (or moved): its time and code's use.
    AppointmentBooked,
    /// The appointment is tomorrow.
    AppointmentReminder,
    /// The appointment was cancelled.
    AppointmentCancelled,
    /// A question asked without registration has its answer.
    QuestionAnswered,
    /// An e-application was decided: granted or refused, with the signed decision in the account.
    EApplicationDecided,
}

impl Topic {
    pub const ALL: [Topic; 22] = [
        Topic::Accepted,
        Topic::SentToProduction,
        Topic::Produced,
        Topic::OnItsWay,
        Topic::Ready,
        Topic::Issued,
        Topic::CardAtBank,
        Topic::CardPersonalized,
        Topic::Activated,
        Topic::Blocked,
        Topic::Refused,
        Topic::Withdrawn,
        Topic::DeadlineMissed,
        Topic::ValidityEnding,
        Topic::SharedCopyReceived,
        Topic::ConfirmSubscription,
        Topic::Subscribed,
        Topic::AppointmentBooked,
        Topic::AppointmentReminder,
        Topic::AppointmentCancelled,
        Topic::QuestionAnswered,
        Topic::EApplicationDecided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Accepted => "accepted",
            Topic::SentToProduction => "sent_to_production",
            Topic::Produced => "produced",
            Topic::OnItsWay => "on_its_way",
            Topic::Ready => "ready",
            Topic::Issued => "issued",
            Topic::CardAtBank => "card_at_bank",
            Topic::CardPersonalized => "card_personalized",
            Topic::Activated => "activated",
            Topic::Blocked => "blocked",
            Topic::Refused => "refused",
            Topic::Withdrawn => "withdrawn",
            Topic::DeadlineMissed => "deadline_missed",
            Topic::ValidityEnding => "validity_ending",
            Topic::SharedCopyReceived => "shared_copy_received",
            Topic::ConfirmSubscription => "confirm_subscription",
            Topic::Subscribed => "subscribed",
            Topic::AppointmentBooked => "appointment_booked",
            Topic::AppointmentReminder => "appointment_reminder",
            Topic::AppointmentCancelled => "appointment_cancelled",
            Topic::QuestionAnswered => "question_answered",
            Topic::EApplicationDecided => "e_application_decided",
        }
    }

    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The event a citizen is told of when a certificate of `form` enters
    /// `to`, if any: the stages a citizen cares about, not every internal step
    /// (the region's consolidation, the duplicate check, keys at the centre).
    pub fn of_stage(form: CertificateForm, to: Stage) -> Option<Topic> {
        use Stage::*;
        Some(match (form, to) {
            (_, Accepted) => Topic::Accepted,
            (CertificateForm::Paper, SubmittedToRegion) => Topic::SentToProduction,
            (CertificateForm::Paper, Produced) => Topic::Produced,
            (CertificateForm::Paper, AtRegion) => Topic::OnItsWay,
            (_, AtDistrict | AtBranch) => Topic::Ready,
            (_, Issued) => Topic::Issued,
            (_, SentToBank) => Topic::CardAtBank,
            (_, Personalized) => Topic::CardPersonalized,
            (_, Active) => Topic::Activated,
            (_, Blocked) => Topic::Blocked,
            (_, Refused) => Topic::Refused,
            (_, Withdrawn) => Topic::Withdrawn,
            _ => return None,
        })
    }

    /// Topics that only go to the one address they concern, never to a
    /// system's webhook or to the person's other channels; the citizen has
    /// just asked for them, so quiet hours do not hold them.
    pub fn is_personal_only(self) -> bool {
        matches!(
            self,
            Topic::ConfirmSubscription
                | Topic::Subscribed
                | Topic::AppointmentBooked
                | Topic::AppointmentCancelled
                | Topic::QuestionAnswered
        )
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a template may say: the values a message is rendered with.
/// `about` names the case in words ("application З-2026-0000042", "the
/// document you shared from your wallet: taxpayer card"); `case` is its bare reference.
pub const PLACEHOLDERS: &[&str] = &[
    "case",
    "answer",
    "decision",
    "about",
    "date",
    "office",
    "address",
    "hours",
    "estimate",
    "status_link",
    "confirm_link",
    "unsubscribe_link",
    "manage_link",
];

/// A message template: a `Subject:` line, an empty line, then the body.
/// `{name}` is replaced by a value; `{{` and `}}` are literal braces. A
/// placeholder not in [`PLACEHOLDERS`] is refused when the file is read, so a
/// fund's edit cannot send "{ofice}" to a million people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    subject: Vec<Piece>,
    body: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Value(&'static str),
}

/// Why a template file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    NoSubject,
    UnknownPlaceholder(String),
    Unclosed,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::NoSubject => f.write_str("the first line must be `Subject: …`, then an empty line"),
            TemplateError::UnknownPlaceholder(p) => {
                write!(f, "unknown placeholder {{{p}}} (known: {})", PLACEHOLDERS.join(", "))
            }
            TemplateError::Unclosed => f.write_str("a `{` is not closed (write `{{` for a brace)"),
        }
    }
}

impl std::error::Error for TemplateError {}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let subject = first.trim_end_matches('\r').strip_prefix("Subject:").ok_or(TemplateError::NoSubject)?;
        let body = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).ok_or(TemplateError::NoSubject)?;
        Ok(Template { subject: pieces(subject.trim())?, body: pieces(body.trim_end())? })
    }

    /// The message with `values` in place; a placeholder without a value becomes empty.
    pub fn render(&self, values: &BTreeMap<&str, String>) -> Rendered {
        let fill = |ps: &[Piece]| {
            let mut s = String::new();
            for p in ps {
                match p {
                    Piece::Text(t) => s.push_str(t),
                    Piece::Value(name) => s.push_str(values.get(name).map_or("", String::as_str)),
                }
            }
            s
        };
        // A subject is one line whatever the values hold (no header injection).
        let subject = fill(&self.subject).replace(['\r', '\n'], " ");
        Rendered { subject, body: fill(&self.body) }
    }
}

fn pieces(s: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(TemplateError::Unclosed),
                    }
                }
                let known = PLACEHOLDERS.iter().find(|p| **p == name).ok_or(TemplateError::UnknownPlaceholder(name))?;
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Value(known));
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// How delivery retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first wait; each later one doubles, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Attempts before a message is dead (staff can retry it).
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { base_delay: Duration::seconds(30), max_delay: Duration::hours(6), max_attempts: 12 }
    }
}

/// Why an attempt did not deliver, as a transport tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Try again later; the provider may say when (HTTP 429 `retry_after`, SMTP 4xx).
    Transient { retry_after: Option<Duration>, error: String },
    /// This message can never be delivered (a malformed address, a refused payload).
    Permanent { error: String },
    /// The recipient is gone — a blocked bot (403), a hard bounce, an
    /// unsubscribed Viber user: the subscription ends.
    RecipientGone { error: String },
}

impl Failure {
    pub fn error(&self) -> &str {
        match self {
            Failure::Transient { error, .. } | Failure::Permanent { error } | Failure::RecipientGone { error } => error,
        }
    }
}

/// What becomes of a message after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    Dead,
    /// Dead, and its subscription ends.
    EndSubscription,
}

impl RetryPolicy {
    /// The next step after attempt number `attempts` (1 for the first)
    /// failed at `now`. The wait doubles from `base_delay`, capped, and is
    /// spread by `jitter` ∈ [0, 1) over its upper half so that messages
    /// failed together do not come back together; a provider's
    /// `retry_after` is a floor.
    pub fn after(&self, attempts: u32, failure: &Failure, now: DateTime<Utc>, jitter: f64) -> AfterFailure {
        match failure {
            Failure::Permanent { .. } => AfterFailure::Dead,
            Failure::RecipientGone { .. } => AfterFailure::EndSubscription,
            Failure::Transient { .. } if attempts >= self.max_attempts => AfterFailure::Dead,
            Failure::Transient { retry_after, .. } => {
                let doublings = attempts.saturating_sub(1).min(30);
                let full = self.base_delay.checked_mul(1 << doublings).unwrap_or(self.max_delay).min(self.max_delay);
                let jitter = jitter.clamp(0.0, 1.0);
                let ms = full.num_milliseconds() as f64 * (0.5 + jitter / 2.0);
                let wait = Duration::milliseconds(ms as i64).max(retry_after.unwrap_or_else(Duration::zero));
                AfterFailure::RetryAt(now + wait)
            }
        }
    }
}

/// Hours (Kyiv time) when nothing is sent to a person's phone or mailbox:
/// what falls due then waits for the morning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: NaiveTime,
    pub until: NaiveTime,
}

impl QuietHours {
    /// The instant the quiet ends if `now` falls inside it.
    pub fn defer(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.from == self.until {
            return None;
        }
        let local = kyiv_time(now);
        let time = local.time();
        let inside = if self.from < self.until {
            time >= self.from && time < self.until
        } else {
            time >= self.from || time < self.until
        };
        if !inside {
            return None;
        }
        let mut day = local.date_naive();
        if time >= self.until {
            day = day.succ_opt()?;
        }
        Some(crate::time::kyiv_instant(day.and_time(self.until)))
    }
}

impl Default for QuietHours {
    /// 21:00 to 08:00, Kyiv time.
    fn default() -> Self {
        QuietHours {
            from: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            until: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
        }
    }
}

/// The bot platforms' published limits (SPEC §7), the defaults of
/// `[notify.telegram]` and `[notify.viber]`: Telegram takes about 30
/// messages a second in bulk and 1 a second per chat; Viber 100 messages
/// per user per hour without a reply (and no bulk limit of its own).
pub const TELEGRAM_BULK_PER_SECOND: f64 = 30.0;
pub const TELEGRAM_PER_CHAT_PER_SECOND: f64 = 1.0;
pub const VIBER_PER_USER_PER_HOUR: f64 = 100.0;

/// A token bucket: `rate` sends per second on average, bursts of up to `burst`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    rate: f64,
    burst: f64,
    tokens: f64,
    at: Option<DateTime<Utc>>,
}

impl RateLimit {
    /// `rate` per second; a rate of 0 or less means no limit.
    pub fn new(rate: f64, burst: f64) -> RateLimit {
        let burst = burst.max(1.0);
        RateLimit { rate, burst, tokens: burst, at: None }
    }

    pub fn per_hour(count: f64) -> RateLimit {
        RateLimit::new(count / 3600.0, count)
    }

    /// Takes one send at `now`, or says how long to wait for one.
    pub fn take(&mut self, now: DateTime<Utc>) -> Result<(), Duration> {
        match self.wait(now) {
            Some(wait) => Err(wait),
            None => {
                self.spend();
                Ok(())
            }
        }
    }

    /// How long until a send may go at `now` (`None`: it may go now),
    /// without taking it — so a send two buckets must both allow spends
    /// from neither when one of them refuses.
    pub fn wait(&mut self, now: DateTime<Utc>) -> Option<Duration> {
        if self.rate <= 0.0 {
            return None;
        }
        if let Some(at) = self.at {
            let secs = (now - at).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6;
            self.tokens = (self.tokens + secs.max(0.0) * self.rate).min(self.burst);
        }
        self.at = Some(now);
        (self.tokens < 1.0).then(|| Duration::microseconds(((1.0 - self.tokens) / self.rate * 1e6).ceil() as i64))
    }

    /// Spends the send [`RateLimit::wait`] allowed.
    pub fn spend(&mut self) {
        if self.rate > 0.0 {
            self.tokens -= 1.0;
        }
    }
}

/// At most this many unconfirmed subscriptions wait on one case at a time:
/// whoever knows a case's two facts must not be able to make the fund send
/// opt-in mail (or deep links) to any number of addresses.
pub const PENDING_PER_CASE: usize = 3;

/// How long until another unconfirmed subscription may be made for a case
/// whose unconfirmed ones expire at `expiries`: `None` when one may be made
/// now, else until the earliest of the [`PENDING_PER_CASE`] newest expires.
pub fn pending_wait(expiries: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let mut live: Vec<DateTime<Utc>> = expiries.iter().copied().filter(|e| *e > now).collect();
    if live.len() < PENDING_PER_CASE {
        return None;
    }
    live.sort_unstable();
    // The earliest that must lapse to bring the count under the limit.
    Some(live[live.len() - PENDING_PER_CASE] - now)
}

/// A webhook secret or bot secret must be long enough not to be guessed.
pub const MIN_SECRET_BYTES: usize = 24;

/// An e-mail address as a subscriber types it, trimmed and with its domain
/// in lower case, or `None` when it cannot be one: one `@`, a local part of
/// at most 64 and a whole of at most 254 characters (RFC 5321), a dotted
/// domain, no spaces, controls or the characters that end an address in a
/// header (`<>()[],;:\"`). Whether it exists is what the opt-in finds out.
pub fn email_address(typed: &str) -> Option<String> {
    let s = typed.trim();
    let (local, domain) = s.split_once('@')?;
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c);
    let label_ok = |l: &str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-');
    let ok = !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !local.chars().any(bad)
        && !domain.chars().any(bad)
        && domain.contains('.')
        && domain.split('.').all(label_ok)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    ok.then(|| format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_case_holds_at_most_three_unconfirmed_subscriptions_until_one_lapses() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let h = |n: i64| now + Duration::hours(n);
        assert_eq!(pending_wait(&[], now), None);
        assert_eq!(pending_wait(&[h(1), h(2)], now), None);
        assert_eq!(pending_wait(&[h(5), h(1), h(3)], now), Some(Duration::hours(1)));
        assert_eq!(pending_wait(&[h(5), h(1), h(3), h(2)], now), Some(Duration::hours(2)));
        // Lapsed ones no longer count.
        assert_eq!(pending_wait(&[h(-1), h(1), h(3)], now), None);
    }
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    #[test]
    fn channels_and_topics_read_back_their_names() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
        assert_eq!(Channel::parse("sms"), None);
    }

    #[test]
    fn a_citizen_is_told_the_stages_of_the_issue_and_not_the_internal_ones() {
        use CertificateForm::*;
        assert_eq!(Topic::of_stage(Paper, Stage::SubmittedToRegion), Some(Topic::SentToProduction));
        assert_eq!(Topic::of_stage(Paper, Stage::SubmittedToCentral), None, "the region's consolidation");
        assert_eq!(Topic::of_stage(Paper, Stage::AtDistrict), Some(Topic::Ready));
        assert_eq!(Topic::of_stage(Card, Stage::AtBranch), Some(Topic::Ready));
        assert_eq!(Topic::of_stage(Card, Stage::KeysGenerated), None);
        assert_eq!(Topic::of_stage(Card, Stage::Personalized), Some(Topic::CardPersonalized));
        assert_eq!(Topic::of_stage(Paper, Stage::DuplicateHold), None);
    }

    #[test]
    fn a_template_renders_its_values_and_keeps_the_subject_on_one_line() {
        let t = Template::parse("Subject: Case {case} is ready\n\nCollect it at {address}, {hours}. {{not a value}}\n")
            .unwrap();
        let mut v = BTreeMap::new();
        v.insert("case", "З-2026-0000042\r\nBcc: x@example.org".to_owned());
        v.insert("address", "Kyiv, Khreshchatyk 1".to_owned());
        let r = t.render(&v);
        assert_eq!(r.subject, "Case З-2026-0000042  Bcc: x@example.org is ready");
        assert_eq!(r.body, "Collect it at Kyiv, Khreshchatyk 1, . {not a value}");
    }

    #[test]
    fn a_template_with_a_typo_or_without_a_subject_is_refused() {
        assert_eq!(Template::parse("Subject: x\n\n{ofice}"), Err(TemplateError::UnknownPlaceholder("ofice".into())));
        assert_eq!(Template::parse("Hello\n\nbody"), Err(TemplateError::NoSubject));
        assert_eq!(Template::parse("Subject: x\nbody"), Err(TemplateError::NoSubject));
        assert_eq!(Template::parse("Subject: x\n\n{case"), Err(TemplateError::Unclosed));
    }

    proptest! {
        /// Whatever a fund writes, parsing answers, and what parses renders.
        #[test]
        fn any_template_text_is_read_or_refused(s in "Subject: .{0,20}\n\n.{0,60}") {
            if let Ok(t) = Template::parse(&s) {
                let r = t.render(&BTreeMap::new());
                prop_assert!(!r.subject.contains('\n'));
            }
        }
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_and_honour_retry_after() {
        let p = RetryPolicy::default();
        let now = at(2026, 12, 3, 10, 0);
        let t = |attempts, jitter| match p.after(
            attempts,
            &Failure::Transient { retry_after: None, error: "x".into() },
            now,
            jitter,
        ) {
            AfterFailure::RetryAt(t) => t - now,
            other => panic!("{other:?}"),
        };
        assert_eq!(t(1, 0.0), Duration::seconds(15));
        assert_eq!(t(1, 0.999_999), Duration::milliseconds(29_999));
        assert_eq!(t(3, 0.0), Duration::seconds(60));
        assert_eq!(t(11, 1.0), Duration::hours(6), "capped");
        let slow = Failure::Transient { retry_after: Some(Duration::seconds(300)), error: "429".into() };
        assert_eq!(p.after(1, &slow, now, 0.0), AfterFailure::RetryAt(now + Duration::seconds(300)));
        let fail = Failure::Transient { retry_after: None, error: "x".into() };
        assert_eq!(p.after(12, &fail, now, 0.5), AfterFailure::Dead);
        assert_eq!(p.after(1, &Failure::Permanent { error: "x".into() }, now, 0.5), AfterFailure::Dead);
        assert_eq!(
            p.after(1, &Failure::RecipientGone { error: "403".into() }, now, 0.5),
            AfterFailure::EndSubscription
        );
    }

    proptest! {
        #[test]
        fn a_retry_is_never_sooner_than_asked_nor_later_than_the_cap(attempts in 1u32..40, jitter in 0.0f64..1.0, after in 0i64..100_000) {
            let p = RetryPolicy { max_attempts: 100, ..RetryPolicy::default() };
            let now = at(2026, 12, 3, 10, 0);
            let f = Failure::Transient { retry_after: Some(Duration::seconds(after)), error: String::new() };
            match p.after(attempts, &f, now, jitter) {
                AfterFailure::RetryAt(t) => {
                    prop_assert!(t - now >= Duration::seconds(after));
                    prop_assert!(t - now <= p.max_delay.max(Duration::seconds(after)));
                    prop_assert!(t - now >= p.base_delay / 2);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn quiet_hours_hold_messages_until_the_kyiv_morning() {
        let q = QuietHours::default();
        // 20:30 UTC in December is 22:30 in Kyiv: wait until 08:00 Kyiv = 06:00 UTC.
        assert_eq!(q.defer(at(2026, 12, 3, 20, 30)), Some(at(2026, 12, 4, 6, 0)));
        // 03:00 Kyiv, after midnight: the same morning.
        assert_eq!(q.defer(at(2026, 12, 4, 1, 0)), Some(at(2026, 12, 4, 6, 0)));
        // 12:00 Kyiv: send now.
        assert_eq!(q.defer(at(2026, 12, 4, 10, 0)), None);
        // Summer time: 22:00 Kyiv is 19:00 UTC; the morning is 05:00 UTC.
        assert_eq!(q.defer(at(2026, 7, 1, 19, 0)), Some(at(2026, 7, 2, 5, 0)));
        let none = QuietHours { from: q.from, until: q.from };
        assert_eq!(none.defer(at(2026, 12, 3, 20, 30)), None);
    }

    #[test]
    fn an_email_address_is_read_or_refused() {
        assert_eq!(email_address(" Olena.P@Ukr.NET ").as_deref(), Some("Olena.P@ukr.net"));
        assert_eq!(email_address("o+fund@mail.example.org").as_deref(), Some("o+fund@mail.example.org"));
        for bad in [
            "",
            "olena",
            "@ukr.net",
            "olena@",
            "olena@ukr",
            "o lena@ukr.net",
            "o@@ukr.net",
            "a@b.c\r\nBcc: x@y.z",
            "<o@ukr.net>",
            "o@-ukr.net",
            "o..p@ukr.net",
            ".o@ukr.net",
            "o@ukr..net",
        ] {
            assert_eq!(email_address(bad), None, "{bad:?}");
        }
        assert_eq!(email_address(&format!("{}@ukr.net", "o".repeat(65))), None);
    }

    proptest! {
        #[test]
        fn a_read_address_reads_back_as_itself_and_has_no_line_breaks(s in ".{0,40}") {
            if let Some(a) = email_address(&s) {
                prop_assert!(!a.contains(['\r', '\n', ' ']));
                prop_assert_eq!(email_address(&a), Some(a.clone()));
            }
        }
    }

    #[test]
    fn a_rate_limit_lets_a_burst_through_then_paces() {
        let mut per_chat = RateLimit::new(1.0, 1.0);
        let t0 = at(2026, 12, 3, 10, 0);
        assert_eq!(per_chat.take(t0), Ok(()));
        assert_eq!(per_chat.take(t0), Err(Duration::seconds(1)));
        assert_eq!(per_chat.take(t0 + Duration::seconds(1)), Ok(()));
        let mut viber = RateLimit::per_hour(100.0);
        for _ in 0..100 {
            assert_eq!(viber.take(t0), Ok(()));
        }
        assert_eq!(viber.take(t0), Err(Duration::seconds(36)));
        let mut none = RateLimit::new(0.0, 0.0);
        assert!((0..1000).all(|_| none.take(t0).is_ok()));
    }
}
