#!/bin/sh
# Removes the CLI wrapper that after-install.sh wrote; guests and their disks stay in each
# user's $XDG_DATA_HOME/guestbay.
rm -f /usr/bin/guestbay
