#!/bin/sh
# Pictures of a brief for review: every PDF page as PNG (pdftoppm) and the HTML as a browser
# shows it at desktop and phone widths (headless Chromium).
#   scripts/shots.sh [BRIEF_BASE] [OUT_DIR]          (from the repository root; make shots)
# BRIEF_BASE is a path without extension, e.g. output/brief-2026-W47 (its .pdf and .html are
# used); without it the brief is first built from seeds/ into a temporary folder. OUT_DIR
# defaults to shots/. Environment: PYTHON, CHROMIUM, DPI (PDF pages, default 70),
# DESKTOP_HEIGHT and PHONE_HEIGHT (screenshot heights in pixels).
set -eu
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
CHROMIUM=${CHROMIUM:-chromium}
OUT=${2:-shots}
mkdir -p "$OUT"
if [ $# -ge 1 ] && [ -n "$1" ]; then
  BASE=$1
else
  TMP=$(mktemp -d)
  "$PYTHON" -m briefgen build seeds --out "$TMP" --format html,pdf --name brief >/dev/null
  BASE=$TMP/brief
fi
rm -f "$OUT"/pdf-*.png "$OUT"/html-*.png
pdftoppm -png -r "${DPI:-70}" "$BASE.pdf" "$OUT/pdf"
HTML=$(cd "$(dirname "$BASE.html")" && pwd)/$(basename "$BASE.html")
shot() {  # name width height
  PROFILE=$(mktemp -d)
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$PROFILE" \
    --hide-scrollbars --window-size="$2,$3" --screenshot="$OUT/html-$1.png" \
    "file://$HTML" >/dev/null 2>&1
  rm -rf "$PROFILE"
}
shot desktop 1280 "${DESKTOP_HEIGHT:-2400}"
shot phone 390 "${PHONE_HEIGHT:-2600}"
ls "$OUT"/*.png
