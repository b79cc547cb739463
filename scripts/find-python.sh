#!/usr/bin/env bash
# Print the path of a working Python 3.10: python3.10 on PATH, else the newest under pyenv.
set -u
if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
  command -v python3.10
  exit 0
fi
for root in "$(pyenv root 2>/dev/null)" "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
  [ -n "$root" ] || continue
  found=$(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$found" ] && "$found" -c 'import sys' >/dev/null 2>&1; then
    echo "$found"
    exit 0
  fi
done
echo "No Python 3.10 found. Install it (for example 'pyenv install 3.10') and try again." >&2
exit 1
