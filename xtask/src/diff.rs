//! `cargo xtask diff <git-rev>`: what the changes to `specs/*.yaml` since a git revision do to
//! users of the generated client, as a Markdown report for a reviewer.
//!
//! The old specs are read with `git show <rev>:./specs/<file>` (so nothing is checked out), the
//! new ones from the working tree. Both are run through the codegen pipeline in process
//! (`otc_codegen::generate_spec`), the public API of each generated module is read off its syn
//! tree ([`model::Api`]) and the two are compared ([`classify::compare`]): the verdict comes
//! from what the generator produces, so it cannot drift from it. The spec-level comparison
//! ([`diff_specs`]) says what was edited, located at `specs/x.yaml:LINE:COL`, and is shown next
//! to the generated-API change it explains. When a revision does not generate (an old spec that
//! predates a validation rule), that file is compared spec-level only, with a note.
//!
//! Exit code: 0 when nothing is breaking, 1 when something is, 2 on a usage, git or parse error
//! of the working tree.

pub mod classify;
mod compare;
pub mod model;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

pub use classify::{ApiChange, ApiKind};
pub use compare::{Change, Kind, diff_documents, diff_specs};
use otc_codegen::Spec;

use crate::regenerate::SPECS_DIR;

const USAGE: &str = "usage: cargo xtask diff <git-rev>";

/// The changes to one spec file.
#[derive(Debug, Clone)]
pub struct SpecDiff {
    /// `specs/modelarts.yaml`.
    pub file: String,
    /// Whether the verdicts come from the generated code (else from the spec comparison,
    /// because one side did not generate; `note` says why).
    pub generated: bool,
    pub note: Option<String>,
    /// The generated-API changes, each with the spec changes behind it.
    pub api: Vec<Entry>,
    /// Spec changes tied to no generated-API change (documentation, examples, or, when the
    /// code was not generated, all of them).
    pub other: Vec<SpecChange>,
}

/// A generated-API change and the spec changes that explain it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub change: ApiChange,
    pub spec: Vec<SpecChange>,
}

/// A spec-level change and where it is: `specs/x.yaml:12:5`, or `<rev>:specs/x.yaml:12:5` for
/// something only the old version has.
#[derive(Debug, Clone)]
pub struct SpecChange {
    pub change: Change,
    pub at: Option<String>,
}

impl SpecChange {
    /// `field added `RegisterImage request body .name`: required `string` (specs/x.yaml:70:9)`.
    pub fn describe(&self) -> String {
        let change = &self.change;
        let at = self.at.as_ref().map(|at| format!(" ({at})")).unwrap_or_default();
        format!("{} `{}`: {}{at}", change.kind, change.location, change.detail)
    }
}

impl SpecDiff {
    /// Whether anything in this file breaks callers.
    pub fn breaking(&self) -> bool {
        if self.generated {
            self.api.iter().any(|entry| entry.change.breaking)
        } else {
            self.other.iter().any(|change| change.change.breaking)
        }
    }

    /// The generated-API changes.
    pub fn changes(&self) -> impl Iterator<Item = &ApiChange> {
        self.api.iter().map(|entry| &entry.change)
    }
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
            if diffs.iter().any(SpecDiff::breaking) { 1 } else { 0 }
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
            Ok(_) => Some(git(root, &["show", &format!("{rev}:./{file}")])?),
            Err(_) => None,
        };
        let new = match new_files.contains(&name) {
            true => Some(
                std::fs::read_to_string(root.join(&file)).map_err(|error| format!("cannot read {file}: {error}"))?,
            ),
            false => None,
        };
        diffs.push(compare_texts(rev, &file, old.as_deref(), new.as_deref())?);
    }
    Ok(diffs)
}

