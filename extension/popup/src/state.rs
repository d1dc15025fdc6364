//! The popup's whole state and every way it changes.
//!
//! The popup shows what the background worker last said (status, codes, ticket) next to what the
//! user is typing. Components render this state and dispatch [`Action`]s; nothing else changes
//! it. Answers from the worker arrive as actions too, so a poll that lands while the user types
//! merges into the state instead of overwriting the user's quantity, price or side.
//!
//! No type here derives `Debug`: the drafts hold a passphrase, an MPIN, an API key and a TOTP
//! secret while they are typed.

use std::rc::Rc;

use halo_extension_shared::messages::{
    AccountCode, AccountForm, AccountSummary, OrderForm, OrderOutcome, Status, TicketInfo,
    VaultState,
};
use halo_extension_shared::order_views::OrderReview;
use yew::Reducible;

use crate::format;

/// The fewest characters other than spaces the popup accepts in a new passphrase.
pub const MIN_PASSPHRASE_CHARS: usize = halo_core::vault::MIN_PASSPHRASE_CHARS;

/// Everything the popup knows and shows.
#[derive(Clone, PartialEq, Default)]
pub struct PopupState {
    /// The worker's last [`Status`]; `None` until it first answers.
    pub status: Option<Status>,
    /// A failure that belongs to no form: the worker unreachable, Lock or Pop out refused.
    pub general_error: Option<String>,
    /// The create-vault and unlock forms.
    pub vault: VaultDraft,
    /// The live codes.
    pub codes: Codes,
    /// Logins in flight and their failures.
    pub logins: Logins,
    /// The add-account form.
    pub account: AccountDraft,
    /// The endpoint setting.
    pub endpoint: EndpointDraft,
    /// The order ticket.
    pub ticket: Ticket,
}

/// The passphrase forms (create and unlock share the first field).
#[derive(Clone, PartialEq, Default)]
pub struct VaultDraft {
    /// The "Passphrase" input.
    pub passphrase: String,
    /// The "Repeat passphrase" input (create only).
    pub repeat: String,
    /// Whether the worker is deriving the key (Argon2 takes about a second).
    pub busy: bool,
    /// Why the last attempt failed, shown as given.
    pub error: Option<String>,
}

/// The current code of each account.
#[derive(Clone, PartialEq, Default)]
pub struct Codes {
    /// The last answer to `Codes`.
    pub list: Vec<AccountCode>,
    /// Why the last poll failed.
    pub error: Option<String>,
    /// The account whose code was just copied, for a short "Copied" notice.
    pub copied: Option<String>,
}

/// Logins started from the popup.
#[derive(Clone, PartialEq, Default)]
pub struct Logins {
    /// The account being logged in, if any.
    pub busy: Option<String>,
    /// The last failure: account id and the worker's message.
    pub error: Option<(String, String)>,
}

/// One field of the add-account form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AccountField {
    /// "Label".
    Label,
    /// "Client code".
    ClientCode,
    /// "MPIN".
    Mpin,
    /// "API key".
    ApiKey,
    /// "TOTP secret".
    TotpSecret,
    /// "Platform": `SMART_API` (empty means the same) or `SMART_API_M`.
    Platform,
    /// "Key created on": `YYYY-MM-DD`, empty meaning today.
    ApiKeyCreated,
}

/// The add-account form as typed.
#[derive(Clone, PartialEq, Default)]
pub struct AccountDraft {
    /// What the user typed, field by field.
    pub form: AccountFormText,
    /// Where its saving stands (on success the form is cleared).
    pub progress: SaveProgress,
    /// Whether the trader has typed in it since it was last saved or cleared, so that it stays
    /// in view when another window's save redraws this one.
    pub being_filled: bool,
}

/// Where the saving of a form stands: the same three facts for every form the worker saves.
#[derive(Clone, PartialEq, Default)]
pub struct SaveProgress {
    /// Whether the worker is saving it.
    pub busy: bool,
    /// Why the last save failed.
    pub error: Option<String>,
    /// Whether the last save succeeded.
    pub saved: bool,
}

impl SaveProgress {
    /// The user changed the form: an earlier "saved" no longer describes it.
    fn edited(&mut self) {
        self.saved = false;
    }

    /// The form was sent to the worker.
    fn started(&mut self) {
        *self = SaveProgress {
            busy: true,
            ..SaveProgress::default()
        };
    }

    /// The worker answered; true when the save succeeded.
    fn finished(&mut self, result: Result<(), String>) -> bool {
        let succeeded = result.is_ok();
        *self = SaveProgress {
            busy: false,
            error: result.err(),
            saved: succeeded,
        };
        succeeded
    }
}

/// The text of the add-account inputs.
#[derive(Clone, PartialEq, Default)]
pub struct AccountFormText {
    /// "Label".
    pub label: String,
    /// "Client code".
    pub client_code: String,
    /// "MPIN".
    pub mpin: String,
    /// "API key".
    pub api_key: String,
    /// "TOTP secret".
    pub totp_secret: String,
    /// "Platform".
    pub platform: String,
    /// "Key created on".
    pub api_key_created: String,
}

impl AccountFormText {
    /// The text of one field.
    pub fn get(&self, field: AccountField) -> &str {
        match field {
            AccountField::Label => &self.label,
            AccountField::ClientCode => &self.client_code,
            AccountField::Mpin => &self.mpin,
            AccountField::ApiKey => &self.api_key,
            AccountField::TotpSecret => &self.totp_secret,
            AccountField::Platform => &self.platform,
            AccountField::ApiKeyCreated => &self.api_key_created,
        }
    }

    fn set(&mut self, field: AccountField, text: String) {
        let slot = match field {
            AccountField::Label => &mut self.label,
            AccountField::ClientCode => &mut self.client_code,
            AccountField::Mpin => &mut self.mpin,
            AccountField::ApiKey => &mut self.api_key,
            AccountField::TotpSecret => &mut self.totp_secret,
            AccountField::Platform => &mut self.platform,
            AccountField::ApiKeyCreated => &mut self.api_key_created,
        };
        *slot = text;
    }

