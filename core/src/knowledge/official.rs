//! How the Docker Official Images start, as data: which ones start as root and step down to
//! their service user themselves, which need a root master process, and the numeric ids of
//! the users they ship. DH101 reads this before it adds a `USER`: putting one in front of an
//! entrypoint that drops privileges itself makes it fail (its `chown` and `gosu` need root).
//!
//! Each entry names the file it was read from (the images' repositories, checked
//! [`super::DATA_CHECKED`]).

use serde::Serialize;

/// How an official image's default start treats root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum StartAs {
    /// Starts as root and steps down to `user` itself (`gosu`, `su-exec`, `setpriv`).
    StepsDown { tool: &'static str },
    /// A master process must start as root; its workers run as `user` (nginx, httpd, php-fpm).
    RootMaster,
}

/// An official image whose start dfharden knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OfficialImage {
    /// The repository name on Docker Hub (`library/<name>`).
    pub name: &'static str,
    pub start: StartAs,
    /// The service user the image switches to (or its workers run as).
    pub user: &'static str,
    /// Its uid:gid on the Debian/Ubuntu/Oracle Linux variants, and on Alpine (`None`: no such
    /// variant, or the id is not fixed by the image).
    pub ids: Option<&'static str>,
    pub alpine_ids: Option<&'static str>,
    /// The programs that are the image's own start (its entrypoint or server): a Dockerfile
    /// that starts one of them directly still needs what the image's start needs.
    pub programs: &'static [&'static str],
    /// What to do instead of adding `USER`.
    pub advice: &'static str,
    pub source: &'static str,
}

const STEP_DOWN_ADVICE: &str = "keep root at start (the entrypoint drops to the service user itself) and harden at run time: drop the capabilities the start does not use (it needs CHOWN, SETUID, SETGID and often DAC_OVERRIDE, and a program with file capabilities needs those too), and set no-new-privileges";

pub static OFFICIAL_IMAGES: &[OfficialImage] = &[
    OfficialImage {
        name: "postgres",
        start: StartAs::StepsDown { tool: "gosu" },
        user: "postgres",
        ids: Some("999:999"),
        alpine_ids: Some("70:70"),
        programs: &["docker-entrypoint.sh", "postgres", "pg_ctl"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/docker-library/postgres (docker-entrypoint.sh: exec gosu postgres)",
    },
    OfficialImage {
        name: "mysql",
        start: StartAs::StepsDown { tool: "gosu" },
        user: "mysql",
        ids: Some("999:999"),
        alpine_ids: None,
        programs: &["docker-entrypoint.sh", "mysqld"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/docker-library/mysql (docker-entrypoint.sh: exec gosu mysql)",
    },
    OfficialImage {
        name: "mariadb",
        start: StartAs::StepsDown { tool: "gosu" },
        user: "mysql",
        ids: None,
        alpine_ids: None,
        programs: &["docker-entrypoint.sh", "mariadbd", "mysqld"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/MariaDB/mariadb-docker (docker-entrypoint.sh: exec gosu mysql)",
    },
    OfficialImage {
        name: "redis",
        start: StartAs::StepsDown { tool: "setpriv" },
        user: "redis",
        ids: Some("999:999"),
        alpine_ids: Some("999:1000"),
        programs: &["docker-entrypoint.sh", "redis-server"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/redis/docker-library-redis (docker-entrypoint.sh: setpriv --reuid redis)",
    },
    OfficialImage {
        name: "mongo",
        start: StartAs::StepsDown { tool: "gosu" },
        user: "mongodb",
        ids: Some("999:999"),
        alpine_ids: None,
        programs: &["docker-entrypoint.sh", "mongod"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/docker-library/mongo (docker-entrypoint.sh: exec gosu mongodb)",
    },
    OfficialImage {
        name: "rabbitmq",
        start: StartAs::StepsDown { tool: "gosu" },
        user: "rabbitmq",
        ids: Some("999:999"),
        alpine_ids: Some("100:101"),
        programs: &["docker-entrypoint.sh", "rabbitmq-server"],
        advice: STEP_DOWN_ADVICE,
        source: "https://github.com/docker-library/rabbitmq (docker-entrypoint.sh: gosu, su-exec on Alpine)",
    },
    OfficialImage {
        name: "nginx",
        start: StartAs::RootMaster,
        user: "nginx",
        ids: Some("101:101"),
        alpine_ids: Some("101:101"),
        programs: &["nginx", "/docker-entrypoint.sh", "docker-entrypoint.sh"],
        advice: "move to `nginxinc/nginx-unprivileged` (same tags; it runs as uid 101, listens on 8080 instead of 80 and keeps its pid file and temporary files in /tmp): change `listen 80` to `listen 8080` in your server blocks and publish port 8080",
        source: "https://github.com/nginx/docker-nginx (no USER; nginx.conf `user nginx;`) and https://github.com/nginx/docker-nginx-unprivileged",
    },
    OfficialImage {
        name: "httpd",
        start: StartAs::RootMaster,
        user: "www-data",
        ids: Some("33:33"),
        alpine_ids: Some("82:82"),
        programs: &["httpd", "httpd-foreground", "apachectl"],
        advice: "keep root for the parent process (it binds port 80 and its children switch to www-data); to run without root, change `Listen 80` to a port above 1023, make `logs/` writable by www-data and add `USER 33:33` yourself",
        source: "https://github.com/docker-library/httpd (httpd.conf `User www-data`, no USER)",
    },
    OfficialImage {
        name: "php",
        start: StartAs::RootMaster,
        user: "www-data",
        ids: Some("33:33"),
        alpine_ids: Some("82:82"),
        programs: &["docker-php-entrypoint", "php-fpm", "apache2-foreground", "apache2ctl"],
        advice: "keep root for the php-fpm or Apache master (its workers run as www-data); to run without root, listen on a port above 1023 and add `USER 33:33` yourself",
        source: "https://github.com/docker-library/php (--with-fpm-user=www-data, no USER)",
    },
];

/// The official image a reference names, if dfharden knows how it starts.
pub fn official_image(repository: &str, registry: &str) -> Option<&'static OfficialImage> {
    let name = repository.strip_prefix("library/")?;
    (registry == crate::model::DOCKER_HUB)
        .then(|| OFFICIAL_IMAGES.iter().find(|i| i.name == name))
        .flatten()
}

/// The ids of users that official images ship and a Dockerfile may switch to by name.
pub fn builtin_user_ids(user: &str, alpine: bool) -> Option<&'static str> {
    match user {
        // The node images' `node` user (https://github.com/nodejs/docker-node, Dockerfiles).
        "node" => Some("1000:1000"),
        // distroless and Chainguard's `nonroot`.
        "nonroot" => Some("65532:65532"),
        // .NET 8 and later (https://github.com/dotnet/dotnet-docker: APP_UID=1654).
        "app" => Some("1654:1654"),
        // `nobody` is 65534 with group 65534 (nogroup on Debian, nobody on Alpine) in both
        // distributions' base passwd files.
        "nobody" => Some("65534:65534"),
        // Debian's base-passwd and Alpine's fixed id for www-data.
        "www-data" if alpine => Some("82:82"),
        "www-data" => Some("33:33"),
        _ => None,
    }
}
