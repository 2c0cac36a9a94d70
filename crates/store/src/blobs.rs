//! Documents at rest: content-addressed, written once, encrypted.
//!
//! Each blob gets its own random 256-bit data key; the content is sealed with
//! AES-256-GCM under it, and the data key is sealed (wrapped) with AES-256-GCM
//! under the master key. Both seals bind the plaintext's SHA-256 as associated
//! data, so a blob cannot be swapped for another. The object's *name* is a
//! keyed hash of that SHA-256, so the folder reveals neither content nor which
//! known file is present. Layout of an object:
//!
//! `"DSB1" | wrap nonce (12) | wrapped key (32+16) | data nonce (12) | ciphertext+tag`
//!
//! The bytes go through the `object_store` crate, so the same code serves a
//! local folder and an S3-compatible bucket ([`BlobLocation`]).
mod location;

use std::path::Path as FsPath;
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use object_store::path::Path;
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload};
use rand::RngCore;
use sha2::{Digest, Sha256};

use dossier_db::{StoreError, StoreResult};

pub use location::{BlobLocation, S3Bucket};

const MAGIC: &[u8; 4] = b"DSB1";
const NONCE: usize = 12;
const WRAPPED: usize = 32 + 16;

/// The key that wraps every data key. Never logged, never stored with the data.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        MasterKey(k)
    }

    /// Parses 64 hex characters (surrounding whitespace ignored).
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let bytes =
            base16ct::mixed::decode_vec(s.trim()).map_err(|_| "the master key must be 64 hex characters".to_owned())?;
        let k: [u8; 32] =
            bytes.try_into().map_err(|_| "the master key must be 32 bytes (64 hex characters)".to_owned())?;
        Ok(MasterKey(k))
    }

    pub fn to_hex(&self) -> String {
        base16ct::lower::encode_string(&self.0)
    }

    /// A key for another purpose (e.g. `notify-links`), derived one way from
    /// this one: one secret for the operator to keep, a separate key per use.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"dossier key derivation\0");
        h.update(purpose.as_bytes());
        h.update([0u8]);
        h.update(self.0);
        h.finalize().into()
    }

    /// Reads the key file, or — for the embedded default only — creates it
    /// with owner-only permissions when it does not exist yet.
    pub fn load_or_create(path: &FsPath) -> Result<(Self, bool), String> {
        match std::fs::read_to_string(path) {
            Ok(s) => Ok((Self::from_hex(&s).map_err(|e| format!("{}: {e}", path.display()))?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                write_private(path, &key.to_hex()).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok((key, true))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

#[cfg(unix)]
fn write_private(path: &FsPath, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &FsPath, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

/// Where a stored blob is: the SHA-256 of its plaintext and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    pub sha256: String,
    pub size: i64,
}

/// The encrypted, content-addressed document store.
#[derive(Clone)]
pub struct BlobStore {
    objects: Arc<dyn ObjectStore>,
    key: MasterKey,
    /// The objects refuse a create-only put of a name that exists, so a put
    /// need not look first (see [`Self::create_once`]).
    refuses_overwrite: bool,
}

impl BlobStore {
    /// A store over any objects; puts look before they write.
    pub fn new(objects: Arc<dyn ObjectStore>, key: MasterKey) -> Self {
        BlobStore { objects, key, refuses_overwrite: false }
    }

    /// The store at a configured location.
    pub fn open(location: &BlobLocation, key: MasterKey) -> StoreResult<Self> {
        // A folder's create-only put is a hard link, which the file system
        // refuses over an existing name: no look first (two file-system
        // trips a put, each a trip to a blocking thread). An S3 store may
        // not honour it (see `create_once`).
        let refuses_overwrite = matches!(location, BlobLocation::Folder(_));
        Ok(BlobStore { refuses_overwrite, ..Self::new(location.open()?, key) })
    }

    /// A store in a local folder (created if missing).
    pub fn local(dir: &FsPath, key: MasterKey) -> StoreResult<Self> {
        Self::open(&BlobLocation::Folder(dir.to_owned()), key)
    }

    /// A key derived from the master key for `purpose` (see [`MasterKey::derive`]).
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        self.key.derive(purpose)
    }

    pub fn sha256_hex(data: &[u8]) -> String {
        base16ct::lower::encode_string(&Sha256::digest(data))
    }

    /// The object name for a content hash: a keyed hash, so names leak nothing.
    fn object_path(&self, sha256: &str) -> Path {
        let mut h = Sha256::new();
        h.update(b"dossier-blob-name\0");
        h.update(self.key.0);
        h.update(sha256.as_bytes());
        let name = base16ct::lower::encode_string(&h.finalize());
        Path::from(format!("blobs/{}/{}", &name[..2], name))
    }

    /// Stores the plaintext (once: storing the same content again is a no-op).
    pub async fn put(&self, plaintext: &[u8]) -> StoreResult<BlobRef> {
        let sha256 = Self::sha256_hex(plaintext);
        let path = self.object_path(&sha256);
        self.create_once(&path, || self.seal(&sha256, plaintext)).await?;
        Ok(BlobRef { sha256, size: plaintext.len() as i64 })
    }

    /// Whether the store answers, with these keys: a look-up of a name no
    /// object has, so it reads nothing and works on an empty store too.
    pub async fn ping(&self) -> StoreResult<()> {
        self.exists(&Path::from("records/.ping")).await.map(|_| ())
    }

    async fn exists(&self, path: &Path) -> StoreResult<bool> {
        match self.objects.head(path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(StoreError::Blob(e.to_string())),
        }
    }

    /// Writes an object that is not there yet, its bytes made only then;
    /// `Ok(false)` when it is there.
    ///
    /// It looks first ([`Self::exists`]) unless the objects refuse an
    /// overwrite themselves, because not every S3-compatible store refuses a
    /// create-only put: AWS, MinIO and R2 honour `If-None-Match: *`, Garage
    /// ignores it and overwrites. Looking first keeps a repeated document from
    /// being uploaded again everywhere; what is left is a race between two
    /// writers of the same name, which is harmless here (documents are named
    /// by their content, checkpoints by the head they sign).
    async fn create_once(&self, path: &Path, bytes: impl FnOnce() -> StoreResult<Vec<u8>>) -> StoreResult<bool> {
        if !self.refuses_overwrite && self.exists(path).await? {
            return Ok(false);
        }
        self.create(path, bytes()?).await
    }

    /// A create-only put; `Ok(false)` when the objects refuse it as existing.
    async fn create(&self, path: &Path, bytes: Vec<u8>) -> StoreResult<bool> {
        let opts = PutOptions { mode: PutMode::Create, ..Default::default() };
        match self.objects.put_opts(path, PutPayload::from(bytes), opts).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(StoreError::Blob(e.to_string())),
        }
    }

    /// Reads and decrypts a blob, checking it is the content that was stored.
    pub async fn get(&self, sha256: &str) -> StoreResult<Vec<u8>> {
        let path = self.object_path(sha256);
        let sealed = match self.objects.get(&path).await {
            Ok(r) => r.bytes().await.map_err(|e| StoreError::Blob(e.to_string()))?,
            Err(object_store::Error::NotFound { .. }) => return Err(StoreError::NotFound),
            Err(e) => return Err(StoreError::Blob(e.to_string())),
        };
        let plain = self.unseal(sha256, &sealed)?;
        if Self::sha256_hex(&plain) != sha256 {
            return Err(StoreError::corrupt("blob content does not match its hash"));
        }
        Ok(plain)
    }

    /// Keeps `bytes` under `records/{name}`, once: a record already there is
    /// never replaced (`Ok(false)`). Records are evidence kept beside the
    /// documents — signed audit checkpoints — and are stored as they are: they
    /// hold hashes and signatures, no personal data, and must stay checkable
    /// by anyone given a copy, without the master key.
    pub async fn put_record(&self, name: &str, bytes: &[u8]) -> StoreResult<bool> {
        self.create_once(&Path::from(format!("records/{name}")), || Ok(bytes.to_vec())).await
    }

    /// Whether a record is kept under `records/{name}`.
    pub async fn has_record(&self, name: &str) -> StoreResult<bool> {
        self.exists(&Path::from(format!("records/{name}"))).await
    }

    /// Every record under `records/{prefix}`, `(name, bytes)` in name order.
    pub async fn records(&self, prefix: &str) -> StoreResult<Vec<(String, Vec<u8>)>> {
        use futures::TryStreamExt;
        let root = Path::from(format!("records/{prefix}"));
        let mut metas: Vec<_> =
            self.objects.list(Some(&root)).try_collect().await.map_err(|e| StoreError::Blob(e.to_string()))?;
        metas.sort_by(|a, b| a.location.cmp(&b.location));
        let mut out = Vec::with_capacity(metas.len());
        for meta in metas {
            let bytes = self.objects.get(&meta.location).await.map_err(|e| StoreError::Blob(e.to_string()))?;
            let bytes = bytes.bytes().await.map_err(|e| StoreError::Blob(e.to_string()))?;
            let name = meta.location.as_ref().strip_prefix("records/").unwrap_or(meta.location.as_ref()).to_owned();
            out.push((name, bytes.to_vec()));
        }
        Ok(out)
    }

    /// Every object in the store (documents and records), by path, sorted:
    /// what a backup copies as it is stored — encrypted, so a backup is no
    /// more readable than the store without the master key.
    pub async fn objects(&self) -> StoreResult<Vec<String>> {
        use futures::TryStreamExt;
        let metas: Vec<_> = self.objects.list(None).try_collect().await.map_err(|e| StoreError::Blob(e.to_string()))?;
        let mut paths: Vec<String> = metas.into_iter().map(|m| m.location.to_string()).collect();
        paths.sort();
        Ok(paths)
    }

    /// One object's stored bytes.
    pub async fn object(&self, path: &str) -> StoreResult<Vec<u8>> {
        let r = self.objects.get(&Path::from(path)).await.map_err(|e| StoreError::Blob(e.to_string()))?;
        Ok(r.bytes().await.map_err(|e| StoreError::Blob(e.to_string()))?.to_vec())
    }

    /// Puts an object back as it was stored (a restore); one already there is kept.
    pub async fn restore_object(&self, path: &str, bytes: Vec<u8>) -> StoreResult<()> {
        self.create_once(&Path::from(path), || Ok(bytes)).await.map(|_| ())
    }

    fn master(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.key.0))
    }

    fn seal(&self, sha256: &str, plaintext: &[u8]) -> StoreResult<Vec<u8>> {
        let mut rng = rand::rngs::OsRng;
        let mut dek = [0u8; 32];
        let mut wnonce = [0u8; NONCE];
        let mut dnonce = [0u8; NONCE];
        rng.fill_bytes(&mut dek);
        rng.fill_bytes(&mut wnonce);
        rng.fill_bytes(&mut dnonce);
        let aad = sha256.as_bytes();
        let wrapped = self
            .master()
            .encrypt(Nonce::from_slice(&wnonce), Payload { msg: &dek, aad })
            .map_err(|_| StoreError::Blob("key wrap failed".into()))?;
        let data = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&dek))
            .encrypt(Nonce::from_slice(&dnonce), Payload { msg: plaintext, aad })
            .map_err(|_| StoreError::Blob("encryption failed".into()))?;
        let mut out = Vec::with_capacity(4 + NONCE + WRAPPED + NONCE + data.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&wnonce);
        out.extend_from_slice(&wrapped);
        out.extend_from_slice(&dnonce);
        out.extend_from_slice(&data);
        Ok(out)
    }

    fn unseal(&self, sha256: &str, sealed: &[u8]) -> StoreResult<Vec<u8>> {
        let head = 4 + NONCE + WRAPPED + NONCE;
        if sealed.len() < head + 16 || &sealed[..4] != MAGIC {
            return Err(StoreError::corrupt("not a Dossier blob"));
        }
        let aad = sha256.as_bytes();
        let wnonce = &sealed[4..4 + NONCE];
        let wrapped = &sealed[4 + NONCE..4 + NONCE + WRAPPED];
        let dnonce = &sealed[4 + NONCE + WRAPPED..head];
        let dek = self
            .master()
            .decrypt(Nonce::from_slice(wnonce), Payload { msg: wrapped, aad })
            .map_err(|_| StoreError::corrupt("blob key does not unwrap (wrong master key or tampering)"))?;
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&dek))
            .decrypt(Nonce::from_slice(dnonce), Payload { msg: &sealed[head..], aad })
            .map_err(|_| StoreError::corrupt("blob does not decrypt (tampering)"))
    }
}

