//! Failures and the exit codes scripts can rely on.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | any other failure (a local file, the terminal) |
//! | 2 | usage or setup: a bad flag or unknown field, no account configured, an endpoint that is not the API |
//! | 3 | not found: the object does not exist, or the key cannot see it |
//! | 4 | authentication or permission: the key was refused, or its user may not do this |
//! | 5 | refused: a value or a write the API does not accept (checked before sending, or HTTP 400/501) |
//! | 6 | server: the API failed or answered something that is not the API's answer (HTTP 5xx) |
//! | 7 | network: the API could not be reached, or did not answer in time |
//! | 8 | partly done: some keys of a command (or objects of an import) succeeded, others failed (each is reported) |
//! | 130 | interrupted (Ctrl-C) |

use clevertim::{Error, TransportErrorKind};

/// What kind of failure, and so which exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 1: anything else.
    Other,
    /// 2: the command line is wrong.
    Usage,
    /// 3: no such object.
    NotFound,
    /// 4: the key was refused or lacks the permission.
    Auth,
    /// 5: a value or write the API does not accept.
    Refused,
    /// 6: the server failed.
    Server,
    /// 7: the server could not be reached.
    Network,
    /// 8: some keys or objects succeeded, others failed.
    Partial,
    /// 130: Ctrl-C.
    Interrupted,
}

impl Kind {
    /// The process exit code.
    pub(crate) fn code(self) -> u8 {
        match self {
            Kind::Other => 1,
            Kind::Usage => 2,
            Kind::NotFound => 3,
            Kind::Auth => 4,
            Kind::Refused => 5,
            Kind::Server => 6,
            Kind::Network => 7,
            Kind::Partial => 8,
            Kind::Interrupted => 130,
        }
    }
}

/// A failure of the command: what failed, and what to do about it.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) kind: Kind,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    /// Whether the message names the request and its host (an SDK error that has a site), so
    /// that nothing adds the endpoint to it a second time.
    pub(crate) names_where: bool,
}

impl Failure {
    /// A failure of `kind`.
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            hint: None,
            names_where: false,
        }
    }

    /// A wrong command line.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure::new(Kind::Usage, message)
    }

    /// A write refused before sending.
    pub(crate) fn refused(message: impl Into<String>) -> Self {
        Failure::new(Kind::Refused, message)
    }

    /// A local failure (files, the terminal).
    pub(crate) fn other(message: impl Into<String>) -> Self {
        Failure::new(Kind::Other, message)
    }

    /// Adds what to do about it.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The one line printed on stderr.
    pub(crate) fn line(&self) -> String {
        match &self.hint {
            Some(hint) => format!("error: {}; {hint}", self.message),
            None => format!("error: {}", self.message),
        }
    }
}

/// `error`'s text with the cause the person can act on ("connection refused", "failed to
/// lookup address", "certificate not valid for name"). An error that names its request (all
/// a session returns once it has sent something) already ends with its root cause in words:
/// it is said as it is, each thing once. Any other is followed by each of its causes, a
/// repeated one once.
pub(crate) fn with_causes(error: &Error) -> String {
    let mut text = error.to_string();
    if error.site().is_some() {
        return text;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let line = cause.to_string();
        if !line.is_empty() && !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// What a transport failure's causes say, in words, and what to do.
fn network_hint(kind: TransportErrorKind, causes: &str) -> String {
    let lower = causes.to_lowercase();
    let check = "check CLEVERTIM_ENDPOINT (or --endpoint)";
    if kind == TransportErrorKind::Timeout || lower.contains("timed out") {
        "the API did not answer in time: try again; if it persists, check the network".to_owned()
    } else if lower.contains("refused") {
        format!("nothing listens at that address and port: {check}, or start the server")
    } else if lower.contains("lookup") || lower.contains("resolve") || lower.contains("dns") {
        format!("the host name does not resolve: {check} for a typo")
    } else if kind == TransportErrorKind::Tls || lower.contains("certificate") {
        if lower.contains("name") {
            format!("the server's certificate is for another name: {check}'s host")
        } else {
            "the server's certificate is not trusted (unknown issuer, or expired): check the \
             endpoint, or install the CA that signed it"
                .to_owned()
        }
    } else {
        format!("{check} and the network")
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let message = with_causes(&error);
        let (kind, hint) = match &error {
            Error::NotFound { resource, .. } => (
                Kind::NotFound,
                format!("`clevertim {resource} list` shows the keys you can see"),
            ),
            Error::Authentication { .. } => (
                Kind::Auth,
                "check CLEVERTIM_API_KEY (or --api-key) and CLEVERTIM_ENDPOINT".to_owned(),
            ),
            Error::Permission { .. } => (
                Kind::Auth,
                "the key's user lacks this permission: ask an admin of the account".to_owned(),
            ),
            Error::Unsupported { .. } | Error::Validation(_) => (
                Kind::Refused,
                "nothing was changed; fix the value and run it again".to_owned(),
            ),
            Error::Api { status, .. } if *status == 400 => (
                Kind::Refused,
                "nothing was changed; fix the value and run it again".to_owned(),
            ),
            Error::Api { status, .. } if *status == 401 || *status == 403 => (
                Kind::Auth,
                "check CLEVERTIM_API_KEY and the user's permissions".to_owned(),
            ),
            Error::Api { status, .. } if *status == 404 => (
                Kind::Usage,
                "the endpoint has no such path: check CLEVERTIM_ENDPOINT (the API's ends in /api)"
                    .to_owned(),
            ),
            Error::Api { .. } | Error::MalformedResponse { .. } => (
                Kind::Server,
                "try again later; if it persists, run with -vv and check CLEVERTIM_ENDPOINT"
                    .to_owned(),
            ),
            Error::Transport(t) => (Kind::Network, network_hint(t.kind(), &message)),
            Error::Config(text) if text.contains("insecure") || text.contains("http://") => (
                Kind::Usage,
                "use an https:// endpoint, or add --allow-insecure-http if the network between \
                 you and the server is trusted (the key would travel in clear text)"
                    .to_owned(),
            ),
            Error::Config(_) => (
                Kind::Usage,
                "check CLEVERTIM_ENDPOINT and CLEVERTIM_API_KEY".to_owned(),
            ),
            _ => (Kind::Other, "run with -vv for the requests".to_owned()),
        };
        let message = match &error {
            // The SDK's advice is in its own terms (a Rust method): the hint says it in ours.
            Error::Config(text) if text.contains("allow_insecure_http") => {
                "the endpoint uses plain http to a host that is not this machine".to_owned()
            }
            Error::Validation(v) => format!(
                "invalid {} {}: {:?} {}",
                v.resource, v.field, v.value, v.reason
            ),
            _ => message,
        };
        let mut failure = Failure::new(kind, message).hint(hint);
        failure.names_where = error.site().is_some();
        failure
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::other(error.to_string())
    }
}
