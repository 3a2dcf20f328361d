//! Folders, files and linked files (`/folder`, `/file`, `/linkedfile`).

use super::{FileStore, Resource};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A folder; its key is a string (`"f111"`).
    shared struct Folder at "folder" {
        /// The folder's name.
        rw name: text = "name";
        /// The parent folder; none for the root.
        rw parent_key: scalar<Key<Folder>> = "parentId";
        /// Always `true` for a folder.
        ro is_dir: scalar<bool> = "is_dir";
    }
}

resource! {
    /// A file in a folder.
    shared struct File at "file" {
        /// The file's name.
        rw name: text = "name";
        /// The folder it is in.
        rw parent_key: scalar<Key<Folder>> = "parentId";
    }
}

resource! {
    /// A file kept in an external store (Dropbox, Google Drive).
    shared struct LinkedFile at "linkedfile" {
        /// The file's name.
        rw name: text = "name";
        /// The store it lives in.
        ro store: scalar<FileStore> = "sys";
        /// Its size in bytes.
        ro size: scalar<u64> = "size";
        /// Its link.
        ro link: text = "link";
        /// Its icon.
        ro icon: text = "icon";
    }
}

/// Adds what a resource that lives in a folder has: its parent is set from a saved folder.
macro_rules! in_folder {
    ($name:ident) => {
        impl $name {
            /// Puts it in `folder`, which must be saved (have a key).
            ///
            /// # Errors
            ///
            /// A [`ValidationError`] when `folder` has no key yet.
            pub fn set_parent(&mut self, folder: &Folder) -> Result<&mut Self, ValidationError> {
                let key = folder.key().ok_or_else(|| {
                    ValidationError::new(
                        <$name as Resource>::PATH,
                        "parentId",
                        folder.name().unwrap_or_default(),
                        "is a folder that is not saved yet (it has no key)",
                    )
                })?;
                Ok(self.set_parent_key(key))
            }

            /// Moves it to the root.
            pub fn set_root(&mut self) -> &mut Self {
                self.clear_parent_key()
            }
        }
    };
}

in_folder!(Folder);
in_folder!(File);
