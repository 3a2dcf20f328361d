//! The conformance suite over `Kind::HyperAsync`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Kind::HyperAsync);
