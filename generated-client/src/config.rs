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
    /// ModelArts (`modelarts.{region}.otc.t-systems.com`).
    ModelArts,
    /// Image Management Service, Glance v2 included (`ims.{region}.otc.t-systems.com`).
    Ims,
    /// Identity and Access Management, Keystone v3 (`iam.{region}.otc.t-systems.com`).
    Iam,
}

impl Service {
    /// Every service, in this order.
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
    Password {
        /// Who logs in.
        user: User,
        /// The user's password.
        password: Secret,
    },
    /// An access key pair, signing every request (`SDK-HMAC-SHA256`).
    AccessKey {
        /// The access key id (AK), sent in the `Authorization` header.
        access_key: String,
        /// The secret access key (SK), which signs and is never sent.
        secret_key: Secret,
        /// With a temporary access key: its security token, sent as `X-Security-Token`.
        security_token: Option<Secret>,
    },
}

/// A user, by name within a domain (account), or by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum User {
    /// A user name, unique within its domain.
    Name {
        /// The user's name.
        name: String,
        /// The name of the user's domain (on OTC the account name, `OTC-EU-DE-…`).
        domain: String,
    },
    /// A user id, unique in the cloud.
    Id(String),
}

/// A domain (on OTC: the account), by id or by name; here the domain of a project named by
/// name, which Keystone needs to find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Domain {
    /// The domain's id.
    Id(String),
    /// The domain's name.
    Name(String),
}

/// Everything a [`crate::Cloud`] needs. Construct with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(crate) region: String,
    pub(crate) project_id: Option<String>,
    pub(crate) project_name: Option<String>,
    pub(crate) project_domain: Option<Domain>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) endpoints: BTreeMap<Service, String>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    /// `None`: the runtime's default (`RuntimeBuilder::max_response_bytes`).
    pub(crate) max_response_bytes: Option<usize>,
}

/// How long the client waits, split by what it waits for: a single whole-request limit would
/// cut off a large upload or download on a slow link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP and TLS).
    pub connect: Duration,
    /// Silence while reading a response: the time between two reads, not the whole transfer,
    /// so a stream of any size passes as long as data keeps coming.
    pub read: Duration,
    /// One attempt of a JSON call, from sending to the end of the body (openstacksdk's
    /// `api_timeout`). Streamed bodies (image files) are bounded by `read` only.
    pub api: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), read: Duration::from_secs(60), api: Duration::from_secs(60) }
    }
}

/// `seconds` as written in `OS_API_TIMEOUT` or `clouds.yaml` (`30`, `2.5`): a positive, finite
/// number; `None` otherwise.
pub(crate) fn parse_seconds(seconds: &str) -> Option<Duration> {
    seconds_to_duration(seconds.trim().parse::<f64>().ok()?)
}

