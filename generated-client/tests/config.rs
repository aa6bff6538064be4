//! Configuration from a temporary `clouds.yaml`/`secure.yaml` and from variables.

use std::collections::BTreeMap;
use std::fs;

use otc_client::{Config, Credentials, Service, User};

const CLOUDS: &str = r#"
clouds:
  otc:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com:443/v3
      username: alice
      user_domain_name: OTC-EU-DE-00000000001000000001
      project_name: eu-de_demo
    region_name: eu-de
    some_future_setting: true
  keys:
    auth:
      ak: AKEXAMPLE
      sk: SKEXAMPLE
      project_id: 0123456789abcdef0123456789abcdef
    region_name: eu-nl
"#;

const SECURE: &str = "clouds:\n  otc:\n    auth:\n      password: from-secure-yaml\n";

fn variables(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    move |name| map.get(name).cloned()
}

#[test]
fn os_cloud_reads_clouds_yaml_with_secure_yaml_merged() {
    let home = tempfile::tempdir().unwrap();
    let etc = tempfile::tempdir().unwrap();
    fs::write(home.path().join("clouds.yaml"), CLOUDS).unwrap();
    fs::write(etc.path().join("secure.yaml"), SECURE).unwrap();
    let folders = [home.path().to_owned(), etc.path().to_owned()];

    let config = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap();
    assert_eq!(config.region(), "eu-de");
    assert_eq!(config.project_name(), Some("eu-de_demo"));
    assert_eq!(config.endpoint(Service::Iam), "https://iam.eu-de.otc.t-systems.com:443");
    assert_eq!(
        config.credentials(),
        Some(&Credentials::Password {
            user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-00000000001000000001".into() },
            password: "from-secure-yaml".into(),
        })
    );

    let config = Config::from_variables(
        variables(&[("OS_CLOUD", "keys"), ("OTC_MODELARTS_ENDPOINT", "http://127.0.0.1:1")]),
        &folders,
    )
    .unwrap();
    assert_eq!(config.project_id(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(config.endpoint(Service::ModelArts), "http://127.0.0.1:1");
    assert_eq!(config.endpoint(Service::Ims), "https://ims.eu-nl.otc.t-systems.com");
    assert!(
        matches!(config.credentials(), Some(Credentials::AccessKey { access_key, .. }) if access_key == "AKEXAMPLE")
    );
}

#[test]
fn clouds_yaml_problems_name_the_file_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    let folders = [dir.path().to_owned()];
    let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err().to_string();
    assert!(error.contains("no clouds.yaml in"), "{error}");

    fs::write(dir.path().join("clouds.yaml"), CLOUDS).unwrap();
    let error = Config::from_variables(variables(&[("OS_CLOUD", "missing")]), &folders).unwrap_err().to_string();
    assert!(error.contains("clouds.yaml: no cloud named `missing`"), "{error}");
    let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err().to_string();
    assert!(error.contains("clouds.yaml: `auth.password` is not set"), "{error}");

    fs::write(dir.path().join("clouds.yaml"), "clouds: [not, a, map").unwrap();
    let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err().to_string();
    assert!(error.contains("clouds.yaml"), "{error}");
}
