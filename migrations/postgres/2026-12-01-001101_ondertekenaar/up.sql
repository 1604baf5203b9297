-- Who signed a proof by account (the signer's `sub`), so nobody approves their own signature
-- (issue 11, separation of duties; RULES.md R20). NULL for a link signature or no signature.
ALTER TABLE deelnamebewijzen ADD COLUMN ondertekend_sub TEXT;
