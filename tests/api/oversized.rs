//! A request head too large for the framework (actix-http refuses it before routing) is still
//! answered with a problem, by the real server (`startup::server`, what `serve` runs) on a
//! loopback port, over a raw TCP connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::helpers::*;
use pnt_api::auth::Role;
use serde_json::Value;

/// Starts the real server over the test app's state; returns its address.
fn real_server(app: &TestApp) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = pnt_api::startup::server(app.state.clone(), vec![listener], Some(1)).unwrap();
    actix_rt::spawn(server);
    addr
}

/// Sends `request` and reads the response until the server closes or the response is complete.
async fn raw(addr: std::net::SocketAddr, request: Vec<u8>) -> (u16, Vec<(String, String)>, String) {
    actix_web::web::block(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut reader = stream.try_clone().unwrap();
        // Written beside the reading: the server answers before it has read everything.
        let writer = std::thread::spawn(move || {
            let _ = stream.write_all(&request);
        });
        let mut response = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => response.extend_from_slice(&buf[..n]),
            }
            if complete(&response) {
                break;
            }
        }
        let _ = writer.join();
        parse(&response)
    })
    .await
    .unwrap()
}

fn complete(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse::<usize>()));
    matches!(length, Some(Ok(n)) if body.len() >= n)
}

fn parse(response: &[u8]) -> (u16, Vec<(String, String)>, String) {
    let text = String::from_utf8_lossy(response).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no response head in {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers =
        lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_ascii_lowercase(), v.to_string())).collect();
    (status, headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn assert_problem_431(status: u16, headers: &[(String, String)], body: &str) {
    assert_eq!(status, 431, "{headers:?} {body}");
    assert_eq!(header(headers, "content-type"), Some("application/problem+json"));
    let trace = header(headers, "belgov-trace-id").expect("a trace id");
    assert!(uuid::Uuid::parse_str(trace).is_ok(), "{trace}");
    assert_eq!(header(headers, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(headers, "x-frame-options"), Some("DENY"));
    assert_eq!(header(headers, "cache-control"), Some("no-store"));
    assert!(header(headers, "content-security-policy").is_some());
    let problem: Value = serde_json::from_str(body).unwrap();
    assert_eq!(problem["status"], 431);
    assert_eq!(problem["type"], "urn:problem-type:pnt:requestHeaderFieldsTooLarge");
    assert!(problem["instance"].as_str().unwrap().starts_with("urn:uuid:"));
}

#[actix_web::test]
async fn an_authorization_header_of_200_kb_gets_a_431_problem_from_the_real_server() {
    let app = TestApp::spawn().await;
    let addr = real_server(&app);

    // The real server answers an ordinary request as usual.
    let token = app.token(Role::Admin, "admin");
    let ok =
        format!("GET /v1/me HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    let (status, headers, body) = raw(addr, ok.into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    assert!(header(&headers, "belgov-trace-id").is_some());

    let huge =
        format!("GET /v1/me HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n", "a".repeat(200 * 1024));
    let (status, headers, body) = raw(addr, huge.into_bytes()).await;
    assert_problem_431(status, &headers, &body);
}

#[actix_web::test]
async fn too_many_header_fields_get_a_431_problem() {
    let app = TestApp::spawn().await;
    let addr = real_server(&app);
    let mut request = format!("GET /v1/gemeenten HTTP/1.1\r\nHost: {addr}\r\n");
    for i in 0..120 {
        request.push_str(&format!("X-Filler-{i}: {i}\r\n"));
    }
    request.push_str("\r\n");
    let (status, headers, body) = raw(addr, request.into_bytes()).await;
    assert_problem_431(status, &headers, &body);
}