    /// The message to the worker; it trims and checks every field itself.
    pub fn to_message(&self) -> AccountForm {
        AccountForm {
            label: self.label.clone(),
            client_code: self.client_code.clone(),
            mpin: self.mpin.clone().into(),
            api_key: self.api_key.clone().into(),
            totp_secret: self.totp_secret.clone().into(),
            platform: self.platform.clone(),
            api_key_created: self.api_key_created.clone(),
        }
    }
}

/// The endpoint setting as typed.
#[derive(Clone, PartialEq, Default)]
pub struct EndpointDraft {
    /// The "Endpoint" input.
    pub url: String,
    /// Where its saving stands.
    pub progress: SaveProgress,
}

/// Buy or sell.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// Buy.
    #[default]
    Buy,
    /// Sell.
    Sell,
}

impl Side {
    /// Angel's spelling.
    pub fn as_wire(self) -> &'static str {
        match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        }
    }
}

/// The products, order types and validities the ticket offers are halo-core's own.
pub use halo_core::orders::{OrderType, Product, Validity};

/// The order ticket: the worker's view of the page plus the user's draft order.
#[derive(Clone, PartialEq)]
pub struct Ticket {
    /// The worker's last answer to `Ticket`.
    pub info: Option<TicketInfo>,
    /// Why the last poll failed.
    pub error: Option<String>,
    /// Exchange and token of the instrument the draft was made for.
    pub instrument_key: Option<(String, String)>,
    /// The side toggle.
    pub side: Side,
    /// The "Quantity" input.
    pub quantity: String,
    /// The "Price" input.
    pub price: String,
    /// Whether the user has typed in "Price"; from then on the LTP never overwrites it.
    pub price_edited: bool,
    /// The "Product" select.
    pub product: Product,
    /// The "Order type" select.
    pub order_type: OrderType,
    /// The "Trigger" input, for the stop-loss types.
    pub trigger: String,
    /// The "Validity" select.
    pub validity: Validity,
    /// Where the order is in its life.
    pub stage: OrderStage,
    /// Why the order could not be reviewed, placed or followed.
    pub order_error: Option<String>,
    /// The confirm line of the order last sent, shown beside its order id.
    pub sent_summary: Option<String>,
}

impl Default for Ticket {
    fn default() -> Self {
        Ticket {
            info: None,
            error: None,
            instrument_key: None,
            side: Side::Buy,
            quantity: "1".to_owned(),
            price: String::new(),
            price_edited: false,
            product: Product::Delivery,
            order_type: OrderType::Limit,
            trigger: String::new(),
            validity: Validity::Day,
            stage: OrderStage::Editing,
            order_error: None,
            sent_summary: None,
        }
    }
}

impl Ticket {
    /// The order to check while "Place order" waits for the worker.
    pub fn order_to_check(&self) -> Option<OrderForm> {
        match &self.stage {
            OrderStage::Checking(order) => Some(order.form.clone()),
            _ => None,
        }
    }

    /// The order to place once "Confirm" was pressed: set by the first press only.
    pub fn order_to_place(&self) -> Option<OrderForm> {
        match &self.stage {
            OrderStage::Sending(order) => Some(order.form.clone()),
            _ => None,
        }
    }
}

/// The life of one order in the popup.
#[derive(Clone, PartialEq)]
pub enum OrderStage {
    /// The user is filling in the ticket.
    Editing,
    /// "Place order" was pressed; the worker is checking the order against the instrument
    /// master (tick, lots, freeze limit) before it is shown for confirmation.
    Checking(ReviewedOrder),
    /// The order is frozen and shown in one line, waiting for "Confirm" or "Back".
    Confirming(ReviewedOrder),
    /// "Confirm" was pressed; the worker is placing it.
    Sending(ReviewedOrder),
    /// Angel accepted it; its status is followed until it is final.
    Placed(OrderOutcome),
}

/// A placed order whose status is read back until it is final.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowedOrder {
    /// The account it was placed through; only that account's session can read it.
    pub account_id: String,
    /// Angel's unique order id.
    pub unique_order_id: String,
}

/// An order as confirmed: what is sent, and the line that described it to the user.
#[derive(Clone, PartialEq)]
pub struct ReviewedOrder {
    /// The message to the worker.
    pub form: OrderForm,
    /// The worker's verdict once it checked the order: value, limit and any warning.
    pub review: Option<OrderReview>,
    /// "BUY 1 RELIANCE-EQ (NSE) at ₹2,945.50 LIMIT DELIVERY · value ₹2,945.50 · via Main
    /// (Z999999)".
    pub summary: String,
    /// "Price is 67% below the last price ₹151.90", when the limit price is more than 10%
    /// away from the last traded price.
    pub price_warning: Option<String>,
}

/// Every change the popup's state can undergo.
pub enum Action {
    /// The worker answered `Status`.
    StatusLoaded(Result<Status, String>),
    /// A failure that belongs to no form.
    GeneralError(String),

    /// The "Passphrase" input changed.
    EditPassphrase(String),
    /// The "Repeat passphrase" input changed.
    EditRepeat(String),
    /// Create or unlock was sent.
    VaultStarted,
    /// Create or unlock finished (or was refused before sending).
    VaultFinished(Result<(), String>),

    /// The worker answered `Codes`.
    CodesLoaded(Result<Vec<AccountCode>, String>),
    /// A code was copied to the clipboard (or copying failed).
    Copied(Result<String, String>),
    /// The "Copied" notice has been shown long enough.
    CopyNoticeOver,

    /// "Log in" was pressed for this account.
    LoginStarted(String),
    /// The login of this account finished.
    LoginFinished(String, Result<(), String>),
    /// This account's edit was saved: a login failure with its old values no longer applies.
    AccountSaved(String),

    /// An add-account input changed.
    EditAccount(AccountField, String),
    /// "Save account" was pressed.
    AccountStarted,
    /// Saving the account finished.
    AccountFinished(Result<(), String>),

