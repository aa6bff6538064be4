//! typify represents an optional array or map as a bare `Vec`/`Map` that is skipped when empty,
//! so a documented `"tags": []` decodes and re-encodes without the member: a field silently
//! dropped. Marking optional inline collections `nullable` makes typify generate
//! `Option<Vec<_>>`, which keeps "absent" and "empty" apart (and accepts `null`, which real
//! servers send).

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};

use super::schemas::for_each_schema_mut;

pub fn run(spec: &mut OpenAPI) {
    for_each_schema_mut(spec, &mut |schema| {
        let SchemaKind::Type(Type::Object(object)) = &mut schema.schema_kind else { return };
        for (name, property) in object.properties.iter_mut() {
            if object.required.contains(name) {
                continue;
            }
            let ReferenceOr::Item(property) = property else { continue };
            let is_collection = match &property.schema_kind {
                SchemaKind::Type(Type::Array(_)) => true,
                SchemaKind::Type(Type::Object(inner)) => {
                    inner.properties.is_empty() && inner.additional_properties.is_some()
                }
                _ => false,
            };
            if is_collection {
                property.schema_data.nullable = true;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn optional_arrays_and_maps_become_nullable_required_ones_do_not() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Body:
      type: object
      required: [ids]
      properties:
        tags: {type: array, items: {type: string}}
        ids: {type: array, items: {type: string}}
        labels: {type: object, additionalProperties: {type: string}}
        name: {type: string}
"##,
        );
        run(&mut spec);
        let body = spec.components.unwrap().schemas["Body"].as_item().unwrap().clone();
        let SchemaKind::Type(Type::Object(object)) = body.schema_kind else { panic!() };
        let nullable = |name: &str| object.properties[name].as_item().unwrap().schema_data.nullable;
        assert!(nullable("tags"));
        assert!(!nullable("ids"));
        assert!(nullable("labels"));
        assert!(!nullable("name"));
    }
}
