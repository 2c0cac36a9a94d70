//! Where the encrypted objects live: a local folder (the laptop default) or a
//! bucket of any S3-compatible store (AWS, Garage, MinIO, Ceph…) for a
//! region or a nation. Either way the bytes are sealed by [`super::BlobStore`]
//! before they leave the process; the store only ever sees ciphertext.
use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, RetryConfig};

use dossier_db::{StoreError, StoreResult};

/// The configured home of the documents.
#[derive(Debug, Clone)]
pub enum BlobLocation {
    Folder(PathBuf),
    S3(S3Bucket),
}

/// A bucket, with what it takes to reach it. Addressed path-style
/// (`ENDPOINT/bucket/key`), which every self-hosted store understands.
#[derive(Clone)]
pub struct S3Bucket {
    pub bucket: String,
    /// Keys are kept under `prefix/` when given (several funds or tests in one bucket).
    pub prefix: Option<String>,
    /// `https://…` or, on a trusted network, `http://…`; `None`: AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret key never reaches a log.
        f.debug_struct("S3Bucket")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl S3Bucket {
    /// Splits `s3://bucket[/prefix…]` into the bucket and the prefix.
    pub fn parse_url(url: &str) -> Result<(String, Option<String>), String> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| format!("{url:?} is not an s3:// address"))?;
        let (bucket, prefix) = match rest.split_once('/') {
            Some((b, p)) => (b, Some(p.trim_matches('/'))),
            None => (rest, None),
        };
        // S3's bucket naming rules: 3–63 of a-z, 0-9, '.', '-', starting and ending alphanumeric.
        let valid = (3..=63).contains(&bucket.len())
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
            && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !valid {
            return Err(format!("{bucket:?} is not a valid bucket name (3–63 of a-z, 0-9, '.', '-')"));
        }
        let prefix = prefix.filter(|p| !p.is_empty());
        if let Some(p) = prefix
            && p.split('/').any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(format!("{p:?} is not a usable key prefix"));
        }
        Ok((bucket.to_owned(), prefix.map(str::to_owned)))
    }

    fn open(&self) -> StoreResult<Arc<dyn ObjectStore>> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&self.bucket)
            .with_region(&self.region)
            .with_access_key_id(&self.access_key_id)
            .with_secret_access_key(&self.secret_access_key)
            .with_virtual_hosted_style_request(false)
            // Ride out a busy or restarting store (503 SlowDown, a node's restart), but give
            // up within seconds rather than the library's three minutes: a citizen is waiting,
            // and a balancer's health check must see a store that is gone.
            .with_retry(RetryConfig {
                max_retries: 4,
                retry_timeout: std::time::Duration::from_secs(15),
                ..Default::default()
            });
        if let Some(endpoint) = &self.endpoint {
            builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
        }
        let s3 = builder.build().map_err(|e| StoreError::Blob(format!("S3 bucket {}: {e}", self.bucket)))?;
        Ok(match &self.prefix {
            Some(p) => Arc::new(PrefixStore::new(s3, p.as_str())),
            None => Arc::new(s3),
        })
    }
}

impl BlobLocation {
    /// The object store behind this location (a folder is created if missing).
    pub(super) fn open(&self) -> StoreResult<Arc<dyn ObjectStore>> {
        match self {
            BlobLocation::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Blob(format!("{}: {e}", dir.display())))?;
                let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| StoreError::Blob(e.to_string()))?;
                Ok(Arc::new(fs))
            }
            BlobLocation::S3(bucket) => bucket.open(),
        }
    }
}

impl std::fmt::Display for BlobLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobLocation::Folder(dir) => write!(f, "{}", dir.display()),
            BlobLocation::S3(b) => {
                write!(f, "s3://{}", b.bucket)?;
                if let Some(p) = &b.prefix {
                    write!(f, "/{p}")?;
                }
                if let Some(e) = &b.endpoint {
                    write!(f, " at {e}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_addresses_name_a_bucket_and_an_optional_prefix() {
        assert_eq!(S3Bucket::parse_url("s3://dossier").unwrap(), ("dossier".into(), None));
        assert_eq!(S3Bucket::parse_url("s3://dossier/").unwrap(), ("dossier".into(), None));
        assert_eq!(
            S3Bucket::parse_url("s3://fund-docs.ua/kyiv/2026/").unwrap(),
            ("fund-docs.ua".into(), Some("kyiv/2026".into()))
        );
    }

    #[test]
    fn malformed_s3_addresses_are_refused() {
        for bad in
            ["dossier", "s3://", "s3://ab", "s3://Upper", "s3://-dash", "s3://a_b", "s3://ok-name/../x", "s3://ok/a//b"]
        {
            assert!(S3Bucket::parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_secret_key_is_not_in_debug_output() {
        let b = S3Bucket {
            bucket: "dossier".into(),
            prefix: None,
            endpoint: Some("http://127.0.0.1:3900".into()),
            region: "garage".into(),
            access_key_id: "GK1234".into(),
            secret_access_key: "very-secret-key-material".into(),
        };
        let shown = format!("{:?} {}", b, BlobLocation::S3(b.clone()));
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("s3://dossier at http://127.0.0.1:3900"), "{shown}");
    }
}
