//! Which generated list operations page, and how: each one's builder gets
//! [`Paginate::items`], a stream of every item across pages, built on the [`pagination`]
//! machinery. The builder is configured as usual (filters, sort order); `items` owns the
//! paging parameters.
//!
//! - ModelArts `ListImage`, `ListNotebooks`, `ListAllNotebooks`: `offset` (of the first record)
//!   and `limit`; the last page is the first one shorter than `limit`.
//! - IMS `ListImages`: `marker` (the last image id seen) and `limit`; same end rule.
//! - Glance `GlanceListImages`: `marker` and `limit`; the response's `next` link names the next
//!   marker and is absent on the last page. If the marker image is deleted between two pages,
//!   Glance answers 400 and the stream ends with that error.
//!
//! ```no_run
//! # async fn demo(ims: otc_client::ims::Client) -> Result<(), otc_client::Error> {
//! use futures_util::TryStreamExt;
//! use otc_client::Paginate;
//!
//! let mut images = std::pin::pin!(ims.glance_list_images().status("active").items(100));
//! while let Some(image) = images.try_next().await? {
//!     println!("{:?}", image.name);
//! }
//! # Ok(()) }
//! ```

// Which lists page depends on the service features; with none of them, only the trait is left.
#![cfg_attr(not(all(feature = "modelarts", feature = "ims")), allow(dead_code, unused_imports))]

use futures_util::{Stream, TryStreamExt};

use crate::Error;
use crate::pagination::Stalled;
#[cfg(feature = "ims")]
use crate::{ims, pagination::by_marker};
#[cfg(feature = "modelarts")]
use crate::{modelarts, pagination::by_offset};

/// A list operation whose results come in pages.
pub trait Paginate {
    /// One element of a page (`modelarts::types::Notebook`, `ims::types::GlanceImage`).
    type Item;

    /// Every item, fetching pages of `page_size` items lazily as the stream is read. An error
    /// ends the stream after it is yielded.
    fn items(self, page_size: u32) -> impl Stream<Item = Result<Self::Item, Error>>;
}

/// What a page fetch can fail with: the call, or the paging itself (the operation is named
/// once the stream knows it).
enum PageError {
    Call(Error),
    Stalled(Stalled),
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        PageError::Call(error)
    }
}

impl From<Stalled> for PageError {
    fn from(stalled: Stalled) -> Self {
        PageError::Stalled(stalled)
    }
}

impl PageError {
    fn into_error(self, operation: &'static str) -> Error {
        match self {
            PageError::Call(error) => error,
            PageError::Stalled(stalled) => Error::Stalled { operation, stalled },
        }
    }
}

/// `limit` and `offset` are `int32` in the specs.
fn int32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Implements [`Paginate`] for offset/limit builders whose response lists items in `data`.
#[cfg(feature = "modelarts")]
macro_rules! offset_and_limit {
    ($($builder:ident => $item:ty),* $(,)?) => {$(
        impl<'a> Paginate for modelarts::builder::$builder<'a> {
            type Item = $item;

            fn items(self, page_size: u32) -> impl Stream<Item = Result<$item, Error>> {
                by_offset(page_size.clamp(1, i32::MAX as u32), move |offset, limit| {
                    let page = self.clone().offset(int32(offset)).limit(int32(limit));
                    async move { Ok::<_, PageError>(page.send().await?.into_inner().data.unwrap_or_default()) }
                })
                .map_err(|error| error.into_error(stringify!($builder)))
            }
        }
    )*};
}

#[cfg(feature = "modelarts")]
offset_and_limit! {
    ListImage => modelarts::types::Image,
    ListNotebooks => modelarts::types::Notebook,
    ListAllNotebooks => modelarts::types::Notebook,
}

/// Implements [`Paginate`] for marker/limit builders: `$next` reads the next marker off a page.
#[cfg(feature = "ims")]
macro_rules! marker_and_limit {
    ($($builder:ident => $item:ty, $items:ident, $next:expr);* $(;)?) => {$(
        impl<'a> Paginate for ims::builder::$builder<'a> {
            type Item = $item;

            fn items(self, page_size: u32) -> impl Stream<Item = Result<$item, Error>> {
                let limit = page_size.clamp(1, i32::MAX as u32);
                by_marker(move |marker| {
                    let page = self.clone().limit(int32(limit));
                    let page = match marker {
                        Some(marker) => page.marker(marker),
                        None => page,
                    };
                    async move {
                        let body = page.send().await?.into_inner();
                        let next = $next(&body, limit as usize);
                        Ok::<_, PageError>((body.$items.unwrap_or_default(), next))
                    }
                })
                .map_err(|error| error.into_error(stringify!($builder)))
            }
        }
    )*};
}

#[cfg(feature = "ims")]
marker_and_limit! {
    // IMS: the next page starts after the last image of a full page.
    ListImages => ims::types::CloudImage, images, |body: &ims::types::ListImagesResponse, limit| {
        let images = body.images.as_deref().unwrap_or_default();
        images.last().and_then(|image| image.id.clone()).filter(|_| images.len() >= limit)
    };
    // Glance: the `next` link names the next marker.
    GlanceListImages => ims::types::GlanceImage, images, |body: &ims::types::GlanceListImagesResponse, _| {
        body.next.as_deref().and_then(marker_of)
    };
}

/// The `marker` query parameter of a `next` link (`/v2/images?marker=…&limit=…`).
#[cfg(feature = "ims")]
fn marker_of(link: &str) -> Option<String> {
    let base = reqwest::Url::parse("http://next.invalid/").expect("a valid base");
    let url = base.join(link).ok()?;
    url.query_pairs().find(|(key, _)| key == "marker").map(|(_, value)| value.into_owned())
}

#[cfg(all(test, feature = "ims"))]
mod tests {
    use super::*;

    #[test]
    fn the_marker_comes_from_the_next_link() {
        assert_eq!(marker_of("/v2/images?marker=abc-1&limit=2").as_deref(), Some("abc-1"));
        assert_eq!(marker_of("/v2/images?limit=2&marker=a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(marker_of("https://ims.example/v2/images?marker=x").as_deref(), Some("x"));
        assert_eq!(marker_of("/v2/images?limit=2"), None);
    }
}
