//! Glance's version discovery (`GET /`, `GET /{version}`) answers `300 Multiple Choices` with
//! the version list as its body, and documents no 2xx. progenitor treats only 2xx as success
//! and ignores a 300 entirely, so the call would have no typed result. (reqwest does not
//! follow a 300: it has no `Location` to follow.)
//!
//! This pass hands progenitor that 300 as a `200`, so the body is typed; the
//! `multiple_choices_status` post-process pass puts the documented status back into the
//! generated match, so the call still accepts exactly what the spec says.

use openapiv3::{OpenAPI, Operation, ReferenceOr, StatusCode};

pub fn run(spec: &mut OpenAPI) {
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            if succeeds_only_with_multiple_choices(operation) {
                let responses = &mut operation.responses.responses;
                let at = responses.get_index_of(&StatusCode::Code(300)).expect("checked above");
                let (_, response) = responses.shift_remove_index(at).expect("checked above");
                responses.shift_insert(at, StatusCode::Code(200), response);
            }
        }
    }
}

/// No 2xx or `default`, but a 300.
pub fn succeeds_only_with_multiple_choices(operation: &Operation) -> bool {
    let responses = &operation.responses;
    responses.default.is_none()
        && responses.responses.contains_key(&StatusCode::Code(300))
        && !responses
            .responses
            .keys()
            .any(|status| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn a_lone_300_is_presented_as_200() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /:
    get:
      operationId: ListVersions
      responses:
        "300": {description: Versions, content: {application/json: {schema: {type: object}}}}
        "400": {description: Bad}
  /v2:
    get:
      operationId: Other
      responses:
        "200": {description: OK}
        "300": {description: Versions}
"##,
        );
        run(&mut spec);
        let codes = |path: &str| -> Vec<String> {
            let operation = spec.paths.paths[path].as_item().unwrap().get.as_ref().unwrap();
            operation.responses.responses.keys().map(ToString::to_string).collect()
        };
        assert_eq!(codes("/"), ["200", "400"]);
        assert_eq!(codes("/v2"), ["200", "300"]);
    }
}

/// The post-process half: what the generated code needs after progenitor ran on the normalized
/// spec. Both halves live here so a reader sees the whole adaptation at once.
///
/// The counterpart of the `multiple_choices_success` normalize pass: progenitor generated the
/// success arm of a 300-only operation as `200u16 => …`; this pass makes it `300u16`, the
/// status the service documents, so a 200 is as unexpected as the spec says it is.
pub(crate) mod status {
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
        crate::postprocess::expect_sites("multiple_choices_status", "`200u16` success arms", pass.rewritten, expected)
    }

    struct Rewrite {
        operations: HashSet<String>,
        inside: bool,
        rewritten: usize,
    }

    impl VisitMut for Rewrite {
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            let targeted = function.sig.ident == "send"
                && crate::postprocess::operation_id(&function.block)
                    .is_some_and(|id| self.operations.contains(&id.value()));
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
}
