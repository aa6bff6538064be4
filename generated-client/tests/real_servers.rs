//! The client against real OpenStack servers on loopback: Keystone for the IAM token API and
//! Glance for the IMS native image API, started by `tests/realserver/realserver.py` (`.ci/run`
//! does it). Mocks answer what we wrote; these answer what the world sends: nulls, extra
//! fields, text and HTML error pages, odd content types.
//!
//! Skipped (with a message) unless `OTC_REALSERVER_KEYSTONE_URL` is set, so
//! `cargo test --workspace` stays fast and offline; but where the servers are expected
//! (`OTC_REALSERVER_REQUIRED=1`, as `.ci/run` sets it) a missing variable fails every test
//! instead of letting a skip pass as green. By hand:
//!
//! ```sh
//! python3 tests/realserver/realserver.py start --dir /tmp/rs && . /tmp/rs/env
//! cargo test -p otc-client --test real_servers
//! python3 tests/realserver/realserver.py stop --dir /tmp/rs
//! ```

use futures_util::TryStreamExt;
use otc_client::ims::types;
use otc_client::{Cloud, Config, ConnectError, Credentials, Error, Paginate, Secret, Service, TokenError, User};
use serde_json::json;

struct Servers {
    keystone: String,
    glance: String,
    username: String,
    password: String,
    domain: String,
    project: String,
    project_id: String,
}

fn servers() -> Option<Servers> {
    let var = |name: &str| std::env::var(format!("OTC_REALSERVER_{name}")).ok().filter(|value| !value.is_empty());
    let Some(keystone) = var("KEYSTONE_URL") else {
        assert!(
            var("REQUIRED").is_none_or(|required| required == "0"),
            "OTC_REALSERVER_REQUIRED is set, but OTC_REALSERVER_KEYSTONE_URL is not: the real servers did not start \
             or their env file was not sourced"
        );
        println!("skipped: OTC_REALSERVER_KEYSTONE_URL is not set (tests/realserver/realserver.py start)");
        return None;
    };
    let required = |name: &str| {
        var(name).unwrap_or_else(|| panic!("OTC_REALSERVER_KEYSTONE_URL is set but OTC_REALSERVER_{name} is not"))
    };
    Some(Servers {
        keystone,
        glance: required("GLANCE_URL"),
        username: required("USERNAME"),
        password: required("PASSWORD"),
        domain: required("DOMAIN"),
        project: required("PROJECT"),
        project_id: required("PROJECT_ID"),
    })
}

/// Password credentials for the test user (with `password`), no project yet.
fn password_config(servers: &Servers, password: &str) -> otc_client::ConfigBuilder {
    let user = User::Name { name: servers.username.clone(), domain: servers.domain.clone() };
    Config::builder()
        .region("eu-de")
        .credentials(Credentials::Password { user, password: Secret::new(password) })
        .endpoint(Service::Iam, servers.keystone.clone())
        .endpoint(Service::Ims, servers.glance.clone())
}

/// The IAM error in the `source()` chain of a failed connect.
fn iam_error_of(error: &ConnectError) -> &Error {
    let ConnectError::Authentication(TokenError::Iam(iam)) = error else {
        panic!("not an IAM refusal: {error:?}");
    };
    let cause = std::error::Error::source(error).and_then(std::error::Error::source);
    assert!(cause.and_then(|cause| cause.downcast_ref::<Error>()).is_some(), "IAM's error is in the source chain");
    iam
}

/// Password credentials, exchanged for a token at Keystone through the IAM operation.
async fn cloud(servers: &Servers) -> Cloud {
    let user = User::Name { name: servers.username.clone(), domain: servers.domain.clone() };
    let config = Config::builder()
        .region("eu-de")
        .project_id(servers.project_id.clone())
        .credentials(Credentials::Password { user, password: Secret::new(servers.password.clone()) })
        .endpoint(Service::Iam, servers.keystone.clone())
        .endpoint(Service::Ims, servers.glance.clone())
        .build()
        .expect("a complete configuration");
    Cloud::connect(config).await.expect("Keystone issues a token for the test user")
}

