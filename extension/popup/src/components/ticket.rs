//! The order ticket for the symbol on the page the user is reading: draft, confirm, outcome.

use halo_extension_shared::messages::{AccountSummary, InstrumentSummary, OrderOutcome};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{Field, alert, input_text, progress};
use crate::commands::{self, Dispatch};
use crate::format;
use crate::state::{Action, OrderStage, OrderType, Product, ReviewedOrder, Side, Ticket, Validity};

/// What the ticket says when the page gave no symbol and the worker gave no reason.
const NO_SYMBOL: &str = "Open a chart on TradingView to trade its symbol.";

/// Props of [`TicketView`].
#[derive(Properties, PartialEq)]
pub struct TicketProps {
    /// The ticket's state.
    pub ticket: Ticket,
    /// The account that would place the order: the first logged in.
    pub account: Option<AccountSummary>,
    /// Where the ticket sends what the user does.
    pub dispatch: Dispatch,
}

/// The order ticket.
///
/// The worker is asked from effects of the state, not from the buttons: a button clicked five
/// times in one turn dispatches five actions, but the state moves to "checking" or "sending"
/// once, so the worker is asked once.
#[function_component(TicketView)]
pub fn ticket_view(props: &TicketProps) -> Html {
    let ticket = &props.ticket;
    {
        let dispatch = props.dispatch.clone();
        use_effect_with(ticket.order_to_check(), move |form| {
            if let Some(form) = form.clone() {
                commands::check_order(dispatch, form);
            }
        });
    }
    {
        let dispatch = props.dispatch.clone();
        use_effect_with(ticket.order_to_place(), move |form| {
            if let Some(form) = form.clone() {
                commands::place_order(dispatch, form);
            }
        });
    }

    let body = match &ticket.stage {
        OrderStage::Editing => editing(props, false),
        OrderStage::Checking(_) => editing(props, true),
        OrderStage::Confirming(order) => confirming(props, order, false),
        OrderStage::Sending(order) => confirming(props, order, true),
        OrderStage::Placed(outcome) => placed(props, outcome),
    };

    html! {
        <section class="card ticket" aria-labelledby="ticket-title">
            <h2 id="ticket-title">{ "Order ticket" }</h2>
            { alert(ticket.error.as_deref()) }
            { for order_notes(ticket).iter().map(|note| html! {
                <p class="warning order-note" role="status">{ note.clone() }</p>
            }) }
            { body }
        </section>
    }
}

