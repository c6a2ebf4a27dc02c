//! A small keyed rate limiter for the routes the public can post to without signing in
//! (the consultation survey) or fail at (sign-in), and the client key it is keyed by.
//!
//! Each client gets a fixed window that opens with its first counted request: at most
//! [`Limits::per_client`] requests in [`Limits::window`]. On top, every client together
//! gets at most [`Limits::global`] requests in [`Limits::global_window`], so a flood
//! spread over many addresses still cannot outrun the database. A refusal says how long
//! to wait (for `Retry-After`). Everything lives in one `Mutex<HashMap>`: one lock per
//! posted form is nothing next to the database write behind it, and a sharded map or an
//! atomic bucket would only pay off at rates the global ceiling never lets through.
//!
//! Memory is bounded: expired windows are pruned once per window, and at most
//! [`Limits::max_clients`] clients are remembered (a new client beyond that is refused
//! until a window expires). Because only requests let through open a window, the live
//! clients can never outnumber what the global ceiling lets through in one window.
//!
//! The clock is injected ([`RateLimiter::with_clock`]) so tests can move time. This
//! module does not know which routes it guards, renders no page and logs no address:
//! an address is personal data, and the handler decides what to say.
//!
//! Why not `tower_governor`: its key extractors and its rejection response are fixed
//! in its layer, while the survey must answer with its own GOV.UK page and must count
//! only posts of the form, after the route is known.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

/// How many requests are let through, per client and in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests one client may make in one [`Limits::window`].
    pub per_client: u32,
    pub window: Duration,
    /// Requests every client together may make in one [`Limits::global_window`].
    pub global: u32,
    pub global_window: Duration,
    /// The most clients remembered at once; bounds the memory used.
    pub max_clients: usize,
}

impl Limits {
    /// The public survey: 10 responses per client in 10 minutes (a household or a
    /// small office sharing one address still gets through; a script does not), and
    /// 600 a minute from everyone, ten a second, far above any real campaign's peak.
    pub const SURVEY: Limits = Limits {
        per_client: 10,
        window: Duration::from_secs(10 * 60),
        global: 600,
        global_window: Duration::from_secs(60),
        max_clients: 50_000,
    };

    /// Failed sign-ins: 30 per client address in 15 minutes (three times the lockout of
    /// one username, so one person mistyping on a shared office address is never the
    /// cause), and 1,200 a minute from everyone, twenty password checks a second, which
    /// keeps argon2 from taking every core.
    pub const SIGN_IN: Limits = Limits {
        per_client: 30,
        window: Duration::from_secs(15 * 60),
        global: 1_200,
        global_window: Duration::from_secs(60),
        max_clients: 50_000,
    };
}

/// Who a refusal applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// This client sent too many.
    Client,
    /// Everyone together sent too many (or too many clients are remembered).
    Everyone,
}

/// A request the limiter did not let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// How long until a request would be let through again.
    pub retry_after: Duration,
    pub scope: Scope,
}

impl Refused {
    /// Whole seconds for a `Retry-After` header, rounded up and at least 1.
    pub fn retry_after_secs(&self) -> u64 {
        let secs = self.retry_after.as_secs() + u64::from(self.retry_after.subsec_nanos() > 0);
        secs.max(1)
    }

    /// Whole minutes for a page, rounded up and at least 1.
    pub fn retry_after_minutes(&self) -> u64 {
        self.retry_after_secs().div_ceil(60)
    }
}

/// Where the limiter reads the time.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

#[derive(Clone, Copy, Debug)]
struct Window {
    started: Instant,
    count: u32,
}

impl Window {
    fn live(&self, now: Instant, length: Duration) -> bool {
        now.saturating_duration_since(self.started) < length
    }

    fn left(&self, now: Instant, length: Duration) -> Duration {
        (self.started + length).saturating_duration_since(now)
    }
}

struct State<K> {
    clients: HashMap<K, Window>,
    global: Option<Window>,
    last_prune: Instant,
}

