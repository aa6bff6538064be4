//! typify turns a `oneOf` into an untagged serde enum, which decodes a body as the *first*
//! variant that fits. Closed variants (`additionalProperties: false`) stay open in the generated
//! types (`documentation_only_constraints`), so a variant with fewer required fields fits every
//! body of a more specific one: IMS CreateImage's ECS mode (nothing required) would swallow the
//! OBS file and data disk bodies and drop their fields. `oneOf` order means nothing in OpenAPI;
//! this pass lists variants with more required fields first (stable otherwise), so a body
//! decodes as the most specific variant it satisfies.

use openapiv3::{Components, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::for_each_schema_mut;

pub fn run(spec: &mut OpenAPI) {
    let components = spec.components.clone();
    for_each_schema_mut(spec, &mut |schema| {
        let SchemaKind::OneOf { one_of } = &mut schema.schema_kind else { return };
        one_of.sort_by_key(|variant| std::cmp::Reverse(required_count(components.as_ref(), variant)));
    });
}

/// How many properties an object variant (inline or a component `$ref`) requires; 0 otherwise.
fn required_count(components: Option<&Components>, variant: &ReferenceOr<Schema>) -> usize {
    let schema = match variant {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            reference.strip_prefix("#/components/schemas/").and_then(|name| components?.schemas.get(name)?.as_item())
        }
    };
    match schema.map(|schema| &schema.schema_kind) {
        Some(SchemaKind::Type(Type::Object(object))) => object.required.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    fn variants(spec: &OpenAPI, name: &str) -> Vec<String> {
        let schema = spec.components.as_ref().unwrap().schemas[name].as_item().unwrap();
        let SchemaKind::OneOf { one_of } = &schema.schema_kind else { panic!("{name} is a oneOf") };
        one_of
            .iter()
            .map(|variant| match variant {
                ReferenceOr::Reference { reference } => reference.clone(),
                ReferenceOr::Item(item) => format!("inline {:?}", item.schema_data.title),
            })
            .collect()
    }

    #[test]
    fn variants_with_more_required_fields_come_first_and_ties_keep_their_order() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Body:
      oneOf:
        - $ref: "#/components/schemas/Loose"
        - $ref: "#/components/schemas/FileA"
        - {title: inline, type: object, required: [a, b, c, d], properties: {a: {type: string}}}
        - $ref: "#/components/schemas/FileB"
        - $ref: "#/components/schemas/Missing"
    Loose: {type: object, properties: {name: {type: string}}}
    FileA: {type: object, required: [name, url], properties: {name: {type: string}, url: {type: string}}}
    FileB: {type: object, required: [name, disk], properties: {name: {type: string}, disk: {type: string}}}
"##,
        );
        run(&mut spec);
        assert_eq!(
            variants(&spec, "Body"),
            [
                "inline Some(\"inline\")",
                "#/components/schemas/FileA",
                "#/components/schemas/FileB",
                "#/components/schemas/Loose",
                "#/components/schemas/Missing",
            ]
        );
    }
}
