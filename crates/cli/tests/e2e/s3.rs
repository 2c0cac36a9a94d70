//! The fund as a region or a nation runs it (issue 22 §1): PostgreSQL, and the
//! documents in a three-node Garage cluster (replication 3) reached as S3 —
//! configured as an operator would, with the keys in an AWS-format credentials
//! file. The demo fund is seeded and served there; documents go in and come
//! back over HTTP; Garage's disks hold only ciphertext; with one node
//! stopped, reads, writes, a signed audit checkpoint and a fixity pass go on;
//! with the store gone, `/readyz` says so.
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fund_on_postgresql_keeps_its_documents_in_garage_and_loses_nothing_with_a_node_down() {
    let Some(db) = fresh_pg("dossier_s3") else { return };
    let url = &db.url;
    let Some(garage) = Garage::up() else { return };
    let setting = |k: &str| garage.env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fund");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "6a".repeat(32)).unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[fund]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            setting("AWS_ACCESS_KEY_ID"),
            setting("AWS_SECRET_ACCESS_KEY")
        ),
    )
    .unwrap();
    let config = dir.path().join("dossier.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = \"{url}\"\nblobs = \"s3://dossier/fund\"\n\n[s3]\nendpoint = \"{}\"\nregion = \"garage\"\n\
             credentials_file = \"{}\"\nprofile = \"fund\"\n",
            setting("AWS_ENDPOINT_URL"),
            credentials.display()
        ),
    )
    .unwrap();
    let (config_s, data_s) = (config.to_str().unwrap(), data.to_str().unwrap());
    // Only this file's settings: none of the `AWS_*` a CI run exports for its shared cluster.
    let mut env = vec![("DOSSIER_CA_PIN", "2026".to_owned())];
    env.extend(garage.env.iter().map(|(k, _)| (*k, String::new())));
    let cli = |args: &[&str]| dossier_ok(&[args, &["--config", config_s, "--data-dir", data_s]].concat(), &env);

    cli(&["demo", "--seed-only"]);
    assert!(!data.join("blobs").exists(), "no document is kept on the app server's disk");
    let fixity = cli(&["fixity"]);
    assert!(fixity.contains("read back intact") && !fixity.contains("FAILED") && !fixity.contains(" 0 of"), "{fixity}");

    let listen = format!("127.0.0.1:{}", free_port());
    let _server = spawn_until(
        &["serve", "--config", config_s, "--data-dir", data_s, "--listen", &listen],
        &env,
        "Dossier is listening on",
    );
    let base = format!("http://{listen}");
    let c = login_at(&base, "specialist").await;
    let district = unit_id(&units(&c).await, "26101");
    let born = chrono::NaiveDate::from_ymd_opt(1961, 3, 9).unwrap();
    let rnokpp = dossier_domain::ident::Rnokpp::compose(born, 777, dossier_domain::person::Sex::Male).unwrap();
    let (s, person) = c
        .post(
            "/api/v1/persons",
            json!({"unit_id": district, "rnokpp": rnokpp.as_str(), "surname": "Гарасимчук", "given_name": "Остап",
                   "birth_date": born.to_string(), "sex": "male"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let photo_path = format!("/api/v1/persons/{}/photo", person["id"].as_str().unwrap());
    let put = |bytes: Vec<u8>| {
        let req = c.req(reqwest::Method::PUT, &photo_path).header("content-type", "image/png").body(bytes);
        async move { req.send().await.unwrap().status() }
    };
    let get = || {
        let req = c.req(reqwest::Method::GET, &photo_path);
        async move { req.send().await.unwrap().bytes().await.unwrap().to_vec() }
    };
    let photo = png(&format!("PHOTO-OF-{}-Гарасимчук", rnokpp.as_str()));
    assert_eq!(put(photo.clone()).await, StatusCode::CREATED);
    assert_eq!(get().await, photo);

    // Garage keeps what Dossier sealed: no name, number or photo bytes on any node's disk.
    let files: Vec<_> = garage.data_dirs().iter().flat_map(|d| walk(d)).collect();
    assert!(!files.is_empty(), "Garage stored nothing");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for needle in [rnokpp.as_str().as_bytes(), "Гарасимчук".as_bytes(), &photo[photo.len() - 64..]] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "plaintext in {}", f.display());
        }
    }

    // One of three nodes lost: replication 3 keeps a quorum of two, and the fund notices nothing.
    garage.stop_node(3);
    assert_eq!(get().await, photo, "a read with a node down");
    let second = png(&format!("SECOND-PHOTO-{}", rnokpp.as_str()));
    assert_eq!(put(second.clone()).await, StatusCode::CREATED, "a write with a node down");
    assert_eq!(get().await, second);
    // A signed checkpoint kept in the store with the node down: this one, or the server's own
    // if its start-up checkpoint came later. Either way the change just made is covered.
    cli(&["audit", "checkpoint"]);
    let verify = cli(&["audit", "verify"]);
    let change = verify.lines().find(|l| l.starts_with("change log intact")).unwrap_or_else(|| panic!("{verify}"));
    assert!(change.contains("held to") && !change.contains("not yet covered"), "{verify}");
    let fixity = cli(&["fixity"]);
    assert!(fixity.contains("read back intact") && !fixity.contains("FAILED"), "{fixity}");
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    // The whole store gone: the balancer's health check says so, and why.
    garage.stop_node(1);
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.text().await.unwrap(), "the blob store does not answer");
}
