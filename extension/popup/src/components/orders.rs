//! The Orders view: today's order book of a logged-in account, with modify and cancel for open
//! orders (each behind a confirm step) and the account's limit on one order's value.
//!
//! The worker checks a change with the ticket's own rules before the confirm step is shown,
//! and places one change per confirmation; this view only draws what it answers.

use std::rc::Rc;

use halo_extension_shared::messages::AccountSummary;
use halo_extension_shared::order_views::{ModifyForm, OrderLine, OrderReview, OrdersView};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlDetailsElement;
use yew::prelude::*;

use super::ticket::confirmation_id;
use super::{Field, alert, input_text, progress};
use crate::{api, format};

/// Props of [`OrdersPanel`].
#[derive(Properties, PartialEq)]
pub struct OrdersProps {
    /// The account whose book is shown: the first logged in.
    pub account: AccountSummary,
}

#[derive(Clone, Default, PartialEq)]
struct BookState {
    view: Option<OrdersView>,
    error: Option<String>,
    busy: bool,
    change: Option<Change>,
    cancelling: Option<Cancelling>,
    limit: String,
    /// What became of the last "Save limit": the limit now in force, or why it was refused.
    limit_saved: Option<Result<String, String>>,
}

/// An open order being modified: its new terms as typed, and the worker's review once asked.
#[derive(Clone, PartialEq)]
struct Change {
    order: OrderLine,
    quantity: String,
    price: String,
    trigger: String,
    reviewed: Option<(OrderReview, String)>,
}

/// An open order waiting for "Confirm cancel", with the confirmation's id.
#[derive(Clone, PartialEq)]
struct Cancelling {
    order: OrderLine,
    confirmation_id: String,
}

#[derive(Clone, Copy)]
enum Term {
    Quantity,
    Price,
    Trigger,
}

enum BookAction {
    Busy,
    Loaded(Result<OrdersView, String>),
    StartChange(OrderLine),
    Edit(Term, String),
    Reviewed(Result<(OrderReview, String), String>),
    StartCancel(OrderLine, String),
    Back,
    EditLimit(String),
    LimitSaved(Result<OrdersView, String>),
}

impl Reducible for BookState {
    type Action = BookAction;

    fn reduce(self: Rc<Self>, action: BookAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BookAction::Busy => {
                next.busy = true;
                next.error = None;
            }
            BookAction::Loaded(Ok(view)) => {
                next.limit = format::paise_plain(view.value_limit_paise);
                next.view = Some(view);
                next.busy = false;
                next.change = None;
                next.cancelling = None;
            }
            BookAction::Loaded(Err(error)) => {
                next.error = Some(error);
                next.busy = false;
            }
            BookAction::LimitSaved(Ok(view)) => {
                next.limit = format::paise_plain(view.value_limit_paise);
                next.limit_saved = Some(Ok(format!(
                    "₹{}",
                    format::paise_grouped(view.value_limit_paise)
                )));
                next.view = Some(view);
                next.busy = false;
            }
            BookAction::LimitSaved(Err(error)) => {
                next.limit_saved = Some(Err(error));
                next.busy = false;
            }
            BookAction::StartChange(order) => {
                let lots = order.quantity / order.lot_size.max(1);
                next.change = Some(Change {
                    quantity: lots.to_string(),
                    price: format::paise_plain(order.price_paise),
                    trigger: format::paise_plain(order.trigger_paise),
                    order,
                    reviewed: None,
                });
                next.cancelling = None;
                next.error = None;
            }
            BookAction::Edit(term, text) => {
                if let Some(change) = next.change.as_mut() {
                    change.reviewed = None;
                    match term {
                        Term::Quantity => change.quantity = text,
                        Term::Price => change.price = text,
                        Term::Trigger => change.trigger = text,
                    }
                }
            }
            BookAction::Reviewed(result) => {
                next.busy = false;
                match (result, next.change.as_mut()) {
                    (Ok(reviewed), Some(change)) => change.reviewed = Some(reviewed),
                    (Err(error), _) => next.error = Some(error),
                    (Ok(_), None) => {}
                }
            }
            BookAction::StartCancel(order, confirmation_id) => {
                next.cancelling = Some(Cancelling {
                    order,
                    confirmation_id,
                });
                next.change = None;
                next.error = None;
            }
            BookAction::Back => {
                next.change = None;
                next.cancelling = None;
                next.busy = false;
            }
            BookAction::EditLimit(text) => {
                next.limit = text;
                next.limit_saved = None;
            }
        }
        Rc::new(next)
    }
}

