//! The audit as Markdown for a PR comment: a heading per spec, per operation a table of the
//! differences that fail the run, then the accepted ones with the notes that accept them, then
//! what could not be compared (so a clean table never hides a parser blind spot).

use std::fmt::Write as _;

use super::difference::Difference;
use super::{OperationAudit, SpecAudit};

/// Renders every audited spec, and a closing total.
pub fn render(specs: &[SpecAudit]) -> String {
    let mut out = String::from("# Reference audit\n");
    for spec in specs {
        render_spec(&mut out, spec);
    }
    let failing: usize = specs.iter().map(SpecAudit::unaccepted).sum();
    let accepted: usize = specs.iter().map(SpecAudit::accepted).sum();
    let operations: usize = specs.iter().map(|spec| spec.operations.len()).sum();
    let _ = writeln!(
        out,
        "\n**{failing} unaccepted difference{}, {accepted} accepted**, in {operations} operation{}.",
        plural(failing),
        plural(operations)
    );
    out
}

/// How much of the reference's manifest the specs cover, and what they skip and why.
pub fn render_coverage(coverage: &super::completeness::Coverage) -> String {
    let mut out = format!(
        "\n## Coverage of the reference\n\n{} of {} operation pages covered, {} skipped, {} missing.\n",
        coverage.covered,
        coverage.pages,
        coverage.skipped.len(),
        coverage.errors.len()
    );
    if !coverage.skipped.is_empty() {
        out.push_str("\n| service | page | operation | why skipped |\n| --- | --- | --- | --- |\n");
        for skip in &coverage.skipped {
            let _ =
                writeln!(out, "| {} | {} | `{}` | {} |", skip.service, skip.page, skip.operation, cell(&skip.reason));
        }
    }
    for error in &coverage.errors {
        let _ = writeln!(out, "\n**Missing:** {}", cell(error));
    }
    out
}

fn render_spec(out: &mut String, spec: &SpecAudit) {
    let _ = writeln!(out, "\n## `{}`", spec.display);
    for error in &spec.errors {
        let _ = writeln!(out, "\n**Error:** {}", cell(error));
    }
    for operation in &spec.operations {
        render_operation(out, operation);
    }
}

fn render_operation(out: &mut String, operation: &OperationAudit) {
    let _ = writeln!(out, "\n### `{}` — `{} {}`\n", operation.operation_id, operation.method, operation.path);
    if let Some(page) = &operation.page {
        let _ = writeln!(out, "Reference: `{page}`\n");
    }
    let failing: Vec<&Difference> = operation.differences.iter().filter(|d| !d.is_accepted()).collect();
    let accepted: Vec<&Difference> = operation.differences.iter().filter(|d| d.is_accepted()).collect();
    if failing.is_empty() {
        out.push_str("no differences\n");
    } else {
        out.push_str("| kind | where | reference | spec |\n| --- | --- | --- | --- |\n");
        for difference in failing {
            let _ = writeln!(out, "{}", row(difference));
        }
    }
    if !accepted.is_empty() {
        out.push_str("\nAccepted (explained by `x-reference-notes`):\n\n");
        out.push_str("| kind | where | reference | spec | note |\n| --- | --- | --- | --- | --- |\n");
        for difference in accepted {
            let notes = difference.notes.as_deref().unwrap_or_default().join(" ");
            let _ = writeln!(out, "{} {} |", row(difference), cell(&notes));
        }
    }
    if !operation.notes.is_empty() {
        out.push_str("\nNotes:\n\n");
        for note in &operation.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
}

/// The kind, where, reference and spec cells of a row.
fn row(difference: &Difference) -> String {
    format!(
        "| {} | {} | {} | {} |",
        difference.kind.label(),
        cell(&difference.location),
        cell(&difference.reference),
        cell(&difference.spec)
    )
}

/// Table cells hold one line and no bare `|`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
