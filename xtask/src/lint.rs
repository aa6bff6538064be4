//! `cargo xtask lint [--verbose] [SPEC...]`: checks the house rules of `specs/CONVENTIONS.md`
//! (drawn from OTC's API-spec checklist) that need no reference page, and prints compiler-style
//! findings first, then one count line:
//!
//! ```text
//! specs/x.yaml:27:7 operation-summary error: the operation has no summary
//! 1 error, 0 warnings, 1 accepted (--verbose lists them)
//! ```
//!
//! With `--verbose` the accepted findings follow the others, each with the notes accepting it:
//!
//! ```text
//! specs/x.yaml:457:9 snake-case accepted: property name `__os_version` is not snake_case
//!     note: The reference spells this Glance extension field with two leading underscores; ...
//! ```
//!
//! A finding is *accepted* (counted, listed with `--verbose`, no error) when the spec explains it: example findings
//! through `x-reference-notes` (see `otc_codegen::conformance`), any other finding through
//! `x-lint-accept: [rule-id]` plus an `x-reference-notes` sentence on the node it is about.
//! Exit code: 1 if any error, 2 if a spec cannot be read or parsed (or bad usage), else 0.

mod rules;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use otc_codegen::Locator;
use serde_json::Value;

/// How much a rule's finding matters: errors fail the run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One house rule.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// What the rule asks for, in one line.
    pub asks: &'static str,
}

/// Every rule, in the order they are checked. Warnings are for what may be right anyway (a page
/// without an example) or is harmless (a component nobody uses).
pub const RULES: &[Rule] = &[
    rule("operation-id", Severity::Error, "every operation has an operationId, unique and PascalCase"),
    rule("operation-summary", Severity::Error, "every operation has a one-line summary"),
    rule("operation-tags", Severity::Error, "every operation has tags, each declared in the top-level `tags`"),
    rule("operation-reference", Severity::Error, "externalDocs.url names the reference page file (`*.html`)"),
    rule("request-example", Severity::Warning, "a POST/PUT/PATCH request body has a named example"),
    rule("response-example", Severity::Warning, "a success (2xx) response with a body has a named example"),
    rule("example-schema", Severity::Error, "every example validates against its schema"),
    rule("snake-case", Severity::Error, "path/query parameter and property names are snake_case"),
    rule("security-declared", Severity::Error, "top-level `security` is set and names declared schemes"),
    rule("error-responses", Severity::Error, "4xx/5xx responses use the shared error response and schema"),
    rule("unused-component", Severity::Warning, "every component is referenced"),
    rule("lint-accept", Severity::Warning, "every `x-lint-accept` names a rule that fires on its node"),
];

const fn rule(id: &'static str, severity: Severity, asks: &'static str) -> Rule {
    Rule { id, severity, asks }
}

/// The severity of the rule `id`; panics on an id not in [`RULES`] (a bug in this module).
fn severity_of(id: &str) -> Severity {
    RULES.iter().find(|rule| rule.id == id).map(|rule| rule.severity).expect("a rule of RULES")
}

/// One finding of one rule, at one node of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    /// JSON pointer of the node the finding is about (`""` for the document).
    pub pointer: String,
    pub message: String,
    /// The `x-reference-notes` explaining it; a finding with notes is accepted, not counted.
    pub accepted_by: Option<Vec<String>>,
}

impl Finding {
    fn new(rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { rule, pointer: pointer.into(), message: message.into(), accepted_by: None }
    }

    pub fn severity(&self) -> Severity {
        severity_of(self.rule)
    }

    /// `error`, `warning` or `accepted`, as printed.
    pub fn label(&self) -> &'static str {
        match (&self.accepted_by, self.severity()) {
            (Some(_), _) => "accepted",
            (None, Severity::Error) => "error",
            (None, Severity::Warning) => "warning",
        }
    }
}

/// The findings of one spec, with where its nodes are for locating them.
#[derive(Debug)]
pub struct Linted {
    /// How the file is named in the output (`specs/ims.yaml`).
    pub display: String,
    /// Built once while the spec was parsed: placing a finding is a lookup, not a scan.
    pub locator: Locator,
    /// Unaccepted findings first, then accepted ones; each group in document order.
    pub findings: Vec<Finding>,
}

impl Linted {
    /// How many findings carry `label` (`error`, `warning` or `accepted`).
    pub fn count(&self, label: &str) -> usize {
        self.findings.iter().filter(|finding| finding.label() == label).count()
    }

