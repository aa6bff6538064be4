//! typify generates closed enums: a value the server adds tomorrow fails the whole response's
//! decoding, and RegisterImage's documented `"arch": "x86_64"` (outside the documented
//! `X86_64`/`AARCH64`) fails today. This pass makes every string enum open: typed variants for
//! the documented values plus `Unrecognized(String)` holding any other value verbatim, which
//! encodes back unchanged. Display, `FromStr` (infallible), `From<&str>`/`From<String>` and the
//! serde impls all go through one `as_str`/`from` pair, so they cannot disagree.
//!
//! Variant names keep the digit groups a value separates: typify makes `X8664` of `X86_64`;
//! this pass names it `X86_64` (and renames every path to it).
//!
//! The impls themselves are written once in the runtime crate (`crate::__private::open_enum!`);
//! this pass emits one invocation with the enum's value table after each enum.

use std::collections::HashMap;

use heck::ToPascalCase;

use proc_macro2::Ident;
use quote::format_ident;
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, Item, ItemEnum, LitStr, Path, Token, Type};

/// The catch-all variant's name.
const CATCH_ALL: &str = "Unrecognized";

pub fn run(file: &mut syn::File) -> Result<(), String> {
    let Some(items) = super::types_module(file) else { return Ok(()) };
    let mut opened = Vec::new();
    let mut renamed_variants = HashMap::new();
    for item in items.iter_mut() {
        let Item::Enum(item_enum) = item else { continue };
        let Some(values) = string_enum_values(item_enum) else { continue };
        if item_enum.variants.iter().any(|variant| variant.ident == CATCH_ALL) {
            return Err(format!(
                "enum `{}` has a documented value named like the catch-all variant `{CATCH_ALL}`",
                item_enum.ident
            ));
        }
        let values = readable_variants(item_enum, values, &mut renamed_variants);
        open(item_enum);
        opened.push((item_enum.ident.clone(), values));
    }
    if opened.is_empty() {
        return Ok(());
    }
    rename_variant_paths(items, &renamed_variants);
    // Looked up by name: a scan per item made this pass quadratic in the number of enums.
    let tables: HashMap<String, &[(Ident, String)]> =
        opened.iter().map(|(name, values)| (name.to_string(), values.as_slice())).collect();
    items.retain(|item| !is_replaced_conversion(item, &tables));
    // Each enum's value table goes right after it, so a reader (and a PR diff) sees them together.
    let mut arranged = Vec::with_capacity(items.len() + opened.len());
    let mut invoked = 0;
    for item in items.drain(..) {
        let conversions = match &item {
            Item::Enum(item_enum) => {
                tables.get(&item_enum.ident.to_string()).map(|values| conversions(&item_enum.ident, values))
            }
            _ => None,
        };
        arranged.push(item);
        if let Some(conversions) = conversions {
            arranged.push(conversions);
            invoked += 1;
        }
    }
    *items = arranged;
    if invoked != opened.len() {
        return Err(format!(
            "post-process pass `open_enums` opened {} enums but wrote {invoked} value tables",
            opened.len()
        ));
    }
    Ok(())
}

/// `(variant, wire value)` pairs when `item` is a serde string enum of unit variants.
fn string_enum_values(item: &ItemEnum) -> Option<Vec<(Ident, String)>> {
    let derives = derives(&item.attrs);
    let has = |name: &str| derives.iter().any(|path| path.segments.last().is_some_and(|s| s.ident == name));
    if !has("Serialize") || !has("Deserialize") || item.attrs.iter().any(|attr| attr.path().is_ident("serde")) {
        return None;
    }
    item.variants
        .iter()
        .map(|variant| {
            if !matches!(variant.fields, Fields::Unit) {
                return None;
            }
            let wire = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
            Some((variant.ident.clone(), wire))
        })
        .collect()
}

fn derives(attrs: &[Attribute]) -> Vec<Path> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated).ok())
        .flatten()
        .collect()
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
            }
            Ok(())
        });
    }
    rename
}

