#!/bin/sh
# After removing the pacman package: pacman has removed every file the package owned
# (/usr/bin/guestbay among them); guests and their disks stay in each user's
# $XDG_DATA_HOME/guestbay. Only the desktop database forgets the entry.
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
