//! `cargo xtask regenerate [--check]`: every `specs/*.yaml` → `generated-client/src/generated/*.rs`,
//! plus the golden suite's dispatch table, the command line's table (`cli/src/generated.rs`), `otc-client-mock`'s typed mock server and the coverage
//! table in README.md.
//!
//! All files are generated in memory first, so a bad spec writes nothing; then each changed file
//! is written to a temporary sibling and renamed into place. `--check` writes nothing and shows
//! the drift as a unified diff.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Where generated modules go, relative to the root.
pub const GENERATED_DIR: &str = "generated-client/src/generated";
/// The golden suite's dispatch table, generated from the same syntax trees.
pub const DISPATCH: &str = "tests/src/generated_dispatch.rs";
/// `otc-client-mock`'s typed httpmock extensions and documented examples, from the same specs.
pub const MOCK: &str = "mock/src/generated.rs";
/// The command line's operation table and dispatch, from the same syntax trees.
pub const CLI: &str = "cli/src/generated.rs";
/// The README, whose coverage table is generated too.
pub const README: &str = "README.md";
/// Where specs are read from, relative to the root.
pub const SPECS_DIR: &str = "specs";

/// One file the generator wants on disk, relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub contents: String,
}

/// What differs between the plan and the disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files to create or rewrite.
    pub changed: Vec<Planned>,
    /// Generated files no spec produces any more.
    pub stale: Vec<PathBuf>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

/// The spec files, sorted, relative to `root`.
pub fn spec_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs = Vec::new();
    for entry in fs::read_dir(root.join(SPECS_DIR))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            specs.push(Path::new(SPECS_DIR).join(path.file_name().expect("a file")));
        }
    }
    specs.sort();
    Ok(specs)
}

