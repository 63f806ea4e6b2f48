"""Prints what the navigation tests check about a PDF, as JSON, read back
with pypdf (an independent reader): page labels and sizes, link
annotations, named destinations, the outline tree, metadata, XMP, /Lang.

    python pdf_facts.py FILE.pdf
"""
import json
import sys

import pypdf


def dest_page(reader, dest):
    try:
        return reader.get_destination_page_number(dest)
    except Exception:
        return None


def outline(reader, items):
    out = []
    for item in items:
        if isinstance(item, list):
            # A list holds the children of the item before it.
            if out:
                out[-1]["children"] = outline(reader, item)
            continue
        out.append({"title": item.title, "page": dest_page(reader, item), "children": []})
    return out


def main(path):
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    pages = []
    for i, page in enumerate(reader.pages):
        links = []
        for ref in page.get("/Annots", []) or []:
            a = ref.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            rect = [float(v) for v in a["/Rect"]]
            link = {"rect": rect, "border": [float(v) for v in a.get("/Border", [])]}
            action = a.get("/A")
            if action is not None and action.get("/S") == "/URI":
                link["uri"] = str(action["/URI"])
            elif "/Dest" in a:
                link["dest"] = str(a["/Dest"])
            links.append(link)
        box = page.mediabox
        pages.append({
            "label": reader.page_labels[i],
            "width": float(box.width),
            "height": float(box.height),
            "links": links,
        })
    named = {str(k): dest_page(reader, v) for k, v in reader.named_destinations.items()}
    meta = reader.metadata or {}
    xmp = root.get("/Metadata")
    facts = {
        "pages": pages,
        "named": named,
        "outline": outline(reader, reader.outline),
        "info": {str(k): str(v) for k, v in meta.items()},
        "lang": str(root.get("/Lang", "")),
        "xmp": xmp.get_object().get_data().decode("utf-8") if xmp is not None else "",
    }
    json.dump(facts, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
