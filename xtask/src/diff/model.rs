//! The public API of one generated client module, read off the syn tree the codegen pipeline
//! produces (`otc_codegen::generate_spec`): what a user's code names, constructs, sets, matches
//! and reads. `cargo xtask diff` compares two of these, so its verdicts follow the generator
//! instead of re-deriving typify's and the normalize passes' behaviour from the YAML.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

/// The API of one generated module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// `pub mod types`: name → definition.
    pub types: BTreeMap<String, TypeDef>,
    /// Operation id → the `Client` method and its builder.
    pub operations: BTreeMap<String, Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct(Vec<Field>),
    Enum(Enum),
    /// A newtype struct (`struct X(pub T)`) or a type alias: the wrapped type.
    Newtype(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON name (`serde(rename)`, else the Rust name).
    pub wire: String,
    /// Readable Rust type: `Option<Vec<String>>`.
    pub ty: String,
}

impl Field {
    pub fn optional(&self) -> bool {
        is_option(&self.ty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Has the `Unrecognized(String)` catch-all: unknown values decode into it.
    pub open: bool,
    /// Every variant but the catch-all, in order.
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    /// The JSON value of an open enum's variant (its `open_enum!` table entry).
    pub value: Option<String>,
    /// The payload type of a tuple variant (an untagged `oneOf` member).
    pub payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `register_image`.
    pub method: String,
    /// `POST /v1/{project_id}/images`, from the module's `OPERATIONS` table.
    pub request_line: String,
    pub setters: Vec<Setter>,
    /// `send()`'s success value: `ResponseValue<Image>`.
    pub returns: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Setter {
    pub name: String,
    /// The `T` of the setter's `V: TryInto<T>` bound.
    pub ty: String,
    pub init: Init,
}

/// How a builder starts out for one input (its `new()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    /// `Err("… was not initialized")`: `send()` fails unless the caller sets it.
    Required,
    /// `Ok(None)`, or a body builder `Ok(Default::default())` whose type has no required field.
    Optional,
    /// A body builder `Ok(Default::default())` whose type has required fields: `send()` fails
    /// unless they are set.
    RequiredBody,
    /// Filled from the runtime (`project_id`); the caller may override it.
    Runtime,
}

impl Init {
    pub fn required(self) -> bool {
        matches!(self, Init::Required | Init::RequiredBody)
    }
}

impl Api {
    /// Reads the API off a post-processed generated file.
    pub fn from_file(file: &syn::File) -> Api {
        let mut api = Api::default();
        for item in items_of(&file.items, "types") {
            match item {
                syn::Item::Struct(item) => {
                    let definition = match &item.fields {
                        syn::Fields::Named(fields) => TypeDef::Struct(
                            fields
                                .named
                                .iter()
                                .map(|field| {
                                    let name = field.ident.as_ref().map(ident_name).unwrap_or_default();
                                    let wire = rename(&field.attrs).unwrap_or_else(|| name.clone());
                                    Field { name, wire, ty: type_name(&field.ty) }
                                })
                                .collect(),
                        ),
                        syn::Fields::Unnamed(fields) => TypeDef::Newtype(
                            fields.unnamed.iter().map(|field| type_name(&field.ty)).collect::<Vec<_>>().join(", "),
                        ),
                        syn::Fields::Unit => TypeDef::Struct(Vec::new()),
                    };
                    api.types.insert(item.ident.to_string(), definition);
                }
                syn::Item::Enum(item) => {
                    let mut open = false;
                    let mut variants = Vec::new();
                    for variant in &item.variants {
                        let name = variant.ident.to_string();
                        let payload = match &variant.fields {
                            syn::Fields::Unnamed(fields) => Some(
                                fields.unnamed.iter().map(|field| type_name(&field.ty)).collect::<Vec<_>>().join(", "),
                            ),
                            syn::Fields::Named(fields) => Some(format!(
                                "{{ {} }}",
                                fields
                                    .named
                                    .iter()
                                    .map(|field| format!(
                                        "{}: {}",
                                        field.ident.as_ref().map(ident_name).unwrap_or_default(),
                                        type_name(&field.ty)
                                    ))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                            syn::Fields::Unit => None,
                        };
                        if name == "Unrecognized" && payload.as_deref() == Some("String") {
                            open = true;
                            continue;
                        }
                        let value = rename(&variant.attrs);
                        variants.push(Variant { name, value, payload });
                    }
                    api.types.insert(item.ident.to_string(), TypeDef::Enum(Enum { open, variants }));
                }
                syn::Item::Type(item) => {
                    api.types.insert(item.ident.to_string(), TypeDef::Newtype(type_name(&item.ty)));
                }
                syn::Item::Macro(item) => open_enum_values(&mut api, item),
                _ => {}
            }
        }
        api.operations = operations(file, &api);
        api
    }

    /// The operations whose inputs or result reach type `name`, directly or through other
    /// types; `(requests, responses)`.
    pub fn users(&self, name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut requests = BTreeSet::new();
        let mut responses = BTreeSet::new();
        for (id, operation) in &self.operations {
            if operation.setters.iter().any(|setter| self.reaches(&setter.ty, name)) {
                requests.insert(id.clone());
            }
            if self.reaches(&operation.returns, name) {
                responses.insert(id.clone());
            }
        }
        (requests, responses)
    }

    /// Whether the Rust type `ty` names `target` or a type that (transitively) holds it.
    pub fn reaches(&self, ty: &str, target: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = named_types(ty);
        while let Some(name) = stack.pop() {
            if name == target {
                return true;
            }
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.types.get(&name) {
                Some(TypeDef::Struct(fields)) => stack.extend(fields.iter().flat_map(|field| named_types(&field.ty))),
                Some(TypeDef::Enum(definition)) => stack.extend(
                    definition.variants.iter().filter_map(|variant| variant.payload.as_deref()).flat_map(named_types),
                ),
                Some(TypeDef::Newtype(inner)) => stack.extend(named_types(inner)),
                None => {}
            }
        }
        false
    }
}

/// The identifiers in a readable type that could be generated type names.
pub fn named_types(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(str::to_owned)
        .collect()
}

pub fn is_option(ty: &str) -> bool {
    ty.starts_with("Option<")
}

/// `Option<T>` → `T`.
pub fn unwrap_option(ty: &str) -> &str {
    ty.strip_prefix("Option<").and_then(|rest| rest.strip_suffix('>')).unwrap_or(ty)
}

fn ident_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

fn items_of<'a>(items: &'a [syn::Item], module: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == module => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// `#[serde(rename = "x", …)]` → `x`.
fn rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().filter(|attr| attr.path().is_ident("serde")).find_map(|attr| {
        let tokens = attr.meta.to_token_stream().to_string();
        let rest = &tokens[tokens.find("rename = \"")? + "rename = \"".len()..];
        Some(rest[..rest.find('"')?].to_owned())
    })
}

/// A type as a reader writes it: paths reduced to their last segment (`::std::string::String`
/// → `String`, `types::Image` → `Image`), generic arguments kept.
pub fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => {
            let Some(last) = path.path.segments.last() else { return String::new() };
            let mut name = last.ident.to_string();
            if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments {
                let arguments: Vec<String> = arguments
                    .args
                    .iter()
                    .filter_map(|argument| match argument {
                        syn::GenericArgument::Type(ty) => Some(type_name(ty)),
                        syn::GenericArgument::Lifetime(_) => None,
                        other => Some(other.to_token_stream().to_string()),
                    })
                    .collect();
                if !arguments.is_empty() {
                    name = format!("{name}<{}>", arguments.join(", "));
                }
            }
            name
        }
        syn::Type::Tuple(tuple) => {
            format!("({})", tuple.elems.iter().map(type_name).collect::<Vec<_>>().join(", "))
        }
        syn::Type::Group(group) => type_name(&group.elem),
        syn::Type::Paren(paren) => type_name(&paren.elem),
        other => other.to_token_stream().to_string(),
    }
}

/// `crate::__private::open_enum!(Name { A => "a", B => "b" })`: the values of `Name`'s variants.
fn open_enum_values(api: &mut Api, item: &syn::ItemMacro) {
    if item.mac.path.segments.last().is_none_or(|segment| segment.ident != "open_enum") {
        return;
    }
    let tokens: Vec<proc_macro2::TokenTree> = item.mac.tokens.clone().into_iter().collect();
    let [proc_macro2::TokenTree::Ident(name), proc_macro2::TokenTree::Group(body), ..] = tokens.as_slice() else {
        return;
    };
    let Some(TypeDef::Enum(definition)) = api.types.get_mut(&name.to_string()) else { return };
    let body: Vec<proc_macro2::TokenTree> = body.stream().into_iter().collect();
    for (index, token) in body.iter().enumerate() {
        let proc_macro2::TokenTree::Ident(variant) = token else { continue };
        // `Variant => "value"`: the literal two tokens on (`=` and `>` are separate punctuation).
        let Some(proc_macro2::TokenTree::Literal(literal)) = body.get(index + 3) else { continue };
        let Ok(value) = syn::parse_str::<syn::LitStr>(&literal.to_string()) else { continue };
        if let Some(found) = definition.variants.iter_mut().find(|found| *variant == found.name) {
            found.value = Some(value.value());
        }
    }
}

/// `OPERATIONS`: operation id → `METHOD /path`.
fn operation_table(items: &[syn::Item]) -> BTreeMap<String, String> {
    let mut table = BTreeMap::new();
    for item in items {
        let syn::Item::Const(item) = item else { continue };
        if item.ident != "OPERATIONS" {
            continue;
        }
        let syn::Expr::Reference(reference) = item.expr.as_ref() else { continue };
        let syn::Expr::Array(array) = reference.expr.as_ref() else { continue };
        for row in &array.elems {
            let syn::Expr::Tuple(tuple) = row else { continue };
            let strings: Vec<String> = tuple
                .elems
                .iter()
                .filter_map(|element| match element {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
                    _ => None,
                })
                .collect();
            if let [id, method, path, ..] = strings.as_slice() {
                table.insert(id.clone(), format!("{method} {path}"));
            }
        }
    }
    table
}

fn operations(file: &syn::File, api: &Api) -> BTreeMap<String, Operation> {
    let table = operation_table(&file.items);
    // Builder name → `Client` method.
    let methods = otc_codegen::dispatch::client_methods(file);
    let mut found = BTreeMap::new();
    for item in items_of(&file.items, "builder") {
        let syn::Item::Impl(item_impl) = item else { continue };
        let syn::Type::Path(self_ty) = item_impl.self_ty.as_ref() else { continue };
        let Some(builder) = self_ty.path.segments.last().map(|segment| segment.ident.to_string()) else { continue };
        let Some(method) = methods.get(&builder) else { continue };
        let functions: Vec<&syn::ImplItemFn> = item_impl
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(function) => Some(function),
                _ => None,
            })
            .collect();
        let Some(send) = functions.iter().find(|function| function.sig.ident == "send") else { continue };
        let id = operation_id(send).unwrap_or_else(|| builder.clone());
        let inits = functions.iter().find(|function| function.sig.ident == "new").map(|new| initial_values(new));
        let setters = functions
            .iter()
            .filter_map(|function| {
                let ty = type_name(&otc_codegen::dispatch::try_into_target(&function.sig)?);
                let name = function.sig.ident.to_string();
                let init = match inits.as_ref().and_then(|inits| inits.get(&name)).map(String::as_str) {
                    Some(expression) if expression.contains("path_parameter") => Init::Runtime,
                    Some(expression) if expression.starts_with("Err") => Init::Required,
                    Some(expression) if expression.contains("Default") && has_required_field(api, &ty) => {
                        Init::RequiredBody
                    }
                    _ => Init::Optional,
                };
                Some(Setter { name, ty, init })
            })
            .collect();
        let returns = match &send.sig.output {
            syn::ReturnType::Type(_, ty) => success_type(ty),
            syn::ReturnType::Default => "()".to_owned(),
        };
        let request_line = table.get(&id).cloned().unwrap_or_default();
        found.insert(id, Operation { method: method.to_string(), request_line, setters, returns });
    }
    found
}

