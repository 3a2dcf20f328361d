//! The table's vocabulary: an operation, the typed outcome it must have, whether the server
//! applied it, and a row putting them together.

use super::*;

/// An operation of the table, and the verb it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `load` of a contact that is not cached: `GET /contact/{id}`.
    Load,
    /// `all` contacts: `GET /contact`.
    All,
    /// `save` of a new contact: `POST /contact`.
    SaveNew,
    /// `save` of a loaded (cached) contact with a changed title: `PUT /contact/{id}`.
    SaveExisting,
    /// `delete` of a loaded (cached) contact: `DELETE /contact/{id}`.
    Delete,
}

impl Op {
    /// Every operation, in the table's order.
    pub const ALL: [Op; 5] = [Op::Load, Op::All, Op::SaveNew, Op::SaveExisting, Op::Delete];

    /// The method of its request.
    pub fn method(self) -> &'static str {
        match self {
            Op::Load | Op::All => "GET",
            Op::SaveNew => "POST",
            Op::SaveExisting => "PUT",
            Op::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Load => "load",
            Op::All => "all",
            Op::SaveNew => "save new",
            Op::SaveExisting => "save existing",
            Op::Delete => "delete",
        })
    }
}

/// The `retry_after` an `Error::Api` carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wish {
    /// None.
    None,
    /// Exactly this many seconds.
    Secs(u64),
    /// Some duration of at most this many seconds (an HTTP date counts down).
    AtMost(u64),
}

/// The typed outcome of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It succeeded.
    Ok,
    /// `Error::Transport` of this kind.
    Transport(TransportErrorKind),
    /// `Error::Api` with this status and `retry_after`.
    Api(u16, Wish),
    /// `Error::MalformedResponse`.
    Malformed,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("Ok"),
            Outcome::Transport(kind) => write!(f, "Transport({kind:?})"),
            Outcome::Api(status, Wish::None) => write!(f, "Api({status})"),
            Outcome::Api(status, Wish::Secs(s)) => write!(f, "Api({status}, retry_after {s} s)"),
            Outcome::Api(status, Wish::AtMost(s)) => {
                write!(f, "Api({status}, retry_after ≤ {s} s)")
            }
            Outcome::Malformed => f.write_str("MalformedResponse"),
        }
    }
}

/// Whether the server applied the operation's write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It did (once: a new contact exists exactly once).
    Yes,
    /// It did not.
    No,
    /// A read: nothing to apply.
    Read,
}

/// One row: a fault and an operation, and what must come of them.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The fault's name (a `FaultSpec` stages it).
    pub fault: &'static str,
    /// The operation.
    pub op: Op,
    /// The typed outcome.
    pub outcome: Outcome,
    /// How many requests the fault server read.
    pub requests: usize,
    /// Whether the server holds the write afterwards.
    pub applied: Applied,
}
