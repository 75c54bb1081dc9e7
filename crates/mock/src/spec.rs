//! Spec-driven routing: the operations of a provider's spec as routes (method and path
//! template), their parameters and body checked against the spec's schemas, and the
//! documented answers (examples, error shapes) to answer with.

use std::collections::HashMap;

use http::Method;
use payspec_spec::json_schema::Validators;
use payspec_spec::openapi::{self, resolve};
use serde_json::{json, Map, Value};

/// One provider's spec, read once.
pub(crate) struct Spec {
    pub(crate) doc: Value,
    validators: Validators,
    pub(crate) routes: Vec<Route>,
}

/// One operation of the spec.
pub(crate) struct Route {
    /// Its `operationId`.
    pub(crate) id: String,
    method: Method,
    segments: Vec<Segment>,
    params: Vec<Param>,
    body: Option<Body>,
    responses: Vec<Response>,
    /// `x-payspec-moves-money.reference`, when it moves money.
    pub(crate) reference: Option<Vec<String>>,
    /// The name of the security scheme it uses (`None`: no credential).
    pub(crate) security: Option<String>,
    /// Some scheme names it as its token endpoint.
    pub(crate) token_endpoint: bool,
    /// `x-payspec-error` of its error schema: where the code and the message go.
    error_pointers: (Option<String>, Option<String>),
}

enum Segment {
    Literal(String),
    Param(String),
}

struct Param {
    name: String,
    in_path: bool,
    required: bool,
    schema: Value,
}

struct Body {
    form: bool,
    required: bool,
    schema: Value,
}

struct Response {
    /// `"200"`, `"4XX"`.
    key: String,
    schema: Value,
    examples: Vec<Example>,
}

/// A documented example answer.
#[derive(Clone)]
pub(crate) struct Example {
    pub(crate) name: String,
    summary: String,
    pub(crate) value: Value,
}

/// An answer to send: status, JSON body, extra headers.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub(crate) fn ok(body: Value) -> Self {
        Self { status: 200, body, headers: Vec::new() }
    }
}

/// Why the mock refuses a request: what, about which field.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub(crate) field: String,
    pub(crate) message: String,
    /// The error code to put at the error schema's code pointer, when it has none yet.
    pub(crate) code: Option<&'static str>,
    /// The status to refuse with (default: the documented error's).
    pub(crate) status: Option<u16>,
    /// It is about the credential: a documented error named like one (`access_denied`)
    /// is preferred to a validation error.
    pub(crate) credential: bool,
}

impl Problem {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), code: None, status: None, credential: false }
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn credential(mut self) -> Self {
        self.credential = true;
        self
    }

    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
}

/// A request's parameters and body, checked against the spec.
pub(crate) struct Checked {
    pub(crate) params: Map<String, Value>,
    pub(crate) body: Value,
}

/// No route for a request.
pub(crate) enum Miss {
    NotFound,
    MethodNotAllowed,
}