/// The draft ticket; `checking` while the worker checks it after "Place order".
fn editing(props: &TicketProps, checking: bool) -> Html {
    let ticket = &props.ticket;
    let Some(info) = &ticket.info else {
        return html! { <p class="empty">{ "Reading the page…" }</p> };
    };
    let Some(instrument) = &info.instrument else {
        let problem = info.problem.clone().unwrap_or_else(|| NO_SYMBOL.to_owned());
        let page_symbol = info.page_symbol.clone().unwrap_or_default();
        return html! {
            <super::Candidates {page_symbol} {problem} candidates={info.candidates.clone()}
                dispatch={props.dispatch.clone()} />
        };
    };

    let dispatch = &props.dispatch;
    let on_side = |side: Side| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetSide(side)))
    };
    let on_quantity = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| dispatch.dispatch(Action::EditQuantity(input_text(e))))
    };
    let on_price = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| dispatch.dispatch(Action::EditPrice(input_text(e))))
    };
    let on_product = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(product) = Product::from_wire(&value) {
                dispatch.dispatch(Action::SetProduct(product));
            }
        })
    };
    let on_order_type = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(order_type) = OrderType::from_wire(&value) {
                dispatch.dispatch(Action::SetOrderType(order_type));
            }
        })
    };
    let on_trigger = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| dispatch.dispatch(Action::EditTrigger(input_text(e))))
    };
    let on_validity = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(validity) = Validity::from_wire(&value) {
                dispatch.dispatch(Action::SetValidity(validity));
            }
        })
    };
    let onsubmit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match confirmation_id() {
                Some(id) => dispatch.dispatch(Action::Review(id)),
                None => dispatch.dispatch(Action::GeneralError(
                    "The browser gave Halo no random numbers; reopen Halo.".to_owned(),
                )),
            }
        })
    };
    let pressed = |side: Side| if ticket.side == side { "true" } else { "false" };
    let lots_hint =
        (instrument.lot_size > 1).then(|| AttrValue::from(lots_words(ticket, instrument)));
    let order_type = ticket.order_type;
    let refused_by_api = order_type == OrderType::Market || ticket.validity == Validity::Ioc;
    let products = offered_products(instrument);

    html! {
        <form {onsubmit}>
            { instrument_facts(instrument, info.ltp) }
            if let Some(warning) = info.warning.clone() {
                <p class="warning" role="note">{ warning }</p>
            }
            <div class="side" role="group" aria-label="Side">
                <button type="button" class="toggle buy" aria-pressed={pressed(Side::Buy)}
                    onclick={on_side(Side::Buy)}>{ "Buy" }</button>
                <button type="button" class="toggle sell" aria-pressed={pressed(Side::Sell)}
                    onclick={on_side(Side::Sell)}>{ "Sell" }</button>
            </div>
            <div class="row">
                <Field id="ticket-quantity" label="Quantity" value={ticket.quantity.clone()}
                    inputmode="numeric" oninput={on_quantity}
                    describedby={lots_hint.as_ref().map(|_| AttrValue::Static("quantity-hint"))} />
                if order_type.has_limit() {
                    <Field id="ticket-price" label="Price" value={ticket.price.clone()}
                        inputmode="decimal" oninput={on_price} />
                }
                if order_type.has_trigger() {
                    <Field id="ticket-trigger" label="Trigger" value={ticket.trigger.clone()}
                        inputmode="decimal" oninput={on_trigger} />
                }
            </div>
            if let Some(hint) = lots_hint {
                <p class="hint" id="quantity-hint">{ hint }</p>
            }
            <div class="row order-kind">
                <div class="field">
                    <label for="ticket-order-type">{ "Order type" }</label>
                    <select id="ticket-order-type" onchange={on_order_type}>
                        { for OrderType::ALL.iter().map(|kind| option(
                            kind.as_wire(), type_name(*kind), *kind == order_type)) }
                    </select>
                </div>
                <div class="field">
                    <label for="ticket-product">{ "Product" }</label>
                    <select id="ticket-product" onchange={on_product}>
                        { for products.iter().map(|product| option(
                            product.as_wire(), product.name(), *product == ticket.product)) }
                    </select>
                </div>
                <div class="field">
                    <label for="ticket-validity">{ "Validity" }</label>
                    <select id="ticket-validity" onchange={on_validity}>
                        { for [Validity::Day, Validity::Ioc].iter().map(|v| option(
                            v.as_wire(), v.as_wire(), *v == ticket.validity)) }
                    </select>
                </div>
            </div>
            if refused_by_api {
                <p class="warning" role="note">{ halo_core::orders::MARKET_WARNING }</p>
            }
            { account_line(props.account.as_ref()) }
            { alert(ticket.order_error.as_deref()) }
            <div class="actions">
                <button type="submit" class="primary"
                    disabled={props.account.is_none() || checking}>
                    { "Place order" }
                </button>
                { progress(checking, "Checking…") }
            </div>
        </form>
    }
}

fn instrument_facts(instrument: &InstrumentSummary, ltp: Option<f64>) -> Html {
    let ltp = ltp
        .and_then(format::rupees_to_paise)
        .map(|paise| format!("₹{}", format::paise_grouped(paise)))
        .unwrap_or_else(|| "—".to_owned());
    html! {
        <div class="instrument">
            <div class="symbol">
                <span class="trading-symbol">{ instrument.trading_symbol.clone() }</span>
                <span class="exchange">{ instrument.exchange.clone() }</span>
                <span class="ltp" title="Last traded price">
                    <span class="ltp-label">{ "LTP " }</span>{ ltp }
                </span>
            </div>
            <dl class="facts">
                <div><dt>{ "Token" }</dt><dd>{ instrument.token.clone() }</dd></div>
                <div><dt>{ "Lot" }</dt><dd>{ instrument.lot_size }</dd></div>
                <div><dt>{ "Tick" }</dt><dd>{ format::tick(instrument.tick_paise) }</dd></div>
            </dl>
        </div>
    }
}

fn option(value: &'static str, text: &'static str, selected: bool) -> Html {
    html! { <option {value} {selected}>{ text }</option> }
}

/// The products the worker says the instrument's segment offers (all four when it said none).
fn offered_products(instrument: &InstrumentSummary) -> Vec<Product> {
    let offered: Vec<Product> = instrument
        .products
        .iter()
        .filter_map(|name| Product::from_wire(name))
        .collect();
    if offered.is_empty() {
        vec![Product::Delivery, Product::Intraday]
    } else {
        offered
    }
}

