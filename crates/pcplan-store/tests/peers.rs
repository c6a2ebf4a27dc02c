//! A body's peers on both backends: added, changed and listed; refused when a code is one
//! of the body's own areas, with nothing stored; removed with their figures in one
//! transaction, every change audited with what it removed.

mod common;

use chrono::NaiveDate;
use pcplan_domain::peer::{Peer, PeerKind};
use pcplan_domain::{ItemId, UserId};
use pcplan_store::{Actor, NewObservation, ObservationSource, StoreError};

const MEASURE: ItemId = ItemId::from_u128(0x78);

fn analyst() -> Actor {
    Actor { user: Some(UserId::from_u128(98)), name: "Performance analyst (analyst)".to_owned() }
}

fn peer(code: &str, name: &str, population: Option<u64>) -> Peer {
    Peer { code: code.into(), name: name.into(), kind: PeerKind::Force, population, note: String::new() }
}

fn figure(period: &str, area: &str, value: f64) -> NewObservation {
    NewObservation {
        period: period.to_owned(),
        period_start: NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").expect("a month"),
        area_code: area.to_owned(),
        value,
        numerator: None,
        denominator: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn peers_are_kept_changed_and_removed_with_their_figures() {
    for db in common::databases().await {
        let store = db.store.clone();
        let store = &store;
        store.import_plan(&analyst(), &pcplan_demo::plan_file()).await.expect("the demo body");
        let body = pcplan_demo::ids::BODY;

        let staffs = store
            .save_peer(&analyst(), body, peer(" staffordshire ", "Staffordshire", Some(1_130_000)))
            .await
            .expect("a good peer");
        assert_eq!(staffs.code, "staffordshire", "{}: trimmed", db.name);
        store.save_peer(&analyst(), body, peer("gmp", "Greater Manchester", None)).await.expect("a second");
        let mut changed = peer("gmp", "Greater Manchester Police", Some(2_870_000));
        changed.kind = PeerKind::Force;
        store.save_peer(&analyst(), body, changed.clone()).await.expect("changed");
        let peers = store.peers(body).await.expect("peers");
        assert_eq!(
            peers.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["Greater Manchester Police", "Staffordshire"]
        );
        assert_eq!(peers[0].population, Some(2_870_000));

        // Birmingham (E08000025) is one of the West Midlands' own areas.
        let before = store.audit_log(1, 0).await.expect("audit")[0].seq;
        match store.save_peer(&analyst(), body, peer("E08000025", "Birmingham", None)).await {
            Err(StoreError::Fields(problems)) => {
                assert_eq!(problems.0[0].field, "code");
                assert!(problems.0[0].problem.contains("own areas"), "{}", problems.0[0].problem);
            }
            other => panic!("{}: expected a refusal, got {other:?}", db.name),
        }
        assert_eq!(store.audit_log(1, 0).await.expect("audit")[0].seq, before, "nothing written");
        assert_eq!(store.peers(body).await.expect("peers").len(), 2);

        // The peer's figures are observations under its code, beside the body's own.
        let rows = [figure("2022-01", "", 10.0), figure("2022-01", "gmp", 30.0), figure("2022-02", "gmp", 31.0)];
        store.record_observations(&analyst(), body, MEASURE, ObservationSource::Manual, &rows).await.expect("figures");
        // Saving a peer unchanged writes nothing.
        let seq = store.audit_log(1, 0).await.expect("audit")[0].seq;
        store.save_peer(&analyst(), body, changed).await.expect("unchanged");
        assert_eq!(store.audit_log(1, 0).await.expect("audit")[0].seq, seq);

        assert_eq!(store.remove_peer(&analyst(), body, "gmp").await.expect("removed"), 2);
        let left: Vec<(String, String)> = store
            .observations(MEASURE)
            .await
            .expect("observations")
            .into_iter()
            .map(|o| (o.period, o.area_code))
            .collect();
        assert_eq!(left, [(String::from("2022-01"), String::new())], "{}: the body's own figure stays", db.name);
        let entry = &store.audit_log(1, 0).await.expect("audit")[0];
        assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("remove", "peer"));
        let removed = entry.before.as_ref().expect("what was removed");
        assert_eq!(removed["figures"].as_array().map(Vec::len), Some(2));
        assert_eq!(removed["figures"][1]["value"], serde_json::json!(31.0));
        assert!(matches!(store.remove_peer(&analyst(), body, "gmp").await, Err(StoreError::NotFound { .. })));
        db.finish().await;
    }
}