impl Spec {
    /// Reads `json` (a crate's `SPEC_JSON`).
    pub(crate) fn new(json: &str) -> Self {
        let doc: Value = serde_json::from_str(json).expect("SPEC_JSON is the JSON of a spec");
        let validators = Validators::for_spec(&doc);
        let token_endpoints: Vec<String> = doc["components"]["securitySchemes"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, scheme)| scheme["x-payspec-token-endpoint"].as_str().map(String::from))
            .collect();
        let mut routes: Vec<Route> = openapi::operations(&doc)
            .iter()
            .map(|operation| Route::new(&doc, operation, &token_endpoints))
            .collect();
        // Literal segments first: `/api/profile` before `/api/{wallet_uuid}`.
        routes.sort_by_key(|route| std::cmp::Reverse(route.literals()));
        Self { doc, validators, routes }
    }

    /// The route of `method path`, and its path parameters.
    pub(crate) fn find(&self, method: &Method, path: &str) -> Result<(&Route, HashMap<String, String>), Miss> {
        let mut path_matched = false;
        for route in &self.routes {
            if let Some(params) = route.matches(path) {
                if route.method == method {
                    return Ok((route, params));
                }
                path_matched = true;
            }
        }
        Err(if path_matched { Miss::MethodNotAllowed } else { Miss::NotFound })
    }

    /// The route of `operation_id`.
    pub(crate) fn route(&self, operation_id: &str) -> Option<&Route> {
        self.routes.iter().find(|route| route.id == operation_id)
    }

    /// Checks `route`'s parameters (from the path and `query`) and `body` against the
    /// spec's schemas.
    pub(crate) fn check(
        &self,
        route: &Route,
        path_params: &HashMap<String, String>,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Checked, Problem> {
        let query: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or_default())
            .map_err(|error| Problem::new("query", format!("the query string does not parse: {error}")))?;
        let mut params = Map::new();
        for param in &route.params {
            let text = if param.in_path {
                path_params.get(&param.name).cloned()
            } else {
                query.iter().find(|(name, _)| *name == param.name).map(|(_, value)| value.clone())
            };
            let Some(text) = text else {
                if param.required {
                    return Err(Problem::new(&param.name, format!("the parameter {} is required", param.name)));
                }
                continue;
            };
            let value = coerce(&self.doc, &param.schema, text);
            if let Some(problem) = self.validators.problems(&param.schema, &value).into_iter().next() {
                return Err(Problem::new(&param.name, format!("the parameter {}: {}", param.name, short(&problem))));
            }
            params.insert(param.name.clone(), value);
        }
        let body = match &route.body {
            None => Value::Null,
            Some(spec) if body.is_empty() => {
                if spec.required {
                    return Err(Problem::new("body", "the request body is required"));
                }
                Value::Null
            }
            Some(spec) => {
                let value = if spec.form {
                    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                        .map_err(|error| Problem::new("body", format!("the form body does not parse: {error}")))?;
                    let object = resolve(&self.doc, &spec.schema);
                    let fields = pairs.into_iter().map(|(name, text)| {
                        let value = coerce(&self.doc, &object["properties"][&name], text);
                        (name, value)
                    });
                    Value::Object(fields.collect())
                } else {
                    serde_json::from_slice(body)
                        .map_err(|error| Problem::new("body", format!("the body is not valid JSON: {error}")))?
                };
                if let Some(problem) = self.validators.problems(&spec.schema, &value).into_iter().next() {
                    if let Some(names) = one_of_required(resolve(&self.doc, &spec.schema)).filter(|_| problem.contains("anyOf")) {
                        let message = format!("the request does not match the spec: at least one of {} is required", names.join(", "));
                        return Err(Problem::new(names[0].clone(), message));
                    }
                    let field = field_of(&problem);
                    return Err(Problem::new(field, format!("the request does not match the spec: {}", short(&problem))));
                }
                value
            }
        };
        Ok(Checked { params, body })
    }

    /// `route`'s documented error with `problem` in it: its `4XX` example (one named
    /// like a validation error when there is one, or like an access error for a
    /// credential), the message where the error schema
    /// (`x-payspec-error`) puts it, and the message in the `x-payspec-mock-problem`
    /// header.
    pub(crate) fn refusal(&self, route: &Route, problem: &Problem) -> Answer {
        let errors = route.responses.iter().find(|response| response.key.starts_with('4'));
        let example = errors.and_then(|response| {
            let examples = &response.examples;
            let named = |words: &[&str]| examples.iter().find(|example| words.iter().any(|word| example.name.contains(word)));
            let preferred = if problem.credential { named(&["access", "auth", "denied"]) } else { None };
            preferred.or_else(|| named(&["validation"])).or(examples.first())
        });
        let status = problem.status.unwrap_or_else(|| match (errors, example) {
            (Some(response), Some(example)) => status_of(&response.key, &example.summary),
            (Some(response), None) => status_of(&response.key, ""),
            _ => 400,
        });
        let mut body = example.map_or_else(|| json!({}), |example| example.value.clone());
        let (code, message) = &route.error_pointers;
        if let Some(pointer) = message {
            let text = Value::String(problem.message.clone());
            let value = match body.pointer(pointer) {
                // A validation map: field -> messages.
                Some(Value::Object(_)) => json!({ problem.field.clone(): [text] }),
                _ => text,
            };
            set_pointer(&mut body, pointer, value);
        }
        if let (Some(pointer), Some(code)) = (code, problem.code) {
            if body.pointer(pointer).is_none() {
                set_pointer(&mut body, pointer, Value::String(code.to_string()));
            }
        }
        Answer {
            status,
            body,
            headers: vec![("x-payspec-mock-problem", problem.message.replace(['\r', '\n'], " "))],
        }
    }

    /// The documented example named `name` among `route`'s answers (errors first, then
    /// documented refusals under a success status), with its status.
    pub(crate) fn example(&self, route: &Route, name: &str) -> Option<Answer> {
        let errors = route.responses.iter().filter(|response| !response.key.starts_with('2'));
        let successes = route.responses.iter().filter(|response| response.key.starts_with('2'));
        errors.chain(successes).find_map(|response| {
            let example = response.examples.iter().find(|example| example.name == name)?;
            Some(Answer { status: status_of(&response.key, &example.summary), body: example.value.clone(), headers: Vec::new() })
        })
    }

    /// The names of `route`'s documented examples that are not its success example.
    pub(crate) fn error_names(&self, route: &Route) -> Vec<String> {
        let success = self.success_example(route);
        let errors = route.responses.iter().filter(|response| !response.key.starts_with('2'));
        let successes = route.responses.iter().filter(|response| response.key.starts_with('2'));
        let mut names: Vec<String> = Vec::new();
        for example in errors.chain(successes).flat_map(|response| &response.examples) {
            if !success.is_some_and(|success| std::ptr::eq(success, example)) && !names.contains(&example.name) {
                names.push(example.name.clone());
            }
        }
        names
    }

    /// `route`'s documented success example: the first of a success status whose body
    /// says success (`x-payspec-moves-money.success`) when the operation declares it.
    pub(crate) fn success_example<'a>(&self, route: &'a Route) -> Option<&'a Example> {
        let success = self.operation(route)["x-payspec-moves-money"]["success"].clone();
        let mut examples = route
            .responses
            .iter()
            .filter(|response| response.key.starts_with('2'))
            .flat_map(|response| response.examples.iter());
        let first = examples.clone().next();
        examples.find(|example| conditions_hold(&success, &example.value)).or(first)
    }

    /// The success example's body, or `{}`.
    pub(crate) fn success_body(&self, route: &Route) -> Value {
        self.success_example(route).map_or_else(|| json!({}), |example| example.value.clone())
    }

    /// The schema of `route`'s first success answer, resolved.
    pub(crate) fn success_schema<'a>(&'a self, route: &'a Route) -> &'a Value {
        route
            .responses
            .iter()
            .find(|response| response.key.starts_with('2'))
            .map_or(&Value::Null, |response| resolve(&self.doc, &response.schema))
    }

    /// The operation object of `route`.
    pub(crate) fn operation(&self, route: &Route) -> &Value {
        openapi::operations(&self.doc)
            .into_iter()
            .find(|operation| operation.id() == Some(route.id.as_str()))
            .map_or(&Value::Null, |operation| operation.value)
    }
}

