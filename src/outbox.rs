//! Delivery of the transactional outbox (`repo::outbox`): a worker in the API process takes
//! due messages through leases, sends them — over SMTP (`PNT_SMTP_URL`), or as `.eml` files
//! under `PNT_DATA_DIR/outbox/` when no server is configured — and records the outcome:
//! delivered, retried later with a doubling delay, or failed after the last attempt or a
//! permanent refusal. Messages survive restarts (they are rows), and several instances on one
//! PostgreSQL never send one message at once (the lease is taken by a conditional UPDATE).
//! A crash between the send and the record sends that message again once its lease runs out:
//! at least once, with the same `Message-ID` so a mailbox can tell.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::config::{MailSettings, SMTP_TIMEOUT, WebhookSettings};
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::http::links::Links;
use crate::repo::outbox::{self as repo, BerichtRow, BerichtSoort, NieuwBericht};
use crate::state::AppState;
use crate::webhooks::Bezorger;
use crate::wire::gebeurtenissen::Gebeurtenis;

/// The bodies of a mail, as the outbox stores them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mail {
    pub onderwerp: String,
    pub tekst: String,
    pub html: String,
}

/// Writes `mail` to `aan` in the outbox, inside the caller's transaction; returns its id.
pub fn schrijf_mail(c: &mut DbConn, aan: &str, mail: &Mail, nu: NaiveDateTime) -> ApiResult<i64> {
    let inhoud = serde_json::json!({ "tekst": mail.tekst, "html": mail.html }).to_string();
    let b = NieuwBericht { soort: BerichtSoort::Mail, ontvanger: aan, onderwerp: &mail.onderwerp, inhoud: &inhoud };
    Ok(repo::insert(c, &b, nu)?)
}

enum Verzender {
    Smtp(Box<SmtpTransport>),
    Bestand(FileTransport, PathBuf),
}

/// The outbox's sender, settings and wake-up call: one per process, shared by the state.
pub struct Outbox {
    verzender: Verzender,
    from: Mailbox,
    settings: MailSettings,
    webhooks: WebhookSettings,
    bezorger: Bezorger,
    /// This process, as it holds leases.
    instance: String,
    wekker: Notify,
    /// Set on shutdown: take no new message.
    stoppen: AtomicBool,
    /// Sends in flight.
    bezig: AtomicUsize,
}

/// Why a message was not delivered, and whether another attempt may help.
struct Fout {
    reden: String,
    blijvend: bool,
    /// A webhook receiver's HTTP status, if it answered.
    status: Option<u16>,
}

impl Fout {
    fn blijvend(reden: String) -> Fout {
        Fout { reden, blijvend: true, status: None }
    }
}

/// A webhook delivery ready to send: the receiver, the message id, the signing secret and the
/// event as JSON.
struct Levering {
    url: String,
    id: String,
    geheim: String,
    body: String,
}

