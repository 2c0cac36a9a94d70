//! E-mail through an SMTP relay: one pooled transport, each message plain
//! text in the subscriber's language, with the fund's `Message-ID` made from
//! the outbox id (the same on every attempt), the one-click unsubscribe of
//! RFC 8058 (`List-Unsubscribe` + `List-Unsubscribe-Post`), and a DKIM
//! signature over all of it.
use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::dkim::DkimSigner;
use crate::{Channel, Failure, Outgoing, Receipt, Transport};

/// Where and as whom mail is sent.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `Name <address>` of the sender.
    pub from: String,
    /// Connections kept open to the relay.
    pub connections: u32,
}

pub struct EmailTransport {
    smtp: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of `Message-ID`s: the sender's.
    domain: String,
    dkim: Option<DkimSigner>,
}

impl EmailTransport {
    /// A transport to a relay without TLS (a local MTA or one on the fund's
    /// network); the relay does the onward delivery.
    pub fn new(settings: &SmtpSettings, dkim: Option<DkimSigner>) -> Result<EmailTransport, String> {
        let from: Mailbox = settings.from.parse().map_err(|e| format!("sender {:?}: {e}", settings.from))?;
        let domain = from.email.domain().to_owned();
        let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .pool_config(PoolConfig::new().max_size(settings.connections.max(1)))
            .build();
        Ok(EmailTransport { smtp, from, domain, dkim })
    }

    /// The message as it goes on the wire: headers (with the DKIM signature
    /// in front) and the body, CRLF line ends.
    pub fn format(&self, m: &Outgoing) -> Result<(lettre::address::Envelope, Vec<u8>), Failure> {
        let to: Mailbox = m.to.parse().map_err(|e| Failure::RecipientGone { error: format!("address: {e}") })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}@{}>", m.id, self.domain)))
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| Failure::Permanent { error: format!("message: {e}") })?;
        let envelope = message.envelope().clone();
        let mut raw = Vec::new();
        if let Some(url) = &m.unsubscribe_url {
            // RFC 8058: a mail client may unsubscribe with one POST, no page to visit.
            raw.extend_from_slice(format!("List-Unsubscribe: <{url}>\r\n").as_bytes());
            raw.extend_from_slice(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
        }
        raw.extend_from_slice(&message.formatted());
        if let Some(dkim) = &self.dkim {
            let header = dkim
                .sign(&raw, chrono::Utc::now().timestamp())
                .map_err(|e| Failure::Permanent { error: e.to_string() })?;
            raw.splice(0..0, header.into_bytes());
        }
        Ok((envelope, raw))
    }
}

#[async_trait]
impl Transport for EmailTransport {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    async fn send(&self, m: &Outgoing) -> Result<Receipt, Failure> {
        let (envelope, raw) = self.format(m)?;
        match self.smtp.send_raw(&envelope, &raw).await {
            Ok(response) => Ok(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" "))),
            Err(e) => Err(smtp_failure(&e)),
        }
    }
}

/// An SMTP error as a failure: a mailbox that does not exist (550, 551, 553)
/// is a hard bounce — the subscription ends; other 5xx answers refuse this
/// message; 4xx and connection errors are worth another try.
fn smtp_failure(e: &lettre::transport::smtp::Error) -> Failure {
    let error = e.to_string();
    if e.is_permanent() {
        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
        if ["550", "551", "553"].contains(&code.as_str()) {
            return Failure::RecipientGone { error };
        }
        return Failure::Permanent { error };
    }
    Failure::Transient { retry_after: None, error }
}
