//! A picture (a chosen file or a capture of the tab) turned into the text of its QR code.
//!
//! The browser decodes the image and draws it on a canvas; its pixels go to halo-core as one
//! luma byte each, where `rqrr` reads the code. Nothing leaves the popup.

use halo_core::totp::{decode_qr, luma_from_rgba};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, File, HtmlCanvasElement, HtmlImageElement, Url};

const UNREADABLE: &str = "The picture could not be opened; choose a PNG, JPEG or WebP image.";

/// The text of the QR code in an image file.
pub async fn read_file(file: File) -> Result<String, String> {
    let url = Url::create_object_url_with_blob(&file).map_err(|_| UNREADABLE.to_owned())?;
    let text = read_url(&url).await;
    // Only frees the browser's handle on the file; failing to changes nothing for the user.
    let _ = Url::revoke_object_url(&url);
    text
}

/// The text of the QR code in the picture at `url` (an object URL or a `data:` URL).
pub async fn read_url(url: &str) -> Result<String, String> {
    let image = HtmlImageElement::new().map_err(|_| UNREADABLE.to_owned())?;
    image.set_src(url);
    JsFuture::from(image.decode())
        .await
        .map_err(|_| UNREADABLE.to_owned())?;
    let (width, height) = (image.natural_width(), image.natural_height());

    let context = canvas_context(width, height).ok_or_else(|| UNREADABLE.to_owned())?;
    context
        .draw_image_with_html_image_element(&image, 0.0, 0.0)
        .map_err(|_| UNREADABLE.to_owned())?;
    let pixels = context
        .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
        .map_err(|_| UNREADABLE.to_owned())?
        .data();

    let luma = luma_from_rgba(&pixels);
    decode_qr(width as usize, height as usize, &luma).map_err(|error| {
        let mut text = error.to_string();
        if let Some(first) = text.get(..1) {
            text.replace_range(..1, &first.to_uppercase());
        }
        format!("{text}.")
    })
}

fn canvas_context(width: u32, height: u32) -> Option<CanvasRenderingContext2d> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    canvas.get_context("2d").ok()??.dyn_into().ok()
}
