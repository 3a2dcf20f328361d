//! Folders, files and linked files (`/folder`, `/file`, `/linkedfile`).

use super::{FileStore, Resource};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A folder; its key is a string (`"f111"`).
    shared struct Folder {
        /// The folder's name.
        rw name: text<String> = "name";
        /// The parent folder; none for the root.
        rw parent_key: val<Key<Folder>> = "parentId";
        /// Always `true` for a folder.
        ro is_dir: val<bool> = "is_dir";
    }
}

resource! {
    /// A file in a folder.
    shared struct File {
        /// The file's name.
        rw name: text<String> = "name";
        /// The folder it is in.
        rw parent_key: val<Key<Folder>> = "parentId";
    }
}

resource! {
    /// A file kept in an external store (Dropbox, Google Drive).
    shared struct LinkedFile {
        /// The file's name.
        rw name: text<String> = "name";
        /// The store it lives in.
        ro store: val<FileStore> = "sys";
        /// Its size in bytes.
        ro size: val<u64> = "size";
        /// Its link.
        ro link: text<String> = "link";
        /// Its icon.
        ro icon: text<String> = "icon";
    }
}

/// Declares a resource that lives in a folder: its parent is set from a saved folder.
macro_rules! in_folder {
    ($name:ident, $path:literal) => {
        impl $name {
            /// Puts it in `folder`, which must be saved (have a key).
            pub fn set_parent(&mut self, folder: &Folder) -> Result<&mut Self, ValidationError> {
                let key = folder.key().ok_or_else(|| {
                    ValidationError::new(
                        $path,
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

        impl Resource for $name {
            const PATH: &'static str = $path;
        }
    };
}

in_folder!(Folder, "folder");
in_folder!(File, "file");

impl Resource for LinkedFile {
    const PATH: &'static str = "linkedfile";
}
