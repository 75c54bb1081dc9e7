//! Items the generator writes besides progenitor's: enums, the provider wiring, the
//! operations table, pre-send checks.

pub mod checks;
pub mod enums;
pub mod operations;
pub mod provider;
pub mod types;
