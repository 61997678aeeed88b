//! Reading the answers of candidates: POX, SOAP `GetUserSettings` and JSON v2 bodies.

use std::collections::BTreeMap;
use std::time::Duration;

use url::Url;

use super::{Autodiscover, Candidate, Ctx, Kind, OnAccept, SEVEN_DAYS, Waiting};
use crate::json::JsonResponse;
use crate::pox::{self, PoxResponse};
use crate::soap::{ErrorCode, GetUserSettingsResponse};
use crate::trust::host_is_contactable;
use crate::{
    AttemptOutcome, BlockReason, CandidateSource, ConfirmRedirect, Effect, Error, RedirectReason,
    ServerVersion, Success,
};

impl Autodiscover {
    /// `InvalidUser` / POX 500: terminal only from a trusted, authenticated, non-SCP endpoint.
    pub(super) fn on_non_existent(&mut self, ctx: Ctx, message: String) {
        let conclusive = ctx.credentials_sent && ctx.candidate.source != CandidateSource::Scp;
        self.record(
            &ctx,
            AttemptOutcome::NonExistentMailbox {
                message: message.clone(),
            },
        );
        if conclusive {
            self.fail(|attempts| Error::NonExistentMailbox { message, attempts });
        }
    }

    pub(super) fn on_settings(
        &mut self,
        ctx: Ctx,
        ews_url: Option<&str>,
        version: Option<ServerVersion>,
        settings: BTreeMap<String, String>,
        ttl: Duration,
    ) {
        let parsed = ews_url
            .and_then(|u| Url::parse(u.trim()).ok())
            .filter(|u| u.scheme() == "https" && u.host_str().is_some());
        let Some(ews_url) = parsed else {
            self.record(
                &ctx,
                AttemptOutcome::InvalidEwsUrl {
                    url: ews_url.unwrap_or_default().to_owned(),
                },
            );
            return;
        };
        self.record(&ctx, AttemptOutcome::Success);
        let success = Success {
            ews_url,
            ews_version: version,
            settings,
            smtp_address: self.addr.clone(),
            autodiscover_endpoint: ctx.candidate.url.clone(),
            ttl,
            attempts: self.attempts.clone(),
        };
        self.finish(Ok(success));
    }

    pub(super) fn on_pox(&mut self, ctx: Ctx, body: &[u8]) {
        let parsed = match PoxResponse::parse(body) {
            Ok(parsed) => parsed,
            Err(detail) => return self.record(&ctx, AttemptOutcome::Unparseable { detail }),
        };
        match parsed {
            PoxResponse::Settings { user, protocols } => {
                let picked = pox::pick_ews_url(&protocols);
                let url = picked.map(|(u, _)| u.to_owned());
                let version = protocols.iter().find_map(|p| p.server_version());
                let ttl_hours = picked.map_or(1, |(_, p)| p.ttl_hours());
                let ttl = Duration::from_secs(ttl_hours.saturating_mul(3600)).min(SEVEN_DAYS);
                let mut settings = user;
                if let Some((_, protocol)) = picked {
                    settings.extend(protocol.fields.clone());
                }
                self.on_settings(ctx, url.as_deref(), version, settings, ttl);
            }
            PoxResponse::RedirectAddress(address) => self.on_redirect_address(ctx, &address),
            PoxResponse::RedirectUrl(url) => self.on_redirect_url(ctx, &url),
            PoxResponse::Error { code, message } if code.trim() == "500" => {
                self.on_non_existent(ctx, message)
            }
            PoxResponse::Error { code, message } => {
                self.record(&ctx, AttemptOutcome::ServerError { code, message })
            }
        }
    }

