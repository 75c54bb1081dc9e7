//! State where it matters: what the mock remembers between calls, and how each
//! operation changes it. Every answer starts from the operation's documented success
//! example; the fields that depend on the request or on the state are filled in.
//!
//! - MagicPayments: wallets (from the spec's balance and profile examples) whose
//!   balances move when a withdrawal is created; transactions found again by `order`
//!   or `transaction` (`get_status`, refunds, chargebacks, cancels); a second
//!   transaction with the same `order` is refused.
//! - MediaCube: batches by `request_id`; the same `request_id` again answers the first
//!   batch's answer and pays nothing twice (the docs' reconcile rule says to resend with
//!   the same `request_id`).
//! - Paymob: disbursements.
//! - Billon: payouts with ids; `cancel_payouts` answers how many of the ids exist and
//!   were not cancelled yet, and marks them cancelled.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::auth::Tokens;
use crate::spec::{Answer, Checked, Problem, Route, Spec};
use crate::Provider;

/// The MagicPayments wallet of the spec's `wallet_uuid` example.
pub(crate) const EXAMPLE_WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

/// A money-moving call the mock processed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Record {
    /// The operation (`create_withdrawal`).
    pub operation: String,
    /// The request's reference: the fields the spec's `x-payspec-moves-money.reference`
    /// names, with the values received (`order` = `"payout-42"`).
    pub reference: Vec<(String, String)>,
    /// The answer the mock gave (or would have given, when it was lost).
    pub response: Value,
}

impl Record {
    /// The value received for the reference field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.reference.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str())
    }
}

struct Wallet {
    uuid: String,
    currency: String,
    balance: Decimal,
    active: Decimal,
    current: Decimal,
    frozen: Decimal,
    payout: Decimal,
}

impl Wallet {
    fn json(&self) -> Value {
        json!({
            "uuid": self.uuid, "currency": self.currency, "balance": self.balance.to_string(),
            "detailed": {
                "active": self.active.to_string(), "current": self.current.to_string(),
                "frozen": self.frozen.to_string(), "payout": self.payout.to_string(),
            },
        })
    }
}

struct Transaction {
    wallet: String,
    amount: Decimal,
    /// As answered (the spec's `Transaction`).
    value: Value,
}

/// Everything the mock remembers.
pub(crate) struct State {
    provider: Provider,
    pub(crate) tokens: Tokens,
    pub(crate) records: Vec<Record>,
    next_id: i64,
    wallets: Vec<Wallet>,
    transactions: Vec<Transaction>,
    /// MediaCube batches, Paymob disbursements, Billon payouts: as kept.
    kept: Vec<Value>,
    projects: Vec<String>,
    recipients: Vec<String>,
}

impl State {
    /// The state a fresh mock of `provider` starts with: for MagicPayments, the wallets
    /// and transactions of the spec's examples.
    pub(crate) fn new(provider: Provider, spec: &Spec) -> Self {
        let mut state = Self {
            provider,
            tokens: Tokens::new(),
            records: Vec::new(),
            next_id: 1,
            wallets: Vec::new(),
            transactions: Vec::new(),
            kept: Vec::new(),
            projects: Vec::new(),
            recipients: Vec::new(),
        };
        if provider == Provider::MagicPayments {
            state.seed_magicpayments(spec);
        }
        state
    }

