//! When and how a cassette writes its file: only when finished, by atomic rename, losing nothing
//! to concurrent recording.

use super::*;

#[tokio::test]
async fn nothing_is_written_unless_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, _) = echo_server();
    {
        let cassette = builder(&path, Mode::Rerecord)
            .inner_arc(server.clone())
            .build()
            .unwrap();
        cassette.send(get("/api/a")).await.unwrap();
        // Dropped without finish: as if the test had failed.
    }
    assert!(!path.exists());

    // A test that panics midway leaves nothing either.
    let p = path.clone();
    let s = server.clone();
    let outcome = std::thread::spawn(move || {
        let cassette = builder(&p, Mode::Rerecord).inner_arc(s).build().unwrap();
        futures_util::FutureExt::now_or_never(cassette.send(get("/api/a")))
            .unwrap()
            .unwrap();
        panic!("the test failed");
    })
    .join();
    assert!(outcome.is_err());
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );

    // An old cassette stays as it was when a rerecording is not finished.
    record(&path, vec![get("/api/old")]).await;
    let before = std::fs::read_to_string(&path).unwrap();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    cassette.send(get("/api/new")).await.unwrap();
    drop(cassette);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[tokio::test]
async fn writes_are_atomic_renames_leaving_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a")]).await;
    // Keep a handle on the old file: a rename replaces the directory entry, not the content.
    let old = std::fs::File::open(&path).unwrap();
    record(&path, vec![get("/api/b")]).await;
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["c.json"]);
    let old_text = std::io::read_to_string(old).unwrap();
    assert!(old_text.contains("/api/a") && !old_text.contains("/api/b"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("/api/b"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_recording_loses_nothing_and_concurrent_replay_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, calls) = echo_server();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let cassette = cassette.clone();
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                cassette
                    .send(post(&format!("/api/item/{i}"), &format!(r#"{{"i":{i}}}"#)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 50);
    assert_eq!(cassette.finish().unwrap().interactions(), 50);
    let file = read_json(&path);
    let mut paths: Vec<_> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    let mut expected: Vec<_> = (0..50).map(|i| format!("/api/item/{i}")).collect();
    expected.sort();
    assert_eq!(paths, expected);

    for _round in 0..3 {
        let (cassette, _) = replay(&path);
        // Reverse and interleave the order of arrival: each still gets its own answer.
        let tasks: Vec<_> = (0..50)
            .rev()
            .map(|i| {
                let cassette = cassette.clone();
                tokio::spawn(async move {
                    let r = cassette
                        .send(post(&format!("/api/item/{i}"), &format!(r#"{{"i":{i}}}"#)))
                        .await
                        .unwrap();
                    (i, json(&r))
                })
            })
            .collect();
        for t in tasks {
            let (i, body) = t.await.unwrap();
            assert_eq!(body["path"], format!("/api/item/{i}"));
            assert_eq!(body["body"], format!(r#"{{"i":{i}}}"#));
        }
        cassette.finish().unwrap().assert_all_used().unwrap();
    }
}
