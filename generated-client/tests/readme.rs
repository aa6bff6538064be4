//! Every ```` ```rust ```` block of README.md, built as the program a user would copy.
//!
//! A reader copies a README block and the ```` ```toml ```` block before it into a new crate, so
//! that is what this test does: each `toml` block becomes a package of one scratch workspace
//! (under `CARGO_TARGET_TMPDIR`, with one target dir for all of it), each `rust` block a binary
//! (`src/bin/readme_<line>.rs`) of the package of the `toml` block before it, and the workspace
//! is built offline in test mode (`cargo test`, so a block's `#[cfg(test)]` module, with its
//! `[dev-dependencies]`, is built and run too) (the registry is cached wherever the workspace itself built). A
//! failure names the README line of each block that did not build.
//!
//! One substitution, the only difference from what the README shows: the dependency lines
//! `otc-client = "0.1"` and `otc-client-mock = "0.1"` (or `{ version = "0.1", … }`) also get
//! `path = "<that crate>"`, since the crates are not published; keeping `version` checks that
//! the README's version requirement matches the crate's. The workspace's `Cargo.lock` seeds the
//! scratch one, so the same dependency versions are built.
//!
//! Ignored by default (a cold run builds the client's dependency tree once more, about a
//! minute on two cores; warm, a few seconds); `.ci/run` runs it:
//!
//! ```sh
//! cargo test -p otc-client --test readme -- --ignored
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fenced block of README.md: its info string, the line of its opening fence, its text.
struct Block {
    info: String,
    line: usize,
    text: String,
}

fn fenced_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, Block)> = None; // (fence, info, block)
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                let fence: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
                if fence.len() >= 3 && fence.chars().all(|c| c == fence.chars().next().unwrap()) {
                    let info = trimmed[fence.len()..].trim().to_owned();
                    let block = Block { info: info.clone(), line: index + 1, text: String::new() };
                    open = Some((fence, info, block));
                }
            }
            Some((fence, _, block)) => {
                if trimmed.starts_with(fence.as_str()) && trimmed.trim_start_matches(&fence[..1]).trim().is_empty() {
                    blocks.push(open.take().unwrap().2);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "README.md ends inside a fenced block");
    blocks
}

fn language(info: &str) -> &str {
    info.split([',', ' ']).next().unwrap_or_default()
}

/// The workspace crates a README block may depend on by version, and where they are.
const LOCAL_CRATES: [(&str, &str); 2] = [("otc-client", "generated-client"), ("otc-client-mock", "mock")];

/// The `toml` block with `path = "<that crate>"` added to each dependency on a workspace crate.
fn with_path_dependency(toml: &str, root: &Path, line: usize) -> String {
    let mut found = false;
    let mut out = String::new();
    for text in toml.lines() {
        let local = text.split_once('=').and_then(|(key, value)| {
            LOCAL_CRATES.iter().find(|(name, _)| key.trim() == *name).map(|(name, dir)| (*name, *dir, value.trim()))
        });
        let rewritten = match local {
            Some((name, dir, value)) => {
                found |= name == "otc-client";
                let path = format!("path = {:?}", root.join(dir).display().to_string());
                if let Some(rest) = value.strip_prefix('{') {
                    format!("{name} = {{ {path},{rest}")
                } else {
                    assert!(value.starts_with('"'), "README.md:{line}: {name} = {value}: expected a version");
                    format!("{name} = {{ version = {value}, {path} }}")
                }
            }
            None => text.to_owned(),
        };
        out.push_str(&rewritten);
        out.push('\n');
    }
    assert!(found, "README.md:{line}: the toml block has no `otc-client = …` dependency");
    out
}