    pub(super) fn on_soap(&mut self, ctx: Ctx, body: &[u8]) {
        let parsed = match GetUserSettingsResponse::parse(body) {
            Ok(parsed) => parsed,
            Err(detail) => return self.record(&ctx, AttemptOutcome::Unparseable { detail }),
        };
        match parsed.error_code {
            ErrorCode::NoError => {
                let url = ["ExternalEwsUrl", "InternalEwsUrl"]
                    .iter()
                    .find_map(|name| parsed.settings.get(*name).filter(|v| !v.is_empty()))
                    .cloned();
                let version = parsed
                    .settings
                    .get("CasVersion")
                    .and_then(|v| ServerVersion::from_dotted(v));
                self.on_settings(ctx, url.as_deref(), version, parsed.settings, SEVEN_DAYS);
            }
            ErrorCode::RedirectAddress | ErrorCode::RedirectUrl
                if parsed.redirect_target.is_none() =>
            {
                self.record(
                    &ctx,
                    AttemptOutcome::Unparseable {
                        detail: "redirect without RedirectTarget".into(),
                    },
                )
            }
            ErrorCode::RedirectAddress => {
                let target = parsed.redirect_target.unwrap_or_default();
                self.on_redirect_address(ctx, &target)
            }
            ErrorCode::RedirectUrl => {
                let target = parsed.redirect_target.unwrap_or_default();
                self.on_redirect_url(ctx, &target)
            }
            ErrorCode::InvalidUser => self.on_non_existent(ctx, parsed.error_message),
            ErrorCode::ServerBusy if !ctx.candidate.busy_retry => {
                self.record(&ctx, AttemptOutcome::ServerBusy);
                let mut retry = ctx.candidate;
                retry.busy_retry = true;
                self.queue.push_back(retry);
            }
            code => self.record(
                &ctx,
                AttemptOutcome::ServerError {
                    code: code.as_str().to_owned(),
                    message: parsed.error_message,
                },
            ),
        }
    }

    pub(super) fn on_json(&mut self, ctx: Ctx, body: &[u8]) {
        let parsed = match JsonResponse::parse(body) {
            Ok(parsed) => parsed,
            Err(detail) => return self.record(&ctx, AttemptOutcome::Unparseable { detail }),
        };
        match parsed {
            JsonResponse::Error { code, message } => {
                self.record(&ctx, AttemptOutcome::ServerError { code, message })
            }
            JsonResponse::AutodiscoverV1(target) => {
                let Ok(url) = Url::parse(target.trim()) else {
                    let reason = BlockReason::Malformed;
                    return self.record(&ctx, AttemptOutcome::RedirectBlocked { target, reason });
                };
                let candidate = Candidate {
                    kind: Kind::from_path(&url, self.config.method),
                    url,
                    source: CandidateSource::JsonV2,
                    busy_retry: false,
                };
                let outcome = self.consider(candidate, RedirectReason::JsonV2, true);
                self.record(&ctx, outcome);
            }
            JsonResponse::Ews(target) => {
                let url = match Url::parse(target.trim()) {
                    Ok(url) => url,
                    Err(_) => {
                        let reason = BlockReason::Malformed;
                        return self
                            .record(&ctx, AttemptOutcome::RedirectBlocked { target, reason });
                    }
                };
                if let Err(reason) = self.check_ews_target(&url) {
                    return self.record(&ctx, AttemptOutcome::RedirectBlocked { target, reason });
                }
                let endpoint = ctx.candidate.url.clone();
                let trusted = url.host_str().is_some_and(|h| self.trust.contains(h));
                if trusted {
                    self.record(&ctx, AttemptOutcome::Success);
                    return self.finish_with_ews_url(url, endpoint);
                }
                self.record(
                    &ctx,
                    AttemptOutcome::Redirected {
                        to: url.to_string(),
                    },
                );
                let token = self.token();
                self.waiting = Some(Waiting::Confirm {
                    token,
                    target: url.to_string(),
                    source: CandidateSource::JsonV2,
                    on_accept: OnAccept::Finish {
                        ews_url: url.clone(),
                        endpoint,
                    },
                });
                self.outbox
                    .push_back(Effect::ConfirmRedirect(ConfirmRedirect {
                        token,
                        reason: RedirectReason::JsonV2,
                        from_domain: self.addr.domain().to_owned(),
                        target: url.to_string(),
                    }));
            }
        }
    }

    /// A JSON v2 EWS URL: https, contactable host, no user info, EWS path.
    pub(super) fn check_ews_target(&self, url: &Url) -> Result<(), BlockReason> {
        if url.scheme() != "https" {
            return Err(BlockReason::InsecureScheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BlockReason::UserInfo);
        }
        let host = url.host_str().ok_or(BlockReason::Malformed)?;
        if !host_is_contactable(host, &self.config.public_suffix) {
            return Err(BlockReason::PublicSuffix);
        }
        if !url
            .path()
            .to_ascii_lowercase()
            .ends_with("/ews/exchange.asmx")
        {
            return Err(BlockReason::NotAutodiscoverPath);
        }
        Ok(())
    }
}
