//! `cargo xtask <command>`; see `cargo xtask help`.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regenerate [--check]   generate generated-client/src/generated/*.rs from specs/*.yaml;
                         --check writes nothing and fails (with a diff) when they differ
  lint [--verbose] [SPEC...]
                         check the house rules of the specs (default: specs/*.yaml); prints
                         each finding as specs/x.yaml:LINE:COL, then one count line;
                         --verbose also lists the accepted findings with their notes
  audit [--reference DIR | --upstream DIR] [--format github] [SPEC...]
                         compare the specs with the HTML reference pages (default DIR:
                         ../shared/reference), or with the upstream RST of DIR/<repository>/
                         at specs/reference.lock.json's pins; Markdown report (or GitHub
                         annotations), fails on unaccepted differences
  diff <git-rev>         what changed in specs/ since <git-rev>, breaking or not; Markdown
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::project_root();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let code = match args.as_slice() {
        ["regenerate"] => xtask::regenerate::run(&root, false),
        ["regenerate", "--check"] => xtask::regenerate::run(&root, true),
        ["lint", rest @ ..] => xtask::lint::run(&root, rest),
        ["audit", rest @ ..] => xtask::audit::run(&root, rest),
        ["diff", rest @ ..] => xtask::diff::run(&root, rest),
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
