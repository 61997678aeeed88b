//! [`Clock`]: time and sleeping, supplied by the caller so that back-off never needs a particular runtime
//! and tests never sleep for real.
//!
//! [`TokioClock`] (feature `tokio`) uses the system clock and `tokio::time::sleep`. [`ManualClock`] is a
//! virtual clock for tests: time stands still until the test advances it, and it tells the test how many
//! sleeps are pending, so a test can advance exactly when every task is waiting.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

/// Monotonic time, wall-clock time and sleeping.
pub trait Clock: Send + Sync {
    /// Monotonic now, for back-off deadlines.
    fn now(&self) -> Instant;
    /// Wall-clock now, for HTTP-date `Retry-After` values and NTLM timestamps.
    fn system_time(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

impl<C: Clock> Clock for Arc<C> {
    fn now(&self) -> Instant {
        (**self).now()
    }

    fn system_time(&self) -> SystemTime {
        (**self).system_time()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        (**self).sleep(duration)
    }
}

/// [`Clock`] over the system clock and `tokio::time::sleep` (a paused tokio test clock controls it).
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

#[cfg(feature = "tokio")]
impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn system_time(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

/// A virtual clock: time moves only when [`ManualClock::advance`] or
/// [`ManualClock::advance_to_next_deadline`] is called. Clones share the same time.
///
/// ```
/// use std::time::Duration;
/// use ews_client::{Clock, ManualClock};
///
/// let clock = ManualClock::new();
/// let start = clock.now();
/// let sleep = clock.sleep(Duration::from_secs(5));
/// assert_eq!(clock.pending_sleeps(), 1);
/// assert_eq!(clock.advance_to_next_deadline(), Some(Duration::from_secs(5)));
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(sleep);
/// assert_eq!(clock.now() - start, Duration::from_secs(5));
/// assert_eq!(clock.pending_sleeps(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    shared: Arc<Mutex<ManualState>>,
}

#[derive(Debug)]
struct ManualState {
    start: Instant,
    system_start: SystemTime,
    elapsed: Duration,
    next_id: u64,
    /// Pending sleeps by id: their deadline (as elapsed time) and the waker of their last poll.
    sleepers: BTreeMap<u64, (Duration, Option<Waker>)>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock at elapsed zero whose wall-clock time is 2026-01-01T00:00:00Z.
    pub fn new() -> Self {
        Self::starting_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }

    /// A clock at elapsed zero whose wall-clock time is `system_time`.
    pub fn starting_at(system_time: SystemTime) -> Self {
        Self {
            shared: Arc::new(Mutex::new(ManualState {
                start: Instant::now(),
                system_start: system_time,
                elapsed: Duration::ZERO,
                next_id: 0,
                sleepers: BTreeMap::new(),
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Virtual time since the clock was made.
    pub fn elapsed(&self) -> Duration {
        self.state().elapsed
    }

    /// Moves time forward by `duration` and wakes every sleep that is due.
    pub fn advance(&self, duration: Duration) {
        let due = {
            let mut state = self.state();
            state.elapsed = state.elapsed.saturating_add(duration);
            let now = state.elapsed;
            state
                .sleepers
                .values_mut()
                .filter(|(deadline, _)| *deadline <= now)
                .filter_map(|(_, waker)| waker.take())
                .collect::<Vec<_>>()
        };
        due.into_iter().for_each(Waker::wake);
    }

    /// The elapsed time at which the earliest pending sleep ends.
    pub fn next_deadline(&self) -> Option<Duration> {
        let state = self.state();
        state
            .sleepers
            .values()
            .map(|(deadline, _)| *deadline)
            .filter(|deadline| *deadline > state.elapsed)
            .min()
    }

    /// Moves time to the earliest pending deadline (never backwards) and returns the new elapsed time,
    /// or `None` when nothing sleeps.
    pub fn advance_to_next_deadline(&self) -> Option<Duration> {
        let deadline = self.next_deadline()?;
        let step = deadline.saturating_sub(self.elapsed());
        self.advance(step);
        Some(self.elapsed())
    }

    /// How many sleeps are still waiting for time to move (started, not dropped, deadline not reached).
    ///
    /// A test can advance the clock safely when every task it runs is either finished or counted here:
    /// then nothing is in flight.
    pub fn pending_sleeps(&self) -> usize {
        let state = self.state();
        state
            .sleepers
            .values()
            .filter(|(deadline, _)| *deadline > state.elapsed)
            .count()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        let state = self.state();
        state
            .start
            .checked_add(state.elapsed)
            .unwrap_or(state.start)
    }

    fn system_time(&self) -> SystemTime {
        let state = self.state();
        state
            .system_start
            .checked_add(state.elapsed)
            .unwrap_or(state.system_start)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        let id = {
            let mut state = self.state();
            let id = state.next_id;
            state.next_id += 1;
            let deadline = state.elapsed.saturating_add(duration);
            state.sleepers.insert(id, (deadline, None));
            id
        };
        ManualSleep {
            clock: self.clone(),
            id,
        }
    }
}

/// A pending [`ManualClock::sleep`].
struct ManualSleep {
    clock: ManualClock,
    id: u64,
}

impl Future for ManualSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.clock.state();
        let now = state.elapsed;
        match state.sleepers.get_mut(&self.id) {
            Some((deadline, _)) if *deadline <= now => {
                state.sleepers.remove(&self.id);
                Poll::Ready(())
            }
            Some((_, waker)) => {
                *waker = Some(cx.waker().clone());
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    }
}

impl Drop for ManualSleep {
    fn drop(&mut self) {
        self.clock.state().sleepers.remove(&self.id);
    }
}
