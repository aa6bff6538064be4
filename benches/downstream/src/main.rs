//! The smallest useful program: configuration from the environment, one call.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cloud = otc_client::Cloud::from_env()?;
    let notebook = cloud.modelarts().show_notebook().id("6e3cd1a5").send().await?;
    println!("{:?}", notebook.status);
    Ok(())
}
