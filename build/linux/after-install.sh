#!/bin/sh
# Puts the `guestbay` command on PATH: Electron's own Node (ELECTRON_RUN_AS_NODE) runs the
# self-contained CLI bundle, which electron-builder leaves unpacked next to the asar archive.
cat > /usr/bin/guestbay <<'WRAPPER'
#!/bin/sh
ELECTRON_RUN_AS_NODE=1 exec '/opt/Guestbay/guestbay-app' '/opt/Guestbay/resources/app.asar.unpacked/bin/guestbay.mjs' "$@"
WRAPPER
chmod 755 /usr/bin/guestbay