type BookDispatch = UseReducerDispatcher<BookState>;

/// Runs one call to the worker while the view shows it is busy.
fn call<T: 'static>(
    dispatch: &BookDispatch,
    work: impl std::future::Future<Output = Result<T, String>> + 'static,
    done: impl FnOnce(Result<T, String>) -> BookAction + 'static,
) {
    let dispatch = dispatch.clone();
    dispatch.dispatch(BookAction::Busy);
    spawn_local(async move { dispatch.dispatch(done(work.await)) });
}

/// Today's order book with modify, cancel and the value limit, folded until opened; the book
/// is read each time it is opened, and on "Refresh orders".
#[function_component(OrdersPanel)]
pub fn orders_panel(props: &OrdersProps) -> Html {
    let state = use_reducer(BookState::default);
    let dispatch = state.dispatcher();
    let account_id = props.account.id.clone();
    let ontoggle = {
        let (dispatch, account_id) = (dispatch.clone(), account_id.clone());
        Callback::from(move |event: Event| {
            if event.target_unchecked_into::<HtmlDetailsElement>().open() {
                call(
                    &dispatch,
                    api::orders(account_id.clone()),
                    BookAction::Loaded,
                );
            }
        })
    };

    let refresh = {
        let (dispatch, account_id) = (dispatch.clone(), account_id.clone());
        Callback::from(move |_: MouseEvent| {
            call(
                &dispatch,
                api::orders(account_id.clone()),
                BookAction::Loaded,
            );
        })
    };
    let rows = state
        .view
        .as_ref()
        .map(|view| view.orders.clone())
        .unwrap_or_default();

    html! {
        <details class="card folded orders-view" {ontoggle}>
        <summary>{ format!("Orders · {}", props.account.label) }</summary>
        <section class="orders">
            <p class="hint">
                { format!("Today's orders of {} ({}).", props.account.label,
                    props.account.client_code) }
            </p>
            { alert(state.error.as_deref()) }
            if rows.is_empty() && state.view.is_some() {
                <p class="empty">{ "No orders today." }</p>
            }
            <ul class="order-book">
                { for rows.iter().map(|order| order_row(&state, &dispatch, &account_id, order)) }
            </ul>
            <div class="actions">
                <button type="button" onclick={refresh} disabled={state.busy}>
                    { "Refresh orders" }
                </button>
                { progress(state.busy, "Asking Angel…") }
            </div>
            { value_limit(&state, &dispatch, &account_id) }
        </section>
        </details>
    }
}

fn order_row(
    state: &BookState,
    dispatch: &BookDispatch,
    account_id: &str,
    order: &OrderLine,
) -> Html {
    let rejected = order.status.eq_ignore_ascii_case("rejected");
    let start_change = {
        let (dispatch, order) = (dispatch.clone(), order.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(BookAction::StartChange(order.clone()))
        })
    };
    let start_cancel = {
        let (dispatch, order) = (dispatch.clone(), order.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(id) = confirmation_id() {
                dispatch.dispatch(BookAction::StartCancel(order.clone(), id));
            }
        })
    };
    let changing = state
        .change
        .as_ref()
        .filter(|change| change.order.order_id == order.order_id);
    let cancelling = state
        .cancelling
        .as_ref()
        .filter(|cancel| cancel.order.order_id == order.order_id);

    html! {
        <li class="order-line" data-order-id={order.order_id.clone()}>
            <p class="order-what">{ describe(order) }</p>
            <p>
                <span class={classes!("order-status", rejected.then_some("rejected"))}>
                    { order.status.clone() }
                </span>
                { format!(" · {} of {} filled · order {}", order.filled, order.quantity,
                    order.order_id) }
            </p>
            if rejected && !order.text.is_empty() {
                <p class="error">{ order.text.clone() }</p>
            }
            if let Some(twin) = same_confirm_words(order) {
                <p class="warning same-confirm" role="note">{ twin }</p>
            }
            if order.open && changing.is_none() && cancelling.is_none() {
                <div class="actions">
                    <button type="button" onclick={start_change} disabled={state.busy}>
                        { "Modify" }
                    </button>
                    <button type="button" onclick={start_cancel} disabled={state.busy}>
                        { "Cancel order" }
                    </button>
                </div>
            }
            if let Some(change) = changing {
                { change_form(state, dispatch, account_id, change) }
            }
            if let Some(cancel) = cancelling {
                { cancel_confirm(state, dispatch, account_id, cancel) }
            }
        </li>
    }
}

