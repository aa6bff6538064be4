//! The shapes of the generated table (`generated.rs`).

/// One service: a spec, a generated module of `otc-client`.
#[derive(Debug)]
pub struct Service {
    /// The module name (`modelarts`), the first word of a command.
    pub name: &'static str,
    /// The spec's title.
    pub about: &'static str,
    pub operations: &'static [Operation],
}

/// One operation: a subcommand of its service.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operation id (`ShowNotebook`).
    pub id: &'static str,
    /// The id in kebab case (`show-notebook`).
    pub command: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The spec's summary, one line.
    pub about: &'static str,
    /// The spec's description, one line.
    pub long_about: &'static str,
    /// The reference page the spec was transcribed from: `externalDocs.url`, a page file name
    /// of the service's API reference (`en-us_topic_0133188204.html`).
    pub reference: &'static str,
    /// The page's title (`externalDocs.description`).
    pub reference_title: &'static str,
    /// The page's source at the commit `specs/reference.lock.json` pins (a link anyone can
    /// open), or empty when the project had no lock.
    pub reference_url: &'static str,
    pub params: &'static [Param],
    /// Whether the operation takes a request body (`--body FILE|-`).
    pub body: bool,
    pub body_required: bool,
    /// The simple top-level fields of a JSON body (strings, numbers, booleans, arrays of
    /// those): each a flag under "Body fields", set on top of `--body`.
    pub body_fields: &'static [BodyField],
    /// The top-level fields the body's schema requires, flags or not: the body sent must have
    /// them.
    pub body_requires: &'static [&'static str],
    /// A list `otc_client::Paginate` pages through: `--all` prints every item.
    pub paged: bool,
    /// For a paged list, the page size of `--all` without `--limit` (the `limit` parameter's
    /// documented default); else 0.
    pub page_size: u32,
    /// Asynchronous: the response names a `job_id` (IMS), so `--wait` can poll it to its end.
    pub job: bool,
    /// The body is raw bytes (an image file), streamed from `--body FILE|-`.
    pub raw_body: bool,
    /// The response is raw bytes (an image file), streamed to `--output FILE` or stdout.
    pub raw_response: bool,
}

/// One parameter: a `--flag`.
#[derive(Debug)]
pub struct Param {
    /// The spec's name (`id`, `X-Language`).
    pub name: &'static str,
    /// The name in kebab case, the flag's long name.
    pub flag: &'static str,
    /// `path`, `query` or `header`.
    pub location: &'static str,
    /// Required by the spec (`project_id` never is: the configuration gives it).
    pub required: bool,
    /// The spec's description.
    pub help: &'static str,
    /// The schema's `type` (`string` when it gives none).
    pub kind: &'static str,
    /// For an array, its items' `type` (each occurrence of the flag is one item); else empty.
    pub item_kind: &'static str,
    /// The schema's enum values, if any.
    pub values: &'static [&'static str],
}

/// One simple top-level field of an operation's JSON request body: a `--flag` whose value is
/// set into the body (on top of `--body`, if given).
#[derive(Debug)]
pub struct BodyField {
    /// The property's name in the body (`min_disk`).
    pub name: &'static str,
    /// The long flag: the name in kebab case as for a parameter (`min-disk`), or `body-` and
    /// that where a parameter or the command line's own flag has it (`body-duration`).
    pub flag: &'static str,
    /// The schema requires it (in the body sent, from this flag or from `--body`).
    pub required: bool,
    /// The property's description.
    pub help: &'static str,
    /// `string`, `integer`, `number`, `boolean` or `array`.
    pub kind: &'static str,
    /// For an array, its items' kind (each occurrence of the flag is one item); else empty.
    pub item_kind: &'static str,
    /// The enum of the property (or of its items), if any.
    pub values: &'static [&'static str],
}
