//! A request head that is too large (over actix-http's fixed 128 KiB, or more than 96 header
//! lines) never reaches the application: actix-http answers it itself with an empty `431`.
//! Its size limit cannot be raised, and there is no hook for that response, so every
//! connection passes through [`HeadGuard`], which replaces that one response — recognised by
//! its exact bytes, the last response on its connection — by a problem+json `431` with a
//! `BelGov-Trace-Id` and the security headers every other response carries (README, "API
//! conventions").

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_codec::{AsyncRead, AsyncWrite, ReadBuf};
use actix_web::http::StatusCode;

use crate::error::{PROBLEM_JSON, problem_for_status};
use crate::http::conventions::{TRACE_HEADER, security_headers};

/// The start of actix-http's own 431 response (`h1::Dispatcher`, `ParseError::TooLarge`):
/// status line and an empty body. No other response starts like this: the application's
/// errors always carry a problem body, and a body cannot contain a raw CR LF of a header
/// (JSON escapes it, text input refuses control characters).
const FRAMEWORK_431: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n";

/// A connection whose framework `431` is rewritten into a problem response.
pub struct HeadGuard<T> {
    io: T,
    /// Bytes accepted from the writer but not yet written to the connection.
    pending: Vec<u8>,
}

impl<T> HeadGuard<T> {
    pub fn new(io: T) -> Self {
        HeadGuard { io, pending: Vec::new() }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The complete problem response for a request head that is too large. `date` is the value
/// of the framework response's `date` header, kept when present.
pub fn problem_response(date: Option<&str>) -> Vec<u8> {
    let trace = uuid::Uuid::new_v4().to_string();
    let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    let problem = problem_for_status(status).to_problem();
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    log::warn!(
        "trace={trace} status=431 instance={}: request head over the size limit refused before routing",
        problem.instance
    );
    let mut head = format!(
        "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {}\r\nconnection: close\r\n{}: {trace}\r\n",
        body.len(),
        TRACE_HEADER.to_ascii_lowercase(),
    );
    for (name, value) in security_headers(false) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(date) = date {
        head.push_str(&format!("date: {date}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(&body);
    out
}

/// `buf` with the framework's 431 response replaced, or `None` when it holds none (or only
/// part of one: actix-http writes a response head in one piece, so a part cannot occur at
/// the start of a write).
fn rewrite(buf: &[u8]) -> Option<Vec<u8>> {
    let start = find(buf, FRAMEWORK_431)?;
    let head_len = find(&buf[start..], b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[start..start + head_len]).ok()?;
    let date = head.split("\r\n").find_map(|line| line.strip_prefix("date: "));
    let mut out = buf[..start].to_vec();
    out.extend(problem_response(date));
    out.extend_from_slice(&buf[start + head_len..]);
    Some(out)
}

impl<T: AsyncWrite + Unpin> HeadGuard<T> {
    /// Writes what was accepted earlier; `Ready` once nothing is pending.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &self.pending))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for HeadGuard<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for HeadGuard<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(replaced) = rewrite(buf) {
            // Accepted whole; written by this and the following polls.
            this.pending = replaced;
            if let Poll::Ready(Err(e)) = this.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_framework_431_is_replaced() {
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        assert!(rewrite(ok).is_none());
        let mut buf = ok.to_vec();
        buf.extend_from_slice(FRAMEWORK_431);
        buf.extend_from_slice(b"date: Tue, 01 Dec 2026 09:00:00 GMT\r\n\r\n");
        let out = String::from_utf8(rewrite(&buf).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 431 "));
        assert!(out.contains("content-type: application/problem+json\r\n"));
        assert!(out.contains("date: Tue, 01 Dec 2026 09:00:00 GMT\r\n"));
        assert!(out.contains("belgov-trace-id: "));
        assert!(out.contains("x-content-type-options: nosniff\r\n"));
        let body = out.split("\r\n\r\n").nth(2).unwrap();
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 431);
        let length: usize =
            out.split("content-length: ").nth(2).unwrap().split("\r\n").next().unwrap().parse().unwrap();
        assert_eq!(length, body.len());
    }
}
