//! Users, API keys and permissions: who is asking, and what they may do.

use base64::Engine as _;
use serde_json::Value;

use crate::error::ApiError;
use crate::store::Store;

/// The role of a user, from its `is_owner`/`is_admin`/`permissions` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The account owner: may do everything.
    Owner,
    /// An administrator: may do everything.
    Admin,
    /// A user with the `canedit` permission (and `candelete` to delete).
    Editor,
    /// A user without `canedit`: reads only.
    ReadOnly,
}

/// The authenticated user of one request. Never holds the API key.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    /// The user id.
    pub(crate) id: u64,
    /// The user name, for logs and error texts.
    pub(crate) name: String,
    /// The OR of the `gid` bits of the user's groups.
    pub(crate) groups: u64,
    /// The user's role.
    pub(crate) role: Role,
    /// Whether the user may delete (owner, admin or `candelete`).
    pub(crate) can_delete: bool,
}

impl Principal {
    /// Whether the user may create and update objects.
    pub(crate) fn can_write(&self) -> bool {
        self.role != Role::ReadOnly
    }

    /// Whether the user may see an object, by its `is_private`/`puser`/`gid` fields.
    pub(crate) fn sees(&self, obj: &serde_json::Map<String, Value>) -> bool {
        let puser = obj.get("puser").and_then(Value::as_u64);
        if obj.get("is_private").and_then(Value::as_bool) == Some(true) {
            return puser == Some(self.id);
        }
        let gid = obj.get("gid").and_then(Value::as_u64).unwrap_or(0);
        gid == 0 || gid & self.groups != 0 || puser == Some(self.id)
    }
}

/// Extracts the API key (the user name) from an `Authorization: Basic` header value.
/// The password is not checked (the API uses `X`).
pub(crate) fn basic_key(header: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(header).ok()?.trim();
    let (scheme, rest) = text.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let key = decoded.split_once(':').map_or(decoded.as_str(), |(k, _)| k);
    (!key.is_empty()).then(|| key.to_owned())
}

/// Authenticates a request from its `Authorization` header.
pub(crate) fn authenticate(store: &Store, header: Option<&[u8]>) -> Result<Principal, ApiError> {
    let Some(header) = header else {
        return Err(ApiError::new(
            401,
            "Missing API key: use HTTP Basic authentication with your API key as the user name and X as the password",
        ));
    };
    let Some(key) = basic_key(header) else {
        return Err(ApiError::new(
            401,
            "Malformed Authorization header: expected HTTP Basic with your API key as the user name",
        ));
    };
    let Some(uid) = store.user_for_key(&key) else {
        return Err(ApiError::new(401, "Unknown API key"));
    };
    principal(store, uid).ok_or_else(|| ApiError::new(401, "Unknown API key"))
}

/// Builds the principal of a user id from the stored user and groups.
pub(crate) fn principal(store: &Store, uid: u64) -> Option<Principal> {
    let user = store.stored("user", uid)?;
    let flag = |k: &str| user.get(k).and_then(Value::as_bool) == Some(true);
    let perms: Vec<&str> = user
        .get("permissions")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let role = if flag("is_owner") {
        Role::Owner
    } else if flag("is_admin") {
        Role::Admin
    } else if perms.contains(&"canedit") {
        Role::Editor
    } else {
        Role::ReadOnly
    };
    let can_delete = matches!(role, Role::Owner | Role::Admin)
        || (role == Role::Editor && perms.contains(&"candelete"));
    let groups = store
        .table("group")
        .filter(|g| {
            g.get("users")
                .and_then(Value::as_array)
                .is_some_and(|us| us.iter().any(|u| u.as_u64() == Some(uid)))
        })
        .filter_map(|g| g.get("gid").and_then(Value::as_u64))
        .fold(0, |acc, bit| acc | bit);
    Some(Principal {
        id: uid,
        name: user
            .get("user")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned(),
        groups,
        role,
        can_delete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_header() {
        // "KEY123:X"
        assert_eq!(basic_key(b"Basic S0VZMTIzOlg=").as_deref(), Some("KEY123"));
        assert_eq!(basic_key(b"basic S0VZMTIzOlg=").as_deref(), Some("KEY123"));
        assert_eq!(basic_key(b"Bearer S0VZMTIzOlg="), None);
        assert_eq!(basic_key(b"Basic !!!"), None);
        assert_eq!(basic_key(b"Basic Olg="), None); // ":X"
        assert_eq!(basic_key(&[0xff, 0xfe]), None);
    }
}
