//! The blob store's contract, on a local folder always and on an S3-compatible
//! store when `DOSSIER_TEST_S3` names a bucket (`s3://bucket`, reached with
//! `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`;
//! `tests/garage/cluster.sh up` starts a three-node Garage and prints them).
//! With `CI=true` a missing bucket fails the suite instead of skipping it.
use dossier_db::StoreError;
use dossier_store::blobs::{BlobLocation, BlobStore, MasterKey, S3Bucket};
use futures::{StreamExt, TryStreamExt, stream};

/// A store under a fresh prefix of the test bucket, or `None` outside CI without one.
pub fn s3_location(label: &str) -> Option<BlobLocation> {
    let Ok(url) = std::env::var("DOSSIER_TEST_S3") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but DOSSIER_TEST_S3 is not set");
        return None;
    };
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("DOSSIER_TEST_S3 is set but {k} is not"));
    let (bucket, _) = S3Bucket::parse_url(&url).unwrap();
    let prefix = format!("contract-{label}-{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    Some(BlobLocation::S3(S3Bucket {
        bucket,
        prefix: Some(prefix),
        endpoint: std::env::var("AWS_ENDPOINT_URL").ok(),
        region: env("AWS_REGION"),
        access_key_id: env("AWS_ACCESS_KEY_ID"),
        secret_access_key: env("AWS_SECRET_ACCESS_KEY"),
    }))
}

/// Runs the body against a folder store and, when configured, an S3 store.
macro_rules! on_each_blob_store {
    ($label:literal, |$store:ident, $at:ident| $body:block) => {{
        let dir = tempfile::tempdir().unwrap();
        let mut places = vec![BlobLocation::Folder(dir.path().join("blobs"))];
        places.extend(s3_location($label));
        for $at in places {
            let $store = BlobStore::open(&$at, MasterKey::generate()).unwrap();
            $body
        }
    }};
}

#[tokio::test]
async fn a_document_comes_back_as_stored_and_is_kept_once() {
    on_each_blob_store!("once", |store, at| {
        let a = store.put(b"pension certificate 1759013776").await.unwrap();
        let b = store.put(b"pension certificate 1759013776").await.unwrap();
        assert_eq!(a, b, "{at}");
        assert_eq!(store.get(&a.sha256).await.unwrap(), b"pension certificate 1759013776", "{at}");
        let objects = store.objects().await.unwrap();
        assert_eq!(objects.len(), 1, "{at}: one object for one content, {objects:?}");
        assert!(objects[0].starts_with("blobs/"), "{at}");
        assert!(!objects[0].contains(&a.sha256), "{at}: names reveal no content hash");
        let stored = store.object(&objects[0]).await.unwrap();
        assert!(!stored.windows(10).any(|w| w == b"1759013776"), "{at}: only ciphertext leaves the process");
    });
}

#[tokio::test]
async fn a_missing_document_is_not_found_and_a_stranger_reads_nothing() {
    on_each_blob_store!("missing", |store, at| {
        let absent = BlobStore::sha256_hex(b"never stored");
        assert!(matches!(store.get(&absent).await, Err(StoreError::NotFound)), "{at}");
        let r = store.put(b"a signed act").await.unwrap();
        let stranger = BlobStore::open(&at, MasterKey::generate()).unwrap();
        assert!(stranger.get(&r.sha256).await.is_err(), "{at}: another master key does not open it");
    });
}

#[tokio::test]
async fn records_are_written_once_listed_in_order_and_restored_as_they_were() {
    on_each_blob_store!("records", |store, at| {
        assert!(store.put_record("audit/change/02.p7m", b"second").await.unwrap(), "{at}");
        assert!(store.put_record("audit/change/01.p7m", b"first").await.unwrap(), "{at}");
        assert!(!store.put_record("audit/change/01.p7m", b"forged").await.unwrap(), "{at}: never replaced");
        let listed = store.records("audit").await.unwrap();
        let names: Vec<_> = listed.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        assert_eq!(names, [("audit/change/01.p7m", &b"first"[..]), ("audit/change/02.p7m", &b"second"[..])], "{at}");
        assert!(store.records("nothing").await.unwrap().is_empty(), "{at}");

        // A restore copies objects byte for byte; an object already there is kept.
        let doc = store.put(b"statement").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let copy = BlobStore::open(&BlobLocation::Folder(dir.path().to_owned()), MasterKey::generate()).unwrap();
        for path in store.objects().await.unwrap() {
            copy.restore_object(&path, store.object(&path).await.unwrap()).await.unwrap();
        }
        copy.restore_object("records/audit/change/01.p7m", b"forged".to_vec()).await.unwrap();
        assert_eq!(copy.objects().await.unwrap(), store.objects().await.unwrap(), "{at}");
        assert_eq!(copy.records("audit").await.unwrap(), listed, "{at}");
        assert!(copy.get(&doc.sha256).await.is_err(), "{at}: the copy is still sealed under the fund's key");
    });
}

#[tokio::test]
async fn sixteen_writers_and_readers_at_once() {
    on_each_blob_store!("parallel", |store, at| {
        let docs: Vec<Vec<u8>> = (0..64).map(|i| format!("document {i} ").repeat(1000).into_bytes()).collect();
        let refs: Vec<_> = stream::iter(docs.iter().map(|d| store.put(d))).buffered(16).try_collect().await.unwrap();
        let back: Vec<_> =
            stream::iter(refs.iter().map(|r| store.get(&r.sha256))).buffered(16).try_collect().await.unwrap();
        assert_eq!(back, docs, "{at}");
        assert_eq!(store.objects().await.unwrap().len(), 64, "{at}");
    });
}
