//! Carries a typed authentication failure from the `pre` hook to `Error::from_generated_error`.
//! A progenitor hook can only fail with `Error::Custom(String)`, so the hook files the cause
//! here under a fresh number and returns a marker naming it; the conversion, which runs right
//! after it in the same call, takes the cause back out. Nothing is awaited in between, so an
//! entry is not left behind by a cancelled call; the store is bounded all the same, for a
//! caller that invokes a hook by hand and drops its error.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Cause;

const MARKER: &str = "otc-client authentication failure #";

/// More pending causes than concurrent calls could ever file; past it, the oldest go.
const CAPACITY: usize = 4096;

static PENDING: Mutex<BTreeMap<u64, Cause>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Files `cause`; the returned text is what the hook puts in `Error::Custom`.
pub(crate) fn file(cause: Cause) -> String {
    let number = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut pending = PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    while pending.len() >= CAPACITY {
        pending.pop_first();
    }
    pending.insert(number, cause);
    format!("{MARKER}{number}")
}

/// The cause filed under the marker `message`, once.
pub(crate) fn take(message: &str) -> Option<Cause> {
    let number = message.strip_prefix(MARKER)?.parse::<u64>().ok()?;
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filed_cause_comes_back_once_with_its_type() {
        let marker = file(Box::new(crate::signer::SignError::StreamingBody));
        let cause = take(&marker).expect("filed");
        assert_eq!(cause.downcast_ref::<crate::signer::SignError>(), Some(&crate::signer::SignError::StreamingBody));
        assert!(take(&marker).is_none());
        assert!(take("some other text").is_none());
    }
}
