//! `dfharden pin`: resolve base-image tags to digests, record them in `dfharden.lock`, and pin
//! the FROM lines (with the core's own pinning fix, so the CLI and the web page agree).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Result};
use dfharden_core::digests::update_pins;
use dfharden_core::model::{Base, Dockerfile, ImageRef};
use dfharden_core::syntax::parse;
use dfharden_core::{fix, Settings};

use crate::args::PinArgs;
use crate::config::{SettingsResolver, LOCK_NAME};
use crate::discover::{discover, Target};
use crate::input::{read_target, Source};
use crate::lockfile::{now_rfc3339, LockFile, LockedImage, LOCK_VERSION};
use crate::paths::display_path;
use crate::registry::RegistryClient;
use crate::write::write_atomically;
use crate::Outcome;

/// The rule whose fix pins FROM lines from a digest table.
const PIN_RULE: &str = "DH202";

pub fn run(args: &PinArgs) -> Result<Outcome> {
    let shared = &args.shared;
    let targets: Vec<Target> = discover(&shared.paths)?.collect();
    if targets.contains(&Target::Stdin) && !args.lock_only {
        bail!("pin rewrites files in place: give paths, or use --lock-only with standard input");
    }
    let resolver = SettingsResolver::new(shared, None);
    let client = RegistryClient::new(Duration::from_secs(args.timeout), args.allow_insecure_http);

    // Group the files by the lock file they share.
    let mut groups: BTreeMap<PathBuf, Vec<(Source, Settings)>> = BTreeMap::new();
    for target in &targets {
        let source = read_target(target, shared.stdin_filename.as_deref())?;
        let resolved = resolver.for_file(&source.name)?;
        let lock_path = resolved.lock_path.clone().unwrap_or_else(|| PathBuf::from(LOCK_NAME));
        groups.entry(lock_path).or_default().push((source, resolved.settings.clone()));
    }

    let mut failures = 0;
    let mut changed = 0;
    for (lock_path, files) in groups {
        let mut lock = if lock_path.exists() {
            LockFile::read(&lock_path)?
        } else {
            LockFile { version: LOCK_VERSION, images: Vec::new() }
        };
        let mut wanted: BTreeMap<String, ImageRef> = BTreeMap::new();
        for (source, _) in &files {
            for image in pinnable_images(source, args.update) {
                let mut key = image.clone();
                key.digest = None;
                key.tag = Some(image.effective_tag().to_string());
                wanted.insert(key.canonical(), key);
            }
        }
        for (reference, image) in &wanted {
            if lock.get(reference).is_some() && !args.update {
                continue;
            }
            match client.resolve(image) {
                Ok(found) => {
                    eprintln!("resolved {} -> {}", display_ref(image), found.digest);
                    lock.upsert(LockedImage {
                        reference: reference.clone(),
                        digest: found.digest,
                        resolved_at: now_rfc3339(),
                        media_type: found.media_type,
                    });
                }
                Err(e) => {
                    failures += 1;
                    eprintln!("dfharden: error: {e:#}");
                }
            }
        }
        if !lock.images.is_empty() {
            write_atomically(&lock_path, &lock.to_text()?)?;
        }
        if args.lock_only {
            continue;
        }
        let table = lock.digest_table();
        for (source, settings) in files {
            let settings = Settings { select: vec![PIN_RULE.to_string()], digests: table.clone(), ..settings };
            let mut output = fix(&source.text, &settings).output;
            if args.update {
                let (updated, moved) = update_pins(&output, &table);
                for (image, old, new) in moved {
                    eprintln!("{}: moved {image} from {old} to {new}", display_path(&source.name));
                }
                output = updated;
            }
            if output != source.text {
                if let Some(path) = &source.path {
                    write_atomically(path, &output)?;
                    changed += 1;
                    eprintln!("pinned {}", display_path(&source.name));
                }
            }
        }
    }
    if failures > 0 {
        bail!("{failures} image(s) could not be resolved");
    }
    eprintln!("{changed} file(s) pinned");
    Ok(Outcome::Clean)
}

fn display_ref(image: &ImageRef) -> String {
    format!("{}:{}", image.familiar_name(), image.effective_tag())
}

/// The base images of a file that a digest can be resolved for: literal references to a
/// registry image, without a digest (or with one, when updating).
fn pinnable_images(source: &Source, update: bool) -> Vec<ImageRef> {
    let parsed = parse(&source.text);
    let model = Dockerfile::new(&parsed);
    let mut seen = BTreeSet::new();
    let mut images = Vec::new();
    for stage in &model.stages {
        let Base::Image { image } = &stage.base.base else { continue };
        if stage.base.written.contains('$') {
            eprintln!(
                "{}: cannot pin `{}`: it uses a build argument",
                display_path(&source.name),
                stage.base.written
            );
            continue;
        }
        if image.digest.is_some() && !(update && image.tag.is_some()) {
            continue;
        }
        if seen.insert(image.canonical()) {
            images.push(image.clone());
        }
    }
    images
}
