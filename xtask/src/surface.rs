//! Surface listing.
/// Placeholder.
pub fn listing(_source: &str) -> anyhow::Result<String> { Ok(String::new()) }
