//! Keeping the keyboard where the trader was while a form is busy.
//!
//! A form disables its fields while it is saved, and the browser then drops the focus to the
//! page itself: after a refusal ("MPIN must be exactly 4 digits") the next keystrokes went
//! nowhere. The form remembers the last field focused in it and, once it is no longer busy,
//! puts the focus back there if nothing else took it meanwhile.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast as _;
use yew::{Callback, FocusEvent, hook, use_effect_with, use_mut_ref};

/// Returns the `onfocusin` handler for a form whose fields are disabled while `busy`.
#[hook]
pub fn use_focus_kept(busy: bool) -> Callback<FocusEvent> {
    let last: Rc<RefCell<Option<String>>> = use_mut_ref(|| None);
    {
        let last = Rc::clone(&last);
        use_effect_with(busy, move |busy| {
            if !*busy
                && focus_lost()
                && let Some(id) = last.borrow().as_deref()
            {
                focus_by_id(id);
            }
        });
    }
    Callback::from(move |event: FocusEvent| {
        let id = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .map(|element| element.id())
            .filter(|id| !id.is_empty());
        if let Some(id) = id {
            *last.borrow_mut() = Some(id);
        }
    })
}

/// Whether the focus is on nothing in particular (the page's body), as after a disable.
fn focus_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.unchecked_ref::<web_sys::Element>(),
        (Some(_), None) => false,
    }
}

/// Puts the focus on the element with this id, if it is on the page and can take it.
pub fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // Focus can only fail on an element that cannot take it; nothing to tell the trader.
        let _ = element.focus();
    }
}
