//! progenitor's `encode_path` leaves `.` and `..` alone, so a path parameter of `..` is resolved
//! away by the URL parser and the request goes to the parent resource (a `DELETE` one level too
//! high); percent-encoding the dots does not help, since URL parsers treat `%2E%2E` as `..` too.
//! This pass swaps in the runtime's `crate::__private::encode_path`, which keeps only RFC 3986
//! unreserved characters and refuses empty, `.` and `..` segments, and makes every call site
//! fallible (`Error::InvalidRequest`, before anything is sent).
//!
//! Tree surgery (progenitor has no hook for path encoding), so it counts: every `{parameter}` of
//! every path template in the spec must be one rewritten call, or regeneration fails.

use openapiv3::OpenAPI;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::{self, VisitMut};

pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let expected: usize = spec.operations().map(|(path, _, _)| path.matches('{').count()).sum();
    let mut found_import = false;
    for item in &mut file.items {
        if let syn::Item::Use(item_use) = item
            && remove_from_use(&mut item_use.tree)
        {
            found_import = true;
        }
    }
    if found_import {
        let position = file.items.iter().take_while(|item| matches!(item, syn::Item::Use(_))).count();
        file.items.insert(
            position,
            syn::parse_quote!(
                use crate::__private::encode_path;
            ),
        );
    }
    let mut pass = Fallible { rewritten: 0 };
    pass.visit_file_mut(file);
    if pass.rewritten != expected || (expected > 0 && !found_import) {
        return Err(format!(
            "post-process pass `path_segments` rewrote {} `encode_path` calls (progenitor's import {}), \
             expected one per path parameter: {expected}; progenitor's output changed shape",
            pass.rewritten,
            if found_import { "found" } else { "not found" },
        ));
    }
    Ok(())
}

/// Drops `encode_path` from `use progenitor_client::{encode_path, ...}`; true when it was there.
fn remove_from_use(tree: &mut syn::UseTree) -> bool {
    match tree {
        syn::UseTree::Path(path) => path.ident == "progenitor_client" && remove_from_use(&mut path.tree),
        syn::UseTree::Group(group) => {
            let before = group.items.len();
            group.items = std::mem::take(&mut group.items)
                .into_iter()
                .filter(|item| !matches!(item, syn::UseTree::Name(name) if name.ident == "encode_path"))
                .collect();
            group.items.len() != before
        }
        _ => false,
    }
}

/// Rewrites `encode_path(x)` inside `format!` arguments to `encode_path(x).map_err(Error::InvalidRequest)?`.
struct Fallible {
    rewritten: usize,
}

impl VisitMut for Fallible {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = rewrite(std::mem::take(&mut mac.tokens), &mut self.rewritten);
        }
        visit_mut::visit_macro_mut(self, mac);
    }
}

fn rewrite(tokens: TokenStream, rewritten: &mut usize) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        let is_call = matches!(&token, TokenTree::Ident(ident) if ident == "encode_path")
            && matches!(iter.peek(), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis);
        out.extend([token]);
        if is_call {
            out.extend(iter.next());
            out.extend(quote!(.map_err(Error::InvalidRequest)?));
            *rewritten += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(paths: &str) -> OpenAPI {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        serde_yaml::from_str(&text).unwrap()
    }

    const ONE_PARAMETER: &str =
        "  /notebooks/{id}:\n    get:\n      operationId: Show\n      responses: {'200': {description: OK}}\n";

    #[test]
    fn swaps_the_encoder_and_makes_calls_fallible() {
        let mut file: syn::File = syn::parse_quote! {
            use progenitor_client::{encode_path, ClientHooks};
            fn send() { let url = format!("{}/notebooks/{}", client.baseurl, encode_path(&id.to_string())); }
        };
        run(&mut file, &spec(ONE_PARAMETER)).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains("use progenitor_client :: { ClientHooks }"), "{text}");
        assert!(text.contains("use crate :: __private :: encode_path ;"), "{text}");
        assert!(text.contains("encode_path (& id . to_string ()) . map_err (Error :: InvalidRequest) ?"), "{text}");
    }

    #[test]
    fn a_call_site_progenitor_no_longer_writes_that_way_fails_loudly() {
        let mut file: syn::File = syn::parse_quote! {
            use progenitor_client::{encode_path, ClientHooks};
            fn send() { let url = format!("{}/notebooks/{}", client.baseurl, encode_segment(&id)); }
        };
        let error = run(&mut file, &spec(ONE_PARAMETER)).unwrap_err();
        assert!(
            error.contains("`path_segments` rewrote 0") && error.contains("expected one per path parameter: 1"),
            "{error}"
        );
    }
}
