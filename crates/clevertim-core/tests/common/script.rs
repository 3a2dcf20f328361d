//! A scripted transport: canned answers given in order, and a record of every request.
//!
//! Each step names the request it expects (`"GET /api/contact/4"`; a trailing `*` matches any
//! path that starts so) and how to answer it. A request that is not the next step's fails the
//! test at once, and so does a script dropped with steps left: together they say exactly which
//! requests a piece of code sent, in which order, and how many.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clevertim_core::{BoxFuture, Transport, TransportError};
use serde_json::Value;

use super::Reply;

type Answer = Arc<dyn Fn(&http::Request<Bytes>) -> Reply + Send + Sync>;

struct Step {
    expected: String,
    answer: Answer,
}

/// A transport that plays a script (see the module docs).
#[derive(Default)]
pub struct Script {
    steps: Mutex<VecDeque<Step>>,
    seen: Mutex<Vec<String>>,
}

impl Script {
    /// An empty script: any request fails the test.
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `expected` next, answered with `reply`.
    pub fn then(self, expected: &str, reply: Reply) -> Self {
        let reply = Mutex::new(Some(reply));
        self.then_with(expected, move |_| take(&reply))
    }

    /// Expects `expected` next, with the JSON body `sent`, answered with `reply`.
    pub fn then_sent(self, expected: &str, sent: Value, reply: Reply) -> Self {
        let reply = Mutex::new(Some(reply));
        let what = expected.to_owned();
        self.then_with(expected, move |request| {
            assert_eq!(super::body(request), sent, "the body of {what}");
            take(&reply)
        })
    }

    /// Expects `expected` next, answered with what `answer` makes of the request.
    pub fn then_with(
        self,
        expected: &str,
        answer: impl Fn(&http::Request<Bytes>) -> Reply + Send + Sync + 'static,
    ) -> Self {
        self.times(1, expected, answer)
    }

    /// Expects `expected` `n` times next (in any order among themselves, as concurrent
    /// requests come), each answered with what `answer` makes of it.
    pub fn times(
        self,
        n: usize,
        expected: &str,
        answer: impl Fn(&http::Request<Bytes>) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let answer: Answer = Arc::new(answer);
        let mut steps = self.steps.lock().unwrap();
        for _ in 0..n {
            steps.push_back(Step {
                expected: expected.to_owned(),
                answer: Arc::clone(&answer),
            });
        }
        drop(steps);
        self
    }

    /// The requests sent so far, as `METHOD /path`.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn take(reply: &Mutex<Option<Reply>>) -> Reply {
    reply.lock().unwrap().take().expect("a step answers once")
}

fn matches(expected: &str, line: &str) -> bool {
    match expected.strip_suffix('*') {
        Some(prefix) => line.starts_with(prefix),
        None => line == expected,
    }
}

impl Transport for Script {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let line = format!("{} {}", request.method(), request.uri().path());
        self.seen.lock().unwrap().push(line.clone());
        let step = self.steps.lock().unwrap().pop_front();
        let Some(step) = step else {
            panic!("unexpected request {line}: the script has no step left");
        };
        assert!(
            matches(&step.expected, &line),
            "expected {}, got {line}",
            step.expected
        );
        let reply = (step.answer)(&request);
        Box::pin(async move { reply })
    }
}

impl fmt::Debug for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Script")
            .field("seen", &self.seen())
            .finish()
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let left: Vec<String> = self
            .steps
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.expected.clone())
            .collect();
        assert!(left.is_empty(), "requests expected but not sent: {left:?}");
    }
}