    fn seed_magicpayments(&mut self, spec: &Spec) {
        let example = |id: &str| spec.route(id).map(|route| spec.success_body(route)).unwrap_or(Value::Null);
        let balance = example("get_balance");
        let wallet = |uuid: &str, currency: &str, total: &str, detailed: &Value| {
            let amount = |key: &str, default: &str| Decimal::from_str(detailed[key].as_str().unwrap_or(default)).unwrap_or_default();
            Wallet {
                uuid: uuid.to_string(),
                currency: currency.to_string(),
                balance: Decimal::from_str(total).unwrap_or_default(),
                active: amount("active", total),
                current: amount("current", total),
                frozen: amount("frozen", "0.00"),
                payout: amount("payout", total),
            }
        };
        for listed in example("get_profile").as_array().into_iter().flatten() {
            let uuid = listed["uuid"].as_str().unwrap_or_default();
            let detailed = if balance["uuid"] == uuid { &balance["detailed"] } else { &Value::Null };
            let total = listed["balance"].as_str().unwrap_or("0.00");
            self.wallets.push(wallet(uuid, listed["currency"].as_str().unwrap_or("RUB"), total, detailed));
        }
        let (currency, total) = (balance["currency"].as_str().unwrap_or("RUB"), balance["balance"].as_str().unwrap_or("0.00"));
        self.wallets.push(wallet(EXAMPLE_WALLET, currency, total, &balance["detailed"]));
        // The documented transaction, in the example wallet; the history rows, in the
        // balance example's wallet.
        let transaction = example("get_status");
        self.transactions.push(Transaction {
            wallet: EXAMPLE_WALLET.to_string(),
            amount: decimal(&transaction["amount"]).unwrap_or_default(),
            value: transaction,
        });
        for row in example("get_history")["data"].as_array().into_iter().flatten() {
            let amount = Decimal::from_str(row["amount"].as_str().unwrap_or("0")).unwrap_or_default();
            let mut value = row.clone();
            value["amount"] = number(amount);
            value["order"] = Value::Null;
            let wallet = balance["uuid"].as_str().unwrap_or(EXAMPLE_WALLET).to_string();
            self.transactions.push(Transaction { wallet, amount, value });
        }
    }

    /// Processes a checked request for `route`: the documented success answer with the
    /// state applied, or the documented error.
    pub(crate) fn handle(&mut self, spec: &Spec, route: &Route, request: &Checked) -> Answer {
        let result = match self.provider {
            Provider::MagicPayments => self.magicpayments(spec, route, request),
            Provider::MediaCube => self.mediacube(spec, route, request),
            Provider::Paymob => self.paymob(spec, route, request),
            Provider::Billon => self.billon(spec, route, request),
        };
        match result {
            Ok(body) => Answer::ok(body),
            Err(problem) => spec.refusal(route, &problem),
        }
    }

    fn record(&mut self, route: &Route, request: &Checked, response: &Value) {
        let reference = route
            .reference
            .iter()
            .flatten()
            .filter_map(|name| {
                let value = request.body.get(name).filter(|value| !value.is_null())?;
                let text = value.as_str().map_or_else(|| value.to_string(), String::from);
                Some((name.clone(), text))
            })
            .collect();
        self.records.push(Record { operation: route.id.clone(), reference, response: response.clone() });
    }

    fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id - 1
    }

    /// What the mock keeps, as JSON (see [`crate::MockServer::state`]).
    pub(crate) fn snapshot(&self) -> Value {
        match self.provider {
            Provider::MagicPayments => json!({
                "wallets": self.wallets.iter().map(Wallet::json).collect::<Vec<_>>(),
                "transactions": self.transactions.iter().map(|transaction| {
                    let mut value = transaction.value.clone();
                    value["wallet"] = json!(transaction.wallet);
                    value
                }).collect::<Vec<_>>(),
            }),
            Provider::MediaCube => json!({ "batches": self.kept }),
            Provider::Paymob => json!({ "disbursements": self.kept }),
            Provider::Billon => json!({ "payouts": self.kept, "projects": self.projects }),
        }
    }

    fn magicpayments(&mut self, spec: &Spec, route: &Route, request: &Checked) -> Result<Value, Problem> {
        let body = &request.body;
        if route.id == "get_profile" {
            let wallets = self.wallets.iter().map(|wallet| {
                json!({ "uuid": wallet.uuid, "currency": wallet.currency, "balance": wallet.balance.to_string() })
            });
            return Ok(Value::Array(wallets.collect()));
        }
        let wallet = request.params.get("wallet_uuid").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(index) = self.wallets.iter().position(|known| known.uuid.eq_ignore_ascii_case(&wallet)) else {
            let known: Vec<&str> = self.wallets.iter().map(|wallet| wallet.uuid.as_str()).collect();
            return Err(Problem::new("wallet_uuid", format!("no wallet {wallet} in payspec-mock (it has {})", known.join(", "))));
        };
        let wallet = self.wallets[index].uuid.clone();
        match route.id.as_str() {
            "get_balance" => Ok(self.wallets[index].json()),
            "get_history" => self.history(spec, route, request, &wallet),
            "create_withdrawal" | "create_invoice" => {
                let payout = route.id == "create_withdrawal";
                let amount = decimal(&body["amount"]).ok_or_else(|| Problem::new("amount", "the amount is not a decimal number"))?;
                let order = body["order"].as_str();
                if let Some(order) = order {
                    if self.find(&wallet, None, Some(order)).is_some() {
                        let message = format!("a transaction with order {order:?} exists already: look it up with get_status");
                        return Err(Problem::new("order", message));
                    }
                }
                let mut answer = spec.success_body(route);
                answer["status"] = json!("success");
                answer["amount"] = body["amount"].clone();
                answer["total"] = body["amount"].clone();
                answer["comission"] = json!(0);
                if body["calculate"] == true {
                    // A calculation: nothing is created.
                    answer.as_object_mut().map(|answer| answer.remove("transaction"));
                    return Ok(answer);
                }
                let card = if payout { body["card"].as_str() } else { body["card"]["pan"].as_str() };
                let kind = if payout { "payout" } else { "payin" };
                let transaction = self.create(spec, &wallet, kind, order, &body["amount"], amount, card);
                if payout {
                    let wallet = &mut self.wallets[index];
                    wallet.balance -= amount;
                    wallet.current -= amount;
                    wallet.payout -= amount;
                }
                answer["transaction"] = transaction;
                self.record(route, request, &answer);
                Ok(answer)
            }
            "create_refund" | "create_chargeback" => {
                let original = self.lookup(&wallet, body)?;
                let (order, amount) = (original.value["order"].as_str().map(String::from), original.amount);
                let kind = if route.id == "create_refund" { "refund" } else { "chargeback" };
                let answer = self.create(spec, &wallet, kind, order.as_deref(), &number(amount), amount, None);
                self.record(route, request, &answer);
                Ok(answer)
            }
            "cancel_invoice" => {
                let invoice = self.lookup_mut(&wallet, body)?;
                let (kind, status) = (invoice.value["type_alias"].clone(), invoice.value["status_transaction"].clone());
                if kind != "payin" || status != "created" {
                    let message = format!("only a created invoice can be cancelled; this transaction is a {kind} in status {status}");
                    return Err(Problem::new("transaction", message));
                }
                invoice.value["status_transaction"] = json!("error");
                invoice.value["last_error"] = json!("cancelled by the merchant");
                let answer = invoice.value.clone();
                self.record(route, request, &answer);
                Ok(answer)
            }
            "mark_invoice_paid" => {
                let invoice = self.lookup_mut(&wallet, body)?;
                invoice.value["status_transaction"] = json!("working");
                Ok(invoice.value.clone())
            }
            "list_dispute_messages" => self.lookup(&wallet, body).map(|_| spec.success_body(route)),
            // get_status, send_additional_data, open_dispute, send_dispute_message
            _ if body.get("order").is_some() || body.get("transaction").is_some() => {
                self.lookup(&wallet, body).map(|transaction| transaction.value.clone())
            }
            _ => Ok(spec.success_body(route)),
        }
    }

    /// A new transaction in `wallet`, from the spec's example transaction.
    #[allow(clippy::too_many_arguments)]
    fn create(&mut self, spec: &Spec, wallet: &str, kind: &str, order: Option<&str>, amount: &Value, exact: Decimal, card: Option<&str>) -> Value {
        let mut value = spec.route("get_status").map(|route| spec.success_body(route)).unwrap_or_else(|| json!({}));
        let currency = self.wallets.iter().find(|known| known.uuid == wallet).map(|known| known.currency.clone());
        value["uuid"] = json!(uuid::Uuid::new_v4().to_string());
        value["order"] = json!(order);
        value["currency"] = json!(currency);
        value["status_transaction"] = json!("created");
        value["created_at"] = json!(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
        value["amount"] = amount.clone();
        value["total"] = amount.clone();
        value["type_alias"] = json!(kind);
        value["card_mask"] = json!(card.map(card_mask));
        self.transactions.push(Transaction { wallet: wallet.to_string(), amount: exact, value: value.clone() });
        value
    }

    fn find(&self, wallet: &str, transaction: Option<&str>, order: Option<&str>) -> Option<usize> {
        self.transactions.iter().position(|known| {
            known.wallet == wallet
                && transaction.is_none_or(|uuid| known.value["uuid"].as_str().is_some_and(|known| known.eq_ignore_ascii_case(uuid)))
                && order.is_none_or(|order| known.value["order"] == order)
        })
    }

    /// The transaction a `TransactionReference`-like body names.
    fn position(&self, wallet: &str, body: &Value) -> Result<usize, Problem> {
        let (transaction, order) = (body["transaction"].as_str(), body["order"].as_str());
        self.find(wallet, transaction, order).ok_or_else(|| {
            let (field, value) = match (transaction, order) {
                (Some(uuid), _) => ("transaction", uuid),
                (None, order) => ("order", order.unwrap_or_default()),
            };
            Problem::new(field, format!("no transaction with {field} {value:?} in wallet {wallet}"))
        })
    }

    fn lookup(&self, wallet: &str, body: &Value) -> Result<&Transaction, Problem> {
        self.position(wallet, body).map(|index| &self.transactions[index])
    }

    fn lookup_mut(&mut self, wallet: &str, body: &Value) -> Result<&mut Transaction, Problem> {
        self.position(wallet, body).map(|index| &mut self.transactions[index])
    }

    /// One page of `wallet`'s transactions, newest first, in the example page's shape.
    fn history(&self, spec: &Spec, route: &Route, request: &Checked, wallet: &str) -> Result<Value, Problem> {
        let date = |name: &str| -> Result<Option<chrono::NaiveDate>, Problem> {
            let Some(text) = request.params.get(name).and_then(Value::as_str) else { return Ok(None) };
            chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y")
                .map(Some)
                .map_err(|_| Problem::new(name, format!("{name} must be a date formatted d.m.Y (04.03.2022), not {text:?}")))
        };
        let (from, to) = (date("date_from")?, date("date_to")?);
        let rows: Vec<Value> = self
            .transactions
            .iter()
            .rev()
            .filter(|transaction| transaction.wallet == wallet)
            .filter(|transaction| {
                let created = transaction.value["created_at"].as_str().and_then(|at| at.get(..10));
                let created = created.and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
                from.is_none_or(|from| created.is_some_and(|day| day >= from)) && to.is_none_or(|to| created.is_some_and(|day| day <= to))
            })
            .map(|transaction| {
                let value = &transaction.value;
                json!({
                    "uuid": value["uuid"], "currency": value["currency"], "status_transaction": value["status_transaction"],
                    "created_at": value["created_at"], "amount": transaction.amount.to_string(),
                })
            })
            .collect();
        let mut page = spec.success_body(route);
        let per_page = page["per_page"].as_u64().unwrap_or(50).max(1) as usize;
        let current = request.params.get("page").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
        let last = rows.len().div_ceil(per_page).max(1);
        let data: Vec<Value> = rows.iter().skip((current - 1) * per_page).take(per_page).cloned().collect();
        let first_row = (current - 1) * per_page + 1;
        let mut fields = Map::new();
        fields.insert("current_page".into(), json!(current));
        fields.insert("last_page".into(), json!(last));
        fields.insert("total".into(), json!(rows.len()));
        fields.insert("from".into(), if data.is_empty() { Value::Null } else { json!(first_row) });
        fields.insert("to".into(), if data.is_empty() { Value::Null } else { json!(first_row + data.len() - 1) });
        fields.insert("next_page_url".into(), Value::Null);
        fields.insert("data".into(), Value::Array(data));
        for (key, value) in fields {
            page[key] = value;
        }
        Ok(page)
    }

    fn mediacube(&mut self, spec: &Spec, route: &Route, request: &Checked) -> Result<Value, Problem> {
        if !route.moves_money() {
            return Ok(spec.success_body(route));
        }
        let request_id = request.body["request_id"].as_str().unwrap_or_default();
        if let Some(batch) = self.kept.iter().find(|batch| batch["request_id"] == request_id) {
            if batch["operation"] != route.id.as_str() {
                let message = format!("request_id {request_id} was used for {} already", batch["operation"]);
                return Err(Problem::new("request_id", message));
            }
            // The same batch again: its first answer, and nothing is paid twice.
            return Ok(batch["response"].clone());
        }
        let count = request.body["data"].as_array().map_or(0, Vec::len);
        let transactions: Vec<Value> = (0..count)
            .map(|_| {
                let id = self.next_id();
                json!({ "id": id, "invoice_path": format!("/api/transactions/{id}/invoice") })
            })
            .collect();
        let mut answer = spec.success_body(route);
        answer["data"]["request_id"] = json!(request_id);
        answer["data"]["status"] = json!(2);
        answer["data"]["err_msg"] = Value::Null;
        answer["data"]["transactions"] = Value::Array(transactions);
        self.kept.push(json!({ "operation": route.id, "request_id": request_id, "data": request.body["data"], "response": answer }));
        self.record(route, request, &answer);
        Ok(answer)
    }

    fn paymob(&mut self, spec: &Spec, route: &Route, request: &Checked) -> Result<Value, Problem> {
        let answer = spec.success_body(route);
        if route.moves_money() {
            let id = self.next_id();
            let body = &request.body;
            self.kept.push(json!({
                "id": id, "msisdn": body["msisdn"], "amount": body["amount"], "fees": body["fees"],
                "disbursement_status": answer["disbursement_status"],
            }));
            self.record(route, request, &answer);
        }
        Ok(answer)
    }

    fn billon(&mut self, spec: &Spec, route: &Route, request: &Checked) -> Result<Value, Problem> {
        let body = &request.body;
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        match route.id.as_str() {
            "create_payout" => {
                let id = self.next_id();
                let name = body["name"].as_str().unwrap_or_default().to_string();
                let project = index_of(&mut self.projects, name);
                let recipient = ["userName", "phoneNumber", "referenceId"]
                    .iter()
                    .find_map(|field| body[*field].as_str().map(|value| format!("{field}={value}")))
                    .unwrap_or_default();
                let recipient = index_of(&mut self.recipients, recipient);
                let payout = json!({
                    "amount": body["amount"], "id": id, "currency": body["currency"], "startDate": body["startDate"],
                    "endDate": body["endDate"], "description": body["description"], "notification": body["notification"],
                    "status": "READY", "recipientId": recipient, "projectId": project, "updatedAt": now, "createdAt": now,
                });
                let mut kept = payout.clone();
                kept["name"] = body["name"].clone();
                self.kept.push(kept);
                let mut answer = spec.success_body(route);
                answer["payments"] = json!([payout]);
                self.record(route, request, &answer);
                Ok(answer)
            }
            "cancel_payouts" => {
                let ids: Vec<i64> = body["ids"].as_array().into_iter().flatten().filter_map(Value::as_i64).collect();
                let mut cancelled = 0;
                for payout in self.kept.iter_mut() {
                    let id = payout["id"].as_i64().unwrap_or_default();
                    if ids.contains(&id) && payout["status"] != "CANCELLED" {
                        payout["status"] = json!("CANCELLED");
                        payout["updatedAt"] = json!(now);
                        cancelled += 1;
                    }
                }
                let mut answer = spec.success_body(route);
                answer["success"] = json!(cancelled);
                self.record(route, request, &answer);
                Ok(answer)
            }
            _ => Ok(spec.success_body(route)),
        }
    }
}

/// The 1-based position of `value` in `list`, added when new.
fn index_of(list: &mut Vec<String>, value: String) -> usize {
    match list.iter().position(|known| *known == value) {
        Some(index) => index + 1,
        None => {
            list.push(value);
            list.len()
        }
    }
}

/// A JSON amount (a number or a decimal string) as an exact decimal.
fn decimal(value: &Value) -> Option<Decimal> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)).ok()
}

/// `amount` as a JSON number.
fn number(amount: Decimal) -> Value {
    serde_json::from_str(&amount.to_string()).unwrap_or(Value::Null)
}

/// A card number as providers mask it: its first six and last four digits.
fn card_mask(card: &str) -> String {
    let digits: String = card.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 12 {
        return "****".to_string();
    }
    format!("{}******{}", &digits[..6], &digits[digits.len() - 4..])
}
