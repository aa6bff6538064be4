//! `otc completions SHELL` prints a completion script built from the same command tree.

use std::process::Command;

fn completions(shell: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_otc")).args(["completions", shell]).env_clear().output().expect("otc runs")
}

#[test]
fn the_bash_script_completes_real_operations_and_flags() {
    let output = completions("bash");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let script = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(script.contains("complete -F _otc"), "registers a bash completion function");
    // An operation subcommand, a parameter flag with its leading underscores, and its values.
    assert!(script.contains("glance-list-images"), "names an operation");
    assert!(script.contains("--__imagetype"), "names a parameter flag");
    assert!(script.contains("show-notebook"), "names a ModelArts operation");
    assert!(script.contains("--image-id"), "names a path parameter's flag");
}

#[test]
fn every_shell_gets_a_script_naming_an_operation() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = completions(shell);
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", String::from_utf8_lossy(&output.stderr));
        let script = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(script.contains("glance-list-images"), "{shell}: no operation in the script");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = completions("tcsh");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

/// Runs the generated bash completion function on `words` (the last one being completed) and
/// returns what it offers.
fn bash_completes(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let current = words.len() - 1;
    let program = format!(
        "source {}; COMP_WORDS=({}); COMP_CWORD={current}; COMP_LINE=\"{}\"; COMP_POINT=${{#COMP_LINE}}; \
         _otc otc {} {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.join(" "),
        words.join(" "),
        words[current],
        words[current - 1],
    );
    let output = Command::new("bash").args(["--noprofile", "--norc", "-c", &program]).output().expect("bash runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8").lines().map(str::to_owned).collect()
}

#[test]
fn bash_completes_an_operation_and_an_underscored_flag() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let script = dir.path().join("otc.bash");
    std::fs::write(&script, completions("bash").stdout).expect("written");
    let operations = bash_completes(&script, &["otc", "ims", "glance-list-im"]);
    assert!(operations.contains(&"glance-list-images".to_owned()), "{operations:?}");
    assert!(operations.iter().all(|word| word.starts_with("glance-list-im")), "{operations:?}");
    let flags = bash_completes(&script, &["otc", "ims", "glance-list-images", "--__im"]);
    assert_eq!(flags, ["--__imagetype"]);
}
