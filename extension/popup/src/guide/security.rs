//! The security page: what Halo keeps, where, how it is locked, and what it never does, in
//! words for a trader. Each sentence matches the code and `docs/vault-format.md`; change them
//! together.

use yew::prelude::*;

/// The security page.
#[function_component(Security)]
pub fn security() -> Html {
    html! {
        <section class="card guide-page" aria-labelledby="security-title">
            <h1 id="security-title">{ "What Halo keeps, and how" }</h1>

            <h2>{ "In the vault, encrypted" }</h2>
            <p>
                { "Your client codes, MPINs, API keys and TOTP secrets (and any TOTP entries \
                   you add for other sites) are kept in one vault in this browser profile's \
                   extension storage. The vault is locked with your passphrase: Argon2id \
                   (64 MiB of memory, 3 passes) turns the passphrase into a key, and \
                   AES-256-GCM encrypts the accounts with it. Someone who copies the vault \
                   file sees only scrambled text, and guessing the passphrase is made slow on \
                   purpose. If you pair the Halo companion, the pairing's keys are sealed \
                   with the vault's key too." }
            </p>
            <p>
                { "The passphrase itself is never stored. If you forget it, nobody can open \
                   the vault, Halo included: keep a backup (Vault → Download backup; the \
                   backup is the same encrypted vault) and the passphrase somewhere safe." }
            </p>

            <h2>{ "While Halo is unlocked" }</h2>
            <p>
                { "The key that opens the vault, and the login tokens Angel gives, are held in \
                   the browser's session memory, which is never written to disk and is cleared \
                   when the browser closes. Web pages, and the small scripts Halo runs on \
                   chart pages, cannot read it. \
                   Halo locks itself after 15 minutes without use (you can change this under \
                   Vault) and whenever you press Lock." }
            </p>

            <h2>{ "Kept in plain text, because none of it is secret" }</h2>
            <ul>
                <li>{ "the endpoint (Angel One or a local sandbox), the login reminder time and \
                       the auto-lock time;" }</li>
                <li>{ "for a SMART_API_M account, the redirect URL you registered, if you set \
                       one;" }</li>
                <li>{ "the activity log: time, account label, which call, its outcome code and \
                       how long it took, never a secret or token;" }</li>
                <li>{ "whether orders go through the companion, each account's order value \
                       limit, and a copy of Angel's public instrument list;" }</li>
                <li>{ "the step you reached in this guide." }</li>
            </ul>

            <h2>{ "What Halo never does" }</h2>
            <ul>
                <li>{ "No sync: nothing goes to your browser account's sync; the vault stays in \
                       this profile until you download a backup." }</li>
                <li>{ "No cloud: Halo has no server. It talks only to Angel One \
                       (apiconnect.angelone.in, margincalculator.angelone.in for the instrument \
                       list, smartapi.angelone.in for the publisher login), to a sandbox on \
                       this computer when you choose one, and to the Halo companion if you \
                       install it." }</li>
                <li>{ "No telemetry: no analytics, no crash reports, nothing about you or your \
                       trades is sent anywhere else." }</li>
                <li>{ "No orders without you: an order is sent only after you press Confirm in \
                       Halo's own window. Scripts on chart pages only read the symbol; they \
                       never see a secret or a token." }</li>
                <li>{ "No passphrase on web pages: Halo asks for your passphrase only in its \
                       own window (the toolbar button or the page Halo opens). A panel inside \
                       a web page that asks for it, or for your MPIN, is not Halo: close the \
                       tab." }</li>
            </ul>

            <h2>{ "Habits that help" }</h2>
            <ul>
                <li>{ "Use a long passphrase you use nowhere else." }</li>
                <li>{ "Rotate the API key every few months (Edit → Rotate now): Halo reminds \
                       you at 6 and 11 months, and Angel drops a key unused for a year." }</li>
                <li>{ "Glance at the activity log now and then: its filter shows failures and \
                       calls outside 08:00\u{2013}16:00 IST or at weekends." }</li>
            </ul>
        </section>
    }
}
