//! Reading files as they were at a git revision, with plain `git` (works offline on
//! any clone that has the revision).

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context};

/// A git repository, entered from a directory inside it.
pub struct Git {
    /// Any directory of the repository; `rev:path` paths are from its top level.
    dir: PathBuf,
}

impl Git {
    /// The repository that contains `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Fails clearly when `rev` names no commit.
    pub fn verify(&self, rev: &str) -> anyhow::Result<()> {
        self.run(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
            .map(drop)
            .with_context(|| format!("`{rev}` is not a commit in this repository (a shallow clone may need `git fetch` first)"))
    }

    /// The names in directory `dir` (from the top level) at `rev`; empty if it did not exist.
    pub fn list(&self, rev: &str, dir: &str) -> anyhow::Result<Vec<String>> {
        if !self.exists(rev, dir) {
            return Ok(Vec::new());
        }
        let listing = self.run(&["ls-tree", "--name-only", &format!("{rev}:{dir}")])?;
        Ok(listing.lines().map(str::to_string).collect())
    }

    /// The contents of `path` (from the top level) at `rev`, if it existed.
    pub fn show(&self, rev: &str, path: &str) -> anyhow::Result<Option<String>> {
        if !self.exists(rev, path) {
            return Ok(None);
        }
        self.run(&["show", &format!("{rev}:{path}")]).map(Some)
    }

    fn exists(&self, rev: &str, path: &str) -> bool {
        self.run(&["cat-file", "-e", &format!("{rev}:{path}")])
            .is_ok()
    }

    fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        let output = Command::new("git")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .context("running git")?;
        if !output.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        String::from_utf8(output.stdout).context("git printed something that is not UTF-8")
    }
}
