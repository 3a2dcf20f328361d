//! The rules every row is held to, whatever its fault: the outcome's kind and what the error
//! says, and when the retries came.

use super::*;

pub(super) fn describe(result: &clevertim::Result<Option<Contact>>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(Error::Transport(t)) => format!("Transport({:?})", t.kind()),
        Err(Error::Api { status, .. }) => {
            match result.as_ref().err().and_then(Error::retry_after) {
                Some(d) => format!("Api({status}, retry_after {} ms)", d.as_millis()),
                None => format!("Api({status})"),
            }
        }
        Err(Error::MalformedResponse { status, .. }) => format!("MalformedResponse({status})"),
        Err(other) => format!("{other:?}"),
    }
}

/// Whether `result` is the `expected` outcome, and the error's API agrees.
pub(super) fn check_outcome(
    expected: Outcome,
    result: &clevertim::Result<Option<Contact>>,
    api_key: &str,
) -> Result<(), String> {
    let error = match (expected, result) {
        (Outcome::Ok, Ok(_)) => return Ok(()),
        (_, Ok(_)) => return Err(format!("succeeded; the table says {expected}")),
        (_, Err(e)) => e,
    };
    let text = error.to_string();
    if text.contains(api_key) {
        return Err(format!("the error shows the API key: {text}"));
    }
    let wrong = |what: &str| {
        Err(format!(
            "{what}: got {error:?} ({text}); the table says {expected}"
        ))
    };
    match (expected, error) {
        (Outcome::Transport(kind), Error::Transport(t)) => {
            if t.kind() != kind || error.transport_kind() != Some(kind) {
                return wrong("another kind of transport failure");
            }
            let retryable = matches!(
                kind,
                TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
            );
            if error.is_retryable() != retryable {
                return wrong("is_retryable() disagrees");
            }
            // A failure of the transport keeps the transport's own error as its source; a
            // body over the session's limit is the SDK's own verdict and may have none.
            match error.source() {
                None if kind != TransportErrorKind::TooLarge => {
                    wrong("no source(): the transport's own error is lost")
                }
                // The root cause is said in words once (issue 22); an error between it and the
                // session's is not repeated.
                Some(source)
                    if text.contains(&source.to_string())
                        && !source.to_string().is_empty()
                        && source.source().is_some() =>
                {
                    Err(format!(
                        "the text repeats its source: {text:?} contains {source:?}"
                    ))
                }
                _ => Ok(()),
            }
        }
        (Outcome::Api(status, wish), Error::Api { status: got, .. }) => {
            if *got != status || error.transport_kind().is_some() {
                return wrong("another status");
            }
            if error.is_retryable() != matches!(status, 429 | 502 | 503 | 504) {
                return wrong("is_retryable() disagrees");
            }
            let retry_after = error.retry_after();
            let fits = match wish {
                Wish::None => retry_after.is_none(),
                Wish::Secs(s) => retry_after == Some(Duration::from_secs(s)),
                Wish::AtMost(s) => {
                    retry_after.is_some_and(|d| d > Duration::ZERO && d <= Duration::from_secs(s))
                }
            };
            if fits {
                Ok(())
            } else {
                wrong(&format!("retry_after() is {retry_after:?}"))
            }
        }
        (Outcome::Malformed, Error::MalformedResponse { .. }) => {
            if error.is_retryable() {
                return wrong("is_retryable() disagrees");
            }
            Ok(())
        }
        _ => wrong("another error"),
    }
}

/// Whether `error` says where (issue 22): its site is the operation's request to the fault
/// server, its text starts with it and ends with the attempts when there were several; an
/// error the server answered counts at least the requests the server read (attempts it never
/// read, such as refused connections, count too).
pub(super) fn check_site(
    error: &Error,
    op: Op,
    host: std::net::SocketAddr,
    seen: usize,
) -> Result<(), String> {
    let text = error.to_string();
    let Some(site) = error.site() else {
        return Err(format!("the error names no request: {text}"));
    };
    let host = host.to_string();
    if site.method() != op.method()
        || site.host() != host
        || !site.path().starts_with("/api/contact")
    {
        return Err(format!(
            "the error names {site}, not {} /api/contact… to {host}",
            op.method()
        ));
    }
    if !text.starts_with(&format!("{site}: ")) {
        return Err(format!("the text does not start with {site}: {text}"));
    }
    let attempts = site.attempts();
    if (attempts > 1) != text.ends_with(&format!(" ({attempts} attempts)")) {
        return Err(format!("{attempts} attempts, and the text says {text:?}"));
    }
    if !matches!(error, Error::Transport(_)) && (attempts as usize) < seen {
        return Err(format!(
            "{attempts} attempts, and the server read {seen} requests"
        ));
    }
    Ok(())
}

/// Whether the retry came when the fault's timing allows.
pub(super) fn check_timing(timing: Timing, seen: &[Seen]) -> Option<String> {
    let (first, second) = match seen {
        [first, second, ..] => (first, second),
        _ => return None,
    };
    match timing {
        Timing::Any => None,
        Timing::Gap(gap) => {
            let waited = second.at.duration_since(first.at);
            (waited < gap)
                .then(|| format!("the retry came {waited:?} after the first try, before {gap:?}"))
        }
        Timing::UntilDate(ahead) => {
            // The date was written at or after the first request, to the whole second.
            let date = first.wall + ahead;
            let secs = date
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let date = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            (second.wall < date).then(|| {
                format!(
                    "the retry came {:?} before the Retry-After date",
                    date.duration_since(second.wall).unwrap_or_default()
                )
            })
        }
    }
}
