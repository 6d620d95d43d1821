#!/bin/sh
# Starts the server; a real script would render configuration first.
exec /usr/local/bin/go-web
