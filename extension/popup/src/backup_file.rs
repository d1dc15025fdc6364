//! The backup file: saved through a download link, read back from a file input.
//!
//! The file holds only the vault's encrypted text, exactly as stored, so it is as safe as the
//! vault itself and opens with the passphrase it was made with.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};

/// `halo-vault-2026-03-14.json`: sorts by date in a downloads folder.
pub fn file_name(year: u32, month: u32, day: u32) -> String {
    format!("halo-vault-{year:04}-{month:02}-{day:02}.json")
}

/// Today's file name, in the browser's local date.
pub fn todays_file_name() -> String {
    let now = js_sys::Date::new_0();
    file_name(now.get_full_year(), now.get_month() + 1, now.get_date())
}

/// Offers `text` as a download named `name`.
pub fn download(text: &str, name: &str) -> Result<(), String> {
    let failed = |_: JsValue| "The browser did not let Halo save the backup file.".to_owned();
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("There is no page to save the backup from.")?;

    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;

    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The click has started the download; the URL is only needed until then.
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// The text of the file chosen in `input`, or why there is none.
pub async fn read_chosen(input: &HtmlInputElement) -> Result<String, String> {
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("Choose the backup file first.")?;
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "The backup file could not be read.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_is_dated_and_zero_padded() {
        assert_eq!(file_name(2026, 3, 4), "halo-vault-2026-03-04.json");
        assert_eq!(file_name(2025, 12, 31), "halo-vault-2025-12-31.json");
    }
}
