//! Signing and refusing a proof of participation, by account or by one-time link: one workflow for both ways.