/// Generates every module in memory. Any error in any spec fails the whole plan.
///
/// The mock server only needs each spec's normalized document, so it is generated on a second
/// thread while this one runs the client pipeline and then the dispatch and command-line tables
/// (which read the client's syntax trees, and those cannot cross threads).
pub fn plan(root: &Path) -> Result<Vec<Planned>, String> {
    let specs = spec_files(root).map_err(|error| format!("cannot list {SPECS_DIR}/: {error}"))?;
    let mut prepared = Vec::new();
    let mut errors = Vec::new();
    for spec_path in &specs {
        let display = spec_path.to_string_lossy().replace('\\', "/");
        let outcome = otc_codegen::load::load(&root.join(spec_path))
            .and_then(|spec| otc_codegen::prepare(&spec).map(|normalized| (spec, normalized, display)));
        match outcome {
            Ok(ready) => prepared.push(ready),
            Err(error) => errors.push(relative_diagnostics(&error, root)),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let (generated, mock) = std::thread::scope(|scope| {
        let mock = scope.spawn(|| {
            let mocks: Vec<_> =
                prepared.iter().map(|(spec, normalized, _)| otc_codegen::mock::Module { spec, normalized }).collect();
            otc_codegen::mock::mock_source(&mocks)
        });
        let generated: Vec<_> = prepared
            .iter()
            .map(|(spec, normalized, display)| {
                otc_codegen::generate_prepared(spec, normalized, display)
                    .map(|output| (spec, output))
                    .map_err(|error| relative_diagnostics(&error, root))
            })
            .collect();
        (generated, mock.join().unwrap_or_else(|_| Err("the mock server's generator panicked".to_owned())))
    });
    let mut outputs = Vec::new();
    for outcome in generated {
        match outcome {
            Ok(output) => outputs.push(output),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let mut planned: Vec<Planned> = outputs
        .iter()
        .map(|(_, output)| Planned {
            path: Path::new(GENERATED_DIR).join(format!("{}.rs", output.module)),
            contents: output.source.clone(),
        })
        .collect();
    let modules: Vec<_> =
        outputs.iter().map(|(spec, output)| otc_codegen::dispatch::Module { spec, file: &output.file }).collect();
    planned
        .push(Planned { path: PathBuf::from(DISPATCH), contents: otc_codegen::dispatch::dispatch_source(&modules)? });
    let links = reference_links(root)?;
    // Its messages name spec files as loaded (under `root`); a reviewer reads them relative.
    let cli = otc_codegen::cli::cli_source(&modules, &links)
        .map_err(|message| message.replace(&format!("{}/", root.display()), ""))?;
    planned.push(Planned { path: PathBuf::from(CLI), contents: cli });
    planned.push(Planned { path: PathBuf::from(MOCK), contents: mock? });
    let loaded: Vec<&otc_codegen::Spec> = outputs.iter().map(|(spec, _)| *spec).collect();
    planned.push(readme(root, &loaded)?);
    Ok(planned)
}

/// The links of the reference pages `specs/reference.lock.json` pins; none in a project without
/// a lock (the benchmarks' scratch projects).
fn reference_links(root: &Path) -> Result<otc_codegen::cli::ReferenceLinks, String> {
    if !root.join(crate::audit::upstream::LOCK).exists() {
        return Ok(Default::default());
    }
    crate::audit::upstream::lock(root).map(|repositories| crate::audit::upstream::page_links(&repositories))
}

/// README.md with its coverage table regenerated from the specs.
fn readme(root: &Path, specs: &[&otc_codegen::Spec]) -> Result<Planned, String> {
    let current = fs::read_to_string(root.join(README)).map_err(|error| format!("cannot read {README}: {error}"))?;
    let table = crate::coverage::table(specs)?;
    Ok(Planned { path: PathBuf::from(README), contents: crate::coverage::splice(&current, &table)? })
}

/// Diagnostics name spec files relative to the root, as a reviewer sees them.
fn relative_diagnostics(error: &otc_codegen::Error, root: &Path) -> String {
    let mut error = error.clone();
    for diagnostic in &mut error.diagnostics {
        if let Ok(relative) = diagnostic.file.strip_prefix(root) {
            diagnostic.file = relative.to_owned();
        }
    }
    error.to_string()
}

/// Compares a plan with the files under `root`.
pub fn drift(root: &Path, planned: &[Planned]) -> std::io::Result<Drift> {
    let mut drift = Drift::default();
    for file in planned {
        let current = fs::read_to_string(root.join(&file.path)).ok();
        if current.as_deref() != Some(file.contents.as_str()) {
            drift.changed.push(file.clone());
        }
    }
    let generated_dir = root.join(GENERATED_DIR);
    if generated_dir.is_dir() {
        for entry in fs::read_dir(&generated_dir)? {
            let path = Path::new(GENERATED_DIR).join(entry?.file_name());
            if path.extension().is_some_and(|ext| ext == "rs") && !planned.iter().any(|file| file.path == path) {
                drift.stale.push(path);
            }
        }
    }
    drift.stale.sort();
    Ok(drift)
}

/// Writes the drift: temporary siblings first, then renames, then removals.
pub fn apply(root: &Path, drift: &Drift) -> std::io::Result<()> {
    let mut staged = Vec::new();
    for file in &drift.changed {
        let target = root.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut temporary = target.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        if let Err(error) = fs::write(&temporary, &file.contents) {
            for (temporary, _) in &staged {
                let _ = fs::remove_file(temporary);
            }
            return Err(error);
        }
        staged.push((temporary, target));
    }
    for (temporary, target) in staged {
        fs::rename(temporary, target)?;
    }
    for path in &drift.stale {
        fs::remove_file(root.join(path))?;
    }
    Ok(())
}

/// A unified diff of the drift, for `--check`.
pub fn render_diff(root: &Path, drift: &Drift) -> String {
    let mut out = String::new();
    for file in &drift.changed {
        let current = fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        let name = file.path.to_string_lossy();
        let diff = similar::TextDiff::from_lines(&current, &file.contents);
        let _ =
            write!(out, "{}", diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")));
    }
    for path in &drift.stale {
        let _ = writeln!(out, "stale: {} (no spec generates it)", path.display());
    }
    out
}

/// The command: returns the process exit code.
pub fn run(root: &Path, check: bool) -> i32 {
    let planned = match plan(root) {
        Ok(planned) => planned,
        Err(message) => {
            eprintln!("{message}");
            eprintln!("nothing was written");
            return 1;
        }
    };
    let drift = match drift(root, &planned) {
        Ok(drift) => drift,
        Err(error) => {
            eprintln!("error: cannot read {GENERATED_DIR}: {error}");
            return 1;
        }
    };
    if check {
        if drift.is_empty() {
            println!("generated code is up to date ({} modules)", planned.len());
            return 0;
        }
        print!("{}", render_diff(root, &drift));
        eprintln!("generated code is out of date: run `cargo xtask regenerate` and commit");
        return 1;
    }
    if let Err(error) = apply(root, &drift) {
        eprintln!("error: writing {GENERATED_DIR}: {error}");
        return 1;
    }
    for file in &drift.changed {
        println!("changed: {}", file.path.display());
    }
    for path in &drift.stale {
        println!("removed: {}", path.display());
    }
    if drift.is_empty() {
        println!("unchanged: {} modules", planned.len());
    }
    0
}
