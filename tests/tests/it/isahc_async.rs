//! The conformance suite over `Flavour::IsahcAsync`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Flavour::IsahcAsync);
