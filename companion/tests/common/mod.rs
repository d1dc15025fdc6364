//! What the companion's integration tests share: the real `halo` binary run with a config
//! folder of the test's own, the real `halo sandbox` on a free port, and halo-core's requests
//! sent to it over real HTTP.

// Each test file compiles this module by itself and uses only part of it.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use halo_core::smartapi::{Endpoint, HttpRequest, HttpResponse, Method};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The start of the line `halo sandbox` prints once it listens; the port follows it.
const READY: &str = "halo sandbox listening on http://127.0.0.1:";

/// Sends a halo-core request over real HTTP and hands back what a transport would, with the
/// response's headers; `None` when the connection gave no answer at all.
pub async fn try_send(request: &HttpRequest) -> Option<(HttpResponse, HeaderMap)> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
    };
    let mut builder = reqwest::Client::new().request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }

    let response = builder.send().await.ok()?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.text().await.ok()?;
    let response = HttpResponse {
        status,
        content_type,
        body,
    };
    Some((response, headers))
}

/// Sends a request that must be answered with JSON, and hands back that JSON.
pub async fn send_json(request: &HttpRequest) -> Value {
    let (response, _) = try_send(request).await.expect("an answer");
    serde_json::from_str(&response.body).unwrap_or_else(|_| panic!("{response:?}"))
}

/// The `halo` binary under test with `HALO_CONFIG_DIR` set to `config`, so that no test reads
/// or writes the config of whoever runs it.
pub fn halo(config: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_halo"));
    command.env("HALO_CONFIG_DIR", config);
    command
}

/// Runs `command` with `stdin` as its whole standard input, and returns its exit status and
/// everything it wrote to stdout and stderr.
pub fn run_with_stdin(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A path for a scratch file in Cargo's temporary folder, named after this process so that
/// test binaries running side by side never share one.
pub fn scratch_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{}-{name}", std::process::id()))
}

/// A running `halo sandbox`, killed when dropped so that a failing test leaves no process
/// behind.
pub struct Sandbox {
    pub child: Child,
    /// `http://127.0.0.1:<port>`, the root the ready line named.
    pub root: String,
    /// The same root as halo-core's request builders take it.
    pub endpoint: Endpoint,
    /// Held open so that the sandbox never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Sandbox {
    /// `halo sandbox --port 0`, with `--accounts <accounts>` when given, then `extra`; nothing
    /// on its standard input.
    pub fn command(accounts: Option<&Path>, extra: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_halo"));
        command.args(["sandbox", "--port", "0"]);
        if let Some(accounts) = accounts {
            command.arg("--accounts").arg(accounts);
        }
        command.args(extra).stdin(Stdio::null());
        command
    }

    /// The sandbox with its built-in demo account (README: all values made up), logs dropped.
    pub fn start() -> Sandbox {
        Sandbox::spawn(Sandbox::command(None, &[]), None)
    }

    /// Spawns `command` (from [`Sandbox::command`]) and waits for its ready line, which must
    /// name a real port. Its stderr goes to `log` when given, named if the line is wrong.
    pub fn spawn(mut command: Command, log: Option<PathBuf>) -> Sandbox {
        let stderr = match &log {
            Some(path) => Stdio::from(File::create(path).unwrap()),
            None => Stdio::null(),
        };
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let port: Option<u16> = stdout.read_line(&mut line).ok().and_then(|_| {
            line.strip_prefix(READY)
                .and_then(|rest| rest.strip_suffix('\n'))
                .and_then(|port| port.parse().ok())
        });
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected ready line {line:?}; stderr in {log:?}");
        };

        let root = format!("http://127.0.0.1:{port}");
        let sandbox = Sandbox {
            child,
            endpoint: Endpoint::parse(&root).unwrap(),
            root,
            _stdout: stdout,
        };
        assert_ne!(port, 0);
        sandbox
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
