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
use std::io::{IsTerminal, Write};

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

#[rustfmt::skip]
pub mod generated;
pub mod support;
pub mod table;
pub mod transfer;
pub mod wait;

use support::{CallError, Output, RequestBody};
use table::{BodyField, Operation, Param, Service};

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

/// `otc completions SHELL`.
const COMPLETIONS: &str = "completions";

/// The argument id of `--body` (apart from any parameter's).
const BODY: &str = "--body";
/// The argument id of `--all` on paged lists.
const ALL: &str = "--all";
/// The argument id of `--output` on raw downloads.
const OUTPUT: &str = "--output";
/// The help heading of the body field flags.
pub const BODY_FIELDS: &str = "Body fields";

/// The argument id of a body field's flag: `body.` and the field's name (apart from any
/// parameter's id, which is its spec name, and from the command line's own, which start with `--`).
pub fn body_field_id(name: &str) -> String {
    format!("body.{name}")
}

/// The whole command tree, from the generated table.
pub fn command() -> Command {
    let mut root = Command::new("otc")
        .about("Open Telekom Cloud from the command line; configured like otc-client (OS_CLOUD and clouds.yaml, or OS_* variables)")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("os-cloud")
                .long("os-cloud")
                .value_name("NAME")
                .global(true)
                .help("The cloud of clouds.yaml to use (sets OS_CLOUD)"),
        );
    root = root.subcommand(
        Command::new(COMPLETIONS).about("Print a shell completion script for otc to standard output").arg(
            Arg::new("shell")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell))
                .help("The shell: bash, zsh, fish, powershell or elvish"),
        ),
    );
    for service in generated::SERVICES {
        let mut command =
            Command::new(service.name).about(service.about).subcommand_required(true).arg_required_else_help(true);
        for operation in service.operations {
            command = command.subcommand(operation_command(service, operation));
        }
        if service.name == wait::WAIT_JOB_SERVICE {
            command = command.subcommand(wait::wait_job_command());
        }
        root = root.subcommand(command);
    }
    root
}

fn operation_command(service: &'static Service, operation: &'static Operation) -> Command {
    let mut command = Command::new(operation.command).about(operation.about);
    if !operation.long_about.is_empty() {
        command = command.long_about(format!(
            "{}\n\n{} {} ({})",
            operation.long_about, operation.method, operation.path, operation.id
        ));
    }
    if let Some(reference) = reference_line(service, operation) {
        command = command.after_help(reference);
    }
    for param in operation.params {
        command = command.arg(param_arg(param));
    }
    if operation.paged {
        command = command.arg(Arg::new(ALL).long("all").action(ArgAction::SetTrue).help(format!(
            "Every item of every page, one JSON object per line (JSON Lines), printed as the pages \
             arrive; --limit sets the page size (default {})",
            operation.page_size
        )));
    }
    if operation.job {
        command = wait::wait_args(command);
    }
    if operation.body {
        let help = if operation.raw_body {
            "The file to send, or - for standard input; streamed as it is read, a progress bar on a terminal"
        } else if operation.body_fields.is_empty() {
            "The request body: a JSON file, or - for standard input"
        } else {
            "The request body: a JSON file, or - for standard input. The body field flags are set on top of it \
             (a flag wins); without it they make the whole body"
        };
        // With field flags the body can come from them alone: `run` checks that it has what the
        // schema requires instead.
        let required = operation.body_required && operation.body_fields.is_empty();
        command = command.arg(Arg::new(BODY).long("body").value_name("FILE|-").required(required).help(help));
        for field in operation.body_fields {
            command = command.arg(body_field_arg(field));
        }
    }
    if operation.raw_response {
        command = command.arg(Arg::new(OUTPUT).long("output").value_name("FILE").help(
            "Write the file here instead of standard output; streamed as it arrives, a progress bar on a terminal",
        ));
    }
    command
}

