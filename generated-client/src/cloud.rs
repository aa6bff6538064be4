//! The entry point: one [`Cloud`] per configuration hands out a client per service, all sharing
//! one connection pool and one runtime (project, credentials, token cache, retry policy).

use crate::config::{Config, ConfigError, Credentials, Service};
use crate::runtime::Runtime;
use crate::signer;

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
}

impl Cloud {
    /// Reads the configuration from the environment ([`Config::from_env`]).
    pub fn from_env() -> Result<Cloud, ConfigError> {
        Cloud::new(Config::from_env()?)
    }

    pub fn new(config: Config) -> Result<Cloud, ConfigError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("otc-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ConfigError(format!("cannot build the HTTP client: {error}")))?;
        let mut runtime = Runtime::builder().retry(config.retry.clone());
        if let Some(project_id) = &config.project_id {
            runtime = runtime.project_id(project_id.clone());
        }
        match &config.credentials {
            None => {}
            Some(Credentials::Token(token)) => runtime = runtime.token(token.clone()),
            Some(Credentials::AccessKey { access_key, secret_key, security_token }) => {
                let credentials = match security_token {
                    Some(token) => signer::AccessKey::temporary(access_key.clone(), secret_key.clone(), token.clone()),
                    None => signer::AccessKey::new(access_key.clone(), secret_key.clone()),
                };
                runtime = runtime.access_key(credentials);
            }
            Some(Credentials::Password { .. }) => {
                return Err(ConfigError("password authentication is not available yet".into()));
            }
        }
        Ok(Cloud { runtime: runtime.build(), http, config })
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

    /// Image Management Service, including the native OpenStack image API.
    pub fn ims(&self) -> crate::ims::Client {
        crate::ims::Client::new_with_client(
            &self.config.endpoint(Service::Ims),
            self.http.clone(),
            self.runtime.clone(),
        )
    }
}
