//! `payspec`.
fn main() {}
