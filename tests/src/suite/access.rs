//! What a key may do: a read-only key cannot write, an unknown key is refused, a key that names
//! nothing is not found.

use super::*;

/// A read-only user reads, and every write is the permission error.
pub async fn read_only_key_cannot_write(kind: Flavour) {
    let env = Env::new(kind).await;
    let reader = env.with_key(env.sandbox.readonly_api_key());
    assert!(!reader.all::<Contact>().await.unwrap().is_empty());
    let mut c = Contact::new();
    c.set_first_name("Nope");
    let refused = reader.save(&mut c).await.unwrap_err();
    assert!(matches!(refused, Error::Permission { .. }), "{refused}");
    assert_eq!(c.key(), None);
    // Where, and the cause in words (issue 22).
    let host = env.sandbox.addr();
    let said = format!("POST /api/contact to {host}: permission denied (HTTP 403): ");
    assert!(refused.to_string().starts_with(&said), "{refused}");
    assert_eq!(refused.site().map(|s| s.attempts()), Some(1));
}

/// An unknown key is the authentication error.
pub async fn bad_key_is_an_authentication_error(kind: Flavour) {
    let env = Env::new(kind).await;
    let stranger = env.with_key("NotAKeyOfThisSandbox0000000000000000000000");
    let refused = stranger.all::<Contact>().await.unwrap_err();
    assert!(matches!(refused, Error::Authentication { .. }), "{refused}");
    assert!(!refused.to_string().contains("NotAKeyOfThisSandbox"));
    let host = env.sandbox.addr();
    let said = format!("GET /api/contact to {host}: authentication failed (HTTP 401): ");
    assert!(refused.to_string().starts_with(&said), "{refused}");
}

/// A key that names nothing is not found.
pub async fn missing_object_is_not_found(kind: Flavour) {
    let env = Env::new(kind).await;
    let missing = env.api.load::<Contact>(987_654).await.unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { resource: "contact", key, .. } if key == "987654"),
        "{missing}"
    );
    let host = env.sandbox.addr();
    assert_eq!(
        missing.to_string(),
        format!("GET /api/contact/987654 to {host}: contact 987654 not found")
    );
}
