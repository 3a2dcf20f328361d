//! Checks over the whole library: it holds exactly the scenarios' cassettes, covers every error
//! status, and every cassette replays its recorded requests.

use super::cases::CASSETTES;
use super::*;

/// The `*.json` files under `dir`, relative to it, with `/` separators.
fn cassette_files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            cassette_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let relative = path.strip_prefix(base).unwrap();
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

#[test]
fn the_library_holds_exactly_the_cassettes_of_the_scenarios() {
    let dir = fixtures_dir();
    let mut found = BTreeSet::new();
    cassette_files(&dir, &dir, &mut found);
    let expected: BTreeSet<String> = CASSETTES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        expected.len(),
        CASSETTES.len(),
        "a cassette is listed twice"
    );
    let missing: Vec<_> = expected.difference(&found).collect();
    let orphans: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && orphans.is_empty(),
        "missing cassettes: {missing:?} (record them: CLEVERTIM_FIXTURES=once cargo test -p \
         clevertim-fixtures --test it library::); cassettes no scenario uses: {orphans:?}"
    );
}

#[test]
fn the_library_covers_every_error_status() {
    let statuses: BTreeSet<u16> = CASSETTES
        .iter()
        .map(|name| CassetteFile::read(fixtures_dir().join(name)).unwrap())
        .flat_map(|file| file.interactions)
        .map(|i| i.response.status)
        .filter(|s| *s >= 400)
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from([400, 401, 403, 404, 500, 501]),
        "error statuses recorded in the library"
    );
}

/// One snapshot per cassette: every recorded request, sent as is through the cassette in
/// replay mode, and the status and decoded body it answers. Fails if a cassette does not
/// load, an interaction does not replay, or one stays unused.
#[test]
fn every_cassette_replays_its_recorded_requests() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    insta::glob!("../../../../../fixtures", "**/*.json", |path| {
        let file = CassetteFile::read(path).unwrap();
        assert!(!file.interactions.is_empty(), "{}", path.display());
        let cassette = Cassette::builder(path)
            .force_mode(Mode::Replay)
            .build()
            .unwrap();
        let answers: Vec<Value> = runtime.block_on(async {
            let mut answers = Vec::new();
            for interaction in &file.interactions {
                let recorded = &interaction.request;
                let mut uri = format!("{REPLAY_ENDPOINT_ORIGIN}{}", recorded.path);
                if !recorded.query.is_empty() {
                    let pairs: Vec<String> = recorded
                        .query
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    uri = format!("{uri}?{}", pairs.join("&"));
                }
                let request = http::Request::builder()
                    .method(recorded.method.as_str())
                    .uri(uri)
                    .body(recorded.body.to_bytes().unwrap())
                    .unwrap();
                let response = cassette.send(request).await.unwrap();
                answers.push(json!({
                    "request": format!("{} {}", recorded.method, recorded.path),
                    "status": response.status().as_u16(),
                    "body": Body::from_bytes(response.body()),
                }));
            }
            answers
        });
        cassette.finish().unwrap().assert_all_used().unwrap();
        insta::assert_yaml_snapshot!(answers);
    });
}

/// The scheme and host of [`REPLAY_ENDPOINT`].
const REPLAY_ENDPOINT_ORIGIN: &str = "https://sandbox.invalid";
