//! The conformance suite over `Flavour::HyperBlocking`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Flavour::HyperBlocking);
