//! The fault table over every transport, the cache under concurrent stress, and the builder's
//! refusal of plain http to another host. (One test binary: one link, one run.)

use clevertim_conformance::Flavour;

mod hyper_async {
    clevertim_conformance::fault_table!(super::Flavour::HyperAsync);
}

mod isahc_async {
    clevertim_conformance::fault_table!(super::Flavour::IsahcAsync);
}

mod hyper_blocking {
    clevertim_conformance::fault_table!(super::Flavour::HyperBlocking);
}

mod isahc_blocking {
    clevertim_conformance::fault_table!(super::Flavour::IsahcBlocking);
}

mod stress {
    use super::Flavour;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hyper_shared_cache_matches_the_server() {
        clevertim_conformance::stress::stress(Flavour::HyperAsync).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn isahc_shared_cache_matches_the_server() {
        clevertim_conformance::stress::stress(Flavour::IsahcAsync).await;
    }
}

mod races_hyper_async {
    clevertim_conformance::race_tests!(super::Flavour::HyperAsync);
}

mod races_isahc_async {
    clevertim_conformance::race_tests!(super::Flavour::IsahcAsync);
}

mod races_hyper_blocking {
    clevertim_conformance::race_tests!(super::Flavour::HyperBlocking);
}

mod races_isahc_blocking {
    clevertim_conformance::race_tests!(super::Flavour::IsahcBlocking);
}

/// Plain http to a host that is not loopback is refused at `build()` unless allowed; loopback
/// needs no consent. (Nothing is sent: `build()` connects nowhere.)
mod insecure_http {
    use clevertim::{Backend, Session, blocking};

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
