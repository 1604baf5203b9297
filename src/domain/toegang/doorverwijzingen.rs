//! Who may see and act on referrals (doorverwijzingen).
