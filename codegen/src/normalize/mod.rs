//! Stage 3: small named passes that adapt a faithful spec to what progenitor 0.15 and typify
//! support. They work on an in-memory copy; the spec on disk is never edited. Each pass says
//! which limitation it works around, and has its own unit tests.

pub mod bodiless_successes;
mod collapse_success_responses;
mod colliding_enum_variants;
mod documentation_only_constraints;
mod drop_security;
mod error_responses_to_runtime;
pub mod ignored_header_parameters;
pub(crate) mod json_request_media_types;
pub(crate) mod multiple_choices_success;
mod nullable_optional_collections;
pub(crate) mod schemas;
mod server_side_defaults;
pub mod shared_types;
mod untagged_variant_order;

use openapiv3::OpenAPI;

pub use multiple_choices_success::succeeds_only_with_multiple_choices;
pub use schemas::request_body;

/// One normalize pass.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut OpenAPI),
}

/// The passes, in the order they run.
pub const PASSES: &[Pass] = &[
    // Records what the collapse merges away; its post-process half reads it back.
    Pass { name: "bodiless_successes", run: bodiless_successes::run },
    Pass { name: "collapse_success_responses", run: collapse_success_responses::run },
    Pass { name: "multiple_choices_success", run: multiple_choices_success::run },
    Pass { name: "error_responses_to_runtime", run: error_responses_to_runtime::run },
    Pass { name: "drop_security", run: drop_security::run },
    Pass { name: "ignored_header_parameters", run: ignored_header_parameters::run },
    Pass { name: "json_request_media_types", run: json_request_media_types::run },
    Pass { name: "server_side_defaults", run: server_side_defaults::run },
    Pass { name: "colliding_enum_variants", run: colliding_enum_variants::run },
    Pass { name: "documentation_only_constraints", run: documentation_only_constraints::run },
    Pass { name: "nullable_optional_collections", run: nullable_optional_collections::run },
    Pass { name: "untagged_variant_order", run: untagged_variant_order::run },
];

/// Runs every pass on a copy of `spec`, then merges the shared types (`shared_types`: last, so
/// it compares schemas as the other passes left them). That merge is the one pass that can
/// fail: validation checks the same merge on the faithful spec first, so an error here means a
/// pass above changed a shared type's members incompatibly.
pub fn normalize(spec: &OpenAPI) -> Result<OpenAPI, String> {
    let mut copy = spec.clone();
    for pass in PASSES {
        (pass.run)(&mut copy);
    }
    shared_types::run(&mut copy).map_err(|message| format!("normalize pass `shared_types`: {message}"))?;
    Ok(copy)
}

/// Appends a sentence to a schema's description (the facts a pass removes stay documented).
fn document(description: &mut Option<String>, sentence: &str) {
    match description {
        Some(text) if !text.trim().is_empty() => {
            let text_end = text.trim_end().len();
            text.truncate(text_end);
            if !text.ends_with('.') {
                text.push('.');
            }
            text.push(' ');
            text.push_str(sentence);
        }
        _ => *description = Some(sentence.to_owned()),
    }
}

#[cfg(test)]
pub(crate) fn parse(yaml: &str) -> OpenAPI {
    serde_yaml::from_str(yaml).expect("test spec parses")
}