/// `Reference: <title> (<page>, <service> reference)` and, on the next line, the link of the
/// page's source at the pinned commit; shown under both `-h` and `--help`.
pub fn reference_line(service: &Service, operation: &Operation) -> Option<String> {
    if operation.reference.is_empty() {
        return None;
    }
    let title = if operation.reference_title.is_empty() { operation.id } else { operation.reference_title };
    let mut line = format!("Reference: {title} ({}, {} reference)", operation.reference, service.about);
    if !operation.reference_url.is_empty() {
        line.push_str("\n  ");
        line.push_str(operation.reference_url);
    }
    Some(line)
}

fn param_arg(param: &'static Param) -> Arg {
    let help = if param.name == "project_id" && param.help.is_empty() {
        "Project ID (default: the configured project)".to_owned()
    } else if param.name == "project_id" {
        format!("{} (default: the configured project)", param.help)
    } else {
        param.help.to_owned()
    };
    let mut arg = Arg::new(param.name)
        .long(param.flag)
        .value_name(param.kind.to_uppercase())
        .required(param.required)
        .help(format!("{help} [{}]", param.location));
    if param.kind == "array" {
        arg = arg.action(ArgAction::Append);
    }
    if !param.values.is_empty() {
        arg = arg.value_parser(PossibleValuesParser::new(param.values.iter().copied()));
    }
    arg
}

/// A body field's flag, under the "Body fields" heading; never required by clap (`--body` may
/// hold the field), its value typed by [`field_value`].
fn body_field_arg(field: &'static BodyField) -> Arg {
    let kind = if field.kind == "array" { field.item_kind } else { field.kind };
    let mut help = field.help.to_owned();
    if field.kind == "array" {
        help.push_str(" (repeat the flag for each item)");
    }
    help.push_str(if field.required { " [body, required]" } else { " [body]" });
    let mut arg = Arg::new(body_field_id(field.name))
        .long(field.flag)
        .value_name(kind.to_uppercase())
        .help_heading(BODY_FIELDS)
        .help(help);
    if field.kind == "array" {
        arg = arg.action(ArgAction::Append);
    }
    if !field.values.is_empty() {
        arg = arg.value_parser(PossibleValuesParser::new(field.values.iter().copied()));
    } else if kind == "boolean" {
        arg = arg.value_parser(PossibleValuesParser::new(["true", "false"]));
    }
    arg
}

