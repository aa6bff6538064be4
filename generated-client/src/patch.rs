//! Constructors for the JSON-patch operations the image update calls take (IMS `UpdateImage`,
//! Glance `GlanceUpdateImage`), so a caller writes `GlanceUpdateImageOperation::replace("name",
//! "web")` instead of spelling out `op`, the slash-prefixed `path` and the value by hand.
//! Hand-written beside the generated types: the specs document the operation shape, and these
//! only fill it in.

use crate::ims::types::{GlanceUpdateImageOperation, PatchOp, UpdateImageOperation};

/// `/name` for `name` or `/name`: both pages want the attribute as a slash-prefixed path.
fn attribute_path(attribute: &str) -> String {
    if attribute.starts_with('/') { attribute.to_owned() } else { format!("/{attribute}") }
}

impl GlanceUpdateImageOperation {
    /// Replaces an existing attribute. The value goes in the attribute's own JSON type (a string
    /// for `name`, a boolean for `protected`, a number for `min_ram`), which Glance checks.
    pub fn replace(attribute: &str, value: impl Into<serde_json::Value>) -> Self {
        Self { op: PatchOp::Replace, path: attribute_path(attribute), value: Some(value.into()) }
    }

    /// Adds an attribute (on an existing one, acts as `replace`).
    pub fn add(attribute: &str, value: impl Into<serde_json::Value>) -> Self {
        Self { op: PatchOp::Add, path: attribute_path(attribute), value: Some(value.into()) }
    }

    /// Removes an attribute; no value is sent.
    pub fn remove(attribute: &str) -> Self {
        Self { op: PatchOp::Remove, path: attribute_path(attribute), value: None }
    }
}

impl UpdateImageOperation {
    /// Replaces an updatable attribute (the `path` documentation lists them); IMS takes every
    /// value as a string.
    pub fn replace(attribute: &str, value: impl Into<String>) -> Self {
        Self { op: PatchOp::Replace, path: attribute_path(attribute), value: value.into() }
    }

    /// Adds an extension attribute (lowercase name).
    pub fn add(attribute: &str, value: impl Into<String>) -> Self {
        Self { op: PatchOp::Add, path: attribute_path(attribute), value: value.into() }
    }

    /// Removes an extension attribute; the page marks `value` mandatory, so an empty one is sent.
    pub fn remove(attribute: &str) -> Self {
        Self { op: PatchOp::Remove, path: attribute_path(attribute), value: String::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn glance_operations_serialize_as_the_v2_1_patch_format() {
        let operations = vec![
            GlanceUpdateImageOperation::replace("name", "web"),
            GlanceUpdateImageOperation::replace("/protected", true),
            GlanceUpdateImageOperation::add("min_ram", 1024),
            GlanceUpdateImageOperation::remove("__description"),
        ];
        assert_eq!(
            serde_json::to_value(&operations).unwrap(),
            json!([
                {"op": "replace", "path": "/name", "value": "web"},
                {"op": "replace", "path": "/protected", "value": true},
                {"op": "add", "path": "/min_ram", "value": 1024},
                {"op": "remove", "path": "/__description"},
            ])
        );
    }

    #[test]
    fn ims_operations_carry_string_values() {
        let operations =
            vec![UpdateImageOperation::replace("name", "ims_test"), UpdateImageOperation::remove("/x_tag")];
        assert_eq!(
            serde_json::to_value(&operations).unwrap(),
            json!([{"op": "replace", "path": "/name", "value": "ims_test"}, {"op": "remove", "path": "/x_tag", "value": ""}])
        );
    }
}
