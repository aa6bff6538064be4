//! The command tree, built at run time from the generated table: a subcommand per service and
//! operation, a flag per parameter and per simple body field, `--body`, and the command line's
//! own arguments (`--all`, `--wait`, `--output`, `completions`).

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};

use crate::table::{BodyField, Operation, Param, Service};
use crate::{generated, wait};

/// `otc completions SHELL`.
pub(crate) const COMPLETIONS: &str = "completions";

/// The argument id of `--body` (apart from any parameter's).
pub(crate) const BODY: &str = "--body";
/// The argument id of `--all` on paged lists.
pub(crate) const ALL: &str = "--all";
/// The argument id of `--output` on raw downloads.
pub(crate) const OUTPUT: &str = "--output";
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
