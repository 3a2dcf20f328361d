//! `Session::builder(key).build()` picks the compiled-in transport, or says what is missing.
#![allow(clippy::unwrap_used)]

use clevertim::Session;

#[test]
fn build_uses_the_enabled_transport_or_explains_the_missing_one() {
    let built = Session::builder("KEY").build();
    if cfg!(any(feature = "hyper", feature = "isahc")) {
        let session = built.unwrap();
        assert_eq!(session.endpoint(), "https://www.clevertim.com/api");
    } else {
        let err = built.unwrap_err();
        assert!(err.to_string().contains("no transport"), "{err}");
    }
}

#[cfg(all(feature = "hyper", feature = "isahc"))]
#[test]
fn with_both_compiled_in_either_can_be_picked() {
    for backend in [clevertim::Backend::Hyper, clevertim::Backend::Isahc] {
        let session = Session::builder("KEY").backend(backend).build().unwrap();
        assert!(!format!("{session:?}").contains("KEY\""));
    }
    assert_eq!(
        clevertim::Backend::default_for_build(),
        Some(clevertim::Backend::Hyper)
    );
}
