//! Quick-imports an image file from OBS as an IMS system disk image and waits for the
//! asynchronous job (`WaitForJob`), printing the new image's id.
//!
//! ```sh
//! cargo run -p otc-client --example quick_import -- \
//!     NAME BUCKET:FILE.zvhd2 "Ubuntu 22.04 server 64bit" MIN_DISK_GB
//! ```
//!
//! The OS version must be one IMS lists ("Values of Related Parameters" in the reference).
//! Needs a configuration with a project (`OS_CLOUD` and `clouds.yaml`, or `OS_*` variables;
//! see the `configured` example); `OTC_IMS_ENDPOINT` overrides the endpoint.

use std::process::ExitCode;
use std::time::Duration;

use otc_client::ims::types::QuickImportSystemDiskImage;
use otc_client::{Cloud, Config, JobPolling, WaitForJob};

const USAGE: &str = "usage: quick_import NAME BUCKET:FILE OS_VERSION MIN_DISK_GB";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, image_url, os_version, min_disk] = &args[..] else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(min_disk) = min_disk.parse::<i32>() else {
        eprintln!("MIN_DISK_GB must be a number of gigabytes\n{USAGE}");
        return ExitCode::from(2);
    };
    let image = QuickImportSystemDiskImage {
        name: name.clone(),
        image_url: image_url.clone(),
        os_version: os_version.clone(),
        min_disk,
        architecture: None,
        description: None,
        enterprise_project_id: None,
        image_tags: None,
        tags: None,
        type_: None,
    };
    match run(image).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(image: QuickImportSystemDiskImage) -> Result<(), Box<dyn std::error::Error>> {
    let cloud = Cloud::connect(Config::from_env()?).await?;
    let ims = cloud.ims();
    let job = ims.import_image_quick().body(image).send().await?.into_inner();
    let job_id = job.job_id.ok_or("IMS answered without a job id")?;
    println!("job {job_id} started; waiting");
    // Polls ShowJob until SUCCESS or FAIL (an error with IMS's reason), at most 30 minutes.
    let polling = JobPolling { interval: Duration::from_secs(15), deadline: Duration::from_secs(30 * 60) };
    let done = ims.wait_for_job_with(&job_id, polling).await?;
    let image_id = done.entities.and_then(|entities| entities.image_id);
    println!("image {}", image_id.as_deref().unwrap_or("(the job names none)"));
    Ok(())
}
