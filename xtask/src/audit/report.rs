//! The audit for a reader, findings first: each unaccepted difference (and coverage problem)
//! at its `specs/x.yaml:LINE:COL`, then one line counting what was accepted or noted. What
//! passes (accepted differences with their notes, what could not be compared, skipped pages,
//! and the per-operation report) is shown only with `--verbose`.
//!
//! - [`text`]: compiler-style lines, as `cargo xtask lint` prints them.
//! - [`markdown`]: a short table for a PR comment; with `--verbose` the full report ([`details`])
//!   follows in a collapsed `<details>` block.

use std::fmt::Write as _;

use super::difference::Difference;
use super::{Audit, OperationAudit, SpecAudit};

/// The plain report: findings, then with `verbose` accepted differences (with their notes),
/// notes and skipped pages, then the count line.
pub fn text(audit: &Audit, verbose: bool) -> String {
    let mut out = String::new();
    for (spec, operation, difference) in differences(audit, false) {
        let _ = writeln!(out, "{}", line(spec, operation, difference));
    }
    for problem in audit.coverage.iter().flat_map(|coverage| &coverage.errors) {
        let _ = writeln!(out, "{} page-coverage error: {}", audit.place(problem), one_line(&problem.message));
    }
    if verbose {
        for (spec, operation, difference) in differences(audit, true) {
            let _ = writeln!(out, "{}", line(spec, operation, difference));
            for note in difference.notes.iter().flatten() {
                let _ = writeln!(out, "    note: {}", one_line(note));
            }
        }
        for spec in &audit.specs {
            for operation in &spec.operations {
                let (at, _) = spec.place(&operation.pointer);
                for note in &operation.notes {
                    let _ = writeln!(out, "{at} note: {}: {}", operation.operation_id, one_line(note));
                }
            }
        }
        for skip in audit.coverage.iter().flat_map(|coverage| &coverage.skipped) {
            let at = audit.spec(&skip.service).map_or_else(|| skip.service.clone(), |spec| spec.place(&skip.pointer).0);
            let _ = writeln!(out, "{at} skipped: {} ({}): {}", skip.page, skip.operation, one_line(&skip.reason));
        }
    }
    let _ = writeln!(out, "{}", count(audit, verbose, "--verbose"));
    out
}

