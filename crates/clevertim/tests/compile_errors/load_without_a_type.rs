// `session.load(3)` with nothing saying which model: the type falls back to `()`.
async fn show(session: &clevertim::Session) -> clevertim::Result<()> {
    let c = session.load(3).await?;
    println!("{c:?}");
    Ok(())
}

fn main() {
    drop(show);
}
