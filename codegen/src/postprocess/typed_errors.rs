//! progenitor's `send()` returns `progenitor_client::Error<E>`, which does not name the
//! operation, and whose error responses are raw `reqwest::Response`s the caller must read.
//! This pass makes every `send()` return the runtime's `crate::Error`: the generated body runs
//! unchanged inside an async block, and a failure goes through `crate::Error::from_generated_error`,
//! which reads the error body into status, service code, message and request id.

use syn::visit_mut::{self, VisitMut};

/// The runtime's conversion, in the crate that includes the generated module.
const ERROR_TYPE: &str = "crate::Error";

/// Every operation has one `send`.
pub fn run(file: &mut syn::File, spec: &openapiv3::OpenAPI) -> Result<(), String> {
    let mut pass = Wrap { error: None, wrapped: 0 };
    pass.visit_file_mut(file);
    pass.error.map_or(Ok(()), Err)?;
    super::expect_sites("typed_errors", "`send` functions", pass.wrapped, super::operation_count(spec))
}

struct Wrap {
    error: Option<String>,
    wrapped: usize,
}

impl VisitMut for Wrap {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident == "send" && function.sig.asyncness.is_some() {
            match wrap(function) {
                Ok(()) => self.wrapped += 1,
                Err(message) => {
                    self.error.get_or_insert(message);
                }
            }
            return;
        }
        visit_mut::visit_impl_item_fn_mut(self, function);
    }
}

fn wrap(function: &mut syn::ImplItemFn) -> Result<(), String> {
    let syn::ReturnType::Type(_, generated_type) = &function.sig.output else {
        return Err("a generated `send` has no return type".to_owned());
    };
    let generated_type = generated_type.as_ref().clone();
    let success = success_type(&generated_type).ok_or("a generated `send` does not return `Result<_, Error<_>>`")?;
    let operation = super::operation_id(&function.block).ok_or("a generated `send` has no `OperationInfo`")?;
    let error_type: syn::Path = syn::parse_str(ERROR_TYPE).expect("a path");
    let statements = std::mem::take(&mut function.block.stmts);
    function.sig.output = syn::parse_quote!(-> Result<#success, #error_type>);
    // The success value is returned as it is; only a failure goes through the (async)
    // conversion, so a large response struct is not moved through another future.
    // `started` lets a timeout say after how long it gave up.
    function.block = syn::parse_quote!({
        let started = ::std::time::Instant::now();
        let result: #generated_type = async move {}.await;
        match result {
            Ok(value) => Ok(value),
            Err(error) => Err(#error_type::from_generated_error(error, #operation, started).await),
        }
    });
    // The body moves into the async block as it is: interpolating it into the template would
    // print and re-parse every `send` (the slowest part of this pass on large specs).
    let template_error = || "post-process pass `typed_errors`: its template has no `async move {}` to fill".to_owned();
    let Some(syn::Stmt::Local(syn::Local { init: Some(init), .. })) = function.block.stmts.get_mut(1) else {
        return Err(template_error());
    };
    let syn::Expr::Await(awaited) = init.expr.as_mut() else { return Err(template_error()) };
    let syn::Expr::Async(body) = awaited.base.as_mut() else { return Err(template_error()) };
    body.block.stmts = statements;
    Ok(())
}

/// `T` of `Result<T, Error<E>>`.
fn success_type(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|segment| segment.ident == "Result")?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(success) => Some(success.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn send_returns_the_runtime_error_and_names_the_operation() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> ShowNotebook<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::ShowNotebookResponse>, Error<()>> {
                    let info = OperationInfo { operation_id: "ShowNotebook" };
                    client.exec(request, &info).await?;
                    Err(Error::UnexpectedResponse(response))
                }
            }
        };
        run(&mut file, &super::super::test_spec::one_operation("/a")).unwrap();
        let text = quote!(#file).to_string();
        assert!(
            text.contains("-> Result < ResponseValue < types :: ShowNotebookResponse > , crate :: Error >"),
            "{text}"
        );
        assert!(
            text.contains(
                "let result : Result < ResponseValue < types :: ShowNotebookResponse > , Error < () > > = async move"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Err (error) => Err (crate :: Error :: from_generated_error (error , \"ShowNotebook\" , started) . await)"
            ),
            "{text}"
        );
    }
}
