//! The generated public surface of every provider crate, as a reviewable snapshot: a
//! spec change shows up here as a small diff.
//!
//! The listing is what `cargo xtask surface <provider>` prints (operations with their
//! policy and auth scheme, environments, types with wire names). This crate does not
//! depend on xtask (the generator and its progenitor build stay out of the tests'
//! dependencies), so the command itself is run, exactly as a reviewer would run it.

use std::path::Path;
use std::process::Command;

/// `cargo xtask surface <provider>`'s output.
fn surface(provider: &str) -> String {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "surface", provider])
        .current_dir(payspec_tests::repo_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo xtask surface {provider}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the listing is UTF-8")
}

#[test]
fn generated_surface_of_every_provider() {
    let clients = payspec_tests::repo_root().join("clients");
    let mut providers: Vec<String> = std::fs::read_dir(&clients)
        .expect("clients/")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("src/generated.rs").is_file())
        .filter_map(|path| path.file_name().map(|name| name.to_string_lossy().into_owned()))
        .collect();
    providers.sort();
    assert!(providers.contains(&"magicpayments".to_string()));
    for provider in providers {
        let listing = surface(&provider);
        insta::with_settings!({ snapshot_path => Path::new("snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("surface_{provider}"), listing);
        });
    }
}
