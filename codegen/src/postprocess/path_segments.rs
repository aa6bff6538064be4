//! progenitor's `encode_path` leaves `.` and `..` alone, so a path parameter of `..` is resolved
//! away by the URL parser and the request goes to the parent resource (a `DELETE` one level too
//! high); percent-encoding the dots does not help, since URL parsers treat `%2E%2E` as `..` too.
//! This pass replaces it with an encoder that keeps only RFC 3986 unreserved characters and
//! refuses empty, `.` and `..` segments with `Error::InvalidRequest` before anything is sent.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::{self, VisitMut};

pub fn run(file: &mut syn::File) -> Result<(), String> {
    let mut found_import = false;
    for item in &mut file.items {
        if let syn::Item::Use(item_use) = item
            && remove_from_use(&mut item_use.tree)
        {
            found_import = true;
        }
    }
    if !found_import {
        return Ok(());
    }
    let position = file.items.iter().take_while(|item| matches!(item, syn::Item::Use(_))).count();
    file.items.insert(position, encoder());
    Fallible.visit_file_mut(file);
    Ok(())
}

fn encoder() -> syn::Item {
    syn::parse_quote! {
        /// Percent-encodes a path parameter into exactly one path segment (RFC 3986 unreserved
        /// characters stay), refusing values no URL can carry as a segment.
        fn encode_path(segment: &str) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            const SEGMENT: &::percent_encoding::AsciiSet = &::percent_encoding::NON_ALPHANUMERIC
                .remove(b'-')
                .remove(b'.')
                .remove(b'_')
                .remove(b'~');
            match segment {
                "" | "." | ".." => Err(format!("path parameter `{segment}` cannot be sent as a URL path segment")),
                _ => Ok(::percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()),
            }
        }
    }
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
struct Fallible;

impl VisitMut for Fallible {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = rewrite(std::mem::take(&mut mac.tokens));
        }
        visit_mut::visit_macro_mut(self, mac);
    }
}

fn rewrite(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        let is_call = matches!(&token, TokenTree::Ident(ident) if ident == "encode_path")
            && matches!(iter.peek(), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis);
        out.extend([token]);
        if is_call {
            out.extend(iter.next());
            out.extend(quote!(.map_err(Error::InvalidRequest)?));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_encoder_and_makes_calls_fallible() {
        let mut file: syn::File = syn::parse_quote! {
            use progenitor_client::{encode_path, ClientHooks};
            fn send() { let url = format!("{}/notebooks/{}", client.baseurl, encode_path(&id.to_string())); }
        };
        run(&mut file).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains("use progenitor_client :: { ClientHooks }"), "{text}");
        assert!(text.contains("fn encode_path (segment : & str)"), "{text}");
        assert!(text.contains("encode_path (& id . to_string ()) . map_err (Error :: InvalidRequest) ?"), "{text}");
    }
}
