//! `cargo xtask audit --upstream DIR`: the reference from the upstream repositories anyone can
//! clone, instead of `../shared/reference` that only this machine has. `specs/reference.lock.json`
//! pins each repository's commit and lists the pages in scope; this module renders them with a
//! pinned docutils (`render_rst.py`, in a venv it installs itself, like `.ci/run`'s spec
//! validator) into a folder laid out like the rendered reference (`<service>/<page>` and a
//! `manifest.json`), which the audit then reads as usual.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::Page;

/// The lock file, relative to the project root.
pub const LOCK: &str = "specs/reference.lock.json";
/// The renderer's pinned Python requirements and script, relative to the project root.
const REQUIREMENTS: &str = "xtask/docutils-requirements.txt";
const SCRIPT: &str = "xtask/render_rst.py";

/// One upstream repository as the lock pins it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// The spec (and page folder) its pages belong to: `ims`.
    pub service: String,
    /// `opentelekomcloud-docs/image-management-service`.
    pub repository: String,
    pub commit: String,
    /// The pages in scope.
    pub pages: Vec<LockedPage>,
}

/// One upstream page as the lock lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedPage {
    /// Its path inside the repository (`api-ref/source/….rst`).
    pub path: String,
    /// The page it renders to (its `:original_name:` field), which a spec's `externalDocs.url`
    /// names: `en-us_topic_0133188204.html`.
    pub name: String,
}

impl Repository {
    /// The folder a clone of it has inside `DIR`: the repository's name.
    pub fn folder(&self) -> &str {
        self.repository.rsplit('/').next().unwrap_or(&self.repository)
    }

    /// Where anyone can read `page`'s source at the pinned commit.
    pub fn link(&self, page: &LockedPage) -> String {
        format!("https://github.com/{}/blob/{}/{}", self.repository, self.commit, page.path)
    }
}

/// `(service, page name)` → the link of the page's source at the pinned commit, for every page of
/// the lock: what `otc --help` shows for each operation's `externalDocs` page.
pub fn page_links(repositories: &[Repository]) -> otc_codegen::cli::ReferenceLinks {
    repositories
        .iter()
        .flat_map(|repository| {
            repository
                .pages
                .iter()
                .map(move |page| ((repository.service.clone(), page.name.clone()), repository.link(page)))
        })
        .collect()
}

/// Reads and checks `specs/reference.lock.json`.
pub fn lock(root: &Path) -> Result<Vec<Repository>, String> {
    let path = root.join(LOCK);
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let lock: Value = serde_json::from_str(&text).map_err(|error| format!("{}: not JSON: {error}", path.display()))?;
    let text_of = |entry: &Value, key: &str| -> Result<String, String> {
        entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| format!("{}: a repository without `{key}`", path.display()))
    };
    let mut repositories = Vec::new();
    for entry in lock.get("repositories").and_then(Value::as_array).into_iter().flatten() {
        let commit = text_of(entry, "commit")?;
        if commit.len() != 40 || !commit.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(format!("{}: commit `{commit}` is not a full 40-digit hash", path.display()));
        }
        let mut pages = Vec::new();
        for page in entry.get("pages").and_then(Value::as_array).into_iter().flatten() {
            let (Ok(path), Ok(name)) = (text_of(page, "path"), text_of(page, "name")) else {
                return Err(format!("{}: a page is not {{\"path\": …, \"name\": …}}: {page}", path.display()));
            };
            pages.push(LockedPage { path, name });
        }
        repositories.push(Repository {
            service: text_of(entry, "service")?,
            repository: text_of(entry, "repository")?,
            commit,
            pages,
        });
    }
    if repositories.is_empty() {
        return Err(format!("{}: no repositories", path.display()));
    }
    Ok(repositories)
}

