//! progenitor starts an optional request body at its default value and always sends it, so a
//! call that sets no body still sends `{}`. A real Glance refuses that on `DELETE
//! /v2/images/{id}` ("A body is not expected with this request", 400). This pass makes an
//! optional body optional on the wire: the builder remembers whether `body`/`body_map` was
//! called, and `send()` drops the body (and its `Content-Type`) when it was not.

use std::collections::HashSet;

use heck::ToPascalCase;
use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

const FLAG: &str = "body_set";

/// Each builder of an optional body gets its flag field, its initializer, at least one setter
/// and the strip in `send`; each count must match the number of such operations.
pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let builders = optional_body_builders(spec);
    let expected = builders.len();
    let mut pass = Track { builders, current: None, counts: Counts::default() };
    pass.visit_file_mut(file);
    let Counts { fields, initializers, setters, strips } = pass.counts;
    super::expect_sites("optional_request_body", "builder fields", fields, expected)?;
    super::expect_sites("optional_request_body", "builder initializers", initializers, expected)?;
    super::expect_sites("optional_request_body", "request strips in `send`", strips, expected)?;
    if setters < expected {
        return super::expect_sites("optional_request_body", "body setters (at least)", setters, expected);
    }
    Ok(())
}

#[derive(Default)]
struct Counts {
    fields: usize,
    initializers: usize,
    setters: usize,
    strips: usize,
}

/// Builder names (`GlanceDeleteImage`) of the operations whose request body is not required.
fn optional_body_builders(spec: &OpenAPI) -> HashSet<String> {
    spec.operations()
        .filter_map(|(_, _, operation)| {
            let body = crate::normalize::request_body(spec.components.as_ref(), operation.request_body.as_ref()?)?;
            (!body.required).then(|| operation.operation_id.as_deref().map(ToPascalCase::to_pascal_case))?
        })
        .collect()
}

struct Track {
    builders: HashSet<String>,
    /// The builder whose `impl` block is being visited.
    current: Option<String>,
    counts: Counts,
}

impl VisitMut for Track {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if self.builders.contains(&item.ident.to_string())
            && let syn::Fields::Named(fields) = &mut item.fields
            && fields.named.iter().any(|field| field.ident.as_ref().is_some_and(|name| name == "client"))
        {
            let flag = quote::format_ident!("{FLAG}");
            fields.named.push(syn::parse_quote!(#flag: bool));
            self.counts.fields += 1;
        }
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let name = match item.self_ty.as_ref() {
            syn::Type::Path(path) if item.trait_.is_none() => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(&mut self.current, name.filter(|name| self.builders.contains(name)));
        visit_mut::visit_item_impl_mut(self, item);
        self.current = outer;
    }

    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if self.current.is_none() {
            return;
        }
        let flag = quote::format_ident!("{FLAG}");
        let statements = &mut function.block.stmts;
        match function.sig.ident.to_string().as_str() {
            "new" => {
                if let Some(syn::Stmt::Expr(syn::Expr::Struct(literal), _)) = statements.last_mut() {
                    literal.fields.push(syn::parse_quote!(#flag: false));
                    self.counts.initializers += 1;
                }
            }
            "body" | "body_map" => {
                let at = statements.len().saturating_sub(1);
                statements.insert(at, syn::parse_quote!(self.#flag = true;));
                self.counts.setters += 1;
            }
            "send" => {
                let mut send = Send { strips: 0 };
                send.visit_block_mut(&mut function.block);
                self.counts.strips += send.strips;
            }
            _ => {}
        }
    }
}

/// Inside `send()`: destructure the flag, check the body only when set, and strip the unset
/// body (serialized as `null`) once the request is built.
struct Send {
    strips: usize,
}

impl VisitMut for Send {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let flag = quote::format_ident!("{FLAG}");
        let mut index = 0;
        while index < block.stmts.len() {
            if let syn::Stmt::Local(local) = &mut block.stmts[index] {
                if let syn::Pat::Struct(pattern) = &mut local.pat
                    && pattern.path.is_ident("Self")
                {
                    let extended: syn::Pat = syn::parse_quote!(Self { #flag });
                    if let syn::Pat::Struct(extended) = extended {
                        pattern.fields.extend(extended.fields);
                    }
                }
                // `let body = body.map_err(..)?;` checks the body only when one was set (an
                // unset body of a type without a builder is an "uninitialized" error).
                if let syn::Pat::Ident(binding) = &local.pat
                    && binding.ident == "body"
                    && let Some(init) = &mut local.init
                {
                    let checked = &init.expr;
                    *init.expr = syn::parse_quote!(if #flag { Some(#checked) } else { None });
                }
                if let syn::Pat::Ident(binding) = &local.pat
                    && binding.ident == "request"
                {
                    let strip: syn::Stmt = syn::parse_quote! {
                        if !#flag {
                            *request.body_mut() = None;
                            request.headers_mut().remove(::reqwest::header::CONTENT_TYPE);
                        }
                    };
                    block.stmts.insert(index + 1, strip);
                    self.strips += 1;
                    index += 1;
                }
            }
            index += 1;
        }
        visit_mut::visit_block_mut(self, block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn an_unset_optional_body_is_not_sent() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    delete:\n      operationId: GlanceDeleteImage\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {'204': {description: OK}}\n    put:\n      operationId: Required\n      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}\n      responses: {'204': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote! {
            pub struct GlanceDeleteImage<'a> { client: &'a super::Client, body: Result<Body, String> }
            impl<'a> GlanceDeleteImage<'a> {
                pub fn new(client: &'a super::Client) -> Self { Self { client: client, body: Ok(Default::default()) } }
                pub fn body<V>(mut self, value: V) -> Self { self.body = value.try_into(); self }
                pub async fn send(self) -> Result<(), Error> {
                    let Self { client, body } = self;
                    let body = body.map_err(Error::InvalidRequest)?;
                    let mut request = client.client.delete(url).json(&body).build()?;
                    client.exec(request).await
                }
            }
            pub struct Required<'a> { client: &'a super::Client, body: Result<Body, String> }
        };
        run(&mut file, &spec).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains("body : Result < Body , String > , body_set : bool }"), "{text}");
        assert!(text.contains("body : Ok (Default :: default ()) , body_set : false }"), "{text}");
        assert!(text.contains("self . body_set = true ; self }"), "{text}");
        assert!(text.contains("let Self { client , body , body_set } = self ;"), "{text}");
        assert!(text.contains("if ! body_set { * request . body_mut () = None ;"), "{text}");
        assert!(
            text.contains(
                "let body = if body_set { Some (body . map_err (Error :: InvalidRequest) ?) } else { None } ;"
            ),
            "{text}"
        );
        assert_eq!(text.matches("body_set : bool").count(), 1, "the required body is untouched: {text}");
    }
}
