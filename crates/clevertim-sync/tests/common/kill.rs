//! Killing a sync at a phase: the phases the kill tests die at, and the options of a child
//! run that dies there.

use std::process::Command;

use clevertim::Contact;
use clevertim_sync::{Options, Progress, Target};

/// The phases to die at: while reading; just after `BEGIN` (and, on PostgreSQL, the advisory
/// lock); after some resources were written; after the last one was written, just before
/// `COMMIT`.
pub const PHASES: &[&str] = &[
    "read:task",
    "writing",
    "applied:contact",
    "applied:linkedfile",
];

/// Changes the killed runs would have applied: an edit, a new object, a deletion.
pub async fn change_the_account(session: &clevertim::Session) {
    let mut contacts = session.core().all::<Contact>().await.unwrap();
    contacts[0].set_title("Edited");
    session.core().save(&mut contacts[0]).await.unwrap();
    let mut added = Contact::new();
    added.set_first_name("Added");
    session.core().save(&mut added).await.unwrap();
    let mut gone = contacts.pop().unwrap();
    session.core().delete(&mut gone).await.unwrap();
}

/// The child's whole life: a sync to `target` of the sandbox named by `SYNC_ENDPOINT` and
/// `SYNC_KEY`, killed at `phase`. Returning means the phase never came: the parent then sees a
/// clean exit and fails.
pub fn sync_and_die_at(phase: String, target: Target) {
    let endpoint = std::env::var("SYNC_ENDPOINT").unwrap();
    let key = std::env::var("SYNC_KEY").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let session = super::session_to(&endpoint, &key);
        let _ = clevertim_sync::sync(session.core(), &target, &dying_at(phase)).await;
    });
}

/// Options whose progress callback kills this process (`kill -9`) when `phase` comes.
pub fn dying_at(phase: String) -> Options {
    Options::default().on_progress(move |progress| {
        if is_phase(progress, &phase) {
            die();
        }
    })
}

fn is_phase(progress: &Progress, phase: &str) -> bool {
    match progress {
        Progress::Read { resource, .. } => phase == format!("read:{resource}"),
        Progress::Writing => phase == "writing",
        Progress::Applied { resource } => phase == format!("applied:{resource}"),
        _ => false,
    }
}

/// `kill -9` of this process; `abort` where `kill` cannot be run.
fn die() -> ! {
    let _ = Command::new("kill")
        .args(["-KILL", &std::process::id().to_string()])
        .status();
    std::process::abort();
}
