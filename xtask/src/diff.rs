//! `cargo xtask diff <git-rev>`: what the changes to `specs/*.yaml` since a git revision do to
//! users of the generated client, as a Markdown report for a reviewer.
//!
//! The old specs are read with `git show <rev>:./specs/<file>` (so nothing is checked out), the
//! new ones from the working tree. The comparison itself is [`diff_specs`], a pure function on
//! the raw trees; this module adds git, parsing and the report.
//!
//! Exit code: 0 when nothing is breaking, 1 when something is, 2 on a usage, git or parse error.

mod compare;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

pub use compare::{Change, Kind, diff_documents, diff_specs};

use crate::regenerate::SPECS_DIR;

const USAGE: &str = "usage: cargo xtask diff <git-rev>";

/// The changes to one spec file.
#[derive(Debug, Clone)]
pub struct SpecDiff {
    /// `specs/modelarts.yaml`.
    pub file: String,
    pub changes: Vec<Change>,
}

/// Runs the command; returns the process exit code.
pub fn run(root: &Path, args: &[&str]) -> i32 {
    let rev = match args {
        [rev] if !rev.starts_with('-') => *rev,
        _ => {
            eprintln!("{USAGE}");
            return 2;
        }
    };
    match compare(root, rev) {
        Ok(diffs) => {
            print!("{}", render(rev, &diffs));
            if diffs.iter().flat_map(|diff| &diff.changes).any(|change| change.breaking) { 1 } else { 0 }
        }
        Err(message) => {
            eprintln!("cargo xtask diff: {message}");
            2
        }
    }
}

/// Compares every spec at `rev` with the working tree under `root`; one entry per file that
/// exists on either side, sorted by name.
pub fn compare(root: &Path, rev: &str) -> Result<Vec<SpecDiff>, String> {
    match git(root, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]) {
        Ok(_) => {}
        Err(Git::Failed(_)) => {
            return Err(format!("`{rev}` is not a commit of the git repository at {}", root.display()));
        }
        Err(error) => return Err(error.to_string()),
    }
    let listing = git(root, &["ls-tree", "--name-only", rev, "--", &format!("{SPECS_DIR}/")])?;
    let mut old_files: Vec<String> = listing
        .lines()
        .filter_map(|line| line.strip_prefix(&format!("{SPECS_DIR}/")))
        .filter(|name| name.ends_with(".yaml") && !name.contains('/'))
        .map(str::to_owned)
        .collect();
    let new_paths =
        crate::regenerate::spec_files(root).map_err(|error| format!("cannot list {SPECS_DIR}/: {error}"))?;
    let new_files: Vec<String> =
        new_paths.iter().filter_map(|path| path.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();

    let mut names = old_files.clone();
    names.extend(new_files.iter().cloned());
    names.sort();
    names.dedup();
    old_files.sort();

    let mut diffs = Vec::new();
    for name in names {
        let file = format!("{SPECS_DIR}/{name}");
        let old = match old_files.binary_search(&name) {
            Ok(_) => {
                let text = git(root, &["show", &format!("{rev}:./{file}")])?;
                Some(parse(&format!("{rev}:{file}"), &text)?)
            }
            Err(_) => None,
        };
        let new = match new_files.contains(&name) {
            true => {
                let text = std::fs::read_to_string(root.join(&file))
                    .map_err(|error| format!("cannot read {file}: {error}"))?;
                Some(parse(&file, &text)?)
            }
            false => None,
        };
        diffs.push(SpecDiff { changes: diff_documents(old.as_ref(), new.as_ref()), file });
    }
    Ok(diffs)
}

fn parse(display: &str, text: &str) -> Result<serde_json::Value, String> {
    otc_codegen::load::parse(Path::new(display), text).map(|spec| spec.raw).map_err(|error| error.to_string())
}

/// Why a git command gave no usable output.
#[derive(Debug)]
enum Git {
    /// git could not be started (not installed, not on `PATH`).
    Missing(std::io::Error),
    /// git ran and failed: the command and its complaint.
    Failed(String),
}

impl std::fmt::Display for Git {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Git::Missing(error) => write!(f, "cannot run git: {error}"),
            Git::Failed(message) => f.write_str(message),
        }
    }
}

impl From<Git> for String {
    fn from(error: Git) -> String {
        error.to_string()
    }
}

/// Runs `git -C root <args>`; stdout on success.
fn git(root: &Path, args: &[&str]) -> Result<String, Git> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().map_err(Git::Missing)?;
    let command = format!("git {}", args.join(" "));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = if stderr.trim().is_empty() { output.status.to_string() } else { stderr.trim().to_owned() };
        return Err(Git::Failed(format!("`{command}` failed: {reason}")));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| Git::Failed(format!("`{command}` printed something that is not UTF-8")))
}

/// The Markdown report: a summary line, then per changed spec a table (⚠ marks a breaking
/// change) and, separately, the example changes.
pub fn render(rev: &str, diffs: &[SpecDiff]) -> String {
    let all = || diffs.iter().flat_map(|diff| &diff.changes);
    let breaking = all().filter(|change| change.breaking).count();
    let examples = all().filter(|change| change.kind == Kind::ExampleChanged).count();
    let other = all().count() - breaking - examples;

    let mut out = format!("## Spec changes since `{rev}`\n\n");
    let mark = if breaking > 0 { "⚠ " } else { "" };
    let _ = write!(out, "{mark}**{breaking} breaking**, {other} non-breaking");
    match examples {
        0 => out.push_str(".\n"),
        1 => out.push_str(" (and 1 example change, informational).\n"),
        count => {
            let _ = writeln!(out, " (and {count} example changes, informational).");
        }
    }
    for diff in diffs.iter().filter(|diff| !diff.changes.is_empty()) {
        let _ = write!(out, "\n### {}\n", diff.file);
        let (examples, rows): (Vec<&Change>, Vec<&Change>) =
            diff.changes.iter().partition(|change| change.kind == Kind::ExampleChanged);
        if !rows.is_empty() {
            out.push_str("\n| | change | where | detail |\n|---|---|---|---|\n");
            for change in rows {
                let mark = if change.breaking { "⚠" } else { "" };
                let _ = writeln!(
                    out,
                    "| {mark} | {} | `{}` | {} |",
                    change.kind,
                    cell(&change.location),
                    cell(&change.detail)
                );
            }
        }
        if !examples.is_empty() {
            out.push_str("\nExamples (informational; the golden tests replay them):\n\n");
            for change in examples {
                let _ = writeln!(out, "- `{}`: {}", change.location, change.detail);
            }
        }
    }
    out
}

/// Keeps a value inside its table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
