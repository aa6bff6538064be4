//! Hooks only learn the operation id of a call. Traces want the path template
//! (`/v1/{project_id}/notebooks/{id}`, never the concrete path with ids in it), and the runtime
//! must know which operations take no credentials (`security: []`, as IAM token creation), so
//! this pass adds a table of every operation's id, method, template and whether it is
//! authenticated to the generated module.

use openapiv3::OpenAPI;

pub fn run(file: &mut syn::File, spec: &OpenAPI) {
    let document_secured = spec.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let rows = spec.operations().filter_map(|(path, method, operation)| {
        let id = operation.operation_id.as_deref()?;
        let method = method.to_uppercase();
        let authenticated = match &operation.security {
            Some(requirements) => !requirements.is_empty(),
            None => document_secured,
        };
        Some(quote::quote!((#id, #method, #path, #authenticated)))
    });
    let table: syn::Item = syn::parse_quote! {
        /// Every operation of this module: (operation id, method, path template, whether it
        /// takes credentials).
        pub const OPERATIONS: &[(&str, &str, &str, bool)] = &[#(#rows),*];
    };
    let position = file.items.iter().take_while(|item| matches!(item, syn::Item::Use(_))).count();
    file.items.insert(position, table);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_operation() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{token: []}]\npaths:\n  /v1/{project_id}/notebooks/{id}:\n    get:\n      operationId: ShowNotebook\n      responses: {'200': {description: OK}}\n  /v3/auth/tokens:\n    post:\n      operationId: CreateToken\n      security: []\n      responses: {'201': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote!(
            use a::b;
        );
        run(&mut file, &spec);
        let text = quote::quote!(#file).to_string();
        assert!(text.contains("(\"ShowNotebook\" , \"GET\" , \"/v1/{project_id}/notebooks/{id}\" , true)"), "{text}");
        assert!(text.contains("(\"CreateToken\" , \"POST\" , \"/v3/auth/tokens\" , false)"), "{text}");
    }
}