#[cfg(test)]
mod tests {
    //! What only a folder shows; the contract every store meets is in
    //! `tests/contract/blobs.rs`, run on a folder and on S3.
    use super::*;

    #[tokio::test]
    async fn plaintext_is_not_in_the_folder_and_wrong_key_fails() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::generate();
        let store = BlobStore::local(dir.path(), key).unwrap();
        let secret = "Шевчук Петро 1759013776".repeat(10);
        let r = store.put(secret.as_bytes()).await.unwrap();
        for entry in walk(dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            assert!(!bytes.windows(10).any(|w| w == b"1759013776"));
            assert!(!entry.to_string_lossy().contains(&r.sha256));
        }
        let other = BlobStore::local(dir.path(), MasterKey::generate()).unwrap();
        assert!(other.get(&r.sha256).await.is_err());
    }

    /// A folder's put does not look first: the file system refuses the
    /// second write of a name, which leaves the first object as it was
    /// (sealed again, its bytes would differ: a fresh key and nonce) and no
    /// temporary file behind.
    #[tokio::test]
    async fn a_folder_keeps_the_first_copy_of_a_repeated_document() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path(), MasterKey::generate()).unwrap();
        assert!(store.refuses_overwrite);
        let first = store.put(b"pension record").await.unwrap();
        let [object] = walk(dir.path()).try_into().unwrap();
        let stored = std::fs::read(&object).unwrap();
        assert_eq!(store.put(b"pension record").await.unwrap(), first);
        assert_eq!(walk(dir.path()), vec![object.clone()], "one object, nothing left beside it");
        assert_eq!(std::fs::read(&object).unwrap(), stored, "the first object is kept as it was");
        assert!(store.put_record("checkpoints/1", b"head").await.unwrap());
        assert!(!store.put_record("checkpoints/1", b"other head").await.unwrap(), "a record is never replaced");
        assert_eq!(store.records("checkpoints").await.unwrap(), vec![("checkpoints/1".to_owned(), b"head".to_vec())]);
    }

    fn walk(dir: &FsPath) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
        out
    }
}
