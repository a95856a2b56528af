# Sourced by test-swift.sh and run-example-swift.sh: `run_swift_commands
# <bash script>` runs the script with `swift` from PATH, or (no swift, or
# COMPOSIO_SWIFT_IN_ROOT=1) inside the Debian trixie root made/reused by
# ensure-swift-root.sh, with /proc, /dev and the repository mounted for the
# duration (unmounted on exit; one run per root at a time, by flock on
# <root>.lock). Needs HERE, REPO and fail().

run_swift_commands() {
  local script="$1"
  if command -v swift >/dev/null 2>&1 && [[ "${COMPOSIO_SWIFT_IN_ROOT:-0}" != 1 ]]; then
    bash -c "$script"
    return $?
  fi
  [[ "$(id -u)" == 0 ]] || fail "running Swift in the trixie root needs root (chroot, mount); or put swift on PATH"
  local root
  root="$("$HERE/scripts/ensure-swift-root.sh")" || fail "making the Swift trixie root (scripts/ensure-swift-root.sh)"
  # One run at a time per root: /proc and /dev inside it are shared, and a
  # run that finishes first would unmount them under another still running.
  exec {SWIFT_LOCK_FD}>"$root.lock" || fail "opening $root.lock"
  if ! flock -n "$SWIFT_LOCK_FD"; then
    echo "==> waiting for another Swift run in $root to finish" >&2
    flock "$SWIFT_LOCK_FD" || fail "locking $root.lock"
  fi
  SWIFT_MOUNTS=()
  trap swift_env_cleanup EXIT
  trap 'swift_env_cleanup; exit 130' INT TERM
  swift_env_mount -t proc proc "$root/proc"
  swift_env_mount --bind /dev "$root/dev"
  swift_env_mount --bind "$REPO" "$root$REPO"
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    /bin/bash -c "$script"
}

swift_env_cleanup() {
  local i
  for ((i = ${#SWIFT_MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -l "${SWIFT_MOUNTS[$i]}" 2>/dev/null || true
  done
  SWIFT_MOUNTS=()
  if [[ -n "${SWIFT_LOCK_FD:-}" ]]; then
    exec {SWIFT_LOCK_FD}>&-
    SWIFT_LOCK_FD=
  fi
}

swift_env_mount() { # swift_env_mount <mount args...> <target>
  local target="${*: -1}"
  mkdir -p "$target"
  if ! mountpoint -q "$target"; then
    mount "$@" || fail "mount $* (needs root and mount privileges)"
    SWIFT_MOUNTS+=("$target")
  fi
}
