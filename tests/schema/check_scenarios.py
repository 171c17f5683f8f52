#!/usr/bin/env python3
"""Checks scenario files against `telsim schema` (JSON Schema, draft 2020-12).

    check_scenarios.py SCHEMA.json --valid FILE... [--invalid FILE...]

Every --valid file (YAML or JSON) must satisfy the schema and every --invalid file
must not; exit 1 naming each file that breaks the rule. YAML is read with YAML 1.2's
rules for numbers and booleans, as telsim reads it (1e10 is a number, `on` is text).
"""
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    pass


# YAML 1.2's booleans are true and false only (yes, no, on and off are text, as telsim
# reads them: a population may be named `on`).
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    return yaml.load(text, Loader=Yaml12Loader)


def main(argv):
    schema = read(argv[1])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    expect_valid = True
    failures = 0
    checked = 0
    for arg in argv[2:]:
        if arg in ("--valid", "--invalid"):
            expect_valid = arg == "--valid"
            continue
        errors = sorted(validator.iter_errors(read(arg)), key=lambda e: list(e.path))
        checked += 1
        if expect_valid and errors:
            failures += 1
            for e in errors[:5]:
                where = "/".join(str(p) for p in e.absolute_path)
                print(f"{arg}: does not satisfy the schema at /{where}: {e.message}")
        elif not expect_valid and not errors:
            failures += 1
            print(f"{arg}: satisfies the schema but should not")
        elif not expect_valid:
            print(f"{arg}: rejected as it should be: {errors[0].message}")
    print(f"{checked} files checked, {failures} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
