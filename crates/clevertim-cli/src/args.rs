//! The arguments of the resources' actions (`list`, `get`, `create`, `update`, `delete`):
//! what they take, not what they do (that is `commands::crud`).

use std::path::PathBuf;

use clap::Subcommand;

use crate::flags::KeyArg;

/// The flags every create and update takes, beside the resource's typed ones.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct WriteArgs {
    /// Set any field by its SDK or wire name; VALUE is read as JSON when it is JSON
    /// (`--set 'tags=["a","b"]'`), else as text. Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_assignment, help_heading = "Any field")]
    pub(crate) set: Vec<(String, String)>,

    /// Set a custom field by its name (a `multiple` one takes a comma-separated list; an
    /// empty VALUE removes it). Repeatable.
    #[arg(long = "custom-field", value_name = "NAME=VALUE", value_parser = parse_assignment, help_heading = "Any field")]
    pub(crate) custom_fields: Vec<(String, String)>,

    /// A whole object as JSON (what `get --format json` prints), from FILE or `-` for stdin;
    /// `create` also takes a list. Flags apply on top.
    #[arg(long, value_name = "FILE|-", help_heading = "Any field")]
    pub(crate) json: Option<PathBuf>,
}

fn parse_assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

/// What to do with a resource.
#[derive(Debug, Subcommand)]
pub(crate) enum Action<F: clap::Args> {
    /// List every object the key can see, sorted by key.
    List(ListArgs),
    /// Show objects by key.
    Get {
        /// The keys.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<KeyArg>,
    },
    /// Create an object from the flags (or from --json).
    Create {
        #[command(flatten)]
        fields: F,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Change an object: only what the flags change is sent.
    Update {
        /// The key.
        #[arg(value_name = "KEY")]
        key: KeyArg,
        #[command(flatten)]
        fields: F,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Delete objects by key.
    Delete {
        /// The keys.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<KeyArg>,
    },
}

/// What `list` shows.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct ListArgs {
    /// Only objects with this tag (repeatable: all of them).
    #[arg(long, value_name = "TAG")]
    pub(crate) tag: Vec<String>,

    /// Only objects of this company (its key or its name; contacts).
    #[arg(long, value_name = "KEY|NAME")]
    pub(crate) company: Option<String>,

    /// Only objects whose table row contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub(crate) search: Option<String>,

    /// The table's columns, by header, comma-separated (e.g. `name,email`); KEY is always first.
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    pub(crate) columns: Option<Vec<String>>,
}
