//! The binary's subcommands and its start-up errors.

use std::process::{Command, Output};

fn pnt(args: &[&str], env: &[(&str, &str)], data_dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pnt-api"));
    cmd.args(args).current_dir(data_dir);
    for var in [
        "DATABASE_URL",
        "PNT_JWT_SECRET",
        "PNT_JWT_PUBLIC_KEY",
        "PNT_JWT_ISSUER",
        "PNT_JWT_AUDIENCE",
        "PNT_JWT_JWKS_URL",
        "PNT_OIDC_ISSUER",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("PNT_DATA_DIR", data_dir.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn token_uses_the_generated_secret_of_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = pnt(&["token", "--sub", "tb-1", "--role", "trajectbegeleider", "--ttl", "5"], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.split('.').count(), 3, "only the token is printed");

    let secret_file = dir.path().join("data/jwt-secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let secret = std::fs::read(&secret_file).unwrap();
    let jwt = pnt_api::config::JwtSettings {
        secret: Some(secret),
        secret_source: "file".into(),
        public_key_pem: None,
        issuer: None,
        audience: None,
        access_token_ttl: std::time::Duration::from_secs(60),
        max_lifetime: std::time::Duration::from_secs(24 * 3600),
        jwks: None,
        oidc: None,
    };
    let caller = pnt_api::auth::TokenService::new(&jwt).unwrap().verify(&token).unwrap();
    assert_eq!(caller.sub, "tb-1");
    assert_eq!(caller.roles, vec![pnt_api::auth::Role::Trajectbegeleider]);
    let minutes = (caller.expires_at - chrono::Utc::now()).num_minutes();
    assert!((3..=5).contains(&minutes), "{minutes}");
}

#[test]
fn token_rejects_unknown_roles() {
    let dir = tempfile::tempdir().unwrap();
    let out = pnt(&["token", "--sub", "x", "--role", "superuser"], &[], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
}

fn one_line_failure(out: &Output, mentions: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = err.lines().filter(|l| l.starts_with("pnt-api:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains(mentions), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
}

#[test]
fn malformed_database_url_stops_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = pnt(&["migrate"], &[("DATABASE_URL", "postgresdb://localhost/x")], dir.path());
    one_line_failure(&out, "DATABASE_URL");
    // Nothing was created under the mistyped name.
    assert!(!dir.path().join("postgresdb:").exists());
}

#[test]
fn unreachable_database_stops_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = pnt(&["migrate"], &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")], dir.path());
    one_line_failure(&out, "cannot connect to the database");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("nobody@"), "credentials are not printed");
}

#[test]
fn malformed_key_file_stops_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = pnt(&["migrate"], &[("PNT_JWT_PUBLIC_KEY", "/nonexistent/key.pem")], dir.path());
    one_line_failure(&missing, "PNT_JWT_PUBLIC_KEY");
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a key").unwrap();
    let out = pnt(&["migrate"], &[("PNT_JWT_PUBLIC_KEY", junk.to_str().unwrap())], dir.path());
    one_line_failure(&out, "PNT_JWT_PUBLIC_KEY");
    let short = pnt(&["migrate"], &[("PNT_JWT_SECRET", "short")], dir.path());
    one_line_failure(&short, "PNT_JWT_SECRET");
}

#[test]
fn migrate_creates_the_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = pnt(&["migrate"], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("data/pnt.db").exists());
    // And again: idempotent.
    assert!(pnt(&["migrate"], &[], dir.path()).status.success());
}

#[test]
fn an_oidc_issuer_that_contradicts_pnt_jwt_issuer_or_the_jwks_url_stops_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = [("PNT_OIDC_ISSUER", "https://idp.example.be"), ("PNT_JWT_ISSUER", "https://other.example.be")];
    one_line_failure(&pnt(&["migrate"], &issuer, dir.path()), "PNT_JWT_ISSUER");
    let both = [("PNT_OIDC_ISSUER", "https://idp.example.be"), ("PNT_JWT_JWKS_URL", "https://idp.example.be/jwks")];
    one_line_failure(&pnt(&["migrate"], &both, dir.path()), "not both");
}

/// `SIGTERM` (issue 16): the instance lets a request in flight finish — a long poll of the change
/// feed that answers after two seconds — and then exits cleanly; with `PNT_LOG_FORMAT=json`
/// every log line is a JSON object and the request's lines carry its trace id.
#[test]
fn sigterm_lets_a_request_in_flight_finish_and_json_logs_carry_the_trace_id() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let secret = ("PNT_JWT_SECRET", "a-shutdown-test-secret-of-32-bytes!!");
    let token = pnt(&["token", "--sub", "admin-1", "--role", "admin"], &[secret], dir.path());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pnt-api"));
    cmd.arg("serve").current_dir(dir.path());
    for var in [
        "DATABASE_URL",
        "PNT_JWT_PUBLIC_KEY",
        "PNT_JWT_ISSUER",
        "PNT_JWT_AUDIENCE",
        "PNT_JWT_JWKS_URL",
        "PNT_OIDC_ISSUER",
    ] {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .env("PNT_DATA_DIR", dir.path().join("data"))
        .env(secret.0, secret.1)
        .env("PNT_BIND", "127.0.0.1:0")
        .env("PNT_LOG_FORMAT", "json")
        .env("PNT_SHUTDOWN_GRACE", "10")
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let addr = loop {
        let line = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the server starts");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        lines.push(v.clone());
        let message = v["message"].as_str().unwrap_or_default();
        if let Some(rest) = message.strip_prefix("PNT API listening on http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };

    let request = std::thread::spawn({
        let (addr, token) = (addr.clone(), token.clone());
        move || {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "GET /v1/gebeurtenissen?wacht=2 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                 BelGov-Trace-Id: shutdown-test-1\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut answer = String::new();
            s.read_to_string(&mut answer).unwrap();
            answer
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(700));
    let sent = std::time::Instant::now();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
    let answer = request.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "the long poll in flight is answered: {answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean exit after SIGTERM: {status:?}");
    assert!(sent.elapsed() < std::time::Duration::from_secs(10), "within the grace period");
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(2)) {
        lines.push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")));
    }
    let access = lines
        .iter()
        .find(|l| l["message"].as_str().is_some_and(|m| m.contains("/v1/gebeurtenissen")))
        .unwrap_or_else(|| panic!("an access log line: {lines:?}"));
    assert_eq!(access["traceId"], "shutdown-test-1");
    assert!(lines.iter().all(|l| l["level"].is_string() && l["timestamp"].is_string()));
}
