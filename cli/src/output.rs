//! What a command prints and exits with: JSON on standard output (pretty on a terminal, compact
//! otherwise; JSON Lines under `--all`), errors on standard error, and the exit code of each
//! kind of failure.

use std::io::{IsTerminal, Write};

use serde_json::{Map, Value};

use crate::commands::command;
use crate::support::{CallError, Output};
use crate::table::Operation;
use crate::{EXIT_API, EXIT_CONFIG, EXIT_OTHER, EXIT_TRANSPORT, EXIT_USAGE, generated, wait};

/// Prints the final job, or the job's error with its exit code.
pub(crate) fn finish_waiting(result: Result<wait::Waited, CallError>) -> i32 {
    match result {
        Ok(wait::Waited::Done(job)) => print_output(job),
        Ok(wait::Waited::Failed(error)) => {
            eprintln!("error: {error}");
            wait::failed_exit_code(&error)
        }
        Err(error) => {
            eprintln!("error: {error}");
            exit_code(&error)
        }
    }
}

/// Writes the completion script for `shell` to standard output.
pub(crate) fn completions(shell: clap_complete::Shell) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "otc", &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(error) => {
            eprintln!("error: writing the output: {error}");
            EXIT_OTHER
        }
    }
}

/// `--all`: every item as one compact JSON line, written as it arrives.
pub(crate) fn print_all(
    runtime: &tokio::runtime::Runtime,
    cloud: &otc_client::Cloud,
    service: &str,
    operation: &Operation,
    params: &Map<String, Value>,
) -> i32 {
    let page_size = params
        .get("limit")
        .and_then(Value::as_u64)
        .and_then(|limit| u32::try_from(limit).ok())
        .unwrap_or(operation.page_size);
    let mut stdout = std::io::stdout().lock();
    let mut on_item = |item: Value| writeln!(stdout, "{item}").map_err(CallError::Write);
    let result = runtime.block_on(generated::call_all(cloud, service, operation.id, params, page_size, &mut on_item));
    match result.and_then(|()| stdout.flush().map_err(CallError::Write)) {
        Ok(()) => 0,
        Err(CallError::Write(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(error) => {
            eprintln!("error: {error}");
            exit_code(&error)
        }
    }
}

pub(crate) fn print_output(output: Output) -> i32 {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut stdout = stdout.lock();
    let written = match output {
        Output::Json(value) => {
            let text = if terminal { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
            match text {
                Ok(text) => writeln!(stdout, "{text}"),
                Err(error) => {
                    eprintln!("error: {error}");
                    return EXIT_OTHER;
                }
            }
        }
        // `run` streams downloads itself; a download here would be a bug, not a silent success.
        Output::Download(_) => {
            eprintln!("error: a raw response cannot be printed as JSON");
            return EXIT_OTHER;
        }
        Output::Empty => Ok(()),
    };
    match written.and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(error) => {
            eprintln!("error: writing the output: {error}");
            EXIT_OTHER
        }
    }
}

/// The exit code for a failed call.
pub fn exit_code(error: &CallError) -> i32 {
    match error {
        CallError::Parameter { .. } | CallError::Body(_) | CallError::UnknownOperation(_) => EXIT_USAGE,
        CallError::Client(
            otc_client::Error::Api(_) | otc_client::Error::Authentication { .. } | otc_client::Error::Stalled { .. },
        ) => EXIT_API,
        CallError::Client(otc_client::Error::InvalidRequest { .. }) => EXIT_CONFIG,
        CallError::Client(otc_client::Error::Transport { .. } | otc_client::Error::Redirect { .. }) => EXIT_TRANSPORT,
        CallError::Stream(_) => EXIT_TRANSPORT,
        _ => EXIT_OTHER,
    }
}