impl Route {
    fn new(doc: &Value, operation: &openapi::Operation<'_>, token_endpoints: &[String]) -> Self {
        let value = operation.value;
        let id = operation.id().unwrap_or_default().to_string();
        let segments = operation
            .path
            .split('/')
            .map(|segment| match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(segment.to_string()),
            })
            .collect();
        let declared = operation.path_item["parameters"].as_array().into_iter().flatten();
        let params = declared
            .chain(value["parameters"].as_array().into_iter().flatten())
            .map(|param| resolve(doc, param))
            .filter(|param| matches!(param["in"].as_str(), Some("path" | "query")))
            .map(|param| Param {
                name: param["name"].as_str().unwrap_or_default().to_string(),
                in_path: param["in"] == "path",
                required: param["required"] == true,
                schema: param["schema"].clone(),
            })
            .collect();
        let body = value.get("requestBody").map(|body| resolve(doc, body)).and_then(|body| {
            let (media, content) = body["content"].as_object()?.iter().next()?;
            Some(Body {
                form: media == "application/x-www-form-urlencoded",
                required: body["required"] == true,
                schema: content["schema"].clone(),
            })
        });
        let responses: Vec<Response> = value["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, response)| {
                let response = resolve(doc, response);
                let media = response["content"].as_object().and_then(|content| content.values().next());
                let examples = media
                    .and_then(|media| media["examples"].as_object())
                    .into_iter()
                    .flatten()
                    .map(|(name, example)| {
                        let example = resolve(doc, example);
                        Example {
                            name: name.clone(),
                            summary: example["summary"].as_str().unwrap_or_default().to_string(),
                            value: example["value"].clone(),
                        }
                    })
                    .collect();
                Response {
                    key: key.clone(),
                    schema: media.map_or(Value::Null, |media| media["schema"].clone()),
                    examples,
                }
            })
            .collect();
        let error_schema = responses
            .iter()
            .find(|response| response.key.starts_with('4'))
            .map(|response| resolve(doc, &response.schema));
        let pointer = |name: &str| {
            error_schema.and_then(|schema| schema["x-payspec-error"][name].as_str()).map(String::from)
        };
        let error_pointers = (pointer("code"), pointer("message"));
        let security = value
            .get("security")
            .or(doc.get("security"))
            .and_then(Value::as_array)
            .and_then(|requirements| requirements.first())
            .and_then(Value::as_object)
            .and_then(|requirement| requirement.keys().next().cloned());
        let reference = value["x-payspec-moves-money"]["reference"].as_array().map(|names| {
            names.iter().filter_map(Value::as_str).map(String::from).collect()
        });
        Route {
            token_endpoint: token_endpoints.contains(&id),
            id,
            method: operation.method.to_uppercase().parse().unwrap_or(Method::GET),
            segments,
            params,
            body,
            responses,
            reference,
            security,
            error_pointers,
        }
    }

    /// Whether the operation moves money (`x-payspec-moves-money`).
    pub(crate) fn moves_money(&self) -> bool {
        self.reference.is_some()
    }

    fn literals(&self) -> usize {
        self.segments.iter().filter(|segment| matches!(segment, Segment::Literal(_))).count()
    }

    fn matches(&self, path: &str) -> Option<HashMap<String, String>> {
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = HashMap::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Param(name) if !part.is_empty() => {
                    params.insert(name.clone(), part.to_string());
                }
                _ => return None,
            }
        }
        Some(params)
    }
}

