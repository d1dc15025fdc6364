//! `halo` as the browser launches it: frames in, frames out, nothing else on stdout.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

const HALO_ID: &str = "bhnhgnemdmhcebimjefkdalgefgnbidk";

struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    frames: Receiver<Result<Vec<u8>, String>>,
    _config: tempfile::TempDir,
}

/// Starts the host with these browser arguments; a thread turns stdout into frames, and reports
/// any byte that is not part of a whole frame.
fn start(args: &[&str]) -> Host {
    let config = tempfile::tempdir().unwrap();
    let mut child = common::halo(config.path())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, frames) = channel();
    thread::spawn(move || pump(stdout, tx));
    Host {
        stdin: child.stdin.take(),
        child,
        frames,
        _config: config,
    }
}

fn pump(mut stdout: ChildStdout, tx: std::sync::mpsc::Sender<Result<Vec<u8>, String>>) {
    loop {
        let mut prefix = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            match stdout.read(&mut prefix[got..]) {
                Ok(0) if got == 0 => return,
                Ok(0) => {
                    let _ = tx.send(Err(format!("stdout ended inside a prefix: {prefix:?}")));
                    return;
                }
                Ok(n) => got += n,
                Err(error) => {
                    let _ = tx.send(Err(error.to_string()));
                    return;
                }
            }
        }
        let len = u32::from_ne_bytes(prefix) as usize;
        if len > 1024 * 1024 {
            let _ = tx.send(Err(format!("absurd length {len}: {:?}", prefix)));
            return;
        }
        let mut body = vec![0u8; len];
        if stdout.read_exact(&mut body).is_err() {
            let _ = tx.send(Err("stdout ended inside a body".into()));
            return;
        }
        let _ = tx.send(Ok(body));
    }
}

impl Host {
    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, value: &Value) {
        let body = serde_json::to_vec(value).unwrap();
        let mut frame = (body.len() as u32).to_ne_bytes().to_vec();
        frame.extend(body);
        self.send_raw(&frame);
    }

    /// The next frame, which must arrive whole within `ms` milliseconds.
    fn next(&self, ms: u64) -> Vec<u8> {
        match self.frames.recv_timeout(Duration::from_millis(ms)) {
            Ok(Ok(body)) => body,
            Ok(Err(error)) => panic!("stdout is not frames only: {error}"),
            Err(error) => panic!("no frame within {ms} ms: {error}"),
        }
    }

    fn next_json(&self) -> Value {
        serde_json::from_slice(&self.next(2000)).unwrap()
    }

    /// Closes stdin and returns the exit status, after checking nothing else reached stdout.
    fn close(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        match self.frames.recv_timeout(Duration::from_millis(500)) {
            Ok(Ok(body)) => panic!("unexpected frame {:?}", String::from_utf8_lossy(&body)),
            Ok(Err(error)) => panic!("stdout is not frames only: {error}"),
            Err(_) => {}
        }
        status
    }
}

fn halo_origin() -> String {
    format!("chrome-extension://{HALO_ID}/")
}

#[test]
fn ping_answers_with_the_version_and_the_id() {
    let mut host = start(&[&halo_origin()]);
    host.send(&json!({"type": "ping", "id": 7}));
    let reply = host.next_json();
    assert_eq!(
        reply,
        json!({"type": "pong", "id": 7, "version": env!("CARGO_PKG_VERSION")})
    );
    assert!(host.close().success());
}

#[test]
fn replies_of_every_length_up_to_3000_arrive_whole_within_100_ms() {
    let mut host = start(&[&halo_origin()]);
    let base = serde_json::to_vec(&json!({
        "type": "pong", "version": env!("CARGO_PKG_VERSION"), "echo": ""
    }))
    .unwrap()
    .len();

    let mut lengths_seen = Vec::new();
    for extra in 0..=(3000 - base) {
        let echo = "e".repeat(extra);
        host.send(&json!({"type": "ping", "echo": echo}));
        let body = host.next(100);
        let reply: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(reply["echo"], echo);
        lengths_seen.push(body.len());
    }
    assert_eq!(lengths_seen.first(), Some(&base));
    assert_eq!(lengths_seen.last(), Some(&3000));

    // Lengths whose prefix holds a 0x0A byte (10, 266, 522, ...) were among them; so is a
    // body carrying a newline.
    host.send(&json!({"type": "ping", "echo": "line one\nline two"}));
    assert_eq!(host.next_json()["echo"], "line one\nline two");
    assert!(host.close().success());
}

#[test]
fn a_frame_arriving_in_pieces_is_read_whole() {
    let mut host = start(&[&halo_origin()]);
    let body = br#"{"type":"ping","id":3}"#;
    let mut frame = (body.len() as u32).to_ne_bytes().to_vec();
    frame.extend_from_slice(body);
    for piece in frame.chunks(3) {
        host.send_raw(piece);
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(host.next_json()["id"], 3);
    assert!(host.close().success());
}

#[test]
fn bad_json_gets_an_error_frame_and_the_host_goes_on() {
    let mut host = start(&[&halo_origin()]);
    let junk = b"{not json";
    let mut frame = (junk.len() as u32).to_ne_bytes().to_vec();
    frame.extend_from_slice(junk);
    host.send_raw(&frame);
    let reply = host.next_json();
    assert_eq!(reply["type"], "error");
    assert_eq!(reply["code"], "bad-json");

    host.send(&json!({"type": "sell-everything", "id": 9}));
    let reply = host.next_json();
    assert_eq!(
        (reply["code"].as_str(), reply["id"].as_u64()),
        (Some("unknown-request"), Some(9))
    );

    host.send(&json!({"type": "ping", "id": 10}));
    assert_eq!(host.next_json()["type"], "pong");
    assert!(host.close().success());
}

#[test]
fn an_absurd_length_gets_one_error_frame_and_the_host_stops() {
    let mut host = start(&[&halo_origin()]);
    // A log line where a frame should be: its first four bytes read as 858927154 on x86.
    host.send_raw(b"2023-05-01 started\n");
    let reply = host.next_json();
    assert_eq!(reply["code"], "too-long");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains(&u32::from_ne_bytes(*b"2023").to_string())
    );
    assert!(!host.close().success());
}

#[test]
fn an_early_close_ends_the_host_without_writing() {
    let mut host = start(&[&halo_origin()]);
    host.send_raw(&100u32.to_ne_bytes());
    host.send_raw(b"{\"type\":");
    assert!(!host.close().success());
}

#[test]
fn another_extension_gets_an_error_frame() {
    let host = start(&["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"]);
    let reply = host.next_json();
    assert_eq!(reply["code"], "origin-refused");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("abcdefghijklmnopabcdefghijklmnop")
    );
    assert!(!host.close().success());
}

#[test]
fn windows_and_firefox_launches_are_host_mode_too() {
    let mut host = start(&[&halo_origin(), "--parent-window=6553"]);
    host.send(&json!({"type": "ping", "id": 1}));
    assert_eq!(host.next_json()["type"], "pong");
    assert!(host.close().success());

    let manifest = "/home/asha/.mozilla/native-messaging-hosts/in.halo.companion.json";
    let mut host = start(&[manifest, "halo@halo-for-angel-one"]);
    host.send(&json!({"type": "ping", "id": 2}));
    assert_eq!(host.next_json()["id"], 2);
    assert!(host.close().success());
}