fn type_name(order_type: OrderType) -> &'static str {
    match order_type {
        OrderType::Limit => "Limit",
        OrderType::StopLossLimit => "SL limit",
        OrderType::StopLossMarket => "SL market",
        OrderType::Market => "Market",
    }
}

/// "In lots of 65 units: 2 lots = 130 units." for a derivative's quantity field.
fn lots_words(ticket: &Ticket, instrument: &InstrumentSummary) -> String {
    let lot = instrument.lot_size;
    match ticket.quantity.trim().parse::<u64>() {
        Ok(lots) if lots > 0 => format!(
            "In lots of {lot} units: {lots} {} = {} units.",
            if lots == 1 { "lot" } else { "lots" },
            lots.saturating_mul(u64::from(lot))
        ),
        _ => format!("In lots of {lot} units."),
    }
}

fn account_line(account: Option<&AccountSummary>) -> Html {
    match account {
        Some(account) => html! {
            <p class="hint">
                { format!("Orders go through {} ({}).", account.label, account.client_code) }
            </p>
        },
        None => html! {
            <p class="warning">{ "Log in first: orders go through a logged-in account." }</p>
        },
    }
}

fn confirming(props: &TicketProps, order: &ReviewedOrder, sending: bool) -> Html {
    let confirm = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::OrderSent))
    };
    let back = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::BackToTicket))
    };

    html! {
        <div class="confirm">
            <p class="hint">{ "Check the order, then confirm:" }</p>
            <p class="summary">{ order.summary.clone() }</p>
            if let Some(warning) = order.price_warning.clone() {
                <p class="warning price-far" role="note">{ warning }</p>
            }
            { review_lines(order) }
            <div class="actions">
                <button type="button" class="primary" onclick={confirm} disabled={sending}>
                    { "Confirm" }
                </button>
                <button type="button" onclick={back} disabled={sending}>{ "Back" }</button>
                { progress(sending, "Placing…") }
            </div>
        </div>
    }
}

fn placed(props: &TicketProps, outcome: &OrderOutcome) -> Html {
    let new_order = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NewOrder))
    };
    let status = outcome.status.clone().unwrap_or_else(|| "sent".to_owned());
    let rejected = status.eq_ignore_ascii_case("rejected");
    let reason = outcome
        .text
        .as_deref()
        .filter(|text| !text.trim().is_empty());

    html! {
        <div class="outcome">
            <p class="placed">
                { "Order " }<span class="order-id">{ outcome.order_id.clone() }</span>{ " placed" }
            </p>
            if let Some(summary) = props.ticket.sent_summary.clone() {
                <p class="hint">{ summary }</p>
            }
            <p role="status">
                { "Status: " }
                <span class={classes!("order-status", rejected.then_some("rejected"))}>
                    { status }
                </span>
            </p>
            if rejected {
                { alert(Some(reason.unwrap_or("The exchange gave no reason."))) }
            } else if let Some(text) = reason {
                <p class="hint">{ text.to_owned() }</p>
            }
            if let Some(warning) = outcome.duplicate_warning() {
                <p class="warning duplicate" role="alert">{ warning }</p>
            }
            { alert(props.ticket.order_error.as_deref()) }
            <div class="actions">
                <button type="button" onclick={new_order}>{ "New order" }</button>
            </div>
        </div>
    }
}

/// What the worker learnt later about orders whose answer was lost.
fn order_notes(ticket: &Ticket) -> &[String] {
    ticket
        .info
        .as_ref()
        .map_or(&[], |info| info.order_notes.as_slice())
}

/// The worker's review: the value against the account's limit, and any warning.
fn review_lines(order: &ReviewedOrder) -> Html {
    let Some(review) = &order.review else {
        return html! {};
    };
    let value = (review.value_paise > 0).then(|| {
        format!(
            "Value ₹{} of this account's ₹{} limit per order.",
            format::paise_grouped(review.value_paise),
            format::paise_grouped(review.value_limit_paise)
        )
    });
    html! {
        <>
            if let Some(value) = value {
                <p class="hint value-limit">{ value }</p>
            }
            if let Some(warning) = review.warning.clone() {
                <p class="warning" role="note">{ warning }</p>
            }
        </>
    }
}

/// A fresh id for one confirmation of one order (a random UUID), which the worker uses to
/// place that order at most once.
pub(super) fn confirmation_id() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    Some(crypto.random_uuid())
}
