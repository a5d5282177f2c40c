#!/usr/bin/env python3
"""Builds the served OpenAPI document: api/openapi/base.json plus one
fragment per resource (api/openapi/paths/*.json, each
{"paths": {...}, "components": {"schemas": {...}, ...}, "tags": [...]}).
A path, operation or component defined twice is an error.

    openapi_merge.py OUT BASE FRAGMENT..."""
import json
import sys


def main() -> None:
    out, base, fragments = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(base, encoding="utf-8") as f:
        doc = json.load(f)
    comps = doc.setdefault("components", {})
    tags = doc.setdefault("tags", [])
    for path in sorted(fragments):
        with open(path, encoding="utf-8") as f:
            frag = json.load(f)
        for p, item in frag.get("paths", {}).items():
            target = doc["paths"].setdefault(p, {})
            for method, op in item.items():
                if method in target:
                    sys.exit("%s: %s %s is defined twice" % (path, method, p))
                target[method] = op
        for kind, entries in frag.get("components", {}).items():
            section = comps.setdefault(kind, {})
            for name, value in entries.items():
                if name in section and section[name] != value:
                    sys.exit("%s: components.%s.%s is defined twice" % (path, kind, name))
                section[name] = value
        for tag in frag.get("tags", []):
            if tag["name"] not in [t["name"] for t in tags]:
                tags.append(tag)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
