//! Which media types are JSON, and which one the client sends when a request body documents
//! several. Validation, the `json_request_media_types` normalize pass and the
//! `request_content_type` post-process pass must agree on this, so it lives in one place.

/// `application/json`, a structured-syntax `+json` type (`application/merge-patch+json`), or a
/// vendor type naming `json` as one of its dash- or dot-separated words, as Glance does with
/// `application/openstack-images-v2.1-json-patch`. Parameters (`; charset=utf-8`) are ignored.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type).to_ascii_lowercase();
    let Some(subtype) = essence.strip_prefix("application/") else { return false };
    subtype == "json" || subtype.ends_with("+json") || subtype.split(['-', '.', '+']).any(|word| word == "json")
}

/// The media type without parameters.
pub fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// The request media type the generated call sends, among the documented ones in document
/// order: the first JSON one (so a spec lists its preferred version first), or the only one.
/// `None` when there are several and none is JSON: the generator cannot choose.
pub fn chosen_request_media_type<'a>(documented: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let documented: Vec<&str> = documented.into_iter().collect();
    match documented.as_slice() {
        [only] => Some(only),
        several => several.iter().copied().find(|media_type| is_json(media_type)),
    }
}

/// A JSON media type progenitor does not send by itself (it only knows `application/json`), so
/// the generated call has to set the `Content-Type` header explicitly.
pub fn needs_explicit_content_type(media_type: &str) -> bool {
    is_json(media_type) && !essence(media_type).eq_ignore_ascii_case("application/json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_family() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "application/merge-patch+json",
            "application/openstack-images-v2.1-json-patch",
            "application/openstack-images-v2.0-json-patch",
            "Application/JSON",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in ["application/octet-stream", "text/json", "application/jsonl", "application/x-www-form-urlencoded"]
        {
            assert!(!is_json(other), "{other}");
        }
    }

    #[test]
    fn the_first_json_type_is_chosen() {
        let glance = ["application/openstack-images-v2.1-json-patch", "application/openstack-images-v2.0-json-patch"];
        assert_eq!(chosen_request_media_type(glance), Some(glance[0]));
        assert_eq!(chosen_request_media_type(["text/plain", "application/json"]), Some("application/json"));
        assert_eq!(chosen_request_media_type(["application/octet-stream"]), Some("application/octet-stream"));
        assert_eq!(chosen_request_media_type(["application/octet-stream", "text/plain"]), None);
        assert_eq!(chosen_request_media_type([]), None);
    }

    #[test]
    fn only_vendor_json_needs_an_explicit_header() {
        assert!(needs_explicit_content_type("application/openstack-images-v2.1-json-patch"));
        assert!(!needs_explicit_content_type("application/json; charset=utf-8"));
        assert!(!needs_explicit_content_type("application/octet-stream"));
    }
}
