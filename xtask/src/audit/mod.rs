//! `cargo xtask audit [--reference DIR] [--format text|markdown|github] [--verbose] [SPEC...]`:
//! compares each spec operation with the HTML reference page it names, so a reviewer sees that
//! a spec matches its page without reading the page. Prints the unaccepted differences first,
//! each at the `specs/x.yaml:LINE:COL` of the node it is about, then one count line (see
//! `report`; `github` for annotations); accepted differences, notes and the per-operation report
//! only with `--verbose`. Exit code 0 when every difference is accepted by an
//! `x-reference-notes`, 1 otherwise, 2 on usage or I/O errors.
//!
//! Pipeline: `html` parses a page (with `dom` helpers, `cell` for Description cells and
//! `example` for `<pre>` bodies) into a `page::Page`; `compare` sets it against the operation
//! (with `types` for the Type column) into `difference::Difference`s, each with the JSON pointer
//! of its node; `report` and `github` render them. Run over all specs, it also checks with
//! `completeness` that every operation page of the reference's manifest is covered or skipped
//! with a reason.

mod cell;
mod compare;
pub mod completeness;
pub mod difference;
mod dom;
mod example;
pub mod github;
mod html;
pub mod page;
pub mod report;
mod types;
pub mod upstream;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use otc_codegen::tree;

pub use difference::{Difference, Kind};
pub use page::Page;

const USAGE: &str = "usage: cargo xtask audit [--reference DIR | --upstream DIR] [--format text|markdown|github] \
                     [--verbose] [SPEC...]";

/// How the audit is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style lines, `specs/x.yaml:LINE:COL kind error: …`, then a count (the default).
    Text,
    /// A short Markdown table for a PR comment, then a count (`report::markdown`).
    Markdown,
    /// GitHub Actions workflow annotations (`github`).
    Github,
}

/// One operation, audited.
#[derive(Debug, Clone)]
pub struct OperationAudit {
    pub operation_id: String,
    /// Uppercase (`POST`).
    pub method: String,
    pub path: String,
    /// JSON pointer of the operation (`/paths/~1v1~1images/post`).
    pub pointer: String,
    /// The page compared with, relative to the reference folder (`seeds/ims-....html`).
    pub page: Option<String>,
    pub differences: Vec<Difference>,
    /// What could not be compared, and how ambiguous parts were paired.
    pub notes: Vec<String>,
}

/// One spec, audited.
#[derive(Debug, Clone, Default)]
pub struct SpecAudit {
    /// How the spec is named in the report (`specs/ims.yaml`).
    pub display: String,
    /// The service, the spec's file stem (`ims`).
    pub service: String,
    /// Where the spec's nodes are, to place each difference at `file:LINE:COL` (empty for a
    /// document audited without its text: everything at 1:1).
    pub locator: otc_codegen::Locator,
    pub operations: Vec<OperationAudit>,
    /// Pages that could not be found or read, each naming the file.
    pub errors: Vec<String>,
}

impl SpecAudit {
    pub fn differences(&self) -> impl Iterator<Item = &Difference> {
        self.operations.iter().flat_map(|operation| &operation.differences)
    }

    pub fn unaccepted(&self) -> usize {
        self.differences().filter(|difference| !difference.is_accepted()).count()
    }

    pub fn accepted(&self) -> usize {
        self.differences().filter(|difference| difference.is_accepted()).count()
    }

    /// `specs/x.yaml:LINE:COL` of the node at `pointer`, and whether the text shows that node
    /// itself (otherwise the position is its nearest ancestor's).
    pub fn place(&self, pointer: &str) -> (String, bool) {
        let (position, exact) = self.locator.nearest(pointer);
        (format!("{}:{position}", self.display), exact)
    }
}

/// What one run of the audit found: the specs, and how they cover the reference (when all of
/// them were audited and the reference has a manifest).
#[derive(Debug, Default)]
pub struct Audit {
    pub specs: Vec<SpecAudit>,
    pub coverage: Option<completeness::Coverage>,
}

impl Audit {
    /// Unaccepted differences and coverage problems: what fails the run.
    pub fn failing(&self) -> usize {
        self.specs.iter().map(SpecAudit::unaccepted).sum::<usize>()
            + self.coverage.as_ref().map_or(0, |coverage| coverage.errors.len())
    }

    /// The audited spec of `service`, if any (where a coverage problem is placed).
    pub fn spec(&self, service: &str) -> Option<&SpecAudit> {
        self.specs.iter().find(|spec| spec.service == service)
    }

    /// `file:LINE:COL` of a coverage problem: in its service's spec, or `specs` for the manifest.
    pub fn place(&self, problem: &completeness::Problem) -> String {
        match self.spec(&problem.service) {
            Some(spec) => spec.place(&problem.pointer).0,
            None => crate::regenerate::SPECS_DIR.to_owned(),
        }
    }
}

