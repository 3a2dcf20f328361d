//! Failures and the exit codes scripts can rely on.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | any other failure (a local file, the terminal) |
//! | 2 | usage: a bad flag or value, no account configured (clap's own errors too) |
//! | 3 | not found: the object does not exist, or the key cannot see it |
//! | 4 | authentication or permission: the key was refused, or its user may not do this |
//! | 5 | refused: a value or a write the API does not accept (checked before sending, or HTTP 400/501) |
//! | 6 | server: the API failed or answered something that is not the API's answer (HTTP 5xx) |
//! | 7 | network: the API could not be reached, or did not answer in time |
//! | 8 | partly done: `import` could not import every object (each one is reported) |
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
    /// 8: some objects could not be imported.
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
}

impl Failure {
    /// A failure of `kind`.
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            hint: None,
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

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let message = error.to_string();
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
            Error::Api { status, .. } if *status == 404 => {
                (Kind::NotFound, "check the key and the endpoint".to_owned())
            }
            Error::Api { .. } | Error::MalformedResponse { .. } => (
                Kind::Server,
                "try again later; if it persists, run with -vv and check CLEVERTIM_ENDPOINT"
                    .to_owned(),
            ),
            Error::Transport(t) => (
                Kind::Network,
                match t.kind() {
                    TransportErrorKind::Timeout => "the API did not answer in time: try again",
                    _ => "check CLEVERTIM_ENDPOINT (or --endpoint) and the network",
                }
                .to_owned(),
            ),
            Error::Config(_) => (
                Kind::Usage,
                "check CLEVERTIM_ENDPOINT and CLEVERTIM_API_KEY".to_owned(),
            ),
            _ => (Kind::Other, "run with -vv for the requests".to_owned()),
        };
        Failure::new(kind, message).hint(hint)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::other(error.to_string())
    }
}