    /// The "Endpoint" input changed.
    EditEndpoint(String),
    /// "Save endpoint" was pressed.
    EndpointStarted,
    /// Saving the endpoint finished.
    EndpointFinished(Result<(), String>),

    /// The worker answered `Ticket`.
    TicketLoaded(Result<TicketInfo, String>),
    /// "Buy" or "Sell" was pressed.
    SetSide(Side),
    /// The "Quantity" input changed.
    EditQuantity(String),
    /// The "Price" input changed.
    EditPrice(String),
    /// The "Product" select changed.
    SetProduct(Product),
    /// The "Order type" select changed.
    SetOrderType(OrderType),
    /// The "Trigger" input changed.
    EditTrigger(String),
    /// The "Validity" select changed.
    SetValidity(Validity),
    /// "Place order": check the draft, then show it for confirmation under this fresh
    /// confirmation id.
    Review(String),
    /// The worker answered `CheckOrder` for the order with this confirmation id.
    OrderChecked(String, Result<OrderReview, String>),
    /// "Back" from the confirmation.
    BackToTicket,
    /// "Confirm" was pressed: the order is to be sent, once, however often it is pressed.
    OrderSent,
    /// The worker answered `PlaceOrder`.
    OrderPlaced(Result<OrderOutcome, String>),
    /// The worker answered `OrderStatus`.
    OrderFollowed(Result<OrderOutcome, String>),
    /// "New order": back to an editable ticket after an order was placed.
    NewOrder,
}

impl Reducible for PopupState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

