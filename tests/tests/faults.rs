//! The fault table over every transport, the cache under concurrent stress, and the builder's
//! refusal of plain http to another host. (One test binary: one link, one run.)

use clevertim_conformance::Kind;

mod hyper_async {
    clevertim_conformance::fault_table!(super::Kind::HyperAsync);
}

mod isahc_async {
    clevertim_conformance::fault_table!(super::Kind::IsahcAsync);
}

/// The blocking flavours: the faults whose handling differs by runtime (timers, resets,
/// retries with waits, large bodies).
mod hyper_blocking {
    clevertim_conformance::fault_table!(super::Kind::HyperBlocking;
        refused_then_up,
        reset_before_answer,
        stall,
        huge_body,
        busy_503_retry_after_1s,
        redirect_302,
        gzip_body,
    );
}

mod isahc_blocking {
    clevertim_conformance::fault_table!(super::Kind::IsahcBlocking;
        refused_then_up,
        reset_before_answer,
        stall,
        huge_body,
        busy_503_retry_after_1s,
        redirect_302,
        gzip_body,
    );
}

mod stress {
    use super::Kind;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hyper_shared_cache_matches_the_server() {
        clevertim_conformance::stress::stress(Kind::HyperAsync).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn isahc_shared_cache_matches_the_server() {
        clevertim_conformance::stress::stress(Kind::IsahcAsync).await;
    }
}
