//! `dfharden migrate hadolint`: the dfharden.toml equivalent to a `.hadolint.yaml`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::args::{MigrateArgs, MigrateFrom};
use crate::hadolint::{migrate, read, to_toml, HADOLINT_NAMES};
use crate::write::write_atomically;
use crate::Outcome;

pub fn run(args: &MigrateArgs) -> Result<Outcome> {
    let MigrateFrom::Hadolint { path, write } = &args.from;
    let path = match path {
        Some(path) => path.clone(),
        None => match HADOLINT_NAMES.iter().map(PathBuf::from).find(|p| p.is_file()) {
            Some(found) => found,
            None => bail!("no .hadolint.yaml or .hadolint.yml here: name the file"),
        },
    };
    let migrated = migrate(&read(&path)?)?;
    let text = to_toml(&migrated, &path);
    if *write {
        let target = path.parent().map_or_else(|| PathBuf::from("dfharden.toml"), |dir| dir.join("dfharden.toml"));
        if target.exists() {
            bail!("{} exists: not overwritten (print the migration without --write and merge it)", target.display());
        }
        write_atomically(&target, &text)?;
        writeln!(anstream::stderr(), "wrote {}", target.display())?;
    } else {
        anstream::stdout().lock().write_all(text.as_bytes())?;
    }
    Ok(Outcome::Clean)
}
