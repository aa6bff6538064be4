//! `cargo xtask <command>`; see `cargo xtask help`.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regenerate [--check]   generate generated-client/src/generated/*.rs from specs/*.yaml;
                         --check writes nothing and fails (with a diff) when they differ
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::project_root();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let code = match args.as_slice() {
        ["regenerate"] => xtask::regenerate::run(&root, false),
        ["regenerate", "--check"] => xtask::regenerate::run(&root, true),
        ["help"] | ["--help"] | ["-h"] => {
            print!("{USAGE}");
            0
        }
        _ => {
            eprint!("{USAGE}");
            2
        }
    };
    ExitCode::from(code as u8)
}
