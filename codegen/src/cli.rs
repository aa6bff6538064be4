//! Emits the command line's table (`cli/src/generated.rs`): for every operation of every
//! generated module, its command name, help text, reference page (`externalDocs`), parameters (name, location, whether
//! required, description, enum values) as the spec gives them, the simple top-level fields of
//! its JSON request body ([`body_fields`]), and a dispatch function that
//! sends the operation through its typed builder with the parameters and body deserialized from
//! JSON, the way the golden suite's dispatch table ([`crate::dispatch`]) does.

use std::collections::BTreeMap;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::dispatch::{Index, Module, TypedCall, typed_call};
use crate::tree;

/// `(service, page file)` → a link to the reference page of that name (`xtask` makes them from
/// `specs/reference.lock.json`), shown in each operation's `--help`.
pub type ReferenceLinks = BTreeMap<(String, String), String>;

/// The link of `operation`'s reference page, empty when there are no links at all.
fn reference_link<'a>(
    links: &'a ReferenceLinks,
    service: &str,
    operation: &tree::Operation<'_>,
) -> Result<&'a str, String> {
    if links.is_empty() {
        return Ok("");
    }
    let page = operation.node.pointer("/externalDocs/url").and_then(Value::as_str).unwrap_or_default();
    links.get(&(service.to_owned(), page.to_owned())).map(String::as_str).ok_or_else(|| {
        format!(
            "{} {}: its reference page `{page}` is not among the {service} pages of specs/reference.lock.json",
            operation.method.to_uppercase(),
            operation.path
        )
    })
}

