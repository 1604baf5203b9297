-- Self-registration (issue 14): a newcomer registers for a published offer with their own
-- running contract. Who made a referral: the trajectbegeleider (every existing row) or the
-- newcomer themselves; the trajectbegeleider's worklist filters on it.
ALTER TABLE doorverwijzingen ADD COLUMN aangemeld_door TEXT NOT NULL DEFAULT 'trajectbegeleider'
    CHECK (aangemeld_door IN ('trajectbegeleider', 'inburgeraar'));