impl Outbox {
    /// The sender `settings` describe, writing `.eml` files under `data_dir` without SMTP, and
    /// delivering webhooks as `webhooks` says.
    pub fn new(
        settings: &MailSettings,
        webhooks: &WebhookSettings,
        data_dir: &std::path::Path,
    ) -> Result<Outbox, String> {
        let from: Mailbox =
            settings.from.parse().map_err(|e| format!("PNT_MAIL_FROM: not a mail address ({e}): {}", settings.from))?;
        let verzender = match &settings.smtp_url {
            Some(url) => {
                let t = SmtpTransport::from_url(url).map_err(|e| format!("PNT_SMTP_URL: {e}"))?;
                Verzender::Smtp(Box::new(t.timeout(Some(SMTP_TIMEOUT)).build()))
            }
            None => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Verzender::Bestand(FileTransport::new(&dir), dir)
            }
        };
        Ok(Outbox {
            verzender,
            from,
            settings: settings.clone(),
            webhooks: webhooks.clone(),
            bezorger: Bezorger::new(webhooks),
            instance: uuid::Uuid::new_v4().to_string(),
            wekker: Notify::new(),
            stoppen: AtomicBool::new(false),
            bezig: AtomicUsize::new(0),
        })
    }

    /// Where mail goes, for the start-up log.
    pub fn beschrijving(&self) -> String {
        match &self.verzender {
            Verzender::Smtp(_) => "SMTP (PNT_SMTP_URL)".into(),
            Verzender::Bestand(_, dir) => format!(".eml files in {} (no PNT_SMTP_URL)", dir.display()),
        }
    }

    /// Wakes the worker: a change just committed a message.
    pub fn wek(&self) {
        self.wekker.notify_one();
    }

    fn bericht(&self, row: &BerichtRow) -> Result<Message, Fout> {
        let blijvend = Fout::blijvend;
        let aan: Mailbox = row.ontvanger.parse().map_err(|e| blijvend(format!("not a mail address: {e}")))?;
        let mail: Mail = row
            .inhoud
            .as_deref()
            .and_then(|i| serde_json::from_str::<serde_json::Value>(i).ok())
            .and_then(|v| {
                Some(Mail {
                    onderwerp: row.onderwerp.clone(),
                    tekst: v.get("tekst")?.as_str()?.to_string(),
                    html: v.get("html")?.as_str()?.to_string(),
                })
            })
            .ok_or_else(|| blijvend("the message has no body".into()))?;
        let deel = |soort: ContentType, body: String| {
            SinglePart::builder().header(soort).header(ContentTransferEncoding::QuotedPrintable).body(body)
        };
        Message::builder()
            .from(self.from.clone())
            .to(aan)
            .subject(mail.onderwerp)
            .message_id(Some(message_id(row.id, &self.from)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(deel(ContentType::TEXT_PLAIN, mail.tekst))
                    .singlepart(deel(ContentType::TEXT_HTML, mail.html)),
            )
            .map_err(|e| blijvend(format!("cannot build the message: {e}")))
    }

    /// Sends one mail (blocking): its id at the receiver (`Message-ID`, or the `.eml` path).
    fn verzend(&self, row: &BerichtRow) -> Result<String, Fout> {
        let bericht = self.bericht(row)?;
        match &self.verzender {
            Verzender::Smtp(t) => match t.send(&bericht) {
                Ok(_) => Ok(message_id(row.id, &self.from)),
                Err(e) => Err(Fout { reden: format!("SMTP: {e}"), blijvend: e.is_permanent(), status: None }),
            },
            Verzender::Bestand(t, dir) => match t.send(&bericht) {
                Ok(id) => {
                    let pad = dir.join(format!("{id}.eml"));
                    log::info!("mail {} to the outbox folder: {}", row.id, pad.display());
                    Ok(pad.display().to_string())
                }
                Err(e) => {
                    Err(Fout { reden: format!("cannot write the .eml file: {e}"), blijvend: false, status: None })
                }
            },
        }
    }

    /// Delivers one webhook (blocking): the receiver's HTTP status.
    fn lever(&self, l: &Levering, tijdstip: i64) -> Result<String, Fout> {
        self.bezorger
            .post(&l.url, &l.id, tijdstip, &l.geheim, &l.body)
            .map(|status| format!("HTTP {status}"))
            .map_err(|m| Fout { reden: m.reden, blijvend: false, status: m.status })
    }

    /// When to try again after attempt `poging` (1-based) of a message of kind `soort`: its
    /// retry delay, doubled per attempt, at most an hour; `None` when that was the last attempt.
    fn volgende(&self, soort: BerichtSoort, poging: i32, nu: NaiveDateTime) -> Option<NaiveDateTime> {
        let (max, retry) = match soort {
            BerichtSoort::Mail => (self.settings.max_attempts, self.settings.retry),
            BerichtSoort::Webhook => (self.webhooks.max_attempts, self.webhooks.retry),
        };
        if poging >= i32::try_from(max).unwrap_or(i32::MAX) {
            return None;
        }
        let factor = 1u32 << (poging - 1).clamp(0, 16);
        let wacht = retry.saturating_mul(factor).min(Duration::from_secs(3600));
        Some(nu + chrono::Duration::from_std(wacht).unwrap_or_default())
    }
}

fn message_id(id: i64, from: &Mailbox) -> String {
    format!("<outbox-{id}@{}>", from.email.domain())
}

/// Delivers every message due now, one at a time; returns how many this call handled
/// (delivered, retried later or failed). Messages another instance holds are left alone.
pub async fn verwerk(state: &AppState) -> ApiResult<usize> {
    let outbox = state.outbox.clone();
    let mut gedaan = 0;
    loop {
        let nu = state.clock.now();
        let ids = state.db.run(move |c| Ok(repo::due(c, nu, 20)?)).await?;
        if ids.is_empty() {
            return Ok(gedaan);
        }
        let mut genomen = 0;
        for id in ids {
            if outbox.stoppen.load(Ordering::SeqCst) {
                return Ok(gedaan);
            }
            if verwerk_een(state, &outbox, id).await? {
                genomen += 1;
                gedaan += 1;
            }
        }
        if genomen == 0 {
            // Every due message is another instance's now.
            return Ok(gedaan);
        }
    }
}

