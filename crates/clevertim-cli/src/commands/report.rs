//! `clevertim report pipeline`.

use crate::connect::Context;
use crate::exit::Failure;

/// The pipeline report.
pub(crate) async fn pipeline(_ctx: &Context) -> Result<(), Failure> {
    Err(Failure::other("not yet"))
}
