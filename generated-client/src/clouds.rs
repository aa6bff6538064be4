//! `clouds.yaml`, as openstacksdk reads it: the first `clouds.yaml` found in `./`,
//! `$XDG_CONFIG_HOME/openstack` (or `~/.config/openstack`), `/etc/openstack`, with the first
//! `secure.yaml` of the same folders merged over it (that is where passwords usually live).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::{ConfigBuilder, ConfigError, Credentials, Service, User, iam_base_url};

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
    token: Option<String>,
    #[serde(alias = "access_key")]
    ak: Option<String>,
    #[serde(alias = "secret_key")]
    sk: Option<String>,
    security_token: Option<String>,
}

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
            token: secure.token.or(self.token),
            ak: secure.ak.or(self.ak),
            sk: secure.sk.or(self.sk),
            security_token: secure.security_token.or(self.security_token),
        }
    }
}

/// The settings of cloud `name`.
pub fn load(name: &str, folders: &[PathBuf]) -> Result<ConfigBuilder, ConfigError> {
    let clouds_path = first_existing(folders, "clouds.yaml")
        .ok_or_else(|| ConfigError(format!("OS_CLOUD={name}, but no clouds.yaml in {}", describe(folders))))?;
    let mut cloud = read(&clouds_path)?
        .clouds
        .remove(name)
        .ok_or_else(|| ConfigError(format!("{}: no cloud named `{name}`", clouds_path.display())))?;
    if let Some(secure_path) = first_existing(folders, "secure.yaml")
        && let Some(secure) = read(&secure_path)?.clouds.remove(name)
    {
        cloud.auth = cloud.auth.merged_under(secure.auth);
        cloud.region_name = secure.region_name.or(cloud.region_name);
    }
    builder(cloud, &clouds_path)
}

fn first_existing(folders: &[PathBuf], file: &str) -> Option<PathBuf> {
    folders.iter().map(|folder| folder.join(file)).find(|path| path.is_file())
}

fn describe(folders: &[PathBuf]) -> String {
    folders.iter().map(|folder| folder.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn read(path: &Path) -> Result<File, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError(format!("{}: {error}", path.display())))?;
    serde_saphyr::from_str(&text).map_err(|error| ConfigError(format!("{}: {error}", path.display())))
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
