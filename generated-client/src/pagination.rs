//! Streams over every item of a paged list operation, fetching pages lazily as the stream is
//! read. Two paging styles occur in the reference: offset/limit (ModelArts lists) and
//! marker/limit with a `next` link (Glance). ListImageGroup documents no paging parameters:
//! one call returns the whole list.
//!
//! A server that does not move on (repeats a marker or `next` link, ignores `offset`, or names a
//! next page after an empty one) would make a naive stream loop forever; these streams notice
//! and end with a [`Stalled`] error instead.
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

use std::collections::HashSet;
use std::fmt;
use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

/// A paged list whose server stopped making progress; the stream ends with this error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stalled {
    /// Pages fetched, the one that showed the problem included.
    pub pages: u32,
    /// What the server repeated.
    pub reason: StallReason,
}

/// How a server failed to move on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StallReason {
    /// A page began and ended with the same items as the page before: `offset` was ignored.
    RepeatedPage,
    /// The offset cannot grow any further.
    OffsetExhausted,
    /// The next marker (or `next` link) is one the stream has already followed.
    RepeatedMarker(String),
    /// An empty page named a next page.
    EmptyPageWithNext,
}

impl fmt::Display for Stalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pages = self.pages;
        match &self.reason {
            StallReason::RepeatedPage => {
                write!(f, "page {pages} repeats the page before it (the server ignores offset)")
            }
            StallReason::OffsetExhausted => write!(f, "page {pages}: the offset cannot grow any further"),
            StallReason::RepeatedMarker(marker) => {
                let shown: String = marker.chars().take(120).collect();
                write!(f, "page {pages} names marker `{shown}` again (the server repeats a page)")
            }
            StallReason::EmptyPageWithNext => write!(f, "page {pages} is empty but names a next page"),
        }
    }
}

impl std::error::Error for Stalled {}

/// All items of an offset/limit list: pages of `limit` items are fetched with increasing
/// offsets until a page comes back short (or empty). An error ends the stream after it is
/// yielded; a full page that starts and ends like the one before ends it with [`Stalled`].
pub fn by_offset<T, E, F, Fut>(limit: u32, mut fetch: F) -> impl Stream<Item = Result<T, E>>
where
    T: PartialEq + Clone,
    E: From<Stalled>,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>, E>>,
{
    struct State<T> {
        offset: u32,
        pages: u32,
        /// The first and last item of the previous page.
        previous: Option<(T, T)>,
    }
    let limit = limit.max(1);
    let start = State { offset: 0, pages: 0, previous: None };
    let pages = stream::unfold(Some(start), move |state: Option<State<T>>| {
        let page = state.map(|state| {
            let page = fetch(state.offset, limit);
            (state, page)
        });
        async move {
            let (mut state, page) = page?;
            state.pages = state.pages.saturating_add(1);
            let items = match page.await {
                Ok(items) => items,
                Err(error) => return Some((Err(error), None)),
            };
            let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
            if count < limit {
                return Some((Ok(items), None));
            }
            let stalled = |reason| Some((Err(E::from(Stalled { pages: state.pages, reason })), None));
            let ends = (items[0].clone(), items[items.len() - 1].clone());
            if state.previous.as_ref() == Some(&ends) {
                return stalled(StallReason::RepeatedPage);
            }
            let Some(next) = state.offset.checked_add(count) else {
                return stalled(StallReason::OffsetExhausted);
            };
            let next = State { offset: next, pages: state.pages, previous: Some(ends) };
            Some((Ok(items), Some(next)))
        }
    });
    flatten(pages)
}

