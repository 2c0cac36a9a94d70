//! The blob store in process (BENCHMARKS.md "Blob store", issue 22 §1): `count`
//! documents of `size` bytes, each different, sealed and written with
//! `in_flight` at once, then read back and checked the same way, through
//! [`BlobStore`] — the code every document goes through — at the configured
//! location (`--blobs`: a folder, or `s3://…` with the `AWS_*` settings).
//! `bench/blobs.sh` runs it on a folder and on a three-node Garage, interleaved.
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use dossier_store::blobs::{BlobStore, MasterKey};
use futures::{StreamExt, TryStreamExt, stream};
use rand::RngCore;

use crate::config::Config;

pub async fn run(cfg: &Config, count: usize, size: usize, in_flight: usize) -> Result<()> {
    ensure!(count > 0 && size > 0 && in_flight > 0, "count, size and in-flight must be positive");
    // A key of its own: the benchmark's objects can be read by nobody, the fund's least of all.
    let store = BlobStore::open(&cfg.blobs, MasterKey::generate())?;
    store.ping().await?;
    let docs: Vec<Vec<u8>> = (0..count)
        .map(|_| {
            let mut d = vec![0u8; size];
            rand::rngs::OsRng.fill_bytes(&mut d);
            d
        })
        .collect();

    let started = Instant::now();
    let puts: Vec<(dossier_store::blobs::BlobRef, Duration)> = stream::iter(docs.iter().map(|d| {
        let store = &store;
        async move {
            let t = Instant::now();
            Ok::<_, anyhow::Error>((store.put(d).await?, t.elapsed()))
        }
    }))
    .buffer_unordered(in_flight)
    .try_collect()
    .await?;
    report("put", count, size, started.elapsed(), puts.iter().map(|p| p.1).collect());

    let started = Instant::now();
    let gets: Vec<Duration> = stream::iter(puts.iter().map(|(r, _)| {
        let store = &store;
        async move {
            let t = Instant::now();
            let back = store.get(&r.sha256).await?;
            ensure!(back.len() == size, "a document came back short");
            Ok::<_, anyhow::Error>(t.elapsed())
        }
    }))
    .buffer_unordered(in_flight)
    .try_collect()
    .await?;
    report("get", count, size, started.elapsed(), gets);
    Ok(())
}

fn report(what: &str, count: usize, size: usize, took: Duration, mut each: Vec<Duration>) {
    each.sort();
    let at = |q: f64| each[((each.len() as f64 * q) as usize).min(each.len() - 1)].as_secs_f64() * 1000.0;
    let secs = took.as_secs_f64();
    println!(
        "{what}: {count} × {} KB in {secs:.2} s: {:.0}/s, {:.1} MB/s; latency p50 {:.2} ms, p99 {:.2} ms",
        size / 1000,
        count as f64 / secs,
        (count * size) as f64 / secs / 1e6,
        at(0.50),
        at(0.99)
    );
}