/// Compares one spec file's text at `rev` (`old`) with the working tree's (`new`); `None` is a
/// file that does not exist on that side. Only a working-tree spec that does not load is an
/// error; an old one that does not load or generate is reported with a note.
pub fn compare_texts(rev: &str, file: &str, old: Option<&str>, new: Option<&str>) -> Result<SpecDiff, String> {
    let old_display = format!("{rev}:{file}");
    let new_spec = match new {
        Some(text) => Some(otc_codegen::load::parse(Path::new(file), text).map_err(|error| error.to_string())?),
        None => None,
    };
    let old_spec = match old.map(|text| otc_codegen::load::parse(Path::new(&old_display), text)) {
        Some(Ok(spec)) => Some(spec),
        Some(Err(error)) => {
            let note = format!(
                "The spec at `{rev}` does not load, so it cannot be compared; the working tree's \
                 version is not checked against it:\n\n```\n{}\n```",
                error.to_string().trim_end()
            );
            return Ok(SpecDiff {
                file: file.to_owned(),
                generated: false,
                note: Some(note),
                api: Vec::new(),
                other: Vec::new(),
            });
        }
        None => None,
    };
    let spec_changes: Vec<SpecChange> =
        diff_documents(old_spec.as_ref().map(|s| &s.raw), new_spec.as_ref().map(|s| &s.raw))
            .into_iter()
            .map(|change| locate(change, old_spec.as_ref(), new_spec.as_ref()))
            .collect();

    let generate = |spec: &Spec, label: &str| {
        otc_codegen::generate_spec(spec, file)
            .map(|generated| model::Api::from_file(&generated.file))
            .map_err(|error| format!("{label} does not generate:\n\n```\n{}\n```", error.to_string().trim_end()))
    };
    let module = Path::new(file).file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let apis = match (&old_spec, &new_spec) {
        (Some(old), Some(new)) => {
            match (generate(old, &format!("The spec at `{rev}`")), generate(new, "The working tree's spec")) {
                (Ok(old), Ok(new)) => Ok(classify::compare(&old, &new)),
                (Err(error), _) | (_, Err(error)) => Err(error),
            }
        }
        // A whole module comes or goes: one change, as the spec comparison words it.
        (None, Some(_)) => Ok(vec![module_change(false, &module)]),
        (Some(_), None) => Ok(vec![module_change(true, &module)]),
        (None, None) => Ok(Vec::new()),
    };
    match apis {
        Ok(changes) => {
            let (api, other) = link(changes, spec_changes);
            Ok(SpecDiff { file: file.to_owned(), generated: true, note: None, api, other })
        }
        Err(error) => Ok(SpecDiff {
            file: file.to_owned(),
            generated: false,
            note: Some(format!(
                "{error}\n\nThis file is compared spec-level only: the verdicts below come from the spec \
                 comparison, not from the generated code."
            )),
            api: Vec::new(),
            other: spec_changes,
        }),
    }
}

fn module_change(removed: bool, module: &str) -> ApiChange {
    ApiChange {
        breaking: removed,
        kind: if removed { ApiKind::ModuleRemoved } else { ApiKind::ModuleAdded },
        subject: format!("otc_client::{module}"),
        member: String::new(),
        detail: if removed { "the module and everything in it are gone".into() } else { "a new module".into() },
        used_by: Vec::new(),
        operation: None,
        wires: Vec::new(),
    }
}

/// Places a spec change: in the working tree's file, or (for what only the old one has) in the
/// old revision's.
fn locate(change: Change, old: Option<&Spec>, new: Option<&Spec>) -> SpecChange {
    let removal = matches!(
        change.kind,
        Kind::OperationRemoved
            | Kind::ParameterRemoved
            | Kind::FieldRemoved
            | Kind::BodyRemoved
            | Kind::ResponseRemoved
            | Kind::VariantRemoved
            | Kind::EnumValueRemoved
            | Kind::SpecRemoved
    );
    // The old spec was parsed as `<rev>:specs/x.yaml`, so its positions name the revision.
    let at = |spec: Option<&Spec>, pointer: &Option<String>| {
        let (spec, pointer) = (spec?, pointer.as_ref()?);
        let (position, _) = spec.locator.nearest(pointer);
        Some(format!("{}:{position}", spec.path.display()))
    };
    let located = if removal {
        at(old, &change.old_pointer).or_else(|| at(new, &change.new_pointer))
    } else {
        at(new, &change.new_pointer).or_else(|| at(old, &change.old_pointer))
    };
    SpecChange { change, at: located }
}

