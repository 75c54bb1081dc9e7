//! The generator settings: one set, the same for every provider.
//!
//! Provider-specific facts live in the specs. What a spec says with a `format` is mapped
//! here to a payspec-core type, so a money or secret field is typed the same way in every
//! crate; every enum is replaced by the one [`crate::emit::enums`] writes.

use progenitor::{GenerationSettings, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use schemars::schema::{InstanceType, SchemaObject, SingleOrVec};

use crate::model::Enum;

/// A JSON Schema shape (`type` + `format`) and the payspec-core type it becomes.
pub struct Conversion {
    /// The schema's `type`.
    pub instance_type: InstanceType,
    /// The schema's `format`.
    pub format: &'static str,
    /// The Rust type the generated code uses for it.
    pub rust_type: &'static str,
}

const fn string(format: &'static str, rust_type: &'static str) -> Conversion {
    Conversion {
        instance_type: InstanceType::String,
        format,
        rust_type,
    }
}

/// Every mapped shape. A schema matches when its `type` and `format` are exactly these
/// and it carries no other validation keyword (descriptions and examples are fine).
pub const CONVERSIONS: &[Conversion] = &[
    string("decimal", "::payspec_core::money::DecimalString"),
    Conversion {
        instance_type: InstanceType::Number,
        format: "decimal",
        rust_type: "::payspec_core::money::DecimalNumber",
    },
    string("card-number", "::payspec_core::secret::CardNumber"),
    string("account-number", "::payspec_core::secret::AccountNumber"),
    string("cvv", "::payspec_core::secret::Cvv"),
    string("pin", "::payspec_core::secret::Pin"),
    string("password", "::payspec_core::secret::Password"),
    string("client-secret", "::payspec_core::secret::ClientSecret"),
    string("api-key", "::payspec_core::secret::ApiKey"),
    string("access-token", "::payspec_core::secret::AccessToken"),
    string("refresh-token", "::payspec_core::secret::RefreshToken"),
    string("authorization-code", "::payspec_core::secret::AuthorizationCode"),
    string("card-token", "::payspec_core::secret::CardToken"),
    Conversion {
        instance_type: InstanceType::Object,
        format: "php-object",
        rust_type: "::payspec_core::lenient::PhpObject",
    },
];

/// The settings every provider is generated with: the positional interface (every
/// operation a method of `Client`), payspec-core's `Runtime` as the client's inner
/// value, the money and secret conversions, and `enums` replaced by their generated
/// open versions.
pub fn generation_settings(enums: &[Enum]) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(::payspec_core::Runtime<Provider>))
        .with_derive("PartialEq");
    for conversion in CONVERSIONS {
        settings.with_conversion(
            schema_of(conversion),
            conversion.rust_type,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for item in enums {
        let impls = if item.integer { vec![TypeImpl::Display] } else { vec![TypeImpl::Display, TypeImpl::FromStr] };
        settings.with_replacement(&item.name, &item.name, impls.into_iter());
    }
    settings
}

fn schema_of(conversion: &Conversion) -> SchemaObject {
    SchemaObject {
        instance_type: Some(SingleOrVec::Single(Box::new(conversion.instance_type))),
        format: Some(conversion.format.to_string()),
        ..SchemaObject::default()
    }
}
