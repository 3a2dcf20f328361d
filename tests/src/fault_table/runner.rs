//! The runner: plays every row of a fault over a transport, then checks what came of it.

use super::*;

/// What came of one row.
#[derive(Debug)]
struct Report {
    row: Row,
    kind: Flavour,
    outcome: String,
    requests: usize,
    elapsed: Duration,
    /// Bytes of answers the server wrote.
    written: u64,
    /// What the server holds afterwards.
    applied: Applied,
    problems: Vec<String>,
}

/// Plays every row of `fault` over `kind`, the operations concurrently, and fails naming each
/// row that did not come out as the table says.
pub async fn run(kind: Flavour, fault: &'static str) {
    let rows: Vec<Row> = TABLE.iter().filter(|r| r.fault == fault).copied().collect();
    assert!(!rows.is_empty(), "the table has no rows for {fault}");
    let sandbox = Arc::new(Sandbox::builder().start().await.unwrap());
    let handles: Vec<_> = rows
        .into_iter()
        .map(|row| tokio::spawn(play(kind, row, sandbox.clone())))
        .collect();
    let mut failed = Vec::new();
    for handle in handles {
        let report = handle.await.unwrap();
        let verdict = if report.problems.is_empty() {
            "pass"
        } else {
            "FAIL"
        };
        eprintln!(
            "| {} | {} | {:?} | {} | {} | {:?} | {} ms | {} KiB | {verdict} |",
            report.row.fault,
            report.row.op,
            report.kind,
            report.outcome,
            report.requests,
            report.applied,
            report.elapsed.as_millis(),
            report.written / 1024,
        );
        if !report.problems.is_empty() {
            failed.push(format!(
                "row ({fault}, {}, {:?}):\n    {}",
                report.row.op,
                kind,
                report.problems.join("\n    ")
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// A unique text for this row, to find what it made.
fn marker(kind: Flavour, row: &Row) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    format!("{}-{:?}-{:?}-{nanos}", row.fault, kind, row.op)
}

async fn play(kind: Flavour, row: Row, sandbox: Arc<Sandbox>) -> Report {
    let key = sandbox.api_key().to_owned();
    let marker = marker(kind, &row);
    let mut problems = Vec::new();

    // Staging, straight on the sandbox: a contact of the row's own, loaded into the cache the
    // session under test will use when the operation is a write of it.
    let cache = MemoryCache::default();
    let direct = Api::with_options(
        Flavour::HyperAsync,
        &sandbox.endpoint(),
        &key,
        &Options {
            cache: Some(cache.clone()),
            ..Options::default()
        },
    )
    .unwrap();
    let server_side = Api::new(Flavour::HyperAsync, &sandbox.endpoint(), &key, false).unwrap();
    let mut staged = Contact::new();
    staged.set_first_name(&marker).set_last_name("Staged");
    server_side.save(&mut staged).await.unwrap();
    let staged_key = staged.key().unwrap();
    let staged_cache_key = CacheKey::object("contact", staged_key.id().clone());
    let mut loaded: Contact = match row.op {
        // Loaded through the sandbox's endpoint, written below through the fault server's: the
        // same account behind another endpoint, which a session refuses for an object that
        // remembers its origin. A copy read back from its serialized form has none.
        Op::SaveExisting | Op::Delete => {
            let loaded: Contact = direct.load(staged_key.clone()).await.unwrap();
            serde_json::from_value(serde_json::to_value(&loaded).unwrap()).unwrap()
        }
        Op::Load | Op::All | Op::SaveNew => staged.clone(),
    };
    assert_eq!(
        cache.get(&staged_cache_key).is_some(),
        matches!(row.op, Op::SaveExisting | Op::Delete),
        "staged in the cache for a write, not for a read"
    );

    // The fault server (and the redirect's target), then the session under test on it.
    let other = FaultServer::standalone()
        .then(Fault::respond(
            200,
            "OK",
            &[("content-type", "application/json")],
            r#"{"status":"OK","content":[]}"#,
        ))
        .start()
        .await
        .unwrap();
    let spec = FaultSpec::of(row.fault, &other.endpoint());
    let server_started = Instant::now();
    let server = FaultServer::forwarding_to(sandbox.addr())
        .script(spec.script.clone())
        .then(spec.then.clone())
        .listen(spec.listen)
        .start()
        .await
        .unwrap();
    let tested = Api::with_options(
        kind,
        &server.endpoint(),
        &key,
        &Options {
            cache: Some(cache),
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: spec.request_timeout,
            retry: spec.retry.clone(),
            body_limit: Some(BODY_LIMIT),
        },
    )
    .unwrap();

    let title = format!("title-{marker}");
    let mut new_contact = Contact::new();
    new_contact.set_first_name(&marker).set_last_name("New");

    let started = Instant::now();
    if let Listen::After(down) | Listen::JammedFor(down) = spec.listen {
        let late = started.duration_since(server_started);
        if late >= down {
            problems.push(format!(
                "inconclusive: the operation began {late:?} after the server, which refuses \
                 only for {down:?}"
            ));
        }
    }
    let result: clevertim::Result<Option<Contact>> = match row.op {
        Op::Load => tested.load::<Contact>(staged_key.clone()).await.map(Some),
        Op::All => tested.all::<Contact>().await.map(|all| {
            all.into_iter()
                .find(|c| c.key().as_ref() == Some(&staged_key))
        }),
        Op::SaveNew => tested
            .save(&mut new_contact)
            .await
            .map(|()| Some(new_contact.clone())),
        Op::SaveExisting => {
            loaded.set_title(&title);
            tested
                .save(&mut loaded)
                .await
                .map(|()| Some(loaded.clone()))
        }
        Op::Delete => tested.delete(&mut loaded).await.map(|()| None),
    };
    let elapsed = started.elapsed();
    let seen = server.seen();

    // The outcome.
    let outcome = describe(&result);
    if let Err(problem) = check_outcome(row.outcome, &result, &key) {
        problems.push(problem);
    }
    if let Err(error) = &result {
        if let Err(problem) = check_site(error, row.op, server.addr(), seen.len()) {
            problems.push(problem);
        }
    }
    if seen.len() != row.requests {
        problems.push(format!(
            "the server saw {} requests ({}), the table says {}",
            seen.len(),
            seen.iter()
                .map(|s| format!("{} {}", s.method, s.target))
                .collect::<Vec<_>>()
                .join(", "),
            row.requests
        ));
    }
    if server.count(row.op.method()) != seen.len() {
        problems.push(format!(
            "the server saw requests other than {}: {seen:?}",
            row.op.method()
        ));
    }
    if let Some(asked) = seen.iter().find_map(|s| s.header("accept-encoding")) {
        problems.push(format!(
            "the client asked for compressed answers (Accept-Encoding: {asked})"
        ));
    }
    if spec.redirect && other.requests() != 0 {
        problems.push(format!(
            "the redirect was followed: the other host saw {} requests",
            other.requests()
        ));
    }
    // Stopping at the limit, the client leaves the rest unread: the server can only write
    // what the socket buffers hold beyond it.
    if row.fault == "huge_body" && server.bytes_written() >= HUGE / 2 {
        problems.push(format!(
            "the server wrote {} bytes in {} answers of {HUGE}: the client read on \
             instead of stopping at the {BODY_LIMIT}-byte limit",
            server.bytes_written(),
            seen.len()
        ));
    }

    // Timing.
    if elapsed < spec.min_elapsed {
        problems.push(format!(
            "done after {elapsed:?}, before {:?}",
            spec.min_elapsed
        ));
    }
    if elapsed > spec.max_elapsed {
        problems.push(format!(
            "took {elapsed:?}, more than {:?}",
            spec.max_elapsed
        ));
    }
    if let Some(problem) = check_timing(spec.timing, &seen) {
        problems.push(problem);
    }

    // What the server holds, and the cache.
    let made: Vec<Contact> = server_side
        .all::<Contact>()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.first_name() == Some(marker.as_str()) && c.last_name() == Some("New"))
        .collect();
    let on_server: Option<Contact> = match server_side.load::<Contact>(staged_key.clone()).await {
        Ok(c) => Some(c),
        Err(Error::NotFound { .. }) => None,
        Err(e) => panic!("reading the sandbox back: {e}"),
    };
    let applied = match row.op {
        Op::Load | Op::All => Applied::Read,
        Op::SaveNew => match made.len() {
            0 => Applied::No,
            1 => Applied::Yes,
            n => {
                problems.push(format!("the POST was applied {n} times"));
                Applied::Yes
            }
        },
        Op::SaveExisting => {
            let changed = on_server.as_ref().and_then(Contact::title) == Some(title.as_str());
            if changed { Applied::Yes } else { Applied::No }
        }
        Op::Delete => {
            if on_server.is_none() {
                Applied::Yes
            } else {
                Applied::No
            }
        }
    };
    if applied != row.applied {
        problems.push(format!(
            "the server holds {applied:?}, the table says {:?}",
            row.applied
        ));
    }

    // The object the row is about, its key, and what the server holds of it.
    let (subject, truth) = match row.op {
        Op::SaveNew => {
            let truth = made.first().cloned();
            (truth.as_ref().and_then(Contact::key), truth)
        }
        _ => (Some(staged_key.clone()), on_server.clone()),
    };
    if let Some(subject) = subject {
        let cached = tested
            .cache()
            .get(&CacheKey::object("contact", subject.id().clone()))
            .map(|json| serde_json::from_slice::<Contact>(&json).unwrap());
        match (&result, row.op) {
            (Ok(_), Op::Delete) | (Err(_), _) => {
                if cached.is_some() {
                    problems.push(format!(
                        "contact {subject} is still cached after {}",
                        if result.is_ok() {
                            "the delete"
                        } else {
                            "the failure"
                        }
                    ));
                }
            }
            (Ok(returned), _) => {
                if cached != truth {
                    problems.push(format!("the cache holds {cached:?}, the server {truth:?}"));
                }
                if returned != &truth {
                    problems.push(format!(
                        "the call returned {returned:?}, the server holds {truth:?}"
                    ));
                }
            }
        }
    }

    Report {
        row,
        kind,
        outcome,
        requests: seen.len(),
        elapsed,
        written: server.bytes_written(),
        applied,
        problems,
    }
}
