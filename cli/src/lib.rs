//! `otc`: every operation of the specs as `otc <service> <operation> [--param value …]
//! [--body FILE|-] [--field value …]`: the simple top-level fields of a JSON body are flags too,
//! set on top of `--body` or making the body alone ([`table::BodyField`]). The command tree is
//! built at run time from the generated table ([`generated::SERVICES`]), and a command is sent
//! through `otc-client`'s typed builder ([`generated::call`]), configured as the library is
//! ([`otc_client::Cloud::from_env`]). Paged lists take `--all` ([`generated::call_all`], JSON
//! Lines), IMS jobs `--wait` and `otc ims wait-job` ([`wait`]), image files stream
//! ([`transfer`]); `otc completions SHELL` prints a completion script.
//!
//! Exit codes: 0 success, 2 usage (clap's, values or bodies that do not decode into the
//! operation's types, and a body missing a field its schema requires), 3 configuration
//! (including a project id neither configured nor given), 4 an API error (including IAM refusing
//! the credentials, a job that ends in FAIL, and a paged list whose server repeats a page under
//! `--all`), 5 network/transport (and redirects the runtime does not follow), 1 anything else (a
//! job still running at `--wait-timeout`).

use std::ffi::OsString;

mod commands;
#[rustfmt::skip]
pub mod generated;
mod input;
mod output;
pub mod support;
pub mod table;
pub mod transfer;
pub mod wait;

pub use commands::{BODY_FIELDS, body_field_id, command, reference_line};
pub use output::exit_code;

use commands::{ALL, BODY, COMPLETIONS, OUTPUT};
use input::{given_by_flag, json_body, params_of, read_body};
use output::{completions, finish_waiting, print_all, print_output};
use support::{CallError, Output, RequestBody};

/// Usage errors (clap's own code).
pub const EXIT_USAGE: i32 = 2;
/// The configuration could not be read or is incomplete.
pub const EXIT_CONFIG: i32 = 3;
/// The service answered with an error.
pub const EXIT_API: i32 = 4;
/// No answer: connection, TLS, timeout.
pub const EXIT_TRANSPORT: i32 = 5;
/// Anything else.
pub const EXIT_OTHER: i32 = 1;

/// Runs `otc` with `args` (the program name first); returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version go to stdout with 0, usage errors to stderr with 2.
            let _ = error.print();
            return if error.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    if let Some(cloud) = matches.get_one::<String>("os-cloud") {
        // SAFETY: single-threaded here; no other thread reads the environment yet.
        unsafe { std::env::set_var("OS_CLOUD", cloud) };
    }
    let Some((service_name, service_matches)) = matches.subcommand() else { return EXIT_USAGE };
    if service_name == COMPLETIONS {
        let Some(shell) = service_matches.get_one::<clap_complete::Shell>("shell") else { return EXIT_USAGE };
        return completions(*shell);
    }
    let Some((command, operation_matches)) = service_matches.subcommand() else { return EXIT_USAGE };
    if service_name == wait::WAIT_JOB_SERVICE && command == wait::WAIT_JOB {
        let Some(job_id) = wait::job_id(operation_matches) else { return EXIT_USAGE };
        let (cloud, runtime) = match connect() {
            Ok(both) => both,
            Err(code) => return code,
        };
        return finish_waiting(runtime.block_on(wait::wait(&cloud, job_id, operation_matches)));
    }
    let Some(operation) = generated::SERVICES
        .iter()
        .find(|service| service.name == service_name)
        .and_then(|service| service.operations.iter().find(|operation| operation.command == command))
    else {
        return EXIT_USAGE;
    };
    let params = params_of(operation, operation_matches);
    let source = if operation.body { operation_matches.get_one::<String>(BODY) } else { None };
    // A JSON body is read (and decoded) before anything is sent; a raw one is streamed later.
    let mut body = None;
    if operation.body && !operation.raw_body {
        match json_body(operation, operation_matches, source) {
            Ok(bytes) => body = bytes.map(RequestBody::Bytes),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        }
    }
    let (cloud, runtime) = match connect() {
        Ok(both) => both,
        Err(code) => return code,
    };
    if operation.paged && operation_matches.get_flag(ALL) {
        return print_all(&runtime, &cloud, service_name, operation, &params);
    }
    let mut upload_bar = None;
    // AK/SK signing hashes the body, so it cannot sign a stream: with an access key the file is
    // read whole first, as a JSON body is.
    let signs = matches!(cloud.config().credentials(), Some(otc_client::Credentials::AccessKey { .. }));
    if let Some(source) = source.filter(|_| operation.raw_body && signs) {
        match read_body(source) {
            Ok(bytes) => body = Some(RequestBody::Bytes(bytes)),
            Err(error) => {
                eprintln!("error: cannot read the body: {error}");
                return EXIT_USAGE;
            }
        }
    }
    if let Some(source) = source.filter(|_| operation.raw_body && !signs) {
        match runtime.block_on(transfer::upload_body(source)) {
            Ok((stream, bar)) => {
                body = Some(RequestBody::Stream(stream));
                upload_bar = bar;
            }
            Err(error) => {
                eprintln!("error: cannot read the body: {error}");
                return EXIT_USAGE;
            }
        }
    }
    let result = runtime.block_on(generated::call(&cloud, service_name, operation.id, &params, body));
    if let Some(bar) = upload_bar {
        if result.is_ok() { bar.finish() } else { bar.abandon() }
    }
    match result {
        Ok(Output::Download(response)) => {
            let output = operation_matches.get_one::<String>(OUTPUT).map(String::as_str);
            match runtime.block_on(transfer::download(response, output)) {
                Ok(()) => 0,
                Err(CallError::Write(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(error) => {
                    eprintln!("error: {error}");
                    exit_code(&error)
                }
            }
        }
        Ok(output) if operation.job && operation_matches.get_flag(wait::WAIT) => {
            let Some(job_id) = wait::job_id_of(&output) else {
                eprintln!("error: the answer names no job_id to wait for");
                return EXIT_OTHER;
            };
            let job_id = job_id.to_owned();
            finish_waiting(runtime.block_on(wait::wait(&cloud, &job_id, operation_matches)))
        }
        Ok(output) => print_output(output),
        Err(error) => {
            eprintln!("error: {error}{}", given_by_flag(operation, operation_matches, &error));
            exit_code(&error)
        }
    }
}

/// The configured cloud and a runtime to call it on, or the exit code.
fn connect() -> Result<(otc_client::Cloud, tokio::runtime::Runtime), i32> {
    let cloud = otc_client::Cloud::from_env().map_err(|error| {
        eprintln!("error: {error}");
        EXIT_CONFIG
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|error| {
        eprintln!("error: cannot start the runtime: {error}");
        EXIT_OTHER
    })?;
    Ok((cloud, runtime))
}
