//! A mutable walk over every schema of a typed document, for the passes that rewrite schemas.

use openapiv3::{
    MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response,
    Schema, SchemaKind, Type,
};

/// Calls `visit` on every inline schema: components, parameters, bodies, responses, and all
/// nested schemas (properties, items, additionalProperties, allOf/oneOf/anyOf/not).
/// `$ref`s are not followed, so each schema is visited exactly once.
pub fn for_each_schema_mut(spec: &mut OpenAPI, visit: &mut dyn FnMut(&mut Schema)) {
    if let Some(components) = &mut spec.components {
        for schema in components.schemas.values_mut() {
            walk(schema, visit);
        }
        for parameter in components.parameters.values_mut() {
            parameter_schemas(parameter, visit);
        }
        for body in components.request_bodies.values_mut() {
            body_schemas(body, visit);
        }
        for response in components.responses.values_mut() {
            response_schemas(response, visit);
        }
    }
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for parameter in &mut item.parameters {
            parameter_schemas(parameter, visit);
        }
        for operation in operations_mut(item) {
            for parameter in &mut operation.parameters {
                parameter_schemas(parameter, visit);
            }
            if let Some(body) = &mut operation.request_body {
                body_schemas(body, visit);
            }
            if let Some(response) = &mut operation.responses.default {
                response_schemas(response, visit);
            }
            for response in operation.responses.responses.values_mut() {
                response_schemas(response, visit);
            }
        }
    }
}

/// An operation's request body, a `#/components/requestBodies/…` reference followed.
pub fn request_body<'a>(
    components: Option<&'a openapiv3::Components>,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    match body {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            components?.request_bodies.get(name)?.as_item()
        }
    }
}

/// The operations of a path item, mutably.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

fn parameter_schemas(parameter: &mut ReferenceOr<Parameter>, visit: &mut dyn FnMut(&mut Schema)) {
    if let ReferenceOr::Item(parameter) = parameter {
        let data = match parameter {
            Parameter::Query { parameter_data, .. }
            | Parameter::Header { parameter_data, .. }
            | Parameter::Path { parameter_data, .. }
            | Parameter::Cookie { parameter_data, .. } => parameter_data,
        };
        match &mut data.format {
            ParameterSchemaOrContent::Schema(schema) => walk(schema, visit),
            ParameterSchemaOrContent::Content(content) => content.values_mut().for_each(|m| media_schemas(m, visit)),
        }
    }
}

fn body_schemas(body: &mut ReferenceOr<RequestBody>, visit: &mut dyn FnMut(&mut Schema)) {
    if let ReferenceOr::Item(body) = body {
        body.content.values_mut().for_each(|media| media_schemas(media, visit));
    }
}

fn response_schemas(response: &mut ReferenceOr<Response>, visit: &mut dyn FnMut(&mut Schema)) {
    if let ReferenceOr::Item(response) = response {
        response.content.values_mut().for_each(|media| media_schemas(media, visit));
    }
}

fn media_schemas(media: &mut MediaType, visit: &mut dyn FnMut(&mut Schema)) {
    if let Some(schema) = &mut media.schema {
        walk(schema, visit);
    }
}

fn walk(schema: &mut ReferenceOr<Schema>, visit: &mut dyn FnMut(&mut Schema)) {
    if let ReferenceOr::Item(schema) = schema {
        walk_schema(schema, visit);
    }
}

fn walk_boxed(schema: &mut ReferenceOr<Box<Schema>>, visit: &mut dyn FnMut(&mut Schema)) {
    if let ReferenceOr::Item(schema) = schema {
        walk_schema(schema, visit);
    }
}

fn walk_schema(schema: &mut Schema, visit: &mut dyn FnMut(&mut Schema)) {
    visit(schema);
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for property in object.properties.values_mut() {
                walk_boxed(property, visit);
            }
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) = &mut object.additional_properties {
                walk(extra, visit);
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(items) = &mut array.items {
                walk_boxed(items, visit);
            }
        }
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            list.iter_mut().for_each(|child| walk(child, visit));
        }
        SchemaKind::Not { not } => walk(not, visit),
        SchemaKind::Any(any) => {
            for property in any.properties.values_mut() {
                walk_boxed(property, visit);
            }
            if let Some(items) = &mut any.items {
                walk_boxed(items, visit);
            }
            for list in [&mut any.one_of, &mut any.all_of, &mut any.any_of] {
                list.iter_mut().for_each(|child| walk(child, visit));
            }
            if let Some(not) = &mut any.not {
                walk(not, visit);
            }
        }
        SchemaKind::Type(_) => {}
    }
}
