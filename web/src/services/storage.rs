//! The last session and the view preferences, in localStorage (never sent anywhere).

use crate::services::share;
use crate::state::{Session, Theme};

const SESSION: &str = "dfharden.session";
const THEME: &str = "dfharden.theme";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load_session() -> Option<Session> {
    let text = local()?.get_item(SESSION).ok()??;
    share::decode(&text).ok()
}

pub fn save_session(session: &Session) {
    if let Some(storage) = local() {
        // Full storage or private mode: the session is simply not kept.
        let _ = storage.set_item(SESSION, &share::encode(session));
    }
}

pub fn load_theme() -> Option<Theme> {
    Theme::from_name(&local()?.get_item(THEME).ok()??)
}

pub fn save_theme(theme: Option<Theme>) {
    if let Some(storage) = local() {
        let _ = match theme {
            Some(theme) => storage.set_item(THEME, theme.name()),
            None => storage.remove_item(THEME),
        };
    }
}
