//! Stage 5: named passes over the syn tree progenitor produced, for what no setting of
//! progenitor or typify offers. Each pass documents the behaviour it changes and has unit tests.

mod open_enums;
mod operation_ids;
mod operation_table;
mod path_segments;
mod runtime_path_parameters;
mod strip_api_version_header;
mod typed_errors;

use openapiv3::OpenAPI;

/// Runs every pass; `spec` is the faithful spec (for names the generator transformed).
pub fn postprocess(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    strip_api_version_header::run(file);
    open_enums::run(file)?;
    operation_ids::run(file, spec);
    operation_table::run(file, spec);
    path_segments::run(file)?;
    runtime_path_parameters::run(file);
    typed_errors::run(file)?;
    Ok(())
}

/// The `types` module of a generated file.
fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}
