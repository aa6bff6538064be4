//! What a command sends, from its matches: parameters as the JSON their types decode from, and
//! the JSON request body from `--body` and the body field flags. Errors here are usage errors
//! (exit 2, nothing sent) and never quote a value: a body may hold a secret.

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::commands::body_field_id;
use crate::support::CallError;
use crate::table::{BodyField, Operation};

/// A body field flag's text as JSON of the schema's type: a string as given, an integer or a
/// number as a JSON number, `true`/`false` as a boolean. The error names the flag and the type
/// wanted, never the text (a body may hold a secret).
fn field_value(field: &BodyField, kind: &str, text: &str) -> Result<Value, String> {
    let wrong = |wanted: &str| format!("invalid value for --{}: expected {wanted}", field.flag);
    match kind {
        "integer" => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| wrong("an integer")),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        "boolean" => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The body fields given as flags, by name, typed by the schema.
fn fields_of(operation: &Operation, matches: &ArgMatches) -> Result<Map<String, Value>, String> {
    let mut fields = Map::new();
    for field in operation.body_fields {
        let Some(values) = matches.get_many::<String>(&body_field_id(field.name)) else { continue };
        let value = if field.kind == "array" {
            Value::Array(values.map(|text| field_value(field, field.item_kind, text)).collect::<Result<_, _>>()?)
        } else {
            let values: Vec<&String> = values.collect();
            field_value(field, field.kind, values[0])?
        };
        fields.insert(field.name.to_owned(), value);
    }
    Ok(fields)
}

/// The JSON request body: `--body`'s JSON (if given) with each body field flag set on top (the
/// flag wins; an array flag replaces the whole array), or, without `--body`, the flags alone;
/// `None` when neither is given. Every field the schema requires must be in the result. A usage
/// error (exit 2, before anything is sent) names the flag or field, never a value.
pub(crate) fn json_body(
    operation: &Operation,
    matches: &ArgMatches,
    source: Option<&String>,
) -> Result<Option<Vec<u8>>, String> {
    let given = match source.map(|source| read_body(source)) {
        None => None,
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(error)) => return Err(format!("cannot read the body: {error}")),
    };
    if operation.body_fields.is_empty() {
        // Decoded (and any error reported by its path) by the typed call.
        return Ok(given);
    }
    let fields = fields_of(operation, matches)?;
    let mut body = match &given {
        None if fields.is_empty() && !operation.body_required => return Ok(None),
        None if fields.is_empty() && operation.body_requires.is_empty() => {
            let flags: Vec<String> = operation.body_fields.iter().map(|field| format!("--{}", field.flag)).collect();
            return Err(format!(
                "a request body is required: --body FILE|-, or body field flags ({})",
                flags.join(", ")
            ));
        }
        // Without --body the flags make the body (with none, the check below names the first
        // required field).
        None => Map::new(),
        Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(body)) => body,
            // Not an object: nothing to set fields on; the typed call reports what is wrong.
            Ok(_) if fields.is_empty() => return Ok(given),
            Ok(_) => return Err("the --body JSON is not an object, so body field flags cannot be set on it".to_owned()),
            Err(_) if fields.is_empty() => return Ok(given),
            // serde_json's syntax messages name a position, never the text.
            Err(error) => return Err(format!("the --body JSON does not parse: {error}")),
        },
    };
    let untouched = fields.is_empty();
    body.extend(fields);
    for name in operation.body_requires {
        if !body.contains_key(*name) {
            return Err(match operation.body_fields.iter().find(|field| field.name == *name) {
                Some(field) => {
                    format!("the body field `{name}` is required: give --{} or set it in --body", field.flag)
                }
                None => format!("the body field `{name}` is required: set it in --body (it has no flag)"),
            });
        }
    }
    if untouched && given.is_some() {
        // As given, so the typed call's errors name lines and columns of the file.
        return Ok(given);
    }
    serde_json::to_vec(&Value::Object(body)).map(Some).map_err(|error| format!("cannot encode the body: {error}"))
}

/// A flag's text as the JSON the parameter's type decodes from: strings as given; numbers,
/// booleans and objects parsed as JSON (the text itself if that fails, so the type's own
/// decoding names the problem).
fn param_value(kind: &str, text: &str) -> Value {
    if kind == "string" || kind.is_empty() {
        return Value::String(text.to_owned());
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

pub(crate) fn params_of(operation: &Operation, matches: &ArgMatches) -> Map<String, Value> {
    let mut params = Map::new();
    for param in operation.params {
        let Some(values) = matches.get_many::<String>(param.name) else { continue };
        let values: Vec<&String> = values.collect();
        let value = if param.kind == "array" {
            Value::Array(values.iter().map(|text| param_value(param.item_kind, text)).collect())
        } else {
            param_value(param.kind, values[0])
        };
        params.insert(param.name.to_owned(), value);
    }
    params
}

pub(crate) fn read_body(source: &str) -> std::io::Result<Vec<u8>> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(source)
    }
}

/// ` (from --flag)` when a body that did not decode failed at a field a flag gave (an integer
/// out of its format's range, `--min-disk 99999999999`); else nothing.
pub(crate) fn given_by_flag(operation: &Operation, matches: &ArgMatches, error: &CallError) -> String {
    let CallError::Body(error) = error else { return String::new() };
    operation
        .body_fields
        .iter()
        .filter(|field| matches.contains_id(&body_field_id(field.name)))
        .find(|field| error.path.strip_prefix(field.name).is_some_and(|rest| rest.is_empty() || rest.starts_with('[')))
        .map(|field| format!(" (from --{})", field.flag))
        .unwrap_or_default()
}
