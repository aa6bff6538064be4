//! What the command-line tests share: the built `otc` binary, configured as a user would
//! configure it (`OS_TOKEN`, `OS_PROJECT_ID`, `OS_REGION_NAME`, endpoint overrides) against a
//! loopback mock server and nothing else of the environment, run off a terminal or on one.

#![allow(dead_code)] // each test file uses part of it

use std::process::{Command, Output, Stdio};

use wiremock::MockServer;

/// The token every command is configured with (tests check it never shows).
pub const TOKEN: &str = "the-secret-token";

/// The configuration of every command, with both services' endpoints at `server`.
fn environment(server: &MockServer) -> [(&'static str, String); 6] {
    [
        ("HOME", "/nonexistent".to_owned()),
        ("OS_TOKEN", TOKEN.to_owned()),
        ("OS_PROJECT_ID", "p1".to_owned()),
        ("OS_REGION_NAME", "eu-de".to_owned()),
        ("OTC_MODELARTS_ENDPOINT", server.uri()),
        ("OTC_IMS_ENDPOINT", server.uri()),
    ]
}

/// `otc ARGS`, configured against `server`.
pub fn command(server: &MockServer, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_otc"));
    command.args(args).env_clear().envs(environment(server));
    command
}

/// `shell_command` (which names the binary as `{otc}`) run on a pseudo-terminal by util-linux
/// `script`, configured against `server`; the output's stdout is what the terminal showed.
pub fn on_a_terminal(server: &MockServer, shell_command: &str) -> Output {
    let shell_command = shell_command.replace("{otc}", env!("CARGO_BIN_EXE_otc"));
    Command::new("script")
        .args(["-qec", &shell_command, "/dev/null"])
        .env_clear()
        .envs(environment(server))
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs")
}