/// Runs the command; returns the process exit code.
pub fn run(root: &Path, args: &[&str]) -> i32 {
    let options = upstream::take_option(args).and_then(|(upstream, rest)| {
        take_flags(&rest).map(|(format, verbose, rest)| (upstream, format, verbose, rest))
    });
    let (upstream, format, verbose, rest) = match options {
        Ok(options) => options,
        Err(message) => {
            eprintln!("cargo xtask audit: {message}\n{USAGE}");
            return 2;
        }
    };
    // `--upstream DIR`: the locked pages of DIR rendered into a temporary folder, audited as
    // `--reference` would be.
    let rendered = match upstream {
        None => None,
        Some(dir) => {
            let rendered = upstream::Rendered::new()
                .and_then(|rendered| Ok((upstream::python(root, true)?, rendered)))
                .and_then(|(python, rendered)| upstream::render(root, &dir, &rendered.0, &python).map(|()| rendered));
            match rendered {
                Ok(rendered) => Some(rendered),
                Err(message) => {
                    eprintln!("error: {message}");
                    return 2;
                }
            }
        }
    };
    let reference = rendered.as_ref().map(|rendered| rendered.0.to_string_lossy().into_owned());
    let mut args: Vec<&str> = reference.iter().flat_map(|dir| ["--reference", dir.as_str()]).collect();
    args.extend(rest);
    run_reference(root, &args, format, verbose)
}

/// Takes `--format FORMAT` (or `--format=FORMAT`) and `--verbose` out of the arguments.
pub fn take_flags<'a>(args: &[&'a str]) -> Result<(Format, bool, Vec<&'a str>), String> {
    let (mut format, mut verbose) = (Format::Text, false);
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match *arg {
            "--verbose" | "-v" => {
                verbose = true;
                continue;
            }
            "--format" => Some(*args.next().ok_or("`--format` needs a value")?),
            other => other.strip_prefix("--format="),
        };
        match value {
            Some("text") => format = Format::Text,
            Some("markdown") => format = Format::Markdown,
            Some("github") => format = Format::Github,
            Some(other) => return Err(format!("unknown format `{other}` (text, markdown or github)")),
            None => rest.push(*arg),
        }
    }
    Ok((format, verbose, rest))
}

fn run_reference(root: &Path, args: &[&str], format: Format, verbose: bool) -> i32 {
    let (reference, specs) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("cargo xtask audit: {message}\n{USAGE}");
            return 2;
        }
    };
    let reference = match reference_dir(root, reference) {
        Ok(reference) => reference,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let whole_reference = specs.is_empty();
    let specs: Vec<PathBuf> = if specs.is_empty() {
        match crate::regenerate::spec_files(root) {
            Ok(specs) => specs.iter().map(|spec| root.join(spec)).collect(),
            Err(error) => {
                eprintln!("error: cannot list {}/: {error}", root.join(crate::regenerate::SPECS_DIR).display());
                return 2;
            }
        }
    } else {
        specs
    };
    // Spec and page errors: on stderr, and as annotations in the GitHub format.
    let mut errors = Vec::new();
    let mut audit = Audit::default();
    let mut raws = std::collections::BTreeMap::new();
    for path in &specs {
        let display = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        match otc_codegen::load::load(path) {
            Ok(spec) => {
                let service = spec.name();
                let audited = audit_located(&display, &service, &spec.raw, spec.locator, &reference);
                errors.extend(audited.errors.iter().map(|error| (display.clone(), error.clone())));
                raws.insert(service, spec.raw);
                audit.specs.push(audited);
            }
            Err(error) => errors.push((display, error.to_string())),
        }
    }
    if whole_reference {
        audit.coverage = completeness::check(&reference, &raws);
    }
    match format {
        Format::Text => print!("{}", report::text(&audit, verbose)),
        Format::Markdown => print!("{}", report::markdown(&audit, verbose)),
        Format::Github => print!("{}", github::render(&audit)),
    }
    for (display, error) in &errors {
        match format {
            Format::Github => println!("{}", github::error(display, error)),
            _ => eprintln!("error: {error}"),
        }
    }
    if !errors.is_empty() {
        2
    } else if audit.failing() > 0 {
        1
    } else {
        0
    }
}

fn parse_args(args: &[&str]) -> Result<(Option<PathBuf>, Vec<PathBuf>), String> {
    let mut reference = None;
    let mut specs = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if *arg == "--reference" {
            let dir = rest.next().ok_or("`--reference` needs a directory")?;
            reference = Some(PathBuf::from(dir));
        } else if let Some(dir) = arg.strip_prefix("--reference=") {
            reference = Some(PathBuf::from(dir));
        } else if arg.starts_with('-') {
            return Err(format!("unknown option `{arg}`"));
        } else {
            specs.push(PathBuf::from(arg));
        }
    }
    Ok((reference, specs))
}