pub(crate) fn seconds_to_duration(seconds: f64) -> Option<Duration> {
    if seconds > 0.0 { Duration::try_from_secs_f64(seconds).ok() } else { None }
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
    /// A configuration in code; [`ConfigBuilder::build`] says what is missing.
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

    /// The region (`eu-de`), which names the default endpoints.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The project id, when configured ([`crate::Cloud::project_id`] also knows one learned
    /// at login).
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The project name, when configured.
    pub fn project_name(&self) -> Option<&str> {
        self.project_name.as_deref()
    }

    /// The domain of the project named by [`Config::project_name`], when configured; see
    /// [`ConfigBuilder::project_domain_name`] for what happens without one.
    pub fn project_domain(&self) -> Option<&Domain> {
        self.project_domain.as_ref()
    }

    /// The connect, read and API timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// How calls authenticate; `None` sends them without credentials.
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
    // openstacksdk's rule: an explicit project domain, else OS_DOMAIN_NAME.
    if let Some(id) = variable("OS_PROJECT_DOMAIN_ID") {
        builder = builder.project_domain_id(id);
    } else if let Some(name) = variable("OS_PROJECT_DOMAIN_NAME").or_else(|| variable("OS_DOMAIN_NAME")) {
        builder = builder.project_domain_name(name);
    }
    for (name, set) in [
        ("OS_CONNECT_TIMEOUT", ConfigBuilder::connect_timeout as fn(ConfigBuilder, Duration) -> ConfigBuilder),
        ("OS_READ_TIMEOUT", ConfigBuilder::read_timeout),
        ("OS_API_TIMEOUT", ConfigBuilder::api_timeout),
    ] {
        if let Some(text) = variable(name) {
            let seconds = parse_seconds(&text)
                .ok_or_else(|| ConfigError(format!("{name}: expected a positive number of seconds")))?;
            builder = set(builder, seconds);
        }
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
    project_domain: Option<Domain>,
    credentials: Option<Credentials>,
    endpoints: BTreeMap<Service, String>,
    timeouts: Timeouts,
    retry: Option<RetryPolicy>,
    max_response_bytes: Option<usize>,
}

impl ConfigBuilder {
    /// The region (`eu-de`, `eu-nl`): names the default endpoints.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The project by id; it fills every `{project_id}` and scopes a password login.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The project by name (password authentication scopes the token to it and learns its id).
    pub fn project_name(mut self, project_name: impl Into<String>) -> Self {
        self.project_name = Some(project_name.into());
        self
    }

    /// The domain the project named by [`ConfigBuilder::project_name`] belongs to (Keystone
    /// looks project names up within a domain). Without one, the project is looked up in the
    /// user's domain: on OTC every project belongs to the account, which is the user's domain.
    /// (keystoneauth would send no domain, and Keystone answers 400.)
    pub fn project_domain_name(mut self, name: impl Into<String>) -> Self {
        self.project_domain = Some(Domain::Name(name.into()));
        self
    }

    /// Like [`ConfigBuilder::project_domain_name`], by domain id.
    pub fn project_domain_id(mut self, id: impl Into<String>) -> Self {
        self.project_domain = Some(Domain::Id(id.into()));
        self
    }

    /// How calls authenticate.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Authenticates with a token obtained elsewhere (`X-Auth-Token`).
    pub fn token(self, token: impl Into<Secret>) -> Self {
        self.credentials(Credentials::Token(token.into()))
    }

    /// Overrides the base URL of one service (tests, proxies, other clouds).
    pub fn endpoint(mut self, service: Service, url: impl Into<String>) -> Self {
        self.endpoints.insert(service, url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Time allowed to establish a connection (default 10 s; `OS_CONNECT_TIMEOUT`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Longest silence between two reads of a response (default 60 s; `OS_READ_TIMEOUT`).
    /// Bounds stalled streams without limiting how long a large transfer takes.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.read = timeout;
        self
    }

    /// Time allowed for one attempt of a JSON call, from sending to the end of the body
    /// (default 60 s; `OS_API_TIMEOUT`, openstacksdk's `api_timeout`).
    pub fn api_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.api = timeout;
        self
    }

    /// How idempotent calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The most bytes of a JSON success body a call buffers (default 32 MiB); a longer body
    /// fails with `Error::ResponseTooLarge`. Image file downloads are streamed and not limited.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The configuration, or an error naming what is missing (a region at least).
    pub fn build(self) -> Result<Config, ConfigError> {
        let region =
            self.region.ok_or_else(|| ConfigError("no region: set OS_REGION_NAME or call `.region(..)`".into()))?;
        Ok(Config {
            region,
            project_id: self.project_id,
            project_name: self.project_name,
            project_domain: self.project_domain,
            credentials: self.credentials,
            endpoints: self.endpoints,
            timeouts: self.timeouts,
            retry: self.retry.unwrap_or_default(),
            max_response_bytes: self.max_response_bytes,
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
    fn project_domain_from_os_variables() {
        let base = [("OS_TOKEN", "t"), ("OS_REGION_NAME", "eu-de"), ("OS_PROJECT_NAME", "eu-de_demo")];
        let domain = |extra: &[(&str, &str)]| from(&[&base[..], extra].concat()).unwrap().project_domain().cloned();
        assert_eq!(domain(&[]), None);
        assert_eq!(domain(&[("OS_PROJECT_DOMAIN_NAME", "acct")]), Some(Domain::Name("acct".into())));
        assert_eq!(domain(&[("OS_DOMAIN_NAME", "acct")]), Some(Domain::Name("acct".into())));
        assert_eq!(
            domain(&[("OS_PROJECT_DOMAIN_ID", "d1"), ("OS_PROJECT_DOMAIN_NAME", "acct")]),
            Some(Domain::Id("d1".into())),
            "an id wins over a name"
        );
    }

    #[test]
    fn timeouts_from_os_variables() {
        let base = [("OS_TOKEN", "t"), ("OS_REGION_NAME", "eu-de")];
        let timeouts = |extra: &[(&str, &str)]| from(&[&base[..], extra].concat()).map(|config| config.timeouts());
        assert_eq!(timeouts(&[]).unwrap(), Timeouts::default());
        assert_eq!(
            timeouts(&[("OS_API_TIMEOUT", "120"), ("OS_CONNECT_TIMEOUT", " 2.5 "), ("OS_READ_TIMEOUT", "300")])
                .unwrap(),
            Timeouts {
                api: Duration::from_secs(120),
                connect: Duration::from_millis(2500),
                read: Duration::from_secs(300)
            }
        );
        for name in ["OS_API_TIMEOUT", "OS_CONNECT_TIMEOUT", "OS_READ_TIMEOUT"] {
            for bad in ["", "soon", "-1", "0", "NaN", "inf", "1e400"] {
                let error = timeouts(&[(name, bad)]).unwrap_err().to_string();
                assert_eq!(error, format!("configuration: {name}: expected a positive number of seconds"), "{bad:?}");
            }
        }
    }

    #[test]
    fn builder_timeouts_and_project_domain() {
        let config = Config::builder()
            .region("eu-de")
            .connect_timeout(Duration::from_secs(1))
            .read_timeout(Duration::from_secs(2))
            .api_timeout(Duration::from_secs(3))
            .project_domain_name("acct")
            .build()
            .unwrap();
        assert_eq!(
            config.timeouts(),
            Timeouts { connect: Duration::from_secs(1), read: Duration::from_secs(2), api: Duration::from_secs(3) }
        );
        assert_eq!(config.project_domain(), Some(&Domain::Name("acct".into())));
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let config =
            from(&[("OS_ACCESS_KEY", "AK"), ("OS_SECRET_KEY", "topsecret"), ("OS_REGION_NAME", "eu-de")]).unwrap();
        assert!(!format!("{config:?}").contains("topsecret"));
    }
}
