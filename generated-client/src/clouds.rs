//! `clouds.yaml`, as openstacksdk reads it: the first `clouds.yaml` found in `./`,
//! `$XDG_CONFIG_HOME/openstack` (or `~/.config/openstack`), `/etc/openstack`, with the first
//! `secure.yaml` of the same folders merged over it (that is where passwords usually live).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::time::Duration;

use serde::Deserialize;
use serde::de::Unexpected;

use crate::config::{
    ConfigBuilder, ConfigError, Credentials, Service, User, iam_base_url, parse_seconds, seconds_to_duration,
};

/// The folders searched, in order.
pub fn search_path() -> Vec<PathBuf> {
    let mut folders = vec![PathBuf::from(".")];
    match std::env::var_os("XDG_CONFIG_HOME").filter(|value| !value.is_empty()) {
        Some(config) => folders.push(PathBuf::from(config).join("openstack")),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                folders.push(PathBuf::from(home).join(".config/openstack"));
            }
        }
    }
    folders.push(PathBuf::from("/etc/openstack"));
    folders
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    clouds: BTreeMap<String, Cloud>,
}

#[derive(Deserialize, Default, Clone)]
struct Cloud {
    #[serde(default)]
    auth: Auth,
    region_name: Option<String>,
    api_timeout: Option<Seconds>,
    connect_timeout: Option<Seconds>,
    read_timeout: Option<Seconds>,
}

/// The `auth` section; unknown keys are ignored.
#[derive(Deserialize, Default, Clone)]
struct Auth {
    auth_url: Option<String>,
    username: Option<String>,
    user_id: Option<String>,
    password: Option<String>,
    user_domain_name: Option<String>,
    domain_name: Option<String>,
    project_id: Option<String>,
    project_name: Option<String>,
    project_domain_name: Option<String>,
    project_domain_id: Option<String>,
    token: Option<String>,
    #[serde(alias = "access_key")]
    ak: Option<String>,
    #[serde(alias = "secret_key")]
    sk: Option<String>,
    security_token: Option<String>,
}

/// The keys this file format knows: the only ones a key path in an error names. Any other key
/// (a cloud's own name aside) is shown as `?`, since in a malformed file a key may well be a
/// misplaced secret.
const KNOWN_KEYS: &[&str] = &[
    "clouds",
    "auth",
    "region_name",
    "api_timeout",
    "connect_timeout",
    "read_timeout",
    "auth_url",
    "username",
    "user_id",
    "password",
    "user_domain_name",
    "domain_name",
    "project_id",
    "project_name",
    "project_domain_name",
    "project_domain_id",
    "token",
    "ak",
    "access_key",
    "sk",
    "secret_key",
    "security_token",
];

impl Auth {
    /// `secure` wins field by field.
    fn merged_under(self, secure: Auth) -> Auth {
        Auth {
            auth_url: secure.auth_url.or(self.auth_url),
            username: secure.username.or(self.username),
            user_id: secure.user_id.or(self.user_id),
            password: secure.password.or(self.password),
            user_domain_name: secure.user_domain_name.or(self.user_domain_name),
            domain_name: secure.domain_name.or(self.domain_name),
            project_id: secure.project_id.or(self.project_id),
            project_name: secure.project_name.or(self.project_name),
            project_domain_name: secure.project_domain_name.or(self.project_domain_name),
            project_domain_id: secure.project_domain_id.or(self.project_domain_id),
            token: secure.token.or(self.token),
            ak: secure.ak.or(self.ak),
            sk: secure.sk.or(self.sk),
            security_token: secure.security_token.or(self.security_token),
        }
    }
}

impl Cloud {
    /// `secure` wins setting by setting.
    fn merged_under(self, secure: Cloud) -> Cloud {
        Cloud {
            auth: self.auth.merged_under(secure.auth),
            region_name: secure.region_name.or(self.region_name),
            api_timeout: secure.api_timeout.or(self.api_timeout),
            connect_timeout: secure.connect_timeout.or(self.connect_timeout),
            read_timeout: secure.read_timeout.or(self.read_timeout),
        }
    }
}

