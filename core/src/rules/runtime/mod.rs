//! How the container starts and is watched.
