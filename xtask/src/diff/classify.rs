//! The verdict of `cargo xtask diff`: two generated APIs ([`Api`], read off what the codegen
//! pipeline produces for each revision) compared item by item, each difference classified by
//! what it does to code written against the old client.
//!
//! - Removed operations, types, fields, setters and variants, changed types (of a field, a
//!   setter, `send()`'s result, a newtype) and renames break callers.
//! - Inputs are set through builders, so a new *optional* field or setter is invisible, while
//!   a new *required* one (a non-`Option` field of a request type, a setter initialised as
//!   "not initialized") makes `send()` fail until callers set it. `T` → `Option<T>` in a
//!   request-only type is harmless: setters take `T` as well.
//! - Responses are read: any type change of a response field breaks readers, a new field does
//!   not.
//! - Open enums (`Unrecognized(String)`) take values they do not know, so a new variant breaks
//!   nothing; a new variant of a closed (untagged) enum read from a response needs a new arm.

use std::collections::BTreeSet;
use std::fmt;

use super::model::{Api, Enum, Field, Init, Operation, Setter, TypeDef, is_option, named_types, unwrap_option};

/// One difference of the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    pub breaking: bool,
    pub kind: ApiKind,
    /// The item: `types::Image`, or `Client::register_image` (an operation's builder).
    pub subject: String,
    /// The part of it: `.size`, `.name(..)`, `::Aarch64`; empty for the item itself.
    pub member: String,
    /// The consequence for a caller.
    pub detail: String,
    /// The operations using a changed type (empty for an operation's own change).
    pub used_by: Vec<String>,
    /// The operation an operation-level change is about.
    pub operation: Option<String>,
    /// JSON names involved (field and parameter names, enum values): what ties the change to
    /// the spec-level changes.
    pub wires: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    ModuleAdded,
    ModuleRemoved,
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    SetterAdded,
    SetterRemoved,
    SetterRenamed,
    SetterChanged,
    ReturnChanged,
    TypeRemoved,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldChanged,
    VariantAdded,
    VariantRemoved,
    VariantRenamed,
    VariantChanged,
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKind::ModuleAdded => "module added",
            ApiKind::ModuleRemoved => "module removed",
            ApiKind::OperationAdded => "operation added",
            ApiKind::OperationRemoved => "operation removed",
            ApiKind::OperationMoved => "operation moved",
            ApiKind::SetterAdded => "setter added",
            ApiKind::SetterRemoved => "setter removed",
            ApiKind::SetterRenamed => "setter renamed",
            ApiKind::SetterChanged => "setter changed",
            ApiKind::ReturnChanged => "result type changed",
            ApiKind::TypeRemoved => "type removed",
            ApiKind::TypeChanged => "type changed",
            ApiKind::FieldAdded => "field added",
            ApiKind::FieldRemoved => "field removed",
            ApiKind::FieldRenamed => "field renamed",
            ApiKind::FieldChanged => "field type changed",
            ApiKind::VariantAdded => "variant added",
            ApiKind::VariantRemoved => "variant removed",
            ApiKind::VariantRenamed => "variant renamed",
            ApiKind::VariantChanged => "variant changed",
        })
    }
}