/// A fixed-window limiter per key `K`, with a ceiling for all keys together.
pub struct RateLimiter<K> {
    limits: Limits,
    clock: Clock,
    state: Mutex<State<K>>,
}

impl<K: Eq + Hash> RateLimiter<K> {
    /// A limiter reading the system's monotonic clock.
    pub fn new(limits: Limits) -> Self {
        Self::with_clock(limits, Arc::new(Instant::now))
    }

    /// A limiter reading `clock`: tests move time with it.
    pub fn with_clock(limits: Limits, clock: Clock) -> Self {
        let now = clock();
        let state = State { clients: HashMap::new(), global: None, last_prune: now };
        Self { limits, clock, state: Mutex::new(state) }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Counts one request of `key`, or refuses it. A refused request is not counted, so
    /// a client that waits as told is let through.
    pub fn check(&self, key: K) -> Result<(), Refused> {
        let now = (self.clock)();
        let Limits { per_client, window, global, global_window, max_clients } = self.limits;
        // Nothing below panics while holding the lock, so a poisoned lock still holds
        // consistent counts: keep limiting rather than fail every request.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if now.saturating_duration_since(state.last_prune) >= window || state.clients.len() >= max_clients {
            state.clients.retain(|_, w| w.live(now, window));
            state.last_prune = now;
        }
        let client = state.clients.get(&key).copied().filter(|w| w.live(now, window));
        if let Some(w) = client
            && w.count >= per_client
        {
            return Err(Refused { retry_after: w.left(now, window), scope: Scope::Client });
        }
        let everyone = state.global.filter(|w| w.live(now, global_window));
        if let Some(w) = everyone
            && w.count >= global
        {
            return Err(Refused { retry_after: w.left(now, global_window), scope: Scope::Everyone });
        }
        if client.is_none() && state.clients.len() >= max_clients {
            // Every remembered window is live (just pruned): the first to end frees a place.
            let retry_after = state.clients.values().map(|w| w.left(now, window)).min().unwrap_or(window);
            return Err(Refused { retry_after, scope: Scope::Everyone });
        }
        state.global = Some(match everyone {
            Some(w) => Window { count: w.count + 1, ..w },
            None => Window { started: now, count: 1 },
        });
        let counted = match client {
            Some(w) => Window { count: w.count + 1, ..w },
            None => Window { started: now, count: 1 },
        };
        state.clients.insert(key, counted);
        Ok(())
    }

    /// Whether a request of `key` would be refused now, without counting it: for limits
    /// that count only some outcomes (failed sign-ins), looked at first and counted with
    /// [`RateLimiter::check`] when the outcome is known.
    pub fn refused(&self, key: &K) -> Option<Refused> {
        let now = (self.clock)();
        let Limits { per_client, window, global, global_window, .. } = self.limits;
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = state.clients.get(key).filter(|w| w.live(now, window) && w.count >= per_client) {
            return Some(Refused { retry_after: w.left(now, window), scope: Scope::Client });
        }
        if let Some(w) = state.global.filter(|w| w.live(now, global_window) && w.count >= global) {
            return Some(Refused { retry_after: w.left(now, global_window), scope: Scope::Everyone });
        }
        None
    }

    /// How many clients are remembered now (for tests and diagnostics).
    pub fn clients(&self) -> usize {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clients.len()
    }
}

/// Who is asking, as far as the server can tell: an IPv4 address, an IPv6 /64 network,
/// or nobody known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Address(IpAddr),
    /// No peer address came with the request (an in-process test, a server started
    /// without connection info): every such request shares this one key.
    Unknown,
}

