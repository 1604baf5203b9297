//! Who may see and manage organisations.