fn metadata(name: &str, protected: bool) -> types::GlanceCreateImageMetadataRequest {
    serde_json::from_value(json!({
        "__os_version": "Ubuntu 14.04 server 64bit",
        "container_format": "bare",
        "disk_format": "vhd",
        "min_disk": 1,
        "min_ram": 1024,
        "name": name,
        "tags": ["test=testvalue", "image=imagevalue"],
        "visibility": "private",
        "protected": protected,
    }))
    .expect("the request matches its generated type")
}

/// The tests share one Glance: run them one at a time, so one test's deletes cannot pull the
/// marker out from under another's paging (Glance answers 400 for a marker that no longer
/// exists).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn status_of(error: &Error) -> u16 {
    error.status().map_or(0, |status| status.as_u16())
}

#[tokio::test]
async fn image_lifecycle_through_keystone_and_glance() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cloud = cloud(&servers).await;
    let ims = cloud.ims();

    // Create: the OTC extension field and tags are kept; Glance sends null for what it does
    // not know yet (size, checksum), which must decode.
    let created = ims.glance_create_image_metadata().body(metadata("otc-sdk-test", false)).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    let id = created.id.clone().expect("an image id");
    assert_eq!(created.os_version.as_deref(), Some("Ubuntu 14.04 server 64bit"));
    assert_eq!(created.status.as_ref().map(ToString::to_string).as_deref(), Some("queued"));
    assert_eq!((created.min_disk, created.min_ram, created.protected), (Some(1), Some(1024), Some(false)));
    let mut tags = created.tags.clone().unwrap_or_default();
    tags.sort();
    assert_eq!(tags, ["image=imagevalue", "test=testvalue"]);
    assert_eq!(created.size, None);

    // Upload: streamed from a file; Glance answers 204 with a text/html content type.
    let bytes: Vec<u8> = (0..256 * 1024u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("disk.vhd");
    std::fs::write(&file_path, &bytes).unwrap();
    let file = tokio::fs::File::open(&file_path).await.unwrap();
    let uploaded = ims.glance_upload_image_file().image_id(&id).body(file).send().await.unwrap();
    assert_eq!(uploaded.status().as_u16(), 204);

    // Show: active, with the size of what was uploaded.
    let shown = ims.glance_show_image().image_id(&id).send().await.unwrap().into_inner();
    assert_eq!(shown.status.as_ref().map(ToString::to_string).as_deref(), Some("active"));
    assert_eq!(shown.size, Some(bytes.len() as i64));
    assert_eq!(shown.name.as_deref(), Some("otc-sdk-test"));

    // List, one image per page through the `next` links.
    let listed: Vec<_> = ims.glance_list_images().items(1).try_collect().await.unwrap();
    assert!(listed.iter().any(|image| image.id.as_deref() == Some(id.as_str())), "{listed:?}");

    // Update: only accepted as application/openstack-images-v2.1-json-patch.
    let patch = vec![types::GlanceUpdateImageOperation::replace("name", "otc-sdk-test-renamed")];
    let updated = ims.glance_update_image().image_id(&id).body(patch).send().await.unwrap().into_inner();
    assert_eq!(updated.name.as_deref(), Some("otc-sdk-test-renamed"));

    // Download: the same bytes, as a stream.
    let download = ims.glance_download_image_file().image_id(&id).send().await.unwrap();
    let chunks: Vec<_> = download.into_inner().into_inner().try_collect().await.unwrap();
    assert!(chunks.concat() == bytes, "the downloaded file differs from the uploaded one");

    // Delete, and then it is gone: a typed 404 with Glance's message.
    let deleted = ims.glance_delete_image().image_id(&id).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let gone = ims.glance_show_image().image_id(&id).send().await.unwrap_err();
    assert_eq!(status_of(&gone), 404, "{gone}");
    assert!(gone.message().is_some_and(|message| message.contains(&id)), "{gone}");
}

