//! Where things live in the repository.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The repository root and the paths derived from it.
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The workspace that contains this xtask (its parent directory), or the one
    /// `PAYSPEC_ROOT` names (tests run the command against temporary copies).
    pub fn locate() -> anyhow::Result<Self> {
        if let Some(root) = std::env::var_os("PAYSPEC_ROOT") {
            return Ok(Self::at(root));
        }
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .context("xtask has no parent directory")?
            .to_path_buf();
        Ok(Self { root })
    }

    /// A workspace rooted at `root` (used by tests on temporary copies).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Every provider with a spec, sorted: the file stems of `specs/*.yaml`.
    pub fn providers(&self) -> anyhow::Result<Vec<String>> {
        let dir = self.root.join("specs");
        let mut providers = Vec::new();
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                if let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) {
                    providers.push(stem.to_string());
                }
            }
        }
        providers.sort();
        Ok(providers)
    }

    /// Whether `clients/<provider>` is a crate yet (a spec may land before its crate).
    pub fn has_crate(&self, provider: &str) -> bool {
        self.root.join("clients").join(provider).join("Cargo.toml").is_file()
    }

    /// `specs/<provider>.yaml`.
    pub fn spec_path(&self, provider: &str) -> PathBuf {
        self.root.join("specs").join(format!("{provider}.yaml"))
    }

    /// `clients/<provider>/src/generated.rs`.
    pub fn generated_path(&self, provider: &str) -> PathBuf {
        self.root
            .join("clients")
            .join(provider)
            .join("src")
            .join("generated.rs")
    }

    /// `path` relative to the workspace root, for messages.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}
