//! The conformance suite over `Kind::IsahcBlocking`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Kind::IsahcBlocking);
