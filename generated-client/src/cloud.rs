//! The entry point: one [`Cloud`] per configuration hands out a client per service, all sharing
//! one connection pool and one runtime (project, credentials, token cache, retry policy).

use crate::config::{Config, ConfigError, Credentials, Service};
use crate::runtime::Runtime;
use crate::signer;
use crate::token::{Scope, TokenSource};

use std::sync::Arc;

/// Clients for every service of one configuration.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let cloud = otc_client::Cloud::from_env()?;
/// let notebook = cloud.modelarts().show_notebook().id("6e3cd1a5-9b7e-4c8f").send().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Cloud {
    config: Config,
    http: reqwest::Client,
    runtime: Runtime,
    /// The password token source, shared with `runtime`.
    source: Option<Arc<TokenSource>>,
}

impl Cloud {
    /// Reads the configuration from the environment ([`Config::from_env`]).
    pub fn from_env() -> Result<Cloud, ConfigError> {
        Cloud::new(Config::from_env()?)
    }

    /// Builds the clients; no request is made. With password authentication the token is
    /// fetched on the first call; calls that need a project id fail unless one is configured
    /// (use [`Cloud::connect`] to learn it from a project name).
    pub fn new(config: Config) -> Result<Cloud, ConfigError> {
        let http = crate::http::client_builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()
            .map_err(|error| ConfigError(format!("cannot build the HTTP client: {error}")))?;
        let source = match &config.credentials {
            Some(Credentials::Password { user, password }) => {
                let anonymous = Runtime::builder().retry(config.retry.clone()).build();
                let iam = crate::iam::Client::new_with_client(&config.endpoint(Service::Iam), http.clone(), anonymous);
                let scope = match (&config.project_id, &config.project_name) {
                    (Some(id), _) => Scope::ProjectId(id.clone()),
                    (None, Some(name)) => Scope::ProjectName(name.clone()),
                    (None, None) => Scope::Domain,
                };
                Some(Arc::new(TokenSource::new(iam, user.clone(), password.clone(), scope)))
            }
            _ => None,
        };
        let runtime = runtime(&config, config.project_id.clone(), source.clone());
        Ok(Cloud { runtime, http, config, source })
    }

    /// Like [`Cloud::new`], but with password authentication and a project given by name only,
    /// fetches the token now and takes the project id from it.
    pub async fn connect(config: Config) -> Result<Cloud, ConfigError> {
        let mut cloud = Cloud::new(config)?;
        if cloud.config.project_id.is_none()
            && let Some(source) = cloud.source.clone()
        {
            let token = source.token().await.map_err(ConfigError)?;
            let project_id = token.project_id.ok_or_else(|| {
                ConfigError("the token IAM issued names no project: configure a project id or name".into())
            })?;
            cloud.runtime = runtime(&cloud.config, Some(project_id), Some(source));
        }
        Ok(cloud)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// ModelArts DevEnviron: notebooks and images.
    pub fn modelarts(&self) -> crate::modelarts::Client {
        crate::modelarts::Client::new_with_client(
            &self.config.endpoint(Service::ModelArts),
            self.http.clone(),
            self.runtime.clone(),
        )
    }

    /// The project id calls use (configured, or learned by [`Cloud::connect`]).
    pub fn project_id(&self) -> Option<String> {
        self.runtime.path_parameter("project_id")
    }

    /// Identity and Access Management (tokens).
    pub fn iam(&self) -> crate::iam::Client {
        crate::iam::Client::new_with_client(
            &self.config.endpoint(Service::Iam),
            self.http.clone(),
            self.runtime.clone(),
        )
    }

    /// Image Management Service, including the native OpenStack image API.
    pub fn ims(&self) -> crate::ims::Client {
        crate::ims::Client::new_with_client(
            &self.config.endpoint(Service::Ims),
            self.http.clone(),
            self.runtime.clone(),
        )
    }
}

fn runtime(config: &Config, project_id: Option<String>, source: Option<Arc<TokenSource>>) -> Runtime {
    let mut runtime = Runtime::builder().retry(config.retry.clone());
    if let Some(project_id) = project_id {
        runtime = runtime.project_id(project_id);
    }
    match (&config.credentials, source) {
        (_, Some(source)) => runtime = runtime.password(source),
        (Some(Credentials::Token(token)), None) => runtime = runtime.token(token.clone()),
        (Some(Credentials::AccessKey { access_key, secret_key, security_token }), None) => {
            let credentials = match security_token {
                Some(token) => signer::AccessKey::temporary(access_key.clone(), secret_key.clone(), token.clone()),
                None => signer::AccessKey::new(access_key.clone(), secret_key.clone()),
            };
            runtime = runtime.access_key(credentials);
        }
        (Some(Credentials::Password { .. }) | None, None) => {}
    }
    runtime.build()
}
