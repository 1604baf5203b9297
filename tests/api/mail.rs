//! Mail in tests: an SMTP server on a loopback port (a few dozen lines over std threads, enough
//! for lettre's conversation: EHLO, MAIL, RCPT, DATA, QUIT), replies it can be told to give
//! instead of accepting, and reading a signing link out of a received mail or an `.eml` file of
//! the zero-configuration outbox.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::helpers::*;

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Ontvangen {
    pub van: String,
    pub aan: Vec<String>,
    /// The message, transfer encoding undone (quoted-printable).
    pub tekst: String,
}

impl Ontvangen {
    pub fn message_id(&self) -> String {
        self.tekst
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }
}

#[derive(Clone)]
pub struct SmtpServer {
    pub poort: u16,
    pub ontvangen: Arc<Mutex<Vec<Ontvangen>>>,
    /// Replies to give to the next `MAIL FROM`s instead of accepting (`451 …`, `550 …`).
    pub weiger: Arc<Mutex<VecDeque<String>>>,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = SmtpServer {
            poort: listener.local_addr().unwrap().port(),
            ontvangen: Arc::default(),
            weiger: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = s.gesprek(stream);
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.poort)
    }

    pub fn weiger_volgende(&self, antwoorden: &[&str]) {
        self.weiger.lock().unwrap().extend(antwoorden.iter().map(|a| a.to_string()));
    }

    pub fn mails(&self) -> Vec<Ontvangen> {
        self.ontvangen.lock().unwrap().clone()
    }

    fn gesprek(&self, stream: TcpStream) -> std::io::Result<()> {
        let mut out = stream.try_clone()?;
        let mut lezer = BufReader::new(stream);
        out.write_all(b"220 pnt-test ESMTP\r\n")?;
        let (mut van, mut aan) = (String::new(), Vec::new());
        let mut regel = String::new();
        loop {
            regel.clear();
            if lezer.read_line(&mut regel)? == 0 {
                return Ok(());
            }
            let opdracht = regel.trim_end().to_string();
            let hoofd = opdracht.to_ascii_uppercase();
            if hoofd.starts_with("EHLO") || hoofd.starts_with("HELO") {
                out.write_all(b"250 pnt-test\r\n")?;
            } else if hoofd.starts_with("MAIL FROM:") {
                let weigering = self.weiger.lock().unwrap().pop_front();
                match weigering {
                    Some(antwoord) => out.write_all(format!("{antwoord}\r\n").as_bytes())?,
                    None => {
                        van = opdracht[10..].trim().to_string();
                        aan.clear();
                        out.write_all(b"250 OK\r\n")?;
                    }
                }
            } else if hoofd.starts_with("RCPT TO:") {
                aan.push(opdracht[8..].trim().trim_matches(['<', '>']).to_string());
                out.write_all(b"250 OK\r\n")?;
            } else if hoofd == "DATA" {
                out.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = String::new();
                loop {
                    regel.clear();
                    if lezer.read_line(&mut regel)? == 0 {
                        return Ok(());
                    }
                    if regel == ".\r\n" || regel == ".\n" {
                        break;
                    }
                    data.push_str(regel.strip_prefix('.').filter(|_| regel.starts_with("..")).unwrap_or(&regel));
                }
                let m = Ontvangen { van: van.clone(), aan: aan.clone(), tekst: qp_decode(&data) };
                self.ontvangen.lock().unwrap().push(m);
                out.write_all(b"250 OK queued\r\n")?;
            } else if hoofd == "QUIT" {
                out.write_all(b"221 Bye\r\n")?;
                return Ok(());
            } else {
                out.write_all(b"250 OK\r\n")?;
            }
        }
    }
}

/// Undoes quoted-printable: soft line breaks and `=XX` escapes (UTF-8).
pub fn qp_decode(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Some(byte) = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The signing link in a mail (its first occurrence) and its token.
pub fn link_uit(mail: &str) -> (String, String) {
    let start = mail.find("http://").expect("a link in the mail");
    let url: String = mail[start..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
    let token = url.rsplit('/').next().unwrap().to_string();
    (url, token)
}

/// Delivers what the outbox holds now; how many messages were handled.
pub async fn bezorg(app: &TestApp) -> usize {
    pnt_api::outbox::verwerk(&app.state).await.unwrap()
}

/// The outbox message of signing link `link_id`: (status, attempts, bericht_id).
pub async fn bericht_van_link(app: &TestApp, link_id: i64) -> (String, i32, Option<String>) {
    app.db(move |c| {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use pnt_api::db::schema::{ondertekenverzoeken as l, outbox as o};
        Ok(l::table
            .inner_join(o::table)
            .filter(l::id.eq(link_id))
            .select((o::status, o::pogingen, o::bericht_id))
            .first(c)?)
    })
    .await
}

/// The mail of signing link `link_id` as the zero-configuration outbox wrote it (`.eml`),
/// delivering first.
pub async fn eml_van_link(app: &TestApp, link_id: i64) -> String {
    bezorg(app).await;
    let (status, _, pad) = bericht_van_link(app, link_id).await;
    assert_eq!(status, "verzonden");
    let pad = pad.expect("the .eml path");
    assert!(pad.starts_with(&app.state.settings.data_dir.join("outbox").display().to_string()), "{pad}");
    qp_decode(&std::fs::read_to_string(pad).unwrap())
}
