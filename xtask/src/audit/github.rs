//! `cargo xtask audit --format github`: each unaccepted difference as a GitHub Actions
//! annotation (`::error file=specs/x.yaml,line=L::…`) at the line of its operation's
//! `operationId`, so a pull request shows it beside the spec. Audits the same way as the
//! Markdown report (`audit_file`, `completeness::check`) and exits with the same code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{SpecAudit, completeness};

/// Takes `--format github` (or `--format=github`) out of the arguments; `Ok(true)` when given.
pub fn take_format<'a>(args: &[&'a str]) -> Result<(bool, Vec<&'a str>), String> {
    let mut github = false;
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let format = match *arg {
            "--format" => Some(*args.next().ok_or("`--format` needs a value")?),
            other => other.strip_prefix("--format="),
        };
        match format {
            Some("github") => github = true,
            Some(other) => return Err(format!("unknown format `{other}` (only `github`)")),
            None => rest.push(*arg),
        }
    }
    Ok((github, rest))
}

/// Runs the audit and prints annotations instead of Markdown.
pub fn run(root: &Path, args: &[&str]) -> i32 {
    let (reference, specs) = match super::parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("cargo xtask audit: {message}\n{}", super::USAGE);
            return 2;
        }
    };
    let reference = match super::reference_dir(root, reference) {
        Ok(reference) => reference,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let whole_reference = specs.is_empty();
    let specs: Vec<PathBuf> = if whole_reference {
        match crate::regenerate::spec_files(root) {
            Ok(specs) => specs.iter().map(|spec| root.join(spec)).collect(),
            Err(error) => {
                eprintln!("error: cannot list specs: {error}");
                return 2;
            }
        }
    } else {
        specs
    };
    let (mut failed, mut unaccepted) = (false, false);
    let mut raws = BTreeMap::new();
    for path in &specs {
        let display = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        match super::audit_file(path, &display, &reference) {
            Ok(audit) => {
                for line in annotations(&audit, &text) {
                    println!("{line}");
                }
                failed |= !audit.errors.is_empty();
                unaccepted |= audit.unaccepted() > 0;
            }
            Err(message) => {
                println!("::error file={}::{}", property(&display), data(&message));
                failed = true;
            }
        }
        if let Ok(spec) = otc_codegen::load::load(path) {
            raws.insert(spec.name(), (display, spec.raw));
        }
    }
    let mut incomplete = false;
    if whole_reference {
        let specs = raws.iter().map(|(service, (_, raw))| (service.clone(), raw.clone())).collect();
        for error in completeness::check(&reference, &specs).map(|coverage| coverage.errors).unwrap_or_default() {
            // Completeness errors start with the service (`ims: the reference page …`).
            let service = error.split(':').next().unwrap_or_default();
            let file = raws.get(service).map_or("specs", |(display, _)| display.as_str());
            println!("::error file={},title=audit coverage::{}", property(file), data(&error));
            incomplete = true;
        }
    }
    if failed {
        2
    } else if unaccepted || incomplete {
        1
    } else {
        0
    }
}

/// The annotations of one audited spec whose text is `text`: one per unaccepted difference
/// and per error (a page not found).
pub fn annotations(audit: &SpecAudit, text: &str) -> Vec<String> {
    let file = property(&audit.display);
    let mut out = Vec::new();
    for operation in &audit.operations {
        let line = operation_line(text, &operation.operation_id).unwrap_or(1);
        for difference in operation.differences.iter().filter(|difference| !difference.is_accepted()) {
            let message = format!(
                "{}: {} at {}: reference {}, spec {}",
                operation.operation_id,
                difference.kind.label(),
                difference.location,
                difference.reference,
                difference.spec
            );
            let title = property(&format!("audit {}", difference.kind.label()));
            out.push(format!("::error file={file},line={line},title={title}::{}", data(&message)));
        }
    }
    for error in &audit.errors {
        out.push(format!("::error file={file}::{}", data(error)));
    }
    out
}

/// The 1-based line of `operationId: <id>` in the spec text.
fn operation_line(text: &str, operation_id: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.trim()
                .strip_prefix("operationId:")
                .is_some_and(|id| id.trim().trim_matches(['"', '\'']) == operation_id)
        })
        .map(|index| index + 1)
}

/// A workflow command's message, escaped (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped (also `:` and `,`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Difference, Kind, OperationAudit};

    fn difference(notes: Option<Vec<String>>) -> Difference {
        Difference {
            kind: Kind::MissingField,
            location: "ShowNotebookResponse.lease".into(),
            reference: "`lease` (Lease object), 100%".into(),
            spec: "—\nnone".into(),
            notes,
        }
    }

    #[test]
    fn an_unaccepted_difference_is_an_error_at_its_operation() {
        let audit = SpecAudit {
            display: "specs/modelarts.yaml".into(),
            operations: vec![OperationAudit {
                operation_id: "ShowNotebook".into(),
                method: "GET".into(),
                path: "/v1/{project_id}/notebooks/{id}".into(),
                page: None,
                differences: vec![difference(None), difference(Some(vec!["explained".into()]))],
                notes: Vec::new(),
            }],
            errors: vec!["page: not found".into()],
        };
        let text = "paths:\n  /x:\n    get:\n      operationId: ListNotebooks\n    put:\n      operationId: \"ShowNotebook\"\n";
        assert_eq!(
            annotations(&audit, text),
            [
                "::error file=specs/modelarts.yaml,line=6,title=audit missing field::ShowNotebook: missing field at \
                 ShowNotebookResponse.lease: reference `lease` (Lease object), 100%25, spec —%0Anone",
                "::error file=specs/modelarts.yaml::page: not found",
            ]
        );
    }

    #[test]
    fn format_github_is_taken_out_and_others_refused() {
        assert_eq!(take_format(&["--format", "github", "a.yaml"]).unwrap(), (true, vec!["a.yaml"]));
        assert_eq!(take_format(&["--format=github"]).unwrap(), (true, vec![]));
        assert_eq!(take_format(&["a.yaml"]).unwrap(), (false, vec!["a.yaml"]));
        assert!(take_format(&["--format", "json"]).unwrap_err().contains("unknown format"));
    }
}
