//! `cargo xtask audit --format github`: each unaccepted difference as a GitHub Actions
//! annotation (`::error file=specs/x.yaml,line=L,col=C::…`) at the spec node it is about, so a
//! pull request shows it beside the spec; coverage problems and spec or page errors too.
//! Accepted differences make no annotation (`--verbose` changes nothing here).

use super::{Audit, SpecAudit};

/// Every annotation of the audit, one per line.
pub fn render(audit: &Audit) -> String {
    let mut out = String::new();
    for spec in &audit.specs {
        for line in annotations(spec) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for problem in audit.coverage.iter().flat_map(|coverage| &coverage.errors) {
        let (file, position) = match audit.spec(&problem.service) {
            Some(spec) => {
                let (position, _) = spec.locator.nearest(&problem.pointer);
                (spec.display.as_str(), format!(",line={},col={}", position.line, position.column))
            }
            None => ("specs", String::new()),
        };
        out.push_str(&format!(
            "::error file={}{position},title=audit coverage::{}\n",
            property(file),
            data(&problem.message)
        ));
    }
    out
}

/// An error that stopped part of the audit (a spec that does not load, a page not found).
pub fn error(display: &str, message: &str) -> String {
    format!("::error file={}::{}", property(display), data(message))
}

/// The annotations of one audited spec: one per unaccepted difference, at its node.
pub fn annotations(audit: &SpecAudit) -> Vec<String> {
    let file = property(&audit.display);
    let mut out = Vec::new();
    for operation in &audit.operations {
        for difference in operation.differences.iter().filter(|difference| !difference.is_accepted()) {
            let (position, _) = audit.locator.nearest(&difference.pointer);
            let message = format!(
                "{}: {} at {}: reference {}, spec {}",
                operation.operation_id,
                difference.kind.label(),
                difference.location,
                difference.reference,
                difference.spec
            );
            let title = property(&format!("audit {}", difference.kind.label()));
            out.push(format!(
                "::error file={file},line={},col={},title={title}::{}",
                position.line,
                position.column,
                data(&message)
            ));
        }
    }
    out
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
            pointer: "/paths/~1x/put/responses".into(),
            reference: "`lease` (Lease object), 100%".into(),
            spec: "—\nnone".into(),
            notes,
        }
    }

    #[test]
    fn an_unaccepted_difference_is_an_error_at_its_node() {
        let text = "paths:\n  /x:\n    get:\n      operationId: ListNotebooks\n    put:\n      operationId: \"ShowNotebook\"\n      responses: {}\n";
        let audit = SpecAudit {
            display: "specs/modelarts.yaml".into(),
            service: "modelarts".into(),
            locator: otc_codegen::yaml::parse(text).unwrap().locator,
            operations: vec![OperationAudit {
                operation_id: "ShowNotebook".into(),
                method: "GET".into(),
                path: "/v1/{project_id}/notebooks/{id}".into(),
                pointer: "/paths/~1x/put".into(),
                page: None,
                differences: vec![difference(None), difference(Some(vec!["explained".into()]))],
                notes: Vec::new(),
            }],
            errors: vec!["page: not found".into()],
        };
        assert_eq!(
            annotations(&audit),
            [
                "::error file=specs/modelarts.yaml,line=7,col=7,title=audit missing field::ShowNotebook: missing field at \
              ShowNotebookResponse.lease: reference `lease` (Lease object), 100%25, spec —%0Anone"
            ]
        );
        assert_eq!(error(&audit.display, "page: not found"), "::error file=specs/modelarts.yaml::page: not found");
    }
}
