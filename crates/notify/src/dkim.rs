//! DKIM signatures (RFC 6376) on outgoing mail, `rsa-sha256` with the
//! relaxed/relaxed canonicalization, signed with ring (the crypto provider
//! the rest of Dossier uses): receivers check that the fund sent the message
//! and that its signed headers and body were not changed on the way.
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use sha2::{Digest, Sha256};

/// The headers signed, when present: what a reader trusts in a message.
const SIGNED: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
    "list-unsubscribe",
    "list-unsubscribe-post",
];

/// A signing key with its domain (`d=`) and selector (`s=`): the public key
/// is published at `<selector>._domainkey.<domain>`.
pub struct DkimSigner {
    key: RsaKeyPair,
    domain: String,
    selector: String,
    rng: SystemRandom,
}

impl std::fmt::Debug for DkimSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DkimSigner({}, {})", self.domain, self.selector)
    }
}

#[derive(Debug)]
pub enum DkimError {
    Key(String),
    Message(&'static str),
}

impl std::fmt::Display for DkimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DkimError::Key(e) => write!(f, "DKIM key: {e}"),
            DkimError::Message(e) => write!(f, "DKIM: {e}"),
        }
    }
}

impl std::error::Error for DkimError {}

impl DkimSigner {
    /// From an RSA private key in PKCS#8 PEM (`openssl genpkey -algorithm RSA`).
    pub fn from_pem(pem: &str, domain: &str, selector: &str) -> Result<DkimSigner, DkimError> {
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
        let der = B64.decode(b64).map_err(|e| DkimError::Key(e.to_string()))?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| DkimError::Key(e.to_string()))?;
        let plain =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
        if !plain(domain) || !plain(selector) {
            return Err(DkimError::Key("domain and selector must be plain DNS labels".into()));
        }
        Ok(DkimSigner { key, domain: domain.to_owned(), selector: selector.to_owned(), rng: SystemRandom::new() })
    }

    /// The `DKIM-Signature` header line (with its CRLF) to put in front of
    /// `message` (headers, an empty line, the body; CRLF line ends).
    pub fn sign(&self, message: &[u8], timestamp: i64) -> Result<String, DkimError> {
        let split = find(message, b"\r\n\r\n").ok_or(DkimError::Message("no end of headers"))?;
        let (head, body) = (&message[..split + 2], &message[split + 4..]);
        let headers = parse_headers(head)?;
        let body_hash = B64.encode(Sha256::digest(relaxed_body(body)));
        let mut names = Vec::new();
        let mut signed = String::new();
        for name in SIGNED {
            // The last instance of a header is the one signed (§5.4.2).
            if let Some((n, v)) = headers.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                names.push(*name);
                signed.push_str(&relaxed_header(n, v));
                signed.push_str("\r\n");
            }
        }
        let value = format!(
            "v=1; a=rsa-sha256; c=relaxed/relaxed; d={}; s={}; t={timestamp}; h={}; bh={body_hash}; b=",
            self.domain,
            self.selector,
            names.join(":"),
        );
        signed.push_str(&relaxed_header("DKIM-Signature", &value));
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, signed.as_bytes(), &mut sig)
            .map_err(|_| DkimError::Message("signing failed"))?;
        Ok(format!("DKIM-Signature: {value}{}\r\n", B64.encode(sig)))
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Headers as `(name, raw value)`, folded lines joined (their CRLF kept, as
/// the relaxed form unfolds them anyway).
fn parse_headers(head: &[u8]) -> Result<Vec<(&str, String)>, DkimError> {
    let text = std::str::from_utf8(head).map_err(|_| DkimError::Message("headers are not UTF-8"))?;
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            let last = out.last_mut().ok_or(DkimError::Message("a folded line before any header"))?;
            last.1.push_str("\r\n");
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').ok_or(DkimError::Message("a header without a colon"))?;
            out.push((name, value.to_owned()));
        }
    }
    Ok(out)
}

/// §3.4.2: lower-case name, unfolded value, runs of white space as one
/// space, none at either end, no space around the colon.
fn relaxed_header(name: &str, value: &str) -> String {
    let unfolded = value.replace("\r\n", "");
    let mut v = String::with_capacity(unfolded.len());
    let mut space = false;
    for c in unfolded.chars() {
        if c == ' ' || c == '\t' {
            space = true;
        } else {
            if space && !v.is_empty() {
                v.push(' ');
            }
            space = false;
            v.push(c);
        }
    }
    format!("{}:{v}", name.trim().to_ascii_lowercase())
}

/// §3.4.4: runs of white space in a line as one space, none at a line's
/// end, no empty lines at the end of the body; a non-empty body ends with CRLF.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut rest = body;
    loop {
        let (line, next) = match find(rest, b"\r\n") {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let mut l = Vec::with_capacity(line.len());
        let mut space = false;
        for &b in line {
            if b == b' ' || b == b'\t' {
                space = true;
            } else {
                if space {
                    l.push(b' ');
                }
                space = false;
                l.push(b);
            }
        }
        lines.push(l);
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    while lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    for l in lines {
        out.extend_from_slice(&l);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_canonicalization_follows_rfc_6376_examples() {
        // RFC 6376 §3.4.5: "A: X", "B : Y\t\r\n\tZ  " → "a:X", "b:Y Z".
        assert_eq!(relaxed_header("A", " X"), "a:X");
        assert_eq!(relaxed_header("B ", " Y\t\r\n\tZ  "), "b:Y Z");
        assert_eq!(relaxed_body(b" C \r\nD \t E\r\n\r\n\r\n"), b" C\r\nD E\r\n");
        assert_eq!(relaxed_body(b""), b"");
        assert_eq!(relaxed_body(b"x"), b"x\r\n");
    }
}
