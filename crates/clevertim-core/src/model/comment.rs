//! Comment on a note or a task (`/comment`).

use super::codec::WriteMode;
use super::{Note, Task, User};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A comment on a note or on a task (exactly one). Comments cannot be updated: delete and
    /// create again.
    ///
    /// ```
    /// use clevertim::{Comment, Key, Note};
    /// let mut comment = Comment::new();
    /// comment.set_comment("Sent the photos").set_note(Key::<Note>::new(12));
    /// assert_eq!(comment.note(), Some(Key::new(12)));
    /// ```
    struct Comment at "comment", related(note, task), check(Comment::check_target), required(["comment"]) {
        /// The text.
        rw comment: text = "comment";
        /// The note it is on.
        rw note: scalar<Key<Note>> = "nid";
        /// The task it is on.
        rw task: scalar<Key<Task>> = "tid";
        /// The user who wrote it.
        ro created_by: scalar<Key<User>> = "userId";
    }
}

impl Comment {
    /// A new comment names exactly one of a note or a task.
    fn check_target(&self, mode: WriteMode) -> Result<(), ValidationError> {
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