/// The status of an answer documented under `key`: the key itself (`"200"`), or for a
/// range (`"4XX"`) the status its example's summary names ("The docs' 422 example"),
/// else the range's first.
fn status_of(key: &str, summary: &str) -> u16 {
    if let Ok(status) = key.parse() {
        return status;
    }
    let class = key.chars().next().unwrap_or('4');
    let named = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 3 && word.starts_with(class))
        .find_map(|word| word.parse().ok());
    named.unwrap_or_else(|| class.to_digit(10).map_or(400, |digit| digit as u16 * 100))
}

/// `text` as the JSON value `schema` declares (an integer, a number, a boolean), or as
/// a string when it is not one (validation then says so).
fn coerce(doc: &Value, schema: &Value, text: String) -> Value {
    let typed = match resolve(doc, schema)["type"].as_str() {
        Some("integer") => text.parse::<i64>().ok().map(Value::from),
        Some("number") => text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number),
        Some("boolean") => text.parse::<bool>().ok().map(Value::Bool),
        _ => None,
    };
    typed.unwrap_or(Value::String(text))
}

/// The fields of an `anyOf` of `required` lists ("one of these fields"), when `schema`
/// has one.
fn one_of_required(schema: &Value) -> Option<Vec<String>> {
    let names: Option<Vec<String>> = schema["anyOf"]
        .as_array()?
        .iter()
        .map(|branch| branch["required"].as_array()?.first()?.as_str().map(String::from))
        .collect();
    names.filter(|names| !names.is_empty())
}

/// The request field a validation problem (`message at /pointer`) is about.
fn field_of(problem: &str) -> String {
    if let Some((_, pointer)) = problem.rsplit_once(" at /") {
        return pointer.split('/').next().unwrap_or("body").to_string();
    }
    // `"amount" is a required property`
    match problem.strip_prefix('"').and_then(|rest| rest.split_once('"')) {
        Some((name, rest)) if rest.contains("required") => name.to_string(),
        _ => "body".to_string(),
    }
}

