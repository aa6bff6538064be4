//! Streams over every item of a paged list operation, fetching pages lazily as the stream is
//! read. Two paging styles occur in the reference: offset/limit (ModelArts lists) and
//! marker/limit with a `next` link (Glance). ListImageGroup documents no paging parameters:
//! one call returns the whole list.
//!
//! ```
//! # use futures_util::TryStreamExt;
//! # async fn demo() -> Result<(), otc_client::Error> {
//! // `fetch(offset, limit)` wraps a generated list call and returns that page's items.
//! let items: Vec<u32> = otc_client::pagination::by_offset(2, |offset, limit| async move {
//!     Ok::<_, otc_client::Error>((offset..(offset + limit).min(5)).collect())
//! })
//! .try_collect()
//! .await?;
//! assert_eq!(items, [0, 1, 2, 3, 4]);
//! # Ok(()) }
//! ```

use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

/// All items of an offset/limit list: pages of `limit` items are fetched with increasing
/// offsets until a page comes back short (or empty). An error ends the stream after it is
/// yielded.
pub fn by_offset<T, E, F, Fut>(limit: u32, mut fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>, E>>,
{
    let limit = limit.max(1);
    let pages = stream::unfold(Some(0u32), move |offset| {
        let page = offset.map(|offset| (offset, fetch(offset, limit)));
        async move {
            let (offset, page) = page?;
            match page.await {
                Ok(items) => {
                    let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
                    let next = (count >= limit).then(|| offset.saturating_add(count));
                    Some((Ok(items), next))
                }
                Err(error) => Some((Err(error), None)),
            }
        }
    });
    flatten(pages)
}

/// All items of a marker list: `fetch(marker)` returns a page and the marker of the next one
/// (from a `next` link or the last item's id), `None` on the last page.
pub fn by_marker<T, E, F, Fut>(mut fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    let pages = stream::unfold(Some(None), move |marker: Option<Option<String>>| {
        let page = marker.map(&mut fetch);
        async move {
            match page?.await {
                Ok((items, next)) => Some((Ok(items), next.map(Some))),
                Err(error) => Some((Err(error), None)),
            }
        }
    });
    flatten(pages)
}

fn flatten<T, E>(pages: impl Stream<Item = Result<Vec<T>, E>>) -> impl Stream<Item = Result<T, E>> {
    pages.flat_map(|page| {
        let items: Vec<Result<T, E>> = match page {
            Ok(items) => items.into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;
    use std::sync::{Arc, Mutex};

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    #[test]
    fn offset_pages_until_a_short_page_and_fetches_lazily() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let stream = by_offset(3, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            async move { Ok::<Vec<u32>, ()>((offset..(offset + limit).min(7)).collect()) }
        });
        let first_two: Vec<u32> = block_on(stream.take(2).try_collect()).unwrap();
        assert_eq!(first_two, [0, 1]);
        assert_eq!(*calls.lock().unwrap(), [(0, 3)], "only the first page was needed");

        let log = calls.clone();
        calls.lock().unwrap().clear();
        let all: Vec<u32> = block_on(
            by_offset(3, move |offset, limit| {
                log.lock().unwrap().push((offset, limit));
                async move { Ok::<Vec<u32>, ()>((offset..(offset + limit).min(6)).collect()) }
            })
            .try_collect(),
        )
        .unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4, 5]);
        assert_eq!(*calls.lock().unwrap(), [(0, 3), (3, 3), (6, 3)], "an exact multiple ends on an empty page");
    }

    #[test]
    fn marker_pages_follow_the_next_marker_and_errors_end_the_stream() {
        let pages = |marker: Option<String>| async move {
            match marker.as_deref() {
                None => Ok((vec!["a", "b"], Some("b".to_owned()))),
                Some("b") => Ok((vec!["c"], Some("c".to_owned()))),
                Some("c") => Err("boom"),
                Some(other) => panic!("unexpected marker {other}"),
            }
        };
        let items: Vec<Result<&str, &str>> = block_on(by_marker(pages).collect());
        assert_eq!(items, [Ok("a"), Ok("b"), Ok("c"), Err("boom")]);
        let last: Vec<&str> = block_on(
            by_marker(|marker: Option<String>| async move { Ok::<_, ()>((vec!["x"], marker.xor(Some("m".into())))) })
                .try_collect(),
        )
        .unwrap();
        assert_eq!(last, ["x", "x"]);
    }
}
