//! The fault table over every transport, the cache under concurrent stress, and the builder's
//! refusal of plain http to another host. (One test binary: one link, one run.)

use clevertim_conformance::Kind;

mod hyper_async {
    clevertim_conformance::fault_table!(super::Kind::HyperAsync);
}

mod isahc_async {
    clevertim_conformance::fault_table!(super::Kind::IsahcAsync);
}

mod hyper_blocking {
    clevertim_conformance::fault_table!(super::Kind::HyperBlocking);
}

mod isahc_blocking {
    clevertim_conformance::fault_table!(super::Kind::IsahcBlocking);
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

mod races_hyper_async {
    clevertim_conformance::race_tests!(super::Kind::HyperAsync);
}

mod races_isahc_async {
    clevertim_conformance::race_tests!(super::Kind::IsahcAsync);
}

mod races_hyper_blocking {
    clevertim_conformance::race_tests!(super::Kind::HyperBlocking);
}

mod races_isahc_blocking {
    clevertim_conformance::race_tests!(super::Kind::IsahcBlocking);
}

/// Plain http to a host that is not loopback is refused at `build()` unless allowed; loopback
/// needs no consent. (Nothing is sent: `build()` connects nowhere.)
mod insecure_http {
    use clevertim::{blocking, Backend, Session};

    const KEY: &str = "SomeApiKey0123456789abcdefghijklmnopqrstuv";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn plain_http_to_another_host_needs_consent() {
        for backend in [Backend::Hyper, Backend::Isahc] {
            let build = |endpoint: &str, allow: bool| {
                let b = Session::builder(KEY)
                    .endpoint(endpoint)
                    .backend(backend)
                    .no_proxy();
                if allow { b.allow_insecure_http() } else { b }.build()
            };
            let refused = build("http://crm.example.com/api", false).unwrap_err();
            assert!(!refused.to_string().contains(KEY), "{refused}");
            build("http://crm.example.com/api", true).unwrap();
            build("http://127.0.0.1:9/api", false).unwrap();
            build("https://crm.example.com/api", false).unwrap();

            let refused = blocking::Session::builder(KEY)
                .endpoint("http://10.1.2.3/api")
                .backend(backend)
                .no_proxy()
                .build();
            assert!(refused.is_err(), "{backend:?}: the blocking builder too");
        }
    }
}
