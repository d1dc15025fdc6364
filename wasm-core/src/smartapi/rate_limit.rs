//! A client-side limiter that keeps Halo under Angel's documented request rates.
//!
//! Angel counts requests per client code and per route, per second, minute and hour
//! (smartapi.md section 14), and answers an excess with a plain-text "exceeding access rate"
//! instead of JSON. A placement refused that way is not placed, and Halo never retries one, so
//! it is better never to send it. The limiter keeps the send times of each route in sliding
//! windows and says how long to wait before the next request may go. It reads no clock: the
//! caller passes the time in milliseconds. A caller that can be stopped and started again (the
//! browser's worker) keeps [`SentTimes`] and hands them to the new limiter, so the minute's and
//! hour's counts survive it.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::routes;

/// The most requests a route allows per second, minute and hour (`None`: no cap there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteLimit {
    /// Requests per second.
    pub per_second: u32,
    /// Requests per minute, when Angel caps them.
    pub per_minute: Option<u32>,
    /// Requests per hour, when Angel caps them.
    pub per_hour: Option<u32>,
}

impl RouteLimit {
    const fn new(per_second: u32, per_minute: Option<u32>, per_hour: Option<u32>) -> RouteLimit {
        RouteLimit {
            per_second,
            per_minute,
            per_hour,
        }
    }

    /// Each cap with the length of its window in milliseconds.
    fn windows(&self) -> impl Iterator<Item = (u32, u64)> {
        [
            Some((self.per_second, 1_000)),
            self.per_minute.map(|cap| (cap, 60_000)),
            self.per_hour.map(|cap| (cap, 3_600_000)),
        ]
        .into_iter()
        .flatten()
    }
}

/// Angel's documented limits for a SmartAPI path (with or without the API root in front);
/// `None` for a path Angel publishes no limit for.
pub fn limit_for(path: &str) -> Option<RouteLimit> {
    let path = route_of(path);
    let orders = RouteLimit::new(20, Some(500), Some(1000));
    let reads = RouteLimit::new(10, Some(500), Some(5000));
    let books = RouteLimit::new(1, None, None);
    let limit = match path {
        routes::LOGIN | routes::LOGOUT => RouteLimit::new(1, None, None),
        routes::GENERATE_TOKENS => RouteLimit::new(1, None, Some(1000)),
        routes::PROFILE => RouteLimit::new(3, None, Some(1000)),
        routes::PLACE_ORDER | routes::MODIFY_ORDER | routes::CANCEL_ORDER => orders,
        routes::ORDER_BOOK | routes::POSITIONS => books,
        routes::LTP | routes::ORDER_DETAILS_PREFIX => reads,
        _ => return None,
    };
    Some(limit)
}

/// The route a URL or path counts against: the path without the API root or query, and every
/// `details/{id}` folded into one route.
fn route_of(path: &str) -> &str {
    let without_root = path
        .find("://")
        .and_then(|scheme| {
            path[scheme + 3..]
                .find('/')
                .map(|at| &path[scheme + 3 + at..])
        })
        .unwrap_or(path);
    let path = without_root
        .split(['?', '#'])
        .next()
        .unwrap_or(without_root);
    if path.starts_with(routes::ORDER_DETAILS_PREFIX) {
        return routes::ORDER_DETAILS_PREFIX;
    }
    path
}

/// The send times a limiter holds, per route, in milliseconds: what a caller keeps so that a
/// limiter started later still counts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentTimes(pub HashMap<String, Vec<u64>>);

/// The send times of recent requests, per route.
#[derive(Clone, Debug, Default)]
pub struct RateLimiter {
    sent_ms: HashMap<String, VecDeque<u64>>,
    margin_ms: u64,
}

impl RateLimiter {
    /// A limiter that has seen no request and counts Angel's windows exactly: the server's
    /// side of the rule.
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// A limiter for a client, whose windows are `margin_ms` longer than Angel's. Two requests
    /// sent exactly a second apart can arrive less than a second apart (the first one slowed
    /// on the way), and the server counts arrivals.
    pub fn with_margin(margin_ms: u64) -> RateLimiter {
        RateLimiter {
            margin_ms,
            ..RateLimiter::default()
        }
    }

