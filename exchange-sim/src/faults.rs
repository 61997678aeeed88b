//! Fault injection: scripted (a queue of rules, consumed in order) or random from a seed.
//!
//! ```
//! use std::time::Duration;
//! use exchange_sim::{Fault, FaultScope};
//!
//! // The next SyncFolderItems call is answered ErrorServerBusy, the two after it 503.
//! let busy = Fault::ServerBusy { back_off: Duration::from_millis(50) }.on(FaultScope::operation("SyncFolderItems"));
//! let unavailable = Fault::ServiceUnavailable.on(FaultScope::Ews).times(2);
//! # let _ = (busy, unavailable);
//! ```

use std::collections::VecDeque;
use std::time::Duration;

use crate::log::Endpoint;

/// A fault the simulator can inject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// EWS: a SOAP fault `ErrorServerBusy` (HTTP 500) with `BackOffMilliseconds`.
    ServerBusy {
        /// The back-off the server asks for.
        back_off: Duration,
    },
    /// HTTP 503 Service Unavailable (IIS queueing).
    ServiceUnavailable,
    /// HTTP 429 with `Retry-After` (Graph's `TooManyRequests`).
    Throttled {
        /// The wait the server asks for.
        retry_after: Duration,
    },
    /// The connection is closed without an answer.
    DropConnection,
    /// The answer comes after this delay (then normally).
    Slow(Duration),
    /// EWS SyncFolderItems and SyncFolderHierarchy: `ErrorInvalidSyncStateData`.
    InvalidSyncState,
    /// Graph delta: 410 Gone with a `Location` to restart from.
    DeltaGone,
    /// The next write conflicts: EWS `ErrorIrresolvableConflict`, Graph 412.
    Conflict,
}

impl Fault {
    /// A rule injecting this fault once into requests in `scope`.
    pub fn on(self, scope: FaultScope) -> FaultRule {
        FaultRule {
            fault: self,
            scope,
            times: 1,
        }
    }

    /// The fault's name in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::ServerBusy { .. } => "ServerBusy",
            Fault::ServiceUnavailable => "ServiceUnavailable",
            Fault::Throttled { .. } => "Throttled",
            Fault::DropConnection => "DropConnection",
            Fault::Slow(_) => "Slow",
            Fault::InvalidSyncState => "InvalidSyncState",
            Fault::DeltaGone => "DeltaGone",
            Fault::Conflict => "Conflict",
        }
    }

    /// Whether this fault means anything for `request`.
    pub(crate) fn applies_to(&self, request: &RequestFacts<'_>) -> bool {
        match self {
            Fault::ServerBusy { .. } => request.endpoint == Endpoint::Ews,
            Fault::ServiceUnavailable
            | Fault::Throttled { .. }
            | Fault::DropConnection
            | Fault::Slow(_) => true,
            Fault::InvalidSyncState => {
                request.endpoint == Endpoint::Ews
                    && matches!(request.operation, "SyncFolderItems" | "SyncFolderHierarchy")
            }
            Fault::DeltaGone => request.endpoint == Endpoint::Graph && request.is_delta,
            Fault::Conflict => match request.endpoint {
                Endpoint::Ews => matches!(request.operation, "UpdateItem" | "DeleteItem"),
                Endpoint::Graph => matches!(request.method, "PATCH" | "DELETE"),
                _ => false,
            },
        }
    }
}

/// The `Retry-After` value for a wait: whole seconds (the header's delay-seconds form has no
/// fractions), rounded up so a client never comes back early.
pub(crate) fn retry_after_seconds(wait: Duration) -> String {
    let whole = wait.as_secs();
    let seconds = if wait.subsec_nanos() > 0 {
        whole.saturating_add(1)
    } else {
        whole
    };
    seconds.to_string()
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultScope {
    /// Any request.
    Any,
    /// EWS requests.
    Ews,
    /// Graph requests (including `$batch`).
    Graph,
    /// Autodiscover requests.
    Autodiscover,
    /// Requests of one operation: an EWS operation name (`SyncFolderItems`) or a Graph route as the
    /// request log names it (`GET messages/delta`).
    Operation(String),
}

impl FaultScope {
    /// Requests of one operation.
    pub fn operation(name: impl Into<String>) -> Self {
        FaultScope::Operation(name.into())
    }

    fn matches(&self, request: &RequestFacts<'_>) -> bool {
        match self {
            FaultScope::Any => true,
            FaultScope::Ews => request.endpoint == Endpoint::Ews,
            FaultScope::Graph => request.endpoint == Endpoint::Graph,
            FaultScope::Autodiscover => request.endpoint == Endpoint::Autodiscover,
            FaultScope::Operation(name) => name == request.operation,
        }
    }
}

/// A scripted fault: what, where, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// The fault.
    pub fault: Fault,
    /// The requests it applies to.
    pub scope: FaultScope,
    /// How many matching requests it hits before it is used up.
    pub times: u32,
}

