//! How each fault of the table is staged: the fault server's script, and the settings of the
//! session under test.

use super::*;

/// The request timeout of the sessions under test.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(500);
/// The connect timeout of the sessions under test.
pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);
/// The body limit of the sessions under test.
pub(super) const BODY_LIMIT: u64 = 1024 * 1024;
/// The body of [`Fault::Huge`].
pub(super) const HUGE: u64 = 32 * 1024 * 1024;
/// How long `refused_then_up` refuses.
const DOWN_FOR: Duration = Duration::from_millis(300);

/// How long `connect_timeout_then_up` hangs connects.
const JAMMED_FOR: Duration = Duration::from_millis(400);

/// When a row's requests must come.
#[derive(Debug, Clone, Copy)]
pub(super) enum Timing {
    /// No rule.
    Any,
    /// The second request no earlier than this after the first.
    Gap(Duration),
    /// The second request no earlier (wall clock) than the HTTP date the first one was given:
    /// the first one's moment plus this, cut to the whole second.
    UntilDate(Duration),
}

/// How a fault is staged: the server's script and the session's settings.
#[derive(Debug)]
pub struct FaultSpec {
    pub(super) script: Vec<Fault>,
    pub(super) then: Fault,
    pub(super) listen: Listen,
    pub(super) retry: RetryPolicy,
    pub(super) request_timeout: Duration,
    pub(super) timing: Timing,
    pub(super) min_elapsed: Duration,
    pub(super) max_elapsed: Duration,
    pub(super) redirect: bool,
}

impl FaultSpec {
    /// The staging of fault `name`; `other` is the redirect target's endpoint.
    pub(super) fn of(name: &str, other: &str) -> FaultSpec {
        let base = FaultSpec {
            script: Vec::new(),
            then: Fault::Forward,
            listen: Listen::Now,
            retry: RetryPolicy::default().min_delay(Duration::from_millis(10)),
            request_timeout: REQUEST_TIMEOUT,
            timing: Timing::Any,
            min_elapsed: Duration::ZERO,
            max_elapsed: Duration::from_secs(10),
            redirect: false,
        };
        let json = [("content-type", "application/json")];
        match name {
            "down" => FaultSpec {
                listen: Listen::Never,
                max_elapsed: Duration::from_secs(3),
                ..base
            },
            "refused_then_up" => FaultSpec {
                listen: Listen::After(DOWN_FOR),
                // Enough tries to outlast the refusals: 10, 20, 40, 80, 100, 100, … ms.
                retry: RetryPolicy::default()
                    .max_retries(10)
                    .min_delay(Duration::from_millis(10))
                    .max_delay(Duration::from_millis(100)),
                ..base
            },
            "connect_timeout" => FaultSpec {
                listen: Listen::Jammed,
                // At least one whole connect timeout: a hang, not a refusal.
                min_elapsed: CONNECT_TIMEOUT,
                max_elapsed: Duration::from_secs(4),
                ..base
            },
            "connect_timeout_then_up" => FaultSpec {
                listen: Listen::JammedFor(JAMMED_FOR),
                retry: RetryPolicy::default()
                    .max_retries(10)
                    .min_delay(Duration::from_millis(10))
                    .max_delay(Duration::from_millis(100)),
                min_elapsed: CONNECT_TIMEOUT,
                ..base
            },
            "reset_before_answer" => FaultSpec {
                script: vec![Fault::ResetBeforeAnswer],
                ..base
            },
            "reset_mid_body" => FaultSpec {
                script: vec![Fault::ResetMidBody],
                ..base
            },
            "short_body" => FaultSpec {
                script: vec![Fault::ShortBody],
                ..base
            },
            "stall" => FaultSpec {
                script: vec![Fault::Stall(Duration::from_secs(5))],
                min_elapsed: REQUEST_TIMEOUT,
                ..base
            },
            "huge_body" => FaultSpec {
                then: Fault::Huge(HUGE),
                // The row is about the limit, not time: reading the first MiB through isahc in
                // a debug build on a loaded machine can take longer than 500 ms.
                request_timeout: Duration::from_secs(5),
                ..base
            },
            "busy_503_retry_after_1s" => FaultSpec {
                script: vec![Fault::respond(
                    503,
                    "Service Unavailable",
                    &[json[0], ("retry-after", "1")],
                    r#"{"status":"ERROR","error":"Busy"}"#,
                )],
                timing: Timing::Gap(Duration::from_secs(1)),
                ..base
            },
            "slow_down_429_http_date" => FaultSpec {
                script: vec![Fault::RetryAfterDate(Duration::from_secs(2))],
                timing: Timing::UntilDate(Duration::from_secs(2)),
                ..base
            },
            "busy_503_retry_after_1h" => FaultSpec {
                then: Fault::respond(
                    503,
                    "Service Unavailable",
                    &[json[0], ("retry-after", "3600")],
                    r#"{"status":"ERROR","error":"Down for maintenance"}"#,
                ),
                max_elapsed: Duration::from_millis(1500),
                ..base
            },
            "slow_down_429_beyond_a_500ms_cap" => FaultSpec {
                then: Fault::respond(
                    429,
                    "Too Many Requests",
                    &[json[0], ("retry-after", "1")],
                    r#"{"status":"ERROR","error":"Too many requests"}"#,
                ),
                retry: RetryPolicy::default()
                    .min_delay(Duration::from_millis(10))
                    .max_retry_after(Duration::from_millis(500)),
                max_elapsed: Duration::from_millis(900),
                ..base
            },
            "html_502" => FaultSpec {
                then: Fault::respond(
                    502,
                    "Bad Gateway",
                    &[("content-type", "text/html")],
                    "<html><head><title>502 Bad Gateway</title></head>\
                     <body><center><h1>502 Bad Gateway</h1></center><hr>\
                     <center>nginx</center></body></html>",
                ),
                ..base
            },
            "redirect_302" => FaultSpec {
                then: Fault::respond(
                    302,
                    "Found",
                    &[("location", &format!("{other}/contact"))],
                    "",
                ),
                redirect: true,
                ..base
            },
            "redirect_307" => FaultSpec {
                then: Fault::respond(
                    307,
                    "Temporary Redirect",
                    &[("location", &format!("{other}/contact"))],
                    "",
                ),
                redirect: true,
                ..base
            },
            "not_an_envelope" => FaultSpec {
                then: Fault::respond(200, "OK", &json, r#"{"hello":"world"}"#),
                ..base
            },
            "gzip_body" => FaultSpec {
                then: Fault::Gzip,
                ..base
            },
            other => panic!("no fault named {other}"),
        }
    }
}