/// The mark on an order placed twice from one confirm, naming the other order.
fn same_confirm_words(order: &OrderLine) -> Option<String> {
    (!order.same_confirm.is_empty()).then(|| {
        format!(
            "Placed twice from one confirm (the browser re-sent it), with order {}: cancel the \
             one you did not want.",
            order.same_confirm.join(", ")
        )
    })
}

/// "BUY 1 RELIANCE-EQ (NSE) STOPLOSS_LIMIT ₹2,950.00 trigger ₹2,945.00 DELIVERY", and for F&O
/// "BUY 2 lots (100 units) NIFTY26DECFUT (NFO) LIMIT ...", as the ticket said it.
fn describe(order: &OrderLine) -> String {
    let mut text = format!(
        "{} {} {} ({}) {}",
        order.side,
        amount(order),
        order.symbol,
        order.exchange,
        order.order_type
    );
    if order.price_paise > 0 {
        text.push_str(&format!(" ₹{}", format::paise_grouped(order.price_paise)));
    }
    if order.trigger_paise > 0 {
        text.push_str(&format!(
            " trigger ₹{}",
            format::paise_grouped(order.trigger_paise)
        ));
    }
    text.push(' ');
    text.push_str(&order.product);
    text
}

/// The quantity in lots for an instrument traded in lots ("2 lots (100 units)"), else in units.
fn amount(order: &OrderLine) -> String {
    if order.lot_size <= 1 || !order.quantity.is_multiple_of(order.lot_size) {
        return order.quantity.to_string();
    }
    let lots = order.quantity / order.lot_size;
    let word = if lots == 1 { "lot" } else { "lots" };
    format!("{lots} {word} ({} units)", order.quantity)
}

fn change_form(
    state: &BookState,
    dispatch: &BookDispatch,
    account_id: &str,
    change: &Change,
) -> Html {
    let edit = |term: Term| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(BookAction::Edit(term, input_text(e)))
        })
    };
    let form = |confirmation_id: String| ModifyForm {
        account_id: account_id.to_owned(),
        order_id: change.order.order_id.clone(),
        quantity: change.quantity.clone(),
        price: change.price.clone(),
        trigger_price: change.trigger.clone(),
        confirmation_id,
    };
    let review = {
        let (dispatch, form) = (dispatch.clone(), form(String::new()));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(id) = confirmation_id() else { return };
            let form = form.clone();
            call(&dispatch, api::check_modify(form), move |result| {
                BookAction::Reviewed(result.map(|review| (review, id)))
            });
        })
    };
    let back = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(BookAction::Back))
    };
    let lots = change.order.lot_size > 1;
    let has_price = change.order.price_paise > 0 || change.order.order_type.ends_with("LIMIT");
    let has_trigger = change.order.order_type.starts_with("STOPLOSS");

    let Some((review, confirmation)) = &change.reviewed else {
        return html! {
            <form class="modify" onsubmit={review}>
                <div class="row">
                    <Field id="modify-quantity" label={if lots { "Lots" } else { "Quantity" }}
                        value={change.quantity.clone()} inputmode="numeric"
                        oninput={edit(Term::Quantity)} />
                    if has_price {
                        <Field id="modify-price" label="New price" value={change.price.clone()}
                            inputmode="decimal" oninput={edit(Term::Price)} />
                    }
                    if has_trigger {
                        <Field id="modify-trigger" label="New trigger"
                            value={change.trigger.clone()} inputmode="decimal"
                            oninput={edit(Term::Trigger)} />
                    }
                </div>
                <div class="actions">
                    <button type="submit" class="primary" disabled={state.busy}>
                        { "Review change" }
                    </button>
                    <button type="button" onclick={back.clone()}>{ "Back" }</button>
                </div>
            </form>
        };
    };

    let confirm = {
        let (dispatch, form) = (dispatch.clone(), form(confirmation.clone()));
        Callback::from(move |_: MouseEvent| {
            call(
                &dispatch,
                api::modify_order(form.clone()),
                BookAction::Loaded,
            );
        })
    };
    let mut line = format!(
        "Change order {} to {} {}",
        change.order.order_id,
        change.quantity.trim(),
        if lots { "lots" } else { "shares" }
    );
    if has_price {
        line.push_str(&format!(" at ₹{}", change.price.trim()));
    }
    if has_trigger {
        line.push_str(&format!(", trigger ₹{}", change.trigger.trim()));
    }
    if review.value_paise > 0 {
        line.push_str(&format!(
            " · value ₹{}",
            format::paise_grouped(review.value_paise)
        ));
    }
    html! {
        <div class="confirm">
            <p class="summary">{ line }</p>
            <div class="actions">
                <button type="button" class="primary" onclick={confirm} disabled={state.busy}>
                    { "Confirm change" }
                </button>
                <button type="button" onclick={back} disabled={state.busy}>{ "Back" }</button>
            </div>
        </div>
    }
}

