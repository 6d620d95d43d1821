//! Credentials that end up in the image or its history.