impl PopupState {
    /// Whether the vault is unlocked, so accounts, codes and the ticket may be shown.
    pub fn is_unlocked(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| s.vault == VaultState::Unlocked)
    }

    /// The account that places orders: the first one logged in.
    pub fn trading_account(&self) -> Option<&AccountSummary> {
        let status = self.status.as_ref()?;
        status.accounts.iter().find(|a| a.session.is_some())
    }

    /// The order to poll, while a placed order is not yet final.
    pub fn order_to_follow(&self) -> Option<FollowedOrder> {
        match &self.ticket.stage {
            OrderStage::Placed(outcome) if !is_final(outcome.status.as_deref()) => {
                Some(FollowedOrder {
                    account_id: outcome.account_id.clone(),
                    unique_order_id: outcome.unique_order_id.clone(),
                })
            }
            _ => None,
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::StatusLoaded(Ok(status)) => self.status_loaded(status),
            Action::StatusLoaded(Err(error)) | Action::GeneralError(error) => {
                self.general_error = Some(error);
            }

            Action::EditPassphrase(text) => self.vault.passphrase = text,
            Action::EditRepeat(text) => self.vault.repeat = text,
            Action::VaultStarted => {
                self.vault.busy = true;
                self.vault.error = None;
            }
            Action::VaultFinished(result) => {
                self.vault.busy = false;
                match result {
                    Ok(()) => self.vault = VaultDraft::default(),
                    Err(error) => self.vault.error = Some(error),
                }
            }

            Action::CodesLoaded(Ok(list)) => {
                self.codes.list = list;
                self.codes.error = None;
            }
            Action::CodesLoaded(Err(error)) => self.codes.error = Some(error),
            Action::Copied(Ok(account_id)) => self.codes.copied = Some(account_id),
            Action::Copied(Err(error)) => self.codes.error = Some(error),
            Action::CopyNoticeOver => self.codes.copied = None,

            Action::LoginStarted(account_id) => {
                self.logins.busy = Some(account_id);
                self.logins.error = None;
            }
            Action::LoginFinished(account_id, result) => {
                self.logins.busy = None;
                // "Log in first" on the ticket is no longer true once a login succeeded.
                let logged_in = result.is_ok();
                if logged_in && is_login_error(self.ticket.order_error.as_deref()) {
                    self.ticket.order_error = None;
                }
                self.logins.error = result.err().map(|error| (account_id, error));
            }
            Action::AccountSaved(account_id) => {
                if self
                    .logins
                    .error
                    .as_ref()
                    .is_some_and(|(id, _)| *id == account_id)
                {
                    self.logins.error = None;
                }
            }

            Action::EditAccount(field, text) => {
                self.account.form.set(field, text);
                self.account.progress.edited();
                self.account.being_filled = true;
            }
            Action::AccountStarted => self.account.progress.started(),
            Action::AccountFinished(result) => {
                if self.account.progress.finished(result) {
                    self.account.form = AccountFormText::default();
                    self.account.being_filled = false;
                }
            }

            Action::EditEndpoint(text) => {
                self.endpoint.url = text;
                self.endpoint.progress.edited();
            }
            Action::EndpointStarted => self.endpoint.progress.started(),
            Action::EndpointFinished(result) => {
                if self.endpoint.progress.finished(result) {
                    self.endpoint.url.clear();
                    // What the old endpoint said (a master it could not download) is no
                    // longer true; the ticket is asked again at once.
                    self.ticket.info = None;
                    self.ticket.error = None;
                }
            }

            Action::TicketLoaded(Ok(info)) => self.ticket_loaded(info),
            Action::TicketLoaded(Err(error)) => self.ticket.error = Some(error),
            Action::SetSide(side) => self.ticket.side = side,
            Action::EditQuantity(text) => self.ticket.quantity = text,
            Action::EditPrice(text) => {
                self.ticket.price = text;
                self.ticket.price_edited = true;
            }
            Action::SetProduct(product) => self.ticket.product = product,
            Action::SetOrderType(order_type) => self.ticket.order_type = order_type,
            Action::EditTrigger(text) => self.ticket.trigger = text,
            Action::SetValidity(validity) => self.ticket.validity = validity,
            Action::Review(confirmation_id) => self.review(confirmation_id),
            Action::OrderChecked(confirmation_id, result) => {
                self.order_checked(&confirmation_id, result);
            }
            Action::BackToTicket => self.ticket.stage = OrderStage::Editing,
            // Only a confirm step waiting for its click moves on: the clicks that follow in the
            // same turn find the order already sending and change nothing.
            Action::OrderSent => {
                if let OrderStage::Confirming(order) = &self.ticket.stage {
                    self.ticket.sent_summary = Some(order.summary.clone());
                    self.ticket.stage = OrderStage::Sending(order.clone());
                    self.ticket.order_error = None;
                }
            }
            Action::OrderPlaced(Ok(outcome)) => self.ticket.stage = OrderStage::Placed(outcome),
            Action::OrderPlaced(Err(error)) => {
                self.ticket.stage = OrderStage::Editing;
                self.ticket.order_error = Some(error);
            }
            Action::OrderFollowed(Ok(outcome)) => {
                let same = matches!(&self.ticket.stage,
                    OrderStage::Placed(shown) if shown.unique_order_id == outcome.unique_order_id);
                if let (true, OrderStage::Placed(shown)) = (same, &self.ticket.stage) {
                    // The details route knows nothing of other orders under the same tag: the
                    // duplicates found at placement stay on screen.
                    let duplicates = match outcome.duplicates.is_empty() {
                        true => shown.duplicates.clone(),
                        false => outcome.duplicates,
                    };
                    self.ticket.stage = OrderStage::Placed(OrderOutcome {
                        duplicates,
                        ..outcome
                    });
                    self.ticket.order_error = None;
                }
            }
            Action::OrderFollowed(Err(error)) => self.ticket.order_error = Some(error),
            Action::NewOrder => {
                self.ticket.stage = OrderStage::Editing;
                self.ticket.order_error = None;
            }
        }
    }

    fn status_loaded(&mut self, status: Status) {
        // Locking (here or in another Halo window) must not leave codes, drafts or the ticket
        // of the unlocked vault on screen.
        if status.vault != VaultState::Unlocked {
            self.codes = Codes::default();
            self.logins = Logins::default();
            self.account = AccountDraft::default();
            self.endpoint = EndpointDraft::default();
            self.ticket = Ticket::default();
        }
        // A login failure is over once that account is logged in (by Validate, or in
        // another window).
        if let Some((failed, _)) = &self.logins.error {
            let logged_in = status
                .accounts
                .iter()
                .any(|a| a.id == *failed && a.session.is_some());
            if logged_in {
                self.logins.error = None;
            }
        }
        self.status = Some(status);
        self.general_error = None;
    }

    fn ticket_loaded(&mut self, info: TicketInfo) {
        // An answer that was on its way while the endpoint changed describes the old one.
        let current = self.status.as_ref().map(|status| status.endpoint.as_str());
        if !info.endpoint.is_empty() && current.is_some_and(|current| current != info.endpoint) {
            return;
        }
        let ticket = &mut self.ticket;
        let key = info
            .instrument
            .as_ref()
            .map(|i| (i.exchange.clone(), i.token.clone()));

        // A new instrument (the user turned to another chart) starts a new draft: a price
        // typed for one symbol means nothing for the next. The side is kept.
        if key != ticket.instrument_key {
            ticket.instrument_key = key;
            ticket.quantity = "1".to_owned();
            ticket.price.clear();
            ticket.price_edited = false;
            ticket.trigger.clear();
            // So does a refusal of the draft (a value limit, a tick): it was about the old one.
            if ticket.stage == OrderStage::Editing {
                ticket.order_error = None;
            }
        }
        // The segment decides the products: shares are not carried forward, options are not
        // delivered. A product the new instrument does not offer gives way to its first.
        let products = info.instrument.as_ref().map(|i| i.products.clone());
        if let Some(first) = products.as_ref().and_then(|p| p.first()) {
            let offered = products
                .iter()
                .flatten()
                .any(|p| p == ticket.product.as_wire());
            if !offered {
                ticket.product = Product::from_wire(first).unwrap_or(ticket.product);
            }
        }

        let ltp_paise = info.ltp.and_then(format::rupees_to_paise);
        if let Some(paise) = ltp_paise.filter(|_| !ticket.price_edited && ticket.price.is_empty()) {
            ticket.price = format::paise_plain(paise);
        }

        // A later report on the order an error was about settles it; both on screen would
        // contradict each other ("most likely not placed" above "reached Angel after all").
        if let Some(tag) = ticket.order_error.as_deref().and_then(order_tag_in)
            && info.order_notes.iter().any(|note| note.contains(tag))
        {
            ticket.order_error = None;
        }
        ticket.info = Some(info);
        ticket.error = None;
    }

    fn review(&mut self, confirmation_id: String) {
        if self.ticket.stage != OrderStage::Editing {
            return;
        }
        match self.reviewed_order(confirmation_id) {
            Ok(order) => {
                self.ticket.stage = OrderStage::Checking(order);
                self.ticket.order_error = None;
            }
            Err(problem) => self.ticket.order_error = Some(problem),
        }
    }

    fn order_checked(&mut self, confirmation_id: &str, result: Result<OrderReview, String>) {
        let OrderStage::Checking(order) = &self.ticket.stage else {
            return;
        };
        if order.form.confirmation_id != confirmation_id {
            return;
        }
        match result {
            Ok(review) => {
                let order = ReviewedOrder {
                    review: Some(review),
                    ..order.clone()
                };
                self.ticket.stage = OrderStage::Confirming(order);
            }
            Err(problem) => {
                self.ticket.stage = OrderStage::Editing;
                self.ticket.order_error = Some(problem);
            }
        }
    }

    fn reviewed_order(&self, confirmation_id: String) -> Result<ReviewedOrder, String> {
        let ticket = &self.ticket;
        let instrument = ticket
            .info
            .as_ref()
            .and_then(|info| info.instrument.as_ref())
            .ok_or("There is no instrument to trade: open a chart first.")?;
        let account = self.trading_account().ok_or("Log in first.")?;
        let quantity = format::parse_quantity(&ticket.quantity)?;
        let order_type = ticket.order_type;
        let price_paise = match order_type.has_limit() {
            true => format::parse_price_paise(&ticket.price)?,
            false => 0,
        };
        let trigger_paise = match order_type.has_trigger() {
            true => format::parse_price_paise(&ticket.trigger).map_err(|error| {
                match ticket.trigger.contains(',') {
                    true => error,
                    false => "Enter a trigger price in rupees, such as 2940.00.".to_owned(),
                }
            })?,
            false => 0,
        };

        let units = u64::from(quantity) * u64::from(instrument.lot_size.max(1));
        let amount = if instrument.lot_size > 1 {
            let lots = if quantity == 1 { "lot" } else { "lots" };
            format!("{quantity} {lots} ({units} units)")
        } else {
            quantity.to_string()
        };
        let pricing = match order_type {
            OrderType::Limit => format!("at ₹{} LIMIT", format::paise_grouped(price_paise)),
            OrderType::StopLossLimit => format!(
                "at ₹{} STOPLOSS_LIMIT trigger ₹{}",
                format::paise_grouped(price_paise),
                format::paise_grouped(trigger_paise)
            ),
            OrderType::StopLossMarket => format!(
                "at market STOPLOSS_MARKET trigger ₹{}",
                format::paise_grouped(trigger_paise)
            ),
            OrderType::Market => "at market MARKET".to_owned(),
        };
        let validity = match ticket.validity {
            Validity::Day => String::new(),
            other => format!(" {}", other.as_wire()),
        };
        // A market order's value is the worker's to estimate from the last price.
        let value_price = if order_type.has_limit() {
            price_paise
        } else {
            trigger_paise
        };
        let value = match units.checked_mul(value_price) {
            Some(0) => String::new(),
            Some(value) => format!(" · value ₹{}", format::paise_grouped(value)),
            None => {
                return Err(
                    "That order's value is too large; check the quantity and the price.".to_owned(),
                );
            }
        };
        let summary = format!(
            "{side} {amount} {symbol} ({exchange}) {pricing} {product}{validity}{value} \
             · via {label} ({client_code})",
            side = ticket.side.as_wire(),
            symbol = instrument.trading_symbol,
            exchange = instrument.exchange,
            product = ticket.product.as_wire(),
            label = account.label,
            client_code = account.client_code,
        );
        let form = OrderForm {
            account_id: account.id.clone(),
            exchange: instrument.exchange.clone(),
            token: instrument.token.clone(),
            side: ticket.side.as_wire().to_owned(),
            quantity: quantity.to_string(),
            price: format::paise_plain(price_paise),
            product: ticket.product.as_wire().to_owned(),
            order_type: order_type.as_wire().to_owned(),
            trigger_price: match order_type.has_trigger() {
                true => format::paise_plain(trigger_paise),
                false => String::new(),
            },
            duration: ticket.validity.as_wire().to_owned(),
            confirmation_id,
        };
        let price_warning = ticket
            .info
            .as_ref()
            .and_then(|info| info.ltp)
            .and_then(format::rupees_to_paise)
            .and_then(|ltp| format::far_from_last_price(price_paise, ltp));
        Ok(ReviewedOrder {
            form,
            summary,
            price_warning,
            review: None,
        })
    }
}