/// The variant name of a wire value: typify's PascalCase words, with `_` kept between two digit
/// groups the value separates (`X86_64`, not `X8664`).
pub(crate) fn variant_name(wire: &str) -> String {
    let mut name = String::new();
    for chunk in wire.split(|c: char| !c.is_alphanumeric()).filter(|chunk| !chunk.is_empty()) {
        let word = chunk.to_pascal_case();
        if name.ends_with(|c: char| c.is_ascii_digit()) && word.starts_with(|c: char| c.is_ascii_digit()) {
            name.push('_');
        }
        name.push_str(&word);
    }
    name
}

/// Renames the variants whose typify name ran digit groups together; records
/// `(enum, old) -> new` for the paths elsewhere in the module.
fn readable_variants(
    item: &mut ItemEnum,
    values: Vec<(Ident, String)>,
    renamed: &mut HashMap<(String, String), Ident>,
) -> Vec<(Ident, String)> {
    let mut readable = Vec::with_capacity(values.len());
    for ((old, wire), variant) in values.into_iter().zip(item.variants.iter_mut()) {
        let wanted = variant_name(&wire);
        // Only where typify ran digit groups together; its escapes of keywords (`Self_`) stay.
        let typify = old.to_string();
        let separates_digits = wanted != typify
            && !typify.contains('_')
            && wanted.replace('_', "") == typify
            && syn::parse_str::<Ident>(&wanted).is_ok();
        let new = if separates_digits {
            let new = format_ident!("{wanted}");
            renamed.insert((item.ident.to_string(), old.to_string()), new.clone());
            variant.ident = new.clone();
            new
        } else {
            old
        };
        readable.push((new, wire));
    }
    readable
}

