//! typify enforces value constraints in the generated types: `maxLength` becomes a validating
//! newtype, `minimum: 1` a `NonZeroU32`, an integer `enum` a closed check. Enforced on decode,
//! they make a response the server is free to send (a longer name, a new step number) fail to
//! decode, and they make request building clumsy. The server validates requests anyway, so this
//! pass keeps the limits in the field's documentation and lets the generated types be plain
//! `String`, `i32`, `i64`, `Vec`.

use openapiv3::{AdditionalProperties, OpenAPI, SchemaKind, Type};

use super::{document, schemas::for_each_schema_mut};

pub fn run(spec: &mut OpenAPI) {
    for_each_schema_mut(spec, &mut |schema| {
        let mut limits = Vec::new();
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(min) = string.min_length.take() {
                    limits.push(format!("at least {min} characters"));
                }
                if let Some(max) = string.max_length.take() {
                    limits.push(format!("at most {max} characters"));
                }
                if let Some(pattern) = string.pattern.take() {
                    limits.push(format!("matches `{pattern}`"));
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if let Some(min) = integer.minimum.take() {
                    let bound = if integer.exclusive_minimum { "greater than" } else { "at least" };
                    limits.push(format!("{bound} {min}"));
                }
                if let Some(max) = integer.maximum.take() {
                    let bound = if integer.exclusive_maximum { "less than" } else { "at most" };
                    limits.push(format!("{bound} {max}"));
                }
                integer.exclusive_minimum = false;
                integer.exclusive_maximum = false;
                if let Some(step) = integer.multiple_of.take() {
                    limits.push(format!("a multiple of {step}"));
                }
                let values: Vec<String> = integer.enumeration.drain(..).flatten().map(|v| v.to_string()).collect();
                if !values.is_empty() {
                    limits.push(format!("one of {}", values.join(", ")));
                }
            }
            SchemaKind::Type(Type::Number(number)) => {
                if let Some(min) = number.minimum.take() {
                    limits.push(format!("at least {min}"));
                }
                if let Some(max) = number.maximum.take() {
                    limits.push(format!("at most {max}"));
                }
                number.exclusive_minimum = false;
                number.exclusive_maximum = false;
                number.multiple_of = None;
                let values: Vec<String> = number.enumeration.drain(..).flatten().map(|v| v.to_string()).collect();
                if !values.is_empty() {
                    limits.push(format!("one of {}", values.join(", ")));
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(min) = array.min_items.take() {
                    limits.push(format!("at least {min} items"));
                }
                if let Some(max) = array.max_items.take() {
                    limits.push(format!("at most {max} items"));
                }
                if std::mem::take(&mut array.unique_items) {
                    limits.push("items are unique".to_owned());
                }
            }
            SchemaKind::Type(Type::Object(object)) => {
                // `additionalProperties: false` becomes `deny_unknown_fields`: a field the server
                // adds would fail decoding. Distinct Rust types already keep variants apart.
                if matches!(object.additional_properties, Some(AdditionalProperties::Any(false))) {
                    object.additional_properties = None;
                    limits.push("no other members are documented".to_owned());
                }
            }
            _ => {}
        }
        if !limits.is_empty() {
            let mut sentence = limits.join(", ");
            sentence[..1].make_ascii_uppercase();
            document(&mut schema.schema_data.description, &format!("{sentence}."));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    fn property(spec: &OpenAPI, name: &str) -> openapiv3::Schema {
        let body = spec.components.as_ref().unwrap().schemas["Body"].as_item().unwrap();
        let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else { panic!() };
        object.properties[name].as_item().unwrap().as_ref().clone()
    }

    #[test]
    fn limits_move_to_the_description() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Body:
      type: object
      properties:
        name: {type: string, maxLength: 512, description: Image name}
        min_disk: {type: integer, format: int32, minimum: 1, maximum: 1024}
        step: {type: integer, enum: [1, 2, 3, 4]}
        tags: {type: array, items: {type: string}, maxItems: 10}
    Closed:
      type: object
      additionalProperties: false
      properties:
        name: {type: string}
"##,
        );
        run(&mut spec);
        let name = property(&spec, "name");
        let SchemaKind::Type(Type::String(string)) = &name.schema_kind else { panic!() };
        assert_eq!(string.max_length, None);
        assert_eq!(name.schema_data.description.as_deref(), Some("Image name. At most 512 characters."));
        let min_disk = property(&spec, "min_disk");
        let SchemaKind::Type(Type::Integer(integer)) = &min_disk.schema_kind else { panic!() };
        assert_eq!((integer.minimum, integer.maximum), (None, None));
        assert_eq!(min_disk.schema_data.description.as_deref(), Some("At least 1, at most 1024."));
        let step = property(&spec, "step");
        let SchemaKind::Type(Type::Integer(integer)) = &step.schema_kind else { panic!() };
        assert!(integer.enumeration.is_empty());
        assert_eq!(step.schema_data.description.as_deref(), Some("One of 1, 2, 3, 4."));
        assert_eq!(property(&spec, "tags").schema_data.description.as_deref(), Some("At most 10 items."));
        let closed = spec.components.as_ref().unwrap().schemas["Closed"].as_item().unwrap();
        let SchemaKind::Type(Type::Object(object)) = &closed.schema_kind else { panic!() };
        assert_eq!(object.additional_properties, None);
    }
}
