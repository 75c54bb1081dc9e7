//! Repository automation for payspec: turns `specs/<provider>.yaml` into
//! `clients/<provider>/src/generated.rs` with one set of generator settings, checks that
//! the checked-in output is current, and lists a generated crate's public surface.

pub mod check;
pub mod diff;
#[allow(missing_docs)]
pub mod emit;
pub mod generate;
pub mod lint;
#[allow(missing_docs)]
pub mod model;
pub mod prepare;
pub mod rewrite;
pub mod scaffold;
pub mod settings;
pub mod spec;
pub mod surface;
pub mod workspace;
pub mod yaml_lines;
