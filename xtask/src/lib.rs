//! Repository automation for payspec: turns `specs/<provider>.yaml` into
//! `clients/<provider>/src/generated.rs` with one set of generator settings, checks that
//! the checked-in output is current, and lists a generated crate's public surface.

pub mod check;
pub mod diff;
pub mod generate;
pub mod json_schema;
pub mod lint;
pub mod open_enums;
pub mod openapi_json;
pub mod policy;
pub mod scaffold;
pub mod settings;
pub mod spec;
pub mod surface;
pub mod workspace;
pub mod yaml_lines;
