//! progenitor's builder interface turns on typify's struct builders for every type: each struct
//! gets a second, `Result`-per-field twin in `types::builder` with a setter per field, a
//! `Default`, and conversions both ways. For a request body that twin pays for itself: the
//! operation builder keeps the body in it (`body_map`) and users build bodies field by field.
//! For a type that only ever comes back from the server, nobody builds it, and the twin was
//! about half of every generated file.
//!
//! This pass keeps the builders of the types a request body can contain (the operation
//! builders' `types::builder::X` bodies and every type their fields and variants mention,
//! transitively) and removes the rest: per removed struct, its builder struct, the builder's
//! `Default`, setters and two conversions, and `X::builder()`. progenitor offers no setting for
//! this (the builder interface forces typify's `with_struct_builder(true)`), so it is a counted
//! pass: every removed type must lose exactly those six items, or regeneration fails naming it.

use std::collections::{BTreeSet, HashSet};

use syn::visit::Visit;
use syn::{Item, Type};

/// Items removed per response-only struct: in `types::builder` the struct, `Default`, the
/// setters' `impl`, `TryFrom<builder> for X` and `From<X> for builder`; in `types`, the
/// `impl X { fn builder() }`.
const ITEMS_PER_TYPE: usize = 6;

pub fn run(file: &mut syn::File) -> Result<(), String> {
    let roots = request_body_builders(file);
    let Some(types) = super::types_module(file) else { return Ok(()) };
    let reachable = reachable_types(types, roots);
    let Some(builders) = builder_module(types) else { return Ok(()) };
    let builder_structs: Vec<String> = builders
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    let pruned: HashSet<String> = builder_structs.into_iter().filter(|name| !reachable.contains(name)).collect();
    if pruned.is_empty() {
        return Ok(());
    }
    let mut removed: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    builders.retain(|item| match builder_item_type(item) {
        Some(name) if pruned.contains(&name) => {
            *removed.entry(name).or_default() += 1;
            false
        }
        _ => true,
    });
    let builders_left = !builders.is_empty();
    types.retain(|item| match builder_constructor_type(item) {
        Some(name) if pruned.contains(&name) => {
            *removed.entry(name).or_default() += 1;
            false
        }
        _ => true,
    });
    if !builders_left {
        types.retain(|item| !matches!(item, Item::Mod(module) if module.ident == "builder"));
    }
    let wrong: Vec<String> = pruned
        .iter()
        .filter(|name| removed.get(*name).copied().unwrap_or(0) != ITEMS_PER_TYPE)
        .map(|name| format!("{name} ({} items)", removed.get(name).copied().unwrap_or(0)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "post-process pass `struct_builders` expected to remove {ITEMS_PER_TYPE} items per response-only \
             type, but removed another number for: {}; typify's builder shape changed, adapt the pass",
            wrong.join(", ")
        ))
    }
}

/// `X` of every operation builder field `body: Result<types::builder::X, String>`.
fn request_body_builders(file: &syn::File) -> BTreeSet<String> {
    struct Find(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            let names: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
            if let [.., types, builder, name] = names.as_slice()
                && types == "types"
                && builder == "builder"
            {
                self.0.insert(name.clone());
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut find = Find(BTreeSet::new());
    for item in &file.items {
        if let Item::Mod(module) = item
            && module.ident == "builder"
        {
            find.visit_item_mod(module);
        }
    }
    find.0
}

/// `roots` and every type of the `types` module their definitions mention, transitively.
fn reachable_types(types: &[Item], roots: BTreeSet<String>) -> HashSet<String> {
    let defined: std::collections::HashMap<String, &Item> = types
        .iter()
        .filter_map(|item| {
            let name = match item {
                Item::Struct(item) => item.ident.to_string(),
                Item::Enum(item) => item.ident.to_string(),
                Item::Type(item) => item.ident.to_string(),
                _ => return None,
            };
            Some((name, item))
        })
        .collect();
    let mut reachable = HashSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !reachable.insert(name.clone()) {
            continue;
        }
        let Some(item) = defined.get(&name) else { continue };
        struct Mentions<'a>(&'a std::collections::HashMap<String, &'a Item>, Vec<String>);
        impl<'ast> Visit<'ast> for Mentions<'_> {
            fn visit_type(&mut self, ty: &'ast Type) {
                if let Type::Path(path) = ty
                    && let Some(last) = path.path.segments.last()
                    && self.0.contains_key(&last.ident.to_string())
                {
                    self.1.push(last.ident.to_string());
                }
                syn::visit::visit_type(self, ty);
            }
        }
        let mut mentions = Mentions(&defined, Vec::new());
        mentions.visit_item(item);
        pending.extend(mentions.1);
    }
    reachable
}

