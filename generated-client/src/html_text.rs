//! An HTML error page (a gateway's 502, a load balancer's 413) reduced to the text a person
//! would read: tags, comments, scripts and styles gone, entities decoded, whitespace collapsed,
//! the `<title>` kept only when the page does not repeat it. Error bodies are capped before
//! they get here, so a small linear scan does; an HTML parser would be a heavy dependency of
//! every user's build for a message.

/// Elements whose content is not text a person reads (the title is compared separately).
const HIDDEN: [&str; 4] = ["script", "style", "head", "title"];

/// Whether a body should be read as HTML: declared so, or looking like markup.
pub(crate) fn is_html(content_type: Option<&str>, body: &str) -> bool {
    let declared = content_type.is_some_and(|value| {
        let essence = value.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case("text/html") || essence.eq_ignore_ascii_case("application/xhtml+xml")
    });
    declared || body.trim_start().starts_with('<')
}

/// The readable text of `html`.
pub(crate) fn to_text(html: &str) -> String {
    let title = element_text(html, "title").map(|title| collapse(&decode_entities(&strip_markup(title))));
    let body = collapse(&decode_entities(&strip_markup(html)));
    match title {
        Some(title) if !title.is_empty() && !body.contains(&title) => {
            if body.is_empty() {
                title
            } else {
                format!("{title}: {body}")
            }
        }
        _ => body,
    }
}

/// A service's error message as one line: line breaks written as `<br>`/`<br />` (Glance's JSON
/// messages end in `<br /><br />` and blank lines) and runs of whitespace become single spaces.
/// Nothing else is treated as markup: a message may say `size < 10`.
pub(crate) fn one_line_message(message: &str) -> String {
    let mut text = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        let tag = &rest[at..];
        let end = tag.find('>').map(|end| end + 1);
        match end.filter(|&end| is_line_break(&tag[..end])) {
            Some(end) => {
                text.push(' ');
                rest = &tag[end..];
            }
            None => {
                text.push('<');
                rest = &tag[1..];
            }
        }
    }
    text.push_str(rest);
    collapse(&text)
}

/// `<br>`, `<br/>`, `<br />` in any case.
fn is_line_break(tag: &str) -> bool {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
}

/// The raw content of the first `<name>…</name>`.
fn element_text<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let open = find_tag(html, name, 0, false)?;
    let start = html[open..].find('>')? + open + 1;
    let end = find_tag(html, name, start, true).unwrap_or(html.len());
    Some(&html[start..end])
}

/// Text with every tag replaced by a space and hidden elements and comments removed.
/// Unterminated constructs run to the end (a truncated page loses its tail, never shows markup).
fn strip_markup(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut text = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let open = at + offset;
        text.push_str(&html[at..open]);
        let rest = &html[open..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| open + end + 3);
        } else if starts_tag(bytes.get(open + 1).copied()) {
            let end = tag_end(html, open);
            if let Some(hidden) = HIDDEN.iter().find(|name| opens(rest, name)) {
                let close = find_tag(html, hidden, end, true).unwrap_or(html.len());
                at = html[close..].find('>').map_or(html.len(), |gt| close + gt + 1);
            } else {
                at = end;
            }
            text.push(' ');
        } else {
            // A lone `<` (as in "a < b") is text.
            text.push('<');
            at = open + 1;
        }
    }
    text.push_str(&html[at..]);
    text
}

fn starts_tag(next: Option<u8>) -> bool {
    next.is_some_and(|byte| byte.is_ascii_alphabetic() || matches!(byte, b'/' | b'!' | b'?'))
}

/// Whether the tag at the start of `rest` opens element `name` (`<script>`, `<script src=..>`).
fn opens(rest: &str, name: &str) -> bool {
    let after = &rest.as_bytes()[1..];
    after.len() >= name.len()
        && after[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && after.get(name.len()).is_none_or(|byte| byte.is_ascii_whitespace() || matches!(byte, b'>' | b'/'))
}

/// The index after the `>` closing the tag opened at `open`; a `>` inside a quoted attribute
/// value does not close it.
fn tag_end(html: &str, open: usize) -> usize {
    let mut quote = None;
    for (index, byte) in html.bytes().enumerate().skip(open + 1) {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(q), _) if q == byte => quote = None,
            (None, b'>') => return index + 1,
            _ => {}
        }
    }
    html.len()
}

