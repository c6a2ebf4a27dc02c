//! pcplan-store