fn has_required_field(api: &Api, ty: &str) -> bool {
    matches!(api.types.get(ty), Some(TypeDef::Struct(fields)) if fields.iter().any(|field| !field.optional()))
}

/// `OperationInfo { operation_id: "RegisterImage" }` in `send()`.
fn operation_id(send: &syn::ImplItemFn) -> Option<String> {
    let tokens = send.block.to_token_stream().to_string();
    let rest = &tokens[tokens.find("operation_id : \"")? + "operation_id : \"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Field name → initial value expression (as tokens) of the builder's `new()`.
fn initial_values(new: &syn::ImplItemFn) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for statement in &new.block.stmts {
        let syn::Stmt::Expr(syn::Expr::Struct(expression), _) = statement else { continue };
        for field in &expression.fields {
            if let syn::Member::Named(name) = &field.member {
                values.insert(ident_name(name), field.expr.to_token_stream().to_string());
            }
        }
    }
    values
}

/// `Result<ResponseValue<types::X>, crate::Error>` → `ResponseValue<X>`.
fn success_type(ty: &syn::Type) -> String {
    if let syn::Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Result"
        && let syn::PathArguments::AngleBracketed(arguments) = &last.arguments
        && let Some(syn::GenericArgument::Type(success)) = arguments.args.first()
    {
        return type_name(success);
    }
    type_name(ty)
}