impl ClientKey {
    /// The key of an address. An IPv6 host usually holds a whole /64 and can pick any
    /// address in it, so IPv6 is keyed by its /64; an IPv4-mapped address by its IPv4.
    pub fn of_ip(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey::Address(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::Address(IpAddr::V4(v4)),
                None => {
                    let network = u128::from(v6) & !((1u128 << 64) - 1);
                    ClientKey::Address(IpAddr::V6(Ipv6Addr::from(network)))
                }
            },
        }
    }

    /// The key of a request: its peer address from axum's `ConnectInfo` (the server is
    /// started with `into_make_service_with_connect_info`), or [`ClientKey::Unknown`].
    ///
    /// When the peer is on this machine (loopback), it is a reverse proxy in front of
    /// pcplan, and every request would otherwise share the proxy's address: the client
    /// is then the last address in `X-Forwarded-For`, the one the proxy itself appended
    /// (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). Earlier
    /// entries are whatever the client claimed and are never read. A header from any
    /// other peer is ignored, so a client connecting directly cannot choose its key.
    pub fn of_request(extensions: &Extensions, headers: &HeaderMap) -> ClientKey {
        let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() else {
            return ClientKey::Unknown;
        };
        let peer = peer.ip();
        if peer.is_loopback()
            && let Some(forwarded) = last_forwarded(headers)
        {
            return ClientKey::of_ip(forwarded);
        }
        ClientKey::of_ip(peer)
    }
}

