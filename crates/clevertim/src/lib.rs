//! `clevertim`: the Rust SDK for the [Clevertim CRM](https://www.clevertim.com) REST API.
//!
//! Contacts, companies, cases, opportunities, tasks, notes, comments, custom fields, users,
//! groups and files, as typed models; a [`Session`] that loads, caches, saves and deletes
//! them; and ports ([`Transport`], [`Cache`]) that let you run it on any HTTP stack.
//!
//! ```
//! use clevertim::{Contact, Session};
//! # use bytes::Bytes;
//! # async fn demo(transport: impl clevertim::Transport + 'static) -> clevertim::Result<()> {
//! let session = Session::builder("API_KEY")
//!     .endpoint("http://127.0.0.1:8080/api")
//!     .transport(transport)
//!     .build()?;
//!
//! let mut mike = Contact::new();
//! mike.set_first_name("Mike").set_last_name("Johnson");
//! session.save(&mut mike).await?; // POST: the key appears
//! mike.emails_mut().push("mike@example.com".into());
//! session.save(&mut mike).await?; // PUT of `id` and `email` only
//! let again: Contact = session.load(mike.key().unwrap()).await?; // from the cache
//! assert_eq!(again.emails(), mike.emails());
//! session.delete(&mut mike).await?; // the key is None again
//! # Ok(()) }
//! ```

pub use clevertim_core::*;
