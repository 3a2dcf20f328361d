//! Folders, files and linked files (`/folder`, `/file`, `/linkedfile`).

use super::FileStore;
use crate::key::Key;

resource! {
    /// A folder; its key is a string (`"f111"`).
    ///
    /// ```
    /// use clevertim::{Folder, Key};
    /// let docs = Folder::with_key("f111"); // a saved folder
    /// let mut contracts = Folder::new();
    /// contracts.set_name("Contracts").set_parent(&docs)?;
    /// assert_eq!(contracts.parent_key(), Some(Key::new("f111")));
    /// # Ok::<(), clevertim::ValidationError>(())
    /// ```
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
    ///
    /// ```
    /// use clevertim::{File, Folder};
    /// let file: File = serde_json::from_str(r#"{"id":12,"name":"offer.pdf","parentId":"f111"}"#)?;
    /// assert_eq!(file.name(), Some("offer.pdf"));
    /// assert_eq!(file.parent_key(), Folder::with_key("f111").key());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    shared struct File at "file", in_folder {
        /// The file's name.
        rw name: text = "name";
        /// The folder it is in.
        rw parent_key: scalar<Key<Folder>> = "parentId";
    }
}

resource! {
    /// A file kept in an external store (Dropbox, Google Drive).
    ///
    /// Only its name is writable; the rest comes from the store.
    ///
    /// ```
    /// use clevertim::{FileStore, LinkedFile};
    /// let mut plan: LinkedFile =
    ///     serde_json::from_str(r#"{"id":9,"name":"plan.pdf","sys":"D","size":2048}"#)?;
    /// assert_eq!(plan.store(), Some(FileStore::Dropbox));
    /// assert_eq!(plan.size(), Some(2048));
    /// plan.set_name("plan-2027.pdf"); // a save sends only the name
    /// assert!(plan.has_changes());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