/// The last address of the last `X-Forwarded-For` header, if it reads as one.
fn last_forwarded(headers: &HeaderMap) -> Option<IpAddr> {
    let value = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    value.rsplit(',').map(str::trim).find(|s| !s.is_empty())?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock the test moves by hand.
    fn manual_clock() -> (Clock, Arc<Mutex<Duration>>) {
        let start = Instant::now();
        let offset = Arc::new(Mutex::new(Duration::ZERO));
        let read = offset.clone();
        let clock: Clock = Arc::new(move || start + *read.lock().expect("test clock lock"));
        (clock, offset)
    }

    fn advance(offset: &Arc<Mutex<Duration>>, by: Duration) {
        *offset.lock().expect("test clock lock") += by;
    }

    fn limits(per_client: u32, global: u32) -> Limits {
        Limits {
            per_client,
            window: Duration::from_secs(600),
            global,
            global_window: Duration::from_secs(60),
            max_clients: 1_000,
        }
    }

    #[test]
    fn a_client_is_refused_after_its_limit_until_its_window_ends() {
        let (clock, offset) = manual_clock();
        let limiter = RateLimiter::with_clock(limits(3, 1_000), clock);
        for _ in 0..3 {
            assert_eq!(limiter.check("a"), Ok(()));
        }
        advance(&offset, Duration::from_secs(100));
        let refused = limiter.check("a").expect_err("the fourth in the window is refused");
        assert_eq!(refused, Refused { retry_after: Duration::from_secs(500), scope: Scope::Client });
        assert_eq!((refused.retry_after_secs(), refused.retry_after_minutes()), (500, 9));
        advance(&offset, Duration::from_secs(499));
        assert!(limiter.check("a").is_err(), "one second before the window ends");
        advance(&offset, Duration::from_secs(1));
        assert_eq!(limiter.check("a"), Ok(()), "a new window opens");
    }

    #[test]
    fn each_client_has_its_own_window() {
        let (clock, _) = manual_clock();
        let limiter = RateLimiter::with_clock(limits(2, 1_000), clock);
        assert_eq!(limiter.check("a"), Ok(()));
        assert_eq!(limiter.check("a"), Ok(()));
        assert!(limiter.check("a").is_err());
        assert_eq!(limiter.check("b"), Ok(()), "another client is not held back by the first");
        assert_eq!(limiter.check("b"), Ok(()));
        assert!(limiter.check("b").is_err());
    }

    #[test]
    fn refused_requests_are_not_counted() {
        let (clock, offset) = manual_clock();
        let limiter = RateLimiter::with_clock(limits(1, 1_000), clock);
        assert_eq!(limiter.check("a"), Ok(()));
        for _ in 0..50 {
            assert!(limiter.check("a").is_err());
        }
        advance(&offset, Duration::from_secs(600));
        assert_eq!(limiter.check("a"), Ok(()), "hammering while refused does not extend the wait");
    }

    #[test]
    fn the_global_ceiling_holds_back_every_client_for_the_rest_of_its_minute() {
        let (clock, offset) = manual_clock();
        let limiter = RateLimiter::with_clock(limits(10, 3), clock);
        assert_eq!(limiter.check(1), Ok(()));
        assert_eq!(limiter.check(2), Ok(()));
        advance(&offset, Duration::from_secs(20));
        assert_eq!(limiter.check(3), Ok(()));
        let refused = limiter.check(4).expect_err("the fourth in the minute is refused");
        assert_eq!(refused, Refused { retry_after: Duration::from_secs(40), scope: Scope::Everyone });
        advance(&offset, Duration::from_secs(40));
        assert_eq!(limiter.check(4), Ok(()));
        assert_eq!(limiter.clients(), 4, "a client refused by the ceiling opened no window");
    }

    #[test]
    fn expired_windows_are_pruned_so_memory_stays_bounded() {
        let (clock, offset) = manual_clock();
        let limiter = RateLimiter::with_clock(limits(5, 1_000_000), clock);
        for key in 0..500u32 {
            assert_eq!(limiter.check(key), Ok(()));
        }
        assert_eq!(limiter.clients(), 500);
        advance(&offset, Duration::from_secs(601));
        assert_eq!(limiter.check(9_999), Ok(()));
        assert_eq!(limiter.clients(), 1, "the 500 expired windows were dropped");
    }

    #[test]
    fn a_full_table_refuses_new_clients_until_a_window_ends() {
        let (clock, offset) = manual_clock();
        let limiter = RateLimiter::with_clock(Limits { max_clients: 3, ..limits(5, 1_000) }, clock);
        for key in 0..3u32 {
            assert_eq!(limiter.check(key), Ok(()));
            advance(&offset, Duration::from_secs(10));
        }
        let refused = limiter.check(3).expect_err("no room for a fourth client");
        assert_eq!(refused, Refused { retry_after: Duration::from_secs(570), scope: Scope::Everyone });
        assert_eq!(limiter.check(1), Ok(()), "a remembered client is still served");
        advance(&offset, Duration::from_secs(570));
        assert_eq!(limiter.check(3), Ok(()), "the oldest window ended and made room");
        assert_eq!(limiter.clients(), 3);
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_slash_64_and_mapped_ipv4_by_its_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("address");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("address");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("address");
        assert_eq!(ClientKey::of_ip(a), ClientKey::of_ip(b));
        assert_ne!(ClientKey::of_ip(a), ClientKey::of_ip(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("address");
        assert_eq!(ClientKey::of_ip(mapped), ClientKey::Address("192.0.2.7".parse().expect("address")));
    }

    #[test]
    fn the_forwarded_address_is_read_only_from_a_proxy_on_this_machine() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.4".parse().expect("header"));
        let with_peer = |peer: &str| {
            let mut extensions = Extensions::new();
            extensions.insert(ConnectInfo::<SocketAddr>(peer.parse().expect("socket address")));
            extensions
        };
        assert_eq!(
            ClientKey::of_request(&with_peer("127.0.0.1:50000"), &headers),
            ClientKey::Address("198.51.100.4".parse().expect("address")),
            "the entry the proxy appended, never the one the client claimed"
        );
        assert_eq!(
            ClientKey::of_request(&with_peer("192.0.2.1:50000"), &headers),
            ClientKey::Address("192.0.2.1".parse().expect("address")),
            "a remote peer cannot choose its key"
        );
        assert_eq!(ClientKey::of_request(&Extensions::new(), &headers), ClientKey::Unknown);
        assert_eq!(
            ClientKey::of_request(&with_peer("127.0.0.1:50000"), &HeaderMap::new()),
            ClientKey::Address("127.0.0.1".parse().expect("address"))
        );
    }
}