/// All items of a marker list: `fetch(marker)` returns a page and the marker of the next one
/// (from a `next` link or the last item's id), `None` on the last page. A marker followed
/// before, or a next page named by an empty one, ends the stream with [`Stalled`].
pub fn by_marker<T, E, F, Fut>(mut fetch: F) -> impl Stream<Item = Result<T, E>>
where
    E: From<Stalled>,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    struct State {
        marker: Option<String>,
        pages: u32,
        /// Every marker followed so far (one per page: the list's size bounds it).
        seen: HashSet<String>,
    }
    let start = State { marker: None, pages: 0, seen: HashSet::new() };
    let pages = stream::unfold(Some(start), move |state: Option<State>| {
        let page = state.map(|state| {
            let page = fetch(state.marker.clone());
            (state, page)
        });
        async move {
            let (mut state, page) = page?;
            state.pages = state.pages.saturating_add(1);
            let (items, next) = match page.await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), None)),
            };
            let Some(next) = next else { return Some((Ok(items), None)) };
            let stalled = |reason| Some((Err(E::from(Stalled { pages: state.pages, reason })), None));
            if items.is_empty() {
                return stalled(StallReason::EmptyPageWithNext);
            }
            if !state.seen.insert(next.clone()) {
                return stalled(StallReason::RepeatedMarker(next));
            }
            state.marker = Some(next);
            Some((Ok(items), Some(state)))
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

    #[derive(Debug, PartialEq)]
    enum Failure {
        Boom,
        Stalled(Stalled),
    }

    impl From<Stalled> for Failure {
        fn from(stalled: Stalled) -> Self {
            Failure::Stalled(stalled)
        }
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    #[test]
    fn offset_pages_until_a_short_page_and_fetches_lazily() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let stream = by_offset(3, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            async move { Ok::<Vec<u32>, Failure>((offset..(offset + limit).min(7)).collect()) }
        });
        let first_two: Vec<u32> = block_on(stream.take(2).try_collect()).unwrap();
        assert_eq!(first_two, [0, 1]);
        assert_eq!(*calls.lock().unwrap(), [(0, 3)], "only the first page was needed");

        let log = calls.clone();
        calls.lock().unwrap().clear();
        let all: Vec<u32> = block_on(
            by_offset(3, move |offset, limit| {
                log.lock().unwrap().push((offset, limit));
                async move { Ok::<Vec<u32>, Failure>((offset..(offset + limit).min(6)).collect()) }
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
                Some("c") => Err(Failure::Boom),
                Some(other) => panic!("unexpected marker {other}"),
            }
        };
        let items: Vec<Result<&str, Failure>> = block_on(by_marker(pages).collect());
        assert_eq!(items, [Ok("a"), Ok("b"), Ok("c"), Err(Failure::Boom)]);
        let last: Vec<&str> = block_on(
            by_marker(
                |marker: Option<String>| async move { Ok::<_, Failure>((vec!["x"], marker.xor(Some("m".into())))) },
            )
            .try_collect(),
        )
        .unwrap();
        assert_eq!(last, ["x", "x"]);
    }

    #[test]
    fn a_server_ignoring_offset_ends_the_stream_after_one_repeat() {
        let calls = Arc::new(Mutex::new(0u32));
        let count = calls.clone();
        let items: Vec<Result<u32, Failure>> = block_on(
            by_offset(2, move |_offset, _limit| {
                *count.lock().unwrap() += 1;
                async { Ok::<_, Failure>(vec![1, 2]) }
            })
            .take(100)
            .collect(),
        );
        let stalled = Failure::Stalled(Stalled { pages: 2, reason: StallReason::RepeatedPage });
        assert_eq!(items, [Ok(1), Ok(2), Err(stalled)]);
        assert_eq!(*calls.lock().unwrap(), 2);
    }

    #[test]
    fn a_stall_says_which_page_and_why() {
        let shown = Stalled { pages: 4, reason: StallReason::RepeatedMarker("m".repeat(500)) }.to_string();
        assert!(shown.starts_with("page 4 names marker `mmm"), "{shown}");
        assert!(shown.len() < 200, "a hostile marker is shortened: {shown}");
    }

    #[test]
    fn repeated_markers_and_empty_pages_with_a_next_end_the_stream() {
        // a -> b -> a: a cycle, not only an immediate repeat.
        let cycle = |marker: Option<String>| async move {
            let next = if marker.as_deref() == Some("a") { "b" } else { "a" };
            Ok::<_, Failure>((vec![marker.clone().unwrap_or_default()], Some(next.to_owned())))
        };
        let items: Vec<Result<String, Failure>> = block_on(by_marker(cycle).take(100).collect());
        let stalled = Failure::Stalled(Stalled { pages: 3, reason: StallReason::RepeatedMarker("a".into()) });
        assert_eq!(items, [Ok(String::new()), Ok("a".into()), Err(stalled)]);

        let mut page = 0u32;
        let empty = move |_marker: Option<String>| {
            page += 1;
            let next = format!("m{page}");
            async move { Ok::<(Vec<u32>, Option<String>), Failure>((Vec::new(), Some(next))) }
        };
        let items: Vec<Result<u32, Failure>> = block_on(by_marker(empty).take(100).collect());
        let stalled = Failure::Stalled(Stalled { pages: 1, reason: StallReason::EmptyPageWithNext });
        assert_eq!(items, [Err(stalled)]);
    }
}
