//! The demo's transport: every message becomes a file in a folder — e-mail
//! as `.eml` (exactly what would go to the relay, DKIM included), bot and
//! webhook messages as `.json` — so the whole flow can be watched without a
//! network. The staff's outbox page lists the folder.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;

use crate::email::EmailTransport;
use crate::{Channel, Failure, Outgoing, Receipt, Transport, transient};

pub struct FolderTransport {
    channel: Channel,
    dir: PathBuf,
    /// For e-mail: formats the message as the SMTP transport would.
    email: Option<Arc<EmailTransport>>,
}

impl FolderTransport {
    pub fn new(channel: Channel, dir: &Path, email: Option<Arc<EmailTransport>>) -> FolderTransport {
        FolderTransport { channel, dir: dir.to_owned(), email }
    }
}

#[async_trait]
impl Transport for FolderTransport {
    fn channel(&self) -> Channel {
        self.channel
    }

    async fn send(&self, m: &Outgoing) -> Result<Receipt, Failure> {
        let dir = self.dir.join(self.channel.as_str());
        tokio::fs::create_dir_all(&dir).await.map_err(transient)?;
        // The outbox id names the file: a repeat of the same message overwrites it.
        let (name, bytes) = match (&self.email, self.channel) {
            (Some(email), Channel::Email) => (format!("{}.eml", m.id), email.format(m)?.1),
            _ => {
                let record = serde_json::json!({
                    "id": m.id, "to": m.to, "subject": m.subject, "text": m.body, "lang": m.lang, "event": m.event,
                });
                (format!("{}.json", m.id), serde_json::to_vec_pretty(&record).map_err(transient)?)
            }
        };
        let path = dir.join(&name);
        let tmp = dir.join(format!(".{name}.tmp"));
        tokio::fs::write(&tmp, bytes).await.map_err(transient)?;
        tokio::fs::rename(&tmp, &path).await.map_err(transient)?;
        Ok(format!("file {}/{name}", self.channel.as_str()))
    }
}
