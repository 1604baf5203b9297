//! The `pnt-api` binary: `serve` (default), `migrate`, `openapi`, `token`.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same in its v2 and v3 headers; the Rust bindings do
/// not name it). 0: freed memory goes back to the OS at once instead of after 10 ms. Loading the
/// search catalogue and feed pushes free tens of megabytes in bursts; with the delay they stayed
/// resident (issue 15: peak after a 55,000-offer load 127 → 94 MB, steady 88 → 72 MB).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// `mi_option_arena_eager_commit` (also the same in both): 0 commits arena memory as it is used
/// instead of up front. Peak RSS while loading the realistic data set over feeds 133 → 122-126 MB,
/// no throughput lost (issue 15).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

use clap::{Parser, Subcommand};
use pnt_api::auth::{Role, TokenRequest, TokenService};
use pnt_api::config::Settings;
use pnt_api::startup;

#[derive(Parser)]
#[command(name = "pnt-api", version, about = "PNT API: participatie- en netwerktraject")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and load the reference data, then exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Erase the personal data of newcomers past the retention period (PNT_RETENTION_YEARS) once,
    /// as the daily job does; with --dry-run only list them.
    Retentie {
        /// List who would be erased (id, dossiernummer, why) and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a development token signed with the configured HS256 secret.
    Token {
        /// Subject: user or client id.
        #[arg(long)]
        sub: String,
        /// Role (repeatable): admin, trajectbegeleider, inburgeraar, aanbieder, lokaalBestuur,
        /// netwerkcoordinator, feedClient.
        #[arg(long = "role", value_parser = parse_role, required = true)]
        roles: Vec<Role>,
        /// NIS code of a municipality (repeatable).
        #[arg(long = "gemeente")]
        gemeenten: Vec<String>,
        /// Organisation id (aanbieder).
        #[arg(long)]
        organisatie: Option<String>,
        /// Regional network code (netwerkcoordinator).
        #[arg(long)]
        regio: Option<String>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// E-mail address (the OpenID Connect `email` claim).
        #[arg(long)]
        email: Option<String>,
        /// Lifetime in minutes.
        #[arg(long, default_value_t = 60)]
        ttl: i64,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role '{s}'; one of {}", all.join(", "))
    })
}

/// Transparent huge pages turn every small touch of a fresh allocator region into 2 MiB of
/// resident memory; with a thread pool that multiplies the RSS for no gain in a small service.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process; no memory is passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    // SAFETY: sets allocator options before the program allocates in earnest.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
    disable_transparent_huge_pages();
    dotenvy::dotenv().ok();
    let cli = Cli::parse();
    let quiet = matches!(cli.command, Some(Command::Openapi | Command::Token { .. } | Command::Retentie { .. }));
    let mut logger = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(if quiet {
        "warn"
    } else {
        "info"
    }));
    match std::env::var("PNT_LOG_FORMAT").as_deref().map(str::trim) {
        Err(_) | Ok("" | "text") => {}
        Ok("json") => {
            logger.format(json_line);
        }
        Ok(other) => {
            eprintln!("pnt-api: PNT_LOG_FORMAT: expected text or json, got {other}");
            return ExitCode::FAILURE;
        }
    }
    logger.init();
    match run(cli.command.unwrap_or(Command::Serve)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pnt-api: {message}");
            ExitCode::FAILURE
        }
    }
}

/// One log record as a JSON line (`PNT_LOG_FORMAT=json`).
fn json_line(buf: &mut env_logger::fmt::Formatter, record: &log::Record<'_>) -> std::io::Result<()> {
    use std::io::Write;
    let line = pnt_api::http::conventions::json_log_line(
        &buf.timestamp_millis().to_string(),
        record.level().as_str(),
        record.target(),
        &record.args().to_string(),
    );
    writeln!(buf, "{line}")
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve => {
            let settings = Settings::from_env().map_err(|e| e.to_string())?;
            actix_web::rt::System::new().block_on(startup::serve(settings)).map_err(|e| e.to_string())
        }
        Command::Migrate => {
            let settings = Settings::from_env().map_err(|e| e.to_string())?;
            let url = settings.database_url.clone();
            startup::build_state(settings).map_err(|e| e.to_string())?;
            log::info!("database {} is up to date", url.redacted());
            Ok(())
        }
        Command::Retentie { dry_run } => {
            let settings = Settings::from_env().map_err(|e| e.to_string())?;
            let state = startup::build_state(settings).map_err(|e| e.to_string())?;
            let verslag = actix_web::rt::System::new()
                .block_on(pnt_api::app::retentie::voer_uit(&state, dry_run))
                .map_err(|e| e.to_string())?;
            if !verslag.uitgevoerd {
                println!("another instance is running the retention job; nothing done");
                return Ok(());
            }
            for k in &verslag.uitgewist {
                println!("{}", k.regel());
            }
            let n = verslag.uitgewist.len();
            if dry_run {
                eprintln!("{n} newcomer(s) past the retention period would be erased (dry run: nothing changed)");
            } else {
                eprintln!("{n} newcomer(s) past the retention period erased");
            }
            Ok(())
        }
        Command::Openapi => {
            let json = startup::api_doc().to_pretty_json().map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(())
        }
        Command::Token { sub, roles, gemeenten, organisatie, regio, name, email, ttl } => {
            if ttl <= 0 {
                return Err("--ttl must be a positive number of minutes".into());
            }
            let settings = Settings::from_env().map_err(|e| e.to_string())?;
            // Minting needs only the secret: no need to reach the identity provider.
            let tokens = TokenService::new(&pnt_api::config::JwtSettings { jwks: None, oidc: None, ..settings.jwt })?;
            let request = TokenRequest { sub, roles, gemeenten, organisatie, regio, name, email, ttl_minutes: ttl };
            let token = tokens
                .mint(request.into_claims(), chrono::Duration::minutes(ttl))
                .map_err(|_| "no HS256 secret: set PNT_JWT_SECRET (or unset PNT_JWT_PUBLIC_KEY)".to_string())?;
            println!("{token}");
            Ok(())
        }
    }
}
