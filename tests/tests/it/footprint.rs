//! What a payout in flight costs in memory: the future of every money-moving call,
//! which a task that spawns the call holds until it ends.

use std::time::Duration;

use crate::fixtures::{limits, money_calls};
use payspec_tests::hostile::refusing_port;

/// The most a money-moving call's future may take (issue 15: below 4 KB).
const MOST: usize = 4096;

#[tokio::test]
async fn every_money_moving_call_is_in_flight_in_under_4_kb() {
    let base = format!("http://127.0.0.1:{}/", refusing_port().await);
    let mut sizes = Vec::new();
    for call in money_calls() {
        let sent = call.send(&base, limits().request_timeout(Duration::from_millis(200))).await;
        sizes.push((call.name(), sent.future_bytes));
    }
    assert_eq!(sizes.len(), 11, "{sizes:?}");
    let over: Vec<_> = sizes.iter().filter(|(_, bytes)| *bytes >= MOST).collect();
    assert!(over.is_empty(), "futures of {MOST} bytes or more: {over:?}");
}
