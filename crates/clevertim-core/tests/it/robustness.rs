//! No answer the server (or a proxy) could send makes the SDK panic: every truncation and many
//! single-byte corruptions of every documented object, as a list and as a single object, come
//! back as `Ok` or as a typed error.
#![allow(clippy::unwrap_used)]

use crate::common;

use bytes::Bytes;
use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, Error, Note, Opportunity, Resource, Session,
    Task, transport_fn,
};

/// A session whose every answer is `body` with `status`.
fn answering(status: u16, body: Bytes) -> Session {
    Session::builder(common::API_KEY)
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport_fn(move |_| {
            let mut response = http::Response::new(body.clone());
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            async move { Ok(response) }
        }))
        .no_cache()
        .retry(clevertim_core::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Loads and lists `R` from `body`; any result is fine, a panic is not.
fn survive<R: Resource>(status: u16, body: &[u8]) -> usize {
    let session = answering(status, Bytes::copy_from_slice(body));
    let mut typed_errors = 0;
    let one = futures_executor::block_on(session.load::<R>(1));
    let all = futures_executor::block_on(session.all::<R>());
    for result in [one.map(|_| ()), all.map(|_| ())] {
        if let Err(e) = result {
            // Every error says something and never shows the key.
            let text = e.to_string();
            assert!(
                !text.is_empty() && !text.contains(common::API_KEY),
                "{text}"
            );
            typed_errors += usize::from(!matches!(e, Error::Config(_)));
        }
    }
    typed_errors
}

fn torture<R: Resource>(example: &str) {
    let object = common::example(example);
    let body =
        serde_json::to_vec(&serde_json::json!({"status": "OK", "content": [object]})).unwrap();
    let mut errors = 0;
    for cut in 0..body.len() {
        errors += survive::<R>(200, &body[..cut]);
    }
    for at in 0..body.len() {
        for replacement in [b'"', b'{', b']', b'x', 0xff, b'0'] {
            let mut bad = body.clone();
            bad[at] = replacement;
            survive::<R>(200, &bad);
            survive::<R>(502, &bad);
        }
    }
    // Every strict prefix of the body is an error: truncation is never taken for data.
    assert_eq!(errors, 2 * body.len(), "{example}");
}

#[test]
fn truncated_and_corrupted_answers_never_panic() {
    torture::<Contact>("contact");
    torture::<Company>("company");
    torture::<Case>("case");
    torture::<Opportunity>("opportunity");
    torture::<Task>("task");
    torture::<Note>("note");
    torture::<Comment>("comment");
    torture::<CustomField>("customfield");
    torture::<CustomField>("customfield-select");
}