    /// One line per finding: `file:LINE:COL rule label: message`. A node the text does not
    /// show (a missing member, a node copied by an alias) is placed at its nearest ancestor (at
    /// worst 1:1) and its pointer appended.
    pub fn render(&self, finding: &Finding) -> String {
        let (otc_codegen::Position { line, column }, exact) = self.locator.nearest(&finding.pointer);
        let mut out =
            format!("{}:{line}:{column} {} {}: {}", self.display, finding.rule, finding.label(), finding.message);
        if !exact {
            let _ = write!(out, " (at #{})", finding.pointer);
        }
        for note in finding.accepted_by.iter().flatten() {
            let _ = write!(out, "\n    note: {note}");
        }
        out
    }
}

/// Lints the spec text of `display` (a path, used only in messages). Fails with a message
/// naming the file when the text is no OpenAPI 3.0 document.
pub fn lint_text(display: &str, text: &str) -> Result<Linted, String> {
    let spec = otc_codegen::load::parse(Path::new(display), text).map_err(|error| error.to_string())?;
    let mut findings = rules::check(&spec.raw);
    findings.sort_by_cached_key(|finding| (finding.accepted_by.is_some(), spec.locator.nearest(&finding.pointer).0));
    Ok(Linted { display: display.to_owned(), locator: spec.locator, findings })
}

/// Reads and lints the spec at `path`, naming it `display`.
pub fn lint_file(path: &Path, display: &str) -> Result<Linted, String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("error: {display}: cannot read the spec: {error}"))?;
    lint_text(display, &text)
}

/// The report of a run: unaccepted findings of every spec, then (with `verbose`) the accepted
/// ones with their notes, then the count line.
pub fn report(linted: &[Linted], verbose: bool) -> String {
    let [errors, warnings, accepted] =
        ["error", "warning", "accepted"].map(|label| linted.iter().map(|spec| spec.count(label)).sum::<usize>());
    let mut out = String::new();
    for accepted_pass in [false, true].into_iter().filter(|pass| verbose || !pass) {
        for spec in linted {
            for finding in spec.findings.iter().filter(|finding| finding.accepted_by.is_some() == accepted_pass) {
                let _ = writeln!(out, "{}", spec.render(finding));
            }
        }
    }
    let hint = if accepted > 0 && !verbose { " (--verbose lists them)" } else { "" };
    let _ = writeln!(out, "{}, {}, {accepted} accepted{hint}", plural(errors, "error"), plural(warnings, "warning"));
    out
}

const USAGE: &str = "usage: cargo xtask lint [--verbose] [SPEC...]";

/// Runs the command; returns the process exit code.
pub fn run(root: &Path, args: &[&str]) -> i32 {
    let verbose = args.iter().any(|arg| ["--verbose", "-v"].contains(arg));
    let args: Vec<&str> = args.iter().copied().filter(|arg| !["--verbose", "-v"].contains(arg)).collect();
    if let Some(flag) = args.iter().find(|arg| arg.starts_with('-')) {
        eprintln!("cargo xtask lint: unknown option `{flag}`\n{USAGE}");
        return 2;
    }
    let specs: Vec<PathBuf> = if args.is_empty() {
        match crate::regenerate::spec_files(root) {
            Ok(specs) => specs.iter().map(|spec| root.join(spec)).collect(),
            Err(error) => {
                eprintln!("error: cannot list {}/: {error}", crate::regenerate::SPECS_DIR);
                return 2;
            }
        }
    } else {
        // Relative paths are read from the working directory, or else from the root.
        let resolve = |path: PathBuf| if path.is_relative() && !path.exists() { root.join(path) } else { path };
        args.iter().map(|arg| resolve(PathBuf::from(arg))).collect()
    };
    let mut unreadable = false;
    let mut linted = Vec::new();
    for path in &specs {
        let display = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        match lint_file(path, &display) {
            Ok(spec) => linted.push(spec),
            Err(message) => {
                eprintln!("{message}");
                unreadable = true;
            }
        }
    }
    print!("{}", report(&linted, verbose));
    if unreadable {
        2
    } else if linted.iter().any(|spec| spec.count("error") > 0) {
        1
    } else {
        0
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// The `x-reference-notes` of a node, if it has any.
fn notes(node: &Value) -> Option<Vec<String>> {
    let notes: Vec<String> =
        node.get("x-reference-notes")?.as_array()?.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    (!notes.is_empty()).then_some(notes)
}
