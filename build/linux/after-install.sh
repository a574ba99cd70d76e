#!/bin/sh
# After installing the pacman package. It writes no file of its own: /usr/bin/guestbay is a
# file the package owns (electron-builder.json, pacman.fpm). What is left is what
# electron-builder's default script does for any Electron app, which this one replaces:
# Chromium's sandbox helper is setuid root only where unprivileged user namespaces are off
# (asked as an unprivileged user: root may create one either way), and the desktop database
# learns the new entry.
if setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user true 2>/dev/null; then
  chmod 0755 '/opt/Guestbay/chrome-sandbox' || true
else
  chmod 4755 '/opt/Guestbay/chrome-sandbox' || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
