//! pcplan-demo
