//! What each mode records, replays and writes.

use super::*;

/// What the cassette file holds before a run.
enum Before {
    Nothing,
    Recorded(Vec<&'static str>),
    Corrupt,
}

/// One run of a cassette in a mode: the file before, the requests sent and what each gives,
/// then whether it recorded and wrote, what the file holds after and what was never used.
struct Run {
    name: &'static str,
    mode: Mode,
    before: Before,
    sends: Vec<(&'static str, Gives)>,
    recording: bool,
    written: bool,
    after: Vec<&'static str>,
    unused: Vec<&'static str>,
}

fn recorded_paths(path: &std::path::Path) -> Vec<String> {
    read_json(path)["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["path"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_mode_records_and_replays_what_it_should() {
    use Gives::{Answer, Fails, Recorded};
    let runs = vec![
        Run {
            name: "once, with no file, records",
            mode: Mode::Once,
            before: Before::Nothing,
            sends: vec![("/api/a", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/a"],
            unused: vec![],
        },
        Run {
            name: "once, with a file, only replays",
            mode: Mode::Once,
            before: Before::Recorded(vec!["/api/a"]),
            sends: vec![
                ("/api/a", Answer(0)),
                ("/api/new", Fails("no recorded interaction")),
            ],
            recording: false,
            written: false,
            after: vec!["/api/a"],
            unused: vec![],
        },
        Run {
            name: "new episodes replays what matches and appends the rest",
            mode: Mode::NewEpisodes,
            before: Before::Recorded(vec!["/api/a"]),
            sends: vec![("/api/a", Answer(0)), ("/api/b", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/a", "/api/b"],
            unused: vec![],
        },
        Run {
            name: "new episodes with nothing new does not rewrite the file",
            mode: Mode::NewEpisodes,
            before: Before::Recorded(vec!["/api/a", "/api/b"]),
            sends: vec![("/api/b", Answer(1))],
            recording: true,
            written: false,
            after: vec!["/api/a", "/api/b"],
            unused: vec!["/api/a"],
        },
        Run {
            name: "rerecord replaces the cassette",
            mode: Mode::Rerecord,
            before: Before::Recorded(vec!["/api/a", "/api/b"]),
            sends: vec![("/api/c", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/c"],
            unused: vec![],
        },
        Run {
            name: "rerecord ignores a corrupt old file",
            mode: Mode::Rerecord,
            before: Before::Corrupt,
            sends: vec![("/api/c", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/c"],
            unused: vec![],
        },
    ];
    for run in runs {
        let name = run.name;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        match run.before {
            Before::Nothing => {}
            Before::Recorded(paths) => record(&path, paths.into_iter().map(get).collect()).await,
            Before::Corrupt => std::fs::write(&path, "{ not json").unwrap(),
        }
        let before = std::fs::read_to_string(&path).ok();
        let (server, calls) = echo_server();
        let cassette = builder(&path, run.mode).inner_arc(server).build().unwrap();
        assert_eq!(cassette.is_recording(), run.recording, "{name}");
        for (uri, gives) in run.sends {
            let calls_before = calls.load(Ordering::SeqCst);
            let got = cassette.send(get(uri)).await;
            let called = calls.load(Ordering::SeqCst) - calls_before;
            match (got, gives) {
                (Ok(response), Answer(n)) => {
                    assert_eq!(json(&response)["n"], n, "{name}: {uri}");
                    assert_eq!(called, 0, "{name}: {uri} is replayed");
                }
                (Ok(_), Recorded) => assert_eq!(called, 1, "{name}: {uri} is recorded"),
                (Err(err), Fails(text)) => {
                    assert!(err.to_string().contains(text), "{name}: {uri}: {err}");
                    assert_eq!(called, 0, "{name}: {uri} never reaches the server");
                }
                (got, gives) => panic!("{name}: {uri}: expected {gives:?}, got {got:?}"),
            }
        }
        let report = cassette.finish().unwrap();
        assert_eq!(report.written(), run.written, "{name}");
        assert_eq!(recorded_paths(&path), run.after, "{name}");
        if !run.written {
            assert_eq!(
                std::fs::read_to_string(&path).ok(),
                before,
                "{name}: untouched"
            );
        }
        let unused: Vec<_> = report
            .unused()
            .iter()
            .map(|u| u.request.path.as_str())
            .collect();
        assert_eq!(unused, run.unused, "{name}");
    }
}
