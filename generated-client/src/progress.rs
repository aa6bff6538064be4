//! Progress of image file uploads and downloads, for a progress bar.
//!
//! [`Progress`] wraps a stream of byte chunks and calls `on_progress(bytes_so_far, total)` as
//! chunks pass through it: for an upload, the bytes handed to the connection; for a download,
//! the bytes received. `total` is the length when it is known (the file's size, a download's
//! `Content-Length`), `None` otherwise. Calls are spaced at least [`Progress::every`] bytes apart
//! (by default 64 KiB, or a 1024th of a known total when that is more), so a 50 GiB image makes
//! about a thousand calls, not millions; the last call always reports the final count, which is
//! the total when the transfer is complete. Nothing here depends on a progress-bar crate: any
//! `FnMut(u64, Option<u64>)` works.
//!
//! With [`indicatif`](https://docs.rs/indicatif) (a dependency of your program, not of
//! `otc-client`):
//!
//! ```text
//! use futures_util::TryStreamExt;
//! use indicatif::ProgressBar;
//!
//! let ims = cloud.ims();
//! let bar = ProgressBar::no_length();
//! let on_progress = {
//!     let bar = bar.clone();
//!     move |sent: u64, total: Option<u64>| {
//!         if let Some(total) = total {
//!             bar.set_length(total);
//!         }
//!         bar.set_position(sent);
//!     }
//! };
//! // Upload: a file, streamed as it is read.
//! let body = otc_client::progress::upload_file("disk.qcow2", on_progress).await?;
//! ims.glance_upload_image_file().image_id(id).body(body).send().await?;
//! bar.finish();
//!
//! // Download: the total comes from Content-Length when the server sends one.
//! let bar = ProgressBar::no_length();
//! let response = ims.glance_download_image_file().image_id(id).send().await?;
//! let mut chunks = otc_client::progress::download(response, {
//!     let bar = bar.clone();
//!     move |received, total| {
//!         if let Some(total) = total {
//!             bar.set_length(total);
//!         }
//!         bar.set_position(received);
//!     }
//! });
//! while let Some(chunk) = chunks.try_next().await? {
//!     file.write_all(&chunk).await?;
//! }
//! bar.finish();
//! ```
//!
//! Any other stream can be wrapped too:
//! `Body::wrap_stream(Progress::new(chunks, Some(total), on_progress))`. A streamed upload is sent
//! once: it is not retried, and AK/SK signing refuses it (see the README).

use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;

use crate::{Body, ByteStream, ResponseValue};

/// The smallest default spacing between two calls.
const MIN_STEP: u64 = 64 * 1024;
/// With a known total, the default spacing makes at most about this many calls.
const MAX_CALLS: u64 = 1024;
/// The read buffer of [`upload_file`].
const READ_CHUNK: usize = 64 * 1024;

/// A downloaded file's chunks, reporting progress as they are read ([`download`]).
pub type Download<F> = Progress<Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>, F>;

/// A stream of `Result<chunk, error>` that reports the bytes that went through it.
///
/// Items pass through unchanged; an error is passed on without a report.
pub struct Progress<S, F> {
    inner: S,
    on_progress: F,
    total: Option<u64>,
    done: u64,
    reported: Option<u64>,
    step: u64,
    ended: bool,
}

impl<S, F> Progress<S, F>
where
    F: FnMut(u64, Option<u64>),
{
    /// Wraps `inner`, whose length is `total` when known.
    pub fn new(inner: S, total: Option<u64>, on_progress: F) -> Self {
        let step = total.map_or(MIN_STEP, |total| (total / MAX_CALLS).max(MIN_STEP));
        Self { inner, on_progress, total, done: 0, reported: None, step, ended: false }
    }

    /// Calls `on_progress` at most once per `bytes` bytes (and at the end); `1` reports every
    /// chunk.
    pub fn every(mut self, bytes: u64) -> Self {
        self.step = bytes.max(1);
        self
    }

    /// Bytes that went through so far.
    pub fn bytes(&self) -> u64 {
        self.done
    }

    /// The length given at construction, if known.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    fn report(&mut self) {
        if self.reported != Some(self.done) {
            self.reported = Some(self.done);
            (self.on_progress)(self.done, self.total);
        }
    }
}