fn cancel_confirm(
    state: &BookState,
    dispatch: &BookDispatch,
    account_id: &str,
    cancel: &Cancelling,
) -> Html {
    let confirm = {
        let dispatch = dispatch.clone();
        let (account_id, order_id) = (account_id.to_owned(), cancel.order.order_id.clone());
        let confirmation_id = cancel.confirmation_id.clone();
        Callback::from(move |_: MouseEvent| {
            let work = api::cancel_order(
                account_id.clone(),
                order_id.clone(),
                confirmation_id.clone(),
            );
            call(&dispatch, work, BookAction::Loaded);
        })
    };
    let keep = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(BookAction::Back))
    };
    html! {
        <div class="confirm">
            <p class="summary">{ format!("Cancel order {}: {}?", cancel.order.order_id,
                describe(&cancel.order)) }</p>
            <div class="actions">
                <button type="button" class="primary" onclick={confirm} disabled={state.busy}>
                    { "Confirm cancel" }
                </button>
                <button type="button" onclick={keep} disabled={state.busy}>
                    { "Keep order" }
                </button>
            </div>
        </div>
    }
}

fn value_limit(state: &BookState, dispatch: &BookDispatch, account_id: &str) -> Html {
    let edit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| dispatch.dispatch(BookAction::EditLimit(input_text(e))))
    };
    let save = {
        let (dispatch, account_id, limit) =
            (dispatch.clone(), account_id.to_owned(), state.limit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let work = api::set_value_limit(account_id.clone(), limit.clone());
            call(&dispatch, work, BookAction::LimitSaved);
        })
    };
    let outcome = match &state.limit_saved {
        Some(Ok(limit)) => html! {
            <p class="done" role="status">
                { format!("Saved: orders worth more than {limit} are refused.") }
            </p>
        },
        Some(Err(error)) => alert(Some(error)),
        None => Html::default(),
    };
    html! {
        <form class="value-limit" onsubmit={save}>
            <div class="row">
                <Field id="value-limit" label="Value limit per order (₹)"
                    value={state.limit.clone()} inputmode="decimal" oninput={edit} />
            </div>
            <p class="hint">
                { "Halo refuses any order worth more than this for this account, before the \
                   confirm step and again before sending it." }
            </p>
            <div class="actions">
                <button type="submit" disabled={state.busy}>{ "Save limit" }</button>
            </div>
            { outcome }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(quantity: u64, lot_size: u64) -> OrderLine {
        OrderLine {
            symbol: "NIFTY26DECFUT".to_owned(),
            exchange: "NFO".to_owned(),
            side: "BUY".to_owned(),
            order_type: "LIMIT".to_owned(),
            product: "CARRYFORWARD".to_owned(),
            quantity,
            lot_size,
            price_paise: 2_601_000,
            ..Default::default()
        }
    }

    #[test]
    fn f_and_o_orders_read_in_lots_as_the_ticket_placed_them() {
        assert_eq!(
            describe(&order(100, 50)),
            "BUY 2 lots (100 units) NIFTY26DECFUT (NFO) LIMIT ₹26,010.00 CARRYFORWARD"
        );
        assert_eq!(amount(&order(50, 50)), "1 lot (50 units)");
        assert_eq!(amount(&order(10, 1)), "10");
        assert_eq!(amount(&order(75, 50)), "75", "not a whole number of lots");
    }
}
