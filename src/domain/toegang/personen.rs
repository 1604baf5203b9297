//! Who may see and manage newcomers (inburgeraars), their contracts and contract changes (R15).
