//! The glue between the generated clients and the runtime: progenitor calls `pre` before the
//! first send (authentication, whose failure is an error the caller sees) and `exec` to send
//! (retries, tracing). Implemented for every generated `Client`, from outside the generated code.

// With no service feature there is no generated client to hook.
#![cfg_attr(not(any(feature = "modelarts", feature = "ims", feature = "iam")), allow(unused))]

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::Runtime;

macro_rules! runtime_hooks {
    ($($module:ident),* $(,)?) => {$(
        impl ClientHooks<Runtime> for crate::$module::Client {
            async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), Error<E>> {
                ask_for_json_errors(request);
                // A hook fails only with a string: the typed cause travels beside it.
                self.inner()
                    .authorize(request, info, crate::$module::OPERATIONS)
                    .await
                    .map_err(|cause| Error::Custom(crate::handoff::file(cause)))
            }

            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                self.inner().execute(self.client(), request, info, crate::$module::OPERATIONS).await
            }
        }
    )*};
}

#[cfg(feature = "modelarts")]
runtime_hooks!(modelarts);
#[cfg(feature = "ims")]
runtime_hooks!(ims);
#[cfg(feature = "iam")]
runtime_hooks!(iam);

/// A call whose success has no body (a 204, a raw download) gets no `Accept` header from the
/// generated code, and Glance then answers errors as HTML or plain text. Asking for JSON first
/// (anything else still acceptable) gets its `{"code","title","message"}` error body, which
/// `Error` reads.
fn ask_for_json_errors(request: &mut reqwest::Request) {
    use reqwest::header::{ACCEPT, HeaderValue};
    request.headers_mut().entry(ACCEPT).or_insert(HeaderValue::from_static("application/json, */*;q=0.5"));
}