async fn verwerk_een(state: &AppState, outbox: &Arc<Outbox>, id: i64) -> ApiResult<bool> {
    let nu = state.clock.now();
    let (instance, lease) = (outbox.instance.clone(), outbox.settings.lease);
    let lease = chrono::Duration::from_std(lease).unwrap_or_default();
    let Some(row) = state.db.write(move |c| Ok(repo::claim(c, id, &instance, nu, lease)?)).await? else {
        return Ok(false);
    };
    outbox.bezig.fetch_add(1, Ordering::SeqCst);
    let _klaar = Bezig(outbox.clone());
    let o = outbox.clone();
    let (poging, soort) = (row.pogingen, row.soort);
    let uitkomst = match soort {
        BerichtSoort::Mail => actix_web::web::block(move || o.verzend(&row)).await,
        BerichtSoort::Webhook => match levering(state, &row).await? {
            Ok(l) => {
                let tijdstip = nu.and_utc().timestamp();
                actix_web::web::block(move || o.lever(&l, tijdstip)).await
            }
            Err(f) => Ok(Err(f)),
        },
    }
    .unwrap_or_else(|e| Err(Fout { reden: format!("the sender stopped: {e}"), blijvend: false, status: None }));
    // A webhook's receiver answered with this status (the mail path has none).
    let http_status = match &uitkomst {
        Ok(b) => b.strip_prefix("HTTP ").and_then(|s| s.parse().ok()),
        Err(f) => f.status.map(i32::from),
    };
    let nu = state.clock.now();
    let uitkomst = uitkomst.map_err(|f| {
        let opnieuw = if f.blijvend { None } else { outbox.volgende(soort, poging, nu) };
        match opnieuw {
            Some(t) => log::warn!("outbox message {id}, attempt {poging}: {}; next attempt at {t} UTC", f.reden),
            None => log::error!("outbox message {id} failed after attempt {poging}: {}", f.reden),
        }
        (f.reden, opnieuw)
    });
    let instance = outbox.instance.clone();
    let bijgehouden =
        state.db.write(move |c| Ok(repo::afhandelen(c, id, &instance, nu, uitkomst, http_status)?)).await?;
    if !bijgehouden {
        log::warn!("outbox message {id}: the lease ran out while sending; another attempt may follow");
    }
    Ok(true)
}

/// Counts a send in flight until it is recorded (or the task is dropped).
struct Bezig(Arc<Outbox>);

impl Drop for Bezig {
    fn drop(&mut self) {
        self.0.bezig.fetch_sub(1, Ordering::SeqCst);
    }
}

/// On shutdown: the worker takes no new message, and this waits up to `grace` for the sends in
/// flight to be recorded.
pub async fn stop(state: &AppState, grace: Duration) {
    state.outbox.stoppen.store(true, Ordering::SeqCst);
    state.outbox.wek();
    let einde = std::time::Instant::now() + grace;
    while state.outbox.bezig.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < einde {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a webhook delivery sends: the event as the change feed shows it (links on
/// `PNT_PUBLIC_BASE_URL`, else on the bind address) and the subscription's secret. An event or
/// subscription that is gone fails the delivery for good.
async fn levering(state: &AppState, row: &BerichtRow) -> ApiResult<Result<Levering, Fout>> {
    let (webhook, gebeurtenis) = (row.webhook_id, row.gebeurtenis_id);
    let gelezen = state
        .db
        .run(move |c| {
            let w = match webhook {
                Some(id) => crate::repo::webhooks::find_any(c, id)?,
                None => None,
            };
            let g = match gebeurtenis {
                Some(id) => crate::repo::gebeurtenissen::find(c, id)?,
                None => None,
            };
            Ok((w, g))
        })
        .await?;
    let (Some(w), Some(g)) = gelezen else {
        return Ok(Err(Fout::blijvend("the subscription or the event is gone (retention)".into())));
    };
    let base = state.settings.public_base_url.clone().unwrap_or_else(|| format!("http://{}", state.settings.bind));
    let event = Gebeurtenis::van(&Links::new(base), g);
    let body = serde_json::to_string(&event).map_err(crate::error::ApiError::internal)?;
    Ok(Ok(Levering { url: w.url, id: format!("evt_{}", event.id), geheim: w.geheim, body }))
}

/// Forgets the change feed's events older than the retention period; how many.
pub async fn vergeet_gebeurtenissen(state: &AppState) -> ApiResult<usize> {
    let dagen = i64::from(state.settings.event_retention_days);
    let voor = state.clock.now() - chrono::Duration::days(dagen);
    state.db.write(move |c| Ok(crate::repo::gebeurtenissen::vergeet(c, voor)?)).await
}

/// Runs the worker on the current actix runtime until the process ends: delivers what is due,
/// then waits for a wake-up (`Outbox::wek`) or the poll interval; once an hour it also forgets
/// events past their retention (harmless when several instances do it).
pub fn start(state: AppState) {
    actix_web::rt::spawn(async move {
        let poll = state.settings.mail.poll;
        let mut opgeruimd: Option<std::time::Instant> = None;
        while !state.outbox.stoppen.load(Ordering::SeqCst) {
            if let Err(e) = verwerk(&state).await {
                log::warn!("outbox: {e}");
            }
            if opgeruimd.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                match vergeet_gebeurtenissen(&state).await {
                    Ok(n) if n > 0 => log::info!("change feed: {n} event(s) past retention removed"),
                    Ok(_) => {}
                    Err(e) => log::warn!("change feed retention: {e}"),
                }
                opgeruimd = Some(std::time::Instant::now());
            }
            let wekker = state.outbox.wekker.notified();
            let _ = actix_web::rt::time::timeout(poll, wekker).await;
        }
    });
}
