//! typify names enum variants after their values in PascalCase and gives up (progenitor then
//! panics) when two values give the same name, as IMS's `__lazyloading` does with `true`,
//! `false`, `True`, `False`. Such a field is generated as a plain `String`, which takes every
//! value the server sends; the documented values stay in its documentation.

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, SchemaKind, Type};

use super::{document, schemas::for_each_schema_mut};

pub fn run(spec: &mut OpenAPI) {
    for_each_schema_mut(spec, &mut |schema| {
        let SchemaKind::Type(Type::String(string)) = &mut schema.schema_kind else { return };
        let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
        if !collide(&values) {
            return;
        }
        string.enumeration.clear();
        let listed = values.iter().map(|value| format!("`{value}`")).collect::<Vec<_>>().join(", ");
        document(&mut schema.schema_data.description, &format!("Documented values: {listed}."));
    });
}

/// Whether two values would get the same variant name.
pub fn collide(values: &[String]) -> bool {
    let mut names: Vec<String> = values.iter().map(|value| variant_name(value)).collect();
    names.sort();
    names.windows(2).any(|pair| pair[0] == pair[1])
}

fn variant_name(value: &str) -> String {
    let words: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    words.to_upper_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn values_differing_only_in_case_become_a_documented_string() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Image:
      type: object
      properties:
        __lazyloading: {type: string, description: Lazy loading, enum: ['true', 'false', 'True', 'False']}
        status: {type: string, enum: [active, queued]}
"##,
        );
        run(&mut spec);
        let image = serde_json::to_value(&spec.components.unwrap().schemas["Image"]).unwrap();
        let lazy = &image["properties"]["__lazyloading"];
        assert!(lazy.get("enum").is_none(), "{lazy}");
        assert_eq!(lazy["description"], "Lazy loading. Documented values: `true`, `false`, `True`, `False`.");
        assert_eq!(image["properties"]["status"]["enum"], serde_json::json!(["active", "queued"]));
    }

    #[test]
    fn collisions_are_found_after_naming() {
        let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
        assert!(collide(&owned(&["x86_64", "X86_64"])));
        assert!(collide(&owned(&["in-progress", "in_progress"])));
        assert!(!collide(&owned(&["x86", "arm", "True"])));
    }
}