#[tokio::test]
async fn a_protected_image_cannot_be_deleted() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cloud = cloud(&servers).await;
    let ims = cloud.ims();
    let image = ims.glance_create_image_metadata().body(metadata("otc-sdk-protected", true)).send().await.unwrap();
    let id = image.into_inner().id.expect("an image id");

    let refused = ims.glance_delete_image().image_id(&id).send().await.unwrap_err();
    assert_eq!(status_of(&refused), 403, "{refused}");
    assert!(refused.message().is_some_and(|message| message.contains("protected")), "{refused}");

    // Glance checks a patch value against the attribute's type: /protected takes a boolean.
    let unprotect = vec![types::GlanceUpdateImageOperation::replace("protected", false)];
    let unprotected = ims.glance_update_image().image_id(&id).body(unprotect).send().await.unwrap().into_inner();
    assert_eq!(unprotected.protected, Some(false));
    let deleted = ims.glance_delete_image().image_id(&id).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
}

#[tokio::test]
async fn unknown_ids_and_missing_tokens_are_typed_errors() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cloud = cloud(&servers).await;
    let missing = cloud.ims().glance_show_image().image_id("00000000-0000-0000-0000-000000000000").send().await;
    let missing = missing.unwrap_err();
    assert_eq!(status_of(&missing), 404, "{missing}");
    assert_eq!(missing.operation(), "GlanceShowImage");

    // No credentials at all: Glance's auth middleware answers 401.
    let anonymous = otc_client::ims::Client::new(&servers.glance, otc_client::Runtime::default());
    let refused = anonymous.glance_list_images().send().await.unwrap_err();
    assert_eq!(status_of(&refused), 401, "{refused}");
    assert_eq!(refused.operation(), "GlanceListImages");
}

#[tokio::test]
async fn a_project_name_is_scoped_within_its_domain() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    // Named with its domain, and named alone (then the user's domain is the project's).
    let with_domain = password_config(&servers, &servers.password)
        .project_name(servers.project.clone())
        .project_domain_name(servers.domain.clone());
    let alone = password_config(&servers, &servers.password).project_name(servers.project.clone());
    for config in [with_domain, alone] {
        let cloud = Cloud::connect(config.build().unwrap()).await.expect("Keystone scopes the token to the project");
        assert_eq!(cloud.project_id().as_deref(), Some(servers.project_id.as_str()));
        // The project-scoped token is accepted by Glance.
        cloud.ims().glance_list_images().send().await.unwrap();
    }
}

#[tokio::test]
async fn a_wrong_password_fails_connect_with_keystones_401() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    let config = password_config(&servers, "not-the-password").project_name(servers.project.clone());
    let error = Cloud::connect(config.build().unwrap()).await.unwrap_err();
    let iam = iam_error_of(&error);
    assert_eq!(status_of(iam), 401, "{error}");
    assert_eq!(iam.operation(), "KeystoneCreateUserTokenByPassword");
    assert!(!format!("{error} {error:?}").contains("not-the-password"), "{error:?}");
}

#[tokio::test]
async fn an_unknown_project_name_fails_connect_typed() {
    let Some(servers) = servers() else { return };
    let _serial = ONE_AT_A_TIME.lock().await;
    let unknown = password_config(&servers, &servers.password).project_name("no-such-project");
    // The project exists, but not in that domain.
    let elsewhere = password_config(&servers, &servers.password)
        .project_name(servers.project.clone())
        .project_domain_name("Default");
    for config in [unknown, elsewhere] {
        let error = Cloud::connect(config.build().unwrap()).await.unwrap_err();
        let iam = iam_error_of(&error);
        assert_eq!(status_of(iam), 401, "{error}");
    }
}
