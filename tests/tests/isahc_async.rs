//! The conformance suite over `Kind::IsahcAsync`.

clevertim_conformance::conformance_suite!(clevertim_conformance::Kind::IsahcAsync);