impl<S, B, E, F> Stream for Progress<S, F>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    F: FnMut(u64, Option<u64>) + Unpin,
{
    type Item = Result<B, E>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(context) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.done = this.done.saturating_add(chunk.as_ref().len() as u64);
                let since = this.done - this.reported.unwrap_or(0);
                if since >= this.step || this.total == Some(this.done) {
                    this.report();
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => {
                this.ended = true;
                this.report();
                Poll::Ready(None)
            }
            other => other,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.ended { (0, Some(0)) } else { self.inner.size_hint() }
    }
}

/// A downloaded file's chunks, with `on_progress(received, total)` as they are read; `total` is
/// the response's `Content-Length` when it has one.
///
/// ```no_run
/// # async fn demo(ims: otc_client::ims::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::TryStreamExt;
/// let response = ims.glance_download_image_file().image_id("84ac7f2b-bf19-4efb-86a0-b5be8771b476").send().await?;
/// let mut chunks = otc_client::progress::download(response, |received, total| eprintln!("{received} of {total:?}"));
/// while let Some(chunk) = chunks.try_next().await? {
///     // write `chunk` somewhere
/// #   let _ = chunk;
/// }
/// # Ok(()) }
/// ```
pub fn download<F>(response: ResponseValue<ByteStream>, on_progress: F) -> Download<F>
where
    F: FnMut(u64, Option<u64>),
{
    let total = response.content_length();
    Progress::new(response.into_inner_stream(), total, on_progress)
}

/// Opens the file at `path` as a request body streamed as it is read (never whole in memory),
/// with `on_progress(sent, Some(file size))` as chunks are handed to the connection.
///
/// ```no_run
/// # async fn demo(ims: otc_client::ims::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let body = otc_client::progress::upload_file("disk.qcow2", |sent, total| eprintln!("{sent} of {total:?}")).await?;
/// ims.glance_upload_image_file().image_id("84ac7f2b-bf19-4efb-86a0-b5be8771b476").body(body).send().await?;
/// # Ok(()) }
/// ```
pub async fn upload_file<F>(path: impl AsRef<Path>, on_progress: F) -> std::io::Result<Body>
where
    F: FnMut(u64, Option<u64>) + Send + Unpin + 'static,
{
    let file = tokio::fs::File::open(path).await?;
    let total = file.metadata().await?.len();
    let chunks = tokio_util::io::ReaderStream::with_capacity(file, READ_CHUNK);
    Ok(Body::wrap_stream(Progress::new(chunks, Some(total), on_progress)))
}

#[cfg(test)]
mod tests {
    use futures_util::{StreamExt, stream};

    use super::*;

    async fn run(chunks: Vec<usize>, total: Option<u64>, step: Option<u64>) -> Vec<(u64, Option<u64>)> {
        let mut calls = Vec::new();
        let items = stream::iter(chunks.into_iter().map(|len| Ok::<_, ()>(vec![0u8; len])));
        let mut progress = Progress::new(items, total, |done, total| calls.push((done, total)));
        if let Some(step) = step {
            progress = progress.every(step);
        }
        while progress.next().await.is_some() {}
        drop(progress);
        calls
    }

    #[tokio::test]
    async fn small_chunks_are_reported_once_per_step_and_at_the_end() {
        let calls = run(vec![1000; 1000], Some(1_000_000), Some(100_000)).await;
        assert_eq!(calls.len(), 10, "{calls:?}");
        assert_eq!(calls.last(), Some(&(1_000_000, Some(1_000_000))));
        assert!(calls.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[tokio::test]
    async fn an_unknown_length_ends_with_the_count() {
        let calls = run(vec![10, 20, 30], None, None).await;
        assert_eq!(calls, vec![(60, None)]);
    }

    #[tokio::test]
    async fn a_short_transfer_ends_with_what_arrived() {
        let calls = run(vec![10, 20], Some(100), Some(1)).await;
        assert_eq!(calls, vec![(10, Some(100)), (30, Some(100))]);
    }

    #[tokio::test]
    async fn an_empty_transfer_reports_zero_once() {
        assert_eq!(run(vec![], Some(0), None).await, vec![(0, Some(0))]);
    }

    #[tokio::test]
    async fn the_default_step_bounds_the_calls_for_a_large_total() {
        let total = 64 * 1024 * 1024;
        let calls = run(vec![4096; 16 * 1024], Some(total), None).await;
        assert!(calls.len() as u64 <= MAX_CALLS + 1, "{} calls", calls.len());
        assert_eq!(calls.last(), Some(&(total, Some(total))));
    }
}
