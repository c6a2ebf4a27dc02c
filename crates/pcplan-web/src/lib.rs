//! pcplan-web
