//! progenitor's `Client::new` builds its HTTP client as
//! `{ let dur = 15 s; reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur) }`. That
//! builder has no TLS provider in this crate (reqwest would panic), follows redirects with the
//! credentials on, and its whole-request timeout kills any large image transfer. This pass
//! replaces the whole expression with the runtime's `crate::http::client_builder()`, which owns
//! TLS, the redirect policy and transfer-friendly timeouts.
//!
//! progenitor offers no setting for the client it builds (only `new_with_client`, which users
//! may call), so this is tree surgery; it counts what it rewrote and fails when progenitor's
//! output no longer has the expected shape.

use syn::visit_mut::{self, VisitMut};

/// The runtime's builder, in the crate that includes the generated module.
const RUNTIME_BUILDER: &str = "crate::http::client_builder()";

/// `Client::new` has one builder expression per `cfg` branch (native and wasm32).
const EXPECTED_SITES: usize = 2;

pub fn run(file: &mut syn::File) -> Result<(), String> {
    let mut pass = Replace { rewritten: 0 };
    pass.visit_file_mut(file);
    if pass.rewritten != EXPECTED_SITES {
        return Err(format!(
            "post-process pass `http_client_builder` rewrote {} `reqwest::ClientBuilder::new()` expressions, \
             expected {EXPECTED_SITES} (one per cfg branch of `Client::new`): progenitor's output changed shape",
            pass.rewritten
        ));
    }
    Ok(())
}

struct Replace {
    rewritten: usize,
}

impl VisitMut for Replace {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if builds_a_client(expr) {
            *expr = syn::parse_str(RUNTIME_BUILDER).expect("a valid expression");
            self.rewritten += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// A block ending in, or an expression that is, a method chain rooted at
/// `reqwest::ClientBuilder::new()`.
fn builds_a_client(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Block(block) => match block.block.stmts.last() {
            Some(syn::Stmt::Expr(last, None)) => chain_root_is_client_builder(last),
            _ => false,
        },
        other => chain_root_is_client_builder(other),
    }
}

fn chain_root_is_client_builder(mut expr: &syn::Expr) -> bool {
    while let syn::Expr::MethodCall(call) = expr {
        expr = &call.receiver;
    }
    let syn::Expr::Call(call) = expr else { return false };
    let syn::Expr::Path(function) = call.func.as_ref() else { return false };
    let segments: Vec<String> = function.path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    call.args.is_empty() && segments.ends_with(&["reqwest".into(), "ClientBuilder".into(), "new".into()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_client_builder_comes_from_the_runtime() {
        let mut file: syn::File = syn::parse_quote! {
            fn new() -> Client {
                #[cfg(not(target_arch = "wasm32"))]
                let client = {
                    let dur = ::std::time::Duration::from_secs(15u64);
                    reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
                };
                #[cfg(target_arch = "wasm32")]
                let client = ::reqwest::ClientBuilder::new();
                Client { client: client.build().unwrap() }
            }
        };
        run(&mut file).unwrap();
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("ClientBuilder :: new"), "{text}");
        assert!(!text.contains("dur"), "the whole-request timeout is gone: {text}");
        assert_eq!(text.matches("crate :: http :: client_builder ()").count(), 2, "{text}");
    }

    #[test]
    fn a_changed_shape_fails_loudly() {
        let mut file: syn::File = syn::parse_quote! {
            fn new() -> Client { Client { client: make_a_client() } }
        };
        let error = run(&mut file).unwrap_err();
        assert!(error.contains("http_client_builder") && error.contains("rewrote 0"), "{error}");
    }
}
