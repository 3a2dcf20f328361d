//! Folders, files and linked files (`/folder`, `/file`, `/linkedfile`).

use super::FileStore;
use crate::key::Key;

resource! {
    /// A folder; its key is a string (`"f111"`).
    shared struct Folder at "folder", in_folder {
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
    shared struct File at "file", in_folder {
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