impl FaultRule {
    /// The same rule hitting `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }
}

/// Random faults: each request is hit with probability `rate` by one of `kinds` that applies to it,
/// drawn from a generator seeded with `seed`, so a run is reproducible.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    /// The seed.
    pub seed: u64,
    /// The probability that a request is hit, 0 to 1.
    pub rate: f64,
    /// The faults to draw from.
    pub kinds: Vec<Fault>,
}

/// What fault selection knows about a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestFacts<'a> {
    pub(crate) endpoint: Endpoint,
    pub(crate) operation: &'a str,
    pub(crate) method: &'a str,
    pub(crate) is_delta: bool,
}

/// The simulator's fault plan.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    scripted: VecDeque<FaultRule>,
    random: Option<(RandomFaults, u64)>,
}

impl FaultPlan {
    pub(crate) fn push(&mut self, rule: FaultRule) {
        if rule.times > 0 {
            self.scripted.push_back(rule);
        }
    }

    pub(crate) fn set_random(&mut self, random: Option<RandomFaults>) {
        self.random = random.map(|r| {
            let state = r.seed;
            (r, state)
        });
    }

    pub(crate) fn clear(&mut self) {
        self.scripted.clear();
        self.random = None;
    }

    /// The fault for this request, if any: the first scripted rule that matches and applies, else a
    /// random draw.
    pub(crate) fn pick(&mut self, request: &RequestFacts<'_>) -> Option<Fault> {
        let hit = self
            .scripted
            .iter()
            .position(|r| r.scope.matches(request) && r.fault.applies_to(request));
        if let Some(at) = hit {
            let rule = self.scripted.get_mut(at)?;
            let fault = rule.fault.clone();
            rule.times -= 1;
            if rule.times == 0 {
                self.scripted.remove(at);
            }
            return Some(fault);
        }
        let (random, state) = self.random.as_mut()?;
        let draw = unit(next(state));
        if draw >= random.rate {
            return None;
        }
        let applicable: Vec<&Fault> = random
            .kinds
            .iter()
            .filter(|f| f.applies_to(request))
            .collect();
        if applicable.is_empty() {
            return None;
        }
        let pick = usize::try_from(next(state) % applicable.len() as u64).unwrap_or(0);
        applicable.get(pick).map(|f| (*f).clone())
    }
}

/// splitmix64: small, fast and reproducible.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(operation: &str) -> RequestFacts<'_> {
        RequestFacts {
            endpoint: Endpoint::Ews,
            operation,
            method: "POST",
            is_delta: false,
        }
    }

    #[test]
    fn scripted_rules_fire_in_order_only_where_they_apply() {
        let mut plan = FaultPlan::default();
        plan.push(Fault::InvalidSyncState.on(FaultScope::Ews));
        plan.push(Fault::ServiceUnavailable.on(FaultScope::Ews).times(2));
        // GetItem has no sync state: the first rule waits, the second fires.
        assert_eq!(
            plan.pick(&facts("GetItem")),
            Some(Fault::ServiceUnavailable)
        );
        assert_eq!(
            plan.pick(&facts("SyncFolderItems")),
            Some(Fault::InvalidSyncState)
        );
        assert_eq!(
            plan.pick(&facts("SyncFolderItems")),
            Some(Fault::ServiceUnavailable)
        );
        assert_eq!(plan.pick(&facts("SyncFolderItems")), None);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_seconds(Duration::from_secs(7)), "7");
        assert_eq!(retry_after_seconds(Duration::from_millis(1500)), "2");
        assert_eq!(retry_after_seconds(Duration::ZERO), "0");
    }

    #[test]
    fn random_faults_are_reproducible_from_the_seed() {
        let draw = |seed| {
            let mut plan = FaultPlan::default();
            plan.set_random(Some(RandomFaults {
                seed,
                rate: 0.3,
                kinds: vec![Fault::ServiceUnavailable, Fault::DropConnection],
            }));
            (0..200)
                .map(|_| plan.pick(&facts("GetItem")))
                .collect::<Vec<_>>()
        };
        let a = draw(7);
        assert_eq!(a, draw(7));
        assert_ne!(a, draw(8));
        let hits = a.iter().filter(|f| f.is_some()).count();
        assert!((30..90).contains(&hits), "{hits} hits of 200 at rate 0.3");
    }
}
