//! Who may read and run a regional network, its meetings (overleggen) and its action plan (acties), and its monitoring.
