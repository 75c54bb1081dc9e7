//! Every provider through one fixture, in one test binary: the outcome table against
//! hostile servers, the wire, documented examples, tokens, redaction and each
//! provider's own rules.

mod fixtures;
mod outcomes;
mod operations;
mod tokens;
mod rules;
mod fuzz;
mod mock;
mod footprint;
