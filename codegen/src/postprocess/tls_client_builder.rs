//! progenitor's `Client::new` builds its HTTP client from `reqwest::ClientBuilder::new()`.
//! This crate's reqwest has no default crypto provider (see `otc_client::tls`: ring, handed to
//! reqwest preconfigured), so that builder would panic; this pass starts from the runtime's
//! `crate::tls::client_builder()` instead, with the same timeouts after it.

use syn::visit_mut::{self, VisitMut};

pub fn run(file: &mut syn::File) {
    Replace.visit_file_mut(file);
}

struct Replace;

impl VisitMut for Replace {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Call(call) = expr
            && call.args.is_empty()
            && let syn::Expr::Path(function) = call.func.as_ref()
            && quote::quote!(#function).to_string().replace(' ', "").ends_with("reqwest::ClientBuilder::new")
        {
            *expr = syn::parse_quote!(crate::tls::client_builder());
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_client_builder_comes_from_the_runtime() {
        let mut file: syn::File = syn::parse_quote! {
            fn new() -> Client {
                let client = { reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur) };
                let other = ::reqwest::ClientBuilder::new();
                Client { client: client.build().unwrap() }
            }
        };
        run(&mut file);
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("ClientBuilder :: new"), "{text}");
        assert_eq!(text.matches("crate :: tls :: client_builder ()").count(), 2, "{text}");
        assert!(text.contains("crate :: tls :: client_builder () . connect_timeout (dur) . timeout (dur)"), "{text}");
    }
}
