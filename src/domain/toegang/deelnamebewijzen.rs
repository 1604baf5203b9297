//! Who may see, edit, sign, refuse and review proofs of participation (deelnamebewijzen).
