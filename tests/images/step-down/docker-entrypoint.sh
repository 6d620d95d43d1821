#!/bin/sh
# Starts as root: gives the data directory to the service user, then steps down.
set -e
chown -R app /data
exec gosu app /usr/local/bin/go-web
