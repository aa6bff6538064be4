//! Configuration given once: region, project, credentials, endpoints, timeouts, retries.
//! Built in code with [`Config::builder`], or read the OpenStack way with [`Config::from_env`]
//! (`OS_CLOUD` and `clouds.yaml`, or `OS_*` variables), as openstacksdk, otcextensions and
//! terraform users already have them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// A service this crate has a client for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    ModelArts,
    Ims,
    Iam,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::ModelArts, Service::Ims, Service::Iam];

    /// The host-name label (`modelarts` in `modelarts.eu-de.otc.t-systems.com`).
    pub fn name(self) -> &'static str {
        match self {
            Service::ModelArts => "modelarts",
            Service::Ims => "ims",
            Service::Iam => "iam",
        }
    }

    /// The environment variable overriding the endpoint (`OTC_MODELARTS_ENDPOINT`), for tests,
    /// proxies and other clouds.
    pub fn endpoint_variable(self) -> String {
        format!("OTC_{}_ENDPOINT", self.name().to_uppercase())
    }

    /// `https://{service}.{region}.otc.t-systems.com`.
    pub fn default_endpoint(self, region: &str) -> String {
        format!("https://{}.{region}.otc.t-systems.com", self.name())
    }
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A token obtained elsewhere, sent as `X-Auth-Token`.
    Token(Secret),
    /// A user and password, exchanged for a token at IAM (`POST /v3/auth/tokens`).
    Password { user: User, password: Secret },
    /// An access key pair, signing every request (`SDK-HMAC-SHA256`).
    AccessKey { access_key: String, secret_key: Secret, security_token: Option<Secret> },
}

/// A user, by name within a domain (account), or by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum User {
    Name { name: String, domain: String },
    Id(String),
}

/// Everything a [`crate::Cloud`] needs. Construct with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(crate) region: String,
    pub(crate) project_id: Option<String>,
    pub(crate) project_name: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) endpoints: BTreeMap<Service, String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

/// A setting that is missing or wrong; names the variable, file or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Reads the process environment; see [`Config::from_variables`].
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_variables(
            |name| std::env::var(name).ok().filter(|value| !value.is_empty()),
            &crate::clouds::search_path(),
        )
    }

    /// Reads `OS_CLOUD` (then the named cloud from `clouds.yaml`, with `secure.yaml` merged, in
    /// the folders of `clouds_path`), or else the `OS_*` variables; `OTC_<SERVICE>_ENDPOINT`
    /// overrides endpoints either way. `variable` looks a variable up (the environment, or a
    /// map in tests).
    pub fn from_variables(
        variable: impl Fn(&str) -> Option<String>,
        clouds_path: &[PathBuf],
    ) -> Result<Config, ConfigError> {
        let mut builder = match variable("OS_CLOUD") {
            Some(cloud) => crate::clouds::load(&cloud, clouds_path)?,
            None => from_os_variables(&variable)?,
        };
        for service in Service::ALL {
            if let Some(endpoint) = variable(&service.endpoint_variable()) {
                builder = builder.endpoint(service, endpoint);
            }
        }
        builder.build()
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    pub fn project_name(&self) -> Option<&str> {
        self.project_name.as_deref()
    }

    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The base URL of `service`: the override if one is configured, else the default for the
    /// region.
    pub fn endpoint(&self, service: Service) -> String {
        self.endpoints.get(&service).cloned().unwrap_or_else(|| service.default_endpoint(&self.region))
    }
}

fn from_os_variables(variable: &impl Fn(&str) -> Option<String>) -> Result<ConfigBuilder, ConfigError> {
    let required = |name: &str| variable(name).ok_or_else(|| ConfigError(format!("{name} is not set")));
    let mut builder = Config::builder();
    if let Some(region) = variable("OS_REGION_NAME") {
        builder = builder.region(region);
    }
    if let Some(project_id) = variable("OS_PROJECT_ID") {
        builder = builder.project_id(project_id);
    }
    if let Some(project_name) = variable("OS_PROJECT_NAME") {
        builder = builder.project_name(project_name);
    }
    if let Some(auth_url) = variable("OS_AUTH_URL") {
        builder = builder.endpoint(Service::Iam, iam_base_url(&auth_url));
    }
    let credentials = if let Some(token) = variable("OS_TOKEN").or_else(|| variable("OS_AUTH_TOKEN")) {
        Credentials::Token(token.into())
    } else if let Some(access_key) = variable("OS_ACCESS_KEY") {
        Credentials::AccessKey {
            access_key,
            secret_key: required("OS_SECRET_KEY")?.into(),
            security_token: variable("OS_SECURITY_TOKEN").map(Secret::from),
        }
    } else if variable("OS_PASSWORD").is_some() || variable("OS_USERNAME").is_some() || variable("OS_USER_ID").is_some()
    {
        let user = match variable("OS_USER_ID") {
            Some(id) => User::Id(id),
            None => User::Name {
                name: required("OS_USERNAME")?,
                domain: variable("OS_USER_DOMAIN_NAME")
                    .or_else(|| variable("OS_DOMAIN_NAME"))
                    .ok_or_else(|| ConfigError("OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME) is not set".into()))?,
            },
        };
        Credentials::Password { user, password: required("OS_PASSWORD")?.into() }
    } else {
        return Err(ConfigError(
            "no credentials: set OS_CLOUD, OS_TOKEN, OS_ACCESS_KEY and OS_SECRET_KEY, or OS_USERNAME and OS_PASSWORD"
                .into(),
        ));
    };
    Ok(builder.credentials(credentials))
}

