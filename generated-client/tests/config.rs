//! Configuration from a temporary `clouds.yaml`/`secure.yaml` and from variables.

use std::collections::BTreeMap;
use std::fs;
use std::time::Duration;

use otc_client::{Config, Credentials, Domain, Service, User};

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

// --- malformed files never show their content ---

/// Distinctive, so any fragment of it in an error is noticed.
const SECRET: &str = "Zq7-SECRET-value-91";

/// Every credential field, under each name the file format accepts.
const CREDENTIAL_FIELDS: [&str; 7] = ["password", "token", "ak", "access_key", "sk", "secret_key", "security_token"];

/// `auth` lines (indented six spaces, under `clouds.otc.auth`) that hold `field` malformed:
/// (what is wrong, the lines, whether the error can name the field: a syntax error is found
/// by the parser, before the field's value is read).
fn malformed(field: &str) -> Vec<(&'static str, String, bool)> {
    vec![
        ("unclosed double quote", format!("      {field}: \"{SECRET}\n      region_name: x\n"), false),
        ("unclosed single quote", format!("      {field}: '{SECRET}\n"), false),
        ("tab indentation", format!("\t{field}: {SECRET}\n"), false),
        ("a flow map where a string belongs", format!("      {field}: {{{SECRET}: 1}}\n"), true),
        ("a block map where a string belongs", format!("      {field}:\n        {SECRET}: 1\n"), true),
        ("a list where a string belongs", format!("      {field}: [{SECRET}, {SECRET}]\n"), true),
        ("a block list where a string belongs", format!("      {field}:\n        - {SECRET}\n"), true),
        ("an unclosed flow list", format!("      {field}: [{SECRET}\n"), true),
        ("a duplicate key", format!("      {field}: {SECRET}\n      {field}: {SECRET}2\n"), false),
        ("text after a quoted value", format!("      {field}: \"{SECRET}\" trailing\n"), false),
        ("a second colon", format!("      {field}: {SECRET}: more\n"), false),
        ("odd indentation", format!("      {field}: {SECRET}\n     username: {SECRET}\n"), false),
    ]
}

/// Asserts `message` names `file` with a line and column, and shows no part of the secret.
fn assert_located_and_redacted(message: &str, file: &std::path::Path, case: &str) {
    assert!(!message.contains(SECRET) && !message.contains("SECRET") && !message.contains("Zq7"), "{case}: {message}");
    let prefix = format!("{}:", file.display());
    let rest = message.split_once(&prefix).map(|(_, rest)| rest).unwrap_or_else(|| panic!("{case}: {message}"));
    let mut numbers = rest.splitn(3, ':');
    let line = numbers.next().unwrap_or_default();
    let column = numbers.next().unwrap_or_default();
    assert!(
        line.parse::<u32>().is_ok_and(|line| line > 0) && column.parse::<u32>().is_ok_and(|column| column > 0),
        "{case}: no line:column after the file name: {message}"
    );
}

#[test]
fn malformed_credentials_in_clouds_yaml_are_located_without_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let folders = [dir.path().to_owned()];
    let file = dir.path().join("clouds.yaml");
    for field in CREDENTIAL_FIELDS {
        for (shape, lines, names_field) in malformed(field) {
            let text = format!("clouds:\n  otc:\n    region_name: eu-de\n    auth:\n      username: alice\n{lines}");
            fs::write(&file, &text).unwrap();
            let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err();
            let case = format!("{field}, {shape}");
            assert_located_and_redacted(&error.to_string(), &file, &case);
            assert_located_and_redacted(&format!("{error:?}"), &file, &case);
            assert_located_and_redacted(&format!("{error:#?}"), &file, &case);
            let keys = format!(": clouds.otc.auth.{field}: expected string scalar");
            assert!(!names_field || error.to_string().ends_with(&keys), "{case}: {error}");
            assert!(error.to_string().contains(": clouds.otc"), "{case}: the key path: {error}");
        }
    }
}

#[test]
fn malformed_credentials_in_secure_yaml_are_located_without_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let folders = [dir.path().to_owned()];
    fs::write(dir.path().join("clouds.yaml"), CLOUDS).unwrap();
    let file = dir.path().join("secure.yaml");
    for field in CREDENTIAL_FIELDS {
        for (shape, lines, names_field) in malformed(field) {
            fs::write(&file, format!("clouds:\n  otc:\n    auth:\n{lines}")).unwrap();
            let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err();
            let case = format!("secure.yaml {field}, {shape}");
            assert_located_and_redacted(&error.to_string(), &file, &case);
            assert_located_and_redacted(&format!("{error:?}"), &file, &case);
            let keys = format!(": clouds.otc.auth.{field}: expected string scalar");
            assert!(!names_field || error.to_string().ends_with(&keys), "{case}: {error}");
        }
    }
}

#[test]
fn a_key_that_is_not_part_of_the_format_is_not_shown() {
    // Mis-indented, the secret became a cloud's name; the error must not repeat it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clouds.yaml");
    fs::write(&file, format!("clouds:\n  otc:\n    region_name: eu-de\n  {SECRET}: [1]\n")).unwrap();
    let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &[dir.path().to_owned()]).unwrap_err();
    assert_located_and_redacted(&error.to_string(), &file, "a secret as a cloud name");
    assert!(error.to_string().contains(": clouds.?: expected"), "{error}");
}

#[test]
fn timeouts_come_from_clouds_yaml_as_numbers_or_strings() {
    let dir = tempfile::tempdir().unwrap();
    let folders = [dir.path().to_owned()];
    let file = dir.path().join("clouds.yaml");
    let cloud =
        |timeouts: &str| format!("clouds:\n  otc:\n    region_name: eu-de\n{timeouts}    auth:\n      token: t\n");
    fs::write(&file, cloud("    api_timeout: 30\n    connect_timeout: 2.5\n    read_timeout: \"45\"\n")).unwrap();
    let timeouts = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap().timeouts();
    assert_eq!(
        (timeouts.api, timeouts.connect, timeouts.read),
        (Duration::from_secs(30), Duration::from_millis(2500), Duration::from_secs(45))
    );

    for bad in ["-1", "0", "soon", "[1]", ".nan", "\"\""] {
        fs::write(&file, cloud(&format!("    api_timeout: {bad}\n"))).unwrap();
        let error = Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap_err().to_string();
        assert!(error.contains(&format!("{}:4:", file.display())), "{bad}: {error}");
        assert!(error.contains(": clouds.otc.api_timeout: expected"), "{bad}: {error}");
    }
}

#[test]
fn the_project_domain_comes_from_clouds_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let folders = [dir.path().to_owned()];
    let auth = |lines: &str| {
        let text = format!(
            "clouds:\n  otc:\n    region_name: eu-de\n    auth:\n      token: t\n      project_name: p\n{lines}"
        );
        fs::write(dir.path().join("clouds.yaml"), text).unwrap();
        Config::from_variables(variables(&[("OS_CLOUD", "otc")]), &folders).unwrap().project_domain().cloned()
    };
    assert_eq!(auth(""), None);
    assert_eq!(auth("      project_domain_name: acct\n"), Some(Domain::Name("acct".into())));
    assert_eq!(auth("      domain_name: acct\n"), Some(Domain::Name("acct".into())), "openstacksdk's fallback");
    assert_eq!(
        auth("      project_domain_id: d1\n      project_domain_name: acct\n"),
        Some(Domain::Id("d1".into())),
        "an id wins over a name"
    );
}
