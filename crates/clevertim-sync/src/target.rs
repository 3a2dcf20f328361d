//! Where the mirror lives: `sqlite:PATH` or `postgres://…`.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// A mirror's database.
///
/// ```
/// use clevertim_sync::Target;
/// let file: Target = "sqlite:crm.db".parse()?;
/// assert_eq!(file, Target::Sqlite("crm.db".into()));
/// let server: Target = "postgres://sync:secret@127.0.0.1/crm".parse()?;
/// assert!(!server.to_string().contains("secret"), "the password is never shown");
/// assert!("mysql://x".parse::<Target>().is_err());
/// # Ok::<(), clevertim_sync::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://` or `postgresql://` URL).
    Postgres(String),
}

impl std::str::FromStr for Target {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if let Some(path) = s.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(Error::Target(s.to_owned()));
            }
            Ok(Target::Sqlite(PathBuf::from(path)))
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(Target::Postgres(s.to_owned()))
        } else {
            Err(Error::Target(redact(s)))
        }
    }
}

/// `url` without the password of its user information.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(name, _)| name);
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_owned(),
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Target::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({self})")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://me:pw@host:5432/db?x=1"),
            "postgres://me:***@host:5432/db?x=1"
        );
        assert_eq!(super::redact("postgres://host/db"), "postgres://host/db");
    }
}
