//! `dossier wallet …` — the citizen's wallet from the command line (for
//! tests and scripts), over the hub's JSON API `/wallet/api/…`. The password
//! comes from `DOSSIER_WALLET_PASSWORD`, the PIN from `DOSSIER_PIN`; neither
//! is printed.
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// Exit codes: 0 done; 1 error (hub unreachable, bad answer); 2 refused by
/// the hub (wrong password or PIN, request not waiting, not found).
#[derive(Args)]
#[command(after_help = "Exit codes: 0 done, 1 error (hub unreachable, unexpected answer), 2 refused by the hub \
                        (wrong password or PIN, request no longer waiting, unknown document or request).")]
pub struct WalletArgs {
    /// The hub's base URL.
    #[arg(long, env = "DOSSIER_HUB_URL", default_value = "http://127.0.0.1:8090")]
    pub hub: String,
    /// Wallet login (the citizen's RNOKPP in the demo).
    #[arg(long)]
    pub login: String,
    #[arg(long, env = "DOSSIER_WALLET_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub command: WalletCommand,
}

#[derive(Subcommand)]
pub enum WalletCommand {
    /// List the documents in the wallet.
    Documents,
    /// Show a fresh 13-digit sharing code for a document type
    /// (internal-passport, taxpayer-card, birth-certificate).
    Code { document_type: String },
    /// List requests for copies.
    Requests,
    /// Approve a request: signs the consent with the personal key (PIN from DOSSIER_PIN).
    Approve {
        request_id: String,
        #[arg(long, env = "DOSSIER_PIN", hide_env_values = true)]
        pin: String,
    },
    /// Decline a request.
    Decline { request_id: String },
}

struct Refused(String);

async fn call(http: &reqwest::Client, req: reqwest::RequestBuilder) -> Result<std::result::Result<Value, Refused>> {
    let _ = http;
    let resp = req.send().await.context("the hub is unreachable")?;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        Ok(Ok(body))
    } else {
        let msg = body["detail"]["en"].as_str().or(body["title"].as_str()).unwrap_or("refused").to_owned();
        Ok(Err(Refused(format!("{msg} ({})", body["code"].as_str().unwrap_or(status.as_str())))))
    }
}

pub async fn run(args: WalletArgs) -> Result<ExitCode> {
    let http = reqwest::Client::new();
    let base = args.hub.trim_end_matches('/').to_owned();
    let login = call(
        &http,
        http.post(format!("{base}/wallet/api/login")).json(&json!({"login": args.login, "password": args.password})),
    )
    .await?;
    let token = match login {
        Ok(v) => v["token"].as_str().context("no token in the login answer")?.to_owned(),
        Err(Refused(m)) => {
            eprintln!("refused: {m}");
            return Ok(ExitCode::from(2));
        }
    };
    let auth = |r: reqwest::RequestBuilder| r.bearer_auth(&token);
    let answer = match &args.command {
        WalletCommand::Documents => call(&http, auth(http.get(format!("{base}/wallet/api/documents")))).await?,
        WalletCommand::Code { document_type } => {
            call(
                &http,
                auth(http.post(format!("{base}/wallet/api/codes")).json(&json!({"documentType": document_type}))),
            )
            .await?
        }
        WalletCommand::Requests => call(&http, auth(http.get(format!("{base}/wallet/api/requests")))).await?,
        WalletCommand::Approve { request_id, pin } => {
            call(
                &http,
                auth(http.post(format!("{base}/wallet/api/requests/{request_id}/approve")).json(&json!({"pin": pin}))),
            )
            .await?
        }
        WalletCommand::Decline { request_id } => {
            call(&http, auth(http.post(format!("{base}/wallet/api/requests/{request_id}/decline")).json(&json!({}))))
                .await?
        }
    };
    let v = match answer {
        Ok(v) => v,
        Err(Refused(m)) => {
            eprintln!("refused: {m}");
            return Ok(ExitCode::from(2));
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    match &args.command {
        WalletCommand::Documents => {
            for d in v.as_array().into_iter().flatten() {
                println!("{}  {}", d["documentType"].as_str().unwrap_or(""), d["title"].as_str().unwrap_or(""));
            }
        }
        WalletCommand::Code { .. } => {
            println!("{}", v["code"].as_str().unwrap_or(""));
            eprintln!("{}  valid until {}", v["grouped"].as_str().unwrap_or(""), v["expiresAt"].as_str().unwrap_or(""));
        }
        WalletCommand::Requests => {
            for r in v.as_array().into_iter().flatten() {
                println!(
                    "{}  {:<16} {}  {} / {}",
                    r["id"].as_str().unwrap_or(""),
                    r["status"].as_str().unwrap_or(""),
                    r["documentType"].as_str().unwrap_or(""),
                    r["acquirer"].as_str().unwrap_or(""),
                    r["branch"].as_str().unwrap_or("")
                );
            }
        }
        WalletCommand::Approve { .. } | WalletCommand::Decline { .. } => {
            println!("{} {}", v["id"].as_str().unwrap_or(""), v["status"].as_str().unwrap_or(""));
        }
    }
    Ok(ExitCode::SUCCESS)
}
