//! Lists the project's ModelArts notebooks, or starts or stops one.
//!
//! ```sh
//! cargo run -p otc-client --example notebooks                 # list (every page)
//! cargo run -p otc-client --example notebooks -- start ID     # start a stopped notebook
//! cargo run -p otc-client --example notebooks -- stop ID      # stop a running one
//! ```
//!
//! Needs a configuration with a project (`OS_CLOUD` and `clouds.yaml`, or `OS_*` variables;
//! see the `configured` example); `OTC_MODELARTS_ENDPOINT` overrides the endpoint.

use std::process::ExitCode;

use futures_util::TryStreamExt;
use otc_client::modelarts::types::Notebook;
use otc_client::{Cloud, Config, Paginate};

const USAGE: &str = "usage: notebooks [start ID | stop ID]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => Command::List,
        ["start", id] => Command::Start(id.to_owned()),
        ["stop", id] => Command::Stop(id.to_owned()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

enum Command {
    List,
    Start(String),
    Stop(String),
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    // `connect` learns the project id from a project name (password login).
    let cloud = Cloud::connect(Config::from_env()?).await?;
    let modelarts = cloud.modelarts();
    match command {
        Command::List => {
            // `items` pages through the list (offset/limit) as a stream.
            let notebooks: Vec<Notebook> = modelarts.list_notebooks().items(50).try_collect().await?;
            for notebook in &notebooks {
                print_notebook(notebook);
            }
            println!("{} notebooks", notebooks.len());
        }
        Command::Start(id) => {
            // The body is optional in the reference; an empty object starts with the defaults.
            let started = modelarts.start_notebook().id(&id).body(serde_json::Map::new()).send().await?;
            print_answer("starting", &id, started);
        }
        Command::Stop(id) => {
            let stopped = modelarts.stop_notebook().id(&id).send().await?;
            print_answer("stopping", &id, stopped);
        }
    }
    Ok(())
}

/// Start and stop document a success with the notebook and one without a body: `Option`.
fn print_answer(what: &str, id: &str, answer: otc_client::ResponseValue<Option<Notebook>>) {
    let status = answer.status();
    match answer.into_inner() {
        Some(notebook) => print_notebook(&notebook),
        None => println!("{id}  {what} ({status}; ShowNotebook tells when it is done)"),
    }
}

fn print_notebook(notebook: &Notebook) {
    // Statuses are open enums: a status this client does not know prints as the server sent it.
    let status = notebook.status.as_ref().map_or_else(|| "?".to_owned(), ToString::to_string);
    println!("{}  {:<12} {}", notebook.id.as_deref().unwrap_or("?"), status, notebook.name.as_deref().unwrap_or(""));
}
