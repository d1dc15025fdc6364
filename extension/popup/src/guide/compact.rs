//! The guide in brief, for the popup's first run: the five steps, where the trader stopped,
//! and a link to the full guide on the options page.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::progress::{self, Progress, Step};

/// The first-run card of the popup.
#[function_component(GuideCard)]
pub fn guide_card() -> Html {
    let kept = use_state(|| None::<Progress>);
    {
        let kept = kept.clone();
        use_effect_with((), move |()| {
            spawn_local(async move { kept.set(Some(progress::load().await)) });
        });
    }
    let current = kept.map(|progress| progress.step);
    let started = current.is_some_and(|step| step != Step::Platform);

    html! {
        <section class="card guide-card" aria-labelledby="guide-card-title">
            <h2 id="guide-card-title">{ "New to SmartAPI? Five steps" }</h2>
            <ol class="guide-steps compact">
                { for Step::ALL.into_iter().map(|step| html! {
                    <li class={classes!((current == Some(step)).then_some("current"))}>
                        { step.title() }
                    </li>
                }) }
            </ol>
            <p>
                <a class="button primary" href="options.html#guide" target="_blank"
                    rel="noopener">
                    { if started { "Resume the setup guide" } else { "Open the setup guide" } }
                </a>
            </p>
            <p class="hint">
                { "It fills in Halo's redirect URL for Angel's form, reads the TOTP QR code \
                   from Angel's page and validates the account." }
            </p>
        </section>
    }
}
