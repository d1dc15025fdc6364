//! "How to fix" links from a failure to its entry on the troubleshooting page.
//!
//! The worker decides which entry explains a failure and sends it beside the message
//! ([`Reply::help`]). Messages travel through the popup as plain strings, so the entry is
//! remembered here by the message's text, and whatever draws the message asks for its link.
//!
//! [`Reply::help`]: halo_extension_shared::messages::Reply::help

use std::cell::RefCell;

use halo_extension_shared::trouble::Trouble;
use yew::prelude::*;

/// How many recent messages keep their entry: far more than one screen shows at once.
const REMEMBERED: usize = 32;

thread_local! {
    // The popup is one thread; the list only grows by what the worker answered.
    static KNOWN: RefCell<Vec<(String, Trouble)>> = const { RefCell::new(Vec::new()) };
}

/// Notes that the worker linked `message` to `entry`.
pub fn remember(message: &str, entry: Trouble) {
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        known.retain(|(text, _)| text != message);
        if known.len() == REMEMBERED {
            known.remove(0);
        }
        known.push((message.to_owned(), entry));
    });
}

/// The entry the worker linked to `message`, if it linked one.
pub fn entry_for(message: &str) -> Option<Trouble> {
    KNOWN.with(|known| {
        known
            .borrow()
            .iter()
            .rev()
            .find(|(text, _)| text == message)
            .map(|(_, entry)| *entry)
    })
}

/// The "How to fix" link to `entry`, opened in a tab of its own so the message stays.
pub fn link(entry: Trouble) -> Html {
    html! {
        <a class="how-to-fix" href={entry.page_path()} target="_blank" rel="noopener">
            { "How to fix" }
        </a>
    }
}

/// The link for `message` when the worker gave it an entry, else nothing.
pub fn link_for_message(message: &str) -> Html {
    match entry_for(message) {
        Some(entry) => html! { <p class="how-to-fix-line">{ link(entry) }</p> },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_the_entry_they_were_given() {
        remember("Angel refused the request (AB1007).", Trouble::Ab1007);
        remember("Angel refused the request (AB1050).", Trouble::Ab1050);
        assert_eq!(
            entry_for("Angel refused the request (AB1007)."),
            Some(Trouble::Ab1007)
        );
        assert_eq!(entry_for("The vault is locked."), None);
        for n in 0..REMEMBERED {
            remember(&format!("message {n}"), Trouble::RateLimit);
        }
        assert_eq!(entry_for("Angel refused the request (AB1007)."), None);
        assert_eq!(entry_for("message 0"), Some(Trouble::RateLimit));
    }
}
