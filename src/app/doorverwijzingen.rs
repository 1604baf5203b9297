//! Workflows around referrals that change more than one resource: a status change frees a place, promotes the waiting list and opens a proof draft; a capacity change fills free places.