/// A problem message cut to a readable length.
fn short(problem: &str) -> String {
    const LIMIT: usize = 300;
    match problem.char_indices().nth(LIMIT) {
        Some((at, _)) => format!("{}...", &problem[..at]),
        None => problem.to_string(),
    }
}

/// Sets the value at `pointer` (`/error/message`) in `target`, creating objects on
/// the way.
pub(crate) fn set_pointer(target: &mut Value, pointer: &str, value: Value) {
    let mut current = target;
    let keys: Vec<String> = pointer.split('/').skip(1).map(|key| key.replace("~1", "/").replace("~0", "~")).collect();
    for (index, key) in keys.iter().enumerate() {
        if !current.is_object() {
            *current = json!({});
        }
        let object = current.as_object_mut().expect("an object");
        if index + 1 == keys.len() {
            object.insert(key.clone(), value);
            return;
        }
        current = object.entry(key.clone()).or_insert_with(|| json!({}));
    }
}

/// Whether `value` satisfies the spec's conditions (`[{field, in | present | minimum}]`,
/// as in `x-payspec-moves-money.success` and `x-payspec-credential-rejected.body`); no
/// conditions hold for every value. `unless` is about the request and is not judged here.
pub(crate) fn conditions_hold(conditions: &Value, value: &Value) -> bool {
    conditions.as_array().into_iter().flatten().all(|condition| {
        let field = value.pointer(condition["field"].as_str().unwrap_or_default());
        if let Some(allowed) = condition["in"].as_array() {
            return field.is_some_and(|field| allowed.contains(field));
        }
        if let Some(present) = condition["present"].as_bool() {
            return field.is_some_and(|field| !field.is_null()) == present;
        }
        if let Some(minimum) = condition["minimum"].as_f64() {
            return field.and_then(Value::as_f64).is_some_and(|field| field >= minimum);
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_ranges_come_from_the_summary() {
        assert_eq!(status_of("200", ""), 200);
        assert_eq!(status_of("4XX", "The docs' 422 example."), 422);
        assert_eq!(status_of("4XX", "Error 3000 (status 3)"), 400);
        assert_eq!(status_of("5XX", ""), 500);
    }

    #[test]
    fn problems_name_their_field() {
        assert_eq!(field_of("\"amount\" is a required property"), "amount");
        assert_eq!(field_of("\"x\" is not of type \"number\" at /data/0/amount"), "data");
        assert_eq!(field_of("something else"), "body");
    }

    #[test]
    fn every_spec_routes_its_paths() {
        for provider in crate::Provider::ALL {
            let spec = Spec::new(provider.spec_json());
            assert!(!spec.routes.is_empty());
            for route in &spec.routes {
                assert!(!route.id.is_empty());
            }
        }
        let spec = Spec::new(crate::Provider::MagicPayments.spec_json());
        let wallet = &spec.doc["components"]["parameters"]["WalletUuid"]["schema"]["example"];
        assert_eq!(wallet, crate::state::EXAMPLE_WALLET, "the example wallet is the spec's");
        let (route, params) = spec.find(&Method::GET, "/api/profile").ok().expect("a route");
        assert_eq!(route.id, "get_profile");
        assert!(params.is_empty());
        let (route, params) = spec.find(&Method::GET, "/api/abc/balance").ok().expect("a route");
        assert_eq!((route.id.as_str(), params["wallet_uuid"].as_str()), ("get_balance", "abc"));
        assert!(matches!(spec.find(&Method::GET, "/api/abc/withdrawal"), Err(Miss::MethodNotAllowed)));
        assert!(matches!(spec.find(&Method::GET, "/nowhere"), Err(Miss::NotFound)));
        let withdrawal = spec.route("create_withdrawal").expect("a route");
        assert_eq!(spec.error_names(withdrawal), ["access_denied", "recurrent_not_supported", "validation"]);
        let billon = Spec::new(crate::Provider::Billon.spec_json());
        let payout = billon.route("create_payout").expect("a route");
        assert_eq!(billon.error_names(payout), ["documented"], "the error named like the success example");
        let paymob = Spec::new(crate::Provider::Paymob.spec_json());
        let disbursement = paymob.route("create_disbursement").expect("a route");
        assert_eq!(paymob.error_names(disbursement), ["token_expired", "validation_failed", "budget_exceeded_6061", "not_eligible_618"]);
    }
}
