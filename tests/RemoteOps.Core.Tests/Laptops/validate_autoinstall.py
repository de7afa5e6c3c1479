"""Checks a user-data file's autoinstall section against autoinstall.schema.json.

Run with Debian's python3 (python3-yaml and python3-jsonschema come with cloud-init):
    /usr/bin/python3 validate_autoinstall.py SCHEMA USER_DATA
Prints each schema error and exits 1 when there is any.
"""
import json
import sys

import jsonschema
import yaml

with open(sys.argv[1], encoding="utf-8") as schema_file:
    schema = json.load(schema_file)
with open(sys.argv[2], encoding="utf-8") as data_file:
    text = data_file.read()
if not text.startswith("#cloud-config\n"):
    print("the file does not start with #cloud-config")
    sys.exit(1)
document = yaml.safe_load(text)
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors:
    print("/".join(str(p) for p in error.path) + ": " + error.message)
sys.exit(1 if errors else 0)
