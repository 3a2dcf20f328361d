//! Load, limits and malformed input: the server answers and never crashes.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_keep_alive_clients_with_25_requests_each() {
    let (sb, _) = demo().await;
    let before = sb.connections_accepted();
    let mut tasks = Vec::new();
    for client in 0..64u64 {
        let api = Api::of(&sb);
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..25u64 {
                let (status, body) = if i % 5 == 4 {
                    api.post(
                        "/note",
                        DEFAULT_API_KEY,
                        json!({"desc": format!("c{client} r{i}"), "cust": 3}),
                    )
                    .await
                } else {
                    api.get("/contact/3", DEFAULT_API_KEY).await
                };
                assert_eq!(status, 200, "{body}");
                assert_eq!(body["status"], "OK");
                ok += 1;
            }
            ok
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 64 * 25);
    assert!(sb.requests_served() >= 64 * 25);
    let conns = sb.connections_accepted() - before;
    assert!(
        conns <= 64 + 8,
        "keep-alive reuses connections: {conns} for 1600 requests"
    );
    let notes = content(&Api::of(&sb).get("/note", DEFAULT_API_KEY).await.1);
    assert_eq!(notes.len(), 3 + 64 * 5, "every write landed");
}

#[tokio::test]
async fn ten_mib_body_is_refused_with_413() {
    let (sb, api) = demo().await;
    let big = format!("{{\"fn\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let (status, body) = api
        .send_bytes(
            "POST",
            "/contact",
            Some(DEFAULT_API_KEY),
            big.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(status, 413);
    assert!(error_text(&body).contains("too large"), "{body}");
    // Chunked, without a Content-Length.
    let mut req = format!(
        "POST /api/contact HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        basic(DEFAULT_API_KEY)
    )
    .into_bytes();
    let chunk = vec![b'a'; 2 * 1024 * 1024];
    req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
    req.extend_from_slice(&chunk);
    req.extend_from_slice(b"\r\n0\r\n\r\n");
    let answer = send_raw(&sb, &req).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    // With Expect: 100-continue the body is refused before it is sent.
    let req = format!(
        "POST /api/contact HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Length: 10485760\r\nExpect: 100-continue\r\n\r\n",
        basic(DEFAULT_API_KEY)
    );
    let answer = send_raw(&sb, req.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Still serving.
    assert_eq!(api.get("/contact/3", DEFAULT_API_KEY).await.0, 200);
}

#[tokio::test]
async fn malformed_inputs_are_answered() {
    let (sb, api) = demo().await;
    let k = DEFAULT_API_KEY;
    // Deep nesting: rejected by the parser's recursion limit, not a stack overflow.
    let deep = format!("{{\"fn\": {}{}}}", "[".repeat(200_000), "]".repeat(200_000));
    let (status, body) = api
        .send_bytes("POST", "/contact", Some(k), deep.into_bytes(), &[])
        .await;
    assert_eq!(status, 500, "{body}");
    assert!(error_text(&body).contains("recursion limit"), "{body}");
    // Nesting under the parser's limit but deeper than a stored object may be: 400.
    let nested = (0..100).fold(json!("leaf"), |acc, _| json!({"n": acc}));
    let (status, body) = api
        .post("/contact", k, json!({"fn": "Deep", "extra": nested}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(error_text(&body).contains("nested too deeply"), "{body}");
    // Moderate nesting in a server-side extra (a note's `fmt`) is kept as sent.
    let nested = (0..50).fold(json!("leaf"), |acc, _| json!({"n": acc}));
    let c = api
        .create("note", k, json!({"desc": "Deep", "fmt": nested.clone()}))
        .await;
    assert_eq!(c["fmt"], nested);
    // Wrong or missing content type: the body is still read as JSON.
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
    ] {
        let (status, body) = api
            .send_bytes(
                "POST",
                "/contact",
                Some(k),
                br#"{"fn": "Typed"}"#.to_vec(),
                &[("content-type", ct)],
            )
            .await;
        assert_eq!(status, 200, "{ct}: {body}");
    }
    let (status, _) = api
        .send_bytes(
            "POST",
            "/contact",
            Some(k),
            b"fn=Form".to_vec(),
            &[("content-type", "application/x-www-form-urlencoded")],
        )
        .await;
    assert_eq!(status, 500);
    // A chunked body is accepted.
    let payload = br#"{"fn": "Chunky", "ln": "Bacon"}"#;
    let mut req = format!(
        "POST /api/contact HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        basic(k)
    )
    .into_bytes();
    for part in payload.chunks(7) {
        req.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        req.extend_from_slice(part);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let answer = send_raw(&sb, &req).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"fn\":\"Chunky\""), "{answer}");
    // Bad UTF-8 in the path and in the Authorization header.
    let answer = send_raw(
        &sb,
        b"GET /api/contact/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    let answer = send_raw(&sb, b"GET /api/contact HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \xff\xff\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    // Garbage instead of HTTP, and a truncated request.
    let answer = send_raw(&sb, b"\x00\x01\x02 not http at all\r\n\r\n").await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    let answer = send_raw_half_closed(
        &sb,
        b"POST /api/contact HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"fn\"",
    )
    .await;
    assert!(!answer.contains("200 OK"), "{answer}");
    // Still alive and well.
    assert_eq!(api.one("/contact/3", k).await["fn"], "Praveen");
}

#[test]
fn spawn_works_from_plain_sync_code() {
    let sb = Sandbox::builder().empty(true).spawn().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async { Api::of(&sb).get("/user", sb.api_key()).await.0 });
    assert_eq!(status, 200);
    let addr = sb.addr();
    drop(sb);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "stopped on drop"
    );
}

#[tokio::test]
async fn spawn_and_start_can_be_dropped_inside_a_runtime() {
    let spawned = Sandbox::builder().spawn().unwrap();
    assert_eq!(
        Api::of(&spawned)
            .get("/contact/3", spawned.api_key())
            .await
            .0,
        200
    );
    drop(spawned);
    let started = Sandbox::start().await.unwrap();
    let api = Api::of(&started);
    assert_eq!(api.get("/contact/3", started.api_key()).await.0, 200);
    assert_eq!(started.connections_accepted(), 1);
    assert_eq!(api.get("/contact/4", started.api_key()).await.0, 200);
    assert_eq!(started.connections_accepted(), 1, "keep-alive");
    assert_eq!(started.requests_served(), 2);
    drop(started);
}

#[tokio::test]
async fn graceful_shutdown_closes_the_listener() {
    let (sb, api) = demo().await;
    assert_eq!(api.get("/contact/3", DEFAULT_API_KEY).await.0, 200);
    let addr = sb.addr();
    tokio::time::timeout(std::time::Duration::from_secs(10), sb.shutdown())
        .await
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
