//! Reading the QR code an issuer shows, from a greyscale picture of it.
//!
//! The picture comes from a file the trader chose or from a capture of the tab; the extension
//! draws it and hands over one luma byte per pixel, so no image format is decoded here. `rqrr`
//! finds and reads the code.

/// The largest picture accepted, in pixels: a 4K screen at twice its density, with room to spare.
/// Bigger buffers are a mistake and would only exhaust memory.
const MAX_PIXELS: usize = 8192 * 8192;

/// Why no text could be read from a picture.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The buffer does not hold `width * height` bytes, or the size is zero or absurd.
    #[error("the picture could not be read ({width} x {height} pixels); try another picture")]
    BadPicture {
        /// The width given.
        width: usize,
        /// The height given.
        height: usize,
    },
    /// No QR code was found.
    #[error(
        "no QR code was found in the picture; make the whole code visible (zoom in if it is \
         small) and try again"
    )]
    NotFound,
    /// A QR code was found but could not be read.
    #[error(
        "a QR code was found but could not be read; zoom in so it is larger and sharp, then \
         try again"
    )]
    Unreadable,
}

/// The text of the QR code in a greyscale picture (`width * height` bytes, row by row, 0 black,
/// 255 white). A light-on-dark code is read too. With several codes, an `otpauth://` one is
/// preferred, otherwise the first readable one is returned.
pub fn decode_qr(width: usize, height: usize, luma: &[u8]) -> Result<String, QrError> {
    let pixels = width.saturating_mul(height);
    if width == 0 || height == 0 || pixels > MAX_PIXELS || luma.len() != pixels {
        return Err(QrError::BadPicture { width, height });
    }

    match decode_once(width, height, |i| luma[i]) {
        Err(QrError::NotFound) => decode_once(width, height, |i| 255 - luma[i]),
        result => result,
    }
}

/// Greyscale from RGBA pixels (a canvas's `ImageData`), with the Rec. 601 weights screens and
/// image tools use; transparent pixels count as white, as a page behind them usually is.
pub fn luma_from_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|px| {
            let [r, g, b, a] = [px[0], px[1], px[2], px[3]].map(u32::from);
            let luma = (299 * r + 587 * g + 114 * b) / 1000;
            // Blend over white by alpha.
            let blended = (luma * a + 255 * (255 - a)) / 255;
            // At most 255 by construction.
            blended.min(255) as u8
        })
        .collect()
}

fn decode_once(
    width: usize,
    height: usize,
    pixel: impl Fn(usize) -> u8,
) -> Result<String, QrError> {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixel(y * width + x));
    let grids = image.detect_grids();
    if grids.is_empty() {
        return Err(QrError::NotFound);
    }
    let texts: Vec<String> = grids
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect();
    let preferred = texts
        .iter()
        .position(|text| {
            text.trim_start()
                .to_ascii_lowercase()
                .starts_with("otpauth:")
        })
        .unwrap_or(0);
    texts.into_iter().nth(preferred).ok_or(QrError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_buffers_of_the_wrong_size() {
        assert_eq!(
            decode_qr(10, 10, &[255; 99]),
            Err(QrError::BadPicture {
                width: 10,
                height: 10
            })
        );
        assert!(matches!(
            decode_qr(0, 0, &[]),
            Err(QrError::BadPicture { .. })
        ));
        assert!(matches!(
            decode_qr(usize::MAX, 2, &[]),
            Err(QrError::BadPicture { .. })
        ));
    }

    #[test]
    fn blank_picture_has_no_code() {
        assert_eq!(decode_qr(64, 48, &[255; 64 * 48]), Err(QrError::NotFound));
        assert_eq!(decode_qr(64, 48, &[0; 64 * 48]), Err(QrError::NotFound));
    }

    #[test]
    fn luma_weights_and_transparency() {
        assert_eq!(
            luma_from_rgba(&[0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 255, 0, 0, 255]),
            vec![0, 255, 255, 76]
        );
    }
}