/// Checks a new passphrase before the worker spends a second of Argon2 on it.
pub fn check_new_passphrase(
    passphrase: &halo_core::vault::PassphraseForms,
    repeat: &str,
) -> Result<(), String> {
    if let Err(weak) = halo_core::vault::check_new_passphrase(passphrase) {
        return Err(format!("{weak}."));
    }
    if passphrase.as_typed() != repeat {
        return Err("The two passphrases differ: type the same one twice.".to_owned());
    }
    Ok(())
}

/// The order tag an error names as "(tag halo-...)", if any.
fn order_tag_in(error: &str) -> Option<&str> {
    let (_, after) = error.split_once("(tag ")?;
    let (tag, _) = after.split_once(')')?;
    tag.starts_with("halo-").then_some(tag)
}

/// Whether a ticket error says to log in: the worker's "This account is not logged in. Log in
/// first." or the popup's own "Log in first.".
fn is_login_error(error: Option<&str>) -> bool {
    error.is_some_and(|error| error.contains("Log in first"))
}

/// Whether an order status from the order book is final, so polling can stop.
pub fn is_final(status: Option<&str>) -> bool {
    status.is_some_and(|s| {
        let s = s.trim().to_ascii_lowercase();
        s == "complete" || s == "rejected" || s == "cancelled"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use halo_extension_shared::messages::{InstrumentSummary, SessionSummary};

    fn reliance(ltp: Option<f64>) -> TicketInfo {
        TicketInfo {
            page_symbol: Some("NSE:RELIANCE".to_owned()),
            source: Some("header".to_owned()),
            instrument: Some(InstrumentSummary {
                exchange: "NSE".to_owned(),
                trading_symbol: "RELIANCE-EQ".to_owned(),
                token: "2885".to_owned(),
                lot_size: 1,
                tick_paise: 10,
                products: Vec::new(),
            }),
            problem: None,
            ltp,
            endpoint: String::new(),
            candidates: Vec::new(),
            warning: None,
            order_notes: Vec::new(),
        }
    }

    fn nifty_future() -> TicketInfo {
        TicketInfo {
            page_symbol: Some("NFO:NIFTY26DECFUT".to_owned()),
            source: Some("header".to_owned()),
            instrument: Some(InstrumentSummary {
                exchange: "NFO".to_owned(),
                trading_symbol: "NIFTY26DECFUT".to_owned(),
                token: "35001".to_owned(),
                lot_size: 75,
                tick_paise: 10,
                products: Vec::new(),
            }),
            problem: None,
            ltp: Some(26010.0),
            endpoint: String::new(),
            candidates: Vec::new(),
            warning: None,
            order_notes: Vec::new(),
        }
    }

    fn unlocked(logged_in: bool) -> PopupState {
        let session = logged_in.then(|| SessionSummary {
            name: "Demo Trader".to_owned(),
            since_unix_ms: 1_764_750_000_000.0,
        });
        let status = Status {
            vault: VaultState::Unlocked,
            accounts: vec![
                AccountSummary {
                    id: "acct-1".to_owned(),
                    label: "Spare".to_owned(),
                    client_code: "Z111111".to_owned(),
                    session: None,
                    publisher: false,
                    api_key_notice: None,
                    own_redirect_url: None,
                },
                AccountSummary {
                    id: "acct-2".to_owned(),
                    label: "Main".to_owned(),
                    client_code: "DEMO01".to_owned(),
                    session,
                    publisher: false,
                    api_key_notice: Some("API key is 7 months old; rotate it soon".to_owned()),
                    own_redirect_url: None,
                },
            ],
            endpoint: "http://127.0.0.1:8931".to_owned(),
        };
        let mut state = PopupState::default();
        state.apply(Action::StatusLoaded(Ok(status)));
        state
    }

    /// "Place order" and the worker's check passing, as the ticket's effects would run them.
    fn review_and_pass_check(state: &mut PopupState, confirmation_id: &str) {
        state.apply(Action::Review(confirmation_id.to_owned()));
        let passed = Ok(OrderReview::default());
        state.apply(Action::OrderChecked(confirmation_id.to_owned(), passed));
    }

    #[test]
    fn price_is_filled_from_ltp_once_and_never_over_typing() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        assert_eq!(state.ticket.price, "2945.50");

        state.apply(Action::TicketLoaded(Ok(reliance(Some(2950.0)))));
        assert_eq!(state.ticket.price, "2945.50");

        state.apply(Action::EditPrice("2940".to_owned()));
        state.apply(Action::SetSide(Side::Sell));
        state.apply(Action::EditQuantity("7".to_owned()));
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2951.0)))));
        assert_eq!(state.ticket.price, "2940");
        assert_eq!(state.ticket.quantity, "7");
        assert!(state.ticket.side == Side::Sell);
    }

    #[test]
    fn cleared_price_stays_cleared() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::EditPrice(String::new()));
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        assert_eq!(state.ticket.price, "");
    }

    #[test]
    fn price_waits_for_an_ltp() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(None))));
        assert_eq!(state.ticket.price, "");
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        assert_eq!(state.ticket.price, "2945.50");
    }

    #[test]
    fn another_instrument_starts_a_new_draft() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::EditQuantity("10".to_owned()));
        state.apply(Action::SetSide(Side::Sell));
        state.apply(Action::TicketLoaded(Ok(nifty_future())));
        assert_eq!(state.ticket.quantity, "1");
        assert_eq!(state.ticket.price, "26010.00");
        assert!(state.ticket.side == Side::Sell);
    }

    #[test]
    fn review_builds_the_one_line_summary_and_the_message() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c1");
        let OrderStage::Confirming(order) = &state.ticket.stage else {
            panic!(
                "expected the confirm step, got {:?}",
                state.ticket.order_error
            );
        };
        assert_eq!(
            order.summary,
            "BUY 1 RELIANCE-EQ (NSE) at ₹2,945.50 LIMIT DELIVERY · value ₹2,945.50 · \
             via Main (DEMO01)"
        );
        assert_eq!(
            order.form,
            OrderForm {
                account_id: "acct-2".to_owned(),
                exchange: "NSE".to_owned(),
                token: "2885".to_owned(),
                side: "BUY".to_owned(),
                quantity: "1".to_owned(),
                price: "2945.50".to_owned(),
                product: "DELIVERY".to_owned(),
                order_type: "LIMIT".to_owned(),
                trigger_price: String::new(),
                duration: "DAY".to_owned(),
                confirmation_id: "c1".to_owned(),
            }
        );
    }

    #[test]
    fn a_stop_loss_review_names_its_trigger_and_sends_it() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::SetOrderType(OrderType::StopLossLimit));
        state.apply(Action::EditTrigger("2940".to_owned()));
        state.apply(Action::SetValidity(Validity::Ioc));
        review_and_pass_check(&mut state, "c-sl");
        let OrderStage::Confirming(order) = &state.ticket.stage else {
            panic!("no confirm step: {:?}", state.ticket.order_error);
        };
        assert_eq!(
            order.summary,
            "BUY 1 RELIANCE-EQ (NSE) at ₹2,945.50 STOPLOSS_LIMIT trigger ₹2,940.00 \
             DELIVERY IOC · value ₹2,945.50 · via Main (DEMO01)"
        );
        assert_eq!(
            (
                order.form.order_type.as_str(),
                order.form.trigger_price.as_str(),
                order.form.duration.as_str()
            ),
            ("STOPLOSS_LIMIT", "2940.00", "IOC")
        );

        // A market order sends no price and shows no value of its own.
        state.apply(Action::BackToTicket);
        state.apply(Action::SetOrderType(OrderType::Market));
        review_and_pass_check(&mut state, "c-market");
        let OrderStage::Confirming(order) = &state.ticket.stage else {
            panic!("no confirm step: {:?}", state.ticket.order_error);
        };
        assert_eq!(order.form.price, "0.00");
        assert!(
            order
                .summary
                .contains("at market MARKET DELIVERY IOC · via"),
            "{}",
            order.summary
        );
    }

    #[test]
    fn review_counts_derivatives_in_lots() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(nifty_future())));
        state.apply(Action::EditQuantity("2".to_owned()));
        state.apply(Action::SetSide(Side::Sell));
        state.apply(Action::SetProduct(Product::Intraday));
        review_and_pass_check(&mut state, "c2");
        let OrderStage::Confirming(order) = &state.ticket.stage else {
            panic!(
                "expected the confirm step, got {:?}",
                state.ticket.order_error
            );
        };
        assert_eq!(
            order.summary,
            "SELL 2 lots (150 units) NIFTY26DECFUT (NFO) at ₹26,010.00 LIMIT INTRADAY · \
             value ₹39,01,500.00 · via Main (DEMO01)"
        );
        assert_eq!(order.form.quantity, "2");
    }

    #[test]
    fn review_refuses_without_a_logged_in_account() {
        let mut state = unlocked(false);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::Review("c5".to_owned()));
        assert!(state.ticket.stage == OrderStage::Editing);
        assert_eq!(state.ticket.order_error.as_deref(), Some("Log in first."));
    }

    #[test]
    fn review_refuses_a_bad_quantity() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::EditQuantity("0".to_owned()));
        state.apply(Action::Review("c5".to_owned()));
        assert!(state.ticket.stage == OrderStage::Editing);
        assert_eq!(
            state.ticket.order_error.as_deref(),
            Some("Quantity must be a whole number above zero.")
        );
    }

    #[test]
    fn confirmed_order_survives_a_change_of_chart() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c3");
        state.apply(Action::TicketLoaded(Ok(nifty_future())));
        state.apply(Action::OrderSent);
        let OrderStage::Sending(order) = &state.ticket.stage else {
            panic!("expected the order to be sending");
        };
        assert_eq!(order.form.token, "2885");
    }

    #[test]
    fn placed_order_is_followed_until_final() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c4");
        state.apply(Action::OrderSent);
        let outcome = |status: &str| OrderOutcome {
            account_id: "a2".to_owned(),
            order_id: "261203000000123".to_owned(),
            unique_order_id: "0f3c2f8e-1b7a-4c55-9d7e-5a1f0c2b9e11".to_owned(),
            status: Some(status.to_owned()),
            text: None,
            duplicates: Vec::new(),
        };
        state.apply(Action::OrderPlaced(Ok(outcome("open"))));
        // Read back through the account that placed it, whichever is logged in first.
        assert_eq!(
            state.order_to_follow(),
            Some(FollowedOrder {
                account_id: "a2".to_owned(),
                unique_order_id: "0f3c2f8e-1b7a-4c55-9d7e-5a1f0c2b9e11".to_owned(),
            })
        );
        state.apply(Action::OrderFollowed(Ok(outcome("rejected"))));
        assert_eq!(state.order_to_follow(), None);
    }

    #[test]
    fn a_ticket_error_goes_when_what_it_was_about_changes() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::Review("c9".to_owned()));
        let limit = "This order is worth ₹2,945.50, above this account's limit of ₹100.00.";
        state.apply(Action::OrderChecked("c9".to_owned(), Err(limit.to_owned())));
        assert_eq!(state.ticket.order_error.as_deref(), Some(limit));
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2946.0)))));
        assert_eq!(
            state.ticket.order_error.as_deref(),
            Some(limit),
            "the same instrument keeps it"
        );
        state.apply(Action::TicketLoaded(Ok(nifty_future())));
        assert_eq!(
            state.ticket.order_error, None,
            "another instrument drops it"
        );

        let not_logged_in = "This account is not logged in. Log in first.";
        state.ticket.order_error = Some(not_logged_in.to_owned());
        state.apply(Action::LoginFinished(
            "a1".to_owned(),
            Err("AB1050".to_owned()),
        ));
        assert_eq!(state.ticket.order_error.as_deref(), Some(not_logged_in));
        state.apply(Action::LoginFinished("a1".to_owned(), Ok(())));
        assert_eq!(state.ticket.order_error, None, "a login answers it");
    }

    #[test]
    fn a_report_on_the_order_an_error_was_about_replaces_the_error() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        let lost = "Halo got no answer from http://127.0.0.1:8931 (no answer within 20 s), and \
                    the order book shows no order with its tag, so it was most likely not \
                    placed. Check the order book before placing it again; Halo will not re-send \
                    it (tag halo-c7fb3rtjkt).";
        state.ticket.order_error = Some(lost.to_owned());
        let other = TicketInfo {
            order_notes: vec!["Order halo-aaaaaaaaaa reached Angel after all".to_owned()],
            ..reliance(Some(2945.5))
        };
        state.apply(Action::TicketLoaded(Ok(other)));
        assert_eq!(
            state.ticket.order_error.as_deref(),
            Some(lost),
            "a note on another order"
        );
        let settled = TicketInfo {
            order_notes: vec!["Order halo-c7fb3rtjkt reached Angel after all".to_owned()],
            ..reliance(Some(2945.5))
        };
        state.apply(Action::TicketLoaded(Ok(settled)));
        assert_eq!(state.ticket.order_error, None);
    }

    #[test]
    fn a_duplicate_found_at_placement_stays_while_the_order_is_followed() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c5");
        state.apply(Action::OrderSent);
        let outcome = |status: &str, duplicates: &[&str]| OrderOutcome {
            account_id: "a2".to_owned(),
            order_id: "261203000000123".to_owned(),
            unique_order_id: "0f3c2f8e-1b7a-4c55-9d7e-5a1f0c2b9e11".to_owned(),
            status: Some(status.to_owned()),
            text: None,
            duplicates: duplicates.iter().map(|id| (*id).to_owned()).collect(),
        };
        let both = ["261203000000122", "261203000000123"];
        state.apply(Action::OrderPlaced(Ok(outcome("open", &both))));
        state.apply(Action::OrderFollowed(Ok(outcome("complete", &[]))));
        let OrderStage::Placed(shown) = &state.ticket.stage else {
            panic!("expected the placed order");
        };
        assert_eq!(shown.status.as_deref(), Some("complete"));
        assert_eq!(shown.duplicates, both);
    }

    #[test]
    fn failed_placement_returns_to_the_ticket_with_the_reason() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c4");
        state.apply(Action::OrderSent);
        state.apply(Action::OrderPlaced(Err(
            "Price is not a multiple of the tick.".to_owned(),
        )));
        assert!(state.ticket.stage == OrderStage::Editing);
        assert_eq!(
            state.ticket.order_error.as_deref(),
            Some("Price is not a multiple of the tick.")
        );
    }

    #[test]
    fn locking_clears_the_unlocked_screens() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::EditAccount(AccountField::Mpin, "1234".to_owned()));
        let locked = Status {
            vault: VaultState::Locked,
            accounts: vec![],
            endpoint: String::new(),
        };
        state.apply(Action::StatusLoaded(Ok(locked)));
        assert!(state.ticket.info.is_none());
        assert_eq!(state.account.form.mpin, "");
    }

    #[test]
    fn saved_account_clears_the_form() {
        let mut state = unlocked(true);
        state.apply(Action::EditAccount(AccountField::Label, "Main".to_owned()));
        state.apply(Action::EditAccount(
            AccountField::TotpSecret,
            "JBSWY3DP".to_owned(),
        ));
        state.apply(Action::AccountStarted);
        state.apply(Action::AccountFinished(Ok(())));
        assert!(state.account.form == AccountFormText::default());
        assert!(state.account.progress.saved);
        assert!(
            !state.account.being_filled,
            "a saved form is still held open"
        );
    }

    /// The forms of a passphrase with nothing to normalise (the browser's tables are not here).
    fn plain(text: &str) -> halo_core::vault::PassphraseForms {
        halo_core::vault::PassphraseForms::new(text.into(), text.into(), text.into())
    }

    #[test]
    fn new_passphrase_rules() {
        assert!(check_new_passphrase(&plain("correct horse"), "correct horse").is_ok());
        assert_eq!(
            check_new_passphrase(&plain("short"), "short"),
            Err("Choose a passphrase of at least 8 characters other than spaces.".to_owned())
        );
        assert!(check_new_passphrase(&plain("        "), "        ").is_err());
        assert!(check_new_passphrase(&plain(" a b c d e f g "), " a b c d e f g ").is_err());
        assert_eq!(
            check_new_passphrase(&plain("correct horse"), "correct house"),
            Err("The two passphrases differ: type the same one twice.".to_owned())
        );
        // Counted in characters, not bytes: seven rupee signs are 21 bytes.
        assert!(check_new_passphrase(&plain("₹₹₹₹₹₹₹"), "₹₹₹₹₹₹₹").is_err());
        let run = check_new_passphrase(&plain("12345678"), "12345678");
        assert!(run.is_err_and(|error| error.contains("among the first guesses")));
    }

    #[test]
    fn final_statuses() {
        assert!(is_final(Some("complete")));
        assert!(is_final(Some("Rejected")));
        assert!(is_final(Some("cancelled")));
        assert!(!is_final(Some("open")));
        assert!(!is_final(Some("trigger pending")));
        assert!(!is_final(None));
    }

    #[test]
    fn the_worker_check_decides_whether_the_confirm_step_is_shown() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        state.apply(Action::EditPrice("2945.55".to_owned()));
        state.apply(Action::Review("c6".to_owned()));
        assert_eq!(
            state.ticket.order_to_check().map(|form| form.price),
            Some("2945.55".to_owned())
        );
        // A second "Place order" while the check runs does not start another.
        state.apply(Action::Review("c7".to_owned()));
        assert_eq!(
            state
                .ticket
                .order_to_check()
                .map(|form| form.confirmation_id),
            Some("c6".to_owned())
        );

        let refusal = "₹2945.55 is not a valid price for RELIANCE-EQ: it moves in steps of \
                       ₹0.10. Use 2945.50 or 2945.60.";
        state.apply(Action::OrderChecked(
            "c7".to_owned(),
            Ok(OrderReview::default()),
        ));
        assert!(matches!(state.ticket.stage, OrderStage::Checking(_)));
        state.apply(Action::OrderChecked(
            "c6".to_owned(),
            Err(refusal.to_owned()),
        ));
        assert!(state.ticket.stage == OrderStage::Editing);
        assert_eq!(state.ticket.order_error.as_deref(), Some(refusal));
        assert_eq!(state.ticket.order_to_check(), None);
    }

    #[test]
    fn confirm_pressed_five_times_places_one_order() {
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        review_and_pass_check(&mut state, "c8");
        assert_eq!(state.ticket.order_to_place(), None);
        for _ in 0..5 {
            state.apply(Action::OrderSent);
        }
        assert_eq!(
            state.ticket.sent_summary.as_deref(),
            Some(
                "BUY 1 RELIANCE-EQ (NSE) at ₹2,945.50 LIMIT DELIVERY · value ₹2,945.50 · \
                 via Main (DEMO01)"
            )
        );
        let placing = state
            .ticket
            .order_to_place()
            .map(|form| form.confirmation_id);
        assert_eq!(placing.as_deref(), Some("c8"));

        // After a refusal the same confirmation cannot be sent again: a new one is needed.
        state.apply(Action::OrderPlaced(Err("refused".to_owned())));
        state.apply(Action::OrderSent);
        assert_eq!(state.ticket.order_to_place(), None);
        assert!(state.ticket.stage == OrderStage::Editing);
    }

    #[test]
    fn a_ticket_built_for_the_old_endpoint_is_dropped() {
        let mut state = unlocked(true);
        let angel_failure = TicketInfo {
            instrument: None,
            problem: Some(
                "Halo could not reach https://margincalculator.angelone.in (Failed to fetch)."
                    .to_owned(),
            ),
            endpoint: "https://apiconnect.angelone.in".to_owned(),
            ..reliance(None)
        };
        state.apply(Action::TicketLoaded(Ok(angel_failure.clone())));
        assert!(state.ticket.info.is_none());

        // The endpoint changing clears what the previous one said.
        let mut state = unlocked(true);
        state.apply(Action::TicketLoaded(Ok(TicketInfo {
            endpoint: "http://127.0.0.1:8931".to_owned(),
            ..angel_failure
        })));
        assert!(state.ticket.info.is_some());
        state.apply(Action::EndpointStarted);
        state.apply(Action::EndpointFinished(Ok(())));
        assert!(state.ticket.info.is_none());
        state.apply(Action::TicketLoaded(Ok(reliance(Some(2945.5)))));
        assert_eq!(state.ticket.price, "2945.50");
    }
}
