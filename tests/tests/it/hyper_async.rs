//! The conformance suite over `Flavour::HyperAsync`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Flavour::HyperAsync);