/// Points `Enum::Old` (and `Self::Old` inside `impl Enum`) at the renamed variants.
fn rename_variant_paths(items: &mut [Item], renamed: &HashMap<(String, String), Ident>) {
    struct Rename<'a> {
        renamed: &'a HashMap<(String, String), Ident>,
        self_type: Option<String>,
    }
    impl syn::visit_mut::VisitMut for Rename<'_> {
        fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
            let previous = self.self_type.take();
            if let Type::Path(path) = item.self_ty.as_ref() {
                self.self_type = path.path.segments.last().map(|segment| segment.ident.to_string());
            }
            syn::visit_mut::visit_item_impl_mut(self, item);
            self.self_type = previous;
        }
        fn visit_path_mut(&mut self, path: &mut Path) {
            let count = path.segments.len();
            if count >= 2 {
                let owner = path.segments[count - 2].ident.to_string();
                let owner = if owner == "Self" { self.self_type.clone().unwrap_or_default() } else { owner };
                let variant = path.segments[count - 1].ident.to_string();
                if let Some(new) = self.renamed.get(&(owner, variant)) {
                    path.segments[count - 1].ident = new.clone();
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    if renamed.is_empty() {
        return;
    }
    let mut rename = Rename { renamed, self_type: None };
    for item in items {
        syn::visit_mut::VisitMut::visit_item_mut(&mut rename, item);
    }
}

/// Drops the serde derives and `Copy` (a `String` variant is not `Copy`), drops the variants'
/// serde attributes, and adds the catch-all variant.
fn open(item: &mut ItemEnum) {
    let kept: Vec<Path> = derives(&item.attrs)
        .into_iter()
        .filter(|path| {
            let last = path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default();
            !matches!(last.as_str(), "Serialize" | "Deserialize" | "Copy")
        })
        .collect();
    item.attrs.retain(|attr| !attr.path().is_ident("derive"));
    item.attrs.insert(0, syn::parse_quote!(#[derive(#(#kept),*)]));
    for variant in &mut item.variants {
        variant.attrs.retain(|attr| !attr.path().is_ident("serde"));
    }
    let catch_all = format_ident!("{CATCH_ALL}");
    item.variants.push(syn::parse_quote! {
        /// A value this client does not know (yet), kept exactly as received.
        #catch_all(::std::string::String)
    });
}

/// typify's `Display`, `FromStr` and `TryFrom<&str | &String | String>` for an opened enum.
fn is_replaced_conversion(item: &Item, names: &HashMap<String, &[(Ident, String)]>) -> bool {
    let Item::Impl(item_impl) = item else { return false };
    let Some((trait_path, _)) = &item_impl.trait_ else { return false };
    let Type::Path(self_ty) = item_impl.self_ty.as_ref() else { return false };
    if !self_ty.path.get_ident().is_some_and(|name| names.contains_key(&name.to_string())) {
        return false;
    }
    let trait_name = trait_path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default();
    matches!(trait_name.as_str(), "Display" | "FromStr" | "TryFrom")
}

/// `crate::__private::open_enum!(Name { Variant => "wire", ... });`
fn conversions(name: &Ident, values: &[(Ident, String)]) -> Item {
    let variants = values.iter().map(|(variant, _)| variant);
    let wires = values.iter().map(|(_, wire)| wire);
    syn::parse_quote! {
        crate::__private::open_enum!(#name { #(#variants => #wires),* });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(file: syn::File) -> String {
        let mut file = file;
        run(&mut file).unwrap();
        quote::quote!(#file).to_string()
    }

    #[test]
    fn opens_a_typify_enum_and_replaces_its_conversions() {
        let text = opened(syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, PartialEq)]
                pub enum Arch {
                    #[serde(rename = "X86_64")]
                    X8664,
                    #[serde(rename = "AARCH64")]
                    Aarch64,
                }
                impl ::std::fmt::Display for Arch { fn fmt(&self, f: &mut Formatter<'_>) -> Result { todo!() } }
                impl ::std::str::FromStr for Arch { type Err = E; fn from_str(v: &str) -> Result<Self, E> { todo!() } }
                impl ::std::convert::TryFrom<&str> for Arch { type Error = E; fn try_from(v: &str) -> Result<Self, E> { todo!() } }
                impl ::std::default::Default for Arch { fn default() -> Self { Arch::X8664 } }
            }
        });
        assert!(text.contains("# [derive (Clone , Debug , PartialEq)] pub enum Arch"), "{text}");
        assert!(text.contains("Unrecognized (:: std :: string :: String)"), "{text}");
        assert!(!text.contains("serde (rename"), "{text}");
        assert!(!text.contains("TryFrom"), "{text}");
        assert!(!text.contains("todo"), "{text}");
        assert!(text.contains("impl :: std :: default :: Default for Arch"), "kept: {text}");
        assert!(text.contains("Arch :: X86_64 }"), "the default names the renamed variant: {text}");
        assert!(
            text.contains(
                "crate :: __private :: open_enum ! (Arch { X86_64 => \"X86_64\" , Aarch64 => \"AARCH64\" }) ;"
            ),
            "{text}"
        );
    }

    #[test]
    fn variant_names_keep_separated_digit_groups_apart() {
        assert_eq!(variant_name("X86_64"), "X86_64");
        assert_eq!(variant_name("x86_64"), "X86_64");
        assert_eq!(variant_name("AARCH64"), "Aarch64");
        assert_eq!(variant_name("Red Hat"), "RedHat");
        assert_eq!(variant_name("32"), "32");
        assert_eq!(variant_name("CREATE_FAILED"), "CreateFailed");
        assert_eq!(variant_name("self"), "Self", "a keyword: `readable_variants` keeps typify's `Self_`");
    }

    #[test]
    fn leaves_tagged_and_data_enums_alone() {
        let text = opened(syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum Body { System(A), Data(B) }
            }
        });
        assert!(!text.contains("Unrecognized"), "{text}");
        assert!(!text.contains("open_enum"), "{text}");
    }

    #[test]
    fn a_documented_value_named_like_the_catch_all_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum Status { Unrecognized, Known }
            }
        };
        assert!(run(&mut file).unwrap_err().contains("Unrecognized"));
    }
}
