//! The conformance suite over `Flavour::IsahcBlocking`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Flavour::IsahcBlocking);