#[test]
#[ignore = "builds each README example as a scratch crate (slow when cold); .ci/run runs it with --ignored"]
fn readme_rust_blocks_build_as_complete_programs() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.parent().expect("the workspace root");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme");

    // Packages: one per toml block, with the rust blocks after it as binaries.
    let mut packages: Vec<(usize, String, Vec<Block>)> = Vec::new();
    let mut problems = Vec::new();
    for block in fenced_blocks(&readme) {
        match language(&block.info) {
            "toml" if block.text.contains("[dependencies]") => {
                let manifest = with_path_dependency(&block.text, root, block.line);
                packages.push((block.line, manifest, Vec::new()));
            }
            // `rust,no_run` and `rust,ignore` too: every Rust block a reader sees must build.
            "rust" => {
                if let Some(hidden) = block.text.lines().position(|line| line == "#" || line.starts_with("# ")) {
                    problems.push(format!(
                        "README.md:{}: a rustdoc hidden line (`# …`) shows literally on a forge; write the whole program",
                        block.line + 1 + hidden
                    ));
                }
                if !block.text.contains("fn main(") {
                    problems
                        .push(format!("README.md:{}: no `fn main`: a README example is a whole program", block.line));
                }
                match packages.last_mut() {
                    Some((_, _, bins)) => bins.push(block),
                    None => problems
                        .push(format!("README.md:{}: no ```toml [dependencies] block before this example", block.line)),
                }
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let examples: usize = packages.iter().map(|(_, _, bins)| bins.len()).sum();
    assert!(examples > 0, "README.md has no ```rust block");

    // The scratch workspace, rewritten from scratch each run (the target dir stays).
    let mut members = String::new();
    for (line, manifest, bins) in &packages {
        if bins.is_empty() {
            continue;
        }
        let name = format!("readme-deps-{line}");
        let dir = scratch.join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/bin")).unwrap();
        let package = format!(
            "# Generated by generated-client/tests/readme.rs from README.md:{line}.\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{manifest}"
        );
        std::fs::write(dir.join("Cargo.toml"), package).unwrap();
        for bin in bins {
            std::fs::write(dir.join(format!("src/bin/readme_{}.rs", bin.line)), &bin.text).unwrap();
        }
        write!(members, "{name:?}, ").unwrap();
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{members}]\n\n[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
        ),
    )
    .unwrap();
    // The workspace's lock seeds the scratch one: the same versions, resolved offline.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        // Test mode: a block's `#[cfg(test)]` module, with the `[dev-dependencies]` of its toml
        // block, is built and run too (the mock-server example, on loopback); the programs
        // themselves are built, not run.
        .args(["test", "--offline", "--workspace", "--bins", "--message-format", "short"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .expect("cargo runs");
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Name the README block of each failing binary.
        let mut failing: Vec<String> = Vec::new();
        for (_, _, bins) in &packages {
            for bin in bins {
                if stderr.contains(&format!("readme_{}", bin.line)) {
                    failing.push(format!("the block at README.md:{}", bin.line));
                }
            }
        }
        panic!(
            "README examples do not build as copied ({}; scratch workspace {}):\n{}",
            if failing.is_empty() { "see below".to_owned() } else { failing.join(", ") },
            scratch.display(),
            in_readme_lines(&stderr)
        );
    }
    println!("{examples} README examples built ({})", scratch.display());
}

/// `readme-deps-100/src/bin/readme_107.rs:3:5: error…` → `README.md:110:5: error…` (the block's
/// first line is the one after its fence), so a failure points into the README.
fn in_readme_lines(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        let rewritten = (|| {
            let start = line.find("readme_")?;
            let file_start = line[..start].rfind(|c: char| c.is_whitespace()).map_or(0, |space| space + 1);
            let rest = &line[start + "readme_".len()..];
            let (fence, rest) = rest.split_once(".rs:")?;
            let fence: usize = fence.parse().ok()?;
            let (row, rest) = rest.split_once(':')?;
            let row: usize = row.parse().ok()?;
            Some(format!("{}README.md:{}:{rest}", &line[..file_start], fence + row))
        })();
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}
