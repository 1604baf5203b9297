//! Who may see, create, manage and moderate offers (aanbod).
