#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/seeds/TARGET/) from the
project's own drafts and the shared fixtures (not kabul-embassy.txt, which
must not be copied). Run from anywhere; re-running rewrites the seeds."""
import hashlib
import pathlib
import random
import re

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = pathlib.Path("/work/shared/fixtures")
FORMAT_BYTE = {".md": 0, ".markdown": 0, ".html": 1, ".htm": 1, ".txt": 2, ".docx": 3, ".doc": 3, ".odt": 4}


def sources():
    files = sorted((ROOT / "examples/drafts").glob("*")) + sorted((ROOT / "crates/core/tests/fixtures/suggest").glob("*"))
    files += sorted((ROOT / "crates/core/tests/fixtures/hostile-documents").glob("*"))
    if SHARED.is_dir():
        files += sorted((SHARED / "drafts").glob("*")) + sorted((SHARED / "hostile").glob("*"))
        files += sorted((SHARED / "hostile").glob(".*"))
    return [f for f in files if f.is_file() and f.name != "kabul-embassy.txt" and f.suffix != ".json"]


def write(target, data):
    folder = HERE / "seeds" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def edited(text, rng):
    """The kind of edit a writer makes: a sentence dropped, words inserted, paragraphs swapped."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    choice = rng.randrange(4)
    if choice == 0 and len(sentences) > 2:
        del sentences[rng.randrange(len(sentences))]
        return " ".join(sentences)
    if choice == 1:
        words = text.split(" ")
        at = rng.randrange(len(words) + 1)
        return " ".join(words[:at] + ["reportedly", "about"] + words[at:])
    if choice == 2:
        paragraphs = text.split("\n\n")
        rng.shuffle(paragraphs)
        return "\n\n".join(paragraphs)
    return text.replace("the", "The", 3)


def main():
    rng = random.Random(11)
    texts = []
    for path in sources():
        data = path.read_bytes()
        write("ingest", bytes([FORMAT_BYTE.get(path.suffix.lower(), 2)]) + data)
        write("suggest", data)
        if b"\0" not in data:
            texts.append(data.decode("utf-8", "replace"))
    for text in texts:
        for _ in range(2):
            spans = bytes(rng.randrange(256) for _ in range(24))
            write("anchor", text.encode() + b"\xff" + edited(text, rng).encode() + b"\xff" + spans)
    for _ in range(8):
        write("report", bytes(rng.randrange(256) for _ in range(rng.choice([64, 256, 1024]))))


if __name__ == "__main__":
    main()
