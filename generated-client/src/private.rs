//! What the generated modules call: code written, linted and tested once here instead of being
//! emitted into every generated file (`#[doc(hidden)]`; not part of the public API).

use std::marker::PhantomData;

pub use crate::decode::{json, optional_json};

/// Percent-encodes a path parameter into exactly one path segment (RFC 3986 unreserved
/// characters stay), refusing values no URL can carry as a segment: an empty segment, `.` and
/// `..` would be resolved away by the URL parser (even as `%2E%2E`), sending the call to
/// another resource.
pub fn encode_path(segment: &str) -> Result<String, String> {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    match segment {
        "" | "." | ".." => Err(format!("path parameter `{segment}` cannot be sent as a URL path segment")),
        _ => Ok(percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()),
    }
}

/// Decodes an open string enum from any string; known values decode without allocating.
pub struct OpenEnumVisitor<T>(PhantomData<T>);

impl<T> Default for OpenEnumVisitor<T> {
    fn default() -> Self {
        OpenEnumVisitor(PhantomData)
    }
}

impl<'de, T> serde::de::Visitor<'de> for OpenEnumVisitor<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// The conversions of an open string enum (the codegen pass `open_enums` makes every string
/// enum open: the documented values plus `Unrecognized(String)`): `as_str`, `Display`,
/// `From<&str>`, `From<String>`, infallible `FromStr` and serde, all through one value table so
/// they cannot disagree.
///
/// `open_enum!(Arch { X86_64 => "x86_64", Aarch64 => "aarch64" });` Exported (hidden) so that
/// generated code compiles wherever it is included, as the codegen edge-case test does.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unrecognized(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unrecognized(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::__private::OpenEnumVisitor::default())
            }
        }
    };
}
pub use __open_enum as open_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_strictly_encoded_and_dot_segments_refused() {
        assert_eq!(encode_path("a b/c?d#e%f").unwrap(), "a%20b%2Fc%3Fd%23e%25f");
        assert_eq!(encode_path("Az09-._~").unwrap(), "Az09-._~");
        assert_eq!(encode_path("größe").unwrap(), "gr%C3%B6%C3%9Fe");
        assert_eq!(encode_path("...").unwrap(), "...");
        for refused in ["", ".", ".."] {
            assert!(encode_path(refused).unwrap_err().contains("cannot be sent"), "{refused:?}");
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Arch {
        X86_64,
        Aarch64,
        Unrecognized(String),
    }
    open_enum!(Arch { X86_64 => "x86_64", Aarch64 => "aarch64" });

    #[test]
    fn an_open_enum_round_trips_known_and_unknown_values_alike() {
        for (wire, value) in [
            ("x86_64", Arch::X86_64),
            ("aarch64", Arch::Aarch64),
            ("riscv64", Arch::Unrecognized("riscv64".into())),
            ("X86_64", Arch::Unrecognized("X86_64".into())),
        ] {
            let json = format!("\"{wire}\"");
            assert_eq!(serde_json::from_str::<Arch>(&json).unwrap(), value);
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert_eq!(value.to_string(), wire);
            assert_eq!(wire.parse::<Arch>().unwrap(), value);
            assert_eq!(Arch::from(wire.to_owned()), value);
        }
        assert!(serde_json::from_str::<Arch>("7").unwrap_err().to_string().contains("a string"));
    }
}
