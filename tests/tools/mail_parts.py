"""Reads a message with Python's email package (not pressbook's own code)
and prints what the tests check, as JSON: the headers, the MIME tree, the
text and HTML parts of the multipart/alternative, the Content-IDs of the
inline parts, and each attachment's name and bytes (hex SHA-256).

usage: mail_parts.py MESSAGE.eml
"""
import email
import email.policy
import hashlib
import json
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)

tree = []
alternative = None
cids = []
attachments = []
for part in msg.walk():
    tree.append(part.get_content_type())
    if part.get_content_type() == "multipart/alternative" and alternative is None:
        alternative = part
    if part.get("Content-ID"):
        cids.append(part["Content-ID"].strip("<>"))
    if part.get_content_disposition() == "attachment":
        data = part.get_payload(decode=True)
        attachments.append({"name": part.get_filename(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

text = html = None
if alternative is not None:
    for part in alternative.walk():
        if part.get_content_type() == "text/plain" and text is None:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and html is None:
            html = part.get_content()
print(json.dumps({
    "headers": {k: str(msg[k]) for k in ["Subject", "Message-ID", "Date", "List-Unsubscribe", "From", "To"] if msg[k] is not None},
    "tree": tree,
    "text": text,
    "html": html,
    "html_bytes": len(html.encode("utf-8")) if html is not None else None,
    "cids": cids,
    "attachments": attachments,
    "defects": [str(d) for p in msg.walk() for d in p.defects],
}))