/// Every difference from `old` to `new`: operations (by operation id), then types (by name).
pub fn compare(old: &Api, new: &Api) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for (id, operation) in &old.operations {
        match new.operations.get(id) {
            Some(new_operation) => compare_operation(&mut changes, old, new, id, operation, new_operation),
            None => changes.push(ApiChange {
                breaking: true,
                kind: ApiKind::OperationRemoved,
                subject: client(operation),
                member: String::new(),
                detail: format!("`{id}` (`{}`) is gone with its builder", operation.request_line),
                used_by: Vec::new(),
                operation: Some(id.clone()),
                wires: Vec::new(),
            }),
        }
    }
    for (id, operation) in &new.operations {
        if !old.operations.contains_key(id) {
            changes.push(ApiChange {
                breaking: false,
                kind: ApiKind::OperationAdded,
                subject: client(operation),
                member: String::new(),
                detail: format!("new operation `{id}` (`{}`); existing code does not call it", operation.request_line),
                used_by: Vec::new(),
                operation: Some(id.clone()),
                wires: Vec::new(),
            });
        }
    }
    let mut type_changes = Vec::new();
    for (name, old_type) in &old.types {
        let (requests, responses) = users(old, new, name);
        let mut used_by: Vec<String> = requests.union(&responses).cloned().collect();
        used_by.sort();
        let request = !requests.is_empty();
        // Types no operation uses (error bodies) are read, if anything.
        let response = !responses.is_empty() || requests.is_empty();
        let mut push = |breaking, kind, member: String, detail: String, wires: Vec<String>| {
            type_changes.push(ApiChange {
                breaking,
                kind,
                subject: format!("types::{name}"),
                member,
                detail,
                used_by: used_by.clone(),
                operation: None,
                wires,
            })
        };
        let Some(new_type) = new.types.get(name) else {
            push(true, ApiKind::TypeRemoved, String::new(), format!("`types::{name}` is gone"), Vec::new());
            continue;
        };
        match (old_type, new_type) {
            (TypeDef::Struct(old_fields), TypeDef::Struct(new_fields)) => {
                compare_fields(&mut push, old, new, (request, response), old_fields, new_fields)
            }
            (TypeDef::Enum(old_enum), TypeDef::Enum(new_enum)) => compare_enum(&mut push, response, old_enum, new_enum),
            (TypeDef::Newtype(old_inner), TypeDef::Newtype(new_inner)) => {
                if old_inner != new_inner {
                    let detail = format!("wraps `{new_inner}`, was `{old_inner}`");
                    push(true, ApiKind::TypeChanged, String::new(), detail, Vec::new());
                }
            }
            (old_type, new_type) => {
                let detail = format!("was {}, now {}", shape(old_type), shape(new_type));
                push(true, ApiKind::TypeChanged, String::new(), detail, Vec::new());
            }
        }
    }
    changes.extend(type_changes);
    // What removed operations took and returned goes with them.
    let gone: Vec<String> = old
        .operations
        .iter()
        .filter(|(id, _)| !new.operations.contains_key(*id))
        .flat_map(|(_, operation)| {
            operation.setters.iter().map(|setter| setter.ty.clone()).chain([operation.returns.clone()])
        })
        .collect();
    fold_removed_types(changes, old, gone)
}

/// A removed type that a reported change already accounts for is not reported on its own: one
/// named by a changed type (`Option<Arch>` → `Option<String>`) or held by such a type or by a
/// removed type that is reported or a type that changed shape, or taken or returned by a removed
/// operation.
fn fold_removed_types(changes: Vec<ApiChange>, old: &Api, mut roots: Vec<String>) -> Vec<ApiChange> {
    roots.extend(
        changes
            .iter()
            .filter(|change| {
                matches!(change.kind, ApiKind::FieldChanged | ApiKind::SetterChanged | ApiKind::ReturnChanged)
            })
            .flat_map(|change| named_types(&change.detail))
            .filter(|name| old.types.contains_key(name)),
    );
    // What a type that changed shape (a struct that became an enum) held.
    roots.extend(
        changes
            .iter()
            .filter(|change| change.kind == ApiKind::TypeChanged)
            .filter_map(|change| change.subject.strip_prefix("types::").map(str::to_owned)),
    );
    let mut reported: Vec<String> = Vec::new();
    changes
        .into_iter()
        .filter(|change| {
            let Some(name) = change.subject.strip_prefix("types::").filter(|_| change.kind == ApiKind::TypeRemoved)
            else {
                return true;
            };
            let folded = roots.iter().chain(&reported).any(|root| old.reaches(root, name));
            if !folded {
                reported.push(name.to_owned());
            }
            !folded
        })
        .collect()
}

fn client(operation: &Operation) -> String {
    format!("Client::{}", operation.method)
}

fn shape(definition: &TypeDef) -> String {
    match definition {
        TypeDef::Struct(_) => "a struct".into(),
        TypeDef::Enum(Enum { open: true, .. }) => "an open enum".into(),
        TypeDef::Enum(_) => "an enum".into(),
        TypeDef::Newtype(inner) => format!("a newtype of `{inner}`"),
    }
}

/// `(request users, response users)` of a type in either version.
fn users(old: &Api, new: &Api, name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut requests, mut responses) = old.users(name);
    let (new_requests, new_responses) = new.users(name);
    requests.extend(new_requests);
    responses.extend(new_responses);
    (requests, responses)
}

/// Describes a type change, naming what the change of an enum to a `String` (the
/// `colliding_enum_variants` pass) or back means.
fn type_change(old: &Api, new: &Api, old_ty: &str, new_ty: &str) -> String {
    let (old_inner, new_inner) = (unwrap_option(old_ty), unwrap_option(new_ty));
    let is_enum = |api: &Api, ty: &str| matches!(api.types.get(ty), Some(TypeDef::Enum(_)));
    let note = if is_enum(old, old_inner) && new_inner == "String" {
        format!("; the enum `types::{old_inner}` became a plain `String`")
    } else if old_inner == "String" && is_enum(new, new_inner) {
        format!("; the plain `String` became the enum `types::{new_inner}`")
    } else if !old.types.contains_key(old_inner) || new.types.contains_key(old_inner) {
        String::new()
    } else {
        format!("; `types::{old_inner}` is gone")
    };
    format!("`{old_ty}` → `{new_ty}`{note}")
}