/// Ties each spec change to the generated-API changes it explains; returns the entries and the
/// spec changes tied to none.
fn link(changes: Vec<ApiChange>, spec_changes: Vec<SpecChange>) -> (Vec<Entry>, Vec<SpecChange>) {
    let mut used = vec![false; spec_changes.len()];
    let entries = changes
        .into_iter()
        .map(|change| {
            let mut spec: Vec<SpecChange> = Vec::new();
            for (index, spec_change) in spec_changes.iter().enumerate() {
                if relates(&change, &spec_change.change) {
                    used[index] = true;
                    // A shared component's change is found once per operation using it.
                    if !spec.iter().any(|seen| {
                        seen.at == spec_change.at
                            && seen.change.detail == spec_change.change.detail
                            && seen.change.kind == spec_change.change.kind
                    }) {
                        spec.push(spec_change.clone());
                    }
                }
            }
            Entry { change, spec }
        })
        .collect();
    let other = spec_changes.into_iter().zip(used).filter(|(_, used)| !used).map(|(change, _)| change).collect();
    (entries, other)
}

/// Whether a spec change explains a generated-API change: same operation (or an operation
/// using the changed type), same JSON name.
fn relates(api: &ApiChange, spec: &Change) -> bool {
    if matches!(spec.kind, Kind::DocsChanged | Kind::ExampleChanged) {
        return false;
    }
    let location = spec.location.as_str();
    let operations: Vec<&str> = api.operation.iter().chain(&api.used_by).map(String::as_str).collect();
    let operation = operations.iter().find(|id| location == **id || location.starts_with(&format!("{id} ")));
    if !operations.is_empty() && operation.is_none() {
        return false;
    }
    let rest = operation.map_or(location, |id| location[id.len()..].trim_start());
    // `.a.b[]{}` → `b`: the last property of the path.
    let field = rest.rsplit_once(" .").map(|(_, path)| path).or_else(|| rest.strip_prefix('.'));
    let last_field = field.map(|path| {
        let path = path.trim_end_matches(['[', ']', '{', '}']);
        path.rsplit('.').next().unwrap_or(path)
    });
    let wire = |name: &str| api.wires.iter().any(|wire| wire == name);
    match api.kind {
        ApiKind::ModuleAdded => spec.kind == Kind::SpecAdded,
        ApiKind::ModuleRemoved => spec.kind == Kind::SpecRemoved,
        ApiKind::OperationAdded | ApiKind::OperationRemoved => {
            matches!(spec.kind, Kind::OperationAdded | Kind::OperationRemoved) && rest.is_empty()
        }
        ApiKind::OperationMoved => spec.kind == Kind::OperationMoved,
        ApiKind::SetterAdded | ApiKind::SetterRemoved | ApiKind::SetterRenamed | ApiKind::SetterChanged => {
            if let Some((_, name)) = rest.split_once(" parameter ") {
                let setter: String =
                    name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
                wire(&setter) && !rest.contains(" .")
            } else {
                wire("body") && rest.starts_with("request body") && field.is_none()
            }
        }
        ApiKind::ReturnChanged => rest.starts_with("response") && field.is_none(),
        ApiKind::FieldAdded | ApiKind::FieldRemoved | ApiKind::FieldRenamed | ApiKind::FieldChanged => {
            last_field.is_some_and(wire)
        }
        ApiKind::VariantAdded | ApiKind::VariantRemoved | ApiKind::VariantChanged => match spec.kind {
            Kind::EnumValueAdded | Kind::EnumValueRemoved => {
                api.wires.iter().any(|wire| spec.detail.starts_with(&format!("`{wire}`")))
            }
            Kind::VariantAdded | Kind::VariantRemoved => true,
            _ => false,
        },
        ApiKind::VariantRenamed => matches!(spec.kind, Kind::VariantAdded | Kind::VariantRemoved),
        ApiKind::TypeRemoved | ApiKind::TypeChanged => spec.kind == Kind::TypeChanged && field.is_none(),
    }
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

/// The Markdown report: a summary line, then per changed spec a table of the generated-API
/// changes (⚠ marks a breaking one) with the spec changes behind each, then the other spec
/// changes and, separately, the example changes.
pub fn render(rev: &str, diffs: &[SpecDiff]) -> String {
    let mut breaking = 0;
    let mut other = 0;
    let mut examples = 0;
    for diff in diffs {
        for change in diff.changes() {
            if change.breaking { breaking += 1 } else { other += 1 }
        }
        for change in &diff.other {
            match (change.change.kind, diff.generated) {
                (Kind::ExampleChanged, _) => examples += 1,
                (_, false) if change.change.breaking => breaking += 1,
                (_, false) => other += 1,
                (_, true) => {}
            }
        }
    }
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
    let fallbacks = diffs.iter().filter(|diff| diff.note.is_some()).count();
    if fallbacks > 0 {
        let _ = writeln!(
            out,
            "\n{fallbacks} spec(s) could not be compared through the generated code; see the notes below."
        );
    }
    for diff in diffs.iter().filter(|diff| !diff.api.is_empty() || !diff.other.is_empty() || diff.note.is_some()) {
        let _ = write!(out, "\n### {}\n", diff.file);
        if let Some(note) = &diff.note {
            let _ = writeln!(out, "\n> **Note:** {}", note.replace('\n', "\n> "));
        }
        if !diff.api.is_empty() {
            out.push_str("\n| | generated API | change | spec change |\n|---|---|---|---|\n");
            for entry in &diff.api {
                let change = &entry.change;
                let mark = if change.breaking { "⚠" } else { "" };
                let mut item = format!("`{}{}`", change.subject, change.member);
                if !change.used_by.is_empty() {
                    let users: Vec<String> = change.used_by.iter().map(|id| format!("`{id}`")).collect();
                    let _ = write!(item, " (used by {})", users.join(", "));
                }
                let spec: Vec<String> = entry.spec.iter().map(|spec| cell(&spec.describe())).collect();
                let _ = writeln!(
                    out,
                    "| {mark} | {} | {}: {} | {} |",
                    cell(&item),
                    change.kind,
                    cell(&change.detail),
                    spec.join("<br>")
                );
            }
        }
        let (examples, rest): (Vec<&SpecChange>, Vec<&SpecChange>) =
            diff.other.iter().partition(|change| change.change.kind == Kind::ExampleChanged);
        if !rest.is_empty() {
            if diff.generated {
                out.push_str("\nOther spec changes (the generated API does not change with them):\n\n");
                for change in rest {
                    let _ = writeln!(out, "- {}", change.describe());
                }
            } else {
                out.push_str("\n| | change | where | detail |\n|---|---|---|---|\n");
                for change in rest {
                    let mark = if change.change.breaking { "⚠" } else { "" };
                    let at = change.at.as_ref().map(|at| format!(" ({at})")).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "| {mark} | {} | `{}`{} | {} |",
                        change.change.kind,
                        cell(&change.change.location),
                        cell(&at),
                        cell(&change.change.detail)
                    );
                }
            }
        }
        if !examples.is_empty() {
            out.push_str("\nExamples (informational; the golden tests replay them):\n\n");
            for change in examples {
                let at = change.at.as_ref().map(|at| format!(" ({at})")).unwrap_or_default();
                let _ = writeln!(out, "- `{}`: {}{at}", change.change.location, change.change.detail);
            }
        }
    }
    out
}

/// Keeps a value inside its table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