/// A timeout in seconds, as openstacksdk takes it: a positive number (`30`, `2.5`) or a string
/// holding one (`"30"`).
#[derive(Clone, Copy)]
struct Seconds(Duration);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a positive number of seconds")
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Seconds, E> {
                match value {
                    0 => Err(E::invalid_value(Unexpected::Unsigned(value), &self)),
                    _ => Ok(Seconds(Duration::from_secs(value))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Seconds, E> {
                match u64::try_from(value) {
                    Ok(value) => self.visit_u64(value),
                    Err(_) => Err(E::invalid_value(Unexpected::Signed(value), &self)),
                }
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Seconds, E> {
                seconds_to_duration(value).map(Seconds).ok_or_else(|| E::invalid_value(Unexpected::Float(value), &self))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Seconds, E> {
                parse_seconds(value).map(Seconds).ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The settings of cloud `name`.
pub fn load(name: &str, folders: &[PathBuf]) -> Result<ConfigBuilder, ConfigError> {
    let clouds_path = first_existing(folders, "clouds.yaml")
        .ok_or_else(|| ConfigError(format!("OS_CLOUD={name}, but no clouds.yaml in {}", describe(folders))))?;
    let mut cloud = read(&clouds_path, name)?
        .clouds
        .remove(name)
        .ok_or_else(|| ConfigError(format!("{}: no cloud named `{name}`", clouds_path.display())))?;
    if let Some(secure_path) = first_existing(folders, "secure.yaml")
        && let Some(secure) = read(&secure_path, name)?.clouds.remove(name)
    {
        cloud = cloud.merged_under(secure);
    }
    builder(cloud, &clouds_path)
}

fn first_existing(folders: &[PathBuf], file: &str) -> Option<PathBuf> {
    folders.iter().map(|folder| folder.join(file)).find(|path| path.is_file())
}

fn describe(folders: &[PathBuf]) -> String {
    folders.iter().map(|folder| folder.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Parses one file. An error names the file, the line and column, the key path and a reason in
/// our words, and nothing else: the YAML library's own message may quote the offending line,
/// which in these files is often a password or a key.
fn read(path: &Path, cloud: &str) -> Result<File, ConfigError> {
    // An I/O error's text names no file content.
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError(format!("{}: {error}", path.display())))?;
    let mut track = serde_path_to_error::Track::new();
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(
        &text,
        serde_saphyr::options! { with_snippet: false },
        |deserializer| File::deserialize(serde_path_to_error::Deserializer::new(deserializer, &mut track)),
    );
    parsed.map_err(|error| {
        let mut message = path.display().to_string();
        if let Some(location) = error.location().filter(|location| location.line() > 0) {
            message += &format!(":{}:{}", location.line(), location.column());
        }
        let keys = key_path(&track.path(), cloud);
        if !keys.is_empty() {
            message += &format!(": {keys}");
        }
        ConfigError(format!("{message}: {}", reason(&error)))
    })
}

/// `clouds.mycloud.auth.password`, with keys this format does not know replaced by `?`.
fn key_path(path: &serde_path_to_error::Path, cloud: &str) -> String {
    use serde_path_to_error::Segment;
    let segments = path.iter().map(|segment| match segment {
        Segment::Map { key } if key == cloud || KNOWN_KEYS.contains(&key.as_str()) => key.clone(),
        Segment::Seq { index } => index.to_string(),
        Segment::Map { .. } | Segment::Enum { .. } | Segment::Unknown => "?".to_owned(),
    });
    segments.collect::<Vec<_>>().join(".")
}

/// What is wrong, from the error's kind; never from its text. Serde's "expected …" is this
/// crate's type description (`a string`), not file content, so it is kept.
fn reason(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::{Error, ExternalMessageSource};
    match error.without_snippet() {
        Error::SerdeInvalidType { expected, .. }
        | Error::SerdeInvalidValue { expected, .. }
        | Error::SerdeInvalidLength { expected, .. } => format!("expected {expected}"),
        Error::Unexpected { expected, .. } => format!("expected {expected}"),
        Error::NullIntoString { .. } => "expected a string, found nothing".into(),
        Error::NonFiniteFloat { .. } => "expected a finite number".into(),
        Error::DuplicateMappingKey { .. } => "a key appears twice in the same mapping".into(),
        Error::Eof { .. } => "the file ends where a value was expected".into(),
        Error::MultipleDocuments { .. } => "more than one YAML document".into(),
        Error::InvalidUtf8Input => "the file is not UTF-8".into(),
        Error::Budget { .. } => "the file is too large or too deeply nested".into(),
        Error::UnknownAnchor { .. } => "an alias names an unknown anchor".into(),
        Error::AliasError { error, .. } => reason(error),
        Error::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => syntax_reason(scan.kind()).into(),
            _ => "not valid YAML".into(),
        },
        _ => "not valid here".into(),
    }
}

fn syntax_reason(kind: &serde_saphyr::granit_parser::ErrorKind) -> &'static str {
    use serde_saphyr::granit_parser::ErrorKind;
    match kind {
        ErrorKind::UnclosedQuotedScalar => "a quoted value is not closed",
        ErrorKind::InvalidTrailingSingleQuotedScalar | ErrorKind::InvalidTrailingDoubleQuotedScalar => {
            "text follows a quoted value"
        }
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabAtBlockScalarStart => "a tab where YAML allows only spaces",
        ErrorKind::InvalidIndentation | ErrorKind::InvalidBlockScalarIndent | ErrorKind::InvalidQuotedScalarIndent => {
            "the indentation does not fit the lines above"
        }
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping => "a `[` or `{` is not closed",
        ErrorKind::MismatchedFlowCollectionEnd { .. } | ErrorKind::MisplacedFlowCollectionEnd => {
            "a `]` or `}` does not match"
        }
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey | ErrorKind::ExpectedBlockMappingKey => {
            "text where a `key: value` line was expected"
        }
        _ => "not valid YAML",
    }
}

fn builder(cloud: Cloud, path: &Path) -> Result<ConfigBuilder, ConfigError> {
    let missing = |field: &str| ConfigError(format!("{}: `auth.{field}` is not set", path.display()));
    let auth = cloud.auth;
    let mut builder = crate::Config::builder();
    if let Some(region) = cloud.region_name {
        builder = builder.region(region);
    }
    if let Some(project_id) = auth.project_id {
        builder = builder.project_id(project_id);
    }
    if let Some(project_name) = auth.project_name {
        builder = builder.project_name(project_name);
    }
    // openstacksdk's rule: an explicit project domain, else `domain_name`.
    if let Some(id) = auth.project_domain_id {
        builder = builder.project_domain_id(id);
    } else if let Some(name) = auth.project_domain_name.or_else(|| auth.domain_name.clone()) {
        builder = builder.project_domain_name(name);
    }
    if let Some(Seconds(timeout)) = cloud.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(Seconds(timeout)) = cloud.read_timeout {
        builder = builder.read_timeout(timeout);
    }
    if let Some(Seconds(timeout)) = cloud.api_timeout {
        builder = builder.api_timeout(timeout);
    }
    if let Some(auth_url) = auth.auth_url {
        builder = builder.endpoint(Service::Iam, iam_base_url(&auth_url));
    }
    let credentials = if let Some(token) = auth.token {
        Credentials::Token(token.into())
    } else if let Some(access_key) = auth.ak {
        Credentials::AccessKey {
            access_key,
            secret_key: auth.sk.ok_or_else(|| missing("sk"))?.into(),
            security_token: auth.security_token.map(Into::into),
        }
    } else {
        let user = match auth.user_id {
            Some(id) => User::Id(id),
            None => User::Name {
                name: auth.username.ok_or_else(|| missing("username"))?,
                domain: auth.user_domain_name.or(auth.domain_name).ok_or_else(|| missing("user_domain_name"))?,
            },
        };
        Credentials::Password { user, password: auth.password.ok_or_else(|| missing("password"))?.into() }
    };
    Ok(builder.credentials(credentials))
}