/// The given folder, or `<root>/../shared/reference` when it exists.
fn reference_dir(root: &Path, given: Option<PathBuf>) -> Result<PathBuf, String> {
    match given {
        Some(dir) if dir.is_dir() => Ok(dir),
        Some(dir) => Err(format!("reference folder {} does not exist", dir.display())),
        None => {
            let default = root.join("..").join("shared").join("reference");
            if default.is_dir() {
                Ok(default)
            } else {
                Err(format!(
                    "no reference pages at {}; pass `--reference DIR` pointing at a doc-exports checkout \
                     (or a folder with `seeds/` and `<service>/` pages)",
                    default.display()
                ))
            }
        }
    }
}

/// Loads the spec at `path` (named `display` in messages) and audits it.
pub fn audit_file(path: &Path, display: &str, reference: &Path) -> Result<SpecAudit, String> {
    let spec = otc_codegen::load::load(path).map_err(|error| error.to_string())?;
    Ok(audit_located(display, &spec.name(), &spec.raw, spec.locator, reference))
}

/// Audits every operation of the document `raw` of service `service` (the spec's file stem,
/// which names the page folders). Spec errors are placed at 1:1; [`audit_file`] places them.
pub fn audit_document(display: &str, service: &str, raw: &Value, reference: &Path) -> SpecAudit {
    audit_located(display, service, raw, otc_codegen::Locator::default(), reference)
}

fn audit_located(
    display: &str,
    service: &str,
    raw: &Value,
    locator: otc_codegen::Locator,
    reference: &Path,
) -> SpecAudit {
    let mut audit = SpecAudit { display: display.to_owned(), service: service.to_owned(), ..SpecAudit::default() };
    let addresses = compare::addresses(raw);
    // Every named example, grouped by operation once (per operation it would be quadratic).
    let mut examples: HashMap<(&str, &str), Vec<otc_codegen::examples::Example>> = HashMap::new();
    for example in otc_codegen::examples::examples(raw) {
        examples.entry((example.method, example.path)).or_default().push(example);
    }
    for operation in tree::operations(raw) {
        let operation_id = operation.node.get("operationId").and_then(Value::as_str).unwrap_or("(no operationId)");
        let mut audited = OperationAudit {
            operation_id: operation_id.to_owned(),
            method: operation.method.to_uppercase(),
            path: operation.path.to_owned(),
            pointer: operation.pointer.clone(),
            page: None,
            differences: Vec::new(),
            notes: Vec::new(),
        };
        let Some(url) = operation.node.pointer("/externalDocs/url").and_then(Value::as_str) else {
            let notes = difference::notes_of(&[operation.node]);
            let spec = "no `externalDocs.url`".to_owned();
            audited.differences.push(Difference {
                kind: Kind::Page,
                location: "externalDocs.url".into(),
                pointer: operation.pointer.clone(),
                reference: "—".into(),
                spec,
                notes,
            });
            audit.operations.push(audited);
            continue;
        };
        let candidates = page_candidates(reference, service, url);
        let Some(found) = candidates.iter().find(|path| path.is_file()) else {
            let tried: Vec<String> = candidates.iter().map(|path| path.display().to_string()).collect();
            let pointer = tree::push(&tree::push(&operation.pointer, "externalDocs"), "url");
            let (at, _) = locator.nearest(&pointer);
            audit.errors.push(format!(
                "{display}:{at} #{pointer}: {operation_id}: reference page not found: {}",
                tried.join(", ")
            ));
            continue;
        };
        let html = match std::fs::read_to_string(found) {
            Ok(html) => html,
            Err(error) => {
                audit.errors.push(format!("{}: cannot read the reference page: {error}", found.display()));
                continue;
            }
        };
        let page = Page::parse(&html);
        let mine = examples.get(&(operation.method, operation.path)).map(Vec::as_slice).unwrap_or_default();
        let outcome = compare::operation(raw, &addresses, &operation, mine, &page);
        audited.page = Some(found.strip_prefix(reference).unwrap_or(found).to_string_lossy().replace('\\', "/"));
        audited.differences = outcome.differences;
        audited.notes = outcome.notes;
        audited.notes.extend(page.notes);
        audit.operations.push(audited);
    }
    audit.locator = locator;
    audit
}

/// Where the page named by `externalDocs.url` may be, best first: the seed (authoritative for
/// the seed operations), the rendered page, and the doc-exports layout (`docs/<service>/api-ref`).
pub fn page_candidates(reference: &Path, service: &str, url: &str) -> Vec<PathBuf> {
    let file = url.split(['#', '?']).next().unwrap_or(url);
    let file = file.rsplit('/').next().unwrap_or(file);
    vec![
        reference.join("seeds").join(format!("{service}-{file}")),
        reference.join(service).join(file),
        reference.join("docs").join(service).join("api-ref").join(file),
    ]
}