/// The command line's source, formatted, or a message naming what could not be matched.
/// `links` must hold every operation's `externalDocs` page unless it is empty (a project without
/// a lock, like the benchmarks' synthetic one: then help names the page file only).
pub fn cli_source(modules: &[Module<'_>], links: &ReferenceLinks) -> Result<String, String> {
    let mut services = Vec::new();
    let mut arms = Vec::new();
    let mut all_arms = Vec::new();
    for module in modules {
        let name = module.spec.name();
        let index = Index::new(module.file);
        let about = module.spec.raw.pointer("/info/title").and_then(Value::as_str).unwrap_or_default();
        let mut operations = Vec::new();
        for operation in tree::operations(&module.spec.raw) {
            let id = operation.node.get("operationId").and_then(Value::as_str).unwrap_or_default();
            let paged = PAGED.contains(&(name.as_str(), id));
            let (arm, raw) = operation_arm(module, &index, &operation)?;
            arms.push(arm);
            operations.push(
                operation_entry(
                    &module.spec.raw,
                    &operation,
                    paged,
                    raw,
                    reference_link(links, &name, &operation).map_err(|message| {
                        module.spec.error(&format!("{}/externalDocs/url", operation.pointer), message).to_string()
                    })?,
                )
                .map_err(|error| format!("{}: {id}: {error}", module.spec.path.display()))?,
            );
            if paged {
                all_arms.push(paged_arm(module, &index, &operation)?);
            }
        }
        services.push(quote! {
            Service { name: #name, about: #about, operations: &[#(#operations),*] }
        });
    }
    let file = quote! {
        use serde_json::{Map, Value};

        use otc_client::Paginate;

        use crate::support::{
            CallError, Output, RequestBody, body_json, body_raw, each_item, finish, finish_optional, finish_stream,
            param_from,
        };
        use crate::table::{BodyField, Operation, Param, Service};

        /// Every service and operation of the specs, in spec order.
        pub const SERVICES: &[Service] = &[#(#services),*];

        /// Sends `operation` (its id) of `service` through its generated builder, with `params`
        /// (by spec name) and `body` deserialized into the generated types.
        pub async fn call(
            cloud: &otc_client::Cloud,
            service: &str,
            operation: &str,
            params: &Map<String, Value>,
            body: Option<RequestBody>,
        ) -> Result<Output, CallError> {
            match (service, operation) {
                #(#arms)*
                _ => Err(CallError::UnknownOperation(format!("{service}/{operation}"))),
            }
        }

        /// Every item of the paged list `operation` of `service` (`--all`), `page_size` items a
        /// page, each handed to `on_item` as it arrives; `params` as for [`call`] (the paging
        /// parameters are set by `Paginate::items`).
        pub async fn call_all(
            cloud: &otc_client::Cloud,
            service: &str,
            operation: &str,
            params: &Map<String, Value>,
            page_size: u32,
            on_item: &mut dyn FnMut(Value) -> Result<(), CallError>,
        ) -> Result<(), CallError> {
            match (service, operation) {
                #(#all_arms)*
                _ => Err(CallError::UnknownOperation(format!("{service}/{operation} (not a paged list)"))),
            }
        }
    };
    let file: syn::File = syn::parse2(file).map_err(|error| format!("cli template: {error}"))?;
    Ok(format!(
        "// This file is generated by `cargo xtask regenerate` from specs/*.yaml; do not edit.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// The operation's parameters (path item level first), `$ref`s followed, ignored headers left
/// out, exactly as [`crate::dispatch::parameters`] lists them.
fn parameter_nodes<'a>(root: &'a Value, operation: &tree::Operation<'a>) -> Vec<&'a Value> {
    let names = crate::dispatch::parameters(root, operation);
    let own = operation.node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let all: Vec<&Value> =
        operation.path_parameters.iter().chain(own).map(|parameter| tree::deref(root, parameter)).collect();
    names
        .into_iter()
        .filter_map(|name| all.iter().copied().find(|p| p.get("name").and_then(Value::as_str) == Some(name)))
        .collect()
}

/// Flags the command line itself gives operation commands (`--help`, the global `--os-cloud`,
/// `--body`, `--all` on paged lists, `--wait` and its settings on IMS jobs, `--output` on
/// downloads); a parameter's flag must not be one of them.
pub const RESERVED_FLAGS: &[&str] =
    &["help", "os-cloud", "body", "all", "wait", "poll-interval", "wait-timeout", "output"];

/// The list operations `otc_client::Paginate` is implemented for
/// (`generated-client/src/paged_lists.rs`), by service: they get `--all`. The generated
/// `call_all` calls `Paginate::items` on their builders, so naming one here that lacks it does
/// not compile; `cli/tests/commands.rs` checks that `paged_lists.rs` names no other.
pub const PAGED: &[(&str, &str)] = &[
    ("modelarts", "ListImage"),
    ("modelarts", "ListNotebooks"),
    ("modelarts", "ListAllNotebooks"),
    ("ims", "ListImages"),
    ("ims", "GlanceListImages"),
];

/// The page size `--all` uses without `--limit`: the `limit` parameter's documented default,
/// else this.
const DEFAULT_PAGE_SIZE: u64 = 100;

/// A parameter's long flag: its spec name in kebab case, nothing dropped. Each `_` becomes `-`
/// and a lower-case letter or digit followed by an upper-case one gets a `-` between them
/// (`sort_key` → `sort-key`, `workspaceId` → `workspace-id`), all lower case (`X-Api-Version` →
/// `x-api-version`); leading underscores are part of the name and stay (`__imagetype` →
/// `--__imagetype`, `__system__cmkid` → `--__system--cmkid`: IMS's `__` attributes are other
/// parameters than the plain ones). Two parameters of one operation with the same flag, or one
/// taking a reserved flag, fail the generation ([`operation_flags`]).
pub fn flag_name(name: &str) -> String {
    let rest = name.trim_start_matches('_');
    let mut flag = name[..name.len() - rest.len()].to_owned();
    let mut previous: Option<char> = None;
    for c in rest.chars() {
        if c == '_' {
            flag.push('-');
        } else {
            if c.is_uppercase() && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
                flag.push('-');
            }
            flag.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    flag
}

/// Each parameter name with its flag, or a message naming the two parameters (or the reserved
/// flag) that would share one.
pub fn operation_flags<'a>(names: &[&'a str]) -> Result<Vec<(&'a str, String)>, String> {
    let mut taken: BTreeMap<String, &str> = RESERVED_FLAGS.iter().map(|flag| ((*flag).to_owned(), "")).collect();
    let mut flags = Vec::new();
    for name in names {
        let flag = flag_name(name);
        if flag.is_empty() {
            return Err(format!("parameter `{name}` has no flag name"));
        }
        if let Some(other) = taken.insert(flag.clone(), name) {
            return Err(if other.is_empty() {
                format!("parameter `{name}` would take the reserved flag --{flag}")
            } else {
                format!("parameters `{other}` and `{name}` would both be --{flag}")
            });
        }
        flags.push((*name, flag));
    }
    Ok(flags)
}

/// Each body field name with its flag: the field's [`flag_name`], or, where that is a
/// parameter's flag or one of the command line's own (`--body`, `--all`, …), `body-` and the
/// field's flag name (ModelArts `RenewLease` has a `duration` query parameter and a `duration`
/// body field: `--duration` and `--body-duration`). Two fields with one flag, or a field whose
/// prefixed flag is taken too, fail the generation, naming both.
pub fn body_flags<'a>(params: &[(&str, String)], fields: &[&'a str]) -> Result<Vec<(&'a str, String)>, String> {
    let mut taken: BTreeMap<String, String> = RESERVED_FLAGS
        .iter()
        .map(|flag| ((*flag).to_owned(), format!("the command line's own --{flag}")))
        .chain(params.iter().map(|(name, flag)| (flag.clone(), format!("parameter `{name}`"))))
        .collect();
    let mut flags = Vec::new();
    for name in fields {
        let plain = flag_name(name);
        if plain.is_empty() {
            return Err(format!("body field `{name}` has no flag name"));
        }
        let outside = taken.get(&plain).is_some_and(|owner| !owner.starts_with("body field"));
        let flag = if outside { format!("body-{plain}") } else { plain };
        if let Some(other) = taken.get(&flag) {
            return Err(format!("body field `{name}` and {other} would both be --{flag}"));
        }
        taken.insert(flag.clone(), format!("body field `{name}`"));
        flags.push((*name, flag));
    }
    Ok(flags)
}

/// The JSON types a flag's text maps onto.
const SIMPLE_KINDS: [&str; 4] = ["string", "integer", "number", "boolean"];

/// One simple top-level property of an operation's JSON request body: a flag.
struct BodyField<'a> {
    name: &'a str,
    schema: &'a Value,
    /// `string`, `integer`, `number`, `boolean`, or `array` of `item_kind`.
    kind: &'a str,
    item_kind: &'a str,
    /// The enum of the property or of its items.
    values: Vec<String>,
}

/// The object schema of an operation's `application/json` request body, `$ref`s followed; `None`
/// without one (no body, raw bytes, JSON Patch arrays, a `oneOf` of several shapes).
fn json_body_object<'a>(root: &'a Value, operation: &tree::Operation<'a>) -> Option<&'a Value> {
    let body = tree::deref(root, operation.node.get("requestBody")?);
    let schema = tree::deref(root, body.pointer("/content/application~1json/schema")?);
    (schema.get("type").and_then(Value::as_str) == Some("object")).then_some(schema)
}

/// The top-level properties of the JSON body's object schema that are simple enough for a flag:
/// a string (with or without an enum), integer, number or boolean, or an array of those (a
/// repeatable flag), in spec order; nested objects, arrays of objects and composed schemas only
/// come from `--body`. Read-only properties are not sent, so they are no flags. Also the names
/// the schema requires (flags or not).
fn body_fields<'a>(root: &'a Value, operation: &tree::Operation<'a>) -> (Vec<BodyField<'a>>, Vec<&'a str>) {
    let Some(schema) = json_body_object(root, operation) else { return (Vec::new(), Vec::new()) };
    let requires = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let simple = |schema: &'a Value| {
        let kind = schema.get("type").and_then(Value::as_str)?;
        let composed = ["properties", "oneOf", "anyOf", "allOf"].iter().any(|key| schema.get(key).is_some());
        (SIMPLE_KINDS.contains(&kind) && !composed).then_some(kind)
    };
    let enum_values = |schema: &Value| -> Vec<String> {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|value| match value {
                        Value::String(text) => Some(text.clone()),
                        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut fields = Vec::new();
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let property = tree::deref(root, property);
        if property.get("readOnly").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let field = if let Some(kind) = simple(property) {
            BodyField { name, schema: property, kind, item_kind: "", values: enum_values(property) }
        } else if property.get("type").and_then(Value::as_str) == Some("array") {
            let Some(items) = property.get("items").map(|items| tree::deref(root, items)) else { continue };
            let Some(item_kind) = simple(items) else { continue };
            BodyField { name, schema: property, kind: "array", item_kind, values: enum_values(items) }
        } else {
            continue;
        };
        fields.push(field);
    }
    (fields, requires)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an operation's body and response are raw bytes rather than JSON.
#[derive(Clone, Copy)]
struct Raw {
    body: bool,
    response: bool,
}

fn operation_entry(
    root: &Value,
    operation: &tree::Operation<'_>,
    paged: bool,
    raw: Raw,
    reference_url: &str,
) -> Result<TokenStream, String> {
    let id = operation.node.get("operationId").and_then(Value::as_str).unwrap_or_default();
    let command = id.to_kebab_case();
    let method = operation.method.to_uppercase();
    let path = operation.path;
    let about = one_line(
        operation
            .node
            .get("summary")
            .or_else(|| operation.node.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    let long_about = one_line(operation.node.get("description").and_then(Value::as_str).unwrap_or_default());
    // The reference page the operation was transcribed from (`lint` requires one).
    let reference = operation.node.pointer("/externalDocs/url").and_then(Value::as_str).unwrap_or_default();
    let reference_title =
        one_line(operation.node.pointer("/externalDocs/description").and_then(Value::as_str).unwrap_or_default());
    let request_body = operation.node.get("requestBody").map(|body| tree::deref(root, body));
    let body = request_body.is_some();
    let body_required = request_body.and_then(|body| body.get("required")).and_then(Value::as_bool).unwrap_or(false);
    let nodes = parameter_nodes(root, operation);
    let names: Vec<&str> =
        nodes.iter().map(|parameter| parameter.get("name").and_then(Value::as_str).unwrap_or_default()).collect();
    let flags = operation_flags(&names)?;
    let (fields, body_requires) = body_fields(root, operation);
    let field_names: Vec<&str> = fields.iter().map(|field| field.name).collect();
    let field_flags = body_flags(&flags, &field_names)?;
    let limit_default = nodes
        .iter()
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some("limit"))
        .and_then(|parameter| parameter.get("schema"))
        .map(|schema| tree::deref(root, schema))
        .and_then(|schema| schema.get("default"))
        .and_then(Value::as_u64);
    let job = answers_with_a_job(root, operation);
    let Raw { body: raw_body, response: raw_response } = raw;
    let page_size =
        if paged { u32::try_from(limit_default.unwrap_or(DEFAULT_PAGE_SIZE)).unwrap_or(u32::MAX) } else { 0 };
    let params = nodes.into_iter().zip(flags).map(|(parameter, (name, flag))| {
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
        // The configured project fills `project_id`; the flag only overrides it.
        let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false) && name != "project_id";
        let schema = parameter.get("schema").map(|schema| tree::deref(root, schema));
        let help = one_line(
            parameter
                .get("description")
                .or_else(|| schema.and_then(|schema| schema.get("description")))
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        let kind = schema.and_then(|schema| schema.get("type")).and_then(Value::as_str).unwrap_or("string");
        let items = schema.and_then(|schema| schema.get("items")).map(|items| tree::deref(root, items));
        let item_kind = items.and_then(|items| items.get("type")).and_then(Value::as_str).unwrap_or_default();
        let values: Vec<String> = schema
            .and_then(|schema| schema.get("enum"))
            .or_else(|| items.and_then(|items| items.get("enum")))
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(|value| value.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        quote! {
            Param {
                name: #name,
                flag: #flag,
                location: #location,
                required: #required,
                help: #help,
                kind: #kind,
                item_kind: #item_kind,
                values: &[#(#values),*],
            }
        }
    });
    let body_fields = fields.iter().zip(field_flags).map(|(field, (name, flag))| {
        let required = body_requires.contains(&name);
        let help = one_line(field.schema.get("description").and_then(Value::as_str).unwrap_or_default());
        let BodyField { kind, item_kind, values, .. } = field;
        quote! {
            BodyField {
                name: #name,
                flag: #flag,
                required: #required,
                help: #help,
                kind: #kind,
                item_kind: #item_kind,
                values: &[#(#values),*],
            }
        }
    });
    Ok(quote! {
        Operation {
            id: #id,
            command: #command,
            method: #method,
            path: #path,
            about: #about,
            long_about: #long_about,
            reference: #reference,
            reference_title: #reference_title,
            reference_url: #reference_url,
            params: &[#(#params),*],
            body: #body,
            body_required: #body_required,
            body_fields: &[#(#body_fields),*],
            body_requires: &[#(#body_requires),*],
            paged: #paged,
            page_size: #page_size,
            job: #job,
            raw_body: #raw_body,
            raw_response: #raw_response,
        }
    })
}

/// An asynchronous operation: not a `GET`, and a success response whose JSON body has a
/// `job_id` (IMS answers those with the job to poll; `ShowJob` itself is a `GET`).
fn answers_with_a_job(root: &Value, operation: &tree::Operation<'_>) -> bool {
    if operation.method == "get" {
        return false;
    }
    let Some(responses) = operation.node.get("responses").and_then(Value::as_object) else { return false };
    responses.iter().filter(|(status, _)| status.starts_with('2')).any(|(_, response)| {
        let response = tree::deref(root, response);
        let Some(content) = response.get("content").and_then(Value::as_object) else { return false };
        content.values().filter_map(|media| media.get("schema")).any(|schema| {
            tree::deref(root, schema).get("properties").and_then(|properties| properties.get("job_id")).is_some()
        })
    })
}

/// The typed call's builder and parameters (body and finish as for [`operation_arm`], unused
/// by a list), then every item through `Paginate::items`.
fn paged_arm(module: &Module<'_>, index: &Index<'_>, operation: &tree::Operation<'_>) -> Result<TokenStream, String> {
    let TypedCall { service, id, field, method, steps, .. } =
        typed_call(module, index, operation, quote!(), &|_: &syn::Type| quote!())?;
    Ok(quote! {
        (#service, #id) => {
            let client = cloud.#field();
            #[allow(unused_mut)]
            let mut request = client.#method();
            #(#steps)*
            each_item(request.items(page_size), on_item).await
        }
    })
}

fn operation_arm(
    module: &Module<'_>,
    index: &Index<'_>,
    operation: &tree::Operation<'_>,
) -> Result<(TokenStream, Raw), String> {
    // A raw body is streamed as given (a file or standard input), never read whole.
    let raw_body = quote! {
        if let Some(body) = body {
            request = request.body(body_raw(body));
        }
    };
    let json_body = |ty: &syn::Type| {
        quote! {
            if let Some(body) = body.as_ref() {
                request = request.body(body_json::<#ty>(body)?);
            }
        }
    };
    let TypedCall { service, id, field, method, steps, finish, binary_body, binary_response } =
        typed_call(module, index, operation, raw_body, &json_body)?;
    let raw = Raw { body: binary_body, response: binary_response };
    let arm = quote! {
        (#service, #id) => {
            let client = cloud.#field();
            #[allow(unused_mut)]
            let mut request = client.#method();
            #(#steps)*
            #finish(request.send().await).await
        }
    };
    Ok((arm, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_links_to_its_page_and_one_the_lock_lacks_is_refused() {
        let root = serde_json::json!({"paths": {"/v1/jobs/{id}": {"get": {
            "operationId": "ShowJob", "externalDocs": {"url": "job.html"}}}}});
        let operations = tree::operations(&root);
        let mut links = ReferenceLinks::new();
        assert_eq!(reference_link(&links, "ims", &operations[0]), Ok(""), "no lock, no link");
        links.insert(("ims".to_owned(), "other.html".to_owned()), "https://example.test/other".to_owned());
        assert_eq!(
            reference_link(&links, "ims", &operations[0]),
            Err("GET /v1/jobs/{id}: its reference page `job.html` is not among the ims pages of specs/reference.lock.json"
                .to_owned())
        );
        links.insert(("ims".to_owned(), "job.html".to_owned()), "https://example.test/job".to_owned());
        assert_eq!(reference_link(&links, "ims", &operations[0]), Ok("https://example.test/job"));
        assert!(reference_link(&links, "modelarts", &operations[0]).is_err(), "pages belong to a service");
    }

    #[test]
    fn flags_keep_every_part_of_the_name() {
        assert_eq!(flag_name("image_id"), "image-id");
        assert_eq!(flag_name("__imagetype"), "__imagetype");
        assert_eq!(flag_name("__support_kvm_gpu_type"), "__support-kvm-gpu-type");
        assert_eq!(flag_name("__system__cmkid"), "__system--cmkid");
        assert_eq!(flag_name("workspaceId"), "workspace-id");
        assert_eq!(flag_name("X-Api-Version"), "x-api-version");
        assert_eq!(flag_name("nocatalog"), "nocatalog");
    }

    #[test]
    fn colliding_flags_fail_naming_both_parameters() {
        let error = operation_flags(&["workspace_id", "workspaceId"]).unwrap_err();
        assert!(error.contains("`workspace_id` and `workspaceId`") && error.contains("--workspace-id"), "{error}");
        let error = operation_flags(&["body"]).unwrap_err();
        assert!(error.contains("reserved flag --body"), "{error}");
        assert!(operation_flags(&["imagetype", "__imagetype"]).is_ok(), "the IMS attribute is another flag");
    }

    #[test]
    fn body_fields_take_a_prefix_only_where_their_flag_is_taken() {
        let params = operation_flags(&["id", "duration"]).unwrap();
        let flags = body_flags(&params, &["duration", "type", "output", "__os_version"]).unwrap();
        assert_eq!(
            flags,
            [
                ("duration", "body-duration".to_owned()),
                ("type", "type".to_owned()),
                ("output", "body-output".to_owned()),
                ("__os_version", "__os-version".to_owned()),
            ]
        );
    }

    #[test]
    fn a_body_field_whose_prefixed_flag_is_taken_fails_naming_both() {
        let params = operation_flags(&["name", "body_name"]).unwrap();
        let error = body_flags(&params, &["name"]).unwrap_err();
        assert!(
            error.contains("body field `name` and parameter `body_name`") && error.contains("--body-name"),
            "{error}"
        );
        let error = body_flags(&[], &["body_all", "all"]).unwrap_err();
        assert!(
            error.contains("body field `all` and body field `body_all`") && error.contains("--body-all"),
            "{error}"
        );
        let error = body_flags(&[], &["workspace_id", "workspaceId"]).unwrap_err();
        assert!(
            error.contains("body field `workspaceId` and body field `workspace_id`")
                && error.contains("--workspace-id"),
            "{error}"
        );
    }
}
