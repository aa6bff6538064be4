//! Stage 4: progenitor turns the normalized spec into a token stream, parsed as a syn file.
//! Validation should have caught everything progenitor rejects; a panic that still escapes it
//! is caught and reported as an error naming the file, never propagated.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use crate::error::Result;
use crate::load::Spec;

/// The hand-written runtime every generated `Client` carries (auth, retries, project id).
const RUNTIME_TYPE: &str = "crate::Runtime";

/// Settings shared by every generated module: builder-style calls (`client.show_notebook()
/// .id(..).send()`), one `Client` per spec, `PartialEq` on every type for tests and users, and
/// the runtime as progenitor's inner type, whose `ClientHooks` the runtime implements by hand.
pub(crate) fn settings() -> GenerationSettings {
    let runtime: proc_macro2::TokenStream = RUNTIME_TYPE.parse().expect("a type path");
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(runtime)
        .with_hooks(HooksMode::Expected);
    settings
}

thread_local! {
    /// Set while this thread runs progenitor under [`catch_quietly`].
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once per process, a panic hook that keeps quiet about panics on threads inside
/// [`catch_quietly`] and hands every other panic to the hook that was there before. (Swapping
/// the process-wide hook around each call, as this once did, forced the client's and the mock's
/// progenitor runs to take turns instead of sharing the machine's cores.)
static QUIET_HOOK: Once = Once::new();

/// Runs `generate`, turning a panic into `Err(its message)` without printing it.
pub(crate) fn catch_quietly<T>(generate: impl FnOnce() -> T) -> std::result::Result<T, String> {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.replace(true);
    let outcome = panic::catch_unwind(AssertUnwindSafe(generate));
    QUIET.set(was_quiet);
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "no message".to_owned())
    })
}

pub fn generate(spec: &Spec, normalized: &OpenAPI) -> Result<syn::File> {
    let tokens = catch_quietly(|| Generator::new(&settings()).generate_tokens(normalized));
    let tokens = match tokens {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(error)) => {
            return Err(spec.error("", format!("progenitor refused the spec: {error}")));
        }
        Err(message) => {
            return Err(
                spec.error("", format!("progenitor failed on a construct validation does not know yet: {message}"))
            );
        }
    };
    syn::parse2(tokens).map_err(|error| spec.error("", format!("progenitor produced unparsable code: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RegisterImage's faithful shape (200 with a body, 201 without) makes progenitor assert;
    /// the collapse pass normally adapts it first, but even fed raw the panic must come back as
    /// an error naming the file.
    #[test]
    fn a_progenitor_panic_becomes_an_error_naming_the_file() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/images:
    post:
      operationId: RegisterImage
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
        "201": {description: Created}
"#;
        let spec = crate::load::parse(std::path::Path::new("specs/modelarts.yaml"), text).unwrap();
        let Err(error) = generate(&spec, &spec.openapi) else { panic!("progenitor accepted the spec") };
        let text = error.to_string();
        assert!(text.starts_with("error: specs/modelarts.yaml:1:1 #: progenitor failed"), "{text}");
        assert!(generate(&spec, &crate::normalize::normalize(&spec.openapi).unwrap()).is_ok());
    }

    /// The client's and the mock's progenitor runs share the cores: panics caught on two threads
    /// at once both come back as errors, and each thread leaves quiet mode when its call ends.
    #[test]
    fn panics_on_two_threads_at_once_are_both_caught() {
        let barrier = std::sync::Barrier::new(2);
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..2)
                .map(|n| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        let outcome = catch_quietly(|| {
                            barrier.wait();
                            panic!("thread {n} panicked")
                        });
                        (outcome, QUIET.with(Cell::get))
                    })
                })
                .collect();
            threads.into_iter().map(|thread| thread.join().expect("the panic was caught")).collect()
        });
        for (n, (outcome, still_quiet)) in outcomes.into_iter().enumerate() {
            assert_eq!(outcome, Err(format!("thread {n} panicked")));
            assert!(!still_quiet);
        }
        assert_eq!(catch_quietly(|| 7), Ok(7));
    }
}
