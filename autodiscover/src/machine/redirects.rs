//! Redirect handling: 30x `Location`, in-band `redirectUrl`/`RedirectUrl`, address redirects and
//! the vetting every target passes before it is queued or shown to the user.

use url::Url;

use super::{Autodiscover, Candidate, Ctx, Kind, OnAccept, Waiting};
use crate::config::check_domain;
use crate::trust::{TrustLevel, host_is_contactable};
use crate::{
    AttemptOutcome, BlockReason, CandidateSource, ConfirmRedirect, Effect, EmailAddress, Error,
    RedirectReason,
};

impl Autodiscover {
    /// Vets a redirect target before it is queued or shown to the user: `https`, no user info, a
    /// contactable DNS host (I2), an allowed port, not visited for this address (I4), and, for
    /// targets from unauthenticated sources (`require_path`), an Autodiscover path.
    pub(super) fn check_target(&self, url: &Url, require_path: bool) -> Result<(), BlockReason> {
        if url.scheme() != "https" {
            return Err(BlockReason::InsecureScheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BlockReason::UserInfo);
        }
        let host = url.host_str().ok_or(BlockReason::Malformed)?;
        if !matches!(url.host(), Some(url::Host::Domain(_)))
            || !host_is_contactable(host, &self.config.public_suffix)
        {
            return Err(BlockReason::PublicSuffix);
        }
        if !url
            .port_or_known_default()
            .is_some_and(|p| self.config.allowed_ports.contains(&p))
        {
            return Err(BlockReason::DisallowedPort);
        }
        if require_path && !is_autodiscover_path(url.path()) {
            return Err(BlockReason::NotAutodiscoverPath);
        }
        if self.visited.contains(&self.visit_key(url)) {
            return Err(BlockReason::AlreadyVisited);
        }
        Ok(())
    }

    /// Routes a vetted redirect target: trusted hosts are queued first, others need a confirmation.
    /// Returns the outcome to record for the hop that produced it.
    pub(super) fn consider(
        &mut self,
        candidate: Candidate,
        reason: RedirectReason,
        require_path: bool,
    ) -> AttemptOutcome {
        let target = candidate.url.to_string();
        if let Err(reason) = self.check_target(&candidate.url, require_path) {
            return AttemptOutcome::RedirectBlocked { target, reason };
        }
        let trusted = candidate
            .url
            .host_str()
            .is_some_and(|h| self.trust.contains(h));
        if trusted {
            self.queue.push_front(candidate);
        } else {
            let token = self.token();
            let source = candidate.source;
            self.waiting = Some(Waiting::Confirm {
                token,
                target: target.clone(),
                source,
                on_accept: OnAccept::Queue(candidate),
            });
            self.outbox
                .push_back(Effect::ConfirmRedirect(ConfirmRedirect {
                    token,
                    reason,
                    from_domain: self.addr.domain().to_owned(),
                    target: target.clone(),
                }));
        }
        AttemptOutcome::Redirected { to: target }
    }

    pub(super) fn count_url_hop(&mut self) -> bool {
        self.url_hops += 1;
        if self.url_hops > self.config.limits.url_redirects {
            let limit = self.config.limits.url_redirects;
            self.fail(|attempts| Error::TooManyRedirects { limit, attempts });
            return false;
        }
        true
    }

    pub(super) fn on_location(&mut self, ctx: Ctx, location: &str) {
        let resolved = ctx.candidate.url.join(location);
        let kind = match ctx.candidate.kind {
            Kind::Probe => match &resolved {
                Ok(url) => Kind::from_path(url, self.config.method),
                Err(_) => Kind::from_method(self.config.method),
            },
            // JSON v2 answers are read directly; their redirects are not followed.
            Kind::Json => return self.block(&ctx, location, BlockReason::NotAutodiscoverPath),
            kind => kind,
        };
        self.follow(
            ctx,
            location,
            resolved,
            CandidateSource::HttpRedirect,
            kind,
            RedirectReason::HttpRedirect,
        );
    }

    pub(super) fn on_redirect_url(&mut self, ctx: Ctx, target: &str) {
        let kind = ctx.candidate.kind;
        let parsed = Url::parse(target.trim());
        self.follow(
            ctx,
            target,
            parsed,
            CandidateSource::InBand,
            kind,
            RedirectReason::InBandRedirect,
        );
    }

    /// A URL redirect (30x or in-band): counts the hop, then vets and routes the target. Any hop
    /// that was not an authenticated request to a trusted host is an unauthenticated source, so its
    /// target must also look like an Autodiscover endpoint.
    pub(super) fn follow(
        &mut self,
        ctx: Ctx,
        raw: &str,
        parsed: Result<Url, url::ParseError>,
        source: CandidateSource,
        kind: Kind,
        reason: RedirectReason,
    ) {
        if !self.count_url_hop() {
            return;
        }
        let Ok(url) = parsed else {
            return self.block(&ctx, raw, BlockReason::Malformed);
        };
        let candidate = Candidate {
            url,
            source,
            kind,
            busy_retry: false,
        };
        let outcome = self.consider(candidate, reason, !ctx.credentials_sent);
        self.record(&ctx, outcome);
    }

    pub(super) fn block(&mut self, ctx: &Ctx, target: &str, reason: BlockReason) {
        let target = target.to_owned();
        self.record(ctx, AttemptOutcome::RedirectBlocked { target, reason });
    }

    pub(super) fn on_redirect_address(&mut self, ctx: Ctx, target: &str) {
        let Ok(address) = EmailAddress::parse(target) else {
            return self.block(&ctx, target, BlockReason::Malformed);
        };
        if address.same_mailbox(&self.addr) {
            self.record(&ctx, AttemptOutcome::SameAddressRedirect);
            return;
        }
        self.record(
            &ctx,
            AttemptOutcome::AddressRedirect {
                to: address.to_string(),
            },
        );
        if self.addr_history.iter().any(|a| a.same_mailbox(&address)) {
            let looped = address.to_string();
            self.fail(|attempts| Error::RedirectLoop {
                address: looped,
                attempts,
            });
            return;
        }
        self.addr_hops += 1;
        if self.addr_hops > self.config.limits.address_redirects {
            let limit = self.config.limits.address_redirects;
            self.fail(|attempts| Error::TooManyRedirects { limit, attempts });
            return;
        }
        if check_domain(address.domain(), &self.config.public_suffix).is_err() {
            self.record(
                &ctx,
                AttemptOutcome::RedirectBlocked {
                    target: address.to_string(),
                    reason: BlockReason::PublicSuffix,
                },
            );
            return;
        }
        if self.trust.level(address.domain()) == Some(TrustLevel::Configured) {
            self.restart(address);
            return;
        }
        let token = self.token();
        let target = address.to_string();
        self.waiting = Some(Waiting::Confirm {
            token,
            target: target.clone(),
            source: ctx.candidate.source,
            on_accept: OnAccept::Restart(address),
        });
        self.outbox
            .push_back(Effect::ConfirmRedirect(ConfirmRedirect {
                token,
                reason: RedirectReason::CrossDomainAddress,
                from_domain: self.addr.domain().to_owned(),
                target,
            }));
    }
}

/// `/autodiscover/(…/)?autodiscover.(xml|svc)`, case-insensitive.
pub(crate) fn is_autodiscover_path(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    path.starts_with("/autodiscover/")
        && (path.ends_with("/autodiscover.xml") || path.ends_with("/autodiscover.svc"))
}
