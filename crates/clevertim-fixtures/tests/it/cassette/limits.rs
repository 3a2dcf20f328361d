//! The request's body limit, replayed and handed to the inner transport while recording.

use super::*;

/// A request as the session sends it: with its body limit in the extensions.
fn limited(mut request: http::Request<Bytes>, limit: Option<u64>) -> http::Request<Bytes> {
    if let Some(limit) = limit {
        request
            .extensions_mut()
            .insert(clevertim_core::BodyLimit::new(limit));
    }
    request
}

#[tokio::test]
async fn a_replayed_body_over_the_request_s_limit_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    // One recorded answer with a body of 4 bytes.
    std::fs::write(
        &path,
        r#"{"format_version": 1, "recorded_with": "hand",
            "interactions": [{"request": {"method": "GET", "path": "/api/x"},
                              "response": {"status": 200, "body": {"text": "four"}}}]}"#,
    )
    .unwrap();
    // (mode, limit carried by the request, what the replay gives)
    let cases = [
        (Mode::Replay, None, Ok(4)),
        (Mode::Replay, Some(4), Ok(4)),
        (Mode::Replay, Some(3), Err(TransportErrorKind::TooLarge)),
        (Mode::Replay, Some(0), Err(TransportErrorKind::TooLarge)),
        (Mode::NewEpisodes, Some(4), Ok(4)),
        (
            Mode::NewEpisodes,
            Some(3),
            Err(TransportErrorKind::TooLarge),
        ),
    ];
    for (mode, limit, expected) in cases {
        let (inner, calls) = forbidden();
        let cassette = builder(&path, mode).inner_arc(inner).build().unwrap();
        let got = cassette
            .send(limited(get("/api/x"), limit))
            .await
            .map(|r| r.body().len())
            .map_err(|e| e.kind());
        assert_eq!(got, expected, "{mode:?} with limit {limit:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{mode:?}: replayed");
    }
}

#[tokio::test]
async fn recording_hands_the_request_s_limit_to_the_inner_transport() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    // An inner transport that enforces the limit it is given, as the real ones do.
    let inner = clevertim_core::transport_fn(move |request: http::Request<Bytes>| {
        let limit = clevertim_core::BodyLimit::of(&request);
        log.lock().unwrap().push(limit);
        async move {
            limit.check_length(4)?;
            Ok(http::Response::new(Bytes::from_static(b"four")))
        }
    });
    let cassette = builder(&path, Mode::Rerecord).inner(inner).build().unwrap();
    let err = cassette
        .send(limited(get("/api/x"), Some(3)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::TooLarge);
    cassette.send(limited(get("/api/y"), None)).await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            clevertim_core::BodyLimit::new(3),
            clevertim_core::BodyLimit::DEFAULT
        ]
    );
    // Only the answer that came is recorded.
    assert_eq!(cassette.interactions().len(), 1);
    cassette.finish().unwrap();
}