type Push<'p> = dyn FnMut(bool, ApiKind, String, String, Vec<String>) + 'p;

/// The fields of one struct; `(request, response)`: which sides use it.
fn compare_fields(
    push: &mut Push<'_>,
    old: &Api,
    new: &Api,
    (request, response): (bool, bool),
    old_fields: &[Field],
    new_fields: &[Field],
) {
    let removed: Vec<&Field> = old_fields.iter().filter(|f| !new_fields.iter().any(|n| n.name == f.name)).collect();
    let added: Vec<&Field> = new_fields.iter().filter(|f| !old_fields.iter().any(|o| o.name == f.name)).collect();
    if let ([gone], [came]) = (removed.as_slice(), added.as_slice())
        && gone.ty == came.ty
    {
        let detail = format!(
            "`.{}` → `.{}` (`{}`): code naming the old field no longer compiles",
            gone.name, came.name, came.ty
        );
        push(
            true,
            ApiKind::FieldRenamed,
            format!(".{}", gone.name),
            detail,
            vec![gone.wire.clone(), came.wire.clone()],
        );
    } else {
        for field in removed {
            let detail = format!("was `{}`; code reading or setting it no longer compiles", field.ty);
            push(true, ApiKind::FieldRemoved, format!(".{}", field.name), detail, vec![field.wire.clone()]);
        }
        for field in added {
            let (breaking, detail) = match (field.optional(), request) {
                (true, _) => (false, format!("`{}`; builders leave it `None`, readers need not look at it", field.ty)),
                (false, true) => {
                    (true, format!("required `{}`: every request must now set it (`send()` fails otherwise)", field.ty))
                }
                (false, false) => {
                    (false, format!("`{}`; only read from responses, existing readers ignore it", field.ty))
                }
            };
            push(breaking, ApiKind::FieldAdded, format!(".{}", field.name), detail, vec![field.wire.clone()]);
        }
    }
    for old_field in old_fields {
        let Some(new_field) = new_fields.iter().find(|n| n.name == old_field.name) else { continue };
        if old_field.ty == new_field.ty {
            continue;
        }
        let member = format!(".{}", old_field.name);
        let wires = vec![new_field.wire.clone()];
        let (old_inner, new_inner) = (unwrap_option(&old_field.ty), unwrap_option(&new_field.ty));
        let detail = type_change(old, new, &old_field.ty, &new_field.ty);
        if old_inner == new_inner && !is_option(&old_field.ty) && !response {
            // T → Option<T> in a request type: setters take `T` as well.
            push(
                false,
                ApiKind::FieldChanged,
                member,
                format!("{detail}: now optional, setters still take `{old_inner}`"),
                wires,
            );
        } else if old_inner == new_inner && is_option(&old_field.ty) {
            let why = if request {
                "now required: requests must set it"
            } else {
                "now always present: code unwrapping the `Option` no longer compiles"
            };
            push(true, ApiKind::FieldChanged, member, format!("{detail}: {why}"), wires);
        } else {
            push(true, ApiKind::FieldChanged, member, detail, wires);
        }
    }
}

fn compare_enum(push: &mut Push<'_>, response: bool, old: &Enum, new: &Enum) {
    if old.open != new.open {
        let detail = if new.open {
            "gained the `Unrecognized(String)` catch-all: a `match` needs a new arm"
        } else {
            "lost the `Unrecognized(String)` catch-all"
        };
        push(true, ApiKind::TypeChanged, String::new(), detail.into(), Vec::new());
    }
    let wire = |variant: &super::model::Variant| vec![variant.value.clone().unwrap_or_else(|| variant.name.clone())];
    let removed: Vec<_> = old.variants.iter().filter(|v| !new.variants.iter().any(|n| n.name == v.name)).collect();
    let added: Vec<_> = new.variants.iter().filter(|v| !old.variants.iter().any(|o| o.name == v.name)).collect();
    if let ([gone], [came]) = (removed.as_slice(), added.as_slice())
        && gone.payload.is_some()
        && gone.payload == came.payload
    {
        let detail = format!("`{}` → `{}`: code naming the old variant no longer compiles", gone.name, came.name);
        push(true, ApiKind::VariantRenamed, format!("::{}", gone.name), detail, Vec::new());
        return;
    }
    for variant in removed {
        let detail = match &variant.value {
            Some(value) => format!("`{value}` is gone; code naming `{}` no longer compiles", variant.name),
            None => format!("code naming `{}` no longer compiles", variant.name),
        };
        push(true, ApiKind::VariantRemoved, format!("::{}", variant.name), detail, wire(variant));
    }
    for variant in added {
        let (breaking, detail) = match (new.open, &variant.value, response) {
            (true, Some(value), _) => (
                false,
                format!(
                    "new value `{value}`; the enum is open: a value the client did not know decoded as `Unrecognized` and still matches a wildcard arm"
                ),
            ),
            (true, None, _) => (false, "the enum is open: unknown values decode as `Unrecognized`".into()),
            (false, _, true) => (true, "a `match` on this closed enum, read from responses, needs a new arm".into()),
            (false, _, false) => {
                (false, "a new way to build this request value; existing values are unaffected".into())
            }
        };
        push(breaking, ApiKind::VariantAdded, format!("::{}", variant.name), detail, wire(variant));
    }
    for old_variant in &old.variants {
        let Some(new_variant) = new.variants.iter().find(|n| n.name == old_variant.name) else { continue };
        if old_variant.payload != new_variant.payload {
            let show = |payload: &Option<String>| payload.clone().unwrap_or_else(|| "no payload".into());
            let detail = format!("`{}` → `{}`", show(&old_variant.payload), show(&new_variant.payload));
            push(true, ApiKind::VariantChanged, format!("::{}", old_variant.name), detail, wire(new_variant));
        } else if old_variant.value != new_variant.value {
            let show = |value: &Option<String>| value.clone().unwrap_or_default();
            let detail =
                format!("sent and matched as `{}`, was `{}`", show(&new_variant.value), show(&old_variant.value));
            push(true, ApiKind::VariantChanged, format!("::{}", old_variant.name), detail, wire(new_variant));
        }
    }
}