    /// Milliseconds to wait, from `now_ms`, before a request to `path` stays within every one
    /// of its route's limits; 0 when it may go now. Records nothing.
    pub fn wait_ms(&self, path: &str, now_ms: u64) -> u64 {
        let Some(limit) = limit_for(path) else {
            return 0;
        };
        let Some(sent) = self.sent_ms.get(route_of(path)) else {
            return 0;
        };
        limit
            .windows()
            .map(|(cap, window_ms)| (cap, window_ms + self.margin_ms))
            .map(|(cap, window_ms)| {
                let cap = cap as usize;
                let recent = sent
                    .iter()
                    .rev()
                    .take_while(|at| now_ms < **at + window_ms)
                    .count();
                if recent < cap {
                    return 0;
                }
                // The request `cap` sends back must leave the window before another may go.
                let oldest_counted = sent[sent.len() - cap];
                (oldest_counted + window_ms).saturating_sub(now_ms)
            })
            .max()
            .unwrap_or(0)
    }

    /// Notes that a request to `path` was sent at `now_ms`; forgets what no window needs.
    pub fn record(&mut self, path: &str, now_ms: u64) {
        let Some(limit) = limit_for(path) else {
            return;
        };
        let longest = self.longest_window_ms(limit);
        let sent = self.sent_ms.entry(route_of(path).to_owned()).or_default();
        sent.push_back(now_ms);
        forget_outside(sent, longest, now_ms);
    }

    /// The route's longest window, as this limiter counts it.
    fn longest_window_ms(&self, limit: RouteLimit) -> u64 {
        let longest = limit.windows().map(|(_, window)| window).max();
        longest.unwrap_or(1_000) + self.margin_ms
    }

    /// The send times this limiter still counts, to be kept for [`RateLimiter::remember`].
    pub fn sent_times(&self) -> SentTimes {
        let routes = self.sent_ms.iter().filter(|(_, sent)| !sent.is_empty());
        SentTimes(
            routes
                .map(|(route, sent)| (route.clone(), sent.iter().copied().collect()))
                .collect(),
        )
    }

    /// Counts requests an earlier limiter sent (before a restart) as if this one had. Routes
    /// with no limit and times after `now_ms` (kept under a clock since set back) are dropped:
    /// they could only hold requests back for no reason.
    pub fn remember(&mut self, earlier: &SentTimes, now_ms: u64) {
        for (route, times) in &earlier.0 {
            let Some(limit) = limit_for(route) else {
                continue;
            };
            let longest = self.longest_window_ms(limit);
            let sent = self.sent_ms.entry(route_of(route).to_owned()).or_default();
            sent.extend(times.iter().copied().filter(|at| *at <= now_ms));
            sent.make_contiguous().sort_unstable();
            forget_outside(sent, longest, now_ms);
        }
    }

    /// Records a request to `path` at `now_ms` if it may go now, and says so.
    pub fn try_acquire(&mut self, path: &str, now_ms: u64) -> Result<(), u64> {
        match self.wait_ms(path, now_ms) {
            0 => {
                self.record(path, now_ms);
                Ok(())
            }
            wait => Err(wait),
        }
    }
}