/// `https://iam.eu-de.otc.t-systems.com:443/v3` → `https://iam.eu-de.otc.t-systems.com:443`: the
/// IAM spec's paths start with `/v3`.
pub(crate) fn iam_base_url(auth_url: &str) -> String {
    let trimmed = auth_url.trim_end_matches('/');
    trimmed.strip_suffix("/v3").unwrap_or(trimmed).to_owned()
}

/// Builds a [`Config`]; `build` says what is missing.
#[derive(Debug, Default, Clone)]
pub struct ConfigBuilder {
    region: Option<String>,
    project_id: Option<String>,
    project_name: Option<String>,
    credentials: Option<Credentials>,
    endpoints: BTreeMap<Service, String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

impl ConfigBuilder {
    /// The region (`eu-de`, `eu-nl`): names the default endpoints.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The project by name (password authentication scopes the token to it and learns its id).
    pub fn project_name(mut self, project_name: impl Into<String>) -> Self {
        self.project_name = Some(project_name.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    pub fn token(self, token: impl Into<Secret>) -> Self {
        self.credentials(Credentials::Token(token.into()))
    }

    /// Overrides the base URL of one service (tests, proxies, other clouds).
    pub fn endpoint(mut self, service: Service, url: impl Into<String>) -> Self {
        self.endpoints.insert(service, url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    pub fn build(self) -> Result<Config, ConfigError> {
        let region =
            self.region.ok_or_else(|| ConfigError("no region: set OS_REGION_NAME or call `.region(..)`".into()))?;
        Ok(Config {
            region,
            project_id: self.project_id,
            project_name: self.project_name,
            credentials: self.credentials,
            endpoints: self.endpoints,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(10)),
            timeout: self.timeout.unwrap_or(Duration::from_secs(60)),
            retry: self.retry.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_variables(|name| map.get(name).cloned(), &[])
    }

    #[test]
    fn password_from_os_variables() {
        let config = from(&[
            ("OS_AUTH_URL", "https://iam.eu-de.otc.t-systems.com:443/v3"),
            ("OS_USERNAME", "alice"),
            ("OS_PASSWORD", "pw"),
            ("OS_USER_DOMAIN_NAME", "OTC-EU-DE-0000"),
            ("OS_PROJECT_NAME", "eu-de_demo"),
            ("OS_REGION_NAME", "eu-de"),
        ])
        .unwrap();
        assert_eq!(
            config.credentials(),
            Some(&Credentials::Password {
                user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-0000".into() },
                password: "pw".into()
            })
        );
        assert_eq!(config.project_name(), Some("eu-de_demo"));
        assert_eq!(config.endpoint(Service::Iam), "https://iam.eu-de.otc.t-systems.com:443");
        assert_eq!(config.endpoint(Service::ModelArts), "https://modelarts.eu-de.otc.t-systems.com");
    }

    #[test]
    fn token_and_access_keys_and_endpoint_overrides() {
        let config =
            from(&[("OS_AUTH_TOKEN", "t"), ("OS_REGION_NAME", "eu-nl"), ("OTC_IMS_ENDPOINT", "http://127.0.0.1:9/")])
                .unwrap();
        assert_eq!(config.credentials(), Some(&Credentials::Token("t".into())));
        assert_eq!(config.endpoint(Service::Ims), "http://127.0.0.1:9");
        assert_eq!(config.endpoint(Service::ModelArts), "https://modelarts.eu-nl.otc.t-systems.com");
        let config = from(&[
            ("OS_ACCESS_KEY", "AK"),
            ("OS_SECRET_KEY", "SK"),
            ("OS_SECURITY_TOKEN", "ST"),
            ("OS_REGION_NAME", "eu-de"),
        ])
        .unwrap();
        assert_eq!(
            config.credentials(),
            Some(&Credentials::AccessKey {
                access_key: "AK".into(),
                secret_key: "SK".into(),
                security_token: Some("ST".into())
            })
        );
    }

    #[test]
    fn a_missing_setting_is_named() {
        let message = |pairs: &[(&str, &str)]| from(pairs).unwrap_err().to_string();
        assert!(message(&[("OS_REGION_NAME", "eu-de")]).contains("no credentials"));
        assert!(
            message(&[("OS_USERNAME", "a"), ("OS_PASSWORD", "p"), ("OS_REGION_NAME", "eu-de")])
                .contains("OS_USER_DOMAIN_NAME")
        );
        assert!(
            message(&[("OS_USERNAME", "a"), ("OS_DOMAIN_NAME", "d"), ("OS_REGION_NAME", "eu-de")])
                .contains("OS_PASSWORD")
        );
        assert!(message(&[("OS_ACCESS_KEY", "a"), ("OS_REGION_NAME", "eu-de")]).contains("OS_SECRET_KEY"));
        assert!(message(&[("OS_TOKEN", "t")]).contains("OS_REGION_NAME"));
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let config =
            from(&[("OS_ACCESS_KEY", "AK"), ("OS_SECRET_KEY", "topsecret"), ("OS_REGION_NAME", "eu-de")]).unwrap();
        assert!(!format!("{config:?}").contains("topsecret"));
    }
}