fn compare_operation(
    changes: &mut Vec<ApiChange>,
    old: &Api,
    new: &Api,
    id: &str,
    old_op: &Operation,
    new_op: &Operation,
) {
    let mut push = |breaking, kind, member: String, detail: String, wires: Vec<String>| {
        changes.push(ApiChange {
            breaking,
            kind,
            subject: client(new_op),
            member,
            detail,
            used_by: Vec::new(),
            operation: Some(id.to_owned()),
            wires,
        })
    };
    if old_op.request_line != new_op.request_line {
        let detail = format!("`{}` → `{}`; same method and builder", old_op.request_line, new_op.request_line);
        push(false, ApiKind::OperationMoved, String::new(), detail, Vec::new());
    }
    let find = |setters: &[Setter], name: &str| setters.iter().find(|s| s.name == name).cloned();
    let removed: Vec<&Setter> = old_op.setters.iter().filter(|s| find(&new_op.setters, &s.name).is_none()).collect();
    let added: Vec<&Setter> = new_op.setters.iter().filter(|s| find(&old_op.setters, &s.name).is_none()).collect();
    let setter = |setter: &Setter| format!(".{}(..)", setter.name);
    if let ([gone], [came]) = (removed.as_slice(), added.as_slice())
        && gone.ty == came.ty
    {
        let detail = format!(
            "`.{}(..)` → `.{}(..)` (`{}`): calls of the old setter no longer compile",
            gone.name, came.name, came.ty
        );
        push(true, ApiKind::SetterRenamed, setter(gone), detail, vec![gone.name.clone(), came.name.clone()]);
    } else {
        for gone in removed {
            let detail = format!("took `{}`; calls of it no longer compile", gone.ty);
            push(true, ApiKind::SetterRemoved, setter(gone), detail, vec![gone.name.clone()]);
        }
        for came in added {
            let (breaking, detail) = match came.init {
                Init::Required => (true, format!("required `{}`: `send()` fails until callers set it", came.ty)),
                Init::RequiredBody => {
                    (true, format!("`{}` with required fields: `send()` fails until callers set them", came.ty))
                }
                Init::Optional | Init::Runtime => {
                    (false, format!("optional `{}`; callers that do not set it send what they sent before", came.ty))
                }
            };
            push(breaking, ApiKind::SetterAdded, setter(came), detail, vec![came.name.clone()]);
        }
    }
    for old_setter in &old_op.setters {
        let Some(new_setter) = find(&new_op.setters, &old_setter.name) else { continue };
        if old_setter.ty != new_setter.ty {
            let detail = type_change(old, new, &old_setter.ty, &new_setter.ty);
            push(true, ApiKind::SetterChanged, setter(old_setter), detail, vec![new_setter.name.clone()]);
        } else if (old_setter.init == Init::Required) != (new_setter.init == Init::Required) {
            let (breaking, detail) = if new_setter.init == Init::Required {
                (true, "now required: `send()` fails until callers set it")
            } else {
                (false, "now optional")
            };
            push(breaking, ApiKind::SetterChanged, setter(old_setter), detail.into(), vec![new_setter.name.clone()]);
        }
    }
    if old_op.returns != new_op.returns {
        let detail = format!("`send()`: {}", type_change(old, new, &old_op.returns, &new_op.returns));
        push(true, ApiKind::ReturnChanged, ".send()".into(), detail, Vec::new());
    }
}
