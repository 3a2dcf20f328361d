//! `resource_options!`: what each option of a resource's header adds, a part of `resource!`.

/// What each header option adds: to `impl Resource` (`@option`), to the struct (`@methods`),
/// and the traits it implements (`@traits`).
macro_rules! resource_options {
    // The traits an option implements besides `Resource`.
    (@traits $name:ident [$( $option:ident ($($arg:tt)*) )*]) => {
        $( resource_options!(@trait_of $name $option ($($arg)*)); )*
    };
    (@trait_of $name:ident custom_fields ($scope:expr)) => {
        impl $crate::model::CustomFieldOwner for $name {
            const SCOPE: $crate::model::Scope = $scope;

            fn set_custom_field(
                &mut self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
                value: impl Into<$crate::model::CustomFieldValue>,
            ) -> &mut Self {
                $name::set_custom_field(self, field, value)
            }

            fn custom_field(
                &self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            ) -> Option<&$crate::model::CustomFieldValue> {
                $name::custom_field(self, field)
            }
        }
    };
    (@trait_of $name:ident $other:ident ($($arg:tt)*)) => {};

    // The header's options: what each adds to `impl Resource` …
    (@option list_only $idx:ident ()) => {
        const LIST_ONLY: bool = true;
    };
    (@option read_only $idx:ident ()) => {
        const WRITABLE: bool = false;
    };
    (@option check $idx:ident ($check:path)) => {
        fn check(
            &self,
            mode: $crate::model::codec::WriteMode,
        ) -> Result<(), $crate::error::ValidationError> {
            $check(self, mode)
        }
    };
    (@option related $idx:ident ($($getter:ident),* $(,)?)) => {
        fn related(&self) -> Vec<$crate::cache::CacheKey> {
            let mut keys = Vec::new();
            $( keys.extend($crate::model::resource::References::cache_keys(self.$getter())); )*
            keys
        }
    };
    (@option custom_fields $idx:ident ($scope:expr)) => {
        fn custom_fields_to_check(
            &self,
            mode: $crate::model::codec::WriteMode,
        ) -> Option<(
            $crate::model::Scope,
            &$crate::model::CustomFieldValues,
            Option<&serde_json::Value>,
        )> {
            use $crate::model::codec::{Field as _, WriteMode};
            if !self.sends($idx::custom_field_values, mode) {
                return None;
            }
            let original = match mode {
                WriteMode::Create => None,
                WriteMode::Update => self.changes.original($idx::custom_field_values.wire()),
            };
            self.custom_field_values().map(|values| ($scope, values, original))
        }
    };
    (@option required $idx:ident ($([$($field:literal),+ $(,)?]),+ $(,)?)) => {
        const REQUIRED: &'static [&'static [&'static str]] = &[$(&[$($field),+]),+];
    };
    (@option in_folder $idx:ident ()) => {};
    (@option $other:ident $idx:ident ($($arg:tt)*)) => {
        compile_error!(concat!("unknown resource option `", stringify!($other), "`"));
    };

    // … and the methods it adds to the struct.
    (@methods custom_fields ($scope:expr)) => {
        /// Sets one custom field value; the whole `cf` map is sent on the next save and
        /// checked against the custom field definitions first.
        pub fn set_custom_field(
            &mut self,
            field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            value: impl Into<$crate::model::CustomFieldValue>,
        ) -> &mut Self {
            self.custom_field_values_mut().insert(field.into(), value);
            self
        }

        /// The value of one custom field, if set (find the field's key by name with
        /// [`Session::custom_field_named`](crate::Session::custom_field_named)).
        pub fn custom_field(
            &self,
            field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
        ) -> Option<&$crate::model::CustomFieldValue> {
            self.custom_field_values()?.get(&field.into())
        }
    };
    (@methods in_folder ()) => {
        /// Puts it in `folder`, which must be saved (have a key).
        ///
        /// # Errors
        ///
        /// A [`ValidationError`](crate::ValidationError) when `folder` has no key yet.
        ///
        /// ```
        /// use clevertim::{File, Folder};
        /// let mut offer = File::new();
        /// assert!(offer.set_parent(&Folder::new()).is_err()); // not saved: no key
        /// let docs = Folder::with_key("f111");
        /// offer.set_parent(&docs)?;
        /// assert_eq!(offer.parent_key(), docs.key());
        /// # Ok::<(), clevertim::ValidationError>(())
        /// ```
        pub fn set_parent(
            &mut self,
            folder: &$crate::model::Folder,
        ) -> Result<&mut Self, $crate::error::ValidationError> {
            let key = folder.key().ok_or_else(|| {
                $crate::error::ValidationError::new(
                    <Self as $crate::model::Resource>::PATH,
                    "parentId",
                    folder.name().unwrap_or_default(),
                    "is a folder that is not saved yet (it has no key)",
                )
            })?;
            Ok(self.set_parent_key(key))
        }

        /// Moves it to the root (sends `null` for `parentId`).
        ///
        /// ```
        /// use clevertim::Folder;
        /// let mut archive = Folder::with_key("f200");
        /// archive.set_root();
        /// assert_eq!(archive.parent_key(), None);
        /// assert!(archive.has_changes()); // the next save moves it
        /// ```
        pub fn set_root(&mut self) -> &mut Self {
            self.clear_parent_key()
        }
    };
    (@methods $other:ident ($($arg:tt)*)) => {};
}
