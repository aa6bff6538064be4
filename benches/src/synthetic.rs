//! Synthetic specs of any size, and reference pages matching them, to see how the spec tools
//! (lint, audit, generate) scale with the number of operations. Every operation has a
//! response schema with an enum, an error response, and one lint warning (no response example),
//! so lint has a finding to place per operation.

use std::fmt::Write as _;
use std::path::Path;

/// The service name: the spec is `synthetic.yaml`, its pages live in `<reference>/synthetic/`.
pub const SERVICE: &str = "synthetic";

/// An OpenAPI document with `operations` operations.
pub fn spec(operations: usize) -> String {
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nsecurity:\n  - token: []\ntags:\n  - name: Things\npaths:\n",
    );
    for i in 0..operations {
        let _ = write!(
            yaml,
            "  /v1/{{project_id}}/things{i}/{{id}}:\n    get:\n      operationId: ShowThing{i}\n      summary: Show thing {i}\n\
             \x20     tags: [Things]\n      externalDocs:\n        description: Querying Thing {i}\n        url: page{i}.html\n\
             \x20     parameters:\n\
             \x20       - {{name: project_id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: limit, in: query, schema: {{type: integer, format: int32}}}}\n\
             \x20     responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n\
             \x20             schema: {{$ref: '#/components/schemas/Thing{i}'}}\n\
             \x20       '400':\n          $ref: '#/components/responses/Error'\n"
        );
    }
    yaml.push_str(
        "components:\n  securitySchemes:\n    token: {type: apiKey, in: header, name: X-Auth-Token}\n  responses:\n\
         \x20   Error:\n      description: Error\n      content:\n        application/json:\n\
         \x20         schema: {$ref: '#/components/schemas/Error'}\n  schemas:\n\
         \x20   Error:\n      type: object\n      properties:\n        error_code: {type: string}\n        error_msg: {type: string}\n",
    );
    for i in 0..operations {
        let _ = write!(
            yaml,
            "    Thing{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n\
             \x20       name: {{type: string, maxLength: 255}}\n        size: {{type: integer, format: int64}}\n\
             \x20       tags: {{type: array, items: {{type: string}}}}\n\
             \x20       status: {{type: string, enum: [queued, saving, active, killed, deleted]}}\n"
        );
    }
    yaml
}

/// Writes the reference page of every operation of [`spec`] into `reference/synthetic/`.
pub fn write_reference_pages(reference: &Path, operations: usize) -> std::io::Result<()> {
    let dir = reference.join(SERVICE);
    std::fs::create_dir_all(&dir)?;
    for i in 0..operations {
        std::fs::write(dir.join(format!("page{i}.html")), page(i))?;
    }
    Ok(())
}

fn row(cells: &[&str]) -> String {
    let cells: String = cells.iter().map(|cell| format!("<td><p>{cell}</p></td>")).collect();
    format!("<tr>{cells}</tr>\n")
}

fn page(i: usize) -> String {
    let head = |names: &[&str]| -> String {
        names.iter().map(|name| format!("<th class=\"head\"><p>{name}</p></th>")).collect()
    };
    let uri_rows = [
        row(&["project_id", "Yes", "String", "Project ID."]),
        row(&["id", "Yes", "String", "Thing ID."]),
        row(&["limit", "No", "Integer", "Page size."]),
    ]
    .concat();
    let response_rows = [
        row(&["id", "String", "Thing ID."]),
        row(&["name", "String", "Name."]),
        row(&["size", "Long", "Size."]),
        row(&["tags", "Array of strings", "Tags."]),
        row(&["status", "String", "Status. The value can be queued, saving, active, killed, or deleted."]),
    ]
    .concat();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" /><title>Querying Thing {i}</title></head><body><main>\n\
         <h1 class=\"title\">Querying Thing {i}</h1>\n\
         <section id=\"function\"><h2>Function</h2><p>Shows thing {i}.</p></section>\n\
         <section id=\"uri\"><h2>URI</h2><p>GET /v1/{{project_id}}/things{i}/{{id}}</p>\n\
         <table><thead><tr>{}</tr></thead><tbody>\n{uri_rows}</tbody></table></section>\n\
         <section id=\"request\"><h2>Request</h2><p>None</p></section>\n\
         <section id=\"response\"><h2>Response</h2><ul><li><p>Response parameters</p>\n\
         <table><thead><tr>{}</tr></thead><tbody>\n{response_rows}</tbody></table></li></ul></section>\n\
         <section id=\"returned-values\"><h2>Returned Values</h2><ul><li><p>Normal</p><p>200</p></li>\n\
         <li><p>Abnormal</p><table><thead><tr>{}</tr></thead><tbody>\n{}</tbody></table></li></ul></section>\n\
         </main></body></html>\n",
        head(&["Parameter", "Mandatory", "Type", "Description"]),
        head(&["Parameter", "Type", "Description"]),
        head(&["Returned Value", "Description"]),
        row(&["400 Bad Request", "Request error."]),
    )
}

/// Makes `root` a project holding only the synthetic spec of `operations` (as
/// `specs/synthetic.yaml`) and a copy of `readme` (whose coverage table `regenerate` rewrites):
/// enough for `xtask::regenerate::plan` to run on it as on the real checkout.
pub fn write_project(root: &Path, operations: usize, readme: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(root.join("specs"))?;
    std::fs::write(root.join("specs/synthetic.yaml"), spec(operations))?;
    std::fs::copy(readme, root.join("README.md")).map(drop)
}