/// Drops the send times (oldest first) that a window of `window_ms` ending at `now_ms` no longer
/// reaches.
fn forget_outside(sent: &mut VecDeque<u64>, window_ms: u64, now_ms: u64) {
    while sent.front().is_some_and(|at| at + window_ms <= now_ms) {
        sent.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "https://apiconnect.angelone.in";

    #[test]
    fn routes_are_found_with_or_without_the_root() {
        let book = limit_for(&format!("{ROOT}{}", routes::ORDER_BOOK));
        assert_eq!(book, Some(RouteLimit::new(1, None, None)));
        let details = format!("{}0b2f-11?x=1", routes::ORDER_DETAILS_PREFIX);
        assert_eq!(limit_for(&details).map(|l| l.per_second), Some(10));
        assert_eq!(limit_for("/not/angel"), None);
    }

    #[test]
    fn the_order_book_goes_once_a_second() {
        let mut limiter = RateLimiter::new();
        let book = format!("http://127.0.0.1:9/{}", &routes::ORDER_BOOK[1..]);
        assert_eq!(limiter.try_acquire(&book, 10_000), Ok(()));
        assert_eq!(limiter.try_acquire(&book, 10_400), Err(600));
        assert_eq!(limiter.wait_ms(&book, 10_999), 1);
        assert_eq!(limiter.try_acquire(&book, 11_000), Ok(()));
    }

    #[test]
    fn placements_keep_to_twenty_a_second_and_five_hundred_a_minute() {
        let mut limiter = RateLimiter::new();
        let place = routes::PLACE_ORDER;
        for i in 0..20 {
            assert_eq!(limiter.try_acquire(place, 1_000 + i), Ok(()), "order {i}");
        }
        assert_eq!(limiter.wait_ms(place, 1_500), 500);

        // 500 in the minute, 20 a second: the 501st waits for the first to leave the minute.
        let mut limiter = RateLimiter::new();
        let mut now = 0;
        for _ in 0..500 {
            now += limiter.wait_ms(place, now);
            limiter.record(place, now);
        }
        assert_eq!(now, 24_000, "25 bursts of 20, one a second");
        assert_eq!(limiter.wait_ms(place, now), 60_000 - now);
    }

    #[test]
    fn a_client_keeps_a_margin_beyond_the_window() {
        let mut limiter = RateLimiter::with_margin(150);
        assert_eq!(limiter.try_acquire(routes::ORDER_BOOK, 0), Ok(()));
        assert_eq!(limiter.wait_ms(routes::ORDER_BOOK, 1_000), 150);
        assert_eq!(limiter.try_acquire(routes::ORDER_BOOK, 1_150), Ok(()));
    }

    #[test]
    fn a_new_limiter_given_the_old_ones_times_counts_them() {
        let place = routes::PLACE_ORDER;
        let mut before = RateLimiter::new();
        let mut now = 0;
        for _ in 0..500 {
            now += before.wait_ms(place, now);
            before.record(place, now);
        }
        before.record(routes::ORDER_BOOK, now);
        let kept: SentTimes =
            serde_json::from_str(&serde_json::to_string(&before.sent_times()).unwrap()).unwrap();

        let mut after = RateLimiter::new();
        after.remember(&kept, now);
        assert_eq!(
            after.wait_ms(place, now),
            60_000 - now,
            "the minute's 500 still count"
        );
        assert_eq!(after.wait_ms(routes::ORDER_BOOK, now + 400), 600);
        assert_eq!(after.sent_times(), before.sent_times());
    }

    #[test]
    fn remembered_times_from_the_future_or_unlimited_routes_are_dropped() {
        let kept = SentTimes(HashMap::from([
            (routes::ORDER_BOOK.to_owned(), vec![3_000, 5_000, 90_000]),
            ("/not/angel".to_owned(), vec![1_000]),
        ]));
        let mut limiter = RateLimiter::new();
        limiter.remember(&kept, 5_500);
        assert_eq!(limiter.wait_ms(routes::ORDER_BOOK, 5_500), 500);
        assert_eq!(
            limiter.sent_times(),
            SentTimes(HashMap::from([(
                routes::ORDER_BOOK.to_owned(),
                vec![5_000]
            )]))
        );
    }

    #[test]
    fn details_of_different_orders_share_one_budget() {
        let mut limiter = RateLimiter::new();
        for i in 0..10 {
            let path = format!("{}order-{i}", routes::ORDER_DETAILS_PREFIX);
            assert_eq!(limiter.try_acquire(&path, 0), Ok(()));
        }
        let eleventh = format!("{}order-x", routes::ORDER_DETAILS_PREFIX);
        assert_eq!(limiter.try_acquire(&eleventh, 10), Err(990));
        // Another route is not held back.
        assert_eq!(limiter.try_acquire(routes::ORDER_BOOK, 10), Ok(()));
    }

    #[test]
    fn unknown_routes_are_never_held() {
        let mut limiter = RateLimiter::new();
        for _ in 0..100 {
            assert_eq!(limiter.try_acquire("/sandbox/orders", 5), Ok(()));
        }
    }

    #[test]
    fn old_sends_are_forgotten() {
        let mut limiter = RateLimiter::new();
        for at in 0..5 {
            limiter.record(routes::ORDER_BOOK, at * 1_000);
        }
        assert_eq!(limiter.sent_ms[routes::ORDER_BOOK].len(), 1);
    }
}
