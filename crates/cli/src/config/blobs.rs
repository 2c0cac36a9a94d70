//! Where the documents are kept: `blobs = "s3://bucket[/prefix]"` (or a folder),
//! and how to reach an S3-compatible store. Settings follow the names every
//! S3 tool uses, so an operator's existing environment works unchanged:
//! `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`,
//! or a shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`).
//! Keys come from the environment or that file, never from `dossier.toml`.
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use dossier_store::blobs::{BlobLocation, S3Bucket};
use serde::Deserialize;

/// `[s3]` in `dossier.toml`; the environment wins over each key.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3File {
    /// The store's address, e.g. `https://s3.fund.example` (`AWS_ENDPOINT_URL`); none: AWS.
    pub endpoint: Option<String>,
    /// The store's region (`AWS_REGION`); Garage's default is `garage`.
    pub region: Option<String>,
    /// A credentials file in the AWS format (`AWS_SHARED_CREDENTIALS_FILE`).
    pub credentials_file: Option<PathBuf>,
    /// Its profile (`AWS_PROFILE`, default `default`).
    pub profile: Option<String>,
}

/// Resolves the `blobs` setting; `None` means the folder under the data directory.
pub fn location(
    blobs: Option<String>,
    s3: Option<S3File>,
    data_dir: &Path,
    env: impl Fn(&str) -> Option<String>,
) -> Result<BlobLocation> {
    let Some(blobs) = blobs else { return Ok(BlobLocation::Folder(data_dir.join("blobs"))) };
    if !blobs.starts_with("s3://") {
        return Ok(BlobLocation::Folder(PathBuf::from(blobs.strip_prefix("file://").unwrap_or(&blobs))));
    }
    let (bucket, prefix) = S3Bucket::parse_url(&blobs).map_err(|e| anyhow!("blobs: {e}"))?;
    let file = s3.unwrap_or_default();
    let endpoint = env("AWS_ENDPOINT_URL_S3").or_else(|| env("AWS_ENDPOINT_URL")).or(file.endpoint);
    if let Some(e) = &endpoint
        && !(e.starts_with("https://") || e.starts_with("http://"))
    {
        bail!("the S3 endpoint {e:?} must start with https:// (or http:// on a trusted network)");
    }
    let region = env("AWS_REGION")
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or(file.region)
        .unwrap_or_else(|| "us-east-1".to_owned());
    let (access_key_id, secret_access_key) = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => (id, secret),
        (Some(_), None) | (None, Some(_)) => {
            bail!("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (and use a credentials file)")
        }
        (None, None) => {
            let path =
                env("AWS_SHARED_CREDENTIALS_FILE").map(PathBuf::from).or(file.credentials_file).ok_or_else(|| {
                    anyhow!(
                        "{blobs}: no S3 keys — set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a credentials file"
                    )
                })?;
            let profile = env("AWS_PROFILE").or(file.profile).unwrap_or_else(|| "default".to_owned());
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            credentials_in(&text, &profile).map_err(|e| anyhow!("{}: {e}", path.display()))?
        }
    };
    Ok(BlobLocation::S3(S3Bucket { bucket, prefix, endpoint, region, access_key_id, secret_access_key }))
}

/// The key pair of `profile` in an AWS-format credentials file
/// (`[profile]` sections of `aws_access_key_id = …`, `aws_secret_access_key = …`).
fn credentials_in(text: &str, profile: &str) -> Result<(String, String), String> {
    let (mut section, mut id, mut secret) = (None::<&str>, None, None);
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.trim());
            continue;
        }
        if section != Some(profile) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { return Err(format!("unreadable line in [{profile}]")) };
        match key.trim() {
            "aws_access_key_id" => id = Some(value.trim().to_owned()),
            "aws_secret_access_key" => secret = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    match (id, secret) {
        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => Ok((id, secret)),
        _ => Err(format!("profile [{profile}] lacks aws_access_key_id or aws_secret_access_key")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn without_a_setting_the_documents_stay_in_the_data_folder() {
        let at = location(None, None, Path::new("/var/lib/dossier"), no_env).unwrap();
        assert!(matches!(at, BlobLocation::Folder(p) if p == Path::new("/var/lib/dossier/blobs")));
        let at = location(Some("file:///srv/docs".into()), None, Path::new("x"), no_env).unwrap();
        assert!(matches!(at, BlobLocation::Folder(p) if p == Path::new("/srv/docs")));
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let env = |k: &str| match k {
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:3900".to_owned()),
            "AWS_ACCESS_KEY_ID" => Some("GKenv".to_owned()),
            "AWS_SECRET_ACCESS_KEY" => Some("secret-env".to_owned()),
            _ => None,
        };
        let file =
            S3File { endpoint: Some("https://other".into()), region: Some("garage".into()), ..Default::default() };
        let BlobLocation::S3(b) = location(Some("s3://dossier/kyiv".into()), Some(file), Path::new("x"), env).unwrap()
        else {
            panic!("not S3")
        };
        assert_eq!(
            (b.bucket.as_str(), b.prefix.as_deref(), b.endpoint.as_deref(), b.region.as_str()),
            ("dossier", Some("kyiv"), Some("http://127.0.0.1:3900"), "garage")
        );
        assert_eq!((b.access_key_id.as_str(), b.secret_access_key.as_str()), ("GKenv", "secret-env"));
    }

    #[test]
    fn keys_come_from_the_named_profile_of_a_credentials_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "# Garage keys\n[default]\naws_access_key_id = GKdefault\naws_secret_access_key = s1\n\n[fund]\n\
             aws_access_key_id=GKfund\naws_secret_access_key=s2\nregion = garage\n",
        )
        .unwrap();
        let s3 = S3File { credentials_file: Some(file.clone()), profile: Some("fund".into()), ..Default::default() };
        let BlobLocation::S3(b) = location(Some("s3://dossier".into()), Some(s3), Path::new("x"), no_env).unwrap()
        else {
            panic!("not S3")
        };
        assert_eq!((b.access_key_id.as_str(), b.secret_access_key.as_str()), ("GKfund", "s2"));
        assert!(credentials_in("[default]\naws_access_key_id = a\n", "default").is_err());
        assert!(credentials_in("[other]\naws_access_key_id = a\naws_secret_access_key = b\n", "default").is_err());
    }

    #[test]
    fn an_s3_store_without_keys_or_with_a_bad_endpoint_is_refused() {
        assert!(location(Some("s3://dossier".into()), None, Path::new("x"), no_env).is_err());
        let half = |k: &str| (k == "AWS_ACCESS_KEY_ID").then(|| "GK".to_owned());
        assert!(location(Some("s3://dossier".into()), None, Path::new("x"), half).is_err());
        let ftp = |k: &str| match k {
            "AWS_ENDPOINT_URL" => Some("ftp://x".to_owned()),
            "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("k".to_owned()),
            _ => None,
        };
        assert!(location(Some("s3://dossier".into()), None, Path::new("x"), ftp).is_err());
        assert!(location(Some("s3://No_Such".into()), None, Path::new("x"), no_env).is_err());
    }
}
