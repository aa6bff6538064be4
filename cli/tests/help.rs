//! Snapshots of `otc modelarts show-notebook --help` (with its reference page line) and of
//! `otc ims create-data-image --help` (its body fields under their own heading). After a
//! deliberate change, update them with `UPDATE_SNAPSHOTS=1 cargo test -p otc-cli --test help` and
//! review the diff.

use std::path::Path;
use std::process::Command;

#[test]
fn show_notebook_help() {
    assert_help_snapshot(&["modelarts", "show-notebook", "--help"], "show-notebook-help.txt");
}

#[test]
fn create_data_image_help_lists_its_body_fields() {
    assert_help_snapshot(&["ims", "create-data-image", "--help"], "create-data-image-help.txt");
}

fn assert_help_snapshot(args: &[&str], name: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_otc")).args(args).env_clear().output().expect("otc runs");
    assert_eq!(output.status.code(), Some(0));
    let actual = String::from_utf8(output.stdout).expect("UTF-8 help");
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &actual).expect("the snapshot is written");
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).expect("the snapshot (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(actual, expected, "help changed: UPDATE_SNAPSHOTS=1 cargo test -p otc-cli --test help");
}

#[test]
fn short_help_names_the_reference_page_too() {
    let output = Command::new(env!("CARGO_BIN_EXE_otc"))
        .args(["ims", "import-image-quick", "-h"])
        .env_clear()
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    assert!(
        help.contains(
            "Reference: Importing an Image File Quickly (en-us_topic_0133188204.html, Image Management Service API reference)\n  https://github.com/opentelekomcloud-docs/image-management-service/blob/"
        ),
        "{help}"
    );
}
