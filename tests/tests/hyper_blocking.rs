//! The conformance suite over `Kind::HyperBlocking`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Kind::HyperBlocking);
