//! The entry point: one [`Cloud`] per configuration hands out a client per service, all sharing
//! one connection pool and one runtime (project, credentials, token cache, retry policy).

#[cfg(feature = "iam")]
use crate::config::Domain;
#[cfg(any(feature = "modelarts", feature = "ims", feature = "iam"))]
use crate::config::Service;
use crate::config::{Config, ConfigError, Credentials, User};
use crate::runtime::Runtime;
use crate::signer;
#[cfg(feature = "iam")]
use crate::token::Scope;
use crate::token::{TokenError, TokenSource};

use std::fmt;
use std::sync::Arc;

/// Why [`Cloud::connect`] failed: the configuration (nothing usable was sent), or IAM did not
/// issue a token (wrong password, unknown project, IAM unreachable). The two call for different
/// fixes, so they are told apart by type.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectError {
    /// The configuration is incomplete or wrong.
    Config(ConfigError),
    /// The token request failed; `source()` is the [`TokenError`], whose own source is IAM's
    /// [`crate::Error`] with status, code and request id.
    Authentication(TokenError),
}

impl From<ConfigError> for ConnectError {
    fn from(error: ConfigError) -> Self {
        ConnectError::Config(error)
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Config(error) => error.fmt(f),
            ConnectError::Authentication(error) => {
                f.write_str("authentication failed")?;
                crate::error::write_causes(f, error)
            }
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConnectError::Config(error) => Some(error),
            ConnectError::Authentication(error) => Some(error),
        }
    }
}

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
        // No whole-request timeout: it would cut off large transfers. A stalled connection is
        // caught by the read timeout; JSON calls are bounded by the runtime's `api_timeout`.
        let http = crate::http::client_builder()
            .connect_timeout(config.timeouts.connect)
            .read_timeout(config.timeouts.read)
            .build()
            .map_err(|error| ConfigError(format!("cannot build the HTTP client: {error}")))?;
        let source = match &config.credentials {
            Some(Credentials::Password { user, password }) => Some(password_source(&config, &http, user, password)?),
            _ => None,
        };
        let runtime = runtime(&config, config.project_id.clone(), source.clone());
        Ok(Cloud { runtime, http, config, source })
    }

    /// Like [`Cloud::new`], but with password authentication and a project given by name only,
    /// fetches the token now and takes the project id from it, so a wrong password or an
    /// unknown project fails here, as [`ConnectError::Authentication`].
    pub async fn connect(config: Config) -> Result<Cloud, ConnectError> {
        let mut cloud = Cloud::new(config)?;
        if cloud.config.project_id.is_none()
            && let Some(source) = cloud.source.clone()
        {
            let token = source.token().await.map_err(ConnectError::Authentication)?;
            let project_id = token.project_id.ok_or_else(|| {
                ConfigError("the token IAM issued names no project: configure a project id or name".into())
            })?;
            cloud.runtime = runtime(&cloud.config, Some(project_id), Some(source));
        }
        Ok(cloud)
    }

    /// The configuration the clients were built from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// ModelArts DevEnviron: notebooks and images.
    #[cfg(feature = "modelarts")]
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
    #[cfg(feature = "iam")]
    pub fn iam(&self) -> crate::iam::Client {
        crate::iam::Client::new_with_client(
            &self.config.endpoint(Service::Iam),
            self.http.clone(),
            self.runtime.clone(),
        )
    }

    /// Image Management Service, including the native OpenStack image API.
    #[cfg(feature = "ims")]
    pub fn ims(&self) -> crate::ims::Client {
        crate::ims::Client::new_with_client(
            &self.config.endpoint(Service::Ims),
            self.http.clone(),
            self.runtime.clone(),
        )
    }
}

/// Password authentication asks IAM for a token with its own, credential-less client.
#[cfg(feature = "iam")]
fn password_source(
    config: &Config,
    http: &reqwest::Client,
    user: &User,
    password: &crate::Secret,
) -> Result<Arc<TokenSource>, ConfigError> {
    let anonymous = base_runtime(config).build();
    let iam = crate::iam::Client::new_with_client(&config.endpoint(Service::Iam), http.clone(), anonymous);
    let scope = match (&config.project_id, &config.project_name) {
        (Some(id), _) => Scope::ProjectId(id.clone()),
        (None, Some(name)) => Scope::ProjectName { name: name.clone(), domain: project_domain(config, user) },
        (None, None) => Scope::Domain,
    };
    Ok(Arc::new(TokenSource::new(iam, user.clone(), password.clone(), scope)))
}

#[cfg(not(feature = "iam"))]
fn password_source(
    _config: &Config,
    _http: &reqwest::Client,
    _user: &User,
    _password: &crate::Secret,
) -> Result<Arc<TokenSource>, ConfigError> {
    Err(ConfigError(
        "password authentication asks IAM for a token: enable otc-client's `iam` feature, or use a token or an \
         access key"
            .into(),
    ))
}

/// The domain a project name is looked up in: the configured one, else the user's (on OTC every
/// project belongs to the account, the user's domain).
#[cfg(feature = "iam")]
fn project_domain(config: &Config, user: &User) -> Option<Domain> {
    config.project_domain.clone().or_else(|| match user {
        User::Name { domain, .. } => Some(Domain::Name(domain.clone())),
        User::Id(_) => None,
    })
}

/// What every runtime of `config` shares: retries and limits.
fn base_runtime(config: &Config) -> crate::RuntimeBuilder {
    let runtime = Runtime::builder().retry(config.retry.clone()).api_timeout(config.timeouts.api);
    match config.max_response_bytes {
        Some(limit) => runtime.max_response_bytes(limit),
        None => runtime,
    }
}

fn runtime(config: &Config, project_id: Option<String>, source: Option<Arc<TokenSource>>) -> Runtime {
    let mut runtime = base_runtime(config);
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
