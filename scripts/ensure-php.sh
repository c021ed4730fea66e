#!/usr/bin/env bash
# The webhook test runs the seed's own PHP signature check; install Debian's php-cli when
# missing (as root), else say how.
set -euo pipefail
PHP="${PHP_PATH:-php}"
if command -v "$PHP" >/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing PHP for the webhook signature test (Debian package 'php-cli')..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends php-cli >/dev/null
  exit 0
fi
echo "The webhook signature test needs PHP (php-cli). Install it (sudo apt-get install php-cli) or set PHP_PATH." >&2
exit 1