/// The Markdown report: a table of the findings (or a line saying there are none), the count in
/// bold, and with `verbose` the full report collapsed below.
pub fn markdown(audit: &Audit, verbose: bool) -> String {
    let mut out = String::from("# Reference audit\n\n");
    for error in audit.specs.iter().flat_map(|spec| &spec.errors) {
        let _ = writeln!(out, "**Error:** {}\n", cell(error));
    }
    let problems: Vec<_> = audit.coverage.iter().flat_map(|coverage| &coverage.errors).collect();
    let failing: Vec<_> = differences(audit, false).collect();
    if failing.is_empty() && problems.is_empty() {
        out.push_str("No unaccepted differences.\n");
    } else {
        out.push_str("| where | operation | difference | reference | spec |\n| --- | --- | --- | --- | --- |\n");
        for (spec, operation, difference) in failing {
            let (at, _) = spec.place(&difference.pointer);
            let _ = writeln!(
                out,
                "| `{at}` | `{}` | {} `{}` | {} | {} |",
                operation.operation_id,
                difference.kind.label(),
                cell(&difference.location),
                cell(&difference.reference),
                cell(&difference.spec)
            );
        }
        for problem in problems {
            let _ =
                writeln!(out, "| `{}` | — | page not covered | {} | — |", audit.place(problem), cell(&problem.message));
        }
    }
    let _ = writeln!(out, "\n**{}**", count(audit, verbose, "`--verbose`"));
    if verbose {
        out.push_str("\n<details><summary>Full report: every operation, accepted differences and notes</summary>\n");
        out.push_str(&details(&audit.specs));
        if let Some(coverage) = &audit.coverage {
            out.push_str(&render_coverage(coverage));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// The one count line: `0 errors, 33 accepted, 58 notes (--verbose lists them); 65 operations,
/// 64 of 67 reference pages covered, 3 skipped`.
fn count(audit: &Audit, verbose: bool, flag: &str) -> String {
    let accepted: usize = audit.specs.iter().map(SpecAudit::accepted).sum();
    let notes: usize = audit.specs.iter().flat_map(|spec| &spec.operations).map(|op| op.notes.len()).sum();
    let operations: usize = audit.specs.iter().map(|spec| spec.operations.len()).sum();
    let skipped = audit.coverage.as_ref().map_or(0, |coverage| coverage.skipped.len());
    let mut out = format!("{}, {accepted} accepted, {}", plural(audit.failing(), "error"), plural(notes, "note"));
    if !verbose && accepted + notes + skipped > 0 {
        let _ = write!(out, " ({flag} lists them)");
    }
    let _ = write!(out, "; {}", plural(operations, "operation"));
    if let Some(coverage) = &audit.coverage {
        let _ = write!(
            out,
            ", {} of {} reference pages covered, {} skipped",
            coverage.covered,
            coverage.pages,
            coverage.skipped.len()
        );
    }
    out
}

/// The differences of every spec that are (or are not) accepted, in document order.
fn differences(audit: &Audit, accepted: bool) -> impl Iterator<Item = (&SpecAudit, &OperationAudit, &Difference)> {
    audit.specs.iter().flat_map(move |spec| {
        spec.operations.iter().flat_map(move |operation| {
            operation
                .differences
                .iter()
                .filter(move |difference| difference.is_accepted() == accepted)
                .map(move |difference| (spec, operation, difference))
        })
    })
}

/// `specs/x.yaml:LINE:COL kind label: Operation where: reference …, spec …`; a node the text
/// does not show is placed at its nearest ancestor and its pointer appended.
fn line(spec: &SpecAudit, operation: &OperationAudit, difference: &Difference) -> String {
    let (at, exact) = spec.place(&difference.pointer);
    let label = if difference.is_accepted() { "accepted" } else { "error" };
    let mut out = format!(
        "{at} {} {label}: {} {}: reference {}, spec {}",
        difference.kind.id(),
        operation.operation_id,
        difference.location,
        one_line(&difference.reference),
        one_line(&difference.spec)
    );
    if !exact {
        let _ = write!(out, " (at #{})", difference.pointer);
    }
    out
}

/// The full report: a heading per spec, per operation a table of the differences that fail the
/// run, then the accepted ones with the notes that accept them, then what could not be compared
/// (so a clean table never hides a parser blind spot).
pub fn details(specs: &[SpecAudit]) -> String {
    let mut out = String::new();
    for spec in specs {
        render_spec(&mut out, spec);
    }
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
        let _ = writeln!(out, "\n**Missing:** {}", cell(&error.message));
    }
    out
}

fn render_spec(out: &mut String, spec: &SpecAudit) {
    let _ = writeln!(out, "\n## `{}`", spec.display);
    for error in &spec.errors {
        let _ = writeln!(out, "\n**Error:** {}", cell(error));
    }
    for operation in &spec.operations {
        render_operation(out, spec, operation);
    }
}

fn render_operation(out: &mut String, spec: &SpecAudit, operation: &OperationAudit) {
    let _ = writeln!(out, "\n### `{}` — `{} {}`\n", operation.operation_id, operation.method, operation.path);
    if let Some(page) = &operation.page {
        let _ = writeln!(out, "Reference: `{page}`\n");
    }
    let failing: Vec<&Difference> = operation.differences.iter().filter(|d| !d.is_accepted()).collect();
    let accepted: Vec<&Difference> = operation.differences.iter().filter(|d| d.is_accepted()).collect();
    if failing.is_empty() {
        out.push_str("no differences\n");
    } else {
        out.push_str("| kind | where | reference | spec | at |\n| --- | --- | --- | --- | --- |\n");
        for difference in failing {
            let _ = writeln!(out, "{} `{}` |", row(difference), spec.place(&difference.pointer).0);
        }
    }
    if !accepted.is_empty() {
        out.push_str("\nAccepted (explained by `x-reference-notes`):\n\n");
        out.push_str("| kind | where | reference | spec | at | note |\n| --- | --- | --- | --- | --- | --- |\n");
        for difference in accepted {
            let notes = difference.notes.as_deref().unwrap_or_default().join(" ");
            let _ = writeln!(out, "{} `{}` | {} |", row(difference), spec.place(&difference.pointer).0, cell(&notes));
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
    one_line(text).replace('|', "\\|")
}

fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}
