//! `cargo xtask <command>`; see `cargo xtask help`.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: xtask::allocator::Allocator = xtask::allocator::Allocator;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regenerate [--check]   generate generated-client/src/generated/*.rs from specs/*.yaml;
                         --check writes nothing and fails (with a diff) when they differ
  lint [--verbose] [SPEC...]
                         check the house rules of the specs (default: specs/*.yaml); prints
                         each finding as specs/x.yaml:LINE:COL, then one count line;
                         --verbose also lists the accepted findings with their notes
  audit [--reference DIR | --upstream DIR] [--format text|markdown|github] [--verbose] [SPEC...]
                         compare the specs with the HTML reference pages (default DIR:
                         ../shared/reference), or with the upstream RST of DIR/<repository>/
                         at specs/reference.lock.json's pins; fails on unaccepted differences.
                         text (default): each finding as specs/x.yaml:LINE:COL, then one
                         count line; markdown: a short table of the findings for a PR comment;
                         github: workflow annotations. --verbose also lists accepted
                         differences, notes and skipped pages (markdown: the full
                         per-operation report in a collapsed <details> block)
  diff <git-rev>         what changed in specs/ since <git-rev>, breaking or not for client
                         users, judged on the code generated from both revisions; Markdown;
                         exit 1 when something breaks
";

fn main() -> ExitCode {
    xtask::allocator::keep_freed_pages();
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
