//! Where base images come from and whether they can be verified.