/// The venv with the pinned docutils: `OTC_DOCUTILS_VENV`, else `$TMPDIR/otc-sdk-docutils`.
pub fn venv_dir() -> PathBuf {
    std::env::var_os("OTC_DOCUTILS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("otc-sdk-docutils"))
}

/// The venv's Python, installing the venv first when `install` is set and it is missing or was
/// made from other requirements (the requirements are copied into it as the stamp).
pub fn python(root: &Path, install: bool) -> Result<PathBuf, String> {
    let venv = venv_dir();
    let python = venv.join("bin").join("python");
    let stamp = venv.join("otc-requirements.txt");
    let wanted = std::fs::read_to_string(root.join(REQUIREMENTS))
        .map_err(|error| format!("{}: {error}", root.join(REQUIREMENTS).display()))?;
    if python.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|stamped| stamped == wanted) {
        return Ok(python);
    }
    if !install {
        return Err(format!("no docutils venv at {} (`cargo xtask audit --upstream DIR` installs it)", venv.display()));
    }
    eprintln!("installing {} into {} (once)", wanted.trim(), venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg("--clear").arg(&venv))?;
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(root.join(REQUIREMENTS)))?;
    std::fs::write(&stamp, wanted).map_err(|error| format!("{}: {error}", stamp.display()))?;
    Ok(python)
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|error| format!("cannot run {command:?}: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed: {status}")) }
}

/// The page name an upstream page renders to: its `:original_name:` field (`ShowNotebook.html`).
pub fn original_name(rst: &str) -> Option<&str> {
    rst.lines()
        .take_while(|line| !line.starts_with('='))
        .find_map(|line| line.trim().strip_prefix(":original_name:"))
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
}

/// The commit a git checkout at `dir` is at, if it is one.
fn checked_out_commit(dir: &Path) -> Option<String> {
    if !dir.join(".git").exists() {
        return None;
    }
    let output =
        Command::new("git").arg("-C").arg(dir).args(["rev-parse", "HEAD"]).stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Renders every locked page of `upstream` (`<repository name>/<path>`) into `out` as
/// `<service>/<page>` plus a `manifest.json` of the rendered pages (title and operations read
/// off each page). A checkout at another commit than the lock's is rendered, with a warning on
/// stderr, so drift from upstream can be audited too.
pub fn render(root: &Path, upstream: &Path, out: &Path, python: &Path) -> Result<(), String> {
    let repositories = lock(root)?;
    let mut jobs = Vec::new();
    let mut manifest = Vec::new();
    for repository in &repositories {
        let checkout = upstream.join(repository.folder());
        if let Some(commit) = checked_out_commit(&checkout).filter(|commit| *commit != repository.commit) {
            eprintln!(
                "warning: {} is at {commit}; {LOCK} pins {} for {}",
                checkout.display(),
                repository.commit,
                repository.repository
            );
        }
        let folder = out.join(&repository.service);
        std::fs::create_dir_all(&folder).map_err(|error| format!("{}: {error}", folder.display()))?;
        for page in &repository.pages {
            let source = checkout.join(&page.path);
            let rst = std::fs::read_to_string(&source).map_err(|error| {
                format!(
                    "{}: {error} (clone {} at {} into {})",
                    source.display(),
                    repository.repository,
                    repository.commit,
                    checkout.display()
                )
            })?;
            let name =
                original_name(&rst).ok_or_else(|| format!("{}: no `:original_name:` field", source.display()))?;
            if name != page.name {
                return Err(format!(
                    "{LOCK}: {} renders to {name}, not to {} as the lock says",
                    source.display(),
                    page.name
                ));
            }
            let target = folder.join(name);
            manifest.push((repository, &page.path, target.clone()));
            jobs.push(json!([source, target]));
        }
    }
    let mut child = Command::new(python)
        .arg(root.join(SCRIPT))
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", python.display()))?;
    let input = serde_json::to_vec(&jobs).expect("paths serialize");
    let written = std::io::Write::write_all(&mut child.stdin.take().expect("piped stdin"), &input);
    let status = child.wait().map_err(|error| format!("{SCRIPT}: {error}"))?;
    written.map_err(|error| format!("{SCRIPT}: {error}"))?;
    if !status.success() {
        return Err(format!("{SCRIPT} failed: {status}"));
    }
    let mut entries = Vec::new();
    for (repository, page, target) in manifest {
        let html = std::fs::read_to_string(&target).map_err(|error| format!("{}: {error}", target.display()))?;
        let parsed = Page::parse(&html);
        let operations: Vec<String> =
            parsed.operations.iter().map(|(method, path)| format!("{method} {path}")).collect();
        entries.push(json!({
            "service": repository.service,
            "page": target.file_name().map(|name| name.to_string_lossy()),
            "source": format!("{}:{page}", repository.repository),
            "commit": repository.commit,
            "title": parsed.title,
            "operations": operations,
        }));
    }
    let manifest = serde_json::to_string_pretty(&entries).expect("JSON serializes");
    std::fs::write(out.join("manifest.json"), manifest).map_err(|error| format!("{}: {error}", out.display()))
}

/// Takes `--upstream DIR` (or `--upstream=DIR`) out of the audit's arguments.
pub fn take_option<'a>(args: &[&'a str]) -> Result<(Option<PathBuf>, Vec<&'a str>), String> {
    let mut upstream = None;
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if *arg == "--upstream" {
            upstream = Some(PathBuf::from(args.next().ok_or("`--upstream` needs a directory")?));
        } else if let Some(dir) = arg.strip_prefix("--upstream=") {
            upstream = Some(PathBuf::from(dir));
        } else {
            rest.push(*arg);
        }
    }
    if upstream.is_some() && rest.iter().any(|arg| arg.starts_with("--reference")) {
        return Err("`--upstream` and `--reference` exclude each other".into());
    }
    Ok((upstream, rest))
}

