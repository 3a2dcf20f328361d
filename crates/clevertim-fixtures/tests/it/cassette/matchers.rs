//! Which recorded interaction answers a request, as the matchers say.

use super::*;

/// One replay of a recording: how the replaying cassette is built, and what each request
/// sent to it gives. The inner transport must never be called.
struct Replay {
    name: &'static str,
    recorded: Vec<http::Request<Bytes>>,
    configure: fn(CassetteBuilder) -> CassetteBuilder,
    sends: Vec<(http::Request<Bytes>, Gives)>,
}

/// A custom matcher: requests must agree on `accept` too.
fn same_accept(sent: &RecordedRequest, recorded: &RecordedRequest) -> Result<(), Mismatch> {
    let (s, r) = (sent.headers.get("accept"), recorded.headers.get("accept"));
    if s == r {
        Ok(())
    } else {
        Err(Mismatch::new(
            "accept",
            format!("recorded {r:?}, sent {s:?}"),
        ))
    }
}

fn accepting(accept: &str, mut request: http::Request<Bytes>) -> http::Request<Bytes> {
    request
        .headers_mut()
        .insert("accept", accept.parse().unwrap());
    request
}

#[tokio::test]
async fn replays_match_requests_as_the_matchers_say() {
    use Gives::{Answer, Fails};
    let as_is = |b| b;
    let x = r#"{"a":1,"b":{"c":[1,2]}}"#;
    let cases = vec![
        Replay {
            name: "JSON bodies match by value",
            recorded: vec![post("/api/x", x)],
            configure: as_is,
            sends: vec![(
                post("/api/x", "{ \"b\": { \"c\": [1, 2] },\n  \"a\": 1 }"),
                Answer(0),
            )],
        },
        Replay {
            name: "JSON bodies that differ in value do not match",
            recorded: vec![post("/api/x", x)],
            configure: as_is,
            sends: vec![(
                post("/api/x", r#"{"a":1,"b":{"c":[2,1]}}"#),
                Fails("body differs"),
            )],
        },
        Replay {
            name: "the query matches in any order",
            recorded: vec![get("/api/x?a=1&b=2&b=3")],
            configure: as_is,
            sends: vec![(get("/api/x?b=3&a=1&b=2"), Answer(0))],
        },
        Replay {
            name: "the query's values count",
            recorded: vec![get("/api/x?a=1&b=2&b=3")],
            configure: as_is,
            sends: vec![(
                get("/api/x?a=1&b=2"),
                Fails("query differs: recorded a=1&b=2&b=3, sent a=1&b=2"),
            )],
        },
        Replay {
            name: "identical requests replay in order, each once",
            recorded: vec![get("/api/contact"), get("/api/contact")],
            configure: as_is,
            sends: vec![
                (get("/api/contact"), Answer(0)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Fails("already used")),
            ],
        },
        Replay {
            name: "with repeats allowed, the last match answers again",
            recorded: vec![get("/api/contact"), get("/api/contact")],
            configure: |b| b.allow_playback_repeats(true),
            sends: vec![
                (get("/api/contact"), Answer(0)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Answer(1)),
            ],
        },
        Replay {
            name: "a custom matcher adds a described condition",
            recorded: vec![get("/api/a")],
            configure: |b| b.matcher(same_accept),
            sends: vec![
                (
                    accepting("text/html", get("/api/a")),
                    Fails(
                        r#"accept differs: recorded Some("application/json"), sent Some("text/html")"#,
                    ),
                ),
                (get("/api/a"), Answer(0)),
            ],
        },
        Replay {
            name: "without the default matchers, any request takes the next interaction",
            recorded: vec![get("/api/a")],
            configure: |b| b.without_default_matchers(),
            sends: vec![(get("/api/zzz"), Answer(0))],
        },
    ];
    for case in cases {
        let name = case.name;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        record(&path, case.recorded).await;
        let (inner, calls) = forbidden();
        let cassette = (case.configure)(builder(&path, Mode::Replay).inner_arc(inner))
            .build()
            .unwrap();
        for (request, gives) in case.sends {
            let shown = format!("{name}: {} {}", request.method(), request.uri());
            match (cassette.send(request).await, gives) {
                (Ok(response), Answer(n)) => {
                    assert_eq!(json(&response)["n"], n, "{shown}");
                    // The stored JSON value, re-serialised compactly.
                    let text = std::str::from_utf8(response.body()).unwrap();
                    assert!(
                        !text.contains(": ") && !text.contains('\n'),
                        "{shown}: {text}"
                    );
                }
                (Err(err), Fails(text)) => {
                    assert!(err.to_string().contains(text), "{shown}: {err}");
                }
                (got, gives) => panic!("{shown}: expected {gives:?}, got {got:?}"),
            }
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "{name}: replay never calls inner"
        );
    }
}
