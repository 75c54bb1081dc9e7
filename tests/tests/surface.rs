//! The generated public surface of every provider crate, as a reviewable snapshot: a
//! spec change shows up here as a small diff.

use std::path::Path;

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
        let source = std::fs::read_to_string(clients.join(&provider).join("src/generated.rs"))
            .expect("generated.rs");
        let listing = xtask::surface::listing(&source).expect("listing");
        insta::with_settings!({ snapshot_path => Path::new("snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("surface_{provider}"), listing);
        });
    }
}