/// The index of the next `<name` (or `</name` when `closing`), ignoring ASCII case.
fn find_tag(html: &str, name: &str, from: usize, closing: bool) -> Option<usize> {
    let prefix = if closing { format!("</{name}") } else { format!("<{name}") };
    let needle = prefix.as_bytes();
    html.as_bytes()
        .get(from..)?
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| window.eq_ignore_ascii_case(needle))
        .map(|(offset, _)| from + offset)
        .find(|&at| closing || opens(&html[at..], name))
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references; anything
/// else stays as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let reference = rest[1..].find(';').filter(|&end| end <= 10).map(|end| &rest[1..=end]);
        match reference.and_then(entity) {
            Some(decoded) => {
                out.push(decoded);
                rest = &rest[reference.map_or(0, str::len) + 2..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let numeric = |digits: &str, radix| {
        u32::from_str_radix(digits, radix).ok().map(|code| char::from_u32(code).unwrap_or('\u{FFFD}'))
    };
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => numeric(&hex[1..], 16),
            decimal => numeric(decimal, 10),
        },
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_one_line_without_line_break_tags_and_keeps_other_angle_brackets() {
        assert_eq!(
            one_line_message("No image found with ID eb82c4a9<br /><br />\n\n\n"),
            "No image found with ID eb82c4a9"
        );
        assert_eq!(one_line_message("first<BR>second<br/>third"), "first second third");
        assert_eq!(
            one_line_message("size must be < 10 and <b>bold</b> stays"),
            "size must be < 10 and <b>bold</b> stays"
        );
        assert_eq!(one_line_message("unclosed <br"), "unclosed <br");
    }

    #[test]
    fn a_gateway_page_becomes_its_text_once() {
        let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";
        assert_eq!(to_text(page), "502 Bad Gateway nginx");
    }

    #[test]
    fn scripts_styles_and_comments_are_gone() {
        let page = r#"<html><head><style>body { color: red }</style><script>var a = "<b>";</script></head>
            <body><!-- a <b>comment</b> --><p>Service&nbsp;unavailable</p><SCRIPT type="text/javascript">alert(1)</SCRIPT>
            <p>Try again later.</p></body></html>"#;
        assert_eq!(to_text(page), "Service unavailable Try again later.");
    }

    #[test]
    fn entities_are_decoded_after_tags_are_removed() {
        assert_eq!(
            to_text("<p>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#x27; &#8364; &copy; & e</p>"),
            "a <b> & \"c\" 'd' € &copy; & e"
        );
        assert_eq!(to_text("<p>&#xD800; &#99999999; &#123456789012;</p>"), "\u{FFFD} \u{FFFD} &#123456789012;");
    }

    #[test]
    fn a_title_the_page_does_not_repeat_is_kept_in_front() {
        assert_eq!(
            to_text("<title>Error</title><body>Request entity too large</body>"),
            "Error: Request entity too large"
        );
        assert_eq!(to_text("<title>Forbidden</title>"), "Forbidden");
    }

    #[test]
    fn quoted_angle_brackets_and_lone_less_than_signs() {
        assert_eq!(to_text(r#"<a title="x > y">link</a> a < b"#), "link a < b");
    }

    #[test]
    fn truncated_markup_never_shows() {
        assert_eq!(to_text("<p>kept</p><script>never closed"), "kept");
        assert_eq!(to_text("<p>kept</p><div class=\"cut"), "kept");
        assert_eq!(to_text("<p>kept</p><!-- cut"), "kept");
    }

    #[test]
    fn html_is_recognised_by_content_type_or_shape() {
        assert!(is_html(Some("text/html; charset=utf-8"), "Bad Gateway"));
        assert!(is_html(Some("TEXT/HTML"), ""));
        assert!(is_html(None, "  \n<html>"));
        assert!(is_html(Some("text/plain"), "<p>"));
        assert!(!is_html(Some("application/json"), "{\"a\":1}"));
        assert!(!is_html(Some("text/plain"), "Bad Gateway"));
    }
}
