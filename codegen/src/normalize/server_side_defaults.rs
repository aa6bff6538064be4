//! typify turns a documented `default` into a non-optional field filled in on decode and always
//! sent on encode: a request built without `origin` would send `"origin": "CUSTOMIZE"`, and a
//! response without `arch` would re-encode with one. A default is the server's business, so this
//! pass moves every `default` into the description; the field stays optional and is sent only
//! when the caller sets it.

use openapiv3::OpenAPI;
use serde_json::Value;

use super::{document, schemas::for_each_schema_mut};

pub fn run(spec: &mut OpenAPI) {
    for_each_schema_mut(spec, &mut |schema| {
        if let Some(default) = schema.schema_data.default.take() {
            let shown = match &default {
                Value::String(text) => format!("`{text}`"),
                other => format!("`{other}`"),
            };
            document(&mut schema.schema_data.description, &format!("The server's default is {shown}."));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn moves_defaults_into_descriptions() {
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
        origin: {type: string, default: CUSTOMIZE, description: Image source}
        count: {type: integer, default: 0}
"##,
        );
        run(&mut spec);
        let body = spec.components.unwrap().schemas["Body"].as_item().unwrap().clone();
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = body.schema_kind else { panic!() };
        let origin = object.properties["origin"].as_item().unwrap();
        assert_eq!(origin.schema_data.default, None);
        assert_eq!(
            origin.schema_data.description.as_deref(),
            Some("Image source. The server's default is `CUSTOMIZE`.")
        );
        let count = object.properties["count"].as_item().unwrap();
        assert_eq!(count.schema_data.description.as_deref(), Some("The server's default is `0`."));
    }
}
