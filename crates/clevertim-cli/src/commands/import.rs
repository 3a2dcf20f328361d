//! `clevertim import DIR`.

use std::path::Path;

use crate::connect::Context;
use crate::exit::Failure;

/// Imports the export in `dir`.
pub(crate) async fn run(_ctx: &Context, _dir: &Path) -> Result<(), Failure> {
    Err(Failure::other("not yet"))
}
