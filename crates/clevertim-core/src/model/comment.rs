//! Comment on a note or a task (`/comment`).

use super::slot::WriteMode;
use super::{Note, Resource, Task, User};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A comment on a note or on a task (exactly one). Comments cannot be updated: delete and
    /// create again.
    ///
    /// ```
    /// use clevertim_core::{Comment, Key, Note};
    /// let mut comment = Comment::new();
    /// comment.set_comment("Sent the photos").set_note(Key::<Note>::new(12));
    /// assert_eq!(comment.note(), Some(Key::new(12)));
    /// ```
    struct Comment {
        /// The text.
        rw comment: text<String> = "comment";
        /// The note it is on.
        rw note: val<Key<Note>> = "nid";
        /// The task it is on.
        rw task: val<Key<Task>> = "tid";
        /// The user who wrote it.
        ro created_by: val<Key<User>> = "userId";
    }
}

impl Resource for Comment {
    const PATH: &'static str = "comment";

    fn related(&self) -> Vec<crate::cache::CacheKey> {
        related_keys!(self.note().as_ref(), self.task().as_ref())
    }

    fn check(&self, mode: WriteMode) -> Result<(), ValidationError> {
        if mode != WriteMode::Create {
            return Ok(());
        }
        match (self.note(), self.task()) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            (note, task) => Err(ValidationError::new(
                "comment",
                "nid/tid",
                format!("nid={note:?} tid={task:?}"),
                "must name exactly one of a note or a task",
            )),
        }
    }
}
