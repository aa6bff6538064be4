//! An image file up and down through the native OpenStack image API (Glance v2): creates an
//! image record, streams FILE up, downloads it to FILE.download, compares the sizes and
//! deletes the image again (`--keep` keeps it).
//!
//! ```sh
//! cargo run -p otc-client --example glance_file -- disk.qcow2 [--keep]
//! ```
//!
//! The disk format is the file's extension when IMS knows it (`qcow2`, `vhd`, `zvhd2`, …),
//! else `raw`. Needs a configuration (`OS_CLOUD` and `clouds.yaml`, or `OS_*` variables; see
//! the `configured` example); `OTC_IMS_ENDPOINT` overrides the endpoint. A token or a
//! password, not an access key: AK/SK signing refuses streamed bodies.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use futures_util::TryStreamExt;
use otc_client::ims::types::{DiskFormat, GlanceCreateImageMetadataRequest, ImageVisibility};
use otc_client::{Cloud, Config};
use tokio::io::AsyncWriteExt;

const USAGE: &str = "usage: glance_file FILE [--keep]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, keep) = match &args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [file] => (PathBuf::from(file), false),
        [file, "--keep"] => (PathBuf::from(file), true),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&file, keep).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(file: &Path, keep: bool) -> Result<(), Box<dyn std::error::Error>> {
    let size = tokio::fs::metadata(file).await.map_err(|error| format!("{}: {error}", file.display()))?.len();
    let cloud = Cloud::connect(Config::from_env()?).await?;
    let ims = cloud.ims();

    let extension = file.extension().and_then(|extension| extension.to_str()).unwrap_or_default();
    let disk_format = match extension.parse::<DiskFormat>() {
        Ok(DiskFormat::Unrecognized(_)) | Err(_) => DiskFormat::Raw,
        Ok(known) => known,
    };
    let name = file.file_name().and_then(|name| name.to_str()).unwrap_or("otc-client-example");
    // Shared types: the image is `ims::types::GlanceImage` whichever operation returns it.
    let image = ims
        .glance_create_image_metadata()
        .body(GlanceCreateImageMetadataRequest {
            name: Some(name.to_owned()),
            disk_format: Some(disk_format.clone()),
            container_format: Some("bare".to_owned()),
            visibility: Some(ImageVisibility::Private),
            ..Default::default()
        })
        .send()
        .await?
        .into_inner();
    let id = image.id.ok_or("Glance answered without an image id")?;
    println!("created image {id} ({disk_format})");

    let result = transfer(&cloud, &id, file, size).await;
    if keep {
        println!("kept image {id}");
    } else {
        ims.glance_delete_image().image_id(&id).send().await?;
        println!("deleted image {id}");
    }
    result
}

async fn transfer(cloud: &Cloud, id: &str, file: &Path, size: u64) -> Result<(), Box<dyn std::error::Error>> {
    let ims = cloud.ims();
    // A tokio::fs::File is streamed as it is read, never held whole in memory.
    let upload = tokio::fs::File::open(file).await?;
    ims.glance_upload_image_file().image_id(id).body(upload).send().await?;
    println!("uploaded {size} bytes from {}", file.display());

    let shown = ims.glance_show_image().image_id(id).send().await?.into_inner();
    println!("image status {}", shown.status.as_ref().map_or_else(|| "?".to_owned(), ToString::to_string));

    let target = PathBuf::from(format!("{}.download", file.display()));
    let mut output = tokio::fs::File::create(&target).await?;
    let mut download = ims.glance_download_image_file().image_id(id).send().await?.into_inner();
    let mut downloaded = 0u64;
    while let Some(chunk) = download.try_next().await? {
        output.write_all(&chunk).await?;
        downloaded += chunk.len() as u64;
    }
    output.flush().await?;
    println!("downloaded {downloaded} bytes to {}", target.display());
    if downloaded != size {
        return Err(format!("sizes differ: uploaded {size} bytes, downloaded {downloaded}").into());
    }
    println!("sizes match");
    Ok(())
}
