//! The table itself: one row per fault and operation.

use super::*;

const OK: Outcome = Outcome::Ok;
const CONNECT: Outcome = Outcome::Transport(TransportErrorKind::Connect);
const IO: Outcome = Outcome::Transport(TransportErrorKind::Io);
const TIMEOUT: Outcome = Outcome::Transport(TransportErrorKind::Timeout);
const TOO_LARGE: Outcome = Outcome::Transport(TransportErrorKind::TooLarge);
const MALFORMED: Outcome = Outcome::Malformed;
const fn api(status: u16) -> Outcome {
    Outcome::Api(status, Wish::None)
}
const fn api_wish(status: u16, wish: Wish) -> Outcome {
    Outcome::Api(status, wish)
}

macro_rules! table {
    ($( $fault:ident { $( $op:ident => $outcome:expr, $requests:expr, $applied:ident; )* } )*) => {
        &[ $($( Row {
            fault: stringify!($fault),
            op: Op::$op,
            outcome: $outcome,
            requests: $requests,
            applied: Applied::$applied,
        }, )*)* ]
    };
}

/// The table. Reads (`load`, `all`) and the idempotent writes (`PUT`, `DELETE`) are retried
/// after a timeout, a broken connection or a 429/502/503/504; a `POST` only after a failure to
/// connect. The session retries twice (three tries), 10 ms apart and more.
pub const TABLE: &[Row] = table! {
    // Nothing ever listens: every try is refused, nothing reaches the server.
    down {
        Load => CONNECT, 0, Read;
        All => CONNECT, 0, Read;
        SaveNew => CONNECT, 0, No;
        SaveExisting => CONNECT, 0, No;
        Delete => CONNECT, 0, No;
    }
    // Refused for 300 ms, then listening: the retries of every verb get through, once.
    refused_then_up {
        Load => OK, 1, Read;
        All => OK, 1, Read;
        SaveNew => OK, 1, Yes;
        SaveExisting => OK, 1, Yes;
        Delete => OK, 1, Yes;
    }
    // Connecting times out (the accept queue is full): nothing was sent, every verb is
    // retried, every try times out.
    connect_timeout {
        Load => CONNECT, 0, Read;
        All => CONNECT, 0, Read;
        SaveNew => CONNECT, 0, No;
        SaveExisting => CONNECT, 0, No;
        Delete => CONNECT, 0, No;
    }
    // Connecting times out for 400 ms, then the server accepts: the retry of every verb, POST
    // included, gets through once.
    connect_timeout_then_up {
        Load => OK, 1, Read;
        All => OK, 1, Read;
        SaveNew => OK, 1, Yes;
        SaveExisting => OK, 1, Yes;
        Delete => OK, 1, Yes;
    }
    // Applied, then RST before the answer.
    reset_before_answer {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => IO, 1, Yes;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // Applied, head and half the body, then RST.
    reset_mid_body {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => IO, 1, Yes;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // Applied, Content-Length 64 bytes longer than the body, then FIN.
    short_body {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => IO, 1, Yes;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // Applied, half the body, then silence past the 500 ms request timeout.
    stall {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => TIMEOUT, 1, Yes;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // A 32 MiB chunked body against a 1 MiB limit: never retried.
    huge_body {
        Load => TOO_LARGE, 1, Read;
        All => TOO_LARGE, 1, Read;
        SaveNew => TOO_LARGE, 1, No;
        SaveExisting => TOO_LARGE, 1, No;
        Delete => TOO_LARGE, 1, No;
    }
    // 503 with `Retry-After: 1`, then the sandbox: the retry waits a second.
    busy_503_retry_after_1s {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => api_wish(503, Wish::Secs(1)), 1, No;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // 429 with `Retry-After` an HTTP date 2 s ahead, then the sandbox.
    slow_down_429_http_date {
        Load => OK, 2, Read;
        All => OK, 2, Read;
        SaveNew => api_wish(429, Wish::AtMost(2)), 1, No;
        SaveExisting => OK, 2, Yes;
        Delete => OK, 2, Yes;
    }
    // 503 with `Retry-After: 3600`, beyond the 60 s cap: fail at once with the wish.
    busy_503_retry_after_1h {
        Load => api_wish(503, Wish::Secs(3600)), 1, Read;
        All => api_wish(503, Wish::Secs(3600)), 1, Read;
        SaveNew => api_wish(503, Wish::Secs(3600)), 1, No;
        SaveExisting => api_wish(503, Wish::Secs(3600)), 1, No;
        Delete => api_wish(503, Wish::Secs(3600)), 1, No;
    }
    // 429 with `Retry-After: 1` against a session whose cap is 500 ms: the wish is beyond the
    // cap, so even the idempotent verbs fail at once, carrying it.
    slow_down_429_beyond_a_500ms_cap {
        Load => api_wish(429, Wish::Secs(1)), 1, Read;
        All => api_wish(429, Wish::Secs(1)), 1, Read;
        SaveNew => api_wish(429, Wish::Secs(1)), 1, No;
        SaveExisting => api_wish(429, Wish::Secs(1)), 1, No;
        Delete => api_wish(429, Wish::Secs(1)), 1, No;
    }
    // A proxy's HTML 502 page, every time: retried until the retries run out (not a POST).
    html_502 {
        Load => api(502), 3, Read;
        All => api(502), 3, Read;
        SaveNew => api(502), 1, No;
        SaveExisting => api(502), 3, No;
        Delete => api(502), 3, No;
    }
    // 302 to another listener: not followed, the other host sees nothing.
    redirect_302 {
        Load => api(302), 1, Read;
        All => api(302), 1, Read;
        SaveNew => api(302), 1, No;
        SaveExisting => api(302), 1, No;
        Delete => api(302), 1, No;
    }
    // 307 (which would repeat the method and body) to another listener: not followed either.
    redirect_307 {
        Load => api(307), 1, Read;
        All => api(307), 1, Read;
        SaveNew => api(307), 1, No;
        SaveExisting => api(307), 1, No;
        Delete => api(307), 1, No;
    }
    // A 200 whose JSON is not the envelope: malformed, never retried.
    not_an_envelope {
        Load => MALFORMED, 1, Read;
        All => MALFORMED, 1, Read;
        SaveNew => MALFORMED, 1, No;
        SaveExisting => MALFORMED, 1, No;
        Delete => MALFORMED, 1, No;
    }
    // Applied, then the answer gzip-encoded though no Accept-Encoding was sent.
    gzip_body {
        Load => MALFORMED, 1, Read;
        All => MALFORMED, 1, Read;
        SaveNew => MALFORMED, 1, Yes;
        SaveExisting => MALFORMED, 1, Yes;
        Delete => MALFORMED, 1, Yes;
    }
};
