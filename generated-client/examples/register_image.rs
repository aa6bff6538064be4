//! Registers a container image from SWR (SoftWare Repository for Container) as a ModelArts
//! image, so notebooks can be created from it.
//!
//! ```sh
//! cargo run -p otc-client --example register_image -- \
//!     swr.eu-de.otc.t-systems.com/my-org/my-notebook:1.0 ["what it contains"]
//! ```
//!
//! Needs a configuration with a project (`OS_CLOUD` and `clouds.yaml`, or `OS_*` variables;
//! see the `configured` example); `OTC_MODELARTS_ENDPOINT` overrides the endpoint.

use std::process::ExitCode;

use otc_client::modelarts::types::{Arch, RegisterImageRequest, ServiceType, Visibility};
use otc_client::{Cloud, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(swr_path), description, None) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: register_image SWR_PATH [DESCRIPTION]");
        return ExitCode::from(2);
    };
    match run(swr_path, description).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(swr_path: String, description: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    let cloud = Cloud::connect(Config::from_env()?).await?;
    // Request types have builders; `try_into` says which required field is missing.
    let request: RegisterImageRequest = RegisterImageRequest::builder()
        .swr_path(swr_path)
        .description(description)
        .arch(Arch::X86_64)
        .service_type(ServiceType::Dev)
        .visibility(Visibility::Private)
        .try_into()?;
    let response = cloud.modelarts().register_image().body(request).send().await?;
    // RegisterImage documents 200 with the image and 201 without a body: `Option`.
    let status = response.status();
    match response.into_inner() {
        Some(image) => println!(
            "registered {} as image {} ({status})",
            image.name.as_deref().unwrap_or("?"),
            image.id.as_deref().unwrap_or("?")
        ),
        None => println!("registered ({status}, no image in the answer; ListImage shows it)"),
    }
    Ok(())
}
