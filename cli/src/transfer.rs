//! Image files up and down as streams, never whole in memory: `--body FILE|-` of an operation
//! whose body is raw bytes (`GlanceUploadImageFile`) is sent as it is read, and a raw response
//! (`GlanceDownloadImageFile`) is written to `--output FILE` or standard output as it arrives.
//! Both show an `indicatif` progress bar on standard error only when it is a terminal, fed by
//! `otc_client::progress`.

use std::io::{IsTerminal, Write};

use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use otc_client::progress::Progress;

use crate::support::CallError;

/// The read buffer for standard input (as `otc_client::progress::upload_file` reads files).
const READ_CHUNK: usize = 64 * 1024;

/// A byte progress bar on standard error, or none when it is not a terminal.
pub fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::no_length();
    if let Ok(style) =
        ProgressStyle::with_template("{wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {elapsed_precise}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// `on_progress` for `otc_client::progress`: moves `bar`, if any.
fn on_progress(bar: Option<ProgressBar>) -> impl FnMut(u64, Option<u64>) + Send + Sync + Unpin + 'static {
    move |done, total| {
        if let Some(bar) = &bar {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    }
}

/// The body of `--body SOURCE` for a raw upload: the file (its size known) or standard input
/// (`-`), streamed as it is sent; with the progress bar, if any.
pub async fn upload_body(source: &str) -> std::io::Result<(otc_client::Body, Option<ProgressBar>)> {
    let bar = progress_bar();
    let body = if source == "-" {
        let chunks = tokio_util::io::ReaderStream::with_capacity(tokio::io::stdin(), READ_CHUNK);
        otc_client::Body::wrap_stream(Progress::new(chunks, None, on_progress(bar.clone())))
    } else {
        otc_client::progress::upload_file(source, on_progress(bar.clone())).await?
    };
    Ok((body, bar))
}

/// Writes a raw response to `output` (a file, created only now) or standard output, chunk by
/// chunk as it arrives. A file left incomplete by an error is removed.
pub async fn download(
    response: otc_client::ResponseValue<otc_client::ByteStream>,
    output: Option<&str>,
) -> Result<(), CallError> {
    let bar = progress_bar();
    let mut sink: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path).map_err(CallError::Write)?)),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut chunks = otc_client::progress::download(response, on_progress(bar.clone()));
    let result = async {
        while let Some(chunk) = chunks.try_next().await.map_err(|error| CallError::Stream(error.to_string()))? {
            sink.write_all(&chunk).map_err(CallError::Write)?;
        }
        sink.flush().map_err(CallError::Write)
    }
    .await;
    drop(sink);
    if let Some(bar) = bar {
        if result.is_ok() { bar.finish() } else { bar.abandon() }
    }
    if let (Err(_), Some(path)) = (&result, output) {
        let _ = std::fs::remove_file(path);
    }
    result
}
