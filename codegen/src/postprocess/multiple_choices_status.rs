//! The counterpart of the `multiple_choices_success` normalize pass: progenitor generated the
//! success arm of a 300-only operation as `200u16 => …`; this pass makes it `300u16`, the
//! status the service documents, so a 200 is as unexpected as the spec says it is.

use std::collections::HashSet;

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

use crate::normalize::succeeds_only_with_multiple_choices;

pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let operations: HashSet<String> = spec
        .operations()
        .filter(|(_, _, operation)| succeeds_only_with_multiple_choices(operation))
        .filter_map(|(_, _, operation)| operation.operation_id.clone())
        .collect();
    let expected = operations.len();
    let mut pass = Rewrite { operations, inside: false, rewritten: 0 };
    pass.visit_file_mut(file);
    super::expect_sites("multiple_choices_status", "`200u16` success arms", pass.rewritten, expected)
}

struct Rewrite {
    operations: HashSet<String>,
    inside: bool,
    rewritten: usize,
}

impl VisitMut for Rewrite {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        let targeted = function.sig.ident == "send"
            && super::operation_id(&function.block).is_some_and(|id| self.operations.contains(&id.value()));
        let outer = std::mem::replace(&mut self.inside, targeted);
        visit_mut::visit_impl_item_fn_mut(self, function);
        self.inside = outer;
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if self.inside
            && let syn::Pat::Lit(pattern) = &mut arm.pat
            && let syn::Lit::Int(code) = &pattern.lit
            && code.base10_digits() == "200"
        {
            pattern.lit = syn::Lit::Int(syn::LitInt::new("300u16", code.span()));
            self.rewritten += 1;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_success_arm_matches_300_again() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /:\n    get:\n      operationId: ListVersions\n      responses: {'300': {description: Versions}}\n  /a:\n    get:\n      operationId: Other\n      responses: {'200': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> ListVersions<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let info = OperationInfo { operation_id: "ListVersions" };
                    match response.status().as_u16() { 200u16 => decode(), _ => unexpected() }
                }
            }
            impl<'a> Other<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let info = OperationInfo { operation_id: "Other" };
                    match response.status().as_u16() { 200u16 => decode(), _ => unexpected() }
                }
            }
        };
        run(&mut file, &spec).unwrap();
        let text = quote!(#file).to_string();
        assert_eq!(text.matches("300u16 => decode ()").count(), 1, "{text}");
        assert_eq!(text.matches("200u16 => decode ()").count(), 1, "{text}");
        assert!(text.find("300u16").unwrap() < text.find("Other").unwrap(), "{text}");
    }
}
