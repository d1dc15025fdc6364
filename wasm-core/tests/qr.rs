//! QR codes of `otpauth://` links, drawn here with the `qrcode` crate, written to PNG and read
//! back, at several sizes and inside a made-up page screenshot; then decoded by
//! `halo_core::totp::decode_qr` and parsed into codes.

#![allow(clippy::unwrap_used)]

use halo_core::totp::{OtpAuth, QrError, code_at, decode_qr, luma_from_rgba};
use qrcode::{Color, QrCode};

const LINK: &str = "otpauth://totp/AngelOne:Z999999?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                    &issuer=AngelOne";

/// A greyscale picture, row by row.
struct Picture {
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

/// `text` as a QR code with a four-module quiet zone, `module_px` pixels a module. A fractional
/// size (a screen scaled by 125 % or 150 %) is drawn the way a browser scales an image: each
/// pixel is the average of what it covers, so module edges come out grey.
fn qr_picture(text: &str, module_px: f64) -> Picture {
    let code = QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let dark = |mx: usize, my: usize| {
        (quiet..quiet + modules).contains(&mx)
            && (quiet..quiet + modules).contains(&my)
            && colors[(my - quiet) * modules + (mx - quiet)] == Color::Dark
    };
    let side = ((modules + 2 * quiet) as f64 * module_px).round() as usize;
    const SAMPLES: usize = 4;
    let mut luma = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let mut light = 0;
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let px = x as f64 + (sx as f64 + 0.5) / SAMPLES as f64;
                    let py = y as f64 + (sy as f64 + 0.5) / SAMPLES as f64;
                    if !dark((px / module_px) as usize, (py / module_px) as usize) {
                        light += 1;
                    }
                }
            }
            luma[y * side + x] = (light * 255 / (SAMPLES * SAMPLES)) as u8;
        }
    }
    Picture {
        width: side,
        height: side,
        luma,
    }
}

/// Writes the picture as an 8-bit greyscale PNG and reads it back, as a file would travel.
fn through_png(picture: &Picture) -> Picture {
    let mut bytes = Vec::new();
    {
        let mut encoder =
            png::Encoder::new(&mut bytes, picture.width as u32, picture.height as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&picture.luma).unwrap();
    }
    assert_eq!(&bytes[1..4], b"PNG");

    let decoder = png::Decoder::new(bytes.as_slice());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    buffer.truncate(info.buffer_size());
    Picture {
        width: info.width as usize,
        height: info.height as usize,
        luma: buffer,
    }
}

#[test]
fn png_of_a_link_at_several_sizes() {
    for module_px in [1.0, 2.0, 2.5, 3.0, 3.75, 4.0, 4.5, 6.0, 10.0] {
        let picture = through_png(&qr_picture(LINK, module_px));
        let text = decode_qr(picture.width, picture.height, &picture.luma)
            .unwrap_or_else(|e| panic!("{module_px} px a module: {e}"));
        assert_eq!(text, LINK, "{module_px} px a module");
    }
    // TODO: a code smoothed to 1.5 px a module is not found; rqrr's finder needs crisper
    // edges, and resampling the picture at 2/3 before a second try would recover it.
    let tiny = through_png(&qr_picture(LINK, 1.5));
    let err = decode_qr(tiny.width, tiny.height, &tiny.luma).unwrap_err();
    assert_eq!(err, QrError::NotFound);
    assert!(err.to_string().contains("zoom in"), "{err}");
}

#[test]
fn decoded_link_gives_the_known_code() {
    let picture = through_png(&qr_picture(LINK, 4.0));
    let text = decode_qr(picture.width, picture.height, &picture.luma).unwrap();
    let link = OtpAuth::parse(&text).unwrap();
    assert_eq!(link.issuer, "AngelOne");
    assert_eq!(link.account_name, "Z999999");
    // Case T4's known answer.
    assert_eq!(
        code_at(&link.secret, &link.params, 1_234_567_890)
            .unwrap()
            .code,
        "005924"
    );
}

#[test]
fn long_links_and_bare_secrets() {
    let long = "otpauth://totp/Demo%3A%20Desk:alice.with.a.long.address%40example.com?\
                secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                &issuer=Demo%3A%20Desk&algorithm=SHA512&digits=8&period=60";
    for text in [long, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"] {
        let picture = through_png(&qr_picture(text, 3.0));
        assert_eq!(
            decode_qr(picture.width, picture.height, &picture.luma).unwrap(),
            text
        );
    }
}

/// A QR code as it appears in a screenshot of an enable-TOTP page: on a grey page with a header
/// bar, text lines and a bordered card, at a 150 % display scale, then made RGBA like a canvas's
/// `ImageData` and turned back into luma.
#[test]
fn code_inside_a_page_screenshot() {
    let (width, height) = (1280, 800);
    let mut page = vec![242u8; width * height];
    let mut fill = |x0: usize, y0: usize, w: usize, h: usize, value: u8| {
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                page[y * width + x] = value;
            }
        }
    };
    fill(0, 0, width, 64, 40); // header bar
    for line in 0..12 {
        // Lines of "text": short dark dashes.
        for word in 0..9 {
            fill(80 + word * 52, 120 + line * 28, 40, 10, 60);
        }
    }
    fill(640, 140, 420, 460, 255); // the white card the code sits on
    fill(640, 140, 420, 2, 180);
    let qr = qr_picture(LINK, 4.5);
    for y in 0..qr.height {
        for x in 0..qr.width {
            page[(170 + y) * width + 660 + x] = qr.luma[y * qr.width + x];
        }
    }

    let rgba: Vec<u8> = page.iter().flat_map(|&v| [v, v, v, 255]).collect();
    let luma = luma_from_rgba(&rgba);
    assert_eq!(luma, page);
    let screenshot = through_png(&Picture {
        width,
        height,
        luma,
    });
    assert_eq!(
        decode_qr(screenshot.width, screenshot.height, &screenshot.luma).unwrap(),
        LINK
    );
}

#[test]
fn light_on_dark_codes_are_read() {
    let mut picture = qr_picture(LINK, 4.0);
    for value in &mut picture.luma {
        *value = 255 - *value;
    }
    assert_eq!(
        decode_qr(picture.width, picture.height, &picture.luma).unwrap(),
        LINK
    );
}

#[test]
fn a_damaged_or_missing_code_is_an_error_not_a_panic() {
    let mut picture = qr_picture(LINK, 4.0);
    // Wipe a third of the picture: finder patterns survive in part, the data does not.
    let cut = picture.width * picture.height / 3;
    for value in &mut picture.luma[cut..2 * cut] {
        *value = 255;
    }
    let result = decode_qr(picture.width, picture.height, &picture.luma);
    assert!(
        matches!(result, Err(QrError::NotFound | QrError::Unreadable)),
        "{result:?}"
    );
    assert_eq!(
        decode_qr(200, 100, &vec![128; 200 * 100]),
        Err(QrError::NotFound)
    );
}