/// A body field flag's text as JSON of the schema's type: a string as given, an integer or a
/// number as a JSON number, `true`/`false` as a boolean. The error names the flag and the type
/// wanted, never the text (a body may hold a secret).
fn field_value(field: &BodyField, kind: &str, text: &str) -> Result<Value, String> {
    let wrong = |wanted: &str| format!("invalid value for --{}: expected {wanted}", field.flag);
    match kind {
        "integer" => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| wrong("an integer")),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        "boolean" => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The body fields given as flags, by name, typed by the schema.
fn fields_of(operation: &Operation, matches: &ArgMatches) -> Result<Map<String, Value>, String> {
    let mut fields = Map::new();
    for field in operation.body_fields {
        let Some(values) = matches.get_many::<String>(&body_field_id(field.name)) else { continue };
        let value = if field.kind == "array" {
            Value::Array(values.map(|text| field_value(field, field.item_kind, text)).collect::<Result<_, _>>()?)
        } else {
            let values: Vec<&String> = values.collect();
            field_value(field, field.kind, values[0])?
        };
        fields.insert(field.name.to_owned(), value);
    }
    Ok(fields)
}

/// The JSON request body: `--body`'s JSON (if given) with each body field flag set on top (the
/// flag wins; an array flag replaces the whole array), or, without `--body`, the flags alone;
/// `None` when neither is given. Every field the schema requires must be in the result. A usage
/// error (exit 2, before anything is sent) names the flag or field, never a value.
fn json_body(operation: &Operation, matches: &ArgMatches, source: Option<&String>) -> Result<Option<Vec<u8>>, String> {
    let given = match source.map(|source| read_body(source)) {
        None => None,
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(error)) => return Err(format!("cannot read the body: {error}")),
    };
    if operation.body_fields.is_empty() {
        // Decoded (and any error reported by its path) by the typed call.
        return Ok(given);
    }
    let fields = fields_of(operation, matches)?;
    let mut body = match &given {
        None if fields.is_empty() && !operation.body_required => return Ok(None),
        None if fields.is_empty() && operation.body_requires.is_empty() => {
            let flags: Vec<String> = operation.body_fields.iter().map(|field| format!("--{}", field.flag)).collect();
            return Err(format!(
                "a request body is required: --body FILE|-, or body field flags ({})",
                flags.join(", ")
            ));
        }
        // Without --body the flags make the body (with none, the check below names the first
        // required field).
        None => Map::new(),
        Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(body)) => body,
            // Not an object: nothing to set fields on; the typed call reports what is wrong.
            Ok(_) if fields.is_empty() => return Ok(given),
            Ok(_) => return Err("the --body JSON is not an object, so body field flags cannot be set on it".to_owned()),
            Err(_) if fields.is_empty() => return Ok(given),
            // serde_json's syntax messages name a position, never the text.
            Err(error) => return Err(format!("the --body JSON does not parse: {error}")),
        },
    };
    let untouched = fields.is_empty();
    body.extend(fields);
    for name in operation.body_requires {
        if !body.contains_key(*name) {
            return Err(match operation.body_fields.iter().find(|field| field.name == *name) {
                Some(field) => {
                    format!("the body field `{name}` is required: give --{} or set it in --body", field.flag)
                }
                None => format!("the body field `{name}` is required: set it in --body (it has no flag)"),
            });
        }
    }
    if untouched && given.is_some() {
        // As given, so the typed call's errors name lines and columns of the file.
        return Ok(given);
    }
    serde_json::to_vec(&Value::Object(body)).map(Some).map_err(|error| format!("cannot encode the body: {error}"))
}

/// A flag's text as the JSON the parameter's type decodes from: strings as given; numbers,
/// booleans and objects parsed as JSON (the text itself if that fails, so the type's own
/// decoding names the problem).
fn param_value(kind: &str, text: &str) -> Value {
    if kind == "string" || kind.is_empty() {
        return Value::String(text.to_owned());
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn params_of(operation: &Operation, matches: &ArgMatches) -> Map<String, Value> {
    let mut params = Map::new();
    for param in operation.params {
        let Some(values) = matches.get_many::<String>(param.name) else { continue };
        let values: Vec<&String> = values.collect();
        let value = if param.kind == "array" {
            Value::Array(values.iter().map(|text| param_value(param.item_kind, text)).collect())
        } else {
            param_value(param.kind, values[0])
        };
        params.insert(param.name.to_owned(), value);
    }
    params
}

fn read_body(source: &str) -> std::io::Result<Vec<u8>> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(source)
    }
}

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

/// ` (from --flag)` when a body that did not decode failed at a field a flag gave (an integer
/// out of its format's range, `--min-disk 99999999999`); else nothing.
fn given_by_flag(operation: &Operation, matches: &ArgMatches, error: &CallError) -> String {
    let CallError::Body(error) = error else { return String::new() };
    operation
        .body_fields
        .iter()
        .filter(|field| matches.contains_id(&body_field_id(field.name)))
        .find(|field| error.path.strip_prefix(field.name).is_some_and(|rest| rest.is_empty() || rest.starts_with('[')))
        .map(|field| format!(" (from --{})", field.flag))
        .unwrap_or_default()
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

/// Prints the final job, or the job's error with its exit code.
fn finish_waiting(result: Result<wait::Waited, CallError>) -> i32 {
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
fn completions(shell: clap_complete::Shell) -> i32 {
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
fn print_all(
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

fn print_output(output: Output) -> i32 {
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