/// A fresh folder for one run's rendered pages, removed when dropped.
pub struct Rendered(pub PathBuf);

impl Rendered {
    pub fn new() -> Result<Rendered, String> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let run = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("otc-sdk-upstream-{}-{run}", std::process::id()));
        // A folder left by an earlier process with the same id is stale.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        Ok(Rendered(dir))
    }
}

impl Drop for Rendered {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_name_is_the_original_name_field_before_the_title() {
        let rst =
            ":original_name: ShowNotebook.html\n\n.. _ShowNotebook:\n\nTitle\n=====\n\n:original_name: late.html\n";
        assert_eq!(original_name(rst), Some("ShowNotebook.html"));
        assert_eq!(original_name("Title\n=====\n:original_name: late.html\n"), None);
        assert_eq!(original_name(":original_name: ../x.html\nT\n=\n"), None);
    }

    #[test]
    fn upstream_is_taken_out_and_excludes_reference() {
        let (dir, rest) = take_option(&["--upstream", "up", "specs/ims.yaml"]).unwrap();
        assert_eq!((dir, rest), (Some(PathBuf::from("up")), vec!["specs/ims.yaml"]));
        let (dir, rest) = take_option(&["--upstream=up"]).unwrap();
        assert_eq!((dir, rest.len()), (Some(PathBuf::from("up")), 0));
        assert!(take_option(&["--upstream"]).unwrap_err().contains("needs a directory"));
        assert!(take_option(&["--upstream", "up", "--reference", "r"]).unwrap_err().contains("exclude"));
    }

    #[test]
    fn the_project_lock_pins_every_repository() {
        let repositories = lock(&crate::project_root()).unwrap();
        let services: Vec<&str> = repositories.iter().map(|repository| repository.service.as_str()).collect();
        assert_eq!(services, ["modelarts", "ims", "iam"]);
        assert!(repositories.iter().all(|repository| !repository.pages.is_empty()));
        assert_eq!(repositories[1].folder(), "image-management-service");
        let links = page_links(&repositories);
        assert_eq!(
            links[&("ims".to_owned(), "en-us_topic_0133188204.html".to_owned())],
            format!(
                "https://github.com/opentelekomcloud-docs/image-management-service/blob/{}/{}",
                repositories[1].commit,
                repositories[1].pages.iter().find(|page| page.name == "en-us_topic_0133188204.html").unwrap().path
            )
        );
    }

    #[test]
    fn a_page_of_the_lock_is_a_path_and_the_name_it_renders_to() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("specs")).unwrap();
        let write = |pages: &str| {
            let text = format!(
                r#"{{"repositories": [{{"service": "ims", "repository": "o/r", "commit": "{}", "pages": {pages}}}]}}"#,
                "a".repeat(40)
            );
            std::fs::write(root.path().join(LOCK), text).unwrap();
        };
        write(r#"[{"path": "api-ref/source/x.rst", "name": "x.html"}]"#);
        let repositories = lock(root.path()).unwrap();
        assert_eq!(
            repositories[0].pages,
            [LockedPage { path: "api-ref/source/x.rst".to_owned(), name: "x.html".to_owned() }]
        );
        write(r#"["api-ref/source/x.rst"]"#);
        let error = lock(root.path()).unwrap_err();
        assert!(error.contains("a page is not {\"path\": …, \"name\": …}"), "{error}");
    }
}
