//! Prints what `Config::from_env()` configured, without any secret: region, project, how the
//! client authenticates, the endpoint of each service and the timeouts. With `--connect` it
//! also logs in (password credentials: a token from IAM) and prints the project id the calls
//! will use, so a wrong password or an unknown project shows here.
//!
//! Configuration, as openstacksdk reads it (see the README's "Configuration"):
//! - `OS_CLOUD=name` and a `clouds.yaml` (`./`, `~/.config/openstack/`, `/etc/openstack/`), or
//! - `OS_REGION_NAME`, `OS_PROJECT_ID` or `OS_PROJECT_NAME`, `OS_AUTH_URL`, and `OS_TOKEN`, or
//!   `OS_ACCESS_KEY` + `OS_SECRET_KEY`, or `OS_USERNAME` + `OS_PASSWORD` +
//!   `OS_USER_DOMAIN_NAME`;
//! - optionally `OTC_IAM_ENDPOINT`, `OTC_IMS_ENDPOINT`, `OTC_MODELARTS_ENDPOINT`.
//!
//! ```sh
//! cargo run -p otc-client --example configured [-- --connect]
//! ```

use std::process::ExitCode;

use otc_client::{Cloud, Config, Credentials, Domain, Service, User};

#[tokio::main]
async fn main() -> ExitCode {
    let connect = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--connect") => true,
        Some(_) => {
            eprintln!("usage: configured [--connect]");
            return ExitCode::from(2);
        }
    };
    match run(connect).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(connect: bool) -> Result<(), Box<dyn std::error::Error>> {
    // A missing setting is an error naming the variable, e.g. `configuration: OS_REGION_NAME …`.
    let config = Config::from_env()?;
    match std::env::var("OS_CLOUD") {
        Ok(cloud) => println!("cloud:       {cloud} (clouds.yaml)"),
        Err(_) => println!("cloud:       OS_* variables"),
    }
    println!("region:      {}", config.region());
    println!("project id:  {}", config.project_id().unwrap_or("(not set)"));
    println!("project:     {}", config.project_name().unwrap_or("(not set)"));
    if let Some(domain) = config.project_domain() {
        println!("  in domain: {}", domain_text(domain));
    }
    let credentials = match config.credentials() {
        Some(Credentials::Token(_)) => "a token (X-Auth-Token)".to_owned(),
        Some(Credentials::AccessKey { access_key, security_token, .. }) => format!(
            "access key {}… ({}AK/SK signing)",
            access_key.chars().take(4).collect::<String>(),
            if security_token.is_some() { "temporary, " } else { "" }
        ),
        Some(Credentials::Password { user, .. }) => format!("password of {} (a token from IAM)", user_text(user)),
        None => "none".to_owned(),
    };
    println!("credentials: {credentials}");
    for service in Service::ALL {
        println!("{:<12} {}", format!("{}:", service.name()), config.endpoint(service));
    }
    let timeouts = config.timeouts();
    println!("timeouts:    connect {:?}, read {:?}, api {:?}", timeouts.connect, timeouts.read, timeouts.api);

    if connect {
        let cloud = Cloud::connect(config).await?;
        println!("connected:   calls use project {}", cloud.project_id().as_deref().unwrap_or("(none)"));
    }
    Ok(())
}

fn user_text(user: &User) -> String {
    match user {
        User::Name { name, domain } => format!("{name} in domain {domain}"),
        User::Id(id) => format!("user id {id}"),
    }
}

fn domain_text(domain: &Domain) -> String {
    match domain {
        Domain::Id(id) => format!("id {id}"),
        Domain::Name(name) => name.clone(),
    }
}