/// The items of `types::builder`.
fn builder_module(types: &mut [Item]) -> Option<&mut Vec<Item>> {
    types.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The type a `types::builder` item belongs to: its struct, an `impl` for it, or a conversion
/// between it and `super::X`.
fn builder_item_type(item: &Item) -> Option<String> {
    match item {
        Item::Struct(item) => Some(item.ident.to_string()),
        Item::Impl(item) => last_ident(&item.self_ty),
        _ => None,
    }
}

/// `X` of `impl X { pub fn builder() -> builder::X { .. } }` in `types`.
fn builder_constructor_type(item: &Item) -> Option<String> {
    let Item::Impl(item) = item else { return None };
    if item.trait_.is_some() || item.items.len() != 1 {
        return None;
    }
    let syn::ImplItem::Fn(function) = &item.items[0] else { return None };
    (function.sig.ident == "builder").then(|| last_ident(&item.self_ty)).flatten()
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub struct Body { pub inner: Option<Inner> }
                impl Body { pub fn builder() -> builder::Body { Default::default() } }
                pub struct Inner { pub id: String }
                impl Inner { pub fn builder() -> builder::Inner { Default::default() } }
                pub struct Shown { pub id: String }
                impl Shown { pub fn builder() -> builder::Shown { Default::default() } }
                pub mod builder {
                    pub struct Body { inner: Result<Option<super::Inner>, String> }
                    impl Default for Body { fn default() -> Self { todo!() } }
                    impl Body { pub fn inner(self) -> Self { self } }
                    impl TryFrom<Body> for super::Body { type Error = E; fn try_from(v: Body) -> R { todo!() } }
                    impl From<super::Body> for Body { fn from(v: super::Body) -> Self { todo!() } }
                    pub struct Inner { id: Result<String, String> }
                    impl Default for Inner { fn default() -> Self { todo!() } }
                    impl Inner { pub fn id(self) -> Self { self } }
                    impl TryFrom<Inner> for super::Inner { type Error = E; fn try_from(v: Inner) -> R { todo!() } }
                    impl From<super::Inner> for Inner { fn from(v: super::Inner) -> Self { todo!() } }
                    pub struct Shown { id: Result<String, String> }
                    impl Default for Shown { fn default() -> Self { todo!() } }
                    impl Shown { pub fn id(self) -> Self { self } }
                    impl TryFrom<Shown> for super::Shown { type Error = E; fn try_from(v: Shown) -> R { todo!() } }
                    impl From<super::Shown> for Shown { fn from(v: super::Shown) -> Self { todo!() } }
                }
            }
            pub mod builder {
                pub struct Create<'a> { body: Result<types::builder::Body, String> }
            }
        }
    }

    #[test]
    fn builders_of_request_bodies_and_what_they_hold_stay_the_rest_go() {
        let mut file = file();
        run(&mut file).unwrap();
        let text = quote::quote!(#file).to_string();
        assert!(text.contains("pub struct Body { inner"), "{text}");
        assert!(text.contains("pub struct Inner { id"), "a body's field type keeps its builder: {text}");
        assert!(text.contains("impl Inner { pub fn builder"), "{text}");
        assert!(!text.contains("Shown { id : Result"), "{text}");
        assert!(!text.contains("impl Shown { pub fn builder"), "{text}");
        assert!(!text.contains("for Shown"), "{text}");
        assert!(text.contains("pub struct Shown { pub id : String }"), "the type itself stays: {text}");
    }

    #[test]
    fn a_builder_of_another_shape_fails_naming_the_pass() {
        let mut file = file();
        let Some(types) = super::super::types_module(&mut file) else { panic!("types") };
        let builders = builder_module(types).unwrap();
        builders.retain(|item| !matches!(item, Item::Impl(item) if item.trait_.is_some() && last_ident(&item.self_ty).as_deref() == Some("Shown")));
        let error = run(&mut file).unwrap_err();
        assert!(error.contains("`struct_builders`") && error.contains("Shown (3 items)"), "{error}");
    }

    #[test]
    fn without_request_bodies_the_builder_module_goes() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Shown { pub id: String }
                impl Shown { pub fn builder() -> builder::Shown { Default::default() } }
                pub mod builder {
                    pub struct Shown { id: Result<String, String> }
                    impl Default for Shown { fn default() -> Self { todo!() } }
                    impl Shown { pub fn id(self) -> Self { self } }
                    impl TryFrom<Shown> for super::Shown { type Error = E; fn try_from(v: Shown) -> R { todo!() } }
                    impl From<super::Shown> for Shown { fn from(v: super::Shown) -> Self { todo!() } }
                }
            }
        };
        run(&mut file).unwrap();
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("mod builder"), "{text}");
    }
}
